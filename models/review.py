"""Which stored documents a person should look at, and why (``vanban query documents
--needs-review``): a header field missing, read with a confidence below the calibrated
threshold (fields at ≥ 0.9 are right ≥ 95 % of the time), or a warning of the pipeline."""

from __future__ import annotations

import json
import math

from sqlalchemy import text
from sqlalchemy.orm import Session

THRESHOLD = 0.9
# the fields every directive has (Decree 30/2020): missing one is worth a look
REQUIRED = ("doc_type", "number", "issued_date", "issuer", "subject", "signer_name")
NEEDS_REVIEW_SQL = "(" + " OR ".join(
    [f"d.{field} IS NULL" for field in REQUIRED]
    + ["EXISTS (SELECT 1 FROM field_confidence c WHERE c.document_id = d.id AND "
       "c.confidence < :weak)",
       "CAST(d.warnings AS TEXT) NOT IN ('[]', 'null')"]) + ")"
NEEDS_REVIEW_PARAMS = {"weak": THRESHOLD}


def reasons(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Each document's reasons, in plain words: ``number missing``, ``issued_date 0.62``."""
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    marks = ", ".join(str(int(i)) for i in ids)
    columns = ", ".join(REQUIRED)
    warned: dict[int, list[str]] = {}
    for row in session.execute(text(f"SELECT id, {columns}, warnings FROM documents "
                                     f"WHERE id IN ({marks})")):
        found[row[0]] = [f"{field} missing" for field, value in zip(REQUIRED, row[1:-1],
                                                                     strict=True) if value is None]
        warnings = json.loads(row[-1]) if isinstance(row[-1], str) else row[-1]
        warned[row[0]] = list(warnings or [])
    for doc_id, field, confidence in session.execute(text(
            "SELECT document_id, field, confidence FROM field_confidence WHERE document_id IN "
            f"({marks}) AND confidence < :weak ORDER BY confidence"), {"weak": THRESHOLD}):
        # rounded down: a 0.896 under the 0.9 threshold must not be shown as 0.90
        found.setdefault(doc_id, []).append(f"{field} {math.floor(confidence * 100) / 100:.2f}")
    for doc_id, warnings in warned.items():
        found[doc_id] += warnings
    return found
