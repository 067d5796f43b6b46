"""Token and phrase scores from self-attention maps: pure functions, arrays in, arrays out.

An attention map ``A`` has shape ``(..., n, n)``; row ``i`` is how query token ``i`` spreads its
attention, so each row sums to 1. Leading dimensions (heads, layers) are carried through, which
lets every head of a layer be scored in one call.
"""

from __future__ import annotations

import numpy as np

MODES = ("both", "global", "proportional", "forward", "uniform", "received", "cls", "fusion")


def global_scores(attention: np.ndarray, sink: int | None = None) -> np.ndarray:
    """G_i = sum_j A[j, i], the attention token i receives; the sink token's G is set to 0."""
    g = np.asarray(attention, dtype=np.float64).sum(axis=-2)
    if sink is not None:
        g[..., sink] = 0.0
    return g


def proportional_scores(attention: np.ndarray, global_: np.ndarray) -> np.ndarray:
    """P_i = sum_j A[i, j] / G_j over the columns with G_j > 0 (the sink's column drops out).

    This is SAMRank's "backward" redistribution written in closed form: scale column j of A by
    G_j, normalise each column to sum 1, then sum each row.
    """
    g = np.asarray(global_, dtype=np.float64)
    inverse = np.divide(1.0, g, out=np.zeros_like(g), where=g > 0)
    return np.einsum("...ij,...j->...i", np.asarray(attention, dtype=np.float64), inverse)


def forward_proportional_scores(attention: np.ndarray, global_: np.ndarray) -> np.ndarray:
    """F_j = sum_i G_i A[i, j]: each token hands its global score on along its own row, to the
    tokens it attends to (the "forward" redistribution of the paper's Table 5)."""
    g = np.asarray(global_, dtype=np.float64)
    return np.einsum("...ij,...i->...j", np.asarray(attention, dtype=np.float64), g)


def minmax(values: np.ndarray) -> np.ndarray:
    """Rescale the last axis to [0, 1]; a constant row becomes all zeros."""
    values = np.asarray(values, dtype=np.float64)
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    return np.divide(values - low, span, out=np.zeros_like(values), where=span > 0)


def token_scores(attention: np.ndarray, sink: int | None = None, mode: str = "both",
                 query: int = 0) -> np.ndarray:
    """SAMRank token score S = G + P (``mode="both"``), or one part alone as in the paper's ablation.

    ``mode="forward"`` is G + F with the forward redistribution instead of P;
    ``mode="uniform"`` scores every token 1: a control with no attention at all.
    KeyAtten's readouts: ``"received"`` is the attention each token receives (column sums, the
    sink included); ``"cls"`` is the attention row of token ``query`` (the [CLS] token of an
    encoder; a decoder passes its last token, the only one that sees the whole window), with the
    sink's share dropped; ``"fusion"`` is minmax(cls) * minmax(global).
    """
    if mode not in MODES:
        raise ValueError(f"unknown scoring mode {mode!r}; choose one of {', '.join(MODES)}")
    attention = np.asarray(attention)
    if mode == "uniform":
        return np.ones(attention.shape[:-1], dtype=np.float64)
    if mode == "received":
        return global_scores(attention)
    if mode in ("cls", "fusion"):
        cls = np.array(attention[..., query, :], dtype=np.float64)
        if sink is not None:
            cls[..., sink] = 0.0
        if mode == "cls":
            return cls
        return minmax(cls) * minmax(global_scores(attention, sink))
    g = global_scores(attention, sink)
    if mode == "global":
        return g
    if mode == "forward":
        return g + forward_proportional_scores(attention, g)
    p = proportional_scores(attention, g)
    return p if mode == "proportional" else g + p


def phrase_scores(
    token_scores: np.ndarray,
    occ_token_start: np.ndarray,
    occ_token_end: np.ndarray,
    occ_phrase: np.ndarray,
    occ_window: np.ndarray,
    single_word: np.ndarray,
    length_power: float = 0.0,
) -> np.ndarray:
    """Score each phrase from the token scores of its occurrences.

    An occurrence covers tokens ``[occ_token_start, occ_token_end)`` of ``token_scores`` (the last
    axis) and counts in window ``occ_window``. A multi-word phrase scores the sum over its
    occurrences. A single-word phrase (``single_word[phrase]``) scores the MEAN over its
    occurrences within a window, so that a frequent word does not win by count alone; the
    caller passes only the occurrences where it stands alone. Window totals are summed, as
    SAMRank sums segment scores of long documents. ``length_power`` divides each occurrence's
    sum by its token count to that power: 0 is SAMRank (a longer phrase collects more), 1 scores
    an occurrence by its mean token score.

    Returns scores with shape ``token_scores.shape[:-1] + (n_phrases,)``; a phrase without any
    occurrence scores NaN so that the ranking can drop it.
    """
    scores = np.asarray(token_scores, dtype=np.float64)
    single_word = np.asarray(single_word, dtype=bool)
    n_phrases = len(single_word)
    lead = scores.shape[:-1]
    if len(occ_phrase) == 0:
        return np.full(lead + (n_phrases,), np.nan)
    cumulative = np.concatenate([np.zeros(lead + (1,)), np.cumsum(scores, axis=-1)], axis=-1)
    per_occurrence = cumulative[..., occ_token_end] - cumulative[..., occ_token_start]
    if length_power:
        lengths = np.maximum(np.asarray(occ_token_end) - np.asarray(occ_token_start), 1)
        per_occurrence = per_occurrence / lengths.astype(np.float64) ** length_power

    # Group occurrences by (phrase, window) cell and add each group up in one vectorised pass.
    n_windows = int(np.max(occ_window)) + 1
    cell = np.asarray(occ_phrase) * n_windows + np.asarray(occ_window)
    order = np.argsort(cell, kind="stable")
    cells, first, counts = np.unique(cell[order], return_index=True, return_counts=True)
    flat = per_occurrence.reshape(-1, len(cell))[:, order]
    cell_sums = np.add.reduceat(flat, first, axis=-1)
    cell_phrase = cells // n_windows
    cell_values = cell_sums / np.where(single_word[cell_phrase], counts, 1)
    totals = np.zeros((flat.shape[0], n_phrases))
    np.add.at(totals, (slice(None), cell_phrase), cell_values)
    totals[:, np.bincount(cell_phrase, minlength=n_phrases) == 0] = np.nan
    return totals.reshape(lead + (n_phrases,))


