import hashlib
import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DocumentRow, PageRow, Reference, Store
from pipeline.app.run import RECORD_KEYS, build_record, contract_record
from pipeline.core.document import Document, Page


def _record(source: str, number: str, text: str = "Nội dung", content: str | None = None
            ) -> dict:
    """A record of file ``source``; its content hash from ``content`` (default: the file's
    own name, so two files are two contents)."""
    doc = Document(source=source, sha256=hashlib.sha256((content or source).encode()).hexdigest())
    doc.pages.append(Page(number=1, source="text", plain_text=text))
    fields = {"number": number, "doc_type": "Kế hoạch", "issued_date": "2024-03-05",
              "references": [{"number": "354/QĐ-UBND", "doc_type": "Quyết định",
                              "date": "2024-02-20", "issuer": None}],
              "recipients": ["Như trên"]}
    return build_record(doc, 1, fields)


def test_record_has_every_contract_key():
    record = _record("a.txt", "89/KH-UBND")
    assert tuple(record)[: len(RECORD_KEYS)] == RECORD_KEYS
    assert tuple(contract_record(record)) == RECORD_KEYS
    assert set(record) - set(RECORD_KEYS) == {"page_errors", "page_turns"}  # the store's, never printed


def test_save_replaces_earlier_record_of_the_same_file(tmp_path, db_url):
    store = Store(db_url)
    source = str(tmp_path / "a.txt")
    store.save(_record(source, "89/KH-UBND"))
    store.save(_record(source, "90/KH-UBND"))
    store.save(_record(str(tmp_path / "b.txt"), "91/KH-UBND"))
    with Session(store.engine) as s:
        assert s.scalar(select(func.count(DocumentRow.id))) == 2
        assert s.scalar(select(func.count(PageRow.id))) == 2  # child rows went with it
        assert s.scalar(select(func.count(Reference.id))) == 2
    numbers = sorted(d["number"] for d in store.documents())
    assert numbers == ["90/KH-UBND", "91/KH-UBND"]


def test_one_row_per_content_whatever_its_paths(tmp_path, db_url):
    store = Store(db_url)
    first, copy = str(tmp_path / "a.pdf"), str(tmp_path / "copy of a.pdf")
    store.save(_record(first, "89/KH-UBND", content="same bytes"))
    # ingest: a copy of stored content is left alone
    assert store.save(_record(copy, "89/KH-UBND", content="same bytes"), keep_stored=True) is None
    assert [d["source"] for d in store.documents()] == [first]
    # extract of the copy: its record replaces the one of the same content
    store.save(_record(copy, "90/KH-UBND", content="same bytes"))
    assert [(d["source"], d["number"]) for d in store.documents()] == [(copy, "90/KH-UBND")]


def test_text_is_stored_nfc(tmp_path, db_url):
    store = Store(db_url)
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân")
    store.save(_record(str(tmp_path / "a.txt"), "1/QĐ-UBND", text=decomposed))
    with Session(store.engine) as s:
        text = s.scalar(select(PageRow.text))
    assert text == unicodedata.normalize("NFC", "Ủy ban nhân dân")


def test_failed_save_keeps_the_old_record(tmp_path, db_url):
    store = Store(db_url)
    source = str(tmp_path / "a.txt")
    store.save(_record(source, "89/KH-UBND"))
    broken = _record(source, "90/KH-UBND")
    broken["pages"] = [{"number": 1}]  # missing keys: fails inside the transaction
    try:
        store.save(broken)
    except KeyError:
        pass
    assert [d["number"] for d in store.documents()] == ["89/KH-UBND"]


def test_errors_are_recorded(tmp_path, db_url):
    store = Store(db_url)
    store.record_error("bad.pdf", "empty file (0 bytes)", "read")
    store.record_error("bad.pdf", "empty file (0 bytes)", "read")  # a re-run does not duplicate
    assert store.errors() == [{"source": "bad.pdf", "stage": "read",
                               "reason": "empty file (0 bytes)"}]


