"""OpenCV cleanup of a scanned page: each step a small function, each switchable in Settings.

``preprocess(page_image, settings, dpi) -> (image, dpi)`` returns a clean 8-bit grayscale or
binary image ready for Tesseract, and the DPI of that image (low-resolution scans are
upsampled, because Tesseract wants an x-height of about 20 px). ``preprocess_mapped`` also
returns where the cleaned image's pixels came from in the page image (the upsampling, the
quarter turns and the deskew as one affine map), so that words read on the cleaned image
can be put back on the original scan (the searchable PDF's text layer).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.core import log
from pipeline.core.settings import Settings

LOG = log.get(__name__)

MIN_OCR_DPI = 220  # below this, upsample to 300


def preprocess(page_image: np.ndarray, settings: Settings, dpi: int,
               known_turn: int | None = None) -> tuple[np.ndarray, int]:
    image, dpi, _ = preprocess_mapped(page_image, settings, dpi, known_turn)
    return image, dpi


def preprocess_mapped(page_image: np.ndarray, settings: Settings, dpi: int,
                      known_turn: int | None = None) -> tuple[np.ndarray, int, np.ndarray]:
    """The cleaned image, its DPI, and the 3×3 affine map from the page image's pixel
    coordinates to the cleaned image's (invert it to go back). ``known_turn``: the quarter turn
    found before (serve redraws a stored page), so Tesseract's orientation detector, a
    second or two of a sideways-looking page, is not asked again."""
    gray = to_gray(page_image, settings)
    to_clean = np.eye(3)
    if dpi < MIN_OCR_DPI:
        scale = 300 / dpi
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        to_clean = np.diag([gray.shape[1] / page_image.shape[1],
                            gray.shape[0] / page_image.shape[0], 1.0]) @ to_clean
        dpi = 300
    if settings.crop_borders:
        gray = whiten_borders(gray)
    if settings.auto_rotate:
        degrees = upright_turn(gray, dpi) if known_turn is None else known_turn
        to_clean = _quarter_turn_map(gray.shape, degrees) @ to_clean
        gray = turn(gray, degrees)
    if settings.deskew:
        angle = estimate_skew(gray, settings.max_skew_degrees)
        if abs(angle) >= MIN_SKEW:
            to_clean = np.vstack([_skew_matrix(gray.shape, angle), [0, 0, 1]]) @ to_clean
            gray = rotate(gray, angle)
    if settings.denoise:
        gray = denoise(gray)
    if settings.binarize:
        gray = binarize(gray)
        if settings.despeckle:
            gray = despeckle(gray, dpi)
    return gray, dpi, to_clean


MIN_LINE_INK = 300  # pixels (at a quarter scale) of text lines needed to judge a page


def is_sideways(gray: np.ndarray) -> bool:
    """Text running up or down the page (a landscape table page scanned upright). Letters
    smeared along a text line's direction merge into long thin blobs: on an upright page
    they lie across, on a sideways page they stand up. Table rules are taken out first."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.uint8)
    h, w = ink.shape
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, w // 10)), np.uint8)) | \
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, h // 10), 1), np.uint8))
    ink = ink & (1 - rules)
    across = _line_ink(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 7), np.uint8)), 1)
    upward = _line_ink(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((7, 1), np.uint8)), 0)
    return upward >= MIN_LINE_INK and upward > 1.5 * across


