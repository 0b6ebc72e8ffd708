"""Nhiệm vụ from task tables: column roles from the header, one task per body row.

The layout stage gives each table as cells (document.Table). The header names the columns
however a drafter worded them and in any order (extractors/columns); rows that are section
titles (``I. Nhiệm vụ chung``, one cell across the table) become the group of the tasks
beneath them.
"""

from __future__ import annotations

from typing import Any

import regex

from extractors.assignment import WORK
from extractors.columns import Column, classified_tables, row_values
from extractors.common import page_lines, squash
from extractors.deadlines import due_date
from extractors.organisations import split_organisations
from extractors.text_tables import TextRow, text_tables
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
    for page in document.pages:
        if page.plain_text is not None:
            rows, _ = text_tables([line.text for line in page_lines(page)])
            tasks += [t for t in (_text_task(r, page.number, year) for r in rows) if t]
    return tasks


# a deadline cell's words wherever the interleaving left them in the row
TEXT_DEADLINE = regex.compile(
    r"(?:Trước|Chậm nhất)\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|"
    r"Tháng\s+\d{1,2}(?:\s*/\s*\d{4}|\s+năm\s+\d{4})?|Quý\s+[IV1l]{1,3}(?:\s+năm)?(?:\s+\d{4})?|"
    r"Thường(?=\W+(?:\S+\W+){0,6}?xu[yâ])|(?:Hàng|Hằng|Định kỳ)\s+(?:tháng|quý|năm)", regex.I)


def _text_task(row: TextRow, page: int, year: int | None) -> dict[str, Any] | None:
    """A task from a row of a text table (extractors/text_tables)."""
    rest = " ".join(row.rest)
    deadline = TEXT_DEADLINE.search(rest)
    phrase = deadline.group(0) if deadline else None
    if phrase and phrase.lower() == "thường":
        phrase = "Thường xuyên"
    elif phrase and not regex.search(r"\d{4}", phrase) and \
            (year_after := regex.search(r"(?<!\d)20\d\d(?!\d)", rest[deadline.end():][:40])):
        # the cell's next line, read after the other columns' pieces: "Quý I năm" … "2024"
        phrase = f"{phrase.removesuffix(' năm')} năm {year_after.group(0)}"
    task = _task({"content": _clean_cell(" ".join(row.content)),
                  "lead": _clean_cell(" ".join(row.lead)), "deadline": phrase}, page, year)
    if task:
        task["group"] = row.group
    return task


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


# a paper the next column lists (Hồ sơ, Sản phẩm), run into the lead's cell when the
# rule between them was not seen: "Phòng Đào tạo Đề án tuyển sinh, …", "CTSV Quyết định
# phê duyệt …"; a paper with a number is a name ("Tổ công tác Đề án 06") and stays
# ("Sở Kế hoạch và Đầu tư", "Phòng Kế hoạch tài chính", "Phòng Tài chính - Kế hoạch huyện"
# are bodies: the paper's word right after a body's head word, a dash or before "và" is not cut)
PAPER_IN_LEAD = regex.compile(
    r"(?<=\S)(?<![-–])\s+(?=(?:Đề án|Bản|Danh sách|Quyết định|QĐ|Kế hoạch|Hồ sơ|Báo cáo|Công văn|"
    r"Tờ trình|Thông báo|Biên bản)\s+(?!và\b)\p{Ll})")
BODY_HEAD_WORD = regex.compile(r"(?:^|\s)(?:Sở|Phòng|Ban|Bộ|Cục|Chi cục|Trung tâm|Văn phòng|Tổ|Viện|"
                               r"Hội đồng|Ủy ban|Uỷ ban)$")


def _lead_cell(text: str) -> str:
    for cut in PAPER_IN_LEAD.finditer(text):
        if not BODY_HEAD_WORD.search(text[: cut.start()]):
            return text[: cut.start()]
    return text


def _clean_cell(text: str) -> str:
    """Compound names are spaced around their dash (Văn hóa - Xã hội); OCR loses a space.
    Codes (QĐ-UBND) have capitals on both sides and are left alone."""
    return squash(regex.sub(r"(?<=\p{Ll})\s*-\s*(?=\p{Lu})", " - ", text))


def _task(row: dict[str | None, str], page: int, year: int | None) -> dict[str, Any] | None:
    content = normalize_text(row.get("content") or "").strip(" |")
    if len(content) < 3 or SECTION_RE.match(content) and not row.get("lead"):
        return None
    # a row that names no one and no work is no task (TASKS.md): a schedule's "Nội dung 8",
    # "Từ nội dung 1 - 7" pointing at the rows above
    if not (row.get("lead") or "").strip(" |") and not WORK.search(content.lower()):
        return None
    deadline = normalize_text(row.get("deadline") or "") or None
    # the lead cell may name several bodies: the first leads (chủ trì), the others partner
    leads = split_organisations(_lead_cell(normalize_text(row.get("lead") or "")))
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
