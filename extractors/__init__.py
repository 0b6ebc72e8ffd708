"""Rule-based extractors: from the document tree to the fields of the contract's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from extractors.common import page_lines
from extractors.gazetteer import issuer_localities
from extractors.handwritten import choose_number, decide_date, number_options
from extractors.header import (
    VV_RE,
    find_date_place,
    find_doc_type,
    find_number,
    find_subject,
    find_title,
)
from extractors.issuer import find_issuer, infer_issuer
from extractors.outline import build_outline
from extractors.outline_tasks import find_outline_tasks
from extractors.received import find_received, stamp_lines
from extractors.recipients import find_recipients
from extractors.references import find_references
from extractors.signer import read_signer
from extractors.targets import find_targets
from extractors.tasks import find_tasks
from pipeline.core import log
from pipeline.core.document import Document

LOG = log.get(__name__)
EVIDENCE = "_evidence"  # what the confidences rest on; not part of the record


def extract_fields(document: Document) -> dict[str, Any]:
    """Every header field, the signature block and the cited documents."""
    if not document.pages:
        return {}
    first = page_lines(document.pages[0])
    received = find_received(first)
    stamp = set(stamp_lines(first))  # a received stamp's Số and Ngày are not the document's
    first = [line for i, line in enumerate(first) if i not in stamp]
    pen = document.pages[0].handwritten
    number = find_number(first)
    header_line = next((ln.text for ln in first if number and number.split("/")[0] in ln.text
                        and "/" in ln.text), "")
    options = number_options(number, pen.get("number"), header_line, document.text)
    number, number_confidence = choose_number(number, pen.get("number"), options)
    LOG.debug("number %s (confidence %.2f) among %s", number, number_confidence,
              [(text, round(p, 2)) for text, p in options[:4]] if options else "-")
    issuer, issuer_parent = find_issuer(first)
    issued_date, place = find_date_place(first, issuer_localities(issuer, issuer_parent))
    references = find_references(document.text, number)
    signed = [_local_date(s.signed_at) for s in document.signatures if s.signed_at]
    cited = [r["date"] for r in references if r.get("date")]
    issued_date, date_confidence = decide_date(issued_date, pen.get("day"), pen.get("month"),
                                               number, document.text, cited, signed)
    title, title_index = find_title(first)
    subject = find_subject(first, title_index)
    subject_is_vv = any(VV_RE.match(line.text) for line in first[:40])
    issuer_inferred = False
    if issuer is None:
        issuer = infer_issuer(place, document.text)
        issuer_inferred = issuer is not None
        if issuer:
            document.warnings.append(f"issuer not in the header; inferred: {issuer}")
    signature, name_read = _signature(document)
    fields: dict[str, Any] = {
        "doc_type": find_doc_type(first, number, subject_is_vv),
        "number": number,
        "issued_date": issued_date,
        "place": place,
        "issuer": issuer,
        "issuer_parent": issuer_parent,
        "subject": subject,
        "recipients": find_recipients(first),
        "received": received,
        **signature,
        "references": references,
        "targets": find_targets(document),
    }
    document.outline = build_outline(document, subject)
    year = int(issued_date[:4]) if issued_date else None
    fields["tasks"] = find_tasks(document, year) + find_outline_tasks(
        document.outline, fields["doc_type"], year, recipients=fields["recipients"])
    fields[EVIDENCE] = {
        "decided": {"number": number_confidence, "issued_date": date_confidence},
        "number_options": options,
        "title": title,
        "issuer_inferred": issuer_inferred,
        "text_source": all(p.source in ("text", "text-layer") for p in document.pages),
        "text_quality": min((p.text_quality for p in document.pages
                             if p.text_quality is not None), default=None),
        "name_read": name_read,
        # read from pen ink by the digit reader, not from print
        "pen": [field for field, keys in (("number", ("number",)),
                                          ("issued_date", ("day", "month")))
                if any(pen.get(k) is not None and not pen[k].printed for k in keys)],
        "page_confidence": document.pages[0].confidence,
    }
    missing = [k for k in ("number", "issued_date", "issuer") if not fields[k]]
    if missing:
        document.warnings.append("not found on page 1: " + ", ".join(missing))
    return fields


def _signature(document: Document) -> tuple[dict[str, Any], str | None]:
    """The signature block, searched from the last page back: a letter with an annex
    (phụ lục) is signed on the page before the annex; and the name as OCR read it."""
    found: tuple[dict[str, Any], str | None] | None = None
    for page in reversed(document.pages):
        signer, name_read = read_signer(page_lines(page))
        if signer["signer_name"] or signer["signer_title"]:
            return signer, name_read
        found = found or (signer, name_read)
    return found or ({"signer_name": None, "signer_title": None, "signing_authority": None},
                     None)


VIETNAM = dt.timezone(dt.timedelta(hours=7))


def _local_date(moment: dt.datetime) -> dt.date:
    """A signing time as the date on a Vietnamese office's calendar."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(VIETNAM).date()
