"""Extractors on plain text, as a .txt input or a text layer gives it (no layout)."""

from extractors import extract_fields
from pipeline.core.document import Document, Page

CONG_VAN = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HÀ TIÊN
Số: 215/UBND-KSTT
V/v thực hiện công tác cải cách thủ tục
hành chính trọng tâm năm 2024
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Tiên, ngày 19 tháng 02 năm 2024
Kính gửi:
- Thủ trưởng các phòng chuyên môn thành phố;
- Chủ tịch Ủy ban nhân dân các xã, phường.
Thực hiện Quyết định số 373/QD-UBND ngày 19/02/2024 của UBND tỉnh Kiên Giang về ban hành
kế hoạch cải cách thủ tục hành chính trọng tâm năm 2024; Nghị định số 107/2021/NĐ-CP;
Ủy ban nhân dân thành phố yêu cầu thủ trưởng các cơ quan, đơn vị thực hiện nghiêm.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Mai Quốc Thắng
"""


def _extract(text: str) -> dict:
    doc = Document(source="x.txt", sha256="0")
    doc.pages.append(Page(number=1, source="text", plain_text=text))
    return extract_fields(doc)


def test_cong_van_header_from_plain_text():
    fields = _extract(CONG_VAN)
    assert fields["doc_type"] == "Công văn"
    assert fields["number"] == "215/UBND-KSTT"
    assert fields["issued_date"] == "2024-02-19"
    assert fields["place"] == "Hà Tiên"
    assert fields["issuer"] == "Ủy ban nhân dân thành phố Hà Tiên"
    assert fields["issuer_parent"] is None
    assert fields["subject"] == "thực hiện công tác cải cách thủ tục hành chính trọng tâm năm 2024"
    assert fields["recipients"] == [
        "Thủ trưởng các phòng chuyên môn thành phố", "Chủ tịch Ủy ban nhân dân các xã, phường",
    ]


def test_signature_block_from_plain_text():
    fields = _extract(CONG_VAN)
    assert fields["signing_authority"] == "KT. Chủ tịch"
    assert fields["signer_title"] == "Phó Chủ tịch"
    assert fields["signer_name"] == "Mai Quốc Thắng"


def test_references_canonical_with_type_date_issuer():
    refs = {r["number"]: r for r in _extract(CONG_VAN)["references"]}
    assert set(refs) == {"373/QĐ-UBND", "107/2021/NĐ-CP"}
    qd = refs["373/QĐ-UBND"]
    assert qd["doc_type"] == "Quyết định" and qd["date"] == "2024-02-19"
    assert qd["issuer"] == "Ủy ban nhân dân tỉnh Kiên Giang"
    assert "215/UBND-KSTT" not in refs  # the document's own number is not a citation


def test_title_gives_type_and_subject_follows_it():
    text = CONG_VAN.replace("V/v thực hiện công tác cải cách thủ tục\nhành chính trọng tâm năm 2024\n", "")
    text = text.replace("Kính gửi:", "KẾ HOẠCH\nCải cách hành chính năm 2024\nKính gửi:")
    fields = _extract(text)
    assert fields["doc_type"] == "Kế hoạch"
    assert fields["subject"] == "Cải cách hành chính năm 2024"


def test_places_snap_to_gazetteer():
    text = CONG_VAN.replace("HÀ TIÊN", "HÀ TIỀN").replace("Mai Quốc", "Mại Quốc")
    fields = _extract(text)
    assert fields["issuer"] == "Ủy ban nhân dân thành phố Hà Tiên"
    assert fields["signer_name"] == "Mai Quốc Thắng"


def test_both_header_columns_on_one_line_of_plain_text(tmp_path):
    # how OCR'd text files often arrive: issuer and motto, number and date side by side,
    # marks stripped; read through the whole pipeline (restoration included)
    from pipeline.app.run import process_file
    from pipeline.core.settings import Settings

    text = (
        "UY BAN NHAN DAN  CONG HOA XA HOI CHU NGHIA VIET NAM\n"
        "THI TRAN CHQ VAM Poc lap - Tu do - Hanh phuc\n"
        "So: 89/KH-UBND Cho Vam, ngay 05 thang 03 nam 2024\n"
        "KE HOACH\n"
    )
    path = tmp_path / "chovam.txt"
    path.write_text(text, encoding="utf-8")
    _, fields = process_file(path, Settings())
    assert fields["place"] == "Chợ Vàm"
    assert fields["issued_date"] == "2024-03-05"
    assert fields["number"] == "89/KH-UBND"
    assert fields["issuer"] == "Ủy ban nhân dân thị trấn Chợ Vàm"
    assert fields["doc_type"] == "Kế hoạch"


def test_signature_rules_from_the_decree_on_documents():
    # KT. (ký thay): the deputy signs, so a title read as the head's is a deputy's
    text = CONG_VAN.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "KT. GIÁM ĐỐC\nGIÁM ĐỐC")
    fields = _extract(text)
    assert (fields["signing_authority"], fields["signer_title"]) == ("KT. Giám đốc", "Phó Giám đốc")
    # an officer's rank (cấp bậc) is not part of the name
    text = CONG_VAN.replace("Mai Quốc Thắng", "Trung tá Ngô Văn Công")
    assert _extract(text)["signer_name"] == "Ngô Văn Công"


def test_stamp_junk_dropped_from_subject_and_place_kept_without_day():
    from extractors.common import TextLine
    from extractors.header import find_date_place, find_subject
    from pipeline.core.document import Region

    lines = [
        TextLine("Đà Nẵng, ngày 34 tháng 5 năm 2019", Region.HEADER_RIGHT),  # pen day misread
        TextLine("NGHỊ ĐỊNH", Region.BODY),
        TextLine("Ngy:Œ† [O112021.| Quy định chi tiết thi hành Luật Chứng khoán", Region.BODY),
        TextLine("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;", Region.BODY),
    ]
    assert find_date_place(lines) == (None, "Đà Nẵng")
    assert find_subject(lines, 1) == "Quy định chi tiết thi hành Luật Chứng khoán"


def test_garbled_date_line_keeps_the_clean_month_and_year():
    from extractors.common import TextLine
    from extractors.header import find_date_place
    from pipeline.core.document import Region

    lines = [TextLine("Hà Tiên, ,gdy!9 tháng 02 năm 2024", Region.BODY)]
    assert find_date_place(lines) == ("2024-02-19", "Hà Tiên")


def test_a_symbol_cut_at_a_line_end_is_one_citation_with_its_whole_form():
    from extractors.references import find_references

    text = ("Quyết định 31/2021/Qb-\nđiện tử ...\ntheo Quyết định 31/2021/Qb-\nTTg "
            "và Thông tư 26/2019/TTBTC")
    numbers = [r["number"] for r in find_references(text, None)]
    assert numbers == ["31/2021/QĐ-TTg", "26/2019/TT-BTC"]


def test_issuer_inferred_when_the_header_was_not_read():
    """The hatien seed: OCR lost the header; the place, the body's references to its own
    "thành phố" and the Chủ tịch's signature still name the UBND."""
    headless = CONG_VAN.split("\n", 2)[2].replace("- Như trên;", "- Như trên;\n- Công an thành phố;")
    doc = Document(source="x.txt", sha256="0")
    doc.pages.append(Page(number=1, source="text", plain_text=headless))
    fields = extract_fields(doc)
    assert fields["issuer"] == "Ủy ban nhân dân thành phố Hà Tiên"
    assert "issuer not in the header; inferred: Ủy ban nhân dân thành phố Hà Tiên" in doc.warnings
    # without a Chủ tịch signing, the same text could come from any office of the city
    unsigned = headless.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "GIÁM ĐỐC")
    assert _extract(unsigned)["issuer"] is None
    # Thanh Hóa is both a tỉnh and its thành phố: which UBND is not guessed
    assert _extract(headless.replace("Hà Tiên, ngày", "Thanh Hóa, ngày"))["issuer"] is None


