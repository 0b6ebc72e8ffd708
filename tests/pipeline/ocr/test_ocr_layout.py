"""Real Tesseract on pages rendered by the generator: regions and reading order."""

import json

import pytest

from pipeline.app.run import process_file
from pipeline.core.document import Region
from pipeline.core.settings import Settings


@pytest.fixture(scope="module")
def kehoach(generated):
    path = generated["kh-vinhhoahung"]
    document, record = process_file(path, Settings())
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
    return document, record, truth


def test_header_columns_do_not_interleave(kehoach):
    document, _, truth = kehoach
    page = document.pages[0]
    left = page.region_text(Region.HEADER_LEFT)
    right = page.region_text(Region.HEADER_RIGHT)
    assert "Số:" in left and "ỦY BAN NHÂN DÂN" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "ngày" in right and "CỘNG" not in left
    text = page.text
    assert text.index("Số:") < text.index("CỘNG HÒA") < text.index("Độc lập")


def test_table_rows_read_as_rows(kehoach):
    document, record, truth = kehoach
    tables = [t for p in document.pages for t in p.tables]
    assert tables, "the ruled task table was not found"
    table = tables[0]
    true_rows = [line.split(" | ") for line in truth["text"].split("\n") if line.count(" | ") == 3]
    assert [c.text for c in table.rows[0].cells] == true_rows[0]  # STT | Nội dung … header
    assert table.rows[0].header and not any(r.header for r in table.rows[1:])
    assert len(table.rows) == len(true_rows) and table.columns == 4
    assert all(len(r.cells) == 4 and all(c.col_span == c.row_span == 1 for c in r.cells)
               for r in table.rows)
    # the contract's form in the record, cell by cell
    exported = [t for page in record["pages"] for t in page["tables"]][0]
    assert [c["text"] for c in exported["rows"][1]] == [c.text for c in table.rows[1].cells]


def test_signature_block_is_its_own_region(kehoach):
    document, record, truth = kehoach
    last = document.pages[-1]
    assert truth["signer_name"] in last.region_text(Region.CLOSING_RIGHT)
    assert "Nơi nhận" in last.region_text(Region.CLOSING_LEFT)
    assert record["signer_name"] == truth["signer_name"]


def test_page_text_close_to_truth_and_boxes_kept(kehoach):
    from rapidfuzz.distance import Levenshtein

    document, record, truth = kehoach
    cer = Levenshtein.distance(record["text"], truth["text"]) / len(truth["text"])
    assert cer < 0.03, cer
    words = document.pages[0].words
    assert all(w.box.width > 0 and 0 <= w.confidence <= 100 for w in words if w.text != "|")
    assert set(record["timings"]) >= {"rasterize", "preprocess", "ocr", "restore", "extract"}


def test_handwritten_number_read_from_its_blank(generated):
    path = generated["cv-sonoivu"]  # the number is written by pen into "Số:      /SNV-..."
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert record["number"] == truth["number"]
    _, without = process_file(path, Settings(reocr_handwritten=False))
    assert without["number"] != truth["number"]  # the full-page pass alone misreads it
