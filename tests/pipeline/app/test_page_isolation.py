"""A page that breaks a stage costs that page only (issue 21): the document is stored with
its other pages, the broken page named with its stage and reason in the record's warnings
and in an error row."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from PIL import Image

from scripts import make_samples
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_batch import _wrapper


def test_tesseract_killed_on_one_page_loses_that_page_only(tmp_path):
    (tmp_path / "made").mkdir()
    made = make_samples.make("cv-sonoivu", tmp_path / "made", seed=7)
    page = Image.open(made).convert("L")
    scan = tmp_path / "three.tif"
    page.save(scan, save_all=True, append_images=[page.copy(), page.copy()])
    # the second full-page read (psm 3) of this file dies as if the OOM killer took it
    env = _wrapper(tmp_path, 'case "$*" in *"--psm 3"*) echo x >> "$MARK"; '
                   '[ "$(wc -l < "$MARK")" -eq 2 ] && kill -9 $$;; esac')
    db = tmp_path / "v.db"
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(scan), "--db",
                          str(db)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, **env})
    assert "Traceback" not in run.stderr, run.stderr
    assert "page 2: not read" in run.stderr, run.stderr
    connection = sqlite3.connect(db)
    pages = connection.execute("SELECT number, source FROM pages ORDER BY number").fetchall()
    errors = connection.execute("SELECT stage, reason FROM ingest_errors").fetchall()
    number = connection.execute("SELECT number FROM documents").fetchone()
    connection.close()
    assert [source for _, source in pages] == ["ocr", "error", "ocr"]
    assert len(errors) == 1 and errors[0][0] == "ocr" and errors[0][1].startswith("page 2:")
    assert number and number[0]  # the header of page 1 was still read


def _measured(path) -> tuple[subprocess.CompletedProcess, float, float]:  # noqa: ANN001
    """``vanban extract`` of one file, run by a small parent of its own so that its peak
    resident memory (MB) is its own, not the largest of every child this test run made."""
    import json
    import time

    parent = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], "
              "stdout=subprocess.DEVNULL); print(resource.getrusage("
              "resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", parent, sys.executable, "-m", "pipeline",
                          "extract", "--no-db", str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    return run, time.monotonic() - started, json.loads(run.stdout) / 1024


def test_a_tiny_strip_of_an_image_is_refused_by_rule(tmp_path):
    strip = tmp_path / "strip.png"
    Image.new("L", (5, 10000), 255).save(strip, optimize=True)
    assert strip.stat().st_size < 400  # the 172-byte file that once took 7.7 GB
    run, seconds, peak = _measured(strip)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "not a page: 5×10000 pixels" in run.stderr
    assert seconds < 60 and peak < 1024


def test_a_text_of_one_five_megabyte_line_ends_in_a_record(tmp_path):
    words = "ủy ban nhân dân tỉnh giao sở kế hoạch thực hiện trước ngày báo cáo".split()
    text = " ".join(words[(i * 7) % len(words)] for i in range(1_200_000))[:5_000_000]
    big = tmp_path / "one-line.txt"
    big.write_text(text, encoding="utf-8")
    run, seconds, peak = _measured(big)
    assert run.returncode == 0, run.stderr
    assert seconds < 60 and peak < 1024, (seconds, peak)