def test_number_line_after_specks_read_as_letters():
    from extractors.common import TextLine
    from extractors.header import find_number
    from pipeline.core.document import Region

    def number(text: str) -> str | None:
        return find_number([TextLine(text, Region.HEADER_LEFT)])

    assert number("X \\ Số: 115/CV-PA83") == "115/CV-PA83"
    assert number("Số: 89/KH-UBND") == "89/KH-UBND"
    assert number("a) Số liệu: 12/2024") is None


def test_a_misread_ve_viec_opens_the_subject_spelt_right():
    """``và việc`` under a QUYẾT ĐỊNH and ``Về việc`` under a công văn's number are the
    subject's own words (only ``V/v`` is dropped); r3-06 and r3-10 of ../shared/real3."""
    from extractors.common import TextLine
    from extractors.header import find_subject
    from pipeline.core.document import Region

    decision = [
        TextLine("QUYẾT ĐỊNH", Region.BODY),
        TextLine("và việc công bố Danh mục thủ tục hành chính mới ban hành", Region.BODY),
        TextLine("thuộc thẩm quyền giải quyết của Sở Xây dựng", Region.BODY),
        TextLine("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", Region.BODY),
    ]
    assert find_subject(decision, 0) == ("Về việc công bố Danh mục thủ tục hành chính mới ban "
                                         "hành thuộc thẩm quyền giải quyết của Sở Xây dựng")
    letter = [
        TextLine("Số: 4532/UBND-KSTTHC", Region.HEADER_LEFT),
        TextLine("Về việc xây dựng kế hoạch rà", Region.HEADER_LEFT),
        TextLine("soát quy định, thủ tục hành chính.", Region.HEADER_LEFT),
        TextLine("Kính gửi: Các sở, ban, ngành", Region.BODY),
    ]
    assert find_subject(letter, None) == "Về việc xây dựng kế hoạch rà soát quy định, thủ tục hành chính"
    vv = [TextLine("Số: 12/UBND-VP", Region.HEADER_LEFT),
          TextLine("V/v tổng hợp số liệu", Region.HEADER_LEFT)]
    assert find_subject(vv, None) == "tổng hợp số liệu"


