"""A searchable PDF/A of a scan: the original page images as they are, vanban's restored
words as an invisible text layer on their boxes, the record as the file's metadata.

``write_searchable(source, document, record, out, options) -> Written``.

Where the words go: the OCR read a cleaned copy of each page (upsampled, turned upright,
deskewed); each page keeps that copy's map back to the source image (``Page.geometry``), and
the words are placed through it onto the original image, which is kept byte for byte (a PDF
page's content is not touched; a JPEG is embedded as it is, a PNG's compressed data as it
is). The cleaned, binarised copy is not what the office scanned: it drops greys, colour and
the seal, so it is never put in the file.

Built directly on pikepdf (qpdf) rather than through OCRmyPDF's plugin interface: measured
on the same pages (scripts/bench_pdf.py, README), OCRmyPDF's route rasterises every page
again and converts through Ghostscript, which costs time and re-encodes the images.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from PIL import Image, ImageSequence
from rapidfuzz.distance import Levenshtein

from pipeline.core.document import Document, Page
from pipeline.core.errors import VanbanError
from pipeline.core.syllables import fold, is_junk_token
from pipeline.read.inputs import as_rgb, image_dpi, sniff_kind
from pipeline.write import pdfa, textlayer

FONT_RESOURCE = "VanbanText"


class SignedPdfError(VanbanError):
    """Writing a text layer into a signed PDF would break its digital signature."""

    stage = "pdf"


@dataclass
class PdfOptions:
    pdfa: bool = True  # claim PDF/A-2b (when the input allows it)
    allow_unsign: bool = False  # a signed PDF may be rewritten (its signature then fails)


@dataclass
class Written:
    """What was written: the output, how, and anything the user should know."""

    path: Path
    action: str  # "text layer added", "copied unchanged"
    pdfa: bool = False
    pages_with_text: int = 0
    warnings: list[str] = field(default_factory=list)


def write_searchable(source: Path, document: Document, record: dict[str, Any], out: Path,
                     options: PdfOptions | None = None,
                     provenance: dict[str, dict] | None = None) -> Written:
    """Write ``out`` whole or not at all (a temporary name beside it, then renamed).
    ``provenance`` (where each header field was read) lets the fields' repaired values
    replace the words they were read from (``fields_onto_words``)."""
    options = options or PdfOptions()
    if out.resolve() == source.resolve():
        raise VanbanError("the searchable PDF would overwrite its scan: choose another name")
    kind = sniff_kind(source)
    if kind == "text":
        raise VanbanError("a text file has no page images to make a searchable PDF of")
    ocr_pages = [p for p in document.pages if p.source == "ocr" and p.geometry is not None]
    if kind == "pdf" and not ocr_pages:  # (a signed one keeps its signature)
        _replace(out, lambda target: shutil.copyfile(source, target))
        return Written(out, "copied unchanged", warnings=[
            "every page already has a text layer: copied unchanged (--force-ocr OCRs it "
            "again)"])
    if document.signatures and not options.allow_unsign:
        raise SignedPdfError(
            "the PDF is digitally signed: adding a text layer would invalidate the "
            "signature (--allow-unsign writes an unsigned copy; the original is never "
            "changed)")
    fields_onto_words(document, record, provenance or {})
    written = Written(out, "text layer added")
    if kind == "pdf":
        pdf = pikepdf.open(source)
        if pdf.is_encrypted:  # opened without a password: an owner password's restrictions
            written.warnings.append("the input's encryption (an owner password) is not kept")
    else:
        pdf = _pdf_of_images(source)
    with pdf:
        font = textlayer.add_glyphless_font(pdf)
        for page in ocr_pages:
            if page.number > len(pdf.pages):
                continue
            _overlay(pdf, pdf.pages[page.number - 1], page, font)
            written.pages_with_text += 1
        texted = _texted(pdf) if kind == "pdf" else set()
        if stale := [p.number for p in ocr_pages if p.number in texted]:
            written.warnings.append(f"pages {', '.join(map(str, stale))}: the old text layer "
                                    "is kept under vanban's")
        found = pdfa.problems(pdf) if options.pdfa else []
        written.pdfa = options.pdfa and not found
        if found:
            written.warnings.append("not PDF/A: " + "; ".join(found))
        if written.pdfa:
            pdfa.add_output_intent(pdf)
        pdfa.write_metadata(pdf, record, written.pdfa)
        version = "1.7" if pdf.pdf_version > "1.7" else ""
        _replace(out, lambda target: pdf.save(
            target, force_version=version, min_version="1.6", preserve_pdfa=False,
            fix_metadata_version=False, object_stream_mode=pikepdf.ObjectStreamMode.generate))
    return written


# header fields the extractors repair beyond the word-level restoration: a name snapped to
# the name lexicon (Trận → Trần), an issuer to the catalogue, a number's code repaired
REPAIRED_FIELDS = ("number", "issuer", "issuer_parent", "subject", "signer_title",
                   "signer_name")


def fields_onto_words(document: Document, record: dict[str, Any],
                      provenance: dict[str, dict]) -> None:
    """The record's value of each header field written onto the words it was read from
    (in place), so that the text layer says what the record says. Only word for word:
    one run of the field's box's words as long as the value, each the same letters but for
    its marks and at most one more (case kept as printed: a header in capitals stays in
    capitals); a stamp's junk in the box is left out of the layer, as the value left it."""
    for name in REPAIRED_FIELDS:
        value, where = record.get(name), provenance.get(name)
        if not value or not where or not where.get("box"):
            continue
        page = next((p for p in document.pages if p.number == where.get("page")), None)
        if page is None or page.plain_text is not None:
            continue
        x0, y0, x1, y1 = where["box"]
        words = [w for w in page.words if x0 <= w.box.cx <= x1 and y0 <= w.box.cy <= y1]
        wanted = value.split()
        # a stamp's mark among the field's words, which the extractor dropped too, and the
        # words of its box the value leaves out (the subject's "V/v")
        junk = [w for w in words if is_junk_token(w.text)] if len(words) != len(wanted) else []
        kept = [w for w in words if w not in junk]
        windows = [kept[k:k + len(wanted)] for k in range(len(kept) - len(wanted) + 1)
                   if _same_words(kept[k:k + len(wanted)], wanted)]
        if len(windows) != 1:
            continue
        words = windows[0]
        for word, new in zip(words, wanted, strict=True):
            if word.text.casefold() != new.casefold():
                word.text = new.upper() if word.text.isupper() else new
        for word in junk:
            word.text = ""  # not drawn: the layer says what the record says


