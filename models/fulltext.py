"""The full-text index: one row per document, in the order lists are shown.

Tìm kiếm không dấu: ``cai cach thu tuc`` must find ``cải cách thủ tục``. ``đ`` is a letter
of its own in Unicode, not a ``d`` with a mark, so no engine's accent stripping folds it;
documents are therefore indexed as their folded words (``đ`` → ``d``, marks removed, lower
case, each word once), and queries are folded the same way, in Python, so both engines
split and match words alike.

The row's key is ``order_key``: the day of issue above the document's id in one integer,
newest first when read backwards. SQLite's FTS5 table uses it as its rowid, so matches
come out of the index already in list order and a date range is a rowid range;
PostgreSQL keeps it beside GIN-indexed tsvectors. Filters and paging then stop after one
page instead of sorting every match (10⁶ documents: scripts/bench_query.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import regex
from sqlalchemy import text

from pipeline.core.syllables import fold

TABLE = "document_search"
DATE_SHIFT = 32  # ids below 2³² sit under the day number
WORD = regex.compile(r"[\p{L}\p{N}]+")
_FOLDED: dict[int, str] = {}


def search_key(value: str) -> str:
    """The form text is indexed and matched in: no marks, đ → d, lower case."""
    table = _FOLDED  # one character at a time, remembered: str.translate is then C speed
    for ch in set(value):
        if ord(ch) not in table:
            table[ord(ch)] = fold(ch) or ch
    return value.translate(table).lower()


def number_key(number: str | None) -> str | None:
    """A số ký hiệu as it is looked up: no spaces, ``Đ`` as ``d``, lower case (``298/QĐ-UBND``
    → ``298/qd-ubnd``), so a person may type it any case and without the mark."""
    if not number:
        return None
    return "".join(number.split()).replace("Đ", "d").replace("đ", "d").lower()


def words(value: str | None) -> list[str]:
    """The folded words of ``value``, each once, in their first order."""
    return list(dict.fromkeys(WORD.findall(search_key(value or ""))))


PREFIX = regex.compile(r"([\p{L}\p{N}]+)\*")


def query_terms(value: str | None) -> tuple[list[str], list[str]]:
    """The folded words of a typed query, and apart the prefixes it asks for (``chuyen
    doi so*``: every word beginning ``so``)."""
    folded = search_key(value or "")
    prefixes = list(dict.fromkeys(PREFIX.findall(folded)))
    return words(PREFIX.sub(" ", folded)), prefixes


def as_date(value: Any) -> dt.date | None:
    """A date column's value as a date (SQLite's raw driver gives ISO text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def order_key(issued: dt.date | None, doc_id: int) -> int:
    """Newest issue first, then the newest row; a document without a date goes last."""
    return ((issued.toordinal() if issued else 0) << DATE_SHIFT) | doc_id


def key_range(since: dt.date | None, until: dt.date | None) -> tuple[int | None, int | None]:
    """The order keys of documents issued from ``since`` to ``until`` (inclusive)."""
    low = since.toordinal() << DATE_SHIFT if since else 1 << DATE_SHIFT  # dated ones only
    high = ((until.toordinal() + 1) << DATE_SHIFT) - 1 if until else None
    return (low if since or until else None), high


def create_index(connection: Any) -> None:
    """The index's table (called by migration 0009)."""
    if connection.dialect.name == "sqlite":
        # detail=column: words and the column they are in, no positions (a query is every
        # word, in any order); about a third of the size of a full index
        connection.execute(text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(body, signer, "
            "tokenize = 'unicode61 remove_diacritics 2', detail = column)"))
        return
    connection.execute(text(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (document_id INTEGER PRIMARY KEY REFERENCES "
        "documents (id) ON DELETE CASCADE, order_key BIGINT NOT NULL, body TSVECTOR NOT NULL, "
        "signer TSVECTOR NOT NULL)"))
    for column, method in (("body", "gin"), ("signer", "gin"), ("order_key", "btree")):
        connection.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_{column} ON {TABLE} "
                                f"USING {method} ({column})"))


