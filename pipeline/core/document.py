"""The typed document tree that flows through every stage.

Document → Page → Block → Line → Word, each with a box in page pixels and a confidence,
as in docTR. A Block carries the region kind the layout stage gave it, so extractors can
ask for the header columns or the signature block instead of guessing from raw text.
"""

from __future__ import annotations

import re
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


CELL_RULE = "|"  # drawn between cells when a table row is written out as text
# a data row's first cell: 1, 1.2, I., II, a), -, +  (a header cell is a word: STT, Nội dung)
LABEL_FIGURES = re.compile(r"(?<!\d)20\d\d(?!\d)|\(\d+\)")  # a year, a column number "(1)"
ROW_LABEL = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVXLC]+\.?|[a-zđ]\)|[-+•])(\s|$)")


@dataclass
class Cell:
    """One cell (ô) of a table: its text lines, where it sits and how far it spans. A merged
    cell (ô gộp) is given once, in the row and column where it starts."""

    lines: list[Line]
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    box: Box | None = None  # the ruled cell's box when there are rules, else the words'
    header: bool = False

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines if line.words)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    @property
    def confidence(self) -> float:
        return mean_confidence(self.words)


@dataclass
class Row:
    cells: list[Cell]

    @property
    def text(self) -> str:
        """The row as one text line: its non-empty cells in order, a rule between them."""
        return f" {CELL_RULE} ".join(c.text for c in self.cells if c.text)

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c.words]

    @property
    def box(self) -> Box:
        """Where the row's words lie (a row with no words has no box)."""
        return Box.union([w.box for w in self.words])

    @property
    def confidence(self) -> float:
        return mean_confidence(self.words)

    @property
    def header(self) -> bool:
        return bool(self.cells) and all(c.header for c in self.cells)

    def cell_at(self, col: int) -> Cell | None:
        """The cell covering column ``col`` in this row (a merged cell covers several)."""
        return next((c for c in self.cells if c.col <= col < c.col + c.col_span), None)


@dataclass
class Table:
    """A table (bảng) of the page, ruled or borderless: rows top to bottom, each row's cells
    left to right, with the header rows (tiêu đề cột) marked."""

    rows: list[Row]
    columns: int
    box: Box
    ruled: bool = True

    @property
    def header_rows(self) -> list[Row]:
        return [r for r in self.rows if r.header]

    @property
    def body_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.header and r.words]

    def row_lines(self) -> list[Line]:
        """One line per row holding the row's words: the block's lines, for the stages that
        read lines; made again whenever a stage changed the cells' words."""
        return [Line(row.words) for row in self.rows if row.words]

    def mark_header(self) -> None:
        """The first row is the header (tiêu đề cột) when it reads as labels: its first cell
        is no row number or section numeral (``1``, ``I.``, ``a)``) and at most one cell
        looks like data (a figure other than a year, or more than six words: OCR may leave a
        stray digit in one label). A table continued from the page before, without its
        header again, starts with data."""
        for row in self.rows[:1]:
            texts = [c.text for c in row.cells if c.text]
            first = row.cell_at(0)
            data_like = sum(any(ch.isdigit() for ch in LABEL_FIGURES.sub("", t))
                            or len(t.split()) > 6 for t in texts)
            labels = bool(texts) and data_like <= 1 and not (
                first is not None and ROW_LABEL.match(first.text))
            for cell in row.cells:
                cell.header = labels
        if self.rows and self.rows[0].header:  # the header printed again further down
            again = self.rows[0].text.casefold()
            for row in self.rows[1:]:
                if row.text.casefold() == again:
                    for cell in row.cells:
                        cell.header = True

    def as_record(self) -> dict:
        """The contract's form: ``{"box", "rows": [[{"text", "row_span", "col_span",
        "header"}]]}``."""
        return {
            "box": [self.box.x0, self.box.y0, self.box.x1, self.box.y1],
            "rows": [[{"text": c.text, "row_span": c.row_span, "col_span": c.col_span,
                       "header": c.header} for c in row.cells] for row in self.rows],
        }


@dataclass
class Block:
    lines: list[Line]
    region: Region = Region.BODY
    table: Table | None = None  # a TABLE block's cells; its lines are then its rows' words

    @property
    def text(self) -> str:
        if self.table is not None:
            return "\n".join(row.text for row in self.table.rows if row.words)
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


@dataclass(frozen=True)
class Geometry:
    """Where a page's boxes (in the pixels of the image the OCR read: upsampled, turned
    upright, deskewed) lie on the page image the file held: that image's size and the
    affine map from its pixels to the OCR image's, row-major 2×3."""

    source_width: int
    source_height: int
    to_clean: tuple[float, float, float, float, float, float]

    @property
    def quarter_turn(self) -> int:
        """The quarter turn (0, 90, 180, 270° clockwise) the cleanup gave the page: the
        turn whose rotation the map's is nearest (deskew adds a few degrees at most)."""
        a, b, _, d, e, _ = self.to_clean
        scores = {0: a + e, 90: d - b, 180: -a - e, 270: b - d}
        return max(scores, key=lambda k: scores[k])

    def to_source(self, x: float, y: float) -> tuple[float, float]:
        """A point of the OCR image on the source image (the map inverted)."""
        a, b, c, d, e, f = self.to_clean
        det = a * e - b * d
        x, y = x - c, y - f
        return (e * x - b * y) / det, (a * y - d * x) / det


@dataclass
class Page:
    number: int  # 1-based
    width: int = 0
    height: int = 0
    dpi: int = 300
    blocks: list[Block] = field(default_factory=list)
    source: str = "ocr"  # "ocr", "text-layer" or "text"
    plain_text: str | None = None  # for text-layer / .txt pages that have no boxes
    text_quality: float | None = None  # for those: how far the text can be trusted, 0-1
    handwritten: dict[str, HandReading] = field(default_factory=dict)  # field → reading
    geometry: Geometry | None = None  # for OCR'd pages: where the boxes lie on the scan

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

    @property
    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]

    def region_text(self, *regions: Region) -> str:
        return "\n".join(b.text for b in self.blocks if b.region in regions)


@dataclass
class Document:
    source: str
    sha256: str
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # pages that could not be read: number → (stage, reason)
    page_errors: dict[int, tuple[str, str]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    signatures: list = field(default_factory=list)  # pipeline.read.signatures.Signature of a signed PDF
    outline: list = field(default_factory=list)  # pipeline.core.outline.OutlineNode: the body's tree

    @property
    def text(self) -> str:
        return "\f".join(p.text for p in self.pages)

    def add_timing(self, stage: str, seconds: float) -> None:
        self.timings[stage] = round(self.timings.get(stage, 0.0) + seconds, 3)


def mean_confidence(words: list[Word]) -> float:
    scored = [w.confidence for w in words if w.confidence >= 0]
    return sum(scored) / len(scored) if scored else 0.0
