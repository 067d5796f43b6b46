"""A one-word phrase's repetition in long texts (``long_word_count_power``,
``scoring.repetition_discount``)."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank import scoring
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

# ten words, no names; "networks" stands alone three times
REPEATED = "Networks matter. We use networks, and networks learn a model."
NAMED = "Anna Berg and Omar Haddad use networks, and networks learn."


def test_repetition_discount_by_hand():
    scores = np.array([[6.0, 4.0, 9.0], [3.0, 2.0, 1.0]])  # two heads, three phrases
    occ_phrase = np.array([0, 0, 0, 1, 1, 2])  # the one-word phrase 0 three times, phrase 1 twice
    one_word = np.array([True, False, True])
    np.testing.assert_allclose(scoring.repetition_discount(scores, occ_phrase, one_word, 0.0),
                               [[2.0, 4.0, 9.0], [1.0, 2.0, 1.0]])
    np.testing.assert_allclose(scoring.repetition_discount(scores, occ_phrase, one_word, 0.5),
                               [[6.0 / 3 ** 0.5, 4.0, 9.0], [3.0 / 3 ** 0.5, 2.0, 1.0]])
    assert scoring.repetition_discount(scores, occ_phrase, one_word, 1.0) is scores


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=1, max_size=6),
       st.lists(st.integers(0, 5), max_size=30), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_the_discount_touches_repeated_words_only_and_grows_with_the_power(phrases, occurrences, low, high):
    low, high = sorted((low, high))
    n = len(phrases)
    scores = np.array([float(value + 1) for value, _ in phrases])
    one_word = np.array([one for _, one in phrases])
    occ_phrase = np.array([o % n for o in occurrences], dtype=np.int64)
    counts = np.bincount(occ_phrase, minlength=n)
    a = scoring.repetition_discount(scores, occ_phrase, one_word, low)
    b = scoring.repetition_discount(scores, occ_phrase, one_word, high)
    untouched = ~one_word | (counts <= 1)
    np.testing.assert_array_equal(a[untouched], scores[untouched])
    assert np.all(a <= b + 1e-12) and np.all(b <= scores + 1e-12) and np.all(a > 0)


def test_settings_and_the_preset():
    assert Settings(model="minilm").resolved(6, 12).long_word_count_power == 0.0
    assert Settings(model="mpnet").resolved(12, 12).long_word_count_power == 1.0  # not measured: the sum
    assert Settings.create("samrank", model="minilm").resolved(6, 12).long_word_count_power == 1.0
    assert Settings(model="minilm", long_word_count_power=0.5).resolved(6, 12).long_word_count_power == 0.5
    with pytest.raises(ValueError, match="long_word_count_power must be at least 0.0 and at most 1.0"):
        Settings(long_word_count_power=1.5)
    assert "long texts: count power 0.5" in Settings(long_word_count_power=0.5).describe()


def test_minilm_count_power_is_what_the_committed_grid_chose():
    # docs/NAMES_word_count_choice.json is written by `benchmarks/names_rule.py --choose-word-count`
    path = Path(__file__).parents[1] / "docs" / "NAMES_word_count_choice.json"
    chosen = json.loads(path.read_text())["chosen"]
    assert Settings(model="minilm").resolved(6, 12).long_word_count_power == chosen["long_word_count_power"]


def test_a_long_text_with_few_names_averages_a_repeated_word(bert):
    # uniform mode: every token scores 1, so a one-word phrase sums its tokens over its occurrences
    def run(power, text=REPEATED, long_text_words=9):
        extractor = KeyphraseExtractor(bert, mode="uniform", position_power=0.0, graph_weight=0.0,
                                       long_text_words=long_text_words, long_word_count_power=power)
        result = extractor.pipeline.run(text)
        return extractor.pipeline, result, dict(zip(result.candidates.phrases, result.phrase_scores))

    _, _, summed = run(1.0)
    pipeline, meaned_run, meaned = run(0.0)
    assert pipeline.word_count_power(meaned_run.tagged) == 0.0
    assert summed["networks"] == pytest.approx(3 * meaned["networks"])  # three stand-alone occurrences
    assert summed["model"] == pytest.approx(meaned["model"])  # once only: nothing to discount
    _, half_run, half = run(0.5)
    assert half["networks"] == pytest.approx(summed["networks"] / 3 ** 0.5)
    short_pipeline, short_run, short = run(0.0, long_text_words=100)  # a short text keeps the sum
    assert short_pipeline.word_count_power(short_run.tagged) == 1.0 and short["networks"] == pytest.approx(summed["networks"])
    named_pipeline, named_run, _ = run(0.0, NAMED)  # many names: the sum, as news wants its repeated names
    assert named_pipeline.word_count_power(named_run.tagged) == 1.0


def test_the_command_line_takes_and_checks_it():
    bad = CliRunner().invoke(main, ["extract", "--long-word-count-power", "2", "-"], input="text")
    assert bad.exit_code != 0 and "long_word_count_power" in bad.output.replace("-", "_")
