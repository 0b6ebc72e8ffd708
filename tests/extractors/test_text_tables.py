"""Task tables in text without boxes (issue 22, seed 001): rows found from the line order of
another engine's OCR, where a table's columns come interleaved line by line."""

from __future__ import annotations

import json

from extractors.tasks import find_tasks
from extractors.text_tables import is_header, text_tables
from pipeline.app.evaluate import _match_f1, _same_task
from pipeline.app.run import process_file
from pipeline.core.document import Document, Page
from pipeline.core.settings import Settings

# the shape of seed 001's appendix: the row number mid-row with its dot on the next line,
# the wording first and capitalised, the narrow lead column two words a line, a header
# repeated on a new page, a heading row over its sub-rows, a row pointing to another plan
INTERLEAVED = """II. NHIỆM VỤ CỤ THỂ
Stt Nội dung | Cơ quan chủ trì | phối hợp | Thời gian hoàn thành | Ghi chú
Kế hoạch rà soát, đánh giá thủ tục hành | Công chức | Các ban,
4 | chính năm 2024 | phụ trách ngành 05 Tháng 01
" | trên địa bàn thị trấn | KSTTHC | Khóm năm 2024
Công bố danh sách cán bộ đầu mối | Công chức | Thường
5 thực hiện nhiệm vụ kiểm soát | phụ trách | xuyên
" | thủ tục hành chính | KSTTHC
Cơ quan
Theo gian
Stt Nội dung chủ trì | phối hợp | hoàn thành | Ghi chú
6 | Đổi mới cơ chế một cửa
Phối hợp xây dựng quy trình nội bộ | Bộ phận | Quý I năm
61 | giải quyết thủ tục hành chính | một cửa | 2024
Công khai tiến độ giải quyết hồ sơ | Bộ phận | Thường
62 | trên Hệ thống thông tin | một cửa | xuyên
Tiếp tục triển khai Kế hoạch số 243/KH-UBND | Đã được phân công theo
6.3 | về cải cách thủ tục hành chính | Kế hoạch số 1406/KH-UBND
Nơi nhận:
- Lưu: VT.
"""


def _page(text: str) -> Document:
    document = Document(source="table.txt", sha256="0")
    document.pages.append(Page(number=1, source="text", plain_text=text))
    return document


def test_header_lines_of_a_task_table():
    assert is_header("Stt Nội dung | Cơ quan chủ trì | phối hợp | Thời gian hoàn thành")
    assert is_header("Sụt Nội dung chi a trì | phéihop | hoàn thành | thuchign | Nữ chủ")
    assert not is_header("Nội dung thực hiện tổ chức hoạt động kiểm soát thủ tục hành chính")
    assert not is_header("1. Giao công chức Văn phòng phụ trách thực hiện kế hoạch")
    # prose that names the roles is no header: a generated directive's opening, seed 001's
    assert not is_header("Thời gian qua, các cơ quan, đơn vị đã tích cực triển khai nhiều "
                         "giải pháp đồng bộ.")
    assert not is_header("Chu tich Uy ban nhan dan thi tran vé két qua thuc hién cong viéc.")
    assert is_header("Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành")


def test_a_directive_in_prose_has_no_text_table():
    """Generated chỉ thị (scripts/samplegen/directives): numbered points, no table."""
    import random

    from scripts.samplegen.directives import directive

    rng = random.Random(2222)
    texts = [directive(rng)[0] for _ in range(40)]
    assert all(text_tables(t.splitlines())[0] == [] for t in texts)


def test_rows_of_an_interleaved_table():
    rows, used = text_tables(INTERLEAVED.splitlines())
    assert [r.number for r in rows] == ["4", "5", "6.1", "6.2"]
    assert " ".join(rows[0].content) == \
        "Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2024 trên địa bàn thị trấn"
    assert " ".join(rows[0].lead) == "Công chức phụ trách KSTTHC"
    assert " ".join(rows[2].content) == \
        "Phối hợp xây dựng quy trình nội bộ giải quyết thủ tục hành chính"
    assert rows[2].group == "II. NHIỆM VỤ CỤ THỂ"
    assert 0 not in used and len(INTERLEAVED.splitlines()) - 3 in used  # up to Nơi nhận


def test_tasks_of_an_interleaved_table():
    tasks = find_tasks(_page(INTERLEAVED), year=2024)
    assert [(t["lead"], t["deadline"], t["due_date"]) for t in tasks] == [
        ("Công chức phụ trách KSTTHC", "Tháng 01 năm 2024", "2024-01-31"),
        ("Công chức phụ trách KSTTHC", "Thường xuyên", None),
        ("Bộ phận một cửa", "Quý I năm 2024", "2024-03-31"),
        ("Bộ phận một cửa", "Thường xuyên", None),
    ]  # the heading row 6 and the row given by another plan are not tasks


def test_seed_001_task_table(shared):
    """The 72 rows of seed 001's real plan, read through the whole pipeline."""
    seed = shared / "seeds" / "chovam-2024-kehoach"
    _, record = process_file(seed.with_suffix(".ocr.txt"), Settings())
    truth = json.loads(seed.with_suffix(".truth.json").read_text(encoding="utf-8"))["tasks"]
    f1, pairs = _match_f1(record["tasks"], truth, _same_task)
    assert f1 >= 0.70, f"seed 001 tasks F1 {f1:.3f} ({len(pairs)} of {len(truth)})"
