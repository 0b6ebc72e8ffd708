"""Tables without rules (bảng không kẻ ô), found from how the words line up.

Some plans and reports print their chỉ tiêu table with no rules at all. Tesseract then
returns each visual row as several segments separated by wide gaps (the layout stage has
already cut lines at such gaps). A run of rows with three or more segments is a table: its
columns are the x ranges the words of those rows cover, with white rivers between them (a
section title spanning columns is placed by its words). A row with no word in the first
column continues the row above (a wrapped cell, or the second line of a header cell); a
segment whose words fall in two columns after the last table row ends the table.
"""

from __future__ import annotations

from pipeline.core.document import Block, Box, Cell, Line, Row, Table, Word
from pipeline.ocr.cells import cell_lines, table_as_block

MIN_ROWS = 3  # multi-segment rows needed to call a run a table
MIN_SEGMENTS = 3


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for seg in sorted(lines, key=lambda s: s.box.cy):
        if rows and abs(rows[-1][0].box.cy - seg.box.cy) < 0.5 * max(seg.box.height, 1):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [sorted(row, key=lambda s: s.box.x0) for row in rows]


def _columns(rows: list[list[Line]], min_gap: float) -> list[tuple[int, int]]:
    """Column x ranges: where the words of the table rows lie, split at white rivers at
    least ``min_gap`` wide that no word of those rows crosses."""
    spans = sorted((w.box.x0, w.box.x1) for row in rows for seg in row for w in seg.words
                   if any(c.isalnum() for c in w.text))  # not specks (_, |) that bridge rivers
    columns: list[list[int]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + min_gap:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _column_at(x: float, columns: list[tuple[int, int]]) -> int:
    return min(range(len(columns)), key=lambda i: 0 if columns[i][0] <= x <= columns[i][1]
               else min(abs(x - columns[i][0]), abs(x - columns[i][1])))


def _crosses(seg: Line, columns: list[tuple[int, int]]) -> bool:
    """A segment whose words lie in more than one column (a paragraph line, a title)."""
    return len({_column_at(w.box.cx, columns) for w in seg.words}) > 1


def find_borderless(lines: list[Line], width: int) -> tuple[list[Block], list[Line]]:
    """Borderless tables among body lines (as TABLE blocks) and the lines left over."""
    rows = _rows(lines)
    tables: list[Block] = []
    used: set[int] = set()
    i = 0
    while i < len(rows):
        if len(rows[i]) < MIN_SEGMENTS:
            i += 1
            continue
        # the multi-segment rows up to the next full-width line (a paragraph) give the columns
        stop = next((k for k in range(i, len(rows))
                     if len(rows[k]) == 1 and rows[k][0].box.width > 0.6 * width), len(rows))
        core = [row for row in rows[i:stop] if len(row) >= MIN_SEGMENTS]
        heights = sorted(w.box.height for row in core for seg in row for w in seg.words)
        columns = _columns(core, 0.8 * heights[len(heights) // 2]) if heights else []
        if len(core) < MIN_ROWS or len(columns) < MIN_SEGMENTS:
            i += 1
            continue
        last = max(k for k in range(i, stop) if len(rows[k]) >= MIN_SEGMENTS)
        end = last + 1
        while end < stop and not any(_crosses(seg, columns) for seg in rows[end]):
            end += 1  # wrapped cells of the last row
        body = rows[i:end]
        tables.append(_table_block(body, columns))
        used.update(id(seg) for row in body for seg in row)
        i = end
    return tables, [seg for seg in lines if id(seg) not in used]


def _table_block(rows: list[list[Line]], columns: list[tuple[int, int]]) -> Block:
    logical: list[list[list[Word]]] = []
    spans: list[dict[int, int]] = []  # per row: first column → columns a title spans
    for row in rows:
        cells: list[list[Word]] = [[] for _ in columns]
        spanned: dict[int, int] = {}
        for seg in row:
            words = [w for w in seg.words if not set(w.text) <= set("_—")]  # specks
            first = _column_at(words[0].box.cx, columns) if words else 0
            if first > 0 and _crosses(seg, columns):  # a section title over columns: one cell
                cells[first].extend(words)
                last = _column_at(words[-1].box.cx, columns)
                spanned[first] = max(spanned.get(first, 1), last - first + 1)
                continue
            for word in words:
                cells[_column_at(word.box.cx, columns)].append(word)
        if logical and not cells[0]:  # no number: this row continues the one above
            for k, words in enumerate(cells):
                logical[-1][k].extend(words)
        else:
            logical.append(cells)
            spans.append(spanned)
    table_rows: list[Row] = []
    for r, (cells, spanned) in enumerate(zip(logical, spans, strict=True)):
        out: list[Cell] = []
        c = 0
        while c < len(columns):
            width = spanned.get(c, 1)
            words = [w for k in range(c, c + width) for w in cells[k]]
            box = Box.union([w.box for w in words]) if words else None
            out.append(Cell(cell_lines(words), r, c, 1, width, box))
            c += width
        table_rows.append(Row(out))
    every = [w for cells in logical for words in cells for w in words]
    return table_as_block(Table(table_rows, len(columns), Box.union([w.box for w in every]),
                                ruled=False))
