"""Reader for pen-written digit strings: the số and ngày a clerk fills in after signing.

Tesseract's models are trained on print; it reads a pen ``1`` with its flag as ``4`` and drops
most pen digits. This reader is a small convolutional network read out with CTC (a CRNN
without the recurrent part: the convolutions see about two digits each side), so a whole
written zone is read at once and digits that touch need no cutting. It is trained by
``scripts/train_digits.py`` on handwritten digits (MNIST) and handwriting-font digits
composed into strings the way clerks write them; the weights ship in
``data/pen_digits.npz`` and run here in plain numpy in a few milliseconds.

``read(gray)`` returns alternatives with probabilities (a CTC prefix beam search), so the
caller can apply what it knows (a day is 1-31, a number seen elsewhere in the document
wins) instead of taking the first guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

WEIGHTS = Path(__file__).parents[1] / "data" / "pen_digits.npz"
HEIGHT = 32  # network input height; the ink is fitted into INK rows of it
INK = 24
MAX_WIDTH = 480
BLANK = 10  # CTC blank class; classes 0-9 are the digits

# The network, shared with the training script: (kind, in, out) for 3×3 convolutions with
# ReLU, (kind, pool_h, pool_w) for max pooling; then 1-D convolutions over the columns.
CONV_LAYERS: tuple[tuple[str, int, int], ...] = (
    ("conv", 1, 32), ("pool", 2, 2),
    ("conv", 32, 64), ("pool", 2, 2),
    ("conv", 64, 96), ("pool", 2, 1),
    ("conv", 96, 128), ("pool", 2, 1),
)
SEQ_LAYERS: tuple[tuple[int, int, int], ...] = ((256, 160, 3), (160, 160, 3), (160, 11, 1))
STRIDE = 4  # input columns per output step


@dataclass(frozen=True)
class Reading:
    """One alternative reading of a written zone: its digits and their probability."""

    text: str
    probability: float


def prepare(gray: np.ndarray) -> np.ndarray | None:
    """A grey crop around a written zone → HEIGHT×W float image (ink = 1), or None if blank.

    Only ink that reaches the crop's middle band counts, so the line above or below that a
    generous crop catches is left out; the ink kept is fitted into INK of HEIGHT rows.
    """
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    gray = gray.astype(np.uint8)
    h, w = gray.shape
    if h < 4 or w < 4:
        return None
    _, mask = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if mask.mean() > 0.6 or int(gray.max()) - int(gray.min()) < 40:
        return None  # no contrast: nothing written
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    band0, band1 = 0.2 * h, 0.8 * h
    # a piece counts when its middle is in the band: the next line's ascenders reach into
    # the band, their middles stay below it
    keep = [
        i for i in range(1, count)
        if stats[i, cv2.CC_STAT_AREA] >= 4
        and band0 < stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] / 2 < band1
    ]
    if not keep:
        return None
    x0 = min(stats[i, cv2.CC_STAT_LEFT] for i in keep)
    y0 = min(stats[i, cv2.CC_STAT_TOP] for i in keep)
    x1 = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in keep)
    y1 = max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in keep)
    ink = 255.0 - gray[y0:y1, x0:x1].astype(np.float32)
    ink -= np.percentile(ink, 50) if ink.size > 16 else ink.min()
    peak = np.percentile(ink, 99) if ink.size > 16 else ink.max()
    if peak <= 0:
        return None
    ink = np.clip(ink / peak, 0, 1)
    ih, iw = ink.shape
    width = max(4, min(MAX_WIDTH - 8, round(iw * INK / ih)))
    small = cv2.resize(ink, (width, INK), interpolation=cv2.INTER_AREA)
    total = -(-(width + 8) // STRIDE) * STRIDE
    canvas = np.zeros((HEIGHT, total), np.float32)
    top = (HEIGHT - INK) // 2
    canvas[top : top + INK, 4 : 4 + width] = small
    return canvas


@lru_cache(maxsize=1)
def _weights() -> dict[str, np.ndarray]:
    with np.load(WEIGHTS) as data:
        return {key: data[key] for key in data.files}


def _conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(C, H, W) ⊛ (O, C, 3, 3), padding 1 → (O, H, W)."""
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    windows = sliding_window_view(padded, (3, 3), axis=(1, 2))  # C, H, W, 3, 3
    out = np.tensordot(w, windows, axes=([1, 2, 3], [0, 3, 4]))
    return out + b[:, None, None]


