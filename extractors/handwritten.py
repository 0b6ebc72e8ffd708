"""Deciding the pen-written số and ngày with constraints instead of the first guess.

The digit reader gives each blank several readings with probabilities
(``Page.handwritten``). What the rest of the document knows narrows them down:

- a number that appears again elsewhere (``Kèm theo Công văn số 5710/UBND-SGDĐT``, a page
  footer, an appendix header) is worth more than a reading seen once;
- a day is 1-31, a month 1-12, the date exists in the calendar and is not after today;
- a digitally signed PDF was signed on or a few days after its issue date, never before;
- a document does not cite a document issued after it, and a central number's year
  (``320/2025/NĐ-CP``) is its year.

Each decision returns the value and a confidence: the winner's share of the evidence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import numpy as np
import regex

from pipeline.core.document import HandReading

NUMBER_MENTION_WEIGHT = 10.0  # one more sighting of a number elsewhere, against the reader alone
OPTIONS = 8  # alternatives kept for a later vote


def decide_number(number: str | None, reading: HandReading | None, header_line: str,
                  text: str) -> tuple[str | None, float | None]:
    """The số among the pen reader's alternatives and the document's own mentions of it.

    Returns the number and its confidence, or (number, None) when no pen reading is there.
    """
    return choose_number(number, reading, number_options(number, reading, header_line, text))


def choose_number(number: str | None, reading: HandReading | None,
                  options: list[tuple[str, float]]) -> tuple[str | None, float | None]:
    """decide_number given the options number_options already weighed."""
    if number is None or reading is None or "/" not in number:
        return number, None
    if reading.printed:
        return number, reading.alternatives[0][1]
    return options[0] if options else (number, 0.3)


def number_options(number: str | None, reading: HandReading | None, header_line: str,
                   text: str) -> list[tuple[str, float]]:
    """The whole numbers a pen-written số may be, with their shares of the evidence, best
    first: what decide_number takes the first of, and a vote across documents chooses among
    (extractors/register)."""
    if number is None or reading is None or reading.printed or "/" not in number:
        return []
    code = number.split("/", 1)[1]
    # the header line itself holds the first reading: count the sightings outside it
    elsewhere = text.replace(header_line, " ", 1) if header_line else text
    scores: dict[str, float] = {}
    for alt, p in reading.alternatives:
        if 1 <= len(alt) <= 5:
            scores[alt] = scores.get(alt, 0.0) + p
    mentions = Counter(regex.findall(
        rf"(?<![\d/])(\d{{1,5}})\s*/\s*{regex.escape(code)}(?![\p{{L}}\d])", elsewhere))
    for mentioned in mentions:
        # a mention the reader did not offer: it may be pen ink OCR misread as well (an
        # appendix's "Kèm theo Công văn số …" is often filled by hand too), so it confirms a
        # reading far more than it brings a new one
        scores.setdefault(mentioned, 0.005)
    weighted = {alt: p * (1 + NUMBER_MENTION_WEIGHT * mentions[alt]) for alt, p in scores.items()}
    # the beam's alternatives do not hold all the probability: what they miss counts against
    unseen = max(0.0, 1.0 - sum(p for alt, p in reading.alternatives))
    total = sum(weighted.values()) + unseen
    ranked = sorted(weighted.items(), key=lambda kv: -kv[1])[:OPTIONS]
    return [(f"{alt}/{code}", round(w / total, 3)) for alt, w in ranked]


def _years(text: str) -> list[int]:
    return [int(y) for y in regex.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", text)]


def _plausible_year(year: int, today: dt.date, hints: Iterable[int]) -> int:
    """A year after today is a misread: the nearest one-digit change that is not, closest to
    the years the document mentions."""
    if year <= today.year:
        return year
    text = str(year)
    options = {int(text[:i] + d + text[i + 1 :]) for i in range(4) for d in "0123456789"}
    options = [y for y in options if 1945 <= y <= today.year]
    hints = [h for h in hints if h <= today.year] or [today.year]
    anchor = max(hints)
    return min(options, key=lambda y: (abs(y - anchor), -y)) if options else year


def decide_date(iso: str | None, day: HandReading | None, month: HandReading | None,
                number: str | None, text: str, cited: list[str], signed: list[dt.date],
                today: dt.date | None = None) -> tuple[str | None, float | None]:
    """The issue date from the pen day and month alternatives under the calendar, today, the
    signing time, the number's year and the dates of the documents it cites."""
    today = today or dt.date.today()
    if iso is None and day is None and month is None:
        return None, None
    year = int(iso[:4]) if iso else None
    central = regex.search(r"/(\d{4})/", number or "")
    if central:
        year = int(central.group(1))
    if year is None:
        return iso, None
    hints = [d.year for d in signed] + [int(c[:4]) for c in cited]
    year = _plausible_year(year, today, hints or _years(text))
    days = _options(day, iso[8:10] if iso else None, 31)
    months = _options(month, iso[5:7] if iso else None, 12)
    latest_cited = max((dt.date.fromisoformat(c) for c in cited), default=None)
    scored: list[tuple[float, str]] = []
    for d, pd in days:
        for m, pm in months:
            try:
                when = dt.date(year, m, d)
            except ValueError:
                continue
            score = pd * pm
            if when > today:
                score *= 0.01
            for s in signed:  # signed on the issue date or a few days after it
                lag = (s - when).days
                score *= 0.02 if lag < 0 else (1.0 if lag <= 14 else 0.5 if lag <= 60 else 0.2)
            if latest_cited and when < latest_cited:
                score *= 0.2
            scored.append((score, when.isoformat()))
    if not scored:
        return iso, 0.2 if iso else None
    best_score, best = max(scored)
    pen = [r for r in (day, month) if r is not None and not r.printed]
    if not pen:  # printed day and month: the text's own confidence says how sure
        return best, None
    # what the readers' alternatives leave out counts against the winner
    covered = np.prod([sum(p for _, p in r.alternatives) for r in pen])
    total = sum(s for s, _ in scored) + max(0.0, 1.0 - float(covered))
    return best, round(best_score / total, 3) if total else 0.0


def _options(reading: HandReading | None, printed: str | None, top: int) -> list[tuple[int, float]]:
    """(value, probability) for a day or a month: the reader's alternatives in range, or what
    the text line says when there was no pen reading."""
    out: dict[int, float] = {}
    if reading is not None:
        for text, p in reading.alternatives:
            if text.isdigit() and 1 <= int(text) <= top:
                out[int(text)] = out.get(int(text), 0.0) + p
    if not out and printed and printed.isdigit() and 1 <= int(printed) <= top:
        out[int(printed)] = 0.9 if reading is None else 0.3
    return sorted(out.items(), key=lambda kv: -kv[1])
