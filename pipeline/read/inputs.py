"""Open an input file and hand out its pages: PDF, image (PNG/JPG/TIFF) or OCR'd text.

Every refusal is an ``InputError`` whose message is the reason shown to the user and stored
in the database; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import regex
from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.core.errors import InputError, PdfError
from pipeline.core.settings import Settings
from pipeline.read import pdf
from pipeline.read.legacy import to_unicode
from pipeline.read.textlayer import is_usable_text_layer

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | {".pdf", ".txt"}
A4_WIDTH_INCHES = 8.27


@dataclass
class PageInput:
    number: int
    image: np.ndarray | None = None  # RGB
    dpi: int = 300
    text: str | None = None  # set when the page needs no OCR
    legacy: str | None = None  # the text was in this pre-Unicode encoding (TCVN3, VNI)
    source: str = "ocr"
    error: str | None = None  # this page alone could not be read; the others still are


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff_kind(path: Path) -> str:
    """'pdf', 'image' or 'text' from the file's first bytes, not just its name."""
    if not path.exists():
        raise InputError("file not found")
    if path.is_dir():
        raise InputError("is a directory")
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file (0 bytes)")
    head = path.read_bytes()[:1024]
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if suffix == ".txt":
        return "text"
    lowered = head.lstrip().lower()
    if suffix == ".pdf":
        if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
            raise InputError("not a PDF: the file is HTML")
        raise InputError("not a PDF: no %PDF header")
    if suffix in IMAGE_SUFFIXES:
        raise InputError(f"not a {suffix[1:].upper()} image: unrecognised content")
    raise InputError(f"unsupported file type '{suffix or path.name}'")


def read_pages(path: Path, settings: Settings, only: int | None = None
               ) -> tuple[int, Iterator[PageInput]]:
    """Return the page count and a lazy iterator of pages (one page in memory at a time);
    ``only``: that page alone, the others of a PDF not even looked at (serve shows one)."""
    kind = sniff_kind(path)
    if kind == "text":
        return 1, iter([_text_page(path)])
    if kind == "image":
        return _image_pages(path, settings)
    return _pdf_pages(path, settings, only)


def _text_page(path: Path) -> PageInput:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"text file is not UTF-8 ({exc.reason})") from exc
    text, legacy = to_unicode(text)
    return PageInput(number=1, text=_fold_long_lines(unicodedata.normalize("NFC", text)),
                     source="text", legacy=legacy)


# no printed line is this long; a text file's line beyond it (an export that lost its line
# breaks, a binary renamed .txt) is folded at spaces into lines of at most FOLD_AT, so that
# every stage that compares a line fuzzily works on lines, not on megabytes
LONGEST_LINE = 20_000
FOLD_AT = 500