def test_noise_in_the_header_column_is_no_issuer():
    """r3-05 of ../shared/real3, a phone photo: what OCR made of its header names no body,
    so no issuer is stored (rather than the noise at any confidence)."""
    from extractors.common import TextLine
    from extractors.issuer import find_issuer
    from pipeline.core.document import Region

    noise = [TextLine('HẠ NIị . Huy Nị HÀ ĐÀN VN sự + Đ Hững Xe - đun cụ, " m mô ĐH',
                      Region.HEADER_LEFT)]
    assert find_issuer(noise) == (None, None)
    header = [TextLine("ỦY BAN NHÂN DÂN", Region.HEADER_LEFT),
              TextLine("HUYỆN LẤP VÒ", Region.HEADER_LEFT)]
    assert find_issuer(header) == ("Ủy ban nhân dân huyện Lấp Vò", None)


def test_specks_inside_a_subject_are_not_stops() -> None:
    """A copier's speck read as ``.`` or ``:`` inside a trích yếu, or as an opening quote."""
    from extractors.header import _clean_subject

    assert _clean_subject("Tổ chức kiểm soát và thực hiện. cơ chế một cửa") == (
        "Tổ chức kiểm soát và thực hiện cơ chế một cửa")
    assert _clean_subject("'Kết quả thực hiện công tác quý I") == "Kết quả thực hiện công tác quý I"
    # a real stop before a capital stays (TP. Hồ Chí Minh)
    assert _clean_subject("Hỗ trợ TP. Hồ Chí Minh") == "Hỗ trợ TP. Hồ Chí Minh"


def test_specks_glued_into_a_subject_or_before_its_years() -> None:
    from extractors.header import _clean_subject

    assert _clean_subject("Kết quả thực hiện.công tác cải cách") == "Kết quả thực hiện công tác cải cách"
    assert _clean_subject("Chuyển đổi số giai đoạn. 2024-2026") == "Chuyển đổi số giai đoạn 2024-2026"
    assert _clean_subject("“Tuyên truyền cải cách hành chính") == "Tuyên truyền cải cách hành chính"
    assert _clean_subject("“Ngày Pháp luật” năm 2024") == "“Ngày Pháp luật” năm 2024"


def test_a_template_word_is_no_place() -> None:
    """A speck before ``ngày`` (``. Ngày, ngày 05 …``) made the template's word look like a
    place; the date is kept, the place left to the issuer's locality."""
    from extractors.common import TextLine
    from extractors.header import find_date_place
    from pipeline.core.document import Region

    line = TextLine(". Ngày, ngày 05 tháng 03 năm 2024", Region.HEADER_RIGHT)
    assert find_date_place([line]) == ("2024-03-05", None)
    line = TextLine("Chợ Vàm, ngày 05 tháng 03 năm 2024", Region.HEADER_RIGHT)
    assert find_date_place([line]) == ("2024-03-05", "Chợ Vàm")


def test_a_subject_ends_before_the_body_under_a_misread_rule() -> None:
    from extractors.header import _clean_subject, _stops_subject

    assert _stops_subject("l Căn cứ Kế hoạch số 12/KH-UBND")  # the rule read as ``l``
    assert _stops_subject("- Căn cứ Quyết định số 01/QĐ-TTg")
    assert not _stops_subject("lễ hội năm 2024")
    assert _clean_subject("thực hiện CTMTQG PCMT -_ đến năm 2030") == (
        "thực hiện CTMTQG PCMT đến năm 2030")  # bca-6: the rule read into the last line
    assert _clean_subject("kinh tế - xã hội năm 2025") == "kinh tế - xã hội năm 2025"
    assert _clean_subject("cải cách thủ tục “hành chính năm 2023") == (
        "cải cách thủ tục hành chính năm 2023")


def test_a_lone_speck_token_or_a_speck_dash_inside_a_subject() -> None:
    from extractors.header import _clean_subject

    assert _clean_subject("thực hiện cơ . chế một cửa") == "thực hiện cơ chế một cửa"
    assert _clean_subject("Chuyển đổi số-và phát triển") == "Chuyển đổi số và phát triển"
    assert _clean_subject("phát triển kinh tế - xã hội") == "phát triển kinh tế - xã hội"


def test_the_number_line_ends_the_issuer_however_its_so_was_read() -> None:
    from extractors.common import TextLine
    from extractors.issuer import find_issuer
    from pipeline.core.document import Region

    lines = [TextLine(t, Region.HEADER_LEFT) for t in (
        "UBND HUYỆN CHÂU THÀNH", "ỦY BAN NHÂN DÂN", "XÃ VĨNH HÒA HƯỪNG", "Ố: 1695/BC-UBND")]
    assert find_issuer(lines) == ("Ủy ban nhân dân xã Vĩnh Hòa Hưng",
                                  "Ủy ban nhân dân huyện Châu Thành")
