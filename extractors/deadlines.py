"""Thời hạn: a deadline as written → the last day it allows (ISO), or None.

``Tháng 6/2024`` → 2024-06-30, ``Quý III năm 2024`` → 2024-09-30, ``Trước ngày 15/12/2024``
→ 2024-12-15, ``Từ tháng 02 đến tháng 6 năm 2024`` → 2024-06-30, ``Năm 2024`` →
2024-12-31, ``Thường xuyên`` (ongoing) → None.
"""

from __future__ import annotations

import calendar

import regex

from extractors.common import find_date, fold, iso_date

# the roman numeral as OCR leaves it: each I a vertical stroke read as l, 1, |, !, t or j,
# two of them touching read as H, a space between them now and then (Quý IIl, Quý TII,
# Quý lI i)
QUARTER_RE = regex.compile(
    r"quy\s*((?:[il1|!tjh]\s?){1,4}(?=[\sv/]|$)v?|[1-4])\b\D{0,8}(\d{4})")
MONTH_RE = regex.compile(r"thang\s*(\d{1,2})(?:\s*/\s*|\D{1,8})(\d{4})")
YEAR_RE = regex.compile(r"^(?:ngay\s+)?(?:trong\s+)?nam\s*(\d{4})$")


def _month_end(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return iso_date(calendar.monthrange(year, month)[1], month, year)


def _quarter(numeral: str) -> int | None:
    """1-4 from a quarter's numeral as read, counting its strokes; None when they make no
    quarter (five strokes: a guess would be wrong as often as right)."""
    if numeral.isdigit():
        return int(numeral)
    strokes = sum(2 if c == "h" else 1 for c in numeral.rstrip("v"))
    if numeral.endswith("v"):
        return 4 if strokes == 1 else None
    return strokes if 1 <= strokes <= 3 else None


# a day without its year: "trước ngày 05/02", "trước 15 giờ 00 ngày 05 tháng 02"
DAY_MONTH_RE = regex.compile(r"ngay\s*(\d{1,2})\s*(?:/|thang\s*)(\d{1,2})(?!\s*(?:/|nam)\s*\d)")
# a week of a month: "Tuần 1, tháng 01/2021", "Tuần đầu tháng 3/2021", "Tuần I" (a 1 read
# as a roman I), "tuần cuối tháng 6 năm 2024"
WEEK_RE = regex.compile(r"tuan\s*(?P<week>dau|cuoi|thu\s*\d|[1-5]|[il|]{1,3}|iv|v)\b\D{0,12}?"
                        r"thang\s*(?P<month>\d{1,2})\s*(?:/|nam)\s*(?P<year>\d{4})")


def _week_end(week: str, month: int, year: int) -> str | None:
    """The week's seventh day, the month's last at most (``tuần cuối``: the last)."""
    end = _month_end(year, month)
    week = week.removeprefix("thu").strip()
    if end is None or week == "cuoi":
        return end
    number = 1 if week == "dau" else int(week) if week.isdigit() else \
        {"iv": 4, "v": 5}.get(week, len(week))
    return iso_date(min(7 * number, int(end[-2:])), month, year)


PERIODIC_RE = regex.compile(r"\b(?:hang|dinh ky)\s*(?:tuan|thang|quy|nam|ngay)\b")


def due_date(deadline: str | None, year: int | None = None) -> str | None:
    """The last day ``deadline`` allows; ``year`` (the document's) completes a day or month
    written without one. A periodic deadline (``chậm nhất ngày 20 hằng tháng``) has none."""
    if not deadline:
        return None
    text = fold(deadline).strip(" .;")
    if text.startswith(("thuong xuyen", "hang nam", "hang quy", "hang thang", "lien tuc")) or \
            PERIODIC_RE.search(text):
        return None
    if "den" in text:  # a span ("từ ngày 12/9/2025 đến hết ngày 28/9/2025") ends on its last day
        iso, _ = find_date(deadline[fold(deadline).rindex("den"):])
        if iso:
            return iso
    iso, _ = find_date(deadline)  # an exact day: ngày 15/12/2024, chậm nhất ngày ...
    if iso:
        return iso
    if match := WEEK_RE.search(text):  # "Tuần 2, tháng 01/2021": its seventh day at the latest
        return _week_end(match["week"], int(match["month"]), int(match["year"]))
    if year and (match := DAY_MONTH_RE.search(text)):
        return iso_date(match.group(1), match.group(2), str(year))
    if year and not regex.search(r"\d{4}", text) and \
            (match := regex.search(r"thang\s*(\d{1,2})(?!\s*(?:/|nam)?\s*\d)", text)):
        return _month_end(year, int(match.group(1)))
    months = MONTH_RE.findall(text)
    if months:  # "từ tháng 02 đến tháng 6 năm 2024": the last month named
        year = int(months[-1][1])
        last = [int(m) for m, _ in months][-1]
        if "den thang" in text:
            last = int(regex.findall(r"den\s*thang\s*(\d{1,2})", text)[-1])
        return _month_end(year, last)
    match = QUARTER_RE.search(text)
    if match:
        quarter = _quarter(match.group(1).replace(" ", ""))
        return _month_end(int(match.group(2)), quarter * 3) if quarter else None
    match = YEAR_RE.match(text)
    if match:
        return f"{match.group(1)}-12-31"
    return None
