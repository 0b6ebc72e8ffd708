"""The command line as users and outside scorers call it (CONTRACT.md)."""

import json
import re
import subprocess
import sys

import pytest

from pipeline.app.run import RECORD_KEYS


def vanban(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, generated):
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.pdf").write_bytes(b"")
    (d / "page.pdf").write_text("<html><body>not found</body></html>")
    (d / "cut.pdf").write_bytes(generated["qd-syt"].read_bytes()[:1500])
    return d


def test_extract_json_mixed_good_and_bad(bad_files, generated, tmp_path):
    good = generated["tb-haichau"]
    files = [str(bad_files / "empty.pdf"), str(good), str(bad_files / "page.pdf"),
             str(bad_files / "cut.pdf")]
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = vanban("extract", *files, "--json", "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == files  # order kept, one line per file
    assert lines[0] == {"source": files[0], "error": "empty file (0 bytes)"}
    assert lines[2] == {"source": files[2], "error": "not a PDF: the file is HTML"}
    assert "error" in lines[3]
    record = lines[1]
    assert tuple(record) == RECORD_KEYS
    truth = json.loads(good.with_name(good.stem + ".truth.json").read_text(encoding="utf-8"))
    assert record["number"] == truth["number"]
    assert record["pages"][0]["source"] == "ocr"
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and all(e.startswith("vanban: ") for e in errors)
    assert f"vanban: {files[0]}: empty file (0 bytes)" in errors
    # the failures are recorded in the database too, and the good file is stored
    query = vanban("query", "errors", "--format", "json", "--db", db)
    assert {e["source"] for e in json.loads(query.stdout)} == {files[0], files[2], files[3]}
    docs = json.loads(vanban("query", "documents", "--format", "json", "--db", db).stdout)
    assert [d["number"] for d in docs] == [truth["number"]]


def test_text_layer_used_unless_force_ocr(generated, tmp_path):
    # a PDF with a real Vietnamese text layer, made by Tesseract's own PDF renderer
    src = generated["cv-sonoivu"]
    subprocess.run(["tesseract", str(src), str(tmp_path / "searchable"), "-l", "vie", "pdf"],
                   check=True, capture_output=True)
    pdf = str(tmp_path / "searchable.pdf")
    first = json.loads(vanban("extract", pdf, "--json", "--no-db").stdout)
    assert first["pages"][0]["source"] == "text-layer"
    assert "Kính gửi" in first["text"]
    forced = json.loads(vanban("extract", pdf, "--json", "--no-db", "--force-ocr").stdout)
    assert forced["pages"][0]["source"] == "ocr"


def test_usage_error_exits_2():
    assert vanban("extract").returncode == 2
    assert vanban("nonsense").returncode == 2


def test_restore_keeps_line_count(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Uỷ ban nhân dân\n\nhoà bình\n", encoding="utf-8")
    out = vanban("restore", str(src)).stdout
    assert out == "Ủy ban nhân dân\n\nhòa bình\n"


@pytest.mark.slow
def test_eval_on_generated_documents(generated):
    result = vanban("eval", str(next(iter(generated.values())).parent))
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"eval: {len(generated)} docs, field_f1=")
    f1 = float(last.split("field_f1=")[1].split(",")[0])
    cer = float(last.split("cer=")[1])
    assert f1 >= 0.9 and cer <= 0.03, last
    # the reliability table: a line per scored field, its mean confidence beside its share right
    lines = result.stdout.splitlines()
    table = lines[lines.index(next(x for x in lines if x.startswith("reliability"))) + 1:]
    rows = {r.split()[0]: r.split() for r in table if r.startswith("  ") and len(r.split()) == 6}
    assert {"number", "issued_date", "subject", "signer_name"} <= set(rows), result.stdout
    for row in rows.values():
        fields, mean_conf, right = int(row[1]), float(row[2]), float(row[3])
        assert 1 <= fields <= len(generated) and 0.0 <= mean_conf <= 1.0 and 0.0 <= right <= 1.0


def test_eval_alone_scores_each_file_without_the_folder_vote(tmp_path):
    """Two papers of one office: alone, each keeps its own reading; the scores print."""
    for name, number, day in (("a", "12/UBND-VP", 3), ("b", "14/UBND-VP", 9)):
        (tmp_path / f"{name}.txt").write_text(
            f"ỦY BAN NHÂN DÂN\nHUYỆN LẤP VÒ\nSố: {number}\nLấp Vò, ngày {day} tháng 3 năm 2025\n"
            "V/v triển khai cải cách thủ tục hành chính\n", encoding="utf-8")
        (tmp_path / f"{name}.truth.json").write_text(json.dumps(
            {"number": number, "issued_date": f"2025-03-{day:02d}"}), encoding="utf-8")
    for extra in ((), ("--alone",)):
        result = vanban("eval", str(tmp_path), *extra)
        assert result.returncode == 0, result.stderr
        assert "eval: 2 docs, field_f1=1.000" in result.stdout, result.stdout
        assert "  number                2" in result.stdout


def test_query_prints_a_rich_table_on_a_terminal_and_plain_text_otherwise(tmp_path):
    import os
    import pty

    source = tmp_path / "cv.txt"
    source.write_text("ỦY BAN NHÂN DÂN\nHUYỆN LẤP VÒ\nSố: 2485/UBND-NC\n"
                      "V/v triển khai cải cách thủ tục hành chính\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'v.db'}"
    assert vanban("extract", str(source), "--db", db).returncode == 0
    command = [sys.executable, "-m", "pipeline", "query", "documents", "--db", db]
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "160"}
    subprocess.run(command, stdout=slave, stderr=subprocess.DEVNULL, env=env, timeout=120)
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed once everything was read
            break
        if not chunk:
            break
        screen += chunk
    screen_text = re.sub(r"\x1b\[[0-9;]*m", "", screen.decode("utf-8"))  # colours off
    assert "┃ Số ký hiệu" in screen_text and "2485/UBND-NC" in screen_text
    plain = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    assert plain.splitlines()[0].split("  ")[:2] == ["Ngày ban hành", "Số ký hiệu"]
    assert "2485/UBND-NC" in plain and "┃" not in plain
    english = subprocess.run(command + ["--lang", "en"], capture_output=True, text=True,
                             timeout=120).stdout
    assert english.splitlines()[0].split() == ["issued", "number", "type", "issuer", "file",
                                               "subject"]
