"""Batch ingest: interrupted by SIGKILL and re-run, every document is stored exactly once."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest


def _vanban(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, timeout=600)


def _documents(db: str) -> list[dict]:
    return json.loads(_vanban("query", "documents", "--format", "json", "--db", db).stdout)


@pytest.mark.slow
def test_sigkill_then_rerun_stores_each_document_once(generated, tmp_path):
    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    for i, path in enumerate(generated.values()):
        shutil.copy(path, archive / ("2024" if i % 2 else "") / path.name)
    # a renamed copy of a file: same content, ingested once
    first = next(iter(generated.values()))
    shutil.copy(first, archive / f"copy-of-{first.name}")
    (archive / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    db = f"sqlite:///{tmp_path / 'archive.db'}"

    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(archive),
                             "--db", db, "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + 300
    stored_before_kill = 0
    while time.time() < deadline:  # kill as soon as one document is committed
        line = proc.stdout.readline()
        if line.strip():
            stored_before_kill += 1
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _documents(db)
    assert len(partial) == stored_before_kill == 1  # nothing half-written

    rerun = _vanban("ingest", str(archive), "--db", db, "--workers", "2")
    assert rerun.returncode == 1  # broken.pdf failed, the rest went on
    assert "broken.pdf: corrupt PDF" in rerun.stderr
    docs = _documents(db)
    hashes = [d["sha256"] for d in docs]
    assert len(docs) == len(generated) == len(set(hashes))  # each once, copy skipped

    again = _vanban("ingest", str(archive), "--db", db)
    assert f"0 stored, {len(generated) + 1} already stored" in again.stderr  # + the copy
    assert sorted(d["sha256"] for d in _documents(db)) == sorted(hashes)
    errors = json.loads(_vanban("query", "errors", "--format", "json", "--db", db).stdout)
    assert [e["source"].endswith("broken.pdf") for e in errors] == [True]
