"""Writing and reading records. One transaction per document: a re-run of a file replaces
its rows atomically, and a crash leaves either the old record or the new one."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from models import search
from models.schema import (
    DocumentRow,
    IngestError,
    PageRow,
    Recipient,
    Reference,
    Target,
    Task,
)
from pipeline import __version__

TARGET_COLUMNS = {"indicator", "value", "unit", "comparator", "kind", "year", "page", "box",
                  "confidence"}


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # how long a writer waits for another to finish before "database is locked"
    cursor.execute(f"PRAGMA busy_timeout={int(float(os.environ.get('VANBAN_DB_TIMEOUT', 30)) * 1000)}")
    cursor.close()


MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (models/migrations). A database made
    before migrations existed (tables, no alembic_version) is stamped, not re-created."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        tables = set(inspect(connection).get_table_names())
        if "documents" in tables and "alembic_version" not in tables:
            command.stamp(config, "head")
        else:
            command.upgrade(config, "head")


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)
        search.create_index(self.engine)

    def save(self, record: dict[str, Any]) -> int:
        """Store a document record, replacing any earlier record of the same file."""
        record = _nfc(record)
        path = os.path.realpath(record["source"])
        dialect = self.engine.dialect.name
        with Session(self.engine) as session, session.begin():
            for old in session.scalars(select(DocumentRow.id).where(DocumentRow.path == path)):
                search.unindex_document(session.connection(), old, dialect)
            session.execute(delete(DocumentRow).where(DocumentRow.path == path))
            session.execute(delete(IngestError).where(IngestError.path == path))
            row = DocumentRow(
                source=record["source"], path=path, sha256=record["sha256"],
                page_count=record["page_count"], doc_type=record["doc_type"],
                number=record["number"], issued_date=_date(record["issued_date"]),
                place=record["place"], issuer=record["issuer"],
                issuer_parent=record["issuer_parent"], subject=record["subject"],
                signer_name=record["signer_name"], signer_title=record["signer_title"],
                signing_authority=record["signing_authority"], warnings=record["warnings"],
                timings=record["timings"], pipeline_version=__version__,
            )
            row.pages = [
                PageRow(number=p["number"], text=p["text"], ocr_confidence=p["ocr_confidence"],
                        source=p["source"], search_text=search.search_key(p["text"]))
                for p in record["pages"]
            ]
            row.recipients = [
                Recipient(position=i, name=name) for i, name in enumerate(record["recipients"])
            ]
            row.references = [
                Reference(number=r["number"], doc_type=r.get("doc_type"),
                          date=_date(r.get("date")), issuer=r.get("issuer"))
                for r in record["references"]
            ]
            row.targets = [
                Target(indicator=t["indicator"], value=t.get("value"), unit=t.get("unit"),
                       comparator=t.get("comparator"), kind=t.get("kind"), year=t.get("year"),
                       page=t.get("page"), box=t.get("box"), confidence=t.get("confidence"),
                       extra={k: v for k, v in t.items() if k not in TARGET_COLUMNS})
                for t in record["targets"]
            ]
            row.tasks = [
                Task(content=t["content"], lead=t.get("lead"), deadline=t.get("deadline"),
                     due_date=_date(t.get("due_date")), output=t.get("output"),
                     page=t.get("page"), box=t.get("box"), confidence=t.get("confidence"),
                     extra={"partners": t.get("partners", [])})
                for t in record["tasks"]
            ]
            session.add(row)
            session.flush()
            search.index_pages(session.connection(), row.pages, dialect)
            return row.id

    def record_error(self, source: str, reason: str, stage: str, sha256: str | None = None,
                     keep_others: bool = False) -> None:
        """An error row for a file; it replaces earlier ones unless ``keep_others`` (several
        broken pages of one stored document)."""
        path = os.path.realpath(source)
        with Session(self.engine) as session, session.begin():
            if not keep_others:
                session.execute(delete(IngestError).where(IngestError.path == path))
            session.add(IngestError(source=source, path=path, sha256=sha256, stage=stage,
                                    reason=unicodedata.normalize("NFC", reason)))

    def known_hashes(self) -> set[str]:
        with Session(self.engine) as session:
            return set(session.scalars(select(DocumentRow.sha256)))

    def documents(self, **filters: Any) -> list[dict[str, Any]]:
        stmt = select(DocumentRow).options(
            selectinload(DocumentRow.recipients), selectinload(DocumentRow.references)
        ).order_by(DocumentRow.issued_date, DocumentRow.id)
        if filters.get("doc_type"):
            stmt = stmt.where(DocumentRow.doc_type == filters["doc_type"])
        if filters.get("number"):
            stmt = stmt.where(DocumentRow.number == filters["number"])
        if filters.get("issuer"):
            stmt = stmt.where(DocumentRow.issuer.contains(filters["issuer"]))
        if filters.get("since"):
            stmt = stmt.where(DocumentRow.issued_date >= _date(filters["since"]))
        if filters.get("until"):
            stmt = stmt.where(DocumentRow.issued_date <= _date(filters["until"]))
        with Session(self.engine) as session:
            return [
                {
                    "source": d.source, "sha256": d.sha256, "page_count": d.page_count,
                    "number": d.number, "doc_type": d.doc_type,
                    "issued_date": d.issued_date.isoformat() if d.issued_date else None,
                    "place": d.place, "issuer": d.issuer, "subject": d.subject,
                    "signer_name": d.signer_name,
                    "recipients": [r.name for r in d.recipients],
                    "references": [r.number for r in d.references],
                }
                for d in session.scalars(stmt)
            ]

    def errors(self) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            return [
                {"source": e.source, "stage": e.stage, "reason": e.reason}
                for e in session.scalars(select(IngestError).order_by(IngestError.id))
            ]
