"""What columns and values are called for people: Vietnamese by default, English on request
(``--lang en``). JSON keeps the contract's identifiers; tables, CSV and workbooks show these."""

from __future__ import annotations

from typing import Any

# column → (Vietnamese, English)
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("Mã", "id"), "source": ("Tệp", "file"), "doc_type": ("Loại văn bản", "type"),
    "number": ("Số ký hiệu", "number"), "issued_date": ("Ngày ban hành", "issued"),
    "place": ("Địa danh", "place"), "issuer": ("Cơ quan ban hành", "issuer"),
    "issuer_parent": ("Cơ quan chủ quản", "parent body"), "subject": ("Trích yếu", "subject"),
    "signer_name": ("Người ký", "signer"), "signer_title": ("Chức vụ", "title"),
    "signing_authority": ("Thẩm quyền ký", "authority"), "page": ("Trang", "page"),
    "snippet": ("Đoạn văn", "snippet"), "content": ("Nhiệm vụ", "task"),
    "sentence": ("Câu gốc", "sentence"),
    "lead": ("Chủ trì", "lead"), "partners": ("Phối hợp", "partners"),
    "deadline": ("Thời hạn", "deadline"), "due_date": ("Hạn", "due"),
    "year": ("Năm", "year"), "indicator": ("Chỉ tiêu", "indicator"),
    "comparator": ("So sánh", "comparator"), "value": ("Giá trị", "value"),
    "unit": ("Đơn vị", "unit"), "kind": ("Loại", "kind"), "direction": ("Chiều", "direction"),
    "resolved": ("Đã khớp", "resolved"), "stage": ("Bước", "stage"),
    "reason": ("Lý do", "reason"), "started_at": ("Bắt đầu", "started"),
    "finished_at": ("Kết thúc", "finished"), "root": ("Thư mục", "folder"),
    "files_found": ("Số tệp", "files"), "stored": ("Đã lưu", "stored"),
    "skipped": ("Bỏ qua", "skipped"), "failed": ("Lỗi", "failed"), "pages": ("Số trang", "pages"),
    "review": ("Cần xem lại vì", "needs review because"),
    "review_state": ("Tình trạng xem lại", "review state"), "recipients": ("Nơi nhận", "recipients"),
    "page_count": ("Số trang", "pages"),
}
# a value's words → (Vietnamese, English)
VALUES: dict[Any, tuple[str, str]] = {
    "target": ("Chỉ tiêu", "target"), "actual": ("Kết quả", "actual"),
    "cites": ("dẫn", "cites"), "cited by": ("được dẫn bởi", "cited by"),
    True: ("có", "yes"), False: ("không", "no"),
}
LANGUAGES = ("vi", "en")


def column(name: str, lang: str) -> str:
    return COLUMNS.get(name, (name, name))[LANGUAGES.index(lang)]


def value(found: Any, lang: str) -> Any:
    if isinstance(found, (str, bool)) and found in VALUES:
        return VALUES[found][LANGUAGES.index(lang)]
    return found
