import unicodedata

from pipeline.core.restore import normalize_text


def test_old_style_tones_become_new_style():
    assert normalize_text("Uỷ ban nhân dân") == "Ủy ban nhân dân"
    assert normalize_text("hoà bình, thuỷ lợi, khoẻ, tuỳ") == "hòa bình, thủy lợi, khỏe, tùy"
    assert normalize_text("UỶ BAN") == "ỦY BAN"


def test_syllables_with_other_tone_rules_are_left_alone():
    for word in ("quý", "hoàng", "của", "quả", "uyên", "thuở", "hòa", "khuyến"):
        assert normalize_text(word) == word


def test_nfc_and_lookalikes():
    decomposed = unicodedata.normalize("NFD", "Quyết định số 354/QĐ-UBND")
    assert normalize_text(decomposed) == "Quyết định số 354/QĐ-UBND"
    assert normalize_text("\u00d0à Nẵng") == "Đà Nẵng"  # Icelandic eth for Đ


def test_dot_below_with_breve_is_not_moved():
    from pipeline.core.restore import normalize_text

    assert normalize_text("hoặc ngoặc") == "hoặc ngoặc"
    assert normalize_text("hoà thuỷ") == "hòa thủy"


def test_an_abbreviation_glued_to_a_word_is_split():
    from pipeline.core.restore import normalize_text

    assert normalize_text("Văn phòng HĐNDvà UBND") == "Văn phòng HĐND và UBND"
    assert normalize_text("Văn phòng HĐND vàUBND") == "Văn phòng HĐND và UBND"
    assert normalize_text("UBNDtỉnh") == "UBND tỉnh"
    for code in ("1906/SGDĐT-CTrTT", "CTrTTT", "12/TTr-UBND", "QyĐ"):  # codes stay whole
        assert normalize_text(code) == code
