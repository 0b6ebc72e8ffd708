"""One settings object for the whole pipeline; every cleanup step can be switched off."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pipeline.core.errors import UsageError


@dataclass
class Settings:
    dpi: int = 300  # rasterisation of PDFs, and the DPI told to Tesseract
    language: str = "vie"
    # the second passes that read digits alone (a table's STT column, a pen or faint number):
    # Tesseract's English model reads printed digits more surely than the Vietnamese one
    digits_language: str = "eng"
    force_ocr: bool = False  # ignore any PDF text layer
    # preprocess steps
    remove_red: bool = True  # con dấu đỏ: red seals and red signatures
    remove_blue: bool = False  # blue is usually handwritten numbers: keep by default
    deskew: bool = True
    denoise: bool = True
    binarize: bool = True
    # dust and toner dots on no text line (preprocess.despeckle); a faint letter's broken
    # pieces sit on their line and stay (the old rule, by distance alone, took them: real
    # field_f1 0.910 -> 0.872; this one leaves real as it was and halves a copier's stray marks)
    despeckle: bool = True
    crop_borders: bool = True
    auto_rotate: bool = True  # a page scanned sideways (a landscape table) turned upright
    max_skew_degrees: float = 5.0
    restore: bool = True  # diacritic restoration of OCR lines (text inputs always)
    # layout
    detect_tables: bool = True
    reocr_handwritten: bool = True
    clear_line_art: bool = True  # seals and signatures not dropped by colour (ocr.lineart)
    reread_title: bool = True  # a signer's title lost under a seal is read again alone
    # limits
    max_pages: int = 500
    # decompression-bomb guard: an A3 page at 600 dpi (70 million); a decoded RGB page of
    # this size is 240 MB, and the stages hold a few copies
    max_image_pixels: int = 80_000_000
    page_timeout: int = 120  # seconds for one Tesseract call
    # a whole file: a 30-page scan takes 5-10 min on one core of a slow machine
    file_timeout: int = 1800
    # address space a file may add to its worker's (MB): a 600-dpi A3 page and its copies
    memory_limit_mb: int = 4096
    db_url: str | None = None
    # ingest --pdf-out: a searchable PDF of each document read, under this folder,
    # mirroring the ingested folder (pdf_root)
    pdf_out: str | None = None
    pdf_root: str | None = None
    pdfa: bool = True  # the searchable PDFs claim PDF/A-2b (when the input allows it)
    allow_unsign: bool = False  # a signed PDF may be rewritten (its signature then breaks)

    @staticmethod
    def default_db_url() -> str:
        return os.environ.get("VANBAN_DB", "sqlite:///vanban.db")


def db_timeout() -> float:
    """VANBAN_DB_TIMEOUT: seconds a writer waits for another (30 by default)."""
    value = os.environ.get("VANBAN_DB_TIMEOUT", "30")
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86400:
        raise UsageError(f"VANBAN_DB_TIMEOUT={value}: not a number of seconds (e.g. 30)")
    return seconds
