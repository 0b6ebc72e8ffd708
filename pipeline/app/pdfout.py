"""``vanban pdf IN OUT`` and ``vanban ingest DIR --pdf-out OUTDIR``: searchable PDF/A files of
scans, with vanban's restored text (pipeline.write.searchable does the writing)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from pipeline.core.document import Document
from pipeline.core.errors import VanbanError, shown
from pipeline.core.settings import Settings


def add_options(p: argparse.ArgumentParser, ingest: bool = False) -> None:
    """The options of a searchable PDF, on ``vanban pdf`` and on ``vanban ingest``."""
    if ingest:
        p.add_argument("--pdf-out", metavar="OUTDIR", help="also write a searchable PDF/A of "
                       "each document read under OUTDIR, mirroring DIR's folders; one already "
                       "there and newer than its scan is kept (e.g. --pdf-out searchable/)")
    p.add_argument("--no-pdfa", action="store_true", help="write plain PDF, not PDF/A-2b "
                   "(e.g. --no-pdfa)")
    p.add_argument("--allow-unsign", action="store_true", help="rewrite a digitally signed "
                   "PDF too (the copy's signature no longer verifies; the original is never "
                   "changed; e.g. --allow-unsign)")


def pdf_settings(args: argparse.Namespace) -> dict[str, Any]:
    return {"pdfa": not args.no_pdfa, "allow_unsign": args.allow_unsign}


def target_for(source: Path, root: Path, out_dir: Path) -> Path:
    """Where a scan's searchable PDF goes under ``out_dir``: its place under ``root``, named
    like it (``scan.png`` → ``scan.pdf``, or ``scan.png.pdf`` when a ``scan.pdf`` is beside
    the scan and would take that name)."""
    relative = Path(os.path.relpath(source, root))
    name = relative.with_suffix(".pdf")
    if source.suffix.lower() != ".pdf" and source.with_suffix(".pdf").exists():
        name = relative.with_name(relative.name + ".pdf")
    return out_dir / name


def up_to_date(source: Path, target: Path) -> bool:
    try:
        return target.stat().st_mtime >= source.stat().st_mtime
    except OSError:
        return False


def write_record(source: Path, document: Document, record: dict[str, Any], out: Path,
                 settings: Settings) -> Any:
    """The searchable PDF of a file just read: the pipeline's record (its provenance tells
    which words the repaired header values go onto), the contract's record in the file."""
    from pipeline.app.run import PROVENANCE, contract_record
    from pipeline.write.searchable import PdfOptions, write_searchable

    return write_searchable(source, document, contract_record(record), out,
                            PdfOptions(settings.pdfa, settings.allow_unsign),
                            record.get(PROVENANCE))


def write_for(source: Path, document: Document, record: dict[str, Any],
              settings: Settings) -> str | None:
    """ingest --pdf-out, in the worker that read the file: the searchable PDF of one
    document; a reason (a warning of its record) when it could not be written."""
    if not settings.pdf_out or source.suffix.lower() == ".txt":
        return None
    target = target_for(source, Path(settings.pdf_root or source.parent), Path(settings.pdf_out))
    try:
        written = write_record(source, document, record, target, settings)
    except (VanbanError, OSError, ValueError) as exc:
        return f"searchable PDF not written: {exc}"
    notes = "; ".join(written.warnings)
    return f"searchable PDF: {notes}" if notes else None


def cmd_pdf(args: argparse.Namespace, settings: Settings) -> int:
    """One file in, its searchable PDF out; a file that cannot be read is one line and
    exit status 1, as ``vanban extract`` says it."""
    from pipeline.app.run import process_file
    from pipeline.core import limits

    source, out = Path(args.input), Path(args.output)
    if out.is_dir():
        out = out / source.with_suffix(".pdf").name
    start = time.perf_counter()
    try:
        with limits.memory_cap(settings.memory_limit_mb), \
                limits.file_budget(settings.file_timeout):
            document, record = process_file(source, settings)
    except (limits.FileTimeout, VanbanError) as exc:
        return _failed(source, str(exc), getattr(exc, "exit_code", 1))
    except OSError as exc:  # what vanban extract says of it (pipeline.app.batch.run_one)
        return _failed(source, f"cannot read the file: {exc.strerror or exc}")
    try:
        written = write_record(source, document, record, out, settings)
    except VanbanError as exc:
        return _failed(source, str(exc), exc.exit_code)
    except OSError as exc:
        return _failed(source, f"cannot write {shown(str(out))}: {exc.strerror or exc}")
    for warning in written.warnings:
        print(f"vanban: {shown(str(source))}: {warning}", file=sys.stderr)
    kind = "PDF/A-2b" if written.pdfa else "PDF"
    pages = len(document.pages)
    print(f"{shown(str(source))} → {shown(str(out))}: {written.action}"
          + (f" ({written.pages_with_text} of {pages} pages), {kind}"
             if written.action != "copied unchanged" else "")
          + f" [{time.perf_counter() - start:.1f} s]")
    return 0


def _failed(source: Path, reason: str, status: int = 1) -> int:
    print(f"vanban: {shown(str(source))}: {reason}", file=sys.stderr)
    return status
