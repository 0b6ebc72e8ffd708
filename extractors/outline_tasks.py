"""Nhiệm vụ in the body: tasks read from the outline, each sentence judged by a trained model.

Every sentence of the body is a candidate. Its lead is the one it names (``Giao Sở X …``,
``Sở X chủ trì …``), else the one its paragraph named first, else the body its section's
heading names (``1. Sở Giao thông vận tải:`` then bullets), else the addressees of the
sentence that opened the list (``… yêu cầu Thủ trưởng các sở, ban, ngành thực hiện tốt các
nội dung sau:``). Whether a candidate is work assigned, or a legal basis, history, a
figure, an execution clause, a closing formula or a request upward, is a classification:
a logistic model over the features below (scripts/train_tasks.py fits it on annotated
real directives, cross-validated by document, and writes extractors/data/task_model.json).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from extractors.assignment import (
    PERIODIC,
    WORK,
    Assignment,
    addressees,
    read_assignment,
)
from extractors.common import fold
from extractors.deadlines import due_date
from pipeline.core.outline import OutlineNode

MODEL = Path(__file__).parent / "data" / "task_model.json"
# no order runs this long (the longest true task of real and real3 is ~700 characters): a
# "sentence" past it is text whose stops were lost, and reading it as one costs minutes
LONGEST_SENTENCE = 3000
KINDS = ("text", "part", "article", "number1", "number2", "number3", "letter", "step",
         "dash", "plus")
CHAIR_LINE = regex.compile(r"^(?:Đơn vị|Cơ quan)\s+chủ trì\s*:\s*(?P<who>.+)$", regex.I)
PARTNER_LINE = regex.compile(r"^(?:Đơn vị|Cơ quan)\s+phối hợp\s*:\s*(?P<who>.+)$", regex.I)
# words that mark what is not work: a basis, the past, a purpose, a formula
BASIS = regex.compile(r"^(?:căn cứ|thực hiện|theo|ngày \d|tiếp theo|nhằm|để|qua|trong thời gian qua|"
                      r"thời gian qua|trên cơ sở|kết quả|tuy nhiên|nhìn chung|đến nay|hiện nay|"
                      r"vừa qua|năm \d{4}|với mục tiêu|mục đích|mục tiêu)\b")
# (the execution and responsibility clauses and "… các nội dung sau:" are NO_TASK below: ruled
# out before the model, so never one of its features)
FORMULA = regex.compile(r"nghiêm túc (?:triển khai )?thực hiện|"
                        r"thực hiện (?:nghiêm túc )?(?:chỉ thị|công văn|thông báo|kế hoạch|"
                        r"quyết định) này|(?:\./\.|/\.)\s*$|xin trân trọng|trân trọng|"
                        r"kính báo cáo|để (?:biết|báo cáo)|được biết")
PAST = regex.compile(r"\b(?:đã|đạt|được)\b")
# words that name no work of their own: "nghiêm túc triển khai thực hiện các nội dung sau"
EMPTY_WORK = {"nghiêm", "túc", "triển", "khai", "thực", "hiện", "tổ", "chức", "khẩn",
              "trương", "quán", "triệt", "tiếp", "tục", "các", "nội", "dung", "trên", "này",
              "sau", "văn", "bản", "kế", "hoạch", "công", "theo", "đúng", "quy", "định", "có",
              "hiệu", "quả", "và", "tốt", "chỉ", "thị", "thông", "báo", "quyết", "như"}
# the formulas TASKS.md names as no task: the execution and responsibility clauses
NO_TASK = regex.compile(r"chịu trách nhiệm (?:thi hành|trước)|(?:nội dung|nhiệm vụ) (?:như )?sau\s*:?\s*$",
                        regex.I)
# a lead that is a body or its head: what a follow-up register can file a task under
BODY_HEAD = regex.compile(
    r"^(?:(?:Đồng chí\s+)?(?:Chủ tịch|Giám đốc|Thủ trưởng|Trưởng|Hiệu trưởng|Chánh|Bộ trưởng|"
    r"Cục trưởng|Chi cục trưởng)\b|Sở|UBND|Ủy ban|Uỷ ban|Bộ|Phòng|Ban|Văn phòng|Công an|"
    r"Trung tâm|Cục|Chi cục|Khoa|Đoàn|Hội|Viện|Thanh tra|Kho bạc|Bảo hiểm|Đài|Tổng cục|"
    r"Tòa án|Viện kiểm sát|Mặt trận|Liên đoàn|Đảng ủy|Sinh viên|Học sinh)\b")
GROUP_HEAD = regex.compile(r"^[Cc]ác\s+(?:sở|bộ|cơ quan|đơn vị|phòng|ban|khoa|trường|huyện|"
                           r"xã|địa phương|doanh nghiệp|tổ chức|cơ sở|ngành|tỉnh|quận|"
                           r"thành viên|hội|đoàn|trung tâm|chi cục|cục|Bộ|Sở)\b")
GROUPED = regex.compile(r"\b(?:tổ chức thực hiện|nhiệm vụ|giải pháp|phân công|trách nhiệm)\b")


@dataclass
class Candidate:
    """One sentence that may be a task, with what decides it."""

    sentence: str
    assignment: Assignment
    lead: str | None
    lead_from: str  # own, paragraph, heading, recipients, none
    node: OutlineNode
    depth: int
    index: int  # the sentence's place in its paragraph
    group: str | None  # the section heading it sits under
    position: float  # 0-1 through the body
    under_grouping: bool  # a heading above it says tasks (Tổ chức thực hiện, Nhiệm vụ)


def candidates(roots: list[OutlineNode], addressed: str | None = None) -> list[Candidate]:
    """Every sentence of the outline as a candidate, its lead resolved through the tree;
    ``addressed`` (the Kính gửi recipients) is the lead of last resort."""
    found: list[Candidate] = []
    total = sum(1 for _ in _nodes(roots)) or 1

    def visit(nodes: list[OutlineNode], depth: int, inherited: str | None, group: str | None,
              grouping: bool) -> None:
        consumed: set[int] = set()
        opened: str | None = None  # "… đề nghị UBND các tỉnh một số nội dung sau:" then 1., 2.
        for at, node in enumerate(nodes):
            if at in consumed:
                continue
            chair = _chair(node, nodes[at + 1: at + 3])
            if chair:  # "17. … / a) Đơn vị chủ trì: … / b) Đơn vị phối hợp: …"
                lead, partners, used = chair
                consumed |= {at + 1 + k for k in used}
                found.append(Candidate(node.text, Assignment(node.text, lead, partners), lead,
                                       "own", node, depth, 0, group, len(found) / total,
                                       grouping))
                rest = [c for c in node.children if not _chair_line(c)]
                if rest:
                    visit(rest, depth + 1, lead, group, grouping)
                continue
            sentences = node.sentences()
            first_lead = None
            for i, sentence in enumerate(sentences):
                if len(sentence) > LONGEST_SENTENCE:
                    continue
                said = read_assignment(sentence)
                lead, source = said.lead, "own"
                if lead is None and first_lead:
                    lead, source = first_lead, "paragraph"
                elif lead is None and (opened or inherited):
                    lead, source = opened or inherited, "heading"
                elif lead is None and addressed:
                    lead, source = addressed, "recipients"
                elif lead is None:
                    source = "none"
                first_lead = first_lead or said.lead
                found.append(Candidate(sentence, said, lead, source, node, depth, i, group,
                                       len(found) / total, grouping))
            if node.kind == "text" and not node.children and at + 1 < len(nodes) and \
                    nodes[at + 1].kind.startswith(("number", "letter")):
                # an opening paragraph whose numbered items the outline left as its siblings
                opened = _heading_lead(node) or opened
            if node.children:
                heading = _heading_lead(node) or first_lead
                title = node.text if len(node.text) < 160 else group
                visit(node.children, depth + 1, heading or inherited, title,
                      grouping or bool(GROUPED.search(node.text[:80].lower())))

    visit(roots, 0, None, None, False)
    return found


def _nodes(roots: list[OutlineNode]):
    for root in roots:
        for _, node in root.walk():
            yield node


def _chair_line(node: OutlineNode) -> bool:
    return bool(CHAIR_LINE.match(node.text) or PARTNER_LINE.match(node.text))


def _chair(node: OutlineNode, following: list[OutlineNode]
           ) -> tuple[str, list[str], list[int]] | None:
    """The lead and partners an item's ``Đơn vị chủ trì:`` / ``Đơn vị phối hợp:`` lines
    name: its first children, or (their marker misread) the siblings right after it; with
    which of those siblings were used."""
    if _chair_line(node):
        return None
    lines = [(None, c) for c in node.children[:2] if _chair_line(c)] or \
        [(k, c) for k, c in enumerate(following) if _chair_line(c)]
    lead, partners, used = None, [], []
    for k, line in lines:
        if match := CHAIR_LINE.match(line.text):
            lead = match["who"].strip(" .;")
        elif match := PARTNER_LINE.match(line.text):
            partners = [p.strip() for p in regex.split(r";\s*", match["who"].strip(" .;")) if p]
        if k is not None:
            used.append(k)
    if following and lines and lines[0][0] not in (None, 0):
        return None  # the siblings' lines must follow at once
    return (lead, partners, used) if lead else None


def _heading_lead(node: OutlineNode) -> str | None:
    """The body a heading names for what follows: ``1. Sở Giao thông vận tải:``, ``Đề nghị
    UBND tỉnh:``, ``… yêu cầu các sở, ngành thực hiện các nội dung sau:``."""
    text = node.text.strip()
    if not text.endswith(":"):
        return None
    said = read_assignment(text)
    if said.lead:
        return said.lead
    if who := addressees(text):
        return who
    bare = text.rstrip(": ")
    # a heading that is a body's name ("Sở Giao thông vận tải:", "Các sở, ban, ngành:"), not
    # a topic that starts like one ("Sinh viên với Tổ quốc … gồm các nội dung:")
    if len(bare.split()) <= 16 and (BODY_HEAD.match(bare) or GROUP_HEAD.match(bare)) and \
            not WORK.search(bare) and not regex.search(r"\b(?:gồm|về|với|như sau)\b", bare):
        return bare
    return None


def features(c: Candidate, doc_type: str | None) -> dict[str, float]:
    """What the model weighs, each a number: the sentence's own words, its place in the
    outline and where its lead came from."""
    text = fold(c.sentence)
    lower = c.sentence.lower()  # the vocabularies below are written with their marks
    a = c.assignment
    words = len(c.sentence.split())
    f: dict[str, float] = {
        "verb_giao": float(a.verb in ("giao", "giao cho", "phân công")),
        "verb_de_nghi": float(a.verb in ("đề nghị", "đề nghị với")),
        "verb_kinh_de_nghi": float(a.verb == "kính đề nghị"),
        "verb_yeu_cau": float(a.verb == "yêu cầu"),
        "verb_chi_dao": float(a.verb == "chỉ đạo"),
        "lead_own": float(c.lead_from == "own" and a.lead is not None),
        "lead_paragraph": float(c.lead_from == "paragraph"),
        "lead_heading": float(c.lead_from == "heading"),
        "lead_none": float(c.lead is None),
        "lead_recipients": float(c.lead_from == "recipients"),
        "lead_body": float(bool(c.lead and BODY_HEAD.match(c.lead))),
        "lead_group": float(bool(c.lead and GROUP_HEAD.match(c.lead))),
        "lead_log_words": math.log1p(len((c.lead or "").split())),
        "future": float(bool(regex.search(r"\bsẽ\b", c.sentence))),
        "purpose": float(text.startswith(("de ", "nham "))),
        "partners": float(bool(a.partners)),
        "chu_tri": float("chu tri" in text),
        "deadline": float(a.deadline is not None),
        "basis": float(bool(BASIS.match(lower.lstrip(" -+•")))),
        "formula": float(bool(FORMULA.search(lower))),
        "past": float(bool(PAST.search(text[:60]))),
        "digits_share": sum(ch.isdigit() for ch in text) / max(1, len(text)),
        "percent": float("%" in text),
        "colon_end": float(c.sentence.rstrip().endswith(":")),
        "question": float("?" in text),
        "log_words": math.log1p(words),
        "short": float(words < 5),
        "long": float(words > 80),
        "first_sentence": float(c.index == 0),
        "depth": min(c.depth, 4) / 4,
        "position": c.position,
        "has_children": float(bool(c.node.children)),
        "under_grouping": float(c.under_grouping),
        "under_purpose": float(bool(c.group and regex.search(r"mục đích|yêu cầu|quan điểm",
                                                             c.group, flags=regex.I))),
        "starts_lower": float(c.sentence[:1].islower()),
        "condition": float(text.startswith(("truong hop", "neu ", "trong qua trinh"))),
        "citation": float(bool(regex.search(r"\d+/[\p{L}Đđ-]+", c.sentence))),
        "annex": float("phu luc" in text[:30]),
        "doc_to_trinh": float((doc_type or "") == "Tờ trình"),
        "doc_bao_cao": float((doc_type or "") == "Báo cáo"),
        "doc_quyet_dinh": float((doc_type or "") == "Quyết định"),
        "doc_ke_hoach": float((doc_type or "") == "Kế hoạch"),
    }
    for kind in KINDS:
        f[f"kind_{kind}"] = float(c.node.kind == kind)
    # a lead inherited from a heading counts when the heading names a body (1. Sở Nội vụ:),
    # not when it is a topic that happens to start like one (Các Nghị quyết …:)
    body = f["lead_body"] or f["lead_group"]
    f["heading_body"] = f["lead_heading"] * body
    # the archetype of an order: an assigning verb, then a body named, then its work
    f["explicit_order"] = float(a.verb in ("giao", "giao cho", "phân công", "đề nghị",
                                           "yêu cầu") and f["lead_own"] and bool(body))
    f["own_body"] = f["lead_own"] * body
    f["work_bullet"] = float(c.node.kind in ("dash", "plus", "letter", "number2") and
                             c.lead_from == "heading" and bool(WORK.match(c.sentence.lower())))
    return f


# before the first fit (a fresh checkout running scripts/train_tasks.py): a sentence that
# names its lead, or is given with an assigning verb, is a task
PRIOR = {"intercept": -2.0, "threshold": 0.5,
         "coef": {"lead_own": 2.5, "verb_giao": 1.5, "verb_de_nghi": 1.0, "verb_yeu_cau": 1.0,
                  "lead_heading": 1.5, "basis": -3.0, "formula": -3.0, "colon_end": -2.0}}


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    if not MODEL.exists():
        return PRIOR
    return json.loads(MODEL.read_text(encoding="utf-8"))


def probability(values: dict[str, float], weights: dict[str, Any] | None = None) -> float:
    """The model's belief that a candidate is a task (its logistic regression)."""
    weights = weights or model()
    z = weights["intercept"] + sum(weights["coef"].get(k, 0.0) * v for k, v in values.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def find_outline_tasks(roots: list[OutlineNode], doc_type: str | None, year: int | None,
                       weights: dict[str, Any] | None = None,
                       recipients: list[str] | None = None) -> list[dict[str, Any]]:
    """The tasks of a body's outline: candidates the model takes, with their fields."""
    weights = weights or model()
    tasks: list[dict[str, Any]] = []
    chosen: list[tuple[Candidate, dict]] = []
    for c in candidates(roots, addressed_by(recipients)):
        # a task is work given to someone (TASKS.md): a sentence with no lead is none, nor
        # one whose work is a formula ("nghiêm túc triển khai thực hiện", "chịu trách nhiệm …")
        p = probability(features(c, doc_type), weights) if c.lead and has_work(c) else 0.0
        if p and _given(c):  # "Giao Sở X …": TASKS.md's archetype of an assignment
            p = max(p, 0.9)
        if p < weights.get("threshold", 0.5) or not c.assignment.content:
            if chosen and c.assignment.deadline and _reports_back(c.sentence):
                _cover(chosen, c, year)  # "Báo cáo kết quả gửi về … trước ngày …"
            continue
        task = as_task(c, year, p)
        tasks.append(task)
        chosen.append((c, task))
    return tasks


def has_work(c: Candidate) -> bool:
    """Whether a candidate's content names work of its own (TASKS.md: a closing formula with
    no object of work, an execution or responsibility clause is no task)."""
    content = c.assignment.content
    if NO_TASK.search(content) or NO_TASK.search(c.sentence):
        return False
    words = [w.strip(",;:./()").lower() for w in content.split()]
    return any(w and w not in EMPTY_WORK for w in words)


def _given(c: Candidate) -> bool:
    """Work handed out by name: ``Giao``/``Phân công`` + a body, then its work."""
    return c.assignment.verb in ("giao", "giao cho", "phân công") and \
        c.lead_from == "own" and names_body(c.lead)


def names_body(lead: str | None) -> bool:
    """A lead a register can file a task under: a body, its head, or a group of bodies."""
    return bool(lead and (BODY_HEAD.match(lead) or GROUP_HEAD.match(lead)))


def addressed_by(recipients: list[str] | None) -> str | None:
    """The Kính gửi recipients as one lead of last resort (``A, B, C``)."""
    return ", ".join(r.strip(" ;.,") for r in recipients or []) or None


def _reports_back(sentence: str) -> bool:
    return bool(regex.search(r"gửi về|gửi (?:văn bản|báo cáo|kết quả)|báo cáo (?:kết quả|về)",
                             sentence, flags=regex.I))


def _cover(chosen: list[tuple[Candidate, dict]], closing: Candidate, year: int | None) -> None:
    """A deadline said once after the items it covers goes to those of them without one."""
    due = due_date(closing.assignment.deadline, year)
    for c, task in reversed(chosen):
        if c.group != closing.group and closing.group is not None:
            break
        if task["deadline"] is None:
            task["deadline"], task["due_date"] = closing.assignment.deadline, due


def as_task(c: Candidate, year: int | None, p: float) -> dict[str, Any]:
    a = c.assignment
    box = c.node.box
    return {
        "content": a.content,
        "lead": c.lead,
        "partners": a.partners,
        "deadline": a.deadline,
        "due_date": due_date(a.deadline, year),
        "periodic": bool(a.deadline and PERIODIC.search(a.deadline)),
        "output": None,
        "page": c.node.page,
        "box": [box.x0, box.y0, box.x1, box.y1] if box else None,
        "group": c.group,
        "sentence": c.sentence,
        "confidence": round(100 * p, 1),
        "source": "prose",
    }


__all__ = ["Candidate", "candidates", "features", "find_outline_tasks", "probability"]
