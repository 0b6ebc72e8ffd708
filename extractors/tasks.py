"""Nhiệm vụ from task tables: column roles from the header row, one task per row.

The layout stage gives a table as lines of cells joined by `` | ``. The header row names
the columns however a drafter worded them (Nội dung / Nhiệm vụ; Cơ quan chủ trì / Đơn vị
thực hiện; Thời gian hoàn thành / Thời hạn ...); rows that are section titles (``I. ...``)
are carried into the tasks beneath them.
"""

from __future__ import annotations

from typing import Any

import regex

from extractors.common import fold, squash
from extractors.deadlines import due_date
from extractors.organisations import split_organisations
from pipeline.document import Document, Region, mean_confidence
from pipeline.layout import CELL_SEPARATOR
from pipeline.restore import normalize_text

ROLES = [  # (role, folded header words), most specific first
    ("partners", ("phoi hop",)),
    ("lead", ("chu tri", "co quan thuc hien", "don vi thuc hien", "thuc hien", "chiu trach")),
    ("deadline", ("thoi gian", "thoi han", "hoan thanh", "tien do")),
    ("output", ("ket qua", "san pham")),
    ("note", ("ghi chu",)),
    ("number", ("stt", "tt", "so tt")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "chi tieu", "hoat dong")),
]
SECTION_RE = regex.compile(r"^([IVX]+|[A-Z]|\d+)\.\s+\S")
# the value column of a target table: Đơn vị tính, Chỉ tiêu năm 2024, Kết quả năm 2023
VALUE_COLUMN = regex.compile(r"^(don vi tinh|(chi tieu|ket qua)( thuc hien| giao)? nam \d{4})")


def column_roles(header: list[str]) -> list[str | None] | None:
    """Role of each header cell, or None when this is not a task table."""
    roles: list[str | None] = []
    for cell in header:
        key = fold(cell)
        role = next((r for r, words in ROLES if any(key.startswith(w) or f" {w}" in f" {key}"
                                                    for w in words)), None)
        roles.append(role)
    if any(VALUE_COLUMN.match(fold(cell)) for cell in header):
        return None  # a chỉ tiêu table (extractors/targets.py), not tasks
    return roles if "content" in roles and ("lead" in roles or "deadline" in roles) else None


def find_tasks(document: Document) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    roles: list[str | None] | None = None
    for page in document.pages:
        for block in page.blocks:
            if block.region is not Region.TABLE:
                continue
            for line in block.lines:
                cells = [_clean_cell(c) for c in line.text.split(CELL_SEPARATOR.strip())]
                found = column_roles(cells)
                if found:  # a header row (repeated on a new page too)
                    roles = found
                    continue
                if fold(cells[0]) in ("stt", "tt", "so tt"):
                    roles = None  # the header of a table that holds no tasks
                    continue
                if roles is None or len(cells) != len(roles):
                    continue
                task = _task(dict(zip(roles, cells, strict=True)), page.number)
                if task:
                    box = line.box
                    task["box"] = [box.x0, box.y0, box.x1, box.y1]  # provenance: the row
                    task["confidence"] = round(mean_confidence(line.words), 1)
                    tasks.append(task)
    return tasks


def _clean_cell(text: str) -> str:
    """Compound names are spaced around their dash (Văn hóa - Xã hội); OCR loses a space.
    Codes (QĐ-UBND) have capitals on both sides and are left alone."""
    return squash(regex.sub(r"(?<=\p{Ll})\s*-\s*(?=\p{Lu})", " - ", text))


def _task(row: dict[str | None, str], page: int) -> dict[str, Any] | None:
    content = normalize_text(row.get("content") or "").strip(" |")
    if len(content) < 3 or SECTION_RE.match(content) and not row.get("lead"):
        return None
    deadline = normalize_text(row.get("deadline") or "") or None
    # the lead cell may name several bodies: the first leads (chủ trì), the others partner
    leads = split_organisations(normalize_text(row.get("lead") or ""))
    partners = leads[1:] + split_organisations(normalize_text(row.get("partners") or ""))
    return {
        "content": content,
        "lead": leads[0] if leads else None,
        "partners": partners,
        "deadline": deadline,
        "due_date": due_date(deadline),
        "output": normalize_text(row.get("output") or "") or None,
        "page": page,
    }
