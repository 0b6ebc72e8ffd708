"""A stored document as the contract's record, with the corrections people made.

A correction is stored apart from the machine's value (``corrections``: who, when, old,
new), keyed by the document's content hash, so a re-extraction never erases it; the record
served shows the corrected value, and ``corrections`` says which fields were corrected.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import regex
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from extractors.common import canonical_number, doc_types_named
from models import fulltext
from models.schema import Correction, DocumentRow
from models.search import _iso

# the header fields a person may correct (the contract's text fields)
CORRECTABLE = ("doc_type", "number", "issued_date", "place", "issuer", "issuer_parent",
               "subject", "signer_name", "signer_title", "signing_authority")
# and what a person may only confirm: that a page that could not be read was looked at
CONFIRMABLE = (*CORRECTABLE, "pages")
MAX_VALUE = 2000  # characters: a trích yếu is long, a correction is not a document


class BadCorrection(ValueError):
    """A correction that cannot be stored: the field is not correctable or the value
    malformed (the message says which, for a 422)."""


CLEARED = ""  # a correction to no value: the field is wrong and the document has none
DAY_RE = regex.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


def _day(value: str) -> str:
    """An ISO date from ``2024-03-05`` or the office's ``05/03/2024`` (also 5-3-2024)."""
    try:
        if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
        if found := DAY_RE.fullmatch(value):
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    raise BadCorrection(f"issued_date: '{value}' is not a date (05/03/2024 or 2024-03-05)")


def checked(field: str, value: Any) -> str:
    """The value to store, NFC: a date as ISO (typed dd/mm/yyyy or ISO), a number in its
    canonical form whatever its case; None or blank clears the field (CLEARED)."""
    if field not in CORRECTABLE:
        raise BadCorrection(f"'{field}' cannot be corrected (one of: {', '.join(CORRECTABLE)})")
    if value is None or (isinstance(value, str) and not value.strip()):
        return CLEARED
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise BadCorrection(f"{field}: a value is text of at most {MAX_VALUE} characters")
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if field == "issued_date":
        return _day(value)
    if field == "number":
        number = canonical_number(value)
        if not number:
            raise BadCorrection(f"number: '{value}' is not a số ký hiệu (e.g. 89/KH-UBND)")
        return number
    if field == "doc_type":  # "cong van", "CV": the canonical name the filters go by
        named = doc_types_named(value)
        return named[0] if len(named) == 1 else value
    return value


def corrections_of(session: Session, hashes: list[str]) -> dict[str, list[Correction]]:
    """Each content's corrections, oldest first."""
    found: dict[str, list[Correction]] = {}
    if not hashes:
        return found
    rows = session.scalars(select(Correction).where(Correction.sha256.in_(hashes))
                           .order_by(Correction.at, Correction.id))
    for row in rows:
        found.setdefault(row.sha256, []).append(row)
    return found


def corrected(values: dict[str, Any], corrections: list[Correction]) -> dict[str, Any]:
    """``values`` with each corrected field at its latest value and ``corrections`` listed."""
    out = dict(values)
    for c in corrections:
        out[c.field] = c.new or None  # CLEARED shows as no value
    out["corrections"] = [{"field": c.field, "old": c.old, "new": c.new or None, "by": c.by,
                           "at": c.at.isoformat(timespec="seconds"), "kind": kind_of(c)}
                          for c in corrections]
    return out


def kind_of(c: Correction) -> str:
    """``confirmed`` (a person said the machine's value is right), ``cleared`` or
    ``corrected``."""
    if (c.old or "") == (c.new or ""):
        return "confirmed"
    return "cleared" if not c.new else "corrected"


def follow_documents(session: Session, items: list[dict[str, Any]],
                     key: str = "document_id") -> list[dict[str, Any]]:
    """Rows that name their document (tasks, targets, hits) with the document's fields
    they show (number, issuer, date, type, subject) at people's corrected values."""
    ids = sorted({int(i[key]) for i in items if i.get(key) is not None})
    if not ids:
        return items
    hashes = dict(session.execute(select(DocumentRow.id, DocumentRow.sha256)
                                  .where(DocumentRow.id.in_(ids))).all())
    fixes = corrections_of(session, list(set(hashes.values())))
    for item in items:
        for c in fixes.get(hashes.get(item.get(key)), []):
            if c.field in item:
                item[c.field] = c.new or None
    return items


