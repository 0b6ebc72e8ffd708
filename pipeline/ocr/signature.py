"""Second OCR pass on a signature block whose title the full-page pass lost.

A seal is stamped over the left part of the signer's title (``GIÁM ĐỐC``, ``TM. CHÍNH PHỦ /
THỦ TƯỚNG``); the full-page pass then takes the title, the ring and the signature for one
picture and returns no words there, while the printed name below comes out clean. Here the
band above the name, centred on it as the title is, is read once more on its own, and the
lines found are put back at the top of the signature column.

``reread_title(page, image, settings)`` changes ``page`` in place.
"""

from __future__ import annotations

import numpy as np
import regex

from pipeline.core.document import Block, Page, Region
from pipeline.core.settings import Settings
from pipeline.core.syllables import fold
from pipeline.ocr import layout, tesseract

LINES_ABOVE = 10  # the title sits up to this many name heights above the name
MIN_CONFIDENCE = 40.0  # a re-read line less sure than this is the seal's lettering
MIN_LETTERS = 4


def reread_title(page: Page, image: np.ndarray, settings: Settings) -> None:
    block = next((b for b in page.blocks if b.region is Region.CLOSING_RIGHT), None)
    if block is None or not block.lines:
        return
    lines = sorted(block.lines, key=lambda ln: ln.box.y0)
    name = lines[-1]
    if any(layout.CLOSING_MARK.search(fold(ln.text).strip()) for ln in lines):
        return  # the title or the authority was read
    box = name.box
    height = max(box.height, 20)
    half = max(0.75 * box.width, 4 * height)
    x0, x1 = int(max(page.width * 0.4, box.cx - half)), int(min(page.width, box.cx + half))
    y0, y1 = max(0, box.y0 - LINES_ABOVE * height), box.y0 - height // 2
    # never above the text of the page that ends over the signature column
    above = [ln.box.y1 for b in page.blocks if b is not block for ln in b.lines
             if ln.box.y1 < box.y0 and ln.box.x1 > x0 and ln.box.x0 < x1]
    y0 = max([y0, *above])
    if y1 - y0 < 2 * height or x1 - x0 < 4 * height:
        return
    words = tesseract.image_to_words(
        image[y0:y1, x0:x1], dpi=page.dpi, language=settings.language, psm=6,
        timeout=settings.page_timeout, offset=(x0, y0),
    )
    found = [
        line for line in layout.group_lines(words)
        if line.confidence >= MIN_CONFIDENCE
        and len(regex.findall(r"\p{L}", line.text)) >= MIN_LETTERS
    ]
    if found:
        block.lines = sorted(found, key=lambda ln: ln.box.y0) + lines


def reread_under_seal(page: Page, image: np.ndarray, seals: list[tuple[float, float, float]],
                      settings: Settings) -> None:
    """The lines around a seal that the full-page pass left out even on the cleared page
    (a lone name under a wide white gap): the band from a radius above the seal's centre
    to two below, 2.5 radii either side, read on its own; the lines found that no block
    of the page already holds join the signature column (a new one if there is none)."""
    for cx, cy, r in seals:
        x0, x1 = int(max(0, cx - 2.5 * r)), int(min(page.width, cx + 2.5 * r))
        y0, y1 = int(max(0, cy - r)), int(min(page.height, cy + 2 * r))
        if x1 - x0 < 2 * r or y1 - y0 < r:
            continue
        held = [ln.box for b in page.blocks for ln in b.lines]
        words = tesseract.image_to_words(
            image[y0:y1, x0:x1], dpi=page.dpi, language=settings.language, psm=6,
            timeout=settings.page_timeout, offset=(x0, y0))
        found = [
            line for line in layout.group_lines(words)
            if line.confidence >= MIN_CONFIDENCE
            and len(regex.findall(r"\p{L}", line.text)) >= MIN_LETTERS
            and not any(box.y0 - 5 <= line.box.cy <= box.y1 + 5 and box.x0 < line.box.cx < box.x1
                        for box in held)
        ]
        if not found:
            continue
        block = next((b for b in page.blocks if b.region is Region.CLOSING_RIGHT), None)
        if block is None:
            block = Block(lines=[], region=Region.CLOSING_RIGHT)
            page.blocks.append(block)
        block.lines = sorted(block.lines + found, key=lambda ln: ln.box.y0)


__all__ = ["reread_title", "reread_under_seal"]
