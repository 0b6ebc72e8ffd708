"""Helpers shared by every extractor: folding, dates, document numbers, casing, lines.

Vietnamese terms: số ký hiệu (document number), trích yếu (subject), cơ quan ban hành
(issuer), địa danh (place of the date line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from pipeline.core.document import Box, Page, Region
from pipeline.core.restore import CODE_PARTS, PEN_INK, normalize_text
from pipeline.core.syllables import fold
from pipeline.ocr.textzones import zone_text

# Phụ lục III, NĐ 30/2020: type code → canonical type name
TYPE_CODES: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
    "QyĐ": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "CTr": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án",
    "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản", "TTr": "Tờ trình", "HĐ": "Hợp đồng",
    "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép", "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển", "PB": "Phiếu báo", "NĐ": "Nghị định", "TT": "Thông tư",
    "L": "Luật", "CV": "Công văn",
}
TYPE_NAMES = sorted(set(TYPE_CODES.values()) | {"Công văn", "Nghị định", "Thông tư"}, key=len,
                    reverse=True)


def doc_types_named(value: str) -> list[str]:
    """The canonical types a person means by ``value``: a name with or without marks
    (``thong bao``) or a code (``TB``, ``QD``). A code typed exactly means its type; typed
    without marks it may mean two (``HD``: Hướng dẫn and Hợp đồng)."""
    value = " ".join(value.split())
    if value in TYPE_CODES:
        return [TYPE_CODES[value]]
    key = fold(value)
    named = [name for name in TYPE_NAMES if fold(name) == key]
    return named or sorted({name for code, name in TYPE_CODES.items() if fold(code) == key})


# OCR and the English model drop the Đ/đ and lower-case letters of codes; the known ones
# are restored part by part (one table, with the restore stage)
CODE_FIXES = CODE_PARTS
ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bUBND\b", "Ủy ban nhân dân"),
    (r"\bHĐND\b", "Hội đồng nhân dân"),
    (r"\bTP\.?(?=\s)", "thành phố"),
    (r"\bGD\s*&\s*ĐT\b", "Giáo dục và Đào tạo"),
    (r"\bLĐ-TB\s*&\s*XH\b", "Lao động - Thương binh và Xã hội"),
]
ADMIN_UNITS = ("thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "xã", "phường")

NUMBER_RE = regex.compile(
    r"(?<![\p{L}\d/])(\d{1,5})\s*(?:/\s*(\d{4}))?\s*/\s*"
    # a first code with a legislature's number (QH15, read QHI5), then the hyphenated rest
    r"([\p{L}&]+?(?:[Il1]?\d{1,2}(?![\d/]))?(?:\s*-\s*[\p{L}\d&]+)*)(?![\p{L}\d])"
    r"|(?<![\p{L}\d/])(\d{1,5})-([\p{Lu}]{1,5})/([\p{Lu}]{1,5})"
)


def squash(text: str) -> str:
    return regex.sub(r"\s+", " ", text).strip()


KNOWN_CODES = set(TYPE_CODES) | set(CODE_FIXES.values()) | {"UBND", "HĐND", "VP", "CP", "TW", "TU"}
# characters OCR swaps inside codes: TTr read as TIr, CTr as CIr, QĐ as O0 ...
CODE_CONFUSIONS = {"I": "T", "l": "T", "1": "I", "0": "O", "T": "I", "O": "Q"}


# Đ is the letter OCR loses most inside codes: QĐ read as Qb or QP, NĐ as NDB or NDP, TTg as
# TTyg. These rewrites are tried only towards the few codes that carry it.
DJ_REWRITES = (("b", "Đ"), ("P", "Đ"), ("DB", "Đ"), ("DP", "Đ"), ("Db", "Đ"), ("yg", "g"))
DJ_CODES = {"QĐ", "NĐ", "CĐ", "TTg", "HĐND"}
# bodies whose code follows a type code in a central symbol (26/2019/TT-BTC): lets a symbol
# whose hyphen OCR lost (TTBTC) be split again
# central bodies by name (longest first, Thủ tướng before Chính phủ): a citation whose symbol
# lost its body code (28/2025/QĐ- -Từ … của Thủ tướng Chính phủ) gets it back from the name
CENTRAL_BODIES: dict[str, str] = {
    "Thủ tướng Chính phủ": "TTg", "Chính phủ": "CP", "Bộ Tài chính": "BTC", "Bộ Nội vụ": "BNV",
    "Bộ Công an": "BCA", "Bộ Quốc phòng": "BQP", "Bộ Y tế": "BYT", "Bộ Tư pháp": "BTP",
    "Bộ Công Thương": "BCT", "Bộ Xây dựng": "BXD", "Bộ Giao thông vận tải": "BGTVT",
    "Bộ Tài nguyên và Môi trường": "BTNMT", "Bộ Thông tin và Truyền thông": "BTTTT",
    "Bộ Kế hoạch và Đầu tư": "BKHĐT", "Bộ Khoa học và Công nghệ": "BKHCN",
    "Bộ Nông nghiệp và Phát triển nông thôn": "BNNPTNT",
    "Bộ Lao động - Thương binh và Xã hội": "BLĐTBXH", "Bộ Giáo dục và Đào tạo": "BGDĐT",
    "Bộ Văn hóa, Thể thao và Du lịch": "BVHTTDL", "Văn phòng Chính phủ": "VPCP",
    "Ngân hàng Nhà nước": "NHNN", "Thanh tra Chính phủ": "TTCP", "Kiểm toán Nhà nước": "KTNN",
}
ISSUER_CODES = set(CENTRAL_BODIES.values()) | {"UBND", "HĐND", "UBTVQH"}


def canonical_code(part: str) -> str:
    if part in KNOWN_CODES:
        return part
    if part.isascii() and fold(part).upper() in CODE_FIXES:
        return CODE_FIXES[fold(part).upper()]
    if len(part) > 5:
        return part
    variants = {
        part[:i] + CODE_CONFUSIONS[c] + part[i + 1 :]
        for i, c in enumerate(part) if c in CODE_CONFUSIONS
    }
    # a stray digit or bar inside a code (TB read T1B) is dropped
    variants |= {part[:i] + part[i + 1 :] for i, c in enumerate(part) if c in "1Il|" and i}
    known = [v for v in variants if v in KNOWN_CODES]
    if len(known) == 1:
        return known[0]
    rewritten = {part.replace(wrong, right) for wrong, right in DJ_REWRITES if wrong in part}
    known = [v for v in rewritten if v in DJ_CODES]
    return known[0] if len(known) == 1 else part


def _split_glued(part: str) -> list[str]:
    """``TTBTC`` → ``TT``, ``BTC``: a type code and a body code whose hyphen OCR dropped."""
    for code in sorted(TYPE_CODES, key=len, reverse=True):
        if part.startswith(code) and part[len(code):] in ISSUER_CODES:
            return [code, part[len(code):]]
    return [part]


def _is_code_part(part: str) -> bool:
    """A symbol's later parts are codes (UBND, CTrTT, KSTT), never words: a lower-case part
    or one with a Vietnamese letter in lower case (``luật``, ``Cơ``) is the next line."""
    if not part or part.islower():
        return False
    return all(c.isascii() or c.isupper() or not c.isalpha() for c in part)


# pen ink between the number and its code (``2/T§/STTTT-CNTT``): not part of the code
INK_SEGMENT = regex.compile(rf"(?<=\d)\s*[/⁄]\s*{PEN_INK}\s*(?=[/⁄]\s*\p{{Lu}})")


def canonical_number(raw: str) -> str | None:
    """``89 / KH-UBND`` → ``89/KH-UBND``; restores Đ in known codes; keeps mixed case."""
    match = NUMBER_RE.search(INK_SEGMENT.sub("", raw))
    if not match:
        return None
    if match.group(4):
        return f"{match.group(4)}-{match.group(5)}/{match.group(6)}"
    num, year, symbol = match.group(1), match.group(2), match.group(3)
    parts = regex.split(r"\s*-\s*", symbol)
    if symbol.islower() and all(p.isascii() and p.isalpha() for p in parts) and (
            parts[0].upper() in KNOWN_CODES or fold(parts[0]).upper() in CODE_FIXES):
        symbol = symbol.upper()  # another engine's lower-case code: 1532/ubnd-vp
    # QHI5 → QH15 (a 1 read as I before a digit); QĐĐ → QĐ (no code doubles its Đ)
    # QHI15 → QH15 (a legislature's number has two digits: the bar before them is noise)
    symbol = regex.sub(r"(?<=\p{Lu})[Il](?=\d(?!\d))", "1", symbol).replace("ĐĐ", "Đ")
    symbol = regex.sub(r"(?<=\p{Lu}{2})[Il](?=\d\d(?!\d))", "", symbol)
    raw_parts = [p.strip() for p in regex.split(r"\s*-\s*", symbol)]
    kept = raw_parts[:1]
    for part in raw_parts[1:]:
        if not _is_code_part(part):  # a word ran into the symbol: keep the codes before it
            break
        kept.append(part)
    parts = [canonical_code(p) for p in kept]
    if len(parts) == 1 and parts[0] not in KNOWN_CODES:
        parts = [canonical_code(p) for p in _split_glued(parts[0])]
    symbol = "-".join(parts)
    return f"{num}/{year}/{symbol}" if year else f"{num}/{symbol}"


def type_of_number(number: str | None) -> str | None:
    """The type a number's symbol declares: ``89/KH-UBND`` → Kế hoạch."""
    if not number:
        return None
    symbol = number.split("/")[-1]
    code = symbol.split("-")[0]
    if "-" in number.split("/")[0]:  # party style 496-TB/TU
        code = number.split("/")[0].split("-")[1]
    return TYPE_CODES.get(code)


