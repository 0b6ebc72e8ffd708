"""Cơ quan ban hành: the issuing body and its parent, from the left header column."""

from __future__ import annotations

import regex

from extractors.common import (
    TextLine,
    expand_abbreviations,
    fold,
    is_junk,
    sentence_case,
    squash,
)
from extractors.gazetteer import (
    SEATS,
    fix_unit_words,
    seat_units,
    settle_body_place,
    snap_places_in,
)
from extractors.organisations import is_catalogued, snap_organisation
from pipeline.core.document import Region

# Words that begin the name of a body; a header line not starting with one continues the
# previous line's name (``ỦY BAN NHÂN DÂN`` / ``THỊ TRẤN CHỢ VÀM`` is one body).
BODY_STARTS = (
    "uy ban", "ubnd", "hoi dong", "hdnd", "so ", "phong ", "cong an", "bo ", "van phong",
    "ban ", "chi cuc", "cuc ", "tong cuc", "trung tam", "truong ", "chinh phu", "thu tuong",
    "quoc hoi", "toa an", "vien ", "doan ", "tinh uy", "thanh uy", "huyen uy", "dang uy",
    "bo chi huy", "kho bac", "chi nhanh", "benh vien", "hoc vien", "dai hoc", "mat tran",
)
# the number line, V/v, the date or Kính gửi end the issuer; a speck may precede them
STOP_RE = regex.compile(r"^.{0,4}?\b(so\s*[:;.,]|so\s*\d|s[0-9e]\s*[:;.]|v\s*/\s*v|ngay|kinh\s*g)")


NUMBER_CODE_RE = regex.compile(r"\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?\p{Lu}{1,5}\s*-\s*\p{Lu}",
                                regex.IGNORECASE)


def find_issuer(lines: list[TextLine]) -> tuple[str | None, str | None]:
    header = [ln.text for ln in lines if ln.region is Region.HEADER_LEFT]
    if not header:  # text without layout: the lines before the number line
        header = []
        for ln in lines[:12]:
            f = fold(ln.text).strip()
            if STOP_RE.match(f):
                break
            header.append(_left_half(ln.text))
    bodies: list[str] = []
    for text in header:
        text = squash(regex.sub(r"^[^\p{L}]+", "", text))
        folded = fold(text).strip()
        if is_junk(text):
            continue
        if STOP_RE.match(folded) or NUMBER_CODE_RE.search(text):
            break  # the number line, however its Số was read (``Ố: 1695/BC-UBND``)
        if not regex.search(r"\p{L}{2,}", text) or regex.fullmatch(r"[\W_]+", text):
            continue
        if folded.startswith(("cong hoa", "doc lap")):
            continue
        if bodies and (not folded.startswith(BODY_STARTS)
                       or is_catalogued(f"{bodies[-1]} {text}")):
            # a wrapped name goes on even when its next line opens like a body
            # ("SỞ TÀI NGUYÊN VÀ MÔI" / "TRƯỜNG")
            bodies[-1] += " " + text
        else:
            bodies.append(text)
    # a body is named by a word bodies begin with, or is catalogued: noise a phone photo
    # left in the header column ("HẠ NIị . Huy Nị HÀ ĐÀN") names none and is no issuer
    bodies = [b for b in (_canonical_body(b) for b in bodies if len(b) > 3)
              if fold(b).lower().startswith(BODY_STARTS) or is_catalogued(b)]
    if not bodies:
        return None, None
    issuer = bodies[-1]
    parent = bodies[-2] if len(bodies) >= 2 else None
    return issuer, parent


def _left_half(text: str) -> str:
    """Plain text with both header columns on one line: keep the issuer's side."""
    folded = fold(text)
    match = regex.search(r"\s{2,}|c[o0]ng\s*h[o0]a|\b[dpđ][o0]c\s*l[a4]p\b|\btu\s*do\b", folded)
    return text[: match.start()] if match and match.start() > 3 else text


def _canonical_body(text: str) -> str:
    text = regex.sub(r"[-_]{2,}.*$", "", text).strip(" -_.:;,'`")
    # a speck read as a lone small letter at the end (``Cục Thủy lợi c``): no name ends so
    # (``Châu Thành A`` ends on a capital)
    text = regex.sub(r"(?:\s+\p{Ll})+$", "", text)
    return snap_organisation(
        snap_places_in(expand_abbreviations(sentence_case(fix_unit_words(
            settle_body_place(text)))))
    )


# a UBND is signed for by its Chủ tịch: a closing line ending in the title (KT. CHỦ TỊCH,
# PHÓ CHỦ TỊCH), however OCR spelt it (CH0TICH) — not a recipient "Chủ tịch UBND các xã"
CHAIR_RE = regex.compile(r"ch[uo0]\s*t[i1l]ch\W*$")
SELF_REFERENCES = 3  # "phòng chuyên môn thành phố", "Công an thành phố" ...


def infer_issuer(place: str | None, text: str) -> str | None:
    """The issuing UBND when the header was not read (cut off, under a stamp): the date
    line's place is where a body sits, a body calls its own unit by the bare word (``các
    phòng chuyên môn thành phố``, ``Công an thành phố``) and its Chủ tịch signs. Only a place
    that is the seat of exactly one unit, and only with all three signs."""
    if not place:
        return None
    units = [u for u in seat_units(place) if u in SEATS]
    if len(units) != 1:
        return None
    unit = units[0]
    bare = regex.findall(rf"{unit}(?!\s+\p{{Lu}})(?!\p{{L}})", text)
    signed = any(CHAIR_RE.search(fold(line)) for line in text.splitlines()[-15:])
    if len(bare) < SELF_REFERENCES or not signed:
        return None
    return f"Ủy ban nhân dân {unit} {place}"
