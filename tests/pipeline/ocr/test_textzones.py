"""Regions for text without boxes: another engine's export, header columns on one line."""

import json
from pathlib import Path

import pytest

from pipeline.app.evaluate import score_document
from pipeline.app.run import process_file
from pipeline.core.document import Region
from pipeline.core.settings import Settings
from pipeline.ocr.textzones import find_phrase, zone_text
from scripts import make_samples

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _regions(lines: list[str]) -> dict[Region, list[str]]:
    out: dict[Region, list[str]] = {}
    for text, region in zone_text(lines, first_page=True, last_page=True):
        out.setdefault(region, []).append(text)
    return out


def test_the_template_is_found_however_an_english_model_spelt_it():
    assert find_phrase("THAP    DQc lap - Ty do - Hanhphuc", "doc lap tu do hanh phuc")
    assert find_phrase("CQNG HOA XA TTQT CHU NGHI VIPT NAM", "cong hoa xa hoi chu nghia viet nam")
    assert find_phrase("Kế hoạch cải cách hành chính năm 2024", "doc lap tu do hanh phuc") is None


def test_two_header_columns_on_one_line_are_cut_apart():
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG    CQNG HOA XA HOI CHU NGHIA VIPT NAM",
        "THÁP    DQc lap - Ty do - Hanhphuc",
        "ỦY BAN NHÂN DÂN HUYỆN LẤP    Lấp Vò, ngay 19 th6ng 03 nam 2023",
        "VÒ",
        "Sb: 1963/kh-ubnd",
        "KẾ HOẠCH",
        "Căn cứ Luật Tổ chức chính quyền địa phương, ngày 19 tháng 6 năm 2015",
        "Nơi nhận:   TM. ỦY BAN NHÂN DÂN",
        "- UBND tỉnh;   CHỦ TỊCH",
        "- Lưu: VT.",
        "Lâm Hữu Lan",
    ]
    regions = _regions(lines)
    assert regions[Region.HEADER_LEFT] == [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG", "THÁP", "ỦY BAN NHÂN DÂN HUYỆN LẤP", "VÒ",
        "Sb: 1963/kh-ubnd"]
    assert regions[Region.HEADER_RIGHT][-1] == "Lấp Vò, ngay 19 th6ng 03 nam 2023"
    # a date inside a sentence of the body is no header
    assert lines[6] in regions[Region.BODY]
    assert regions[Region.CLOSING_LEFT] == ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."]
    assert regions[Region.CLOSING_RIGHT] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lâm Hữu Lan"]


def test_text_with_no_template_stays_body():
    lines = ["Báo cáo tình hình", "Nội dung thứ nhất, ngày làm việc"]
    assert _regions(lines) == {Region.BODY: lines}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[tuple[dict, dict]]:
    out = tmp_path_factory.mktemp("exports")
    docs = []
    for index in range(8):
        path = make_samples.make_text_case(index, out, seed=41)
        truth = json.loads(path.with_name(f"{path.stem}.truth.json").read_text(encoding="utf-8"))
        docs.append((process_file(path, Settings())[1], truth))
    return docs


def test_header_fields_of_other_engines_exports(exports):
    scores = [v for record, truth in exports for v in score_document(record, truth).values()]
    assert len(scores) > 60 and sum(scores) / len(scores) >= 0.8
    issuers = [score_document(r, t)["issuer"] for r, t in exports]
    assert sum(issuers) >= 7


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the project")
def test_the_real_seed_header_is_zoned():
    text = (SEEDS / "chovam-2024-kehoach.ocr.txt").read_text(encoding="utf-8")
    lines = [line for line in text.split("\f")[0].splitlines() if line.strip()]
    regions = _regions(lines)
    assert any("ngày" in t or "ngay" in t or "gdy" in t for t in regions[Region.HEADER_RIGHT])
    assert Region.HEADER_LEFT in regions
