"""Second-order Viterbi over many runs of syllables at once (the restore stage's search).

Decoding one line at a time spent most of its time in numpy call overhead: a few hundred
small look-ups and array operations per line. Here every run of a batch (a page, or a
thousand lines of ``vanban restore``) is decoded together: candidate sets are padded to a
common width K, all bigram counts are fetched in one sorted look-up and all trigram counts
that can be non-zero (both bigrams seen) in another, and the log-probability tables of every
position are computed in a handful of array operations. Only the Viterbi recursion itself
walks position by position, on K×K×K arrays.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class SyllableModel(Protocol):
    """What the decoder reads of the language model (diacritics.SyllableModel): unigram,
    bigram and trigram counts by syllable id, and the phrase lexicon's pairs."""

    size: int
    unigram: np.ndarray
    log_unigram: np.ndarray
    bi_keys: np.ndarray
    bi_counts: np.ndarray
    tri_keys: np.ndarray
    tri_counts: np.ndarray
    phrase_pairs: Any

    @staticmethod
    def _lookup(keys: np.ndarray, counts: np.ndarray, query: np.ndarray) -> np.ndarray: ...

Candidates = tuple[np.ndarray, np.ndarray]  # syllable ids, observation log-probabilities


def _padded(sets: list[Candidates], width: int, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids = np.zeros((len(sets), width), dtype=np.uint64)
    obs = np.full((len(sets), width), -np.inf)
    for i, (cand_ids, cand_obs) in enumerate(sets):
        if len(cand_ids) > width:  # keep the likeliest: observation and unigram prior
            order = np.argsort(-(cand_obs + prior[cand_ids]), kind="stable")[:width]
            cand_ids, cand_obs = cand_ids[order], cand_obs[order]
        ids[i, : len(cand_ids)] = cand_ids
        obs[i, : len(cand_ids)] = cand_obs
    return ids, obs


def decode_batch(model: SyllableModel, segments: list[list[Candidates]], backoff: float,
                 width: int = 6, bonus: float = 0.0) -> list[list[int]]:
    """Best syllable id per position for each segment (a run with candidates everywhere);
    ``backoff`` is the log weight of a lower-order estimate (stupid backoff), ``bonus`` the
    log weight added to a pair of syllables listed together in the domain lexicon."""
    if not segments:
        return []
    k = min(width, max(len(ids) for seg in segments for ids, _ in seg))
    boundary = (np.array([0], dtype=np.int64), np.array([0.0]))
    # each segment is  <s> <s> c_1 ... c_n </s>  (id 0 is the boundary in the model)
    layout = [[boundary, boundary, *seg, boundary] for seg in segments]
    starts = np.cumsum([0] + [len(sets) for sets in layout])
    ids, obs = _padded([c for sets in layout for c in sets], k, model.log_unigram)
    v = np.uint64(model.size)
    # consecutive pairs (x_j, x_{j+1}) inside each segment
    first = np.concatenate([np.arange(s, e - 1) for s, e in zip(starts, starts[1:], strict=False)])
    valid = np.isfinite(obs)
    pair_keys = ids[first][:, :, None] * v + ids[first + 1][:, None, :]
    pair_ok = valid[first][:, :, None] & valid[first + 1][:, None, :]
    pair_counts = np.zeros(pair_keys.shape)
    pair_counts[pair_ok] = model._lookup(model.bi_keys, model.bi_counts, pair_keys[pair_ok])
    pair_at = {int(j): n for n, j in enumerate(first)}
    # triples (x_j, x_{j+1}, x_{j+2}): position j+2 is scored given the two before it
    tri_first = np.concatenate([np.arange(s, e - 2) for s, e in zip(starts, starts[1:], strict=False)])
    ab = pair_counts[[pair_at[int(j)] for j in tri_first]]
    bc = pair_counts[[pair_at[int(j) + 1] for j in tri_first]]
    maybe = (ab > 0)[:, :, :, None] & (bc > 0)[:, None, :, :]
    t, ia, ib, ic = np.nonzero(maybe)
    tri_keys = (ids[tri_first[t], ia] * v + ids[tri_first[t] + 1, ib]) * v + ids[tri_first[t] + 2, ic]
    found = model._lookup(model.tri_keys, model.tri_counts, tri_keys)
    b_count = model.unigram[ids[tri_first + 1].astype(np.int64)][:, :, None]
    uni = model.log_unigram[ids[tri_first + 2].astype(np.int64)][:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        # bigram and unigram estimates depend on (b, c) only: one (triples, K, K) array,
        # spread over a; the trigram estimate exists only at the few (a, b, c) seen
        lower = np.maximum(
            np.where(bc > 0, backoff + np.log(bc / np.maximum(b_count, 1)), -np.inf),
            2 * backoff + uni,
        ).astype(np.float32)
        seen = found > 0
        t, ia, ib, ic = t[seen], ia[seen], ib[seen], ic[seen]
        p3 = np.log(found[seen] / np.maximum(ab[t, ia, ib], 1)).astype(np.float32)
    tables = np.repeat(lower[:, None, :, :], k, axis=1)  # (triples, K, K, K)
    tables[t, ia, ib, ic] = np.maximum(tables[t, ia, ib, ic], p3)
    tables += obs[tri_first + 2][:, None, None, :].astype(np.float32)  # observation of c
    if bonus and model.phrase_pairs.size:  # domain lexicon: (b, c) is part of a phrase
        bc_keys = pair_keys[[pair_at[int(j) + 1] for j in tri_first]]
        tables += np.where(np.isin(bc_keys, model.phrase_pairs), np.float32(bonus),
                           np.float32(0))[:, None, :, :]
    tables[~np.isfinite(obs[tri_first])] = -np.inf  # padded a
    # the recursion runs over all segments in lockstep, position by position
    lengths = np.array([len(sets) - 3 for sets in layout])  # syllables per segment
    tri_base = np.cumsum([0] + [n + 1 for n in lengths[:-1]])  # each segment's first triple
    scores = tables[tri_base, 0]  # (segments, K, K): last two positions (b, c)
    scores[~valid[starts[:-1] + 1]] = -np.inf  # padded second <s>
    back = np.zeros((int(lengths.max()) + 1, len(layout), k, k), dtype=np.int8)
    for pos in range(1, int(lengths.max()) + 1):  # the step at pos == n scores </s>
        active = np.nonzero(lengths >= pos)[0]
        total = scores[active][:, :, :, None] + tables[tri_base[active] + pos]
        back[pos, active] = total.argmax(axis=1)
        scores[active] = total.max(axis=1)
    paths: list[list[int]] = []
    for seg_no, n in enumerate(lengths):
        b, c = np.unravel_index(int(scores[seg_no].argmax()), (k, k))  # c is </s>
        # back[p][b, c] is the best a before (b, c) at step p: walk it from the end
        path = [int(b)]
        prev_c = int(c)
        for pos in range(int(n), 1, -1):
            a = int(back[pos, seg_no, path[-1], prev_c])
            prev_c = path[-1]
            path.append(a)
        row0 = starts[seg_no] + 2
        paths.append([int(ids[row0 + i, j]) for i, j in enumerate(reversed(path))])
    return paths
