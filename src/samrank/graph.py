"""A word graph beside the attention: PositionRank, and the rank
fusion that joins its ranking to the attention's. Pure functions, arrays in, arrays out.

Why: on news and long papers, where a word first appears and which words it keeps company with
carry signal that one attention head does not (PositionRank, Florescu & Caragea 2017); on a
short abstract they carry little. The pipeline therefore gives the graph a weight that grows with
the document's length (``length_share``).
"""

from __future__ import annotations

import numpy as np


def cooccurrence_edges(nodes: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected co-occurrence edges as ``(source, target, weight)``, both directions listed.

    ``nodes[i]`` is the graph node of the ``i``-th word of the text, -1 for a word that is no
    node. Two nodes are linked once for every pair of their words fewer than ``window`` words
    apart (PositionRank's window counts every word, nodes or not); a node is never linked to
    itself.
    """
    nodes = np.asarray(nodes, dtype=np.int64)
    pairs = []
    for gap in range(1, max(int(window), 1)):
        a, b = nodes[:-gap], nodes[gap:]
        keep = (a >= 0) & (b >= 0) & (a != b)
        pairs.append(np.stack([a[keep], b[keep]]))
    both = np.concatenate(pairs + [p[::-1] for p in pairs], axis=1) if pairs else np.zeros((2, 0), np.int64)
    if not both.shape[1]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    n = int(nodes.max()) + 1
    keys, weight = np.unique(both[0] * n + both[1], return_counts=True)
    return keys // n, keys % n, weight.astype(np.float64)


def biased_pagerank(n_nodes: int, source: np.ndarray, target: np.ndarray, weight: np.ndarray,
                    bias: np.ndarray, damping: float = 0.85, iterations: int = 60,
                    tolerance: float = 1e-8) -> np.ndarray:
    """PageRank whose random jump lands on node ``i`` with probability ``bias[i] / sum(bias)``;
    a node without edges hands its mass back through the jump. Returns scores summing to 1."""
    bias = np.asarray(bias, dtype=np.float64)
    total = bias.sum()
    bias = bias / total if total > 0 else np.full(n_nodes, 1.0 / max(n_nodes, 1))
    out = np.bincount(source, weights=weight, minlength=n_nodes)
    share = weight / out[source] if len(source) else weight
    dangling = out == 0
    rank = bias.copy()
    for _ in range(iterations):
        moved = np.bincount(target, weights=rank[source] * share, minlength=n_nodes)
        new = damping * moved + (1 - damping + damping * rank[dangling].sum()) * bias
        done = np.abs(new - rank).sum() < tolerance
        rank = new
        if done:
            break
    return rank


def teleport_weights(positions: np.ndarray, position_power: float) -> np.ndarray:
    """The jump weight of each node word: ``(1 + position) ** -position_power``, position being
    its index among the text's words (PositionRank's prior: early words weigh more)."""
    return (1.0 + np.asarray(positions, dtype=np.float64)) ** -float(position_power)


def word_graph_scores(nodes: np.ndarray, teleport: np.ndarray, window: int = 10,
                      damping: float = 0.85) -> np.ndarray:
    """Score of each node: biased PageRank over the co-occurrence graph of ``nodes`` (one per
    word, -1 = no node), the jump weight of a node being the sum of ``teleport`` over its words
    (``teleport`` has one value per word that is a node, in text order)."""
    nodes = np.asarray(nodes, dtype=np.int64)
    n_nodes = int(nodes.max()) + 1 if len(nodes) else 0
    if n_nodes == 0:
        return np.zeros(0)
    source, target, weight = cooccurrence_edges(nodes, window)
    bias = np.bincount(nodes[nodes >= 0], weights=teleport, minlength=n_nodes)
    return biased_pagerank(n_nodes, source, target, weight, bias, damping)


def phrase_graph_scores(node_scores: np.ndarray, phrase_nodes: list[np.ndarray], n_words: np.ndarray,
                        length_power: float = 0.0) -> np.ndarray:
    """A phrase's score: the sum of its words' node scores (a word that is no node, -1, adds
    nothing), divided by its word count to ``length_power``."""
    padded = np.append(np.asarray(node_scores, dtype=np.float64), 0.0)
    sums = np.array([padded[np.asarray(ids)].sum() for ids in phrase_nodes], dtype=np.float64)
    if length_power:
        sums = sums / np.maximum(np.asarray(n_words, dtype=np.float64), 1.0) ** length_power
    return sums


def rank_fusion(score_lists: list[np.ndarray], weights: list[float], k: float = 60.0) -> np.ndarray:
    """Weighted reciprocal rank fusion: ``sum_l weights[l] / (k + rank_l)``, rank 1 = best in list
    ``l``; a NaN (unranked) entry adds nothing; NaN where no list ranks the phrase. Ties in a
    list share the order of their index, as the ranking does."""
    total, seen = 0.0, False
    for scores, w in zip(score_lists, weights):
        scores = np.asarray(scores, dtype=np.float64)
        ranked = ~np.isnan(scores)
        order = np.flatnonzero(ranked)[np.argsort(-scores[ranked], kind="stable")]
        rank = np.empty(len(scores))
        rank[order] = np.arange(1, len(order) + 1)
        total = total + np.where(ranked, float(w) / (k + np.where(ranked, rank, 0.0)), 0.0)
        seen = seen | ranked
    return np.where(seen, total, np.nan)


def length_share(n_words: int, start: float, full: float) -> float:
    """How much of its weight the graph gets in a text of ``n_words`` words: 0 up to ``start``
    words, rising linearly in log-length to 1 at ``full`` words (a step when they are equal)."""
    start = max(float(start), 1.0)  # log-length: counted from one word
    if n_words <= start:
        return 0.0
    if n_words >= full or full <= start:
        return 1.0
    return float((np.log(n_words) - np.log(start)) / (np.log(full) - np.log(start)))
