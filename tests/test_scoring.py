"""SAMRank's token and phrase scores on hand-made attention maps, checked by hand."""

import numpy as np
import pytest

from samrank import scoring

# Rows are queries and sum to 1. Column sums (attention received): 0.8, 1.0, 1.2.
A = np.array([[0.5, 0.3, 0.2],
              [0.2, 0.6, 0.2],
              [0.1, 0.1, 0.8]])


def test_global_is_attention_received_with_sink_zeroed():
    assert scoring.global_scores(A) == pytest.approx([0.8, 1.0, 1.2])
    assert scoring.global_scores(A, sink=2) == pytest.approx([0.8, 1.0, 0.0])
    assert scoring.global_scores(A, sink=0) == pytest.approx([0.0, 1.0, 1.2])


def test_proportional_by_hand():
    g = scoring.global_scores(A, sink=2)
    # P_i = A[i,0] / 0.8 + A[i,1] / 1.0; the sink column drops out.
    assert scoring.proportional_scores(A, g) == pytest.approx([0.925, 0.85, 0.225])


def test_samrank_token_score_is_global_plus_proportional():
    assert scoring.token_scores(A, sink=2) == pytest.approx([1.725, 1.85, 0.225])
    assert scoring.token_scores(A, sink=2, mode="global") == pytest.approx([0.8, 1.0, 0.0])
    assert scoring.token_scores(A, sink=2, mode="proportional") == pytest.approx([0.925, 0.85, 0.225])
    assert scoring.token_scores(A, sink=2, mode="uniform") == pytest.approx([1, 1, 1])
    # Forward: F_j = sum_i G_i A[i, j] with G = (0.8, 1.0, 0): F = (0.6, 0.84, 0.36).
    assert scoring.token_scores(A, sink=2, mode="forward") == pytest.approx([1.4, 1.84, 0.36])
    with pytest.raises(ValueError, match="unknown scoring mode"):
        scoring.token_scores(A, mode="nope")


def reference_proportional(attention, sink):
    """The reference code's steps: column-scale by G, normalise columns (+1e-10), sum rows."""
    g = attention.sum(axis=0)
    g[sink] = 0
    redistributed = attention * g[None, :]
    normalised = redistributed / (redistributed.sum(axis=0, keepdims=True) + 1e-10)
    return g, normalised.sum(axis=1)


@pytest.mark.parametrize("sink", [0, -1])
def test_closed_form_matches_reference_algorithm(sink):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(40, 40))
    if sink == 0:  # decoder: causal map
        logits[np.triu_indices(40, 1)] = -np.inf
    attention = np.exp(logits - logits.max(axis=1, keepdims=True))
    attention /= attention.sum(axis=1, keepdims=True)
    g_ref, p_ref = reference_proportional(attention.copy(), sink)
    g = scoring.global_scores(attention, sink)
    np.testing.assert_allclose(g, g_ref)
    np.testing.assert_allclose(scoring.proportional_scores(attention, g), p_ref, rtol=1e-5)  # the reference adds 1e-10


def test_all_heads_scored_at_once_equal_one_at_a_time():
    rng = np.random.default_rng(1)
    maps = rng.random((3, 2, 6, 6))
    maps /= maps.sum(axis=-1, keepdims=True)
    together = scoring.token_scores(maps, sink=5)
    for layer in range(3):
        for head in range(2):
            np.testing.assert_allclose(together[layer, head], scoring.token_scores(maps[layer, head], sink=5))


def test_phrase_scores_sum_occurrences_and_average_single_words_per_window():
    tokens = np.array([1.0, 2, 3, 4, 5, 6])
    # phrase 0 (two words) at tokens [0,2) and [3,5); phrase 1 (one word) at [2,3) and [5,6).
    start, end = np.array([0, 3, 2, 5]), np.array([2, 5, 3, 6])
    phrase = np.array([0, 0, 1, 1])
    single = np.array([False, True, True])
    one_window = scoring.phrase_scores(tokens, start, end, phrase, np.zeros(4, int), single)
    assert one_window[:2] == pytest.approx([3 + 9, (3 + 6) / 2])
    assert np.isnan(one_window[2])  # no occurrence: dropped later
    two_windows = scoring.phrase_scores(tokens, start, end, phrase, np.array([0, 1, 0, 1]), single)
    assert two_windows[:2] == pytest.approx([12, 3 + 6])  # mean within each window, summed


