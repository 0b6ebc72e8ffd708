"""Signature block: thẩm quyền ký (TM./KT./TL./TUQ./Q.), chức vụ, họ tên người ký."""

from __future__ import annotations

import regex
from rapidfuzz import fuzz, process

from extractors.common import TextLine, fold, squash
from extractors.gazetteer import SURNAME_BY_FOLD, snap_person
from pipeline.core.document import Region
from pipeline.core.restore import normalize_text
from pipeline.core.validator import is_valid_syllable

AUTHORITY_RE = regex.compile(r"^\W{0,2}(TM|KT|TL|TUQ|Q)\s*[.,:]\s*(\p{L}.*)$", regex.IGNORECASE)
TITLE_WORDS = (
    "chu tich", "giam doc", "truong phong", "pho", "thu truong", "bo truong", "thu tuong",
    "chanh van phong", "truong ban", "cuc truong", "tong cuc truong", "bi thu", "hieu truong",
    "vien truong", "chanh an", "tong giam doc", "truong", "phu trach", "quyen",
)
# chức vụ as they are written; a seal over the title garbles it, so it is matched loosely
KNOWN_TITLES = (
    "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Thủ tướng", "Phó Thủ tướng",
    "Bộ trưởng", "Thứ trưởng", "Trưởng phòng", "Phó Trưởng phòng", "Chánh Văn phòng",
    "Phó Chánh Văn phòng", "Trưởng ban", "Phó Trưởng ban", "Cục trưởng", "Phó Cục trưởng",
    "Hiệu trưởng", "Phó Hiệu trưởng", "Bí thư", "Phó Bí thư", "Viện trưởng", "Chánh án",
    "Tổng cục trưởng", "Phó Tổng cục trưởng", "Tổng Giám đốc", "Phó Tổng Giám đốc",
    "Chánh Thanh tra", "Phó Chánh Thanh tra", "Chủ nhiệm", "Phó Chủ nhiệm", "Trưởng khoa",
    "Phó Trưởng khoa", "Phó Viện trưởng", "Phó Chánh án", "Tổng Thư ký",
    "Phó Tổng Thư ký", "Trưởng Công an", "Phó Trưởng Công an", "Chỉ huy trưởng",
    "Phó Chỉ huy trưởng", "Trưởng đoàn", "Phó Trưởng đoàn", "Chi cục trưởng",
    "Phó Chi cục trưởng", "Q. Giám đốc",
)
LONGEST_FIRST = sorted(KNOWN_TITLES, key=len, reverse=True)  # Phó Trưởng ban before Trưởng ban
# what real offices print after a title: "Phó Chủ tịch Thường trực", "Phó Giám đốc phụ trách"
QUALIFIERS = {"phu trach": "phụ trách", "thuong truc": "Thường trực"}
# a title names its unit after it when the head of a phòng or ban signs: "Trưởng phòng CTSV"
UNIT_HEADS = ("truong phong", "truong ban", "truong khoa", "chanh van phong")
_TITLE_KEYS = {regex.sub(r"\W", "", fold(t)): t for t in KNOWN_TITLES}
GARBLED_TITLE_SCORE = 84.0
NAME_RE = regex.compile(r"^(\p{Lu}\p{Ll}*)(\s+\p{Lu}\p{Ll}*){1,4}$")


def _title_case(text: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch``; ``TM. ỦY BAN NHÂN DÂN`` → ``TM. Ủy ban nhân dân``."""
    words = normalize_text(squash(text)).lower().split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        if i == 0 or (i > 0 and words[i - 1] in ("phó", "q.", "quyền")):
            word = word[:1].upper() + word[1:]
        out.append(word)
    return " ".join(out)


def _strip_marks(text: str) -> str:
    """Seal and signature strokes OCR'd as quotes, dashes or specks around a line."""
    return squash(regex.sub(r"^[^\p{L}]+|[^\p{L}.]+$", "", text))


def _is_title(text: str) -> bool:
    text = _strip_marks(text)
    folded = fold(text).strip()
    letters = [c for c in text if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) / len(letters) > 0.7
    return bool(upper) and folded.startswith(TITLE_WORDS) and len(folded) < 60


# cấp bậc before a police or army officer's name (Trung tá Ngô Văn Công), học vị before a
# scholar's (TS. Nguyễn Văn A, PGS.TS.): neither is part of the name
RANK_RE = regex.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|úy|tướng)\s+|(?:(?:GS|PGS|TS|ThS|BS|KS|CN)\.\s*)+)",
    regex.IGNORECASE,
)


