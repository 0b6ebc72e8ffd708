"""Searchable PDFs side by side, on the same files in one run: ``vanban pdf`` (direct, pikepdf),
vanban as an OCRmyPDF engine (scripts/ocrmypdf_vanban.py, OCRmyPDF's own PDF/A route) and
stock ``ocrmypdf -l vie --deskew``, with ``vanban extract`` for the time it adds.

    python scripts/bench_pdf.py data/samples ../shared/real [--limit N]

Every tool runs as a command on one core (OMP_THREAD_LIMIT=1, --jobs 1). For each: seconds
per page, output size over input size, and the character error rate of ``pdftotext`` of its
output against the truth — each line of the truth's text where it has one (data/samples),
else its subject (trích yếu) and signer's name (../shared/real), scored against the passage
of the output that matches it best. ``vanban extract``'s own text is scored the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["OMP_THREAD_LIMIT"] = "1"

from pipeline.app.evaluate import find_cases  # noqa: E402

PLUGIN = Path(__file__).resolve().parent / "ocrmypdf_vanban.py"
TOOLS = ("vanban extract", "vanban pdf", "ocrmypdf+vanban", "ocrmypdf")


def flat(text: str) -> str:
    """One line of NFC text; the rules vanban's text draws between table cells (" | ")
    dropped, a PDF has none."""
    return " ".join(unicodedata.normalize("NFC", text).replace(" | ", " ").split())


def errors(text: str, truth: dict) -> tuple[int, int]:
    """Edit distance and truth length, each truth line (the whole text's, else the subject's
    and the signer name's) against the passage of ``text`` that matches it best: the
    words of each line are scored, not the order of the lines (the two header columns
    come in either order)."""
    text = flat(text)
    if truth.get("text"):
        wanted = [flat(line) for line in truth["text"].replace("\f", "\n").split("\n")]
    else:
        wanted = [flat(truth.get(key) or "") for key in ("subject", "signer_name")]
    dist = length = 0
    for value in filter(None, wanted):
        found = fuzz.partial_ratio_alignment(value, text)
        window = text[found.dest_start:found.dest_end] if found else ""
        dist += Levenshtein.distance(value, window)
        length += len(value)
    return dist, length


def pdftotext(path: Path) -> str:
    # -raw: the text in the order the file gives it (the writer's reading order), not
    # poppler's guess from the geometry, which reads a table row's wrapped cells across
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True)
    return out.stdout.decode("utf-8", errors="replace")


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in out.stdout.splitlines()
                    if line.startswith("Pages:")))


def as_pdf_input(src: Path, work: Path) -> Path:
    """OCRmyPDF is given a PDF: an image becomes one with img2pdf (no re-encoding)."""
    if src.suffix.lower() == ".pdf":
        return src
    import img2pdf

    target = work / f"{src.stem}.in.pdf"
    target.write_bytes(img2pdf.convert(str(src)))
    return target


def run(command: list[str]) -> tuple[float, bool]:
    t = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - t, done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", type=Path, nargs="+")
    parser.add_argument("--limit", type=int, default=0, help="first N documents of each")
    args = parser.parse_args(argv)
    ocrmypdf = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    vanban = [sys.executable, "-m", "pipeline"]
    for root in args.dirs:
        cases = [c for c in find_cases(root) if c[0].suffix.lower() != ".txt"]
        cases = cases[: args.limit] if args.limit else cases
        rows = {t: {"seconds": 0.0, "pages": 0, "in": 0, "out": 0, "dist": 0, "len": 0,
                    "failed": 0} for t in TOOLS}
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for src, truth_path in cases:
                truth = json.loads(truth_path.read_text(encoding="utf-8"))
                given = as_pdf_input(src, work)
                pages = page_count(given)
                record = work / "record.json"
                outputs = {"vanban pdf": work / "direct.pdf", "ocrmypdf+vanban":
                           work / "plugin.pdf", "ocrmypdf": work / "stock.pdf"}
                commands = {
                    "vanban extract": vanban + ["extract", str(src), "--no-db", "--json"],
                    "vanban pdf": vanban + ["pdf", str(src), str(outputs["vanban pdf"])],
                    "ocrmypdf+vanban": [ocrmypdf, "-q", "--plugin", str(PLUGIN), "-l", "vie",
                                        "--jobs", "1", "--output-type", "pdfa", str(given),
                                        str(outputs["ocrmypdf+vanban"])],
                    "ocrmypdf": [ocrmypdf, "-q", "-l", "vie", "--deskew", "--jobs", "1",
                                 "--output-type", "pdfa", str(given), str(outputs["ocrmypdf"])],
                }
                for tool, command in commands.items():
                    if tool == "vanban extract":
                        t = time.perf_counter()
                        done = subprocess.run(command, capture_output=True, check=False)
                        seconds, ok = time.perf_counter() - t, done.returncode == 0
                        record.write_bytes(done.stdout)
                    else:
                        seconds, ok = run(command)
                    row = rows[tool]
                    if not ok:
                        row["failed"] += 1
                        continue
                    row["seconds"] += seconds
                    row["pages"] += pages
                    if tool == "vanban extract":
                        text = json.loads(record.read_text().splitlines()[0])["text"]
                    else:
                        text = pdftotext(outputs[tool])
                        row["in"] += src.stat().st_size
                        row["out"] += outputs[tool].stat().st_size
                    d, n = errors(text, truth)
                    row["dist"] += d
                    row["len"] += n
                print(f"  {src.name}: {pages} p", file=sys.stderr, flush=True)
        scored = "text lines" if any(json.loads(t.read_text()).get("text")
                                     for _, t in cases) else "subject + signer name"
        print(f"{root}: {len(cases)} documents, {rows['vanban pdf']['pages']} pages; CER of "
              f"pdftotext ({scored}) against the truth")
        base = rows["vanban extract"]["seconds"] / max(1, rows["vanban extract"]["pages"])
        print(f"{'tool':16s} {'s/page':>7s} {'× extract':>10s} {'size out/in':>12s} "
              f"{'CER':>7s} {'failed':>7s}")
        for tool, row in rows.items():
            per_page = row["seconds"] / max(1, row["pages"])
            size = f"{row['out'] / row['in']:.3f}" if row["in"] else "-"
            print(f"{tool:16s} {per_page:7.2f} {per_page / base:10.2f} {size:>12s} "
                  f"{row['dist'] / max(1, row['len']):7.4f} {row['failed']:7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
