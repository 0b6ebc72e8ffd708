from tablemaker import table

from extractors.deadlines import due_date
from extractors.tasks import find_tasks
from pipeline.core.document import Document, Page
from pipeline.ocr.cells import table_as_block


def test_deadlines_as_drafters_write_them():
    assert due_date("Tháng 6/2024") == "2024-06-30"
    assert due_date("Trong tháng 6 năm 2024") == "2024-06-30"
    assert due_date("Quý III năm 2024") == "2024-09-30"
    assert due_date("Quý 1/2025") == "2025-03-31"
    assert due_date("Trước ngày 15/12/2024") == "2024-12-15"
    assert due_date("Chậm nhất ngày 05/01/2025") == "2025-01-05"
    assert due_date("Từ tháng 02 đến tháng 6 năm 2024") == "2024-06-30"
    assert due_date("Năm 2024") == "2024-12-31"
    assert due_date("Thường xuyên") is None
    assert due_date(None) is None


def test_a_quarter_numeral_is_read_by_its_strokes():
    # how Tesseract read "Quý III" on generated pages in sans and condensed faces
    assert due_date("Quý TII năm 2021") == "2021-09-30"
    assert due_date("Quý lI i năm 2025") == "2025-09-30"
    assert due_date("Quý IIl năm 2024") == "2024-09-30"
    assert due_date("Quý IV/2024") == "2024-12-31"
    assert due_date("Quý IHII năm 2024") is None  # five strokes: no quarter, no guess
    assert due_date("Quy trình năm 2024") is None


def _document(*tables: list[str]) -> Document:
    doc = Document(source="x", sha256="0")
    for number, rows in enumerate(tables, start=2):
        block = table_as_block(table(rows))
        doc.pages.append(Page(number=number, blocks=[block]))
    return doc


def test_rows_become_tasks_a_repeated_header_is_skipped_and_a_continuation_kept():
    doc = _document([
        "STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
        "1 | Số hóa hồ sơ TTHC | Bộ phận một cửa | Văn phòng; Công an xã | Tháng 6/2024",
    ], [
        "STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
        "2 | Rà soát thủ tục hành chính | Văn phòng | | Thường xuyên",
    ], [  # the table goes on over the page without its header
        "3 | Tuyên truyền dịch vụ công | Công chức Văn hóa - Xã hội | | Quý III năm 2024",
    ])
    tasks = find_tasks(doc)
    assert [t["content"] for t in tasks] == ["Số hóa hồ sơ TTHC", "Rà soát thủ tục hành chính",
                                             "Tuyên truyền dịch vụ công"]
    assert tasks[0]["partners"] == ["Văn phòng", "Công an xã"]
    assert [t["due_date"] for t in tasks] == ["2024-06-30", None, "2024-09-30"]
    assert [t["page"] for t in tasks] == [2, 3, 4]


def test_any_column_order_and_wording_and_section_rows_as_groups():
    doc = _document([
        "Nhiệm vụ | Thời hạn | Đơn vị chủ trì | Đơn vị phối hợp | TT",
        "I. Cải cách thủ tục hành chính",
        "Công khai thủ tục hành chính | Quý 1/2025 | Văn phòng | Công an xã | 1",
        "II | Chuyển đổi số",
        "Số hóa hồ sơ | Trước ngày 15/12/2024 | Bộ phận một cửa | | 2",
    ])
    tasks = find_tasks(doc)
    assert [(t["content"], t["lead"], t["due_date"], t["group"]) for t in tasks] == [
        ("Công khai thủ tục hành chính", "Văn phòng", "2025-03-31", "I. Cải cách thủ tục hành chính"),
        ("Số hóa hồ sơ", "Bộ phận một cửa", "2024-12-15", "II. Chuyển đổi số"),
    ]
    assert tasks[0]["partners"] == ["Công an xã"]


def test_a_paper_of_the_next_column_is_cut_from_the_lead():
    """The lead cell run into the Hồ sơ column (../shared/real epu-1): the body stays, and
    bodies whose names hold a paper's word are left whole."""
    doc = _document([
        "STT | Nội dung | Đơn vị thực hiện | Thời gian",
        "1 | Xây dựng kế hoạch đăng ký chuyên ngành | Phòng Đào tạo Đề án tuyển sinh | Tháng 1/2021",
        "2 | Lập dự toán kinh phí | Phòng Kế hoạch tài chính | Tháng 2/2021",
        "3 | Bố trí vốn đầu tư | Sở Kế hoạch và Đầu tư | Tháng 3/2021",
        "4 | Phê duyệt danh sách | CTSV Quyết định phê duyệt danh sách | Tháng 3/2021",
    ])
    assert [t["lead"] for t in find_tasks(doc)] == [
        "Phòng Đào tạo", "Phòng Kế hoạch tài chính", "Sở Kế hoạch và Đầu tư", "CTSV"]


def test_leads_of_a_real_plan_table(shared):
    from pipeline.app.run import process_file
    from pipeline.core.settings import Settings

    _, record = process_file(shared / "real" / "epu-1.pdf", Settings())
    leads = {t["lead"] for t in record["tasks"]}
    assert {"Phòng Đào tạo", "CTSV"} <= leads
    assert not any(lead and "Quyết định" in lead for lead in leads)
