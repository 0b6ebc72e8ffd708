"""The typed document tree that flows through every stage.

Document → Page → Block → Line → Word, each with a box in page pixels and a confidence,
as in docTR. A Block carries the region kind the layout stage gave it, so extractors can
ask for the header columns or the signature block instead of guessing from raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Region(StrEnum):
    HEADER_LEFT = "header_left"  # cơ quan ban hành, Số, V/v
    HEADER_RIGHT = "header_right"  # quốc hiệu, tiêu ngữ, địa danh & ngày
    BODY = "body"
    TABLE = "table"
    CLOSING_LEFT = "closing_left"  # Nơi nhận
    CLOSING_RIGHT = "closing_right"  # chữ ký: TM./KT., chức vụ, họ tên


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in page pixels: left, top, right, bottom."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @staticmethod
    def union(boxes: list[Box]) -> Box:
        return Box(
            min(b.x0 for b in boxes),
            min(b.y0 for b in boxes),
            max(b.x1 for b in boxes),
            max(b.y1 for b in boxes),
        )


@dataclass
class Word:
    text: str
    box: Box
    confidence: float  # 0-100, as Tesseract reports it


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return Box.union([w.box for w in self.words])

    @property
    def confidence(self) -> float:
        return mean_confidence(self.words)


@dataclass
class Block:
    lines: list[Line]
    region: Region = Region.BODY
    # For tables: lines are rows, and each row's words are grouped into cells by " | ".

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def box(self) -> Box:
        return Box.union([line.box for line in self.lines])

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


@dataclass
class HandReading:
    """A pen-filled blank of the header (số, the day, the month) read by the digit reader:
    its alternatives with probabilities, best first, so extractors decide with constraints."""

    field: str  # "number", "day" or "month"
    alternatives: list[tuple[str, float]]
    box: Box
    printed: bool = False  # the full-page pass read clean print there: no pen


@dataclass
class Page:
    number: int  # 1-based
    width: int = 0
    height: int = 0
    dpi: int = 300
    blocks: list[Block] = field(default_factory=list)
    source: str = "ocr"  # "ocr", "text-layer" or "text"
    plain_text: str | None = None  # for text-layer / .txt pages that have no boxes
    handwritten: dict[str, HandReading] = field(default_factory=dict)  # field → reading

    @property
    def text(self) -> str:
        if self.plain_text is not None:
            return self.plain_text
        return "\n".join(b.text for b in self.blocks if b.lines)

    @property
    def words(self) -> list[Word]:
        return [w for b in self.blocks for w in b.words]

    @property
    def confidence(self) -> float | None:
        words = self.words
        return round(mean_confidence(words), 1) if words else None

    def region_text(self, *regions: Region) -> str:
        return "\n".join(b.text for b in self.blocks if b.region in regions)


@dataclass
class Document:
    source: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    signatures: list = field(default_factory=list)  # pipeline.signatures.Signature of a signed PDF

    @property
    def text(self) -> str:
        return "\f".join(p.text for p in self.pages)

    def add_timing(self, stage: str, seconds: float) -> None:
        self.timings[stage] = round(self.timings.get(stage, 0.0) + seconds, 3)


def mean_confidence(words: list[Word]) -> float:
    scored = [w.confidence for w in words if w.confidence >= 0]
    return sum(scored) / len(scored) if scored else 0.0
