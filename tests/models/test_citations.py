"""References as edges: resolved to the stored document whose number and issuer match, kept
dangling otherwise, resolved later when that document arrives; on SQLite and PostgreSQL."""

from __future__ import annotations

from models import Store
from models.search import references
from pipeline.app.run import build_record
from pipeline.core.document import Document, Page


def _record(path, number: str, issuer: str, parent: str | None = None, cites=(),
            date: str | None = None) -> dict:
    doc = Document(source=str(path), sha256=(str(path) + number).encode().hex()[-64:].rjust(64, "0"))
    doc.pages.append(Page(number=1, source="text", plain_text=f"{issuer}\nSố: {number}"))
    refs = [{"number": n, "doc_type": None, "date": d, "issuer": i} for n, i, d in cites]
    return build_record(doc, 1, {"number": number, "issuer": issuer, "issuer_parent": parent,
                                 "issued_date": date, "references": refs})


def _edges(store: Store, number: str) -> list[tuple]:
    return [(r["direction"], r["number"], r["source"] and r["source"].rsplit("/", 1)[-1],
             r["resolved"]) for r in references(store.engine, number)]


def test_a_citation_waits_for_its_document_then_resolves(tmp_path, db_url):
    store = Store(db_url)
    ag, kg = "Ủy ban nhân dân tỉnh An Giang", "Ủy ban nhân dân tỉnh Kiên Giang"
    # a Sở cites its province's plan by number only ("Kế hoạch số 139/KH-UBND")
    store.save(_record(tmp_path / "so.txt", "845/TB-SNV", "Sở Nội vụ", ag,
                       cites=[("139/KH-UBND", None, None), ("107/2021/NĐ-CP", None, None)]))
    assert _edges(store, "139/KH-UBND") == [("cited by", "845/TB-SNV", "so.txt", False)]
    # another province's plan with the same number is not the one cited
    store.save(_record(tmp_path / "kg.txt", "139/KH-UBND", kg))
    assert [e[3] for e in _edges(store, "139/KH-UBND")] == [False]
    store.save(_record(tmp_path / "ag.txt", "139/KH-UBND", ag))
    assert _edges(store, "845/TB-SNV") == [("cites", "139/KH-UBND", "ag.txt", True),
                                           ("cites", "107/2021/NĐ-CP", None, False)]
    # a decree's number is unique in the country: the number alone resolves it
    store.save(_record(tmp_path / "nd.txt", "107/2021/NĐ-CP", "Chính phủ"))
    assert _edges(store, "107/2021/NĐ-CP") == [("cited by", "845/TB-SNV", "so.txt", True)]


def test_a_named_issuer_or_date_picks_the_document(tmp_path, db_url):
    store = Store(db_url)
    store.save(_record(tmp_path / "kg.txt", "139/KH-UBND", "Ủy ban nhân dân tỉnh Kiên Giang",
                       date="2024-03-01"))
    store.save(_record(tmp_path / "ag.txt", "139/KH-UBND", "UBND tỉnh An Giang",
                       date="2023-05-02"))
    store.save(_record(tmp_path / "a.txt", "1/CV", "Sở Y tế", "UBND tỉnh Đồng Tháp", cites=[
        ("139/KH-UBND", "UBND tỉnh Kiên Giang", None)]))
    store.save(_record(tmp_path / "b.txt", "2/CV", "Sở Y tế", "UBND tỉnh Đồng Tháp", cites=[
        ("139/KH-UBND", None, "2023-05-02")]))
    # "của Ủy ban nhân dân tỉnh", no place: the citing Sở's own province
    store.save(_record(tmp_path / "c.txt", "3/CV", "Sở Nội vụ", "UBND tỉnh An Giang", cites=[
        ("139/KH-UBND", "Ủy ban nhân dân tỉnh", None)]))
    assert _edges(store, "1/CV") == [("cites", "139/KH-UBND", "kg.txt", True)]
    assert _edges(store, "2/CV") == [("cites", "139/KH-UBND", "ag.txt", True)]
    assert _edges(store, "3/CV") == [("cites", "139/KH-UBND", "ag.txt", True)]


def test_re_extracting_the_cited_document_keeps_the_edge(tmp_path, db_url):
    store = Store(db_url)
    ag = "Ủy ban nhân dân tỉnh An Giang"
    store.save(_record(tmp_path / "ag.txt", "139/KH-UBND", ag))
    store.save(_record(tmp_path / "so.txt", "845/TB-SNV", "Sở Nội vụ", ag,
                       cites=[("139/KH-UBND", None, None)]))
    store.save(_record(tmp_path / "ag.txt", "139/KH-UBND", ag))  # replaced: new row, new id
    assert _edges(store, "139/KH-UBND") == [("cited by", "845/TB-SNV", "so.txt", True)]
    assert _edges(store, "845/TB-SNV") == [("cites", "139/KH-UBND", "ag.txt", True)]
