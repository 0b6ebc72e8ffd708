"""Make a clean rendering look scanned: skew, photocopy, blur, noise, resolution, JPEG."""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image


@dataclass
class Scan:
    dpi: int = 300
    skew: float = 0.0  # degrees
    blur: float = 0.0  # Gaussian sigma in pixels at 300 dpi
    noise: float = 0.0  # std of Gaussian noise, grey levels
    photocopy: bool = False  # grey, contrasty, speckled, no colour
    jpeg_quality: int = 80
    colour: bool = True
    bilevel: bool = False  # a fax-like 1-bit scan (threshold after noise)
    speckle: float = 0.0  # dust and toner dots per square centimetre, 1-3 px at 300 dpi
    # the harsh profiles (make_samples --harsh): what years of office copiers do to a page
    contrast: float = 1.0  # share of the ink-to-paper range left (0.5: grey ink, grey paper)
    bleed: int = 0  # toner spread around strokes, pixels at 300 dpi
    toner: float = 0.0  # clusters of toner per square centimetre, 2-6 px, some smeared
    streaks: int = 0  # the drum's faint vertical lines
    uneven: float = 0.0  # paper darker towards one corner, grey levels
    salt: float = 0.0  # share of pixels flipped to black or white after noise (sensor dirt)


def degrade(image: Image.Image, scan: Scan, rng: random.Random) -> Image.Image:
    arr = np.asarray(image.convert("RGB")).astype(np.float32)
    if scan.photocopy or not scan.colour:
        gray = cv2.cvtColor(arr.astype(np.uint8), cv2.COLOR_RGB2GRAY).astype(np.float32)
        if scan.photocopy:
            gray = np.clip((gray - 40) * 1.25, 0, 255) * 0.9 + 12  # toner and grey paper
            specks = np.random.default_rng(rng.randint(0, 2**31)).random(gray.shape) < 0.0004
            gray[specks] = 30
        arr = np.repeat(gray[..., None], 3, axis=2)
    else:
        arr = arr * np.array([0.98, 0.97, 0.93], dtype=np.float32)  # slightly yellow paper
    h, w = arr.shape[:2]
    if scan.bleed:  # a darker minimum over a disc: strokes thicken and counters fill
        size = 2 * scan.bleed + 1
        disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        arr = cv2.erode(arr, disc)
    if scan.contrast != 1.0:  # grey toner on grey paper, centred a little above mid-grey
        arr = 150 + (arr - 150) * scan.contrast
    if scan.uneven:
        ramp = np.linspace(0, 1, w, dtype=np.float32)[None, :] * np.linspace(
            0.3, 1, h, dtype=np.float32)[:, None]
        arr = arr - (scan.uneven * ramp)[..., None]
    # drawn only for a harsh profile, so the other sets render as before
    harsh = (np.random.default_rng(rng.randint(0, 2**31))
             if scan.toner or scan.streaks or scan.salt else None)
    if scan.toner:
        count = int(scan.toner * (w / 118.1) * (h / 118.1))
        for x, y, r in zip(harsh.integers(0, w, count), harsh.integers(0, h, count),
                           harsh.integers(2, 7, count), strict=True):
            grey = float(harsh.integers(20, 90))
            if harsh.random() < 0.3:  # a smear: a short stroke, not a dot
                dx, dy = harsh.integers(-12, 13, 2)
                cv2.line(arr, (int(x), int(y)), (int(x + dx), int(y + dy)), (grey,) * 3,
                         max(1, int(r) // 2))
            else:
                cv2.circle(arr, (int(x), int(y)), int(r) // 2 + 1, (grey,) * 3, -1)
    for _ in range(scan.streaks):
        x = int(harsh.integers(0, w))
        arr[:, x:x + int(harsh.integers(1, 4))] -= float(harsh.integers(25, 60))
    if scan.speckle:  # dots that OCR reads as periods and commas inside words
        dots = np.random.default_rng(rng.randint(0, 2**31))
        count = int(scan.speckle * (w / 118.1) * (h / 118.1))
        for x, y, r in zip(dots.integers(0, w, count), dots.integers(0, h, count),
                           dots.integers(1, 4, count), strict=True):
            cv2.circle(arr, (int(x), int(y)), int(r), (35, 35, 35), -1)
    if scan.skew:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), scan.skew, 1.0)
        arr = cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=(250, 250, 250))
    if scan.blur:
        arr = cv2.GaussianBlur(arr, (0, 0), scan.blur)
    if scan.dpi != 300:
        scale = scan.dpi / 300
        arr = cv2.resize(arr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if scan.noise:
        noise_rng = np.random.default_rng(rng.randint(0, 2**31))
        arr = arr + noise_rng.normal(0, scan.noise, arr.shape[:2])[..., None]
    if scan.salt:
        flips = harsh.random(arr.shape[:2])
        arr[flips < scan.salt / 2] = 0
        arr[flips > 1 - scan.salt / 2] = 255
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if not scan.colour or scan.photocopy:
        out = out.convert("L")
    if scan.bilevel:  # a fixed threshold, as a fax or a cheap scanner's 1-bit mode
        cut = 150 if scan.contrast == 1.0 else 150 - 10 * (1 - scan.contrast)
        out = out.point(lambda v: 255 if v > cut else 0).convert("1")
    return out
