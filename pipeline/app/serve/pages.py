"""Page images of stored documents, as the OCR saw them, for the document view.

The image is the stored source's page after the same cleanup the pipeline ran (deskew,
crop, turn upright), so the boxes of field provenance fall on what they name. Only the
source path of a stored document is ever opened: nothing of the request reaches the file
system. Rendered pages are cached as PNG files named by content hash and page number.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import cv2

from models import Store
from pipeline.core.errors import VanbanError
from pipeline.core.settings import Settings
from pipeline.ocr.preprocess import preprocess
from pipeline.read.inputs import read_pages, sha256_of

# one folder per user, that only this user may enter: in a shared temp folder another
# local user could plant a PNG under a document's name and have it served as its scan
CACHE = Path(os.environ.get("VANBAN_CACHE", Path(tempfile.gettempdir())
                            / f"vanban-page-cache-{os.getuid()}"))


def _private_cache() -> Path | None:
    """The cache folder, made 0700 if new; None (no caching) when it is not this user's
    alone."""
    try:
        CACHE.mkdir(mode=0o700, parents=True, exist_ok=True)
        seen = CACHE.lstat()
    except OSError:
        return None
    if not CACHE.is_dir() or CACHE.is_symlink() or seen.st_uid != os.getuid() \
            or seen.st_mode & 0o077:
        return None
    return CACHE


def page_png(source: str, sha256: str, number: int, turn: int | None = None) -> bytes | None:
    """Page ``number`` of a stored document as PNG bytes; None when the file is gone, was
    changed since it was stored, or has no such page. ``turn``: the page's quarter turn as
    stored at ingest (None: detected again)."""
    cache = _private_cache()
    cached = cache / f"{sha256}-{number}.png" if cache else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    path = Path(source)
    settings = Settings()
    try:
        if not path.is_file() or sha256_of(path) != sha256:
            return None
        count, pages = read_pages(path, settings, only=number)
        if not 1 <= number <= count:
            return None
        for page in pages:
            if page.number != number:
                continue
            if page.image is None:
                return None  # a text page: nothing to show
            image, _ = preprocess(page.image, settings, page.dpi, turn)
            ok, png = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 3])
            if not ok:
                return None
            if cached is not None:
                partial = cached.with_suffix(f".{os.getpid()}.tmp")
                partial.write_bytes(png.tobytes())
                partial.replace(cached)  # whole or not at all, whoever reads it meanwhile
            return png.tobytes()
    except (VanbanError, OSError):
        return None
    return None


class Unsearchable(VanbanError):
    """No searchable PDF can be given for this document (signed, a text file, gone)."""


def searchable_pdf(source: str, sha256: str) -> Path:
    """The stored document's searchable PDF/A, made on first demand (the whole pipeline
    again: the database keeps fields, not word boxes) and cached by content hash."""
    from pipeline.app.pdfout import write_record
    from pipeline.app.run import process_file
    from pipeline.write.searchable import SignedPdfError

    cache = _private_cache()
    if cache is None:
        raise Unsearchable("không có thư mục tạm riêng để lưu bản PDF")
    cached = cache / f"{sha256}.pdf"
    if cached.is_file():
        return cached
    path = Path(source)
    if not path.is_file() or sha256_of(path) != sha256:
        raise Unsearchable("tệp gốc không còn hoặc đã bị thay đổi kể từ khi lưu")
    if path.suffix.lower() == ".txt":
        raise Unsearchable("văn bản dạng chữ (.txt) không có ảnh trang để làm PDF")
    settings = Settings()
    document, record = process_file(path, settings)
    try:
        write_record(path, document, record, cached, settings)
    except SignedPdfError as exc:
        raise Unsearchable("văn bản có chữ ký số: ghi thêm lớp chữ sẽ làm chữ ký mất hiệu "
                           "lực (dùng vanban pdf --allow-unsign để tạo bản không ký)") from exc
    return cached


def boxes_of(record: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Each page's field boxes to draw; fields read from one box (the place and the date
    share the date line) share one box and one label, the weakest confidence shown."""
    pages: dict[int, dict[tuple[int, ...], dict[str, Any]]] = {}
    for field, where in record["provenance"].items():
        if not where.get("box"):
            continue
        confidence = record["confidence"].get(field)
        box = pages.setdefault(where["page"], {}).setdefault(tuple(where["box"]), {
            "box": where["box"], "fields": [], "confidence": confidence})
        box["fields"].append(field)
        if confidence is not None and (box["confidence"] is None or
                                       confidence < box["confidence"]):
            box["confidence"] = confidence
    return {page: list(found.values()) for page, found in pages.items()}


def stored_file(store: Store, doc_id: int) -> tuple[str, str] | None:
    """The real path and content hash of a stored document: the only files served."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models import DocumentRow

    with Session(store.engine) as session:
        row = session.execute(select(DocumentRow.path, DocumentRow.sha256)
                              .where(DocumentRow.id == doc_id)).first()
    return (row[0], row[1]) if row else None


def stored_turn(store: Store, doc_id: int, number: int) -> int | None:
    """The quarter turn stored for a scanned page (None: not stored, detect it again)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from models.schema import PageRow

    with Session(store.engine) as session:
        return session.scalar(select(PageRow.turn).where(PageRow.document_id == doc_id,
                                                         PageRow.number == number))
