"""``vanban serve``: the JSON API as CONTRACT.md says, on SQLite and PostgreSQL, driven
through the real app (Starlette's TestClient) over a database filled by real runs of the
pipeline; corrections kept across a re-extraction; an XSS and a traversal attempt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from starlette.testclient import TestClient

from models import Store
from pipeline.app.serve import make_app
from tests.conftest import ROOT
from tests.pipeline.app.test_faults_archive import LETTER, _letter


def _extract(db: str, *paths: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, paths),
                          "--db", db], cwd=ROOT, capture_output=True, text=True,
                         env=os.environ)
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request, tmp_path_factory, generated) -> tuple[str, dict[str, Path]]:
    """One database per engine for the module (filling it runs the pipeline); the tests
    that change it change their own documents only."""
    tmp_path = tmp_path_factory.mktemp("serve")
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'v.db'}"
    else:
        from tests import postgres

        db_url = postgres.new_database(request.getfixturevalue("postgres_server"))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(generated["tb-haichau"].read_bytes())  # pen-written number, one page
    letter = _letter(tmp_path / "cai-cach.txt", 11, "cải cách hành chính trọng tâm")
    other = _letter(tmp_path / "so-hoa.txt", 12, "số hóa hồ sơ")
    hostile = tmp_path / "xss.txt"
    hostile.write_text(LETTER.format(n=13, tag="<script>alert('x')</script>"), encoding="utf-8")
    _extract(db_url, scan, letter, other, hostile)
    return db_url, {"scan": scan, "letter": letter, "other": other, "hostile": hostile}


def _id(client: TestClient, number: str) -> int:
    items = client.get("/api/documents", params={"limit": 200}).json()["items"]
    return next(d["id"] for d in items if d["number"] == number)


def test_search_with_or_without_marks(filled):
    db, _ = filled
    client = TestClient(make_app(db))
    for q in ("cai cach hanh chinh trong tam", "cải cách hành chính trọng tâm"):
        found = client.get("/api/documents", params={"q": q}).json()
        assert [d["number"] for d in found["items"]] == ["11/UBND-VP"] and found["total"] == 1
        assert set(found["items"][0]) == {"id", "source", "number", "doc_type", "issued_date",
                                          "issuer", "subject"}
    everything = client.get("/api/documents", params={"limit": 2}).json()
    assert everything["total"] == 4 and len(everything["items"]) == 2
    later = client.get("/api/documents", params={"limit": 2, "offset": 2}).json()["items"]
    assert not {d["id"] for d in later} & {d["id"] for d in everything["items"]}
    assert client.get("/api/documents", params={"type": "Công văn"}).json()["total"] == 3
    assert client.get("/api/documents", params={"limit": 100000}).status_code == 400
    assert client.get("/api/documents", params={"q": "x" * 500}).status_code == 400


def test_a_document_with_provenance_and_its_page_image(filled):
    db, files = filled
    client = TestClient(make_app(db))
    doc_id = next(d["id"] for d in client.get("/api/documents").json()["items"]
                  if d["source"] == str(files["scan"]))
    record = client.get(f"/api/documents/{doc_id}").json()
    assert record["id"] == doc_id and record["number"] and record["corrections"] == []
    where = record["provenance"]["number"]
    assert where["page"] == 1 and len(where["box"]) == 4
    png = client.get(f"/api/documents/{doc_id}/pages/1.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    import cv2

    image = cv2.imdecode(np.frombuffer(png.content, np.uint8), cv2.IMREAD_GRAYSCALE)
    x0, y0, x1, y1 = where["box"]
    assert 0 <= x0 < x1 <= image.shape[1] and 0 <= y0 < y1 <= image.shape[0]
    assert (image[y0:y1, x0:x1] < 128).mean() > 0.02  # the box holds the number's ink
    assert client.get(f"/api/documents/{doc_id}/pages/2.png").status_code == 404
    assert client.get("/api/documents/999999").status_code == 404


def test_the_searchable_pdf_of_a_document_is_offered_and_made_on_demand(filled):
    db, files = filled
    client = TestClient(make_app(db))
    items = client.get("/api/documents").json()["items"]
    scan = next(d for d in items if d["source"] == str(files["scan"]))
    assert f"/api/documents/{scan['id']}/searchable.pdf" in \
        client.get(f"/documents/{scan['id']}").text
    pdf = client.get(f"/api/documents/{scan['id']}/searchable.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "scan-searchable.pdf" in pdf.headers["content-disposition"]
    import io

    import pypdf

    text = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert scan["number"] in text and "Độc lập" in text
    letter = next(d for d in items if d["source"] == str(files["letter"]))
    refused = client.get(f"/api/documents/{letter['id']}/searchable.pdf")
    assert refused.status_code == 409 and "không có ảnh trang" in refused.json()["error"]


def test_no_path_from_a_request_reaches_the_file_system(filled):
    db, _ = filled
    client = TestClient(make_app(db))
    for attempt in ("/api/documents/1/pages/..%2F..%2F..%2Fetc%2Fpasswd.png",
                    "/api/documents/..%2F..%2Fetc%2Fpasswd/pages/1.png",
                    "/api/documents/1/pages/1.png/../../../../etc/passwd",
                    "/static/..%2F..%2F..%2Fetc%2Fpasswd"):
        answer = client.get(attempt)
        assert answer.status_code == 404 and "root:" not in answer.text


def test_document_text_is_shown_as_text(filled):
    db, _ = filled
    client = TestClient(make_app(db))
    found = client.get("/").text
    assert "13/UBND-VP" in found and "<script>" not in found
    doc_id = _id(client, "13/UBND-VP")
    view = client.get(f"/documents/{doc_id}").text
    assert "<script>alert('x')" not in view and "&lt;script&gt;" in view


def test_corrections_need_allow_edits_and_survive_a_re_extraction(filled):
    db, files = filled
    read_only = TestClient(make_app(db))
    doc_id = _id(read_only, "12/UBND-VP")
    url = f"/api/documents/{doc_id}/fields/number"
    assert read_only.put(url, json={"value": "14/UBND-VP", "by": "an"}).status_code == 403
    client = TestClient(make_app(db, allow_edits=True))
    assert client.put(f"/api/documents/{doc_id}/fields/colour",
                      json={"value": "x", "by": "an"}).status_code == 422
    assert client.put(f"/api/documents/{doc_id}/fields/issued_date",
                      json={"value": "31/02/2024", "by": "an"}).status_code == 422
    assert client.put(url, json={"value": "không số", "by": "an"}).status_code == 422
    assert client.put(url, content=b"value=14", headers={
        "content-type": "application/x-www-form-urlencoded"}).status_code == 415
    assert client.put(url, json={"value": "14/UBND-VP", "by": "an"}, headers={
        "origin": "http://evil.example"}).status_code == 403  # another site's page
    answer = client.put(url, json={"value": "14/UBND-VP", "by": "Nguyễn An"})
    assert answer.status_code == 200
    record = answer.json()
    assert record["number"] == "14/UBND-VP"
    assert [(c["field"], c["old"], c["new"], c["by"]) for c in record["corrections"]] == [
        ("number", "12/UBND-VP", "14/UBND-VP", "Nguyễn An")]
    _extract(db, files["other"])  # the machine reads it again: the correction stays
    again = client.get(f"/api/documents/{_id(client, '14/UBND-VP')}").json()
    assert again["number"] == "14/UBND-VP" and len(again["corrections"]) == 1
    assert again["id"] == doc_id  # one id per content: links to it still hold
    listed = {d["number"] for d in Store(db).documents()}  # `vanban query` sees it too
    assert "14/UBND-VP" in listed and "12/UBND-VP" not in listed
    view = client.get(f"/documents/{again['id']}").text
    assert "đã sửa" in view
    # the correction becomes evaluation data: the file and what the person vouched for
    out = files["other"].parent / "truth"
    run = subprocess.run([sys.executable, "-m", "pipeline", "export-truth", str(out), "--db", db],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    name = f"{again['id']}-so-hoa"
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.truth.json", f"{name}.txt"]
    assert json.loads((out / f"{name}.truth.json").read_text(encoding="utf-8")) == {
        "number": "14/UBND-VP"}
    scored = subprocess.run([sys.executable, "-m", "pipeline", "eval", str(out)], cwd=ROOT,
                            capture_output=True, text=True)
    assert "number             0.000  (n=1)" in scored.stdout  # the machine still reads 12


def test_tasks_and_targets_name_their_document(filled):
    db, _ = filled
    client = TestClient(make_app(db))
    tasks = client.get("/api/tasks").json()
    assert tasks["total"] >= 3
    assert all({"document_id", "number", "content", "lead", "due_date"} <= set(t)
               for t in tasks["items"])
    overdue = client.get("/api/tasks", params={"overdue": "2024-04-01"}).json()
    assert {t["due_date"] for t in overdue["items"]} == {"2024-03-30"}
    assert client.get("/api/tasks", params={"overdue": "2024-13-45"}).status_code == 400
    targets = client.get("/api/targets").json()
    assert targets == {"total": len(targets["items"]), "items": targets["items"]}
    board = client.get("/tasks").text
    assert "Quá hạn" in board and "Văn phòng HĐND và UBND" in board


def test_an_indicator_s_targets_and_results_as_a_chart(tmp_path):
    """One indicator, worded two ways by two offices over three years: one line per office
    and kind, chỉ tiêu dashed, drawn server-side; names escaped inside the SVG."""
    import re

    from tests.models.test_targets_query import _record

    db = f"sqlite:///{tmp_path / 'v.db'}"
    store = Store(db)
    rows = [("Sở Nội vụ", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 80,
             "target", 2023), ("Sở Nội vụ", "Tỉ lệ số hoá hồ sơ, kết quả giải quyết TTHC", 76.5,
                               "actual", 2023),
            ("Sở Nội vụ", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 90,
             "target", 2024), ("Sở Nội vụ", "Tỉ lệ số hoá hồ sơ, kết quả giải quyết TTHC", 91,
                               "actual", 2024),
            ("<b>Sở Y tế</b>", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 100,
             "target", 2025)]
    for n, (issuer, wording, value, kind, year) in enumerate(rows):
        store.save(_record(tmp_path / f"{n}.txt", issuer, wording, value, kind, year))
    client = TestClient(make_app(db))
    listing = client.get("/indicators").text
    assert "Tỷ lệ số hóa hồ sơ" in listing
    page = client.get("/indicators", params={"name": "so hoa ho so"}).text
    svg = page[page.index("<svg"):page.index("</svg>")]
    lines = re.findall(r'<polyline[^>]*points="([^"]+)"', svg)
    assert sorted(len(p.split()) for p in lines) == [1, 2, 2]  # Y tế once; Nội vụ twice each
    assert svg.count('stroke-dasharray="6 4"') == 2  # the two chỉ tiêu lines
    assert "<b>" not in svg and "&lt;b&gt;Sở Y tế" in svg
    years = re.findall(r'text-anchor="middle">(\d{4})<', svg)
    assert years == ["2023", "2024", "2025"]


DIRECTIVE = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
Số: 77/UBND-KT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Giang, ngày 05 tháng 3 năm 2024
V/v tăng cường cải cách hành chính
Để thực hiện tốt nhiệm vụ năm 2024, Ủy ban nhân dân tỉnh có ý kiến như sau:
1. Đề nghị các sở, ban, ngành tỉnh rà soát, cập nhật danh mục thủ tục hành chính thuộc \
thẩm quyền giải quyết, hoàn thành trước ngày 30/6/2024.
2. Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tham mưu kế hoạch cải cách hành chính, \
báo cáo kết quả chậm nhất ngày 20 hằng tháng.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An"""


