"""A stored document as the contract's record, with the corrections people made.

A correction is stored apart from the machine's value (``corrections``: who, when, old,
new), keyed by the document's content hash, so a re-extraction never erases it; the record
served shows the corrected value, and ``corrections`` says which fields were corrected.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload

from extractors.common import canonical_number
from models import fulltext
from models.schema import Correction, DocumentRow
from models.search import _iso

# the header fields a person may correct (the contract's text fields)
CORRECTABLE = ("doc_type", "number", "issued_date", "place", "issuer", "issuer_parent",
               "subject", "signer_name", "signer_title", "signing_authority")
MAX_VALUE = 2000  # characters: a trích yếu is long, a correction is not a document


class BadCorrection(ValueError):
    """A correction that cannot be stored: the field is not correctable or the value
    malformed (the message says which, for a 422)."""


def checked(field: str, value: Any) -> str:
    """The value to store, NFC; a date must be ISO and a number canonical."""
    if field not in CORRECTABLE:
        raise BadCorrection(f"'{field}' cannot be corrected (one of: {', '.join(CORRECTABLE)})")
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_VALUE:
        raise BadCorrection(f"{field}: a value is text of 1 to {MAX_VALUE} characters")
    value = unicodedata.normalize("NFC", " ".join(value.split()))
    if field == "issued_date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise BadCorrection(f"issued_date: '{value}' is not an ISO date (2024-03-05)") from None
        if len(value) != 10:
            raise BadCorrection(f"issued_date: '{value}' is not an ISO date (2024-03-05)")
    if field == "number" and canonical_number(value) != value:
        raise BadCorrection(f"number: '{value}' is not a canonical số ký hiệu "
                            f"({canonical_number(value) or 'e.g. 89/KH-UBND'})")
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
        out[c.field] = c.new
    out["corrections"] = [{"field": c.field, "old": c.old, "new": c.new, "by": c.by,
                           "at": c.at.isoformat(timespec="seconds")} for c in corrections]
    return out


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


def correct(engine: Engine, doc_id: int, field: str, value: Any, by: str) -> dict[str, Any] | None:
    """Store a person's correction of one field; the record as now served, or None when
    there is no such document. Raises BadCorrection for a field or value it refuses."""
    new = checked(field, value)
    by = unicodedata.normalize("NFC", (by or "").strip())[:128] or "anonymous"
    with Session(engine) as session, session.begin():
        d = session.get(DocumentRow, doc_id)
        if d is None:
            return None
        earlier = corrections_of(session, [d.sha256]).get(d.sha256, [])
        old = next((c.new for c in reversed(earlier) if c.field == field), getattr(d, field))
        session.add(Correction(sha256=d.sha256, field=field, old=_iso(old) if isinstance(
            old, dt.date) else old, new=new, by=by, at=dt.datetime.now()))
        session.flush()
        if field in ("issued_date", "number", "signer_name"):  # what the lists go by
            issued, number, signer = shown_keys(session, d)
            fulltext.follow_corrections(session.connection(), d.id, issued, signer, number)
    return document_record(engine, doc_id)


def shown_keys(session: Session, row: DocumentRow) -> tuple[dt.date | None, str | None,
                                                             str | None]:
    """The date, number and signer the lists go by (models/fulltext): people's corrections
    over the machine's values."""
    values = {"issued_date": _iso(row.issued_date), "number": row.number,
              "signer_name": row.signer_name}
    for c in corrections_of(session, [row.sha256]).get(row.sha256, []):
        if c.field in values:
            values[c.field] = c.new
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
             "truth": {c.field: c.new for c in fixes[sha]}} for doc_id, path, sha in rows]
