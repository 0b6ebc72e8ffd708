"""What each column of a table holds, from its header however it is worded or OCR'd.

Task tables (bảng phân công nhiệm vụ) and target tables (bảng chỉ tiêu) come in many orders
and wordings: ``Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành``, ``Nhiệm vụ |
Đơn vị thực hiện | Thời hạn | Sản phẩm``, ``Chỉ tiêu | ĐVT | Kế hoạch năm 2024 | Kết quả thực
hiện | Tỷ lệ (%)``. Each header cell (the header rows stacked, so a two-level header reads
``Kết quả thực hiện năm 2023``) is matched fuzzily (rapidfuzz, on folded text) against the
labels of every role; the best label over a threshold wins. Some words change meaning with
the table: ``Kết quả`` is a task's output (sản phẩm) but a target table's actual figure,
``Thực hiện`` a task's lead but a target table's actual — so the table's kind is decided
first, from roles only one kind has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz

from extractors.common import fold
from pipeline.core.document import Document, Table

# (role, folded labels): a label matches at the start of a header cell or inside it
TASK_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("partners", ("phoi hop", "co quan phoi hop", "don vi phoi hop")),
    ("lead", ("chu tri", "co quan chu tri", "don vi chu tri", "co quan thuc hien",
              "don vi thuc hien", "thuc hien", "chiu trach nhiem", "don vi")),
    ("deadline", ("thoi gian", "thoi han", "thoi gian hoan thanh", "tien do", "hoan thanh")),
    ("output", ("san pham", "ket qua", "hinh thuc van ban", "ket qua san pham")),
    ("note", ("ghi chu",)),
    ("content", ("noi dung", "nhiem vu", "cong viec", "hoat dong", "noi dung cong viec",
                 "ten nhiem vu", "giai phap")),
]
TARGET_ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("stt", "tt", "so tt")),
    ("unit", ("don vi tinh", "dvt")),
    ("ratio", ("ty le", "ty le %", "so sanh")),
    ("actual", ("ket qua", "ket qua thuc hien", "thuc hien", "uoc thuc hien", "uoc dat",
                "ket qua dat duoc", "da dat")),
    ("target", ("chi tieu giao", "ke hoach", "muc tieu", "chi tieu phan dau", "chi tieu nam",
                "phan dau")),
    ("responsible", ("co quan chu tri", "don vi chu tri", "don vi thuc hien", "chu tri",
                     "co quan thuc hien", "chiu trach nhiem", "don vi")),
    ("indicator", ("chi tieu", "ten chi tieu", "noi dung", "noi dung chi tieu")),
    ("deadline", ("thoi gian", "thoi han", "tien do")),
    ("note", ("ghi chu",)),
]
MATCH = 85.0  # partial ratio a header cell needs with one label
FIGURE = regex.compile(r"^\D{0,14}\d{1,3}(?:[.,]\d{1,2})?\s*%?\D{0,12}$")  # Tối thiểu 80, 95,5%
YEAR = regex.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass
class Column:
    role: str | None
    year: int | None = None  # "Kế hoạch năm 2024", "Kết quả 2023"


def header_texts(table: Table) -> list[str]:
    """Per column, the words of every header row above it (a spanned cell counts for each
    column it covers)."""
    texts = [""] * table.columns
    for row in table.rows:
        if not row.header:
            break  # the header rows on top; a header printed again lower down is not stacked
        for cell in row.cells:
            for col in range(cell.col, min(table.columns, cell.col + cell.col_span)):
                texts[col] = f"{texts[col]} {cell.text}".strip()
    return texts


def _role(text: str, roles: list[tuple[str, tuple[str, ...]]]) -> tuple[str | None, float]:
    key = " ".join(regex.sub(r"[^a-z0-9%]+", " ", fold(text)).split())
    if not key:
        return None, 0.0
    best: tuple[str | None, float, int] = (None, 0.0, 0)
    for role, labels in roles:
        for label in labels:
            if len(label) <= 3:  # stt, tt, dvt: a short code must be the whole word
                score = 100.0 if regex.search(rf"(?<![a-z]){label}(?![a-z])", key) else 0.0
            elif key.startswith(label):
                score = 101.0  # a header's first words name it: "Thời gian thực hiện"
            else:
                score = fuzz.partial_ratio(label, key) if len(key) >= len(label) - 1 else 0.0
            # the longer label wins a tie: "chi tieu giao" over "chi tieu"
            if (score, len(label)) > (best[1], best[2]) and score >= MATCH:
                best = (role, score, len(label))
    return best[0], best[1]


def column_roles(table: Table) -> tuple[str | None, list[Column]]:
    """The table's kind (``tasks``, ``targets`` or None) and each column's role."""
    texts = header_texts(table)
    if not any(texts):
        return None, []
    as_targets = [_role(t, TARGET_ROLES)[0] for t in texts]
    as_tasks = [_role(t, TASK_ROLES)[0] for t in texts]
    years = [int(m.group(1)) if (m := YEAR.search(t)) else None for t in texts]
    valued = {"unit", "target", "actual", "ratio"} & set(as_targets)
    targets = "indicator" in as_targets and valued and (
        "unit" in valued or _numeric(table, as_targets))
    tasks = "content" in as_tasks and {"lead", "deadline"} & set(as_tasks)
    if targets:  # a unit column, or figures under a value heading: chỉ tiêu, whatever else
        return "targets", [Column(r, y) for r, y in zip(as_targets, years, strict=True)]
    if tasks:
        return "tasks", [Column(r, y) for r, y in zip(as_tasks, years, strict=True)]
    return None, [Column(None) for _ in texts]


def _numeric(table: Table, roles: list[str | None]) -> bool:
    """The value columns of a target table hold figures in most body rows (a date or a
    quarter is a deadline, not a figure)."""
    cols = [i for i, r in enumerate(roles) if r in ("target", "actual", "ratio")]
    rows = table.body_rows
    if not rows or not cols:
        return False
    with_figure = sum(any(FIGURE.match((row.cell_at(c).text if row.cell_at(c) else "").strip())
                          for c in cols) for row in rows)
    return with_figure >= 0.5 * len(rows)


def row_values(row_cells: dict[int, str], columns: list[Column]) -> dict[str, str]:
    """Role → text of one body row (the first column of a role; later ones of the same role
    are joined to it, as a lead cell split over two columns)."""
    values: dict[str, str] = {}
    for col, column in enumerate(columns):
        text = row_cells.get(col, "").strip()
        if column.role is None or not text:
            continue
        values[column.role] = f"{values[column.role]} {text}" if column.role in values else text
    return values


def classified_tables(document: Document) -> Iterator[tuple[int, Table, str | None, list[Column]]]:
    """(page number, table, kind, column roles) of every table in reading order. A table
    with no header of its own that has as many columns as the one before continues it (a
    table over a page break whose header was not printed again) and takes its roles."""
    kind: str | None = None
    columns: list[Column] = []
    for page in document.pages:
        for table in page.tables:
            found_kind, found = column_roles(table)
            if found_kind is not None:
                kind, columns = found_kind, found
            elif table.header_rows or len(columns) != table.columns:
                kind, columns = None, found
            yield page.number, table, kind, columns
