"""Chỉ tiêu tables from the project's generator: merged section cells, a table over a page
break with its header repeated, a borderless table; real tesseract on rendered scans."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import cell_matches, score_document
from pipeline.run import process_file
from pipeline.settings import Settings
from scripts import make_samples


@pytest.fixture(scope="module")
def target_docs(tmp_path_factory) -> dict[str, tuple[dict, dict]]:
    out = tmp_path_factory.mktemp("targets")
    docs = {}
    for name in ("kh-chitieu", "bc-ketqua"):  # ruled over two pages; borderless
        path = make_samples.make(name, out, seed=7)
        truth = json.loads(path.with_name(f"{name}.truth.json").read_text(encoding="utf-8"))
        _, record = process_file(path, Settings())
        docs[name] = (record, truth)
    return docs


@pytest.mark.parametrize("name", ["kh-chitieu", "bc-ketqua"])
def test_targets_are_read_from_tables(target_docs, name):
    record, truth = target_docs[name]
    assert len(truth["targets"]) >= 6
    assert score_document(record, truth)["targets"] >= 0.9


def test_actual_figures_in_a_report(target_docs):
    record, _ = target_docs["bc-ketqua"]
    assert record["targets"] and all(t["kind"] == "actual" for t in record["targets"])


@pytest.mark.parametrize("name", ["kh-chitieu", "bc-ketqua"])
def test_table_cells_read_exactly(target_docs, name):
    record, truth = target_docs[name]
    found, total = cell_matches(record, truth)
    assert total > 30 and found / total >= 0.85


def test_merged_section_row_is_one_cell(target_docs):
    record, _ = target_docs["kh-chitieu"]
    rows = [row for page in record["pages"] for table in page["tables"] for row in table["rows"]
            if any("Chỉ tiêu giao tại" in cell["text"] for cell in row)]
    assert len(rows) == 2
    for row in rows:  # number | one title cell across the four other columns
        assert [(c["col_span"], c["row_span"]) for c in row] == [(1, 1), (4, 1)]


def test_a_target_table_holds_no_tasks(target_docs):
    record, truth = target_docs["kh-chitieu"]
    assert score_document(record, truth)["tasks"] == 1.0  # the task table only
