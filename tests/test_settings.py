"""Settings: validation with one clear message per bad value, presets, per-model defaults, and
every setting reaching the pipeline from the command line."""

import dataclasses

import pytest
from click.testing import CliRunner

from samrank import SAMRANK, KeyphraseExtractor, Settings
from samrank.settings import MODEL_DEFAULTS, generic_heads


@pytest.mark.parametrize("values,message", [
    ({"mode": "magic"}, "mode must be one of both, global"),
    ({"head_weighting": "max"}, "head_weighting must be one of mean, dynamic"),
    ({"single_words": "all"}, "single_words must be one of mean, sum"),
    ({"length_power": -1}, "length_power must be at least 0.0"),
    ({"diversity": 2}, "diversity must be at least 0.0 and at most 1.0"),
    ({"window_overlap": 0.8}, "window_overlap must be at least 0.0 and at most 0.75"),
    ({"length_power": float("inf")}, "length_power must be a finite number"),
    ({"position_power": float("-inf")}, "position_power must be a finite number"),
    ({"max_words": 0}, "max_words must be at least 1"),
    ({"max_words": 2.5}, "max_words must be a number"),
    ({"max_length": 4}, "max_length must be at least 8"),
    ({"heads": [(1,)]}, "heads must be a non-empty list"),
    ({"heads": []}, "heads must be a non-empty list"),
    ({"heads": [(0, -1)]}, "heads must be a non-empty list of 0-based"),
    ({"dedupe": "yes"}, "dedupe must be True or False"),
    ({"backend": "tpu"}, "backend must be one of auto, torch, onnx"),
    ({"stopwords": "the"}, "stopwords must be a collection of words"),
])
def test_each_bad_value_gets_one_clear_message(values, message):
    with pytest.raises(ValueError, match=message) as error:
        Settings(**values)
    assert "\n" not in str(error.value)


def test_several_bad_values_are_all_named():
    with pytest.raises(ValueError) as error:
        Settings(mode="x", diversity=3)
    assert "mode" in str(error.value) and "diversity" in str(error.value)


def test_create_takes_presets_layer_head_shorthand_and_rejects_unknown_names():
    assert Settings.create(layer=3, head=11).heads == ((3, 11),)
    paper = Settings.create("samrank", layer=3, head=11)
    assert (paper.single_words, paper.length_power, paper.position_power) == ("mean", 0.0, 0.0)
    assert Settings.create("samrank", length_power=0.5).length_power == 0.5  # explicit beats preset
    with pytest.raises(TypeError, match="unknown setting"):
        Settings.create(top_k=3)
    with pytest.raises(ValueError, match="layer and head go together"):
        Settings.create(layer=3)
    with pytest.raises(ValueError, match="preset must be one of default, samrank"):
        Settings.create("fast")
    with pytest.raises(ValueError, match="not both"):
        Settings.create(layer=1, head=1, heads=[(2, 2)])


def test_model_defaults_fill_only_what_was_not_given():
    minilm = Settings(model="minilm").resolved(6, 12)
    assert minilm.heads == ((5, 5),) and minilm.length_power == 1.0
    assert Settings(model="mpnet").resolved(12, 12).heads == MODEL_DEFAULTS["mpnet"]["heads"]
    mine = Settings(model="mpnet", length_power=0.0, heads=((1, 2),)).resolved(12, 12)
    assert mine.heads == ((1, 2),) and mine.length_power == 0.0
    assert mine.position_power == MODEL_DEFAULTS["mpnet"]["position_power"]
    other = Settings(model="some/hub-model").resolved(12, 8)
    assert other.heads == generic_heads(12, 8) == tuple((11, h) for h in range(8))
    with pytest.raises(ValueError, match="layer must be an integer from 0 to 5 for minilm"):
        Settings(model="minilm", heads=((6, 0),)).resolved(6, 12)


def test_auto_model_reads_english_with_minilm_and_other_languages_with_e5():
    from samrank.settings import auto_model

    assert Settings().model == "auto" and Settings().language == "auto"
    assert auto_model("en") == "minilm" and auto_model(None) == "minilm"
    assert auto_model("es") == auto_model("zh") == "e5-small"
    with pytest.raises(ValueError, match="language must be auto or one of"):
        Settings(language="xx")


