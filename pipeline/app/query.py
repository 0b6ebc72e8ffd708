"""``vanban query``: one sub-command per question, each with its own options and --help.

Every sub-query takes --limit/--offset (50 rows on screen by default, every row in a
file format), --format, --lang (Vietnamese headers unless ``en``) and --xlsx (the rows
asked for, as a workbook). An option a sub-query cannot use is refused by its parser.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from models import labels
from pipeline.app.arguments import database_url, first_day, last_day, parse_date
from pipeline.core.errors import shown

SCREEN_ROWS = 50
WIDE = {"snippet", "content", "subject", "reason", "review"}
COLUMNS = {
    "documents": ["issued_date", "number", "doc_type", "issuer", "source", "subject"],
    "search": ["issued_date", "number", "page", "source", "snippet"],
    "tasks": ["due_date", "lead", "number", "source", "content"],
    "targets": ["issuer", "year", "indicator", "comparator", "value", "unit", "kind", "number",
                "source"],
    "refs": ["direction", "number", "issued_date", "issuer", "resolved", "source"],
    "errors": ["source", "stage", "reason"],
    "runs": ["id", "started_at", "finished_at", "root", "files_found", "stored", "skipped",
             "failed", "pages"],
}
# a workbook has room for the context a screen has not
WORKBOOK_COLUMNS = {
    **COLUMNS,
    "documents": ["issued_date", "number", "doc_type", "place", "issuer", "issuer_parent",
                  "subject", "recipients", "signer_name", "signer_title", "signing_authority",
                  "page_count", "review_state", "source"],
    "tasks": ["due_date", "deadline", "lead", "partners", "content", "sentence", "number",
              "issued_date", "subject", "issuer", "page", "source"],
}
SHEETS = {"documents": "Văn bản", "search": "Tìm kiếm", "tasks": "Nhiệm vụ",
          "targets": "Chỉ tiêu", "refs": "Trích dẫn", "errors": "Lỗi", "runs": "Lần nhập"}


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """``vanban query`` and its sub-queries, on the top-level parser's ``sub``."""
    query = sub.add_parser("query", help="answer a question from the database",
                           description="Answer a question from the database; each question "
                           "is a sub-command with its own --help.", epilog="examples:\n"
                           "  vanban query documents --type KH --since 2025\n"
                           "  vanban query tasks --overdue\n  vanban query search --help",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    whats = query.add_subparsers(dest="what", required=True, metavar="QUESTION",
                                 parser_class=parser_class)

    def question(name: str, summary: str, examples: list[str]) -> argparse.ArgumentParser:
        p = whats.add_parser(name, help=summary, description=summary + ".",
                             epilog="examples:\n" + "\n".join(f"  vanban query {name} {e}"
                                                              for e in examples),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=cmd_query, parser=p)
        return p

    def documents_filters(p: argparse.ArgumentParser) -> None:
        p.add_argument("--type", help='document type, by name or code, marks optional '
                       '(e.g. --type "thong bao", --type TB, --type QĐ)')
        p.add_argument("--issuer", help='issued by this body or any body under it, any '
                       'spelling (e.g. --issuer "UBND tinh An Giang")')
        p.add_argument("--signer", help='signed by a person with these names, marks '
                       'optional (e.g. --signer "Nguyen Van An", --signer Hùng)')
        p.add_argument("--since", type=first_day, metavar="DATE", help="issued on or after "
                       "DATE: 2024-03-05, 05/03/2024, 2024-03, 2024 or today (e.g. --since 2024)")
        p.add_argument("--until", type=last_day, metavar="DATE", help="issued on or before "
                       "DATE, same forms; a month or year means its last day (e.g. --until 2024-06)")

    p = question("documents", "list stored documents, newest first",
                 ["--type KH --since 2025", '--issuer "Sở Nội vụ" --format csv > vb.csv',
                  "--number 298", "--needs-review"])
    documents_filters(p)
    p.add_argument("--number", help="số ký hiệu, its beginning or just its digits, any case "
                   "(e.g. --number 298, --number 298/kh-ubnd)")
    p.add_argument("--needs-review", action="store_true", help="the review queue: documents "
                   "with a field missing or unsure (confidence below 0.9) that nobody has "
                   "corrected or confirmed yet, weakest first, saying why")
    _common(p)

    p = question("search", "full-text search: pages holding every word, marks optional",
                 ['cai cach hanh chinh', '"số hóa" --type KH --since 2024'])
    p.add_argument("words", nargs="+", help="words to find, with or without diacritics")
    documents_filters(p)
    _common(p)

    p = question("tasks", "tasks of the stored documents, by due date",
                 ["--overdue", "--overdue 30/11/2026 --lead \"Văn phòng\"",
                  "--since 2025-01 --until 2025-03 --xlsx quy1.xlsx"])
    p.add_argument("--lead", help='the lead agency (cơ quan chủ trì) or any body under it, '
                   'any spelling (e.g. --lead "van phong")')
    p.add_argument("--overdue", nargs="?", const="today", type=first_day, metavar="DATE",
                   help="only tasks due before DATE (alone: before today; e.g. --overdue "
                   "30/11/2026)")
    p.add_argument("--since", type=first_day, metavar="DATE", help="due on or after DATE "
                   "(e.g. --since 2025-01)")
    p.add_argument("--until", type=last_day, metavar="DATE", help="due on or before DATE "
                   "(e.g. --until 2025-03)")
    _common(p)

    p = question("targets", "targets (chỉ tiêu) and results (kết quả) by indicator",
                 ["", "so hoa ho so --format csv --lang en"])
    p.add_argument("indicator", nargs="*", help="words of the indicator's name, marks "
                   "optional (e.g. so hoa ho so)")
    _common(p)

    p = question("refs", "what a document cites and what cites it", ["354/QĐ-UBND"])
    p.add_argument("number", help="the document's số ký hiệu (e.g. 354/QĐ-UBND)")
    _common(p)

    _common(question("errors", "files that could not be read or stored, with the reason",
                     ["", "--format csv > loi.csv", "--limit 20 --offset 20"]))
    _common(question("runs", "ingest runs: when, which folder, how many files",
                     ["", "--format json --db archive.db"]))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=_count, metavar="N", help=f"at most N rows (default "
                   f"{SCREEN_ROWS} on screen, every row with --format json/csv or --xlsx; "
                   "e.g. --limit 200)")
    p.add_argument("--offset", type=_count, default=0, metavar="N", help="skip the first N "
                   "rows (e.g. --offset 50 for the second screen)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table",
                   help="table (default), json (the contract's keys) or csv (UTF-8 with a "
                   "BOM, so Excel reads Vietnamese; e.g. --format csv > out.csv)")
    p.add_argument("--lang", choices=labels.LANGUAGES, default="vi", help="headers and "
                   "values in Vietnamese (vi, default) or English (en; e.g. --lang en)")
    p.add_argument("--xlsx", metavar="FILE", help="write the rows to an Excel workbook "
                   "instead of printing (e.g. --xlsx nhiem-vu.xlsx)")
    p.add_argument("--db", type=database_url, metavar="URL", help="the database: a file "
                   "path or a SQLAlchemy URL (default $VANBAN_DB, else vanban.db here; e.g. "
                   "--db archive.db)")


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of rows")
    return int(text)


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline.app.commands import open_store

    store = open_store(args.db, create=False)
    limit = args.limit if args.limit is not None else (
        None if args.format != "table" or args.xlsx else SCREEN_ROWS)
    total, rows = ask(store, args, limit, args.offset)
    if args.xlsx or args.format == "table":
        rows = list(rows)  # widths are measured over every row
    columns = COLUMNS[args.what] + (["review"] if getattr(args, "needs_review", False) else [])
    if args.xlsx:
        from models.export import write_workbook

        wanted = WORKBOOK_COLUMNS[args.what] + columns[len(COLUMNS[args.what]):]
        if args.what == "documents":
            rows = _with_review_state(store, rows, args.lang)
        write_workbook(Path(args.xlsx), SHEETS[args.what],
                       [(labels.column(c, args.lang), c) for c in wanted],
                       [{k: labels.value(v, args.lang) for k, v in r.items()} for r in rows])
        print(f"vanban: wrote {len(rows)} rows to {shown(args.xlsx)}", file=sys.stderr)
        return 0
    _print_rows(rows, args.format, columns, args.lang)
    if args.format == "table" and len(rows) < total:
        about = "" if getattr(total, "exact", True) else "about "
        print(f"{len(rows)} of {about}{total} rows, from row {args.offset + 1} (--limit and "
              "--offset show others)", file=sys.stderr)
    return 0


