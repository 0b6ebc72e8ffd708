"""The invisible text layer of a searchable PDF page: vanban's restored words on their boxes.

Each word is drawn in text render mode 3 (neither filled nor stroked) with a glyphless font,
stretched (``Tz``) so that it spans the box it was read in, on the baseline of its line.
Selecting, copying or searching the page then finds the restored Vietnamese words where the
reader sees them. The font is Tesseract's own ``pdf.ttf`` (GlyphLessFont, from the apt
package ``tesseract-ocr`` vanban already needs): one empty glyph, 500/1000 em wide, which
every character code maps to; a ToUnicode map gives each code its character back. Codes are
UTF-16 code units (``Identity-H``), so every Vietnamese letter, precomposed (NFC), is one.
"""

from __future__ import annotations

import glob
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pikepdf

from pipeline.core.document import Page, Word
from pipeline.core.errors import VanbanError

FONT_NAME = "GlyphLessFont"
ADVANCE = 0.5  # the glyph's advance, in ems (1024 of pdf.ttf's 2048 units)
# the baseline sits this share of the line's height above the line box's bottom (descenders)
DESCENT = 0.2
# the least gap left between two words, in line heights: poppler's reading-order (-raw)
# text glued words 0.15 apart (ngày11tháng), 0.25 it breaks
WORD_GAP = 0.25
GLYPHLESS_GLOBS = ("/usr/share/tesseract-ocr/*/tessdata/pdf.ttf",
                   "/usr/share/tesseract-ocr/tessdata/pdf.ttf", "/usr/share/tessdata/pdf.ttf",
                   "/usr/local/share/tessdata/pdf.ttf")


def glyphless_font_file() -> Path:
    for pattern in GLYPHLESS_GLOBS:
        for found in sorted(glob.glob(pattern)):
            return Path(found)
    raise VanbanError("Tesseract's glyphless font (tessdata/pdf.ttf, of the apt package "
                      "tesseract-ocr) is not installed: run make setup")


def add_glyphless_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The Type0 font every page's text layer uses, made once per file (an indirect object)."""
    program = pikepdf.Stream(pdf, zlib.compress(glyphless_font_file().read_bytes()))
    program.Filter = pikepdf.Name.FlateDecode
    # every CID (a UTF-16 code unit) to glyph 1, the empty one
    cid_to_gid = pikepdf.Stream(pdf, zlib.compress(b"\x00\x01" * 65536))
    cid_to_gid.Filter = pikepdf.Name.FlateDecode
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + FONT_NAME),
        Flags=5, FontBBox=[0, 0, 500, 1000], ItalicAngle=0, Ascent=1000, Descent=0,
        CapHeight=1000, StemV=80, FontFile2=program))
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name("/" + FONT_NAME),
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                         Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=descriptor, DW=int(ADVANCE * 1000), CIDToGIDMap=cid_to_gid))
    to_unicode = pikepdf.Stream(pdf, zlib.compress(_identity_cmap()))
    to_unicode.Filter = pikepdf.Name.FlateDecode
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
        BaseFont=pikepdf.Name("/" + FONT_NAME), Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=[cid_font], ToUnicode=to_unicode))


