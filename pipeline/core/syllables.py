"""Vietnamese syllables: folding to base letters, tokenising text for the language model."""

from __future__ import annotations

import unicodedata

import regex

from pipeline.core.restore import normalize_text

BOUNDARY = "<s>"
WORD_RE = regex.compile(r"\p{L}+|[^\p{L}\s]+")
# every lower-case letter Vietnamese writes beyond ASCII
MARKED_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
VIETNAMESE_LETTERS = set("abcdeghiklmnopqrstuvxy") | MARKED_LETTERS


def fold(syllable: str) -> str:
    """``Thủ`` → ``thu``: lower case, no tone, no vowel marks, đ → d."""
    text = unicodedata.normalize("NFD", syllable.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def is_vietnamese_letters(token: str) -> bool:
    return all(c in VIETNAMESE_LETTERS for c in token)


# what Vietnamese text is written with: letters, digits and the punctuation of a directive
JUNK_CHARS = regex.compile(r"[^\p{L}\p{N}\s.,;:()\-/%&\"'“”–]")


def is_junk_token(token: str) -> bool:
    """A token a stamp or a scribble left in a line (``Œ†``, ``L*S:š``): a symbol no
    Vietnamese text uses, or a letter of another alphabet."""
    letters = [c for c in token.lower() if c.isalpha()]
    return bool(JUNK_CHARS.search(token)) or not all(
        c in VIETNAMESE_LETTERS or c.isascii() for c in letters)


def tokenize_for_lm(text: str) -> list[str]:
    """Lower-cased syllables; anything that is not a Vietnamese syllable (numbers, codes,
    punctuation, foreign words) becomes a boundary, so n-grams never span it."""
    out: list[str] = []
    for token in WORD_RE.findall(normalize_text(text).lower()):
        if token[0].isalpha() and is_vietnamese_letters(token) and len(token) <= 7:
            out.append(token)
        elif not out or out[-1] != BOUNDARY:
            out.append(BOUNDARY)
    return out
