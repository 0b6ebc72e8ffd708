"""The review queue (``/review``, ``vanban query documents --needs-review``): which stored
documents a person should look at, weakest first, and why, in the reviewer's language.

A document is flagged for each header field that is missing though every directive has it
(Decree 30/2020), or read with a calibrated confidence below THRESHOLD, and for a page that
could not be read. A flag is cleared by a person's decision on that field: a correction, a
confirmation ("đúng"), or clearing it — all stored as corrections (models/records), so a
re-extraction keeps them. A document leaves the queue when no flag is left.

The same rule twice: ``flags`` in Python for a record (``vanban eval`` measures the queue
with it) and ``NEEDS_REVIEW_SQL``/``WEAKEST_SQL`` for the lists, so a million-document
archive is filtered and ordered in the database; tests check the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from models import labels

THRESHOLD = 0.9
# the fields every directive has (Decree 30/2020): missing one is worth a look
REQUIRED = ("doc_type", "number", "issued_date", "issuer", "subject", "signer_name")
PAGES = "pages"  # the pseudo-field a reviewer confirms for a page that could not be read


@dataclass(frozen=True)
class Flag:
    """One reason to look: ``field`` (or PAGES), how sure the pipeline was (0 when the
    value is missing or a page lost), and the page when it is a page's."""

    field: str
    confidence: float
    missing: bool = False
    page: int | None = None

    def reason(self, lang: str = "vi") -> str:
        vi = lang == "vi"
        if self.field == PAGES:
            return (f"Trang {self.page}: không đọc được" if vi
                    else f"page {self.page}: not read")
        name = labels.column(self.field, lang)
        if self.missing:
            return f"{name}: không tìm thấy" if vi else f"{name}: not found"
        # rounded down: a 0.896 under the 0.9 threshold must not be shown as 0.90
        shown = f"{math.floor(self.confidence * 100) / 100:.2f}"
        return f"{name}: đọc không chắc ({shown})" if vi else f"{name}: unsure read ({shown})"


def flags(values: dict[str, Any], confidence: dict[str, float], error_pages: Iterable[int],
          decided: Iterable[str] = ()) -> list[Flag]:
    """A document's flags, weakest first, leaving out the fields a person decided."""
    done = set(decided)
    found = [Flag(f, 0.0, missing=True) for f in REQUIRED
             if not values.get(f) and f not in done and f not in confidence]
    found += [Flag(f, c) for f, c in confidence.items() if c < THRESHOLD and f not in done]
    if PAGES not in done:
        found += [Flag(PAGES, 0.0, page=n) for n in sorted(error_pages)]
    return sorted(found, key=lambda f: (f.confidence, f.field, f.page or 0))


def record_flags(record: dict[str, Any], decided: Iterable[str] = ()) -> list[Flag]:
    """``flags`` of a record as ``vanban extract`` prints it."""
    return flags(record, record.get("confidence") or {},
                 [p["number"] for p in record.get("pages") or [] if p.get("source") == "error"],
                 decided)


def _undecided(field: str) -> str:
    return ("NOT EXISTS (SELECT 1 FROM corrections k WHERE k.sha256 = d.sha256 AND "
            f"k.field = {field})")


_MISSING = [f"(d.{f} IS NULL AND {_undecided(repr(f))} AND NOT EXISTS (SELECT 1 FROM "
            f"field_confidence m WHERE m.document_id = d.id AND m.field = '{f}'))"
            for f in REQUIRED]
_WEAK = (f"FROM field_confidence c WHERE c.document_id = d.id AND c.confidence < :weak AND "
         f"{_undecided('c.field')}")
_LOST = (f"EXISTS (SELECT 1 FROM pages p WHERE p.document_id = d.id AND p.source = 'error') "
         f"AND {_undecided(repr(PAGES))}")
NEEDS_REVIEW_SQL = "(" + " OR ".join(_MISSING + [f"EXISTS (SELECT 1 {_WEAK})", f"({_LOST})"]) + ")"
# the order of the queue: the weakest flag first (a missing field or a lost page is 0)
WEAKEST_SQL = (f"CASE WHEN {' OR '.join(_MISSING)} OR ({_LOST}) THEN 0 ELSE "
               f"COALESCE((SELECT MIN(c.confidence) {_WEAK}), 1) END")
NEEDS_REVIEW_PARAMS = {"weak": THRESHOLD}


def stored_flags(session: Session, ids: list[int]) -> dict[int, list[Flag]]:
    """The flags of stored documents, with people's decisions taken out."""
    if not ids:
        return {}
    marks = ", ".join(str(int(i)) for i in ids)
    columns = ", ".join(REQUIRED)
    values: dict[int, dict[str, Any]] = {}
    sha: dict[int, str] = {}
    for row in session.execute(text(f"SELECT id, sha256, {columns} FROM documents "
                                     f"WHERE id IN ({marks})")):
        sha[row[0]] = row[1]
        values[row[0]] = dict(zip(REQUIRED, row[2:], strict=True))
    confidence: dict[int, dict[str, float]] = {i: {} for i in values}
    for doc_id, field, value in session.execute(text(
            f"SELECT document_id, field, confidence FROM field_confidence WHERE document_id "
            f"IN ({marks})")):
        confidence[doc_id][field] = value
    lost: dict[int, list[int]] = {i: [] for i in values}
    for doc_id, number in session.execute(text(
            f"SELECT document_id, number FROM pages WHERE document_id IN ({marks}) AND "
            "source = 'error'")):
        lost[doc_id].append(number)
    decided: dict[str, set[str]] = {}
    if sha:
        bound = {f"s{i}": s for i, s in enumerate(set(sha.values()))}
        for digest, field in session.execute(text(
                f"SELECT sha256, field FROM corrections WHERE sha256 IN "
                f"({', '.join(':' + k for k in bound)})"), bound):
            decided.setdefault(digest, set()).add(field)
    return {i: flags(values[i], confidence[i], lost[i], decided.get(sha[i], ()))
            for i in values}


def reasons(session: Session, ids: list[int], lang: str = "vi") -> dict[int, list[str]]:
    """Each document's reasons, weakest first: ``Số ký hiệu: đọc không chắc (0.44)``."""
    return {i: [f.reason(lang) for f in found]
            for i, found in stored_flags(session, ids).items()}
