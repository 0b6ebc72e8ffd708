"""Reading order from word boxes: header columns, body, tables, closing columns.

Stock Tesseract reads the two header columns (issuer | national motto) and the closing
columns (Nơi nhận | signature) as interleaved lines; here every OCR line is first cut at
column-sized gaps, then the page is zoned:

- header: from the top down to the first line that crosses the column split;
- closing: from the bottom up to the last line that crosses a (possibly different) split;
- tables: words inside a ruled grid, as a Table of cells (document.Table);
- body: everything else, top to bottom.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median

import regex

from pipeline.core.document import Block, Box, Cell, Line, Page, Region, Row, Table, Word
from pipeline.ocr.borderless import find_borderless
from pipeline.ocr.cells import cell_lines, table_as_block
from pipeline.ocr.tables import TableGrid
from pipeline.ocr.tesseract import OcrWord

# "Kính gửi" however OCR marked it (Kinh gui, Kính gủi): matched on the folded text
RECIPIENTS_LABEL = regex.compile(r"^\W{0,2}k[iíìỉĩị1l]nh\s*g[uưửúùủũụứừữự]\p{L}?i\b", regex.I)
# what a closing zone holds: "Nơi nhận", a signing authority, a signer's title
CLOSING_MARK = regex.compile(
    r"^\W*(n[o0]i\s*nh|(tm|kt|tl|tuq)\W)|chu\s*tich|giam\s*doc|truong\s*phong|"
    r"(thu|bo|cuc|vien|hieu)\s*truong|chanh\s*van|pho\s|luu\W"
)
SPLIT_RANGE = (0.30, 0.65)  # where the column split may lie, as a share of page width


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
    header, body, closing, split = zone(segments, width, first_page=number == 1)
    if closing and any(g.box.y1 > min(s.box.y0 for s in closing) for g in tables):
        body, closing = body + closing, []  # text above a table is never the closing
    blocks: list[Block] = []
    blocks += _column_blocks(header, width, Region.HEADER_LEFT, Region.HEADER_RIGHT, split)
    borderless, body = find_borderless(body, width)
    flow: list[tuple[int, Block]] = [(line.box.y0, Block([line], Region.BODY)) for line in body]
    flow += [(block.lines[0].box.y0, block) for block in borderless]
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
    """Cut lines where the gap between words is far wider than a space: two columns.

    A gap is a column gap when it is wider than 1.5 word heights, or wider than 0.7 heights
    and three times the line's own median spacing (Tesseract joins the header columns
    ``... ĐÀ NẴNG  CỘNG HÒA ...`` when the gutter is narrow).
    """
    heights = [w.box.height for line in lines for w in line.words]
    if not heights:
        return []
    height = median(heights)
    out: list[Line] = []
    for line in lines:
        gaps = [b.box.x0 - a.box.x1 for a, b in zip(line.words, line.words[1:], strict=False)]
        spacing = median(gaps) if len(gaps) >= 3 else None
        current = [line.words[0]]
        for gap, word in zip(gaps, line.words[1:], strict=True):
            wide = gap > 1.5 * height or (
                spacing is not None and gap > max(0.7 * height, 3 * max(spacing, 1))
            )
            if wide:
                out.append(Line(current))
                current = []
            current.append(word)
        out.append(Line(current))
    return out


def _fold_line(text: str) -> str:
    from pipeline.core.syllables import fold

    return fold(text.lower())


def _crosses(line: Line, x: float) -> bool:
    # Short fragments (page numbers, specks) never decide the zoning.
    return len(line.text) >= 4 and line.box.x0 < x < line.box.x1


def zone(segments: list[Line], width: int, first_page: bool = True
         ) -> tuple[list[Line], list[Line], list[Line], float | None]:
    """Split segments into header, body and closing zones (a header only on page one);
    also the x that splits the header columns."""
    if not segments:
        return [], [], [], None
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

    depths = [header_depth(x) for x in candidates] if first_page else [0]
    depth = max(depths)
    header = ordered[:depth] if depth >= 2 else []
    rest = ordered[len(header) :]
    split = None
    if header:
        split = median([x for x, d in zip(candidates, depths, strict=True) if d == depth])
        extra, rest = _extend_columns(rest, split, width)
        header += extra
    by_bottom = sorted(rest, key=lambda s: s.box.y1)
    cdepth = max((closing_depth(x) for x in candidates), default=0)
    closing = by_bottom[len(by_bottom) - cdepth :] if 2 <= cdepth < len(by_bottom) else []
    # a page that is nothing but two columns (e.g. a signature page): keep it as closing
    if cdepth == len(by_bottom) and header == [] and len(by_bottom) >= 2:
        closing = by_bottom
    if closing and not any(CLOSING_MARK.search(_fold_line(s.text)) for s in closing):
        closing = []  # two columns at the foot of a page, but no Nơi nhận nor signature
    closing_ids = {id(s) for s in closing}
    body = [s for s in rest if id(s) not in closing_ids]
    return header, body, closing, split


def _column_starts(lines: list[Line], split: float, width: int) -> list[float]:
    """Left edges shared by three or more lines near the split: a column begins there."""
    edges = sorted(line.box.x0 for line in lines if abs(line.box.x0 - split) < 0.1 * width)
    starts: list[float] = []
    for x in edges:
        near = [e for e in edges if abs(e - x) <= 10]
        if len(near) >= 3 and not any(abs(x - s) <= 10 for s in starts):
            starts.append(median(near))
    return starts


def _extend_columns(lines: list[Line], split: float, width: int) -> tuple[list[Line], list[Line]]:
    """Below the header, lines that still straddle the split only through a gutter
    (``V/v bảo đảm ...   1. Cô Hương gửi ...``) are cut there and kept in the header. A gutter
    is a gap of a word height near the split, or a word starting on the left edge that
    several lines of a right-hand column share (a narrow gutter looks like a space)."""
    starts = _column_starts(lines[:15], split, width)
    taken: list[Line] = []
    for i, line in enumerate(lines):
        if RECIPIENTS_LABEL.match(line.text):
            return taken, lines[i:]  # "Kính gửi:" opens the body of a letter
        if not _crosses(line, split) or any(abs(line.box.x0 - s) <= 10 for s in starts):
            taken.append(line)
            continue
        words = line.words
        height = median(w.box.height for w in words)
        cut = None
        for k, (a, b) in enumerate(zip(words, words[1:], strict=False)):
            gap = b.box.x0 - a.box.x1
            gutter = gap >= 1.0 * height and abs((a.box.x1 + b.box.x0) / 2 - split) < 0.05 * width
            aligned = gap > 0.3 * height and any(abs(b.box.x0 - s) <= 10 for s in starts)
            if gutter or aligned:
                cut = k + 1
        if cut is None:
            return taken, lines[i:]
        taken += [Line(words[:cut]), Line(words[cut:])]
    return taken, []


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


def _column_blocks(lines: list[Line], width: int, left: Region, right: Region,
                   split: float | None = None) -> list[Block]:
    if not lines:
        return []
    split = split or _best_split(lines, width)
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
    """Side by side on one row: overlapping in y, not in x (a scribble over a line is not
    part of it)."""
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    side_by_side = min(a.x1, b.x1) - max(a.x0, b.x0) <= 0
    return overlap > 0.5 * min(a.height, b.height) and side_by_side


def _merge_body(flow: list[tuple[int, Block]]) -> list[Block]:
    """Consecutive body lines form one block; tables stay blocks of their own."""
    blocks: list[Block] = []
    for _, block in flow:
        if block.region is Region.BODY and blocks and blocks[-1].region is Region.BODY:
            blocks[-1].lines.extend(block.lines)
        else:
            blocks.append(Block(list(block.lines), block.region, block.table))
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
    """The ruled table as a Table (cells with their spans and boxes) in a TABLE block."""
    slots: dict[tuple[int, int], list[Word]] = defaultdict(list)
    for word in words:
        if set(word.text) <= set("_—"):
            continue  # what is left of an erased rule
        slot = grid.cell_of(word.box.cx, word.box.cy)
        if slot is not None:
            slots[slot].append(word)
    n_rows, n_cols = len(grid.row_edges) - 1, len(grid.col_edges) - 1
    rows: list[Row] = []
    for r in range(n_rows):
        cells = []
        for c in range(n_cols):
            if grid.origin(r, c) != (r, c):
                continue  # covered by a merged cell that starts above or to the left
            row_span, col_span = grid.span(r, c)
            cells.append(Cell(cell_lines(slots.get((r, c), [])), r, c, row_span, col_span,
                              grid.cell_box(r, c)))
        rows.append(Row(cells))
    return table_as_block(Table(rows, n_cols, grid.box, ruled=True))
