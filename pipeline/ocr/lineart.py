"""Seals and signatures whitened, when colour could not, for a second full-page pass.

A red seal (con dấu) is dropped by colour in ``preprocess.to_gray``; on a photocopy or a
grey scan the seal and the pen signature are as black as the text. Tesseract's layout
analysis then takes the signature block (the title, the ring, the stroke) for one picture
and returns no words for it, so the signer is lost. What is drawn, not printed, is told
by its shape: a sparse component several text lines tall and wide (a signature, a ring, a
ring a stroke crosses); a seal in it is a Hough circle of 18-60 mm, and the pieces inside
it (its lettering, its star) go too, but not the letters of a line it was stamped over.

``clear_line_art(binary, dpi) -> (binary, seals)``; ``block_lost(words, seals)``: only then
is the cleared page read again (on a scan where the full pass read the block, a seal
stamped over the name would take letters with it).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.core.document import Word

SEAL_MM = (18.0, 60.0)  # diameters of office seals (Decree 99/2016: 35-42 mm, smaller for units)

STROKE_LINES = 3.5  # a stroke at least this many text heights tall and wide
STROKE_FILL = 0.2


def _text_height(stats: np.ndarray, dpi: int) -> float:
    """The median height of letter-sized components: the page's text height."""
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    lo, hi = 0.6 * dpi / 25.4, 8.0 * dpi / 25.4  # 0.6-8 mm: a letter, not a dot or a box
    letters = heights[(heights >= lo) & (heights <= hi)]
    return float(np.median(letters)) if letters.size else 3.0 * dpi / 25.4


Ring = tuple[float, float, float]  # a seal's centre and outer radius, page pixels


def clear_line_art(binary: np.ndarray, dpi: int) -> tuple[np.ndarray, list[Ring]]:
    """The page with its seals and signatures whitened, and the seals found."""
    ink = (binary < 128).astype(np.uint8)
    count, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return binary, []
    text_height = _text_height(stats, dpi)
    tall = STROKE_LINES * text_height
    drawn = [i for i in range(1, count)
             if stats[i, cv2.CC_STAT_HEIGHT] >= tall and stats[i, cv2.CC_STAT_WIDTH] >= tall
             and stats[i, cv2.CC_STAT_AREA] / float(stats[i, cv2.CC_STAT_HEIGHT]
                                                   * stats[i, cv2.CC_STAT_WIDTH]) < STROKE_FILL]
    if not drawn:
        return binary, []
    drop = set(drawn)
    rings: list[tuple[int, float, float, float]] = []
    for i in drawn:
        for cx, cy, r in _rings(labels, stats[i], i, dpi):
            rings.append((i, cx, cy, r))
            # the seal's lettering and star: the pieces inside the ring, but not the
            # letters of a line the seal was stamped over (``BỘ`` of ``BỘ TRƯỞNG``)
            inside = np.hypot(centres[:, 0] - cx, centres[:, 1] - cy) < r
            inside[0] = False
            drop.update(_not_in_lines(stats, centres, inside, drop, text_height))
    out = binary.copy()
    out[np.isin(labels, sorted(drop))] = 255
    for i, cx, cy, r in rings:
        _give_back_letters(out, labels, stats, i, (cx, cy, r), text_height)
    return out, [(cx, cy, r) for _, cx, cy, r in rings]


def block_lost(words: list[Word], seals: list[Ring]) -> bool:
    """Whether a full-page pass lost the title or the name around a seal (Tesseract took
    that part of the block for a picture): no sure word above the ring's centre (up to 3
    radii) or none below it (up to 2), within 2.5 radii either side, outside the ring."""
    for cx, cy, r in seals:
        near = [w for w in words if w.confidence >= 60 and len(w.text) >= 2
                and abs(w.box.cx - cx) <= 2.5 * r and -3 * r <= w.box.cy - cy <= 2 * r
                and np.hypot(w.box.cx - cx, w.box.cy - cy) > r]
        if not any(w.box.cy < cy for w in near) or not any(w.box.cy > cy for w in near):
            return True
    return False


