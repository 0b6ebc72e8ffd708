"""Train the syllable language model of the restoration stage from ../shared/corpus.

    python scripts/train_lm.py [--corpus ../shared/corpus/phapdien.jsonl.xz]

Writes pipeline/data/syllable_lm.bin + .json: the syllable vocabulary, unigram, bigram and
trigram counts as flat sorted arrays (loaded with numpy.memmap, no Python dict of strings),
rebuilt bit-for-bit from the same corpus. Every 20th chapter of the corpus is held out and
never trained on; scripts/bench_restore.py measures on it.
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core.syllables import BOUNDARY, tokenize_for_lm  # noqa: E402

OUT = ROOT / "pipeline" / "data" / "syllable_lm"
HELD_OUT_EVERY = 20
MIN_UNIGRAM = 2
MIN_TRIGRAM = 2


def chapters(corpus: Path, held_out: bool) -> list[str]:
    out = []
    with lzma.open(corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if (i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1) == held_out:
                out.append(json.loads(line)["text"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "phapdien.jsonl.xz")
    args = parser.parse_args(argv)
    texts = chapters(args.corpus, held_out=False)
    streams = [tokenize_for_lm(t) for t in texts]
    counts = Counter(s for stream in streams for s in stream if s != BOUNDARY)
    vocab = [BOUNDARY] + sorted(s for s, c in counts.items() if c >= MIN_UNIGRAM)
    index = {s: i for i, s in enumerate(vocab)}
    size = len(vocab)
    ids = np.fromiter((index.get(s, 0) for stream in streams for s in [BOUNDARY, *stream]),
                      dtype=np.int64)
    unigram = np.bincount(ids, minlength=size).astype(np.uint32)
    bi_keys, bi_counts = np.unique(ids[:-1] * size + ids[1:], return_counts=True)
    tri = (ids[:-2] * size + ids[1:-1]) * size + ids[2:]
    tri_keys, tri_counts = np.unique(tri, return_counts=True)
    keep = tri_counts >= MIN_TRIGRAM
    tri_keys, tri_counts = tri_keys[keep], tri_counts[keep]

    arrays = {
        "unigram": unigram,
        "bigram_keys": bi_keys.astype(np.uint64),
        "bigram_counts": np.minimum(bi_counts, 2**32 - 1).astype(np.uint32),
        "trigram_keys": tri_keys.astype(np.uint64),
        "trigram_counts": np.minimum(tri_counts, 2**16 - 1).astype(np.uint16),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    layout, offset = {}, 0
    with open(OUT.with_suffix(".bin"), "wb") as fh:
        for name, arr in arrays.items():
            fh.write(arr.tobytes())
            layout[name] = {"dtype": str(arr.dtype), "offset": offset, "length": int(arr.size)}
            offset += arr.nbytes
    meta = {"vocab": vocab, "arrays": layout, "tokens": int(ids.size),
            "held_out_every": HELD_OUT_EVERY}
    OUT.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    print(f"{len(texts)} chapters, {ids.size:,} tokens, {size:,} syllables, "
          f"{bi_keys.size:,} bigrams, {tri_keys.size:,} trigrams, "
          f"{(offset + OUT.with_suffix('.json').stat().st_size) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
