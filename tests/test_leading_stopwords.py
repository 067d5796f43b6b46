"""English phrases that open with a stop word: dropped as SAMRank does, or trimmed (``leading_stopwords``)."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import tagged_text
from samrank.candidates.en import default_stopwords, noun_phrase_spans, trim_leading_stopwords
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

STOP = frozenset({"other", "more", "computer", "others"})


def hand_tagged(words, tags):
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text(words, tags, starts, starts + [len(w) for w in words], [0] * len(words), "en")


def test_trimming_takes_stop_words_off_the_front_and_keeps_a_listed_noun_before_more_nouns():
    tagged = hand_tagged(["other", "methods", "use", "computer", "vision", "and", "others", "like", "more", "computer"],
                         ["JJ", "NNS", "VBP", "NN", "NN", "CC", "NNS", "IN", "JJR", "NN"])
    spans = [(0, 2), (3, 5), (6, 7), (8, 10)]
    trimmed, stopwords = trim_leading_stopwords(tagged, spans, STOP)
    # "other methods" -> "methods"; "computer vision" kept whole; "others" alone and "more computer" go
    assert trimmed == [(1, 2), (3, 5)]
    assert stopwords == STOP - {"computer"}


def test_drop_is_samranks_rule_and_trim_keeps_the_nouns():
    tagged = hand_tagged(["other", "methods", "use", "computer", "vision"], ["JJ", "NNS", "VBP", "NN", "NN"])
    assert select_candidates(tagged, stopwords=STOP).phrases == []
    assert select_candidates(tagged, stopwords=STOP, leading_stopwords="trim").phrases == ["methods", "computer vision"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["other", "more", "computer", "vision", "methods", "the"]),
                          st.sampled_from(["NN", "NNS", "JJ", "JJR", "DT", "VB"])), max_size=12))
def test_trimming_only_adds_what_dropping_lost(pairs):
    """Every phrase SAMRank's rule keeps is kept; a new one is a dropped chunk's tail, opening with a
    word off the list or with a listed noun before more nouns."""
    words, tags = [w for w, _ in pairs], [t for _, t in pairs]
    tagged = hand_tagged(words, tags) if words else hand_tagged(["x"], ["DT"])
    dropped = select_candidates(tagged, stopwords=STOP, modifier_tags=("JJ", "JJR"))
    trimmed = select_candidates(tagged, stopwords=STOP, modifier_tags=("JJ", "JJR"), leading_stopwords="trim")
    assert set(dropped.phrases) <= set(trimmed.phrases)
    spans = noun_phrase_spans(tagged.tags, tagged.sentences, ("JJ", "JJR"))
    tails = {" ".join(tagged.words[k:j]) for i, j in spans for k in range(i, j)}
    for phrase in set(trimmed.phrases) - set(dropped.phrases):
        assert phrase in tails
        first = phrase.split()[0]
        assert first not in STOP or len(phrase.split()) > 1


def test_the_tagger_and_the_extractor_follow_the_setting(bert):
    text = "Computer vision helps the fire department. Other methods exist. Depp could be back for more Pirates."
    tagged = tag([text])[0]
    assert {"computer", "fire"} <= default_stopwords()  # nouns on SAMRank's list
    grammar = Settings().modifier_tags  # JJR: "more Pirates" is one chunk
    assert select_candidates(tagged, modifier_tags=grammar).phrases == ["depp"]
    assert {"computer vision", "fire department", "methods", "pirates"} <= set(
        select_candidates(tagged, modifier_tags=grammar, leading_stopwords="trim").phrases)
    default = [k.phrase for k in KeyphraseExtractor(bert).extract(text, top_n=20)]
    assert {"Computer vision", "fire department", "methods", "Pirates"} <= set(default)
    samrank = [k.phrase for k in KeyphraseExtractor(bert, preset="samrank", heads=((0, 0),)).extract(text, top_n=20)]
    assert sorted(samrank) == ["Depp", "Pirates"]  # JJ alone: "more" stays out of the chunk


def test_settings_and_command_line():
    assert Settings().leading_stopwords == "trim"
    assert Settings.create("samrank").leading_stopwords == "drop"
    with pytest.raises(ValueError, match="leading_stopwords must be one of trim, drop"):
        Settings(leading_stopwords="keep")
    bad = CliRunner().invoke(main, ["extract", "--leading-stopwords", "keep", "-"], input="text")
    assert bad.exit_code == 2 and "'keep' is not one of 'trim', 'drop'" in bad.output


def test_the_default_is_what_the_committed_grid_chose():
    # docs/NAMES_stopwords_choice.json is written by `benchmarks/names_rule.py --choose-stopwords`
    chosen = json.loads((Path(__file__).parents[1] / "docs" / "NAMES_stopwords_choice.json").read_text())["chosen"]
    assert Settings().leading_stopwords == chosen["leading_stopwords"]
