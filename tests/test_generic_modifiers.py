"""Leading adjectives of SMART's stop list trimmed off English phrases (``leading_stopwords="trim_generic"``)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import tagged_text
from samrank.candidates.en import noun_phrase_spans
from samrank.candidates.edges import generic_words, trim_leading_stopwords
from samrank.extractor import KeyphraseExtractor

STOP = frozenset({"other", "computer"})
GRAMMAR = ("JJ", "JJR", "JJS", "VBN")


def hand_tagged(words, tags):
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text(words, tags, starts, starts + [len(w) for w in words], [0] * len(words), "en")


def test_the_list_is_smarts_without_its_source_note():
    words = generic_words()
    assert {"new", "novel", "different", "various", "known", "appropriate"} <= words
    assert not any(w.startswith("#") for w in words)
    assert {"neural", "linear", "social", "network"}.isdisjoint(words)


def test_generic_adjectives_and_participles_go_and_nouns_of_the_list_stay():
    tagged = hand_tagged(["a", "novel", "neural", "network", "and", "known", "new", "methods", "for", "example", "sentences"],
                         ["DT", "JJ", "JJ", "NN", "CC", "VBN", "JJ", "NNS", "IN", "NN", "NNS"])
    spans = [(1, 4), (5, 8), (9, 11)]
    # "example" is on the list, but a noun: "example sentences" is a term
    assert trim_leading_stopwords(tagged, spans, STOP, generic_words())[0] == [(2, 4), (7, 8), (9, 11)]
    trim = select_candidates(tagged, stopwords=STOP, modifier_tags=GRAMMAR, leading_stopwords="trim")
    generic = select_candidates(tagged, stopwords=STOP, modifier_tags=GRAMMAR, leading_stopwords="trim_generic")
    assert trim.phrases == ["novel neural network", "known new methods", "example sentences"]
    assert generic.phrases == ["neural network", "methods", "example sentences"]


def test_a_phrase_of_generic_words_alone_keeps_its_noun_and_stop_words_go_after():
    tagged = hand_tagged(["different", "other", "computer", "vision", "and", "new", "ones"],
                         ["JJ", "JJ", "NN", "NN", "CC", "JJ", "NNS"])
    generic = select_candidates(tagged, stopwords=STOP, modifier_tags=GRAMMAR, leading_stopwords="trim_generic")
    # "different other" trimmed as generic; "computer" (SAMRank's list, a noun) opens "computer vision"
    assert generic.phrases == ["computer vision", "ones"]


WORDS = ["new", "novel", "neural", "network", "example", "other", "computer", "the"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["NN", "NNS", "JJ", "VBN", "DT", "VB"])), max_size=12))
def test_trim_generic_only_shortens_what_trim_found(pairs):
    """Each phrase is the tail of a chunk that opens with neither a generic modifier nor a stop
    word, unless that word is a noun."""
    words, tags = [w for w, _ in pairs] or ["x"], [t for _, t in pairs] or ["DT"]
    tagged = hand_tagged(words, tags)
    generic = select_candidates(tagged, stopwords=STOP, modifier_tags=GRAMMAR, leading_stopwords="trim_generic")
    # a phrase's word sequence may be the tail of several chunks ("new new" as NN NN and as JJ NN):
    # one of them must open with a noun or a word that is neither generic nor a stop word
    first_tags: dict[str, set[str]] = {}
    for i, j in noun_phrase_spans(tags, tagged.sentences, GRAMMAR):
        for k in range(i, j):
            first_tags.setdefault(" ".join(words[k:j]), set()).add(tags[k])
    for phrase in generic.phrases:
        assert phrase in first_tags
        first = phrase.split()[0]
        assert any(t.startswith("NN") for t in first_tags[phrase]) or first not in generic_words() | STOP


def test_trim_generic_keeps_a_noun_sequence_that_a_trimmed_chunk_repeats():
    """Hypothesis's counterexample: "new new" stands as two nouns, and again after "new" (JJ)."""
    words, tags = ["new", "new", "new", "new", "new"], ["NN", "NN", "DT", "JJ", "NN"]
    generic = select_candidates(hand_tagged(words, tags), stopwords=STOP, modifier_tags=GRAMMAR,
                                leading_stopwords="trim_generic")
    assert "new new" in generic.phrases


def test_the_real_tagger_and_the_extractor(bert):
    text = "We propose a novel neural network. The new method beats different image segmentation tasks."
    tagged = tag([text])[0]
    phrases = select_candidates(tagged, modifier_tags=GRAMMAR, leading_stopwords="trim_generic").phrases
    assert {"neural network", "method", "image segmentation tasks"} <= set(phrases)
    assert not {p for p in phrases if p.split()[0] in {"novel", "new", "different"}}
    found = [k.phrase for k in KeyphraseExtractor(bert, leading_stopwords="trim_generic").extract(text, top_n=20)]
    assert "neural network" in found and "novel neural network" not in found
