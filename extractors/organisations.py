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


def is_catalogued(name: str) -> bool:
    """The name of a catalogued body, spelt in full or abbreviated, in any case."""
    return _key(name) in catalogue()


# words of the longest body's name (Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân
# tỉnh Bà Rịa - Vũng Tàu is 19)
LONGEST_NAME = 24


def snap_organisation(name: str) -> str:
    """The catalogue's spelling of the body that ``name`` starts with, the rest unchanged."""
    words = name.split()
    index = catalogue()
    best: tuple[float, int, Organisation, str] | None = None
    for count in range(min(len(words), LONGEST_NAME), 0, -1):  # no name is longer
        head = _key(" ".join(words[:count]))
        if len(head) < 4:
            break
        found = process.extractOne(head, index.keys(), scorer=fuzz.ratio)
        if found and found[1] >= SNAP_SCORE and (best is None or found[1] > best[0]):
            best = (found[1], count, index[found[0]], found[0])
            if found[1] == 100:
                break
    if best is None:
        return name
    _, count, org, matched = best
    alias = next((a for a in org.aliases if _key(a) == matched), None)
    if alias is not None:  # an abbreviation stays one (HĐNDvà UBND → HĐND và UBND)
        return name if _key(" ".join(words[:count])) == matched else " ".join(
            [alias, *words[count:]])
    return " ".join([org.name, *words[count:]])


# a body's name starts with one of these, capitalised (lower-case "ban" in "phòng, ban" does not)
BODY_START = regex.compile(
    r"(?:Sở|Phòng|UBND|Ủy ban|Công an|Văn phòng|Trung tâm|Ban|Bộ phận|Công chức|Hội|Đoàn|"
    r"Các|Chi cục|Kho bạc|Bảo hiểm|Trường|Thanh tra|Cục|Bộ|Đài|Liên đoàn|Mặt trận|Đại học)\b"
)


@lru_cache(maxsize=1)
def _nlp():  # noqa: ANN202 - spaCy's Language, imported lazily (1.5 s)
    """spaCy's Vietnamese pipeline (pyvi tokenizer) with an EntityRuler that knows every
    catalogue body and abbreviation, so a known name is never cut at its inner "và"."""
    import spacy

    nlp = spacy.blank("vi")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    names = {o.name for o in catalogue().values()} | {
        a for o in catalogue().values() for a in o.aliases
    }
    ruler.add_patterns([{"label": "ORG", "pattern": n} for n in sorted(names) if len(n) > 3])
    return nlp


def split_organisations(text: str) -> list[str]:
    """``Văn phòng HĐND và UBND thành phố; Các phòng, ban chuyên môn và UBND các xã`` →
    the bodies it names, each snapped to the catalogue's spelling."""
    text = " ".join(text.split())
    if not text:
        return []
    seps = [m for m in regex.finditer(r"\s*;\s*|\s*,\s+|\s+và\s+", text)
            if m.group().strip() == ";" or BODY_START.match(text, m.end())]
    if not seps or _key(text) in catalogue():  # one body: no need for the language pipeline
        return [snap_organisation(text.strip(" .;,-"))]
    protected = [(e.start_char, e.end_char) for e in _nlp()(text).ents]
    cuts = [0]
    for match in seps:
        inside = any(a < match.start() < b for a, b in protected)
        follows = BODY_START.match(text, match.end())
        if match.group().strip() == ";" or (follows and not inside):
            cuts += [match.start(), match.end()]
    cuts.append(len(text))
    pieces = [text[cuts[k] : cuts[k + 1]] for k in range(0, len(cuts), 2)]
    return [snap_organisation(p.strip(" .;,-")) for p in pieces if p.strip(" .;,-")]


# Thành phố trực thuộc trung ương: a "thành phố" of provincial rank (the others are huyện rank)
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
UNIT_LEVEL = {"tỉnh": "tinh", "thành phố": "huyen", "huyện": "huyen", "quận": "huyen",
              "thị xã": "huyen", "xã": "xa", "phường": "xa", "thị trấn": "xa", "đặc khu": "xa"}
PLACE_RE = regex.compile(
    r"(?i:\b(thành phố|thị trấn|thị xã|đặc khu|tỉnh|huyện|quận|xã|phường))\s+(\p{Lu}[\p{L}\s-]*)$"
)
LEVEL_ABOVE = {"xa": "huyen", "huyen": "tinh"}


@dataclass(frozen=True)
class BodyName:
    """What a body's name says about it: ``Ủy ban nhân dân huyện Phú Tân`` is a UBND
    (``kind``) of huyện rank (``level``) that names its place; ``Sở Nội vụ`` names none, so
    it is the Sở of whichever province the document comes from."""

    name: str  # the catalogue's spelling, abbreviations written out
    key: str  # folded, for matching any spelling
    kind: str | None
    level: str | None
    place: str | None  # the unit and its name: "huyện Phú Tân"

    @property
    def names_place(self) -> bool:
        return self.place is not None


def describe(name: str) -> BodyName:
    name = snap_organisation(" ".join(name.split()).strip(" .;,-"))
    words = name.split()
    index = catalogue()
    kind = None
    for count in range(len(words), 0, -1):  # the longest leading run the catalogue knows
        org = index.get(_key(" ".join(words[:count])))
        if org:
            name, kind = " ".join([org.name, *words[count:]]), org.kind
            break
    place = PLACE_RE.search(name)
    level = None
    if place:
        unit = place.group(1).lower()
        level = UNIT_LEVEL[unit]
        if unit == "thành phố" and _key(place.group(2)) in CENTRAL_CITIES:
            level = "tinh"
    return BodyName(name=name, key=_key(name), kind=kind, level=level,
                    place=f"{place.group(1).lower()} {place.group(2).strip()}" if place else None)