def document_record(engine: Engine, doc_id: int) -> dict[str, Any] | None:
    """The stored document as the contract's record, plus ``id`` and ``provenance`` (field
    → page, box, confidence); corrections applied. None when there is no such document."""
    with Session(engine) as session:
        d = session.scalar(select(DocumentRow).where(DocumentRow.id == doc_id).options(
            selectinload(DocumentRow.pages), selectinload(DocumentRow.recipients),
            selectinload(DocumentRow.references), selectinload(DocumentRow.targets),
            selectinload(DocumentRow.tasks), selectinload(DocumentRow.provenance),
            selectinload(DocumentRow.confidences), selectinload(DocumentRow.signatures)))
        if d is None:
            return None
        record = {
            "id": d.id, "source": d.source, "sha256": d.sha256, "page_count": d.page_count,
            "doc_type": d.doc_type, "number": d.number, "issued_date": _iso(d.issued_date),
            "place": d.place, "issuer": d.issuer, "issuer_parent": d.issuer_parent,
            "subject": d.subject, "recipients": [r.name for r in d.recipients],
            "signer_name": d.signer_name, "signer_title": d.signer_title,
            "signing_authority": d.signing_authority,
            "references": [{"number": r.number, "doc_type": r.doc_type, "date": _iso(r.date),
                            "issuer": r.issuer, "document_id": r.cited_document_id}
                           for r in d.references],
            "targets": [{"indicator": t.indicator, "value": t.value, "unit": t.unit,
                         "comparator": t.comparator, "kind": t.kind, "year": t.year,
                         "page": t.page} for t in d.targets],
            "tasks": [{"content": t.content, "lead": t.lead, "deadline": t.deadline,
                       "due_date": _iso(t.due_date), "output": t.output, "page": t.page}
                      for t in d.tasks],
            "confidence": {c.field: c.confidence for c in d.confidences},
            "signatures": [{"signer": s.signer, "organisation": s.organisation,
                            "signed_at": s.signed_at, "valid": s.valid} for s in d.signatures],
            "received": ({"number": d.received_number, "date": _iso(d.received_date)}
                         if d.received_number or d.received_date else None),
            "text": "\f".join(p.text for p in d.pages),
            "pages": [{"number": p.number, "text": p.text, "ocr_confidence": p.ocr_confidence,
                       "source": p.source, "tables": p.tables or []} for p in d.pages],
            "warnings": list(d.warnings or []), "timings": dict(d.timings or {}),
            "provenance": {p.field: {"page": p.page, "box": p.box, "confidence": p.confidence}
                           for p in d.provenance},
        }
        return corrected(record, corrections_of(session, [d.sha256]).get(d.sha256, []))


def correct(engine: Engine, doc_id: int, field: str, value: Any, by: str,
            confirm: bool = False) -> dict[str, Any] | None:
    """Store a person's decision on one field: a new value (None or blank: cleared), or
    with ``confirm`` that the value shown is right. The record as now served, or None when
    there is no such document. Raises BadCorrection for a field or value it refuses."""
    if confirm and field not in CONFIRMABLE:
        checked(field, "")  # raises, naming the fields that can be
    new = None if confirm else checked(field, value)
    by = unicodedata.normalize("NFC", (by or "").strip())[:128] or "anonymous"
    with Session(engine) as session, session.begin():
        d = session.get(DocumentRow, doc_id)
        if d is None:
            return None
        earlier = corrections_of(session, [d.sha256]).get(d.sha256, [])
        old = next((c.new for c in reversed(earlier) if c.field == field),
                   getattr(d, field) if field in CORRECTABLE else None)
        old = _iso(old) if isinstance(old, dt.date) else old
        session.add(Correction(sha256=d.sha256, field=field, old=old,
                               new=(old or CLEARED) if confirm else new, by=by,
                               at=dt.datetime.now()))
        _follow(session, d, field)
    return document_record(engine, doc_id)


def undo(engine: Engine, doc_id: int, field: str) -> dict[str, Any] | None:
    """Take back the latest decision on ``field`` (the one before it, or the machine's
    value, is shown again). None when there is no such document."""
    if field not in CONFIRMABLE:
        checked(field, "")
    with Session(engine) as session, session.begin():
        d = session.get(DocumentRow, doc_id)
        if d is None:
            return None
        latest = [c for c in corrections_of(session, [d.sha256]).get(d.sha256, [])
                  if c.field == field]
        if not latest:
            raise BadCorrection(f"{field}: nothing to undo")
        session.delete(latest[-1])
        _follow(session, d, field)
    return document_record(engine, doc_id)


def _follow(session: Session, d: DocumentRow, field: str) -> None:
    session.flush()
    if field in ("issued_date", "number", "signer_name"):  # what the lists go by
        issued, number, signer = shown_keys(session, d)
        fulltext.follow_corrections(session.connection(), d.id, issued, signer, number)


def shown_keys(session: Session, row: DocumentRow) -> tuple[dt.date | None, str | None,
                                                             str | None]:
    """The date, number and signer the lists go by (models/fulltext): people's corrections
    over the machine's values."""
    values = {"issued_date": _iso(row.issued_date), "number": row.number,
              "signer_name": row.signer_name}
    for c in corrections_of(session, [row.sha256]).get(row.sha256, []):
        if c.field in values:
            values[c.field] = c.new or None
    issued = values["issued_date"]
    return (dt.date.fromisoformat(issued) if issued else None, values["number"],
            values["signer_name"])


def corrected_documents(engine: Engine) -> list[dict[str, Any]]:
    """Every stored document with corrections: its id, real path, content hash, and the
    corrected fields at their latest values (what a person vouched for)."""
    with Session(engine) as session:
        fixes = corrections_of(session, list(session.scalars(
            select(Correction.sha256).distinct())))
        rows = session.execute(select(DocumentRow.id, DocumentRow.path, DocumentRow.sha256)
                               .where(DocumentRow.sha256.in_(list(fixes)))
                               .order_by(DocumentRow.id)).all()
    return [{"id": doc_id, "path": path, "sha256": sha,
             "truth": {c.field: c.new or None for c in fixes[sha]}}
            for doc_id, path, sha in rows]
