"""Layout and ruled tables on synthetic word boxes and small drawn images: a layout change
is judged here in a second, before the end-to-end suites run it on rendered scans."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.core.document import Box, Line, Region, Word
from pipeline.ocr.layout import build_page, split_at_gaps, zone
from pipeline.ocr.tables import find_tables
from pipeline.ocr.tesseract import OcrWord

H = 40  # a word's height in pixels (12 pt at 300 dpi)
WIDTH = 2480  # A4 at 300 dpi


def _line(y: int, *spans: tuple[str, int]) -> Line:
    """Words at x positions, each as wide as 22 px a character."""
    return Line([Word(text, Box(x, y, x + 22 * len(text), y + H), 95.0) for text, x in spans])


def _body(y: int, text: str) -> Line:
    """A line of body text across the page (left margin 354 px, about 30 px a letter)."""
    x, spans = 354, []
    for word in text.split():
        spans.append((word, x))
        x += 22 * len(word) + 30
    return _line(y, *spans)


def _ocr_words(lines: list[Line]) -> list[OcrWord]:
    """As Tesseract gives them: one Tesseract line per input line, whatever its gaps."""
    return [OcrWord(w, block=1, paragraph=1, line=n) for n, line in enumerate(lines)
            for w in line.words]


def test_a_line_is_cut_where_two_columns_meet():
    joined = _line(100, ("ĐÀ", 300), ("NẴNG", 370), ("CỘNG", 1250), ("HÒA", 1370))
    assert [s.text for s in split_at_gaps([joined])] == ["ĐÀ NẴNG", "CỘNG HÒA"]
    spaced = _line(200, ("Kế", 300), ("hoạch", 360), ("cải", 500), ("cách", 580))
    assert [s.text for s in split_at_gaps([spaced])] == ["Kế hoạch cải cách"]


def test_header_columns_are_zoned_apart_from_the_body():
    lines = [
        _line(100, ("UBND", 350), ("TỈNH", 480)), _line(100, ("CỘNG", 1250), ("HÒA", 1370)),
        _line(160, ("SỞ", 380), ("NỘI", 450), ("VỤ", 530)), _line(160, ("Độc", 1300), ("lập", 1390)),
        _line(220, ("Số:", 360), ("12/SNV", 440)), _line(220, ("Kiên", 1280), ("Giang,", 1390)),
        _body(400, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và"),
        _body(460, "Kế hoạch cải cách hành chính nhà nước giai đoạn 2021 - 2030 của tỉnh, Sở"),
    ]
    header, body, closing, split = zone(split_at_gaps(lines), WIDTH)
    assert {s.text for s in header} == {"UBND TỈNH", "CỘNG HÒA", "SỞ NỘI VỤ", "Độc lập",
                                        "Số: 12/SNV", "Kiên Giang,"}
    assert [s.text.split()[0] for s in body] == ["Căn", "Kế"]
    assert closing == [] and 700 < split < 1250


def test_the_page_keeps_the_header_columns_in_reading_order():
    lines = [_line(100, ("UBND", 350)), _line(100, ("CỘNG", 1250)),
             _line(160, ("Số:", 360), ("5/UBND", 440)), _line(160, ("Độc", 1300), ("lập", 1390)),
             _body(400, "Nội dung của văn bản này trải rộng cả trang, từ lề trái sang lề phải")]
    page = build_page(1, WIDTH, 3508, 300, _ocr_words(lines), [])
    regions = [(b.region, b.lines[0].text) for b in page.blocks]
    assert regions[:2] == [(Region.HEADER_LEFT, "UBND"), (Region.HEADER_RIGHT, "CỘNG")]
    assert regions[-1][0] is Region.BODY


def _grid(rows: int, cols: int, cell_w: int = 300, cell_h: int = 90, at: tuple = (200, 300),
          merge_first_row: bool = False) -> np.ndarray:
    page = np.full((1400, 1700), 255, np.uint8)
    x0, y0 = at
    for r in range(rows + 1):
        cv2.line(page, (x0, y0 + r * cell_h), (x0 + cols * cell_w, y0 + r * cell_h), 0, 3)
    for c in range(cols + 1):
        top = y0 + cell_h if merge_first_row and 0 < c < cols else y0
        cv2.line(page, (x0 + c * cell_w, top), (x0 + c * cell_w, y0 + rows * cell_h), 0, 3)
    return page


def test_a_ruled_grid_gives_its_rows_and_columns():
    grids, cleaned = find_tables(_grid(4, 3), dpi=300)
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.row_edges) == 5 and len(grid.col_edges) == 4
    assert grid.row_edges == [300, 390, 480, 570, 660]  # each rule where it was drawn
    assert grid.col_edges == [200, 500, 800, 1100]
    assert grid.cell_of(200 + 450, 300 + 135) == (1, 1)
    assert (cleaned < 128).sum() < 0.05 * (_grid(4, 3) < 128).sum()  # the rules are whitened


def test_a_merged_header_cell_spans_its_row():
    grids, _ = find_tables(_grid(3, 3, merge_first_row=True), dpi=300)
    grid = grids[0]
    assert grid.cell_of(200 + 750, 300 + 45) == (0, 0)  # the first row is one cell
    assert grid.cell_of(200 + 750, 300 + 135) == (1, 2)


def test_text_alone_is_no_table():
    page = np.full((1400, 1700), 255, np.uint8)
    for y in range(200, 1200, 60):
        cv2.putText(page, "Ke hoach cai cach hanh chinh nam 2024", (150, y),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    grids, _ = find_tables(page, dpi=300)
    assert grids == []
