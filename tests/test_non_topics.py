"""A name cited as an author, a formula and an address are no candidates (``drop_cited_names``,
``drop_formulas``, ``drop_addresses``)."""

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import Candidates, tagged_text
from samrank.candidates.non_topics import addresses, cited_names, formulas, without_non_topics
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

STOP = frozenset({"the", "a", "of", "and", "in", "on", "by"})


def hand_tagged(text, tags):
    """``text`` split at spaces, each word with its tag; words keep their case in the text."""
    words = text.split(" ")
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text([w.lower() for w in words], tags, starts, starts + [len(w) for w in words],
                       [0] * len(words), "en")


def kept(text, tags, **switches):
    tagged = hand_tagged(text, tags)
    found = select_candidates(tagged, stopwords=STOP, leading_stopwords="trim")
    return without_non_topics(found, tagged, text, **switches).phrases


def test_authors_cited_by_name_and_year_go_and_the_topics_stay():
    text = "Kussin and Sommerfeld (2002) measured drag ; Wu et al. (2013) measured drag"
    tags = ["NNP", "CC", "NNP", "CD", "VBD", "NN", ":", "NNP", "FW", "FW", "CD", "VBD", "NN"]
    assert kept(text, tags, cited=False) == ["kussin", "sommerfeld", "drag", "wu"]
    assert kept(text, tags) == ["drag"]


def test_a_phrase_that_holds_the_et_al_is_a_citation_wherever_it_stands():
    text = "the model of Wu et al. fits ; Wu et al. showed drag ; Et Alia Corp. sells drag"
    tags = ["DT", "NN", "IN", "NNP", "NNP", "NNP", "VBZ", ":", "NNP", "NNP", "NNP", "VBD", "NN", ":",
            "NNP", "NNP", "NNP", "VBZ", "NN"]
    assert kept(text, tags, cited=False) == ["model", "wu et al.", "drag", "et alia corp."]
    assert kept(text, tags) == ["model", "drag", "et alia corp."]  # "alia" is no "al."


def test_a_name_the_text_also_uses_outside_a_citation_stays():
    text = "Sommerfeld (2002) built a channel ; Sommerfeld channel flow et al."
    tags = ["NNP", "CD", "VBD", "DT", "NN", ":", "NNP", "NN", "NN", "FW", "FW"]
    assert "sommerfeld" in kept(text, tags)  # its second occurrence is no citation
    lone = "Sommerfeld (2002) built a channel ; Sommerfeld (2003) tested it ( Wu , 2001 )"
    tags = ["NNP", "CD", "VBD", "DT", "NN", ":", "NNP", "CD", "VBD", "PRP", "-LRB-", "NNP", ",", "CD", "-RRB-"]
    assert "sommerfeld" not in kept(lone, tags)
    assert "sommerfeld" in kept(lone[:lone.index(" ( Wu")], tags[:10])  # no "(Name, year)", no "et al.": no citing text


def test_a_text_that_does_not_cite_by_author_keeps_names_before_years():
    text = "Avatar (2009) beat Titanic (1997) at the box office"
    tags = ["NNP", "CD", "VBD", "NNP", "CD", "IN", "DT", "NN", "NN"]
    assert {"avatar", "titanic"} <= set(kept(text, tags))  # a film and its year: no "et al.", no "(Name, 2009)"


def test_common_nouns_and_numbered_references_are_no_cited_authors():
    text = "sediment transport [18] and Gill [16] ( Triplett , 2006 )"
    tags = ["NN", "NN", "CD", "CC", "NNP", "CD", "-LRB-", "NNP", ",", "CD", "-RRB-"]
    found = kept(text, tags)
    assert "sediment transport" in found and "gill" in found  # a number in brackets may cite a tool too
    assert "triplett" not in found


def test_formulas_go_and_chemistry_and_arrows_stay():
    text = "N=2 supergraphs and |x| norms and PuO2 fuel and μ→eγ decay and \\Delta"
    tags = ["NN", "NNS", "CC", "NN", "NNS", "CC", "NN", "NN", "CC", "NN", "NN", "CC", "NN"]
    assert kept(text, tags, formula=False)[:2] == ["n=2 supergraphs", "|x| norms"]
    assert kept(text, tags) == ["puo2 fuel", "μ→eγ decay"]
    tagged = hand_tagged(text, tags)
    assert formulas(select_candidates(tagged, stopwords=STOP), text).tolist() == [True, True, False, False, True]


