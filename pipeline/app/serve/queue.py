"""The review queue in the browser (``/review``) and what the document view needs of it:
the document's open flags and the next document to look at.

The queue is models/review's, the same the command line lists: weakest flag first, a
document leaving it when a person has corrected or confirmed every flagged field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from models import Store, lists, review
from models.lists import DocumentFilter
from pipeline.app.serve.templating import TEMPLATES, pages_of


def queue_page(store: Store, request: Request, limit: int, offset: int) -> Response:
    total, rows = lists.find_documents(store.engine, DocumentFilter(needs_review=True),
                                       limit=limit, offset=offset)
    with Session(store.engine) as session:
        flagged = review.stored_flags(session, [d["id"] for d in rows])
    items = [{**d, "flags": [(f.field, f.reason()) for f in flagged.get(d["id"], [])]}
             for d in rows]
    return TEMPLATES.TemplateResponse(request, "review.html", {
        "total": total, "items": items,
        "pager": pages_of(total, dict(request.query_params), limit, offset)})


def open_flags(store: Store, doc_id: int) -> dict[str, str]:
    """The document's flags still open: field (or review.PAGES) → its reason."""
    with Session(store.engine) as session:
        found = review.stored_flags(session, [doc_id]).get(doc_id, [])
    reasons: dict[str, str] = {}
    for flag in found:
        reasons[flag.field] = "; ".join(filter(None, [reasons.get(flag.field), flag.reason()]))
    return reasons


def next_in_queue(store: Store, doc_id: int) -> int | None:
    """The first document of the queue other than this one: where "Văn bản tiếp theo"
    goes."""
    _, rows = lists.find_documents(store.engine, DocumentFilter(needs_review=True), limit=2)
    return next((d["id"] for d in rows if d["id"] != doc_id), None)


def queue_position(store: Store) -> dict[str, Any]:
    total, _ = lists.find_documents(store.engine, DocumentFilter(needs_review=True), limit=1)
    return {"left": int(total)}