def _line_ink(mask: np.ndarray, axis: int) -> int:
    """Ink in blobs more than three times longer along ``axis`` (1: x, 0: y) than across."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    along = cv2.CC_STAT_WIDTH if axis == 1 else cv2.CC_STAT_HEIGHT
    other = cv2.CC_STAT_HEIGHT if axis == 1 else cv2.CC_STAT_WIDTH
    return int(sum(stats[i, cv2.CC_STAT_AREA] for i in range(1, count)
                   if stats[i, cv2.CC_STAT_AREA] >= 20 and stats[i, along] > 3 * stats[i, other]))


# Tesseract's orientation confidence below which its "upside down" is not believed: on 49
# upright and 49 turned pages of data/samples, ../shared/real and real3 it said right at
# 6.9-30; the one page it got wrong (a phone photo) it said at 3.0
SURE_TURN = 5.0
# ink above the x-height band over ink below it: Vietnamese letters' marks and ascenders
# put more above (1.5-3.9 on real upright pages, 0.7-1.4 on a few generated ones); every
# page turned 180° measured under 1.2, so only pages under this are asked about
UPSIDE_DOWN_SUSPECT = 1.3


def upright(gray: np.ndarray, dpi: int) -> np.ndarray:
    """A sideways or upside-down page turned upright (the same array when it is upright)."""
    return turn(gray, upright_turn(gray, dpi))


def upright_turn(gray: np.ndarray, dpi: int) -> int:
    """How far (0, 90, 180 or 270 degrees clockwise) the page must be turned to stand
    upright; which way Tesseract's orientation detector says — it runs only on pages whose
    ink looks turned, and an upside-down verdict is taken only when it is sure."""
    from pipeline.ocr import tesseract

    if is_sideways(gray):
        degrees, _ = tesseract.orientation(gray, dpi=dpi)
        LOG.info("a sideways page: turned %s° upright (Tesseract's orientation detector)",
                 degrees)
        return degrees if degrees in (90, 180, 270) else 0
    if marks_above_ratio(gray) < UPSIDE_DOWN_SUSPECT:
        degrees, confidence = tesseract.orientation(gray, dpi=dpi)
        if degrees != 180 or confidence < SURE_TURN:
            return 0
        LOG.info("an upside-down page: turned 180° (orientation confidence %.1f)", confidence)
        return 180
    return 0


QUARTER_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
                 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def turn(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned clockwise by a quarter-turn multiple (itself for 0)."""
    return cv2.rotate(gray, QUARTER_TURNS[degrees]) if degrees in QUARTER_TURNS else gray


def _quarter_turn_map(shape: tuple[int, ...], degrees: int) -> np.ndarray:
    """Where ``turn`` sends a pixel (x, y) of an image of ``shape``, as a 3×3 matrix."""
    h, w = shape[:2]
    if degrees == 90:  # the left column becomes the top row
        return np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], dtype=float)
    if degrees == 180:
        return np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=float)
    if degrees == 270:
        return np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], dtype=float)
    return np.eye(3)


def marks_above_ratio(gray: np.ndarray) -> float:
    """Ink above the text lines' core (x-height) band over ink below it, summed over lines.
    Upright Vietnamese has tone marks, hats and ascenders above and few descenders below;
    turned 180° the two swap. Long rules are taken out first, a line being a run of rows
    with ink."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.uint8)
    h, w = ink.shape
    ink &= 1 - cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, w // 8)), np.uint8))
    profile = ink.sum(axis=1).astype(np.float64)
    rows = np.flatnonzero(profile > max(2.0, 0.01 * w))
    above = below = 0.0
    if not len(rows):
        return 1.0
    for line in np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1):
        if len(line) < 6:  # a speck or a rule's remains, not a line of letters
            continue
        band = profile[line[0]: line[-1] + 1]
        core = np.flatnonzero(band >= 0.5 * band.max())
        above += band[: core[0]].sum()
        below += band[core[-1] + 1:].sum()
    return above / below if below else (2.0 if above else 1.0)


def to_gray(image: np.ndarray, settings: Settings) -> np.ndarray:
    """RGB → gray, dropping red seals (con dấu) and optionally blue stamps by colour.

    Black text under a seal stays dark because it is dark in every channel; only pixels whose
    red (or blue) channel clearly dominates are whitened.
    """
    if image.ndim == 2:
        return image.copy()
    rgb = image[..., :3].astype(np.int16)
    gray = cv2.cvtColor(image[..., :3], cv2.COLOR_RGB2GRAY)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    if settings.remove_red:
        gray[_ink_of(r, np.maximum(g, b))] = 255
    if settings.remove_blue:
        gray[_ink_of(b, np.maximum(r, g))] = 255
    return gray


def _ink_of(channel: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Pixels of one ink colour: the channel clearly dominates (relative chroma, so the
    dark fringe of a seal counts too), grown by a pixel for anti-aliasing, never over black
    text."""
    tinted = ((channel - others) > 0.18 * channel) & (channel > 90)
    grown = cv2.dilate(tinted.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    return grown & (channel > 90)  # black ink is dark in every channel: never removed


def whiten_borders(gray: np.ndarray, dark_share: float = 0.6) -> np.ndarray:
    """Scanner shadows: whiten dark bands touching the page edges (keeps page coordinates)."""
    out = gray
    dark = gray < 100
    h, w = gray.shape
    limit_r, limit_c = h // 10, w // 10
    for r in range(limit_r):
        if dark[r].mean() < dark_share:
            break
        out[r] = 255
    for r in range(h - 1, h - 1 - limit_r, -1):
        if dark[r].mean() < dark_share:
            break
        out[r] = 255
    for c in range(limit_c):
        if dark[:, c].mean() < dark_share:
            break
        out[:, c] = 255
    for c in range(w - 1, w - 1 - limit_c, -1):
        if dark[:, c].mean() < dark_share:
            break
        out[:, c] = 255
    return out


def estimate_skew(gray: np.ndarray, max_degrees: float) -> float:
    """Skew angle in degrees by projection profile: text rows are sharpest when level."""
    small_w = 800
    scale = small_w / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.sum() < 100:
        return 0.0
    h, w = ink.shape
    center = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-max_degrees, max_degrees + 1e-6, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-6, 0.1)
    return float(max(fine, key=sharpness))


