"""Finding the pen-filled blanks of the header by their printed words, however OCR spelt or
glued them (pipeline/ocr/handwriting.py), on generated and real pages."""

from __future__ import annotations

import json

import pytest

from pipeline.app.run import process_file
from pipeline.core.document import Box, Word
from pipeline.core.settings import Settings
from pipeline.ocr.handwriting import _find_anchor


def _words(*spec: tuple[str, int, int]) -> list[Word]:
    return [Word(text, Box(x0, 0, x1, 40), 80.0) for text, x0, x1 in spec]


def test_clean_anchors_are_their_words() -> None:
    words = _words(("Hà", 0, 60), ("Nội,", 70, 150), ("ngày", 170, 270), ("26", 300, 360),
                   ("tháng", 380, 500), ("05", 520, 570), ("năm", 590, 680), ("2022", 700, 800))
    assert _find_anchor(words, "ngay", 0, 25.0) == (2, 170, 270)
    assert _find_anchor(words, "thang", 3, 25.0) == (4, 380, 500)
    assert _find_anchor(words, "nam", 5, 25.0) == (6, 590, 680)


def test_a_place_name_is_no_anchor() -> None:
    """Quảng Ngãi, ngày …: "Ngãi" folds to a near twin of "ngay"."""
    words = _words(("Quảng", 0, 140), ("Ngãi,", 160, 270), ("ngày", 290, 390))
    assert _find_anchor(words, "ngay", 0, 25.0) == (2, 290, 390)


def test_anchors_glued_to_pen_ink() -> None:
    # "đ{rháng": ink read as symbols before tháng; the printed word is at the right end
    words = _words(("ngàn:", 0, 90), ("đ{rháng", 110, 270), ("(Đ", 285, 350), ("năm", 370, 450))
    index, x0, x1 = _find_anchor(words, "thang", 1, 24.0)
    assert index == 1 and x1 == 270 and 270 - x0 == int(5.3 * 24)
    # "tháng//2năm": month and năm in one word, each at its end of it
    words = _words(("tháng//2năm", 0, 250), ("2025", 270, 370))
    assert _find_anchor(words, "thang", 0, 25.0) == (0, 0, int(5.3 * 25))
    assert _find_anchor(words, "nam", 0, 25.0) == (0, 250 - int(3.3 * 25), 250)
    # "ngày.)": the pen day read as punctuation widened the word's box
    words = _words(("ngày.)", 100, 240),)
    assert _find_anchor(words, "ngay", 0, 25.0) == (0, 100, 100 + int(4.3 * 25))


def test_generated_pen_number_and_day(generated) -> None:
    """The generator fills Số and ngày by pen (its handwriting face), as a clerk does."""
    path = generated["qd-syt"]
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
    document, record = process_file(path, Settings())
    assert record["number"] == truth["number"]
    assert record["issued_date"] == truth["issued_date"]
    assert "number" in document.pages[0].handwritten
    assert 0 < record["confidence"]["number"] <= 1


@pytest.mark.slow
def test_real_signed_scan_number_date_and_signature(shared) -> None:
    """bca-3.pdf: pen 4409 and 01/10 on a low-contrast scan, signed by Bộ Công an the same
    day; OCR reads the year 2025 as 2055, which cannot be after today."""
    path = shared / "real" / "bca-3.pdf"
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert record["number"] == truth["number"] == "4409/BCA-C04"
    assert record["issued_date"] == truth["issued_date"] == "2025-10-01"
    assert record["signatures"][0]["signed_at"].startswith("2025-10-01")
    assert record["signatures"][0]["valid"] is True


def test_the_code_starts_after_pen_ink_read_as_a_capital_and_a_symbol() -> None:
    """``2/T§/STTTT-CNTT`` (r3-02 of ../shared/real3): ``T§`` is the pen's 75, so the pen
    zone runs to the second slash; an old-style ``45/QĐ/UB`` still starts at its first."""
    from pipeline.ocr.handwriting import CODE_START

    assert CODE_START.search("2/T§/STTTT-CNTT").start() == 4
    assert CODE_START.search("45/QĐ/UB").start() == 2
    assert CODE_START.search("2/KH-UBND").start() == 1


def test_printed_digits_the_full_pass_was_unsure_of_are_read_again_alone(tmp_path):
    """make_samples --harsh photocopy, seed 32, the 15th document: ``Số: 1762/KH-UBND``
    printed, read ``1762/KHUBND`` at 41 by the full pass, so the pen reader's ``17`` won;
    Tesseract on the zone alone reads 1762 at 97 and the typed number stands."""
    from scripts import make_samples

    path = make_samples.make_varied(14, tmp_path, 32, harsh="photocopy")
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert record["number"] == truth["number"] == "1762/KH-UBND"
