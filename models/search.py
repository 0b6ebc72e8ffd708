"""The query side: diacritic-insensitive full-text search, tasks, targets and citations.

Full-text search (tìm kiếm không dấu): ``cai cach thu tuc`` must find ``cải cách thủ tục``.
SQLite's FTS5 ``unicode61 remove_diacritics 2`` strips the tone and vowel marks, but ``đ``
is a letter of its own in Unicode, not a ``d`` with a mark, so it would stay ``đ``; pages
are therefore indexed in their folded form (``đ`` → ``d``, marks removed, lower case), and
queries are folded the same way. PostgreSQL indexes ``to_tsvector('simple',
unaccent(text))`` with GIN (its unaccent rules fold ``đ`` too) and matches the query
passed through the same function, so the index serves it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import regex
from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, selectinload

from models import organisations
from models.schema import DocumentRow, Indicator, PageRow, Reference, Target, Task
from pipeline.core.syllables import fold

FTS_TABLE = "page_search"
SNIPPET = (20, 90)  # characters of context before and after the first hit


def search_key(page_text: str) -> str:
    """The form pages are indexed and queries are matched in: no marks, đ → d, lower case."""
    return "".join(fold(ch) or ch for ch in page_text).lower()


def create_index(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        conn.execute(text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "folded, page_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        ))


def index_pages(conn: Connection, pages: list[PageRow], dialect: str) -> None:
    """Called inside the document's transaction, so the index never disagrees with pages."""
    if dialect != "sqlite":
        return
    for page in pages:
        conn.execute(text(f"DELETE FROM {FTS_TABLE} WHERE page_id = :id"), {"id": page.id})
        conn.execute(text(f"INSERT INTO {FTS_TABLE} (folded, page_id) VALUES (:f, :id)"),
                     {"f": page.search_text, "id": page.id})


def unindex_document(conn: Connection, document_id: int, dialect: str) -> None:
    if dialect != "sqlite":
        return
    conn.execute(
        text(f"DELETE FROM {FTS_TABLE} WHERE page_id IN "
             "(SELECT id FROM pages WHERE document_id = :d)"), {"d": document_id},
    )


def _snippet(page_text: str, terms: list[str]) -> str:
    folded = search_key(page_text)
    at = folded.find(" ".join(terms))  # the words together, else the longest of them
    if at < 0:
        at = max(0, folded.find(max(terms, key=len)))
    start, stop = max(0, at - SNIPPET[0]), min(len(page_text), at + SNIPPET[1])
    snippet = " ".join(page_text[start:stop].split())
    return ("…" if start else "") + snippet + ("…" if stop < len(page_text) else "")