def repetition_discount(scores: np.ndarray, occ_phrase: np.ndarray, one_word: np.ndarray,
                        power: float) -> np.ndarray:
    """Phrase ``scores`` (any leading axes) with each one-word phrase's (``one_word[phrase]``)
    divided by its number of occurrences (``occ_phrase``: the occurrences that were summed) to
    ``1 - power``: 1 keeps the sum, 0 turns it into the mean over the occurrences, so that a word
    does not rise by repetition alone (a long paper repeats its field's common nouns — "algorithm",
    "nodes" — hundreds of times)."""
    if power == 1.0:
        return scores
    one_word = np.asarray(one_word, dtype=bool)
    counts = np.maximum(np.bincount(np.asarray(occ_phrase, dtype=np.int64), minlength=len(one_word)), 1)
    return scores / np.where(one_word, counts.astype(np.float64) ** (1.0 - power), 1.0)


def covered(length: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Boolean mask of ``length`` positions: True where some interval ``[start, end)`` covers it."""
    edges = np.zeros(length + 1, dtype=np.int64)
    np.add.at(edges, np.asarray(starts, dtype=np.int64), 1)
    np.add.at(edges, np.asarray(ends, dtype=np.int64), -1)
    return np.cumsum(edges)[:-1] > 0


def position_weights(first_offsets: np.ndarray, power: float, scale: float = 100.0) -> np.ndarray:
    """``(1 + first_offset / scale) ** -power``: a phrase first met early in the text weighs more
    (PositionRank's observation, which holds for news and for papers alike). Offsets in characters,
    so the prior is the same whatever the tokenizer; ``power=0`` weighs every phrase 1."""
    return (1.0 + np.asarray(first_offsets, dtype=np.float64) / scale) ** -float(power)


def dynamic_head_weights(head_scores: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Per-document weights over attention maps, in the spirit of Attention-Seeker.

    ``head_scores`` is ``(maps, n)`` token scores, ``candidate`` marks the ``n`` tokens inside
    candidate phrases. Each map's scores are made a distribution over tokens. First pass: a map's
    relevance is the share of its mass on candidate tokens (alignment with the hypothesis "the
    candidates matter"). Second pass: the hypothesis becomes the first-pass mixture over the
    candidate tokens, and a map's relevance its dot product with it. In both passes only maps at
    or above the mean relevance count, weighted by relevance. Returns weights summing to 1.
    """
    scores = np.asarray(head_scores, dtype=np.float64)
    candidate = np.asarray(candidate, dtype=bool)
    totals = scores.sum(axis=-1, keepdims=True)
    share = np.divide(scores, totals, out=np.zeros_like(scores), where=totals > 0)

    def weights_from(relevance: np.ndarray) -> np.ndarray:
        kept = np.where(relevance >= relevance.mean(), relevance, 0.0)
        total = kept.sum()
        return kept / total if total > 0 else np.full(len(relevance), 1.0 / len(relevance))

    first = weights_from(share[:, candidate].sum(axis=-1))
    hypothesis = (first @ share) * candidate
    if hypothesis.sum() <= 0:
        return first
    return weights_from(share @ (hypothesis / hypothesis.sum()))


def mix_heads(head_scores: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Combine ``(maps, n)`` token scores into one ``(n,)`` row: each map's scores rescaled to
    mean 1 over the tokens (so no head dominates by scale), then averaged with ``weights``
    (uniform when None)."""
    scores = np.asarray(head_scores, dtype=np.float64)
    means = scores.mean(axis=-1, keepdims=True)
    scaled = np.divide(scores, means, out=np.zeros_like(scores), where=means > 0)
    if weights is None:
        return scaled.mean(axis=0)
    return np.asarray(weights, dtype=np.float64) @ scaled
