"""Speed and accuracy of vanban beside stock tools, on the same pages, in one run.

    python scripts/bench.py data/samples [--limit N]
    python scripts/bench.py data/samples --ingest-only   # the archive-ingest figures only

For every document with a truth file: vanban's whole pipeline (read, rasterise, clean, OCR,
restore, extract), then its searchable PDF (``vanban pdf``: the same reading, written as a
text layer over the original images), bare ``tesseract -l vie`` on the page images
(rasterised beforehand at 300 dpi, not timed), and ``ocrmypdf -l vie --deskew`` on the PDF.
Every tool runs on one core (OMP_THREAD_LIMIT=1, --jobs 1). Prints seconds per page, the
ratio to bare Tesseract, the character error rate of each tool's text against the truth's
whole text (data/samples; "-" where the truth has none), the same by line (each truth line,
or the subject and signer name where there is no text, against its best-matching passage,
scripts/bench_pdf.py's scoring) — for the two PDF writers the text is ``pdftotext`` of their
output PDF, what a viewer's search and copy get — and the PDF's size over the input's.

Then archive ingest: ``vanban ingest DIR --workers 2`` into a fresh SQLite file, wall clock,
beside bare tesseract on the same page images run two at a time (the same two cores), as
pages per minute and a ratio; and the peak memory of the largest ingest process (a worker).
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

from PIL import Image
from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["OMP_THREAD_LIMIT"] = "1"

from pipeline.app.evaluate import find_cases  # noqa: E402
from pipeline.app.pdfout import write_record  # noqa: E402
from pipeline.app.run import process_file  # noqa: E402
from pipeline.core.settings import Settings  # noqa: E402
from scripts.bench_pdf import as_pdf_input, errors, pdftotext  # noqa: E402

TOOLS = ("vanban", "vanban pdf", "tesseract", "ocrmypdf")


def page_images(src: Path, work: Path) -> list[Path]:
    """The document's pages as 300 dpi PNGs (what bare tesseract is given)."""
    out = work / src.stem
    out.mkdir()
    if src.suffix.lower() == ".pdf":
        subprocess.run(["pdftoppm", "-r", "300", "-png", str(src), str(out / "p")], check=True)
    else:
        img = Image.open(src)
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            dpi = img.info.get("dpi", (300, 300))
            img.convert("RGB").save(out / f"p-{i + 1}.png", dpi=dpi)
    return sorted(out.glob("p-*.png"))


def cer(text: str, truth: str) -> tuple[int, int]:
    a, b = unicodedata.normalize("NFC", text), unicodedata.normalize("NFC", truth)
    return Levenshtein.distance(a, b), len(b)