def _same_words(words: list, wanted: list[str]) -> bool:
    """Each word the same letters as the value's but for its marks and at most one more."""
    return len(words) == len(wanted) and all(
        Levenshtein.distance(fold(w.text).casefold(), fold(v).casefold()) <= 1
        for w, v in zip(words, wanted, strict=True))


def _texted(pdf: pikepdf.Pdf) -> set[int]:
    """Pages that had fonts before vanban's (their own text layer, now under ours)."""
    pages = set()
    for number, page in enumerate(pdf.pages, start=1):
        fonts = page.resources.get("/Font", {}) if "/Resources" in page.obj else {}
        if any(str(name) != "/" + FONT_RESOURCE for name in fonts.keys()):
            pages.add(number)
    return pages


def _overlay(pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page: Page,
             font: pikepdf.Object) -> None:
    """The page made level and upright as the OCR read it, its words drawn invisibly over
    it. The content itself is not touched: it is drawn through a matrix (the deskew, the
    quarter turn) and wrapped in q/Q so whatever graphics state it leaves cannot move the
    words. Level lines are what text extraction and search read in order: on the skewed
    original a line's words drift across several baselines and come apart."""
    box = [float(v) for v in pdf_page.mediabox]
    rotate = int(pdf_page.obj.get("/Rotate", 0)) % 360
    rotate = rotate if rotate in (90, 180, 270) else 0
    matrix = textlayer.content_matrix(page, box, rotate)
    to_page, (width, height) = textlayer.clean_to_page(page)
    name = pdf_page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/" + FONT_RESOURCE))
    layer = textlayer.text_layer(page, to_page, str(name)[1:])
    pdf_page.contents_add(pikepdf.Stream(pdf, f"q {textlayer.pdf_matrix(matrix)} cm\n"
                                         .encode()), prepend=True)
    pdf_page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + layer))
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"):
        if key in pdf_page.obj:
            del pdf_page.obj[key]
    pdf_page.obj.MediaBox = [0, 0, round(width, 3), round(height, 3)]


