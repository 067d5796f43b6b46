"""Candidate selection: tagging, the EmbedRank grammar, filters, occurrences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import (
    TAGGER, load_tagger, noun_phrase_spans, select_candidates, split_for_tagging, tag,
)
from tests.conftest import read_dataset

TAGS = ["NN", "NNS", "NNP", "JJ", "DT", "VB", "IN"]


def test_chunker_equals_nltk_regexp_parser_with_the_embedrank_grammar():
    from nltk import RegexpParser

    parser = RegexpParser("NP: {<NN.*|JJ>*<NN.*>}")
    rng = np.random.default_rng(0)
    for _ in range(300):
        tags = list(rng.choice(TAGS, size=rng.integers(1, 14)))
        tree = parser.parse([(str(i), t) for i, t in enumerate(tags)])
        expected, position = [], 0
        for node in tree:
            if hasattr(node, "label"):
                expected.append((position, position + len(node)))
                position += len(node)
            else:
                position += 1
        assert noun_phrase_spans(tags, np.zeros(len(tags), int)) == expected, tags


def test_chunks_do_not_cross_sentences():
    tags = ["JJ", "NN", "NN", "NN"]
    assert noun_phrase_spans(tags, np.array([0, 0, 1, 1])) == [(0, 2), (2, 4)]


def test_hyphenated_compounds_are_one_word_with_offsets():
    text = "A graph-based ranking model uses state-of-the-art methods."
    tagged = tag([text])[0]
    assert "graph-based" in tagged.words and "state-of-the-art" in tagged.words
    for word, start, end in zip(tagged.words, tagged.starts, tagged.ends):
        assert text[start:end].lower() == word


def test_an_en_dash_between_words_joins_a_compound_and_a_spaced_or_em_dash_does_not():
    text = "We model the gas\u2013solid channel flow in pipes. Heat \u2013 not light \u2013 flows. Rain\u2014snow falls."
    tagged = tag([text])[0]
    assert [w for w in tagged.words if "\u2013" in w or "\u2014" in w] == ["gas\u2013solid", "\u2013", "\u2013", "\u2014"]
    assert "gas\u2013solid channel flow" in select_candidates(tagged).phrases
    for word, start, end in zip(tagged.words, tagged.starts, tagged.ends):
        assert text[start:end].lower() == word


def candidate_table(text, **options):
    found = select_candidates(tag([text])[0], **options)
    table = {}
    for p, s, e, alone in zip(found.occ_phrase, found.occ_start, found.occ_end, found.occ_standalone):
        table.setdefault(found.phrases[p], []).append((text[s:e], bool(alone)))
    return found, table


def test_candidates_lowercased_filtered_and_found_everywhere():
    text = ("Keyphrase extraction helps search. We study keyphrase extraction with attention. "
            "The extraction of keyphrase lists is hard. Such methods work.")
    found, table = candidate_table(text)
    assert "keyphrase extraction" in found.phrases
    assert [s for s, _ in table["keyphrase extraction"]] == ["Keyphrase extraction", "keyphrase extraction"]
    assert not any(p.split()[0] in {"the", "such"} for p in found.phrases)  # stopword first word
    # The single word "extraction" is a candidate; inside "keyphrase extraction" it is not alone.
    assert table["extraction"] == [("extraction", False), ("extraction", False), ("extraction", True)]


def test_max_words():
    text = "The big old red wooden garden shed door frame broke."
    found, _ = candidate_table(text)
    assert all(len(p.split()) <= 5 for p in found.phrases)
    found, _ = candidate_table(text, max_words=2)
    assert all(len(p.split()) <= 2 for p in found.phrases)


def test_user_stopwords():
    found, _ = candidate_table("Neural networks learn text representations.", stopwords=frozenset({"neural"}))
    assert "neural networks" not in found.phrases


def test_no_nouns_no_candidates():
    found, _ = candidate_table("Quickly, quietly and carefully!")
    assert len(found) == 0 and len(found.occ_phrase) == 0


def test_long_texts_are_split_at_breaks_and_offsets_survive():
    paragraph = "Solar panels feed the local grid. Storage batteries smooth the peaks.\n"
    text = paragraph * 40
    pieces = split_for_tagging(text, limit=500)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 500 and text[o:o + len(piece)] == piece for o, piece in pieces)
    assert len(pieces) > 5
    tagged = tag([text])[0]
    split = tag([text], max_chars=500)[0]
    assert split.words == tagged.words
    np.testing.assert_array_equal(split.starts, tagged.starts)
    assert split.sentences.max() == tagged.sentences.max()


def test_tag_batch_keeps_order_and_handles_empty():
    out = tag(["Cats sleep.", "", "Dogs bark loudly at night."])
    assert out[0].words[0] == "cats" and out[1].words == [] and out[2].words[0] == "dogs"


def test_fast_tagger_gives_spacys_own_tags_and_sentences():
    """Leaving out the attribute ruler and running thinc on numpy's BLAS must not change a tag or
    a sentence boundary on real documents of three genres."""
    import spacy

    texts = [d["text"] for name in ("inspec", "500n_kpcrowd", "semeval2010")
             for d in read_dataset(name, 4)]
    stock = spacy.load(TAGGER, exclude=["ner", "parser", "lemmatizer"])
    stock.enable_pipe("senter")
    assert "attribute_ruler" not in load_tagger().pipe_names

    def tokens(doc):
        return [(t.idx, t.tag_, t.is_sent_start) for t in doc if not t.text.isspace()]

    for ours, theirs in zip(load_tagger().pipe(texts), stock.pipe(texts)):
        assert tokens(ours) == tokens(theirs)


def test_language_en_is_the_default_route():
    text = "Keyphrase extraction helps search. We study keyphrase extraction with attention."
    default, explicit = tag([text])[0], tag([text], language="en")[0]
    assert default.words == explicit.words and default.tags == explicit.tags
    assert default.language == "en" and default.joiner == " "
    found = select_candidates(explicit, language="en")
    assert found.phrases == select_candidates(default).phrases and found.joiner == " "


def test_a_stop_word_that_opens_a_name_stays_in_it():
    from samrank.candidates.base import build_candidates, tagged_text

    words = ["en", "buenos", "aires", "y", "buenos", "resultados"]
    tags = ["ADP", "PROPN", "PROPN", "CCONJ", "ADJ", "NOUN"]
    tagged = tagged_text(words, tags, range(0, 18, 3), range(2, 18, 3), [0] * 6, "es")
    stop = frozenset({"en", "y", "buenos"})
    found = build_candidates(tagged, [(1, 3), (4, 6)], 5, stop, trim=True)
    assert found.phrases == ["buenos aires", "resultados"]  # the adjective is trimmed, the name is not
    untrimmed = build_candidates(tagged, [(1, 3), (4, 6)], 5, stop)
    assert untrimmed.phrases == ["buenos aires"]  # a phrase may start with a stop word that opens a name
    alone = tagged_text(["buenos"], ["PROPN"], [0], [6], [0], "es")
    assert build_candidates(alone, [(0, 1)], 5, stop, trim=True).phrases == []  # one word is no name


def test_penn_treebank_bracket_escapes_are_brackets_not_names():
    """CoreNLP writes brackets as -LRB- / -RRB- (SemEval 2010's papers); the tagger took them for
    proper nouns, which put them into phrases and raised the text's share of names."""
    from samrank import names

    text = ("We call it Receiver-driven Overlay -LRB- or PRO -RRB- , a scheme -LSB- 3 -RSB-. For "
            "streaming video -LCB- x -RCB- .")
    tagged = tag([text])[0]
    brackets = [(text[s:e], w, t) for w, t, s, e in zip(tagged.words, tagged.tags, tagged.starts, tagged.ends)
                if w in "()[]{}"]
    assert brackets == [("-LRB-", "(", "-LRB-"), ("-RRB-", ")", "-RRB-"), ("-LSB-", "[", "-LRB-"),
                        ("-RSB-", "]", "-RRB-"), ("-LCB-", "{", "-LRB-"), ("-RCB-", "}", "-RRB-")]
    assert all(text[s:e].lower() == w for w, s, e in zip(tagged.words, tagged.starts, tagged.ends)
               if w not in "()[]{}")  # offsets in the text as given
    found = select_candidates(tagged)
    plain = tag(["We call it Receiver-driven Overlay ( or PRO ) , a scheme [ 3 ]. For streaming video { x } ."])[0]
    assert "receiver-driven overlay" in found.phrases and found.phrases == select_candidates(plain).phrases
    assert tagged.tags == plain.tags and names.proper_noun_share(tagged) == names.proper_noun_share(plain)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["-LRB-", "-RRB-", "-LSB-", "-RCB-", " ", ".", "B-", "x-LRB-y", "&amp;",
                                          "&#039;", "&#x27;", "&", "&nosuch;", "&acE;", "Dark"]),
                          st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)),
                max_size=25).map("".join))
def test_words_keep_their_offsets_around_bracket_escapes(text):
    from samrank.candidates.escapes import unescape

    tagged = tag([text])[0]
    for word, start, end in zip(tagged.words, tagged.starts.tolist(), tagged.ends.tolist()):
        assert 0 <= start <= end <= len(text)
        assert unescape(text[start:end], brackets=True)[0].lower() == word  # the escape's character, or the word
