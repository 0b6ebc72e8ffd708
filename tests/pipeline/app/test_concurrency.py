"""One archive shared by several vanban processes at once (issue 21): a ``serve
--allow-edits`` taking corrections, a long ``ingest``, queries and a second ingest of a
folder sharing files with the first, all on the same database, then every process killed.
What the server acknowledged and what ingest reported stored must all be there, and the
SQLite file must pass ``PRAGMA integrity_check``.

The cause found for the lost corrections: the migration lock opened and closed a second
handle on the database file; closing it dropped every POSIX lock of that process on the
file, SQLite's own included, so another process closing its last connection took itself
for the only one, checkpointed and deleted the -wal and -shm files serve still wrote to.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scripts.serving import free_port
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_archive import _letter

pytestmark = pytest.mark.slow


def _start(*args: str, out: Path | None = None) -> subprocess.Popen:
    sink = open(out, "w") if out else subprocess.DEVNULL  # noqa: SIM115 (closed by the OS)
    # a hang-up ends the process as a closed terminal's does, even when the suite itself
    # runs under nohup (an ignored SIGHUP is inherited)
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                            stdout=sink, stderr=subprocess.STDOUT, env=os.environ,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))


def _vanban(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=300)


def _folders(tmp_path: Path, first: int, second: int, shared: int) -> tuple[Path, Path]:
    """Two archive folders; ``shared`` files of the second have the content of files of
    the first (copied between offices), the rest are their own."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for i in range(first):
        _letter(a / f"a{i:04d}.txt", 1000 + i)
    for i in range(second):
        if i < shared:
            (b / f"copy{i:04d}.txt").write_bytes((a / f"a{i:04d}.txt").read_bytes())
        else:
            _letter(b / f"b{i:04d}.txt", 5000 + i)
    return a, b


