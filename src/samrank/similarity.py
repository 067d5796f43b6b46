"""How near each candidate phrase lies to its text in the model's embedding space (EmbedRank,
KeyBERT), as a weight on the attention's phrase scores. Pure functions: vectors in, weights out.
The vectors come from ``readers.embedder``."""

from __future__ import annotations

import numpy as np

FLOOR = 1e-3  # a phrase pointing away from the text keeps a small weight rather than none
LONGEST_CLASS = 3  # phrases of 3 or more words are compared with one another


def cosines(phrase_vectors: np.ndarray, text_vector: np.ndarray) -> np.ndarray:
    """Cosine of each (unit) phrase vector with the (unit) text vector."""
    if not len(phrase_vectors) or not len(text_vector):
        return np.zeros(len(phrase_vectors))
    return phrase_vectors @ text_vector


def relative_similarity(cosines: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Each phrase's cosine (floored at ``FLOOR``) over the mean of the phrases with as many words
    (1, 2, 3 or more). Single words and longer phrases sit at different distances from a text's
    vector; dividing by their own mean lets the similarity reorder phrases within a length without
    moving the balance between single words and phrases, which the length settings hold (news
    crowds want single words, abstracts' authors phrases)."""
    # a phrase the model gave no vector for (no token: NaN) weighs as the farthest
    floored = np.clip(np.nan_to_num(np.asarray(cosines, dtype=np.float64), nan=FLOOR), FLOOR, 1.0)
    return over_length_class_means(floored, n_words)


def over_length_class_means(values: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Each (positive) value over the mean of the phrases with as many words (1, 2, 3 or more)."""
    values = np.asarray(values, dtype=np.float64)
    classes = np.minimum(np.asarray(n_words), LONGEST_CLASS)
    weights = np.ones_like(values)
    for size in np.unique(classes):
        members = classes == size
        weights[members] = values[members] / values[members].mean()
    return weights
