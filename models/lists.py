"""Lists of documents and tasks, a page at a time, with their totals: what the search page,
the API and ``vanban query`` show. Every filter is SQL over an index, and the order is an
index too, so a page costs the same at ten documents and at a million
(scripts/bench_query.py measures it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from extractors.common import fold
from models import fulltext, organisations, records, review

LIST_COLUMNS = ("id", "source", "sha256", "number", "doc_type", "issued_date", "issuer",
                "subject", "signer_name", "page_count")


@dataclass
class DocumentFilter:
    """What a person narrows a list by; every part optional."""

    q: str | None = None  # words of the text, marks optional
    doc_types: list[str] | None = None  # canonical names (Công văn, Kế hoạch…)
    issuer: str | None = None  # a body, any spelling: the bodies under it count too
    signer: str | None = None  # words of the signer's name, marks optional
    since: dt.date | None = None
    until: dt.date | None = None
    number: str | None = None  # số ký hiệu: its beginning or its digits, any case, D for Đ
    needs_review: bool = False  # in the review queue (models/review.py), weakest first
    lang: str = "vi"  # the language of the review reasons


def _among(column: str, values: list[Any], name: str) -> tuple[str, dict[str, Any]]:
    """``column IN (…)`` over bound parameters ``name0``, ``name1``…, and those parameters."""
    bound = {f"{name}{i}": value for i, value in enumerate(values)}
    return f"{column} IN ({', '.join(':' + k for k in bound)})", bound


def _where(session: Session, wanted: DocumentFilter, dialect: str
           ) -> tuple[str, str, dict[str, Any], bool] | None:
    """The query for ``wanted`` (FROM … ORDER BY), the one that counts it (a text search
    alone is counted in the index, without the join), their parameters, and whether words
    are searched; None when nothing can match."""
    params: dict[str, Any] = {}
    clauses: list[str] = []
    (body, prefixes), signer = fulltext.query_terms(wanted.q), fulltext.words(wanted.signer)
    if (wanted.q and not body and not prefixes) or (wanted.signer and not signer):
        return None  # only punctuation was typed
    low, high = fulltext.key_range(wanted.since, wanted.until)
    if body or signer or prefixes:
        condition, params = fulltext.match(dialect, body, signer, prefixes)
        clauses.append(condition)
        if dialect == "sqlite":  # the FTS rowid is the order key: matches come out in order
            source, key = (f"{fulltext.TABLE} JOIN documents d ON d.order_key = "
                           f"{fulltext.TABLE}.rowid"), f"{fulltext.TABLE}.rowid"
        else:
            source, key = f"{fulltext.TABLE} s JOIN documents d ON d.id = s.document_id", \
                "s.order_key"
    else:
        source, key = "documents d", "d.order_key"
    if low is not None:
        clauses.append(f"{key} >= :low")
        params["low"] = low
    if high is not None:
        clauses.append(f"{key} <= :high")
        params["high"] = high
    if wanted.doc_types is not None:
        if not wanted.doc_types:
            return None
        # the type as shown: a person's latest correction over the machine's reading
        clause, bound = _among(
            "COALESCE((SELECT k.new FROM corrections k WHERE k.sha256 = d.sha256 AND "
            "k.field = 'doc_type' ORDER BY k.at DESC, k.id DESC LIMIT 1), d.doc_type)",
            wanted.doc_types, "t")
        clauses.append(clause)
        params.update(bound)
    if wanted.number:
        prefix = number_prefix(wanted.number)
        if dialect == "sqlite":  # a range of the index (SQLite compares bytes)
            clauses.append("d.number_key >= :number_low AND d.number_key < :number_high")
            params.update(number_low=prefix, number_high=prefix + "\U0010ffff")
        else:  # LIKE 'x%' over text_pattern_ops: right under any collation
            clauses.append("d.number_key LIKE :number ESCAPE '!'")
            params["number"] = "".join("!" + ch if ch in "!%_" else ch for ch in prefix) + "%"
    if wanted.needs_review:
        clauses.append(review.NEEDS_REVIEW_SQL)
        params.update(review.NEEDS_REVIEW_PARAMS)
    if wanted.issuer:
        bodies = organisations.subtree(session, organisations.find(session, wanted.issuer))
        if not bodies:
            return None
        clause, bound = _among("d.issuer_id", sorted(bodies), "o")
        clauses.append(clause)
        params.update(bound)
    where = " AND ".join(clauses) or "1 = 1"
    counted = f"{source} WHERE {where}"
    searched = bool(body or signer or prefixes)
    if searched and not (wanted.doc_types or wanted.issuer or wanted.number
                         or wanted.needs_review):
        index = fulltext.TABLE if dialect == "sqlite" else f"{fulltext.TABLE} s"
        counted = f"{index} WHERE {where}"
    order = f"{review.WEAKEST_SQL}, {key} DESC" if wanted.needs_review else f"{key} DESC"
    return f"{source} WHERE {where} ORDER BY {order}", counted, params, searched


CHUNK = 500  # rows read, corrected and handed on at a time


def find_documents(engine: Engine, wanted: DocumentFilter, limit: int | None = 50,
                   offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(how many documents match, the ``limit`` of them from ``offset``), newest first, with
    people's corrections applied to the values shown."""
    total, rows = iter_documents(engine, wanted, limit, offset)
    return total, list(rows)


