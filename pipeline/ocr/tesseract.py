"""The one place that talks to Tesseract: its own ``subprocess.run`` per call.

Each call runs the ``tesseract`` binary with its own timeout and environment
(OMP_THREAD_LIMIT=1: Tesseract's OpenMP threads fight each other on small machines, 2.3×
slower on 2 cores; parallelism comes from running pages in separate processes), keeps its
stderr for the message, writes its image into this process's scratch folder (removed in
``finally``; what a killed process leaves is swept by the next run, pipeline.core.processes), and
dies with the process that started it (PR_SET_PDEATHSIG), so no tesseract outlives a
killed ingest. Modelled on OCRmyPDF's ``_exec/tesseract.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.core import processes
from pipeline.core.document import Box, Word
from pipeline.core.errors import OcrError, OcrTimeout

BINARY = "tesseract"
TSV_FIELDS = ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf",
              "text")


@dataclass
class OcrWord:
    word: Word
    block: int
    paragraph: int
    line: int


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the process that started it dies."""
    processes.die_with_parent(signal.SIGKILL)


def run(args: list[str], timeout: float) -> str:
    """Tesseract's standard output for ``args``, or an OcrError that says what happened in
    Tesseract's own words (its last stderr line), a timeout as a timeout."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([BINARY, *args], capture_output=True, timeout=timeout, env=env,
                              preexec_fn=_die_with_parent, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(f"tesseract timed out after {timeout:g}s") from exc
    except OSError as exc:
        raise OcrError(f"tesseract could not be started: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        said = [ln for ln in done.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        if done.returncode < 0:
            reason = f"killed by signal {-done.returncode}"
        else:
            reason = said[-1].strip() if said else f"exit status {done.returncode}"
        if len(said) > 1 and "language" in " ".join(said).lower():
            reason = " ".join(ln.strip() for ln in said[:2])  # which language, and why
        raise OcrError(f"tesseract failed: {reason}")
    return done.stdout.decode("utf-8", "replace")


def _on_image(image: np.ndarray, args: list[str], timeout: float) -> str:
    """Run tesseract on an image written (fast PNG) to a scratch file removed afterwards."""
    folder = processes.folder()
    try:
        fd, path = tempfile.mkstemp(suffix=".png", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OcrError(_no_scratch(folder, exc.strerror or str(exc))) from exc
    try:
        # OpenCV says a failed write only by its return value: unchecked, a full TMPDIR
        # came out as "No such file or directory" from what followed
        if not cv2.imwrite(path, image, [cv2.IMWRITE_PNG_COMPRESSION, 1]):
            raise OcrError(_no_scratch(folder, "the page image could not be written"))
        return run([path, "stdout", *args], timeout)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _no_scratch(folder: str, reason: str) -> str:
    free = shutil.disk_usage(folder).free // 2**20 if os.path.isdir(folder) else 0
    return (f"no room for the page image in the scratch folder {folder} ({reason}; "
            f"{free} MB free there: set TMPDIR to a disk with room)")


def version() -> str:
    return run(["--version"], 30).splitlines()[0].split()[-1]


def languages() -> list[str]:
    return [ln.strip() for ln in run(["--list-langs"], 30).splitlines()[1:] if ln.strip()]


def _tsv(text: str) -> dict[str, list]:
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    return {key: [row.get(key) or "" for row in rows] for key in TSV_FIELDS}


def image_to_words(
    image: np.ndarray,
    *,
    dpi: int,
    language: str = "vie",
    psm: int = 3,
    timeout: int = 120,
    extra_config: str = "",
    offset: tuple[int, int] = (0, 0),
) -> list[OcrWord]:
    """Run Tesseract on an image and return its words with boxes, confidences and line ids.

    ``offset`` is added to every box, so a crop can be OCR'd and its words placed back on
    the page.
    """
    args = ["-l", language, "--psm", str(psm), "--dpi", str(dpi), *extra_config.split(), "tsv"]
    data = _tsv(_on_image(image, args, timeout))
    dx, dy = offset
    words: list[OcrWord] = []
    for i, raw in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", raw.strip())
        if not text or data["conf"][i] in ("", "-1"):
            continue
        left, top = int(data["left"][i]) + dx, int(data["top"][i]) + dy
        box = Box(left, top, left + int(data["width"][i]), top + int(data["height"][i]))
        words.append(
            OcrWord(
                word=Word(text=text, box=box, confidence=float(data["conf"][i])),
                block=int(data["block_num"][i]),
                paragraph=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words


def orientation(image: np.ndarray, *, dpi: int, timeout: int = 60
                ) -> tuple[int | None, float]:
    """Degrees (0, 90, 180, 270) Tesseract's orientation detector says the page must be
    turned clockwise to stand upright, with its confidence; (None, 0) when it cannot tell."""
    try:
        said = _on_image(image, ["-l", "osd", "--psm", "0", "--dpi", str(dpi)], timeout)
    except OcrTimeout:
        raise
    except OcrError:
        return None, 0.0  # too few characters to tell
    fields = {key.strip(): value.strip()
              for key, _, value in (line.partition(":") for line in said.splitlines())}
    turn = fields.get("Rotate", "")
    try:
        confidence = float(fields.get("Orientation confidence", "0"))
    except ValueError:
        confidence = 0.0
    return (int(turn) % 360 if turn.isdigit() else None), confidence


def image_to_chars(image: np.ndarray, *, dpi: int, language: str = "vie", psm: int = 7,
                   timeout: int = 60) -> list[tuple[str, Box]]:
    """Tesseract's symbols with their boxes (top-left origin), left to right."""
    said = _on_image(image, ["-l", language, "--psm", str(psm), "--dpi", str(dpi), "makebox"],
                     timeout)
    height = image.shape[0]
    chars = []
    for line in said.splitlines():
        parts = line.rsplit(" ", 5)
        if len(parts) != 6 or not all(p.lstrip("-").isdigit() for p in parts[1:]):
            continue
        char, left, bottom, right, top = parts[0], *map(int, parts[1:5])
        chars.append((char, Box(left, height - top, right, height - bottom)))
    return chars