def _pool(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    c, h, w = x.shape
    x = x[:, : h - h % ph, : w - w % pw]
    return x.reshape(c, h // ph, ph, w // pw, pw).max(axis=(2, 4))


def _conv1d(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(C, T) ⊛ (O, C, k), same padding → (O, T)."""
    k = w.shape[2]
    padded = np.pad(x, ((0, 0), (k // 2, k // 2)))
    windows = sliding_window_view(padded, k, axis=1)  # C, T, k
    return np.tensordot(w, windows, axes=([1, 2], [0, 2])) + b[:, None]


def log_probabilities(image: np.ndarray) -> np.ndarray:
    """A prepared HEIGHT×W image → (W/STRIDE, 11) log-probabilities per column step."""
    weights = _weights()
    x = image[None].astype(np.float32)
    conv = 0
    for kind, a, b in CONV_LAYERS:
        if kind == "conv":
            x = np.maximum(_conv2d(x, weights[f"c{conv}_w"], weights[f"c{conv}_b"]), 0)
            conv += 1
        else:
            x = _pool(x, a, b)
    x = x.reshape(-1, x.shape[2])
    for i in range(len(SEQ_LAYERS)):
        x = _conv1d(x, weights[f"s{i}_w"], weights[f"s{i}_b"])
        if i < len(SEQ_LAYERS) - 1:
            x = np.maximum(x, 0)
    x = x.T
    x = x - x.max(axis=1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=1, keepdims=True))


def beam_search(log_probs: np.ndarray, beam: int = 12) -> list[Reading]:
    """CTC prefix beam search: the most probable digit strings, probabilities summed over
    every alignment that spells them (so an alternative's probability means something)."""
    probs = np.exp(log_probs.astype(np.float64))
    beams: dict[str, tuple[float, float]] = {"": (1.0, 0.0)}  # prefix → (p ends blank, p ends digit)
    for t in range(probs.shape[0]):
        row = probs[t]
        nxt: dict[str, list[float]] = {}
        for prefix, (p_blank, p_digit) in beams.items():
            total = p_blank + p_digit
            entry = nxt.setdefault(prefix, [0.0, 0.0])
            entry[0] += total * row[BLANK]
            if prefix:
                entry[1] += p_digit * row[int(prefix[-1])]  # the same digit held on
            for d in np.nonzero(row[:BLANK] > 1e-4)[0]:
                extended = prefix + str(d)
                entry = nxt.setdefault(extended, [0.0, 0.0])
                if prefix and int(prefix[-1]) == d:
                    entry[1] += p_blank * row[d]  # a repeated digit needs a blank between
                else:
                    entry[1] += total * row[d]
        ranked = sorted(nxt.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:beam]
        beams = {k: (v[0], v[1]) for k, v in ranked}
    readings = [Reading(k, v[0] + v[1]) for k, v in beams.items() if k]
    return sorted(readings, key=lambda r: -r.probability)


def read(gray: np.ndarray, top: int = 8) -> list[Reading]:
    """The alternatives for the digits written in a grey crop of one line, best first."""
    image = prepare(gray)
    if image is None:
        return []
    return beam_search(log_probabilities(image))[:top]


def read_pen_digits(gray: np.ndarray) -> tuple[str, float]:
    """The best reading of a crop and its probability × 100 (0-100, -1 when blank)."""
    readings = read(gray, top=1)
    if not readings:
        return "", -1.0
    return readings[0].text, 100.0 * readings[0].probability
