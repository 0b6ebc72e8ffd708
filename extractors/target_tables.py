"""Chỉ tiêu from target tables, read by column role (extractors/columns), not by position.

A row gives its indicator and, for each value column, one target: a ``Kế hoạch`` /
``Chỉ tiêu năm 2024`` column a target, a ``Kết quả thực hiện`` / ``Ước thực hiện`` column an
actual figure (so a row of a report with both gives both kinds). A value cell is written in
many ways: ``Tối thiểu 80``, ``≥ 90 %``, ``90% trở lên``, ``Không quá 5``, ``100``.
"""

from __future__ import annotations

from typing import Any

import regex

from extractors.columns import Column
from extractors.common import fold, sentence_case, squash
from extractors.indicators import indicator_key, link_indicator
from extractors.organisations import split_organisations
from pipeline.core.document import Row, Table

NUMBER = r"(?P<value>\d{1,3}(?:[.,]\d{1,2})?)"
CELL_VALUE = regex.compile(rf"^(?P<before>[^\d]{{0,24}}?)\s*{NUMBER}\s*(?P<pct>%)?\s*(?P<after>.*)$")
# OCR reads ≥ as > and ≤ as <; a bound written "trên 45%" is a lower bound all the same
AT_MOST = regex.compile(r"toi\s*da|khong\s*qua|khong\s*vuot|duoi|[<≤]|tro\s*xuong")
AT_LEAST = regex.compile(r"toi\s*thieu|it\s*nhat|tren|[>≥]|tro\s*len|phan\s*dau\s*dat")
ROW_NUMBER = regex.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[a-zđ])[.)]?\s+(?=\p{L})")
KINDS = ("target", "actual")  # a value column's role is the kind of target it gives


def comparator(text: str) -> str:
    """``>=`` for tối thiểu / ít nhất / trở lên / ≥, ``<=`` for tối đa / không quá / ≤."""
    folded = fold(text)
    if AT_MOST.search(folded):
        return "<="
    if AT_LEAST.search(folded):
        return ">="
    return "="


def parse_value(text: str) -> tuple[float, str, bool] | None:
    """(value, comparator, written with %) of a value cell, or None when it holds no figure."""
    match = CELL_VALUE.match(squash(text))
    if not match:
        return None
    value = float(match["value"].replace(",", "."))
    if value > 100 and match["pct"]:
        return None
    return value, comparator(f"{match['before']} {match['after']}"), bool(match["pct"])


def table_targets(table: Table, columns: list[Column], page: int, year: int | None
                  ) -> list[dict[str, Any]]:
    """Every (row, value column) of a target table with a figure in it, as a target."""
    roles = [c.role for c in columns]
    if "indicator" not in roles:
        return []
    percent_unit = any(fold(c.text).strip() in ("%", "ty le (%)") for r in table.header_rows
                       for c in r.cells)
    targets = []
    for row in table.body_rows:
        wording = _cell(row, roles.index("indicator"))
        wording = ROW_NUMBER.sub("", wording).strip(" .,;:-")
        if len(indicator_key(wording)) < 8:
            continue  # a section row (I | Chỉ tiêu giao tại …) or an empty one
        unit = _cell(row, roles.index("unit")).strip() if "unit" in roles else ""
        responsible = _cell(row, roles.index("responsible")) if "responsible" in roles else ""
        for col, column in enumerate(columns):
            if column.role not in KINDS:
                continue
            parsed = parse_value(_cell(row, col))
            if parsed is None:
                continue
            value, cmp, pct = parsed
            if not (pct or unit == "%" or percent_unit or fold(wording).startswith("ty le")):
                continue  # percentage targets only: a count (số hồ sơ) is not one
            linked, _ = link_indicator(wording)
            target = {
                "indicator": linked.name if linked else sentence_case(wording),
                "value": value,
                "unit": "%",
                "comparator": cmp,
                "kind": column.role,
                "year": column.year or year,
                "responsible": split_organisations(responsible) if responsible else [],
                "page": page,
                "indicator_code": linked.code if linked else None,
                "wording": wording,
            }
            target.update(_provenance(row))
            targets.append(target)
    return targets


def _cell(row: Row, col: int) -> str:
    cell = row.cell_at(col)
    return cell.text if cell is not None and cell.col == col else ""


def _provenance(row: Row) -> dict[str, Any]:
    box = row.box
    return {"box": [box.x0, box.y0, box.x1, box.y1], "confidence": round(row.confidence, 1)}
