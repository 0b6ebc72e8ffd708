"""Snapping of OCR'd body names onto the organisation catalogue."""

from __future__ import annotations

import pytest

from extractors.common import TextLine
from extractors.organisations import catalogue, snap_organisation
from extractors.signer import find_signer
from pipeline.core.document import Region


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Phòng An chính trị nội bộ", "Phòng An ninh chính trị nội bộ"),  # a word left out
        ("Sở Giáo dục và Đào tao", "Sở Giáo dục và Đào tạo"),
        ("Sở Tài chinh tỉnh Long An", "Sở Tài chính tỉnh Long An"),  # the place is kept
        ("Ủy ban nhân dân thành phố Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"),
        ("Sở GDĐT", "Sở GDĐT"),  # an abbreviation stays as written
        ("Trường THPT Lê Quý Đôn", "Trường THPT Lê Quý Đôn"),  # not in the catalogue
        ("Sở Tư pháp", "Sở Tư pháp"),  # a correct name is never moved to a near one
    ],
)
def test_snap_organisation(read: str, expected: str) -> None:
    assert snap_organisation(read) == expected


def test_catalogue_knows_abbreviations() -> None:
    index = catalogue()
    assert index["so gddt"].name == "Sở Giáo dục và Đào tạo"
    assert index["pa83"].name == "Phòng An ninh chính trị nội bộ"


def test_title_under_a_seal_is_matched_loosely() -> None:
    lines = [TextLine(text, Region.CLOSING_RIGHT) for text in
             ["_¬¬ cuủTịcH", "¬\"Ũ", "Đó TC `", "Lê Trung Chinh"]]
    signer = find_signer(lines)
    assert signer["signer_title"] == "Chủ tịch"
    assert signer["signer_name"] == "Lê Trung Chinh"


def test_garbage_is_not_a_title() -> None:
    lines = [TextLine(text, Region.CLOSING_RIGHT) for text in ["Ga a2 20 ¡", "Nguyễn Xuân Phúc"]]
    assert find_signer(lines)["signer_title"] is None


def test_collective_body_under_a_seal_gives_authority_and_head() -> None:
    """What the second pass reads of "TM. CHÍNH PHỦ / THỦ TƯỚNG" under a black seal."""
    lines = [TextLine(text, Region.CLOSING_RIGHT) for text in
             ["721 NEGHÍNH PHÙ", "* Na KƯỚNG", "Nguyễn Xuân Phúc"]]
    signer = find_signer(lines)
    assert signer["signing_authority"] == "TM. Chính phủ"
    assert signer["signer_title"] == "Thủ tướng"  # TM. Chính phủ is signed by the Thủ tướng
    # TM. read, title lost: the head of the body
    lines = [TextLine(t, Region.CLOSING_RIGHT) for t in ["TM. ỦY BAN NHÂN DÂN", "Lê Văn A"]]
    assert find_signer(lines)["signer_title"] == "Chủ tịch"
    # a deputy's KT. line with its title is kept as read
    lines = [TextLine(t, Region.CLOSING_RIGHT) for t in
             ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn A"]]
    assert (find_signer(lines)["signing_authority"], find_signer(lines)["signer_title"]) == (
        "KT. Chủ tịch", "Phó Chủ tịch")


def test_split_organisations_with_spacy_entity_ruler():
    from extractors.organisations import split_organisations

    text = ("Văn phòng HĐND và UBND thành phố; Các phòng, ban chuyên môn thành phố "
            "và UBND các xã, phường")
    assert split_organisations(text) == [
        "Văn phòng HĐND và UBND thành phố",  # "và" inside a known name: not a cut
        "Các phòng, ban chuyên môn thành phố",  # "phòng, ban" is one body
        "UBND các xã, phường",
    ]
    assert split_organisations("Sở Nội vụ, Sở Tài chinh và Công an tỉnh") == [
        "Sở Nội vụ", "Sở Tài chính", "Công an tỉnh"]  # snapped: Tài chinh → Tài chính
    assert split_organisations("") == []


@pytest.mark.parametrize(("read", "expected"), [
    ("Ủy ban nhân dân xã Thanh: ngọc. x", "Ủy ban nhân dân xã Thanh Ngọc"),  # copier specks
    ("Ủy ban nhân dân tỉnhthừa thiên huế", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"),  # glued
    ("Ủy ban nhân dân huyện Châu_. thành", "Ủy ban nhân dân huyện Châu Thành"),
    ("Ủy ban nhân dân xã Vinh ˆ Hòa Hưng l", "Ủy ban nhân dân xã Vĩnh Hòa Hưng"),
    ("Ủy ban nhân dân thị xã Hoài Nhơn", "Ủy ban nhân dân thị xã Hoài Nhơn"),  # not xã Hòa Nhơn
    ("Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo"),  # no place: unchanged
    ("Cục Quản lý chất lượng", "Cục Quản lý chất lượng"),
])
def test_a_body_place_is_read_through_specks_and_glue(read: str, expected: str) -> None:
    from extractors.gazetteer import settle_body_place

    assert settle_body_place(read) == expected
