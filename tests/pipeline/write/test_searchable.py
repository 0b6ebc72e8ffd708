"""Searchable PDF/A (pipeline/write): real scans of the project's generator and of
../shared/real read by the real pipeline, written, and read back by poppler and pypdf."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pikepdf
import pypdf
import pytest
from PIL import Image

from pipeline.app.run import PROVENANCE, contract_record, process_file
from pipeline.core.settings import Settings
from pipeline.write import pdfa
from pipeline.write.searchable import PdfOptions, SignedPdfError, _replace, write_searchable
from tests.conftest import ROOT

VANBAN = [sys.executable, "-m", "pipeline"]


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode()
    return unicodedata.normalize("NFC", " ".join(out.split()))


@pytest.fixture(scope="module")
def written(generated, tmp_path_factory) -> dict[str, tuple[Path, Path, dict]]:
    """name → (scan, its searchable PDF, the record) for a skewed PDF with a pen-written day,
    a grey PNG and a bilevel TIFF."""
    out = tmp_path_factory.mktemp("searchable")
    made = {}
    for name in ("qd-syt", "cv-sonoivu", "kh-vinhhoahung"):
        scan = generated[name]
        document, record = process_file(scan, Settings())
        target = out / f"{name}.pdf"
        result = write_searchable(scan, document, contract_record(record), target,
                                  provenance=record[PROVENANCE])
        assert result.pdfa and result.pages_with_text == len(document.pages)
        made[name] = (scan, target, contract_record(record))
    return made


def test_the_text_layer_gives_the_restored_words_back(written) -> None:
    for scan, pdf, record in written.values():
        text = _text(pdf)
        for field in ("number", "subject", "signer_name"):
            if record[field]:
                assert " ".join(record[field].split()) in text, (scan.name, field)
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert len(pypdf.PdfReader(pdf).pages) == record["page_count"]


def test_pdfa_metadata_and_the_record_in_the_file(written) -> None:
    _, path, record = written["qd-syt"]
    with pikepdf.open(path) as pdf:
        assert pdfa.problems(pdf) == []
        xmp = bytes(pdf.Root.Metadata.read_bytes()).decode()
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: metadata unfiltered
        assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B<" in xmp
        assert pdf.Root.OutputIntents[0].S == pikepdf.Name.GTS_PDFA1
        assert str(pdf.trailer.Info.Subject) == record["number"]
        assert str(pdf.trailer.Info.Author) == record["issuer"]
        assert record["subject"] in str(pdf.trailer.Info.Title)
        with pdf.open_metadata() as meta:  # pikepdf's own XMP reader agrees with the Info
            assert meta["dc:description"] == record["number"]
        assert f'"number": "{record["number"]}"' in xmp  # the record, carried
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "GlyphLessFont" in fonts and " yes " in fonts  # embedded


def test_images_are_kept_as_they_were(written, tmp_path) -> None:
    scan, path, _ = written["cv-sonoivu"]  # a PNG: its compressed data goes in as it is
    with pikepdf.open(path) as pdf:
        image = next(iter(pdf.pages[0].get_images().values()))
        assert pikepdf.PdfImage(image).as_pil_image().tobytes() == \
            Image.open(scan).convert(pikepdf.PdfImage(image).mode).tobytes()
    scan, path, _ = written["qd-syt"]  # a PDF: its scan's stream is not touched
    with pikepdf.open(scan) as before, pikepdf.open(path) as after:
        old = next(iter(before.pages[0].get_images().values())).read_raw_bytes()
        new = next(iter(after.pages[0].get_images().values())).read_raw_bytes()
        assert old == new
        assert path.stat().st_size <= 1.1 * scan.stat().st_size


def test_header_words_sit_over_ink(written, tmp_path) -> None:
    """Each word of the header fields, where the text layer puts it, covers ink on the
    rendered page (the skewed scan is drawn level, the words on the level lines)."""
    for name, (_, path, record) in written.items():
        subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", str(path),
                        str(tmp_path / name)], check=True)
        page = np.asarray(Image.open(next(tmp_path.glob(f"{name}*.pgm"))))
        boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                               capture_output=True, check=True).stdout.decode()
        words = [(unicodedata.normalize("NFC", w), *map(float, xy)) for *xy, w in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">([^<]+)<', boxes)]
        wanted = {w for f in ("number", "subject", "signer_name", "place")
                  for w in (record[f] or "").split()}
        checked = [(w, x0, y0, x1, y1) for w, x0, y0, x1, y1 in words if w in wanted]
        assert len(checked) >= 6, name
        for word, x0, y0, x1, y1 in checked:
            ink = page[int(y0):int(y1) + 1, int(x0):int(x1) + 1] < 128
            assert ink.mean() > 0.04, (name, word, ink.mean())


def test_a_pdf_with_a_good_text_layer_is_left_as_it_is(written, tmp_path) -> None:
    _, searchable, _ = written["qd-syt"]
    again = tmp_path / "again.pdf"
    done = subprocess.run(VANBAN + ["pdf", str(searchable), str(again)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "copied unchanged" in done.stdout and again.read_bytes() == searchable.read_bytes()


def test_a_signed_pdf_is_not_rewritten_unless_allowed(shared, tmp_path) -> None:
    signed = shared / "real" / "bca-3.pdf"
    document, record = process_file(signed, Settings())
    with pytest.raises(SignedPdfError, match="signature"):
        write_searchable(signed, document, contract_record(record), tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())
    result = write_searchable(signed, document, contract_record(record), tmp_path / "x.pdf",
                              PdfOptions(allow_unsign=True))
    assert result.pages_with_text == 2 and record["number"]
    assert record["number"] in _text(tmp_path / "x.pdf")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _text(tmp_path / "x.pdf")


def test_bad_input_is_said_as_extract_says_it(tmp_path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    pdf = subprocess.run(VANBAN + ["pdf", str(bad), str(tmp_path / "out.pdf")],
                         capture_output=True, text=True, cwd=ROOT)
    extract = subprocess.run(VANBAN + ["extract", str(bad), "--no-db"], capture_output=True,
                             text=True, cwd=ROOT)
    assert pdf.returncode == extract.returncode == 1
    assert pdf.stderr.strip() == extract.stderr.strip() and pdf.stderr.count("\n") == 1
    assert not (tmp_path / "out.pdf").exists()


def test_an_interrupted_write_leaves_no_half_file(tmp_path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"the earlier, whole file")

    def dies(partial: str) -> None:
        Path(partial).write_bytes(b"%PDF-1.7 half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _replace(target, dies)
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
    assert target.read_bytes() == b"the earlier, whole file"


def test_a_header_field_goes_onto_its_words_past_a_stamp_mark_and_its_opener() -> None:
    """The subject box holds ``V/v`` and a stamp's mark the record's value leaves out: the
    value's words go onto the run of words they match, the mark is left out of the layer."""
    from pipeline.core.document import Block, Box, Document, Line, Page, Word
    from pipeline.write.searchable import fields_onto_words

    printed = ["V/v", "thong", "báo", "hoạt", "động", "L*S:š", "của", "tà", "đạo"]
    words = [Word(t, Box(100 * i, 500, 100 * i + 80, 540), 90.0) for i, t in enumerate(printed)]
    document = Document(source="x.png", sha256="0" * 64)
    document.pages.append(Page(number=1, width=1000, height=1400,
                               blocks=[Block(lines=[Line(words=words)])]))
    record = {"subject": "thông báo hoạt động của tà đạo"}
    fields_onto_words(document, record, {"subject": {"page": 1, "box": [0, 490, 900, 550]}})
    assert [w.text for w in words] == ["V/v", "thông", "báo", "hoạt", "động", "", "của", "tà", "đạo"]
    # two runs that match equally: nothing is written
    twice = [Word(t, Box(100 * i, 500, 100 * i + 80, 540), 90.0)
             for i, t in enumerate(["báo", "cáo", "báo", "cáo"])]
    document.pages[0].blocks = [Block(lines=[Line(words=twice)])]
    fields_onto_words(document, {"subject": "Bao cao"},
                      {"subject": {"page": 1, "box": [0, 490, 900, 550]}})
    assert [w.text for w in twice] == ["báo", "cáo", "báo", "cáo"]


def test_a_real_subject_under_a_stamp_mark_reads_as_the_record_says(shared, tmp_path) -> None:
    """vietadmin-2: a mark read as ``L*S:š`` inside the subject's line."""
    scan = shared / "real" / "vietadmin-2.pdf"
    document, record = process_file(scan, Settings())
    target = tmp_path / "out.pdf"
    write_searchable(scan, document, contract_record(record), target,
                     provenance=record[PROVENANCE])
    text = _text(target)
    assert "tà đạo Hội thánh Đức Chúa" in text and "L*S" not in text