def test_migrations_build_exactly_the_schema(db_url):
    """Alembic's first revision makes the tables models/schema.py describes, on both engines."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models.schema import Base, outside_orm

    store = Store(db_url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": outside_orm})
        diff = compare_metadata(context, Base.metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert diff == [] and version == "0012"


def _database_at_first_revision(url: str) -> None:
    """The schema of revision 0001, without alembic_version: as session 1 made databases."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from models.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with create_engine(url).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql(
            "INSERT INTO documents (id, source, path, sha256, page_count, warnings, timings, "
            "pipeline_version) VALUES (1, 'old.txt', '/old.txt', 'cd', 1, '[]', '{}', '0')")
        conn.exec_driver_sql("INSERT INTO pages (document_id, number, text, source, "
                             "search_text) VALUES (1, 1, 'Trang cũ', 'text', 'trang cu')")
        conn.exec_driver_sql("DROP TABLE alembic_version")


def test_database_from_before_migrations_is_upgraded_without_losing_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _database_at_first_revision(url)
    store = Store(url)  # stamps 0001, upgrades; copying documents must not cascade to pages
    store.save(_record(str(tmp_path / "a.txt"), "1/KH-UBND"))
    assert [d["number"] for d in store.documents()] == [None, "1/KH-UBND"]
    with Session(store.engine) as session:
        assert session.scalars(select(PageRow.text).order_by(PageRow.id)).all() == [
            "Trang cũ", "Nội dung"]
        assert session.execute(select(func.count()).select_from(DocumentRow)).scalar() == 2


def test_field_provenance_is_stored_and_replaced(tmp_path, db_url):
    from models.schema import FieldProvenance

    store = Store(db_url)
    record = _record(str(tmp_path / "a.txt"), "89/KH-UBND")
    record["provenance"] = {"number": {"page": 1, "box": [40, 500, 300, 540],
                                       "confidence": 91.5}}
    store.save(record)
    record["provenance"] = {"number": {"page": 1, "box": [42, 502, 301, 541],
                                       "confidence": 93.0},
                            "issued_date": {"page": 1, "box": None, "confidence": 100.0}}
    store.save(record)  # a re-run replaces the rows with the document
    with Session(store.engine) as session:
        rows = session.execute(select(FieldProvenance.field, FieldProvenance.box,
                                      FieldProvenance.confidence)
                               .order_by(FieldProvenance.field)).all()
    assert [tuple(r) for r in rows] == [("issued_date", None, 100.0),
                                       ("number", [42, 502, 301, 541], 93.0)]


def test_one_signer_of_one_issuer_is_one_person(tmp_path, db_url):
    """Hiền / Hien / Hiền of the same Sở: the archive keeps the spelling seen most often."""
    store = Store(db_url)
    for i, name in enumerate(["Nguyễn Thị Hiền", "Nguyen Thi Hien", "Nguyễn Thị Hiền"]):
        record = _record(str(tmp_path / f"{i}.txt"), f"{i + 1}/KH-SNV")
        record.update(issuer="Sở Nội vụ", signer_name=name)
        store.save(record)
    other = _record(str(tmp_path / "x.txt"), "9/KH-UBND")
    other.update(issuer="Ủy ban nhân dân tỉnh An Giang", signer_name="Nguyen Thi Hien")
    store.save(other)
    with Session(store.engine) as s:
        rows = s.execute(select(DocumentRow.issuer, DocumentRow.signer_name)).all()
    assert sorted(n for i, n in rows if i == "Sở Nội vụ") == ["Nguyễn Thị Hiền"] * 3
    assert [n for i, n in rows if i != "Sở Nội vụ"] == ["Nguyen Thi Hien"]  # another body


def test_confidence_and_signatures_are_stored(tmp_path, db_url):
    from models.schema import FieldConfidence, SignatureRow

    store = Store(db_url)
    record = _record(str(tmp_path / "s.txt"), "4409/BCA-C04")
    record.update(confidence={"number": 0.62, "doc_type": 0.97},
                  signatures=[{"signer": "Bộ Công an", "organisation": "Bộ Công an",
                               "signed_at": "2025-10-01T17:08:18+07:00", "valid": True}],
                  received={"number": "1046", "date": "2025-10-03"})
    store.save(record)
    with Session(store.engine) as s:
        assert sorted(s.execute(select(FieldConfidence.field, FieldConfidence.confidence)).all()) == \
            [("doc_type", 0.97), ("number", 0.62)]
        sig = s.scalars(select(SignatureRow)).one()
        assert (sig.signer, sig.signed_at, sig.valid) == ("Bộ Công an", "2025-10-01T17:08:18+07:00", True)
        doc = s.scalars(select(DocumentRow)).one()
        assert (doc.received_number, str(doc.received_date)) == ("1046", "2025-10-03")


