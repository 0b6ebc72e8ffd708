"""Targets from prose, from table rows and from the real garbled seeds."""

from __future__ import annotations

import json

import pytest

from extractors.indicators import link_indicator
from extractors.targets import find_targets
from pipeline.app.evaluate import score_document
from pipeline.app.run import process_file
from pipeline.core.document import Document, Page
from pipeline.core.settings import Settings


def _doc(text: str) -> Document:
    doc = Document(source="t.txt", sha256="0" * 64)
    doc.pages.append(Page(number=1, source="text", plain_text=text))
    return doc


def test_prose_target_with_comparator_and_year():
    text = ("Năm 2024, phấn đấu tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết\n"
            "TTHC đạt tối thiểu 50%; các cơ quan thực hiện nghiêm túc.")
    (target,) = find_targets(_doc(text))
    assert target["value"] == 50.0
    assert target["comparator"] == ">="
    assert target["kind"] == "target"
    assert target["year"] == 2024
    assert target["indicator_code"] == "ho_so_truc_tuyen"


def test_actual_with_rank_and_decimal_comma():
    text = ("Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn đạt được 96,70%, xếp thứ 12/12 toàn tỉnh.")
    (target,) = find_targets(_doc(text))
    assert target["value"] == pytest.approx(96.7)
    assert target["kind"] == "actual"
    assert target["rank"] == "12/12"


def test_table_row_with_unit_column():
    text = ("STT | Chỉ tiêu | Đơn vị | Chỉ tiêu năm 2024 | Cơ quan chủ trì\n"
            "2.5 | Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC | % | Tối thiểu 80 | Bộ phận một cửa\n"
            "2.6 | Tỷ lệ cấp kết quả giải quyết TTHC điện tử | % | 100 | Bộ phận một cửa")
    targets = find_targets(_doc(text))
    assert [(t["indicator_code"], t["value"], t["comparator"]) for t in targets] == [
        ("so_hoa_ho_so", 80.0, ">="), ("ket_qua_dien_tu", 100.0, "=")]


def test_unit_read_as_yo_and_a_garbled_comparator():
    """Seed rows 2.7 and 2.8 of chovam: % read as "Yo" (restored to "Y ở"), "Tối" as "To1"."""
    text = ("2.7 Tỷ lệ thực hiện chứng thực bản sao điện tử từ bản chính Y ở 100 Pháp | KSTTHC\n"
            "2.8 Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa. Y ở To1 thiểu 50 "
            "thị trấn | KSTTHC")
    targets = find_targets(_doc(text))
    assert [(t["indicator_code"], t["value"], t["comparator"]) for t in targets] == [
        ("chung_thuc_dien_tu", 100.0, "="), ("tai_su_dung_du_lieu", 50.0, ">=")]


def test_percentages_without_an_indicator_are_not_targets():
    assert find_targets(_doc("Phấn đấu 100% cơ quan, đơn vị đạt loại tốt; tỷ lệ tỉnh giao 100%.")) == []


@pytest.mark.parametrize(
    ("wording", "code"),
    [
        ("Tỷ lệ xi l1i phân rinh, kiiln nghị và. quy định hành chính đầy đủ, dụng quỹ dinh",
         "phan_anh_quy_dinh"),
        ("Tỷ lệ thsc hiện chìm tục bản sao điện từ từ bản chinh", "chung_thuc_dien_tu"),
        ("Tỷ lệ học sinh bỏ học giữa chừng", None),  # not in the catalogue: stays unlinked
    ],
)
def test_link_indicator(wording: str, code: str | None):
    linked, _ = link_indicator(wording)
    assert (linked.code if linked else None) == code


@pytest.mark.parametrize("name", ["hatien-2024-congvan", "chovam-2024-kehoach"])
def test_seed_targets(shared, name):
    """English-model OCR of real documents: targets F1 by the contract's matching rule."""
    path = shared / "seeds" / f"{name}.ocr.txt"
    truth = json.loads(path.with_name(f"{name}.truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert score_document(record, truth)["targets"] >= 0.8


def test_comparator_symbol_in_a_table_row():
    doc = Document(source="t.txt", sha256="0" * 64)
    doc.pages.append(Page(number=1, source="text", plain_text=(
        "1 | Mức độ hài lòng của người dân, doanh nghiệp | % | ≥ 90 | Văn phòng")))
    (target,) = find_targets(doc)
    assert (target["value"], target["comparator"]) == (90.0, ">=")
