"""Text normalisation applied to everything vanban stores or compares.

- NFC (decomposed input is common in PDFs and the corpus);
- look-alike characters (Icelandic eth ``Ð`` for ``Đ``, typographic quotes and dashes);
- old-style → new-style tone placement: ``hoà``→``hòa``, ``Uỷ``→``Ủy``, ``thuỷ``→``thủy``
  (Nghị định 30/2020 documents use the new style; comparisons must not depend on it).
"""

from __future__ import annotations

import unicodedata

import regex

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# (curly quotes stay: a subject quotes a programme's name as the document prints it)
LOOKALIKES = str.maketrans({
    "Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɗ": "đ",
    "\u2013": "-", "\u2014": "-", "\u00a0": " ",
})
# oa/oe/uy closing a syllable (no final consonant), not after q (qu- is an onset: quý)
# (marks taken whole: a dot below sorts before a breve in NFD, and "hoặc" must not be
# split as "họ" + "ă" + "c")
OLD_STYLE = regex.compile(
    r"(?<![qQ])([oOuU])([aAeEyY])(\p{Mn}*+)(?![\p{L}\p{Mn}])"
)


def _move_tone(match: regex.Match) -> str:
    first, second, marks = match.group(1), match.group(2), match.group(3)
    tones = "".join(m for m in marks if m in TONE_MARKS)
    others = "".join(m for m in marks if m not in TONE_MARKS)
    if not tones or others:  # oă, uê-like shapes are not old-style placements
        return match.group(0)
    if second in "yY" and first in "oO":
        return match.group(0)  # "oy" is not a Vietnamese rhyme
    if second in "aAeE" and first in "uU":
        return match.group(0)  # ua, ue: tone stays where it is
    return first + tones + second


def repair_date_slashes(token: str) -> str:
    """``1910212024`` → ``19/02/2024``: the English model reads ``/`` as ``1``. Only a
    string of digits that reads as exactly one valid date in this way is changed."""
    if not token.isdigit() or not 7 <= len(token) <= 10:
        return token
    found = set()
    for a in (1, 2):
        for b in (1, 2):
            day, month, year = token[:a], token[a + 1 : a + 1 + b], token[a + 2 + b :]
            if (len(token) == a + b + 6 and token[a] == "1" and token[a + 1 + b] == "1"
                    and year[:2] in ("19", "20") and _is_date(int(day), int(month), int(year))):
                found.add(f"{day}/{month}/{year}")
    return found.pop() if len(found) == 1 else token


# pen digits OCR read as a capital and a symbol no code holds, before the code's slash
# (``2/T§/STTTT-CNTT``: ``T§`` is the pen's 75): the one pattern of it (the pen zone of
# pipeline.ocr.handwriting ends after it, extractors.common drops it from the number)
PEN_INK = r"[^\s/⁄]{0,3}[^\p{L}\d\s/⁄-][^\s/⁄]{0,2}"

# the parts of document codes OCR or a keyboard without Vietnamese spell wrong: the Đ lost,
# the lower-case letters raised (the one table of them: extractors.common uses it too).
# DA and HD are left alone: Dự án/Đề án and Hướng dẫn/Hợp đồng clash.
CODE_PARTS: dict[str, str] = {
    "QD": "QĐ", "ND": "NĐ", "HDND": "HĐND", "QYD": "QyĐ", "CTR": "CTr", "TTR": "TTr",
    "CD": "CĐ", "TTG": "TTg", "BGDDT": "BGDĐT", "SGDDT": "SGDĐT", "GDDT": "GDĐT",
    "BNNPTNT": "BNNPTNT", "LDTBXH": "LĐTBXH", "BLDTBXH": "BLĐTBXH", "SLDTBXH": "SLĐTBXH",
    "DHDCD": "ĐHĐCĐ", "DU": "ĐU", "DTN": "ĐTN", "KHDT": "KHĐT",
}
CODE_RE = regex.compile(r"^\d+(?:/\d{4})?/[A-Z0-9Đ]+(?:-[A-Z0-9Đ]+)*$")


def repair_code(token: str) -> str:
    """``354/QD-UBND`` → ``354/QĐ-UBND``: only the Đ of known code parts is restored."""
    if not CODE_RE.match(token):
        return token
    head, _, code = token.rpartition("/")
    parts = [CODE_PARTS.get(p, p) for p in code.split("-")]
    return f"{head}/{'-'.join(parts)}"


def _is_date(day: int, month: int, year: int) -> bool:
    import datetime as dt

    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def new_style_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", OLD_STYLE.sub(_move_tone, decomposed))


# an abbreviation glued to the next word (HĐNDvà, UBNDtỉnh): three capitals never run into
# two lower-case letters inside one word (codes such as CTrTT have one)
GLUED_CAPS = regex.compile(r"(?<!\p{L})(\p{Lu}{3,})(?=\p{Ll}{2,})")
GLUED_BEFORE_CAPS = regex.compile(r"(?<=(?<!\p{L})\p{Ll}{2,})(?=\p{Lu}{3,}(?!\p{Ll}))")  # vàUBND


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(LOOKALIKES)
    return GLUED_BEFORE_CAPS.sub(" ", GLUED_CAPS.sub(r"\1 ", new_style_tones(text)))
