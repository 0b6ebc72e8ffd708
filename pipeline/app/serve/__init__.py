"""``vanban serve``: the directives database in a browser, and the JSON API it uses
(../shared/CONTRACT.md, "The JSON API").

A Starlette app: Jinja2 pages with autoescaping (document text is untrusted: a subject
holding ``<script>`` shows as text), bound SQL only, limits on paging and query length, and
no path from a request to the file system but a stored document's page images. Edits only
when started with ``--allow-edits``, and only as JSON from the app's own origin (a
cross-site form cannot send JSON without the browser asking first: the CSRF guard).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import regex
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from extractors.common import doc_types_named
from models import Store, labels, lists, ranking
from models import search as queries
from models.lists import DocumentFilter, TaskFilter
from models.records import CORRECTABLE, BadCorrection, correct, document_record, undo
from pipeline.app.arguments import parse_date
from pipeline.app.serve import queue
from pipeline.app.serve.chart import chart_of
from pipeline.app.serve.pages import (
    Unsearchable,
    boxes_of,
    page_png,
    searchable_pdf,
    stored_file,
    stored_turn,
)
from pipeline.app.serve.templating import TEMPLATES, pages_of

MAX_LIMIT = 200
MAX_QUERY = 200  # characters of a search or filter
MAX_ID = 2**63 - 1  # the largest integer both engines store; beyond it nothing is found
MAX_BODY = 64 * 1024  # bytes of a correction: a value and a name, never more


class BadRequest(ValueError):
    """A parameter the API cannot use; the message is the JSON error."""


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    if len(value) > MAX_QUERY:
        raise BadRequest(f"{name}: at most {MAX_QUERY} characters")
    return value or None


def _day(request: Request, name: str, last: bool = False) -> dt.date | None:
    """A date parameter in any form parse_date reads (``last``: a month or year's last day)."""
    value = _text(request, name)
    if value is None:
        return None
    try:
        return parse_date(value, last=last)
    except ValueError as exc:
        raise BadRequest(f"{name}: {exc}") from None


def _paging(request: Request) -> tuple[int, int]:
    try:
        limit = int(request.query_params.get("limit", 50))
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        raise BadRequest("limit and offset are whole numbers") from None
    if not 1 <= limit <= MAX_LIMIT or not 0 <= offset <= MAX_ID:
        raise BadRequest(f"limit is 1 to {MAX_LIMIT}, offset 0 or more")
    return limit, offset


NUMBER_TYPED = regex.compile(r"\d+\s*/\s*[\p{L}\d/.&-]*")
LIST_KEYS = ("id", "source", "number", "doc_type", "issued_date", "issuer", "subject")


def _wanted(request: Request) -> DocumentFilter:
    doc_type, q = _text(request, "type"), _text(request, "q")
    number = _text(request, "number")
    if q and NUMBER_TYPED.fullmatch(q):  # "298/TB-UBND", "298/tb": a số ký hiệu, as shown
        q, number = None, q
    return DocumentFilter(
        q=q, number=number, doc_types=doc_types_named(doc_type) if doc_type else None,
        issuer=_text(request, "issuer"), signer=_text(request, "signer"),
        since=_day(request, "since"), until=_day(request, "until", last=True))


def find_documents(store: Store, request: Request, ranked: bool = False
                   ) -> tuple[int, list[dict[str, Any]]]:
    """The documents a search and its filters select: (total, one page), newest first;
    ``ranked`` (the search page): words searched give each document's best page and a
    marked snippet, by relevance unless ``sort=date``."""
    limit, offset = _paging(request)
    wanted = _wanted(request)
    if ranked and wanted.q:
        order = "date" if request.query_params.get("sort") == "date" else "relevance"
        total, rows = ranking.ranked(store.engine, wanted.q, replace(wanted, q=None),
                                     limit=limit, offset=offset, order=order)
        return total, [{**{key: row.get(key) for key in LIST_KEYS},
                        "page": row["page"], "snippet": row["snippet"]} for row in rows]
    total, rows = lists.find_documents(store.engine, wanted, limit=limit, offset=offset)
    return total, [{key: row.get(key) for key in LIST_KEYS} for row in rows]


def find_tasks(store: Store, request: Request, **narrower: dt.date | bool | None
               ) -> tuple[int, list[dict[str, Any]]]:
    """Tasks by lead and due date (``overdue``: due before that day), a page of them."""
    limit, offset = _paging(request)
    wanted = TaskFilter(lead=_text(request, "lead"), due_from=_day(request, "since"),
                        due_until=_day(request, "until", last=True),
                        overdue_on=_day(request, "overdue"))
    for name, value in narrower.items():
        setattr(wanted, name, value)
    return lists.find_tasks(store.engine, wanted, limit=limit, offset=offset)


async def _body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than MAX_BODY (stopped reading there,
    not read whole first)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


def _host_allowed(request: Request, allowed: set[str] | None) -> bool:
    """Whether the request names this server in its Host header: a page of another site
    that rebinds its name to 127.0.0.1 sends its own name, and is refused."""
    if allowed is None:
        return True
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.strip("[]").lower() in {h.strip("[]").lower() for h in allowed}


def make_app(db_url: str, allow_edits: bool = False,
             allowed_hosts: set[str] | None = None) -> Starlette:
    """``allowed_hosts``: the names a request's Host may give (None: any, for tests that
    call the app in-process)."""
    store = Store(db_url)

    def api(handler):  # noqa: ANN001, ANN202
        async def endpoint(request: Request) -> Response:
            for name in ("id", "n"):
                if request.path_params.get(name, 0) > MAX_ID:
                    return _error(404, "no such document" if name == "id" else "no such page")
            try:
                return await handler(request)
            except BadRequest as exc:
                return _error(400, str(exc))
        return endpoint

    @api
    async def api_documents(request: Request) -> Response:
        total, items = find_documents(store, request)
        # total_exact: False when a text search matched more than lists.EXACT_UP_TO
        # documents on PostgreSQL and the total is the planner's estimate
        return JSONResponse({"total": total, "total_exact": getattr(total, "exact", True),
                             "items": items})

    @api
    async def api_document(request: Request) -> Response:
        record = document_record(store.engine, request.path_params["id"])
        if record is None:
            return _error(404, "no such document")
        return JSONResponse(record)

    @api
    async def api_page(request: Request) -> Response:
        found = stored_file(store, request.path_params["id"])
        if found is None:
            return _error(404, "no such document")
        # rendered in a worker thread: a page of a large scan takes seconds, and the
        # event loop must go on answering everyone else meanwhile
        png = await run_in_threadpool(page_png, found[0], found[1], request.path_params["n"],
                                      stored_turn(store, request.path_params["id"],
                                            request.path_params["n"]))
        if png is None:
            return _error(404, "no such page image")
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": "private, max-age=3600"})

    @api
    async def api_searchable(request: Request) -> Response:
        found = stored_file(store, request.path_params["id"])
        if found is None:
            return _error(404, "no such document")
        try:  # the pipeline runs again: seconds per page, off the event loop
            pdf = await run_in_threadpool(searchable_pdf, found[0], found[1])
        except Unsearchable as exc:
            return _error(409, str(exc))
        name = Path(found[0]).stem + "-searchable.pdf"
        return FileResponse(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    @api
    async def api_tasks(request: Request) -> Response:
        total, rows = find_tasks(store, request)
        return JSONResponse({"total": total, "items": rows})

    @api
    async def api_targets(request: Request) -> Response:
        limit, offset = _paging(request)
        rows = queries.targets(store.engine, indicator=_text(request, "indicator"))
        return JSONResponse({"total": len(rows), "items": rows[offset:offset + limit]})

    def _edit_refused(request: Request) -> Response | None:
        if not allow_edits:
            return _error(403, "read-only: start vanban serve with --allow-edits to correct")
        origin = request.headers.get("origin")
        if origin and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
            return _error(403, "a correction must come from this server's own pages")
        return None

    @api
    async def api_correct(request: Request) -> Response:
        """``{"value": …, "by": …}`` corrects (null or "" clears), ``{"confirm": true,
        "by": …}`` confirms the value shown; DELETE takes the latest decision back."""
        if refused := _edit_refused(request):
            return refused
        field = request.path_params["field"]
        if request.method == "DELETE":
            try:
                record = undo(store.engine, request.path_params["id"], field)
            except BadCorrection as exc:
                return _error(422, str(exc))
            return _error(404, "no such document") if record is None else JSONResponse(record)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error(415, "send the correction as application/json")
        raw = await _body(request)
        if raw is None:
            return _error(413, f"a correction is at most {MAX_BODY // 1024} KB")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(422, "the body is not JSON")
        confirm = isinstance(body, dict) and body.get("confirm") is True
        if not isinstance(body, dict) or ("value" not in body and not confirm):
            return _error(422, 'the body is {"value": ..., "by": ...} or {"confirm": true, '
                          '"by": ...}')
        try:
            record = correct(store.engine, request.path_params["id"], field,
                             body.get("value"), str(body.get("by", "")), confirm=confirm)
        except BadCorrection as exc:
            return _error(422, str(exc))
        if record is None:
            return _error(404, "no such document")
        return JSONResponse(record)

    @api
    async def api_original(request: Request) -> Response:
        found = stored_file(store, request.path_params["id"])
        if found is None or not Path(found[0]).is_file():
            return _error(404, "no such document file")
        return FileResponse(found[0], filename=Path(found[0]).name)

    async def home(request: Request) -> Response:
        try:
            total, items = find_documents(store, request, ranked=True)
            limit, offset = _paging(request)
            failure = None
        except BadRequest as exc:
            total, items, failure, limit, offset = 0, [], str(exc), 50, 0
        params = dict(request.query_params)
        kept = {k: v for k, v in params.items() if k not in ("sort", "offset")}
        sorts = {"relevance": "?" + urlencode(kept),
                 "date": "?" + urlencode({**kept, "sort": "date"})} if params.get("q") else None
        return TEMPLATES.TemplateResponse(request, "search.html", {
            "total": total, "items": items, "failure": failure, "params": params,
            "sorts": sorts, "pager": pages_of(total, params, limit, offset)})

    async def review_queue(request: Request) -> Response:
        try:
            limit, offset = _paging(request)
        except BadRequest as exc:
            return _page_error(request, 400, str(exc))
        return queue.queue_page(store, request, limit, offset)

    async def document(request: Request) -> Response:
        doc_id = request.path_params["id"]
        record = document_record(store.engine, doc_id) if doc_id <= MAX_ID else None
        if record is None:
            return TEMPLATES.TemplateResponse(request, "missing.html", {}, status_code=404)
        reviewing = request.query_params.get("review") == "1"
        return TEMPLATES.TemplateResponse(request, "document.html", {
            "doc": record, "allow_edits": allow_edits, "fields": FIELD_LABELS,
            "boxes": boxes_of(record), "flags": queue.open_flags(store, doc_id),
            "reviewing": reviewing,
            "next_id": queue.next_in_queue(store, doc_id) if reviewing else None,
            "queue": queue.queue_position(store) if reviewing else None})

    async def board(request: Request) -> Response:
        """Overdue, due this month, later, undated: each group's count and its first page."""
        today = dt.date.today()
        month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
            - dt.timedelta(days=1)
        try:
            groups = {
                "Quá hạn": find_tasks(store, request, overdue_on=today),
                "Đến hạn trong tháng": find_tasks(store, request, due_from=today,
                                                  due_until=month_end),
                "Sau tháng này": find_tasks(store, request,
                                            due_from=month_end + dt.timedelta(days=1)),
                "Không có hạn": find_tasks(store, request, undated=True),
            }
        except BadRequest as exc:
            return _page_error(request, 400, str(exc))
        return TEMPLATES.TemplateResponse(request, "tasks.html", {"groups": groups,
                                                                  "today": today.isoformat()})

    async def indicators(request: Request) -> Response:
        try:
            wanted = _text(request, "name")
        except BadRequest as exc:
            return _page_error(request, 400, str(exc))
        rows = queries.targets(store.engine, indicator=wanted)
        names = sorted({r["indicator"] for r in rows})
        chart = chart_of(rows) if wanted else None
        return TEMPLATES.TemplateResponse(request, "indicators.html", {
            "names": names, "wanted": wanted, "rows": rows, "chart": chart})

    async def runs(request: Request) -> Response:
        return TEMPLATES.TemplateResponse(request, "runs.html", {
            "runs": store.runs(), "errors": store.errors()})

    routes = [
        Route("/", home), Route("/documents/{id:int}", document), Route("/tasks", board),
        Route("/review", review_queue),
        Route("/api/documents/{id:int}/original", api_original),
        Route("/runs", runs), Route("/indicators", indicators),
        Route("/api/documents", api_documents),
        Route("/api/documents/{id:int}", api_document),
        Route("/api/documents/{id:int}/pages/{n:int}.png", api_page),
        Route("/api/documents/{id:int}/searchable.pdf", api_searchable),
        Route("/api/tasks", api_tasks), Route("/api/targets", api_targets),
        Route("/api/documents/{id:int}/fields/{field:str}", api_correct,
              methods=["PUT", "DELETE"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: _not_found})

    async def guarded(scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] == "http" and not _host_allowed(Request(scope), allowed_hosts):
            await _error(421, "this server is not reached by that name (start vanban serve "
                         "with --allowed-host NAME to allow it)")(scope, receive, send)
            return
        await app(scope, receive, send)

    guarded.app = app  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


async def _not_found(request: Request, exc: Exception) -> Response:
    """JSON under /api (the contract's), a Vietnamese page for a person elsewhere."""
    if request.url.path.startswith("/api/"):
        return _error(404, "not found")
    return TEMPLATES.TemplateResponse(request, "missing.html", {
        "message": "Không có trang này."}, status_code=404)


def _page_error(request: Request, status: int, detail: str) -> Response:
    """A page's error for a person: in Vietnamese, the parameter's English detail kept."""
    return TEMPLATES.TemplateResponse(request, "error.html", {
        "heading": "Yêu cầu không hợp lệ", "message": f"Tham số không dùng được ({detail})."},
        status_code=status)


# the fields a person may correct, under the names the command line shows
FIELD_LABELS = {field: labels.column(field, "vi") for field in CORRECTABLE}