def iter_documents(engine: Engine, wanted: DocumentFilter, limit: int | None = None,
                   offset: int = 0) -> tuple[int, Iterator[dict[str, Any]]]:
    """As ``find_documents``, the rows streamed ``CHUNK`` at a time: every document of a
    million-document archive can be listed without holding them all (or binding a
    million parameters, which SQLite refuses)."""
    with Session(engine) as session:
        built = _where(session, wanted, engine.dialect.name)
        if built is None:
            return Total(0), iter(())
        query, counted, params, searched = built
        total = _count(session, counted, params, estimate=searched and
                       engine.dialect.name == "postgresql")
    columns = ", ".join(f"d.{c}" for c in LIST_COLUMNS)
    paging = " LIMIT :limit OFFSET :offset" if limit is not None else " OFFSET :offset"
    if limit is None and engine.dialect.name == "sqlite":
        paging = " LIMIT -1 OFFSET :offset"  # SQLite has no OFFSET without a LIMIT
    select = text(f"SELECT {columns} FROM {query}{paging}")

    def rows() -> Iterator[dict[str, Any]]:
        with engine.connect().execution_options(stream_results=True) as conn:
            result = conn.execute(select, {**params, "limit": limit, "offset": offset})
            for chunk in result.partitions(CHUNK):
                yield from _shown(engine, [dict(zip(LIST_COLUMNS, row, strict=True))
                                           for row in chunk], wanted)
    return total, rows()


def _shown(engine: Engine, found: list[dict[str, Any]], wanted: DocumentFilter
           ) -> list[dict[str, Any]]:
    """Rows as shown: ISO dates, people's corrections applied, review reasons if asked."""
    reasons_too = wanted.needs_review
    with Session(engine) as session:
        fixes = records.corrections_of(session, [d["sha256"] for d in found])
        reasons = (review.reasons(session, [d["id"] for d in found], wanted.lang)
                   if reasons_too else {})
    items = []
    for d in found:
        d["issued_date"] = _iso(d["issued_date"])
        if reasons_too:
            d["review"] = "; ".join(reasons.get(d["id"], []))
        items.append(records.corrected(d, fixes.get(d["sha256"], [])))
    return items


EXACT_UP_TO = 10_000


class Total(int):
    """How many rows match; ``exact`` False when it is an estimate (``_count``)."""

    exact: bool = True


SAMPLE_PERCENT = 2  # of the index table's pages, for an estimate
SAMPLE_HITS = 50  # fewer matches in the sample: the planner's estimate instead


