"""Build the body's outline (pipeline/core/outline) from the pages' body lines.

The body is read across pages as one text: page numbers, footnotes (lines in a smaller
type at a page's foot) and what precedes the body on page 1 (title, trích yếu, Kính gửi)
are left out, and a paragraph cut by a page break goes on. A paragraph starts at an outline
marker, or at a line indented as a first line after a line that ended a sentence; its
place in the tree comes from its marker's kind, in the order the document uses them (the
first kind met is the outermost, as a reader would take it).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import regex
from rapidfuzz import fuzz

from extractors.common import TextLine, fold, is_junk, page_lines
from extractors.recipients import LABEL_RE
from extractors.text_tables import text_tables
from pipeline.core.document import Box, Document, Region
from pipeline.core.outline import OutlineNode

MARKERS = [
    ("article", regex.compile(r"^(Điều\s+\d{1,2})\s*[.:]?\s+")),
    ("part", regex.compile(r"^((?:Phần\s+)?[IVX]{1,5})\s*[.:/\-–]\s*(?=\S)")),
    ("number", regex.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=\S)")),  # 1.1. / 4.3
    ("number", regex.compile(r"^(\d{1,2})\s*[.)/]\s*(?=\D)")),  # 1. / 2)
    ("letter", regex.compile(r"^([a-zđ])\s*[).]\s+(?=\S)")),  # a) / b.
    ("step", regex.compile(r"^(Bước\s+\d{1,2})\s*[.:]\s*")),
    ("dash", regex.compile(r"^([-–—•·*])\s*(?=\S)")),
    ("plus", regex.compile(r"^(\+)\s*(?=\S)")),
]
PAGE_NUMBER = regex.compile(r"^\W{0,3}(?:trang\s*)?\d{1,3}\W{0,3}$", regex.I)
SENTENCE_DONE = regex.compile(r"[.;:!?…]\W{0,2}$")
TITLE = regex.compile(r"^[\p{Lu}\s,\-–/]{4,}$")  # KẾ HOẠCH, CHỈ THỊ, THÔNG BÁO …
ITEMS = {"letter", "step", "dash", "plus"}  # closed by a plain paragraph after them


@dataclass
class _Line:
    text: str
    page: int
    box: Box | None
    page_width: int


def build_outline(document: Document, subject: str | None = None) -> list[OutlineNode]:
    """The outline of a document's body: top-level nodes, each with its subtree."""
    lines = body_lines(document, subject)
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    for paragraph in _paragraphs(lines):
        node = _node(paragraph)
        kinds = [n.kind for n in stack]
        if node.kind == "text":
            # a plain paragraph closes the bullets and points before it (it is their
            # section's text), unless it is under one that introduced it ("a) Sở X:")
            while stack and stack[-1].kind in ITEMS and not stack[-1].text.endswith(":"):
                stack.pop()
        elif node.kind in kinds:
            del stack[kinds.index(node.kind):]
        (stack[-1].children if stack else roots).append(node)
        if node.kind != "text" or node.text.endswith(":"):  # a plain paragraph is a leaf,
            stack.append(node)  # unless it opens a list ("… các nội dung sau:")
    return roots


def body_lines(document: Document, subject: str | None = None) -> list[_Line]:
    """The body's lines in reading order, across pages, without page furniture."""
    out: list[_Line] = []
    for page in document.pages:
        lines = page_lines(page)
        heights = [ln.box.height for ln in lines if ln.box and ln.region is Region.BODY]
        usual = median(heights) if heights else 0
        kept = []
        # a text page's task tables are read as tables (extractors/text_tables), not prose
        in_tables = text_tables([ln.text for ln in lines])[1] if page.plain_text is not None \
            else set()
        for i, line in enumerate(lines):
            if i in in_tables:
                continue
            if line.region is Region.CLOSING_LEFT and _before_recipients(lines, i):
                pass  # the body's last line, set beside the Nơi nhận column
            elif line.region is not Region.BODY:
                continue
            text = line.text.strip()
            if not text or PAGE_NUMBER.match(text) or is_junk(text, line.confidence):
                continue
            if usual and line.box and line.box.height < 0.75 * usual and \
                    line.box.y0 > 0.75 * (page.height or line.box.y1 * 1.2):
                continue  # a footnote in small type at the page's foot
            kept.append(_Line(text, page.number, line.box, page.width))
        if page.number == 1:
            kept = kept[_front_matter(kept, subject):]
        out += kept
    return out


