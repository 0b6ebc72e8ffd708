"""The Tesseract wrapper's own failures said as what they are (issue 21): a scratch folder
with no room for the page image, on a real full tmpfs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image, ImageDraw

from tests.conftest import ROOT


def test_a_full_scratch_folder_is_named_as_the_reason(tmp_path):
    page = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(page).text((100, 100), "UY BAN NHAN DAN TINH " * 3, fill=0)
    scan = tmp_path / "scan.png"
    page.save(scan)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                              str(scratch)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        with open(scratch / "filler", "wb") as filler:  # nearly full, as a busy /tmp is
            filler.write(b"\0" * (256 * 1024 - 16 * 1024))
        run = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(scan),
                              "--no-db"], cwd=ROOT, capture_output=True, text=True,
                             timeout=300, env={**os.environ, "TMPDIR": str(scratch)})
    finally:
        subprocess.run(["umount", str(scratch)], check=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "no room for the page image in the scratch folder" in run.stderr, run.stderr
    assert "set TMPDIR to a disk with room" in run.stderr
    assert "No such file or directory" not in run.stderr
