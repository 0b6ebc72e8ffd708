"""The one place that talks to Tesseract (through pytesseract).

OMP_THREAD_LIMIT=1 because Tesseract's OpenMP threads fight each other on small machines
(2.3× slower on 2 cores); parallelism comes from running pages in separate processes.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract

from pipeline.document import Box, Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class OcrError(RuntimeError):
    """Tesseract failed or timed out on a page."""


@dataclass
class OcrWord:
    word: Word
    block: int
    paragraph: int
    line: int


def version() -> str:
    return str(pytesseract.get_tesseract_version())


def languages() -> list[str]:
    return pytesseract.get_languages(config="")


def _run(path: str, language: str, config: str, timeout: int) -> dict:
    try:
        return pytesseract.image_to_data(
            path, lang=language, config=config, output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except pytesseract.TesseractError as exc:  # a RuntimeError too: caught first
        raise OcrError(f"tesseract failed: {exc.message or exc}") from exc
    except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on timeout
        raise OcrError(f"tesseract timed out after {timeout}s") from exc
    except (subprocess.SubprocessError, OSError) as exc:
        raise OcrError(f"tesseract failed: {exc}") from exc


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
    config = f"--psm {psm} --dpi {dpi} {extra_config}".strip()
    # pytesseract would re-encode through PIL at full PNG compression (0.1 s a page);
    # OpenCV's fastest PNG level costs a third of that.
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        cv2.imwrite(tmp.name, image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        data = _run(tmp.name, language, config, timeout)
    dx, dy = offset
    words: list[OcrWord] = []
    for i, raw in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", raw.strip())
        if not text:
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


def orientation(image: np.ndarray, *, dpi: int, timeout: int = 60) -> int | None:
    """Degrees (0, 90, 180, 270) Tesseract's orientation detector says the page must be
    turned clockwise to stand upright, or None when it cannot tell."""
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        cv2.imwrite(tmp.name, image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        try:
            found = pytesseract.image_to_osd(tmp.name, config=f"--psm 0 --dpi {dpi}",
                                             output_type=pytesseract.Output.DICT,
                                             timeout=timeout)
        except RuntimeError as exc:  # TesseractError (too few characters) is one too
            if isinstance(exc, pytesseract.TesseractError):
                return None
            raise OcrError(f"tesseract timed out after {timeout}s") from exc
        except (subprocess.SubprocessError, OSError) as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
    return int(found.get("rotate", 0)) % 360


def image_to_chars(image: np.ndarray, *, dpi: int, language: str = "vie", psm: int = 7,
                   timeout: int = 60) -> list[tuple[str, Box]]:
    """Tesseract's symbols with their boxes (top-left origin), left to right."""
    with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
        cv2.imwrite(tmp.name, image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        try:
            data = pytesseract.image_to_boxes(
                tmp.name, lang=language, config=f"--psm {psm} --dpi {dpi}",
                output_type=pytesseract.Output.DICT, timeout=timeout,
            )
        except RuntimeError as exc:
            raise OcrError(f"tesseract timed out after {timeout}s") from exc
        except (pytesseract.TesseractError, subprocess.SubprocessError, OSError) as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
    height = image.shape[0]
    return [
        (char, Box(int(left), height - int(top), int(right), height - int(bottom)))
        for char, left, top, right, bottom in zip(
            data.get("char", []), data.get("left", []), data.get("top", []),
            data.get("right", []), data.get("bottom", []), strict=False,
        )
    ]
