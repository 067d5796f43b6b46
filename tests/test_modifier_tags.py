"""Which words may stand before an English phrase's nouns (``modifier_tags``)."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import noun_phrase_spans, select_candidates, tag
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.options import TagList
from samrank.settings import MODIFIER_TAGS, Settings

TEXT = ("Distributed systems need fault tolerance. The largest prime numbers run on embedded "
        "processors.")


@settings(deadline=None)  # nltk's first import
@given(st.lists(st.sampled_from(["NN", "NNS", "NNP", "DT", "VB", "IN", *MODIFIER_TAGS]), max_size=14),
       st.sets(st.sampled_from(MODIFIER_TAGS), min_size=1))
def test_chunker_equals_nltk_regexp_parser_with_the_modifiers(tags, modifiers):
    from nltk import RegexpParser

    parser = RegexpParser("NP: {<NN.*|" + "|".join(sorted(modifiers)) + ">*<NN.*>}")
    tree = parser.parse([(str(i), t) for i, t in enumerate(tags)]) if tags else []
    expected, position = [], 0
    for node in tree:
        if hasattr(node, "label"):
            expected.append((position, position + len(node)))
        position += len(node) if hasattr(node, "label") else 1
    assert noun_phrase_spans(tags, np.zeros(len(tags), int), tuple(modifiers)) == expected


def test_past_participles_and_superlatives_join_a_phrase_only_when_asked():
    tagged = tag([TEXT])[0]
    assert dict(zip(tagged.words, tagged.tags))["distributed"] == "VBN"
    embedrank = select_candidates(tagged).phrases
    assert "systems" in embedrank and "distributed systems" not in embedrank
    assert select_candidates(tagged, modifier_tags=("JJ",)).phrases == embedrank
    participles = select_candidates(tagged, modifier_tags=("JJ", "VBN")).phrases
    assert {"distributed systems", "embedded processors", "prime numbers"} <= set(participles)
    assert "largest prime numbers" in select_candidates(tagged, modifier_tags=("JJ", "JJS")).phrases


def test_modifier_tags_settings():
    assert Settings(modifier_tags=["VBN", "JJ"]).modifier_tags == ("JJ", "VBN")  # one order
    assert Settings.create("samrank").modifier_tags == ("JJ",)
    for bad in (["NN"], [], "JJ", ["jj"]):
        with pytest.raises(ValueError, match="modifier_tags must be a non-empty list from JJ, JJR"):
            Settings(modifier_tags=bad)


def test_modifier_tags_reach_the_extractor(bert):
    plain = KeyphraseExtractor(bert, modifier_tags=("JJ",))
    wide = KeyphraseExtractor(bert, modifier_tags=("JJ", "VBN"))
    assert "distributed systems" not in [k.phrase.lower() for k in plain.extract(TEXT, top_n=20)]
    assert "distributed systems" in [k.phrase.lower() for k in wide.extract(TEXT, top_n=20)]


def test_modifier_tags_on_the_command_line():
    assert TagList().convert("jj, vbn", None, None) == ("JJ", "VBN")
    bad = CliRunner().invoke(main, ["extract", "--modifier-tags", "JJ,NN", "-"], input="text")
    assert bad.exit_code == 2 and "not a list of tags from JJ,JJR,JJS,VBN,VBG" in bad.output


def test_the_default_modifier_tags_are_what_the_committed_grid_chose():
    # docs/NAMES_grammar_choice.json is written by `benchmarks/names_rule.py --choose-grammar`
    chosen = json.loads((Path(__file__).parents[1] / "docs" / "NAMES_grammar_choice.json").read_text())["chosen"]
    assert ",".join(Settings().modifier_tags) == chosen["modifier tags"]