def _give_back_letters(out: np.ndarray, labels: np.ndarray, stats: np.ndarray, label: int,
                       ring: tuple[float, float, float], text_height: float) -> None:
    """A letter the ring touches became part of the ring's component: outside the circle,
    the component's letter-sized pieces are put back (the top of ``B`` in ``BỘ TRƯỞNG``)."""
    x, y, w, h = (int(v) for v in stats[label, :4])
    cx, cy, r = ring
    ys, xs = np.mgrid[y:y + h, x:x + w]
    outside = (labels[y:y + h, x:x + w] == label) & (np.hypot(xs - cx, ys - cy) >= r)
    count, parts, part_stats, _ = cv2.connectedComponentsWithStats(outside.astype(np.uint8))
    for k in range(1, count):
        if part_stats[k, cv2.CC_STAT_HEIGHT] <= 1.5 * text_height \
                and part_stats[k, cv2.CC_STAT_WIDTH] <= 2 * text_height \
                and part_stats[k, cv2.CC_STAT_AREA] >= 0.1 * text_height ** 2:
            out[y:y + h, x:x + w][parts == k] = 0


def _not_in_lines(stats: np.ndarray, centres: np.ndarray, inside: np.ndarray,
                  dropped: set[int], text_height: float) -> list[int]:
    """The pieces ``inside`` a seal that no text line outside it reaches: a piece on the
    height of a kept letter and within a letter's gap of it is that line's, and keeps the
    next one in turn."""
    near = [j for j in np.nonzero(inside)[0]]
    kept = [k for k in range(1, len(stats)) if not inside[k] and k not in dropped
            and 0.5 * text_height <= stats[k, cv2.CC_STAT_HEIGHT] <= 2 * text_height]
    keep: set[int] = set()
    frontier = kept
    while frontier:
        grown = []
        for j in near:
            if j in keep:
                continue
            for k in frontier:
                gap = max(stats[j, 0] - (stats[k, 0] + stats[k, 2]),
                          stats[k, 0] - (stats[j, 0] + stats[j, 2]))
                if abs(centres[j, 1] - centres[k, 1]) < 0.4 * text_height and gap < text_height:
                    keep.add(j)
                    grown.append(j)
                    break
        frontier = grown
    return [int(j) for j in near if j not in keep]


def _rings(labels: np.ndarray, stat: np.ndarray, label: int, dpi: int
           ) -> list[tuple[float, float, float]]:
    """Circles of a seal's size in one drawn component (a ring, or a ring a signature's
    stroke crosses): ``(x, y, radius)`` in page pixels."""
    x, y, w, h = (int(v) for v in stat[:4])
    mm = dpi / 25.4
    if max(w, h) < SEAL_MM[0] * mm:
        return []
    scale = 2  # at a quarter the ring is too thin for the gradient vote
    mask = (labels[y:y + h, x:x + w] == label).astype(np.uint8) * 255
    small = cv2.resize(mask, (max(1, w // scale), max(1, h // scale)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 1.5)
    lo, hi = int(SEAL_MM[0] * mm / 2 / scale), int(SEAL_MM[1] * mm / 2 / scale)
    found = cv2.HoughCircles(small, cv2.HOUGH_GRADIENT, dp=1, minDist=2 * lo, param1=100,
                             param2=30, minRadius=lo, maxRadius=hi)
    if found is None:
        return []
    cx, cy = (float(v) * scale for v in found[0][0][:2])
    return [(x + cx, y + cy, _outer_radius(mask, cx, cy, hi * scale))]


def _outer_radius(mask: np.ndarray, cx: float, cy: float, most: float) -> float:
    """The seal's outer ring around a centre Hough found (it may have found the inner one):
    the farthest radius whose ink per unit of circumference is at least half the densest
    ring's; a signature's stroke crossing the seal is too thin to count as a ring."""
    ys, xs = np.nonzero(mask)
    dist = np.hypot(xs - cx, ys - cy)
    bins = np.arange(2.0, most + 4.0, 2.0)
    counts, edges = np.histogram(dist, bins=bins)
    density = counts / (2 * np.pi * edges[1:])
    rings = np.nonzero(density >= 0.5 * density.max())[0]
    return float(edges[rings[-1] + 1]) * 1.03


__all__ = ["block_lost", "clear_line_art"]
