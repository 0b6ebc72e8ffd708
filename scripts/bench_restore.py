"""Syllable accuracy and speed of diacritic restoration on the held-out corpus slice.

    python scripts/bench_restore.py [--syllables 30000]

Conditions: the original text (restoration must not damage it), accent-stripped text, and
text with English-model OCR noise (marks stripped, then ô/ơ/ê... read as 6, 0, € ...).
Compared with the identity (doing nothing).
"""

from __future__ import annotations

import argparse
import json
import lzma
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core.restore import normalize_text  # noqa: E402
from pipeline.core.syllables import fold  # noqa: E402

# what the English Tesseract model writes for Vietnamese letters (seen in ../shared/seeds)
ENGLISH_OCR = {"ô": "6", "ơ": "o", "ê": "€", "ư": "u", "đ": "d", "ố": "6", "ộ": "Q", "ể": "6",
               "ế": "é", "ạ": "4", "ủ": "ri", "ả": "d", "ầ": "A", "à": "d", "ấ": "A"}


def held_out_lines(corpus: Path, every: int, limit: int) -> list[str]:
    lines, count = [], 0
    with lzma.open(corpus, "rt", encoding="utf-8") as fh:
        for i, row in enumerate(fh):
            if i % every != every - 1:
                continue
            for line in json.loads(row)["text"].splitlines():
                line = normalize_text(line.strip())
                if len(line.split()) >= 5:
                    lines.append(line)
                    count += len(line.split())
                    if count >= limit:
                        return lines
    return lines


def _strip_keep_case(line: str) -> str:
    out = []
    for c in line:
        f = fold(c) if c.isalpha() else c
        out.append(f.upper() if c.isupper() else f)
    return "".join(out)


def english_ocr(line: str, rng: random.Random) -> str:
    out = []
    for c in line:
        low = c.lower()
        if low in ENGLISH_OCR and rng.random() < 0.5:
            out.append(ENGLISH_OCR[low])
        else:
            out.append(c)
    return _strip_keep_case("".join(out))


def accuracy(predicted: list[str], truth: list[str]) -> float:
    right = total = 0
    for p, t in zip(predicted, truth, strict=True):
        pw, tw = p.lower().split(), t.lower().split()
        if len(pw) != len(tw):
            total += len(tw)
            continue
        right += sum(a == b for a, b in zip(pw, tw, strict=True))
        total += len(tw)
    return right / max(1, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "phapdien.jsonl.xz")
    parser.add_argument("--syllables", type=int, default=30000)
    args = parser.parse_args(argv)
    from pipeline.language import diacritics

    t = time.perf_counter()
    meta = json.loads((diacritics.MODEL.with_suffix(".json")).read_text(encoding="utf-8"))
    diacritics.model()
    load = time.perf_counter() - t
    truth = held_out_lines(args.corpus, meta["held_out_every"], args.syllables)
    rng = random.Random(1)
    conditions = {
        "original": truth,
        "stripped": [_strip_keep_case(x) for x in truth],
        "english-ocr": [english_ocr(x, rng) for x in truth],
    }
    syllables = sum(len(x.split()) for x in truth)
    pyvi = _pyvi()
    print(f"held-out: {len(truth)} lines, {syllables} syllables; model load {load:.2f} s")
    print(f"{'condition':12s} {'identity':>9s} {'vanban':>8s} {'syl/s':>8s} {'pyvi':>8s} "
          f"{'crashes':>8s}")
    for name, lines in conditions.items():
        t = time.perf_counter()
        restored = diacritics.restore_lines(lines)  # one batch, as `vanban restore` does
        speed = syllables / (time.perf_counter() - t)
        row = (f"{name:12s} {accuracy(lines, truth):9.3f} {accuracy(restored, truth):8.3f} "
               f"{speed:8.0f}")
        if pyvi:
            theirs, crashes = [], 0
            for x in lines:
                try:
                    theirs.append(pyvi(x))
                except Exception:  # pyvi raises KeyError on some inputs: count, keep input
                    crashes += 1
                    theirs.append(x)
            row += f" {accuracy(theirs, truth):8.3f} {crashes:8d}"
        print(row)
    return 0


def _pyvi():
    """pyvi's add_accents, the anchor, when the bench extra is installed."""
    try:
        from pyvi import ViUtils
    except ImportError:
        print("(pyvi not installed: pip install -e '.[bench]' to compare)")
        return None
    return ViUtils.add_accents


if __name__ == "__main__":
    raise SystemExit(main())
