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


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
       st.lists(st.floats(0, 1, allow_nan=False), min_size=40, max_size=40),
       st.floats(0.0, 1.0))
@hsettings(deadline=None, max_examples=60)
def test_rank_fusion_never_ranks_below_a_phrase_beaten_in_both_lists(first, second, weight):
    a, b = np.array(first), np.array(second[: len(first)])
    fused = graph.rank_fusion([a, b], [1 - weight, weight])
    assert not np.isnan(fused).any()
    for i in range(len(a)):
        for j in range(len(a)):
            if a[i] > a[j] and b[i] > b[j]:  # i ahead in both lists: ahead (or tied) after fusion
                assert fused[i] >= fused[j]


def test_length_share_from_zero_words_counts_from_one():
    assert graph.length_share(0, 0, 400) == 0.0
    assert graph.length_share(20, 0, 400) == pytest.approx(np.log(20) / np.log(400))
    assert graph.length_share(500, 0, 400) == 1.0


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
    assert by_phrase["oil spill"] > by_phrase["coast"]
    nodes = graph.word_graph_scores(np.array([0, 1, -1, 2, -1, 0, 1, -1]),
                                    graph.teleport_weights(np.array([0, 1, 3, 5, 6]), fusion.POSITION_POWER))
    assert by_phrase["coast"] == pytest.approx(nodes[2])
    assert by_phrase["oil spill"] == pytest.approx((nodes[0] + nodes[1]) / 2 ** fusion.LENGTH_POWER)


def test_a_phrase_scores_alike_whatever_its_first_occurrence_was_tagged():
    # "learning" is tagged VBG where "machine learning" first occurs, NN later: it still counts
    words = ["Machine", "learning", "helps", ";", "machine", "learning", "grows", ";", "machine", "learning"]
    tags = ["NN", "VBG", "VBZ", ":", "NN", "NN", "VBZ", ":", "NN", "NN"]
    _, tagged = _tagged(words, tags)
    found = select_candidates(tagged, 5, frozenset())
    scores = dict(zip(found.phrases, fusion.graph_phrase_scores(tagged, found)))
    nodes = graph.word_graph_scores(np.array([0, -1, -1, -1, 0, 1, -1, -1, 0, 1]),
                                    graph.teleport_weights(np.array([0, 4, 5, 8, 9]), fusion.POSITION_POWER))
    assert scores["machine learning"] == pytest.approx((nodes[0] + nodes[1]) / 2 ** fusion.LENGTH_POWER)


def test_non_english_nodes_leave_out_stop_words_and_chinese_phrases_join_without_spaces():
    es_words = ["redes", "de", "sensores", "y", "redes", "de", "sensores", "miden", "datos"]
    es_tags = ["NOUN", "ADP", "NOUN", "CCONJ", "NOUN", "ADP", "NOUN", "VERB", "NOUN"]
    starts, ends, at = [], [], 0
    for w in es_words:
        starts.append(at)
        ends.append(at + len(w))
        at += len(w) + 1
    tagged = tagged_text(es_words, es_tags, starts, ends, [0] * len(es_words), "es")
    found = select_candidates(tagged, 5, None, "es")
    nodes = fusion.node_words(tagged, found)
    assert "redes de sensores" in found.phrases
    assert not nodes[1] and nodes[0] and nodes[2]  # "de" is no node
    assert np.isfinite(fusion.graph_phrase_scores(tagged, found)).all()
    zh = tagged_text(["自然", "语言", "处理", "2020"], ["n", "n", "vn", "m"], [0, 2, 4, 6], [2, 4, 6, 10], [0] * 4, "zh", "")
    zh_found = select_candidates(zh, 5, None, "zh")
    assert zh_found.joiner == "" and len(zh_found)
    assert np.isfinite(fusion.graph_phrase_scores(zh, zh_found)).all()
    assert not fusion.dates_and_quantities(zh_found)[[p != "2020" for p in zh_found.phrases]].any()


def test_a_text_of_dates_alone_keeps_them():
    _, tagged = _tagged(["December", "percent", "December"], ["NNP", "NN", "NNP"])
    found = select_candidates(tagged, 5, frozenset())
    assert fusion.dates_and_quantities(found).all()
    assert np.isfinite(fusion.fused(tagged, found, np.ones(len(found)), 0.6)).all()


def test_the_attention_s_unranked_phrases_stay_unranked_and_rows_fuse_alone():
    _, tagged = _tagged(["Oil", "spill", "hits", "coast"], ["NN", "NN", "VBZ", "NN"])
    found = select_candidates(tagged, 5, frozenset())
    rows = np.array([[1.0, np.nan], [2.0, 3.0]])
    fused = fusion.fused(tagged, found, rows, 0.5)
    assert np.isnan(fused[0, 1]) and np.isfinite(fused[1]).all()
    assert fused[1] == pytest.approx(fusion.fused(tagged, found, rows[1], 0.5))


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
