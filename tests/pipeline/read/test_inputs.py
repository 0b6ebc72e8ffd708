from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from pipeline.core.settings import Settings
from pipeline.read.inputs import InputError, read_pages, sniff_kind


def _reason(path: Path, settings: Settings | None = None) -> str:
    with pytest.raises(InputError) as err:
        _, pages = read_pages(path, settings or Settings())
        list(pages)
    return str(err.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _reason(path) == "empty file (0 bytes)"


def test_html_saved_as_pdf(tmp_path):
    path = tmp_path / "download.pdf"
    path.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    assert _reason(path) == "not a PDF: the file is HTML"


def test_truncated_pdf(generated, tmp_path):
    data = generated["qd-syt"].read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[:2000])
    reason = _reason(path)
    assert reason.startswith(("corrupt PDF", "page 1 could not be rendered")), reason


def test_password_protected_pdf(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert _reason(path) == "encrypted PDF: a password is required to open it"


def test_owner_password_only_pdf_is_read(shared):
    # vietadmin-3 is AES-encrypted with an owner password only: it opens without one
    count, pages = read_pages(shared / "real" / "vietadmin-3.pdf", Settings(dpi=100))
    assert count == 6
    first = next(pages)
    assert first.image is not None and first.image.shape[0] > 1000


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (30_000, 30_000), 1).save(path)
    # Pillow's own guard (left on) refuses it at open, in vanban's words
    assert _reason(path).startswith("image too large: 900,000,000 pixels (limit 80,000,000)")


def test_unsupported_and_missing(tmp_path):
    doc = tmp_path / "letter.docx"
    doc.write_bytes(b"PK\x03\x04 not really")
    assert _reason(doc) == "unsupported file type '.docx'"
    assert _reason(tmp_path / "nowhere.pdf") == "file not found"


def test_text_input_needs_no_ocr(tmp_path):
    path = tmp_path / "ocr.txt"
    path.write_text("Số: 89/KH-UBND\n", encoding="utf-8")
    count, pages = read_pages(path, Settings())
    page = next(pages)
    assert (count, page.source, page.text) == (1, "text", "Số: 89/KH-UBND\n")


def test_image_dpi_read_or_guessed(tmp_path):
    arr = np.full((1754, 1240), 255, np.uint8)  # A4 at 150 dpi
    Image.fromarray(arr).save(tmp_path / "with.png", dpi=(150, 150))
    Image.fromarray(arr).save(tmp_path / "without.png")
    for name in ("with.png", "without.png"):
        _, pages = read_pages(tmp_path / name, Settings())
        assert next(pages).dpi == 150
    assert sniff_kind(tmp_path / "with.png") == "image"