def _count(session: Session, counted: str, params: dict[str, Any], estimate: bool) -> Total:
    """The number of matches. PostgreSQL must open every matching row to count a word's
    matches (its GIN index answers "maybe"): half a second for a word in half of a million
    documents. So there a text search counts exactly up to ``EXACT_UP_TO`` and, beyond,
    estimates from a fixed random sample of the index's pages, marked as such (within a few
    per cent on scripts/bench_query.py's searches; the planner's own estimate, which
    assumes words independent, was 2.7× low for some). SQLite's FTS5 counts exactly, fast."""
    if not estimate:
        return Total(session.execute(text(f"SELECT count(*) FROM {counted}"),
                                     params).scalar_one())
    found = session.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM {counted} LIMIT "
                                 f"{EXACT_UP_TO + 1}) AS capped"), params).scalar_one()
    if found <= EXACT_UP_TO:
        return Total(found)
    total = Total(max(found, _estimate(session, counted, params)))
    total.exact = False
    return total


def _estimate(session: Session, counted: str, params: dict[str, Any]) -> int:
    """Matches in a repeatable sample of the index table's pages, scaled to the table."""
    sample = f"{fulltext.TABLE} s TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) REPEATABLE (1)"
    hits = session.execute(text("SELECT count(*) FROM " + counted.replace(
        f"{fulltext.TABLE} s", sample, 1)), params).scalar_one()
    sampled, rows = session.execute(text(
        f"SELECT (SELECT count(*) FROM {sample}), (SELECT reltuples FROM pg_class WHERE "
        f"relname = '{fulltext.TABLE}')")).one()
    if hits >= SAMPLE_HITS and sampled and rows and rows > 0:
        return round(hits * rows / sampled)
    plan = session.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {counted}"),
                           params).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return round(plan[0]["Plan"]["Plan Rows"])


def number_prefix(typed: str) -> str:
    """What a số ký hiệu as typed must begin with: its digits alone mean that number
    (``298`` → ``298/``), otherwise its beginning, in the form of ``number_key``."""
    key = fulltext.number_key(typed) or ""
    return key + "/" if key.isdigit() else key


def _iso(value: Any) -> str | None:
    date = fulltext.as_date(value)
    return date.isoformat() if date else None


@dataclass
class TaskFilter:
    """Tasks by lead agency (any spelling; a body includes the bodies under it) and due
    date: from, until, or before a day (overdue on it)."""

    lead: str | None = None
    due_from: dt.date | None = None
    due_until: dt.date | None = None
    overdue_on: dt.date | None = None
    undated: bool = False  # only tasks with no due date (thường xuyên, no deadline read)


def find_tasks(engine: Engine, wanted: TaskFilter, limit: int | None = 50, offset: int = 0
               ) -> tuple[int, list[dict[str, Any]]]:
    """(how many tasks match, a page of them), by due date, undated ones last; each with
    its document's id, number, source, issuer and date, so it can be traced back."""
    clauses, params = [], {}
    for column, op, value in (("due_from", ">=", wanted.due_from),
                              ("due_until", "<=", wanted.due_until),
                              ("overdue_on", "<", wanted.overdue_on)):
        if value is not None:
            clauses.append(f"t.due_date {op} :{column}")
            params[column] = value
    if wanted.undated:
        clauses.append("t.due_date IS NULL")
    with Session(engine) as session:
        via_group: set[int] = set()
        if wanted.lead:
            found = organisations.find(session, wanted.lead)
            bodies = organisations.subtree(session, found)
            if not bodies:
                return 0, []
            clause, bound = _among("t.lead_id", sorted(bodies), "o")
            via_group = _group_tasks(session, found)
            if via_group:
                extra, more = _among("t.id", sorted(via_group), "g")
                clause = f"({clause} OR {extra})"
                bound.update(more)
            clauses.append(clause)
            params.update(bound)
        where = " AND ".join(clauses) or "1 = 1"
        total = session.execute(text(f"SELECT count(*) FROM tasks t WHERE {where}"),
                                params).scalar_one()
        page = _task_page(session, where, params, limit, offset)
        partners: dict[int, list[str]] = {}
        if page:
            for task_id, name in session.execute(
                    text("SELECT task_id, name FROM task_partners WHERE task_id IN "
                         f"({', '.join(str(int(r[0])) for r in page)}) ORDER BY task_id, "
                         "position")):
                partners.setdefault(task_id, []).append(name)
        items = records.follow_documents(
            session, [_task_item(row, partners.get(row[0], [])) for row in page])
    for row, item in zip(page, items, strict=True):
        item["via_group"] = row[0] in via_group  # given to "các sở, ban, ngành", not by name
    return total, items


