"""The web search's results: each document's best page, with a snippet whose matched words
are marked, ordered by relevance (or by date, on request).

A query is words (marks optional), ``"quoted phrases"`` (the words in that order) and
``prefix*`` words. The index (models/fulltext) finds the documents holding every word and
prefix; the first RANK_UP_TO of them, newest first, are then scored on their pages' words:
a phrase found, each query word's occurrences (diminishing), on the first page (the
trích yếu is there) a little more. A phrase typed but on no page drops the document.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import regex
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models.fulltext import WORD, query_terms, search_key, words
from models.lists import DocumentFilter, Total, find_documents
from models.schema import PageRow

RANK_UP_TO = 1000  # documents scored for relevance; beyond them, by date
SNIPPET = (60, 160)  # characters of context before and after the best hit
PHRASE = regex.compile(r'"([^"]+)"')


@dataclass
class Query:
    words: list[str]  # folded: every one must be on the document
    prefixes: list[str]
    phrases: list[list[str]]  # each a run of folded words

    def matches(self, token: str) -> bool:
        return token in self.words or any(token.startswith(p) for p in self.prefixes)


def parse(typed: str) -> Query:
    phrases = [words(p) for p in PHRASE.findall(typed)]
    found, prefixes = query_terms(typed.replace('"', " "))
    return Query(found, prefixes, [p for p in phrases if p])


def _has_run(tokens: list[str], run: list[str]) -> int:
    n = len(run)
    return sum(tokens[i:i + n] == run for i in range(len(tokens) - n + 1))


def score_page(tokens: list[str], query: Query, number: int) -> float:
    """How well one page answers: phrases, then each word's occurrences, diminishing."""
    counts: dict[str, int] = {}
    for token in tokens:
        if query.matches(token):
            counts[token] = counts.get(token, 0) + 1
    score = sum(1 + math.log(c) for c in counts.values())
    score += sum(5 * _has_run(tokens, p) for p in query.phrases)
    return score * (1.2 if number == 1 else 1.0)


def marked(text: str, query: Query, at: int | None = None) -> list[tuple[str, bool]]:
    """The snippet around ``at`` (the best hit's character offset) as (text, matched)
    pieces, for a template to wrap the matched ones in <mark> (escaped as text)."""
    start, stop = 0, len(text)
    if at is not None:
        start, stop = max(0, at - SNIPPET[0]), min(len(text), at + SNIPPET[1])
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while stop < len(text) and not text[stop].isspace():
            stop += 1
    piece = " ".join(text[start:stop].split())
    out: list[tuple[str, bool]] = [("…", False)] if start else []
    last = 0
    for word in WORD.finditer(piece):
        if query.matches(search_key(word.group())):
            out += [(piece[last:word.start()], False), (word.group(), True)]
            last = word.end()
    out.append((piece[last:] + ("…" if stop < len(text) else ""), False))
    return [p for p in out if p[0]]


def _best_hit(text: str, query: Query) -> int:
    """Where the snippet goes: the matched word that begins the run holding the most
    different query words within a snippet's width (``hanh`` of ``Hạnh phúc`` alone loses
    to ``thủ tục hành chính`` further down)."""
    found = [(w.start(), search_key(w.group())) for w in WORD.finditer(text)
             if query.matches(search_key(w.group()))]
    best, at = (0, 0), 0
    for i, (start, _) in enumerate(found):
        near = [(s, token) for s, token in found[i:] if s - start <= SNIPPET[1]]
        distinct: dict[str, int] = {}
        for s, token in near:
            distinct.setdefault(token, s)
        # the most words, then the tightest run of them
        fit = (len(distinct), -(max(distinct.values()) - start))
        if fit > best:
            best, at = fit, start
    return at


def ranked(engine: Engine, typed: str, wanted: DocumentFilter | None = None, limit: int = 50,
           offset: int = 0, order: str = "relevance") -> tuple[int, list[dict[str, Any]]]:
    """(how many documents answer, ``limit`` of them from ``offset``): each with its best
    ``page`` and a ``snippet`` of marked pieces."""
    query = parse(typed)
    if not (query.words or query.prefixes):
        return 0, []
    plain = " ".join(query.words + [p + "*" for p in query.prefixes])
    base = replace(wanted or DocumentFilter(), q=plain)
    if order == "date" and not query.phrases:  # the index's own order: one page read
        total, documents = find_documents(engine, base, limit=limit, offset=offset)
        return total, _hits(engine, documents, query)
    total, documents = find_documents(engine, base, limit=RANK_UP_TO)
    hits = _hits(engine, documents, query)
    if query.phrases:
        hits = [h for h in hits if h["phrase"]]
        total = Total(len(hits)) if len(documents) < RANK_UP_TO else total
    if order != "date":
        hits.sort(key=lambda h: -h["score"])  # stable: newest first among equals
    return total, hits[offset:offset + limit]


def _hits(engine: Engine, documents: list[dict[str, Any]], query: Query
          ) -> list[dict[str, Any]]:
    ids = [d["id"] for d in documents]
    with Session(engine) as session:
        pages = session.execute(select(PageRow.document_id, PageRow.number, PageRow.text)
                                .where(PageRow.document_id.in_(ids))
                                .order_by(PageRow.number)).all() if ids else []
    by_document: dict[int, list[tuple[int, str]]] = {}
    for doc_id, number, text in pages:
        by_document.setdefault(doc_id, []).append((number, text))
    hits = []
    for d in documents:
        best = (-1.0, 1, "", False)
        for number, text in by_document.get(d["id"], []):
            tokens = [search_key(w) for w in WORD.findall(text)]
            phrase = all(_has_run(tokens, p) for p in query.phrases)
            score = score_page(tokens, query, number)
            if (phrase, score) > (best[3], best[0]):
                best = (score, number, text, phrase)
        score, number, text, phrase = best
        hits.append({**d, "page": number, "score": round(max(score, 0.0), 3),
                     "phrase": phrase, "snippet": marked(text, query, _best_hit(text, query))})
    return hits
