"""vanban ingest --pdf-out (pipeline/app/pdfout.py): a real ingest of generated scans into a
real SQLite file, the searchable PDFs read back with poppler."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

from tests.conftest import ROOT

VANBAN = [sys.executable, "-m", "pipeline"]


def _ingest(archive, db, out) -> subprocess.CompletedProcess:
    return subprocess.run(VANBAN + ["ingest", str(archive), "--db", str(db), "--workers", "1",
                                    "--pdf-out", str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def test_ingest_writes_one_searchable_pdf_per_document_mirroring_the_tree(generated,
                                                                          tmp_path) -> None:
    archive = tmp_path / "archive"
    (archive / "2024" / "cv").mkdir(parents=True)
    (archive / "2025").mkdir()
    shutil.copy(generated["cv-sonoivu"], archive / "2024" / "cv" / "cv-sonoivu.png")
    shutil.copy(generated["qd-syt"], archive / "2025" / "qd-syt.pdf")
    (archive / "2025" / "note.txt").write_text("Số: 12/UBND-VP\nV/v họp giao ban\n")
    out = archive / "searchable"  # inside the folder ingested: never ingested itself
    db = tmp_path / "archive.db"

    first = _ingest(archive, db, out)
    assert first.returncode == 0, first.stderr
    assert "3 stored" in first.stderr
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert made == ["2024/cv/cv-sonoivu.pdf", "2025/qd-syt.pdf"]  # a .txt has no pages
    number = sqlite3.connect(db).execute(
        "select number from documents where path like '%qd-syt.pdf'").fetchone()[0]
    text = subprocess.run(["pdftotext", str(out / "2025" / "qd-syt.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert number and number in text
    assert not list(out.rglob("*.part"))

    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    again = _ingest(archive, db, out)
    assert again.returncode == 0, again.stderr
    assert "0 stored, 3 already stored" in again.stderr  # its own PDFs not taken as scans
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps  # up to date

    (out / "2024" / "cv" / "cv-sonoivu.pdf").unlink()
    third = _ingest(archive, db, out)
    assert third.returncode == 0, third.stderr
    assert "1 searchable PDFs made of documents stored before" in third.stderr
    assert (out / "2024" / "cv" / "cv-sonoivu.pdf").is_file()
    assert sqlite3.connect(db).execute("select count(*) from documents").fetchone()[0] == 3
