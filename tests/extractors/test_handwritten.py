"""Deciding the pen-written số and ngày with constraints (extractors/handwritten.py)."""

from __future__ import annotations

import datetime as dt

from extractors.handwritten import decide_date, decide_number
from pipeline.core.document import Box, HandReading

BOX = Box(0, 0, 10, 10)


def _pen(field: str, *alternatives: tuple[str, float]) -> HandReading:
    return HandReading(field, list(alternatives), BOX)


def test_a_number_seen_again_elsewhere_wins_over_the_first_reading() -> None:
    reading = _pen("number", ("64", 0.55), ("04", 0.35))
    header = "Số: 64/CT-UBND"
    text = header + "\nThực hiện ...\nPhụ lục kèm theo Chỉ thị số 04/CT-UBND ngày 3/2/2024"
    number, confidence = decide_number("64/CT-UBND", reading, header, text)
    assert number == "04/CT-UBND"
    assert confidence >= 0.8


def test_a_number_read_once_keeps_the_reader_probability() -> None:
    reading = _pen("number", ("5710", 0.62), ("5110", 0.2))
    number, confidence = decide_number("5710/UBND-SGDĐT", reading, "Số: 5710/UBND-SGDĐT",
                                       "Số: 5710/UBND-SGDĐT\nKính gửi: các trường")
    assert number == "5710/UBND-SGDĐT"
    assert 0.5 < confidence < 0.9  # one reading, no other evidence: not "sure"


def test_printed_numbers_are_not_second_guessed() -> None:
    reading = HandReading("number", [("89", 0.97)], BOX, printed=True)
    assert decide_number("89/KH-UBND", reading, "Số: 89/KH-UBND", "") == ("89/KH-UBND", 0.97)


def test_day_and_month_must_make_a_calendar_date() -> None:
    day = _pen("day", ("31", 0.6), ("21", 0.3))
    month = _pen("month", ("2", 0.9))
    iso, confidence = decide_date("2024-02-01", day, month, None, "", [], [],
                                  today=dt.date(2026, 11, 30))
    assert iso == "2024-02-21"  # 31 February does not exist


def test_the_issue_date_is_not_after_the_digital_signature() -> None:
    day = _pen("day", ("28", 0.5), ("20", 0.45))
    month = _pen("month", ("8", 0.95))
    iso, _ = decide_date("2025-08-28", day, month, None, "", [], [dt.date(2025, 8, 21)],
                         today=dt.date(2026, 11, 30))
    assert iso == "2025-08-20"


def test_a_future_year_is_a_misread() -> None:
    day = _pen("day", ("01", 0.8))
    month = _pen("month", ("10", 0.8))
    iso, _ = decide_date("2055-10-01", day, month, None, "", ["2025-04-16"], [],
                         today=dt.date(2026, 11, 30))
    assert iso == "2025-10-01"


def test_a_central_number_gives_its_year() -> None:
    day = _pen("day", ("15", 0.9))
    iso, _ = decide_date("2023-06-15", day, None, "320/2025/NĐ-CP", "", [], [],
                         today=dt.date(2026, 11, 30))
    assert iso == "2025-06-15"


def test_printed_dates_leave_confidence_to_the_text() -> None:
    iso, confidence = decide_date("2024-03-05", None, None, None, "", [], [])
    assert iso == "2024-03-05" and confidence is None


def test_a_received_stamp_goes_to_received_only() -> None:
    from extractors.common import TextLine
    from extractors.received import find_received
    from pipeline.core.document import Region

    lines = [TextLine(t, Region.HEADER_RIGHT) for t in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 28 tháng 8 năm 2025", "ĐẾN Số: 1046", "Ngày: 03/9/2025")]
    assert find_received(lines) == {"number": "1046", "date": "2025-09-03"}
    assert find_received(lines[:3]) is None
