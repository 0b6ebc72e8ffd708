"""Directives whose orders are in the body: chỉ thị, công văn and thông báo kết luận as a
provincial office writes them, with the truth of every task (../shared/TASKS.md's rules).

The shapes drawn: an opening sentence that addresses bodies and announces a list; sections
headed by a body (``1. Sở Nội vụ:``) with bullets of work; ``Giao X chủ trì, phối hợp với Y
…``; ``Đề nghị X …``; ``X chủ trì, phối hợp với Y …; thời gian: …``; items with no body
named (the opening's addressees lead them); a deadline said once after the items it covers.
Around them, what is not a task: legal bases, history and figures, the responsibility and
closing formulas. Used as training examples (scripts/train_tasks.py) and by the tests.
"""

from __future__ import annotations

import random

BODIES = [
    "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Công an tỉnh", "Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Giao thông vận tải",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Lao động - Thương binh và Xã hội",
    "Sở Tài nguyên và Môi trường", "Văn phòng Ủy ban nhân dân tỉnh", "Ban Dân tộc tỉnh",
    "Bảo hiểm xã hội tỉnh", "Sở Công Thương", "Sở Xây dựng", "Thanh tra tỉnh",
]
GROUPS = ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố",
          "Thủ trưởng các cơ quan, đơn vị", "Chủ tịch UBND các huyện, thị xã, thành phố",
          "Các cơ quan, đơn vị"]
WORK = [
    "rà soát, cập nhật danh mục thủ tục hành chính thuộc thẩm quyền giải quyết",
    "tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch cải cách hành chính giai đoạn tới",
    "bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số của tỉnh",
    "hướng dẫn các địa phương triển khai dịch vụ công trực tuyến toàn trình",
    "kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tại các cơ quan",
    "tổng hợp kết quả thực hiện, báo cáo Chủ tịch Ủy ban nhân dân tỉnh",
    "xây dựng phương án sắp xếp đơn vị sự nghiệp công lập trực thuộc",
    "tuyên truyền, phổ biến các quy định mới về phòng, chống tham nhũng",
    "đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "chỉ đạo các trường học bảo đảm an toàn cho học sinh trong mùa mưa bão",
    "thẩm định các dự án đầu tư công khởi công mới trong năm",
    "theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao tại Chỉ thị này",
    "tăng cường kiểm tra, xử lý các cơ sở kinh doanh vi phạm an toàn thực phẩm",
    "cập nhật dữ liệu dân cư phục vụ cấp căn cước cho người dân",
    "giải ngân vốn đầu tư công bảo đảm tiến độ theo kế hoạch",
    "hoàn thiện hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới",
]
# deadline as written (a year placeholder or none), the due date it means
DEADLINES = [
    ("trước ngày 30/6/{year}", "{year}-06-30"), ("trong tháng 9/{year}", "{year}-09-30"),
    ("trong Quý III/{year}", "{year}-09-30"), ("chậm nhất ngày 15/11/{year}", "{year}-11-15"),
    ("trước ngày 20/10", "{year}-10-20"), ("trong tháng 12", "{year}-12-31"),
    ("chậm nhất ngày 20 hằng tháng", None), ("trước 15 giờ 00 ngày 05/12", "{year}-12-05"),
]
NOT_TASKS = [
    "Năm {prev}, tỉnh đã hoàn thành 95% chỉ tiêu cải cách hành chính, cao hơn năm trước.",
    "Thời gian qua, các cơ quan, đơn vị đã tích cực triển khai nhiều giải pháp đồng bộ.",
    "Tuy nhiên, việc giải quyết hồ sơ ở một số nơi còn chậm, chưa đáp ứng yêu cầu.",
    "Kết quả chỉ số hài lòng của người dân đạt 82,5%, xếp thứ 20 cả nước.",
]


