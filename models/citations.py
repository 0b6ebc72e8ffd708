"""Citations as edges between documents (văn bản được viện dẫn).

A reference is resolved to a stored document when the numbers are equal and the issuer
agrees: the issuer the citation names (``của UBND tỉnh`` without a place: the citing body's
own province), else its date, else — for a number of the central
government (``107/2021/NĐ-CP``, ``766/QĐ-TTg``: unique in the country) — the number alone,
else — a local number such as ``139/KH-UBND``, which every Ủy ban uses — the citing body
itself or its parent. A citation that no stored document matches, or that two match, stays
dangling until the document it names is stored.
"""

from __future__ import annotations

import regex
from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.organisations import describe
from models.schema import DocumentRow, Organisation, Reference

# issuer codes of central bodies: Chính phủ, Thủ tướng, Quốc hội, Văn phòng Chính phủ, Bộ …
CENTRAL_CODE = regex.compile(r"-(?:CP|TTg|QH\d*|UBTVQH\d*|VPCP|B\p{Lu}+|TANDTC|VKSNDTC|KTNN)$")


def _chain(session: Session, org: Organisation | None) -> set[int]:
    """The body and every body above it."""
    seen: set[int] = set()
    while org is not None and org.id not in seen:
        seen.add(org.id)
        org = session.get(Organisation, org.parent_id) if org.parent_id else None
    return seen


def _named_body(session: Session, name: str, cited: Organisation | None,
                citing: Organisation | None) -> bool:
    """Is ``cited`` the body a citation names? ``Ủy ban nhân dân tỉnh An Giang`` by its full
    name; ``Ủy ban nhân dân tỉnh`` or ``Sở Nội vụ`` (no place: the citing body's own
    province or district) when it is of that name and in, or directly under, the citing
    body's chain."""
    if cited is None:
        return False
    body = describe(name)
    if body.names_place:
        return body.key == cited.key
    chain = _chain(session, citing)
    return cited.key.startswith(body.key) and (cited.id in chain or cited.parent_id in chain)


def _matches(session: Session, ref: Reference, citing: DocumentRow, cited: DocumentRow) -> bool:
    if cited.id == citing.id or ref.number != cited.number:
        return False
    cited_issuer = session.get(Organisation, cited.issuer_id) if cited.issuer_id else None
    citing_issuer = session.get(Organisation, citing.issuer_id) if citing.issuer_id else None
    if ref.issuer:
        return _named_body(session, ref.issuer, cited_issuer, citing_issuer)
    if ref.date:
        return ref.date == cited.issued_date
    if CENTRAL_CODE.search(ref.number):
        return True
    if cited_issuer is None or citing_issuer is None:
        return False
    return cited_issuer.id in {citing_issuer.id, citing_issuer.parent_id}


def _resolve_one(session: Session, ref: Reference, citing: DocumentRow,
                 candidates: list[DocumentRow]) -> None:
    found = [d for d in candidates if _matches(session, ref, citing, d)]
    ref.cited_document_id = found[0].id if len(found) == 1 else None


def resolve(session: Session, document: DocumentRow) -> None:
    """Link ``document``'s citations to stored documents, and earlier dangling citations
    of ``document``'s number to it. Runs inside the document's transaction."""
    for ref in document.references:
        candidates = session.scalars(
            select(DocumentRow).where(DocumentRow.number == ref.number)).all()
        _resolve_one(session, ref, document, list(candidates))
    if not document.number:
        return
    dangling = session.execute(
        select(Reference, DocumentRow)
        .join(DocumentRow, Reference.document_id == DocumentRow.id)
        .where(Reference.number == document.number, Reference.cited_document_id.is_(None),
               Reference.document_id != document.id)
    ).all()
    for ref, citing in dangling:
        if _matches(session, ref, citing, document):
            candidates = session.scalars(
                select(DocumentRow).where(DocumentRow.number == ref.number)).all()
            _resolve_one(session, ref, citing, list(candidates))