def _fold_long_lines(text: str) -> str:
    if all(len(line) <= LONGEST_LINE for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        start = 0  # walked with an index: slicing the rest off each time is quadratic
        while len(line) - start > FOLD_AT:
            cut = line.rfind(" ", start, start + FOLD_AT)
            cut = cut if cut > start else start + FOLD_AT
            out.append(line[start:cut])
            start = cut
            while start < len(line) and line[start] == " ":
                start += 1
        out.append(line[start:])
    return "\n".join(out)


def _image_pages(path: Path, settings: Settings) -> tuple[int, Iterator[PageInput]]:
    """Each frame's size is checked before it is decoded (a small TIFF may hold a huge
    second frame), a multi-page TIFF is held to the PDF page limit, and a scan finer than
    needed is reduced to about 300 dpi as it is decoded (a 600 dpi page is four times the
    memory and the OCR time, for no better reading). Pillow's own bomb guard stays on."""
    try:
        img = Image.open(path)
        _check_size(img, settings, 1, shape=False)
        frames = getattr(img, "n_frames", 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard, left on, refuses a bomb at open, before our check can
        pixels = regex.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(pixels.group(1)):,} pixels" if pixels else str(exc)
        raise InputError(f"image too large: {size} (limit {settings.max_image_pixels:,})"
                         ) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(f"corrupt image: {exc}") from exc
    if frames > settings.max_pages:
        raise InputError(f"too many pages: {frames} (limit {settings.max_pages})")
    if odd := _odd_shape(img, 1):
        raise InputError(odd)

    def pages() -> Iterator[PageInput]:
        try:
            for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
                _check_size(frame, settings, number, shape=False)
                if number > 1 and (odd := _odd_shape(frame, number)):
                    yield PageInput(number=number, error=odd)  # the other pages are read
                    continue
                dpi = image_dpi(frame)
                factor = dpi // 300 if dpi >= 450 else 1
                if factor > 1:
                    frame = frame.reduce(factor)
                    dpi //= factor
                yield PageInput(number=number, image=as_rgb(frame), dpi=dpi)
        except (Image.DecompressionBombError, OSError) as exc:
            raise InputError(f"corrupt image: {exc}") from exc

    return frames, pages()


# a page no scanner makes: a side this short, or one side this many times the other (a
# 5×10000 px strip once took 7.7 GB in the skew estimate); refused by rule, not by memory
MIN_SIDE = 50
MAX_ASPECT = 50


def as_rgb(frame: Image.Image) -> np.ndarray:
    """The frame as 8-bit RGB the way it looks on paper: transparency composited on white
    (ink kept only in the alpha channel would otherwise turn the page black or empty),
    16- and 32-bit gray scaled to 8 bits (not clipped to white)."""
    if frame.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(frame, dtype=np.float64)
        top = 65535.0 if frame.mode.startswith("I;16") else max(float(values.max()), 1.0)
        gray = np.clip(values / top * 255.0, 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if frame.mode in ("LA", "PA", "RGBA", "La", "RGBa") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(frame.convert("RGB"))


def _odd_shape(frame: Image.Image, number: int) -> str | None:
    width, height = frame.size
    where = f"page {number}: " if number > 1 else ""
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_ASPECT * min(width, height):
        return (f"{where}not a page: {width}×{height} pixels (a page has both sides at "
                f"least {MIN_SIDE} px and is at most {MAX_ASPECT} times as long as it is wide)")
    return None


def _check_size(frame: Image.Image, settings: Settings, number: int,
                shape: bool = True) -> None:
    """A frame too large to decode refuses the file; ``shape``: so does one of absurd
    shape (the first frame; a later one becomes an error page)."""
    width, height = frame.size
    where = f"page {number}: " if number > 1 else ""
    if shape and (odd := _odd_shape(frame, number)):
        raise InputError(odd)
    if width * height > settings.max_image_pixels:
        raise InputError(f"image too large: {where}{width}×{height} pixels "
                         f"(limit {settings.max_image_pixels:,})")


def image_dpi(img: Image.Image) -> int:
    """The image's own DPI when it is plausible, else a guess from an A4 page width."""
    dpi = img.info.get("dpi")
    if dpi and 70 <= float(dpi[0]) <= 1200 and abs(float(dpi[0]) - 72) > 1:
        return int(round(float(dpi[0])))
    return max(70, min(1200, int(round(img.size[0] / A4_WIDTH_INCHES))))


def _pdf_pages(path: Path, settings: Settings, only: int | None = None
               ) -> tuple[int, Iterator[PageInput]]:
    try:
        info = pdf.inspect(path)
    except pdf.PdfError as exc:
        raise InputError(str(exc)) from exc
    if info.page_count > settings.max_pages:
        raise InputError(f"too many pages: {info.page_count} (limit {settings.max_pages})")

    def pages() -> Iterator[PageInput]:
        reader = pdf.open_reader(path)
        for number, (w_pt, h_pt) in enumerate(info.page_sizes_pt, start=1):
            if only is not None and number != only:
                continue
            try:
                yield _pdf_page(path, reader, number, w_pt, h_pt, settings)
            except PdfError as exc:  # this page's image or stream cannot be read
                yield PageInput(number=number, error=str(exc)[:300])
            except InputError:
                raise  # a page too large to render: the whole file is refused
            except Exception as exc:  # one broken page (bad stream, bad image): keep the rest
                yield PageInput(number=number, error=f"{type(exc).__name__}: {exc}"[:300])

    return info.page_count, pages()


def _pdf_page(path: Path, reader: Any, number: int, w_pt: float, h_pt: float,
              settings: Settings) -> PageInput:
    """One page of a PDF: its text layer, else its embedded scan, else poppler's rendering."""
    if not settings.force_ocr:
        text = pdf.page_text(path, number)
        if is_usable_text_layer(text):
            text, legacy = to_unicode(text)
            return PageInput(number=number, text=unicodedata.normalize("NFC", text),
                             source="text-layer", legacy=legacy)
    scan = pdf.embedded_scan(reader, number)
    if scan is not None:
        return PageInput(number=number, image=scan[0], dpi=scan[1])
    # a page larger than A4 is rendered at a lower dpi to stay under the pixel limit (an A0
    # plan at 300 dpi is 140 million pixels); below 100 dpi nothing is legible any more
    fit = int((settings.max_image_pixels / max(1.0, w_pt / 72 * h_pt / 72)) ** 0.5)
    dpi = min(settings.dpi, fit)
    if dpi < 100:
        raise InputError(f"page {number} is too large to render "
                         f"({w_pt / 72:.0f}×{h_pt / 72:.0f} inches)")
    image = pdf.rasterize(path, number, dpi, timeout=settings.page_timeout)
    return PageInput(number=number, image=image, dpi=dpi)
