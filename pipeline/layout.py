"""Reading order from word boxes: header columns, body, tables, closing columns.

Stock Tesseract reads the two header columns (issuer | national motto) and the closing
columns (Nơi nhận | signature) as interleaved lines; here every OCR line is first cut at
column-sized gaps, then the page is zoned:

- header: from the top down to the first line that crosses the column split;
- closing: from the bottom up to the last line that crosses a (possibly different) split;
- tables: words inside a ruled grid, serialised row by row, cells joined by `` | ``;
- body: everything else, top to bottom.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from pipeline.document import Block, Box, Line, Page, Region, Word
from pipeline.tables import TableGrid
from pipeline.tesseract import OcrWord

SPLIT_RANGE = (0.30, 0.65)  # where the column split may lie, as a share of page width
CELL_SEPARATOR = " | "


def build_page(
    number: int, width: int, height: int, dpi: int, words: list[OcrWord], tables: list[TableGrid]
) -> Page:
    page = Page(number=number, width=width, height=height, dpi=dpi, source="ocr")
    table_words: dict[int, list[Word]] = defaultdict(list)
    free: list[OcrWord] = []
    for ow in words:
        for ti, grid in enumerate(tables):
            if grid.cell_of(ow.word.box.cx, ow.word.box.cy) is not None:
                table_words[ti].append(ow.word)
                break
        else:
            free.append(ow)

    segments = split_at_gaps(group_lines(free))
    header, body, closing = zone(segments, width, first_page=number == 1)
    blocks: list[Block] = []
    blocks += _column_blocks(header, width, Region.HEADER_LEFT, Region.HEADER_RIGHT)
    flow: list[tuple[int, Block]] = [(line.box.y0, Block([line], Region.BODY)) for line in body]
    for ti, grid in enumerate(tables):
        block = table_block(grid, table_words.get(ti, []))
        if block.lines:
            flow.append((grid.box.y0, block))
    flow.sort(key=lambda item: item[0])
    blocks += _merge_body(flow)
    blocks += _column_blocks(closing, width, Region.CLOSING_LEFT, Region.CLOSING_RIGHT)
    page.blocks = [b for b in blocks if b.lines]
    return page


def group_lines(words: list[OcrWord]) -> list[Line]:
    """Tesseract's own lines, words left to right."""
    groups: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for ow in words:
        groups[(ow.block, ow.paragraph, ow.line)].append(ow.word)
    return [Line(sorted(ws, key=lambda w: w.box.x0)) for ws in groups.values()]


def split_at_gaps(lines: list[Line]) -> list[Line]:
    """Cut lines where the gap between words is far wider than a space: two columns."""
    heights = [w.box.height for line in lines for w in line.words]
    if not heights:
        return []
    gap_limit = 1.5 * median(heights)
    out: list[Line] = []
    for line in lines:
        current = [line.words[0]]
        for prev, word in zip(line.words, line.words[1:], strict=False):
            if word.box.x0 - prev.box.x1 > gap_limit:
                out.append(Line(current))
                current = []
            current.append(word)
        out.append(Line(current))
    return out


def _crosses(line: Line, x: float) -> bool:
    # Short fragments (page numbers, specks) never decide the zoning.
    return len(line.text) >= 4 and line.box.x0 < x < line.box.x1


def zone(segments: list[Line], width: int, first_page: bool = True
         ) -> tuple[list[Line], list[Line], list[Line]]:
    """Split segments into header, body and closing zones (a header only on page one)."""
    if not segments:
        return [], [], []
    ordered = sorted(segments, key=lambda s: s.box.y0)
    candidates = [width * (SPLIT_RANGE[0] + i * 0.01) for i in range(36)]

    def header_depth(x: float) -> int:
        for i, seg in enumerate(ordered):
            if _crosses(seg, x):
                return i
        return len(ordered)

    def closing_depth(x: float) -> int:
        for i, seg in enumerate(reversed(by_bottom)):
            if _crosses(seg, x):
                return i
        return len(by_bottom)

    depth = max(header_depth(x) for x in candidates) if first_page else 0
    header = ordered[:depth] if depth >= 2 else []
    rest = ordered[len(header) :]
    by_bottom = sorted(rest, key=lambda s: s.box.y1)
    cdepth = max((closing_depth(x) for x in candidates), default=0)
    closing = by_bottom[len(by_bottom) - cdepth :] if 2 <= cdepth < len(by_bottom) else []
    # a page that is nothing but two columns (e.g. a signature page): keep it as closing
    if cdepth == len(by_bottom) and header == [] and len(by_bottom) >= 2:
        closing = by_bottom
    closing_ids = {id(s) for s in closing}
    body = [s for s in rest if id(s) not in closing_ids]
    return header, body, closing


