"""The received stamp (dấu ĐẾN / CÔNG VĂN ĐẾN) a receiving office puts on a letter.

It carries the receiver's own registry number and date (``ĐẾN Số: 1046 Ngày: 20/3/2024``),
which are not the document's: they go to ``received`` and nowhere else. The stamp is found as
the lines opened by ``ĐẾN`` in capitals (or ``CÔNG VĂN ĐẾN``) in the upper part of page 1.
"""

from __future__ import annotations

import regex

from extractors.common import TextLine, find_date
from pipeline.core.syllables import fold

STAMP_RE = regex.compile(r"(?:^|\s)(?:CÔNG\s+VĂN\s+)?ĐẾN\b")
STAMP_NUMBER_RE = regex.compile(r"s[oô6]\s*[:.]?\s*(\d{1,6})(?![\d/])", regex.IGNORECASE)
STAMP_DATE_RE = regex.compile(r"ngay\s*[:.]?\s*(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4})")


def stamp_lines(lines: list[TextLine]) -> list[int]:
    """Indexes of the lines of a received stamp in the top 40 lines (the ĐẾN line and the two
    after it, which hold its Số and Ngày)."""
    for i, line in enumerate(lines[:40]):
        if STAMP_RE.search(line.text):
            return list(range(i, min(len(lines), i + 3)))
    return []


def find_received(lines: list[TextLine]) -> dict | None:
    at = stamp_lines(lines)
    if not at:
        return None
    text = " ".join(lines[i].text for i in at)
    number = STAMP_NUMBER_RE.search(fold(text))
    when = STAMP_DATE_RE.search(fold(text))
    iso = None
    if when:
        day, month, year = regex.split(r"\s*[/.-]\s*", when.group(1))
        if len(year) == 2:
            year = "20" + year
        iso, _ = find_date(f"{day}/{month}/{year}")
    if number is None and iso is None:
        return None
    return {"number": number.group(1) if number else None, "date": iso}
