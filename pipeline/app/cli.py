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

from pipeline.app import pdfout, query
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


def _settings(args: argparse.Namespace, **chosen: Any) -> Settings:
    """The run's settings: the defaults, what the command chose, and the per-file limits."""
    if getattr(args, "pdf_out", None):
        chosen.update(pdf_out=os.path.abspath(args.pdf_out),
                      pdf_root=os.path.abspath(args.dir), **pdfout.pdf_settings(args))
    return Settings(file_timeout=args.file_timeout, memory_limit_mb=args.memory_limit,
                    **chosen)


def cmd_pdf(args: argparse.Namespace) -> int:
    return pdfout.cmd_pdf(args, _settings(args, force_ocr=args.force_ocr,
                                          **pdfout.pdf_settings(args)))


def _limits(p: argparse.ArgumentParser) -> None:
    """--file-timeout and --memory-limit: what one file may cost before it becomes an
    error row and the batch goes on."""
    defaults = Settings()
    p.add_argument("--file-timeout", type=_whole, default=defaults.file_timeout,
                   metavar="SECONDS", help="give up a file after this long, with an error row "
                   f"(default {defaults.file_timeout}; 0: no limit; e.g. --file-timeout 600)")
    p.add_argument("--memory-limit", type=_whole, default=defaults.memory_limit_mb,
                   metavar="MB", help="memory a file may take beyond its worker's own "
                   f"(default {defaults.memory_limit_mb}; 0: no limit; e.g. --memory-limit 2048)")