def iso_date(day: str | int, month: str | int, year: str | int) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except (TypeError, ValueError):
        return None


# ngày … tháng … năm …, and as OCR and restoration leave the words: ngiy, gdy, thdng,
# thông, th6ng, ndm, nim (the three numbers between them hold it)
DATE_WORDS_RE = regex.compile(
    r"(?:ng\w{0,2}y|gdy)\W{0,3}(\d{1,2})\W{0,3}th\w{1,2}ng\W{0,3}(\d{1,2})\W{0,3}n\w{1,2}m\W{0,3}"
    r"(\d{4})",
    regex.IGNORECASE,
)
DATE_SLASH_RE = regex.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")


def find_date(text: str) -> tuple[str | None, regex.Match | None]:
    """First date written ``ngày 05 tháng 03 năm 2024`` or ``05/03/2024`` in the text."""
    folded = fold(text)
    for pattern in (DATE_WORDS_RE, DATE_SLASH_RE):
        for match in pattern.finditer(folded):
            iso = iso_date(match.group(1), match.group(2), match.group(3))
            if iso:
                return iso, match
    return None, None


def sentence_case(text: str) -> str:
    """``ỦY BAN NHÂN DÂN THỊ TRẤN CHỢ VÀM`` → ``Ủy ban nhân dân thị trấn Chợ Vàm``.

    Lower-cases an all-capitals heading, keeps acronyms (UBND, TTHC), capitalises the first
    word and the place name after an administrative unit (tỉnh, huyện, thị trấn ...).
    """
    text = squash(normalize_text(text))
    words = text.split(" ")
    letters = [c for c in text if c.isalpha()]
    all_caps = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if all_caps:
        words = [w if _is_acronym(w) else w.lower() for w in words]
    out = " ".join(words)
    if out:
        out = out[0].upper() + out[1:]
    if all_caps:
        # named bodies capitalise their field: "Sở Giáo dục và Đào tạo", "Phòng Nội vụ"
        out = regex.sub(
            r"^((?:Sở|Bộ|Phòng|Cục|Chi cục|Ban|Trung tâm|Văn phòng|Tổng cục) )(\p{L})"
            r"|(?<=^(?:Sở|Bộ|Phòng|Cục|Ban|Tổng cục) .* và )(\p{L})",
            lambda m: (m.group(1) or "") + (m.group(2) or m.group(3)).upper(), out,
        )
        for unit in ADMIN_UNITS:
            out = regex.sub(
                rf"(?<=\b{unit} )(\p{{L}}+(?: \p{{L}}+){{0,3}})",
                lambda m: " ".join(w[:1].upper() + w[1:] for w in m.group(1).split(" ")),
                out,
            )
    return out