def _best_split(lines: list[Line], width: int) -> float:
    """The x inside SPLIT_RANGE crossed by no line, centred in the widest free gap."""
    free = [
        width * (SPLIT_RANGE[0] + i * 0.01)
        for i in range(36)
        if not any(_crosses(s, width * (SPLIT_RANGE[0] + i * 0.01)) for s in lines)
    ]
    if not free:
        return width / 2
    runs: list[list[float]] = [[free[0]]]
    for x in free[1:]:
        if x - runs[-1][-1] <= width * 0.011:
            runs[-1].append(x)
        else:
            runs.append([x])
    widest = max(runs, key=len)
    return (widest[0] + widest[-1]) / 2


def _column_blocks(lines: list[Line], width: int, left: Region, right: Region) -> list[Block]:
    if not lines:
        return []
    split = _best_split(lines, width)
    lefts = sorted((s for s in lines if s.box.cx < split), key=lambda s: (s.box.y0, s.box.x0))
    rights = sorted((s for s in lines if s.box.cx >= split), key=lambda s: (s.box.y0, s.box.x0))
    return [Block(_join_rows(lefts), left), Block(_join_rows(rights), right)]


def _join_rows(lines: list[Line]) -> list[Line]:
    """Segments of one column that sit on the same row become one line."""
    out: list[Line] = []
    for seg in lines:
        if out and _same_row(out[-1].box, seg.box):
            out[-1] = Line(sorted(out[-1].words + seg.words, key=lambda w: w.box.x0))
        else:
            out.append(seg)
    return out


def _same_row(a: Box, b: Box) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.height, b.height)


def _merge_body(flow: list[tuple[int, Block]]) -> list[Block]:
    """Consecutive body lines form one block; tables stay blocks of their own."""
    blocks: list[Block] = []
    for _, block in flow:
        if block.region is Region.BODY and blocks and blocks[-1].region is Region.BODY:
            blocks[-1].lines.extend(block.lines)
        else:
            blocks.append(Block(list(block.lines), block.region))
    for block in blocks:
        if block.region is Region.BODY:  # row by row, left to right, segments kept apart
            block.lines = _reading_order(block.lines)
    return blocks


def _reading_order(lines: list[Line]) -> list[Line]:
    rows: list[list[Line]] = []
    for seg in sorted(lines, key=lambda s: s.box.y0):
        if rows and _same_row(rows[-1][0].box, seg.box):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [seg for row in rows for seg in sorted(row, key=lambda s: s.box.x0)]


def table_block(grid: TableGrid, words: list[Word]) -> Block:
    """One line per table row; a cell's wrapped lines are joined with spaces, cells by " | "."""
    cells: dict[tuple[int, int], list[Word]] = defaultdict(list)
    for word in words:
        slot = grid.cell_of(word.box.cx, word.box.cy)
        if slot is not None:
            cells[slot].append(word)
    rows: list[Line] = []
    n_rows, n_cols = len(grid.row_edges) - 1, len(grid.col_edges) - 1
    for r in range(n_rows):
        row_words: list[Word] = []
        filled = [c for c in range(n_cols) if cells.get((r, c))]
        for k, c in enumerate(filled):
            cell_lines = _join_rows(
                [Line([w]) for w in sorted(cells[(r, c)], key=lambda w: (w.box.y0, w.box.x0))]
            )
            cell_lines.sort(key=lambda ln: ln.box.y0)
            cell_words = [w for ln in cell_lines for w in ln.words]
            if k > 0:
                sep_box = Box(cell_words[0].box.x0, cell_words[0].box.y0,
                              cell_words[0].box.x0, cell_words[0].box.y1)
                row_words.append(Word("|", sep_box, -1.0))
            row_words.extend(cell_words)
        if row_words:
            rows.append(Line(row_words))
    return Block(rows, Region.TABLE)
