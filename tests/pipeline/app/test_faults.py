"""Faults during a batch: a broken page, Tesseract killed, the database locked or full.

Each must give a clear message naming the file, an error row where the database can take
one, no traceback, and no lost or duplicated document. Real tesseract, real SQLite; the
faults themselves are real too (a killed process, a held lock, a file-size limit).
"""

from __future__ import annotations

import io
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from models import Store
from models.search import search
from tests.conftest import ROOT

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _pdf(path: Path, pages: int = 3, break_page: int | None = None) -> Path:
    """Scanned-looking pages; ``break_page``'s image data is declared with the wrong filter,
    so no reader can decode it."""
    face = ImageFont.truetype(FONT, 40)
    images = []
    for n in range(1, pages + 1):
        img = Image.new("RGB", (1240, 1754), "white")
        # the file's name on its pages: two files are two contents (one row per content)
        ImageDraw.Draw(img).text((120, 200), f"Trang {n}: Kế hoạch cải cách hành chính "
                                 f"{path.stem}", font=face, fill="black")
        images.append(img)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=150, save_all=True, append_images=images[1:])
    data = buf.getvalue()
    if break_page:
        at = [m.start() for m in re.finditer(rb"/DCTDecode", data)][break_page - 1]
        data = data[:at] + b"/FlateDecode" + data[at + len(b"/DCTDecode") :]
    path.write_bytes(data)
    return path


def _vanban(*args: str, env: dict | None = None, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env={**os.environ, **(env or {})},
                          preexec_fn=preexec)


def test_one_broken_page_among_good_ones(tmp_path):
    pdf = _pdf(tmp_path / "broken.pdf", break_page=2)
    db = f"sqlite:///{tmp_path / 'v.db'}"
    run = _vanban("extract", str(pdf), "--db", db)
    assert "page 2: unreadable" in run.stderr and "Traceback" not in run.stderr
    store = Store(db)
    (doc,) = store.documents()
    assert doc["page_count"] == 3  # stored, with the good pages
    (error,) = store.errors()
    assert error["stage"] == "rasterize" and "page 2" in error["reason"]


def test_tesseract_killed_mid_page(tmp_path):
    """The first Tesseract process of the batch is killed with SIGKILL while it reads."""
    real = subprocess.run(["which", "tesseract"], capture_output=True, text=True).stdout.strip()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "killed-once"
    wrapper = bin_dir / "tesseract"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" != "--version" ] && [ "$1" != "--list-langs" ] && [ ! -e {marker} ]; then\n'
        f"  touch {marker}\n"
        # killed as soon as it starts: a sleep first let a small page finish before the kill
        f'  {real} "$@" & pid=$!; kill -9 $pid; wait $pid; exit $?\n'
        "fi\n"
        f'exec {real} "$@"\n'
    )
    wrapper.chmod(0o755)
    first, second = _pdf(tmp_path / "a.pdf", pages=1), _pdf(tmp_path / "b.pdf", pages=1)
    db = f"sqlite:///{tmp_path / 'v.db'}"
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    run = _vanban("extract", str(first), str(second), "--db", db, env=env)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "a.pdf" in run.stderr and "tesseract failed" in run.stderr  # which file, and why
    assert "timed out" not in run.stderr  # a killed tesseract is no timeout
    store = Store(db)
    assert [Path(d["source"]).name for d in store.documents()] == ["b.pdf"]
    assert [Path(e["source"]).name for e in store.errors()] == ["a.pdf"]
    # the file is not lost: a re-run stores it, once
    run = _vanban("extract", str(first), "--db", db)
    assert run.returncode == 0
    assert sorted(Path(d["source"]).name for d in store.documents()) == ["a.pdf", "b.pdf"]
    assert store.errors() == []


def test_database_locked(tmp_path):
    db_file = tmp_path / "v.db"
    db = f"sqlite:///{db_file}"
    Store(db)  # the tables exist
    text = tmp_path / "cv.txt"
    text.write_text("ỦY BAN NHÂN DÂN HUYỆN PHÚ TÂN\nSố: 12/UBND-VP\nV/v báo cáo\n",
                    encoding="utf-8")
    locked = threading.Event()

    def hold() -> None:  # another program writes to the database for 6 s
        conn = sqlite3.connect(db_file, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        time.sleep(6)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    run = _vanban("extract", str(text), "--db", db, env={"VANBAN_DB_TIMEOUT": "1"})
    holder.join()
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "cv.txt" in run.stderr and "database is locked" in run.stderr
    assert Store(db).documents() == []  # nothing half-written
    run = _vanban("extract", str(text), "--db", db)  # the lock is gone: stored, once
    assert run.returncode == 0 and len(Store(db).documents()) == 1


def test_disk_full(tmp_path):
    """The database file may not grow (a file-size limit, as a full disk or a quota)."""
    db_file = tmp_path / "v.db"
    db = f"sqlite:///{db_file}"
    Store(db).engine.dispose()  # tables made, write-ahead log folded into the file and closed
    small = tmp_path / "small.txt"
    small.write_text("ỦY BAN NHÂN DÂN TỈNH AN GIANG\nSố: 1/UBND\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("Kế hoạch cải cách hành chính năm 2024.\n" * 4000, encoding="utf-8")
    limit = 256 * 1024  # bytes any file may reach: big.txt's page text does not fit

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    run = _vanban("extract", str(small), str(big), "--db", db, preexec=cap)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "big.txt" in run.stderr and "not stored" in run.stderr, run.stderr
    names = [Path(d["source"]).name for d in Store(db).documents()]
    assert names == ["small.txt"]  # the other file of the call is stored, big is not half-there


@pytest.mark.slow
def test_a_300_page_pdf_is_read_whole_in_bounded_memory(tmp_path):
    """Pages stream through the pipeline one at a time: memory does not grow with length."""
    face = ImageFont.truetype(FONT, 36)

    def pages():
        for n in range(1, 301):
            img = Image.new("L", (1240, 1754), 255)
            ImageDraw.Draw(img).text((150, 150), f"Trang {n}: báo cáo tổng hợp", font=face,
                                     fill=0)
            yield img

    stream = pages()
    first = next(stream)
    pdf = tmp_path / "long.pdf"
    # at 300 dpi: no page is upsampled before OCR (the memory bound, not OCR time, is tested)
    first.save(pdf, "PDF", resolution=300, save_all=True, append_images=list(stream))
    db = f"sqlite:///{tmp_path / 'v.db'}"
    # a parent of its own, so that its children's peak is vanban's alone
    measure = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
    run = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "pipeline",
                          "extract", str(pdf), "--db", db], capture_output=True, text=True,
                         cwd=ROOT, timeout=900)
    assert run.returncode == 0, run.stderr
    peak_mb = int(run.stdout.strip().splitlines()[-1]) / 1024
    (doc,) = Store(db).documents()
    assert doc["page_count"] == 300
    hits = [h["page"] for h in search(Store(db).engine, "trang 300 bao cao")[1]]
    assert 300 in hits
    assert peak_mb < 600, peak_mb


def test_a_missing_language_is_reported_as_such_not_as_a_timeout():
    import numpy as np
    import pytest

    from pipeline.ocr import tesseract

    page = np.full((200, 400), 255, np.uint8)
    with pytest.raises(tesseract.OcrError) as failure:
        tesseract.image_to_words(page, dpi=300, language="xyz", timeout=30)
    assert "failed" in str(failure.value) and "timed out" not in str(failure.value)
    assert "xyz" in str(failure.value)  # Tesseract's own words name the language
