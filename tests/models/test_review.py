"""The review queue (models/review) over databases filled by real pipeline runs, on SQLite
and PostgreSQL: the SQL that lists it and the Python that explains it (and that ``vanban
eval`` measures) agree; weakest first; a document leaves it when every flagged field is
corrected or confirmed, and comes back on undo; corrections typed as an office types them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from models import Store, review
from models.lists import DocumentFilter, find_documents
from models.records import BadCorrection, correct, document_record, undo
from tests.pipeline.app.test_faults_archive import LETTER, _letter
from tests.pipeline.app.test_serve import _extract


@pytest.fixture
def filled(db_url, tmp_path, generated) -> Store:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(generated["tb-haichau"].read_bytes())  # a pen-written number
    unnumbered = tmp_path / "khong-so.txt"
    unnumbered.write_text("\n".join(line for line in LETTER.format(n=0, tag="x").splitlines()
                                    if not line.startswith("Số:")), encoding="utf-8")
    _extract(db_url, scan, unnumbered, _letter(tmp_path / "du.txt", 21, "đủ trường"))
    return Store(db_url)


def _queue(store: Store, lang: str = "vi") -> list[dict]:
    return find_documents(store.engine, DocumentFilter(needs_review=True, lang=lang),
                          limit=None)[1]


def test_the_queue_listed_by_sql_is_the_one_python_explains(filled):
    _, every = find_documents(filled.engine, DocumentFilter(), limit=None)
    queued = _queue(filled)
    with Session(filled.engine) as session:
        stored = review.stored_flags(session, [d["id"] for d in every])
    assert {d["id"] for d in queued} == {i for i, found in stored.items() if found}
    for d in every:  # the stored record's flags: what vanban eval scores
        assert review.record_flags(document_record(filled.engine, d["id"])) == stored[d["id"]]
    unnumbered = next(d for d in queued if d["number"] is None)
    assert queued[0]["id"] == unnumbered["id"]  # a missing field is the weakest
    assert "Số ký hiệu: không tìm thấy" in unnumbered["review"]
    english = next(d for d in _queue(filled, "en") if d["id"] == unnumbered["id"])
    assert "number: not found" in english["review"]
    full = next(d for d in every if d["number"] == "21/UBND-VP")
    assert full["id"] not in {d["id"] for d in queued}  # every field sure


def test_a_document_leaves_the_queue_when_each_flag_is_decided(filled):
    queued = _queue(filled)
    assert queued
    with Session(filled.engine) as session:
        flags = review.stored_flags(session, [d["id"] for d in queued])
    for d in queued:
        fields = list(dict.fromkeys(f.field for f in flags[d["id"]]))
        for i, field in enumerate(fields):
            assert d["id"] in {q["id"] for q in _queue(filled)}  # a flag is still open
            if field == "number" and d["number"] is None:
                record = correct(filled.engine, d["id"], field, "7/ubnd-vp", "Lan")
                assert record["number"] == "7/UBND-VP"  # any case, stored canonical
            else:
                record = correct(filled.engine, d["id"], field, None, "Lan", confirm=True)
                assert record["corrections"][-1]["kind"] == "confirmed"
            assert len(review.record_flags(record, [c["field"] for c in record["corrections"]])
                       ) <= sum(f.field not in fields[:i + 1] for f in flags[d["id"]])
        assert d["id"] not in {q["id"] for q in _queue(filled)}
        undo(filled.engine, d["id"], fields[-1])
        assert d["id"] in {q["id"] for q in _queue(filled)}  # undone: back in the queue


def test_corrections_as_an_office_types_them(filled):
    _, every = find_documents(filled.engine, DocumentFilter(), limit=None)
    doc = next(d for d in every if d["number"] == "21/UBND-VP")
    record = correct(filled.engine, doc["id"], "issued_date", "09/10/2025", "Lan")
    assert record["issued_date"] == "2025-10-09"
    assert find_documents(filled.engine, DocumentFilter(number="21/ubnd"))[1][0]["issued_date"] \
        == "2025-10-09"
    record = correct(filled.engine, doc["id"], "place", "", "Lan")  # cleared
    assert record["place"] is None and record["corrections"][-1]["kind"] == "cleared"
    assert undo(filled.engine, doc["id"], "place")["place"] == "Phú Tân"
    for field, value in (("issued_date", "31/02/2025"), ("number", "không số"),
                         ("pages", "x")):
        with pytest.raises(BadCorrection):
            correct(filled.engine, doc["id"], field, value, "Lan")
    with pytest.raises(BadCorrection, match="nothing to undo"):
        undo(filled.engine, doc["id"], "subject")
