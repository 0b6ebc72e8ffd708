"""The signer's title under a seal: read again on its own when the full page lost it."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pipeline.app.run import process_file
from pipeline.core.settings import Settings
from scripts import make_samples


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    """A grey bilevel scan whose seal ring touches the title (GIÁM ĐỐC), freshly rendered."""
    out = tmp_path_factory.mktemp("sealed")
    path = make_samples.make("ct-tnmt", out, seed=2024)
    truth = json.loads(next(out.glob("*.truth.json")).read_text(encoding="utf-8"))
    return path, truth


def test_title_under_a_grey_seal_is_read_again(sealed):
    path, truth = sealed
    _, record = process_file(path, Settings())
    assert record["signer_title"] == truth["signer_title"] == "Giám đốc"
    assert record["signer_name"] == truth["signer_name"]


def test_without_the_second_pass_the_title_is_lost(sealed):
    """The stage is what finds it: the full-page pass alone returns no title."""
    path, _ = sealed
    alone = dataclasses.replace(Settings(), reread_title=False, clear_line_art=False)
    _, record = process_file(path, alone)
    assert record["signer_title"] is None


def test_tm_chinh_phu_under_a_black_seal(shared):
    """vbpl-pline_2.jpg: a black state seal over "TM. CHÍNH PHỦ / THỦ TƯỚNG"."""
    path = shared / "real" / "vbpl-pline_2.jpg"
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    _, record = process_file(path, Settings())
    assert record["signing_authority"] == truth["signing_authority"] == "TM. Chính phủ"
    assert record["signer_title"] == truth["signer_title"] == "Thủ tướng"
