"""Tasks assigned in sentences and in numbered items with their agencies."""

from extractors.prose_tasks import find_prose_tasks
from extractors.targets import find_targets
from pipeline.document import Document, Page, Region


def _body(*texts: str, page: int = 1) -> list[tuple[int, str, Region]]:
    return [(page, text, Region.BODY) for text in texts]


def test_giao_sentence_gives_lead_partners_and_due_date():
    (task,) = find_prose_tasks(_body(
        "- Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính và Công an tỉnh rà soát",
        "thủ tục hành chính, hoàn thành trong tháng 12/2024.",
    ))
    assert task["lead"] == "Sở Nội vụ"
    assert task["partners"] == ["Sở Tài chính", "Công an tỉnh"]
    assert task["content"] == "rà soát thủ tục hành chính"
    assert task["due_date"] == "2024-12-31"


def test_numbered_item_with_agency_lines():
    (task,) = find_prose_tasks(_body(
        "17. Các cơ sở giáo dục và đào tạo cần quan tâm khuyến khích sự",
        "đổi mới, sáng tạo trong giáo dục.",
        "a) Đơn vị chủ trì: Sở GDĐT, Sở LĐTBXH, UBND các quận, huyện, Đại",
        "học Đà Nẵng; các trường đại học.",
        "b) Đơn vị phối hợp: các sở, ban, ngành liên quan.",
    ))
    assert task["lead"] == "Sở GDĐT"
    assert "Đại học Đà Nẵng" in task["partners"]  # a name wrapped over two lines
    assert task["content"].startswith("Các cơ sở giáo dục") and task["due_date"] is None


def test_sentences_without_an_assignment_give_nothing():
    assert find_prose_tasks(_body("Giao thông nông thôn được đầu tư.",
                                  "Ủy ban nhân dân tỉnh giao chỉ tiêu cho các huyện.")) == []


def test_comparator_symbol_in_a_table_row():
    doc = Document(source="t.txt", sha256="0" * 64)
    doc.pages.append(Page(number=1, source="text", plain_text=(
        "1 | Mức độ hài lòng của người dân, doanh nghiệp | % | ≥ 90 | Văn phòng")))
    (target,) = find_targets(doc)
    assert (target["value"], target["comparator"]) == (90.0, ">=")
