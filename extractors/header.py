"""Header fields of page one: số ký hiệu, loại văn bản, ngày ban hành, địa danh, trích yếu."""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from extractors.common import (
    TYPE_NAMES,
    TextLine,
    canonical_number,
    drop_junk_tokens,
    find_date,
    fold,
    is_junk,
    iso_date,
    squash,
    type_of_number,
)
from extractors.gazetteer import settle_place, snap_place, snap_place_fuzzy
from pipeline.core.document import Region
from pipeline.core.restore import normalize_text

# "Số:" as OCR writes it: Số, So, S6, Sé, Sô ...
# "Số: 89/KH-UBND"; specks before the label may be read as a lone letter (X \ Số: 115/...)
_SPECKS = r"^(?:\W|\b\w\b){0,5}?\s*"
NUMBER_LINE_RE = regex.compile(rf"{_SPECKS}s[o0-9e]\s*[:;.]\s*(.+)$|{_SPECKS}so\s+(\d.+)$")
# V/v (về việc), as OCR writes it: V/v, v/v, Y/v, Vý/, V/y
VV_RE = regex.compile(r"^\W{0,2}[VvY]\s*[ýy]?\s*/\s*[vVyý]?\s*[:.,]?\s+(.*)$")
MOTTO_RE = regex.compile(r"cong\s*hoa|doc\s*lap|hanh\s*phuc|chu\s*ngh", regex.IGNORECASE)
SUBJECT_STOP_RE = regex.compile(
    # after the rule drawn under the subject, read as a dash or a lone letter (``l Căn cứ``)
    r"^(?:[-_=.~|'`]{1,3}\s*|[a-z]\s+)?(can\s*c|thuc\s*hien|kinh\s*g|de\s|theo\s|nham\s|xet\s|ve\s*viec\s*ban|[ivx]+\.\s|\d+\.\s"
    r"|dieu\s*\d|chuong\s+[ivxlc\d]+\b|phan\s|muc\s|quyet\s*dinh\s*:|chu\s*tich\s|giam\s*doc\s|trong\s*(nhung|thoi))",
)


def find_number(lines: list[TextLine]) -> str | None:
    for line in _header_first(lines):
        match = NUMBER_LINE_RE.match(fold(line.text))
        if match:
            start = match.start(1) if match.group(1) else match.start(2)
            number = canonical_number(line.text[start:])
            if number:
                return number
    return None


def _header_first(lines: list[TextLine]) -> list[TextLine]:
    """Header-column lines first, then the rest of the page's first 40 lines."""
    header = [ln for ln in lines if ln.region in (Region.HEADER_LEFT, Region.HEADER_RIGHT)]
    return header + [ln for ln in lines[:40] if ln not in header]


def find_date_place(lines: list[TextLine], localities: list[str] | None = None
                    ) -> tuple[str | None, str | None]:
    """The date line ``Chợ Vàm, ngày 05 tháng 03 năm 2024``: ISO date and place. When the
    pen-written day cannot be read, the printed place is still returned. ``localities``:
    where the issuer sits (gazetteer.issuer_localities), which the place is settled against."""
    fallback_head = None
    for line in lines:
        if line.region is Region.HEADER_RIGHT:
            head = regex.match(r"^\W*((?:\p{Lu}\p{Ll}*\s+){0,3}\p{Lu}\p{Ll}*)\s*,\s*ng", line.text)
            if head:
                fallback_place = snap_place(normalize_text(head.group(1)))
                break
    else:
        fallback_place = None
    iso, place, head = _date_line(lines)
    if iso is None:
        iso, garbled_place, fallback_head = _garbled_date_line(lines)
        fallback_place = fallback_place or garbled_place
    place = place or fallback_place
    if place and fold(place).lower().strip(" .") in TEMPLATE_WORDS:
        place = None  # a speck before ``ngày`` made the template's word look like a place
    return iso, settle_place(place, head or fallback_head, localities or [])


# the date line's and the header's own words: never a place
TEMPLATE_WORDS = {"ngay", "thang", "nam", "so", "v/v", "kinh gui", "noi nhan", "doc lap"}


GARBLED_DATE_RE = regex.compile(
    r"^\W*(?P<place>[^,]{2,30}?)\s*,.{0,8}?(?P<day>[\d!lIO]{1,2})\s*th[aá]ng\s*(?P<month>\d{1,2})"
    r"\s*n[aă]m\s*(?P<year>\d{4})"
)
DIGIT_LIKE = str.maketrans({"!": "1", "l": "1", "I": "1", "O": "0"})


