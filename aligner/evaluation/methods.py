"""The aligner and the baselines it is compared with, all on the same embeddings.

Public surface: :data:`GRIDS`, :func:`links`.

* ``aligner`` -- :func:`aligner.align.link_pair`: whole and part margins,
  number and content-word evidence, competitive linking, merged sentences, 1-2/2-1 merges;
* ``margin-mnn`` -- LASER-style: mutual nearest neighbours under the ratio
  margin (k = 4), above a threshold;
* ``cosine`` -- every pair above a cosine threshold;
* ``monotonic-dp`` -- a bertalign/vecalign-style monotonic dynamic program
  (1-1 links and skips, skip cost tuned); it cannot follow reordered blocks.

Each method returns links as (sentences of A, sentences of B) tuples.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from aligner.align import AlignParams, link_pair, ratio_margin

GRIDS = {
    "aligner": np.round(np.arange(0.0, 2.51, 0.1), 2),
    "margin-mnn": np.round(np.arange(0.9, 1.31, 0.01), 2),
    "cosine": np.round(np.arange(0.2, 0.96, 0.01), 2),
    "monotonic-dp": np.round(np.arange(0.2, 0.96, 0.01), 2),
}


def method_aligner(prepared, threshold: float, params: AlignParams):
    found = link_pair(prepared.scorer, prepared.nums[0], prepared.nums[1], replace(params, threshold=float(threshold)), prepared.words,
                      prepared.figures)
    return [(l.a, l.b) for l in found]


def method_margin_mnn(sim, threshold, k=4):
    m = ratio_margin(sim, k)
    best_b, best_a = m.argmax(axis=1), m.argmax(axis=0)
    return [((i,), (int(j),)) for i, j in enumerate(best_b) if best_a[j] == i and m[i, j] >= threshold]


def method_cosine(sim, threshold):
    return [((int(i),), (int(j),)) for i, j in zip(*np.nonzero(sim >= threshold))]


def method_monotonic_dp(sim, skip):
    """Monotonic alignment: maximise the sum of (cosine - skip) over 1-1 links; others unlinked."""
    n, m = sim.shape
    gain = sim - skip
    dp = np.zeros((n + 1, m + 1))
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (dp[i - 1, j], dp[i, j - 1], dp[i - 1, j - 1] + gain[i - 1, j - 1])
            back[i, j] = int(np.argmax(options))
            dp[i, j] = options[back[i, j]]
    found, i, j = [], n, m
    while i > 0 and j > 0:
        if back[i, j] == 2:
            if gain[i - 1, j - 1] > 0:
                found.append(((i - 1,), (j - 1,)))
            i, j = i - 1, j - 1
        elif back[i, j] == 0:
            i -= 1
        else:
            j -= 1
    return found[::-1]


def links(method: str, prepared, value: float, params: AlignParams):
    if method == "aligner":
        return method_aligner(prepared, value, params)
    if method == "margin-mnn":
        return method_margin_mnn(prepared.sim, value)
    if method == "cosine":
        return method_cosine(prepared.sim, value)
    return method_monotonic_dp(prepared.sim, value)
