"""Snap place names that OCR got almost right (``Hải Chấu`` → ``Hải Châu``) to the gazetteer.

The gazetteer (``data/places.tsv``, built by scripts/build_lexicon.py from the
vietnam-provinces package) lists every tỉnh, huyện and xã before and after the 2025 merger.
A name is replaced only when its diacritic-free form names exactly one spelling, so a
correct name is never changed into another place.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import regex

from extractors.common import ADMIN_UNITS, fold

PLACES = Path(__file__).parent / "data" / "places.tsv"
SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Đinh", "Lâm", "Mai", "Trịnh", "Cao", "Lưu",
    "Tô", "Hà", "Tạ", "Châu", "Thái", "Lương", "Quách", "Kiều", "Triệu", "Vương", "Chu", "La",
    "Phùng", "Từ", "Trương", "Tăng", "Lại", "Hứa", "Nông", "Âu", "Khuất", "Giang", "Tống",
    "Sơn", "Văn", "Lữ", "Diệp", "Đàm", "Thạch", "Kim", "Nghiêm", "Quan", "Mạc", "Tiêu",
]
SURNAME_BY_FOLD = {fold(s): s for s in SURNAMES}


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, set[str]]]:
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in PLACES.read_text(encoding="utf-8").splitlines():
        unit, _, name = row.partition("\t")
        index[fold(name)][name].add(unit)
    return index


def is_known_place(name: str) -> bool:
    """Whether a place name is in the gazetteer (any unit, folded)."""
    return fold(name) in _index()


def snap_place(name: str, unit: str | None = None) -> str:
    options = _index().get(fold(name))
    if not options or name in options:
        return name
    if unit:
        with_unit = [n for n, units in options.items() if unit.lower() in units]
        if len(with_unit) == 1:
            return _keep_case(name, with_unit[0])
    if len(options) == 1:
        return _keep_case(name, next(iter(options)))
    return name


SEATS = {"tỉnh", "thành phố", "quận", "huyện", "thị xã", "đặc khu"}  # where offices sit


def seat_units(name: str) -> set[str]:
    """The kinds of unit a place name is (``Hà Tiên`` → thành phố, phường)."""
    return set(_index().get(fold(name), {}).get(name, set()))


def snap_place_fuzzy(name: str, unit: str | None) -> str:
    """OCR that broke a letter (``Chq Vàm``, ``Hd Tiện``): the place (of that unit, when
    known) whose folded name is at least 85% alike, when exactly one clearly is. Without a
    unit, provinces and districts are tried first: most documents are dated at the seat of
    a province or district office, and among 8,000 communes a broken name has many twins."""
    from rapidfuzz import fuzz, process

    if fold(name) in _index():
        return snap_place(name, unit)
    near = {k: names for k, names in _index().items() if abs(len(k) - len(name)) <= 2}
    tiers = [{unit}] if unit else [SEATS, None]
    for tier in tiers:
        keys = [k for k, names in near.items()
                if tier is None or any(u & tier for u in names.values())]
        hits = process.extract(fold(name), keys, scorer=fuzz.ratio, score_cutoff=80 if tier
                               else 85, limit=2)
        if len(hits) == 1 or (len(hits) == 2 and hits[0][1] - hits[1][1] >= 8):
            return snap_place(next(iter(_index()[hits[0][0]])), unit)
        if hits and tier is not None and not unit:
            return name  # two districts alike: do not guess
    return name


# a unit's name with its spaces taken out, as the compact search below reads it
COMPACT_UNITS = {regex.sub(r"\s", "", fold(u)): u for u in
                 (*ADMIN_UNITS, "đặc khu")}
BODY_PLACE_SCORE = 88  # the compact place against a gazetteer name, fuzz.ratio


@lru_cache(maxsize=1)
def _compact_by_unit() -> dict[str, dict[str, set[str]]]:
    """unit → {compact folded name: spellings} (``xã`` → ``{"vinhhoahung": {"Vĩnh Hòa Hưng"}}``)."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for spellings in _index().values():  # the gazetteer as read once
        for name, units in spellings.items():
            for unit in units:
                index[unit][_compact(name)].add(name)
    return index


def _compact(text: str) -> str:
    return "".join(fold(c) for c in text if c.isalpha())