def _is_acronym(word: str) -> bool:
    core = regex.sub(r"[^\p{L}]", "", word)
    return 2 <= len(core) <= 8 and core in KNOWN_ACRONYMS


KNOWN_ACRONYMS = {
    "UBND", "HĐND", "TTHC", "THPT", "GDTX", "TTATGT", "HS", "SV", "CNTT", "VPCP", "KSTT",
    "CB", "GV", "NV", "CTSV", "TN", "PA83", "GDĐT", "LĐTBXH", "TP", "VP",
}


def expand_abbreviations(text: str) -> str:
    for pattern, full in ABBREVIATIONS:
        text = regex.sub(pattern, full, text)
    return text


@dataclass
class TextLine:
    """A line of page text with the region the layout stage put it in."""

    text: str
    region: Region
    confidence: float = 100.0  # mean word confidence; 100 for text without OCR
    box: Box | None = None  # where on the page (None for text without layout)
    lowest: float = 100.0  # its least sure word's confidence: one bad word in a sure line


def page_lines(page: Page) -> list[TextLine]:
    if page.plain_text is not None or not page.blocks:  # text without boxes: zoned by words
        texts = [squash(t) for t in page.text.splitlines() if t.strip()]
        return [TextLine(t, region) for t, region in
                zone_text(texts, first_page=page.number == 1, last_page=True)]
    out: list[TextLine] = []
    for block in page.blocks:
        if block.table is not None:  # a row is one line of text, its cells apart
            out += [TextLine(squash(row.text), block.region, row.confidence, row.box,
                             _lowest(row.words)) for row in block.table.rows if row.words]
            continue
        out += [TextLine(squash(line.text), block.region, line.confidence, line.box,
                         _lowest(line.words)) for line in block.lines if line.text.strip()]
    return out


def _lowest(words: list) -> float:
    return min((w.confidence for w in words if w.text.strip()), default=100.0)


def strip_item(text: str) -> str:
    """``- Như trên;`` → ``Như trên``."""
    return squash(regex.sub(r"^[\-–+•*·]\s*", "", text).rstrip(";,. "))


def is_junk(text: str, confidence: float = 100.0) -> bool:
    """OCR of a stamp, a signature or a speck: few letters, odd symbols, low confidence."""
    text = text.strip()
    if confidence < 45:
        return True
    if not text:
        return True
    letters = sum(c.isalnum() or c.isspace() for c in text)
    odd = sum(c in "Œ†[]{}|`~^¬«»¿¡®©°\\" for c in text)
    return letters / len(text) < 0.6 or odd >= 2


def drop_junk_tokens(text: str) -> str:
    """Remove tokens a stamp or a scribble left in a line (``Ngy:Œ† [O112021.|``): those
    with symbols no Vietnamese text uses, or letters from other alphabets."""
    from pipeline.core.syllables import is_junk_token

    return squash(" ".join(t for t in text.split() if not is_junk_token(t)))
