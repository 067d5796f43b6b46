"""The length power by the share of names: samrank/names.py and Pipeline.length_power."""

import math

import pytest
from hypothesis import given, strategies as st

from samrank import KeyphraseExtractor, names
from samrank.candidates.base import tagged_text
from samrank.settings import Settings


def _tags(tags):
    n = len(tags)
    return tagged_text([f"w{i}" for i in range(n)], tags, range(0, 3 * n, 3), range(2, 3 * n, 3), [0] * n, "en")


@pytest.mark.parametrize("tags,share", [
    (["NNP", "NN", "NNS", "VBZ", "NNPS", "JJ"], 2 / 4),  # Penn Treebank (en)
    (["PROPN", "NOUN", "ADJ", "NOUN"], 1 / 3),  # UPOS (es, fr)
    (["NE", "NN", "ART", "NN"], 1 / 3),  # STTS (de)
    (["nr", "n", "v", "ns", "vn"], 2 / 3),  # jieba (zh): nr person, ns place
    (["DT", "JJ", "VBZ"], math.nan),  # no nouns
])
def test_proper_noun_share_reads_every_tag_set(tags, share):
    got = names.proper_noun_share(_tags(tags))
    assert (math.isnan(got) and math.isnan(share)) or got == pytest.approx(share)


def test_by_share_ramp_by_hand():
    ramp = lambda share: names.by_share(share, 0.0, 1.0, 0.1, 0.2)  # noqa: E731
    assert ramp(0.0) == ramp(0.1) == 0.0
    assert ramp(0.15) == pytest.approx(0.5)
    assert ramp(0.2) == ramp(0.9) == 1.0
    assert ramp(math.nan) == 1.0  # no nouns: the ordinary power
    assert names.by_share(0.0, 0.5, 0.5, 0.1, 0.2) == 0.5  # equal powers: the rule is off
    assert names.by_share(0.1, 0.0, 1.0, 0.1, 0.1) == 0.0  # a step where few == many


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 3), st.floats(0, 3),
       st.floats(0, 1), st.floats(0, 1))
def test_by_share_stays_between_the_two_and_moves_one_way(share, other, few_power, power, a, b):
    few, many = min(a, b), max(a, b)
    got = names.by_share(share, few_power, power, few, many)
    assert min(few_power, power) - 1e-12 <= got <= max(few_power, power) + 1e-12
    more = names.by_share(max(share, other), few_power, power, few, many)
    assert (more - got) * (power - few_power) >= -1e-12  # more names: closer to length_power


def test_shares_are_validated_and_a_given_length_power_holds_for_every_text():
    with pytest.raises(ValueError, match=r"few_names_share \(0.3\) must not exceed many_names_share \(0.2\)"):
        Settings(few_names_share=0.3, many_names_share=0.2)
    with pytest.raises(ValueError, match="many_names_share must be at least 0.0 and at most 1"):
        Settings(many_names_share=1.5)
    assert Settings(model="minilm").resolved(6, 12).few_names_length_power == 0.0  # the model's
    assert Settings(model="mpnet").resolved(12, 12).few_names_length_power == 0.5  # off: = length_power
    e5 = Settings(model="e5-small").resolved(12, 12)  # the rule on for e5-small's length power alone
    assert (e5.few_names_length_power, e5.length_power, e5.names_heads) == (0.25, 1.0, e5.heads)
    assert Settings(model="minilm", length_power=0.75).resolved(6, 12).few_names_length_power == 0.75
    assert Settings.create("samrank").resolved(6, 12).few_names_length_power == 0.0


