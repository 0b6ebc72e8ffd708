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

from pipeline.core.document import Box, HandReading, Line, Page, Region, Word
from pipeline.core.restore import PEN_INK
from pipeline.core.settings import Settings
from pipeline.core.syllables import fold
from pipeline.ocr import digits, tesseract

DIGITS = "-c tessedit_char_whitelist=0123456789"
SURE = 90.0  # a full-page reading of clean digits at least this confident is print, not pen
PRINTED_PROBABILITY = 0.97
TYPED = 80.0  # an OCR reading of digits at least this sure may be typed print
NUMBER_LABEL = regex.compile(r"(?i)^\W{0,2}s[ốoóồ6ôỗộổơớờởợ0é]\s*[:;.]?")
# where the printed code starts inside a word: its slash, or a capital opening ``BCA-C04``;
# not a slash before pen ink OCR read as a capital and a symbol no code holds (``2/T§/STTTT``:
# the code is STTTT, ``T§`` is the pen's 75)
CODE_START = regex.compile(rf"[/⁄](?=\d{{4}}[/⁄]|\p{{Lu}}(?!{PEN_INK}[/⁄]))"
                           r"|(?<![\p{L}\d#])(?=\p{Lu}[\p{L}\d]*-[\p{Lu}\d])")
# a code whose slash OCR lost or glued to pen ink ("/2BCA-C04"): its capitals and hyphen
CODE_LETTERS = regex.compile(r"(?=\p{Lu}{2}[\p{L}\d]*-[\p{Lu}\d])")


