"""A time adverbial glued to an English chunk's end is cut off (``split_time_words``)."""

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import tagged_text
from samrank.candidates.edges import trim_trailing_time_words
from samrank.candidates.en import noun_phrase_spans
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

GRAMMAR = ("JJ", "JJR", "JJS", "VBN")
STOP = frozenset({"the"})


def hand_tagged(words, tags):
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text(words, tags, starts, starts + [len(w) for w in words], [0] * len(words), "en")


def phrases(words, tags, split):
    return select_candidates(hand_tagged(words, tags), stopwords=STOP, modifier_tags=GRAMMAR,
                             leading_stopwords="trim", split_time_words=split).phrases


def test_days_and_periods_after_a_noun_phrase_go():
    words = ["exxon", "officials", "monday", "night", "said", "the", "storm", "last", "week", "hurt", "fishermen", "today"]
    tags = ["NNP", "NNS", "NNP", "NN", "VBD", "DT", "NN", "JJ", "NN", "VBD", "NNS", "NN"]
    assert phrases(words, tags, False) == ["exxon officials monday night", "storm last week", "fishermen today"]
    assert phrases(words, tags, True) == ["exxon officials", "storm", "fishermen"]


def test_a_period_without_a_relative_word_and_time_words_alone_stay():
    words = ["fashion", "week", "and", "school", "year", "and", "last", "year", "and", "monday"]
    tags = ["NN", "NN", "CC", "NN", "NN", "CC", "JJ", "NN", "CC", "NNP"]
    # no noun would be left of "last year" or "monday": the chunk stays whole (the graph drops dates)
    assert phrases(words, tags, True) == phrases(words, tags, False) == [
        "fashion week", "school year", "last year", "monday"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["officials", "monday", "night", "last", "week", "storm", "today"]),
                          st.sampled_from(["NN", "NNS", "NNP", "JJ", "VBD"])), max_size=12))
def test_each_span_is_cut_to_a_prefix_that_ends_on_a_noun(pairs):
    words, tags = [w for w, _ in pairs] or ["x"], [t for _, t in pairs] or ["VBD"]
    tagged = hand_tagged(words, tags)
    spans = noun_phrase_spans(tags, tagged.sentences, GRAMMAR)
    cut = trim_trailing_time_words(tagged, spans)
    assert len(cut) == len(spans)
    for (i, j), (a, b) in zip(spans, cut):
        assert a == i and i < b <= j and tags[b - 1].startswith("NN")


def test_the_real_tagger_the_extractor_and_the_settings(bert):
    text = "Exxon officials Monday said the oil spill last week hurt Alaska fishermen."
    tagged = tag([text])[0]
    split = select_candidates(tagged, modifier_tags=GRAMMAR, leading_stopwords="trim", split_time_words=True).phrases
    assert "exxon officials" in split and not any(p.endswith(("monday", "week")) for p in split)
    found = [k.phrase for k in KeyphraseExtractor(bert).extract(text, top_n=20)]
    assert "Exxon officials" in found and "Exxon officials Monday" not in found
    kept = [k.phrase for k in KeyphraseExtractor(bert, split_time_words=False).extract(text, top_n=20)]
    assert "Exxon officials Monday" in kept
    assert Settings.create("samrank").split_time_words is False
    assert "time words kept" in Settings(split_time_words=False).describe()
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    assert "--split-time-words / --no-split-time-words" in help_text  # the CLI is made from Settings
