"""Ranking phrases from their scores: pure functions over arrays and comparison keys.

They know nothing of models or text: a phrase is an index, its score a number and its key (the
stemmed form, computed by the caller, lazily if it likes) a string.
"""

from __future__ import annotations

from typing import Callable

import numpy as np


def ranked_order(scores: np.ndarray, key: Callable[[int], str], top_n: int, dedupe: bool = True,
                 nested: bool = True, diversity: float = 0.0) -> list[int]:
    """Indices of the ``top_n`` phrases to report, best first (ties keep index order; NaN dropped).

    ``dedupe`` leaves out a phrase whose key ranked higher already ("neural network" after
    "neural networks" when keys are stems); ``nested=False`` leaves out a phrase whose key words
    all lie, in order, inside a higher-ranked phrase's key; ``diversity`` re-ranks MMR-style
    (``mmr``). ``key(i)`` is only called for phrases the ranking reaches.
    """
    top_n = max(int(top_n), 0)
    scored = np.flatnonzero(~np.isnan(scores))
    order = scored[np.argsort(-scores[scored], kind="stable")].tolist()
    if not (dedupe or not nested or diversity):
        return order[:top_n]
    if diversity:
        # MMR over a pool wide enough to fill top_n after dedupe; the rest stays in score order
        pool = top_n * 5 + 20
        order = mmr(order[:pool], scores, [key(p) for p in order[:pool]], diversity) + order[pool:]
    picked: list[int] = []
    seen: set[str] = set()
    for p in order:
        if len(picked) >= top_n:
            break
        if dedupe and key(p) in seen:
            continue
        if not nested and any(f" {key(p)} " in f" {key(q)} " for q in picked):
            continue
        seen.add(key(p))
        picked.append(p)
    return picked


def mmr(order: list[int], scores: np.ndarray, keys: list[str], diversity: float) -> list[int]:
    """Maximal marginal relevance over the phrases in ``order`` (``keys`` in the same order):
    each next phrase maximises ``(1 - diversity) * relevance - diversity * overlap``, relevance
    being the score scaled to [0, 1] and overlap the largest share of its key words found in the
    key of a phrase already picked."""
    if not order:
        return order
    values = scores[order]
    span = values.max() - values.min()
    relevance = (values - values.min()) / span if span > 0 else np.ones_like(values)
    words = [set(k.split()) for k in keys]
    overlap = np.zeros(len(order))
    left = list(range(len(order)))
    result = []
    while left:
        gains = (1 - diversity) * relevance[left] - diversity * overlap[left]
        best = left.pop(int(np.argmax(gains)))
        result.append(order[best])
        for i in left:
            shared = len(words[i] & words[best]) / max(len(words[i]), 1)
            overlap[i] = max(overlap[i], shared)
    return result
