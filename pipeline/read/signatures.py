"""Digital signatures of a signed PDF (chữ ký số), read with pyHanko: the one module that
talks to it.

Many scans from 2020 on are signed by the issuing body's certificate when they are sent; the
signing time is then an upper bound for the issue date, which a clerk writes by hand and OCR
often misreads. ``valid`` says that the signed bytes match the signature (the file was not
changed after signing); whether the certificate is trusted is not judged, and nothing is
fetched from the network (no OCSP, CRL or issuer download).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.core.restore import normalize_text

# pyHanko logs a traceback for every certificate whose chain it cannot build (we give it no
# trust roots on purpose): keep that out of the user's terminal
for _name in ("pyhanko", "pyhanko_certvalidator", "pyhanko.sign.validation"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Signature:
    signer: str | None
    organisation: str | None
    signed_at: datetime | None
    valid: bool

    def as_record(self) -> dict:
        return {
            "signer": self.signer,
            "organisation": self.organisation,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "valid": self.valid,
        }


def _name_part(subject, key: str) -> str | None:
    value = subject.native.get(key) if subject is not None else None
    if isinstance(value, list):
        value = value[0] if value else None
    return normalize_text(str(value)).strip() if value else None


def read_signatures(path: Path) -> list[Signature]:
    """Every signature of a PDF, in the file's order; [] when unsigned or unreadable."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    except ImportError:  # pragma: no cover - pyhanko is a pinned dependency
        return []
    found: list[Signature] = []
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            if reader.encrypted:
                reader.decrypt(b"")
            for embedded in reader.embedded_signatures:
                try:
                    cert = embedded.signer_cert
                    subject = cert.subject if cert is not None else None
                except Exception:
                    subject = None
                when = embedded.self_reported_timestamp
                valid = False
                try:
                    status = validate_pdf_signature(
                        embedded, ValidationContext(trust_roots=[], allow_fetching=False))
                    valid = bool(status.intact and status.valid)
                    when = when or status.signer_reported_dt
                except Exception:
                    valid = False
                found.append(Signature(
                    signer=_name_part(subject, "common_name"),
                    organisation=_name_part(subject, "organization_name"),
                    signed_at=when,
                    valid=valid,
                ))
    except Exception:  # a PDF pyHanko cannot parse: no signatures read, the scan still is
        return found
    return found