def test_phrase_scores_keep_leading_dimensions():
    tokens = np.array([[1.0, 2, 3], [10, 20, 30]])
    scores = scoring.phrase_scores(tokens, np.array([0, 1]), np.array([2, 3]), np.array([0, 0]),
                                   np.array([0, 0]), np.array([False]))
    assert scores.shape == (2, 1)
    assert scores[:, 0] == pytest.approx([3 + 5, 30 + 50])


def test_phrase_scores_without_occurrences():
    scores = scoring.phrase_scores(np.ones(3), np.zeros(0, int), np.zeros(0, int), np.zeros(0, int),
                                   np.zeros(0, int), np.array([True, False]))
    assert np.isnan(scores).all() and scores.shape == (2,)


def test_keyatten_readouts_by_hand():
    assert scoring.token_scores(A, mode="received") == pytest.approx([0.8, 1.0, 1.2])  # sink kept
    assert scoring.token_scores(A, sink=2, mode="cls") == pytest.approx([0.5, 0.3, 0.0])  # row 0
    assert scoring.token_scores(A, sink=0, mode="cls", query=-1) == pytest.approx([0.0, 0.1, 0.8])
    # fusion = minmax(cls) * minmax(global): [1, 0.6, 0] * [0.8, 1, 0]
    assert scoring.token_scores(A, sink=2, mode="fusion") == pytest.approx([0.8, 0.6, 0.0])
    assert scoring.minmax(np.array([3.0, 3.0])) == pytest.approx([0, 0])


def test_length_power_divides_each_occurrence_by_its_token_count():
    tokens = np.array([1.0, 2, 3, 4])
    args = (np.array([0, 2]), np.array([2, 3]), np.array([0, 1]), np.zeros(2, int), np.array([False, True]))
    assert scoring.phrase_scores(tokens, *args, length_power=1.0) == pytest.approx([1.5, 3])
    assert scoring.phrase_scores(tokens, *args, length_power=0.5) == pytest.approx([3 / np.sqrt(2), 3])
    assert scoring.phrase_scores(tokens, *args) == pytest.approx([3, 3])


def test_position_weights():
    assert scoring.position_weights(np.array([0, 100, 300]), 1.0) == pytest.approx([1, 0.5, 0.25])
    assert scoring.position_weights(np.array([0, 100]), 0.0) == pytest.approx([1, 1])


def test_dynamic_head_weights_by_hand():
    # tokens 0 and 1 are candidates. Shares on candidates: 0.8, 0.7, 0.2 (mean 0.567), so the
    # first pass keeps heads 0 and 1 with weights 0.8/1.5 and 0.7/1.5. Their mixture over the
    # candidates is (0.54, 0.2133), i.e. (0.7168, 0.2832) normalised; alignment with it: 0.4,
    # 0.5018, 0.1 (mean 0.3339): heads 0 and 1 stay, and head 1 now weighs more.
    heads = np.array([[0.4, 0.4, 0.1, 0.1], [0.7, 0.0, 0.2, 0.1], [0.1, 0.1, 0.4, 0.4]]) * 10
    candidate = np.array([True, True, False, False])
    weights = scoring.dynamic_head_weights(heads, candidate)
    assert weights == pytest.approx([0.4 / 0.90177, 0.50177 / 0.90177, 0.0], abs=1e-4)
    assert scoring.dynamic_head_weights(heads, np.zeros(4, bool)).sum() == pytest.approx(1)


def test_mix_heads_rescales_each_head_to_mean_one():
    heads = np.array([[1.0, 2, 3], [2, 2, 2]])
    assert scoring.mix_heads(heads) == pytest.approx([0.75, 1, 1.25])
    assert scoring.mix_heads(heads, np.array([1.0, 0])) == pytest.approx([0.5, 1, 1.5])


def test_covered_marks_positions_inside_any_interval():
    mask = scoring.covered(8, np.array([1, 2, 6]), np.array([3, 4, 6]))  # [1,3) [2,4) and an empty one
    assert mask.tolist() == [False, True, True, True, False, False, False, False]
    assert scoring.covered(3, np.array([], dtype=int), np.array([], dtype=int)).tolist() == [False] * 3
