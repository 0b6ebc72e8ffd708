"""What one file may cost (issue 21): past ``--file-timeout`` or ``--memory-limit`` it becomes
an error row with the reason, the batch goes on, and nothing it started is left running.
Real ingests, a real tesseract (made to hang by a wrapper on PATH), real SQLite."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

from scripts import make_samples
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_batch import _wrapper

LETTER = "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\nSố: 12/KH-UBND\nKẾ HOẠCH\nTriển khai công tác năm\n"


def _ingest(folder: Path, db: Path, *options: str, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db",
                           str(db), *options], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def _rows(db: Path) -> tuple[list[str], list[tuple[str, str, str]]]:
    connection = sqlite3.connect(db)
    stored = [path for (path,) in connection.execute("SELECT path FROM document_paths")]
    errors = connection.execute("SELECT source, stage, reason FROM ingest_errors").fetchall()
    connection.close()
    return stored, errors


def test_a_file_past_its_time_is_an_error_row_and_its_tesseract_is_stopped(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    make_samples.make("cv-sonoivu", archive, seed=3)
    (archive / "letter.txt").write_text(LETTER, encoding="utf-8")
    # every page read hangs, as a page Tesseract never finishes would
    env = _wrapper(tmp_path, f'echo "$$" >> "$MARK"; exec sleep 300 # {tmp_path.name}')
    started = time.monotonic()
    run = _ingest(archive, tmp_path / "v.db", "--file-timeout", "3", "--workers", "2", env=env)
    assert time.monotonic() - started < 60
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "took longer than 3 s (--file-timeout)" in run.stderr
    stored, errors = _rows(tmp_path / "v.db")
    assert [Path(path).name for path in stored] == ["letter.txt"]
    assert len(errors) == 1 and errors[0][0].endswith(".png") and errors[0][1] == "pipeline"
    assert "took longer than 3 s" in errors[0][2]
    hung = [int(pid) for pid in (tmp_path / "mark").read_text().split()]
    assert hung, "the wrapper never ran"
    time.sleep(0.5)
    assert not [pid for pid in hung if Path(f"/proc/{pid}").exists()], "tesseract left running"


def test_a_file_past_its_memory_is_an_error_row_and_the_batch_goes_on(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    page = Image.new("L", (6000, 8000), 255)  # 48 MB decoded, a few copies in the stages
    draw = ImageDraw.Draw(page)
    for y in range(300, 7700, 150):
        draw.text((300, y), "UY BAN NHAN DAN TINH " * 4, fill=0)
    page.save(archive / "big.png")
    (archive / "letter.txt").write_text(LETTER, encoding="utf-8")
    run = _ingest(archive, tmp_path / "v.db", "--memory-limit", "40", "--workers", "2")
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "big.png: out of memory" in run.stderr
    stored, errors = _rows(tmp_path / "v.db")
    assert [Path(path).name for path in stored] == ["letter.txt"]
    assert len(errors) == 1 and "out of memory" in errors[0][2] and "40 MB" in errors[0][2]


def test_limits_are_whole_numbers(tmp_path):
    run = _ingest(tmp_path, tmp_path / "v.db", "--file-timeout", "soon")
    assert run.returncode == 2 and "'soon' is not a whole number" in run.stderr
