"""How fast ``vanban serve`` shows a document the first time: the document view and then
each page image, with an empty page cache, for every document of a folder (the longest
first), as a reviewer opening it would wait for them.

    python scripts/bench_serve.py ../shared/real [--limit 3]

The documents are extracted into a fresh SQLite file first (not timed). Prints, per
document, its pages, the view's time and each page image's time on first view (the page
read from the file, cleaned up as the OCR saw it, encoded), then the slowest page overall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.app.evaluate import find_cases  # noqa: E402
from pipeline.core.settings import Settings  # noqa: E402
from pipeline.read.inputs import read_pages  # noqa: E402
from scripts.serving import ROOT, serving  # noqa: E402


def _get(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:
        answer.read()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--limit", type=int, default=3, help="the N longest documents")
    args = parser.parse_args(argv)
    sources = [src for src, _ in find_cases(args.dir) if src.suffix.lower() != ".txt"]
    counted = sorted(((read_pages(s, Settings())[0], s) for s in sources), reverse=True)
    chosen = counted[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'serve.db'}"
        env = {**os.environ, "VANBAN_CACHE": str(Path(tmp) / "cache")}
        subprocess.run([sys.executable, "-m", "pipeline", "extract", *[str(s) for _, s in chosen],
                        "--db", db], cwd=ROOT, env=env, check=True, capture_output=True)
        os.environ["VANBAN_CACHE"] = env["VANBAN_CACHE"]  # the server's, empty
        slowest = 0.0
        with serving(db) as base:
            with urllib.request.urlopen(base + "/api/documents?limit=200") as answer:
                import json

                ids = {d["source"]: d["id"] for d in json.load(answer)["items"]}
            print("serve, first view (empty page cache), one request at a time")
            for pages, src in chosen:
                doc_id = ids[str(src)]
                view = _get(f"{base}/documents/{doc_id}")
                times = [_get(f"{base}/api/documents/{doc_id}/pages/{n}.png")
                         for n in range(1, pages + 1)]
                slowest = max(slowest, view, *times)
                print(f"  {src.name}: {pages} pages; view {view:.2f} s; page images "
                      + " ".join(f"{t:.2f}" for t in times) + " s")
        print(f"slowest answer: {slowest:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
