"""Which strings are legal Vietnamese syllables: onset + rhyme + tone, by the spelling rules.

A syllable is (onset)(rhyme), the tone written on the rhyme's main vowel. Rules checked:
- the onset is one of the 27 written onsets (or none);
- the rhyme is one of the written rhymes (vần), medial o/u included (oa, uyê ...);
- k, gh, ngh only before i, e, ê (y); c, g, ng never before them; q only as qu;
- rhymes closed by a stop (p, t, c, ch) take only the sắc or nặng tone;
- the tone sits on the main vowel: the one with a hat, horn or breve (hoặc, thuyền), else
  the last vowel before a final consonant (toàn), else the first of an open cluster (của,
  tài) or the one after a medial o/u (hòa, khỏe, thủy; old style hoà, thuỷ accepted).
Used to decide which tokens need repair, and tested against the corpus vocabulary.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

TONES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
ONSETS = sorted(
    ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c", "d", "đ", "g",
     "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""],
    key=len, reverse=True,
)
_RHYMES = """
a ai ao au ay am an ang anh ac ach ap at
ăm ăn ăng ăc ăp ăt
âm ân âng âc âp ât âu ây
e eo em en eng ec ep et
ê êu êm ên ênh êch êp êt
i ia iu im in inh ich ip it
iêm iên iêng iêc iêp iêt iêu
yêm yên yêng yêt yêu y
o oi om on ong oc op ot oong ooc
ô ôi ôm ôn ông ôc ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui um un ung uc up ut
uôi uôm uôn uông uôc uôt
ư ưa ưi ưu ưm ưn ưng ưc ưt
ươi ươu ươm ươn ương ươc ươp ươt
oa oai oay oan oang oanh oac oach oat oăm oăn oăng oăc oăt
oe oeo oen oet
uân uâng uât uây uê uênh uêch uy uya uyu uych uynh uyt uyn uyên uyêt uơ
"""
RHYMES = set(_RHYMES.split())
STOPS = ("p", "t", "c", "ch")
FRONT = ("i", "e", "ê", "y")


def tone_position(syllable: str) -> int | None:
    """Index (among the letters) of the letter that carries the tone mark, if any."""
    index = -1
    for c in unicodedata.normalize("NFD", syllable.lower()):
        if unicodedata.combining(c):
            if c in TONES:
                return index
        else:
            index += 1
    return None


HATTED = set("ăâêôơư")
VOWELS = set("aăâeêioôơuưy")


def _tone_places(rhyme: str) -> set[int]:
    """Where in ``rhyme`` (tone removed) a tone mark may stand."""
    vowels = [i for i, c in enumerate(rhyme) if c in VOWELS]
    hatted = [i for i in vowels if rhyme[i] in HATTED]
    if hatted:
        return {hatted[-1]}  # ươ: on ơ; uô: ô; iê: ê
    if rhyme[-1] not in VOWELS:
        return {vowels[-1]}
    if len(vowels) > 1 and rhyme[:2] in ("oa", "oe", "uy"):
        return {vowels[1]} | ({vowels[0]} if len(vowels) == 2 else set())  # hòa; old hoà
    return {vowels[0]}


def split_tone(syllable: str) -> tuple[str, str | None]:
    """``thủ`` → (``thu``, ``hỏi``): the letters with vowel marks kept, and the tone."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    tone = None
    letters = []
    for c in decomposed:
        if c in TONES:
            if tone is not None:
                return "", "twice"
            tone = TONES[c]
        else:
            letters.append(c)
    return unicodedata.normalize("NFC", "".join(letters)), tone


@lru_cache(maxsize=65536)
def is_valid_syllable(syllable: str) -> bool:
    base, tone = split_tone(syllable)
    if not base or tone == "twice":
        return False
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "qu":
            # the u of qu is the medial, spelled o or u elsewhere: quan ~ hoan, quyết ~ uyêt
            rhymes = [r for r in ("o" + rhyme, "u" + rhyme) if rhyme]
        elif onset == "gi":
            # gi shares its i with the rhyme: gì = gi + (i), giết = gi + (i)êt, gia = gi + a
            rhymes = [rhyme, "i" + rhyme]
        else:
            rhymes = [rhyme]
        if any(_legal(onset, r, tone) for r in rhymes) and _tone_placed(syllable, onset, rhyme):
            return True
    return False


def _tone_placed(syllable: str, onset: str, rhyme: str) -> bool:
    at = tone_position(syllable)
    if at is None:
        return True
    if not any(c in VOWELS for c in rhyme):  # gì, gìn: the i of gi is the vowel
        return onset == "gi" and at == len(onset) - 1
    return at - len(onset) in _tone_places(rhyme)


def _legal(onset: str, rhyme: str, tone: str | None) -> bool:
    if rhyme not in RHYMES:
        return False
    first = rhyme[0]
    if onset in ("k", "gh", "ngh") and first not in FRONT:
        return False
    if onset in ("c", "g", "ng") and first in FRONT and not (onset == "g" and rhyme == "i"):
        return False
    if onset and rhyme.startswith("y") and rhyme != "y":
        return False  # yê- only stands without onset (yên) or after u (uyên)
    if rhyme.endswith(STOPS) and tone not in ("sắc", "nặng"):
        return False
    return True
