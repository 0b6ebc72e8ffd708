"""The decoder alone, on a vocabulary of five syllables whose counts are written here: what
it chooses follows from the counts and the observations, without the shipped model."""

from __future__ import annotations

import numpy as np

from pipeline.language.decoder import decode_batch
from pipeline.language.diacritics import SyllableModel

BOUNDARY, MOT, MOT_GARBLED, CUA, CUA_GARBLED = range(5)  # một, mọt, cửa, cưa


class TinyModel:
    """Counts of a toy corpus where "một cửa" is common and "mọt cưa" rare."""

    _lookup = staticmethod(SyllableModel._lookup)  # the real sorted look-up

    def __init__(self, bigrams: dict[tuple[int, int], int]) -> None:
        self.size = 5
        self.unigram = np.array([100, 40, 40, 40, 40], dtype=np.float64)
        self.log_unigram = np.log(self.unigram / self.unigram.sum())
        keys = {a * self.size + b: n for (a, b), n in bigrams.items()}
        self.bi_keys = np.array(sorted(keys), dtype=np.uint64)
        self.bi_counts = np.array([keys[k] for k in sorted(keys)], dtype=np.float64)
        # one trigram, as every real model has some: <s> một cửa
        self.tri_keys = np.array([(BOUNDARY * 5 + MOT) * 5 + CUA], dtype=np.uint64)
        self.tri_counts = np.array([20.0])
        self.phrase_pairs = np.array([], dtype=np.uint64)


def _two(obs_first: tuple[float, float]) -> list:
    return [(np.array([MOT, MOT_GARBLED]), np.array(obs_first)),
            (np.array([CUA, CUA_GARBLED]), np.array([0.0, 0.0]))]


def test_context_decides_between_equally_likely_readings():
    model = TinyModel({(BOUNDARY, MOT): 30, (MOT, CUA): 35, (CUA, BOUNDARY): 30,
                       (BOUNDARY, MOT_GARBLED): 1, (MOT_GARBLED, CUA_GARBLED): 1,
                       (CUA_GARBLED, BOUNDARY): 1})
    assert decode_batch(model, [_two((0.0, 0.0))], backoff=np.log(0.4)) == [[MOT, CUA]]


def test_a_clear_observation_outweighs_a_weak_context():
    model = TinyModel({(MOT, CUA): 2, (MOT_GARBLED, CUA_GARBLED): 1})
    # the reader is sure of the second reading of the first syllable
    assert decode_batch(model, [_two((-12.0, 0.0))], backoff=np.log(0.4))[0][0] == MOT_GARBLED


def test_segments_of_different_lengths_decode_as_if_alone():
    model = TinyModel({(BOUNDARY, MOT): 30, (MOT, CUA): 35, (CUA, BOUNDARY): 30})
    one = [(np.array([CUA, CUA_GARBLED]), np.array([0.0, -0.1]))]
    together = decode_batch(model, [_two((0.0, 0.0)), one], backoff=np.log(0.4))
    alone = [decode_batch(model, [seg], backoff=np.log(0.4))[0] for seg in (_two((0.0, 0.0)), one)]
    assert together == alone
