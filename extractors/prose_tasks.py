"""Nhiệm vụ giao trong văn bản: tasks assigned in sentences rather than in a table.

Two shapes recur in directives:

- ``Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát ..., hoàn thành trong tháng
  12/2024.`` — the lead follows "Giao", partners follow "phối hợp với", the deadline closes
  the sentence;
- a numbered item followed by its agencies on lines of their own (công văn of Đà Nẵng):
  ``17. Các cơ sở giáo dục ... / a) Đơn vị chủ trì: Sở GDĐT, Sở LĐTBXH. / b) Đơn vị phối
  hợp: các sở, ban, ngành liên quan.``
"""

from __future__ import annotations

from typing import Any

import regex

from extractors.common import squash
from extractors.deadlines import due_date
from extractors.organisations import BODY_START, split_organisations
from pipeline.core.document import Region

# a sentence that gives work: "Giao …", "Đề nghị …", "Yêu cầu …", "Chỉ đạo …", "Phân công …"
ASSIGN = regex.compile(r"(?:^|[.;:]\s+|-\s*)(?P<verb>Giao(?:\s+cho)?|Đề nghị|Yêu cầu|Chỉ đạo|"
                       r"Phân công)\s+(?P<rest>.+)", regex.S)
# or names its lead first: "Sở Nội vụ chủ trì, phối hợp với … tham mưu …"
LEAD_FIRST = regex.compile(r"^\s*[-+•]?\s*(?P<rest>(?P<who>\p{Lu}[^,;:.]{2,80}?)\s*,?\s*"
                           r"chủ trì\b.+)$", regex.S)
# who may be addressed besides a body: a head of one ("Chủ tịch UBND các huyện")
HEADS = regex.compile(r"(?:Chủ tịch|Giám đốc|Thủ trưởng|Trưởng|Hiệu trưởng|Chánh|Thủ tướng)\b")
PARTNERS = regex.compile(r"(?:,\s*)?(?:chủ trì,?\s*)?phối hợp với\s+", regex.I)
DEADLINE = regex.compile(
    r"[,;]?\s*(?P<deadline>(?:(?:hoàn thành|xong)\s+)?(?:trước ngày|chậm nhất (?:ngày|trong|là)|"
    r"trong (?:tháng|quý|năm)|trong thời gian|(?<=[;,]\s*)thời (?:gian|hạn)(?: thực hiện| hoàn thành)?"
    r"\s*:)\s*[^.;]*?)\s*[.;]?\s*$", regex.I
)
# where the bodies end and the work begins: the first verb of the task
VERB = regex.compile(
    r"\s(?=(?:rà soát|triển khai|thực hiện|tổ chức|xây dựng|tham mưu|theo dõi|kiểm tra|"
    r"hướng dẫn|báo cáo|tổng hợp|đôn đốc|đề xuất|cập nhật|công khai|chuẩn bị|"
    r"nghiên cứu|ban hành|trình|số hóa|tuyên truyền|đẩy mạnh|tăng cường|chỉ đạo|"
    r"hoàn thành|gửi|nộp|chịu trách nhiệm|có trách nhiệm|khẩn trương|nghiêm túc|tiếp tục|"
    r"quán triệt|bảo đảm|đảm bảo|nâng cao|chủ động|phổ biến|thông báo|tham gia|giải quyết|"
    r"xử lý|rà|lập|thống kê|đánh giá|phối hợp thực hiện)\b)"
)
# verbs that say nothing of what is to be done: "nghiêm túc triển khai thực hiện" is no task
EMPTY_WORK = {"nghiêm", "túc", "triển", "khai", "thực", "hiện", "tổ", "chức", "khẩn",
              "trương", "quán", "triệt", "tiếp", "tục", "các", "nội", "dung", "trên", "này",
              "văn", "bản", "kế", "hoạch", "công", "theo", "đúng", "quy", "định", "có", "hiệu",
              "quả", "và", "./.", "/."}
