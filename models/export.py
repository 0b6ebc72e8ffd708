"""Query answers to an Excel workbook (openpyxl): offices track tasks and targets in Excel.

Every value comes from an untrusted scan, so none may become a live formula (OWASP, CSV
injection): in the workbook text cells are typed as text, whatever they begin with; in CSV
(which has no types) a text value that a spreadsheet would run gets a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

# what a spreadsheet takes for the start of a formula (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(value: Any) -> Any:
    """A value safe in a CSV cell: text a spreadsheet would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value

WIDE = {"content", "subject", "snippet", "reason", "indicator", "review", "issuer",
        "lead", "partners", "sentence", "recipients", "review_state"}
# columns holding an ISO date: real date cells in the workbook, shown as an office writes them
DATES = {"issued_date", "due_date", "received_date", "date"}
DAY_FORMAT = "DD/MM/YYYY"


def _day(value: Any) -> Any:
    """An ISO date as a date (a real, sortable cell); anything else as it is."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_workbook(path: Path, title: str, columns: list[tuple[str, str]],
                   rows: list[dict[str, Any]]) -> None:
    """One sheet ``title`` of ``rows``: a bold header row with a filter on every column,
    frozen under the header, long text wrapped in columns of a readable width."""
    # imported here: every query prints through inert() and most never write a workbook
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([label for label, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = []
        for _, key in columns:
            value = row.get(key)
            if key in DATES:
                value = _day(value)
            values.append("; ".join(map(str, value)) if isinstance(value, list) else value)
        sheet.append(values)
        for cell, (_, key) in zip(sheet[sheet.max_row], columns, strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (openpyxl would make one of "=...")
            elif isinstance(cell.value, dt.date):
                cell.number_format = DAY_FORMAT
            if key in WIDE:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, sheet.max_row)}"
    for k, (label, key) in enumerate(columns, 1):
        width = max([len(label)] + [len(str(r.get(key) or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(k)].width = min(50 if key in WIDE else 24,
                                                                  width + 2)
    book.save(path)