def settle_body_place(name: str) -> str:
    """The place a body's name ends with, read through specks and glue: ``Ủy ban nhân dân
    xã Thanh: ngọc. x`` → ``… xã Thanh Ngọc``, ``Ủy ban nhân dân tỉnhthừa thiên huế`` →
    ``… tỉnh Thừa Thiên Huế``, ``Ubndtỉnhbắcnnh`` → ``Ubnd tỉnh Bắc Ninh``. The letters
    after a unit word (its spaces, marks and punctuation dropped) are compared with the
    gazetteer's places of that unit; one clearly alike (fuzz.ratio ≥ 88, the next at least
    8 below) replaces them. A copier's specks read as ``.`` ``:`` ``'`` and a lost space are
    what this undoes; a name the gazetteer does not know is kept as read."""
    from rapidfuzz import fuzz, process

    letters = [(i, fold(c)) for i, c in enumerate(name) if c.isalpha()]
    compact = "".join(c for _, c in letters)
    starts = [(m.start(), m.end(), unit) for key, unit in COMPACT_UNITS.items()
              for m in regex.finditer(key, compact) if m.start() > 0]
    # ``xã`` inside ``thị xã`` is no unit of its own
    starts = [s for s in starts if not any(o[0] < s[0] and s[1] <= o[1] for o in starts)]
    found: list[tuple[bool, int, str, set[str]]] = []
    for start, end, unit in starts:
        rest, places = compact[end:], _compact_by_unit().get(unit, {})
        if len(rest) < 3:
            continue
        if rest in places:  # already the gazetteer's letters
            found.append((True, start, unit, places[rest]))
            continue
        hits = process.extract(rest, list(places), scorer=fuzz.ratio,
                               score_cutoff=BODY_PLACE_SCORE, limit=2)
        if hits and (len(hits) == 1 or hits[0][1] - hits[1][1] >= 8):
            found.append((False, start, unit, places[hits[0][0]]))
    if not found:
        return name
    _, start, unit, spellings = max(found, key=lambda f: (f[0], f[1]))  # exact, then last
    if len(spellings) != 1:
        return name
    at = letters[start][0]
    spelt = next(iter(spellings))
    if name[at:].isupper():
        unit, spelt = unit.upper(), spelt.upper()
    head = name[:at].rstrip(" .,:;'`_-")
    return f"{head} {unit} {spelt}"


def _keep_case(original: str, canonical: str) -> str:
    return canonical.upper() if original.isupper() else canonical


VOWEL_CLASS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ",
}


def _loose(word: str) -> str:
    """A pattern matching ``word`` with any tone or vowel mark: OCR's favourite mistake."""
    return "".join(f"[{VOWEL_CLASS[c]}]" if c in VOWEL_CLASS else regex.escape(c)
                   for c in fold(word))


LOOSE_UNIT_RE = regex.compile(
    r"\b((?i:" + "|".join(r"\s+".join(_loose(w) for w in u.split()) for u in ADMIN_UNITS) +
    r"))(?=\s+\p{Lu})"
)
UNIT_BY_FOLD = {fold(u): u for u in ADMIN_UNITS}


def fix_unit_words(text: str) -> str:
    """``thành phó Đà Nẵng`` → ``thành phố Đà Nẵng`` (the unit word before a place name)."""
    def fix(match: regex.Match) -> str:
        unit = UNIT_BY_FOLD[regex.sub(r"\s+", " ", fold(match.group(1)))]
        return unit.upper() if match.group(1).isupper() else unit

    return LOOSE_UNIT_RE.sub(fix, text)


UNIT_NAME_RE = regex.compile(
    r"(?i)\b(" + "|".join(ADMIN_UNITS) + r")\s+((?:\p{Lu}[\p{L}]*\s?){1,4})"
)


def snap_places_in(text: str) -> str:
    """Snap every ``<unit> <Name>`` in a phrase: ``quận Hải Chấu`` → ``quận Hải Châu``."""

    def fix(match: regex.Match) -> str:
        unit, words = match.group(1), match.group(2).rstrip().split(" ")
        for n in range(len(words), 0, -1):
            head = " ".join(words[:n])
            snapped = snap_place(head, unit) if n < len(words) else snap_place_fuzzy(head, unit)
            if snapped != head or fold(head) in _index():
                rest = " ".join(words[n:])
                tail = match.group(2)[len(match.group(2).rstrip()):]
                return f"{unit} {snapped}" + (f" {rest}" if rest else "") + tail
        return match.group(0)

    return UNIT_NAME_RE.sub(fix, fix_unit_words(text))


NAMES = Path(__file__).parent / "data" / "names.tsv"
NAME_SUPPORT = 3.0  # names a variant must be used in to replace a reading no name uses


@lru_cache(maxsize=1)
def _name_syllables() -> dict[str, tuple[int, int]]:
    """``{syllable: (names using it as tên đệm, as tên)}`` (scripts/build_lexicon.py)."""
    out: dict[str, tuple[int, int]] = {}
    for row in NAMES.read_text(encoding="utf-8").splitlines():
        syllable, middle, given = row.split("\t")
        out[syllable] = (int(middle), int(given))
    return out


@lru_cache(maxsize=1)
def _names_by_fold() -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for syllable in _name_syllables():
        index[fold(syllable)].append(syllable)
    return index


def name_count(syllable: str, given: bool) -> float:
    """How common a syllable is in Vietnamese names at its place, the other place at half
    weight: ``Tuấn`` is a name, ``Tuần`` (a week) is not (0)."""
    middle_count, given_count = _name_syllables().get(syllable, (0, 0))
    return (given_count + middle_count / 2) if given else (middle_count + given_count / 2)