def test_the_tasks_board_shows_each_task_s_sentence_and_its_group(tmp_path):
    """A task given in prose: its sentence as printed and a link to its page on the board;
    a body's filter also lists what its Ủy ban gave to the sở, ban, ngành together."""
    letter = tmp_path / "chi-dao.txt"
    letter.write_text(DIRECTIVE, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'v.db'}"
    _extract(db, letter)
    client = TestClient(make_app(db))
    items = client.get("/api/tasks", params={"lead": "Sở Nội vụ"}).json()["items"]
    assert [(t["lead"], t["via_group"], t["periodic"]) for t in items] == [
        ("các sở, ban, ngành tỉnh", True, False), ("Sở Nội vụ", False, True)]
    assert items[1]["sentence"].startswith("Giao Sở Nội vụ chủ trì")
    board = client.get("/tasks", params={"lead": "Sở Nội vụ"}).text
    assert "«Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính" in board
    assert "(giao chung)" in board and "(định kỳ)" in board
    assert f'/documents/{items[0]["document_id"]}#page-1' in board
    page = client.get(f'/documents/{items[0]["document_id"]}').text
    assert 'id="page-1"' in page


def test_the_tasks_workbook_keeps_each_task_s_sentence(tmp_path):
    from openpyxl import load_workbook

    letter = tmp_path / "chi-dao.txt"
    letter.write_text(DIRECTIVE, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'v.db'}"
    _extract(db, letter)
    book = tmp_path / "tasks.xlsx"
    run = subprocess.run([sys.executable, "-m", "pipeline", "query", "tasks", "--db", db,
                          "--xlsx", str(book)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    sheet = load_workbook(book)["Nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    given = next(r for r in rows if r["Chủ trì"] == "Sở Nội vụ")
    assert given["Câu gốc"].startswith("Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính")
    assert given["Trang"] == 1
