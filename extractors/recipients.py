"""Kính gửi: the addressees of a letter, one entry per body or person."""

from __future__ import annotations

import regex

from extractors.common import TextLine, fold, strip_item
from pipeline.core.restore import normalize_text

LABEL_RE = regex.compile(r"^\W{0,2}k[iíì1l]nh\s*g\S{0,4}\s*[:;.]?\s*", regex.IGNORECASE)
ITEM_RE = regex.compile(r"^\s*[-–+•*·]\s*")
BODY_START_RE = regex.compile(r"^(thuc\s*hien|can\s*c|theo\s|de\s|nham\s|ngay\s|[ivx]+\.\s|\d+\.\s)")


def find_recipients(lines: list[TextLine]) -> list[str]:
    for i, line in enumerate(lines[:80]):
        label = LABEL_RE.match(fold(line.text))
        if not label:
            continue
        rest = line.text[label.end():].strip()
        items: list[str] = []
        if rest:
            items.append(rest)
        for nxt in lines[i + 1 : i + 15]:
            text = nxt.text.strip()
            if ITEM_RE.match(text):
                items.append(text)
            elif items and not items[-1].rstrip().endswith((";", ".")) and \
                    not BODY_START_RE.match(fold(text)) and len(items[-1]) > 30:
                items[-1] += " " + text  # an item wrapped onto the next line
            else:
                break
        cleaned = [normalize_text(strip_item(item)) for item in items]
        return [c for c in cleaned if len(c) >= 3]
    return []
