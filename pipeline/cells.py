"""Numeric table columns read again with a restricted character set, in one Tesseract call.

The STT column holds row numbers and roman section numerals (1, 2, I, II). Read with the
page, a lone ``I`` comes back as ``|`` and ``II`` as ``H``, and a rule remnant as ``_``.
Here the STT cells of a table are cropped, stacked into one strip with white gaps and read
once with a digits-and-numerals whitelist (no process per cell); each line read is put back
into the row whose cell it came from.
"""

from __future__ import annotations

import numpy as np
import regex

from pipeline import tesseract
from pipeline.document import Block, Line, Word
from pipeline.settings import Settings
from pipeline.tables import TableGrid

NUMERALS = "-c tessedit_char_whitelist=0123456789IVX."
GAP = 40  # white pixels between stacked cells
NUMBER_HEADER = regex.compile(r"(?i)^(stt|tt|số tt)$")


def _first_cell(line: Line) -> tuple[list[Word], int]:
    """The words of the row's first cell and the index of the separator after them."""
    for i, word in enumerate(line.words):
        if word.text == "|" and word.confidence < 0:
            return line.words[:i], i
    return line.words, len(line.words)


def reread_number_column(block: Block, grid: TableGrid, image: np.ndarray, settings: Settings
                         ) -> None:
    if not block.lines or len(grid.col_edges) < 3:
        return
    head, _ = _first_cell(block.lines[0])
    if not NUMBER_HEADER.match(" ".join(w.text for w in head)):
        return
    x0, x1 = grid.col_edges[0], grid.col_edges[1]
    margin = max(4, (x1 - x0) // 12)
    crops, rows = [], []
    for line in block.lines[1:]:
        words, _ = _first_cell(line)
        if not words:
            continue
        r = next((k for k in range(len(grid.row_edges) - 1)
                  if grid.row_edges[k] <= words[0].box.cy < grid.row_edges[k + 1]), None)
        if r is None:
            continue
        y0, y1 = grid.row_edges[r], grid.row_edges[r + 1]
        crop = image[y0 + margin : y1 - margin, x0 + margin : x1 - margin]
        if crop.size:
            crops.append(crop)
            rows.append(line)
    if not crops:
        return
    width = max(c.shape[1] for c in crops) + 2 * GAP
    strip_parts = [np.full((GAP, width), 255, np.uint8)]
    for crop in crops:
        part = np.full((crop.shape[0], width), 255, np.uint8)
        part[:, GAP : GAP + crop.shape[1]] = crop
        strip_parts += [part, np.full((GAP, width), 255, np.uint8)]
    strip = np.vstack(strip_parts)
    found = tesseract.image_to_words(strip, dpi=300, language="eng", psm=6,
                                     extra_config=NUMERALS, timeout=settings.page_timeout)
    for line, (top, bottom) in zip(rows, _bands(crops), strict=True):
        text = "".join(w.word.text for w in found if top <= w.word.box.cy < bottom)
        if regex.fullmatch(r"(\d{1,3}(\.\d{1,2})*|[IVX]{1,4})\.?", text):
            words, end = _first_cell(line)
            box = words[0].box
            conf = min(w.word.confidence for w in found if top <= w.word.box.cy < bottom)
            line.words[:end] = [Word(text, box, conf)]


def _bands(crops: list[np.ndarray]) -> list[tuple[int, int]]:
    """The y range of each crop in the stacked strip, gaps split half and half."""
    bands, y = [], GAP
    for crop in crops:
        h = crop.shape[0]
        bands.append((y - GAP // 2, y + h + GAP // 2))
        y += h + GAP
    return bands
