"""Catalogue of indicators (chỉ tiêu) and linking of a target's wording to one of them.

Provinces copy the same indicators from national decisions (766/QĐ-TTg, 01/NQ-CP, 02/NQ-CP)
into their plans, each with its own wording and OCR damage. ``data/indicators.tsv`` lists
them once; a target links to the entry its folded wording is closest to, so the same
indicator can be compared across documents. Unknown indicators stay unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from rapidfuzz import fuzz, process

from extractors.common import fold

CATALOGUE = Path(__file__).parent / "data" / "indicators.tsv"
LINK_SCORE = 72.0  # token_sort_ratio of folded wordings; OCR-damaged rows score 75-90
MARGIN = 4.0  # ahead of the runner-up, or the wording is ambiguous between two indicators


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    source: str


def indicator_key(text: str) -> str:
    """Folded, ``TTHC`` spelled out, punctuation dropped: how wordings are compared."""
    key = regex.sub(r"(?i)\btthc\b", "thu tuc hanh chinh", fold(text))
    key = regex.sub(r"\bty\s*le\b|\bti\s*le\b", "ty le", key)
    return " ".join(regex.sub(r"[^a-z0-9]+", " ", key).split())


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    index: dict[str, Indicator] = {}
    for row in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            code, name, source = (row.split("\t") + [""])[:3]
            index[indicator_key(name)] = Indicator(code, name, source)
    return index


def link_indicator(wording: str) -> tuple[Indicator | None, float]:
    """The catalogue entry ``wording`` names, with its score, or (None, best score)."""
    key = indicator_key(wording)
    if len(key) < 8:
        return None, 0.0
    found = process.extract(key, catalogue().keys(), scorer=fuzz.token_sort_ratio, limit=2)
    if not found:
        return None, 0.0
    best = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0.0
    if best[1] >= LINK_SCORE and best[1] - runner_up >= MARGIN:
        return catalogue()[best[0]], float(best[1])
    return None, float(best[1])