def search(engine: Engine, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """Pages matching every word of ``query``, with or without diacritics."""
    terms = regex.findall(r"[\p{L}\p{N}]+", search_key(query))
    if not terms:
        return []
    with Session(engine) as session:
        if engine.dialect.name == "sqlite":
            phrase = " ".join(f'"{t}"' for t in terms)
            ids = session.execute(
                text(f"SELECT page_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                     "ORDER BY rank LIMIT :n"), {"q": phrase, "n": limit},
            ).scalars().all()
            pages = session.scalars(select(PageRow).where(PageRow.id.in_(ids))).all()
            order = {pid: i for i, pid in enumerate(ids)}
            pages = sorted(pages, key=lambda p: order[p.id])
        else:  # PostgreSQL: the GIN index of migration 0002, tsvector over unaccent(text)
            ids = session.execute(
                text("SELECT id FROM pages WHERE to_tsvector('simple', vanban_fold(text)) "
                     "@@ plainto_tsquery('simple', vanban_fold(:q)) ORDER BY ts_rank("
                     "to_tsvector('simple', vanban_fold(text)), plainto_tsquery('simple', "
                     "vanban_fold(:q))) DESC, id LIMIT :n"), {"q": query, "n": limit},
            ).scalars().all()
            pages = session.scalars(select(PageRow).where(PageRow.id.in_(ids))).all()
            order = {pid: i for i, pid in enumerate(ids)}
            pages = sorted(pages, key=lambda p: order[p.id])
        return [
            {"document_id": p.document_id, "source": p.document.source,
             "number": p.document.number,
             "doc_type": p.document.doc_type, "page": p.number,
             "snippet": _snippet(p.text, terms)}
            for p in pages
        ]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def tasks(engine: Engine, lead: str | None = None, due_from: str | None = None,
          due_until: str | None = None, overdue_on: str | None = None) -> list[dict[str, Any]]:
    """Tasks by lead agency (any spelling, with or without marks; a body includes the
    bodies under it), due period, or overdue."""
    stmt = select(Task, DocumentRow).join(DocumentRow).options(
        selectinload(Task.partners)).order_by(Task.due_date, Task.id)
    if due_from:
        stmt = stmt.where(Task.due_date >= dt.date.fromisoformat(due_from))
    if due_until:
        stmt = stmt.where(Task.due_date <= dt.date.fromisoformat(due_until))
    if overdue_on:
        stmt = stmt.where(Task.due_date < dt.date.fromisoformat(overdue_on))
    with Session(engine) as session:
        if lead:
            bodies = organisations.subtree(session, organisations.find(session, lead))
            stmt = stmt.where(Task.lead_id.in_(bodies))
        rows = session.execute(stmt).all()
        return [
            {"document_id": d.id, "source": d.source, "number": d.number, "issuer": d.issuer,
             "issued_date": _iso(d.issued_date), "content": t.content,
             "lead": t.lead, "partners": [p.name for p in t.partners],
             "due_date": _iso(t.due_date), "deadline": t.deadline, "page": t.page}
            for t, d in rows
        ]


def targets(engine: Engine, indicator: str | None = None) -> list[dict[str, Any]]:
    """Targets by indicator across documents: one row per document and target. The words
    given (marks optional) match the catalogue's name and code, or the wording itself."""
    stmt = select(Target, DocumentRow, Indicator).join(
        DocumentRow, Target.document_id == DocumentRow.id
    ).outerjoin(Indicator, Target.indicator_id == Indicator.id).order_by(
        func.coalesce(Indicator.name, Target.indicator), Target.year, DocumentRow.issued_date,
        Target.id,
    )
    with Session(engine) as session:
        rows = session.execute(stmt).all()
    wanted = search_key(indicator) if indicator else None

    def matches(target: Target, linked: Indicator | None) -> bool:
        names = [target.indicator] + ([linked.name, linked.code.replace("_", " ")] if linked
                                      else [])
        return wanted is None or any(wanted in search_key(n) for n in names)

    return [
        {"document_id": d.id, "source": d.source, "issuer": d.issuer, "number": d.number,
         "year": t.year,
         "indicator": linked.name if linked else t.indicator,
         "indicator_code": linked.code if linked else None, "value": t.value,
         "unit": t.unit, "comparator": t.comparator, "kind": t.kind, "page": t.page}
        for t, d, linked in rows
        if matches(t, linked)
    ]


def _doc_row(direction: str, doc: DocumentRow) -> dict[str, Any]:
    return {"direction": direction, "number": doc.number, "doc_type": doc.doc_type,
            "issued_date": _iso(doc.issued_date), "issuer": doc.issuer,
            "source": doc.source}


def references(engine: Engine, number: str) -> list[dict[str, Any]]:
    """Citations of and by the document numbered ``number`` (số ký hiệu), following the
    resolved edges; a citation no stored document matches has ``resolved`` false."""
    out: list[dict[str, Any]] = []
    with Session(engine) as session:
        stored = session.scalars(select(DocumentRow).where(
            or_(DocumentRow.number == number, DocumentRow.source == number))).all()
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
                out.append({"direction": "cites", "number": ref.number, "doc_type": ref.doc_type,
                            "issued_date": _iso(ref.date), "issuer": ref.issuer,
                            "source": None, "resolved": False})
    return out
