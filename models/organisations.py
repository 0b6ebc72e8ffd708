"""Organisations in the database: one row per body, shared by issuers, leads and partners,
each under its parent body (xã → huyện → tỉnh; a Sở or Phòng under its Ủy ban nhân dân).

The parent comes from the documents themselves: the header's upper line (``issuer_parent``)
is the issuer's parent, and a body named without a place (``Sở Nội vụ``, ``Phòng Tư
pháp``) in a document's task table belongs to the document's own Ủy ban nhân dân. A huyện
with no upper line is placed under its tỉnh by the gazetteer when the name is unique in
the country. A body seen first without a parent adopts one when a later document shows it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.gazetteer import province_of
from extractors.organisations import LEVEL_ABOVE, BodyName, describe
from models.schema import Organisation


def _ancestors(session: Session, org: Organisation | None) -> list[Organisation]:
    chain: list[Organisation] = []
    while org is not None and org not in chain:
        chain.append(org)
        org = session.get(Organisation, org.parent_id) if org.parent_id else None
    return chain


def _adopt(session: Session, org: Organisation, parent: Organisation | None) -> None:
    """Give ``org`` a parent it did not have, never making a cycle."""
    if parent is None or org.parent_id is not None or org in _ancestors(session, parent):
        return
    org.parent_id = parent.id


def link(session: Session, name: str | None,
         parent: Organisation | None = None) -> Organisation | None:
    """The row of the body called ``name`` (created when new) under ``parent`` if known."""
    if not name or not name.strip():
        return None
    body = describe(name)
    if parent is None:
        parent = _province_council(session, body)
    same = session.scalars(
        select(Organisation).where(Organisation.key == body.key).order_by(Organisation.id)
    ).all()
    orphan = next((o for o in same if o.parent_id is None), None)
    if parent is not None:
        found = next((o for o in same if o.parent_id == parent.id), None) or orphan
    elif body.names_place and len(same) == 1:
        found = same[0]  # a named place is one body, unless several provinces share it
    else:  # "Sở Nội vụ" alone, or a shared place name: not merged into any province's
        found = orphan
    if found is None:
        found = Organisation(name=body.name, key=body.key, kind=body.kind, level=body.level)
        session.add(found)
        session.flush()
    _adopt(session, found, parent)
    return found


def _province_council(session: Session, body: BodyName) -> Organisation | None:
    """A huyện's Ủy ban nhân dân with no header above it sits under its tỉnh's, when the
    gazetteer knows only one tỉnh with a huyện of that name."""
    if body.kind != "ubnd" or body.level != "huyen" or not body.place:
        return None
    province = province_of(body.place)
    return link(session, f"Ủy ban nhân dân {province}") if province else None


def _home_council(chain: list[Organisation]) -> Organisation | None:
    """The nearest Ủy ban nhân dân in an issuer's chain: where its unnamed bodies belong."""
    return next((o for o in chain if o.kind == "ubnd" and o.level), None)


def parent_for(session: Session, body: BodyName, issuer: Organisation | None) -> Organisation | None:
    """Where a body named in a document (a lead or partner) sits, judged from the issuer."""
    chain = _ancestors(session, issuer)
    if not body.names_place:
        return _home_council(chain)
    wanted = LEVEL_ABOVE.get(body.level or "")
    return next((o for o in chain if o.kind == "ubnd" and o.level == wanted), None)


def link_in_document(session: Session, name: str | None,
                     issuer: Organisation | None) -> Organisation | None:
    if not name or not name.strip():
        return None
    return link(session, name, parent_for(session, describe(name), issuer))


def subtree(session: Session, roots: list[int]) -> set[int]:
    """``roots`` and every body under them, at any depth."""
    if not roots:
        return set()
    base = select(Organisation.id).where(Organisation.id.in_(roots)).cte(recursive=True)
    tree = base.union(select(Organisation.id).where(Organisation.parent_id == base.c.id))
    return set(session.scalars(select(tree.c.id)))


def find(session: Session, name: str) -> list[int]:
    """Bodies matching a user's spelling of a name (abbreviations, no marks): exact key
    first, else every body whose key contains it."""
    key = describe(name).key
    exact = session.scalars(select(Organisation.id).where(Organisation.key == key)).all()
    if exact:
        return list(exact)
    return list(session.scalars(select(Organisation.id).where(Organisation.key.contains(key))))