def _identity_cmap() -> bytes:
    """Code unit → the same UTF-16 unit: one range per high byte (a bfrange may not cross
    one), surrogates left out (a lone one is no character)."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)
              if not 0xD8 <= hi <= 0xDF]
    chunks = [ranges[i:i + 100] for i in range(0, len(ranges), 100)]  # ≤ 100 per block
    body = "".join(f"{len(c)} beginbfrange\n" + "\n".join(c) + "\nendbfrange\n" for c in chunks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + body +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()


def source_to_user_space(page: Page, mediabox: list[float], rotate: int) -> np.ndarray:
    """The 3×3 map from the source image's pixels to the PDF page's user space: the image
    covers the media box as the page is shown (turned by its /Rotate), origin bottom left."""
    geometry = page.geometry
    if geometry is None:
        raise ValueError("a page without geometry has no boxes to place")
    x0, y0, x1, y1 = mediabox
    shown_w, shown_h = (y1 - y0, x1 - x0) if rotate in (90, 270) else (x1 - x0, y1 - y0)
    to_shown = np.diag([shown_w / geometry.source_width, shown_h / geometry.source_height, 1])
    # shown (u right, v down, points) → user space, for each /Rotate
    to_user = {0: [[1, 0, x0], [0, -1, y1]], 90: [[0, 1, x0], [1, 0, y0]],
               180: [[-1, 0, x1], [0, 1, y0]], 270: [[0, -1, x1], [-1, 0, y1]]}[rotate]
    return np.vstack([np.array(to_user, dtype=float), [0, 0, 1]]) @ to_shown


def clean_to_page(page: Page) -> tuple[np.ndarray, tuple[float, float]]:
    """The map from the OCR image's pixels to the searchable page's user space (points,
    origin bottom left), and that page's size: the page is the OCR image's frame."""
    scale = 72.0 / page.dpi
    size = (page.width * scale, page.height * scale)
    return np.array([[scale, 0, 0], [0, -scale, size[1]], [0, 0, 1]]), size


def content_matrix(page: Page, mediabox: list[float], rotate: int) -> np.ndarray:
    """Where the page's original content goes on the searchable page: its user space →
    source pixels → the OCR image's pixels (turned upright, deskewed) → the new page."""
    geometry = page.geometry
    assert geometry is not None
    a, b, c, d, e, f = geometry.to_clean
    to_clean = np.array([[a, b, c], [d, e, f], [0, 0, 1]])
    return clean_to_page(page)[0] @ to_clean @ np.linalg.inv(
        source_to_user_space(page, mediabox, rotate))


def text_layer(page: Page, to_user: np.ndarray, font: str) -> bytes:
    """The content stream drawing the page's words invisibly, line by line, with ``font``
    (a resource name) — empty when the page has no words."""
    ops: list[str] = []
    for block in page.blocks:
        if block.table is None:
            lines = [line.words for line in block.lines]
        else:  # cell by cell, in reading order: a wrapped cell's lines one after the other
            lines = [line for row in block.table.rows for cell in row.cells
                     for line in visual_lines(cell.words)]
        for line in lines:
            words = [w for w in line if w.text.strip() and w.box.width > 0]
            if not words:
                continue
            size = max(1.0, float(max(w.box.height for w in words)))
            baseline = max(w.box.y1 for w in words) - DESCENT * size
            for i, word in enumerate(words):
                text = _pdf_text(word.text)
                letters = len(text)
                text += " " if i < len(words) - 1 else ""
                width = float(word.box.width)
                if i < len(words) - 1:  # words read touching (a pen-filled blank between
                    # printed ones) are drawn apart, or extraction glues them: ngày18tháng
                    gap = words[i + 1].box.x0 - word.box.x1
                    width = max(width / 2, width - max(0.0, WORD_GAP * size - gap))
                stretch = 100.0 * width / (letters * ADVANCE * size)
                # text space: one unit is the line's height, y up, from the word's baseline start
                m = to_user @ np.array([[size, 0, word.box.x0], [0, -size, baseline], [0, 0, 1]])
                ops.append(f"{number(stretch)} Tz {pdf_matrix(m)} Tm "
                           f"<{text.encode('utf-16-be').hex()}> Tj")
    if not ops:
        return b""
    return (f"BT\n3 Tr\n/{font} 1 Tf\n" + "\n".join(ops) + "\nET\n").encode("ascii")


def visual_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into the lines they are printed on, top to bottom, each left to right.
    A table cell's wrapped lines are one line of the tree (restored as one phrase), but
    each printed line needs its own baseline."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.box.cy):
        for line in reversed(lines[-3:]):  # sorted by height: only the last lines can take it
            top = sum(w.box.y0 for w in line) / len(line)
            bottom = sum(w.box.y1 for w in line) / len(line)
            if top <= word.box.cy <= bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.box.x0) for line in lines]


def _pdf_text(text: str) -> str:
    """The word as it is stored (NFC), a character outside the BMP (none in Vietnamese) as
    U+FFFD: each character is one 16-bit code."""
    return "".join(ch if ord(ch) < 0x10000 else "\ufffd"
                   for ch in unicodedata.normalize("NFC", text))


def pdf_matrix(m: np.ndarray) -> str:
    """A 3×3 affine map (column vectors) as the six numbers of a PDF ``cm`` or ``Tm``."""
    return " ".join(number(v) for v in (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2]))


def number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
