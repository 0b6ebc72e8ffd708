"""Second OCR pass on handwritten blanks of the printed header template.

Offices print ``Số:      /KH-UBND`` and ``ngày    tháng  năm 2024`` and fill the blanks by pen.
The full-page pass often drops the handwriting or misreads it; here each blank is cropped
and read as one line of digits at two scales (pen digits are larger than print), and the
more confident reading wins.
"""

from __future__ import annotations

import cv2
import numpy as np
import regex

from pipeline import tesseract
from pipeline.document import Box, Line, Page, Region, Word
from pipeline.settings import Settings

DIGITS = "-c tessedit_char_whitelist=0123456789"
SURE = 90.0  # a full-page reading at least this confident is kept
NUMBER_LABEL = regex.compile(r"(?i)^s[ốoóồ6ô]\s*:?")


def read_digits(image: np.ndarray, x0: int, x1: int, line: Line, settings: Settings
                ) -> tuple[str, float]:
    """The digits written between x0 and x1 on ``line``, with Tesseract's confidence."""
    box = line.box
    pad = int(box.height * 0.6)
    y0, y1 = max(0, box.y0 - pad), min(image.shape[0], box.y1 + pad)
    x0, x1 = max(0, x0), min(image.shape[1], x1)
    if x1 - x0 < box.height // 2:
        return "", -1.0
    crop = image[y0:y1, x0:x1]
    best = ("", -1.0)
    for scale in (0.6, 1.0):  # pen digits are larger than print: the smaller scale first
        scaled = crop if scale == 1.0 else cv2.resize(crop, None, fx=scale, fy=scale,
                                                       interpolation=cv2.INTER_AREA)
        padded = np.pad(scaled, 30, constant_values=255)
        words = tesseract.image_to_words(padded, dpi=300, language="eng", psm=7,
                                         extra_config=DIGITS, timeout=settings.page_timeout)
        text = "".join(w.word.text for w in words)
        conf = min((w.word.confidence for w in words), default=-1.0)
        if text and conf > best[1]:
            best = (text, conf)
        if best[1] >= SURE:
            break
    return best


def _replace(line: Line, start: int, stop: int, text: str, conf: float, box: Box) -> None:
    line.words[start:stop] = [Word(text, box, conf)]


def _fill_number(line: Line, image: np.ndarray, settings: Settings) -> None:
    words = line.words
    head = words[0]
    slash_at = next((i for i, w in enumerate(words) if "/" in w.text), None)
    if slash_at is None:
        return
    symbol = words[slash_at]
    before = symbol.text.split("/", 1)[0]
    between = words[1:slash_at]
    current = "".join(w.text for w in between) + before
    current = NUMBER_LABEL.sub("", head.text) + current if head.text[-1:].isdigit() else current
    conf = min((w.confidence for w in between), default=symbol.confidence if before else -1)
    if regex.fullmatch(r"\d+", current) and conf >= SURE:
        return
    cut = symbol.box.x0 + int(symbol.box.width * len(before) / max(1, len(symbol.text)))
    digits, new_conf = read_digits(image, head.box.x1 + 2, cut, line, settings)
    if digits and (new_conf > conf or not regex.fullmatch(r"\d+", current)):
        rest = symbol.text[len(before):]
        head_text = NUMBER_LABEL.match(head.text)
        words[0] = Word(head_text.group(0) if head_text else head.text, head.box, head.confidence)
        _replace(line, 1, slash_at + 1, digits + rest, new_conf, symbol.box)


def _split_glued_month(line: Line) -> None:
    """``/ÿtháng``: the pen day ran into the printed word; separate them by width."""
    for i, word in enumerate(line.words):
        low = word.text.lower()
        if low.endswith("tháng") and len(low) > len("tháng"):
            head = len(word.text) - len("tháng")
            cut = word.box.x0 + int(word.box.width * head / len(word.text))
            line.words[i : i + 1] = [
                Word(word.text[:head], Box(word.box.x0, word.box.y0, cut, word.box.y1), 0.0),
                Word(word.text[head:], Box(cut, word.box.y0, word.box.x1, word.box.y1),
                     word.confidence),
            ]
            return


def _fill_date(line: Line, image: np.ndarray, settings: Settings) -> None:
    _split_glued_month(line)
    texts = [w.text.lower().strip(",.") for w in line.words]
    anchors = [i for i, t in enumerate(texts) if t in ("ngày", "tháng")]
    if len(anchors) != 2 or anchors[1] <= anchors[0]:
        return
    a, b = anchors
    between = line.words[a + 1 : b]
    current = "".join(w.text for w in between)
    conf = min((w.confidence for w in between), default=-1.0)
    if regex.fullmatch(r"\d{1,2}", current) and conf >= SURE:
        return
    digits, new_conf = read_digits(
        image, line.words[a].box.x1 + 2, line.words[b].box.x0 - 2, line, settings
    )
    if digits and len(digits) <= 2 and (new_conf > conf or not current.isdigit()):
        box = between[0].box if between else line.words[a].box
        _replace(line, a + 1, b, digits, new_conf, box)


def fill_blanks(page: Page, image: np.ndarray, settings: Settings) -> None:
    for block in page.blocks:
        for line in block.lines:
            if not line.words:
                continue
            if block.region is Region.HEADER_LEFT and NUMBER_LABEL.match(line.words[0].text):
                _fill_number(line, image, settings)
            elif block.region is Region.HEADER_RIGHT and "tháng" in line.text.lower():
                _fill_date(line, image, settings)
