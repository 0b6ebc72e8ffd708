"""Listing every document of a large archive: streamed a chunk at a time, never binding
one parameter per document (SQLite refuses more than 32,766; a million-document archive
has a million)."""

from __future__ import annotations

import argparse
import sqlite3

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from models import Store, lists
from pipeline.app import query
from tests.models.test_search import _text_record

LIMIT = 60  # bound parameters SQLite accepts here, as 32,766 does at full scale


def test_every_document_is_listed_without_binding_them_all(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'v.db'}")
    for n in range(1, 151):
        store.save(_text_record(str(tmp_path / f"{n}.txt"), f"{n}/TB-UBND",
                                f"Thông báo số {n} về lịch tiếp công dân."))
    store.engine.dispose()
    event.listen(store.engine, "connect", lambda conn, _: conn.setlimit(
        sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT))
    with pytest.raises(OperationalError, match="too many SQL variables"):
        store.documents(ids=list(range(1, 151)))  # what listing every document once did
    monkeypatch.setattr(lists, "CHUNK", 50)
    args = argparse.Namespace(what="documents", type=None, issuer=None, signer=None,
                              since=None, until=None, number=None, needs_review=True)
    total, rows = query.ask(store, args, limit=None, offset=0)
    rows = list(rows)
    assert total == 150 and len(rows) == 150
    assert sorted(int(r["number"].split("/")[0]) for r in rows) == list(range(1, 151))
    assert all(r["paths"] == [r["source"]] for r in rows)