def test_a_text_without_names_scores_phrases_by_their_token_sums(bert):
    # uniform mode: every token scores 1, so a phrase's score is tokens ** (1 - power) per occurrence
    extractor = KeyphraseExtractor(bert, mode="uniform", position_power=0.0, length_power=1.0,
                                   few_names_length_power=0.0, graph_weight=0.0)
    plain = "We use a neural network model. The neural network model is deep."
    run = extractor.pipeline.run(plain)
    score = dict(zip(run.candidates.phrases, run.phrase_scores))
    assert extractor.pipeline.length_power(run.tagged) == 0.0
    assert score["neural network model"] == pytest.approx(6.0)  # 3 tokens, twice, not divided
    named = "Anna Berg and Omar Haddad use a neural network model."
    run = extractor.pipeline.run(named)
    assert extractor.pipeline.length_power(run.tagged) == 1.0  # nouns mostly names: the news power
    assert dict(zip(run.candidates.phrases, run.phrase_scores))["neural network model"] == pytest.approx(1.0)


def test_names_heads_settings():
    minilm = Settings(model="minilm").resolved(6, 12)
    assert len(minilm.names_heads) == 72 and minilm.names_head_weighting == "dynamic"
    mpnet = Settings(model="mpnet").resolved(12, 12)
    assert (mpnet.names_heads, mpnet.names_head_weighting) == (mpnet.heads, mpnet.head_weighting)  # off
    given = Settings(model="minilm", heads=((3, 11),)).resolved(6, 12)  # given heads hold for every text
    assert given.names_heads == ((3, 11),) and given.names_head_weighting == "mean"
    with pytest.raises(ValueError, match="names_heads must be a non-empty list"):
        Settings(names_heads=((1,),))
    with pytest.raises(ValueError, match="layer must be an integer from 0 to 5"):
        Settings(model="minilm", names_heads=((6, 0),)).resolved(6, 12)


def test_a_text_with_many_names_is_read_by_the_names_heads(bert):
    import numpy as np

    from samrank import scoring

    extractor = KeyphraseExtractor(bert, heads=((0, 0),), names_heads=((1, 1), (2, 0)),
                                   names_head_weighting="mean", graph_weight=0.0)
    pipeline = extractor.pipeline
    plain = pipeline.run("We use a neural network model for keyphrase extraction.")
    assert pipeline.heads(plain.tagged) == (((0, 0),), "mean")
    named = "Anna Berg and Omar Haddad use a neural network model."
    run = pipeline.run(named)
    assert pipeline.heads(run.tagged) == (((1, 1), (2, 0)), "mean")
    _, every = pipeline.read(named, layers=[0, 1, 2], all_heads=True)
    expected = scoring.mix_heads(np.stack([every[1, 1], every[2, 0]]))
    np.testing.assert_allclose(run.token_scores, expected)


def test_no_names_heads_reads_the_heads_in_every_text():
    off = Settings(model="minilm", names_heads=()).resolved(6, 12)
    assert (off.names_heads, off.names_head_weighting) == (((5, 5),), "mean")
    assert Settings(model="minilm", names_heads=[]).resolved(6, 12).names_heads == ((5, 5),)
    from samrank.cli import main
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["extract", "--names-heads", "5-x", "-"], input="text")
    assert result.exit_code == 2 and "layer-head pairs" in result.output


def test_the_graph_weight_follows_the_share_of_names(monkeypatch):
    from samrank import fusion
    from samrank.pipeline import Pipeline

    settings = Settings(model="minilm", graph_weight=0.6, few_names_graph_weight=0.2,
                        few_names_share=0.2, many_names_share=0.4)
    pipeline = Pipeline(settings)
    monkeypatch.setattr(Pipeline, "resolved", property(lambda self: settings.resolved(6, 12)))
    seen = []
    monkeypatch.setattr(fusion, "fused", lambda tagged, found, scores, weight: seen.append(weight) or scores)
    words = 450  # long enough for the graph's full weight
    for proper, weight in ((0, 0.2), (135, 0.4), (300, 0.6)):  # shares 0, 0.3 and 0.67 of 450 nouns
        tagged = _tags(["NNP"] * proper + ["NN"] * (words - proper))
        pipeline.with_graph(tagged, None, [1.0])
        assert seen[-1] == pytest.approx(weight)
    assert Settings(model="minilm", graph_weight=0.3).resolved(6, 12).few_names_graph_weight == 0.3
    assert Settings(model="e5-small").resolved(12, 12).few_names_graph_weight == 0.0
