"""Layout-aware OCR of one page image: tables found, rules erased, Tesseract once, zoning.

``ocr_page(image, settings, number, dpi) -> Page``. Blank handwritten fields in the header
(``Số:      /KH-UBND``, ``ngày    tháng``) get a second, narrow Tesseract pass of their own.
"""

from __future__ import annotations

import numpy as np

from pipeline.core.document import Page, Region
from pipeline.core.settings import Settings
from pipeline.ocr import cells, handwriting, layout, lineart, signature, tables, tesseract


def ocr_page(image: np.ndarray, settings: Settings, number: int, dpi: int) -> Page:
    grids: list[tables.TableGrid] = []
    clean = image
    if settings.detect_tables:
        grids, clean = tables.find_tables(image, dpi)
    words = tesseract.image_to_words(
        clean, dpi=dpi, language=settings.language, psm=3, timeout=settings.page_timeout
    )
    lost_seals: list[lineart.Ring] = []
    if settings.clear_line_art:  # a grey seal and signature that hid the signer's block
        cleared, seals = lineart.clear_line_art(clean, dpi)
        if seals and lineart.block_lost([w.word for w in words], seals):
            clean, lost_seals = cleared, seals
            words = tesseract.image_to_words(
                clean, dpi=dpi, language=settings.language, psm=3,
                timeout=settings.page_timeout)
    height, width = image.shape[:2]
    page = layout.build_page(number, width, height, dpi, words, grids)
    if settings.reocr_handwritten and number == 1:
        handwriting.fill_blanks(page, clean, settings)
    if lost_seals and lineart.block_lost(page.words, lost_seals):
        signature.reread_under_seal(page, clean, lost_seals, settings)
    if settings.reread_title:
        signature.reread_title(page, clean, settings)
    for block in page.blocks:
        if block.region is Region.TABLE:
            first = block.lines[0].box
            grid = next((g for g in grids if g.box.y0 <= first.cy <= g.box.y1), None)
            if grid is not None:
                cells.reread_number_column(block, grid, clean, settings, dpi)
            cells.read_bounds(block, clean)
            cells.read_numerals(block, clean)
    return page
