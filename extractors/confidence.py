"""How sure the pipeline is of each header field: a 0-1 confidence from the evidence.

A wrong value given with high confidence is the worst outcome for an archive, so every field's
confidence rests on what can be checked, not on a feeling:

- the pen-written số and ngày: the share of the evidence their decision got
  (``extractors.handwritten``: reader probabilities, mentions elsewhere, calendar, signature);
- everything else: the OCR confidence of the line the value was read from
  (``extractors.provenance``), how much of the value spells real Vietnamese syllables or
  acronyms, and whether it fell into a closed vocabulary or gazetteer (a chức vụ, a type
  name, a place) or two sources agree (the title and the number's type code).

That rule-of-evidence score is the *prior*. The confidence a record carries is the
probability, fitted on truth, that the field is right given the prior and the evidence
beside it (the line's OCR confidence, the page's, how the value spells, whether a name's
syllables are names as OCR read them, whether the lexicon changed it): a logistic regression
with one intercept and one slope of the prior per field, then a Platt map fitted on
office-held-out predictions,
built by ``python -m scripts.train_confidence`` into ``data/confidence_model.json`` and
cross-validated by office (never an issuer in both training and test). Without the file the
prior is the confidence.

``vanban eval`` measures the calibration (fields at ≥ 0.9 should be right ≥ 97% of the time).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import regex

from extractors.common import KNOWN_CODES, TYPE_NAMES, type_of_number
from extractors.gazetteer import SURNAME_BY_FOLD, is_known_place, name_plausibility
from extractors.signer import KNOWN_TITLES, snap_title
from pipeline.core.syllables import fold
from pipeline.core.validator import is_valid_syllable

HEADER_FIELDS = ("doc_type", "number", "issued_date", "place", "issuer", "issuer_parent",
                 "subject", "signer_name", "signer_title", "signing_authority")
AUTHORITIES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
WEAK = 0.6  # below this a field gets a warning
FREE_TEXT = ("subject", "signer_name")
MODEL = Path(__file__).parent / "data" / "confidence_model.json"
FEATURES = ("prior", "ocr", "ocr_lowest", "page_ocr", "spelling", "lone_letters", "words",
            "located", "text_source", "pen", "name_as_read", "repaired")


def spelling(value: str) -> float:
    """Share of a value's words that are Vietnamese syllables, acronyms or numbers."""
    tokens = [t for t in regex.split(r"[\s,;:()\"“”/\-–]+", value) if t]
    if not tokens:
        return 0.0
    good = 0
    for token in tokens:
        core = token.strip(".")
        if not core:
            continue
        if core.isdigit() or (core.isupper() and len(core) <= 8 and core.isalnum()):
            good += 1
        elif is_valid_syllable(core.lower()):
            good += 1
    return good / len(tokens)


def _ocr(provenance: dict, field: str, text_source: bool, text_quality: float | None) -> float:
    """The OCR confidence of the field's line as 0-1; text without OCR counts as 0.95 when
    it reads as clean Vietnamese, less as far as it does not (another engine's export)."""
    where = provenance.get(field)
    if where is None or where.get("confidence") is None:
        if not text_source:
            return 0.7
        return 0.95 if text_quality is None else min(0.95, text_quality)
    return max(0.0, min(1.0, float(where["confidence"]) / 100))


def _ocr_factor(ocr: float) -> float:
    """1 for a line Tesseract read at ≥ 90, falling to 0.5 at 60 and below."""
    return max(0.5, min(1.0, 0.5 + (ocr - 0.6) / 0.6))


