"""Build pipeline/data/phrases.txt: the domain lexicon that biases diacritic restoration.

The legal codification corpus the language model is trained on is short on the words of
directives (``trọng tâm``, ``một cửa liên thông``, ``toàn trình``) and on place names, so
the decoder gives a bonus to syllable pairs found in this lexicon. It is made of:

- the administrative phrases listed below (the vocabulary of kế hoạch, công văn, báo cáo);
- every place name in extractors/data/places.tsv (built by scripts/build_lexicon.py);
- every body in extractors/data/organisations.tsv and indicator in indicators.tsv.

One phrase per line, NFC, sorted and unique, so a rebuild is bit-for-bit equal.

    python scripts/build_phrases.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "extractors" / "data"
OUT = ROOT / "pipeline" / "data" / "phrases.txt"

ADMIN_PHRASES = """
cải cách hành chính; cải cách thủ tục hành chính; kiểm soát thủ tục hành chính;
hành chính trọng tâm; trọng tâm năm; trọng điểm;
cơ chế một cửa; một cửa liên thông; bộ phận một cửa; tiếp nhận và trả kết quả;
dịch vụ công trực tuyến; toàn trình; một phần; cổng dịch vụ công quốc gia;
hệ thống thông tin giải quyết thủ tục hành chính; số hóa hồ sơ; kết quả giải quyết;
thanh toán trực tuyến; chứng thực bản sao điện tử; chuyển đổi số; chính quyền số;
phản ánh kiến nghị; đúng hạn; trễ hạn; quá hạn; hài lòng; người dân; doanh nghiệp;
chất lượng phục vụ; chỉ số chỉ đạo điều hành; chỉ tiêu; nhiệm vụ; giải pháp;
tổ chức thực hiện; triển khai thực hiện; thực hiện nghiêm; nghiêm túc; kịp thời;
hướng dẫn; đôn đốc; kiểm tra; giám sát; tổng hợp; báo cáo kết quả; định kỳ;
chủ trì; phối hợp; chịu trách nhiệm; thẩm quyền; đơn vị; cơ quan; địa phương;
trên địa bàn; thị trấn; công chức; viên chức; cán bộ; người đứng đầu;
ủy ban nhân dân; hội đồng nhân dân; chủ tịch; phó chủ tịch; thường trực;
văn phòng; kế hoạch; công văn; quyết định; thông báo; tờ trình; chỉ thị; nghị quyết;
nghị định; thông tư; căn cứ; theo quy định; ban hành; phê duyệt; sửa đổi bổ sung;
nơi nhận; như trên; lưu văn thư; kính gửi; về việc; độc lập tự do hạnh phúc;
cộng hòa xã hội chủ nghĩa việt nam; kinh tế xã hội; quốc phòng an ninh;
công nghệ thông tin; môi trường mạng; chữ ký số; định danh điện tử; dữ liệu;
""".replace("\n", " ")


def phrases() -> list[str]:
    found = {p.strip() for p in ADMIN_PHRASES.split(";") if p.strip()}
    for row in (DATA / "places.tsv").read_text(encoding="utf-8").splitlines():
        found.add(row.split("\t")[1])
    for name in ("organisations.tsv", "indicators.tsv"):
        for row in (DATA / name).read_text(encoding="utf-8").splitlines():
            if row.strip() and not row.startswith("#"):
                found.add(row.split("\t")[1 if name == "indicators.tsv" else 0])
    out = set()
    for phrase in found:
        phrase = unicodedata.normalize("NFC", phrase.lower())
        phrase = " ".join("".join(c if c.isalpha() else " " for c in phrase).split())
        if " " in phrase:  # a bonus is for pairs of syllables
            out.add(phrase)
    return sorted(out)


def main() -> int:
    lines = phrases()
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} phrases -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