def _request(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


class Reviewer(threading.Thread):
    """Corrects the subject of random stored documents as long as it runs, and keeps
    every correction the server acknowledged (200) as (content hash, value)."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.acknowledged = base, threading.Event(), []
        self.failures: list[int] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            try:
                status, listed = _request("GET", f"{self.base}/api/documents?limit=50")
                items = listed.get("items") or []
                if not items:
                    time.sleep(0.1)
                    continue
                doc = random.choice(items)
                n += 1
                value = f"trích yếu sửa lần {n}"
                status, record = _request("PUT", f"{self.base}/api/documents/{doc['id']}"
                                          "/fields/subject", {"value": value, "by": "thử"})
            except OSError:  # the server was killed under the request: not acknowledged
                return
            if status == 200:
                self.acknowledged.append((record["sha256"], value))
            elif status != 404:  # 404: the document was replaced meanwhile
                self.failures.append(status)
            time.sleep(0.05)


def _wait_until_serving(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/api/documents?limit=1", timeout=30).read()
            return
        except OSError:
            assert server.poll() is None, "vanban serve stopped"
            assert time.monotonic() < deadline
            time.sleep(0.2)


def _serve_with_reviewer(db: str, first: Path) -> tuple[subprocess.Popen, Reviewer]:
    """A database holding ``first``, ``serve --allow-edits`` on it, and a Reviewer
    correcting through it."""
    seed = _vanban("extract", str(first), "--db", db)
    assert seed.returncode == 0, seed.stderr
    port = free_port()
    server = _start("serve", "--db", db, "--port", str(port), "--allow-edits")
    base = f"http://127.0.0.1:{port}"
    _wait_until_serving(base, server)
    reviewer = Reviewer(base)
    reviewer.start()
    return server, reviewer


def _stored_lines(log: Path) -> set[str]:
    """The files ingest reported stored (its summary line per document, after the commit)."""
    return {line.split(": ", 1)[0] for line in log.read_text(errors="replace").splitlines()
            if ": Công văn " in line}


def _kill_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    for process in processes:
        process.wait(timeout=60)


def _check_sqlite(db_file: Path, reviewer: Reviewer, reported: set[str]) -> None:
    connection = sqlite3.connect(db_file)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        corrections = set(connection.execute(
            "SELECT sha256, new FROM corrections WHERE field = 'subject'").fetchall())
        paths = {p for (p,) in connection.execute("SELECT path FROM document_paths")}
        hashes = [h for (h,) in connection.execute("SELECT sha256 FROM documents")]
    finally:
        connection.close()
    missing = [c for c in reviewer.acknowledged if c not in corrections]
    assert not missing, f"{len(missing)} acknowledged corrections lost: {missing[:3]}"
    assert reported <= paths, f"reported stored but not there: {sorted(reported - paths)[:3]}"
    assert len(hashes) == len(set(hashes))


@pytest.mark.parametrize("attempt", range(5))
def test_serve_ingest_and_queries_on_one_sqlite_file_then_all_killed(tmp_path, attempt):
    a, b = _folders(tmp_path, first=200, second=60, shared=30)
    db_file = tmp_path / "archive.db"
    db = str(db_file)
    server, reviewer = _serve_with_reviewer(db, a / "a0000.txt")
    first = _start("ingest", str(a), "--db", db, "--workers", "2", "-v",
                   out=tmp_path / "first.log")
    queries = 0
    second = None
    started = time.monotonic()
    # killed at a different moment each time, after three queries at least
    while queries < 3 or time.monotonic() - started < 3 + attempt / 2:
        ran = _vanban("query", random.choice(["documents", "runs"]), "--db", db, "--limit", "1")
        assert ran.returncode == 0, ran.stderr
        queries += 1
        if second is None and time.monotonic() - started > 1:
            second = _start("ingest", str(b), "--db", db, "--workers", "1", "-v",
                            out=tmp_path / "second.log")
    reviewer.stop.set()
    _kill_all([p for p in (server, first, second) if p])
    reviewer.join(timeout=60)
    assert reviewer.acknowledged and second is not None
    assert not reviewer.failures, reviewer.failures
    reported = _stored_lines(tmp_path / "first.log") | _stored_lines(tmp_path / "second.log")
    _check_sqlite(db_file, reviewer, {os.path.realpath(p) for p in reported})
    # both ingests run again to their end: every content once, every path kept
    for folder in (a, b):
        again = _vanban("ingest", str(folder), "--db", db, "--workers", "2")
        assert again.returncode == 0, again.stderr
    connection = sqlite3.connect(db_file)
    documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    paths = connection.execute("SELECT count(DISTINCT path) FROM document_paths").fetchone()[0]
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
    assert (documents, paths) == (200 + 30, 260)


def test_a_long_ingest_with_queries_and_a_second_ingest_beside_it(tmp_path):
    a, b = _folders(tmp_path, first=300, second=60, shared=30)
    db_file = tmp_path / "archive.db"
    first = _start("ingest", str(a), "--db", str(db_file), "--workers", "2", "-v",
                   out=tmp_path / "first.log")
    time.sleep(1.5)
    second = None
    while first.poll() is None:
        ran = _vanban("query", "runs", "--db", str(db_file))
        assert ran.returncode == 0, ran.stderr
        if second is None:
            second = _start("ingest", str(b), "--db", str(db_file), "--workers", "1", "-v",
                            out=tmp_path / "second.log")
    assert first.wait() == 0 and second is not None and second.wait(timeout=300) == 0
    reported = _stored_lines(tmp_path / "first.log") | _stored_lines(tmp_path / "second.log")
    connection = sqlite3.connect(db_file)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    paths = {p for (p,) in connection.execute("SELECT path FROM document_paths")}
    documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    connection.close()
    assert {os.path.realpath(p) for p in reported} <= paths
    assert documents == 300 + 30


def test_serve_keeps_its_corrections_when_another_command_closes_the_file(tmp_path):
    """The reproduction: serve takes a correction, `vanban query` opens and closes the
    same file, serve takes another, then serve is hung up on (a closed terminal)."""
    db_file = tmp_path / "archive.db"
    _letter(tmp_path / "l.txt", 77)
    assert _vanban("extract", str(tmp_path / "l.txt"), "--db", str(db_file)).returncode == 0
    port = free_port()
    server = _start("serve", "--db", str(db_file), "--port", str(port), "--allow-edits")
    base = f"http://127.0.0.1:{port}"
    _wait_until_serving(base, server)
    doc_id = _request("GET", f"{base}/api/documents")[1]["items"][0]["id"]
    url = f"{base}/api/documents/{doc_id}/fields/subject"
    assert _request("PUT", url, {"value": "lần một", "by": "a"})[0] == 200
    assert _vanban("query", "documents", "--db", str(db_file), "--limit", "1").returncode == 0
    held = [os.readlink(f"/proc/{server.pid}/fd/{fd}") for fd in os.listdir(
        f"/proc/{server.pid}/fd")]
    assert not [h for h in held if h.endswith("(deleted)")], held
    assert _request("PUT", url, {"value": "lần hai", "by": "a"})[0] == 200
    server.send_signal(signal.SIGHUP)
    server.wait(timeout=30)
    connection = sqlite3.connect(db_file)
    values = [v for (v,) in connection.execute(
        "SELECT new FROM corrections ORDER BY id")]
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    connection.close()
    assert values == ["lần một", "lần hai"]


def test_postgresql_stopped_and_started_under_serve_and_ingest(tmp_path):
    """The server crashes (``-m immediate``) mid-run and comes back: the files refused
    meanwhile are said in one line each, a re-run stores them, no document is half there,
    every acknowledged correction is kept."""
    import psycopg

    from tests import postgres

    a, _ = _folders(tmp_path, first=300, second=0, shared=0)
    with postgres.server() as base_url:
        db = postgres.new_database(base_url)
        server, reviewer = _serve_with_reviewer(db, a / "a0000.txt")
        log = tmp_path / "ingest.log"
        ingest = _start("ingest", str(a), "--db", db, "--workers", "2", "-v", out=log)
        time.sleep(3)
        postgres.stop(base_url, "immediate")
        time.sleep(2)
        postgres.start(base_url)
        assert ingest.wait(timeout=600) in (0, 1)
        time.sleep(1)  # the reviewer goes on against the restarted server
        reviewer.stop.set()
        reviewer.join(timeout=60)
        _kill_all([server])
        said = log.read_text(errors="replace")
        assert "Traceback" not in said, said[-3000:]
        again = _vanban("ingest", str(a), "--db", db, "--workers", "2")
        assert again.returncode == 0, again.stderr
        plain = db.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain) as connection:
            documents = connection.execute("SELECT count(*), count(DISTINCT sha256) "
                                           "FROM documents").fetchone()
            half = connection.execute(
                "SELECT d.id FROM documents d LEFT JOIN pages p ON p.document_id = d.id "
                "GROUP BY d.id, d.page_count HAVING count(p.id) <> d.page_count").fetchall()
            corrections = set(connection.execute(
                "SELECT sha256, new FROM corrections WHERE field = 'subject'").fetchall())
    assert documents == (300, 300)
    assert not half
    assert reviewer.acknowledged and all(c in corrections for c in reviewer.acknowledged)