def index_row(doc_id: int, issued: dt.date | None, signer: str | None,
              page_texts: list[str]) -> dict[str, Any]:
    """The index row of one document, as the bound parameters of ``insert_sql``."""
    return {"id": doc_id, "key": order_key(issued, doc_id),
            "body": " ".join(words("\n".join(page_texts))), "signer": " ".join(words(signer))}


def insert_sql(dialect: str) -> str:
    if dialect == "sqlite":
        return f"INSERT INTO {TABLE} (rowid, body, signer) VALUES (:key, :body, :signer)"
    # strip: positions are not needed (every word, any order) and would bloat the vector
    return (f"INSERT INTO {TABLE} (document_id, order_key, body, signer) VALUES (:id, :key, "
            "strip(to_tsvector('simple', :body)), strip(to_tsvector('simple', :signer)))")


def index_document(connection: Any, doc_id: int, issued: dt.date | None, signer: str | None,
                   page_texts: list[str]) -> None:
    """Index one stored document and set its list order; inside the document's own
    transaction, so the index never disagrees with the rows."""
    row = index_row(doc_id, issued, signer, page_texts)
    connection.execute(text("UPDATE documents SET order_key = :key WHERE id = :id"), row)
    connection.execute(text(insert_sql(connection.dialect.name)), row)


def follow_corrections(connection: Any, doc_id: int, issued: dt.date | None,
                       signer: str | None, number: str | None) -> None:
    """Put a stored document where its corrected values say in the lists: its order (the
    corrected date), its number as looked up, its signer's words. Only these derived keys
    move; the machine's values stay in their columns and the corrections in theirs."""
    key = order_key(issued, doc_id)
    params = {"id": doc_id, "key": key, "number": number_key(number),
              "signer": " ".join(words(signer))}
    if connection.dialect.name == "sqlite":  # the rowid is the key: the row moves
        body = connection.execute(text(
            f"SELECT body FROM {TABLE} WHERE rowid = (SELECT order_key FROM documents "
            "WHERE id = :id)"), params).scalar()
        unindex_document(connection, doc_id)
        connection.execute(text(insert_sql("sqlite")), {**params, "body": body or ""})
    else:
        connection.execute(text(
            f"UPDATE {TABLE} SET order_key = :key, signer = strip(to_tsvector('simple', "
            ":signer)) WHERE document_id = :id"), params)
    connection.execute(text("UPDATE documents SET order_key = :key, number_key = :number "
                            "WHERE id = :id"), params)


def unindex_document(connection: Any, doc_id: int) -> None:
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DELETE FROM {TABLE} WHERE rowid = (SELECT order_key FROM "
                                "documents WHERE id = :d)"), {"d": doc_id})
    else:
        connection.execute(text(f"DELETE FROM {TABLE} WHERE document_id = :d"), {"d": doc_id})


def match(dialect: str, body: list[str], signer: list[str], prefixes: list[str] = ()
          ) -> tuple[str, dict[str, str]]:
    """A WHERE clause on the index table (aliased ``s``) for every word of ``body`` and of
    ``signer``, and a word of the body beginning with each of ``prefixes``; and its
    parameters. Words are letters and digits only (``WORD``), so quoting them is safe;
    they are bound all the same."""
    if dialect == "sqlite":
        quoted = {"body": [chr(34) + w + chr(34) for w in body]
                  + [chr(34) + p + chr(34) + "*" for p in prefixes],
                  "signer": [chr(34) + w + chr(34) for w in signer]}
        parts = [f"{column} : ({' AND '.join(terms)})" for column, terms in quoted.items()
                 if terms]
        return f"{TABLE} MATCH :m", {"m": " AND ".join(parts)}
    clauses, params = [], {}
    for column, terms in (("body", [*body, *(p + ":*" for p in prefixes)]),
                          ("signer", signer)):
        if terms:
            clauses.append(f"s.{column} @@ to_tsquery('simple', :{column}_q)")
            params[f"{column}_q"] = " & ".join(terms)
    return " AND ".join(clauses), params