def ask(store: Any, args: argparse.Namespace, limit: int | None, offset: int
        ) -> tuple[int, Iterable[dict[str, Any]]]:
    """(how many rows answer the question, the rows asked for: documents are streamed)."""
    from models import search
    from models.lists import TaskFilter, find_tasks, iter_documents

    if args.what in ("documents", "search"):
        wanted = _document_filter(args)
        if args.what == "search":
            return search.search(store.engine, " ".join(args.words), limit=limit,
                                 offset=offset, wanted=wanted)
        total, found = iter_documents(store.engine, wanted, limit=limit, offset=offset)
        return total, _whole(store, found)
    if args.what == "tasks":
        day = (lambda v: parse_date(v) if v else None)  # noqa: E731
        return find_tasks(store.engine, TaskFilter(
            lead=args.lead, due_from=day(args.since), due_until=day(args.until),
            overdue_on=day(args.overdue)), limit=limit, offset=offset)
    if args.what == "targets":
        rows = search.targets(store.engine, indicator=" ".join(args.indicator) or None)
    elif args.what == "refs":
        rows = search.references(store.engine, args.number)
    elif args.what == "errors":
        rows = store.errors()
    else:
        rows = store.runs()
    return len(rows), rows[offset:None if limit is None else offset + limit]


def _whole(store: Any, listed: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The listed documents as whole rows (recipients, references, every path), a chunk
    at a time, in the list's order."""
    from itertools import islice

    from models.lists import CHUNK

    while chunk := list(islice(listed, CHUNK)):
        whole = {d["id"]: d for d in store.documents(ids=[d["id"] for d in chunk])}
        for d in chunk:
            if "review" in d:
                whole[d["id"]]["review"] = d["review"]
            yield whole[d["id"]]


def _with_review_state(store: Any, rows: list[dict[str, Any]], lang: str
                       ) -> list[dict[str, Any]]:
    """Each document's review state in words, for the workbook's column an office filters
    on: its open flags' reasons, else whether a person has reviewed it."""
    from sqlalchemy.orm import Session

    from models import review
    from models.lists import CHUNK

    vi = lang == "vi"
    with Session(store.engine) as session:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            found = review.stored_flags(session, [d["id"] for d in chunk])
            for d in chunk:
                reasons = [f.reason(lang) for f in found.get(d["id"], [])]
                if reasons:
                    d["review_state"] = ("Cần xem lại: " if vi else "to review: ") \
                        + "; ".join(reasons)
                elif d.get("corrections"):
                    d["review_state"] = "Đã xem lại" if vi else "reviewed"
                else:
                    d["review_state"] = "Không cần xem lại" if vi else "no review needed"
    return rows


def _document_filter(args: argparse.Namespace) -> Any:
    from extractors.common import doc_types_named
    from models.lists import DocumentFilter

    return DocumentFilter(
        doc_types=doc_types_named(args.type) if args.type else None, issuer=args.issuer,
        signer=args.signer, since=parse_date(args.since) if args.since else None,
        until=parse_date(args.until) if args.until else None,
        number=getattr(args, "number", None),
        needs_review=getattr(args, "needs_review", False), lang=getattr(args, "lang", "vi"))


def _print_rows(rows: Iterable[dict[str, Any]], fmt: str, columns: list[str], lang: str
                ) -> None:
    from models.export import inert

    if fmt == "json":  # one array, written as the rows come
        out, first = sys.stdout, True
        out.write("[")
        for row in rows:
            out.write(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False))
            first = False
        out.write("\n]\n" if not first else "]\n")
        return
    headers = [labels.column(c, lang) for c in columns]
    if fmt == "csv":
        sys.stdout.write("\ufeff")  # a BOM: Excel on Windows then reads the file as UTF-8
        writer = csv.writer(sys.stdout)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([inert(_cell(labels.value(row.get(c), lang))) for c in columns])
        return
    cells = [[_cell(labels.value(row.get(c), lang)) for c in columns] for row in rows]
    if sys.stdout.isatty():
        _print_rich(headers, cells, columns)
        return
    # plain text: aligned columns; a long text is cut at a word (…) except in the last
    # column, which is never cut
    widths = [min(60 if c in WIDE else 40, max([len(h)] + [len(r[i]) for r in cells]))
              for i, (c, h) in enumerate(zip(columns, headers, strict=True))]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        shown_cells = [_fit(v, w, tail=columns[i] in PATHS) if i < len(row) - 1 else v
                       for i, (v, w) in enumerate(zip(row, widths, strict=True))]
        print("  ".join(v.ljust(w) for v, w in zip(shown_cells, widths, strict=True)).rstrip())


PATHS = {"source", "root"}  # cut at the front: the file's name is what tells it apart


def _fit(text: str, width: int, tail: bool = False) -> str:
    """``text`` in ``width`` characters, cut at a word with an ellipsis when too long (a
    path keeps its end: ``…/archive/kh-45.txt``)."""
    if len(text) <= width:
        return text
    if tail:
        return "…" + text[len(text) - width + 1:]
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;") + "…"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return shown("; ".join(map(str, value)))
    return shown(str(value))  # a name's newline or escape code must not reach the terminal


def _print_rich(headers: list[str], cells: list[list[str]], columns: list[str]) -> None:
    """On a terminal: a Rich table, long text wrapped in its column rather than cut."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for header, column in zip(headers, columns, strict=True):
        table.add_column(header, overflow="fold", ratio=3 if column in WIDE else 1)
    for row in cells:
        table.add_row(*row)
    Console().print(table)
