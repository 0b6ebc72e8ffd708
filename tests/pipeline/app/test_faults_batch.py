"""How a batch fails as a whole (issue 13): a worker killed under a file, the ingest
stopped by SIGTERM, Ctrl-C or SIGKILL, two ingests at once on one database, a database
that refuses even the error rows. Real processes, real signals, real SQLite; each ends with
nothing lost or duplicated, and the re-run completes the batch.

The moments are made exact with a tesseract wrapper on PATH that says when it runs (and as
whom), so a signal lands while a page is being read, not before or after it.
"""

from __future__ import annotations

import glob
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from models import Store
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_archive import _letter

REAL_TESSERACT = subprocess.run(["which", "tesseract"], capture_output=True,
                                text=True).stdout.strip()


def _wrapper(tmp_path: Path, body: str) -> dict[str, str]:
    """PATH with a ``tesseract`` that runs ``body`` (sh) before the real one on page
    reads; ``$MARK`` is a file it may write to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "tesseract"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"MARK={tmp_path / 'mark'}\n"
        'case "$1" in --version|--list-langs) ;; *)\n'
        f"{body}\n"
        "esac\n"
        f'exec {REAL_TESSERACT} "$@"\n')
    wrapper.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}"}


def _ingest(folder: Path, db: str, env: dict | None = None, workers: int = 2
            ) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", db,
         "--workers", str(workers)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, **(env or {})}, start_new_session=True,
        preexec_fn=_as_a_foreground_job)


def _as_a_foreground_job() -> None:
    """Ctrl-C as a terminal's foreground job gets it: a test run started in the background
    (``make test &``, CI runners) inherits SIGINT ignored, and Python then keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(path: Path, seconds: float = 120) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} never written")


def _tree(pid: int) -> list[int]:
    found = []
    for tasks in glob.glob(f"/proc/{pid}/task/*/children"):
        for child in Path(tasks).read_text().split():
            found += [int(child), *_tree(int(child))]
    return found