def test_open_brackets_and_lone_letters_are_pieces_of_formulas():
    text = "O(log n bound and tetrakis(pentafluorophenyl)porphyrin and P and PuO2 and L(- and [12 x"
    tags = ["NN", "NN", "NN", "CC", "NN", "CC", "NN", "CC", "NN", "CC", "NN", "CC", "NN", "NN"]
    assert kept(text, tags) == ["tetrakis(pentafluorophenyl)porphyrin", "p", "puo2"]  # no formula written: "P" stays
    assert kept(text + " and P=NP", tags + ["CC", "NN"]) == ["tetrakis(pentafluorophenyl)porphyrin", "puo2"]
    assert kept(text, tags, formula=False) == ["o(log n bound", "tetrakis(pentafluorophenyl)porphyrin", "p", "puo2",
                                               "l(-", "[12 x"]
    news = "X sued Apple over ads on X"
    assert "x" in kept(news, ["NNP", "VBD", "NNP", "IN", "NNS", "IN", "NNP"])  # the firm, in a text without formulas
    one = np.array([1])
    for joiner, dropped in ((" ", True), ("", False)):  # one character of a script without spaces is a word
        found = Candidates(["水"], one, np.array([0]), np.array([0]), one, one.astype(bool), joiner, "zh")
        assert formulas(found, "x = 1").tolist() == [dropped]


def test_addresses_go_and_firms_named_by_their_domain_stay():
    text = "dwhitehouse1@bloomberg.net desk and getwell(at)gbmc.org line and http://www.x.org/a page and Amazon.com"
    tags = ["NN", "NN", "CC", "NN", "NN", "CC", "NN", "NN", "CC", "NNP"]
    assert kept(text, tags, address=False) == ["dwhitehouse1@bloomberg.net desk", "getwell(at)gbmc.org line",
                                               "http://www.x.org/a page", "amazon.com"]
    assert kept(text, tags) == ["amazon.com"]
    found = select_candidates(hand_tagged(text, tags), stopwords=STOP)
    assert addresses(found).tolist() == [True, True, True, False]


WORDS = st.sampled_from(["Smith", "Wu", "model", "flow", "et", "al.", "and", "(2002)", ",", "2006)", "[3]", "x=1", "&",
                         "a@b.org", "www.c.com"])
TAGS = st.sampled_from(["NNP", "NN", "JJ", "CC", "FW", "CD"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, TAGS), min_size=1, max_size=25))
def test_only_cited_proper_nouns_and_formulas_go_and_the_rest_keep_their_occurrences(pairs):
    text = " ".join(w for w, _ in pairs)
    tagged = hand_tagged(text, [t for _, t in pairs])
    found = select_candidates(tagged, stopwords=STOP, leading_stopwords="trim")
    left = without_non_topics(found, tagged, text)
    assert set(left.phrases) <= set(found.phrases)
    cited = cited_names(found, tagged, text)
    for n, phrase in enumerate(found.phrases):
        occurrences = sorted(zip(found.occ_start[found.occ_phrase == n], found.occ_end[found.occ_phrase == n]))
        if phrase in left.phrases:
            m = left.phrases.index(phrase)
            assert sorted(zip(left.occ_start[left.occ_phrase == m], left.occ_end[left.occ_phrase == m])) == occurrences
        else:
            assert cited[n] or formulas(found, text)[n] or addresses(found)[n]
        if cited[n] and " et al." not in f" {phrase}":  # else every word a proper noun
            for start, end in occurrences:
                inside = (tagged.starts >= start) & (tagged.starts < end)
                assert all(tag == "NNP" for tag, on in zip(tagged.tags, inside) if on)


def test_the_real_tagger_the_extractor_and_the_settings(bert):
    text = ("Kussin and Sommerfeld (2002) studied spherical particles in channel flow. Particle shape "
            "changes the drag in channel flow (Triplett, 2006). The N=2 model fits channel flow.")
    tagged = tag([text])[0]
    found = select_candidates(tagged, leading_stopwords="trim")
    assert {"kussin", "sommerfeld", "triplett"} <= set(found.phrases)
    left = without_non_topics(found, tagged, text).phrases
    assert not {"kussin", "sommerfeld", "triplett", "n=2 model"} & set(left) and "channel flow" in left
    phrases = [k.phrase for k in KeyphraseExtractor(bert).extract(text, top_n=30)]
    assert "Sommerfeld" not in phrases and "channel flow" in phrases
    kept_all = [k.phrase for k in KeyphraseExtractor(bert, drop_cited_names=False, drop_formulas=False,
                                                     drop_addresses=False).extract(text, top_n=30)]
    assert "Sommerfeld" in kept_all and "N=2 model" in kept_all
    paper = Settings.create("samrank")
    assert (paper.drop_cited_names, paper.drop_formulas, paper.drop_addresses) == (False, False, False)
    assert "cited names kept, formulas kept, addresses kept" in Settings(
        drop_cited_names=False, drop_formulas=False, drop_addresses=False).describe()
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    for name in ("cited-names", "formulas", "addresses"):
        assert f"--drop-{name} / --no-drop-{name}" in help_text
