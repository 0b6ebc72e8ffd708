"""Văn bản được trích dẫn: every cited document number, with its type, date and issuer."""

from __future__ import annotations

import regex

from extractors.common import (
    NUMBER_RE,
    TYPE_NAMES,
    canonical_number,
    expand_abbreviations,
    find_date,
    fold,
    squash,
    type_of_number,
)

FOLDED_TYPES = sorted(((fold(n), n) for n in TYPE_NAMES), key=lambda p: -len(p[0]))
ISSUER_RE = regex.compile(r"^\s*(?:của|cua)\s+([^,;.()]{3,80}?)(?=\s+(?:về|ve|v/v|quy|ban|phê)\b|[,;.()]|$)")


def find_references(text: str, own_number: str | None) -> list[dict]:
    refs: dict[str, dict] = {}
    for match in NUMBER_RE.finditer(text):
        number = canonical_number(match.group(0))
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
        ref = {"number": number, "doc_type": doc_type, "date": date, "issuer": issuer}
        if number in refs:  # keep the fullest description of a number cited twice
            for key, value in ref.items():
                refs[number][key] = refs[number][key] or value
        else:
            refs[number] = ref
    # a symbol cut at a line end (31/2021/QĐ) is the same citation as its whole form
    return [ref for number, ref in refs.items()
            if not any(other.startswith(number + "-") for other in refs)]


def _looks_like_symbol(number: str) -> bool:
    """``354/QĐ-UBND`` yes; ``12/12`` or ``5/năm`` no: a symbol has a capitalised code."""
    symbol = number.split("/")[-1]
    return bool(regex.match(r"^\p{Lu}[\p{L}&]*", symbol)) and any(c.isupper() for c in symbol[:3])