# a lead that gives the work to every body of a kind under the issuer, by its kind
GROUP_LEADS = {
    "so": regex.compile(r"\bcac so\b"),
    "phong": regex.compile(r"\bcac phong\b"),
    "ubnd": regex.compile(r"\b(?:ubnd|uy ban nhan dan) cac (?:huyen|xa|quan|phuong|tinh)"),
}


def _group_tasks(session: Session, bodies: list[int]) -> set[int]:
    """Tasks led by a group that includes one of ``bodies``: ``các sở, ban, ngành`` in a
    document its Ủy ban issued covers each of its Sở; ``UBND các huyện …`` of a tỉnh covers
    each huyện under it."""
    found: set[int] = set()
    among, bound = _among("id", bodies, "b")
    for body in session.execute(
            text(f"SELECT id, kind, parent_id FROM organisations WHERE {among}"), bound):
        pattern = GROUP_LEADS.get(body.kind or "")
        if pattern is None or body.parent_id is None:
            continue
        rows = session.execute(text(
            "SELECT t.id, t.lead FROM tasks t JOIN documents d ON d.id = t.document_id "
            "WHERE d.issuer_id = :issuer AND t.lead IS NOT NULL"), {"issuer": body.parent_id})
        found |= {task_id for task_id, lead in rows if pattern.search(fold(lead))}
    return found


TASK_COLUMNS = ("t.id", "t.content", "t.lead", "t.due_date", "t.deadline", "t.page",
                "d.id", "d.source", "d.number", "d.issuer", "d.issued_date", "d.subject",
                "t.box", "t.extra")


def _task_page(session: Session, where: str, params: dict[str, Any], limit: int | None,
               offset: int) -> list[Any]:
    """Dated tasks by due date, then undated ones: two index walks rather than one sort
    (an index on due_date cannot give NULLs last on both engines)."""
    select = f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks t JOIN documents d ON d.id = " \
             "t.document_id WHERE " + where
    dated = session.execute(text(f"SELECT count(*) FROM tasks t WHERE {where} AND "
                                 "t.due_date IS NOT NULL"), params).scalar_one()
    every = -1 if session.get_bind().dialect.name == "sqlite" else None  # LIMIT ALL
    rows: list[Any] = []
    if offset < dated:
        rows += session.execute(text(
            f"{select} AND t.due_date IS NOT NULL ORDER BY t.due_date, t.id "
            "LIMIT :limit OFFSET :offset"),
            {**params, "limit": every if limit is None else limit, "offset": offset}).all()
    if limit is None or len(rows) < limit:
        rows += session.execute(text(
            f"{select} AND t.due_date IS NULL ORDER BY t.id LIMIT :rest OFFSET :skip"),
            {**params, "rest": every if limit is None else limit - len(rows),
             "skip": max(0, offset - dated)}).all()
    return rows


def _task_item(row: Any, partners: list[str]) -> dict[str, Any]:
    (task_id, content, lead, due, deadline, page, doc_id, source, number, issuer, issued,
     subject, box, extra) = row
    extra = _json(extra) or {}
    # where it was read (page, box, the sentence as printed): one click to check it
    return {"document_id": doc_id, "source": source, "number": number, "issuer": issuer,
            "issued_date": _iso(issued), "subject": subject, "content": content,
            "lead": lead, "partners": partners, "due_date": _iso(due), "deadline": deadline,
            "page": page, "box": _json(box), "group": extra.get("group"),
            "periodic": bool(extra.get("periodic")), "sentence": extra.get("sentence")}


def _json(value: Any) -> Any:
    """A JSON column read by raw SQL: text on SQLite, already decoded on PostgreSQL."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value

