"""Task tables (bảng phân công nhiệm vụ) in text without boxes: a .txt, a text layer.

Another engine's OCR of a ruled table gives its lines top to bottom with the columns
interleaved: a line holds a piece of the task's wording, then a piece of the lead's cell,
of the deadline's, of the output's, cut by ``|`` where a rule was seen. What is left to go
on is the order of the lines and three regularities of such tables:

- the row number (Stt) sits in the middle of its row's height: ``5`` on one line, the dot
  of ``5.`` read as ``"`` on the next; numbers run 1, 2, 3 or 1, 1.1, 1.2 (``12`` is a
  ``1.2`` that lost its dot), and start again under each part (``II. …``);
- a task's wording starts with a capital (``Rà soát, tham mưu …``) and goes on in lower
  case, so a row begins on the last capitalised line before its number;
- the wording column is the widest and comes first: a line's text up to its first rule is
  wording, the two words after it are the narrow lead column.

A row is kept as text by role (``content``, ``lead``, ``rest``); extractors/tasks makes the
tasks, and the outline leaves these lines out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex
from rapidfuzz import fuzz

from extractors.columns import TASK_ROLES
from extractors.common import fold, squash

HEADER_MATCH = 80.0
# a part of the plan: I., II. as OCR leaves them (I1., I11., VI11.), then a capital
PART = regex.compile(r"^\s*(?=[IVXl1]*[IVX])[IVXl1]{1,6}\s*\.\s+\p{Lu}")
ANCHOR = regex.compile(r"^\s*(?P<n>\d{1,2}(?:[.,]\d{1,2})?)\s*[.,]?\s*(?:\||\s|$)")
DOT_LINE = regex.compile(r"^\s*[\"“”'.,]\s*(?:\||\s)")  # the dot of "5." on its own line
RULE = regex.compile(r"\s*[|¦]\s*")
# words that open the lead, deadline or output column, never a task's wording
COLUMN_WORDS = regex.compile(
    r"^(?:Công ch[ứắ]c|Cán bộ|Bộ phận|Văn phòng|Phụ trách|Chuyên môn|Các ban|Cơ quan|"
    r"Thường xuyên|Tháng \d|Quý [IVX1l]|Báo cáo\s*$|Quyết định\s*$|Kế hoạch\s*$)", regex.I)
WORDING_START = regex.compile(r"\p{Lu}\p{Ll}|\d{1,3}\s?%\s\p{Ll}")  # Rà soát …, 100% hồ sơ …
LEAD_START = regex.compile(r"\s(?=(?:Công ch[ứắ]c|Cán bộ|Bộ phận|Văn phòng)\b)")
STT_HEADER = regex.compile(r"^(?:s\S{0,2}t|tt)\W+noi dung\b")  # Stt (Sụt, Sút) | Nội dung
HEADER_WORDS = ("co quan", "thoi gian", "ket qua", "noi dung", "chu tri", "phoi hop",
                "hoan thanh", "thuc hien", "ghi chu", "stt")


LABEL_WORDS = {w for _, labels in TASK_ROLES for label in labels for w in label.split()} | \
    {w for label in HEADER_WORDS for w in label.split()}


@dataclass
class TextRow:
    """One body row of a text table: its number as read, its wording and the rest."""

    number: str
    content: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)
    group: str | None = None
    first_line: int = 0


def is_header(text: str) -> bool:
    """``Stt | Nội dung | Cơ quan chủ trì | phối hợp | Thời gian hoàn thành …``: the wording
    column's label and two more roles' labels, in one short line."""
    folded = fold(text)
    if len(folded.split()) > 24:
        return False
    if STT_HEADER.match(folded):
        return True
    # a sentence that happens to name the roles ("Thời gian qua, các cơ quan … thực hiện …")
    # is prose: a header ends on no stop and is mostly its labels' words
    words = regex.findall(r"\p{L}+", folded)
    if text.rstrip().endswith((".", ":", ";")) or \
            sum(w in LABEL_WORDS for w in words) < len(words) / 2:
        return False
    roles = set()
    for role, labels in TASK_ROLES:
        if any(fuzz.partial_ratio(label, folded) >= HEADER_MATCH for label in labels
               if len(label) > 3):
            roles.add(role)
    return "content" in roles and len(roles - {"content", "number"}) >= 2


def _header_fragment(text: str) -> bool:
    """``Cơ quan``, ``Theo gian``, ``Kết quả``: a piece of a header repeated on a new page."""
    folded = fold(text).strip(" .|")
    if len(folded.split()) <= 3:
        return any(fuzz.ratio(folded, word) >= 75 for word in HEADER_WORDS)
    found = sum(fuzz.partial_ratio(word, folded) >= 85 for word in HEADER_WORDS if len(word) > 3)
    return len(folded.split()) <= 12 and found >= 2


def text_tables(lines: list[str]) -> tuple[list[TextRow], set[int]]:
    """The rows of every task table in ``lines`` and the indices of the lines they used."""
    rows: list[TextRow] = []
    used: set[int] = set()
    i = 0
    group: str | None = None
    while i < len(lines):
        if PART.match(lines[i]):
            group = squash(lines[i])
        if not is_header(lines[i]):
            i += 1
            continue
        end = _table_end(lines, i + 1)
        table_rows = _rows(lines, i + 1, end)
        if len(table_rows) >= 2 or any(r.number.strip(".") == "1" for r in table_rows):
            for row in table_rows:
                row.group = row.group or group
            rows += table_rows
            used.update(range(i, end))
        i = end
    return rows, used


def _table_end(lines: list[str], start: int) -> int:
    """Where a table stops: a part heading not followed by another header, or the end."""
    for j in range(start, len(lines)):
        if is_header(lines[j]):
            continue
        if PART.match(lines[j]) and not any(is_header(t) for t in lines[j + 1:j + 8]):
            return j
        if fold(lines[j]).startswith(("noi nhan", "tm. ", "kt. ")):
            return j
    return len(lines)


def _number(raw: str) -> tuple[int, int | None]:
    """``1`` → (1, None), ``1.2`` → (1, 2)."""
    parts = regex.split(r"\s?[.,]\s?", raw)
    return int(parts[0]), (int(parts[1]) if len(parts) > 1 and parts[1] else None)


def _next_numbers(last: tuple[int, int | None] | None) -> set[tuple[int, int | None]]:
    if last is None:
        return {(1, None), (1, 1)}
    top, sub = last
    if sub is None:
        return {(top + 1, None), (top, 1)}
    return {(top, sub + 1), (top + 1, None), (top + 1, 1)}


def _read_anchor(text: str, last: tuple[int, int | None] | None) -> tuple[int, int | None] | None:
    """The row number a line starts with, when it is the one expected next; ``12`` is read
    as ``1.2`` when 1.2 is expected (a lost dot) and 12 is not."""
    match = ANCHOR.match(text)
    if not match:
        return None
    raw = match.group("n")
    expected = _next_numbers(last)
    number = _number(raw)
    if number in expected:
        return number
    if last is None and number[1] is None and "|" in text[:match.end() + 1]:
        return number  # a table going on from the page before: 4 | …
    if regex.fullmatch(r"\d\d", raw) and (int(raw[0]), int(raw[1])) in expected:
        return int(raw[0]), int(raw[1])
    return None


def _continues(lines: list[str], start: int, end: int, last: tuple[int, int | None]) -> bool:
    """Whether the sub-numbering after ``last`` (1.1 → 1.2) turns up in ``lines[start:end]``."""
    top, sub = last
    return any(_read_anchor(lines[m], last) == (top, (sub or 0) + 1) for m in range(start, end))


def _rows(lines: list[str], start: int, end: int) -> list[TextRow]:
    anchors: list[tuple[int, tuple[int, int | None]]] = []
    last = None
    group = None
    groups: dict[int, str] = {}
    for j in range(start, end):
        text = lines[j]
        if PART.match(text):
            group, last = squash(text), None  # numbering starts again under each part
            continue
        number = _read_anchor(text, last)
        if number is not None and last is not None and last[1] is not None and \
                number[1] is None and _continues(lines, j + 1, min(end, j + 40), last):
            number = None  # "3." of a list inside a cell: the row numbering 1.2 goes on below
        if number is None and DOT_LINE.match(text) and last is not None and last[1] is None \
                and j - anchors[-1][0] > 2:
            number = (last[0] + 1, None)  # a row whose number is lost but whose dot is left
        if number is not None:
            anchors.append((j, number))
            last = number
            if group:
                groups[j] = group
    anchors = _stacked_starts(lines, start, end, anchors)
    rows: list[TextRow] = []
    for k, (j, number) in enumerate(anchors):
        if k + 1 < len(anchors) and number[1] is None and anchors[k + 1][1] == (number[0], 1):
            continue  # "1" above "1.1", "1.2": a heading over its items, not a task
        first = _row_start(lines, anchors[k - 1][0] if k else start - 1, j)
        stop = _row_start(lines, j, anchors[k + 1][0]) if k + 1 < len(anchors) else end
        row = TextRow(".".join(str(n) for n in number if n is not None), first_line=first,
                      group=groups.get(j))
        for m in range(first, stop):
            if m == j or _body_line(lines[m]):
                _split_line(lines[m], row, anchor=m == j)
        rows.append(row)
    rows = [r for r in rows if r.content and not _assigned_elsewhere(r)]
    _vote_leads(rows)
    return rows


def _vote_leads(rows: list[TextRow]) -> None:
    """The lead column names the same few bodies down the table, while the words of the
    columns beside it that leak into it differ row to row: keep a row's lead words that
    at least a sixth of the table's rows (and two) have too."""
    counts: dict[str, int] = {}
    for row in rows:
        for word in {fold(w) for w in row.lead}:
            counts[word] = counts.get(word, 0) + 1
    floor = max(2, len(rows) // 6)
    for row in rows:
        kept = [w for w in row.lead if counts.get(fold(w), 0) >= floor]
        row.lead = [w for i, w in enumerate(kept) if i == 0 or fold(w) != fold(kept[i - 1])]


def _assigned_elsewhere(row: TextRow) -> bool:
    """``Đã được phân công theo Kế hoạch số …``: the work was given by another document,
    this row only points to it (TASKS.md: not a task of this one)."""
    return "duoc phan cong theo" in fold(" ".join(row.content + row.rest))


def _stacked_starts(lines: list[str], start: int, end: int,
                    anchors: list[tuple[int, tuple[int, int | None]]]
                    ) -> list[tuple[int, tuple[int, int | None]]]:
    """Rows an engine read cell by cell (the wording's lines, then the lead's, the
    deadline's, each a few words): a wide capitalised line after a run of short ones is
    the next row's wording. Such a row has no number of its own; it takes (0, None)."""
    taken = {j for j, _ in anchors}
    extra = []
    for j in range(start + 2, end):
        text = lines[j]
        if j in taken or len(text.split()) < 4 or not _body_line(text) or \
                not WORDING_START.match(text) or COLUMN_WORDS.match(text):
            continue
        before = [t for t in lines[j - 2:j]]
        if all(len(t.split()) <= 3 for t in before) and \
                not any(abs(j - a) <= 2 for a in taken):
            extra.append((j, (0, None)))
    return sorted(anchors + extra)


def _body_line(text: str) -> bool:
    return not (PART.match(text) or is_header(text) or _header_fragment(text))


def _row_start(lines: list[str], after: int, anchor: int) -> int:
    """The line a row begins on: the last capitalised wording line in (after, anchor], or
    just after the previous row's number when there is none."""
    for m in range(anchor, after, -1):
        text = ANCHOR.sub("", lines[m], count=1) if m == anchor else lines[m]
        text = DOT_LINE.sub("", text).strip()
        if WORDING_START.match(text) and not COLUMN_WORDS.match(text) and \
                _body_line(lines[m]):
            return m
    return after + 1


def _split_line(text: str, row: TextRow, anchor: bool) -> None:
    """A line's wording (up to its first rule), the lead's words after it, the rest."""
    if anchor:
        text = ANCHOR.sub("", text, count=1)
    text = DOT_LINE.sub("", text).strip()
    if not text or PART.match(text):
        return
    if COLUMN_WORDS.match(text):
        row.rest.append(text)
        return
    pieces = RULE.split(text, maxsplit=1)
    wording, after = pieces[0], pieces[1] if len(pieces) > 1 else ""
    cut = LEAD_START.search(wording)
    if cut and cut.start() > 0:
        wording, after = wording[:cut.start()], wording[cut.end():] + " " + after
    row.content.append(wording)
    lead_words = RULE.split(after.strip(), maxsplit=1)[0].split()[:2]
    row.lead += lead_words
    row.rest.append(after)
