from extractors.common import (
    canonical_number,
    find_date,
    fold,
    sentence_case,
    type_of_number,
)


def test_canonical_number():
    assert canonical_number("89 / KH-UBND") == "89/KH-UBND"
    # pen ink OCR read as a capital and a symbol before the code is no part of it (r3-02)
    assert canonical_number("2/T§/STTTT-CNTT") == "2/STTTT-CNTT"
    assert canonical_number("12/2024/QĐ-UBND") == "12/2024/QĐ-UBND"
    assert canonical_number("354/QD-UBND") == "354/QĐ-UBND"
    assert canonical_number("107/2021/ND-CP") == "107/2021/NĐ-CP"
    assert canonical_number("12/QyĐ-UBND") == "12/QyĐ-UBND"  # mixed case is kept
    assert canonical_number("2859/TIr-UBND") == "2859/TTr-UBND"  # OCR read T as I
    assert canonical_number("496-TB/TU") == "496-TB/TU"
    assert canonical_number("1595/SGDDT-CTrTT") == "1595/SGDĐT-CTrTT"
    assert canonical_number("ngày 19/02/2024") is None


def test_canonical_number_repairs_what_ocr_did_to_seed_symbols():
    # every left-hand side is read by OCR in ../shared/seeds/chovam-2024-kehoach.ocr.txt
    assert canonical_number("25/2019/Qb-UBND") == "25/2019/QĐ-UBND"
    assert canonical_number("3697/QP-UBND") == "3697/QĐ-UBND"
    assert canonical_number("59/2022/NDB-CP") == "59/2022/NĐ-CP"
    assert canonical_number("61/2018/NDP-CP") == "61/2018/NĐ-CP"
    assert canonical_number("468/Qb-TTyg") == "468/QĐ-TTg"
    assert canonical_number("26/2019/TTBTC") == "26/2019/TT-BTC"  # hyphen lost
    # the next line's word is not part of the symbol
    assert canonical_number("388/UBND-Cơ quan") == "388/UBND"
    assert canonical_number("03/2022/TT-luật") == "03/2022/TT"
    # codes that only look like a confusion are left alone
    assert canonical_number("1532/UBND-VP") == "1532/UBND-VP"
    assert canonical_number("12/UBND-KTTH") == "12/UBND-KTTH"
    assert canonical_number("115/CV-PA83") == "115/CV-PA83"


def test_type_of_number():
    assert type_of_number("89/KH-UBND") == "Kế hoạch"
    assert type_of_number("496-TB/TU") == "Thông báo"
    assert type_of_number("1532/UBND-VP") is None


def test_find_date_words_and_slashes():
    assert find_date("Chợ Vàm, ngày 05 tháng 03 năm 2024")[0] == "2024-03-05"
    assert find_date("Cho Vam, ngay 5 thang 3 nam 2024")[0] == "2024-03-05"
    assert find_date("ban hành ngày 19/02/2024 của UBND")[0] == "2024-02-19"
    assert find_date("ngày 31 tháng 02 năm 2024")[0] is None  # no such day


def test_sentence_case_of_headings():
    assert sentence_case("ỦY BAN NHÂN DÂN THỊ TRẤN CHỢ VÀM") == "Ủy ban nhân dân thị trấn Chợ Vàm"
    assert sentence_case("UBND THÀNH PHỐ ĐÀ NẴNG") == "UBND thành phố Đà Nẵng"
    assert fold("Đà Nẵng") == "da nang"
