"""Tasks and targets to an Excel workbook (openpyxl): offices track both in Excel.

Every value comes from an untrusted scan, so none may become a live formula (OWASP, CSV
injection): in the workbook text cells are typed as text, whatever they begin with; in CSV
(which has no types) a text value that a spreadsheet would run gets a leading apostrophe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

# what a spreadsheet takes for the start of a formula (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def inert(value: Any) -> Any:
    """A value safe in a CSV cell: text a spreadsheet would run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value

TASK_COLUMNS = [("Số ký hiệu", "number"), ("Cơ quan ban hành", "issuer"), ("Nhiệm vụ", "content"),
                ("Chủ trì", "lead"), ("Phối hợp", "partners"), ("Thời hạn", "deadline"),
                ("Hạn (ngày)", "due_date"), ("Trang", "page"), ("Tệp", "source")]
TARGET_COLUMNS = [("Cơ quan", "issuer"), ("Số ký hiệu", "number"), ("Năm", "year"),
                  ("Chỉ tiêu", "indicator"), ("So sánh", "comparator"), ("Giá trị", "value"),
                  ("Đơn vị", "unit"), ("Loại", "kind"), ("Tệp", "source")]


def _sheet(book: Workbook, title: str, columns: list[tuple[str, str]],
           rows: list[dict[str, Any]], first: bool) -> None:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([label for label, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for _, key in columns:
            value = row.get(key)
            values.append("; ".join(value) if isinstance(value, list) else value)
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (openpyxl would make one of "=...")
    sheet.freeze_panes = "A2"
    for k, (label, key) in enumerate(columns):
        width = max([len(label)] + [len(str(r.get(key) or "")) for r in rows[:200]])
        sheet.column_dimensions[chr(ord("A") + k)].width = min(60, width + 2)


def write_workbook(path: Path, tasks: list[dict[str, Any]], targets: list[dict[str, Any]]) -> None:
    book = Workbook()
    _sheet(book, "Nhiệm vụ", TASK_COLUMNS, tasks, first=True)
    _sheet(book, "Chỉ tiêu", TARGET_COLUMNS, targets, first=False)
    book.save(path)
