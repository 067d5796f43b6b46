"""Long texts: the word graph joined to the attention's ranking, for one document — the glue
between the tagged text, its candidates and the pure functions of ``samrank.graph``.

The graph is PositionRank's (Florescu & Caragea 2017): its nodes are the stems of the nouns and
adjectives (English; in other languages the words inside candidates but stop words), linked
when they occur within ``WINDOW`` words of each other, and a node's jump weight favours words met early. Its
phrase ranking is fused with the attention's by weighted reciprocal rank fusion; the graph's
weight grows with the text's length (``graph.length_share``), so that a short abstract keeps the
attention's ranking unchanged. Where the graph weighs, a phrase made only of dates, numbers and
units ("December", "last year", "10 percent") is left out: in news such phrases are frequent and
early, and rarely the topic. The constants were chosen on the development sets
(benchmarks/graph_fusion.py, docs/GRAPH.md).
"""

from __future__ import annotations

import numpy as np

from . import graph, languages, scoring
from .candidates import Candidates, TaggedText, stem_phrase
from .candidates.edges import DAY_PARTS, DEICTIC_DAYS, WEEKDAYS

WINDOW = 10  # PositionRank's co-occurrence window, in words
POSITION_POWER = 0.75  # jump weight (1 + position) ** -0.75
LENGTH_POWER = 0.75  # a phrase: its words' graph scores summed, over n_words ** 0.75
RRF_K = 60.0

DATES = WEEKDAYS | DEICTIC_DAYS | DAY_PARTS | frozenset("""january february march april may june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec day days
week weeks month months year years decade decades century time times""".split())
# A phrase of these alone (or of dates, numbers) is left out where the graph weighs: its own list, chosen
# with its weights. candidates/measures.py drops one-word units in every text, where one follows a number.
UNITS = frozenset("""percent % mph km kg lb lbs mm cm ft db gb mb kb tb ghz mhz hz kw mw gw am pm p.m.
a.m. cent cents dollar dollars""".split())


def word_count(tagged: TaggedText) -> int:
    """The text's length as the long-text rules count it: words with a letter or a digit."""
    return sum(any(c.isalnum() for c in word) for word in tagged.words)


def graph_weight(tagged: TaggedText, weight: float, start: float, full: float) -> float:
    """The graph's weight for this text: ``weight`` scaled by its length share."""
    if not weight > 0:
        return 0.0
    return weight * graph.length_share(word_count(tagged), start, full)


def dates_and_quantities(found: Candidates) -> np.ndarray:
    """True for each phrase made only of numbers (any language) and, in English, date words and
    units."""
    english = (found.language or "en") == "en"
    words_of = (p.split(found.joiner) if found.joiner else [p] for p in found.phrases)
    return np.array([all(not any(c.isalpha() for c in w) or (english and (w in DATES or w in UNITS))
                         for w in words) for words in words_of], dtype=bool)


def occurrence_words(tagged: TaggedText, found: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """The word range ``[first, end)`` of each candidate occurrence."""
    first = np.searchsorted(tagged.starts, found.occ_start)
    end = np.searchsorted(tagged.ends, found.occ_end, side="left") + 1
    return first, np.maximum(end, first + 1)


def node_words(tagged: TaggedText, found: Candidates) -> np.ndarray:
    """Which words are graph nodes: English nouns and adjectives (PositionRank's), else the
    words inside candidate occurrences that are not stop words (the "de" of "red de sensores"
    would link everything to everything)."""
    language = found.language or "en"
    if language == "en" and tagged.language == "en":
        return np.array([t.startswith("NN") or t.startswith("JJ") for t in tagged.tags], dtype=bool)
    inside = scoring.covered(len(tagged.words), *occurrence_words(tagged, found))
    stop = languages.stopwords(language)
    return inside & np.array([w not in stop for w in tagged.words], dtype=bool)


def graph_phrase_scores(tagged: TaggedText, found: Candidates) -> np.ndarray:
    """Each candidate's word-graph score: its words' node scores summed, over its word count to
    ``LENGTH_POWER``; a word is looked up by its stem, so that every occurrence of a phrase scores alike
    whatever one of them was tagged."""
    language = found.language or "en"
    is_node = node_words(tagged, found)
    node_of: dict[str, int] = {}
    stems = [stem_phrase(word, language) for word in tagged.words]
    nodes = np.full(len(tagged.words), -1, dtype=np.int64)
    for i in np.flatnonzero(is_node).tolist():
        nodes[i] = node_of.setdefault(stems[i], len(node_of))
    positions = np.flatnonzero(is_node)
    scores = graph.word_graph_scores(nodes, graph.teleport_weights(positions, POSITION_POWER), WINDOW)
    first, end = occurrence_words(tagged, found)
    first_occurrence = np.full(len(found), -1, dtype=np.int64)
    order = np.argsort(found.occ_phrase, kind="stable")
    phrases, at = np.unique(found.occ_phrase[order], return_index=True)
    first_occurrence[phrases] = order[at]
    phrase_nodes = [np.array([node_of.get(stem, -1) for stem in stems[first[o]:end[o]]], dtype=np.int64)
                    if o >= 0 else np.zeros(0, np.int64) for o in first_occurrence.tolist()]
    return graph.phrase_graph_scores(scores, phrase_nodes, found.n_words, LENGTH_POWER)


def fused(tagged: TaggedText, found: Candidates, attention_scores: np.ndarray, weight: float) -> np.ndarray:
    """The attention's ranking (any leading axes: one fusion per row) fused with the graph's, the
    graph weighing ``weight``. A phrase the attention leaves out (NaN) stays out; so do phrases
    made only of dates, numbers and units, unless every candidate is one (then they are the
    topic)."""
    graph_scores = graph_phrase_scores(tagged, found)
    dropped = dates_and_quantities(found)
    if dropped.all():
        dropped[:] = False
    attention_scores = np.asarray(attention_scores, dtype=np.float64)
    rows = attention_scores.reshape(-1, attention_scores.shape[-1])
    out = np.stack([graph.rank_fusion([row, graph_scores], [1.0 - weight, weight], RRF_K) for row in rows])
    out[:, dropped] = np.nan
    out[np.isnan(rows)] = np.nan
    return out.reshape(attention_scores.shape)
