"""A grey seal and signature that hid the signer's block: cleared, and the page read again."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from pipeline.app.run import process_file
from pipeline.core.settings import Settings
from pipeline.ocr import lineart, tables
from pipeline.ocr.preprocess import preprocess
from pipeline.read.inputs import read_pages
from scripts import make_samples


@pytest.fixture(scope="module")
def photocopy(tmp_path_factory):
    """A copier's page (make_samples --harsh photocopy, seed 31, the 10th document): its
    grey seal is crossed by the signature, and a full-page pass reads no title nor name."""
    out = tmp_path_factory.mktemp("photocopy")
    path = make_samples.make_varied(9, out, 31, harsh="photocopy")
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    return path, truth


def test_the_signer_of_a_photocopy_is_found(photocopy):
    path, truth = photocopy
    _, record = process_file(path, Settings())
    for field in ("signer_name", "signer_title", "signing_authority"):
        assert record[field] == truth[field], field


def test_the_seal_is_found_and_whitened_and_the_text_kept(photocopy):
    path, _ = photocopy
    settings = Settings()
    page = list(read_pages(path, settings)[1])[-1]
    image, dpi = preprocess(page.image, settings, page.dpi)
    _, clean = tables.find_tables(image, dpi)
    cleared, seals = lineart.clear_line_art(clean, dpi)
    assert len(seals) == 1
    cx, cy, r = seals[0]
    assert 15 * dpi / 25.4 <= r <= 30 * dpi / 25.4  # a 30-60 mm seal
    ring = np.s_[int(cy - r):int(cy + r), int(cx - r):int(cx + r)]
    assert (clean[ring] < 128).mean() > 0.05 > (cleared[ring] < 128).mean()
    # the rest of the page (the recipients on the left) is untouched
    left = np.s_[:, : int(cx - 1.5 * r)]
    assert np.array_equal(clean[left], cleared[left])


def test_a_page_without_drawn_marks_is_left_alone():
    page = np.full((1200, 900), 255, np.uint8)
    page[100:130, 100:700:40] = 0  # letter-like bars
    cleared, seals = lineart.clear_line_art(page, 300)
    assert seals == [] and cleared is page


def test_a_lone_name_under_a_cleared_seal_is_read_on_its_own(tmp_path):
    """make_samples --harsh photocopy, seed 32, the 4th document: even on the cleared page
    the full pass skips the name under a wide white gap; the band under the seal is read
    alone (signature.reread_under_seal)."""
    path = make_samples.make_varied(3, tmp_path, 32, harsh="photocopy")
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert record["signer_name"] == truth["signer_name"] == "Đỗ Hữu Dũng"
    # the stage is what finds it: without the clearing and its re-reads the name is lost
    _, record = process_file(path, dataclasses.replace(Settings(), clear_line_art=False))
    assert record["signer_name"] is None
