"""Nhiệm vụ from task tables: column roles from the header, one task per body row.

The layout stage gives each table as cells (document.Table). The header names the columns
however a drafter worded them and in any order (extractors/columns); rows that are section
titles (``I. Nhiệm vụ chung``, one cell across the table) become the group of the tasks
beneath them.
"""

from __future__ import annotations

from typing import Any

import regex

from extractors.columns import Column, classified_tables, row_values
from extractors.common import squash
from extractors.deadlines import due_date
from extractors.organisations import split_organisations
from pipeline.core.document import Document, Row
from pipeline.core.restore import normalize_text

SECTION_RE = regex.compile(r"^([IVX]+|[A-Z]|\d+)\.\s+\S")
SECTION_NUMBER = regex.compile(r"^([IVXL]+|[A-ZĐ])\.?$")  # I, II, A: a group, not a task


def find_tasks(document: Document, year: int | None = None) -> list[dict[str, Any]]:
    """One task per body row of every task table (extractors/columns finds which are)."""
    tasks: list[dict[str, Any]] = []
    for page, table, kind, columns in classified_tables(document):
        if kind != "tasks":
            continue
        group = None
        for row in table.body_rows:
            cells = {c.col: _clean_cell(c.text) for c in row.cells if c.text}
            section = _section(row, columns)
            if section:
                group = section
                continue
            task = _task(row_values(cells, columns), page, year)
            if task:
                box = row.box
                task["box"] = [box.x0, box.y0, box.x1, box.y1]  # provenance: the row
                task["confidence"] = round(row.confidence, 1)
                task["group"] = group
                tasks.append(task)
    return tasks


def _section(row: Row, columns: list[Column]) -> str | None:
    """A section row (``I | Nhiệm vụ chung``, or one cell across the table): its title."""
    filled = [c for c in row.cells if c.text]
    if not filled:
        return None
    roles = {columns[c.col].role for c in filled if c.col < len(columns)}
    first = filled[0].text.strip()
    if len(filled) == 1 and (filled[0].col_span > 1 or SECTION_RE.match(first)):
        return normalize_text(first)
    if len(filled) == 2 and SECTION_NUMBER.match(first) and (
            filled[1].col_span > 1 or roles <= {"number", "content"}):
        return normalize_text(f"{first}. {filled[1].text.strip()}")
    return None


def _clean_cell(text: str) -> str:
    """Compound names are spaced around their dash (Văn hóa - Xã hội); OCR loses a space.
    Codes (QĐ-UBND) have capitals on both sides and are left alone."""
    return squash(regex.sub(r"(?<=\p{Ll})\s*-\s*(?=\p{Lu})", " - ", text))


def _task(row: dict[str | None, str], page: int, year: int | None) -> dict[str, Any] | None:
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
        "due_date": due_date(deadline, year),
        "output": normalize_text(row.get("output") or "") or None,
        "page": page,
    }
