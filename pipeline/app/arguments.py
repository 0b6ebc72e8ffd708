"""What a person types on the command line, read once, before any work starts.

A value that cannot be used ends the command with exit status 2 and one line saying what
was expected (argparse's own error path), never a traceback from deep inside a query.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import os

import regex

DATE_FORMS = "YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, YYYY or today"


class BadDate(argparse.ArgumentTypeError, ValueError):
    """A date that is none: argparse shows its message; elsewhere it is a ValueError."""


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadDate(f"'{text}' is not a date ({DATE_FORMS})") from None


def parse_date(text: str, last: bool = False) -> dt.date:
    """A day as an office writes it: ``2024-07-01``, ``2024/07/01``, ``01/07/2024``,
    ``2024-07`` or ``2024`` (the first day of the month or year, or the last one when
    ``last``), ``today``."""
    value = text.strip().lower()
    if value in ("today", "hôm nay", "hom nay"):
        return dt.date.today()
    if match := regex.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value):
        year, month, day = map(int, match.groups())
        return _day(year, month, day, text)
    if match := regex.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value):
        day, month, year = map(int, match.groups())
        return _day(year, month, day, text)
    if match := regex.fullmatch(r"(\d{4})[-/.](\d{1,2})", value):
        year, month = map(int, match.groups())
        if not 1 <= month <= 12:
            raise BadDate(f"'{text}' is not a date ({DATE_FORMS})")
        return _day(year, month, calendar.monthrange(year, month)[1] if last else 1, text)
    if match := regex.fullmatch(r"(\d{4})", value):
        year = int(match.group(1))
        return _day(year, 12 if last else 1, 31 if last else 1, text)
    raise BadDate(f"'{text}' is not a date ({DATE_FORMS})")


def first_day(text: str) -> str:
    """argparse type of --since: the ISO date a period starts on."""
    return parse_date(text).isoformat()


def last_day(text: str) -> str:
    """argparse type of --until: the ISO date a period ends on (``2024`` → 2024-12-31)."""
    return parse_date(text, last=True).isoformat()


def database_url(text: str) -> str:
    """A SQLAlchemy URL, or a plain file path taken as a SQLite database."""
    if "://" in text:
        return text
    return f"sqlite:///{os.path.abspath(text)}"