def prior_confidence(field: str, value: str, fields: dict[str, Any], provenance: dict,
                     evidence: dict) -> float:
    """The rule-of-evidence score of one field's value (see the module's docstring)."""
    text_source = evidence.get("text_source", False)
    text_quality = evidence.get("text_quality")
    decided = evidence.get("decided") or {}
    title = evidence.get("title")
    issuer_inferred = evidence.get("issuer_inferred", False)
    ocr = _ocr(provenance, field, text_source, text_quality)
    factor = _ocr_factor(ocr)
    if field in decided and decided[field] is not None:
        conf = decided[field]
    elif field == "number":
        code = value.split("/")[-1]
        parts = [p for p in code.split("-") if p]
        known = sum(p in KNOWN_CODES for p in parts) / max(1, len(parts))
        conf = (0.8 + 0.17 * known) * factor
    elif field == "issued_date":
        conf = 0.97 * factor
    elif field == "doc_type":
        by_code = type_of_number(fields.get("number"))
        sources = [t for t in (title, by_code) if t]
        if len(sources) == 2:
            conf = 0.97 if sources[0] == sources[1] == value else 0.5
        elif title == value:
            conf = 0.9
        elif value == "Công văn" and not title:
            # a letter titled V/v: no type name to read, none needed; a type code in its
            # number saying otherwise (CT of Cục Thuế, or of Chỉ thị?) leaves a doubt
            conf = 0.9 if by_code in (None, value) else 0.75
        else:
            conf = 0.8 if value in TYPE_NAMES else 0.5
    elif field == "place":
        conf = (0.97 if is_known_place(value) else 0.75) * factor
    elif field in ("issuer", "issuer_parent"):
        conf = (0.55 + 0.42 * spelling(value)) * factor
        if issuer_inferred and field == "issuer":
            conf = min(conf, 0.5)
    elif field == "subject":
        conf = (0.45 + 0.5 * spelling(value) ** 2) * factor
    elif field == "signer_name":
        words = value.split()
        surname = fold(words[0]) in SURNAME_BY_FOLD if words else False
        conf = (0.6 + 0.2 * surname + 0.17 * spelling(value)) * factor
    elif field == "signer_title":
        conf = (0.97 if value in KNOWN_TITLES or snap_title(value) == value else 0.5) * factor
    else:  # signing_authority
        prefix, _, rest = value.partition(" ")
        known = prefix in AUTHORITIES and (snap_title(rest) == rest or rest in (
            "Ủy ban nhân dân", "Chính phủ", "Hội đồng nhân dân", "Ban Thường vụ"))
        conf = (0.97 if known else 0.5) * factor
    if field in FREE_TEXT and text_source and text_quality is not None:
        # free text snaps to no vocabulary: in an imperfect export its marks may be
        # guesses (Hạnh or Hanh), so its confidence falls fast with the text's quality
        conf *= min(1.0, text_quality / 0.97) ** 3
    return max(0.0, min(1.0, conf))


def features(field: str, value: str, fields: dict[str, Any], provenance: dict,
             evidence: dict) -> dict[str, float]:
    """What the fitted model weighs beside the prior (FEATURES, in that order)."""
    prior = prior_confidence(field, value, fields, provenance, evidence)
    text_source = evidence.get("text_source", False)
    page = evidence.get("page_confidence")
    read = evidence.get("name_read") if field == "signer_name" else None
    clipped = min(0.99, max(0.01, prior))
    ocr = _ocr(provenance, field, text_source, evidence.get("text_quality"))
    return {
        "prior": math.log(clipped / (1 - clipped)),
        "ocr": ocr,
        "page_ocr": (page / 100) if page is not None else (1.0 if text_source else 0.7),
        "ocr_lowest": float((provenance.get(field) or {}).get("lowest", 100.0 * ocr)) / 100,
        "spelling": spelling(value),
        # a letter standing alone in a name or phrase is a syllable OCR broke ("giải quy e")
        "lone_letters": float(sum(len(t) == 1 and t.isalpha() for t in value.split())),
        "words": math.log1p(len(value.split())),
        "located": float(field in provenance),
        "text_source": float(text_source),
        "pen": float(field in (evidence.get("pen") or ())),
        "name_as_read": name_plausibility(read) if read else 1.0,
        "repaired": float(bool(read) and read != value),
    }


@lru_cache(maxsize=1)
def _model() -> dict | None:
    return json.loads(MODEL.read_text(encoding="utf-8")) if MODEL.exists() else None


def probability(model: dict, field: str, row: dict[str, float]) -> float:
    """The fitted model's calibrated probability that the field's value is right."""
    x = (np.array([row[k] for k in model["features"]]) - model["mean"]) / model["scale"]
    z = float(x @ np.array(model["coef"])) + model["intercept"].get(field, 0.0) \
        + model["prior_slope"].get(field, 0.0) * x[0]  # the prior means more for some fields
    raw = min(1 - 1e-4, max(1e-4, 1 / (1 + math.exp(-z))))
    platt = model["platt"]  # how the model errs on an office it was not fitted on
    return 1 / (1 + math.exp(-(platt["a"] * math.log(raw / (1 - raw)) + platt["b"])))


def field_confidence(fields: dict[str, Any], provenance: dict, evidence: dict,
                     model: dict | None | bool = True) -> dict[str, float]:
    """``{field: 0-1}`` for every header field that has a value (``model=None``: the prior
    alone, as training compares)."""
    fitted = _model() if model is True else model or None
    out: dict[str, float] = {}
    for field in HEADER_FIELDS:
        value = fields.get(field)
        if not value:
            continue
        if fitted is None:
            conf = prior_confidence(field, value, fields, provenance, evidence)
        else:
            conf = probability(fitted, field, features(field, value, fields, provenance,
                                                        evidence))
        out[field] = round(max(0.0, min(1.0, conf)), 3)
    return out
