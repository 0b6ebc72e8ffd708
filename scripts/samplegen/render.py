"""Draw a ``Spec`` as A4 pages at 300 dpi, recording the truth text in reading order.

Reading order is the one vanban promises: left header column, right header column, title,
subject and body top to bottom (tables row by row, cells joined by `` | ``), then the
closing: Nơi nhận on the left, the signature block on the right.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from scripts.samplegen.content import Spec
from scripts.samplegen.tables import Grid

DPI = 300
MM = DPI / 25.4
PAGE_W, PAGE_H = int(210 * MM), int(297 * MM)
LEFT, RIGHT, TOP, BOTTOM = int(30 * MM), PAGE_W - int(15 * MM), int(18 * MM), PAGE_H - int(20 * MM)
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
CONDENSED_DIR = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-extra
HAND_FONT = Path("/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf")
INK = (20, 20, 20)
BLUE_INK = (25, 45, 150)
RED = (215, 35, 40)


def pt(size: float) -> int:
    return int(round(size / 72 * DPI))


def font(style: str, size: float, family: str = "Serif") -> ImageFont.FreeTypeFont:
    """``family``: Serif (Times-like), Sans (Arial-like) or Condensed (a narrow serif, as
    offices squeeze a long header into its column)."""
    if family == "Condensed":
        name = {"r": "", "b": "-Bold", "i": "-Italic", "bi": "-BoldItalic"}[style]
        return ImageFont.truetype(str(CONDENSED_DIR / f"DejaVuSerifCondensed{name}.ttf"),
                                  pt(size))
    name = {"r": "Regular", "b": "Bold", "i": "Italic", "bi": "BoldItalic"}[style]
    return ImageFont.truetype(str(FONT_DIR / f"Liberation{family}-{name}.ttf"), pt(size))


_GLYPHS: dict[tuple[str, int, str], bytes] = {}


def _glyph(face: ImageFont.FreeTypeFont, char: str) -> bytes:
    key = (face.path, face.size, char)
    if key not in _GLYPHS:
        img = Image.new("L", (face.size * 2, face.size * 2), 0)
        ImageDraw.Draw(img).text((face.size // 2, face.size // 2), char, font=face, fill=255)
        _GLYPHS[key] = img.tobytes()
    return _GLYPHS[key]


def missing_glyphs(face: ImageFont.FreeTypeFont, text: str) -> set[str]:
    """Characters the font draws as its 'notdef' box (fonts-liberation 1.x lacks ơ, ư, ạ...)."""
    notdef = _glyph(face, "\ue000")
    return {c for c in set(text) if not c.isspace() and _glyph(face, c) == notdef}


@dataclass
class Page:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    regions: dict[str, list[str]] = field(default_factory=dict)

    def add(self, region: str, text: str) -> None:
        self.regions.setdefault(region, []).append(text)

    def text(self) -> str:
        order = ["header_left", "header_right", "body", "closing_left", "closing_right"]
        return "\n".join(line for r in order for line in self.regions.get(r, []))


class Renderer:
    def __init__(self, rng: random.Random, handwritten: set[str], family: str = "Serif",
                 scale: float = 1.0):
        self.rng = rng
        self.family, self.scale = family, scale  # the document's typeface and size
        self.handwritten = handwritten  # subset of {"number", "day"}
        self.pages: list[Page] = []
        self.y = TOP
        self.new_page()

    # -- primitives -------------------------------------------------------------------
    def new_page(self) -> None:
        img = Image.new("RGB", (PAGE_W, PAGE_H), "white")
        self.pages.append(Page(img, ImageDraw.Draw(img)))
        self.y = TOP
        if len(self.pages) > 1:
            label = str(len(self.pages))
            self._text_at(label, self.font("r", 13), PAGE_W // 2, self.y, anchor="ma")
            self.page.add("body", label)
            self.y += pt(13) * 2

    def font(self, style: str, size: float) -> ImageFont.FreeTypeFont:
        return font(style, size * self.scale, self.family)

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def _text_at(self, text: str, face, x: float, y: float, anchor: str = "la", fill=INK) -> None:
        bad = missing_glyphs(face, text)
        if bad:
            raise ValueError(f"font {face.path} lacks glyphs {sorted(bad)}")
        self.page.draw.text((x, y), text, font=face, fill=fill, anchor=anchor)

    def wrap(self, text: str, face, width: float, indent: float = 0) -> list[str]:
        lines, current = [], ""
        for word in text.split(" "):
            trial = f"{current} {word}".strip()
            limit = width - (indent if not lines else 0)
            if current and face.getlength(trial) > limit:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + ([current] if current else [])

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.new_page()

    def centered(self, text: str, face, cx: float, region: str, width: float) -> None:
        for line in self.wrap(text, face, width):
            self.ensure(face.size * 1.3)
            self._text_at(line, face, cx, self.y, anchor="ma")
            self.page.add(region, line)
            self.y += int(face.size * 1.35)

    def paragraph(self, text: str, face, indent: float = 10 * MM) -> None:
        width = RIGHT - LEFT
        for i, line in enumerate(self.wrap(text, face, width, indent)):
            self.ensure(face.size * 1.4)
            self._text_at(line, face, LEFT + (indent if i == 0 else 0), self.y)
            self.page.add("body", line)
            self.y += int(face.size * 1.45)
        self.y += int(face.size * 0.35)

    def rule(self, cx: float, y: float, width: float) -> None:
        self.page.draw.line([(cx - width / 2, y), (cx + width / 2, y)], fill=INK, width=3)

    @staticmethod
    def hand_width(text: str, size: float = 17) -> float:
        return ImageFont.truetype(str(HAND_FONT), pt(size)).getlength(text)

    def hand(self, text: str, x: float, y: float, size: float = 17) -> None:
        """Digits written by pen into a blank of the printed template."""
        face = ImageFont.truetype(str(HAND_FONT), pt(size))
        w = int(face.getlength(text)) + 40
        layer = Image.new("L", (w, pt(size) * 2), 0)
        ImageDraw.Draw(layer).text((20, pt(size) // 3), text, font=face, fill=255)
        layer = layer.rotate(self.rng.uniform(-6, 6), resample=Image.BICUBIC, expand=True)
        ink = Image.new("RGB", layer.size, BLUE_INK)
        self.page.image.paste(ink, (int(x), int(y - pt(size) * 0.45)), layer)

    # -- document parts ---------------------------------------------------------------
    def header(self, spec: Spec) -> None:
        left_cx, right_cx = LEFT + 24 * MM, LEFT + 121 * MM
        col_w = 66 * MM  # the issuer column wraps long names, as real headers do
        y = self.y
        for i, line in enumerate(spec.issuer_lines):
            bold = i == len(spec.issuer_lines) - 1
            face = self.font("b" if bold else "r", 12)
            for part in self.wrap(line, face, col_w):
                self._text_at(part, face, left_cx, y, anchor="ma")
                self.page.add("header_left", part)
                y += int(face.size * 1.3)
        self.rule(left_cx, y + 6, 30 * MM)
        y += int(pt(13) * 0.9)
        face = self.font("r", 13)
        serial, symbol = spec.number.split("/", 1)
        if "number" in self.handwritten:
            label = "Số:"
            blank = max(face.getlength("        "), self.hand_width(serial) + 1.2 * pt(13))
            total = face.getlength(f"{label} ") + blank + face.getlength(f"/{symbol}")
            x = left_cx - total / 2
            self._text_at(label, face, x, y)
            x += face.getlength(f"{label} ")
            self.hand(serial, x + (blank - self.hand_width(serial)) / 2 - 20, y)
            self._text_at(f"/{symbol}", face, x + blank, y)
        else:
            self._text_at(f"Số: {spec.number}", face, left_cx, y, anchor="ma")
        self.page.add("header_left", f"Số: {spec.number}")
        y += int(face.size * 1.4)
        if spec.doc_type == "Công văn":
            for part in self.wrap(f"V/v {spec.subject}", self.font("r", 12), col_w * 0.95):
                self._text_at(part, self.font("r", 12), left_cx, y, anchor="ma")
                self.page.add("header_left", part)
                y += int(pt(12) * 1.3)
        left_bottom = y

        y = self.y
        for text, size in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12),
                           ("Độc lập - Tự do - Hạnh phúc", 13)):
            face = self.font("b", size)
            self._text_at(text, face, right_cx, y, anchor="ma")
            self.page.add("header_right", text)
            y += int(face.size * 1.3)
        self.rule(right_cx, y + 4, self.font("b", 13).getlength("Độc lập - Tự do - Hạnh phúc"))
        y += int(pt(13) * 0.9)
        yy, mm, dd = spec.issued_date.split("-")
        face = self.font("i", 13)
        line = f"{spec.place}, ngày {dd} tháng {mm} năm {yy}"
        if "day" in self.handwritten:
            head, tail = f"{spec.place}, ngày ", f" tháng {mm} năm {yy}"
            blank = max(face.getlength("     "), self.hand_width(dd) + 1.2 * pt(13))
            x = right_cx - (face.getlength(head) + blank + face.getlength(tail)) / 2
            self._text_at(head, face, x, y)
            self.hand(dd, x + face.getlength(head) + (blank - self.hand_width(dd)) / 2 - 20, y)
            self._text_at(tail, face, x + face.getlength(head) + blank, y)
        else:
            self._text_at(line, face, right_cx, y, anchor="ma")
        self.page.add("header_right", line)
        self.y = max(left_bottom, y + int(face.size * 1.4)) + int(6 * MM)

    def title(self, spec: Spec) -> None:
        center = (LEFT + RIGHT) / 2
        if spec.doc_type != "Công văn":
            self.centered(spec.doc_type.upper(), self.font("b", 14), center, "body", RIGHT - LEFT)
            self.centered(spec.subject, self.font("b", 14), center, "body", 140 * MM)
            self.rule(center, self.y + 4, 40 * MM)
            self.y += int(5 * MM)
        if spec.doc_type == "Quyết định":
            self.centered(spec.extra["head_line"], self.font("b", 13.5), center, "body", 150 * MM)
            self.y += int(2 * MM)
        if spec.recipients:
            face = self.font("r", 14)
            label_x = LEFT + 20 * MM
            if len(spec.recipients) == 1:
                text = f"Kính gửi: {spec.recipients[0]}."
                self.centered(text, face, center, "body", RIGHT - LEFT)
            else:
                item_x = label_x + face.getlength("Kính gửi: ")
                for i, name in enumerate(spec.recipients):
                    end = "." if i == len(spec.recipients) - 1 else ";"
                    item = f"- {name}{end}"
                    if i == 0:
                        self._text_at("Kính gửi:", face, label_x, self.y)
                        self.page.add("body", f"Kính gửi: {item}")
                    else:
                        self.page.add("body", item)
                    self._text_at(item, face, item_x, self.y)
                    self.y += int(face.size * 1.4)
            self.y += int(4 * MM)

    def body(self, spec: Spec) -> None:
        face = self.font("r", 14)
        for para in spec.paragraphs:
            if para == "#TABLE" and spec.table:
                self.table(spec.table)
            elif para.startswith("#GRID"):
                self.grid(spec.extra["grids"][int(para[5:])])
            elif para == "#TARGETS" and spec.extra.get("target_rows"):
                self.target_table(spec.extra["target_rows"], spec.extra.get("borderless", False))
            elif para.startswith("@"):
                heading = para[1:]
                self.ensure(pt(14) * 3)
                if heading.startswith("QUYẾT"):
                    self.centered(heading, self.font("b", 14), (LEFT + RIGHT) / 2, "body", 100 * MM)
                else:
                    self._text_at(heading, self.font("b", 14), LEFT + 10 * MM, self.y)
                    self.page.add("body", heading)
                    self.y += int(pt(14) * 1.5)
            else:
                self.paragraph(para, face)

    def table(self, rows: list[list[str]]) -> None:
        widths = [0.08, 0.46, 0.26, 0.20]
        total = RIGHT - LEFT
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + int(w * total))
        pad = int(1.5 * MM)
        for r, row in enumerate(rows):
            face = self.font("b" if r == 0 else "r", 12.5)
            cells = [self.wrap(cell, face, xs[c + 1] - xs[c] - 2 * pad) for c, cell in
                     enumerate(row)]
            height = max(len(c) for c in cells) * int(face.size * 1.3) + 2 * pad
            if self.y + height > BOTTOM or r == 0:
                if self.y + height > BOTTOM:
                    self.new_page()
                self._hline(xs, self.y)
            for c, lines in enumerate(cells):
                for k, line in enumerate(lines):
                    x = (xs[c] + xs[c + 1]) / 2 if c == 0 or r == 0 else xs[c] + pad
                    anchor = "ma" if c == 0 or r == 0 else "la"
                    self._text_at(line, face, x, self.y + pad + k * int(face.size * 1.3), anchor)
            for x in xs:
                self.page.draw.line([(x, self.y), (x, self.y + height)], fill=INK, width=3)
            self.y += height
            self._hline(xs, self.y)
            self.page.add("body", " | ".join(" ".join(c) for c in cells))
        self.y += int(4 * MM)

    def target_table(self, rows: list[list[str]], borderless: bool) -> None:
        """A chỉ tiêu table: a two-cell row is a section whose title spans every column but
        the first (a merged cell); when the table runs over a page break its header row is
        repeated on the next page, as drafters do. Borderless: the same, without rules."""
        widths = [0.07, 0.43, 0.12, 0.16, 0.22]
        total = RIGHT - LEFT
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + int(w * total))
        pad = int(1.5 * MM)
        header = rows[0]

        def draw_row(row: list[str], bold: bool) -> None:
            face = self.font("b" if bold else "r", 12)
            edges = xs if len(row) == len(xs) - 1 else [xs[0], xs[1], xs[-1]]
            cells = [self.wrap(cell, face, edges[c + 1] - edges[c] - 2 * pad)
                     for c, cell in enumerate(row)]
            height = max(len(c) for c in cells) * int(face.size * 1.3) + 2 * pad
            if self.y + height > BOTTOM:
                self.new_page()
                if row is not header:
                    draw_row(header, True)
            if not borderless and (row is header or self.y == TOP):
                self._hline(xs, self.y)
            for c, lines in enumerate(cells):
                centre = c == 0 or bold or (len(row) == len(xs) - 1 and c in (2, 3))
                for k, line in enumerate(lines):
                    x = (edges[c] + edges[c + 1]) / 2 if centre else edges[c] + pad
                    self._text_at(line, face, x, self.y + pad + k * int(face.size * 1.3),
                                  "ma" if centre else "la")
            if not borderless:
                for x in edges:
                    self.page.draw.line([(x, self.y), (x, self.y + height)], fill=INK, width=3)
            self.y += height
            if not borderless:
                self._hline(xs, self.y)
            self.page.add("body", " | ".join(" ".join(c) for c in cells))

        for r, row in enumerate(rows):
            draw_row(row, bold=r == 0 or len(row) == 2)
        self.y += int(4 * MM)

    def grid(self, g: Grid) -> None:
        """A table of any columns (scripts/samplegen/tables): a short row is a section whose
        last cell spans the rest; over a page break the header is printed again or not."""
        total = RIGHT - LEFT
        xs = [LEFT]
        for w in g.widths:
            xs.append(xs[-1] + int(w * total))
        xs[-1] = RIGHT
        pad = int(1.5 * MM)

        def draw_row(row: list[str], bold: bool, centre_all: bool) -> None:
            face = font("b" if bold else "r", g.size, g.family)
            edges = xs[: len(row)] + [xs[-1]]
            cells = [self.wrap(cell, face, edges[c + 1] - edges[c] - 2 * pad)
                     for c, cell in enumerate(row)]
            height = max(len(c) or 1 for c in cells) * int(face.size * 1.3) + 2 * pad
            if self.y + height > BOTTOM:
                self.new_page()
                if g.repeat_header and row is not g.header:
                    draw_row(g.header, True, True)
            if not g.borderless:
                self._hline(xs, self.y)
            for c, lines in enumerate(cells):
                centre = centre_all or (len(row) == len(g.roles) and g.roles[c] in g.centred)
                for k, line in enumerate(lines):
                    x = (edges[c] + edges[c + 1]) / 2 if centre else edges[c] + pad
                    self._text_at(line, face, x, self.y + pad + k * int(face.size * 1.3),
                                  "ma" if centre else "la")
            if not g.borderless:
                for x in edges:
                    self.page.draw.line([(x, self.y), (x, self.y + height)], fill=INK, width=3)
            self.y += height
            if not g.borderless:
                self._hline(xs, self.y)
            self.page.add("body", " | ".join(" ".join(c) for c in cells if c))

        self.ensure(pt(g.size) * 6)
        draw_row(g.header, True, True)
        for row in g.rows:
            draw_row(row, len(row) < len(g.roles), False)
        self.y += int(4 * MM)

    def _hline(self, xs: list[int], y: float) -> None:
        self.page.draw.line([(xs[0], y), (xs[-1], y)], fill=INK, width=3)

    def closing(self, spec: Spec) -> None:
        face_l, face_li = self.font("r", 11), self.font("bi", 12)
        block_h = pt(13) * 10
        self.ensure(block_h)
        y = self.y + int(3 * MM)
        self._text_at("Nơi nhận:", face_li, LEFT, y)
        self.page.add("closing_left", "Nơi nhận:")
        ly = y + int(face_li.size * 1.3)
        for item in spec.closing_list:
            self._text_at(f"- {item}", face_l, LEFT, ly)
            self.page.add("closing_left", f"- {item}")
            ly += int(face_l.size * 1.3)
        cx = LEFT + 120 * MM
        face = self.font("b", 13.5)
        ry = y
        for line in [spec.authority, spec.title]:
            if line:
                self._text_at(line, face, cx, ry, anchor="ma")
                self.page.add("closing_right", line)
                ry += int(face.size * 1.3)
        self.seal_and_signature(cx, ry + int(13 * MM))
        ry += int(30 * MM)
        self._text_at(spec.signer, face, cx, ry, anchor="ma")
        self.page.add("closing_right", spec.signer)
        self.y = max(ly, ry + pt(14))

    def seal_and_signature(self, cx: float, cy: float) -> None:
        """A red round seal (con dấu) left of centre and a blue pen signature over it."""
        layer = Image.new("RGB", (PAGE_W, PAGE_H), "white")
        draw = ImageDraw.Draw(layer)
        sx, r = cx - 20 * MM, 16 * MM  # stamped over the left of the signature
        for radius, width in ((r, 7), (r - 4 * MM, 4)):
            draw.ellipse([sx - radius, cy - radius, sx + radius, cy + radius], outline=RED,
                         width=width)
        star = [(sx + 6 * MM * math.cos(a * math.pi / 5 - math.pi / 2) * (1 if a % 2 == 0
                 else 0.45), cy + 6 * MM * math.sin(a * math.pi / 5 - math.pi / 2) *
                 (1 if a % 2 == 0 else 0.45)) for a in range(10)]
        draw.polygon(star, fill=RED)
        letters = "ỦY BAN NHÂN DÂN * CON DẤU *"
        small = font("b", 8)
        for i, ch in enumerate(letters):
            angle = 2 * math.pi * i / len(letters) - math.pi / 2
            draw.text((sx + (r - 2.2 * MM) * math.cos(angle), cy + (r - 2.2 * MM) *
                       math.sin(angle)), ch, font=small, fill=RED, anchor="mm")
        points = []
        x0 = cx - 18 * MM
        for k in range(40):
            t = k / 39
            points.append((x0 + t * 36 * MM + self.rng.uniform(-8, 8),
                           cy + 6 * MM * math.sin(t * 9 + self.rng.uniform(0, 0.6))))
        draw.line(points, fill=BLUE_INK, width=5, joint="curve")
        page = np.asarray(self.page.image)
        merged = np.minimum(page, np.asarray(layer))  # ink multiplies: black stays black
        self.page.image.paste(Image.fromarray(merged))
        self.page.draw = ImageDraw.Draw(self.page.image)


def render(spec: Spec, rng: random.Random, handwritten: set[str], family: str = "Serif",
           scale: float = 1.0) -> list[Page]:
    renderer = Renderer(rng, handwritten, family, scale)
    renderer.header(spec)
    renderer.title(spec)
    renderer.body(spec)
    renderer.closing(spec)
    return renderer.pages