def _crop(image: np.ndarray, x0: int, x1: int, line: Line, pad_of: int) -> np.ndarray | None:
    pad = int(pad_of * 0.6)
    box = line.box
    y0, y1 = max(0, box.y0 - pad), min(image.shape[0], box.y1 + pad)
    x0, x1 = max(0, x0), min(image.shape[1], x1)
    if x1 - x0 < max(6, pad_of // 3) or y1 <= y0:
        return None
    return image[y0:y1, x0:x1]


OCR_WEIGHT = 0.25  # the full-page Tesseract reading's share when the two readers are mixed


def _read_zone(image: np.ndarray, x0: int, x1: int, line: Line, height: int,
               ocr_text: str = "", ocr_confidence: float = -1.0) -> list[tuple[str, float]]:
    """The pen reader's alternatives for a zone, mixed with what the full-page pass read
    there when that was digits: two independent readers that agree make a surer reading."""
    # the zone's edges are estimates: read it tight, as found and loose, and average, so a
    # reading that holds only for one cut (a slash read as 1 at the edge) loses weight
    step = max(2, int(0.25 * height))
    crops = [_crop(image, x0 + d, x1 - d, line, height) for d in (0, step, -step)]
    crops = [c for c in crops if c is not None]
    if not crops:
        return []
    pen: dict[str, float] = {}
    for crop in crops:
        for r in digits.read(crop):
            pen[r.text] = pen.get(r.text, 0.0) + r.probability / len(crops)
    weight = OCR_WEIGHT
    if regex.fullmatch(r"\d{1,5}", ocr_text) and ocr_confidence >= TYPED and pen and \
            len(max(pen, key=pen.get)) <= len(ocr_text) - 2:
        # Tesseract surely reads more digits than the pen reader sees: typed digits, which
        # the pen reader was taught to read past as print ("2923/CT-STNMT" read "2")
        weight = 0.8
    mixed = {text: (1 - weight) * p for text, p in pen.items()}
    if regex.fullmatch(r"\d{1,5}", ocr_text) and ocr_confidence > 0:
        mixed[ocr_text] = mixed.get(ocr_text, 0.0) + weight * min(1.0, ocr_confidence / 100)
    return sorted(mixed.items(), key=lambda kv: -kv[1])


def reread_word(image: np.ndarray, word: Word, settings: Settings, dpi: int) -> Word:
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
        words = tesseract.image_to_words(np.pad(scaled, 30, constant_values=255),
                                         dpi=int(dpi * scale), language=settings.digits_language,
                                         psm=7, extra_config=DIGITS, timeout=settings.page_timeout)
        if len(words) == 1 and len(words[0].word.text) == len(word.text):
            found = words[0].word
            if found.confidence > best.confidence:
                best = Word(found.text, box, found.confidence)
        if best.confidence >= SURE:
            break
    return best


def _code_x(image: np.ndarray, line: Line, x0: int, word: Word, settings: Settings, dpi: int,
            at: int) -> int:
    """Where the printed code (``BCA-C04``, ``TB-ĐHĐL``) begins after a pen number: the first
    two capitals in a row among Tesseract's symbol boxes of the stretch from ``x0`` to the end
    of the code's word (pen ink is never read as two capitals), else the code's share of
    the word's characters."""
    box = line.box
    pad = int(box.height * 0.3)
    y0, left = max(0, box.y0 - pad), max(0, x0)
    crop = image[y0 : box.y1 + pad, left : word.box.x1 + pad]
    code = regex.sub(r"^[^\p{Lu}\d]+", "", word.text[at:])
    if crop.size and len(code) >= 2:
        chars = tesseract.image_to_chars(np.pad(crop, 20, constant_values=255), dpi=dpi,
                                         language=settings.digits_language,
                                         timeout=settings.page_timeout)
        pairs = list(zip(chars, chars[1:], strict=False))[1:]  # not the label's "SO" left of it
        for (a, box_a), (b, _) in pairs:
            if fold(a).upper() + fold(b).upper() == fold(code[:2]).upper() and \
                    left + box_a.x0 - 20 > x0 + 4:
                return left + box_a.x0 - 20
    # not seen: the printed code takes about 0.6 letter heights a character from the word's
    # end (pen digits before it are wider than print, so the word's share would cut them)
    printed = word.box.x1 - int(len(word.text) - at) * 0.6 * _letter_height(line)
    return int(max(printed, word.box.x0 + word.box.width * at / max(1, len(word.text))))


def _letter_height(line: Line) -> int:
    """The line's middle word height: a printed letter's, whatever pen ink is on the line."""
    heights = sorted(w.box.height for w in line.words)
    return heights[len(heights) // 2]


def _folded(text: str) -> str:
    """Lower case without marks, one character for one, so positions still match ``text``."""
    return "".join(fold(c) or c for c in text.lower())


def _typed_digits(image: np.ndarray, x0: int, x1: int, line: Line, settings: Settings,
                  dpi: int) -> tuple[str, float]:
    """Printed digits of a number zone read on their own (a copier's noise made the
    full-page pass read ``1762/KH`` as ``17/KHUBND`` at 33): Tesseract's digits, sure or
    not; pen ink comes out unsure and the pen reader keeps the say."""
    pad = max(4, int(line.box.height * 0.3))
    crop = image[max(0, line.box.y0 - pad): line.box.y1 + pad, max(0, x0): max(0, x1)]
    if crop.size == 0 or x1 - x0 < line.box.height // 2:
        return "", -1.0
    # no digit whitelist: the zone keeps a piece of ``Số:``, which a whitelist turns into
    # digits and then into a confidence of 0 for the whole line
    words = tesseract.image_to_words(np.pad(crop, 30, constant_values=255), dpi=dpi,
                                     language=settings.digits_language, psm=7,
                                     timeout=settings.page_timeout)
    # the code's slash may come with the digits (``376/``), a piece of the label before
    found = [(m.group(1), w.word.confidence) for w in words
             if (m := regex.fullmatch(r"[^\p{L}\d]*(\d{1,5})[/⁄|]?", w.word.text))]
    if len(found) != 1:
        return "", -1.0
    return found[0]


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
        found = CODE_START.search(words[i].text, pos=start) or CODE_LETTERS.search(
            words[i].text, pos=start)
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
    if regex.fullmatch(r"\d{1,5}", current) and conf >= SURE:
        page.handwritten["number"] = HandReading(
            "number", [(current, PRINTED_PROBABILITY)], line.box, printed=True)
        return
    # the reader was trained with the printed words around a blank: a crop that keeps part
    # of "Số:" or the code's slash is read right, one that cuts a pen digit is not
    # the printed "Số:" is about one and a half letter heights wide (pen ink written close
    # to it widens its word's box, even when OCR reads nothing of the ink)
    width = int(1.5 * _letter_height(line))
    if head.text.strip() == label.strip() and head.box.width <= 1.2 * width:
        x0 = head.box.x1 + 1  # "Số:" alone in its box: the blank follows it
    else:
        x0 = head.box.x0 + int(0.6 * width)
    if code_pos == 0 and code_at > label_at and not before:  # the code's own word
        slash = symbol.text.startswith(("/", "⁄"))
        x1 = symbol.box.x0 + (int(0.5 * symbol.box.width / max(1, len(symbol.text))) if slash else -2)
    else:
        x1 = _code_x(image, line, x0, symbol, settings, page.dpi, code_pos)
    if conf < SURE:  # the full pass was unsure: ask Tesseract for digits on the zone alone
        typed, typed_conf = _typed_digits(image, x0, x1 - 2, line, settings, page.dpi)
        if typed_conf >= TYPED and len(typed) >= len(current):
            current, conf = typed, typed_conf
    readings = _read_zone(image, x0, x1 - 2, line, symbol.box.height, current, conf)
    if not readings:
        return
    zone = Box(x0, line.box.y0, x1, line.box.y1)
    page.handwritten["number"] = HandReading("number", readings, zone)
    best = readings[0][0]
    words[label_at] = Word("Số:", head.box, head.confidence)  # however OCR spelt the label
    tail = symbol.text[code_pos:]
    tail = "/" + tail.lstrip("/⁄;:|") if not tail.startswith("/") else tail
    words[label_at + 1 : code_at + 1] = [Word(best + tail, zone, 100.0 * readings[0][1])]


# the words of the date line, and the spellings OCR leaves of them
ANCHORS = {"ngay": ("ngay", "ngau", "nga", "gay"),
           "thang": ("thang", "hang"),
           "nam": ("nam",)}
PRINTED_CHARS = {"ngay": 4.3, "thang": 5.3, "nam": 3.3}  # widths in printed digit widths


def _find_anchor(words: list[Word], target: str, start: int, char_width: float
                 ) -> tuple[int, int, int] | None:
    """The word at or after ``start`` holding ``target`` (folded, fuzzily, maybe glued to
    pen ink before or after it, or to the next word): (index, x where it starts, x where it
    ends). Inside a glued word the printed word's width is estimated from ``char_width``."""
    span = int(PRINTED_CHARS[target] * char_width)
    for i in range(start, len(words)):
        word = words[i]
        text = _folded(word.text)
        core = regex.sub(r"[^a-z]", "", text)
        if not core:
            continue
        clean = not regex.search(r"[^\p{L}]", word.text.rstrip(",.:;"))
        if word.text[:1].isupper() and core != target:
            continue  # a place name (Ngãi, Ngân): the date's words are in lower case
        if clean and (core == target or (len(core) <= len(target) + 1
                                         and fuzz.ratio(core, target) >= 72)):
            return i, word.box.x0, word.box.x1
        # glued to pen ink read as letters or symbols ("ngày.)", "đ{rháng"): the printed
        # word's own width at the end where its letters are
        for spelling in ANCHORS[target]:
            at = text.find(spelling)
            if at < 0:
                continue
            if spelling != target and target.startswith(spelling) and at == 0 and len(spelling) < 4:
                continue  # "nga" alone at the start could be any word
            if at == 0:
                return i, word.box.x0, word.box.x0 + span
            if at + len(spelling) >= len(text.rstrip(".,:;)")):
                return i, word.box.x1 - span, word.box.x1
            # inside the word: where its first letter would be, by the word's share
            per_char = word.box.width / max(1, len(text))
            left = word.box.x0 + int((at - max(0, target.find(spelling))) * per_char)
            return i, left, left + span
    return None


def _fill_date(page: Page, line: Line, image: np.ndarray, settings: Settings) -> None:
    words = line.words
    year_at = next((i for i, w in enumerate(words)
                    if regex.fullmatch(r"\W*(19|20)\d\d\W*", w.text)), None)
    if year_at is None or year_at < 1:
        return
    char_width = words[year_at].box.width / 4  # the printed year: four digit widths
    nam = _find_anchor(words, "nam", max(0, year_at - 3), char_width)
    if nam is None or nam[0] >= year_at:
        return
    start = max(0, nam[0] - 6)
    ngay = _find_anchor(words, "ngay", start, char_width)
    thang = _find_anchor(words, "thang", ngay[0] if ngay else start, char_width)
    if thang is None or thang[0] > nam[0] or (ngay and ngay[0] > thang[0]) or thang[2] > nam[1]:
        return
    for i in range(thang[0] + 1, len(words)):  # a faint printed month or year, read alone
        if words[i].text.isdigit() and words[i].confidence < SURE:
            words[i] = reread_word(image, words[i], settings, page.dpi)
    height = int(np.median([w.box.height for w in words]))
    zones = {"month": (thang, nam)}
    if ngay is not None and ngay[2] < thang[1]:
        zones["day"] = (ngay, thang)
    for field, (a, b) in zones.items():
        inner = words[a[0] + 1 : b[0]] if b[0] > a[0] else []
        current = "".join(w.text for w in inner)
        conf = min((w.confidence for w in inner), default=-1.0)
        zone = Box(a[2], line.box.y0, b[1], line.box.y1)
        if regex.fullmatch(r"\d{1,2}", current) and conf >= SURE:
            page.handwritten[field] = HandReading(field, [(current, PRINTED_PROBABILITY)], zone,
                                                  printed=True)
            continue
        # a little of the printed words on each side: the reader reads past them
        margin = int(0.3 * char_width)
        readings = _read_zone(image, a[2] - margin, b[1] + margin, line, height, current, conf)
        if readings:
            page.handwritten[field] = HandReading(field, readings, zone)
    _rewrite_date(line, ngay, thang, nam, page.handwritten)


def _rewrite_date(line: Line, ngay, thang, nam, readings: dict[str, HandReading]) -> None:
    """The line's words from ``ngày`` to ``năm`` spelt cleanly with the best readings that fit
    a calendar (day 1-31, month 1-12), so the text extractor reads one clean date."""
    words = line.words
    first = ngay[0] if ngay else thang[0]
    head = words[first]
    new: list[Word] = []
    text = _folded(head.text)
    glued_at = text.find("ng") if ngay else -1
    if glued_at > 0 and text[:glued_at].strip(",. "):  # "Nội,ngày": keep the place
        new.append(Word(head.text[:glued_at], head.box, head.confidence))

    def best(field: str, top: int) -> str | None:
        reading = readings.get(field)
        if reading is None:
            return None
        fits = [t for t, _ in reading.alternatives if t.isdigit() and 1 <= int(t) <= top]
        return fits[0] if fits else None

    def word(text: str, x0: int, x1: int, conf: float) -> Word:
        return Word(text, Box(x0, line.box.y0, x1, line.box.y1), conf)

    day, month = best("day", 31), best("month", 12)
    if ngay is not None:
        new.append(word("ngày", ngay[1], ngay[2], head.confidence))
        if day:
            r = readings["day"]
            new.append(Word(day, r.box, 100.0 * r.alternatives[0][1]))
    new.append(word("tháng", thang[1], thang[2], words[thang[0]].confidence))
    if month:
        r = readings["month"]
        new.append(Word(month, r.box, 100.0 * r.alternatives[0][1]))
    new.append(word("năm", nam[1], nam[2], words[nam[0]].confidence))
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
            elif "month" not in page.handwritten and regex.search(
                    r"n\w{0,2}m\W{0,3}(19|20)\d\d", text) and (
                    block.region is Region.HEADER_RIGHT or (
                        block.region is Region.HEADER_LEFT and regex.search(r"\bnga\w?\b", text))):
                _fill_date(page, line, image, settings)
