"""The body's outline and the tasks read from it (issue 22): generated directives written
as offices write them, and a real chỉ thị-style công văn of the Prime Minister."""

from __future__ import annotations

from extractors import extract_fields
from extractors.assignment import read_assignment
from extractors.deadlines import due_date
from extractors.outline_tasks import find_outline_tasks
from pipeline.app.run import process_file
from pipeline.core.document import Document, Page
from pipeline.core.settings import Settings

HEADER = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
Số: 12/CT-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Giang, ngày 05 tháng 3 năm 2024
CHỈ THỊ
Về tăng cường cải cách hành chính
"""
BODY = """Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Để nâng cao hiệu quả cải cách hành chính, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng \
các sở, ban, ngành thực hiện tốt các nội dung sau:
1. Sở Nội vụ:
- Rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn, hoàn thành trước ngày 30/6/2024.
- Kiểm tra công tác cải cách hành chính tại các huyện, báo cáo kết quả chậm nhất ngày 20 \
hằng tháng.
2. Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư bố trí kinh phí thực hiện, \
hoàn thành trong tháng 9.
3. Các sở, ban, ngành nghiêm túc triển khai thực hiện Chỉ thị này./.
"""
CLOSING = """Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A"""


def _document(*pages: str) -> Document:
    document = Document(source="chi-thi.txt", sha256="0" * 64)
    for number, text in enumerate(pages, 1):
        document.pages.append(Page(number=number, source="text", plain_text=text))
    return document


def test_the_outline_nests_sections_and_bullets():
    document = _document(HEADER + BODY + CLOSING)
    extract_fields(document)
    shape = [(depth, node.kind, node.marker) for root in document.outline
             for depth, node in root.walk()]
    assert shape == [(0, "text", ""), (0, "text", ""), (1, "number1", "1"), (2, "dash", "-"),
                     (2, "dash", "-"), (1, "number1", "2"), (1, "number1", "3")]
    heading = document.outline[1].children[0]
    assert heading.text == "Sở Nội vụ:" and heading.heading and heading.page == 1


def test_a_paragraph_cut_by_a_page_break_is_joined_and_the_page_number_dropped():
    first, rest = BODY.split("hoàn thành trong tháng 9.")
    document = _document(HEADER + first, "2\nhoàn thành trong tháng 9.\n" + rest + CLOSING)
    extract_fields(document)
    item = document.outline[1].children[1]
    assert item.marker == "2" and item.text.endswith("hoàn thành trong tháng 9.")
    assert item.pages == [1, 2] and item.page == 1


def test_tasks_take_the_lead_of_their_heading_and_their_year_from_the_document():
    fields = extract_fields(_document(HEADER + BODY + CLOSING))
    got = [(t["lead"], t["content"], t["due_date"], t["periodic"]) for t in fields["tasks"]]
    assert got[:2] == [
        ("Sở Nội vụ", "Rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn", "2024-06-30",
         False),
        ("Sở Nội vụ", "Kiểm tra công tác cải cách hành chính tại các huyện, báo cáo kết quả",
         None, True),  # chậm nhất ngày 20 hằng tháng: a rhythm, no due date
    ]
    finance = next(t for t in fields["tasks"] if t["lead"] == "Sở Tài chính")
    assert finance["partners"] == ["Sở Kế hoạch và Đầu tư"]
    assert finance["content"] == "Bố trí kinh phí thực hiện"
    assert finance["due_date"] == "2024-09-30"  # "trong tháng 9": the year of the chỉ thị
    assert finance["sentence"].startswith("Giao Sở Tài chính chủ trì")
    # the closing formula gives no work
    assert not any("Chỉ thị này" in t["content"] for t in fields["tasks"])


def test_a_sentence_read_as_an_assignment():
    said = read_assignment("Trường hợp còn ý kiến khác nhau giữa các Bộ, giao Bộ Tài chính "
                           "chủ trì, làm việc trực tiếp với các Bộ, trình Chính phủ trước ngày "
                           "05 tháng 5 năm 2026.")
    assert (said.lead, said.verb) == ("Bộ Tài chính", "giao")
    assert said.content == "Làm việc trực tiếp với các Bộ, trình Chính phủ"
    assert said.deadline == "trước ngày 05 tháng 5 năm 2026"
    linked = read_assignment("Trên cơ sở đó, Bộ Tư pháp tổng hợp, hoàn thiện hồ sơ.")
    assert (linked.lead, linked.content) == ("Bộ Tư pháp", "Tổng hợp, hoàn thiện hồ sơ")
    joint = read_assignment("Phòng Quản trị Dịch vụ, Phòng Tổ chức Hành chính chuẩn bị cơ sở "
                            "vật chất.")
    assert joint.lead == "Phòng Quản trị Dịch vụ, Phòng Tổ chức Hành chính"  # as printed
    assert read_assignment("Trường hợp cần thiết, báo cáo cấp trên.").lead is None
    # a bullet opening on "Chỉ đạo" is its heading's work, not a new lead
    directs = read_assignment("- Chỉ đạo các trường học bảo đảm an toàn cho học sinh.")
    assert (directs.lead, directs.content) == (None, "Chỉ đạo các trường học bảo đảm an toàn cho học sinh")


def test_deadlines_as_people_write_them():
    assert due_date("trước ngày 05/02", 2025) == "2025-02-05"
    assert due_date("trước 15 giờ 00 ngày 05 tháng 02", 2025) == "2025-02-05"
    assert due_date("trong tháng 6/2024") == "2024-06-30"
    assert due_date("Quý II/2024") == "2024-06-30"
    assert due_date("ngay trong năm 2026") == "2026-12-31"
    assert due_date("chậm nhất ngày 20 hằng tháng", 2024) is None


def test_a_deadline_inside_the_sentence_or_as_a_span():
    """The deadline where the work goes on after it, a span's last day, a week of a month."""
    mid = read_assignment("Phòng Đào tạo xây dựng thời khóa biểu học kỳ I; hoàn thành trước "
                          "ngày 30/6/2021, tổ chức cho sinh viên đăng ký theo lịch.")
    assert (mid.lead, mid.deadline) == ("Phòng Đào tạo", "hoàn thành trước ngày 30/6/2021")
    assert mid.content == "Xây dựng thời khóa biểu học kỳ I, tổ chức cho sinh viên đăng ký theo lịch"
    year = read_assignment("Đề nghị UBND tỉnh bố trí kinh phí ngay trong năm 2026 để hoàn thành "
                           "việc sửa chữa trong năm 2027.")
    assert year.deadline == "ngay trong năm 2026" and "năm 2027" in year.content
    hour = read_assignment("Sinh viên gửi hồ sơ về Khoa trước 11h00 ngày 30/10/2025./.")
    assert (hour.content, due_date(hour.deadline)) == ("Gửi hồ sơ về Khoa", "2025-10-30")
    span = read_assignment("Các khoa tư vấn cho sinh viên từ 03/01/2021 đến 28/02/2021.")
    assert (span.content, due_date(span.deadline)) == ("Tư vấn cho sinh viên", "2021-02-28")
    # a date in the work is no deadline: "Công văn số 12 ngày 06/8/2025"
    assert read_assignment("UBND tỉnh thực hiện Công văn số 35 ngày 06/8/2025.").deadline is None
    assert due_date("7h30 ngày 30/6/2021 đến 23h ngày 01/7/2021") == "2021-07-01"
    assert due_date("từ ngày 12/9/2025 đến hết ngày 28/9/2025") == "2025-09-28"
    assert due_date("Tuần 2, tháng 01/2021") == "2021-01-14"
    assert due_date("Tuần I, tháng 01/2021") == "2021-01-07"  # the 1 read as a roman I
    assert due_date("Tuần đầu tháng 3/2021") == "2021-03-07"
    assert due_date("tuần cuối tháng 2/2024") == "2024-02-29"
    assert due_date("Từ tháng 02 đến tháng 6 năm 2024", 2021) == "2024-06-30"


