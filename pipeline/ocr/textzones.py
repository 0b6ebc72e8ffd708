"""Regions for text without boxes: Decree 30/2020's fixed elements found fuzzily, and the
two header columns — and the two closing columns — cut apart where another OCR engine
wrote them on one line.

An export from another engine reads ``ỦY BAN NHÂN DÂN TỈNH  CQNG HOA XA HOI CHU NGHIA VIPT
NAM`` and ``Số: 12/KH-UBND   Hd Ti€n, ,gdy!9 thdng 02 ndm 2024``. The Quốc hiệu, the Tiêu
ngữ and the date line are located with rapidfuzz (partial alignment on folded text, digits
OCR writes for letters read back as letters); what stands before them on the line is the
issuer's column. In the closing, each ``- recipient;`` of Nơi nhận ends at its ``;`` or
``.``, and what follows on the line is the signature column.
"""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from pipeline.core.document import Region
from pipeline.core.syllables import fold

MOTTO = "cong hoa xa hoi chu nghia viet nam"
SLOGAN = "doc lap tu do hanh phuc"
RECEIVERS = "noi nhan"
MIN_SCORE = 75.0
HEADER_DEPTH = 16  # lines of page one searched for the header's right column
# letters an English model writes as digits or symbols (c6ng, Ti€n, thri, !9)
READ_BACK = str.maketrans({"6": "o", "0": "o", "€": "e", "!": "i", "|": "l", "@": "a",
                           "5": "s", "3": "e"})
# "<Place>, ngày 19 tháng 02 năm 2024" however garbled: a comma, a short word, two small
# numbers and a year that ends the line (the date line is the right column's last text)
DATE_TAIL = regex.compile(r",[^\n\d]{0,10}\d{1,2}\D{1,14}?\d{1,2}\D{1,12}?(?:19|20)\d\d\W{0,3}$")
BODY_START = regex.compile(r"^\W{0,2}(can\s*cu|thuc\s*hien|kinh\s*gui|theo\s|xet\s)")
NUMBER_LABEL = regex.compile(r"^\W{0,3}s[o0-9ebdq]{0,2}\s*[:;.]|^\W{0,3}so\s+\d")
ITEM_END = regex.compile(r"^\s*[-+•*]\s*[^;]*?(?:;|\.(?=\s|$))")


PLACE_WORD = r"\p{Lu}(?=[\p{L}\d€!]*\p{Ll})[\p{L}\d€!]*"
# a digit or symbol inside a word (c6ng, th6ng, Ti€n), never one beside another digit
IN_WORD = regex.compile(r"(?<=[a-z])[6035!€|@](?![\d])|[6035!€|@](?=[a-z])(?<![\d][6035!€|@])")


def _key(text: str) -> str:
    """Folded text of the same length as ``text``, digits inside words read as letters."""
    key = fold(text)
    if len(key) != len(text):
        return key
    return IN_WORD.sub(lambda m: m.group(0).translate(READ_BACK), key)


def find_phrase(text: str, phrase: str, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Where a fixed phrase stands in a line (start, end), however OCR spelt it."""
    key = _key(text)
    if len(key) != len(text) or len(key) < len(phrase) * 0.6:
        return None
    found = fuzz.partial_ratio_alignment(phrase, key, score_cutoff=min_score)
    return (found.dest_start, found.dest_end) if found else None


def _date_start(text: str) -> int | None:
    """Where the date line (its place name) begins in a line, or None."""
    key = _key(text)
    match = DATE_TAIL.search(key if len(key) == len(text) else text)  # th6ng: 6 is an o
    if not match:
        return None
    before = text[: match.start()]
    # the place: up to four words just before the comma, each opening with a capital and
    # holding a small letter (the issuer's words to the left of it are all capitals; OCR
    # glues or mis-cases a place: ThuaThien, NghQ An)
    place = regex.search(rf"(?:(?<!\S){PLACE_WORD}\.?\s+){{0,3}}(?<!\S){PLACE_WORD}\s*$", before)
    return place.start() if place else None  # "…, ngày 19 tháng 6 năm 2015" in a sentence


def _cut(text: str) -> tuple[str, str]:
    """A header line as (left column, right column)."""
    starts = [span[0] for span in (find_phrase(text, MOTTO), find_phrase(text, SLOGAN))
              if span]
    date = _date_start(text)
    if date is not None:
        starts.append(date)
    if not starts:
        return text, ""
    at = min(starts)
    while at > 0 and not text[at - 1].isspace():  # a phrase found from inside its first word
        at -= 1
    return text[:at].rstrip(), text[at:].strip()


def zone_text(lines: list[str], first_page: bool, last_page: bool
              ) -> list[tuple[str, Region]]:
    """Each piece of text with its region, in reading order: the left header column, the
    right one, the body, Nơi nhận, the signature column."""
    header_end = 0
    if first_page:
        for i, line in enumerate(lines[:HEADER_DEPTH]):
            if BODY_START.match(_key(line)):
                break  # Căn cứ, Thực hiện, Kính gửi: the body has begun
            if _cut(line)[1]:
                header_end = i + 1
        # the issuer's name wrapped below the date line, then Số: still belong to the header
        numbered = any(NUMBER_LABEL.match(_key(line)) for line in lines[:header_end])
        while header_end and not numbered and header_end < len(lines):
            line = lines[header_end]
            words = _key(line).split()
            if NUMBER_LABEL.match(_key(line)):
                header_end += 1
                break
            if not words or len(words) > 6 or not line.isupper():
                break
            header_end += 1
    closing_start = len(lines)
    if last_page:
        for i in range(len(lines) - 1, max(-1, len(lines) - 40), -1):
            span = find_phrase(lines[i][:20], RECEIVERS, 80)
            if span and span[0] <= 3:
                closing_start = i
                break
    left: list[tuple[str, Region]] = []
    right: list[tuple[str, Region]] = []
    for line in lines[:header_end]:
        a, b = _cut(line)
        left += [(a, Region.HEADER_LEFT)] if a else []
        right += [(b, Region.HEADER_RIGHT)] if b else []
    body = [(line, Region.BODY) for line in lines[header_end:closing_start]]
    receivers: list[tuple[str, Region]] = []
    signature: list[tuple[str, Region]] = []
    for line in lines[closing_start:]:
        a, b = _cut_closing(line)
        receivers += [(a, Region.CLOSING_LEFT)] if a else []
        signature += [(b, Region.CLOSING_RIGHT)] if b else []
    return left + right + body + receivers + signature


def _cut_closing(text: str) -> tuple[str, str]:
    """A closing line as (Nơi nhận item, signature column)."""
    label = find_phrase(text[:20], RECEIVERS, 80)
    if label and label[0] <= 3:
        end = text.find(":", label[1] - 1)
        end = label[1] if end < 0 or end > label[1] + 3 else end + 1
        return text[:end].strip(), text[end:].strip()
    item = ITEM_END.match(text)
    if item:
        return item.group(0).strip(), text[item.end():].strip()
    return "", text.strip()  # a line of the signature column alone: the name, a title
