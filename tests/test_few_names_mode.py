"""The readout of texts with few names (``few_names_mode``, ``Pipeline.mode``)."""

import numpy as np
import pytest

from samrank import KeyphraseExtractor
from samrank.settings import Settings

PLAIN = "We use a neural network model for keyphrase extraction."
NAMED = "Anna Berg and Omar Haddad use a neural network model."


def test_a_text_with_few_names_is_read_with_its_own_readout_and_news_with_mode(bert):
    extractor = KeyphraseExtractor(bert, heads=((0, 0),), few_names_mode="global", graph_weight=0.0)
    pipeline = extractor.pipeline
    plain, named = pipeline.run(PLAIN), pipeline.run(NAMED)
    assert pipeline.mode(plain.tagged) == "global" and pipeline.mode(named.tagged) == "both"
    _, global_ = pipeline.read(PLAIN, layers=[0], all_heads=True, mode="global")
    _, both = pipeline.read(PLAIN, layers=[0], all_heads=True, mode="both")
    np.testing.assert_allclose(plain.token_scores, global_[0, 0])
    assert not np.allclose(global_[0, 0], both[0, 0])
    _, both_named = pipeline.read(NAMED, layers=[0], all_heads=True)
    np.testing.assert_allclose(named.token_scores, both_named[0, 0])


def test_the_setting_follows_mode_unless_given_and_the_cache_keeps_them_apart(bert, tmp_path, monkeypatch):
    resolved = Settings(model="minilm").resolved(6, 12)
    assert (resolved.mode, resolved.few_names_mode) == ("both", "cls")  # chosen for minilm
    assert Settings(model="mpnet").resolved(12, 12).few_names_mode == "both"  # no choice: mode
    assert Settings(model="minilm", few_names_mode="both").resolved(6, 12).few_names_mode == "both"
    assert Settings(model="minilm", heads=((3, 11),)).resolved(6, 12).few_names_mode == "both"  # chosen for 5-5
    assert Settings(model="minilm", mode="uniform").resolved(6, 12).few_names_mode == "uniform"  # the control
    assert Settings(model="minilm", mode="global", few_names_mode="cls").resolved(6, 12).few_names_mode == "cls"
    assert Settings.create("samrank", mode="global").resolved(6, 12).few_names_mode == "global"
    assert Settings.create("samrank", mode="both").resolved(6, 12).few_names_mode == "both"
    assert Settings.create("samrank").resolved(6, 12).few_names_mode == "both"
    with pytest.raises(ValueError, match="few_names_mode"):
        Settings(few_names_mode="sideways")
    assert "few names read by cls" in Settings(few_names_mode="cls").describe()
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    cached = KeyphraseExtractor(bert, heads=((0, 0),), few_names_mode="global", graph_weight=0.0, cache=True)
    fresh = KeyphraseExtractor(bert, heads=((0, 0),), few_names_mode="global", graph_weight=0.0)
    for _ in range(2):  # the second run reads the cache
        assert cached.extract(PLAIN) == fresh.extract(PLAIN)
        assert cached.extract(NAMED) == fresh.extract(NAMED)


def test_the_cli_and_the_service_take_it():
    from click.testing import CliRunner

    from samrank.cli import main

    bad = CliRunner().invoke(main, ["extract", "--few-names-mode", "sideways", "-"], input="text")
    assert bad.exit_code == 2 and "few-names-mode" in bad.output


def test_a_new_mode_carries_to_texts_with_few_names_where_it_did_before(bert):
    paper = KeyphraseExtractor(bert, preset="samrank")
    assert paper.replace(mode="global").settings.resolved(6, 12).few_names_mode == "global"
    chosen = KeyphraseExtractor(bert, few_names_mode="cls")
    assert chosen.replace(mode="global").settings.resolved(6, 12).few_names_mode == "cls"
    assert KeyphraseExtractor(bert).replace(mode="uniform").settings.resolved(6, 12).few_names_mode == "uniform"
    from samrank.settings import SAMRANK
    spread = Settings(model="minilm", mode="uniform", **SAMRANK).resolved(6, 12)  # the preset as keywords
    assert spread.few_names_mode == "uniform"
