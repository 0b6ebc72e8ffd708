"""The query side on a real SQLite store: search without diacritics, tasks, citations."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Store
from models.search import references, search, search_key, tasks
from pipeline.app.run import build_record, process_file
from pipeline.core.document import Document, Page
from pipeline.core.settings import Settings


def _text_record(source: str, number: str, text: str, cites: str | None = None) -> dict:
    doc = Document(source=source, sha256=number.encode().hex()[:64].ljust(64, "0"))
    doc.pages.append(Page(number=1, source="text", plain_text=text))
    refs = [{"number": cites, "doc_type": None, "date": None, "issuer": None}] if cites else []
    return build_record(doc, 1, {"number": number, "references": refs})


@pytest.fixture(scope="module")
def plan(generated) -> dict:
    return process_file(generated["kh-vinhhoahung"], Settings())[1]  # a real OCR run


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, plan, tmp_path_factory) -> Store:
    """The same queries on SQLite (FTS5) and on a real PostgreSQL (folded-text search)."""
    folder = tmp_path_factory.mktemp("db")
    if request.param == "sqlite":
        store = Store(f"sqlite:///{folder / 'v.db'}")
    else:
        from tests import postgres

        store = Store(postgres.new_database(request.getfixturevalue("postgres_server")))
    store.save(plan)
    store.save(_text_record(str(folder / "a.txt"), "12/KH-SGDĐT",
                            "Nâng cao chất lượng đào tạo nghề cho lao động nông thôn.",
                            cites="354/QĐ-UBND"))
    store.save(_text_record(str(folder / "b.txt"), "354/QĐ-UBND",
                            "Phê duyệt Đề án cải cách thủ tục hành chính."))
    return store


def test_search_key_folds_d_and_marks():
    assert search_key("Đào TẠO nghề") == "dao tao nghe"


def test_search_without_diacritics_finds_the_page(store):
    hits = search(store.engine, "dao tao nghe")[1]
    assert [h["number"] for h in hits] == ["12/KH-SGDĐT"]
    assert "đào tạo nghề" in hits[0]["snippet"]
    assert search(store.engine, "đào tạo nghề")[1] == hits  # with marks: the same pages


def test_search_reads_ocr_pages(store):
    hits = search(store.engine, "cai cach thu tuc hanh chinh")[1]
    numbers = {h["number"] for h in hits}
    assert "354/QĐ-UBND" in numbers
    assert search(store.engine, "khong co tu nay xyzzy")[1] == []


def test_resave_replaces_the_index(store, tmp_path):
    source = str(tmp_path / "c.txt")
    store.save(_text_record(source, "7/TB-UBND", "Lịch tiếp công dân định kỳ."))
    assert "7/TB-UBND" in [h["number"] for h in search(store.engine, "tiep cong dan")[1]]
    store.save(_text_record(source, "7/TB-UBND", "Bồi dưỡng giáo viên."))
    # the old page left the index
    assert "7/TB-UBND" not in [h["number"] for h in search(store.engine, "tiep cong dan")[1]]
    assert [h["number"] for h in search(store.engine, "boi duong giao vien")[1]] == ["7/TB-UBND"]


def test_tasks_overdue_and_by_lead(store):
    overdue = tasks(store.engine, overdue_on="2022-10-01")
    assert overdue and all(t["due_date"] < "2022-10-01" for t in overdue)
    everything = tasks(store.engine)
    assert len(overdue) < len(everything)
    by_lead = tasks(store.engine, lead="van phong")  # typed without marks
    assert by_lead and all("Văn phòng" in t["lead"] for t in by_lead)


def test_references_both_ways(store):
    rows = references(store.engine, "354/QĐ-UBND")
    assert {"direction": "cited by", "number": "12/KH-SGDĐT"}.items() <= rows[0].items()


def test_tasks_export_to_a_filtered_wrapped_sheet(store, tmp_path):
    from openpyxl import load_workbook

    from models.export import write_workbook

    path = tmp_path / "out.xlsx"
    all_tasks = tasks(store.engine)
    write_workbook(path, "Nhiệm vụ", [("Số ký hiệu", "number"), ("Chủ trì", "lead"),
                                      ("Nhiệm vụ", "content"), ("Trích yếu", "subject")],
                   all_tasks)
    book = load_workbook(path)
    assert book.sheetnames == ["Nhiệm vụ"]
    sheet = book["Nhiệm vụ"]
    assert sheet.max_row == len(all_tasks) + 1  # a header row, then one row per task
    assert [c.value for c in sheet[1]] == ["Số ký hiệu", "Chủ trì", "Nhiệm vụ", "Trích yếu"]
    assert {sheet.cell(row=r, column=2).value for r in range(2, sheet.max_row + 1)} == \
        {t["lead"] for t in all_tasks}
    assert sheet.auto_filter.ref == f"A1:D{sheet.max_row}"
    assert sheet.cell(row=2, column=3).alignment.wrap_text
    assert {sheet.cell(row=r, column=4).value for r in range(2, sheet.max_row + 1)} == \
        {t["subject"] for t in all_tasks}  # the document's subject beside each task


def test_a_large_text_search_is_counted_exactly_or_estimated_and_said(store, monkeypatch):
    from models import lists

    wanted = lists.DocumentFilter(q="cai cach thu tuc hanh chinh")
    exact, items = lists.find_documents(store.engine, wanted, limit=1)
    assert exact >= 2 and exact.exact and len(items) == 1
    monkeypatch.setattr(lists, "EXACT_UP_TO", 1)  # as if it matched a million documents
    total, again = lists.find_documents(store.engine, wanted, limit=1)
    assert again == items
    if store.engine.dialect.name == "postgresql":  # the planner's estimate, said to be one
        assert not total.exact and total >= 2
    else:  # FTS5 counts exactly, fast
        assert total.exact and total == exact


def test_a_number_is_found_by_its_digits_or_its_beginning(store):
    from models import lists

    def numbers(typed: str) -> list[str]:
        return [d["number"] for d in lists.find_documents(
            store.engine, lists.DocumentFilter(number=typed))[1]]

    assert numbers("354") == numbers("354/qd") == numbers("354/QĐ-UBND") == ["354/QĐ-UBND"]
    assert numbers("12/kh-sgddt") == ["12/KH-SGDĐT"]  # any case, đ typed as d
    assert numbers("35") == [] and numbers("12/KH-X") == []
    assert numbers("50%") == []  # a LIKE wildcard typed is a character, not a wildcard


def test_lists_follow_what_people_corrected_even_after_a_re_extraction(store, tmp_path):
    from models import lists
    from models.records import correct

    source = str(tmp_path / "fix.txt")
    record = _text_record(source, "64/CT-UBND", "Chỉ thị về tăng cường kỷ cương hành chính.")
    record.update(issued_date="2021-05-04", signer_name="Trần Văn Bình")
    doc_id = store.save(record)

    def found(**wanted) -> bool:
        return doc_id in [d["id"] for d in lists.find_documents(
            store.engine, lists.DocumentFilter(**wanted), limit=200)[1]]

    assert found(number="64/CT") and found(since=dt.date(2021, 5, 1))
    correct(store.engine, doc_id, "number", "04/CT-UBND", "văn thư")
    correct(store.engine, doc_id, "issued_date", "2024-05-04", "văn thư")
    correct(store.engine, doc_id, "signer_name", "Lê Thị Hoa", "văn thư")
    for _ in range(2):  # as corrected, and again after the file is extracted anew
        assert found(number="04/ct-ubnd") and not found(number="64/CT")
        assert found(since=dt.date(2024, 5, 1), until=dt.date(2024, 5, 31))
        assert not found(since=dt.date(2021, 5, 1), until=dt.date(2021, 5, 31))
        assert found(signer="le thi hoa") and not found(signer="tran van binh")
        assert found(q="ky cuong hanh chinh", signer="Hoa")
        doc_id = store.save(record)