def test_deadlines_inside_sentences_of_real_letters(shared):
    """bca-2 (``… ngay trong năm 2026 để …``) and epu-6 (``… trước 16h00 ngày 31/10/2025``)."""
    _, record = process_file(shared / "real" / "bca-2.pdf", Settings())
    years = {t["due_date"] for t in record["tasks"]}
    assert {"2025-12-31", "2026-12-31"} <= years


def test_an_empty_outline_has_no_tasks():
    assert find_outline_tasks([], None, None) == []


def test_the_tasks_of_a_real_directive(shared):
    """ttg-1: a Prime Minister's công văn giving its orders in a) b) points under numbered
    sections, one of them after a condition (``Trường hợp …, giao Bộ Tài chính …``)."""
    _, record = process_file(shared / "real" / "ttg-1.pdf", Settings())
    by_lead = {t["lead"]: t for t in record["tasks"]}
    assert by_lead["Bộ Tài chính"]["due_date"] == "2026-05-05"
    assert by_lead["Bộ Tài chính"]["content"].startswith("Làm việc trực tiếp với các Bộ")
    office = by_lead["Văn phòng Chính phủ"]
    assert office["content"].startswith("Theo dõi, đôn đốc việc thực hiện các nhiệm vụ")
    assert office["page"] == 3 and office["box"] and office["sentence"]
    ministries = by_lead["Các bộ, cơ quan ngang bộ"]
    assert ministries["due_date"] == "2026-05-20"  # "; hoàn thành trước ngày 20 tháng 5 …"


def test_generated_directives_of_an_unseen_seed():
    """Directives drawn by scripts/samplegen/directives (a seed the model was not fitted on):
    every shape — body headings, Giao/Đề nghị, lead first, bare items, a covering deadline."""
    import random

    from pipeline.app.evaluate import TaskTally
    from scripts.samplegen.directives import directive

    rng = random.Random(77)
    tally = TaskTally()
    for _ in range(12):
        text, truth = directive(rng)
        fields = extract_fields(_document(text))
        tally.add(fields["tasks"], truth)
    assert tally.f1 >= 0.95, tally.line()
    assert tally.lead_right >= 0.9 * tally.matched and tally.due_right >= 0.95 * tally.matched


def test_the_features_read_the_words_with_their_marks():
    """The vocabularies of bases, formulas and task headings are written with their marks:
    they are matched on the sentence as printed, not on its folded form."""
    from extractors.outline_tasks import candidates, features

    document = _document(HEADER + BODY + CLOSING)
    extract_fields(document)
    found = {c.sentence[:12]: features(c, "Chỉ thị") for c in candidates(document.outline)}
    assert found["Căn cứ Luật "]["basis"] == 1.0
    assert found["Các sở, ban,"]["formula"] == 1.0
    assert found["Rà soát, sắp"]["basis"] == 0.0 and found["Rà soát, sắp"]["heading_body"] == 1.0
