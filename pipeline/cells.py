"""Numeric table columns read again with a restricted character set, in one Tesseract call.

The STT column holds row numbers and roman section numerals (1, 2, I, II). Read with the
page, a lone ``I`` comes back as ``|`` and ``II`` as ``H``, and a rule remnant as ``_``.
Here the STT cells of a table are cropped, stacked into one strip with white gaps and read
once with a digits-and-numerals whitelist (no process per cell); each line read replaces
the text of the cell it came from.
"""

from __future__ import annotations

import numpy as np
import regex

from pipeline import tesseract
from pipeline.document import Block, Line, Region, Table, Word
from pipeline.settings import Settings
from pipeline.tables import TableGrid

NUMERALS = "-c tessedit_char_whitelist=0123456789IVX."
GAP = 40  # white pixels between stacked cells
NUMBER_HEADER = regex.compile(r"(?i)^(stt|tt|số tt)$")


def reread_number_column(block: Block, grid: TableGrid, image: np.ndarray, settings: Settings
                         ) -> None:
    table = block.table
    if table is None or table.columns < 2 or not table.rows:
        return
    head = table.rows[0].cell_at(0)
    if head is None or not NUMBER_HEADER.match(head.text):
        return
    targets = [cell for row in table.rows[1:] if (cell := row.cell_at(0)) is not None
               and cell.col == 0 and cell.col_span == 1 and cell.words and cell.box is not None]
    crops = []
    for cell in targets:
        margin = max(4, cell.box.width // 12)
        crop = image[cell.box.y0 + margin : cell.box.y1 - margin,
                     cell.box.x0 + margin : cell.box.x1 - margin]
        crops.append(crop)
    kept = [(cell, crop) for cell, crop in zip(targets, crops, strict=True) if crop.size]
    if not kept:
        return
    crops = [crop for _, crop in kept]
    width = max(c.shape[1] for c in crops) + 2 * GAP
    strip_parts = [np.full((GAP, width), 255, np.uint8)]
    for crop in crops:
        part = np.full((crop.shape[0], width), 255, np.uint8)
        part[:, GAP : GAP + crop.shape[1]] = crop
        strip_parts += [part, np.full((GAP, width), 255, np.uint8)]
    strip = np.vstack(strip_parts)
    found = tesseract.image_to_words(strip, dpi=300, language="eng", psm=6,
                                     extra_config=NUMERALS, timeout=settings.page_timeout)
    for (cell, _), (top, bottom) in zip(kept, _bands(crops), strict=True):
        text = "".join(w.word.text for w in found if top <= w.word.box.cy < bottom)
        if regex.fullmatch(r"(\d{1,3}(\.\d{1,2})*|[IVX]{1,4})\.?", text):
            conf = min(w.word.confidence for w in found if top <= w.word.box.cy < bottom)
            cell.lines = [Line([Word(text, cell.words[0].box, conf)])]
    block.lines = [Line(row.words) for row in table.rows if row.words]


def _bands(crops: list[np.ndarray]) -> list[tuple[int, int]]:
    """The y range of each crop in the stacked strip, gaps split half and half."""
    bands, y = [], GAP
    for crop in crops:
        h = crop.shape[0]
        bands.append((y - GAP // 2, y + h + GAP // 2))
        y += h + GAP
    return bands


def table_as_block(table: Table) -> Block:
    """A TABLE block whose lines are its rows' words (for the stages that read lines) and
    whose cells are the table."""
    table.mark_header()
    lines = [Line(row.words) for row in table.rows if row.words]
    return Block(lines, Region.TABLE, table=table)


def cell_lines(words: list[Word]) -> list[Line]:
    """A cell's words as text lines: clustered by vertical centre, then left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.box.cy):
        if rows and abs(word.box.cy - rows[-1][-1].box.cy) < 0.5 * max(word.box.height, 1):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [Line(sorted(row, key=lambda w: w.box.x0)) for row in rows]