def _nearest_name(syllable: str, given: bool) -> str | None:
    """The commonest name syllable with the same letters (``Hiên`` → ``Hiền``), else one
    letter away (``Hễng`` → ``Hồng``), beginning with the letter OCR read."""
    key = fold(syllable)
    options = list(_names_by_fold().get(key, []))
    if not options and len(key) >= 3:
        options = [s for k, group in _names_by_fold().items()
                   if len(k) == len(key) and sum(a != b for a, b in zip(k, key, strict=True)) == 1
                   for s in group]
    # OCR garbles marks, not the first letter: Đương is no Dương (a rare name stays)
    # and a variant as rare as the reading is no reason to overrule it (Đương, not Đường)
    options = [s for s in options if s[:1].lower() == syllable[:1].lower()
               and name_count(s, given) >= NAME_SUPPORT]
    return max(options, key=lambda s: (name_count(s, given), s), default=None)


def snap_person(name: str) -> str:
    """A person's name as the name lexicon knows it: the family name (họ) snapped
    (``Lầm Quốc Quyết`` → ``Lâm Quốc Quyết``), then each later syllable that no Vietnamese
    name uses replaced by the commonest name spelt with the same letters (``Hễng`` →
    ``Hồng``, ``Chỉnh`` → ``Chính``); a syllable that is a name is kept, however rare."""
    words = name.split(" ")
    if len(words) < 2:
        return name
    surname = SURNAME_BY_FOLD.get(fold(words[0]))
    out = [surname or words[0]]
    for i, word in enumerate(words[1:], start=1):
        if not _names_use(words, i):
            word = _nearest_name(word, i == len(words) - 1) or word
        out.append(word)
    return " ".join(out)


def _names_use(words: list[str], i: int) -> bool:
    """Whether Vietnamese names use the syllable ``words[i]`` (after the family name) at its
    place; a second family name right after the first counts (``Nguyễn Trần Anh``)."""
    return name_count(words[i], i == len(words) - 1) > 0 or (
        i == 1 and fold(words[i]) in SURNAME_BY_FOLD)


def name_plausibility(name: str) -> float:
    """Share of a name's syllables a Vietnamese name uses at their place (the family name
    against the surnames): 1.0 for ``Nguyễn Hồng Thanh``, 0 for ``Ýa A``."""
    words = name.split(" ")
    if len(words) < 2:
        return 0.0
    known = [fold(words[0]) in SURNAME_BY_FOLD] + [_names_use(words, i)
                                                    for i in range(1, len(words))]
    return sum(known) / len(known)


DISTRICTS = Path(__file__).parent / "data" / "districts.tsv"


@lru_cache(maxsize=1)
def _provinces_by_district() -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for row in DISTRICTS.read_text(encoding="utf-8").splitlines():
        district, _, province = row.partition("\t")
        index[fold(district).lower()].add(province)
    return index


def province_of(district: str) -> str | None:
    """``thành phố Hà Tiên`` → ``tỉnh Kiên Giang``: the tỉnh a huyện-rank unit belonged to
    (before the 2025 merger), when only one has a unit of that name (eleven provinces have
    a ``huyện Châu Thành``)."""
    provinces = _provinces_by_district().get(fold(" ".join(district.split())).lower(), set())
    return next(iter(provinces)) if len(provinces) == 1 else None


CENTRAL_RE = regex.compile(r"^(?:Bộ|Cục|Tổng cục|Chính phủ|Thủ tướng|Văn phòng Chính phủ|Ban)\b")


def issuer_localities(*names: str | None) -> list[str]:
    """Where the offices named sit, the issuer's own first: the place name inside
    ``Ủy ban nhân dân huyện Lấp Vò``; Hà Nội for a ministry or its Cục (central bodies are
    seated in the capital)."""
    from extractors.organisations import PLACE_RE  # the unit and the place a body names

    found: list[str] = []
    for name in names:
        if not name:
            continue
        match = PLACE_RE.search(name)
        if match:
            found.append(match.group(2).strip())
        elif CENTRAL_RE.match(name):
            found.append("Hà Nội")
    return list(dict.fromkeys(found))


def settle_place(place: str | None, head: str | None, localities: list[str]) -> str | None:
    """A document is dated where its issuer sits (Decree 30/2020, annex I: the place is the
    unit where the office has its seat), so the text before ``, ngày`` is compared with the
    issuer's locality: a place cut short by an interleaved header (``Vò`` of ``Lấp Vò``),
    glued or broken by OCR (``ThuaThien Hue``, ``NghQ An``, ``Hà N6i``) becomes that
    locality. A place that is not alike any of them is kept as read: an office may date a
    paper elsewhere."""
    from rapidfuzz import fuzz

    text = regex.sub(r"[^\p{L}\d]", "", fold(head or place or ""))
    if not text or not localities:
        return place
    best, best_score = None, 0.0
    for locality in localities:
        key = regex.sub(r"[^\p{L}]", "", fold(locality))
        # the place ends right before the date: compare the tail of the head, a letter
        # or two longer or shorter for a glued or lost character
        score = max(fuzz.ratio(key, text[-n:]) for n in range(max(1, len(key) - 2),
                                                                 len(key) + 3))
        if score > best_score:
            best, best_score = locality, score
    if best is not None and best_score >= 80:
        return best
    return place
