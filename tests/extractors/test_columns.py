"""Column roles from headers however worded, in any order, and targets read by role."""

from tablemaker import table

from extractors.columns import column_roles
from extractors.target_tables import parse_value, table_targets


def _roles(header: str, *body: str) -> tuple[str | None, list[str | None]]:
    kind, columns = column_roles(table([header, *body]))
    return kind, [c.role for c in columns]


def test_task_tables_in_any_order_and_wording():
    assert _roles("STT | Nhiệm vụ | Đơn vị thực hiện | Cơ quan phối hợp | Thời hạn") == (
        "tasks", ["number", "content", "lead", "partners", "deadline"])
    assert _roles("Thời gian hoàn thành | Nội dung công việc | Cơ quan chủ trì | Sản phẩm") == (
        "tasks", ["deadline", "content", "lead", "output"])
    # OCR's spelling: diacritics lost, a letter wrong
    assert _roles("TT | Noi dung cong viec | Co quan chu tri | Thoi han hoan thanh")[0] == "tasks"
    assert _roles("TT | Nội dung | Kết quả | Ghi chú")[0] is None  # no lead, no deadline


def test_target_tables_and_the_words_that_change_meaning():
    kind, roles = _roles("STT | Chỉ tiêu | ĐVT | Kế hoạch năm 2024 | Thực hiện năm 2024 | Tỷ lệ (%)",
                         "1 | Tỷ lệ hồ sơ giải quyết đúng hạn | % | 95 | 97,5 | 102")
    assert kind == "targets"
    assert roles == ["number", "indicator", "unit", "target", "actual", "ratio"]
    # with no unit column, figures in the value columns make it a target table
    assert _roles("Chỉ tiêu | Chỉ tiêu giao | Kết quả thực hiện",
                  "Tỷ lệ hồ sơ trực tuyến | ≥ 90 % | 85%")[0] == "targets"


def test_value_cells_in_every_comparator_form():
    assert parse_value("Tối thiểu 80") == (80.0, ">=", False)
    assert parse_value("≥ 90 %") == (90.0, ">=", True)
    assert parse_value("90% trở lên") == (90.0, ">=", True)
    assert parse_value("Không quá 5%") == (5.0, "<=", True)
    assert parse_value("Tối đa 2") == (2.0, "<=", False)
    assert parse_value("95,5") == (95.5, "=", False)
    assert parse_value("Thường xuyên") is None


def test_a_report_row_gives_its_target_and_its_actual_figure():
    t = table(["STT | Chỉ tiêu | ĐVT | Kế hoạch năm 2024 | Kết quả thực hiện | Đơn vị chủ trì",
               "I | Cải cách hành chính",
               "1 | Tỷ lệ hồ sơ giải quyết đúng hạn | % | Tối thiểu 95 | 97,5 | Văn phòng",
               "2 | Số hồ sơ tiếp nhận | hồ sơ | 1200 | 1350 | Văn phòng"])
    kind, columns = column_roles(t)
    got = [(x["indicator"], x["value"], x["comparator"], x["kind"], x["year"], x["responsible"])
           for x in table_targets(t, columns, page=3, year=2023)]
    assert got == [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn", 95.0, ">=", "target", 2024, ["Văn phòng"]),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn", 97.5, "=", "actual", 2023, ["Văn phòng"]),
    ]  # a count of hồ sơ is not a percentage target; the section row is not an indicator
