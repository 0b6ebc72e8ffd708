"""Citations survive the ways OCR breaks a symbol in running text."""

import pytest

from extractors.references import find_references


def _numbers(text: str, own: str | None = None) -> list[str]:
    return [r["number"] for r in find_references(text, own)]


@pytest.mark.parametrize(
    ("broken", "whole"),
    [
        ("Nghị quyết số 93NQ-CP ngày 16/4/2025", "93/NQ-CP"),  # slash lost
        ("Nghị định số 38/2023/NĐ- -CP ngày 24/6/2023", "38/2023/NĐ-CP"),  # hyphen doubled
        ("Công văn số 4869/U BND-\nSYT ngày 26/7/2020", "4869/UBND-SYT"),  # code split
        ("Nghị quyết 163/2024/QHI15 ngày 27/11/2024", "163/2024/QH15"),  # bar before QH's 15
        ("Thông báo số 2065/T1B-UBND ngày 22/3/2025", "2065/TB-UBND"),  # bar inside TB
    ],
)
def test_a_broken_symbol_is_read_whole(broken: str, whole: str) -> None:
    assert _numbers(broken) == [whole]


def test_two_readings_of_one_symbol_are_one_citation() -> None:
    text = ("Nghị quyết số 163/2024/QH15 ngày 27/11/2024 của Quốc hội; triển khai Nghị quyết "
            "163/2024/QHI15 và Nghị quyết 50/NQ-CP")
    assert _numbers(text) == ["163/2024/QH15", "50/NQ-CP"]


def test_a_lost_body_code_comes_back_from_the_body_named_after_the_date() -> None:
    text = "Quyết định số 28/2025/QĐ- -Từ ngày\n24/08/2025 của Thủ tướng Chính phủ ban hành"
    refs = find_references(text, None)
    assert [r["number"] for r in refs] == ["28/2025/QĐ-TTg"]
    assert refs[0]["date"] == "2025-08-24"
    # Chính phủ alone is CP; an unknown body gives no code rather than a guess
    assert _numbers(text.replace("Thủ tướng Chính phủ", "Chính phủ")) == ["28/2025/QĐ-CP"]
    assert _numbers(text.replace("Thủ tướng Chính phủ", "Hội đồng trường")) == ["28/2025/QĐ"]


def test_a_code_without_its_đ_is_snapped_to_the_document_own_code() -> None:
    text = "Căn cứ Thông báo số 2065/TB-DHĐL ngày 22/3/2025 của Trường"
    assert _numbers(text, own="2164/TB-ĐHĐL") == ["2065/TB-ĐHĐL"]
    assert _numbers(text, own="12/TB-UBND") == ["2065/TB-DHĐL"]


def test_prose_with_hyphens_and_capitals_is_not_joined_into_a_symbol() -> None:
    text = "Ban chỉ đạo - - Tổ công tác; số liệu 12/2024 - - UBND tỉnh"
    assert _numbers(text) == []
