"""The body's outline: parts, sections, items and paragraphs, across pages.

A directive gives its orders in a tree: ``I.`` parts, ``1.`` sections (``1.1.`` under
them), ``a)`` points, ``-`` and ``+`` bullets, and plain paragraphs between. Each node keeps
the page it starts on and the box of its lines there, so a task read from it can be shown
on the scan. The tree is built once (extractors/outline.build_outline) and read by every
extractor that needs the body: tasks, targets, a future "what did the report say about it".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from pipeline.core.document import Box

# where a sentence ends inside a paragraph: a full stop or semicolon before a capital, a
# bullet or a number (not the dot of "1.2", "TP.", "QĐ-UBND"); a semicolon before a new
# clause of work, but not before the deadline that closes the clause ("; hoàn thành trước …")
SENTENCE_END = regex.compile(
    r"(?<=[.;!?…])\s+(?=[-+•]?\s*[\p{Lu}\d“\"])|"
    r"(?<=;)\s+(?=\p{Ll})(?!hoàn thành|thời (?:gian|hạn)|trước ngày|chậm nhất|xong trước)")


@dataclass
class OutlineNode:
    """One paragraph of the body with its marker (``1.``, ``a)``, ``-``; ``""`` for a plain
    paragraph), the text after the marker (its wrapped lines joined), and its children."""

    marker: str
    kind: str  # part (I.), article (Điều 1.), number1/number2/… (1. / 1.1.), letter, dash, plus, text
    text: str
    page: int
    box: Box | None = None
    children: list[OutlineNode] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)  # every page its lines are on

    @property
    def heading(self) -> bool:
        """A node that introduces what follows (``1. Sở Giao thông vận tải:``)."""
        return self.text.rstrip().endswith(":") and bool(self.children)

    def sentences(self) -> list[str]:
        return [s.strip() for s in SENTENCE_END.split(self.text) if s.strip()]

    def walk(self, depth: int = 0) -> Iterator[tuple[int, OutlineNode]]:
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)

    def as_record(self) -> dict:
        box = [self.box.x0, self.box.y0, self.box.x1, self.box.y1] if self.box else None
        return {"marker": self.marker, "kind": self.kind, "text": self.text, "page": self.page,
                "box": box, "children": [child.as_record() for child in self.children]}


def walk(roots: list[OutlineNode]) -> Iterator[tuple[int, OutlineNode]]:
    """Every node of an outline in reading order, with its depth."""
    for root in roots:
        yield from root.walk()


__all__ = ["OutlineNode", "SENTENCE_END", "walk"]
