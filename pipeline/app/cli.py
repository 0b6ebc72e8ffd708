"""The ``vanban`` command line (see ../shared/CONTRACT.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.app import query
from pipeline.app.arguments import database_url
from pipeline.app.commands import (
    cmd_eval,
    cmd_export_truth,
    cmd_restore,
    cmd_serve,
    open_store,
)
from pipeline.core.errors import UsageError, VanbanError, shown, storable
from pipeline.core.settings import Settings


def _summary(record: dict[str, Any]) -> str:
    parts = [
        record.get("doc_type") or "?", record.get("number") or "(no number)",
        record.get("issued_date") or "(no date)",
    ]
    issuer = record.get("issuer") or "(issuer unknown)"
    subject = (record.get("subject") or "")[:70]
    seconds = sum(record.get("timings", {}).values())
    return (f"{shown(record['source'])}: {' '.join(parts)} — {issuer} — {subject} "
            f"[{record['page_count']} p, {seconds:.1f} s]")


def cmd_extract(args: argparse.Namespace) -> int:
    from models.store import stored_path
    from pipeline.app.batch import run_many
    from pipeline.app.run import contract_record

    settings = Settings(force_ocr=args.force_ocr)
    store = None if args.no_db else open_store(args.db)
    failed = 0
    for record in run_many(args.files, settings, workers=args.workers):
        if "error" in record:
            failed += 1
            _report(store, record["source"], record["error"], record.get("stage", "?"))
            if args.json:
                print(json.dumps({"source": storable(record["source"]), "error": record["error"]},
                                 ensure_ascii=False), flush=True)
            continue
        problem = _save(store, record) if store else None
        if problem:  # the record was read: shown all the same, its storing failed
            failed += 1
            _report(store, record["source"], problem, "store")
        elif store:
            t = time.perf_counter()
            for path, _, number, confidence, reason in _vote(store, record):
                if path == stored_path(record["source"]):
                    record["number"] = number
                    record["confidence"]["number"] = confidence
                    record["warnings"].append(f"{reason}: {number}")
            record["timings"]["store"] = round(time.perf_counter() - t, 3)
        if args.json:
            print(json.dumps(contract_record({**record, "source": storable(record["source"])}),
                             ensure_ascii=False), flush=True)
        else:
            print(_summary(record), flush=True)
    return 1 if failed else 0


def _report(store, source: str, reason: str, stage: str, run_id: int | None = None,  # noqa: ANN001
            unsaved: list | None = None, say: Callable[[str], None] | None = None) -> None:
    """One line naming the file and the reason (``say``s it, stderr by default), and its
    error row; a database that refuses the row too (locked, read-only) is said once more,
    or, in a batch, the row is tried again at the end (``unsaved``)."""
    (say or _stderr)(f"vanban: {shown(source)}: {reason}")
    if store is not None and _save_error(store, source, reason, stage, run_id):
        if unsaved is not None:
            unsaved.append((source, reason, stage))
        else:
            _unrecorded(source)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _unrecorded(source: str) -> None:
    _stderr(f"vanban: {shown(source)}: error not recorded either: the database refused it")


def _vote(store, record: dict[str, Any] | None = None  # noqa: ANN001
          ) -> list[tuple[str, str, str, float, str]]:
    """Each office's stored documents vote on its unsure pen-written numbers; after one
    stored record, only the offices its number and its citations belong to (all it can
    change). Say what moved."""
    from extractors.register import office_of

    offices = None
    if record is not None:
        numbers = [record.get("number")] + [r["number"] for r in record.get("references") or []]
        offices = {found[1] for n in numbers if (found := office_of(n))}
        if not offices:
            return []
    changed = _try_store(store.vote_numbers, offices) or []
    for path, old, new, _, reason in changed:
        print(f"vanban: {path}: {reason}: {new}, not {old}", file=sys.stderr)
    return changed


def _save(store, record: dict[str, Any], run_id: int | None = None,  # noqa: ANN001
          keep_stored: bool = False) -> str | None:
    """Store a record; a database that refuses (locked, disk full) is a reason, not a crash.
    ``keep_stored``: "" when the same content was stored meanwhile under another path."""
    from sqlalchemy.exc import DBAPIError

    try:
        if store.save(record, run_id, keep_stored=keep_stored) is None:
            return ""
        _record_page_errors(store, record)
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig else str(exc)
        return f"not stored: the database refused the write ({reason})"
    return None


def _save_error(store, source: str, reason: str, stage: str,  # noqa: ANN001
                run_id: int | None = None) -> bool:
    """Record an error row; True when even that failed."""
    from sqlalchemy.exc import DBAPIError

    try:
        store.record_error(source, reason, stage, run_id=run_id)
    except DBAPIError:
        return True
    return False


def _record_page_errors(store, record: dict[str, Any]) -> None:  # noqa: ANN001
    """A document stored without some pages: each missing page is an error row too."""
    for failed in record.get("page_errors") or []:
        reason = f"page {failed['page']}: unreadable ({failed['reason']})"
        store.record_error(record["source"], reason, "rasterize", keep_others=True)
        print(f"vanban: {shown(record['source'])}: {reason}", file=sys.stderr, flush=True)


def _try_store(write, *args: Any) -> Any:  # noqa: ANN001
    """A bookkeeping write (the ingest run row) the database refuses is not a reason to stop:
    the documents are what matters, and each is saved (or its error shown) on its own."""
    from sqlalchemy.exc import DBAPIError

    try:
        return write(*args)
    except DBAPIError as exc:
        print(f"vanban: ingest run not recorded: {exc.orig or exc}", file=sys.stderr)
        return None


def _start_run(store, args: argparse.Namespace, found: int, skipped: int) -> int | None:  # noqa: ANN001
    workers = None if args.executor == "dask" else args.workers or os.cpu_count()
    return _try_store(store.start_run, str(Path(args.dir).resolve()), args.executor,
                      workers, found, skipped)


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.app.batch import discover, run_many, run_on_dask
    from pipeline.app.progress import Progress
    from pipeline.read.inputs import sha256_of

    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"{shown(args.dir)}: not a directory")
    if args.executor == "dask" and not args.scheduler:
        raise UsageError("--executor dask needs --scheduler ADDRESS")
    store = open_store(args.db)
    known = store.known_hashes()  # stored documents: a re-run or a renamed copy is skipped
    todo, skipped, unreadable, outside = [], 0, [], []
    for path in discover(root, follow_links=args.follow_links, outside=outside):
        try:
            digest = sha256_of(path)
        except OSError as exc:  # no read permission, a file gone: an error row, not a stop
            unreadable.append((str(path), f"cannot read the file: {exc.strerror or exc}"))
            continue
        if digest in known:
            skipped += 1
        else:
            known.add(digest)  # the same content twice in one batch is ingested once
            todo.append(str(path))
    for link in outside:
        print(f"vanban: {shown(str(link))}: skipped: a link to outside {shown(args.dir)} "
              "(--follow-links ingests it)", file=sys.stderr)
    failed = done = 0
    unsaved: list[tuple[str, str, str]] = []  # the database refused them: tried at the end
    run_id = _start_run(store, args, len(todo) + skipped + len(unreadable), skipped)
    progress = Progress(len(todo))

    def fail(source: str, reason: str, stage: str) -> None:
        _report(store, source, reason, stage, run_id, unsaved,
                say=lambda line: progress.note(line, sys.stderr))

    for source, reason in unreadable:
        failed += 1
        fail(source, reason, "read")
    if args.executor == "dask":
        records = run_on_dask(todo, Settings(), args.scheduler)
    else:
        records = run_many(todo, Settings(), workers=args.workers, ordered=False)
    for record in records:
        problem = record.get("error") or _save(store, record, run_id, keep_stored=True)
        if problem == "":  # another ingest stored the same content meanwhile
            skipped += 1
            progress.done(0)
            continue
        if problem:
            failed += 1
            fail(record["source"], problem, record.get("stage", "store"))
            progress.done(0)
            continue
        done += 1
        progress.note(_summary(record), sys.stdout)
        progress.done(record["page_count"])
    progress.close()
    for source, reason, stage in unsaved:  # the lock may be gone by now; if not, say so
        if _save_error(store, source, reason, stage, run_id):
            _unrecorded(source)
    if done:
        _vote(store)
    if run_id is not None:
        _try_store(store.finish_run, run_id)
    print(f"ingest: {done} stored, {skipped} already stored, {failed} failed "
          f"({progress.pages} pages)", file=sys.stderr)
    return 1 if failed else 0


class Parser(argparse.ArgumentParser):
    """Bad usage is one line and exit status 2, pointing at the command's --help. Options
    are never guessed from a prefix (``--worker`` is not ``--workers``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from pipeline import __version__

    parser = Parser(prog="vanban", description=__doc__)
    parser.add_argument("--version", action="version", version=f"vanban {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="run the pipeline on files and store the records")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON record per line")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--db", type=database_url,
                       help="SQLAlchemy URL (default $VANBAN_DB or sqlite:///vanban.db)")
    group.add_argument("--no-db", action="store_true", help="do not store anything")
    p.add_argument("--force-ocr", action="store_true", help="OCR even pages with a text layer")
    p.add_argument("--workers", type=int, default=1, help="files processed in parallel")
    p.add_argument("-v", "--verbose", action="count", default=0, help="say what each stage "
                   "decided, with file and page (-vv: why; or VANBAN_LOG=info|debug)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="ingest every supported file under DIR")
    p.add_argument("dir")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--db", type=database_url)
    p.add_argument("--executor", choices=["process", "dask"], default="process",
                   help="process: a pool on this machine; dask: a Dask distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: the "
                   "scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--follow-links", action="store_true", help="also ingest what symbolic "
                   "links inside DIR point to outside it (by default they are skipped)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="say what each stage "
                   "decided, with file and page (-vv: why; or VANBAN_LOG=info|debug)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("restore", help="repair Vietnamese text, line for line")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=cmd_restore)

    query.add_parser(sub, Parser)

    p = sub.add_parser("serve", help="the database in a browser and as a JSON API")
    p.add_argument("--db", type=database_url)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this "
                   "machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--allow-edits", action="store_true", help="let people correct fields "
                   "(read-only otherwise)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export-truth", help="corrected documents as X.truth.json beside a "
                       "copy of X, for vanban eval")
    p.add_argument("dir")
    p.add_argument("--db", type=database_url)
    p.set_defaults(func=cmd_export_truth)

    p = sub.add_parser("eval", help="score the pipeline against X.truth.json files")
    p.add_argument("dir")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--force-ocr", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true", help="show every wrong field")
    p.add_argument("--no-restore", action="store_true",
                   help="switch the diacritic restoration stage off (to measure what it adds)")
    p.set_defaults(func=cmd_eval)
    return parser


class Stopped(BaseException):
    """SIGTERM (a service stopping, ``kill``): unwinds like Ctrl-C, so workers are stopped
    and scratch files removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: Any) -> None:
    raise Stopped(signum)


def main(argv: list[str] | None = None) -> int:
    import signal

    from pipeline.core import log, processes

    parser = build_parser()
    args = parser.parse_args(argv)
    processes.sweep()  # what killed runs left in the temporary folder
    processes.claim()
    signal.signal(signal.SIGTERM, _stop)
    try:
        log.configure(args.verbose if args.command in ("extract", "ingest") else 0)
        return args.func(args)
    except VanbanError as exc:
        print(f"vanban: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("vanban: interrupted; what was stored is kept, run it again to go on",
              file=sys.stderr)
        return 130
    except Stopped as stop:
        print("vanban: stopped (SIGTERM); what was stored is kept, run it again to go on",
              file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:
        return 0
