"""``vanban export-truth`` writes whole files and never through a link (issue 21): a
symbolic link planted in the output folder is replaced, not followed; a full disk leaves
no half-written copy and says why in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from models import Store
from models.records import correct
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_archive import _letter


def _corrected_database(tmp_path, size: int = 0) -> str:  # noqa: ANN001
    source = _letter(tmp_path / "cv.txt", 51)
    if size:
        source.write_text(source.read_text(encoding="utf-8") + "x" * size, encoding="utf-8")
    db = str(tmp_path / "v.db")
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(source), "--db", db],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    store = Store(f"sqlite:///{db}")
    doc_id = store.documents()[0]["id"]
    assert correct(store.engine, doc_id, "subject", "đã sửa", "thử") is not None
    store.engine.dispose()
    return db


def _export(out, db: str) -> subprocess.CompletedProcess:  # noqa: ANN001
    return subprocess.run([sys.executable, "-m", "pipeline", "export-truth", str(out), "--db", db],
                          cwd=ROOT, capture_output=True, text=True)


def test_a_link_in_the_output_folder_is_not_followed(tmp_path):
    db = _corrected_database(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("không được ghi đè", encoding="utf-8")
    doc_id = Store(f"sqlite:///{db}").documents()[0]["id"]
    (out / f"{doc_id}-cv.txt").symlink_to(outside)
    (out / f"{doc_id}-cv.truth.json").symlink_to(outside)
    run = _export(out, db)
    assert run.returncode == 0, run.stderr
    assert outside.read_text(encoding="utf-8") == "không được ghi đè"
    assert not (out / f"{doc_id}-cv.txt").is_symlink()
    assert "đã sửa" in (out / f"{doc_id}-cv.truth.json").read_text(encoding="utf-8")


def test_a_full_disk_leaves_no_half_written_copy(tmp_path):
    db = _corrected_database(tmp_path, size=3 * 2**20)
    out = tmp_path / "full"
    out.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(out)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        run = _export(out, db)
        left = sorted(p.name for p in out.iterdir())
    finally:
        subprocess.run(["umount", str(out)], check=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "not exported: No space left on device" in run.stderr
    assert left == []
