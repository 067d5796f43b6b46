"""The word graph and the rank fusion (samrank.graph, samrank.fusion), checked by hand."""

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from samrank import fusion, graph
from samrank.candidates import select_candidates
from samrank.candidates.base import tagged_text


def test_cooccurrence_edges_by_hand():
    # words: A x B A (x is no node); window 3 links words fewer than 3 apart
    source, target, weight = graph.cooccurrence_edges(np.array([0, -1, 1, 0]), window=3)
    edges = {(s, t): w for s, t, w in zip(source.tolist(), target.tolist(), weight.tolist())}
    # (B, A) one apart, (A, B) two apart; A-A never; each listed both ways
    assert edges == {(0, 1): 2.0, (1, 0): 2.0}
    assert graph.cooccurrence_edges(np.array([0, 1]), window=1)[0].size == 0


def test_biased_pagerank_two_nodes_by_hand():
    # r0 = d r1 + (1 - d), r1 = d r0  =>  r0 = 1 / (1 + d), r1 = d / (1 + d)
    d = 0.85
    rank = graph.biased_pagerank(2, np.array([0, 1]), np.array([1, 0]), np.array([1.0, 1.0]),
                                 np.array([1.0, 0.0]), damping=d, iterations=500, tolerance=1e-14)
    assert rank == pytest.approx([1 / (1 + d), d / (1 + d)])


def test_biased_pagerank_keeps_mass_with_a_node_without_edges():
    rank = graph.biased_pagerank(3, np.array([0, 1]), np.array([1, 0]), np.array([1.0, 1.0]),
                                 np.ones(3), iterations=500, tolerance=1e-14)
    assert rank.sum() == pytest.approx(1.0)
    assert rank[0] == pytest.approx(rank[1])
    assert rank[2] < rank[0]


def test_teleport_prefers_early_words():
    assert graph.teleport_weights(np.array([0, 1, 3]), 1.0) == pytest.approx([1.0, 0.5, 0.25])
    assert graph.teleport_weights(np.array([0, 3]), 0.0) == pytest.approx([1.0, 1.0])


def test_phrase_graph_scores_sum_words_and_skip_non_nodes():
    scores = graph.phrase_graph_scores(np.array([0.5, 0.3, 0.2]), [np.array([0, 1]), np.array([2, -1])],
                                       np.array([2, 2]))
    assert scores == pytest.approx([0.8, 0.2])
    halved = graph.phrase_graph_scores(np.array([0.5, 0.3, 0.2]), [np.array([0, 1])], np.array([2]), 1.0)
    assert halved == pytest.approx([0.4])


def test_rank_fusion_by_hand():
    a = np.array([3.0, 1.0, np.nan, np.nan])
    b = np.array([np.nan, 2.0, 1.0, np.nan])
    fused = graph.rank_fusion([a, b], [0.5, 0.5], k=1.0)
    assert fused[:3] == pytest.approx([0.5 / 2, 0.5 / 3 + 0.5 / 2, 0.5 / 3])
    assert np.isnan(fused[3])


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40, unique=True),
       st.lists(st.floats(0, 1, allow_nan=False), min_size=40, max_size=40))
@hsettings(deadline=None, max_examples=60)
def test_rank_fusion_with_no_graph_weight_keeps_the_attention_order(scores, other):
    scores = np.array(scores)
    fused = graph.rank_fusion([scores, np.array(other[: len(scores)])], [1.0, 0.0])
    assert list(np.argsort(-fused, kind="stable")) == list(np.argsort(-scores, kind="stable"))


def test_length_share():
    assert graph.length_share(100, 200, 400) == 0.0
    assert graph.length_share(200, 200, 400) == 0.0
    assert graph.length_share(400, 200, 400) == 1.0
    assert graph.length_share(int(np.sqrt(200 * 400)) + 1, 200, 400) == pytest.approx(0.5, abs=0.01)
    assert graph.length_share(201, 200, 200) == 1.0  # equal bounds: a step


def _tagged(words, tags):
    starts, ends, at = [], [], 0
    for w in words:
        starts.append(at)
        ends.append(at + len(w))
        at += len(w) + 1
    return " ".join(words), tagged_text([w.lower() for w in words], tags, starts, ends, [0] * len(words), "en")


def test_graph_phrase_scores_on_a_tagged_text():
    text, tagged = _tagged(["Oil", "spill", "hits", "coast", ";", "oil", "spill", "grows"],
                           ["NN", "NN", "VBZ", "NN", ":", "NN", "NN", "VBZ"])
    found = select_candidates(tagged, 5, frozenset())
    scores = fusion.graph_phrase_scores(tagged, found)
    by_phrase = dict(zip(found.phrases, scores))
    assert set(by_phrase) == {"oil spill", "coast"}
    # nodes oil, spill, coast (the nouns); the two-word phrase sums its words over 2 ** 0.75, and
    # the early, twice-met words outweigh "coast"
    assert by_phrase["oil spill"] > 2 ** 0.25 * by_phrase["coast"]
    nodes = graph.word_graph_scores(np.array([0, 1, -1, 2, -1, 0, 1, -1]),
                                    graph.teleport_weights(np.array([0, 1, 3, 5, 6]), fusion.POSITION_POWER))
    assert by_phrase["coast"] == pytest.approx(nodes[2])
    assert by_phrase["oil spill"] == pytest.approx((nodes[0] + nodes[1]) / 2 ** fusion.LENGTH_POWER)


def test_dates_numbers_and_units_leave_the_fused_ranking():
    text, tagged = _tagged(["December", "sales", "rose", "10", "percent", "in", "December", "sales"],
                           ["NNP", "NNS", "VBD", "CD", "NN", "IN", "NNP", "NNS"])
    found = select_candidates(tagged, 5, frozenset())
    dropped = dict(zip(found.phrases, fusion.dates_and_quantities(found)))
    assert dropped["december sales"] is np.False_ and dropped["percent"] is np.True_
    scores = fusion.fused(tagged, found, np.arange(len(found), dtype=float), 0.6)
    assert all(np.isnan(s) == d for s, d in zip(scores, dropped.values()))


def test_short_texts_keep_the_attention_ranking():
    _, tagged = _tagged(["word"] * 50, ["NN"] * 50)
    assert fusion.graph_weight(tagged, 0.6, 200, 400) == 0.0
    _, long = _tagged(["word"] * 500, ["NN"] * 500)
    assert fusion.graph_weight(long, 0.6, 200, 400) == pytest.approx(0.6)
    assert fusion.graph_weight(long, 0.0, 200, 400) == 0.0
