"""A rendered document as another OCR engine's ``.txt`` export would give it.

What archives already hold (the two seeds in ../shared/seeds are real examples): the two
header columns on one line (``ỦY BAN NHÂN DÂN HUYỆN TỨ KỲ  CỘNG HÒA XÃ HỘI …``), the
template words garbled by an English model (``CQNG HOA``, ``DOc l6p``, ``sb:``, ``,gdy``),
marks dropped or turned into digits, codes in lower case, the signature block beside the
recipients list.
"""

from __future__ import annotations

import random
import unicodedata
from itertools import zip_longest

# what an English-trained model writes for a Vietnamese letter (seeds: Ti€n, c6ng, CQNG)
CONFUSIONS = {
    "ộ": "Q6o", "ô": "6o", "ố": "6o", "ồ": "6o", "ổ": "6o", "ơ": "o", "ờ": "o", "ớ": "o",
    "ợ": "q", "ư": "u", "ữ": "u", "ứ": "u", "ừ": "u", "ự": "y", "ă": "a", "ắ": "a", "ằ": "a",
    "ặ": "a", "â": "A", "ấ": "A", "ầ": "A", "ậ": "a", "ẩ": "a", "ệ": "Q", "ế": "€6", "ề": "6",
    "ể": "e", "ê": "e", "đ": "d", "Đ": "DP", "á": "6a", "à": "a", "ả": "a", "ã": "a",
    "ạ": "a", "í": "i", "ì": "i", "ỉ": "i", "ị": "!i", "ó": "6", "ò": "o", "ỏ": "o",
    "õ": "o", "ọ": "q", "ú": "u", "ù": "u", "ủ": "u", "ũ": "u", "ụ": "q", "ý": "y",
    "ỳ": "y", "ỷ": "y", "ỹ": "y", "ỵ": "y", "Ộ": "Q", "Ô": "O", "Ư": "U", "Ơ": "O",
    "Ệ": "P", "Ầ": "A", "Ủ": "U", "Ò": "O", "Ĩ": "I", "Ố": "O", "Á": "A", "Ậ": "A",
}
TEMPLATE_STARTS = ("CỘNG HÒA", "Độc lập", "Số:", "Kính gửi", "Nơi nhận", "V/v")


def garble(text: str, rng: random.Random, rate: float) -> str:
    """Each Vietnamese letter, with probability ``rate``, as an English model reads it."""
    out = []
    for ch in text:
        if ch in CONFUSIONS and rng.random() < rate:
            out.append(rng.choice(CONFUSIONS[ch]))
        elif ch == " " and rng.random() < rate / 6:
            continue  # a space lost
        else:
            out.append(ch)
    return "".join(out)


def strip_marks(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")


def other_engine_text(regions: list[dict[str, list[str]]], rng: random.Random) -> str:
    """The pages as one engine's text: header and closing columns side by side on a line,
    template lines garbled hard, the rest lightly; a third of documents without marks."""
    marks = rng.random() < 0.67
    light = rng.choice([0.0, 0.03, 0.08])

    def read(line: str) -> str:
        hard = line.lstrip().startswith(TEMPLATE_STARTS) or ", ngày " in line
        text = garble(line, rng, 0.45 if hard else light)
        text = text if marks else strip_marks(text)
        return _lower_codes(text) if rng.random() < 0.3 else text  # 1532 /ubnd-vp

    pages = []
    for page in regions:
        def column(name: str) -> list[str]:
            return [read(line) for line in page.get(name, [])]  # noqa: B023
        lines = _side_by_side(column("header_left"), column("header_right"), rng)
        lines += column("body")
        lines += _side_by_side(column("closing_left"), column("closing_right"), rng)
        pages.append("\n".join(lines))
    return "\f".join(pages)


def _side_by_side(left: list[str], right: list[str], rng: random.Random) -> list[str]:
    """Two columns read as one: each visual row's left and right text on one line."""
    gap = " " * rng.randint(1, 6)
    return [f"{a}{gap}{b}".strip() for a, b in zip_longest(left, right, fillvalue="")]


def _lower_codes(text: str) -> str:
    words = text.split(" ")
    return " ".join(w.lower() if "/" in w and "-" in w and w[:1].isdigit() else w
                    for w in words)