ITEM = regex.compile(r"^\s*(\d{1,2})\.\s+(?P<content>\S.*)$")
LEAD_LINE = regex.compile(r"^\s*[a-dđ]\)\s*(?:Đơn vị|Cơ quan)\s+chủ trì\s*:\s*(?P<who>.+)$", regex.I)
PARTNER_LINE = regex.compile(r"^\s*[a-dđ]\)\s*(?:Đơn vị|Cơ quan)\s+phối hợp\s*:\s*(?P<who>.+)$",
                             regex.I)


def _task(content: str, lead: list[str], partners: list[str], deadline: str | None,
          page: int) -> dict[str, Any]:
    return {
        "content": squash(content).strip(" ,.;:"),
        "lead": lead[0] if lead else None,
        "partners": lead[1:] + partners,
        "deadline": deadline,
        "due_date": due_date(deadline),
        "output": None,
        "page": page,
        "source": "prose",
    }


def _sentences(text: str) -> list[str]:
    return [s for s in regex.split(r"(?<=[.;])\s+(?=[-+•]?\s*\p{Lu})", text) if s.strip()]


def _assignment(sentence: str, page: int) -> dict[str, Any] | None:
    """``Giao|Đề nghị|Yêu cầu <lead> [chủ trì, phối hợp với <partners>] <content>[,
    <deadline>]``, or ``<lead> chủ trì, phối hợp với <partners> <content>; thời gian: …``."""
    match = ASSIGN.search(sentence)
    lead_first = None if match else LEAD_FIRST.match(sentence)
    if lead_first and not BODY_START.match(lead_first["who"]):
        lead_first = None
    if not match and not lead_first:
        return None
    rest = (match or lead_first)["rest"].strip()
    addressed = rest[:1].upper() + rest[1:]  # "các sở, ngành": a list of bodies all the same
    if match and not (BODY_START.match(addressed) or HEADS.match(addressed)):
        return None  # "Giao thông …", "Đề nghị này …": no one is addressed
    deadline_match = DEADLINE.search(rest)
    deadline = squash(deadline_match["deadline"]) if deadline_match else None
    if deadline_match:
        rest = rest[: deadline_match.start()]
    verb = VERB.search(rest)
    who, content = (rest[: verb.start()], rest[verb.start() :]) if verb else (rest, "")
    lead_text, _, partners_text = PARTNERS.sub("\x00", who).partition("\x00")
    lead_text = regex.sub(r"\s*,?\s*chủ trì\s*,?\s*$", "", lead_text, flags=regex.I).rstrip(" :")
    lead = split_organisations(lead_text)
    if not lead:
        return None
    if not content.strip():  # "Giao các sở … hoàn thành trước ngày …": the sentence is the task
        if not deadline:
            return None
        content = sentence.strip(" -+•")
    words = [w.lower().strip(",;:./") for w in content.split()]
    if len(words) < 2 or all(w in EMPTY_WORK for w in words):
        return None
    return _task(content, lead, split_organisations(partners_text), deadline, page)


def find_prose_tasks(lines: list[tuple[int, str, Region]]) -> list[dict[str, Any]]:
    """Tasks from body text lines given as (page, text, region)."""
    body = [(page, text) for page, text, region in lines if region is Region.BODY]
    tasks: list[dict[str, Any]] = []
    # numbered items with "a) Đơn vị chủ trì: ..." lines
    item: tuple[int, list[str]] | None = None
    lead: list[str] = []  # the lines of "a) Đơn vị chủ trì: ...", wrapped ones included
    for page, text in body:
        numbered = ITEM.match(text)
        lead_line, partner_line = LEAD_LINE.match(text), PARTNER_LINE.match(text)
        if lead_line and item:
            lead = [lead_line["who"]]
        elif partner_line and item and lead:
            tasks.append(_task(" ".join(item[1]), split_organisations(" ".join(lead)),
                               split_organisations(partner_line["who"]), None, item[0]))
            item, lead = None, []
        elif numbered:
            item, lead = (page, [numbered["content"]]), []
        elif item and lead:
            lead.append(text)
        elif item:
            item[1].append(text)
    # "Giao ..." sentences, over wrapped lines of a page
    for page in sorted({p for p, _ in body}):
        text = " ".join(t for p, t in body if p == page)
        for sentence in _sentences(text):
            found = _assignment(sentence, page)
            if found:
                tasks.append(found)
    return tasks