def bench_ingest(root: Path, workers: int = 2) -> None:
    import resource
    from concurrent.futures import ThreadPoolExecutor

    cases = [c for c in find_cases(root) if c[0].suffix.lower() != ".txt"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        images = [img for src, _ in cases for img in page_images(src, work)]
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(root), "--workers",
                        str(workers), "--db", f"sqlite:///{work / 'bench.db'}"],
                       check=True, capture_output=True)
        ingest = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

        def bare(img: Path) -> None:
            subprocess.run(["tesseract", str(img), "-", "-l", "vie", "--dpi", "300"],
                           capture_output=True, check=True)

        t = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(bare, images))
        tess = time.perf_counter() - t
    pages = len(images)
    print(f"ingest: {len(cases)} documents, {pages} pages, {workers} workers")
    print(f"  vanban ingest      {60 * pages / ingest:6.1f} pages/min  ({ingest:.1f} s)")
    print(f"  tesseract x{workers}       {60 * pages / tess:6.1f} pages/min  ({tess:.1f} s)")
    print(f"  ratio {ingest / tess:.2f} (vanban time / tesseract time); peak memory of the "
          f"largest ingest process {peak_mb:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="first N documents only")
    parser.add_argument("--no-ocrmypdf", action="store_true")
    parser.add_argument("--ingest-only", action="store_true")
    args = parser.parse_args(argv)
    if args.ingest_only:
        bench_ingest(args.dir)
        return 0
    cases = find_cases(args.dir)
    cases = [c for c in cases if c[0].suffix.lower() != ".txt"]
    if args.limit:
        cases = cases[: args.limit]
    # the bench extra installs ocrmypdf into the venv, which need not be on PATH
    use_ocrmypdf = not args.no_ocrmypdf and (
        shutil.which("ocrmypdf") or shutil.which("ocrmypdf", path=str(Path(sys.executable).parent)))
    totals = {name: {"seconds": 0.0, "pages": 0, "dist": 0, "len": 0, "ldist": 0, "llen": 0,
                     "in": 0, "out": 0} for name in TOOLS}
    # documents with tables (truth rows joined by " | "): what table cells cost beyond OCR
    tabled = {name: {"seconds": 0.0, "pages": 0} for name in ("vanban", "tesseract")}
    whole = any(json.loads(t.read_text(encoding="utf-8")).get("text") for _, t in cases)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for src, truth_path in cases:
            truth_record = json.loads(truth_path.read_text(encoding="utf-8"))
            truth = truth_record.get("text", "")
            images = page_images(src, work)
            pages = len(images)

            def add(tool: str, spent: float, text: str, pdf: Path | None = None,
                    truth: str = truth, pages: int = pages, src: Path = src,
                    truth_record: dict = truth_record) -> None:
                row = totals[tool]
                row["seconds"] += spent
                if " | " in truth and tool in tabled:
                    tabled[tool]["seconds"] += spent
                    tabled[tool]["pages"] += pages
                if pdf is not None:
                    text = pdftotext(pdf)
                    row["in"] += src.stat().st_size
                    row["out"] += pdf.stat().st_size
                d, n = cer(text, truth)
                row["pages"] += pages
                row["dist"] += d
                row["len"] += n
                d, n = errors(text, truth_record)
                row["ldist"] += d
                row["llen"] += n

            # a signed PDF is written unsigned by both PDF writers (its signature would fail)
            settings = Settings(allow_unsign=True)
            t = time.perf_counter()
            document, record = process_file(src, settings)
            read = time.perf_counter() - t
            add("vanban", read, record["text"])
            out = work / f"{src.stem}.vanban.pdf"
            t = time.perf_counter()
            write_record(src, document, record, out, settings)
            add("vanban pdf", read + time.perf_counter() - t, "", out)

            texts = []
            t = time.perf_counter()
            for img in images:
                done = subprocess.run(["tesseract", str(img), "-", "-l", "vie", "--dpi", "300"],
                                      capture_output=True, text=True, check=True)
                texts.append(done.stdout.strip())
            add("tesseract", time.perf_counter() - t, "\f".join(texts))

            if use_ocrmypdf:
                pdf = as_pdf_input(src, work)
                out = work / f"{src.stem}.ocr.pdf"
                t = time.perf_counter()
                subprocess.run([use_ocrmypdf, "-q", "-l", "vie", "--deskew", "--jobs", "1",
                                "--force-ocr", "--invalidate-digital-signatures", str(pdf), str(out)],
                               check=True, capture_output=True)
                add("ocrmypdf", time.perf_counter() - t, "", out)
            print(f"  {src.name}: {pages} p", file=sys.stderr, flush=True)

    base = totals["tesseract"]["seconds"] / max(1, totals["tesseract"]["pages"])
    scored = "text lines" if whole else "subject + signer name"
    print(f"bench: {len(cases)} documents, {totals['vanban']['pages']} pages, one core each; "
          f"line CER scores {scored}; PDF writers scored on pdftotext of their output")
    print(f"{'tool':10s} {'s/page':>7s} {'pages/s':>8s} {'× tesseract':>12s} {'CER':>7s} "
          f"{'line CER':>9s} {'size out/in':>12s}")
    for name, row in totals.items():
        if not row["pages"]:
            continue
        per_page = row["seconds"] / row["pages"]
        whole_cer = f"{row['dist'] / max(1, row['len']):.4f}" if whole else "-"
        size = f"{row['out'] / row['in']:.3f}" if row["in"] else "-"
        print(f"{name:10s} {per_page:7.2f} {1 / per_page:8.3f} {per_page / base:12.2f} "
              f"{whole_cer:>7s} {row['ldist'] / max(1, row['llen']):9.4f} {size:>12s}")
    if tabled["tesseract"]["pages"]:
        ours = tabled["vanban"]["seconds"] / tabled["vanban"]["pages"]
        theirs = tabled["tesseract"]["seconds"] / tabled["tesseract"]["pages"]
        print(f"documents with tables ({tabled['vanban']['pages']} pages): vanban {ours:.2f} "
              f"s/page, one tesseract pass {theirs:.2f} s/page: table cells and all other "
              f"stages add {100 * (ours / theirs - 1):+.0f}%")
    bench_ingest(args.dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