def _garbled_date_line(lines: list[TextLine]) -> tuple[str | None, str | None, str | None]:
    """``Hd Tiện, ,gdy!9 tháng 02 năm 2024``: 'ngày' lost, the day half-read; month and year
    are printed and clean. The place is snapped to the gazetteer, fuzzily."""
    for line in lines[:40]:
        match = GARBLED_DATE_RE.match(line.text)
        if not match:
            continue
        day = match.group("day").translate(DIGIT_LIKE)
        iso = iso_date(day, match.group("month"), match.group("year"))
        if iso:
            place = squash(match.group("place"))
            plausible = _plausible_place(place)
            return iso, snap_place_fuzzy(place, None) if plausible else None, place
    return None, None, None


def _date_line(lines: list[TextLine]) -> tuple[str | None, str | None, str | None]:
    """ISO date, place and the raw text before the date, from the first date line."""
    for i, line in enumerate(_header_first(lines)):
        if "ngay" not in fold(line.text) and "ngày" not in line.text.lower():
            continue
        iso, match = find_date(line.text)
        if not iso or match is None:
            continue
        head = line.text[: match.start()]
        place = squash(regex.sub(r"[,.\s]+$", "", head))
        raw_head = place
        place = regex.sub(r"^[^\p{L}]+", "", place)
        # "Số: 89/KH-UBND Chợ Vàm, ngày ..." (both columns on one line): the place is the
        # run of capitalised words just before the date
        tail = regex.search(r"(?<!\p{L})(?:\p{Lu}\p{Ll}*\s+){0,3}\p{Lu}\p{Ll}*$", place)
        if tail and tail.start() > 0:
            place = tail.group(0)
        if line.region is not Region.HEADER_RIGHT and not _plausible_place(place):
            if i < 12 and head.rstrip().endswith(",") and \
                    not fold(head).lstrip(" -+").startswith(("can cu", "theo", "thuc hien")):
                # a header date line whose place OCR broke ("Hai ChAu,ngay 01 thang 04"):
                # the date is the document's; the place is left to settle_place
                return iso, None, raw_head
            continue  # a date inside the body ("Căn cứ Luật ... ngày 22 tháng 11 năm 2019")
        return iso, (snap_place(normalize_text(place)) if len(place) >= 2 else None), raw_head
    return None, None, None


def _plausible_place(place: str) -> bool:
    words = place.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def find_title(lines: list[TextLine]) -> tuple[str | None, int | None]:
    """The type name standing alone in capitals (``KẾ HOẠCH``), and its line index."""
    folded_names = {fold(name): name for name in TYPE_NAMES}
    for i, line in enumerate(lines[:60]):
        text = squash(regex.sub(r"[^\p{L}\s]", " ", line.text))
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
            continue
        key = fold(text)
        if key in folded_names:
            return folded_names[key], i
        best = max(folded_names, key=lambda k: fuzz.ratio(k, key))
        if len(key) >= 6 and fuzz.ratio(best, key) >= 85:
            return folded_names[best], i
    return None, None


def find_subject(lines: list[TextLine], title_index: int | None) -> str | None:
    """Trích yếu: the ``V/v ...`` lines of a công văn, or the lines under the title."""
    for i, line in enumerate(lines[:60]):
        vv = VV_RE.match(line.text)
        match = vv or _loose_vv(lines, i)
        if match:
            # "Về việc …" printed in full is part of the trích yếu (only "V/v" is dropped)
            opener = None if vv else about_opener(line.text)
            parts = [opener or match.group(1)]
            for nxt in lines[i + 1 : i + 7]:
                # under V/v in the header column a line is the subject going on ("… cai
                # nghiện / thực hiện Chương trình MTQG"): only the template's next element
                # or a change of column ends it, not words that open a body paragraph
                stops = _stops_vv if line.region is Region.HEADER_LEFT else _stops_subject
                if nxt.region != line.region or stops(nxt.text) or \
                        _capitals_after_mixed(parts, nxt.text):
                    break
                if not is_junk(nxt.text, nxt.confidence):
                    parts.append(nxt.text)
            return _clean_subject(" ".join(parts))
    if title_index is None:
        return None
    parts = []
    for nxt in lines[title_index + 1 : title_index + 6]:
        text = drop_junk_tokens(nxt.text)  # a received-stamp beside the subject
        if is_junk(text, nxt.confidence if text == nxt.text else 100.0):
            continue
        if _stops_subject(text) or nxt.region is Region.TABLE or _capitals_after_mixed(parts, text):
            break
        if regex.fullmatch(r"[\W_]*", nxt.text):
            if parts:
                break
            continue
        parts.append(text if parts else about_opener(text) or text)
    return _clean_subject(" ".join(parts)) if parts else None


