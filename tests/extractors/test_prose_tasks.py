"""Tasks assigned in sentences and in numbered items with their agencies."""

from extractors.prose_tasks import find_prose_tasks
from extractors.targets import find_targets
from pipeline.core.document import Document, Page, Region


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


def test_directives_worded_as_offices_word_them():
    """The forms real công văn use: Giao / Đề nghị / Yêu cầu + addressees, or the lead
    named first; boilerplate with no object of work is no task."""
    tasks = find_prose_tasks(_body(
        "Giao các sở, ngành, Ủy ban nhân dân các huyện hoàn thành trước ngày 05/01/2012.",
        "Đề nghị các đơn vị báo cáo về Sở Nội vụ trước ngày 22/12/2011.",
        "Yêu cầu Chủ tịch UBND các huyện chỉ đạo rà soát thủ tục hành chính.",
        "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu kế hoạch; thời gian: Quý II/2024.",
        "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
        "Đề nghị này được thông qua.",
    ))
    got = [(t["lead"], t["content"], t["due_date"]) for t in tasks]
    assert got[1:] == [
        ("các đơn vị", "báo cáo về Sở Nội vụ", "2011-12-22"),
        ("Chủ tịch UBND các huyện", "chỉ đạo rà soát thủ tục hành chính", None),
        ("Sở Nội vụ", "tham mưu kế hoạch", "2024-06-30"),
    ]
    assert got[0][0] == "các sở, ngành" and got[0][2] == "2012-01-05"
    assert tasks[0]["partners"] == ["Ủy ban nhân dân các huyện"]
    assert tasks[3]["partners"] == ["Sở Tài chính"]