def _pdf_of_images(source: Path) -> pikepdf.Pdf:
    """One page per image frame, each the frame's own size at its own DPI: a JPEG embedded
    as it is, a PNG's compressed data as it is, other frames (TIFF, a PNG with
    transparency) compressed losslessly."""
    pdf = pikepdf.new()
    data = source.read_bytes()
    with Image.open(source) as img:
        single = getattr(img, "n_frames", 1) == 1
        for frame in ImageSequence.Iterator(img):
            xobject = (_passthrough(pdf, frame, data, img.format) if single else None) \
                or _lossless(pdf, frame)
            dpi = image_dpi(frame)
            w_pt, h_pt = frame.width / dpi * 72, frame.height / dpi * 72
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page, MediaBox=[0, 0, round(w_pt, 3), round(h_pt, 3)],
                Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Scan=xobject)))
            page.Contents = pikepdf.Stream(
                pdf, f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Scan Do Q\n".encode())
            pdf.pages.append(pikepdf.Page(page))
    return pdf


COLOUR_SPACES = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "1": "/DeviceGray"}


def _passthrough(pdf: pikepdf.Pdf, frame: Image.Image, data: bytes,
                 fmt: str | None) -> pikepdf.Stream | None:
    if fmt == "JPEG" and frame.mode in ("L", "RGB"):
        stream = pikepdf.Stream(pdf, data)
        stream.Filter = pikepdf.Name.DCTDecode
        return _image(stream, frame.width, frame.height, COLOUR_SPACES[frame.mode], 8)
    if fmt == "PNG":
        return _png(pdf, data)
    return None


def _png(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream | None:
    """A PNG's IDAT data is a zlib stream with PNG predictors, which PDF's FlateDecode reads
    as it is (Predictor 15); interlaced, transparent or 16-bit palette PNGs are not."""
    chunks, pos = {}, 8
    idat = []
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IDAT":
            idat.append(body)
        else:
            chunks.setdefault(kind, body)
        pos += 12 + length
    if b"IHDR" not in chunks or b"tRNS" in chunks:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    colours = {0: 1, 2: 3, 3: 1}.get(colour)
    if colours is None or interlace:
        return None
    if colour == 3:
        palette = chunks.get(b"PLTE")
        if not palette:
            return None
        space: Any = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB,
                                    len(palette) // 3 - 1, pikepdf.String(palette)])
    else:
        space = "/DeviceGray" if colour == 0 else "/DeviceRGB"
    stream = pikepdf.Stream(pdf, b"".join(idat))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.DecodeParms = pikepdf.Dictionary(Predictor=15, Colors=colours,
                                            BitsPerComponent=depth, Columns=width)
    return _image(stream, width, height, space, depth)


def _lossless(pdf: pikepdf.Pdf, frame: Image.Image) -> pikepdf.Stream:
    if frame.mode == "1":  # bilevel: 1 bit a pixel, as scanned
        raw, space, depth = frame.tobytes(), "/DeviceGray", 1
    elif frame.mode == "L":
        raw, space, depth = frame.tobytes(), "/DeviceGray", 8
    else:  # transparency on white, CMYK and 16-bit as the pipeline read them
        raw, space, depth = as_rgb(frame).tobytes(), "/DeviceRGB", 8
    stream = pikepdf.Stream(pdf, zlib.compress(raw, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    return _image(stream, frame.width, frame.height, space, depth)


def _image(stream: pikepdf.Stream, width: int, height: int, space: Any,
           depth: int) -> pikepdf.Stream:
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = width, height
    stream.ColorSpace = pikepdf.Name(space) if isinstance(space, str) else space
    stream.BitsPerComponent = depth
    return stream


def _replace(out: Path, write: Any) -> None:
    """Write through a temporary file beside ``out``, renamed over it when whole: an
    interrupted run leaves no half-written PDF."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(handle)
    try:
        write(partial)
        os.replace(partial, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
