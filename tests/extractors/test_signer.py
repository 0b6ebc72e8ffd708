"""Titles and authorities from a closed vocabulary; ranks and degrees are not names."""

from __future__ import annotations

import pytest

from extractors.common import TextLine
from extractors.signer import find_signer, snap_title
from pipeline.core.document import Region


@pytest.mark.parametrize(("read", "title"), [
    ("THƯ TRƯỜNG", "Thứ trưởng"),              # OCR's wrong tone marks
    ("Phó Chủ tịc", "Phó Chủ tịch"),            # a letter lost under the seal
    ("Trường phong ctsv", "Trưởng phòng CTSV"),  # the unit's acronym kept in capitals
    ("TRƯỞNG PHÒNG ĐÀO TẠO", "Trưởng phòng Đào tạo"),
    ("PHÓ TRƯỞNG PHÒNG PHỤ TRÁCH", "Phó Trưởng phòng phụ trách"),
    ("PHÓ TRƯỞNG BAN", "Phó Trưởng ban"),
    ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Phó Chủ tịch Thường trực"),  # real3 r3-12
    ("PHÓ CHỊU TỊCH THƯỜNG TRỰC", "Phó Chủ tịch Thường trực"),  # and r3-04, misread
])
def test_titles_snap_to_the_vocabulary(read: str, title: str) -> None:
    assert snap_title(read) == title


@pytest.mark.parametrize("read", ["TRƯỜNG ĐẠI HỌC ĐIỆN LỰC", "Trưởng khoa.........", "CỘNG HÒA"])
def test_what_is_no_title_is_refused(read: str) -> None:
    assert snap_title(read) is None


def _closing(*texts: str) -> list[TextLine]:
    return [TextLine(t, Region.CLOSING_RIGHT) for t in texts]


def test_rank_and_degree_are_not_part_of_the_name() -> None:
    police = find_signer(_closing("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Thượng tướng Nguyễn Văn Long"))
    assert police == {"signer_name": "Nguyễn Văn Long", "signer_title": "Thứ trưởng",
                      "signing_authority": "KT. Bộ trưởng"}
    school = find_signer(_closing("HIỆU TRƯỞNG", "TS. Trương Huy Hoàng"))
    assert school["signer_name"] == "Trương Huy Hoàng"


def test_a_blank_form_after_the_signature_is_not_the_signer() -> None:
    found = find_signer(_closing("TL. HIỆU TRƯỞNG", "TRƯỞNG PHÒNG CTSV", "Phùng Thị Xuân Bình",
                                 "Trưởng khoa........."))
    assert found["signer_title"] == "Trưởng phòng CTSV"
    assert found["signer_name"] == "Phùng Thị Xuân Bình"


def test_the_name_starts_at_a_known_surname_after_specks_or_a_garbled_rank() -> None:
    assert find_signer(_closing("TL.HIỆU TRƯỞNG", "A", "E» Trịnh Văn Toàn"))["signer_name"] == \
        "Trịnh Văn Toàn"
    found = find_signer(_closing("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "k", "Thượng trong Nguyễn Văn Long"))
    assert found["signer_name"] == "Nguyễn Văn Long"


def test_a_deputy_title_lost_under_the_seal_follows_the_head() -> None:
    # KT.: a deputy signs; a minister's deputy is a Thứ trưởng, every other head's a Phó
    minister = find_signer(_closing("KT. BỘ TRƯỞNG", "Nguyễn Văn Long"))
    assert minister["signer_title"] == "Thứ trưởng"
    director = find_signer(_closing("KT. GIÁM ĐỐC", "Nguyễn Văn Long"))
    assert director["signer_title"] == "Phó Giám đốc"


def test_under_kt_the_signer_is_a_deputy():
    """Ký thay: whoever signs "KT. X" is X's deputy, though OCR lost the PHÓ of the title."""
    assert find_signer(_closing("KT. TRƯỞNG BAN", "TRƯỞNG BAN", "Mạnh Thị Tuyết Mai"))[
        "signer_title"] == "Phó Trưởng ban"
    assert find_signer(_closing("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Lê Hồng Văn"))[
        "signer_title"] == "Phó Chủ tịch Thường trực"
    assert find_signer(_closing("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Hồng Văn"))[
        "signer_title"] == "Chủ tịch"


@pytest.mark.parametrize(("read", "name"), [
    ("Nguyễn Hễng Thanh", "Nguyễn Hồng Thanh"),  # no name is Hễng (r3-15)
    ("Nguyễn Tuần Anh", "Nguyễn Tuấn Anh"),      # Tuần is a week, Tuấn a name
    ("Hồ Định Tùng", "Hồ Định Tùng"),            # a rarer name is still a name: kept
    ("Trương Minh Đương", "Trương Minh Đương"),  # one the lexicon lacks: no Dương made of it
    ("Lầm Quốc Quyết", "Lâm Quốc Quyết"),        # the family name snapped
    ("Trần Thị Thu Hương", "Trần Thị Thu Hương"),
])
def test_names_snap_to_the_name_lexicon(read: str, name: str) -> None:
    assert find_signer(_closing("GIÁM ĐỐC", read))["signer_name"] == name


def test_garbage_is_no_plausible_name():
    from extractors.gazetteer import name_plausibility

    assert name_plausibility("Ýa A") == 0.0
    assert name_plausibility("Nguyễn Hồng Thanh") == 1.0
    assert name_plausibility("Lê Trung Chỉnh") < 1.0


def test_an_authority_line_left_in_the_body_still_makes_a_deputy():
    """ct-1 of ../shared/real: "KT. TRƯỞNG BAN …" level with "Nơi nhận:" is zoned into the
    body; the signer under it is the Phó Trưởng ban though OCR lost the PHÓ."""
    lines = [TextLine("Nơi nhận:", Region.BODY), TextLine("TL. CỤC TRƯỞNG", Region.BODY),
             TextLine("KT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ QUỐC TẾ.", Region.BODY),
             TextLine("- Như trên;", Region.CLOSING_LEFT),
             TextLine("RRƯỞNG BAN", Region.CLOSING_RIGHT),
             TextLine("Mạnh Thị Tuyết Mai", Region.CLOSING_RIGHT)]
    found = find_signer(lines)
    assert found["signer_title"] == "Phó Trưởng ban"
    assert found["signing_authority"].startswith("KT. Trưởng ban")


@pytest.mark.parametrize(("line", "name"), [
    ("Huỳnh Văn Thủy.", "Huỳnh Văn Thủy"),  # a speck after the name read as a stop
    ("Huỳnh Văn Dũng hồ", "Huỳnh Văn Dũng"),  # specks read as a small word
    ("Trần-Hoàng Khoa", "Trần Hoàng Khoa"),  # a speck between two syllables read as a dash
    ('Phan Thị "Tâm', "Phan Thị Tâm"),  # a speck before a syllable read as a quote
    ("Nguyễn Văn A", "Nguyễn Văn A"),
])
def test_a_name_line_with_a_copiers_specks(line: str, name: str) -> None:
    from extractors.signer import _name_in

    assert _name_in(line, need_surname=False) == name
