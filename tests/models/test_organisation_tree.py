"""Organisations shared by issuers, leads and partners, in their tỉnh → huyện → xã tree, on
SQLite and on a real PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Store
from models.schema import Organisation, Task
from models.search import tasks
from pipeline.app.run import build_record
from pipeline.core.document import Document, Page


def _record(path, number: str, issuer: str, parent: str | None, task_rows=()) -> dict:
    doc = Document(source=str(path), sha256=str(path).encode().hex()[-64:].rjust(64, "0"))
    doc.pages.append(Page(number=1, source="text", plain_text=f"{issuer}\nSố: {number}"))
    return build_record(doc, 1, {"number": number, "issuer": issuer, "issuer_parent": parent,
                                 "tasks": list(task_rows)})


def _tree(store: Store) -> set[tuple[str, str | None]]:
    with Session(store.engine) as session:
        return {(o.name, o.parent.name if o.parent else None)
                for o in session.scalars(select(Organisation))}


def _archive(store: Store, folder) -> None:
    kg, ag = "Ủy ban nhân dân tỉnh Kiên Giang", "UBND tỉnh An Giang"
    # the xã's document comes first: its huyện is known only by name until its own arrives
    store.save(_record(folder / "xa.txt", "5/KH-UBND", "Ủy ban nhân dân xã Vĩnh Hòa Hưng",
                       "Ủy ban nhân dân huyện Châu Thành"))
    store.save(_record(folder / "huyen.txt", "7/KH-UBND", "Ủy ban nhân dân huyện Châu Thành",
                       kg, [{"content": "Rà soát thủ tục", "lead": "Phòng Nội vụ",
                             "partners": ["UBND các xã, thị trấn"], "due_date": "2024-06-30"}]))
    store.save(_record(folder / "so-kg.txt", "9/KH-SNV", "Sở Nội vụ", kg))
    store.save(_record(folder / "so-ag.txt", "11/KH-SNV", "Sở Nội vụ", ag))
    # a namesake huyện in another province is another body
    store.save(_record(folder / "huyen-ag.txt", "13/KH-UBND", "UBND huyện Châu Thành", ag))


def test_bodies_form_the_tree_the_headers_show(tmp_path, db_url):
    store = Store(db_url)
    _archive(store, tmp_path)
    tree = _tree(store)
    kg, ag = "Ủy ban nhân dân tỉnh Kiên Giang", "Ủy ban nhân dân tỉnh An Giang"
    assert {
        ("Ủy ban nhân dân xã Vĩnh Hòa Hưng", "Ủy ban nhân dân huyện Châu Thành"),
        ("Ủy ban nhân dân huyện Châu Thành", kg),
        ("Ủy ban nhân dân huyện Châu Thành", ag),
        ("Sở Nội vụ", kg), ("Sở Nội vụ", ag),
        ("Phòng Nội vụ", "Ủy ban nhân dân huyện Châu Thành"),
        ("Ủy ban nhân dân các xã, thị trấn", "Ủy ban nhân dân huyện Châu Thành"),
        (kg, None), (ag, None),
    } == tree
    with Session(store.engine) as session:
        levels = dict(session.execute(select(Organisation.name, Organisation.level)).all())
    assert levels[kg] == "tinh" and levels["Ủy ban nhân dân xã Vĩnh Hòa Hưng"] == "xa"


def test_documents_by_issuer_include_its_sub_units(tmp_path, db_url):
    store = Store(db_url)
    _archive(store, tmp_path)

    def numbers(issuer: str) -> list[str]:
        return sorted(d["number"] for d in store.documents(issuer=issuer))

    assert numbers("UBND tinh Kien Giang") == ["5/KH-UBND", "7/KH-UBND", "9/KH-SNV"]
    assert numbers("Ủy ban nhân dân tỉnh An Giang") == ["11/KH-SNV", "13/KH-UBND"]
    assert numbers("Sở Nội vụ") == ["11/KH-SNV", "9/KH-SNV"]  # both provinces' Sở
    assert numbers("UBND xã Vĩnh Hòa Hưng") == ["5/KH-UBND"]


def test_leads_and_partners_are_the_same_rows(tmp_path, db_url):
    store = Store(db_url)
    _archive(store, tmp_path)
    with Session(store.engine) as session:
        task = session.scalars(select(Task)).one()
        lead = session.get(Organisation, task.lead_id)
        partner = session.get(Organisation, task.partners[0].organisation_id)
        assert (lead.name, lead.parent.name) == ("Phòng Nội vụ", "Ủy ban nhân dân huyện Châu Thành")
        assert partner.parent_id == lead.parent_id
    # the tỉnh's tasks include those its huyện's Phòng leads; An Giang has none
    assert [t["lead"] for t in tasks(store.engine, lead="UBND tỉnh Kiên Giang")] == ["Phòng Nội vụ"]
    assert tasks(store.engine, lead="UBND tỉnh An Giang") == []
    assert tasks(store.engine, lead="phong noi vu")[0]["partners"] == ["UBND các xã, thị trấn"]


def test_a_huyen_without_its_upper_line_is_placed_by_the_gazetteer(tmp_path, db_url):
    store = Store(db_url)
    store.save(_record(tmp_path / "ht.txt", "2786/UBND-KSTT", "Ủy ban nhân dân thành phố Hà Tiên",
                       None))
    store.save(_record(tmp_path / "ct.txt", "8/KH-UBND", "Ủy ban nhân dân huyện Châu Thành",
                       None))
    tree = _tree(store)
    assert ("Ủy ban nhân dân thành phố Hà Tiên", "Ủy ban nhân dân tỉnh Kiên Giang") in tree
    # eleven provinces have a huyện Châu Thành: nothing is guessed
    assert ("Ủy ban nhân dân huyện Châu Thành", None) in tree
    assert [d["number"] for d in store.documents(issuer="UBND tỉnh Kiên Giang")] == [
        "2786/UBND-KSTT"]


def test_a_body_finds_the_tasks_given_to_its_group(tmp_path, db_url):
    """``--lead "Sở Nội vụ"`` also lists the tasks its Ủy ban gave to ``các sở, ban, ngành``,
    marked ``via_group``; another province's group is not its own."""
    store = Store(db_url)
    ag, kg = "Ủy ban nhân dân tỉnh An Giang", "Ủy ban nhân dân tỉnh Kiên Giang"
    store.save(_record(tmp_path / "ag.txt", "3/UBND-KT", ag, None, [
        {"content": "Rà soát thủ tục hành chính", "lead": "Các sở, ban, ngành tỉnh",
         "partners": [], "due_date": "2024-06-30"},
        {"content": "Tham mưu kế hoạch cải cách", "lead": "Sở Nội vụ", "partners": [],
         "due_date": "2024-09-30"}]))
    store.save(_record(tmp_path / "kg.txt", "4/UBND-KT", kg, None, [
        {"content": "Báo cáo kết quả chuyển đổi số", "lead": "Các sở, ban, ngành",
         "partners": [], "due_date": "2024-10-31"},
        {"content": "Kiểm tra công vụ", "lead": "Sở Tài chính", "partners": [],
         "due_date": "2024-11-30"}]))
    found = tasks(store.engine, lead="Sở Nội vụ")  # An Giang's: Kiên Giang has none stored
    got = sorted((t["content"], t["via_group"]) for t in found)
    assert got == [("Rà soát thủ tục hành chính", True), ("Tham mưu kế hoạch cải cách", False)]
    finance = tasks(store.engine, lead="Sở Tài chính")  # Kiên Giang's, with its group's task
    assert sorted((t["content"], t["via_group"]) for t in finance) == [
        ("Báo cáo kết quả chuyển đổi số", True), ("Kiểm tra công vụ", False)]
