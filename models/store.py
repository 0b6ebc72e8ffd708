"""Writing and reading records. One transaction per document: a re-run of a file replaces
its rows atomically, and a crash leaves either the old record or the new one."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections import Counter
from typing import Any

from sqlalchemy import create_engine, delete, event, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from extractors.indicators import catalogue as indicator_catalogue
from extractors.register import office_of, order_by_register
from models import citations, fulltext, organisations, records
from models.migrate import migrate
from models.schema import (
    DocumentPath,
    DocumentRow,
    FieldConfidence,
    FieldProvenance,
    Indicator,
    IngestError,
    IngestRun,
    PageRow,
    Recipient,
    Reference,
    SignatureRow,
    Target,
    Task,
    TaskPartner,
)
from pipeline import __version__
from pipeline.core.errors import storable
from pipeline.core.settings import db_timeout
from pipeline.core.syllables import fold

TARGET_COLUMNS = {"indicator", "indicator_code", "value", "unit", "comparator", "kind", "year", "page", "box",
                  "confidence"}


def _nfc(value: Any) -> Any:
    """NFC text, without NUL characters (a text file or a PDF text layer may hold them;
    PostgreSQL refuses them in text and JSON)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.replace("\x00", ""))
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def stored_path(source: str) -> str:
    """The key a file is stored under: its real path, as valid text (errors.storable)."""
    return storable(os.path.realpath(source))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # how long a writer waits for another to finish before "database is locked"
    cursor.execute(f"PRAGMA busy_timeout={int(db_timeout() * 1000)}")
    cursor.close()


