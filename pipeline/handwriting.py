"""Handwritten blanks of the printed header template: the số and the date's day and month.

Offices print ``Số:      /KH-UBND`` and ``ngày    tháng  năm 2024`` and a clerk fills the
blanks by pen after signing. The full-page pass drops or garbles that ink (``Số: 3 3#⁄C04``,
``ngàn: đ{rháng (Đ năm``). Here the printed words around each blank are found fuzzily (the
label ``Số``, the code's slash or first capital, ``ngày``/``tháng``/``năm`` however OCR spelt
or glued them), the blank between them is cut out and read by the pen-digit reader, and its
alternatives are kept on the page (``Page.handwritten``) for the extractors to decide with
constraints. The line's words get the best reading so the text reads naturally.
"""

from __future__ import annotations

import cv2
import numpy as np
import regex
from rapidfuzz import fuzz

from pipeline import digits, tesseract
from pipeline.document import Box, HandReading, Line, Page, Region, Word
from pipeline.settings import Settings
from pipeline.syllables import fold

DIGITS = "-c tessedit_char_whitelist=0123456789"
SURE = 90.0  # a full-page reading of clean digits at least this confident is print, not pen
PRINTED_PROBABILITY = 0.97
NUMBER_LABEL = regex.compile(r"(?i)^\W{0,2}s[ốoóồ6ôỗộổơớờởợ0é]\s*[:;.]?")
# where the printed code starts inside a word: its slash, or a capital opening ``BCA-C04``
CODE_START = regex.compile(r"[/⁄](?=\d{4}[/⁄]|\p{Lu})|(?<![\p{L}\d#])(?=\p{Lu}[\p{L}\d]*-[\p{Lu}\d])")


