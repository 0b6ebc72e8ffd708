"""Numeric table columns read again with a restricted character set, in one Tesseract call.

The STT column holds row numbers and roman section numerals (1, 2, I, II). Read with the
page, a lone ``I`` comes back as ``|`` and ``II`` as ``H``, and a rule remnant as ``_``.
Here the STT cells of a table are cropped, stacked into one strip with white gaps and read
once with a digits-and-numerals whitelist (no process per cell); each line read replaces
the text of the cell it came from.
"""

from __future__ import annotations

import cv2
import numpy as np
import regex

from pipeline.core.document import Block, Box, Line, Region, Table, Word
from pipeline.core.settings import Settings
from pipeline.ocr import tesseract
from pipeline.ocr.tables import TableGrid

NUMERALS = "-c tessedit_char_whitelist=0123456789IVX."
GAP = 40  # white pixels between stacked cells
NUMBER_HEADER = regex.compile(r"(?i)^(stt|tt|số tt)$")


def reread_number_column(block: Block, grid: TableGrid, image: np.ndarray, settings: Settings,
                         dpi: int) -> None:
    table = block.table
    if table is None or table.columns < 2 or not table.rows:
        return
    head = table.rows[0].cell_at(0)
    if head is None or not NUMBER_HEADER.match(head.text):
        return
    targets = [cell for row in table.rows[1:] if (cell := row.cell_at(0)) is not None
               and cell.col == 0 and cell.col_span == 1 and cell.words and cell.box is not None]
    # a section row (its title spans the other columns) is numbered I, II, III, not 1, 2, 3
    sections = {id(row.cell_at(0)) for row in table.rows[1:]
                if len(row.cells) > 1 and row.cells[1].col_span > 1}
    kept = []
    for cell in targets:
        margin = max(4, cell.box.width // 12)
        crop = image[cell.box.y0 + margin : cell.box.y1 - margin,
                     cell.box.x0 + margin : cell.box.x1 - margin]
        if crop.size:
            kept.append((cell, crop))
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
    found = tesseract.image_to_words(strip, dpi=dpi, language=settings.digits_language, psm=6,
                                     extra_config=NUMERALS, timeout=settings.page_timeout)
    for (cell, crop), (top, bottom) in zip(kept, _bands(crops), strict=True):
        text = "".join(w.word.text for w in found if top <= w.word.box.cy < bottom)
        conf = min((w.word.confidence for w in found if top <= w.word.box.cy < bottom),
                   default=50.0)
        if id(cell) in sections and not regex.search(r"[VX]", text):
            bars = _bars(crop)  # I, II, III: as many strokes as the numeral has
            text = "I" * bars if 1 <= bars <= 3 else text
        if regex.fullmatch(r"(\d{1,3}(\.\d{1,2})*|[IVX]{1,4})\.?", text):
            cell.lines = [Line([Word(text, cell.words[0].box, conf)])]
    block.lines = table.row_lines()


def read_bounds(block: Block, image: np.ndarray) -> None:
    """``≥`` and ``≤`` read by their shape: Tesseract's Vietnamese model has no such
    letters and writes ``>`` and ``<``; a rule under the chevron tells them apart."""
    table = block.table
    if table is None:
        return
    for row in table.rows:
        for cell in row.cells:
            for word in cell.words:
                if word.text[:1] in "<>" and _underlined(image, word.box):
                    word.text = ("≥" if word.text[0] == ">" else "≤") + word.text[1:]


ROMAN_LIKE = regex.compile(r"^[Il1|!]{1,4}$")  # I, II, III as OCR leaves them: ll, !ii, l1


def read_numerals(block: Block, image: np.ndarray) -> None:
    """A roman numeral in a cell (``Quý III``) read by counting its strokes: Tesseract drops
    or garbles one of three bars."""
    table = block.table
    if table is None:
        return
    for row in table.rows:
        for cell in row.cells:
            words = cell.words
            for i, word in enumerate(words):
                if ROMAN_LIKE.match(word.text) and i > 0:  # after a word: Quý, Phần, Mục
                    bars = _bars(image[word.box.y0 : word.box.y1, word.box.x0 : word.box.x1])
                    if 1 <= bars <= 3:
                        word.text = "I" * bars


def _underlined(image: np.ndarray, box: Box) -> bool:
    """A horizontal stroke across most of the chevron's width in the lowest third of it."""
    h = max(1, box.height)
    x1 = box.x0 + max(4, min(box.width, int(h * 0.9)))  # the chevron, not what follows it
    crop = image[box.y0 : box.y1 + h // 3, box.x0 : x1]
    if crop.size == 0:
        return False
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    ink = gray < 128
    rows = ink[int(crop.shape[0] * 0.6) :]
    width = ink.shape[1]
    return any(_longest_run(r) >= 0.6 * width for r in rows)


def _longest_run(row: np.ndarray) -> int:
    best = run = 0
    for on in row:
        run = run + 1 if on else 0
        best = max(best, run)
    return best


def _bars(crop: np.ndarray) -> int:
    """How many upright strokes of letter height a cell holds (a roman I, II or III read by
    its shape: Tesseract drops or merges the bars); 0 when any ink is not such a stroke."""
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    parts = [stats[i] for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] > 12]
    if not parts:
        return 0
    tallest = max(p[cv2.CC_STAT_HEIGHT] for p in parts)
    strokes = [p for p in parts if p[cv2.CC_STAT_HEIGHT] >= 0.7 * tallest]
    dots = [p for p in parts if max(p[cv2.CC_STAT_HEIGHT], p[cv2.CC_STAT_WIDTH]) < 0.35 * tallest]
    if len(strokes) + len(dots) != len(parts) or tallest < 0.25 * gray.shape[0]:
        return 0  # a letter with a bowl, a V, or something else: not bars (a dot may follow)
    return len(strokes) if all(p[cv2.CC_STAT_WIDTH] < 0.6 * p[cv2.CC_STAT_HEIGHT]
                               for p in strokes) else 0


def _bands(crops: list[np.ndarray]) -> list[tuple[int, int]]:
    """The y range of each crop in the stacked strip, gaps split half and half."""
    bands, y = [], GAP
    for crop in crops:
        h = crop.shape[0]
        bands.append((y - GAP // 2, y + h + GAP // 2))
        y += h + GAP
    return bands


STRAY_OPENERS = "“\"'‘_|"  # specks and rule ends OCR puts before a cell's first letter
CLOSERS = "”\"'’"


SPECK_WORD = regex.compile(r"^[ˆ˜`´'\"“”‘’_|.,:;~^]+$")


def tidy_cells(table: Table) -> None:
    """Drop what specks and rule ends left in a cell: a word of marks alone (``ˆ``), marks
    before its first letter (``“Thường xuyên``, ``_UBND``; a quote the cell closes is
    kept) and after its last (``UBND._``)."""
    for row in table.rows:
        for cell in row.cells:
            words = cell.words
            if not words or not any(c.isalnum() for c in cell.text):
                continue
            for line in cell.lines:
                line.words = [w for w in line.words if not SPECK_WORD.match(w.text)]
            words = cell.words
            if not words:  # every word a speck (``ˆ`` is a letter to str.isalnum)
                continue
            last = words[-1]
            if last.text.endswith(("_", "|")):
                last.text = regex.sub(r"\.?[_|]+$", "", last.text) or last.text
            first = words[0]
            stripped = first.text.lstrip(STRAY_OPENERS)
            if stripped != first.text and not any(c in CLOSERS for c in cell.text[1:]):
                if stripped:
                    first.text = stripped
                else:
                    for line in cell.lines:
                        line.words = [w for w in line.words if w is not first]


def table_as_block(table: Table) -> Block:
    """A TABLE block whose lines are its rows' words (for the stages that read lines) and
    whose cells are the table."""
    tidy_cells(table)
    table.mark_header()
    return Block(table.row_lines(), Region.TABLE, table=table)


def cell_lines(words: list[Word]) -> list[Line]:
    """A cell's words as text lines: clustered by vertical centre, then left to right. A
    small mark (a dash, a comma) joins the line its centre falls in, judged by that line's
    height, not its own."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.box.cy):
        if rows:
            tall = max(w.box.height for w in rows[-1])
            centre = sum(w.box.cy for w in rows[-1]) / len(rows[-1])
            if abs(word.box.cy - centre) < 0.5 * max(word.box.height, tall, 1):
                rows[-1].append(word)
                continue
        rows.append([word])
    return [Line(sorted(row, key=lambda w: w.box.x0)) for row in rows]