def _before_recipients(lines: list[TextLine], i: int) -> bool:
    """A closing-column line that comes before the Nơi nhận label: the body going on."""
    for line in lines[i:]:
        if fold(line.text).startswith("noi nhan"):
            return line is not lines[i]
    return False


def _front_matter(lines: list[_Line], subject: str | None) -> int:
    """How many of page 1's body lines are its title, trích yếu and Kính gửi block."""
    end = 0
    addressed = False
    margin = _margins(lines).get(1)
    for i, line in enumerate(lines[:30]):
        text = line.text
        if margin is not None and line.box and i <= end + 1 and \
                line.box.x0 - margin > 0.15 * (line.page_width or 2480):
            end = i + 1  # set far right before the body: Kính gửi's recipients, a title
        elif LABEL_RE.match(fold(text)):
            end, addressed = i + 1, True
        elif addressed and text.startswith(("-", "–", "+", "•")) and i == end:
            end = i + 1  # a recipient under Kính gửi
        elif subject and len(text) > 6 and fuzz.partial_ratio(fold(text), fold(subject)) > 90:
            end = i + 1
        elif TITLE.match(text) and _marker(text)[0] == "text" and len(text) < 60:
            end = i + 1
    return end


def _marker(text: str) -> tuple[str, str, str]:
    """(kind, marker, rest) of a paragraph's first line; ("text", "", text) for none."""
    for kind, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            marker = match.group(1)
            if kind == "number" and "." in marker:
                kind = f"number{marker.count('.') + 1}"
            elif kind == "number":
                kind = "number1"
            return kind, marker, text[match.end():]
    return "text", "", text


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = []
    margins, rights = _margins(lines), _rights(lines)
    for line in lines:
        kind, _, _ = _marker(line.text)
        starts = not paragraphs or kind != "text"
        if not starts:
            previous = paragraphs[-1][-1]
            ended = SENTENCE_DONE.search(previous.text) is not None
            short = _short(previous, rights)  # the line before stopped before the margin
            starts = (ended or short) and (_indented(line, margins) or line.box is None) and \
                regex.match(r"\W{0,2}[\p{Lu}\d]", line.text) is not None
        if starts:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return paragraphs


def _short(line: _Line, rights: dict[int, int]) -> bool:
    """A line that ends well before the page's right margin: its paragraph ended there."""
    if line.box is None:
        return False
    return rights.get(line.page, 0) - line.box.x1 > 0.08 * (line.page_width or 2480)


def _rights(lines: list[_Line]) -> dict[int, int]:
    """Each page's right margin: where its longest body line ends."""
    by_page: dict[int, int] = {}
    for line in lines:
        if line.box:
            by_page[line.page] = max(by_page.get(line.page, 0), line.box.x1)
    return by_page


def _margins(lines: list[_Line]) -> dict[int, float]:
    """Each page's left margin: where most body lines begin."""
    by_page: dict[int, list[int]] = {}
    for line in lines:
        if line.box:
            by_page.setdefault(line.page, []).append(line.box.x0)
    return {page: sorted(xs)[len(xs) // 4] for page, xs in by_page.items()}


def _indented(line: _Line, margins: dict[int, float]) -> bool:
    if line.box is None or line.page not in margins:
        return False
    return line.box.x0 - margins[line.page] > 0.02 * (line.page_width or 2480)


def _node(paragraph: list[_Line]) -> OutlineNode:
    kind, marker, rest = _marker(paragraph[0].text)
    text = " ".join([rest, *(line.text for line in paragraph[1:])])
    first_page = paragraph[0].page
    boxes = [line.box for line in paragraph if line.box and line.page == first_page]
    return OutlineNode(marker=marker, kind=kind, text=regex.sub(r"\s+", " ", text).strip(),
                       page=first_page, box=Box.union(boxes) if boxes else None,
                       pages=sorted({line.page for line in paragraph}))


__all__ = ["body_lines", "build_outline"]