def test_an_office_register_votes_on_an_unsure_number_across_ingests(tmp_path, db_url):
    """Documents stored at different times vote: the unsure 268/TB-ĐHĐL of October, read
    with 2678 as its second reading, stays alone; once a later paper citing 2678/TB-ĐHĐL of
    that day is stored it becomes 2678, and the citation links to it."""
    store = Store(db_url)
    unsure = _record(str(tmp_path / "u.txt"), "268/TB-ĐHĐL", text="Thông báo khác")
    unsure.update(issued_date="2025-10-28", confidence={"number": 0.16},
                  alternatives={"number": [["268/TB-ĐHĐL", 0.16], ["2678/TB-ĐHĐL", 0.14]]})
    store.save(unsure)
    assert store.vote_numbers() == []  # no other paper of the office: no vote
    citing = _record(str(tmp_path / "c.txt"), "2700/TB-ĐHĐL")
    citing.update(issued_date="2025-11-20", confidence={"number": 0.97, "issued_date": 0.97},
                  references=[{"number": "2678/TB-ĐHĐL", "doc_type": "Thông báo",
                               "date": "2025-10-28", "issuer": None}])
    store.save(citing)
    [(path, old, new, confidence, reason)] = store.vote_numbers()
    assert (path, old, new) == (str((tmp_path / "u.txt").resolve()), "268/TB-ĐHĐL", "2678/TB-ĐHĐL")
    assert 0.5 < confidence < 0.9 and "ĐHĐL in 2025" in reason
    with Session(store.engine) as s:
        doc = s.scalars(select(DocumentRow).where(DocumentRow.number == "2678/TB-ĐHĐL")).one()
        assert doc.warnings[-1].endswith("2678/TB-ĐHĐL, not 268/TB-ĐHĐL")
        ref = s.scalars(select(Reference).where(Reference.number == "2678/TB-ĐHĐL")).one()
        assert ref.cited_document_id == doc.id
    assert store.vote_numbers() == []  # settled: a second vote changes nothing


def test_page_tables_are_stored_cell_by_cell(tmp_path, db_url):
    store = Store(db_url)
    record = _record(str(tmp_path / "t.txt"), "12/KH-UBND")
    table = {"box": [10, 20, 300, 400], "rows": [
        [{"text": "STT", "row_span": 1, "col_span": 1, "header": True},
         {"text": "Nội dung", "row_span": 1, "col_span": 1, "header": True}],
        [{"text": "I. Nhiệm vụ chung", "row_span": 1, "col_span": 2, "header": False}]]}
    record["pages"][0]["tables"] = [table]
    store.save(record)
    with Session(store.engine) as s:
        assert s.scalars(select(PageRow.tables)).one() == [table]


def test_a_vote_limited_to_offices_decides_as_the_whole_one(tmp_path, db_url):
    """After one stored file only its offices are voted on: the documents that number or
    cite in them are read, and the decision is the one a vote over everything makes."""
    store = Store(db_url)
    unsure = _record(str(tmp_path / "u.txt"), "268/TB-ĐHĐL", text="Thông báo khác")
    unsure.update(issued_date="2025-10-28", confidence={"number": 0.16},
                  alternatives={"number": [["268/TB-ĐHĐL", 0.16], ["2678/TB-ĐHĐL", 0.14]]})
    store.save(unsure)
    # a paper of another office citing the university's 2164 of September
    citing = _record(str(tmp_path / "c.txt"), "12/KH-UBND", text="Kế hoạch")
    citing.update(issued_date="2025-11-02", confidence={"number": 0.97, "issued_date": 0.97},
                  references=[{"number": "2164/TB-ĐHĐL", "doc_type": "Thông báo",
                               "date": "2025-09-04", "issuer": None}])
    store.save(citing)
    assert store.vote_numbers({"UBND"}) == []  # the university is not touched from here
    [(_, old, new, _, _)] = store.vote_numbers({"UBND", "ĐHĐL"})
    assert (old, new) == ("268/TB-ĐHĐL", "2678/TB-ĐHĐL")