def _indicator_id(session: Session, code: str | None) -> int | None:
    """The catalogue indicator's row, added the first time a target links to it."""
    if not code:
        return None
    found = session.scalars(select(Indicator.id).where(Indicator.code == code)).first()
    if found is not None:
        return found
    entry = next((i for i in indicator_catalogue().values() if i.code == code), None)
    if entry is None:  # a code from an older catalogue: the target keeps its wording only
        return None
    row = Indicator(code=code, name=entry.name, source=entry.source or None)
    session.add(row)
    session.flush()
    return row.id


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        db_timeout()  # a bad VANBAN_DB_TIMEOUT is said before anything is opened
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)

    def save(self, record: dict[str, Any], run_id: int | None = None,
             keep_stored: bool = False) -> int | None:
        """Store a document record, replacing any earlier record of the same file or the
        same content (one row per content: the database refuses a second); counted in
        ingest run ``run_id`` in the same transaction. ``keep_stored`` (ingest): content
        already stored under another path is left as it is, and None returned."""
        try:
            return self._save(record, run_id, keep_stored)
        except IntegrityError:
            # another process stored the same content between our check and our insert:
            # checked again, it is now seen
            return self._save(record, run_id, keep_stored)

    def _save(self, record: dict[str, Any], run_id: int | None, keep_stored: bool
              ) -> int | None:
        record = _nfc({**record, "source": storable(record["source"])})
        path = stored_path(record["source"])
        with Session(self.engine) as session, session.begin():
            same = or_(DocumentRow.path == path, DocumentRow.sha256 == record["sha256"])
            old_rows = session.execute(select(DocumentRow.id, DocumentRow.path,
                                              DocumentRow.sha256).where(same)).all()
            # one id per content: a re-extraction keeps it, so links and bookmarks hold
            kept_id = next((i for i, _, sha in old_rows if sha == record["sha256"]), None)
            _seen(session, record["sha256"], path, record["source"])
            if keep_stored and any(old_path != path for _, old_path, _ in old_rows):
                return None
            for old, _, _ in old_rows:
                fulltext.unindex_document(session.connection(), old)
            session.execute(delete(DocumentRow).where(same))
            session.execute(delete(IngestError).where(IngestError.path == path))
            session.flush()
            record["signer_name"] = _reconcile_signer(session, record["issuer"],
                                                      record["signer_name"])
            parent = organisations.link(session, record["issuer_parent"])
            issuer = organisations.link(session, record["issuer"], parent)
            row = DocumentRow(
                id=kept_id, source=record["source"], path=path, sha256=record["sha256"],
                page_count=record["page_count"], doc_type=record["doc_type"],
                number=record["number"], issued_date=_date(record["issued_date"]),
                place=record["place"], issuer=record["issuer"],
                issuer_parent=record["issuer_parent"], subject=record["subject"],
                signer_name=record["signer_name"], signer_title=record["signer_title"],
                signing_authority=record["signing_authority"], warnings=record["warnings"],
                timings=record["timings"], pipeline_version=__version__,
                issuer_id=issuer.id if issuer else None,
                received_number=(record.get("received") or {}).get("number"),
                received_date=_date((record.get("received") or {}).get("date")),
            )
            turns = record.get("page_turns") or {}
            row.pages = [
                PageRow(number=p["number"], text=p["text"], ocr_confidence=p["ocr_confidence"],
                        source=p["source"], tables=p.get("tables") or None,
                        turn=turns.get(p["number"], turns.get(str(p["number"]))))
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
                       indicator_id=_indicator_id(session, t.get("indicator_code")),
                       extra={k: v for k, v in t.items() if k not in TARGET_COLUMNS})
                for t in record["targets"]
            ]
            row.tasks = [self._task(session, t, issuer) for t in record["tasks"]]
            row.provenance = [
                FieldProvenance(field=name, page=where["page"], box=where.get("box"),
                                confidence=where.get("confidence"))
                for name, where in sorted(record.get("provenance", {}).items())
            ]
            readings = record.get("alternatives") or {}
            row.confidences = [
                FieldConfidence(field=name, confidence=value,
                                alternatives=[list(r) for r in readings.get(name) or []] or None)
                for name, value in sorted((record.get("confidence") or {}).items())]
            row.signatures = [
                SignatureRow(position=i, signer=sig.get("signer"),
                             organisation=sig.get("organisation"),
                             signed_at=sig.get("signed_at"), valid=bool(sig.get("valid")))
                for i, sig in enumerate(record.get("signatures") or [])
            ]
            session.add(row)
            session.flush()
            citations.resolve(session, row)
            # indexed as shown: a person's corrections outlive a re-extraction
            issued, number, signer = records.shown_keys(session, row)
            row.number_key = fulltext.number_key(number)
            fulltext.index_document(session.connection(), row.id, issued, signer,
                                    [p.text for p in row.pages])
            if run_id is not None:
                session.execute(update(IngestRun).where(IngestRun.id == run_id).values(
                    stored=IngestRun.stored + 1, pages=IngestRun.pages + row.page_count))
            return row.id

    def vote_numbers(self, offices: set[str] | None = None
                     ) -> list[tuple[str, str, str, float, str]]:
        """Let each office's documents vote on its unsure pen-written numbers
        (extractors/register), over the whole database: the order of the register needs the
        office's other papers, wherever and whenever they were ingested. ``offices``
        (register codes, ``ĐHĐL``) limit the vote to the documents numbered or cited in them:
        all that one stored file can change. Returns (path, old, new, confidence,
        reason) for each number changed; one transaction."""
        changed = []
        query = select(DocumentRow).where(DocumentRow.number.is_not(None))
        if offices is not None:
            patterns = [f"%{office}" for office in sorted(offices)]
            query = query.where(or_(*[DocumentRow.number.like(p) for p in patterns],
                                    *[DocumentRow.references.any(Reference.number.like(p))
                                      for p in patterns]))
        with Session(self.engine) as session, session.begin():
            rows = session.scalars(query.options(
                selectinload(DocumentRow.confidences), selectinload(DocumentRow.references))
            ).all()
            views = [_vote_view(row) for row in rows]
            for decision in order_by_register(views):
                row = rows[decision.index]
                if offices is not None and (office_of(row.number) or (0, ""))[1] not in offices:
                    continue  # a citing paper of another office: its own anchors were not read
                for conf in row.confidences:
                    if conf.field == "number":
                        conf.confidence = decision.confidence
                if row.number == decision.number:
                    continue
                changed.append((row.path, row.number, decision.number, decision.confidence,
                                decision.reason))
                row.warnings = [*row.warnings,
                                f"{decision.reason}: {decision.number}, not {row.number}"]
                # citations that named the old number are dangling again; the new one links
                for ref in session.scalars(select(Reference).where(
                        Reference.cited_document_id == row.id)):
                    ref.cited_document_id = None
                row.number = decision.number
                # a person's number stays the one looked up
                row.number_key = fulltext.number_key(records.shown_keys(session, row)[1])
                session.flush()
                citations.resolve(session, row)
        return changed

    @staticmethod
    def _task(session: Session, task: dict[str, Any], issuer: Any) -> Task:
        def org_id(name: str | None) -> int | None:
            org = organisations.link_in_document(session, name, issuer)
            return org.id if org else None

        return Task(
            content=task["content"], lead=task.get("lead"), lead_id=org_id(task.get("lead")),
            deadline=task.get("deadline"), due_date=_date(task.get("due_date")),
            output=task.get("output"), page=task.get("page"), box=task.get("box"),
            confidence=task.get("confidence"),
            extra={k: task[k] for k in ("group", "periodic", "sentence", "source")
                   if task.get(k) is not None},
            partners=[TaskPartner(position=i, name=name, organisation_id=org_id(name))
                      for i, name in enumerate(task.get("partners", []))],
        )

    def record_error(self, source: str, reason: str, stage: str, sha256: str | None = None,
                     keep_others: bool = False, run_id: int | None = None) -> None:
        """An error row for a file; it replaces earlier ones unless ``keep_others`` (several
        broken pages of one stored document)."""
        path, source = stored_path(source), storable(source)
        with Session(self.engine) as session, session.begin():
            if not keep_others:
                session.execute(delete(IngestError).where(IngestError.path == path))
            session.add(IngestError(source=source, path=path, sha256=sha256, stage=stage,
                                    reason=_nfc(reason), run_id=run_id))
            if run_id is not None and not keep_others:
                session.execute(update(IngestRun).where(IngestRun.id == run_id).values(
                    failed=IngestRun.failed + 1))

    def start_run(self, root: str, executor: str, workers: int | None, files_found: int,
                  skipped: int) -> int:
        with Session(self.engine) as session, session.begin():
            run = IngestRun(root=unicodedata.normalize("NFC", root), executor=executor,
                            workers=workers, pipeline_version=__version__,
                            started_at=dt.datetime.now(), files_found=files_found,
                            skipped=skipped, stored=0, failed=0, pages=0)
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.execute(update(IngestRun).where(IngestRun.id == run_id).values(
                finished_at=dt.datetime.now()))

    def runs(self) -> list[dict[str, Any]]:
        """Ingest runs, oldest first; ``finished_at`` empty: the run was interrupted."""
        with Session(self.engine) as session:
            return [
                {"id": r.id, "root": r.root, "executor": r.executor, "workers": r.workers,
                 "started_at": r.started_at.isoformat(timespec="seconds"),
                 "finished_at": r.finished_at.isoformat(timespec="seconds")
                 if r.finished_at else None,
                 "files_found": r.files_found, "stored": r.stored, "skipped": r.skipped,
                 "failed": r.failed, "pages": r.pages, "pipeline_version": r.pipeline_version}
                for r in session.scalars(select(IngestRun).order_by(IngestRun.id))
            ]

    def known_hashes(self) -> dict[str, str]:
        """Each stored content's hash → the source it was stored from."""
        with Session(self.engine) as session:
            return dict(session.execute(select(DocumentRow.sha256, DocumentRow.source)).all())

    def stored_source(self, sha256: str) -> str | None:
        """The source the content ``sha256`` is stored from, if it is stored."""
        with Session(self.engine) as session:
            return session.scalar(select(DocumentRow.source).where(DocumentRow.sha256 == sha256))

    def seen(self, sha256: str, source: str) -> None:
        """Keep ``source`` as one more path of the stored content ``sha256``."""
        try:
            with Session(self.engine) as session, session.begin():
                _seen(session, sha256, stored_path(source), storable(source))
        except IntegrityError:
            pass  # another process kept the same path meanwhile

    def paths(self, hashes: list[str]) -> dict[str, list[str]]:
        """Every source each content was seen under, first seen first."""
        found: dict[str, list[str]] = {}
        with Session(self.engine) as session:
            for sha, source in session.execute(
                    select(DocumentPath.sha256, DocumentPath.source)
                    .where(DocumentPath.sha256.in_(hashes)).order_by(DocumentPath.id)):
                found.setdefault(sha, []).append(source)
        return found

    def documents(self, ids: list[int] | None = None, issuer: str | None = None
                  ) -> list[dict[str, Any]]:
        """Stored documents (those of ``ids``, or issued by ``issuer`` and the bodies under
        it, or all), by date, with every path their content was seen under and people's
        corrections applied. Lists a page at a time: models/lists.py."""
        stmt = select(DocumentRow).options(
            selectinload(DocumentRow.recipients), selectinload(DocumentRow.references)
        ).order_by(DocumentRow.issued_date, DocumentRow.id)
        if ids is not None:
            stmt = stmt.where(DocumentRow.id.in_(ids))
        with Session(self.engine) as session:
            if issuer:
                bodies = organisations.subtree(session, organisations.find(session, issuer))
                stmt = stmt.where(DocumentRow.issuer_id.in_(bodies))
            rows = list(session.scalars(stmt))
            fixes = records.corrections_of(session, [d.sha256 for d in rows])
        paths = self.paths([d.sha256 for d in rows])
        return [records.corrected({
                "id": d.id, "source": d.source, "sha256": d.sha256,
                "page_count": d.page_count,
                "number": d.number, "doc_type": d.doc_type,
                "issued_date": d.issued_date.isoformat() if d.issued_date else None,
                "place": d.place, "issuer": d.issuer, "issuer_parent": d.issuer_parent,
                "subject": d.subject, "signer_name": d.signer_name,
                "signer_title": d.signer_title, "signing_authority": d.signing_authority,
                "recipients": [r.name for r in d.recipients],
                "references": [r.number for r in d.references],
                "paths": [d.source] + [p for p in paths.get(d.sha256, []) if p != d.source],
            }, fixes.get(d.sha256, []))
            for d in rows
        ]

    def errors(self) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            return [
                {"source": e.source, "stage": e.stage, "reason": e.reason}
                for e in session.scalars(select(IngestError).order_by(IngestError.id))
            ]


