"""The commands that read the database or score the pipeline: query, serve, export-truth,
restore, eval (the command line's parser and the writing commands are in pipeline.app.cli)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.app.arguments import database_url
from pipeline.core.errors import StoreError, UsageError, shown
from pipeline.core.settings import Settings


def open_store(url: str | None):  # noqa: ANN201
    """The database, or one line saying why it cannot be used: a URL that is none, a
    folder that cannot hold the SQLite file (usage, exit 2), a server that refuses."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from models import Store

    url = url or database_url(Settings.default_db_url())
    try:
        shown_url = make_url(url).render_as_string(hide_password=True)
    except ArgumentError as exc:
        raise UsageError(f"--db {url}: not a database URL (e.g. sqlite:///vanban.db)") from exc
    try:
        return Store(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise UsageError(f"--db {shown_url}: not a database vanban can use ({exc})") from exc
    except DBAPIError as exc:
        reason = str(exc.orig or exc).splitlines()[0]
        if make_url(url).get_backend_name() == "sqlite":
            raise UsageError(f"--db {shown_url}: cannot open or create the file ({reason})") from exc
        raise StoreError(f"--db {shown_url}: the database cannot be used ({reason})") from exc


RESTORE_CHUNK = 2000


def cmd_restore(args: argparse.Namespace) -> int:
    from pipeline.core.restore import normalize_text
    from pipeline.language.diacritics import restore_lines

    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"vanban: {args.file}: {exc}", file=sys.stderr)
        return 1
    lines = [normalize_text(line) for line in text.splitlines()]
    for start in range(0, len(lines), RESTORE_CHUNK):  # decoded together, a chunk at a time
        for line in restore_lines(lines[start : start + RESTORE_CHUNK]):
            print(line)
    return 0


WIDE = {"snippet", "content", "subject", "reason"}


def _print_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    from models.export import inert

    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: inert(_cell(row.get(k)) if isinstance(row.get(k), list)
                                      else row.get(k)) for k in columns})
        print(buf.getvalue(), end="")
        return
    if sys.stdout.isatty():
        _print_rich(rows, columns)
        return
    widths = {
        c: min(60 if c in WIDE else 40, max([len(c)] + [len(_cell(r.get(c))) for r in rows]))
        for c in columns
    }
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        print("  ".join(_cell(row.get(c))[: widths[c]].ljust(widths[c]) for c in columns).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return shown("; ".join(map(str, value)))
    return shown(str(value))  # a name's newline or escape code must not reach the terminal


def _print_rich(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """On a terminal: a Rich table, long text wrapped in its column rather than cut."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold", ratio=3 if column in WIDE else 1)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    Console().print(table)
    print(f"{len(rows)} rows", file=sys.stderr)


QUERY_COLUMNS = {
    "documents": ["source", "doc_type", "number", "issued_date", "issuer", "subject"],
    "errors": ["source", "stage", "reason"],
    "search": ["source", "number", "page", "snippet"],
    "tasks": ["number", "lead", "due_date", "content"],
    "targets": ["issuer", "year", "indicator", "comparator", "value", "unit", "kind"],
    "refs": ["direction", "number", "issued_date", "issuer", "resolved", "source"],
    "runs": ["id", "started_at", "finished_at", "root", "files_found", "stored", "skipped",
             "failed", "pages"],
}


def cmd_query(args: argparse.Namespace) -> int:
    from models import search

    store = open_store(args.db)
    needs_arg = {"search": "words to search for", "refs": "a document number"}
    if args.what in needs_arg and not args.arg:
        print(f"vanban: query {args.what} needs {needs_arg[args.what]}", file=sys.stderr)
        return 2
    if args.what == "documents":
        rows = store.documents(doc_type=args.type, number=args.number, issuer=args.issuer,
                               signer=args.signer, since=args.since, until=args.until)
    elif args.what == "errors":
        rows = store.errors()
    elif args.what == "runs":
        rows = store.runs()
    elif args.what == "search":
        rows = search.search(store.engine, args.arg, limit=args.limit)
    elif args.what == "tasks":
        rows = search.tasks(store.engine, lead=args.lead, due_from=args.since,
                            due_until=args.until, overdue_on=args.overdue)
    elif args.what == "targets":
        rows = search.targets(store.engine, indicator=args.arg)
    else:
        rows = search.references(store.engine, args.arg)
    if args.xlsx:
        from models.export import write_workbook

        write_workbook(Path(args.xlsx), search.tasks(store.engine), search.targets(store.engine))
        print(f"vanban: wrote {args.xlsx}", file=sys.stderr)
        return 0
    _print_rows(rows, args.format, QUERY_COLUMNS[args.what])
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.app.serve import make_app

    open_store(args.db)  # a database that cannot be used is said before the server starts
    app = make_app(args.db or database_url(Settings.default_db_url()), args.allow_edits)
    mode = "corrections allowed" if args.allow_edits else "read-only"
    print(f"vanban: serving on http://{args.host}:{args.port}/ ({mode}); Ctrl-C stops",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_export_truth(args: argparse.Namespace) -> int:
    """Every corrected document, a copy of its source and the fields people corrected as
    its truth file: corrections become evaluation data (`vanban eval DIR`)."""
    import shutil

    from models.records import corrected_documents
    from pipeline.read.inputs import sha256_of

    out = Path(args.dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{shown(args.dir)}: cannot write there ({exc.strerror})") from exc
    store = open_store(args.db)
    written = failed = 0
    for doc in corrected_documents(store.engine):
        source = Path(doc["path"])
        try:
            if sha256_of(source) != doc["sha256"]:
                raise OSError(0, "the file changed since it was stored")
        except OSError as exc:
            failed += 1
            print(f"vanban: {shown(str(source))}: not exported: {exc.strerror or exc}",
                  file=sys.stderr)
            continue
        name = f"{doc['id']}-{source.name}"  # two sources may share a name
        shutil.copyfile(source, out / name)
        truth = out / f"{Path(name).stem}.truth.json"
        truth.write_text(json.dumps(doc["truth"], ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
        written += 1
    print(f"export-truth: {written} documents written to {shown(str(out))}, {failed} not",
          file=sys.stderr)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.app.evaluate import evaluate

    return evaluate(Path(args.dir), workers=args.workers, verbose=args.verbose,
                    force_ocr=args.force_ocr, restore=not args.no_restore)


