"""The query side: full-text search by page, tasks, targets and citations, over the
indexes of models/fulltext.py and the paged lists of models/lists.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models.fulltext import search_key, words
from models.lists import DocumentFilter, TaskFilter, find_documents, find_tasks
from models.schema import DocumentRow, Indicator, PageRow, Reference, Target

SNIPPET = (20, 90)  # characters of context before and after the first hit

__all__ = ["search", "search_key", "tasks", "targets", "references"]


def _snippet(page_text: str, terms: list[str]) -> str:
    """Some words around the first hit, cut between words, never inside one."""
    folded = search_key(page_text)
    at = folded.find(" ".join(terms))  # the words together, else the longest of them
    if at < 0:
        at = max(0, folded.find(max(terms, key=len)))
    start, stop = max(0, at - SNIPPET[0]), min(len(page_text), at + SNIPPET[1])
    while start > 0 and not page_text[start - 1].isspace():
        start -= 1
    while stop < len(page_text) and not page_text[stop].isspace():
        stop += 1
    snippet = " ".join(page_text[start:stop].split())
    return ("…" if start else "") + snippet + ("…" if stop < len(page_text) else "")


def search(engine: Engine, query: str, limit: int | None = 50, offset: int = 0,
           wanted: DocumentFilter | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Pages holding every word of ``query``, with or without diacritics, in the documents
    ``wanted`` also selects: (how many documents hold them, the pages of ``limit`` of them
    from ``offset``, newest first). A document whose words are spread over its pages gives
    its first page."""
    terms = words(query)
    if not terms:
        return 0, []
    total, documents = find_documents(engine, replace(wanted or DocumentFilter(), q=query),
                                      limit=limit, offset=offset)
    ids = [d["id"] for d in documents]
    with Session(engine) as session:
        pages = session.scalars(select(PageRow).where(PageRow.document_id.in_(ids))
                                .order_by(PageRow.number)).all()
    by_document: dict[int, list[PageRow]] = {}
    for page in pages:
        by_document.setdefault(page.document_id, []).append(page)
    hits = []
    for d in documents:
        held = by_document.get(d["id"], [])
        chosen = [p for p in held if set(terms) <= set(words(p.text))] or held[:1]
        hits += [{"document_id": d["id"], "source": d["source"], "number": d["number"],
                  "doc_type": d["doc_type"], "issued_date": d["issued_date"], "page": p.number,
                  "snippet": _snippet(p.text, terms)} for p in chosen]
    return total, hits


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def tasks(engine: Engine, lead: str | None = None, due_from: str | None = None,
          due_until: str | None = None, overdue_on: str | None = None) -> list[dict[str, Any]]:
    """Every task by lead agency (any spelling, with or without marks; a body includes the
    bodies under it), due period, or overdue; by due date, undated ones last."""
    day = (lambda v: dt.date.fromisoformat(v) if v else None)  # noqa: E731
    return find_tasks(engine, TaskFilter(lead=lead, due_from=day(due_from),
                                         due_until=day(due_until), overdue_on=day(overdue_on)),
                      limit=None)[1]


def targets(engine: Engine, indicator: str | None = None) -> list[dict[str, Any]]:
    """Targets by indicator across documents: one row per document and target. The words
    given (marks optional) match the catalogue's name and code, or the wording itself."""
    stmt = select(Target, DocumentRow, Indicator).join(
        DocumentRow, Target.document_id == DocumentRow.id
    ).outerjoin(Indicator, Target.indicator_id == Indicator.id).order_by(
        func.coalesce(Indicator.name, Target.indicator), Target.year, DocumentRow.issued_date,
        Target.id,
    )
    from models.records import follow_documents  # records reads this module's _iso

    with Session(engine) as session:
        rows = session.execute(stmt).all()
    wanted = search_key(indicator) if indicator else None

    def matches(target: Target, linked: Indicator | None) -> bool:
        names = [target.indicator] + ([linked.name, linked.code.replace("_", " ")] if linked
                                      else [])
        return wanted is None or any(wanted in search_key(n) for n in names)

    found = [
        {"document_id": d.id, "source": d.source, "issuer": d.issuer, "number": d.number,
         "year": t.year,
         "indicator": linked.name if linked else t.indicator,
         "indicator_code": linked.code if linked else None, "value": t.value,
         "unit": t.unit, "comparator": t.comparator, "kind": t.kind, "page": t.page}
        for t, d, linked in rows
        if matches(t, linked)
    ]
    with Session(engine) as session:
        return follow_documents(session, found)


def _doc_row(direction: str, doc: DocumentRow) -> dict[str, Any]:
    return {"direction": direction, "document_id": doc.id, "number": doc.number,
            "doc_type": doc.doc_type,
            "issued_date": _iso(doc.issued_date), "issuer": doc.issuer,
            "source": doc.source}


def references(engine: Engine, number: str) -> list[dict[str, Any]]:
    """Citations of and by the document numbered ``number`` (số ký hiệu), following the
    resolved edges; a citation no stored document matches has ``resolved`` false."""
    from models.fulltext import number_key
    from models.records import follow_documents

    out: list[dict[str, Any]] = []
    with Session(engine) as session:
        # by the number as shown: number_key follows people's corrections
        stored = session.scalars(select(DocumentRow).where(
            or_(DocumentRow.number_key == number_key(number), DocumentRow.number == number,
                DocumentRow.source == number))).all()
        ids = [d.id for d in stored]
        citing = session.execute(
            select(Reference, DocumentRow)
            .join(DocumentRow, Reference.document_id == DocumentRow.id)
            .where(or_(Reference.cited_document_id.in_(ids),
                       and_(Reference.number == number, Reference.cited_document_id.is_(None))))
            .order_by(DocumentRow.issued_date, DocumentRow.id)
        ).all()
        out += [{**_doc_row("cited by", doc), "resolved": ref.cited_document_id is not None}
                for ref, doc in citing]
        cited = session.scalars(
            select(Reference).where(Reference.document_id.in_(ids)).order_by(Reference.id)
        ).all()
        for ref in cited:
            target = session.get(DocumentRow, ref.cited_document_id) if ref.cited_document_id \
                else None
            if target is not None:
                out.append({**_doc_row("cites", target), "resolved": True})
            else:
                out.append({"direction": "cites", "document_id": None, "number": ref.number,
                            "doc_type": ref.doc_type, "issued_date": _iso(ref.date),
                            "issuer": ref.issuer, "source": None, "resolved": False})
        return follow_documents(session, out)
