"""What the synthetic documents say: issuers, people, subjects, sentences, tables.

Everything is drawn from a seeded ``random.Random`` so a sample set is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# (parent header line, issuer header line, canonical parent, canonical issuer, body code, place)
ISSUERS = [
    ("ỦY BAN NHÂN DÂN HUYỆN PHÚ TÂN", "ỦY BAN NHÂN DÂN THỊ TRẤN CHỢ VÀM",
     "Ủy ban nhân dân huyện Phú Tân", "Ủy ban nhân dân thị trấn Chợ Vàm", "UBND", "Chợ Vàm"),
    (None, "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG", None, "Ủy ban nhân dân tỉnh Kiên Giang", "UBND",
     "Kiên Giang"),
    ("ỦY BAN NHÂN DÂN TỈNH AN GIANG", "SỞ NỘI VỤ", "Ủy ban nhân dân tỉnh An Giang",
     "Sở Nội vụ", "SNV", "An Giang"),
    ("UBND THÀNH PHỐ ĐÀ NẴNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Ủy ban nhân dân thành phố Đà Nẵng",
     "Sở Giáo dục và Đào tạo", "SGDĐT", "Đà Nẵng"),
    (None, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ TIÊN", None, "Ủy ban nhân dân thành phố Hà Tiên",
     "UBND", "Hà Tiên"),
    ("ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH", "ỦY BAN NHÂN DÂN XÃ VĨNH HÒA HƯNG",
     "Ủy ban nhân dân huyện Châu Thành", "Ủy ban nhân dân xã Vĩnh Hòa Hưng", "UBND",
     "Vĩnh Hòa Hưng"),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ Y TẾ", "Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Y tế",
     "SYT", "Quảng Ngãi"),
    (None, "ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU", None, "Ủy ban nhân dân quận Hải Châu", "UBND",
     "Hải Châu"),
    ("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
     "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "Sở Tài nguyên và Môi trường", "STNMT", "Thừa Thiên Huế"),
    ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "ỦY BAN NHÂN DÂN HUYỆN LẤP VÒ",
     "Ủy ban nhân dân tỉnh Đồng Tháp", "Ủy ban nhân dân huyện Lấp Vò", "UBND", "Lấp Vò"),
]

# Header layouts data/samples never draws, for the varied (held-out) sets: ministries (one
# line, no parent; deputies sign as Thứ trưởng), a Cục under its ministry, Sở and xã of other
# provinces. Same fields as ISSUERS.
OTHER_ISSUERS = [
    (None, "BỘ TÀI CHÍNH", None, "Bộ Tài chính", "BTC", "Hà Nội"),
    (None, "BỘ NỘI VỤ", None, "Bộ Nội vụ", "BNV", "Hà Nội"),
    (None, "BỘ Y TẾ", None, "Bộ Y tế", "BYT", "Hà Nội"),
    ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỤC THỦY LỢI", "Bộ Nông nghiệp và Môi trường",
     "Cục Thủy lợi", "CTL", "Hà Nội"),
    ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "SỞ TƯ PHÁP", "Ủy ban nhân dân tỉnh Nghệ An", "Sở Tư pháp",
     "STP", "Nghệ An"),
    ("UBND TỈNH BẮC NINH", "SỞ XÂY DỰNG", "Ủy ban nhân dân tỉnh Bắc Ninh", "Sở Xây dựng", "SXD",
     "Bắc Ninh"),
    ("ỦY BAN NHÂN DÂN HUYỆN THANH CHƯƠNG", "ỦY BAN NHÂN DÂN XÃ THANH NGỌC",
     "Ủy ban nhân dân huyện Thanh Chương", "Ủy ban nhân dân xã Thanh Ngọc", "UBND",
     "Thanh Ngọc"),
    ("UBND HUYỆN ĐÔNG ANH", "UBND XÃ XUÂN NỘN", "Ủy ban nhân dân huyện Đông Anh",
     "Ủy ban nhân dân xã Xuân Nộn", "UBND", "Xuân Nộn"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
            "Đào", "Phan", "Trương", "Lâm", "Mai"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Hữu", "Thanh", "Ngọc", "Đức", "Hoàng", "Kim"]
GIVEN = ["Soái", "Thắng", "Hùng", "Lan", "Hương", "Tuấn", "Dũng", "Phúc", "Nghĩa", "Thủy",
         "Khoa", "Quyết", "Hạnh", "Trí", "Tâm", "Hòa", "Lộc", "Vũ", "Cường", "Nhân"]

SUBJECTS = {
    "Kế hoạch": [
        "Tổ chức hoạt động kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, một cửa "
        "liên thông năm {year}",
        "Cải cách hành chính nhà nước năm {year}",
        "Chuyển đổi số và phát triển chính quyền số giai đoạn {year}-{year2}",
        "Tuyên truyền cải cách hành chính năm {year}",
    ],
    "Quyết định": [
        "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân nhiệm kỳ 2021-2026",
        "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa năm {year}",
        "Về việc thành lập Tổ công tác cải cách thủ tục hành chính",
    ],
    "Công văn": [
        "thực hiện công tác cải cách thủ tục hành chính trọng tâm năm {year}",
        "đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "báo cáo kết quả thực hiện Bộ chỉ số phục vụ người dân, doanh nghiệp",
        "tăng cường công tác phòng, chống thiên tai năm {year}",
    ],
    "Báo cáo": [
        "Kết quả thực hiện công tác cải cách hành chính quý I năm {year}",
        "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm {year}",
    ],
    "Thông báo": [
        "Kết luận của Chủ tịch Ủy ban nhân dân tại cuộc họp giao ban tháng {month}",
        "Lịch tiếp công dân định kỳ năm {year}",
    ],
    "Tờ trình": ["Về việc đề nghị phê duyệt kế hoạch chuyển đổi số năm {year}"],
    "Chỉ thị": ["Về tăng cường kỷ luật, kỷ cương hành chính trong cơ quan nhà nước"],
}
TYPE_CODES = {"Kế hoạch": "KH", "Quyết định": "QĐ", "Báo cáo": "BC", "Thông báo": "TB",
              "Tờ trình": "TTr", "Chỉ thị": "CT", "Công văn": None}

CITABLE = [
    ("Quyết định", "{n}/QĐ-UBND", "Ủy ban nhân dân tỉnh"),
    ("Kế hoạch", "{n}/KH-UBND", "Ủy ban nhân dân huyện"),
    ("Quyết định", "766/QĐ-TTg", None),
    ("Nghị quyết", "01/NQ-CP", None),
    ("Nghị định", "107/2021/NĐ-CP", None),
    ("Nghị định", "45/2020/NĐ-CP", None),
    ("Thông tư", "01/2023/TT-VPCP", None),
    ("Công văn", "{n}/UBND-KSTT", "Ủy ban nhân dân tỉnh"),
]

SENTENCES = [
    "Nhằm nâng cao chất lượng phục vụ người dân, doanh nghiệp trong giải quyết thủ tục hành "
    "chính, yêu cầu các cơ quan, đơn vị triển khai thực hiện nghiêm túc các nội dung sau:",
    "Rà soát, cập nhật kịp thời các thủ tục hành chính thuộc thẩm quyền giải quyết, công khai "
    "đầy đủ, đúng quy định tại Bộ phận một cửa và trên Cổng thông tin điện tử.",
    "Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính gắn với việc thực hiện nhiệm "
    "vụ của cán bộ, công chức, viên chức trong quá trình tiếp nhận, giải quyết hồ sơ.",
    "Tiếp tục rà soát, đánh giá, cấu trúc lại quy trình đối với các dịch vụ công trực tuyến "
    "đang được tích hợp, cung cấp trên Cổng dịch vụ công quốc gia.",
    "Tổ chức tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính "
    "đúng thời hạn, không để tồn đọng, kéo dài.",
    "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân về kết quả "
    "thực hiện nhiệm vụ được giao.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về Văn phòng để tổng hợp, báo cáo cấp trên "
    "theo quy định.",
    "Tăng cường công tác thông tin, tuyên truyền, hướng dẫn, khuyến khích người dân, doanh "
    "nghiệp chủ động tham gia thực hiện và sử dụng dịch vụ công trực tuyến.",
    "Công khai kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp theo thời gian "
    "thực trên môi trường điện tử.",
    "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp "
    "thời phản ánh về Văn phòng để được hướng dẫn, giải quyết.",
    "Bố trí đủ cán bộ, công chức có năng lực, phẩm chất đạo đức tốt làm việc tại Bộ phận tiếp "
    "nhận và trả kết quả.",
    "Nâng cao trách nhiệm của người đứng đầu trong việc chỉ đạo, điều hành công tác cải cách "
    "hành chính tại cơ quan, đơn vị mình.",
]
RECIPIENT_POOL = [
    "Thủ trưởng các phòng chuyên môn thành phố", "Giám đốc Trung tâm Y tế thành phố",
    "Chủ tịch Ủy ban nhân dân các xã, phường", "Các sở, ban, ngành tỉnh",
    "Ủy ban nhân dân các huyện, thị xã, thành phố", "Văn phòng Ủy ban nhân dân tỉnh",
    "Hiệu trưởng các trường trung học phổ thông",
]
# content, lead (cơ quan chủ trì), deadline as written, the due date it means
TASKS = [
    ("Rà soát, công bố, công khai thủ tục hành chính", "Văn phòng HĐND và UBND",
     "Thường xuyên", None),
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa",
     "Bộ phận một cửa", "Tháng 6/{year}", "{year}-06-30"),
    ("Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến",
     "Công chức Văn hóa - Xã hội", "Quý III năm {year}", "{year}-09-30"),
    ("Kiểm tra công tác kiểm soát thủ tục hành chính", "Văn phòng", "Trước ngày 15/12/{year}",
     "{year}-12-15"),
    ("Báo cáo kết quả thực hiện kế hoạch", "Văn phòng HĐND và UBND", "Trước ngày 10/12/{year}",
     "{year}-12-10"),
]

# Chỉ tiêu rows: indicator as a plan words it, unit, the value cell as written, comparator,
# value. Sections group them by the decision that set them (merged cells in the table).
TARGET_SECTIONS = [
    ("Chỉ tiêu giao tại Nghị quyết số 01/NQ-CP", [
        ("Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính "
         "có đủ điều kiện", "%", "Tối thiểu 80", ">=", 80.0),
        ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết thủ tục hành chính",
         "%", "Tối thiểu 50", ">=", 50.0),
        ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "%", "100", "=", 100.0),
        ("Tỷ lệ thanh toán trực tuyến trên tổng số giao dịch thanh toán của dịch vụ công", "%",
         "Tối thiểu 45", ">=", 45.0),
    ]),
    ("Chỉ tiêu giao tại Quyết định số 766/QĐ-TTg", [
        ("Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử", "%", "100", "=", 100.0),
        ("Mức độ hài lòng của người dân, doanh nghiệp trong tiếp nhận, giải quyết thủ tục "
         "hành chính", "%", "Tối thiểu 90", ">=", 90.0),
        ("Tỷ lệ hồ sơ thủ tục hành chính giải quyết trễ hạn", "%", "Tối đa 2", "<=", 2.0),
        ("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "%", "Tối thiểu 50", ">=",
         50.0),
        ("Tỷ lệ công bố, công khai thủ tục hành chính đúng hạn", "%", "100", "=", 100.0),
        ("Tỷ lệ văn bản điện tử được ký số", "%", "95,5", "=", 95.5),
    ]),
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@dataclass
class Citation:
    doc_type: str
    number: str
    date: str  # ISO
    issuer: str | None

    def phrase(self) -> str:
        y, m, d = self.date.split("-")
        text = f"{self.doc_type} số {self.number} ngày {d}/{m}/{y}"
        return text + (f" của {self.issuer}" if self.issuer else "")


@dataclass
class Spec:
    """Everything a document says, and so everything its truth file holds."""

    doc_type: str
    number: str
    issued_date: str
    place: str
    issuer_lines: list[str]
    issuer: str
    issuer_parent: str | None
    subject: str
    recipients: list[str]
    citations: list[Citation]
    paragraphs: list[str]
    table: list[list[str]] | None
    closing_list: list[str]
    authority: str | None  # e.g. "KT. CHỦ TỊCH"
    title: str  # e.g. "PHÓ CHỦ TỊCH"
    signer: str
    extra: dict = field(default_factory=dict)
