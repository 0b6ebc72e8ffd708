"""Chỉ tiêu: percentage targets and reported figures, from table rows and from prose.

A target is an indicator (``Tỷ lệ ...``, ``Mức độ hài lòng ...``) with a value: in a table row
(``2.5 | Tỷ lệ số hóa hồ sơ ... | % | Tối thiểu 80 | Bộ phận một cửa``), in a table that OCR
flattened into one cell per line (the value alone on a line below the indicator and the
responsible bodies), or in a sentence (``phấn đấu tỷ lệ ... đạt tối thiểu 90%``). The text
is scanned for values; each takes the nearest indicator wording before it, back to the
previous value. Wordings are linked to the indicator catalogue (extractors/indicators.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from extractors.columns import classified_tables
from extractors.common import drop_junk_tokens, fold, page_lines, sentence_case, squash, strip_item
from extractors.indicators import indicator_key, link_indicator
from extractors.organisations import split_organisations
from extractors.target_tables import table_targets
from pipeline.core.document import Box, Document, Page, Table

# "Tỷ lệ" / "Mức độ" however OCR left them: Ty 1é, Tj' lQ, Tl le, Ty l¢€, Mirc d6 (folded)
HEAD = regex.compile(
    r"(?<![a-z])(?:t[yijl1](?:['’]\s*|\s+)[l1i|]\S{0,2}|i?ly\s+l\S?|m[iu]r?c\s+d[o06]\S?)\s"
)
NUMBER = r"(?P<value>\d{1,3}(?:[.,]\d{1,2})?)"
# a unit column then the value: "| % | Tối thiểu 80", "Yo 100" (% read as Yo by OCR, which
# restoration may then split into "Y ở": folded "y o")
UNIT_VALUE = regex.compile(
    rf"(?:%[o0](?!\d)|%|\by\s?[o0]\b)\s*\|?\s*(?P<cmp>(?:[^\d|]|(?<=[a-z])[01]){{0,14}}?)\s*"
    rf"(?<![a-z])(?<![a-z][01]){NUMBER}(?![\d/.,]\d)"  # "To1 thiểu 50": 1 is an l, not the value
)
# prose: "đạt tối thiểu 90%", "100%"
VALUE_PERCENT = regex.compile(rf"(?P<cmp>(?:toi\s+thieu|it\s+nhat|toi\s+da|khong\s+qua|tren|"
                              rf"duoi|>=|<=|≥|≤)\s*)?{NUMBER}\s*%")
# a value alone on its line under a flattened table row, maybe after a garbled "Tối thiểu"
VALUE_LINE = regex.compile(rf"^(?P<cmp>\D{{0,14}}?)\s*{NUMBER}\s*%?$")
AT_MOST = regex.compile(r"toi\s*da|khong\s*qua|duoi|<=|≤")
ACTUAL = regex.compile(r"dat\s+duoc|ket\s+qua\s+(?:dat|thuc\s+hien)|thuc\s+hien\s+duoc|uoc\s+dat|"
                       r"xep\s+thu|da\s+dat")
RANK = regex.compile(r"xep\s+thu\s+(\d+\s*/\s*\d+)")
YEAR = regex.compile(r"nam\s+(20\d\d)")
ROW_NUMBER = regex.compile(r"^\W*\d{1,2}(?:\.\d{1,2})?\W*(?=\p{L})")
MAX_SPAN = 12  # lines from an indicator to its value (a flattened row lists bodies between)
DUPLICATE_SCORE = 60.0
MIN_WORDS = 5  # an unlinked wording shorter than this is a phrase, not an indicator


@dataclass
class _Line:
    page: int
    text: str
    folded: str
    confidence: float = 100.0
    box: Box | None = None


def _comparator(text: str) -> str:
    folded = fold(text)
    if AT_MOST.search(folded):
        return "<="
    if "≥" in text or ">=" in text:
        return ">="
    # "Tối thiểu", "ít nhất", "trên" — or the same words garbled beyond reading
    return ">=" if len(regex.sub(r"[^a-z]", "", folded)) >= 3 else "="


def _value(raw: str) -> float:
    return float(raw.replace(",", "."))


def _wording(lines: list[_Line], start: tuple[int, int], stop: tuple[int, int]) -> tuple[str, list[str]]:
    """Indicator text from the head at ``start`` to the value at ``stop``; bulleted lines in
    between are the responsible bodies (đơn vị thực hiện) of a flattened table row."""
    words: list[str] = []
    responsible: list[str] = []
    for i in range(start[0], stop[0] + 1):
        text = lines[i].text
        a = start[1] if i == start[0] else 0
        b = stop[1] if i == stop[0] else len(text)
        piece = text[a:b]
        if i != start[0] and regex.match(r"^\s*[-+•]", piece):
            responsible.append(strip_item(piece))
            continue
        if responsible:  # the wording ended where the bullets began
            continue
        words.append(piece)
    text = squash(" ".join(words)).replace("|", " ")
    text = regex.sub(r"\s*(?:%|\by[o0]\b|%[o0])\s*$", "", squash(text))
    head = HEAD.match(fold(text) + " ")
    if head:  # the head as it is spelt, however OCR left it
        name = "Mức độ" if fold(text).startswith("m") else "Tỷ lệ"
        text = name + " " + text[head.end() - 1 :].lstrip()
    kept = [t for t in drop_junk_tokens(text).split() if _is_word(t)]
    return " ".join(kept).strip(" .,;:-"), [r for r in responsible if r]


def _is_word(token: str) -> bool:
    """Not a row number (``2.10``), a lone letter or punctuation left by table rules."""
    letters = sum(c.isalpha() for c in token)
    return letters >= 2 or (token.isdigit() and len(token) <= 4 and not ROW_NUMBER.match(token))


def _year(lines: list[_Line], index: int) -> int | None:
    for line in reversed(lines[max(0, index - 40) : index + 1]):
        found = YEAR.findall(line.folded)
        if found:
            return int(found[-1])
    return None


def find_targets(document: Document) -> list[dict[str, Any]]:
    """Targets of the target tables by column role, then of the text: prose, tables OCR
    flattened into lines, and tables whose header says nothing (read cell by cell)."""
    known = {}
    for page, table, kind, columns in classified_tables(document):
        if kind is not None:
            known[id(table)] = (page, kind, columns)
    lines: list[_Line] = []
    targets: list[dict[str, Any]] = []
    for page in document.pages:
        for line in _text_lines(page, known):
            if isinstance(line, _Line):
                lines.append(line)
                continue
            page_number, kind, columns = known[id(line)]
            if kind == "targets":
                targets += table_targets(line, columns, page_number, _year(lines, len(lines) - 1))
    seen = {(indicator_key(t["indicator"]), t["value"]) for t in targets}
    return _drop_worse_readings(targets + _scan(lines, seen))


def _text_lines(page: Page, known: dict[int, Any]) -> list[_Line | Table]:
    """The page's lines for the scanner; a known table in their place; the cells of a table
    the header says nothing about, each as a line (as OCR flattens a table)."""
    if page.plain_text is not None or not page.blocks:
        return [_Line(page.number, ln.text, fold(ln.text), ln.confidence, ln.box)
                for ln in page_lines(page)]
    out: list[_Line | Table] = []
    for block in page.blocks:
        table = block.table
        if table is not None and id(table) in known:
            out.append(table)
            continue
        if table is not None:
            pieces = [(cell.text, cell.confidence, Box.union([w.box for w in cell.words]))
                      for row in table.rows for cell in row.cells if cell.words]
        else:
            pieces = [(line.text, line.confidence, line.box) for line in block.lines
                      if line.text.strip()]
        out += [_Line(page.number, squash(t), fold(squash(t)), c, b) for t, c, b in pieces]
    return out


def _scan(lines: list[_Line], seen: set[tuple[str, float]]) -> list[dict[str, Any]]:
    """Targets in running text: each value takes the nearest indicator wording before it."""
    targets: list[dict[str, Any]] = []
    head: tuple[int, int] | None = None  # (line, offset) of the latest indicator head
    for i, line in enumerate(lines):
        found = [(m.start(), "head", m) for m in HEAD.finditer(line.folded + " ")]
        found += [(m.start(), "unit", m) for m in UNIT_VALUE.finditer(line.folded)]
        found += [(m.start(), "prose", m) for m in VALUE_PERCENT.finditer(line.folded)]
        alone = VALUE_LINE.match(line.folded.strip())
        if alone and (_value(alone["value"]) >= 20 or "%" in line.folded):
            found.append((0, "alone", alone))
        for at, kind, match in sorted(found, key=lambda f: (f[0], f[1] != "head")):
            if kind == "head":
                head = (i, at)
                continue
            if head is None or i - head[0] > MAX_SPAN or (head[0] == i and head[1] > at):
                continue
            value = _value(match["value"])
            if value > 100:
                continue
            wording, responsible = _wording(lines, head, (i, at))
            if len(indicator_key(wording)) < 8:
                continue
            head_at, head = head[0], None  # one value per wording
            linked, _ = link_indicator(wording)
            if linked is None and len(wording.split()) < MIN_WORDS:
                continue
            comparator_text = match["cmp"] or ""
            if kind == "alone" and not comparator_text and i > 0 and _is_label(lines[i - 1].folded):
                comparator_text = lines[i - 1].folded  # "Tối thiểu" on the line above
            indicator = linked.name if linked else sentence_case(wording)
            key = (indicator_key(indicator), value)
            if key in seen:
                continue
            seen.add(key)
            context = " ".join(ln.folded for ln in lines[max(0, i - 1) : i + 1])
            rank = RANK.search(context)
            target: dict[str, Any] = {
                "indicator": indicator,
                "value": value,
                "unit": "%",
                "comparator": _comparator(comparator_text),
                "kind": "actual" if ACTUAL.search(context) else "target",
                "year": _year(lines, i),
                "responsible": [b for r in responsible for b in split_organisations(r)],
                "page": line.page,
                "indicator_code": linked.code if linked else None,
                "wording": wording,
            }
            if rank:
                target["rank"] = rank.group(1).replace(" ", "")
            target.update(_provenance(lines[head_at : i + 1], line.page))
            targets.append(target)
    return targets


def _provenance(span: list[_Line], page: int) -> dict[str, Any]:
    """Where the target was read (page box of its lines) and how sure OCR was of them."""
    span = [ln for ln in span if ln.page == page]
    boxes = [ln.box for ln in span if ln.box is not None]
    return {
        "box": _box_list(Box.union(boxes)) if boxes else None,
        "confidence": round(sum(ln.confidence for ln in span) / len(span), 1) if span else None,
    }


def _box_list(box: Box) -> list[int]:
    return [box.x0, box.y0, box.x1, box.y1]


def _is_label(folded: str) -> bool:
    """A short line of letters only: a comparator cell (``Tối thiểu``) however garbled."""
    return bool(folded.strip()) and len(folded) <= 16 and not regex.search(r"\d{2}", folded)


def _drop_worse_readings(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An unlinked target close to a linked one with the same value is the same row read
    worse (a table repeated under two headings, the second copy more damaged)."""
    from rapidfuzz import fuzz

    linked = [t for t in targets if t["indicator_code"]]
    return [
        t for t in targets
        if t["indicator_code"] or not any(
            other["value"] == t["value"]
            and fuzz.token_sort_ratio(indicator_key(t["indicator"]),
                                      indicator_key(other["indicator"])) >= DUPLICATE_SCORE
            for other in linked
        )
    ]