def directive(rng: random.Random, year: int | None = None) -> tuple[str, list[dict]]:
    """A whole directive as text (header, body, closing) and its true tasks."""
    year = year or rng.randint(2020, 2026)
    month, day = rng.randint(1, 9), rng.randint(1, 28)
    kind = rng.choice(["CHỈ THỊ", "Công văn", "THÔNG BÁO"])
    lines = ["ỦY BAN NHÂN DÂN TỈNH AN GIANG", f"Số: {rng.randint(10, 900)}/"
             f"{'CT' if kind == 'CHỈ THỊ' else 'TB' if kind == 'THÔNG BÁO' else 'UBND'}-UBND",
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             f"An Giang, ngày {day:02d} tháng {month:02d} năm {year}"]
    if kind != "Công văn":
        lines += [kind, "Về tăng cường cải cách hành chính năm " + str(year)]
    else:
        lines += ["V/v tăng cường cải cách hành chính"]
    lines.append("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    lines.append(rng.choice(NOT_TASKS).format(prev=year - 1))
    tasks: list[dict] = []
    addressed = rng.choice(GROUPS[2:4])
    lines.append(f"Để thực hiện tốt nhiệm vụ năm {year}, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu "
                 f"{addressed} thực hiện tốt các nội dung sau:")
    bodies = rng.sample(BODIES, 6)
    works = rng.sample(WORK, len(WORK))
    number = 0
    for shape in rng.sample(["section", "giao", "de_nghi", "lead_first", "bare", "covered"], 4):
        number += 1
        work = works.pop()
        deadline, due = rng.choice(DEADLINES + [(None, None)] * 3)
        deadline = deadline.format(year=year) if deadline else None
        due = due.format(year=year) if due else None
        tail = f", hoàn thành {deadline}" if deadline and not deadline.startswith("chậm") \
            else f", {deadline}" if deadline else ""
        # a công văn gives its orders in plain paragraphs as often as in numbered points
        mark = f"{number}. " if rng.random() < 0.6 else ""
        if shape == "section":
            lead = bodies.pop()
            lines.append(f"{number}. {lead}:")
            for _ in range(rng.randint(2, 3)):
                item = works.pop()
                lines.append(f"- {item[:1].upper()}{item[1:]}.")
                tasks.append(_task(item, lead, [], None, None))
        elif shape == "giao":
            lead, partner = bodies.pop(), bodies.pop()
            if rng.random() < 0.5:
                lines.append(f"{mark}Giao {lead} chủ trì, phối hợp với {partner} {work}{tail}.")
                tasks.append(_task(work, lead, [partner], deadline, due))
            else:  # short: "Giao Văn phòng … tổng hợp, báo cáo trước ngày …"
                short = rng.choice(["tổng hợp, báo cáo", "theo dõi, báo cáo kết quả",
                                    "kiểm tra, báo cáo", work])
                lines.append(f"{mark}Giao {lead} {short}{tail}.")
                tasks.append(_task(short, lead, [], deadline, due))
        elif shape == "de_nghi":
            lead = rng.choice(GROUPS[:2])
            lines.append(f"{mark}Đề nghị {lead} {work}{tail}.")
            tasks.append(_task(work, lead, [], deadline, due))
        elif shape == "lead_first":
            lead, partner = bodies.pop(), bodies.pop()
            when = f"; thời gian: {deadline}" if deadline else ""
            lines.append(f"{mark}{lead} chủ trì, phối hợp với {partner} {work}{when}.")
            tasks.append(_task(work, lead, [partner], deadline, due))
        elif shape == "bare":  # no body named: the opening's addressees lead it
            lines.append(f"{number}. {work[:1].upper()}{work[1:]}{tail}.")
            tasks.append(_task(work, addressed, [], deadline, due))
        else:  # items, then the one deadline that covers them
            lead = bodies.pop()
            lines.append(f"{number}. {lead}:")
            covered = []
            for _ in range(2):
                item = works.pop()
                lines.append(f"- {item[:1].upper()}{item[1:]}.")
                covered.append(_task(item, lead, [], None, None))
            day_month = f"{rng.randint(1, 28):02d}/{rng.randint(10, 12):02d}/{year}"
            lines.append(f"Báo cáo kết quả thực hiện gửi về {rng.choice(BODIES)} trước ngày "
                         f"{day_month}.")
            for task in covered:
                task["deadline"] = f"trước ngày {day_month}"
                d, m, y = day_month.split("/")
                task["due_date"] = f"{y}-{m}-{d}"
            tasks += covered
    number += 1
    lines.append(f"{number}. Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch "
                 "Ủy ban nhân dân tỉnh về kết quả thực hiện nhiệm vụ được giao.")
    lines.append("Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.")
    lines += ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
              "Nguyễn Văn An"]
    return "\n".join(lines), tasks


def _task(work: str, lead: str, partners: list[str], deadline: str | None,
          due: str | None) -> dict:
    return {"content": work[:1].upper() + work[1:], "lead": lead, "partners": partners,
            "deadline": deadline, "due_date": due, "page": 1}


__all__ = ["directive"]
