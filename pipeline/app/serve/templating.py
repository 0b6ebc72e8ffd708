"""The Jinja2 templates of ``vanban serve`` and the filters they share: dates as an office
writes them (dd/mm/yyyy), the paging links of a cut list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def vn_date(value: Any) -> str:
    """``2025-10-09`` (or a date) as ``09/10/2025``; anything else as it is."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
        rest = value[10:].lstrip("T ")
        return day.strftime("%d/%m/%Y") + (f" {rest[:5]}" if rest else "")
    return "" if value is None else str(value)


def pages_of(total: int, params: dict[str, str], limit: int = 50, offset: int = 0,
             around: int = 3) -> dict[str, Any] | None:
    """The links of a list cut at ``limit`` rows: previous, next, and the page numbers
    near this one, each keeping the request's other parameters; None when one page holds
    everything."""
    if total <= limit and offset == 0:
        return None
    here = offset // limit
    last = max(0, (int(total) - 1) // limit)

    def link(page: int) -> str:
        kept = {k: v for k, v in params.items() if k != "offset"}
        if page:
            kept["offset"] = str(page * limit)
        return "?" + urlencode(kept)

    near = range(max(0, here - around), min(last, here + around) + 1)
    return {"here": here + 1, "last": last + 1, "first_row": offset + 1,
            "last_row": min(int(total), offset + limit), "total": int(total),
            "previous": link(here - 1) if here > 0 else None,
            "next": link(here + 1) if here < last else None,
            "near": [(n + 1, link(n), n == here) for n in near]}


TEMPLATES.env.filters["vn_date"] = vn_date
