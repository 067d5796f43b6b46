"""A gerund the tagger reads as a verb inside a noun phrase joins it where the text uses the word
as a noun elsewhere (``nominal_gerunds``)."""

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import tagged_text
from samrank.candidates.edges import gerunds_as_nouns
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

GRAMMAR = ("JJ", "JJR", "JJS", "VBN")
STOP = frozenset({"the", "a"})


def hand_tagged(words, tags, sentences=None):
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text(words, tags, starts, starts + [len(w) for w in words],
                       sentences if sentences is not None else [0] * len(words), "en")


def phrases(tagged, read):
    return select_candidates(tagged, stopwords=STOP, modifier_tags=GRAMMAR, leading_stopwords="trim",
                             nominal_gerunds=read).phrases


# "message passing protocol ... the passing of messages": the second "passing" is a noun
WORDS = ["a", "message", "passing", "protocol", "is", "the", "passing", "of", "messages"]
TAGS = ["DT", "NN", "VBG", "NN", "VBZ", "DT", "NN", "IN", "NNS"]


def test_a_gerund_used_as_a_noun_elsewhere_joins_the_phrase():
    tagged = hand_tagged(WORDS, TAGS)
    assert phrases(tagged, False) == ["message", "protocol", "passing", "messages"]
    assert phrases(tagged, True) == ["message passing protocol", "passing", "messages"]
    assert gerunds_as_nouns(tagged).tags[2] == "NN" and tagged.tags[2] == "VBG"  # the input is not changed


def test_a_gerund_the_text_never_uses_as_a_noun_stays_a_verb():
    words = ["people", "using", "computers", "and", "the", "worsening", "drought"]
    tags = ["NNS", "VBG", "NNS", "CC", "DT", "VBG", "NN"]
    tagged = hand_tagged(words, tags)
    assert gerunds_as_nouns(tagged) is tagged
    assert phrases(tagged, True) == phrases(tagged, False) == ["people", "computers", "drought"]


def test_a_sentence_end_or_a_verb_before_it_keeps_the_gerund_a_verb():
    words = ["the", "passing", "team", "stopped", "passing", "notes", "message", "passing", "rules"]
    tags = ["DT", "NN", "NN", "VBD", "VBG", "NNS", "NN", "VBG", "NNS"]
    # "stopped passing notes": a verb before; "message | passing rules": a sentence between
    tagged = hand_tagged(words, tags, [0, 0, 0, 0, 0, 0, 0, 1, 1])
    assert gerunds_as_nouns(tagged).tags == tags


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["passing", "message", "the", "protocol", "using"]),
                          st.sampled_from(["NN", "NNS", "VBG", "DT", "JJ", "VBD"])), max_size=12))
def test_only_gerunds_between_phrase_words_change_and_only_to_nouns(pairs):
    words, tags = [w for w, _ in pairs] or ["x"], [t for _, t in pairs] or ["VBD"]
    read = gerunds_as_nouns(hand_tagged(words, tags)).tags
    nouns = {w for w, t in zip(words, tags) if t.startswith("NN")}
    for i, (before, after) in enumerate(zip(tags, read)):
        if before != after:
            assert (before, after) == ("VBG", "NN") and words[i] in nouns
            assert 0 < i < len(tags) - 1 and tags[i + 1].startswith("NN")
            assert tags[i - 1].startswith("NN") or tags[i - 1] in ("JJ", "DT", "PRP$")


def test_the_real_tagger_the_extractor_and_the_settings(bert):
    text = "We study message passing protocols. The passing of messages is slow."
    tagged = tag([text])[0]
    assert tagged.tags[tagged.words.index("passing")] == "VBG"  # the tagger's reading, the rule's case
    as_tagged = select_candidates(tagged, modifier_tags=GRAMMAR, leading_stopwords="trim").phrases
    read = select_candidates(tagged, modifier_tags=GRAMMAR, leading_stopwords="trim", nominal_gerunds=True).phrases
    assert "message passing protocols" in read and "message passing protocols" not in as_tagged
    found = [k.phrase for k in KeyphraseExtractor(bert).extract(text, top_n=20)]
    assert "message passing protocols" in found
    kept = [k.phrase for k in KeyphraseExtractor(bert, nominal_gerunds=False).extract(text, top_n=20)]
    assert "message passing protocols" not in kept
    assert Settings.create("samrank").nominal_gerunds is False
    assert "gerunds as tagged" in Settings(nominal_gerunds=False).describe()
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    assert "--nominal-gerunds / --no-nominal-gerunds" in help_text
