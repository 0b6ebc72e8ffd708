"""Sổ đăng ký văn bản đi: one office's numbers rise with its dates, so its documents vote.

An office numbers what it sends in one running sequence a year (Decree 30/2020, art. 15:
"số thứ tự … trong một năm"), so among the documents of one office and one year a later
date carries a higher number. A pen-written số the digit reader was unsure of (``268`` or
``2678``) is decided by the office's other documents whose numbers and dates are sure, and
by the numbers and dates their texts cite (``Căn cứ Thông báo số 2065/TB-ĐHĐL ngày
22/3/2025``); a citation of one reading with this document's very date names it. Offices
that keep several registers (one for Quyết định, one for Công văn) break the rule: so only
the office's code is the key, anchors that contradict each other are left out, and a vote
never makes a number sure (its confidence stays below SURE).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.common import TYPE_CODES

SURE = 0.9  # anchors: numbers and dates at least this sure
CAP = 0.85  # a voted number is likelier, not sure
AGAINST = 0.02  # weight left to a reading that breaks the order
MENTION = 10.0  # a citation elsewhere of one reading, with this document's date


@dataclass(frozen=True)
class Anchor:
    office: str
    year: int
    date: dt.date
    serial: int


@dataclass
class Decision:
    index: int  # which of the records given
    number: str
    confidence: float
    reason: str


def office_of(number: str | None) -> tuple[int, str] | None:
    """``2164/TB-ĐHĐL`` → (2164, ``ĐHĐL``); ``5710/UBND-SGDĐT`` → (5710, ``UBND-SGDĐT``):
    the serial and the code of the register it was taken from (the type code left out)."""
    if not number or "/" not in number:
        return None
    head, symbol = number.split("/", 1)
    if not head.isdigit() or "/" in symbol:  # 107/2021/NĐ-CP: central, numbered by type
        return None
    first, _, rest = symbol.partition("-")
    return int(head), (rest if first in TYPE_CODES and rest else symbol)


def anchors(records: Iterable[dict]) -> list[Anchor]:
    """Sure (number, date) pairs: the records' own and the documents they cite."""
    found: set[Anchor] = set()
    for record in records:
        confidence = record.get("confidence") or {}
        own = office_of(record.get("number"))
        date = _date(record.get("issued_date"))
        if own and date and confidence.get("number", 0) >= SURE \
                and confidence.get("issued_date", 0) >= SURE:
            found.add(Anchor(own[1], date.year, date, own[0]))
        for ref in record.get("references") or []:
            cited, when = office_of(ref.get("number")), _date(ref.get("date"))
            if cited and when:
                found.add(Anchor(cited[1], when.year, when, cited[0]))
    return sorted(found, key=lambda a: (a.office, a.date, a.serial))


def order_by_register(records: list[dict]) -> list[Decision]:
    """Re-decide every unsure pen-written number among its alternatives by the register order
    of the sure anchors of the same office and year. Returns the numbers that changed or
    whose confidence moved; the records are not modified."""
    by_office: dict[tuple[str, int], list[Anchor]] = defaultdict(list)
    for anchor in anchors(records):
        by_office[anchor.office, anchor.year].append(anchor)
    decisions = []
    for index, record in enumerate(records):
        options = (record.get("alternatives") or {}).get("number") or []
        own, date = office_of(record.get("number")), _date(record.get("issued_date"))
        confidence = (record.get("confidence") or {}).get("number", 0.0)
        if not options or own is None or date is None or confidence >= SURE:
            continue
        # (an unsure number is never an anchor itself: anchors are sure or cited elsewhere)
        group = _agreeing(by_office.get((own[1], date.year), []))
        low = max((a.serial for a in group if a.date < date), default=0)
        high = min((a.serial for a in group if a.date > date), default=None)
        if low == 0 and high is None and not any(a.date == date for a in group):
            continue
        cited_that_day = {a.serial for a in group if a.date == date}
        weighted = []
        for number, p in options:
            serial = office_of(number)
            fits = serial is not None and low < serial[0] and (high is None or serial[0] < high)
            # another paper citing this office's number of this very day names this document
            named = serial is not None and serial[0] in cited_that_day
            weighted.append((p * (1.0 if fits else AGAINST) * (1 + MENTION * named), number))
        # what the options leave out (the reader's other readings) still counts against
        unseen = max(0.0, 1.0 - sum(p for _, p in options))
        total = sum(w for w, _ in weighted) + unseen
        if not total:
            continue
        best_weight, best = max(weighted)
        share = round(float(min(CAP, best_weight / total)), 3)
        if best != record.get("number") or abs(share - confidence) > 1e-3:
            bound = f"after {low}" + (f", before {high}" if high is not None else "")
            decisions.append(Decision(index, best, share,
                                      f"number by the register of {own[1]} in {date.year}: "
                                      f"{bound}"))
    return decisions


def _agreeing(group: list[Anchor]) -> list[Anchor]:
    """The anchors no other anchor contradicts (a later date with a lower number): a misread
    citation date, or an office with two registers, drops out instead of steering the vote."""
    def clash(a: Anchor, b: Anchor) -> bool:
        return (a.date - b.date).days * (a.serial - b.serial) < 0
    return [a for a in group if not any(clash(a, b) for b in group)]


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def vote(records: list[dict]) -> list[Decision]:
    """Apply order_by_register to the records in place (number, its confidence, a warning)."""
    decisions = order_by_register(records)
    for decision in decisions:
        record = records[decision.index]
        if record["number"] != decision.number:
            record.setdefault("warnings", []).append(
                f"{decision.reason}: {decision.number}, not {record['number']}")
        record["number"] = decision.number
        record.setdefault("confidence", {})["number"] = decision.confidence
    return decisions
