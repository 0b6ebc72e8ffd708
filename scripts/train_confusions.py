"""Learn how the English Tesseract model garbles Vietnamese letters, from pairs we make.

    python scripts/train_confusions.py [--lines 1200]

Renders training-slice lines of ../shared/corpus (never the held-out chapters) as 300 dpi
page images, OCRs them with ``tesseract -l eng`` (what archives ran before `vie` existed),
aligns each OCR word with its source syllable, and counts the character edits between the
OCR text and the syllable's base letters (``c6ng`` → ``cong``: 6 stands for o). Writes
pipeline/data/ocr_confusions.json: for each OCR character, what it stood for, with
probabilities; the restoration stage turns unknown tokens back into candidates with them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core.syllables import fold, is_vietnamese_letters  # noqa: E402
from pipeline.ocr import tesseract  # noqa: E402
from scripts.train_lm import chapters  # noqa: E402

OUT = ROOT / "pipeline" / "data" / "ocr_confusions.json"
FONTS = [Path("/usr/share/fonts/truetype/liberation2") / f"LiberationSerif-{s}.ttf"
         for s in ("Regular", "Bold")]
LINES_PER_PAGE = 30


def training_lines(corpus: Path, count: int, rng: random.Random) -> list[str]:
    lines = []
    for text in chapters(corpus, held_out=False):
        for line in text.splitlines():
            words = line.split()
            if 6 <= len(words) <= 12 and all(is_vietnamese_letters(w.lower()) for w in words):
                lines.append(" ".join(words))
    rng.shuffle(lines)
    return lines[:count]


def ocr_page(lines: list[str], font: ImageFont.FreeTypeFont) -> list[list[str]]:
    height = int(font.size * 1.9)
    img = Image.new("L", (2480, 120 + height * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((120, 60 + i * height), line, font=font, fill=0)
    words = tesseract.image_to_words(np.asarray(img), dpi=300, language="eng", psm=6)
    rows: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    for w in words:
        rows[(w.block, w.paragraph, w.line)].append(w.word.text)
    return [rows[k] for k in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "phapdien.jsonl.xz")
    parser.add_argument("--lines", type=int, default=1200)
    args = parser.parse_args(argv)
    rng = random.Random(7)
    lines = training_lines(args.corpus, args.lines, rng)
    subs: dict[str, Counter] = defaultdict(Counter)
    pairs = 0
    for start in range(0, len(lines), LINES_PER_PAGE):
        batch = lines[start : start + LINES_PER_PAGE]
        font = ImageFont.truetype(str(FONTS[(start // LINES_PER_PAGE) % len(FONTS)]), 54)
        ocr_rows = ocr_page(batch, font)
        if len(ocr_rows) != len(batch):
            continue  # lines merged or split: no reliable alignment
        for truth, ocr in zip(batch, ocr_rows, strict=True):
            truth_words = truth.split()
            if len(ocr) != len(truth_words):
                continue
            for t, o in zip(truth_words, ocr, strict=True):
                target, seen = fold(t), o.lower()
                pairs += 1
                for op, i, j in Levenshtein.editops(seen, target):
                    if op == "replace":
                        subs[seen[i]][target[j]] += 1
                    elif op == "delete":
                        subs[seen[i]][""] += 1
                for a, b in zip(seen, target, strict=False):
                    if a == b:
                        subs[a][a] += 1
    table = {
        char: {k: round(v / sum(c.values()), 4) for k, v in sorted(c.items()) if v >= 2}
        for char, c in sorted(subs.items())
        if sum(c.values()) >= 3
    }
    OUT.write_text(json.dumps({"pairs": pairs, "substitutions": table}, ensure_ascii=False,
                              indent=0, sort_keys=True), encoding="utf-8")
    print(f"{pairs} aligned word pairs, {len(table)} OCR characters -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
