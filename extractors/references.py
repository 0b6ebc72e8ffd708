"""Văn bản được trích dẫn: every cited document number, with its type, date and issuer."""

from __future__ import annotations

import regex

from extractors.common import (
    CENTRAL_BODIES,
    ISSUER_CODES,
    KNOWN_CODES,
    NUMBER_RE,
    TYPE_CODES,
    TYPE_NAMES,
    canonical_number,
    expand_abbreviations,
    find_date,
    fold,
    squash,
    type_of_number,
)

FOLDED_TYPES = sorted(((fold(n), n) for n in TYPE_NAMES), key=lambda p: -len(p[0]))
FOLDED_BODIES = sorted(((fold(n), c) for n, c in CENTRAL_BODIES.items()), key=lambda p: -len(p[0]))
_TYPE_ALTERNATIVES = "|".join(sorted((c for c in TYPE_CODES if len(c) > 1), key=len, reverse=True))
# how OCR breaks a symbol in running text: the slash lost (93NQ-CP), the hyphen doubled at a
# line end (NĐ- -CP), a code split by a space (4869/U BND-SYT)
SLASH_LOST_RE = regex.compile(rf"(?<![\p{{L}}\d/])(\d{{1,5}})({_TYPE_ALTERNATIVES})(?=\s*-\s*\p{{Lu}})")
DOUBLE_HYPHEN_RE = regex.compile(r"(?<=/[\p{L}\d&]*\p{Lu}[\p{L}\d&]*)\s*-\s*-\s*(?=\p{L})")
STRAY_BAR_RE = regex.compile(r"(?<=\d/\p{Lu}{1,3})[1|](?=\p{Lu}[\p{L}]*\s*-)")
SPLIT_CODE_RE = regex.compile(r"(?<=\d/)(\p{Lu}{1,4}) (\p{Lu}{1,5})(?=\s*-)")
ISSUER_RE = regex.compile(r"^\s*(?:của|cua)\s+([^,;.()]{3,80}?)(?=\s+(?:về|ve|v/v|quy|ban|phê)\b|[,;.()]|$)")


def find_references(text: str, own_number: str | None) -> list[dict]:
    refs: dict[str, dict] = {}
    text = repair_symbols(text)
    for match in NUMBER_RE.finditer(text):
        number = _snap_codes(canonical_number(match.group(0)), own_number)
        if not number or number == own_number or not _looks_like_symbol(number):
            continue
        before = fold(text[max(0, match.start() - 40) : match.start()])
        doc_type = next((name for key, name in FOLDED_TYPES if key in before), None)
        doc_type = doc_type or type_of_number(number)
        after = text[match.end() : match.end() + 160]
        date, dmatch = find_date(after[:45])
        issuer = None
        tail = after[dmatch.end():] if dmatch is not None else after
        imatch = ISSUER_RE.match(tail)
        if imatch:
            issuer = expand_abbreviations(squash(imatch.group(1)))
            number = _with_body_code(number, issuer)
        ref = {"number": number, "doc_type": doc_type, "date": date, "issuer": issuer}
        if number in refs:  # keep the fullest description of a number cited twice
            for key, value in ref.items():
                refs[number][key] = refs[number][key] or value
        else:
            refs[number] = ref
    # a symbol cut at a line end (31/2021/QĐ) is the same citation as its whole form
    return [ref for number, ref in refs.items()
            if not any(other.startswith(number + "-") for other in refs)]


def repair_symbols(text: str) -> str:
    """Mend the ways OCR breaks a cited symbol so NUMBER_RE sees it whole."""
    text = SLASH_LOST_RE.sub(r"\1/\2", text)
    text = DOUBLE_HYPHEN_RE.sub("-", text)
    text = STRAY_BAR_RE.sub("", text)

    def join(match: regex.Match) -> str:
        whole = match.group(1) + match.group(2)
        return whole if whole in KNOWN_CODES or whole in ISSUER_CODES else match.group(0)

    return SPLIT_CODE_RE.sub(join, text)


def _snap_codes(number: str | None, own_number: str | None) -> str | None:
    """A code read without its Đ (DHĐL) that the document's own number spells (ĐHĐL) is that
    code: the office cites its own papers most."""
    if not number or not own_number:
        return number
    own = {fold(code): code for code in regex.split(r"[/-]", own_number) if code}
    head, _, symbol = number.rpartition("/")
    codes = [own.get(fold(code), code) for code in symbol.split("-")]
    return f"{head}/{'-'.join(codes)}"


def _with_body_code(number: str, issuer: str) -> str:
    """``28/2025/QĐ`` cited as "của Thủ tướng Chính phủ" → ``28/2025/QĐ-TTg``: a central
    symbol (number/year/type-body) whose body code was lost is completed from the body's name."""
    parts = number.split("/")
    if len(parts) != 3 or parts[2] not in TYPE_CODES:
        return number
    folded = fold(issuer)
    code = next((c for name, c in FOLDED_BODIES if folded.startswith(name)), None)
    return f"{number}-{code}" if code else number


def _looks_like_symbol(number: str) -> bool:
    """``354/QĐ-UBND`` yes; ``12/12`` or ``5/năm`` no: a symbol has a capitalised code."""
    symbol = number.split("/")[-1]
    return bool(regex.match(r"^\p{Lu}[\p{L}&]*", symbol)) and any(c.isupper() for c in symbol[:3])
