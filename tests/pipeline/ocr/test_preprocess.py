import random

import cv2
import numpy as np
from PIL import Image

from pipeline.core.settings import Settings
from pipeline.ocr import preprocess as pp
from scripts.samplegen.build import make_spec
from scripts.samplegen.render import render


def _clean_page() -> np.ndarray:
    rng = random.Random(3)
    page = render(make_spec(rng, "Công văn", 2), rng, set())[0]
    return np.asarray(page.image)


def _rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), borderValue=255)


def test_estimate_skew_finds_the_rotation():
    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    for angle in (-2.7, -1.0, 1.6, 3.0):
        found = pp.estimate_skew(_rotate(gray, angle), 5.0)
        assert abs(found + angle) < 0.3, (angle, found)


def test_deskew_levels_a_skewed_page():
    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    fixed = pp.deskew(_rotate(gray, 2.0), 5.0)
    assert abs(pp.estimate_skew(fixed, 5.0)) < 0.3


def test_red_seal_removed_black_text_kept():
    rgb = np.full((100, 100, 3), 255, np.uint8)
    rgb[10:30, 10:30] = (215, 35, 40)  # seal red
    rgb[50:60, 10:30] = (20, 20, 20)  # text
    rgb[70:80, 10:30] = (25, 45, 150)  # blue pen: kept by default
    gray = pp.to_gray(rgb, Settings())
    assert gray[20, 20] == 255
    assert gray[55, 20] < 60
    assert gray[75, 20] < 120
    assert pp.to_gray(rgb, Settings(remove_blue=True))[75, 20] == 255


def test_binarize_is_two_level_and_keeps_text_on_shaded_paper():
    page = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY).astype(np.float32)
    ramp = np.linspace(0, 90, page.shape[1], dtype=np.float32)[None, :]
    shaded = np.clip(page - ramp, 0, 255).astype(np.uint8)  # a shadow across the page
    binary = pp.binarize(shaded)
    assert set(np.unique(binary)) <= {0, 255}
    clean = pp.binarize(page.astype(np.uint8))
    # the shadow does not turn the right side black: ink share stays close to the clean page
    assert abs((binary < 128).mean() - (clean < 128).mean()) < 0.01


def test_preprocess_upsamples_low_resolution():
    img = np.asarray(Image.fromarray(_clean_page()).resize((827, 1169)))
    out, dpi = pp.preprocess(img, Settings(), 100)
    assert dpi == 300 and out.shape[1] == 827 * 3


def test_a_page_scanned_sideways_is_turned_upright_either_way():
    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    assert not pp.is_sideways(gray)
    for turn in (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE):
        sideways = cv2.rotate(gray, turn)
        assert pp.is_sideways(sideways)
        assert np.array_equal(pp.upright(sideways, 300), gray)  # Tesseract's OSD says which way


def test_a_page_upside_down_is_turned_and_an_upright_one_left_alone():
    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    turned = cv2.rotate(gray, cv2.ROTATE_180)
    assert pp.marks_above_ratio(turned) < pp.UPSIDE_DOWN_SUSPECT
    assert np.array_equal(pp.upright(turned, 300), gray)
    assert pp.upright(gray, 300) is gray


def test_a_real_scan_upside_down_is_turned(shared):
    from pathlib import Path

    from pipeline.read.inputs import read_pages

    _, pages = read_pages(Path(shared / "real" / "bca-2.pdf"), Settings(force_ocr=True))
    gray = pp.whiten_borders(pp.to_gray(next(iter(pages)).image, Settings()))
    assert pp.marks_above_ratio(gray) > pp.UPSIDE_DOWN_SUSPECT  # not even asked about
    assert np.array_equal(pp.upright(cv2.rotate(gray, cv2.ROTATE_180), 300), gray)


def test_a_page_with_little_text_or_none_is_left_as_it_is():
    blank = np.full((1200, 900), 255, np.uint8)
    assert not pp.is_sideways(blank)
    short = blank.copy()
    cv2.putText(short, "I", (400, 600), cv2.FONT_HERSHEY_SIMPLEX, 3, 0, 8)
    assert not pp.is_sideways(short) and pp.upright(short, 300) is short


def test_despeckle_whitens_lone_dots_of_a_dusty_page_and_keeps_marks():
    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    binary = pp.binarize(gray)
    rng = np.random.default_rng(5)
    dusty = binary.copy()
    h, w = dusty.shape
    for x, y in zip(rng.integers(0, w, 400), rng.integers(0, h, 400), strict=True):
        cv2.circle(dusty, (int(x), int(y)), 2, 0, -1)
    cleaned = pp.despeckle(dusty)
    added = (dusty < 128) & (binary >= 128)
    removed = (cleaned >= 128) & (dusty < 128)
    assert (removed & added).sum() > 0.6 * added.sum()  # most dust gone
    assert (removed & (binary < 128)).sum() < 0.002 * (binary < 128).sum()  # the text kept
    assert np.array_equal(pp.despeckle(binary), binary)  # a clean page is not touched


def test_the_map_back_finds_a_mark_of_the_scan_on_the_cleaned_page():
    """preprocess_mapped's affine map sends a point of the scan to where the cleanup put it
    (here a 150 dpi page, upsampled, then deskewed), and Geometry brings it back."""
    from pipeline.core.document import Geometry

    gray = cv2.cvtColor(_clean_page(), cv2.COLOR_RGB2GRAY)
    gray = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)  # 150 dpi
    skewed = _rotate(gray, 2.0)
    mark = (60, skewed.shape[0] - 60)  # a dot in the empty bottom-left margin
    cv2.circle(skewed, mark, 5, 0, -1)
    clean, dpi, to_clean = pp.preprocess_mapped(np.repeat(skewed[..., None], 3, 2),
                                                Settings(), 150)
    assert dpi == 300 and clean.shape[1] == 2 * skewed.shape[1]
    assert abs(to_clean[0, 1]) > 0.02  # turned as well as scaled: the deskew is in the map
    x, y, _ = to_clean @ [mark[0], mark[1], 1]
    window = clean[int(y) - 30:int(y) + 31, int(x) - 30:int(x) + 31] < 128
    ys, xs = np.nonzero(window)
    assert len(xs) > 50  # the dot, now 2x as wide
    assert abs(xs.mean() - 30) < 3 and abs(ys.mean() - 30) < 3
    geometry = Geometry(skewed.shape[1], skewed.shape[0], tuple(to_clean[:2].ravel()))
    back = geometry.to_source(x, y)
    assert abs(back[0] - mark[0]) < 1e-6 and abs(back[1] - mark[1]) < 1e-6
