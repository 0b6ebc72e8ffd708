"""The per-file limits themselves: a real timer ends a real tesseract, a real allocation past
the cap fails in this process alone, and both are undone afterwards."""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import numpy as np
import pytest

from pipeline.core import limits
from pipeline.ocr import tesseract
from tests.conftest import ROOT


def test_the_budget_ends_a_tesseract_call_and_is_disarmed_after():
    noise = (np.random.default_rng(0).random((3000, 3000)) > 0.5).astype(np.uint8) * 255
    started = time.monotonic()
    with pytest.raises(limits.FileTimeout, match="longer than 0.5 s"):
        with limits.file_budget(0.5):
            tesseract.image_to_words(noise, language="vie", dpi=300, psm=3, timeout=120)
    assert time.monotonic() - started < 5
    time.sleep(0.7)  # no timer left to fire after the block


def test_a_timeout_is_not_taken_for_a_page_failure():
    # the stages' page handlers catch Exception; the budget must pass through them
    assert not issubclass(limits.FileTimeout, Exception)


CAPPED = """
import resource, numpy as np
from pipeline.core import limits
before = resource.getrlimit(resource.RLIMIT_AS)
with limits.memory_cap(64):
    try:
        np.ones((512, 1024, 1024), dtype=np.uint8)  # 512 MB
        print("allocated")
    except MemoryError:
        print("refused")
    small = np.ones((1024, 1024), dtype=np.uint8)  # 1 MB still fits
print(resource.getrlimit(resource.RLIMIT_AS) == before, int(small.sum()),
      int(np.ones((512, 1024, 1024), dtype=np.uint8)[0, 0, 0]))
"""


def test_the_memory_cap_fails_a_large_allocation_and_is_lifted_after():
    # in a fresh process: a long test run's own freed heap could hold 512 MB without a
    # new mapping, which RLIMIT_AS would never see (a worker starts fresh too)
    run = subprocess.run([sys.executable, "-c", CAPPED], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["refused", "True", str(1024 * 1024), "1"]


def test_no_limit_when_zero():
    before = resource.getrlimit(resource.RLIMIT_AS)
    with limits.memory_cap(0), limits.file_budget(0):
        assert resource.getrlimit(resource.RLIMIT_AS) == before
