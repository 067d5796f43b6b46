"""Long texts with few names read by their own heads (``long_heads``)."""

import numpy as np
import pytest
from click.testing import CliRunner

from samrank import scoring
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

PLAIN = "We use a neural network model for keyphrase extraction."  # 9 words, no names
NAMED = "Anna Berg and Omar Haddad use a neural network model."


def test_long_heads_settings():
    given = Settings(model="minilm", long_heads=((5, 7), (5, 9))).resolved(6, 12)
    assert given.long_heads == ((5, 7), (5, 9)) and given.long_head_weighting == "mean"
    assert Settings(model="minilm", long_heads=[[5, 7]], long_head_weighting="dynamic").resolved(
        6, 12).long_head_weighting == "dynamic"
    for off in ((), []):  # none: the heads in long texts too
        resolved = Settings(model="minilm", long_heads=off).resolved(6, 12)
        assert (resolved.long_heads, resolved.long_head_weighting) == (resolved.heads, resolved.head_weighting)
    mpnet = Settings(model="mpnet").resolved(12, 12)
    assert (mpnet.long_heads, mpnet.long_head_weighting) == (mpnet.heads, mpnet.head_weighting)
    given_heads = Settings(model="minilm", heads=((3, 11),), head_weighting="dynamic").resolved(6, 12)
    assert (given_heads.long_heads, given_heads.long_head_weighting) == (((3, 11),), "dynamic")
    with pytest.raises(ValueError, match="long_heads must be a non-empty list"):
        Settings(long_heads=((1,),))
    with pytest.raises(ValueError, match="head must be an integer from 0 to 11"):
        Settings(model="minilm", long_heads=((5, 12),)).resolved(6, 12)
    assert "long texts 5-7 (mean)" in Settings(model="minilm", long_heads=((5, 7),), long_head_weighting="mean").describe()
    assert "; long texts" not in Settings(model="minilm", long_heads=()).describe()


def test_a_long_text_with_few_names_is_read_by_the_long_heads(bert):
    extractor = KeyphraseExtractor(bert, heads=((0, 0),), long_heads=((1, 1), (2, 0)), long_head_weighting="mean",
                                   names_heads=((2, 1),), long_text_words=9, graph_weight=0.0)
    pipeline = extractor.pipeline
    run = pipeline.run(PLAIN)
    assert pipeline.heads(run.tagged) == (((1, 1), (2, 0)), "mean")
    _, every = pipeline.read(PLAIN, layers=[0, 1, 2], all_heads=True)
    np.testing.assert_allclose(run.token_scores, scoring.mix_heads(np.stack([every[1, 1], every[2, 0]])))
    short = pipeline.run("We use a neural network model.")  # under long_text_words
    assert pipeline.heads(short.tagged) == (((0, 0),), "mean")
    named = pipeline.run(NAMED)  # long, but with many names: the names heads come first
    assert pipeline.heads(named.tagged) == (((2, 1),), "mean")
    np.testing.assert_allclose(named.token_scores, pipeline.read(NAMED, layers=[2], all_heads=True)[1][0, 1])


def test_long_heads_change_a_long_text_only(bert):
    plain = KeyphraseExtractor(bert, heads=((0, 0),), long_text_words=9, graph_weight=0.0)
    other = KeyphraseExtractor(bert, heads=((0, 0),), long_heads=((2, 1),), long_text_words=9, graph_weight=0.0)
    short = "We use a neural network model."
    assert [(k.phrase, k.score) for k in plain.extract(short)] == [(k.phrase, k.score) for k in other.extract(short)]
    assert [k.score for k in plain.extract(PLAIN)] != [k.score for k in other.extract(PLAIN)]


def test_long_heads_on_the_command_line():
    bad = CliRunner().invoke(main, ["extract", "--long-heads", "5-x", "-"], input="text")
    assert bad.exit_code == 2 and "layer-head pairs" in bad.output
    from samrank.options import HeadList

    assert HeadList().convert("none", type("P", (), {"name": "long_heads"})(), None) == ()
    assert HeadList().convert("5-7,5-9", None, None) == ((5, 7), (5, 9))
