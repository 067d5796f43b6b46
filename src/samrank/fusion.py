"""The word graph joined to the attention's ranking, for one document: the glue between the tagged
text, its candidates and the pure functions of ``samrank.graph``.

The graph's nodes are the stems of the words that lie inside candidate occurrences (the same
words in every language, whatever its tagger), linked when they occur within ``WINDOW`` words
of each other; a node's jump weight favours early words and words the attention reads as
important. The graph's phrase ranking is fused with the attention's by weighted reciprocal rank
fusion; the graph's weight grows with the text's length (``graph.length_share``), so a short
abstract keeps the attention's ranking unchanged.
"""

from __future__ import annotations

import numpy as np

from . import graph
from .candidates import Candidates, TaggedText, stem_phrase

WINDOW = 10  # PositionRank's co-occurrence window, in words
POSITION_POWER = 1.0  # PositionRank's 1 / (1 + position) prior
ATTENTION_POWER = 1.0  # the jump weight times the word's relative attention
LENGTH_POWER = 0.0  # a phrase scores the sum of its words' graph scores
RRF_K = 60.0


def graph_weight(tagged: TaggedText, weight: float, start: float, full: float) -> float:
    """The graph's weight for this text: ``weight`` scaled by its length share."""
    if weight <= 0:
        return 0.0
    return weight * graph.length_share(len(tagged.words), start, full)


def occurrence_words(tagged: TaggedText, found: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """The word range ``[first, end)`` of each candidate occurrence."""
    first = np.searchsorted(tagged.starts, found.occ_start)
    end = np.searchsorted(tagged.ends, found.occ_end, side="left") + 1
    return first, np.maximum(end, first + 1)


def graph_phrase_scores(tagged: TaggedText, found: Candidates, word_attention: np.ndarray | None) -> np.ndarray:
    """Each candidate's word-graph score (``word_attention``: one value per word, or None for
    position alone)."""
    first, end = occurrence_words(tagged, found)
    in_candidate = np.zeros(len(tagged.words) + 1, dtype=np.int64)
    np.add.at(in_candidate, first, 1)
    np.add.at(in_candidate, end, -1)
    is_node = np.cumsum(in_candidate)[:-1] > 0
    language = found.language or "en"
    node_of: dict[str, int] = {}
    nodes = np.full(len(tagged.words), -1, dtype=np.int64)
    for i in np.flatnonzero(is_node).tolist():
        nodes[i] = node_of.setdefault(stem_phrase(tagged.words[i], language), len(node_of))
    positions = np.flatnonzero(is_node)
    teleport = graph.teleport_weights(positions, POSITION_POWER,
                                      None if word_attention is None else word_attention[positions],
                                      ATTENTION_POWER)
    scores = graph.word_graph_scores(nodes, teleport, WINDOW)
    first_of_phrase = np.full(len(found), -1, dtype=np.int64)
    order = np.argsort(found.occ_phrase, kind="stable")
    phrases, at = np.unique(found.occ_phrase[order], return_index=True)
    first_of_phrase[phrases] = order[at]
    phrase_nodes = [nodes[first[o]:end[o]] if o >= 0 else np.zeros(0, np.int64) for o in first_of_phrase.tolist()]
    return graph.phrase_graph_scores(scores, phrase_nodes, found.n_words, LENGTH_POWER)


def fused(attention_scores: np.ndarray, graph_scores: np.ndarray, weight: float) -> np.ndarray:
    """The attention's and the graph's rankings fused, the graph weighing ``weight``."""
    return graph.rank_fusion([attention_scores, graph_scores], [1.0 - weight, weight], RRF_K)
