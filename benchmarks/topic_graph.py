"""MultipartiteRank's topic graph in the word graph's place, measured on the development sets
(issue 14, "fusion with the signals that win on news"): docs/TOPIC_GRAPH.md.

    .venv/bin/python benchmarks/topic_graph.py      # ~15 min with a warm disk cache

The default fuses the attention's ranking with a PositionRank word graph in texts of 200 words
and more (docs/GRAPH.md). On 500N-KPCrowd pke's MultipartiteRank (Boudin 2018) is the best peer;
here its graph, re-made on samrank's own candidates, takes the word graph's place, or joins it
(their two rankings fused by reciprocal ranks, half and half), in every text or only in texts
with few names (share of proper nouns below 0.2), every other setting the default's:
- topics: the candidates clustered by average linkage on the Jaccard distance of their stemmed
  words, cut at 0.74 (pke's defaults);
- a complete multipartite graph: candidates of different topics linked, the weight the sum of
  1 / gap over every pair of their occurrences, the gap in words from the end of the earlier one;
- the first-met candidate of each topic gets, from each neighbour, the weight its topic mates
  have with that neighbour, times 1.1 * exp(1 / (1 + its first word offset)) (pke's alpha);
- PageRank (damping 0.85), a phrase scoring its node.
Written here, as a replacement of ``fusion.graph_phrase_scores``, not in the library. Nothing here
reads a held-out set.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidate_levers import f1_table  # noqa: E402
from graph_fusion import ROOT, documents, label  # noqa: E402
from machine import machine  # noqa: E402
from scoring_levers import SETS  # noqa: E402
from samrank import fusion, graph, names  # noqa: E402
from samrank.candidates import stem_phrase  # noqa: E402
from samrank.evaluation import evaluate  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402
from samrank.model_defaults import FEW_NAMES_SHARE  # noqa: E402

CUT = 0.74
ALPHA = 1.1


def jaccard_distances(word_sets: list[frozenset]) -> np.ndarray:
    n = len(word_sets)
    distances = np.ones((n, n))
    by_word: dict[str, list[int]] = {}
    for i, words in enumerate(word_sets):
        for word in words:
            by_word.setdefault(word, []).append(i)
    for members in by_word.values():
        for a in members:
            for b in members:
                if a < b and distances[a, b] == 1.0:
                    union = len(word_sets[a] | word_sets[b])
                    distances[a, b] = distances[b, a] = 1.0 - len(word_sets[a] & word_sets[b]) / union
    return distances


def average_linkage_topics(distances: np.ndarray, cut: float = CUT) -> np.ndarray:
    """Each item's topic: clusters merged by average linkage while their distance is at most
    ``cut`` (scipy's ``fcluster(linkage(d, "average"), cut, "distance")``)."""
    n = len(distances)
    topic = np.arange(n)
    if n < 2:
        return topic
    d = distances.astype(np.float64).copy()
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    while True:
        flat = int(np.argmin(d))
        i, j = divmod(flat, n)
        if not d[i, j] <= cut:
            break
        merged = (size[i] * d[i] + size[j] * d[j]) / (size[i] + size[j])
        d[i], d[:, i] = merged, merged
        d[i, i] = np.inf
        d[j], d[:, j] = np.inf, np.inf
        size[i] += size[j]
        topic[topic == j] = i
    return np.unique(topic, return_inverse=True)[1]


def topics(word_sets: list[frozenset]) -> np.ndarray:
    """``average_linkage_topics`` of the Jaccard distances, one group of candidates linked by shared
    words at a time (no merge crosses groups: between them every distance is 1, above the cut)."""
    n = len(word_sets)
    group = np.arange(n)

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i
    first_with: dict[str, int] = {}
    for i, words in enumerate(word_sets):
        for word in words:
            group[root(i)] = root(first_with.setdefault(word, i))
    roots = np.array([root(i) for i in range(n)])
    topic = np.zeros(n, dtype=np.int64)
    next_topic = 0
    for r in np.unique(roots):
        members = np.flatnonzero(roots == r)
        inner = average_linkage_topics(jaccard_distances([word_sets[i] for i in members]))
        topic[members] = next_topic + inner
        next_topic += int(inner.max()) + 1
    return topic


def multipartite_scores(tagged, found) -> np.ndarray:
    """Each candidate's MultipartiteRank score in this text (the docstring's steps)."""
    n = len(found)
    if n == 0:
        return np.zeros(0)
    language = found.language or "en"
    keys = [stem_phrase(p, language) for p in found.phrases]
    topic = topics([frozenset(k.split()) for k in keys])
    first_word, _ = fusion.occurrence_words(tagged, found)
    position = first_word.astype(np.float64)
    owner = found.occ_phrase
    weights = np.zeros((n, n))
    length = found.n_words[owner].astype(np.float64)
    for p in range(n):
        mine = position[owner == p]
        # pke's gap: from the end of the earlier occurrence
        gap = position[None, :] - mine[:, None]
        gap = np.where(gap > 0, gap - (found.n_words[p] - 1), -gap - (length[None, :] - 1))
        inverse = np.where(gap > 0, 1.0 / np.where(gap > 0, gap, 1.0), 0.0).sum(axis=0)
        weights[p] = np.bincount(owner, weights=inverse, minlength=n)
    weights[topic[:, None] == topic[None, :]] = 0.0
    first_offset = np.full(n, np.inf)
    np.minimum.at(first_offset, owner, position)
    boosted = weights.copy()
    for t in np.unique(topic):
        variants = np.flatnonzero(topic == t)
        if len(variants) < 2:
            continue
        first = variants[np.argmin(first_offset[variants])]
        mates = variants[variants != first]
        boosters = weights[mates].sum(axis=0) * (weights[first] > 0)
        boosted[:, first] += boosters * ALPHA * np.exp(1.0 / (1.0 + first_offset[first]))
    source, target = np.nonzero(boosted)
    return graph.biased_pagerank(n, source, target, boosted[source, target], np.ones(n))


def graph_scores(share_of_multipartite: float, few_names_only: bool = False):
    """A replacement of ``fusion.graph_phrase_scores``: MultipartiteRank's ranking alone, or fused
    with the word graph's by reciprocal ranks, it weighing ``share_of_multipartite``; with
    ``few_names_only``, in texts with few names (share below the default's ``few_names_share``)."""
    word_graph = fusion.graph_phrase_scores

    def scores(tagged, found):
        if few_names_only and names.proper_noun_share(tagged) >= FEW_NAMES_SHARE:
            return word_graph(tagged, found)
        topic_graph = multipartite_scores(tagged, found)
        if share_of_multipartite >= 1:
            return topic_graph
        return graph.rank_fusion([word_graph(tagged, found), topic_graph],
                                 [1 - share_of_multipartite, share_of_multipartite], fusion.RRF_K)
    return scores


@contextmanager
def graph_replaced(scores):
    original = fusion.graph_phrase_scores
    fusion.graph_phrase_scores = scores or original
    try:
        yield
    finally:
        fusion.graph_phrase_scores = original


LEVERS = {
    "MultipartiteRank in the word graph's place": graph_scores(1.0),
    "MultipartiteRank and the word graph, their ranks fused half and half": graph_scores(0.5),
    "MultipartiteRank in the word graph's place, texts with few names only": graph_scores(1.0, True),
    "the two graphs half and half, texts with few names only": graph_scores(0.5, True),
}


def main() -> None:
    labels = [label(name, span) for name, span in SETS.items()]
    f1 = {}
    for row, scores in {"default": None, **LEVERS}.items():
        with graph_replaced(scores):
            extractor = {"x": KeyphraseExtractor(cache=True)}
            f1[row] = {shown: round(evaluate(documents(name, span), extractor, shown).scores["x"].f1s()[1], 2)
                       for (name, span), shown in zip(SETS.items(), labels)}
        print(row, f1[row], file=sys.stderr, flush=True)
    (ROOT / "docs" / "TOPIC_GRAPH.json").write_text(json.dumps({"machine": machine(), "f1@10": f1}, indent=1))
    mean = {row: sum(scores.values()) / len(scores) for row, scores in f1.items()}
    best = max(LEVERS, key=mean.get)
    lines = ["# MultipartiteRank's topic graph beside the attention", "",
             f"Produced by `benchmarks/topic_graph.py` (its docstring says what each row is) on {machine()}; "
             "minilm. Development sets only, F1@10 (paper protocol, as docs/NAMES.md); every other setting "
             "the default's.", "", *f1_table(f1, labels), "",
             f"The best row, {best}, moves the default's mean by {mean[best] - mean['default']:+.2f} "
             "(every choice in docs/NAMES.md needs +0.2).", ""]
    (ROOT / "docs" / "TOPIC_GRAPH.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
