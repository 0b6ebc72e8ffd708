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

from pipeline import digits, tesseract
from pipeline.document import Box, Line, Page, Region, Word
from pipeline.settings import Settings

DIGITS = "-c tessedit_char_whitelist=0123456789"
SURE = 90.0  # a full-page reading at least this confident is kept
PEN_SURE = 80.0  # the pen-digit reader's least sure digit, in percent, for its reading to count
MAX_DIGITS = 6
NUMBER_LABEL = regex.compile(r"(?i)^s[ốoóồ6ô]\s*:?")


def read_digits(image: np.ndarray, x0: int, x1: int, line: Line, settings: Settings
                ) -> tuple[str, float]:
    """The digits written between x0 and x1 on ``line``, with a confidence of 0-100.

    The pen-digit reader goes first; Tesseract's digit-only reading is the fallback, and
    wins when it is the more confident of the two.
    """
    box = line.box
    pad = int(box.height * 0.6)
    y0, y1 = max(0, box.y0 - pad), min(image.shape[0], box.y1 + pad)
    x0, x1 = max(0, x0), min(image.shape[1], x1)
    if x1 - x0 < box.height // 2:
        return "", -1.0
    crop = image[y0:y1, x0:x1]
    best = digits.read_pen_digits(crop)
    if best[1] >= SURE:
        return best
    if best[1] < PEN_SURE:
        best = ("", -1.0)
    for scale in (0.6, 1.0):  # pen digits are larger than print: the smaller scale first
        scaled = crop if scale == 1.0 else cv2.resize(crop, None, fx=scale, fy=scale,
                                                       interpolation=cv2.INTER_AREA)
        padded = np.pad(scaled, 30, constant_values=255)
        words = tesseract.image_to_words(padded, dpi=300, language="eng", psm=7,
                                         extra_config=DIGITS, timeout=settings.page_timeout)
        text = "".join(w.word.text for w in words)
        conf = min((w.word.confidence for w in words), default=-1.0)
        if text and conf > best[1] and len(text) <= MAX_DIGITS:
            best = (text, conf)
        if best[1] >= SURE:
            break
    return best


def reread_word(image: np.ndarray, word: Word, settings: Settings) -> Word:
    """A printed digit word read once more on its own crop (``2016`` for a faint ``2018``).

    A word Tesseract was unsure of in the full-page pass is usually read right alone, where
    the seal, the pen ink and the neighbouring words no longer disturb the line model.
    """
    box = word.box
    pad = max(4, int(box.height * 0.4))
    crop = image[max(0, box.y0 - pad) : box.y1 + pad, max(0, box.x0 - pad) : box.x1 + pad]
    if crop.size == 0:
        return word
    best = word
    for scale in (0.5, 1.0):
        scaled = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        words = tesseract.image_to_words(np.pad(scaled, 30, constant_values=255), dpi=300,
                                         language="eng", psm=7, extra_config=DIGITS,
                                         timeout=settings.page_timeout)
        if len(words) == 1 and len(words[0].word.text) == len(word.text):
            found = words[0].word
            if found.confidence > best.confidence:
                best = Word(found.text, box, found.confidence)
        if best.confidence >= SURE:
            break
    return best


def _replace(line: Line, start: int, stop: int, text: str, conf: float, box: Box) -> None:
    line.words[start:stop] = [Word(text, box, conf)]


# the printed code after the blank: "/UBND-SGDĐT", "/2020/NĐ-CP" (not a pen "4/635")
CODE_START = regex.compile(r"/(?=\p{Lu}|\d{4}/)")


def _fill_number(line: Line, image: np.ndarray, settings: Settings) -> None:
    words = line.words
    label_at = next((i for i, w in enumerate(words[:4]) if NUMBER_LABEL.match(w.text)), None)
    if label_at is None:
        return
    head = words[label_at]
    code_at = next((i for i in range(label_at, len(words)) if CODE_START.search(words[i].text)), None)
    if code_at is None:
        return
    symbol = words[code_at]
    slash = CODE_START.search(symbol.text).start()
    before = symbol.text[:slash] if code_at > label_at else ""
    between = words[label_at + 1 : code_at]
    label = NUMBER_LABEL.match(head.text).group(0)
    current = head.text[len(label):] + "".join(w.text for w in between) + before
    conf = min((w.confidence for w in between), default=symbol.confidence if before else -1)
    if regex.fullmatch(r"\d+", current) and conf >= SURE:
        return
    if head.text.strip() == label.strip():
        x0 = head.box.x1 + 2
    else:  # "Số:455": the label is about one and a half printed line heights wide
        x0 = head.box.x0 + int(1.5 * symbol.box.height)
    if code_at == label_at:
        return
    cut = symbol.box.x0 if slash == 0 else _slash_x(image, symbol, line, settings)
    digits, new_conf = read_digits(image, x0, cut, line, settings)
    if digits and (new_conf > conf or not regex.fullmatch(r"\d+", current)):
        words[label_at] = Word(label, head.box, head.confidence)
        _replace(line, label_at + 1, code_at + 1, digits + symbol.text[slash:], new_conf, symbol.box)


def _slash_x(image: np.ndarray, symbol: Word, line: Line, settings: Settings) -> int:
    """Where the printed ``/`` of ``2157/QĐ-SYT`` stands: Tesseract's own symbol boxes."""
    box = line.box
    pad = int(box.height * 0.3)
    y0, x0 = max(0, box.y0 - pad), max(0, symbol.box.x0 - pad)
    crop = image[y0 : box.y1 + pad, x0 : symbol.box.x1 + pad]
    chars = tesseract.image_to_chars(np.pad(crop, 20, constant_values=255), dpi=300,
                                     language="eng", timeout=settings.page_timeout)
    slashes = [b for c, b in chars if c == "/"]
    if slashes:
        return x0 + slashes[0].x0 - 20
    # no slash seen: assume pen digits take the share of the word their characters do
    digits = len(symbol.text.split("/", 1)[0])
    return symbol.box.x0 + int(symbol.box.width * digits / max(1, len(symbol.text)))


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
    for i, text in enumerate(texts[b + 1 :], start=b + 1):
        word = line.words[i]
        if text.isdigit() and word.confidence < SURE:  # the printed month or year
            line.words[i] = reread_word(image, word, settings)
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
            # specks of a stamp or a fold may come before "Số:" (X \ Số: 445 /CV-PA83)
            if block.region is Region.HEADER_LEFT and any(
                    NUMBER_LABEL.match(w.text) for w in line.words[:4]):
                _fill_number(line, image, settings)
            elif block.region is Region.HEADER_RIGHT and "tháng" in line.text.lower():
                _fill_date(line, image, settings)
