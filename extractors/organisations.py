"""Catalogue of state bodies (cơ quan, đơn vị) and snapping of OCR'd names onto it.

``data/organisations.tsv`` lists the bodies that issue, lead and partner in directives, by
their generic name (``Sở Giáo dục và Đào tạo``), kind and abbreviations (``Sở GDĐT``). A
name read from a page is snapped to the catalogue when a leading run of its words is a
near-exact fuzzy match (``Phòng An chính trị nội bộ`` → ``Phòng An ninh chính trị nội bộ``);
the rest of the name, usually the place, is kept as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from rapidfuzz import fuzz, process

from extractors.common import fold

CATALOGUE = Path(__file__).parent / "data" / "organisations.tsv"
SNAP_SCORE = 90.0  # near-exact: a correct name of another body must never be snapped


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str
    aliases: tuple[str, ...]


def _key(text: str) -> str:
    return " ".join(regex.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Organisation]:
    """Folded key → organisation, for names and abbreviations alike."""
    index: dict[str, Organisation] = {}
    for row in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        name, kind, aliases = (row.split("\t") + ["", ""])[:3]
        org = Organisation(name, kind, tuple(a for a in aliases.split(";") if a))
        index[_key(name)] = org
        for alias in org.aliases:
            index.setdefault(_key(alias), org)
    return index


def snap_organisation(name: str) -> str:
    """The catalogue's spelling of the body that ``name`` starts with, the rest unchanged."""
    words = name.split()
    index = catalogue()
    best: tuple[float, int, Organisation] | None = None
    for count in range(len(words), 0, -1):
        head = _key(" ".join(words[:count]))
        if len(head) < 4:
            break
        found = process.extractOne(head, index.keys(), scorer=fuzz.ratio)
        if found and found[1] >= SNAP_SCORE and (best is None or found[1] > best[0]):
            best = (found[1], count, index[found[0]])
            if found[1] == 100:
                break
    if best is None:
        return name
    _, count, org = best
    if _key(" ".join(words[:count])) in (_key(a) for a in org.aliases):
        return name  # an abbreviation stays as the document wrote it
    return " ".join([org.name, *words[count:]])
