"""The words' rarity in general language (samrank/rarity.py) and where the pipeline applies it."""

import json
from pathlib import Path

import numpy as np
import pytest
import wordfreq
from hypothesis import given, settings, strategies as st

from samrank import KeyphraseExtractor, rarity
from samrank.settings import Settings


def test_word_rarity_by_hand():
    assert rarity.word_rarity("the") == 1.0  # Zipf 7.7: as common as any
    assert rarity.word_rarity("neural") == pytest.approx(rarity.CEILING - wordfreq.zipf_frequency("neural", "en"))
    assert rarity.word_rarity("Neural") == rarity.word_rarity("neural")  # looked up lower-cased
    assert rarity.word_rarity("qzxvkeyphrasewq") == rarity.CEILING  # never seen: the rarest
    assert 1.0 < rarity.word_rarity("system") < rarity.word_rarity("neural")
    assert rarity.word_rarity("ciudad", "es") < rarity.word_rarity("ciudad", "en")  # per language
    assert rarity.word_rarity("anything", "xx") == 1.0  # a language wordfreq lacks: no effect


def test_phrase_rarity_is_the_mean_over_its_words():
    got = rarity.phrase_rarity(["neural network", "the", "", "Neural"])
    assert got[0] == pytest.approx((rarity.word_rarity("neural") + rarity.word_rarity("network")) / 2)
    assert got[1] == 1.0 and got[2] == 1.0 and got[3] == rarity.word_rarity("neural")
    assert rarity.phrase_rarity([], "en").shape == (0,)
    assert rarity.phrase_rarity(["neural"], None)[0] == rarity.word_rarity("neural", "en")  # no language: English
    # Chinese has no spaces: the mean over wordfreq's segments, not its guess for the whole string
    segments = wordfreq.tokenize("神经网络模型", "zh")
    assert len(segments) > 1
    assert rarity.phrase_rarity(["神经网络模型"], "zh")[0] == pytest.approx(
        np.mean([rarity.word_rarity(w, "zh") for w in segments]))


@settings(deadline=None)  # the first look-up of a language loads its word list
@given(st.lists(st.text(max_size=30), max_size=5), st.sampled_from(["en", "es", "de", "zh", "xx", None]))
def test_phrase_rarity_of_any_text_never_fails_and_stays_in_range(phrases, language):
    got = rarity.phrase_rarity(phrases, language)
    assert got.shape == (len(phrases),)
    assert np.all((got >= 1.0) & (got <= rarity.CEILING))


def test_rarity_settings_resolve_like_the_other_names_settings():
    assert Settings(model="mpnet").resolved(12, 12).rarity_power == 0.0  # off but for minilm
    assert Settings(model="mpnet").resolved(12, 12).few_names_rarity_power == 0.0
    given = Settings(model="mpnet", rarity_power=1.5).resolved(12, 12)
    assert given.few_names_rarity_power == 1.5  # a power given for every text holds for all
    paper = Settings.create("samrank", model="minilm").resolved(6, 12)
    assert (paper.rarity_power, paper.few_names_rarity_power) == (0.0, 0.0)  # SAMRank as published
    with pytest.raises(ValueError, match="rarity_power must be at least 0"):
        Settings(rarity_power=-1.0)
    assert "rarity power 2 (few names" in Settings(rarity_power=2.0).describe()
    assert "rarity power model's (few names model's)" in Settings().describe()


def test_run_weighs_each_phrase_by_its_rarity_to_the_texts_own_power(bert):
    plain = KeyphraseExtractor(bert, rarity_power=0.0, graph_weight=0.0)
    rare = KeyphraseExtractor(bert, few_names_rarity_power=2.0, rarity_power=0.0, graph_weight=0.0)
    few_names = "We use a neural network model. The neural network model is deep."
    before, after = plain.pipeline.run(few_names), rare.pipeline.run(few_names)
    weights = rarity.phrase_rarity(before.candidates.phrases, "en") ** 2.0
    assert np.all(weights > 1.0)
    np.testing.assert_allclose(after.phrase_scores, before.phrase_scores * weights)
    many_names = "Anna Berg and Omar Haddad met Lena Ortiz in Oslo with a neural network model."
    np.testing.assert_allclose(rare.pipeline.run(many_names).phrase_scores,
                               plain.pipeline.run(many_names).phrase_scores)  # rarity_power 0 there


def test_minilm_rarity_powers_are_what_the_committed_grid_chose():
    # docs/NAMES_rarity_choice.json is written by `benchmarks/names_rule.py --choose-rarity`
    chosen = json.loads((Path(__file__).parents[1] / "docs" / "NAMES_rarity_choice.json").read_text())["chosen"]
    minilm = Settings(model="minilm").resolved(6, 12)
    assert (minilm.few_names_rarity_power, minilm.rarity_power) == \
        (chosen["few_names_rarity_power"], chosen["rarity_power"])
