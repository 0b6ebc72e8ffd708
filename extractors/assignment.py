"""One sentence of a directive read as an assignment: who is told, with whom, to do what, by when.

``Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát …, hoàn thành trước ngày …``
→ lead ``Sở Nội vụ``, partners ``[Sở Tài chính]``, content ``Rà soát …``, deadline ``trước
ngày …``. The lead is kept as the document names it (``Các Bộ: Công Thương, …, Y tế`` is one
lead: the work is theirs jointly); where the bodies end and the work begins is the first
verb of work, from a closed list of the verbs directives use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

# the verb that hands out work, at the start or after a condition ("Trường hợp …, giao …")
# ("Đã nghị": OCR's reading of Đề nghị with its mark misplaced; "Cao": of Giao, its G's bar
# lost — taken only where a body is named after it)
ASSIGN = regex.compile(r"(?:^|(?<=[,;:]\s*))(?P<verb>(?:[Gg]iao|Cao)(?:\s+cho)?|[Đđ][ềãể] nghị|[Yy]êu cầu|"
                       r"[Cc]hỉ đạo|[Pp]hân công|[Kk]ính đề nghị|[Đđ]ề nghị với)\s+")
# who may be addressed: a body, a head of one, or a group of people
ADDRESSEE = regex.compile(
    r"(?!Trường hợp|Tổ chức|Hội nghị|Ban hành|Đoàn kết|Bộ máy)"
    r"(?:Sở|Phòng|UBND|Ủy ban|Uỷ ban|Công an|Văn phòng|Trung tâm|Ban|Bộ|Các|Chi cục|Cục|Kho bạc|"
    r"Bảo hiểm|Trường|Thanh tra|Đài|Liên đoàn|Mặt trận|Đại học|Hội|Đoàn|Viện|Khoa|Tổng cục|"
    r"Chủ tịch|Giám đốc|Thủ trưởng|Trưởng|Hiệu trưởng|Chánh|Thủ tướng|Bộ trưởng|Tổ|Hội đồng|"
    r"Cơ quan|Đơn vị|Sinh viên|Học sinh|Người|Doanh nghiệp|Cán bộ|Công chức|Quân|Lãnh đạo|"
    r"Các đơn vị|Đảng ủy|Tòa án|Viện kiểm sát|Cảng vụ|Chi nhánh|"
    r"Ngân hàng|Tập đoàn|Tổng công ty|Công ty|Hạt|Đội|Nhà trường|UB|HĐND)\b", regex.I)
# the verbs work starts with (where the bodies end)
WORK_VERBS = (
    "rà soát|triển khai|thực hiện|tổ chức|xây dựng|tham mưu|theo dõi|kiểm tra|hướng dẫn|"
    "báo cáo|tổng hợp|đôn đốc|đề xuất|cập nhật|công khai|chuẩn bị|nghiên cứu|ban hành|trình|"
    "số hóa|tuyên truyền|đẩy mạnh|tăng cường|chỉ đạo|hoàn thành|hoàn thiện|gửi|nộp|"
    "chịu trách nhiệm|có trách nhiệm|khẩn trương|nghiêm túc|tiếp tục|quán triệt|bảo đảm|"
    "đảm bảo|nâng cao|chủ động|phổ biến|thông báo|tham gia|giải quyết|xử lý|lập|thống kê|"
    "đánh giá|phối hợp|chủ trì|quan tâm|sớm|kịp thời|cử|bố trí|làm việc|tiếp nhận|tiếp thu|"
    "đăng ký|tham dự|cung cấp|phân bổ|cân đối|tập trung|ưu tiên|hỗ trợ|giám sát|xem xét|"
    "phê duyệt|duy trì|ứng dụng|vận động|thành lập|điều chỉnh|bổ sung|sửa đổi|đôn đốc|"
    "phát động|nắm bắt|phấn đấu|kiện toàn|thẩm định|giải ngân|vận hành|phát huy|củng cố|"
    "điều tra|khảo sát|mua sắm|sắp xếp|thanh tra|khắc phục|ngăn chặn|huy động|dừng|thu hồi|"
    "kê khai|nghiệm thu|bàn giao|đăng tải|rà|làm|giữ|tạo điều kiện|chấp hành|thu|lựa chọn|"
    "mang|xuất trình|liên hệ|hoàn tất|cài đặt|truy cập|theo|có văn bản|tích cực|"
    "phân công|giao|đề nghị|yêu cầu|tiến hành|quyết liệt|thường xuyên|sẽ|tự|có biện pháp|"
    "có kế hoạch|có ý kiến|dự kiến|tư vấn"
)
WORK = regex.compile(rf"(?<![\p{{L}}])(?:{WORK_VERBS})(?![\p{{L}}])")
LINK = regex.compile(r"^(?:(?:Trên cơ sở (?:đó|này)|Đồng thời|Sau đó|Ngoài ra|Bên cạnh đó|"
                    r"Mặt khác|Căn cứ (?:đó|vào đó))\s*,|Bước\s*\d{1,2}\s*[:.])\s*", regex.I)
# "Đối với các trường Đại học: chủ động liên hệ …": the lead named as the topic
TOPIC = regex.compile(r"^Đối với\s+(?P<who>[^:]{3,120}?)\s*:\s*", regex.I)
# the issuer's own voice before the verb: "Bộ Công an trân trọng đề nghị các Bộ …"
VOICE = regex.compile(r"(?:trân trọng|kính|đề nghị|yêu cầu|giao)\s*$", regex.I)
# where the partners start, after the lead's role: "chủ trì, phối hợp với …"
PARTNERS = regex.compile(r"^(?:chủ trì\s*,?\s*)?phối hợp(?:\s+chặt chẽ)?\s+với\s+", regex.I)
LEAD_ROLE = regex.compile(r"^\s*,?\s*chủ trì\s*,\s*", regex.I)  # "X chủ trì, …": a role, dropped
DEADLINE = regex.compile(
    r"(?:[,;]\s*|\s)(?P<deadline>(?:(?:hoàn thành|xong|thực hiện)\s+)?(?:trước ngày|"
    r"trước\s+\d{1,2}\s*(?:giờ|h)|từ\s+(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}[^.;]{0,12}?\s+đến|"
    r"\d{1,2}\s*(?:h|giờ)\s*\d{0,2}\s*(?:phút\s*)?,?\s*ngày\s+\d{1,2}\s*/|"
    r"chậm nhất (?:ngày|trong|là|vào)|trong (?:tháng|quý|năm|ngày)|"
    r"(?:ngay )?trong năm \d{4}|"
    r"trong thời gian|thời (?:gian|hạn)(?: thực hiện| hoàn thành| gửi| báo cáo)?\s*:|"
    r"hạn (?:chót|nộp|cuối)\s*:?|hạn\s*:|định kỳ|hằng (?:tháng|quý|năm)|hàng (?:tháng|quý|năm))"
    r"[^.;]*?)\s*[.;]?\s*$", regex.I)
# a deadline inside the sentence, the work going on after it ("hoàn thành trước ngày
# 30/6/2021, tổ chức …", "bố trí … ngay trong năm 2025 để …"): only with an explicit day or
# year, so a mere "trong thời gian tới" is not taken for one; a span inside a sentence is
# as often the period a report covers ("kỳ đánh giá từ ngày … đến ngày …") and is left
_DAY = r"\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
_HOUR = r"\d{1,2}\s*(?:h|giờ)\s*\d{0,2}\s*(?:phút\s*)?,?\s*"
MID_DEADLINE = regex.compile(
    rf"(?<![\p{{L}}])(?P<deadline>(?:(?:hoàn thành|xong)\s+)?(?:trước|chậm nhất(?:\s+là|\s+vào)?)\s+"
    rf"(?:{_HOUR})?(?:ngày\s+)?(?:{_DAY})"
    rf"|(?:ngay\s+)?trong\s+năm\s+\d{{4}})(?!\s*\d)", regex.I)
# "… đề nghị UBND các tỉnh một số nội dung sau:": what they are asked is not who
ASKED = regex.compile(r"\s+(?:một số|các|những)\s+(?:nội dung|việc|nhiệm vụ|công việc)\b.*$")
PERIODIC = regex.compile(r"\b(?:hằng|hàng|định kỳ)\s*(?:tháng|quý|năm|tuần|ngày)?", regex.I)


ASSIGN_ANYWHERE = regex.compile(r"(?<![\p{L}])(?:giao|(?:kính\s+)?đề nghị|yêu cầu|chỉ đạo|phân công)\s+",
                                regex.I)


@dataclass
class Assignment:
    """What one sentence says: its lead (None if it names none), partners, work, deadline."""

    content: str
    lead: str | None = None
    partners: list[str] = field(default_factory=list)
    deadline: str | None = None
    verb: str | None = None  # the assigning verb it was given with (giao, đề nghị …)


def read_assignment(sentence: str) -> Assignment:
    """Split a sentence into lead, partners, work and deadline; the lead is None when the
    sentence names no one before its work (a bullet under a body's heading)."""
    text = sentence.strip().strip(" -+•").rstrip(" .;:,/")  # "…2019./." closes a letter
    # "Trên cơ sở đó, Bộ Tư pháp …", "Đồng thời, …": a linking phrase before the lead
    if (link := LINK.match(text)) and (ADDRESSEE.match(text, link.end()) or
                                       WORK.match(text, link.end())):
        text = text[link.end():]
    verb = None
    if (topic := TOPIC.match(text)) and ADDRESSEE.match(topic["who"]):
        said = read_assignment(text[topic.end():])
        if said.lead is None:
            said.lead = topic["who"].strip(" ,")
        return said
    match = ASSIGN.search(text)
    if match is None or match.start() > 0:
        # "X trân trọng đề nghị Y …", "Nhà trường yêu cầu Y …": the one addressed is Y
        first_work = WORK.search(text)
        for inner in ASSIGN_ANYWHERE.finditer(text):
            if ADDRESSEE.match(text, inner.end()) and (
                    first_work is None or first_work.start() >= inner.start() or
                    VOICE.search(text[: inner.end()].rstrip())):
                match = inner
                break
    # "Trường hợp …, giao Bộ Tài chính …": the condition goes; a sentence that names its
    # lead first keeps it ("Các sở …, đề nghị …" is not cut there)
    # and the verb hands out work only when someone is named after it: "Chỉ đạo thực hiện …"
    # opening a bullet is the work itself
    # "Chỉ đạo các trường học …" opening a bullet is work of the heading's body: it directs
    # them, the issuer does not speak through it as it does with Giao, Đề nghị, Yêu cầu
    opens_with_directing = match is not None and match.start() == 0 and \
        match.group().strip().lower() == "chỉ đạo"
    if match and not opens_with_directing and (match.start() == 0 or not ADDRESSEE.match(text)) and \
            ADDRESSEE.match(text, match.end()):
        verb = (match.groupdict().get("verb") or match.group()).strip().lower()
        verb = "đề nghị" if verb.endswith(" nghị") and not verb.startswith("kính") else verb
        verb = regex.sub(r"^cao\b", "giao", verb)
        text = text[match.end():]
    lead = None
    work = WORK.search(text)
    subject = text[: work.start()] if work else ""
    if subject.strip(" ,:") and ADDRESSEE.match(subject.strip()) and len(subject) < 250:
        lead = subject.strip(" ,:")
        text = text[work.start():]
    elif verb and work is None:
        return Assignment(content=text, verb=verb)
    partners: list[str] = []
    text = LEAD_ROLE.sub("", text)
    if match := PARTNERS.match(text):
        rest = text[match.end():]
        after = WORK.search(rest)
        if after:
            partners = _bodies(rest[: after.start()])
            text = rest[after.start():]
    deadline = None
    if (match := DEADLINE.search(text)) and not _goes_on(text, match):
        deadline = match["deadline"].strip(" ,;.")
        text = text[: match.start()]
    elif match := MID_DEADLINE.search(text):
        deadline = match["deadline"].strip(" ,;.")
        text = _take_out(text, match)
    content = text.strip(" ,;:.")
    return Assignment(content=content[:1].upper() + content[1:], lead=lead, partners=partners,
                      deadline=deadline, verb=verb)


def _goes_on(text: str, match: regex.Match) -> bool:
    """Whether the work goes on after the day a deadline names (``… trước ngày 30/6/2021, tổ
    chức …``): then the deadline is that phrase alone, not the rest of the sentence."""
    start = match.start("deadline")
    inner = MID_DEADLINE.search(text, start)
    return bool(inner) and inner.start() <= start + 40 and len(text[inner.end():].split()) >= 3


def _take_out(text: str, match: regex.Match) -> str:
    """The sentence without its deadline phrase, the clauses either side joined."""
    left, right = text[: match.start()].rstrip(" ,;"), text[match.end():].lstrip(" ,;")
    glue = ", " if regex.match(r"\s*[,;]", text[match.end():]) and left and right else " "
    return (left + glue + right).strip() if right else left


def _bodies(text: str) -> list[str]:
    """The partners named in ``các sở, ngành liên quan và UBND các huyện``: one per body."""
    text = text.strip(" ,;:")
    if not text:
        return []
    parts = regex.split(r"\s*;\s*|,\s+(?=" + ADDRESSEE.pattern + r")|\s+và\s+(?=" +
                        ADDRESSEE.pattern + r")", text, flags=regex.I)
    return [p.strip(" ,;:") for p in parts if p and p.strip(" ,;:")]


def addressees(sentence: str) -> str | None:
    """Who an opening sentence addresses: ``… yêu cầu Thủ trưởng các sở, ban, ngành, Chủ tịch
    UBND các huyện thực hiện tốt các nội dung sau:`` → ``Thủ trưởng các sở, …huyện``: the
    last assigning verb that names someone."""
    for match in reversed(list(ASSIGN_ANYWHERE.finditer(sentence))):
        rest = sentence[match.end():]
        if not ADDRESSEE.match(rest):
            continue
        work = WORK.search(rest)
        who = (rest[: work.start()] if work else rest).strip(" ,:")
        who = ASKED.sub("", who).strip(" ,:")
        if who and len(who) < 250:
            return who
    return None


__all__ = ["Assignment", "PERIODIC", "addressees", "read_assignment"]