def _whole(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number ≥ 0 (e.g. 600)")
    return value


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

    settings = _settings(args, force_ocr=args.force_ocr)
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
        earlier = _try_store(store.stored_source, record["sha256"]) if store else None
        if earlier and stored_path(earlier) != stored_path(record["source"]):
            print(f"vanban: {shown(record['source'])}: same content as {shown(earlier)}: one "
                  "document, its record replaced, both paths kept", file=sys.stderr)
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
        return f"not stored: {database_reason(exc)}"
    return None


DISK_FULL = "the database's disk is full"


def database_reason(exc: Exception) -> str:
    """Why the database refused, in one line: a full disk said as such, a driver's
    multi-line message (PostgreSQL's "server closed the connection …") folded."""
    said = str(getattr(exc, "orig", None) or exc)
    if "disk is full" in said or "No space left" in said or "could not extend" in said:
        return DISK_FULL
    return "the database refused the write (" + " ".join(said.split()) + ")"


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
        stage = failed.get("stage", "rasterize")
        said = "unreadable" if stage == "rasterize" else "not read"
        reason = f"page {failed['page']}: {said} ({failed['reason']})"
        store.record_error(record["source"], reason, stage, keep_others=True)
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
    todo, unreadable, outside, unsupported = [], [], [], []
    pdf_out = Path(args.pdf_out).resolve() if args.pdf_out else None
    pdf_only: list[str] = []  # stored before, their searchable PDF missing or older
    skipped: list[str] = []  # one line each: which file, and which stored copy it is
    first: dict[str, str] = {}
    for path in discover(root, follow_links=args.follow_links, outside=outside,
                         unsupported=unsupported):
        if pdf_out is not None and path.resolve().is_relative_to(pdf_out):
            continue  # vanban's own output, inside the folder it reads
        try:
            digest = sha256_of(path)
        except OSError as exc:  # no read permission, a file gone: an error row, not a stop
            unreadable.append((str(path), f"cannot read the file: {exc.strerror or exc}"))
            continue
        if digest in known or digest in first:
            kept = known.get(digest) or first[digest]
            skipped.append(f"{shown(str(path))}: already stored" if kept == str(path) else
                           f"{shown(str(path))}: same content as {shown(kept)}, stored once "
                           "(both paths kept)")
            if kept != str(path):
                _try_store(store.seen, digest, str(path))
            if pdf_out is not None and path.suffix.lower() != ".txt" and not \
                    pdfout.up_to_date(path, pdfout.target_for(path, root, pdf_out)):
                pdf_only.append(str(path))
        else:
            first[digest] = str(path)  # the same content twice in one batch: ingested once
            todo.append(str(path))
    unsupported = [p for p in unsupported if not _vanban_wrote(p, store)]
    for link in outside:
        print(f"vanban: {shown(str(link))}: skipped: a link to outside {shown(args.dir)} "
              "(--follow-links ingests it)", file=sys.stderr)
    _list(skipped, "already stored", args.verbose)
    _list([f"{shown(str(p))}: not a supported type ({p.suffix or 'no extension'}; vanban "
           f"reads {SUPPORTED})" for p in unsupported], "not supported", args.verbose)
    failed = done = stopped = handled = 0
    unsaved: list[tuple[str, str, str]] = []  # the database refused them: tried at the end
    run_id = _start_run(store, args, len(todo) + len(skipped) + len(unreadable), len(skipped))
    progress = Progress(len(todo))

    def fail(source: str, reason: str, stage: str) -> None:
        _report(store, source, reason, stage, run_id, unsaved,
                say=lambda line: progress.note(line, sys.stderr))

    for source, reason in unreadable:
        failed += 1
        fail(source, reason, "read")
    if args.executor == "dask":
        records = run_on_dask(todo, _settings(args), args.scheduler)
    else:
        records = run_many(todo, _settings(args), workers=args.workers, ordered=False)
    for record in records:
        handled += 1
        problem = record.get("error") or _save(store, record, run_id, keep_stored=True)
        if problem == "":  # another ingest stored the same content meanwhile
            skipped.append(record["source"])
            progress.done(0)
            continue
        if problem:
            failed += 1
            fail(record["source"], problem, record.get("stage", "store"))
            progress.done(0)
            if problem.endswith(DISK_FULL):  # every later file would be read, then refused
                stopped = len(todo) - handled
                break
            continue
        done += 1
        progress.note(_summary(record), sys.stdout)
        progress.done(record["page_count"])
    if stopped:
        records.close()  # the workers still reading are stopped, not waited for
    progress.close()
    for source, reason, stage in unsaved:  # the lock may be gone by now; if not, say so
        if _save_error(store, source, reason, stage, run_id):
            _unrecorded(source)
    made = _searchable_only(pdf_only, args) if pdf_only and not stopped else 0
    if done:
        _vote(store)
    if run_id is not None:
        _try_store(store.finish_run, run_id)
    print(f"ingest: {done} stored, {len(skipped)} already stored, {len(unsupported)} not "
          f"supported, {failed} failed ({progress.pages} pages)" +
          (f"; {made} searchable PDFs made of documents stored before" if made else ""),
          file=sys.stderr)
    if stopped:
        print(f"vanban: ingest stopped: {DISK_FULL}; {stopped} files were not tried (run the "
              "same command again when there is room: what is stored is kept)", file=sys.stderr)
    return 1 if failed or stopped else 0


def _searchable_only(paths: list[str], args: argparse.Namespace) -> int:
    """ingest --pdf-out over documents stored before: each is read again for its page words
    (the database keeps fields, not word boxes), its record left as stored."""
    from pipeline.app.batch import run_many

    made = 0
    for record in run_many(paths, _settings(args), workers=args.workers, ordered=False):
        said = record.get("error") or next((w for w in record.get("warnings", [])
                                            if w.startswith("searchable PDF not written")), None)
        if said:
            _stderr(f"vanban: {shown(record['source'])}: {said}")
        else:
            made += 1
    return made


SQLITE_MAGIC = b"SQLite format 3\x00"


def _vanban_wrote(path: Path, store) -> bool:  # noqa: ANN001
    """Whether a file in the folder is vanban's own, skipped without a word: the database
    being written (an archive kept in the folder it indexes) with its -wal, -shm and
    -journal, or any other SQLite database and its companions (a database is not a
    document)."""
    database = store.engine.url.database if store.engine.dialect.name == "sqlite" else None
    name = str(path)
    base = next((name[: -len(end)] for end in ("-wal", "-shm", "-journal")
                 if name.endswith(end)), name)
    if database and os.path.realpath(base) == os.path.realpath(database):
        return True
    try:
        with open(base, "rb") as handle:  # noqa: PTH123 (a few bytes of a file not SQLite's)
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


SUPPORTED = "PDF, PNG, JPG, TIFF, TXT"
NAMED = 20  # files named one by one in a summary; -v names every one


def _list(lines: list[str], what: str, verbose: int) -> None:
    """Name each file of a kind, the first ``NAMED`` unless -v, then how many more."""
    shown_lines = lines if verbose else lines[:NAMED]
    for line in shown_lines:
        print(f"vanban: {line}", file=sys.stderr)
    if len(lines) > len(shown_lines):
        print(f"vanban: … and {len(lines) - len(shown_lines)} more {what} (-v names them all)",
              file=sys.stderr)


class Parser(argparse.ArgumentParser):
    """Bad usage is one line and exit status 2, pointing at the command's --help. Options
    are never guessed from a prefix (``--worker`` is not ``--workers``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


DB_HELP = ("the database: a file path or a SQLAlchemy URL (default $VANBAN_DB, else "
           "vanban.db here; e.g. --db archive.db, --db postgresql://user@host/vanban)")
VERBOSE_HELP = ("say what each stage decided, with file and page (-vv: why; or "
                "VANBAN_LOG=info|debug; e.g. -v)")


def build_parser() -> argparse.ArgumentParser:
    from pipeline import __version__

    parser = Parser(prog="vanban", description=__doc__, epilog="vanban COMMAND --help says "
                    "more about each command")
    parser.add_argument("--version", action="version", version=f"vanban {__version__}",
                        help="print the version and stop (e.g. vanban --version)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)

    def command(name: str, summary: str, examples: list[str]) -> argparse.ArgumentParser:
        made = sub.add_parser(name, help=summary, description=summary[0].upper() +
                              summary[1:] + ".", epilog="examples:\n" + "\n".join(
                                  f"  vanban {name} {e}" for e in examples),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
        made.set_defaults(parser=made)  # what it cannot read is said by the command itself
        return made

    p = command("extract", "run the pipeline on files and store their records",
                ["scan.pdf", "a.pdf b.tif --json > records.jsonl",
                 "scan.pdf --no-db --force-ocr -v", "*.pdf --workers 2 --db archive.db"])
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, PNG, JPG, TIFF or a .txt "
                   "of OCR text (e.g. scan.pdf)")
    p.add_argument("--json", action="store_true", help="print each record as one JSON line "
                   "(the contract's record; e.g. --json > out.jsonl)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--db", type=database_url, metavar="URL", help=DB_HELP)
    group.add_argument("--no-db", action="store_true", help="store nothing, only print "
                       "(e.g. --no-db --json)")
    p.add_argument("--force-ocr", action="store_true", help="OCR even pages that have a text "
                   "layer (e.g. --force-ocr for a PDF whose text layer is garbage)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="files processed at "
                   "once (default 1; e.g. --workers 2)")
    _limits(p)
    p.add_argument("-v", "--verbose", action="count", default=0, help=VERBOSE_HELP)
    p.set_defaults(func=cmd_extract)

    p = command("ingest", "store every supported file under a folder (PDF, PNG, JPG, TIFF, "
                "TXT), skipping contents already stored; safe to stop and run again",
                ["archive/", "archive/ --db archive.db --workers 2",
                 "archive/ --executor dask --scheduler tcp://10.0.0.5:8786"])
    p.add_argument("dir", metavar="DIR", help="the folder, read recursively (e.g. archive/)")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="files processed "
                   "at once (default: one per core; e.g. --workers 2)")
    p.add_argument("--db", type=database_url, metavar="URL", help=DB_HELP)
    p.add_argument("--executor", choices=["process", "dask"], default="process",
                   help="process: a pool on this machine (default); dask: a Dask cluster "
                   "(e.g. --executor dask --scheduler ADDRESS)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --executor dask: the "
                   "scheduler (e.g. --scheduler tcp://10.0.0.5:8786)")
    p.add_argument("--follow-links", action="store_true", help="also ingest what symbolic "
                   "links inside DIR point to outside it; skipped by default (e.g. "
                   "--follow-links)")
    pdfout.add_options(p, ingest=True)
    _limits(p)
    p.add_argument("-v", "--verbose", action="count", default=0, help=VERBOSE_HELP +
                   "; also names every skipped file")
    p.set_defaults(func=cmd_ingest)

    p = command("pdf", "make a scan searchable: a PDF/A of the original pages with vanban's "
                "restored text as an invisible layer, the record as its metadata",
                ["scan.pdf scan-searchable.pdf", "photo.jpg out/", "signed.pdf copy.pdf "
                 "--allow-unsign", "old.pdf new.pdf --force-ocr --no-pdfa"])
    p.add_argument("input", metavar="IN", help="PDF, PNG, JPG or TIFF (e.g. scan.pdf)")
    p.add_argument("output", metavar="OUT", help="the PDF to write, or a folder to write "
                   "IN's name into (e.g. out.pdf)")
    p.add_argument("--force-ocr", action="store_true", help="OCR pages that already have a "
                   "text layer too (they are otherwise left as they are; e.g. --force-ocr)")
    pdfout.add_options(p)
    _limits(p)
    p.add_argument("-v", "--verbose", action="count", default=0, help=VERBOSE_HELP)
    p.set_defaults(func=cmd_pdf)

    p = command("restore", "repair Vietnamese text that lost its diacritics, line for line",
                ["ocr.txt > fixed.txt", "< ocr.txt"])
    p.add_argument("file", nargs="?", metavar="FILE", help="UTF-8 text (default: stdin; e.g. "
                   "ocr.txt)")
    p.set_defaults(func=cmd_restore)

    query.add_parser(sub, Parser)

    p = command("serve", "the database in a browser and as a JSON API",
                ["--db archive.db", "--db archive.db --allow-edits",
                 "--host 0.0.0.0 --port 8080"])
    p.add_argument("--db", type=database_url, metavar="URL", help=DB_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1: this machine only; e.g. --host 0.0.0.0 for the office network)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; e.g. --port "
                   "8080)")
    p.add_argument("--allow-edits", action="store_true", help="let people correct fields "
                   "(read-only otherwise; e.g. --allow-edits)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="a name the server may be reached by besides its address, localhost "
                   "and 127.0.0.1 (requests naming another Host are refused: DNS "
                   "rebinding); repeatable, e.g. --allowed-host vanban.ubnd.local")
    p.set_defaults(func=cmd_serve)

    p = command("export-truth", "write corrected documents as X.truth.json beside a copy of "
                "X, for vanban eval", ["truth/ --db archive.db"])
    p.add_argument("dir", metavar="DIR", help="where to write (made if missing; e.g. truth/)")
    p.add_argument("--db", type=database_url, metavar="URL", help=DB_HELP)
    p.set_defaults(func=cmd_export_truth)

    p = command("eval", "score the pipeline against X.truth.json files",
                ["data/samples", "../shared/real -v --workers 2", "data/samples --no-restore"])
    p.add_argument("dir", metavar="DIR", help="a folder of X.pdf (…) with X.truth.json beside "
                   "(e.g. data/samples)")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="documents at once "
                   "(e.g. --workers 2)")
    p.add_argument("--force-ocr", action="store_true", help="OCR even pages with a text layer "
                   "(e.g. --force-ocr)")
    p.add_argument("-v", "--verbose", action="store_true", help="show every wrong field (e.g. "
                   "-v)")
    p.add_argument("--no-restore", action="store_true", help="switch the diacritic "
                   "restoration off, to measure what it adds (e.g. --no-restore)")
    p.add_argument("--alone", action="store_true", help="score each file as its own extract "
                   "into an empty database would be: no vote of the folder's documents on "
                   "unsure numbers (e.g. --alone)")
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
    args, unread = parser.parse_known_args(argv)
    if unread:  # named by the (sub-)command that could not read it, pointing at its --help
        getattr(args, "parser", parser).error(f"unrecognized arguments: {' '.join(unread)}")
    processes.sweep()  # what killed runs left in the temporary folder
    processes.claim()
    signal.signal(signal.SIGTERM, _stop)
    try:
        log.configure(args.verbose if args.command in ("extract", "ingest", "pdf") else 0)
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