def _seen(session: Session, sha256: str, path: str, source: str) -> None:
    known = session.scalar(select(DocumentPath.id).where(DocumentPath.sha256 == sha256,
                                                         DocumentPath.path == path))
    if known is None:
        session.add(DocumentPath(sha256=sha256, path=path, source=source,
                                 seen_at=dt.datetime.now()))
        session.flush()


def _vote_view(row: DocumentRow) -> dict[str, Any]:
    """What the register vote reads of a stored document, shaped as a record."""
    return {
        "number": row.number,
        "issued_date": row.issued_date.isoformat() if row.issued_date else None,
        "confidence": {c.field: c.confidence for c in row.confidences},
        "alternatives": {c.field: c.alternatives for c in row.confidences if c.alternatives},
        "references": [{"number": r.number, "date": r.date.isoformat() if r.date else None}
                       for r in row.references],
    }


def _reconcile_signer(session: Session, issuer: str | None, name: str | None) -> str | None:
    """One signer of one issuer is one person across the archive: spellings that differ only
    in tone marks (Hiền / Hiên / Hien, as OCR reads them) become the one seen most often,
    the most marked on a tie (a stripped read loses marks; it does not add them). The other
    documents of that issuer are updated in the same transaction."""
    if not name or not issuer:
        return name
    key = fold(name)
    stored = session.scalars(select(DocumentRow.signer_name).where(
        DocumentRow.issuer == issuer, DocumentRow.signer_name.is_not(None))).all()
    spellings = Counter(n for n in stored if fold(n) == key)
    spellings[name] += 1
    if len(spellings) == 1:
        return name
    best = max(spellings, key=lambda s: (spellings[s], _marks(s)))
    others = [s for s in spellings if s != best and s != name]
    if others:
        session.execute(update(DocumentRow).where(
            DocumentRow.issuer == issuer, DocumentRow.signer_name.in_(others)).values(signer_name=best))
    return best


def _marks(text: str) -> int:
    return sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c))
