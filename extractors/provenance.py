"""Where each header field was read: page, box and OCR confidence of the lines holding it.

The extractors return values; this finds them again among the page's lines, so every
extractor need not carry boxes around. A value is matched to the line that covers most of
it (folded text, fuzzy), then to the adjacent lines that hold the rest of it (an issuer or a
trích yếu written over two lines). ``place`` comes from the date line (``Chợ Vàm, ngày …``),
which also names it.
"""

from __future__ import annotations

import regex
from rapidfuzz import fuzz

from extractors.common import TextLine, fold, page_lines
from pipeline.core.document import Box, Document, Region

HEADER_FIELDS = ("doc_type", "number", "issuer", "issuer_parent", "subject")
SIGNATURE_FIELDS = ("signer_name", "signer_title", "signing_authority")
SIGNATURE_REGIONS = {Region.CLOSING_RIGHT, Region.CLOSING_LEFT, Region.BODY}
MATCH = 85.0  # partial_ratio a line needs to count as holding (part of) a value
ABBREVIATIONS = [(regex.compile(r"\bubnd\b"), "uy ban nhan dan"),
                 (regex.compile(r"\bhdnd\b"), "hoi dong nhan dan")]


HEADER_LINES = 400  # lines of a page searched for its header fields


def _key(text: str) -> str:
    key = " ".join(regex.sub(r"[^a-z0-9/]+", " ", fold(text).lower()).split())
    for pattern, full in ABBREVIATIONS:
        key = pattern.sub(full, key)
    return key


def _score(needle: str, line: str) -> float:
    """How much of ``needle`` the line covers, penalised for text that is not the value."""
    if fuzz.partial_ratio(needle, line) < MATCH:
        return -1.0
    return min(len(line), len(needle)) - 0.3 * abs(len(line) - len(needle))


def _where(needle: str, numbered: list[tuple[int, TextLine]]) -> dict | None:
    keys = [_key(line.text) for _, line in numbered]
    scores = [_score(needle, k) if len(k) > 1 else -1.0 for k in keys]
    if not scores or max(scores) < 0:
        return None
    best = scores.index(max(scores))
    span = [best]
    for step in (-1, 1):  # neighbours on the same page holding more of a long value
        i = best + step
        while (0 <= i < len(keys) and numbered[i][0] == numbered[best][0]
               and len(" ".join(keys[j] for j in span)) < len(needle)
               and fuzz.partial_ratio(keys[i], needle) >= MATCH):
            span.append(i)
            i += step
    lines = [numbered[i][1] for i in sorted(span)]
    boxes = [line.box for line in lines if line.box is not None]
    return {
        "page": numbered[best][0],
        "box": list(_as_tuple(Box.union(boxes))) if boxes else None,
        "confidence": round(sum(line.confidence for line in lines) / len(lines), 1),
        "lowest": round(min(line.lowest for line in lines), 1),
    }


def _as_tuple(box: Box) -> tuple[int, int, int, int]:
    return (box.x0, box.y0, box.x1, box.y1)


def _date_needle(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"ngay {day} thang {month} nam {year}"


def locate_fields(document: Document, fields: dict) -> dict[str, dict]:
    """``{field: {"page", "box", "confidence"}}`` for every header and signature field
    found on the page; fields whose text cannot be found again are left out."""
    if not document.pages:
        return {}
    # a header sits in the first lines of its page (a printed page has ~40-80): a text
    # file of one huge page is not compared line by line to its end
    first = [(document.pages[0].number, line)
             for line in page_lines(document.pages[0])[:HEADER_LINES]]
    found: dict[str, dict] = {}
    for name in HEADER_FIELDS:
        if fields.get(name):
            where = _where(_key(fields[name]), first)
            if where:
                found[name] = where
    if fields.get("issued_date"):
        where = _where(_date_needle(fields["issued_date"]), first)
        if where:
            found["issued_date"] = where
            if fields.get("place"):
                found["place"] = where
    closing = [(page.number, line) for page in reversed(document.pages)
               for line in page_lines(page) if line.region in SIGNATURE_REGIONS][:HEADER_LINES]
    for name in SIGNATURE_FIELDS:
        if fields.get(name):
            where = _where(_key(fields[name]), closing)
            if where:
                found[name] = where
    return found