def snap_title(text: str) -> str | None:
    """A chức vụ snapped to the closed vocabulary: ``Thư trường`` → ``Thứ trưởng``,
    ``Phó Chủ tịc`` → ``Phó Chủ tịch``, ``TRƯỞNG PHÒNG CTSV`` → ``Trưởng phòng CTSV``; None for
    what is no title (``Trường Đại học Điện lực``, a blank form's ``Trưởng khoa......``)."""
    if regex.search(r"[.…]{3,}", text):
        return None  # a blank to be filled in: a form appended after the signature
    words = _strip_marks(text).split()
    keys = [regex.sub(r"[^a-z]", "", fold(w)) for w in words]
    best: tuple[int, str] | None = None
    for title in KNOWN_TITLES:
        title_keys = [regex.sub(r"[^a-z]", "", fold(w)) for w in title.split()]
        n = len(title_keys)
        if keys[:n] == title_keys and (best is None or n > best[0]):
            best = (n, title)
    if best is None:  # a letter lost or wrong: fuzzy over the whole line, close only
        qualifier = None
        for key, text_after in QUALIFIERS.items():
            n = len(key.split())
            if len(keys) > n and " ".join(keys[-n:]) == key:
                keys, qualifier = keys[:-n], text_after  # "PHÓ CHỊU TỊCH / THƯỜNG TRỰC"
        found = process.extractOne("".join(keys), _TITLE_KEYS.keys(), scorer=fuzz.ratio)
        if not found or found[1] < 88:
            return None
        title = _TITLE_KEYS[found[0]]
        return f"{title} {qualifier}" if qualifier else title
    n, title = best
    rest = words[n:]
    if not rest:
        return title
    qualifier = QUALIFIERS.get(regex.sub(r"[^a-z ]", "", fold(" ".join(rest)).lower()).strip())
    if qualifier:
        return f"{title} {qualifier}"
    if fold(title).lower().endswith(UNIT_HEADS):
        unit = [w.upper() if _is_acronym_word(w) else w.lower() for w in rest]
        unit[0] = unit[0][:1].upper() + unit[0][1:]
        return title + " " + normalize_text(" ".join(unit))
    return title


CLOSING = (Region.CLOSING_RIGHT, Region.CLOSING_LEFT)


def _authority_above(lines: list[TextLine]) -> list[str]:
    """Authority lines (``TL. CỤC TRƯỞNG`` / ``KT. TRƯỞNG BAN``) printed level with "Nơi
    nhận:", which the layout left in the body just above the closing columns."""
    start = next((i for i, ln in enumerate(lines) if ln.region in CLOSING), None)
    if start is None:
        return []
    return [ln.text for ln in lines[max(0, start - 4):start]
            if ln.region is not Region.HEADER_LEFT
            and AUTHORITY_RE.match(normalize_text(_strip_marks(ln.text)))]


def _deputy(title: str) -> str:
    """``Trưởng ban`` → ``Phó Trưởng ban``, ``Bộ trưởng`` → ``Thứ trưởng``; a deputy's title
    as it is."""
    if fold(title).lower().startswith(("pho ", "thu truong")):
        return title
    return "Thứ trưởng" + title[len("Bộ trưởng"):] if fold(title).lower().startswith(
        "bo truong") else "Phó " + title


def _is_acronym_word(word: str) -> bool:
    """``CTSV`` yes, ``ĐÀO`` no: capitals that spell no Vietnamese syllable."""
    core = regex.sub(r"[^\p{L}]", "", word)
    return 2 <= len(core) <= 6 and not is_valid_syllable(core.lower())


def _garbled_title(text: str) -> str | None:
    """``_¬¬ cuủTịcH`` or ``CHUYỊCH`` → ``Chủ tịch``: the seal's ring read into the title."""
    key = regex.sub(r"[^a-z]", "", fold(text))
    if len(key) < 6:
        return None
    found = process.extractOne(key, _TITLE_KEYS.keys(), scorer=fuzz.ratio)
    return _TITLE_KEYS[found[0]] if found and found[1] >= GARBLED_TITLE_SCORE else None


# collective bodies sign "TM." (thay mặt) by their head (NĐ 30/2020): the head's title
COLLECTIVE_HEADS = {
    "Chính phủ": "Thủ tướng", "Ủy ban nhân dân": "Chủ tịch", "Hội đồng nhân dân": "Chủ tịch",
    "Thường trực Hội đồng nhân dân": "Chủ tịch", "Ban Thường vụ": "Bí thư",
}
_COLLECTIVE_KEYS = {regex.sub(r"[^a-z]", "", fold(b)): b for b in COLLECTIVE_HEADS}
GARBLED_BODY_SCORE = 85.0


def _garbled_authority(text: str) -> str | None:
    """``721 NEGHÍNH PHÙ`` → ``TM. Chính phủ``: a collective body's name under a seal, its
    ``TM.`` lost; a body named in the signature column is always signed for by TM."""
    key = regex.sub(r"[^a-z]", "", fold(text))
    if len(key) < 6:
        return None
    for body_key, body in _COLLECTIVE_KEYS.items():
        if len(key) <= len(body_key) + 6 and fuzz.partial_ratio(body_key, key) >= GARBLED_BODY_SCORE:
            return "TM. " + body
    return None


