"""Diacritic restoration with a syllable trigram model (phục hồi dấu tiếng Việt).

Each syllable's candidates are the vocabulary syllables that fold to the same base letters
(``tong`` → tông, tổng, tống, tòng ...). A second-order Viterbi search picks the sequence
that maximises  log P_lm(syllables) + log P(observed | syllable):

- observed without any mark (stripped text): every candidate equally likely;
- observed with marks: the observed spelling is strongly preferred (OCR is usually right),
  another spelling must win on context (``nhân dần`` → ``nhân dân``).

The model (pipeline/data/syllable_lm.*, built by scripts/train_lm.py) is memory-mapped on
first use; lines are decoded in batches by pipeline/language/decoder.py (about 30k syllables/s on
one core). Tokens that are not Vietnamese syllables (numbers, codes, punctuation) split the
line into independent segments and are never changed.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from pipeline.core.restore import repair_code, repair_date_slashes
from pipeline.core.syllables import BOUNDARY, MARKED_LETTERS, fold, is_vietnamese_letters
from pipeline.core.validator import is_valid_syllable
from pipeline.language.decoder import decode_batch

MODEL = Path(__file__).parents[1] / "data" / "syllable_lm"
CONFUSIONS = Path(__file__).parents[1] / "data" / "ocr_confusions.json"
PHRASES = Path(__file__).parents[1] / "data" / "phrases.txt"  # scripts/build_phrases.py
PHRASE_BONUS = math.log(10.0)  # tuned: seeds right, held-out accuracy unchanged
GARBLED = math.log(0.05)  # a token that is no syllable was garbled by OCR
MAX_CANDIDATES = 6
BACKOFF = math.log(0.4)
KEEP_OBSERVED = math.log(0.95)
CHANGE_OBSERVED = math.log(0.002)
NEAR_MISS = 0.02  # substitutions at least this likely make candidates of legal tokens
MARKS = MARKED_LETTERS
BATCH = 400  # segments decoded together: bounds the (triples, K, K, K) tables in memory
WIDTHS = (6, 8)  # candidates kept per token: clean segments, segments with garbled tokens


class SyllableModel:
    def __init__(self, base: Path = MODEL) -> None:
        meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        self.vocab: list[str] = meta["vocab"]
        self.size = len(self.vocab)
        self.ids = {s: i for i, s in enumerate(self.vocab)}
        raw = np.memmap(base.with_suffix(".bin"), dtype=np.uint8, mode="r")
        arrays = {}
        for name, spec in meta["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            arrays[name] = np.frombuffer(raw, dtype=dtype, count=spec["length"],
                                         offset=spec["offset"])
        self.unigram = arrays["unigram"].astype(np.float64)
        self.total = float(self.unigram.sum())
        self.bi_keys, self.bi_counts = arrays["bigram_keys"], arrays["bigram_counts"]
        self.tri_keys, self.tri_counts = arrays["trigram_keys"], arrays["trigram_counts"]
        self.log_unigram = np.log((self.unigram + 0.5) / (self.total + 0.5 * self.size))
        groups: dict[str, list[int]] = {}
        for i, syllable in enumerate(self.vocab[1:], start=1):
            # candidates are legal syllables only: the corpus also holds glued words
            # (côngtác), acronyms and foreign words, which must never be proposed
            if is_valid_syllable(syllable):
                groups.setdefault(fold(syllable), []).append(i)
        self.by_fold = {
            key: np.array(sorted(ids, key=lambda i: -self.unigram[i])[:MAX_CANDIDATES])
            for key, ids in groups.items()
        }
        # asked twice per unknown token (is it glued? then its candidates): search once
        self._garbled = lru_cache(maxsize=8192)(self._garbled)
        self.candidates = lru_cache(maxsize=65536)(self.candidates)  # words recur

    @staticmethod
    def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray) -> np.ndarray:
        # unique() sorts and dedups the queries: ascending searches stay in cache
        uniq, inverse = np.unique(query, return_inverse=True)
        pos = np.minimum(np.searchsorted(keys, uniq), len(keys) - 1)
        found = np.where(keys[pos] == uniq, counts[pos], 0).astype(np.float64)
        return found[inverse]

    @property
    def phrase_pairs(self) -> np.ndarray:
        """Sorted keys (b × V + c) of consecutive syllables in the domain lexicon."""
        if not hasattr(self, "_phrase_pairs"):
            keys = set()
            for phrase in PHRASES.read_text(encoding="utf-8").splitlines():
                ids = [self.ids.get(s) for s in phrase.split()]
                keys.update(a * self.size + b for a, b in zip(ids, ids[1:], strict=False)
                            if a is not None and b is not None)
            self._phrase_pairs = np.array(sorted(keys), dtype=np.uint64)
        return self._phrase_pairs

    def candidates(self, token: str, frozen: bool = False, trust_plain: bool = False
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Candidate ids and their observation log-probabilities for one lower-case token;
        a frozen token (a proper name OCR wrote with marks) keeps its spelling. On a line
        OCR wrote with marks (``trust_plain``), an unmarked legal syllable (an, công an) is
        as trustworthy as a marked one."""
        ids = self.by_fold.get(fold(token))
        if ids is None:
            return self._garbled(token) if not frozen else (np.array([], np.int64), np.array([]))
        observed = self.ids.get(token)
        if frozen:  # unknown to the model or not, a name keeps its spelling
            return (np.array([observed]), np.zeros(1)) if observed is not None else \
                (np.array([], dtype=np.int64), np.array([]))
        # no marks, or marks no syllable can carry (validator): nothing to keep
        plain = not any(c in MARKS for c in token) and not trust_plain
        stripped = plain or not is_valid_syllable(token)
        if stripped:
            scores = np.zeros(len(ids))
        else:
            scores = np.where(ids == observed, KEEP_OBSERVED, CHANGE_OBSERVED)
        if observed is not None and observed not in ids:
            ids = np.append(ids, observed)
            scores = np.append(scores, 0.0 if stripped else KEEP_OBSERVED)
        if plain:  # OCR without marks also swaps letters: "thue hién" is "thực hiện"
            near_ids, near_scores = self._near_misses(token)
            keep = ~np.isin(near_ids, ids)
            ids = np.append(ids, near_ids[keep])
            scores = np.append(scores, near_scores[keep])
        return ids, scores

    def _near_misses(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """Syllables one learned OCR substitution away from a legal-looking token."""
        found: dict[int, float] = {}
        for k, char in enumerate(token):
            for target, p in confusions().get(char, {}).items():
                if target in ("", char) or p < NEAR_MISS:
                    continue
                for i in self.by_fold.get(fold(token[:k] + target + token[k + 1 :]), [])[:2]:
                    found[int(i)] = max(found.get(int(i), -np.inf), math.log(p))
        return np.array(list(found), dtype=np.int64), np.array(list(found.values()))

    def _garbled(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """An OCR token that is no syllable (``c6ng``, ``chirc``): undo the learned
        English-model edits, best few first, and keep the results that fold to syllables."""
        beams = [("", 0.0)]
        for char in token:
            options = confusions().get(char, {char: 1.0})
            beams = sorted(
                ((text + target, score + math.log(p)) for text, score in beams
                 for target, p in options.items() if p >= 0.003),
                key=lambda b: -b[1],
            )[:40]
        found: dict[int, float] = {}
        for text, score in beams:
            for i in self.by_fold.get(fold(text), [])[:3]:
                found[int(i)] = max(found.get(int(i), -np.inf), score + GARBLED)
        if not found:
            return np.array([], dtype=np.int64), np.array([])
        return np.array(list(found)), np.array(list(found.values()))

    def decode_many(self, runs: list[tuple[list[str], list[bool], bool]]) -> list[list[str]]:
        """Restore many runs of lower-case syllables at once; a token without candidates
        splits its run and is kept as it is."""
        out = [list(tokens) for tokens, _, _ in runs]
        segments: list[list[tuple[np.ndarray, np.ndarray]]] = []
        places: list[tuple[int, int]] = []  # (run, first token) of each segment
        for r, (tokens, frozen, trust_plain) in enumerate(runs):
            current: list[tuple[np.ndarray, np.ndarray]] = []
            for i, (token, froze) in enumerate(zip(tokens, frozen, strict=True)):
                ids, scores = self.candidates(token, froze, trust_plain)
                if len(ids) == 0:
                    if current:
                        segments.append(current)
                        places.append((r, i - len(current)))
                    current = []
                    continue
                current.append((ids, scores))
            if current:
                segments.append(current)
                places.append((r, len(tokens) - len(current)))
        # the search costs width³ per position: a segment is decoded wide only when it
        # holds a garbled token (c6ng, thii), whose candidates are many and uncertain; a
        # narrow one keeps each token's likeliest candidates by observation and frequency
        garbled = {t for tokens, _, _ in runs for t in tokens if fold(t) not in self.by_fold}
        needs = [WIDTHS[0] for _ in segments]
        for n, (r, first) in enumerate(places):
            if any(t in garbled for t in runs[r][0][first : first + len(segments[n])]):
                needs[n] = WIDTHS[-1]
        for k, width in enumerate(WIDTHS):
            low = WIDTHS[k - 1] if k else 0
            todo = [n for n, need in enumerate(needs)
                    if low < need <= width or (need > width and width == WIDTHS[-1])]
            for chunk in range(0, len(todo), BATCH):
                batch = todo[chunk : chunk + BATCH]
                paths = decode_batch(self, [segments[n] for n in batch], BACKOFF, width,
                                     PHRASE_BONUS)
                for n, path in zip(batch, paths, strict=True):
                    r, first = places[n]
                    out[r][first : first + len(path)] = [self.vocab[i] for i in path]
        return out


@lru_cache(maxsize=1)
def model() -> SyllableModel:
    return SyllableModel()


# what the learned table rarely sees but the seeds show (€ for ê, Q for ộ, e for c in
# "thue hién", i for ă in "nim 2024")
EXTRA_CONFUSIONS = {"€": {"e": 1.0}, "e": {"c": 0.02}, "i": {"a": 0.03},
                    "q": {"q": 0.5, "o": 0.3, "e": 0.2}, "0": {"o": 1.0}, "4": {"a": 1.0},
                    "&": {"e": 1.0}, "6": {"a": 0.05}, "¢": {"e": 0.1}}
# The English model writes most marked vowels as é (thác → théc, cấp → cép, chốt → chét,
# tướng → tuéng): é may stand for any vowel, at a small cost the language model can outbid.
ANY_VOWEL = {"é": 0.01}


@lru_cache(maxsize=1)
def confusions() -> dict[str, dict[str, float]]:
    """What an OCR character stood for (scripts/train_confusions.py), plus a few symbols."""
    table = json.loads(CONFUSIONS.read_text(encoding="utf-8"))["substitutions"]
    for char, options in EXTRA_CONFUSIONS.items():
        learned = table.setdefault(char, {})
        for target, p in options.items():
            learned.setdefault(target, p)  # the learned figure wins where there is one
    for char, p in ANY_VOWEL.items():
        learned = table.setdefault(char, {})
        for vowel in "aeiouy":
            learned.setdefault(vowel, p)
    return table


def _recase(original: str, restored: str) -> str:
    if original.lower() == restored:
        return original
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return restored.upper()
    if original[:1].isupper():
        return restored[:1].upper() + restored[1:]
    return restored


def _is_name(token: str, first: bool, marked_line: bool) -> bool:
    """A capitalised syllable inside a run, on a line OCR wrote with marks: part of a name
    (Đào Thanh Vũ), which the model knows too little about to correct."""
    return (not first and token[:1].isupper() and not token.isupper()
            and (marked_line or any(c in MARKS for c in token.lower())))


SPACE_RE = regex.compile(r"(\s+)")
GLUED_YEAR = regex.compile(r"^(\p{L}{2,})((?:19|20)\d\d)$")
EDGE_PUNCT = "\"'“”‘’()[],.;:!?-"  # inner hyphens (QĐ-UBND) stay in the core


@lru_cache(maxsize=65536)
def _kind(core: str) -> str:
    """'syllable', 'garbled' (letters mixed with OCR digits/symbols) or 'other'."""
    if not core or not any(c.isalpha() for c in core) or "@" in core or "." in core:
        return "other"  # numbers, e-mail addresses, web addresses: never changed
    low = core.lower()
    if is_vietnamese_letters(low):
        if core.isupper() and len(core) > 1 and fold(low) not in model().by_fold:
            return "other"  # an acronym: TTHC, UBND
        return "syllable"
    if len(core) <= 7 and not any(c in "/-_" for c in core) and not core[:1].isdigit():
        return "garbled"
    return "other"


MAX_SYLLABLE = 7  # letters in the longest Vietnamese syllable (nghiêng)


@lru_cache(maxsize=65536)
def _split_glued(core: str) -> tuple[str, ...]:
    """``Vănhóa`` → [``Văn``, ``hóa``]: OCR dropped the spaces between syllables. Split
    only a token no legal syllable folds to, into legal and known syllables."""
    low = core.lower()
    if len(core) < 3:  # two one-letter syllables glued is rarer than OCR junk ("Yo" for %)
        return (core,)
    if is_valid_syllable(low) or not low.isalpha() or (core.isupper() and len(core) <= 6):
        return (core,)
    if fold(low) in model().by_fold or len(model()._garbled(low)[0]):
        return (core,)  # one syllable, marks wrong or missing (kiem) or OCR-garbled (ngodi)
    # the likeliest split into legal, known syllables (bộphậnmộtcửa → bộ phận một cửa,
    # cônganxã → công an xã, not cô ngan xã): each piece scored by how often the corpus
    # writes it, a piece spelt with marks the corpus never wrote scored as a rare one
    lm = model()
    best: list[tuple[float, tuple[int, ...]] | None] = [(0.0, ())] + [None] * len(low)
    for end in range(1, len(low) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            piece = low[start:end]
            if best[start] is None or not is_valid_syllable(piece) or \
                    fold(piece) not in lm.by_fold:
                continue
            known = lm.ids.get(piece)
            score = best[start][0] + (lm.log_unigram[known] if known is not None
                                      else lm.log_unigram[lm.by_fold[fold(piece)][0]] - 6.0)
            if best[end] is None or score > best[end][0]:
                best[end] = (score, (*best[start][1], end))
    found = best[len(low)]
    if found is None or len(found[1]) < 2:
        return (core,)
    bounds = (0, *found[1])
    return tuple(core[a:b] for a, b in zip(bounds, bounds[1:], strict=False))


SHORT_LINE = 5  # words: fewer say too little about whether OCR kept the marks


def _marked(text: str, context: bool | None) -> bool:
    """Did OCR keep this line's marks? A short line (a signer's name, ``Lê Trung Chinh``,
    is two thirds unmarked) takes the answer of its page when there is one."""
    if context is not None and len([w for w in regex.findall(r"\p{L}+", text)
                                    if len(w) > 1]) < SHORT_LINE:
        return context
    return stripped_share(text) <= 0.5


# "Tỷ lệ" opens every indicator; the English model writes it "Ti 19", "Ty 1é", "Tj l¢": the
# digit-looking "lệ" would split the run and leave "Ti" alone to become "Từ"
TY_RE = regex.compile(r"^T[iyjỳýìí]['’]?$")
LE_RE = regex.compile(r"^[1lI|][9éeêèé¢€QqE]$")


def _repair_ty_le(parts: list[str]) -> list[str]:
    words = [i for i, p in enumerate(parts) if p and not p.isspace()]
    out = list(parts)
    for a, b in zip(words, words[1:], strict=False):
        if TY_RE.match(parts[a]) and LE_RE.match(parts[b]):
            out[a], out[b] = "Tỷ", "lệ"
    return out


def restore_many(lines: list[list[str]], page_marked: bool | None = None) -> list[list[str]]:
    """Restore many lines, each given as its parts (words and the whitespace between them),
    decoded together (pipeline/language/decoder.py); each word comes back as one string, two
    syllables if it was glued (``Văn hóa``). ``page_marked`` tells short lines whether
    the page around them kept its marks."""
    runs: list[tuple[int, list[tuple[int, str, str, str]], list[bool], bool]] = []
    dates: dict[tuple[int, int], str] = {}  # (line, part) → a repaired date or code
    lines = [_repair_ty_le(parts) for parts in lines]
    for n, parts in enumerate(lines):
        marked = _marked(" ".join(parts), page_marked)
        run: list[tuple[int, str, str, str]] = []  # (part index, head punct, core, tail punct)

        def flush(n: int = n, run: list = run, marked: bool = marked) -> None:
            if run:
                frozen = [_is_name(core, k == 0, marked) for k, (_, _, core, _) in enumerate(run)]
                runs.append((n, list(run), frozen, marked))
                run.clear()

        for i, part in enumerate(parts):
            if not part or part.isspace():
                continue
            core = part.strip(EDGE_PUNCT)
            start = part.find(core) if core else 0
            head, tail = part[:start], part[start + len(core) :]
            glued = GLUED_YEAR.match(core)
            if glued:  # "nim2024": OCR dropped the space before the year
                core, tail = glued.group(1), " " + glued.group(2) + tail
            if _kind(core) == "other":
                flush()
                fixed = repair_code(repair_date_slashes(core))
                if fixed != core:
                    dates[(n, i)] = head + fixed + tail
                continue
            if head:
                flush()
            pieces = _split_glued(core) if _kind(core) == "syllable" else [core]
            for k, piece in enumerate(pieces):
                run.append((i, head if k == 0 else "", piece, tail if k == len(pieces) - 1 else ""))
            if tail:
                flush()
        flush()
    decoded = model().decode_many(
        [([core.lower() for _, _, core, _ in run], frozen, marked) for _, run, frozen, marked in runs]
    )
    done: list[dict[int, list[str]]] = [{} for _ in lines]
    for (n, run, _, _), words in zip(runs, decoded, strict=True):
        for (i, head, core, tail), word in zip(run, words, strict=True):
            done[n].setdefault(i, []).append(head + _recase(core, word) + tail)
    return [
        [" ".join(done[n][i]) if i in done[n] else dates.get((n, i), part)
         for i, part in enumerate(parts)]
        for n, parts in enumerate(lines)
    ]


def restore_parts(parts: list[str]) -> list[str]:
    return restore_many([parts])[0]


def restore_lines(lines: list[str]) -> list[str]:
    """Restore the diacritics of many lines at once; numbers, codes and punctuation stay."""
    return ["".join(parts) for parts in restore_many([SPACE_RE.split(line) for line in lines])]


def restore_line(line: str) -> str:
    """Restore the diacritics of one line; numbers, codes and punctuation stay."""
    return restore_lines([line])[0]


def text_quality(text: str) -> float:
    """How far text without OCR confidences can be trusted, 0-1: the share of its words
    that are Vietnamese syllables, acronyms or numbers (an English model's ``c6ng``,
    ``Ti€n``, ``VIPT`` are not), lowered when its marks were stripped and restoration must
    guess them (a given name's tone cannot be known: Lan or Lân)."""
    tokens = regex.findall(r"[\p{L}\d€!|@]+", text)
    if not tokens:
        return 0.0
    good = sum(1 for t in tokens if t.isdigit() or (t.isupper() and t.isalpha() and len(t) <= 8)
               or is_valid_syllable(t.lower()))
    share = good / len(tokens)
    return share * (0.8 if stripped_share(text) > 0.5 else 1.0)


def stripped_share(line: str) -> float:
    """Share of syllables without any mark; Vietnamese prose has about 15%."""
    words = [w.lower() for w in regex.findall(r"\p{L}+", line) if len(w) > 1]
    if not words:
        return 0.0
    return sum(1 for w in words if not any(c in MARKS for c in w)) / len(words)


def _lost_marks(line: str, context: bool | None = None) -> bool:
    return len(regex.findall(r"\p{L}+", line)) >= 2 and not _marked(line, context)


def restore_text_line(line: str) -> str:
    """For already-OCR'd text: restore lines that lost their marks, leave the others."""
    return restore_text_lines([line])[0]


def restore_text_lines(lines: list[str]) -> list[str]:
    """``restore_text_line`` for many lines, decoded together. Consecutive lines that lost
    their marks are decoded as one run, so a phrase wrapped over two lines keeps its
    context (``một`` / ``cửa``)."""
    groups: list[list[int]] = []
    text_marked = stripped_share("\n".join(lines)) <= 0.5
    for i, line in enumerate(lines):
        if not _lost_marks(line, text_marked):
            continue
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    out = list(lines)
    joined = restore_lines(["\n".join(lines[i] for i in group) for group in groups])
    for group, text in zip(groups, joined, strict=True):
        for i, line in zip(group, text.split("\n"), strict=True):
            out[i] = line
    return out


__all__ = ["BOUNDARY", "model", "restore_line", "restore_lines", "restore_many", "restore_parts",
           "restore_text_line", "restore_text_lines",
           "stripped_share"]
