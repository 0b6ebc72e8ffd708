"""Cells tidied of what specks and rule ends left (pipeline/ocr/cells.tidy_cells)."""

from __future__ import annotations

from pipeline.core.document import Box, Cell, Line, Row, Table, Word
from pipeline.ocr.cells import table_as_block, tidy_cells


def _cell(col: int, *texts: str) -> Cell:
    words = [Word(t, Box(40 * i + 200 * col, 10, 40 * i + 200 * col + 30, 40), 90.0)
             for i, t in enumerate(texts)]
    return Cell([Line(words)], row=0, col=col)


def test_a_cell_of_specks_alone_is_emptied_not_a_crash():
    # 'ˆ' (U+02C6) counts as a letter to str.isalnum, so the cell looked like text until
    # its only word was dropped as a speck: words[-1] of nothing (IndexError) lost the
    # whole document
    table = Table([Row([_cell(0, "ˆ"), _cell(1, "ˆ", "ˆ"), _cell(2, "Văn", "phòng_")])],
                  columns=3, box=Box(0, 0, 600, 50))
    tidy_cells(table)
    assert [c.text for c in table.rows[0].cells] == ["", "", "Văn phòng"]


def test_a_table_with_empty_rows_and_speck_cells_becomes_a_block():
    rows = [Row([_cell(0, "TT"), _cell(1, "Nội", "dung")]), Row([_cell(0), _cell(1)]),
            Row([_cell(0, "ˆ"), _cell(1, "“Thường", "xuyên")])]
    block = table_as_block(Table(rows, columns=2, box=Box(0, 0, 400, 200)))
    assert block.table is not None
    assert [c.text for c in block.table.rows[2].cells] == ["", "Thường xuyên"]
