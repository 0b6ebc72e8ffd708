"""The command line as an office uses it (issue 15), each item through the real ``vanban``
process on real files and a real database: the exact message, the exit status (2 and one
line for bad usage, never a traceback) and the output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tests.pipeline.app.test_faults_archive import LETTER, _clean, vanban

HEAD = """ỦY BAN NHÂN DÂN HUYỆN PHÚ TÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
"""
SIGNED = """Nơi nhận:   KT. CHỦ TỊCH
- Như trên;   PHÓ CHỦ TỊCH
- Lưu: VT.
Trần Văn Bình
"""
NOTICE = HEAD + """Số: 298/TB-UBND   Phú Tân, ngày 5 tháng 6 năm 2025
THÔNG BÁO
Lịch tiếp công dân định kỳ năm 2025
Chủ tịch Ủy ban nhân dân huyện tiếp công dân vào ngày 15 hằng tháng.
""" + SIGNED
PLAN = HEAD + """Số: 45/KH-UBND   Phú Tân, ngày 10 tháng 1 năm 2025
KẾ HOẠCH
Cải cách hành chính năm 2025
Phấn đấu tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 100%.
Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC đạt tối thiểu 50%.
Giao Văn phòng HĐND và UBND tổng hợp, báo cáo trước ngày 30/6/2025.
""" + SIGNED
UNNUMBERED = HEAD + """Phú Tân, ngày 12 tháng 3 năm 2024
V/v tăng cường phòng chống thiên tai
Kính gửi: Các xã, thị trấn.
Nơi nhận:   CHỦ TỊCH
Lê Văn Cường
"""


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, str]:
    """An archive folder as an office has it, ingested into archive.db beside it."""
    root = tmp_path_factory.mktemp("office")
    archive = root / "archive"
    archive.mkdir()
    for name, text in (("tb-298.txt", NOTICE), ("kh-45.txt", PLAN),
                       ("cv-11.txt", LETTER.format(n=11, tag="trọng tâm")),
                       ("khong-so.txt", UNNUMBERED)):
        (archive / name).write_text(text, encoding="utf-8")
    (archive / "ban-sao").mkdir()
    (archive / "ban-sao" / "tb-298 (1).txt").write_text(NOTICE, encoding="utf-8")
    (archive / "to-trinh.docx").write_bytes(b"PK\x03\x04 not read")
    run = vanban("ingest", str(archive), "--db", str(root / "archive.db"))
    _clean(run, 0)
    return root, run.stderr


def _q(office, *args: str) -> list[dict]:
    root, _ = office
    run = vanban("query", *args, "--format", "json", "--db", str(root / "archive.db"))
    _clean(run, 0)
    return json.loads(run.stdout)


def test_ingest_names_what_it_skipped_and_what_it_cannot_read(office):
    root, said = office
    # files are read in path order: the copy in ban-sao/ comes first and is stored
    first, copy = root / "archive" / "ban-sao" / "tb-298 (1).txt", root / "archive" / "tb-298.txt"
    assert f"vanban: {copy}: same content as {first}, stored once (both paths kept)" in said
    assert (f"vanban: {root / 'archive' / 'to-trinh.docx'}: not a supported type (.docx; "
            "vanban reads PDF, PNG, JPG, TIFF, TXT)") in said
    assert "ingest: 4 stored, 1 already stored, 1 not supported, 0 failed" in said
    again = vanban("ingest", str(root / "archive"), "--db", str(root / "archive.db"))
    _clean(again, 0)
    assert f"vanban: {first}: already stored" in again.stderr
    assert "ingest: 0 stored, 5 already stored, 1 not supported, 0 failed" in again.stderr
    notice = [d for d in _q(office, "documents") if d["number"] == "298/TB-UBND"]
    assert len(notice) == 1 and notice[0]["paths"] == [str(first), str(copy)]


def test_extract_follows_the_same_rule_as_ingest(tmp_path):
    db = str(tmp_path / "v.db")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(NOTICE, encoding="utf-8")
    b.write_text(NOTICE, encoding="utf-8")
    _clean(vanban("extract", str(a), "--db", db), 0)
    run = vanban("extract", str(b), "--db", db)
    _clean(run, 0)
    assert f"vanban: {b}: same content as {a}: one document, its record replaced, both " \
        "paths kept" in run.stderr
    listed = json.loads(vanban("query", "documents", "--format", "json", "--db", db).stdout)
    assert len(listed) == 1 and listed[0]["paths"] == [str(b), str(a)]  # stored one first


def test_a_plain_path_and_vanban_db_name_a_sqlite_file(office, tmp_path):
    root, _ = office
    by_option = vanban("query", "documents", "--db", "archive.db", "--format", "json",
                       prefix=("env", f"--chdir={root}"))
    by_setting = vanban("query", "documents", "--format", "json",
                        env={"VANBAN_DB": "archive.db"}, prefix=("env", f"--chdir={root}"))
    _clean(by_option, 0)
    _clean(by_setting, 0)
    assert len(json.loads(by_option.stdout)) == len(json.loads(by_setting.stdout)) == 4


def test_a_query_never_creates_a_database(tmp_path):
    for args in (["query", "documents"], ["query", "tasks", "--overdue"], ["serve"],
                 ["export-truth", str(tmp_path / "out")]):
        run = vanban(*args, "--db", str(tmp_path / "archive.db"))
        _clean(run, 2)
        assert run.stderr == (f"vanban: no database at {tmp_path / 'archive.db'} (nothing was "
                              "created: ingest a folder into it first, or give --db)\n")
    assert not (tmp_path / "archive.db").exists()


@pytest.mark.parametrize(("args", "refused"), [
    (["query", "documents", "cai cach"], "vanban query documents: unrecognized arguments: "
     "cai cach (see vanban query documents --help)"),
    (["query", "documents", "--lead", "x"], "vanban query documents: unrecognized arguments: "
     "--lead x (see vanban query documents --help)"),
    (["query", "search", "x", "--lead", "y"], "vanban query search: unrecognized arguments: "
     "--lead y (see vanban query search --help)"),
    (["query", "tasks", "--issuer", "x"], "vanban query tasks: unrecognized arguments: "
     "--issuer x (see vanban query tasks --help)"),
    (["query", "tasks", "--limit", "ten"], "vanban query tasks: argument --limit: 'ten' is "
     "not a whole number of rows (see vanban query tasks --help)"),
])
def test_options_a_question_cannot_use_are_refused(args, refused):
    run = vanban(*args)
    _clean(run, 2)
    assert run.stderr == refused + "\n"


def _parsers():
    from pipeline.app.cli import build_parser

    def walk(parser, name):
        yield name, parser
        for action in parser._actions:
            for sub_name, sub in getattr(action, "choices", None) and isinstance(
                    action.choices, dict) and action.choices.items() or []:
                yield from walk(sub, f"{name} {sub_name}")
    return list(walk(build_parser(), "vanban"))


def test_every_command_says_every_option_with_an_example():
    parsers = _parsers()
    assert {"vanban extract", "vanban query tasks", "vanban query documents",
            "vanban serve"} <= {name for name, _ in parsers}
    for name, parser in parsers:
        run = vanban(*name.split()[1:], "--help")
        _clean(run, 0)
        assert run.stdout.startswith(f"usage: {name}"), name
        for action in parser._actions:
            if not action.option_strings or action.dest in ("help", "parser"):
                continue
            assert action.help, (name, action.option_strings)
            assert "e.g." in action.help or action.option_strings[-1] in (parser.epilog or ""), \
                (name, action.option_strings)
            assert action.option_strings[-1] in run.stdout


def test_type_and_number_match_as_people_type_them(office):
    for typed in ("Thông báo", "thong bao", "TB", "tb"):
        assert [d["number"] for d in _q(office, "documents", "--type", typed)] == \
            ["298/TB-UBND"], typed
    assert [d["number"] for d in _q(office, "documents", "--type", "KH")] == ["45/KH-UBND"]
    for typed in ("298", "298/tb-ubnd", "298/TB", "298/TB-UBND"):
        assert [d["number"] for d in _q(office, "documents", "--number", typed)] == \
            ["298/TB-UBND"], typed
    assert _q(office, "documents", "--number", "29") == []  # digits are a whole number


def test_limit_and_offset_everywhere(office):
    everything = _q(office, "documents")
    assert [d["issued_date"] for d in everything] == sorted(
        (d["issued_date"] for d in everything), reverse=True)  # newest first
    assert _q(office, "documents", "--limit", "2", "--offset", "1") == everything[1:3]
    assert len(_q(office, "errors", "--limit", "1")) <= 1
    assert len(_q(office, "tasks", "--limit", "1")) == 1
    assert len(_q(office, "targets", "--limit", "1", "--offset", "1")) == 1
    root, _ = office
    run = vanban("query", "documents", "--limit", "2", "--db", str(root / "archive.db"))
    _clean(run, 0)
    assert run.stderr == "2 of 4 rows, from row 1 (--limit and --offset show others)\n"


def test_tasks_can_be_traced_back_and_come_by_date(office):
    tasks = _q(office, "tasks")
    assert [t["due_date"] for t in tasks] == sorted(t["due_date"] for t in tasks)
    assert all(t["source"] and t["number"] and t["issued_date"] for t in tasks)
    overdue = _q(office, "tasks", "--overdue")  # alone: before today
    assert {t["number"] for t in overdue} == {"11/UBND-VP", "45/KH-UBND"}
    root, _ = office
    run = vanban("query", "tasks", "--db", str(root / "archive.db"))
    assert run.stdout.splitlines()[0].split()[:2] == ["Hạn", "Chủ"]
    assert "/archive/kh-45.txt  " in run.stdout  # a long path keeps its file name


def test_headers_in_vietnamese_or_english_and_csv_for_excel(office):
    root, _ = office
    db = str(root / "archive.db")
    run = vanban("query", "targets", "--format", "csv", "--db", db)
    _clean(run, 0)
    assert run.stdout.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(run.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["Cơ quan ban hành", "Năm", "Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị",
                       "Loại", "Số ký hiệu", "Tệp"]
    assert {r[6] for r in rows[1:]} == {"Chỉ tiêu"} and {r[4] for r in rows[1:]} == {"100", "50"}
    english = vanban("query", "targets", "--format", "csv", "--lang", "en", "--db", db)
    rows = list(csv.reader(io.StringIO(english.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["issuer", "year", "indicator"] and rows[1][6] == "target"


def test_a_long_reason_is_never_cut_mid_word(tmp_path):
    db = str(tmp_path / "v.db")
    bad = tmp_path / ("một tên tệp rất dài của một văn bản hỏng " * 3).strip().replace(" ", "-")
    bad = bad.with_suffix(".pdf")
    bad.write_bytes(b"%PDF-1.4 broken")
    vanban("extract", str(bad), "--db", db)
    run = vanban("query", "errors", "--db", db)
    _clean(run, 0)
    reason = json.loads(vanban("query", "errors", "--format", "json", "--db", db).stdout)[0]
    line = run.stdout.splitlines()[1]
    assert line.endswith(reason["reason"])  # the last column whole
    assert line.split("  ")[0].startswith("…")  # the long path cut at its front, marked


def test_needs_review_says_why(office):
    found = _q(office, "documents", "--needs-review")
    unnumbered = [d for d in found if d["number"] is None]
    assert len(unnumbered) == 1
    assert found[0] is unnumbered[0]  # the weakest first: a field missing
    assert unnumbered[0]["review"].startswith("Số ký hiệu: không tìm thấy")
    assert "298/TB-UBND" not in [d["number"] for d in found]  # every field sure
    english = _q(office, "documents", "--needs-review", "--lang", "en")
    assert english[0]["review"].startswith("number: not found")


def test_the_workbook_follows_the_question_and_its_filters(office):
    from openpyxl import load_workbook

    root, _ = office
    db = str(root / "archive.db")
    book = root / "kh.xlsx"
    _clean(vanban("query", "documents", "--type", "KH", "--xlsx", str(book), "--db", db), 0)
    sheet = load_workbook(book)["Văn bản"]
    assert [c.value for c in sheet[1]][:3] == ["Ngày ban hành", "Số ký hiệu", "Loại văn bản"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["45/KH-UBND"]
    header = [c.value for c in sheet[1]]
    assert sheet.auto_filter.ref == f"A1:{chr(64 + len(header))}2"
    for column in ("Địa danh", "Nơi nhận", "Thẩm quyền ký", "Số trang", "Tình trạng xem lại"):
        assert column in header
    row = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["Tình trạng xem lại"] in ("Không cần xem lại", "Đã xem lại") or \
        row["Tình trạng xem lại"].startswith("Cần xem lại: ")
    tasks = root / "tasks.xlsx"
    _clean(vanban("query", "tasks", "--since", "2025", "--xlsx", str(tasks), "--db", db), 0)
    sheet = load_workbook(tasks)["Nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["Số ký hiệu"] == "45/KH-UBND"
    assert row["Ngày ban hành"] == dt.datetime(2025, 1, 10)  # a real date cell
    assert row["Trích yếu"] == "Cải cách hành chính năm 2025"
    assert row["Hạn"] == dt.datetime(2025, 6, 30)
    date_cell = sheet.cell(row=2, column=header.index("Hạn") + 1)
    assert date_cell.number_format == "DD/MM/YYYY"  # shown as an office writes it
    assert sheet.max_row == 2  # the filter held: the 2024 task is not there


def test_a_missing_file_is_named_with_the_reason(tmp_path):
    run = vanban("extract", "nofile.pdf", "--db", str(tmp_path / "v.db"))
    _clean(run, 1)
    assert run.stderr == "vanban: nofile.pdf: cannot read the file: No such file or directory\n"


def test_overdue_in_the_forms_an_office_writes_it(office):
    import datetime as dt

    today = dt.date.today()
    alone = _q(office, "tasks", "--overdue")
    assert alone  # the 2024 and mid-2025 tasks are overdue
    for typed in ("today", today.strftime("%d/%m/%Y"), today.isoformat()):
        assert _q(office, "tasks", "--overdue", typed) == alone, typed
    assert _q(office, "tasks", "--overdue", "2025") == [
        t for t in alone if t["due_date"] < "2025-01-01"]


def test_search_takes_the_document_filters(office):
    every = {h["number"] for h in _q(office, "search", "cai cach hanh chinh")}
    assert {"45/KH-UBND", "11/UBND-VP"} <= every
    assert {h["number"] for h in _q(office, "search", "cai cach hanh chinh", "--type", "KH")} \
        == {"45/KH-UBND"}
    assert {h["number"] for h in _q(office, "search", "cai cach hanh chinh", "--until",
                                    "2024")} == {"11/UBND-VP"}
    assert _q(office, "search", "cai cach hanh chinh", "--issuer", "UBND tỉnh Kiên Giang") == []
    assert {h["number"] for h in _q(office, "search", "cai cach hanh chinh", "--issuer",
                                    "ubnd huyen phu tan")} == every
