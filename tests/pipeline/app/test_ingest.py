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
    # the ingest runs table tells the story: killed, resumed, nothing left to do
    runs = json.loads(_vanban("query", "runs", "--format", "json", "--db", db).stdout)
    found = len(generated) + 2  # + the renamed copy and broken.pdf
    assert [(r["files_found"], r["stored"], r["skipped"], r["failed"], bool(r["finished_at"]))
            for r in runs] == [(found, 1, 1, 0, False),  # the copy skipped at once
                               (found, len(generated) - 1, 2, 1, True),
                               (found, 0, len(generated) + 1, 1, True)]


def _archive(root, documents: int = 20, pages: int = 5):
    """``documents`` scanned-looking PDFs of ``pages`` pages each, all different."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                              36)
    root.mkdir()
    for d in range(1, documents + 1):
        images = []
        for p in range(1, pages + 1):
            img = Image.new("L", (1240, 1754), 255)
            draw = ImageDraw.Draw(img)
            draw.text((150, 150), "ỦY BAN NHÂN DÂN HUYỆN PHÚ TÂN", font=face, fill=0)
            draw.text((150, 220), f"Số: {100 + d}/KH-UBND", font=face, fill=0)
            draw.text((150, 330), f"Trang {p}: kế hoạch số {d}, cải cách hành chính", font=face,
                      fill=0)
            images.append(img)
        buf = io.BytesIO()
        images[0].save(buf, "PDF", resolution=150, save_all=True, append_images=images[1:])
        (root / f"kh-{d:02d}.pdf").write_bytes(buf.getvalue())
    return root


# columns that legitimately differ between two runs of the same archive
_VOLATILE = {"id", "timings", "created_at", "search_text", "order_key", "seen_at"}  # order_key holds the id


def _snapshot(db: str) -> dict[str, list[str]]:
    """Every row of every document table, with ids replaced by the row they point at, so
    two databases built in a different order compare equal when they hold the same data."""
    from sqlalchemy import MetaData, create_engine, select

    from models.schema import Base

    engine = create_engine(db)
    meta = MetaData()
    meta.reflect(engine)
    # the schema's tables (not the full-text index's own, whose rows hold raw page ids);
    # the run bookkeeping legitimately differs
    tables = set(Base.metadata.tables) - {"ingest_runs", "ingest_errors"}
    with engine.connect() as conn:
        rows = {name: {r._mapping["id"]: r._mapping for r in conn.execute(select(table))}
                for name, table in meta.tables.items() if name in tables}

    def canon(table: str, row_id: int) -> tuple:
        row, out = rows[table][row_id], []
        for column in meta.tables[table].c:
            if column.name in _VOLATILE:
                continue
            value = row[column.name]
            foreign = next(iter(column.foreign_keys), None)
            if foreign is not None and value is not None:
                value = canon(foreign.column.table.name, value)
            out.append((column.name, value))
        return tuple(out)

    engine.dispose()
    return {table: sorted(repr(canon(table, i)) for i in ids) for table, ids in rows.items()}


@pytest.mark.slow
def _processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker`` (forked workers keep their
    parent's)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = open(f"/proc/{entry}/cmdline", "rb").read().decode(errors="replace")
            state = open(f"/proc/{entry}/stat").read().split(") ", 1)[1][:1]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry))
    return found


def test_archive_of_100_pages_killed_halfway_equals_an_uninterrupted_run(generated, tmp_path):
    archive = _archive(tmp_path / "archive")  # 20 documents, 100 pages
    for path in generated.values():  # + documents with tasks, targets, references, recipients
        shutil.copy(path, archive / path.name)
    from scripts import make_samples

    make_samples.make("kh-chitieu", archive, seed=7)  # a plan with percentage targets
    total = 21 + len(generated)
    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    assert _vanban("ingest", str(archive), "--db", whole, "--workers", "2").returncode == 0

    db = f"sqlite:///{tmp_path / 'killed.db'}"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(archive),
                             "--db", db, "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stored = 0
    deadline = time.time() + 300
    while stored < total // 2 and time.time() < deadline:  # halfway: half the documents in
        if proc.stdout.readline().strip():
            stored += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert total // 2 <= len(_documents(db)) < total  # killed halfway, nothing half-written
    # its pool workers go with it (they would otherwise read on for nobody, forever)
    gone_by = time.time() + 20
    while _processes_with(str(tmp_path / "killed.db")) and time.time() < gone_by:
        time.sleep(0.2)
    assert _processes_with(str(tmp_path / "killed.db")) == []

    rerun = _vanban("ingest", str(archive), "--db", db, "--workers", "2")
    assert rerun.returncode == 0
    expected, resumed = _snapshot(whole), _snapshot(db)
    assert len(expected["documents"]) == total
    assert {t for t, rows in expected.items() if rows} >= {
        "documents", "pages", "organisations", "tasks", "targets", "doc_references",
        "recipients", "field_provenance"}  # the comparison covers every kind of row
    for table, rows in expected.items():  # each document once, every stored row identical
        missing = sorted(set(rows) - set(resumed[table]))[:3]
        extra = sorted(set(resumed[table]) - set(rows))[:3]
        assert resumed[table] == rows, f"{table}: only uninterrupted {missing}, only resumed {extra}"
    assert sum(d["page_count"] for d in _documents(db)) >= 100

    def hits(url: str) -> list[tuple]:  # the full-text index holds every page once
        found = json.loads(_vanban("query", "search", "ke hoach cai cach", "--limit", "500",
                                   "--format", "json", "--db", url).stdout)
        return sorted((h["source"], h["page"]) for h in found)

    assert len(hits(db)) >= 100 and hits(db) == hits(whole)


def test_ingest_on_a_dask_cluster_into_postgresql(tmp_path, postgres_server):
    """A LocalCluster of 2 worker processes stands in for machines; the CLI is the client."""
    from distributed import LocalCluster

    from models import Store
    from tests import postgres

    archive = _archive(tmp_path / "archive", documents=4, pages=1)
    db = postgres.new_database(postgres_server)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        run = _vanban("ingest", str(archive), "--db", db, "--executor", "dask",
                      "--scheduler", cluster.scheduler_address)
    assert run.returncode == 0, run.stderr
    docs = Store(db).documents()
    assert sorted(d["number"] for d in docs) == [f"{100 + d}/KH-UBND" for d in range(1, 5)]