def about_opener(text: str) -> str | None:
    """A trích yếu opening with a misread "Về việc" (``và việc``, ``Vẻ việc``, ``\\W3 việc``,
    or ``việc`` with its ``Về`` lost), the opener spelt right; None when the text does not
    open so. A subject never begins with "và" or a bare "việc"."""
    words = text.split()
    if len(words) < 2:
        return None
    if fold(words[0]).lower() == "viec":
        rest = words[1:]
    elif fold(words[1]).lower() == "viec" and (
            fold(words[0]).lower() in ("ve", "va") or not words[0].isalpha()):
        rest = words[2:]
    else:
        return None
    return " ".join(["Về việc", *rest])


# "V/v" under a stamp or a fold: "VAY rà soát", "Vìv tham gia" — only on the line right
# under the number line, and only when a lower-case word follows, as a trích yếu begins
LOOSE_VV_RE = regex.compile(r"^\W{0,2}[VvY][^\s]{1,2}\s+(\p{Ll}.*)$")


def _loose_vv(lines: list[TextLine], i: int) -> regex.Match | None:
    if i == 0 or lines[i].region is not Region.HEADER_LEFT:
        return None
    above = lines[i - 1]
    if above.region is not Region.HEADER_LEFT or not NUMBER_LINE_RE.match(fold(above.text)):
        return None
    return LOOSE_VV_RE.match(lines[i].text)


def _stops_subject(text: str) -> bool:
    folded = fold(text).strip()
    return bool(SUBJECT_STOP_RE.match(folded)) or bool(MOTTO_RE.search(folded)) or \
        bool(regex.match(r"^[-_=.\s]{3,}$", text)) or bool(GUI_RE.search(folded))


def _stops_vv(text: str) -> bool:
    folded = fold(text).strip()
    return bool(regex.match(r"^\W{0,3}kinh\s*g", folded)) or bool(MOTTO_RE.search(folded)) or \
        bool(regex.match(r"^[-_=.\s]{3,}$", text)) or bool(GUI_RE.search(folded))


# Kính gửi: with Kính lost under a stamp, or after a received stamp's words on its line
# ("ỔNG THÔNG TIN ĐIỆN TỬ CHÍNH dữ{h gửi:"): a trích yếu never holds "gửi:"
GUI_RE = regex.compile(r"^\W{0,3}(?:\w{1,4}\s*)?g[uư]i\s*:|\bgui\s*:")


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _capitals_after_mixed(parts: list[str], text: str) -> bool:
    """A line in capitals after a trích yếu in ordinary case is not the subject: the
    authority line (``THỦ TƯỚNG CHÍNH PHỦ``, ``CHỦ TỊCH ỦY BAN NHÂN DÂN``) or a stamp."""
    return bool(parts) and not _capitals(parts[0]) and _capitals(text)


def _clean_subject(text: str) -> str:
    text = regex.sub(r"[-_]{3,}.*$", "", text)  # the rule drawn under the subject
    # a short piece of the rule read into a line (``PCMT -_ đến năm 2030``): no word
    text = regex.sub(r"\s[-_=]{2,}(?=\s)", "", text)
    text = drop_junk_tokens(text)
    # a speck read as a stop or colon inside the phrase (``thực hiện. cơ chế``): a trích
    # yếu is one phrase, and no stop of it is followed by a small letter
    text = regex.sub(r"(?<=\p{L}{2})[.:](?=\s+[\p{Ll}\d])", "", text)
    text = regex.sub(r"(?<=\p{Ll})\s+[.,:;`'’]+(?=\s+\p{Ll})", "", text)  # ``cơ . chế``
    text = regex.sub(r"(?<=\p{L}\p{Ll})-(?=\p{Ll}+\b)", " ", text)  # ``số-và``, ``Kết-quả``
    text = regex.sub(r"(?<=\p{Ll}{2})[.:](?=\p{Ll}{2})", " ", text)  # ``thực hiện.công tác``
    # a speck read as a quote that nothing closes (``thủ tục “hành chính``)
    for quote, closing in (("'", "'"), ("\"", "\""), ("“", "”")):
        if text.count(quote) == 1 and (quote == closing or closing not in text):
            text = text.replace(quote, "", 1)  # a space left double is squashed below
    return normalize_text(squash(text).strip(" .;:-"))


def find_doc_type(lines: list[TextLine], number: str | None, subject_is_vv: bool) -> str | None:
    title, _ = find_title(lines)
    if title:
        return title
    if subject_is_vv:  # a letter titled V/v is a công văn whatever its code (CT: Cục Thuế)
        return "Công văn"
    from_number = type_of_number(number)
    if from_number:
        return from_number
    if number:
        return "Công văn"  # a letter with no type name (V/v ..., number without type code)
    return None
