"""The one place that talks to poppler (pdf2image, pdftotext) and pypdf."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdf
from pdf2image import convert_from_path
from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError

from pipeline.core.errors import PdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly on scanner quirks


@dataclass
class PdfInfo:
    page_count: int
    page_sizes_pt: list[tuple[float, float]]  # width, height in points
    encrypted: bool


def inspect(path: Path) -> PdfInfo:
    """Open the PDF, refuse it with a clear reason if it is corrupt or needs a password."""
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            raise PdfError("encrypted PDF: a password is required to open it")
        sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    except PdfError:
        raise
    except pypdf.errors.FileNotDecryptedError as exc:
        raise PdfError("encrypted PDF: a password is required to open it") from exc
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfError(f"corrupt PDF: {exc}") from exc
    except Exception as exc:  # pypdf raises odd errors on broken files; the batch goes on
        raise PdfError(f"corrupt PDF: {type(exc).__name__}: {exc}") from exc
    if not sizes:
        raise PdfError("PDF has no pages")
    return PdfInfo(page_count=len(sizes), page_sizes_pt=sizes, encrypted=encrypted)


def open_reader(path: Path) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    return reader


def embedded_scan(reader: pypdf.PdfReader, page: int) -> tuple[np.ndarray, int] | None:
    """A scanned page is usually one image covering the page: return it at its own
    resolution instead of rendering the page again (faster, and no resampling). ``None``
    when the page is anything else (several images, rotation, an image not covering the
    page). Called only when the page's text layer, if any, was judged junk."""
    try:
        pdf_page = reader.pages[page - 1]
        if pdf_page.rotation % 360:
            return None
        images = pdf_page.images  # lazy: counting decodes nothing
        if len(images) != 1:
            return None
        width_pt = float(pdf_page.mediabox.width)
        height_pt = float(pdf_page.mediabox.height)
    except Exception:  # any oddity: fall back to rendering the page
        return None
    try:
        img = images[0].image
    except (KeyError, IndexError):
        return None
    except Exception as exc:
        if "jbig2" in str(exc).lower():
            return None  # pypdf needs the jbig2dec binary; poppler decodes JBIG2 itself
        # the page is one scanned image whose data cannot be decoded: poppler would draw a
        # blank page without a word, so say the page is broken instead
        raise PdfError(f"page {page}: its scanned image cannot be decoded ({exc})") from exc
    if img is None or img.mode not in ("1", "L", "RGB", "P"):
        return None
    w, h = img.size
    if abs((w / h) - (width_pt / height_pt)) > 0.02 * (width_pt / height_pt):
        return None  # the image does not cover the page
    dpi = int(round(w / (width_pt / 72)))
    if not 100 <= dpi <= 600:
        return None
    return np.asarray(img.convert("RGB")), dpi


def page_text(path: Path, page: int, timeout: int = 60) -> str:
    """The text layer of one page (1-based) as poppler reads it; '' when there is none."""
    try:
        out = subprocess.run(
            ["pdftotext", "-q", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True, timeout=timeout, check=False,
        )
    except (subprocess.SubprocessError, OSError):
        return ""
    return out.stdout.decode("utf-8", errors="replace")


def rasterize(path: Path, page: int, dpi: int, timeout: int = 120) -> np.ndarray:
    """Render one page (1-based) to an RGB array at ``dpi``."""
    try:
        images = convert_from_path(
            str(path), dpi=dpi, first_page=page, last_page=page, timeout=timeout
        )
    except (PDFPageCountError, PDFSyntaxError, PDFInfoNotInstalledError) as exc:
        raise PdfError(f"page {page} could not be rendered: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"page {page} took over {timeout}s to render") from exc
    if not images:
        raise PdfError(f"page {page} could not be rendered")
    return np.asarray(images[0].convert("RGB"))
