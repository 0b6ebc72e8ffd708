"""Targets link to the indicator catalogue's table, so one indicator compares across
documents however each worded it; on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.indicators import link_indicator
from models import Store
from models.schema import Indicator
from models.search import targets
from pipeline.app.run import build_record
from pipeline.core.document import Document, Page


def _record(path, issuer: str, wording: str, value: float, kind: str, year: int) -> dict:
    linked, _ = link_indicator(wording)
    doc = Document(source=str(path), sha256=str(path).encode().hex()[-64:].rjust(64, "0"))
    doc.pages.append(Page(number=1, source="text", plain_text=wording))
    target = {"indicator": linked.name if linked else wording, "wording": wording,
              "indicator_code": linked.code if linked else None, "value": value, "unit": "%",
              "comparator": ">=" if kind == "target" else "=", "kind": kind, "year": year}
    return build_record(doc, 1, {"issuer": issuer, "targets": [target]})


def test_one_indicator_across_documents(tmp_path, db_url):
    store = Store(db_url)
    store.save(_record(tmp_path / "a.txt", "Ủy ban nhân dân xã Vĩnh Hòa Hưng",
                       "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 100, "target",
                       2024))
    store.save(_record(tmp_path / "b.txt", "Sở Nội vụ",
                       "Tỉ lệ số hoá hồ sơ, kết quả giải quyết TTHC", 96.7, "actual", 2023))
    store.save(_record(tmp_path / "c.txt", "Sở Nội vụ", "Số cuộc kiểm tra đột xuất", 12,
                       "actual", 2023))
    rows = targets(store.engine, "so hoa ho so")
    assert [(r["issuer"], r["year"], r["value"], r["kind"]) for r in rows] == [
        ("Sở Nội vụ", 2023, 96.7, "actual"),
        ("Ủy ban nhân dân xã Vĩnh Hòa Hưng", 2024, 100.0, "target")]
    assert {r["indicator_code"] for r in rows} == {"so_hoa_ho_so"}
    with Session(store.engine) as session:  # the catalogue entry is one row, shared
        assert session.scalars(select(Indicator.code)).all() == ["so_hoa_ho_so"]
    unlinked = targets(store.engine, "kiem tra dot xuat")
    assert [(r["indicator"], r["indicator_code"]) for r in unlinked] == [
        ("Số cuộc kiểm tra đột xuất", None)]
