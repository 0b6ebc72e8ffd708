from pipeline.read import pdf
from pipeline.read.textlayer import is_usable_text_layer

GOOD = (
    "Căn cứ Quyết định số 354/QĐ-UBND ngày 20 tháng 02 năm 2024 của Ủy ban nhân dân huyện "
    "Phú Tân về việc ban hành Kế hoạch tổ chức hoạt động kiểm soát thủ tục hành chính và "
    "thực hiện cơ chế một cửa, một cửa liên thông trên địa bàn huyện năm 2024; Ủy ban nhân "
    "dân thị trấn Chợ Vàm xây dựng Kế hoạch như sau:"
) * 2


def test_real_vietnamese_layer_is_used():
    assert is_usable_text_layer(GOOD)


def test_layer_without_diacritics_is_junk():
    stripped = "Can cu Quyet dinh so 354/QD-UBND ngay 20 thang 02 nam 2024 cua UBND huyen " * 6
    assert not is_usable_text_layer(stripped)


def test_broken_font_map_is_junk():
    broken = "  ể  so t th  t c h nh ch nh tr n đ a b n huy n n m 2024 " * 10
    assert not is_usable_text_layer(broken)


def test_signature_caption_alone_is_junk():
    caption = "SAO Y\nỦy ban nhân dân thành phố Đà Nẵng\nThời gian ký: 19/10/2023 10:56:22 +07:00\n"
    assert not is_usable_text_layer(caption)


def test_real_scans_with_junk_layers_are_detected(shared):
    for name in ("vietadmin-1.pdf", "vietadmin-3.pdf"):
        text = pdf.page_text(shared / "real" / name, 1)
        assert text.strip(), name  # there is a layer ...
        assert not is_usable_text_layer(text), name  # ... and it is junk
