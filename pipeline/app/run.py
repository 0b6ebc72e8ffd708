"""Run the whole pipeline on one file: read → preprocess → OCR → restore → extract.

``process_file(path, settings) -> (Document, record)``, where record is the contract's
document record (without the store timing, which the caller adds).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from extractors import EVIDENCE, extract_fields
from extractors.confidence import WEAK, field_confidence
from extractors.provenance import locate_fields
from pipeline.core import log
from pipeline.core.document import Block, Document, Geometry, Line, Page, Word
from pipeline.core.errors import VanbanError
from pipeline.core.restore import normalize_text
from pipeline.core.settings import Settings
from pipeline.language.diacritics import restore_many, restore_text_lines, stripped_share, text_quality
from pipeline.ocr.ocr import ocr_page
from pipeline.ocr.preprocess import preprocess_mapped
from pipeline.read.inputs import InputError, read_pages, sha256_of
from pipeline.read.signatures import read_signatures

LOG = log.get(__name__)

LOW_CONFIDENCE = 60.0


def process_file(path: str | Path, settings: Settings) -> tuple[Document, dict[str, Any]]:
    with log.at(file=str(path)):
        return _process_file(Path(path), settings)


def _process_file(path: Path, settings: Settings) -> tuple[Document, dict[str, Any]]:
    document = Document(source=str(path), sha256=sha256_of(path))
    page_count, pages = read_pages(path, settings)
    clock = time.perf_counter()
    raised: list[Exception] = []  # what made pages error pages
    for page_input in pages:
        document.add_timing("rasterize", time.perf_counter() - clock)
        if page_input.error is not None:
            page = Page(number=page_input.number, source="error", plain_text="")
            document.warnings.append(f"page {page_input.number}: unreadable ({page_input.error})")
            document.page_errors[page_input.number] = ("rasterize", page_input.error)
        elif page_input.text is not None:
            page = Page(number=page_input.number, source=page_input.source,
                        plain_text=page_input.text)
            if page_input.legacy:
                document.warnings.append(f"page {page_input.number}: text in {page_input.legacy} "
                                         "(a pre-Unicode encoding), converted to Unicode")
        else:
            page = _read_image_page(document, page_input, settings, raised)
        document.pages.append(page)
        clock = time.perf_counter()

    if document.pages and all(p.source == "error" for p in document.pages):
        if len(raised) == len(document.pages) == 1:
            raise raised[0]  # a one-page file fails for its page's own reason and stage
        raise InputError("no page could be read: " + "; ".join(document.warnings[:3]))
    t = time.perf_counter()
    restore_document(document, settings)
    document.add_timing("restore", time.perf_counter() - t)
    t = time.perf_counter()
    if path.suffix.lower() == ".pdf":
        document.signatures = read_signatures(path)
    fields = extract_fields(document)
    LOG.info("found %s %s of %s, issued %s by %s", fields.get("doc_type"), fields.get("number"),
             fields.get("place"), fields.get("issued_date"), fields.get("issuer"))
    evidence = fields.pop(EVIDENCE, None) or {}
    provenance = locate_fields(document, fields)
    confidence = field_confidence(fields, provenance, evidence)
    for field, value in confidence.items():
        if value < WEAK:
            document.warnings.append(f"{field}: weak read ({fields[field]!r}, confidence {value:.2f})")
    document.add_timing("extract", time.perf_counter() - t)
    record = build_record(document, page_count, fields)
    record["confidence"] = confidence
    record["signatures"] = [s.as_record() for s in document.signatures]
    record[PROVENANCE] = provenance  # for the store; not part of the printed record
    record[ALTERNATIVES] = {"number": evidence.get("number_options", [])}
    return document, record


def _read_image_page(document: Document, page_input: Any, settings: Settings,
                     raised: list[Exception]) -> Page:
    """Clean up and OCR one page image. A stage that raises on it (a bug, an image no rule
    foresaw) makes it an error page, named with the stage and the exception; the
    document keeps its other pages."""
    stage = "preprocess"
    try:
        with log.at(page=page_input.number):
            t = time.perf_counter()
            image, dpi, to_clean = preprocess_mapped(page_input.image, settings, page_input.dpi)
            document.add_timing("preprocess", time.perf_counter() - t)
            stage, t = "ocr", time.perf_counter()
            page = ocr_page(image, settings, page_input.number, dpi)
            height, width = page_input.image.shape[:2]
            page.geometry = Geometry(width, height, tuple(float(v) for v in to_clean[:2].ravel()))
            document.add_timing("ocr", time.perf_counter() - t)
            LOG.info("%d words (confidence %s), %d tables, at %d dpi", len(page.words),
                     f"{page.confidence:.0f}" if page.confidence is not None else "-",
                     len(page.tables), dpi)
    except Exception as exc:  # noqa: BLE001 (one page's failure must not lose the others)
        reason = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, MemoryError):  # past --memory-limit: this page, not the file
            reason = f"out of memory in {stage} (--memory-limit)"
        elif not isinstance(exc, VanbanError):
            reason = f"internal error in {stage}: {reason}"
        LOG.warning("page %d: %s", page_input.number, reason)
        document.warnings.append(f"page {page_input.number}: not read ({reason})")
        document.page_errors[page_input.number] = (stage, reason)
        raised.append(exc)
        return Page(number=page_input.number, source="error", plain_text="")
    conf = page.confidence
    if conf is not None and conf < LOW_CONFIDENCE:
        document.warnings.append(f"page {page.number}: low OCR confidence {conf:.0f}")
    if not page.words:
        document.warnings.append(f"page {page.number}: no text found")
    return page


def restore_document(document: Document, settings: Settings) -> None:
    """Normalise every word; restore diacritics where they were lost (word boxes kept)."""
    for page in document.pages:
        if page.plain_text is not None:
            page.text_quality = round(text_quality(page.plain_text), 3)
            page.plain_text = "\n".join(
                restore_text_lines(normalize_text(page.plain_text).split("\n"))
            )
            continue
        for word in page.words:
            word.text = normalize_text(word.text)
        if not settings.restore:
            continue
        # a table is restored cell by cell: a cell's words are one phrase, its row is not
        lines = [line for block in page.blocks for line in _text_lines(block)]
        parts = [[p for w in line.words for p in (w.text, " ")][:-1] for line in lines]
        page_marked = stripped_share(" ".join(line.text for line in lines)) <= 0.5
        for line, restored in zip(lines, restore_many(parts, page_marked), strict=True):
            for word, text in zip(line.words, restored[::2], strict=True):
                word.text = text  # a glued word split in two keeps its one box
            _space_dashes(line)
        for block in page.blocks:
            if block.table is not None:  # the row lines hold the cells' words again
                block.lines = block.table.row_lines()


def _text_lines(block: Block) -> list[Line]:
    if block.table is None:
        return block.lines
    # a wrapped cell is one phrase: restored as one line (sử | dụng across the wrap)
    cells = [cell for row in block.table.rows for cell in row.cells if cell.words]
    for cell in cells:
        cell.lines = [Line(cell.words)]
    return [cell.lines[0] for cell in cells]


def _space_dashes(line: Line) -> None:
    """``Văn hóa- Xã hội`` → ``Văn hóa - Xã hội``: OCR loses the space before a dash that
    joins two names (codes like QĐ-UBND have no lower-case letter before the dash)."""
    for i in range(len(line.words) - 1, -1, -1):
        word = line.words[i]
        nxt = line.words[i + 1].text if i + 1 < len(line.words) else ""
        if len(word.text) > 1 and word.text.endswith("-") and word.text[-2].islower() \
                and nxt[:1].isupper():
            line.words[i : i + 1] = [Word(word.text[:-1], word.box, word.confidence),
                                     Word("-", word.box, word.confidence)]


RECORD_KEYS = (
    "source", "sha256", "page_count", "doc_type", "number", "issued_date", "place", "issuer",
    "issuer_parent", "subject", "recipients", "signer_name", "signer_title",
    "signing_authority", "references", "targets", "tasks", "confidence", "signatures",
    "received", "corrections", "text", "pages", "warnings", "timings",
)
ALTERNATIVES = "alternatives"  # a pen-written field's other readings, for extractors/register
PROVENANCE = "provenance"  # page, box, confidence of each header field (extractors/provenance)
LIST_KEYS = {"recipients", "references", "targets", "tasks", "signatures", "corrections", "pages",
             "warnings"}


def build_record(document: Document, page_count: int, fields: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {key: ([] if key in LIST_KEYS else None) for key in RECORD_KEYS}
    record["confidence"] = {}
    record.update(fields)
    record.update(
        source=document.source,
        sha256=document.sha256,
        page_count=max(page_count, len(document.pages)),
        text=document.text,
        pages=[
            {"number": p.number, "text": p.text, "ocr_confidence": p.confidence,
             "source": p.source, "tables": [t.as_record() for t in p.tables]}
            for p in document.pages
        ],
        warnings=list(document.warnings),
        timings=dict(document.timings),
    )
    # not in the contract's record: each scanned page's quarter turn (serve redraws the
    # page as the OCR saw it without detecting it again), each page that could not be read
    record["page_turns"] = {p.number: p.geometry.quarter_turn for p in document.pages
                            if p.geometry is not None}
    record["page_errors"] = [{"page": n, "stage": stage, "reason": reason}
                             for n, (stage, reason) in sorted(document.page_errors.items())]
    return record


def contract_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record exactly as ../shared/CONTRACT.md defines it (what --json prints)."""
    return {key: record[key] for key in RECORD_KEYS}


def error_record(source: str, reason: str) -> dict[str, Any]:
    return {"source": source, "error": reason}
