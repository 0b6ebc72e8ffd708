"""Vietnamese text in the encodings before Unicode, saved as UTF-8 since: TCVN3 and VNI.

Most pre-2005 Vietnamese files were typed in TCVN3 (ABC, the .VnTime fonts: one byte per
marked letter) or VNI (VNI-Times: a letter then one byte for its marks). Opened as Windows
code page 1252 and saved again as UTF-8 they read ``Céng hßa x· héi chñ nghÜa ViÖt Nam``
(TCVN3) or ``Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam`` (VNI), and restoration would only
garble them further. Each candidate decoding is tried, and kept only when it turns many
more words into Vietnamese syllables than the text as it is: a Unicode text that happens to
hold ``é`` or ``ó`` is left alone.
"""

from __future__ import annotations

import unicodedata

import regex

from pipeline.core.validator import is_valid_syllable

# TCVN 5712:1993 (VN3) byte → letter; the capitals with a mark share the small letters'
# codes (a capitals font draws them), the seven below have their own
TCVN3_BYTES = {
    0xB8: "á", 0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB9: "ạ",
    0xA8: "ă", 0xBE: "ắ", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xC6: "ặ",
    0xA9: "â", 0xCA: "ấ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCB: "ậ",
    0xAE: "đ",
    0xD0: "é", 0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD1: "ẹ",
    0xAA: "ê", 0xD5: "ế", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD6: "ệ",
    0xDD: "í", 0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDE: "ị",
    0xE3: "ó", 0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE4: "ọ",
    0xAB: "ô", 0xE8: "ố", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE9: "ộ",
    0xAC: "ơ", 0xED: "ớ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xEE: "ợ",
    0xF3: "ú", 0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF4: "ụ",
    0xAD: "ư", 0xF8: "ứ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF9: "ự",
    0xFD: "ý", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFE: "ỵ",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
}
# each byte as code page 1252 shows it: every code above is 0xA1 or more, where cp1252 and
# Latin-1 are the byte's own code point
TCVN3 = {chr(b): letter for b, letter in TCVN3_BYTES.items()}

ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
# VNI: the byte after a letter and the marks it adds (small and capital forms)
VNI_TONES = {"ù": ACUTE, "ø": GRAVE, "û": HOOK, "õ": TILDE, "ï": DOT}
VNI_HATS = {"â": "", "á": ACUTE, "à": GRAVE, "å": HOOK, "ã": TILDE, "ä": DOT}  # â ê ô
VNI_BREVES = {"ê": "", "é": ACUTE, "è": GRAVE, "ú": HOOK, "ü": TILDE, "ë": DOT}  # ă
VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(sequence: str, base: str, marks: str) -> None:
        table[sequence] = unicodedata.normalize("NFC", base + marks)
        table[sequence.upper()] = unicodedata.normalize("NFC", base.upper() + marks)

    for vowel in "aeiouy":
        for mark, tone in VNI_TONES.items():
            add(vowel + mark, vowel, tone)
    for vowel in "aeo":
        for mark, tone in VNI_HATS.items():
            add(vowel + mark, vowel, CIRCUMFLEX + tone)
    for mark, tone in VNI_BREVES.items():
        add("a" + mark, "a", BREVE + tone)
    for mark, letter in VNI_LETTERS.items():
        add(mark, letter, "")
    for base, letter in (("ô", "o"), ("ö", "u")):  # ơ, ư with a tone after them
        for mark, tone in VNI_TONES.items():
            add(base + mark, letter, HORN + tone)
    return table


VNI = _vni_table()
VNI_RE = regex.compile("|".join(regex.escape(s) for s in sorted(VNI, key=len, reverse=True)))
MIN_GAIN = 0.25  # the share of syllable words a decoding must add to be believed


def from_tcvn3(text: str) -> str:
    # a heading typed in a capitals font (.VnTimeH) uses the small letters' codes: a line
    # whose plain letters are capitals is a line of capitals (CéNG HßA → CỘNG HÒA)
    lines = []
    for line in text.split("\n"):
        decoded = "".join(TCVN3.get(c, c) for c in line)
        plain = [c for c in line if c.isascii() and c.isalpha()]
        if len(plain) >= 4 and sum(c.isupper() for c in plain) >= 0.8 * len(plain):
            decoded = decoded.upper()
        lines.append(decoded)
    return "\n".join(lines)


def from_vni(text: str) -> str:
    return VNI_RE.sub(lambda m: VNI[m.group(0)], text)


def _syllable_share(text: str) -> float:
    words = regex.findall(r"\p{L}+", text)
    marked = [w for w in words if not w.isascii()]  # plain ASCII reads the same in all three
    if not marked:
        return 1.0
    return sum(1 for w in marked if is_valid_syllable(w.lower())) / len(marked)


def to_unicode(text: str) -> tuple[str, str | None]:
    """The text in Unicode, and the legacy encoding it was found in (None: it was not)."""
    if text.isascii():
        return text, None
    here = _syllable_share(text)
    best, name, share = text, None, here
    for candidate, decode in (("TCVN3", from_tcvn3), ("VNI", from_vni)):
        decoded = decode(text)
        found = _syllable_share(decoded)
        if found > share:
            best, name, share = decoded, candidate, found
    if name is None or share < here + MIN_GAIN:
        return text, None
    return unicodedata.normalize("NFC", best), name
