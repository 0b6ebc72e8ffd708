"""Decide whether a PDF's own text layer is real Vietnamese text or junk.

Junk seen in archives: OCR layers without diacritics (``Ke hoach``), broken font maps that
drop every Vietnamese-specific letter (``  ể  so t th  t c h nh ch nh``), and layers that
hold only a digital-signature caption (``Thời gian ký: ...``).
"""

from __future__ import annotations

import unicodedata

import regex

from pipeline.core.syllables import MARKED_LETTERS

SIGNATURE_CAPTION = regex.compile(
    r"(Thời gian ký|Ký bởi|Signed by|Signature Not Verified|SAO Y|Email:|Cơ quan:).*",
    regex.IGNORECASE,
)
TOKEN = regex.compile(r"\p{L}+")
# a junk layer shows letters Vietnamese never writes (ä, ü)
VIETNAMESE_MARKED = MARKED_LETTERS
MAX_FOREIGN_SHARE = 0.02
MIN_LETTERS = 200
MIN_DIACRITIC_SHARE = 0.3
MAX_SINGLE_LETTER_SHARE = 0.15


def is_usable_text_layer(text: str) -> bool:
    text = unicodedata.normalize("NFC", text)
    body = "\n".join(
        line for line in text.splitlines() if not SIGNATURE_CAPTION.match(line.strip())
    )
    tokens = TOKEN.findall(body)
    letters = sum(len(t) for t in tokens)
    if letters < MIN_LETTERS:
        return False
    lowered = [t.lower() for t in tokens]
    with_marks = sum(1 for t in lowered if any(c in VIETNAMESE_MARKED for c in t))
    foreign = sum(1 for t in lowered if any(ord(c) > 127 and c not in VIETNAMESE_MARKED for c in t))
    single = sum(1 for t in tokens if len(t) == 1)
    if with_marks / len(tokens) < MIN_DIACRITIC_SHARE or foreign / len(tokens) > MAX_FOREIGN_SHARE:
        return False
    return single / len(tokens) <= MAX_SINGLE_LETTER_SHARE