def _running(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _rows(db_file: Path) -> tuple[int, int]:
    with sqlite3.connect(db_file) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone()


@pytest.fixture()
def archive(generated, tmp_path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    for path in generated.values():  # four scans of one to two pages, rendered fresh
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_worker_killed_under_a_file_loses_nothing(archive, tmp_path):
    """The OOM killer's SIGKILL, to the pool worker reading a page."""
    env = _wrapper(tmp_path, '[ -e "$MARK" ] || { echo $PPID > "$MARK"; sleep 2; }')
    db_file = tmp_path / "v.db"
    ingest = _ingest(archive, f"sqlite:///{db_file}", env)
    worker = int(_wait_for(tmp_path / "mark"))
    os.kill(worker, signal.SIGKILL)
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0 and "Traceback" not in err, err
    assert f"ingest: {len(list(archive.iterdir()))} stored" in err
    assert _rows(db_file) == (4, 4)


def test_a_file_that_kills_its_worker_each_time_is_named(archive, tmp_path):
    env = _wrapper(tmp_path, 'kill -9 $PPID; sleep 5')  # every read kills its reader
    db = f"sqlite:///{tmp_path / 'v.db'}"
    ingest = _ingest(archive, db, env)
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 1 and "Traceback" not in err, err
    named = sorted(Path(ln.split(": ")[1]).name for ln in err.splitlines()
                   if "the process reading it was killed" in ln)
    assert named == sorted(p.name for p in archive.iterdir())
    store = Store(db)
    assert sorted(e["stage"] for e in store.errors()) == ["pipeline"] * 4
    again = _ingest(archive, db)  # the machine has memory again
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert len(store.documents()) == 4 and store.errors() == []


@pytest.mark.parametrize(("how", "code", "said"), [
    (signal.SIGTERM, 143, "vanban: stopped (SIGTERM); what was stored is kept, run it again to go on"),
    (signal.SIGINT, 130, "vanban: interrupted; what was stored is kept, run it again to go on"),
    (signal.SIGKILL, -9, None),
])
def test_a_stopped_ingest_leaves_nothing_running_and_resumes(archive, tmp_path, how, code, said):
    env = _wrapper(tmp_path, '[ -e "$MARK" ] || { echo $$ > "$MARK"; sleep 3; }')
    db_file = tmp_path / "v.db"
    ingest = _ingest(archive, f"sqlite:///{db_file}", env)
    _wait_for(tmp_path / "mark")  # a tesseract is reading a page now
    family = _tree(ingest.pid)
    assert len(family) >= 3  # workers and their tesseract
    if how == signal.SIGINT:
        os.killpg(ingest.pid, how)  # a terminal's Ctrl-C reaches the whole group
    else:
        os.kill(ingest.pid, how)
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == code and "Traceback" not in err, err
    assert "RuntimeError" not in err  # Ctrl-C once printed "cannot join current thread"
    if said:
        assert err.strip().splitlines()[-1] == said
    deadline = time.monotonic() + 10
    while _running(family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running(family) == []  # no worker, no tesseract outlives it
    left = glob.glob(f"/tmp/vanban-{ingest.pid}")
    assert (left != []) == (how == signal.SIGKILL)  # only SIGKILL leaves scratch behind
    again = _ingest(archive, f"sqlite:///{db_file}")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _rows(db_file) == (4, 4)
    assert glob.glob(f"/tmp/vanban-{ingest.pid}") == []  # swept by the re-run


def test_two_ingests_start_together_on_a_new_database(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _letter(folder / "a.txt", 1)
    for attempt in range(4):
        db = f"sqlite:///{tmp_path / f'new{attempt}.db'}"
        runs = [_ingest(folder, db, workers=1) for _ in range(2)]
        results = [run.communicate(timeout=120) for run in runs]
        for run, (_, err) in zip(runs, results, strict=True):
            assert run.returncode == 0 and "Traceback" not in err, err
        assert _rows(tmp_path / f"new{attempt}.db") == (1, 1)


def test_two_ingests_of_folders_sharing_files_store_each_content_once(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for n in range(30):
        _letter(first / f"cv{n}.txt", 100 + n)
        (second / f"copy{n}.txt").write_bytes((first / f"cv{n}.txt").read_bytes())
    for n in range(5):
        _letter(second / f"own{n}.txt", 200 + n)
    db_file = tmp_path / "v.db"
    Store(f"sqlite:///{db_file}").engine.dispose()
    runs = [_ingest(folder, f"sqlite:///{db_file}", workers=1) for folder in (first, second)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0 and "Traceback" not in err, err
    assert _rows(db_file) == (35, 35)


def test_a_database_that_refuses_the_error_rows_too(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    _letter(folder / "good.txt", 301)
    db_file = tmp_path / "v.db"
    Store(f"sqlite:///{db_file}").engine.dispose()
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:  # another program writes to the database all through the ingest
        conn = sqlite3.connect(db_file, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        done.wait()
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    run = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db",
                          f"sqlite:///{db_file}", "--workers", "1"], cwd=ROOT, text=True,
                         capture_output=True, env={**os.environ, "VANBAN_DB_TIMEOUT": "1"})
    done.set()
    holder.join()
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"vanban: {folder / 'empty.pdf'}: empty file (0 bytes)" in run.stderr
    assert f"vanban: {folder / 'empty.pdf'}: error not recorded either" in run.stderr
    assert "good.txt: not stored: the database refused the write (database is locked)" in run.stderr
    store = Store(f"sqlite:///{db_file}")
    assert store.documents() == [] and store.errors() == []
    run = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db",
                          f"sqlite:///{db_file}"], cwd=ROOT, text=True, capture_output=True)
    assert run.returncode == 1 and "1 stored" in run.stderr
    assert [Path(e["source"]).name for e in store.errors()] == ["empty.pdf"]


def test_a_read_only_database_still_prints_what_was_read(tmp_path):
    db_file = tmp_path / "v.db"
    Store(f"sqlite:///{db_file}").engine.dispose()
    letter = _letter(tmp_path / "a.txt", 401)
    read_only = f"sqlite:///file:{db_file}?mode=ro&uri=true"
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(letter), "--json",
                          "--db", read_only], cwd=ROOT, text=True, capture_output=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert '"number": "401/UBND-VP"' in run.stdout  # the record, printed all the same
    assert "attempt to write a readonly database" in run.stderr