MIN_SKEW = 0.15  # degrees; a smaller skew is left alone


def deskew(gray: np.ndarray, max_degrees: float = 5.0) -> np.ndarray:
    angle = estimate_skew(gray, max_degrees)
    return rotate(gray, angle) if abs(angle) >= MIN_SKEW else gray


def _skew_matrix(shape: tuple[int, ...], angle: float) -> np.ndarray:
    h, w = shape[:2]
    return cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """The image rotated by ``angle`` degrees about its centre, the same size, white fill."""
    LOG.debug("deskewed by %.2f°", angle)
    h, w = gray.shape
    return cv2.warpAffine(gray, _skew_matrix(gray.shape, angle), (w, h),
                          flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=255)


def denoise(gray: np.ndarray) -> np.ndarray:
    """Median 3×3 removes scanner speckle without eating strokes at ≥ 200 dpi."""
    return cv2.medianBlur(gray, 3)


def binarize(gray: np.ndarray) -> np.ndarray:
    """Otsu after flattening the background (photos, shadows, yellowed paper).

    Measured on the samples: global Otsu on a flattened page beats adaptive thresholding,
    which turns noise into letter-like blobs.
    """
    small = cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    background = cv2.dilate(small, np.ones((5, 5), np.uint8))
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return binary


SPECK_AREA = 60  # pixels at 300 dpi: a dot of dust or toner (a 9 px disc), or a stop
LINE_REACH = (1.0, 3.0)  # a text line's band: letters' boxes grown by these text heights
# (up, for stacked tone marks, and sideways, across a word gap)


def despeckle(binary: np.ndarray, dpi: int = 300) -> np.ndarray:
    """Whiten dust and toner dots that lie on no text line (between lines, in margins, in
    empty table cells), which OCR reads as stray stops, quotes and lines of their own. A
    text line is the band the page's letters cover, grown by a tone mark's height above
    and a word gap sideways: a stop, a comma, a diacritic and a faint letter's broken
    pieces all sit in it and stay, however small."""
    ink = (binary < 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return binary
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    mm = dpi / 25.4
    letter = (heights >= 1.2 * mm) & (heights <= 8 * mm)
    letter[0] = False
    if not letter.any():
        return binary
    text_height = float(np.median(heights[letter]))
    band = np.zeros_like(ink)
    up, side = (int(k * text_height) for k in LINE_REACH)
    for i in np.nonzero(letter)[0]:
        x, y, w, h = (int(v) for v in stats[i, :4])
        band[max(0, y - up):y + h + up // 2, max(0, x - side):x + w + side] = 1
    scale = dpi / 300
    small = (stats[:, cv2.CC_STAT_AREA] <= SPECK_AREA * scale * scale) \
        & (heights < 0.5 * text_height) & (widths < 0.5 * text_height)
    small[0] = False
    specks = [i for i in np.nonzero(small)[0]
              if not band[int(stats[i, 1]):int(stats[i, 1] + heights[i]),
                          int(stats[i, 0]):int(stats[i, 0] + widths[i])].any()]
    if not specks:
        return binary
    cleaned = binary.copy()
    cleaned[np.isin(labels, specks)] = 255
    return cleaned
