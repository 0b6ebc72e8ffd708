"""The commands that read the database or score the pipeline: query, serve, export-truth,
restore, eval (the command line's parser and the writing commands are in pipeline.app.cli)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from pipeline.app.arguments import database_url
from pipeline.core.errors import StoreError, UsageError, shown
from pipeline.core.settings import Settings


def open_store(url: str | None, create: bool = True):  # noqa: ANN201
    """The database, or one line saying why it cannot be used: a URL that is none, a
    folder that cannot hold the SQLite file (usage, exit 2), a server that refuses.
    ``create`` False (queries, serve): a SQLite file that is not there is said, with the
    path looked for, and not made; a server database without vanban's tables is refused
    the same way."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from models import Store

    url = url or database_url(Settings.default_db_url())
    try:
        shown_url = make_url(url).render_as_string(hide_password=True)
    except ArgumentError as exc:
        raise UsageError(f"--db {url}: not a database URL (e.g. sqlite:///vanban.db)") from exc
    if not create:
        _must_exist(url, shown_url)
    try:
        return Store(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise UsageError(f"--db {shown_url}: not a database vanban can use ({exc})") from exc
    except DBAPIError as exc:
        reason = str(exc.orig or exc).splitlines()[0]
        if make_url(url).get_backend_name() == "sqlite":
            raise UsageError(f"--db {shown_url}: cannot open or create the file ({reason})") from exc
        raise StoreError(f"--db {shown_url}: the database cannot be used ({reason})") from exc


def _must_exist(url: str, shown_url: str) -> None:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from pipeline.core.settings import db_timeout

    db_timeout()  # a bad setting is said first, as when the database is opened
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:") \
                and not Path(database).is_file():
            raise UsageError(f"no database at {shown(str(Path(database).resolve()))} (nothing "
                             "was created: ingest a folder into it first, or give --db)")
        return
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        engine.dispose()
    except (ArgumentError, NoSuchModuleError, DBAPIError):
        return  # opening it says why, with the usual message
    if "documents" not in tables:
        raise UsageError(f"{shown_url} holds no vanban database (nothing was created: ingest "
                         "a folder into it first)")


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


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from pipeline.app.serve import make_app

    open_store(args.db, create=False)  # said before the server starts
    hosts = {args.host, "127.0.0.1", "localhost", "::1", *args.allowed_host}
    app = make_app(args.db or database_url(Settings.default_db_url()), args.allow_edits,
                   allowed_hosts=hosts)
    mode = "corrections allowed" if args.allow_edits else "read-only"
    print(f"vanban: serving on http://{args.host}:{args.port}/ ({mode}); Ctrl-C stops",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _write_whole(target: Path, source: Path | None = None, data: bytes = b"") -> None:
    """Write a file whole or not at all, never through a link: into a new temporary file
    beside it (made exclusively, so a planted link is not followed), then renamed over
    the name (a link there is replaced, its target untouched). A full disk leaves no
    half-written file."""
    import shutil
    import tempfile

    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".vanban-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            if source is not None:
                with open(source, "rb") as given:  # noqa: PTH123
                    shutil.copyfileobj(given, out)
            else:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def cmd_export_truth(args: argparse.Namespace) -> int:
    """Every corrected document, a copy of its source and the fields people corrected as
    its truth file: corrections become evaluation data (`vanban eval DIR`)."""
    from models.records import corrected_documents
    from pipeline.read.inputs import sha256_of

    out = Path(args.dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{shown(args.dir)}: cannot write there ({exc.strerror})") from exc
    store = open_store(args.db, create=False)
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
        truth = json.dumps(doc["truth"], ensure_ascii=False, indent=1) + "\n"
        try:
            _write_whole(out / name, source=source)
            _write_whole(out / f"{Path(name).stem}.truth.json", data=truth.encode())
        except OSError as exc:
            failed += 1
            print(f"vanban: {shown(str(source))}: not exported: {exc.strerror or exc}",
                  file=sys.stderr)
            continue
        written += 1
    print(f"export-truth: {written} documents written to {shown(str(out))}, {failed} not",
          file=sys.stderr)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.app.evaluate import evaluate

    return evaluate(Path(args.dir), workers=args.workers, verbose=args.verbose,
                    force_ocr=args.force_ocr, restore=not args.no_restore,
                    vote_folder=not args.alone)