def test_the_samrank_preset_is_the_published_scoring():
    assert SAMRANK == {"modifier_tags": ("JJ",), "leading_stopwords": "drop", "split_time_words": False,
                       "split_datelines": False, "nominal_gerunds": False, "drop_measures": False, "drop_cited_names": False,
                       "drop_formulas": False, "drop_addresses": False,
                       "single_words": "mean", "long_word_count_power": 1.0, "length_power": 0.0,
                       "few_names_length_power": 0.0, "names_heads": (), "long_heads": (), "position_power": 0.0, "long_position_power": 0.0,
                       "graph_weight": 0.0, "rarity_power": 0.0, "similarity_power": 0.0, "few_names_mode": "same"}
    paper = Settings.create("samrank", model="minilm").resolved(6, 12)
    assert paper.mode == paper.few_names_mode == "both"
    assert (paper.position_power, paper.long_position_power, paper.graph_weight) == (0, 0, 0)
    assert (paper.rarity_power, paper.few_names_rarity_power) == (0, 0)
    assert (paper.names_heads, paper.names_head_weighting) == (paper.heads, paper.head_weighting) == (((5, 5),), "mean")
    assert (paper.long_heads, paper.long_head_weighting) == (paper.heads, paper.head_weighting)
    assert paper.modifier_tags == ("JJ",)  # the EmbedRank grammar <NN.*|JJ>*<NN.*>


def test_long_text_settings_are_validated():
    with pytest.raises(ValueError, match=r"graph_from_words \(500\) must not exceed graph_full_words \(400\)"):
        Settings(graph_from_words=500, graph_full_words=400)
    with pytest.raises(ValueError, match="graph_weight must be at least 0.0 and at most 1"):
        Settings(graph_weight=1.5)
    with pytest.raises(ValueError, match="graph_weight must be a number"):
        Settings(graph_weight=float("nan"))


def test_a_given_position_power_holds_for_long_texts_too():
    assert Settings(model="minilm").resolved(6, 12).long_position_power == 1.0  # the model's
    assert Settings(model="minilm", position_power=0.0).resolved(6, 12).long_position_power == 0.0
    both = Settings(model="minilm", position_power=0.0, long_position_power=1.0).resolved(6, 12)
    assert (both.position_power, both.long_position_power) == (0.0, 1.0)


def test_extractor_reads_its_settings_as_attributes_and_replace_keeps_idf():
    extractor = KeyphraseExtractor(mode="global", nested=False)
    assert extractor.mode == "global" and extractor.nested is False
    extractor.idf_ = object()
    other = extractor.replace(mode="both")
    assert other.mode == "both" and other.idf_ is extractor.idf_ and extractor.mode == "global"
    with pytest.raises(AttributeError):
        extractor.no_such_setting


def test_every_setting_is_an_option_and_reaches_the_pipeline(monkeypatch):
    from samrank import cli

    seen = {}

    def stop_before_work(extractor):  # the command's first step once its options are parsed
        seen["settings"] = extractor.settings
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_ready", stop_before_work)
    given = ["--model", "mpnet", "--heads", "1-2,3-4", "--head-weighting", "dynamic", "--mode", "cls",
             "--single-words", "mean", "--length-power", "0.5", "--position-power", "2", "--max-words", "3",
             "--max-length", "128", "--window-overlap", "0.25", "--stopwords", "the,a", "--no-dedupe",
             "--no-nested", "--diversity", "0.3", "--use-idf", "--backend", "onnx", "--cache"]
    result = CliRunner().invoke(cli.main, ["extract", *given, "-"], input="text")
    assert result.exit_code == 0, result.output
    expected = Settings(model="mpnet", heads=((1, 2), (3, 4)), head_weighting="dynamic", mode="cls",
                        single_words="mean", length_power=0.5, position_power=2.0, max_words=3,
                        max_length=128, window_overlap=0.25, stopwords=frozenset({"the", "a"}),
                        dedupe=False, nested=False, diversity=0.3, use_idf=True, backend="onnx", cache=True)
    assert seen["settings"] == expected
    assert {f.name for f in dataclasses.fields(Settings)} <= {
        o.name for o in cli.extract.params} | {"model"}
    for command in (cli.highlight, cli.evaluate, cli.heads):
        assert {f.name for f in dataclasses.fields(Settings)} <= {o.name for o in command.params}


def test_cli_defaults_preset_and_bad_values():
    from samrank import cli

    result = CliRunner().invoke(cli.main, ["extract", "--diversity", "3", "-"], input="x")
    assert result.exit_code == 2 and "diversity" in result.output
    result = CliRunner().invoke(cli.main, ["extract", "--layer", "3", "-"], input="x")
    assert result.exit_code == 2 and "layer and head go together" in result.output
    result = CliRunner().invoke(cli.main, ["--help"])
    assert result.exit_code == 0
    commands, research = result.output.split("\nCommands:")[1].split("Research commands")
    assert "extract" in commands and "highlight" in commands and "evaluate" not in commands
    assert "evaluate" in research and "heads" in research
