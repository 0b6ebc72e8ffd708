"""Tables as the layout stage gives them, for extractor tests: cells from `|`-split rows."""

from pipeline.core.document import Box, Cell, Line, Row, Table, Word
from pipeline.ocr.cells import table_as_block


def table(rows: list[str], top: int = 0) -> Table:
    """A table whose row i holds the cells of ``rows[i].split("|")``; a row with fewer cells
    than the widest row spans its last cell over the rest (a section title)."""
    split = [[c.strip() for c in row.split("|")] for row in rows]
    width = max(len(r) for r in split)
    out = []
    for r, cells in enumerate(split):
        row_cells = []
        for c, text in enumerate(cells):
            box = Box(100 * c, top + 40 * r, 100 * c + 90, top + 40 * r + 30)
            words = [Word(t, box, 90.0) for t in text.split()]
            span = width - c if c == len(cells) - 1 else 1
            row_cells.append(Cell([Line(words)] if words else [], r, c, 1, span, box))
        out.append(Row(row_cells))
    block = table_as_block(Table(out, width, Box(0, top, 100 * width, top + 40 * len(rows))))
    return block.table
