from extractors.deadlines import due_date
from extractors.tasks import column_roles, find_tasks
from pipeline.document import Block, Box, Document, Line, Page, Region, Word


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


def test_column_roles_however_worded():
    assert column_roles(["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Cơ quan phối hợp", "Thời hạn"]) \
        == ["number", "content", "lead", "partners", "deadline"]
    assert column_roles(["TT", "Nội dung", "Kết quả", "Ghi chú"]) is None  # no lead, no deadline


def _table(rows: list[str]) -> Document:
    box = Box(0, 0, 10, 10)
    lines = [Line([Word(text, box, 90.0) for text in row.split(" ")]) for row in rows]
    doc = Document(source="x", sha256="0")
    doc.pages.append(Page(number=2, blocks=[Block(lines, Region.TABLE)]))
    return doc


def test_rows_become_tasks_and_a_repeated_header_is_skipped():
    doc = _table([
        "STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
        "1 | Số hóa hồ sơ TTHC | Bộ phận một cửa | Văn phòng; Công an xã | Tháng 6/2024",
        "STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
        "2 | Rà soát thủ tục hành chính | Văn phòng | | Thường xuyên",
    ])
    tasks = find_tasks(doc)
    assert [t["content"] for t in tasks] == ["Số hóa hồ sơ TTHC", "Rà soát thủ tục hành chính"]
    assert tasks[0]["partners"] == ["Văn phòng", "Công an xã"]
    assert (tasks[0]["due_date"], tasks[1]["due_date"], tasks[0]["page"]) == ("2024-06-30", None, 2)