def _crop(image: np.ndarray, x0: int, x1: int, line: Line, pad_of: int) -> np.ndarray | None:
    pad = int(pad_of * 0.6)
    box = line.box
    y0, y1 = max(0, box.y0 - pad), min(image.shape[0], box.y1 + pad)
    x0, x1 = max(0, x0), min(image.shape[1], x1)
    if x1 - x0 < max(6, pad_of // 3) or y1 <= y0:
        return None
    return image[y0:y1, x0:x1]


def _read_zone(image: np.ndarray, x0: int, x1: int, line: Line, height: int) -> list[tuple[str, float]]:
    crop = _crop(image, x0, x1, line, height)
    if crop is None:
        return []
    return [(r.text, r.probability) for r in digits.read(crop)]


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


def _slash_x(image: np.ndarray, symbol: Word, line: Line, settings: Settings, at: int) -> int:
    """Where the printed ``/`` of ``2157/QĐ-SYT`` stands: Tesseract's own symbol boxes,
    else the share of the word its characters before the slash take."""
    box = line.box
    pad = int(box.height * 0.3)
    y0, x0 = max(0, box.y0 - pad), max(0, symbol.box.x0 - pad)
    crop = image[y0 : box.y1 + pad, x0 : symbol.box.x1 + pad]
    if crop.size:
        chars = tesseract.image_to_chars(np.pad(crop, 20, constant_values=255), dpi=300,
                                         language="eng", timeout=settings.page_timeout)
        slashes = [b for c, b in chars if c in "/⁄"]
        if slashes:
            return x0 + slashes[-1].x0 - 20 if len(slashes) == 1 else x0 + slashes[0].x0 - 20
    return symbol.box.x0 + int(symbol.box.width * at / max(1, len(symbol.text)))


def _fill_number(page: Page, line: Line, image: np.ndarray, settings: Settings) -> None:
    words = line.words
    label_at = next((i for i, w in enumerate(words[:4]) if NUMBER_LABEL.match(w.text)), None)
    if label_at is None:
        return
    head = words[label_at]
    label = NUMBER_LABEL.match(head.text).group(0)
    code_at = code_pos = None
    for i in range(label_at, len(words)):
        start = len(label) if i == label_at else 0
        found = CODE_START.search(words[i].text, pos=start)
        if found:
            code_at, code_pos = i, found.start()
            break
    if code_at is None:
        return
    symbol = words[code_at]
    before = symbol.text[:code_pos] if code_at > label_at else symbol.text[len(label):code_pos]
    between = words[label_at + 1 : code_at] if code_at > label_at else []
    glued = head.text[len(label):] if code_at > label_at else ""
    current = glued + "".join(w.text for w in between) + before
    conf = min((w.confidence for w in between), default=symbol.confidence if before else -1)
    printed_height = symbol.box.height
    if regex.fullmatch(r"\d{1,5}", current) and conf >= SURE:
        page.handwritten["number"] = HandReading(
            "number", [(current, PRINTED_PROBABILITY)], line.box, printed=True)
        return
    char_width = symbol.box.width / max(1, len(symbol.text))
    if head.text.strip() == label.strip():
        x0 = head.box.x1 + 2
    else:  # "Só:s#2ƒ": the label glued to the pen digits; the label is about 3 printed chars
        x0 = head.box.x0 + int(max(3.2 * char_width, 1.2 * printed_height))
    if code_pos == 0:
        x1 = symbol.box.x0 - 1
    else:
        x1 = _slash_x(image, symbol, line, settings, code_pos)
    readings = _read_zone(image, x0, x1 - 2, line, printed_height)
    if not readings:
        return
    zone = Box(x0, line.box.y0, x1, line.box.y1)
    page.handwritten["number"] = HandReading("number", readings, zone)
    best = readings[0][0]
    words[label_at] = Word(label.strip(), head.box, head.confidence)
    tail = symbol.text[code_pos:]
    if not tail.startswith(("/", "⁄")):
        tail = "/" + tail
    words[label_at + 1 : code_at + 1] = [Word(best + tail.replace("⁄", "/"), zone,
                                              100.0 * readings[0][1])]


def _find_anchor(words: list[Word], target: str, start: int) -> tuple[int, int, int] | None:
    """The word at or after ``start`` that is ``target`` (folded, fuzzily, maybe glued to
    pen ink before or after it): (index, x where the anchor starts, x where it ends)."""
    for i in range(start, len(words)):
        word = words[i]
        core = fold(regex.sub(r"[^\p{L}]", "", word.text)).lower()
        if not core:
            continue
        per_char = word.box.width / max(1, len(word.text))
        if core == target or (len(core) <= len(target) + 1 and fuzz.ratio(core, target) >= 72):
            return i, word.box.x0, word.box.x1
        tail = target[1:] if len(target) > 3 else target
        if len(core) > len(target) and (core.endswith(target) or core.endswith(tail)):
            x0 = word.box.x1 - int(per_char * (len(target) + 1))  # ink before: "đ{rháng"
            return i, x0, word.box.x1
        if len(core) > len(target) and core.startswith(target):
            x1 = word.box.x0 + int(per_char * (len(target) + 1))  # ink after: "ngày31"
            return i, word.box.x0, x1
    return None


def _fill_date(page: Page, line: Line, image: np.ndarray, settings: Settings) -> None:
    words = line.words
    year_at = next((i for i, w in enumerate(words) if regex.fullmatch(r"\W*(19|20)\d\d\W*", w.text)), None)
    if year_at is None or year_at < 2:
        return
    nam = _find_anchor(words, "nam", max(0, year_at - 2))
    if nam is None or nam[0] >= year_at:
        return
    start = max(0, nam[0] - 6)
    ngay = _find_anchor(words, "ngay", start)
    thang = _find_anchor(words, "thang", (ngay[0] + 1) if ngay else start)
    if thang is None or thang[0] >= nam[0] or (ngay and ngay[0] >= thang[0]):
        return
    for i in range(thang[0] + 1, len(words)):  # a faint printed year read once more alone
        if words[i].text.isdigit() and words[i].confidence < SURE and i >= nam[0]:
            words[i] = reread_word(image, words[i], settings)
    height = int(np.median([w.box.height for w in words]))
    zones = {"month": (thang[0], thang[2], nam[0], nam[1])}
    if ngay is not None:
        zones["day"] = (ngay[0], ngay[2], thang[0], thang[1])
    for field, (a, x0, b, x1) in zones.items():
        inner = words[a + 1 : b]
        current = "".join(w.text for w in inner)
        conf = min((w.confidence for w in inner), default=-1.0)
        zone = Box(x0, line.box.y0, x1, line.box.y1)
        if regex.fullmatch(r"\d{1,2}", current) and conf >= SURE:
            page.handwritten[field] = HandReading(field, [(current, PRINTED_PROBABILITY)], zone,
                                                  printed=True)
            continue
        readings = _read_zone(image, x0 + 2, x1 - 2, line, height)
        if readings:
            page.handwritten[field] = HandReading(field, readings, zone)
    _rewrite_date(line, ngay, thang, nam, page.handwritten)


def _rewrite_date(line: Line, ngay, thang, nam, readings: dict[str, HandReading]) -> None:
    """The line's words from ``ngày`` to ``năm`` spelt cleanly with the best readings that fit
    a calendar (day 1-31, month 1-12), so the text extractor reads one clean date."""
    words = line.words
    first = ngay[0] if ngay else thang[0]
    head = words[first]
    prefix = ""
    core = head.text
    if ngay is not None:  # "Nội,ngày": keep what was glued before the anchor
        found = regex.search(r"(?i)[nñ]?g\S*$", core)
        if found and found.start() > 0 and not regex.sub(r"[^\p{L}]", "", core).lower().startswith("ng"):
            prefix = core[: found.start()]
    new: list[Word] = []
    if prefix:
        new.append(Word(prefix, head.box, head.confidence))

    def best(field: str, top: int) -> str | None:
        reading = readings.get(field)
        if reading is None:
            return None
        fits = [t for t, _ in reading.alternatives if t.isdigit() and 1 <= int(t) <= top]
        return fits[0] if fits else None

    day, month = best("day", 31), best("month", 12)
    if ngay is not None:
        new.append(Word("ngày", Box(ngay[1], head.box.y0, ngay[2], head.box.y1), head.confidence))
        if day:
            r = readings["day"]
            new.append(Word(day, r.box, 100.0 * r.alternatives[0][1]))
    new.append(Word("tháng", Box(thang[1], line.box.y0, thang[2], line.box.y1),
                    words[thang[0]].confidence))
    if month:
        r = readings["month"]
        new.append(Word(month, r.box, 100.0 * r.alternatives[0][1]))
    new.append(Word("năm", Box(nam[1], line.box.y0, nam[2], line.box.y1), words[nam[0]].confidence))
    words[first : nam[0] + 1] = new


def fill_blanks(page: Page, image: np.ndarray, settings: Settings) -> None:
    for block in page.blocks:
        for line in block.lines:
            if not line.words:
                continue
            text = fold(line.text).lower()
            # specks of a stamp or a fold may come before "Số:" (X \ Số: 445 /CV-PA83)
            if "number" not in page.handwritten and block.region is Region.HEADER_LEFT and any(
                    NUMBER_LABEL.match(w.text) for w in line.words[:4]):
                _fill_number(page, line, image, settings)
            elif "month" not in page.handwritten and block.region in (
                    Region.HEADER_RIGHT, Region.HEADER_LEFT) and regex.search(
                    r"n\w{0,2}m\W{0,3}(19|20)\d\d", text):
                _fill_date(page, line, image, settings)