def _name_in(text: str, need_surname: bool) -> str | None:
    """The person's name in a signature line, without a rank or degree before it; when a
    seal or the signature left specks before the name (``E» Trịnh Văn Toàn``) or the rank
    is garbled (``Thượng trong Nguyễn Văn Long``), the name starts at a known surname."""
    # a speck after the name (``Huỳnh Văn Thủy.``, ``Huỳnh Văn Dũng hồ``): a name ends on
    # a capitalised syllable, and a stop or a small word after it is none of it
    text = regex.sub(r"(?<=\p{Lu}\p{Ll}*)(?:[.,;:]|\s+\p{Ll}{1,3}\W*)$", "",
                     RANK_RE.sub("", _strip_marks(text)))
    text = regex.sub(r"(?<=\p{Ll})[-_.](?=\p{Lu}\p{Ll})", " ", text)  # ``Trần-Hoàng Khoa``
    text = regex.sub(r"(?<=\s)[\"'“”`´]+(?=\p{Lu})", "", text)  # ``Phan Thị "Tâm``
    if NAME_RE.match(text) and not text.isupper() and (
            not need_surname or fold(text.split(" ")[0]) in SURNAME_BY_FOLD):
        return text
    words = text.split(" ")
    for i in range(1, min(3, len(words) - 1)):
        rest = " ".join(words[i:])
        if all(_speck_or_rank(w) for w in words[:i]) and fold(words[i]) in SURNAME_BY_FOLD \
                and NAME_RE.match(rest) and not rest.isupper():
            return rest
    return None


RANK_WORDS = ("dai", "thuong", "trung", "thieu", "ta", "uy", "tuong", "ts", "ths", "gs", "pgs")


def _speck_or_rank(word: str) -> bool:
    """What may stand before a name on its line: a speck of the seal (``E»``) or a rank or
    degree however OCR spelt it (``trong`` for ``tướng``) — not a place (``tỉnh Lâm Đồng``)."""
    key = regex.sub(r"[^a-z]", "", fold(word))
    if regex.search(r"[^\p{L}]", word) or len(key) <= 1:
        return True
    return any(fuzz.ratio(key, rank) >= 75 for rank in RANK_WORDS)


def find_signer(lines: list[TextLine]) -> dict[str, str | None]:
    """Signer name, title and signing authority of a page's signature block."""
    return read_signer(lines)[0]


def read_signer(lines: list[TextLine]) -> tuple[dict[str, str | None], str | None]:
    """find_signer's fields, and the name as OCR read it before the name lexicon changed
    it (evidence for its confidence)."""
    block = [ln.text for ln in lines if ln.region is Region.CLOSING_RIGHT]
    has_layout = bool(block)
    if not has_layout:
        block = [ln.text for ln in lines[-25:]]
    else:
        block = _authority_above(lines) + block
    authority = title = name = name_read = None
    title_at = -1
    for i, text in enumerate(block):
        text = _strip_marks(text)
        match = AUTHORITY_RE.match(normalize_text(text))
        if match:  # a later KT. overrides an earlier TM.
            rest = match.group(2)
            body = _garbled_authority(rest)
            authority = f"{match.group(1).upper()}. " + (
                snap_title(rest) or (body[4:] if body else None) or _title_case(rest))
            continue
        if _is_title(text):
            title = snap_title(text)
            if title is None:
                continue
            following = fold(block[i + 1] if i + 1 < len(block) else "").strip().lower()
            for key, qualifier in QUALIFIERS.items():
                if following.startswith(key) and qualifier not in title:
                    title += " " + qualifier  # "PHÓ TRƯỞNG PHÒNG / PHỤ TRÁCH"
            title_at = i
            break
    if authority and authority.startswith("KT. "):
        # ký thay: a deputy signs for the head (NĐ 30/2020), so the title is a deputy's
        # whatever OCR lost of it ("PHÓ" under the signature); none read: the head's deputy
        head = authority[4:]  # the head's title without its unit ("Trưởng ban Ban …")
        title = _deputy(title or next((t for t in LONGEST_FIRST if head.startswith(t)), head))
    name_at = len(block)
    for i in range(len(block) - 1, title_at, -1):
        found = _name_in(block[i], need_surname=not has_layout)
        if found:
            name_read = normalize_text(found)
            name = snap_person(name_read)
            name_at = i
            break
    if title is None and has_layout and name:  # not from an authority line (TL. HIỆU TRƯỞNG)
        title = next(filter(None, map(_garbled_title, [
            t for t in block[:name_at] if not AUTHORITY_RE.match(normalize_text(_strip_marks(t)))
            and not regex.match(r"^\W{0,2}(TM|KT|TL|TUQ)\b", t, regex.IGNORECASE)])), None)
    if authority is None and has_layout and name:
        authority = next(filter(None, map(_garbled_authority, block[:name_at])), None)
    if title is None and authority and authority.startswith("TM. "):
        title = COLLECTIVE_HEADS.get(authority[4:])  # TM. Chính phủ is signed by the Thủ tướng
    return {"signer_name": name, "signer_title": title, "signing_authority": authority}, name_read
