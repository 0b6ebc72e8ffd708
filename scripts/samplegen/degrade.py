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
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if not scan.colour or scan.photocopy:
        out = out.convert("L")
    if scan.bilevel:
        out = out.point(lambda v: 255 if v > 150 else 0).convert("1")
    return out
