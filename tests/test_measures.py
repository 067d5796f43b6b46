"""A measure is no one-word phrase: a number glued to its unit, decade or ordinal, or a unit
symbol that only ever follows a number (``drop_measures``)."""

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.base import tagged_text
from samrank.candidates.measures import UNITS, measure_words, without_measures
from samrank.cli import main
from samrank.extractor import KeyphraseExtractor
from samrank.settings import Settings

STOP = frozenset({"the", "a", "of", "at"})


def hand_tagged(words, tags, sentences=None):
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    return tagged_text(words, tags, starts, starts + [len(w) for w in words],
                       sentences if sentences is not None else [0] * len(words), "en")


def phrases(tagged, drop):
    return select_candidates(tagged, stopwords=STOP, leading_stopwords="trim", drop_measures=drop).phrases


def test_glued_numbers_and_units_alone_after_numbers_go():
    words = ["30ml", "of", "water", "at", "5", "gev", "in", "the", "1960s", "and", "1.2bn", "people", "a", "5ghz", "band"]
    tags = ["NN", "IN", "NN", "IN", "CD", "NN", "IN", "DT", "NNS", "CC", "NN", "NNS", "DT", "NN", "NN"]
    tagged = hand_tagged(words, tags)
    assert measure_words(tagged) == {"30ml", "gev", "1960s", "1.2bn", "5ghz"}
    assert phrases(tagged, False) == ["30ml", "water", "gev", "1960s", "1.2bn people", "5ghz band"]
    assert phrases(tagged, True) == ["water", "1.2bn people", "5ghz band"]  # longer phrases keep them


def test_a_unit_the_text_also_uses_without_a_number_stays():
    words = ["5", "gev", "and", "the", "gev", "scale", "and", "gev"]
    tags = ["CD", "NN", "CC", "DT", "NN", "NN", "CC", "NN"]
    tagged = hand_tagged(words, tags)
    assert measure_words(tagged) == frozenset()
    assert "gev" in phrases(tagged, True)


def test_a_number_in_the_sentence_before_does_not_make_a_measure():
    tagged = hand_tagged(["5", "km"], ["CD", "NN"], [0, 1])
    assert measure_words(tagged) == frozenset()


def test_names_with_one_letter_stay():
    # a tagger that keeps "4G" whole (not spaCy's, which splits it): names of things as often as
    # quantities; only m and h glued to a number read as units, and an "s" only after a decade
    words = ["4g", "3d", "14c", "401k", "10k", "747s", "16s", "10m", "24h", "80s", "1960s"]
    assert measure_words(hand_tagged(words, ["NN"] * len(words))) == {"10m", "24h", "80s", "1960s"}


def test_no_candidates_and_no_numbers_pass_through():
    empty = select_candidates(hand_tagged(["the"], ["DT"]), stopwords=STOP, leading_stopwords="trim")
    assert len(empty) == 0 and without_measures(empty, hand_tagged(["the"], ["DT"])) is empty
    tagged = hand_tagged(["gev", "scale", "water"], ["NN", "NN", "NN"])
    found = select_candidates(tagged, stopwords=STOP, leading_stopwords="trim")
    assert without_measures(found, tagged) is found


def test_chinese_units_after_a_number_go_too():
    # jieba splits "5 GeV" and "30ml" off their numbers as spaCy does
    tagged = tag(["粒子加速器在5 GeV的能量下运行。30ml的水。"], language="zh")[0]
    kept = select_candidates(tagged, language="zh").phrases
    dropped = select_candidates(tagged, language="zh", drop_measures=True).phrases
    assert {"gev", "ml"} <= set(kept)
    assert not {"gev", "ml"} & set(dropped) and {"粒子加速器", "能量"} <= set(dropped)


def test_occurrences_follow_their_phrases():
    tagged = hand_tagged(["water", "30ml", "water", "ice", "30ml"], ["NN", "NN", "NN", "NN", "NN"], [0, 1, 2, 3, 4])
    before = select_candidates(tagged, stopwords=STOP, leading_stopwords="trim")
    after = without_measures(before, tagged)
    assert after.phrases == ["water", "ice"]
    assert after.occ_phrase.tolist() == [0, 0, 1]
    assert after.occ_start.tolist() == [0, 11, 17]  # "water 30ml water ice 30ml"
    assert without_measures(after, tagged) is after  # nothing left to drop


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["30ml", "gev", "5", "water", "ice", "km", "the", "1960s", "10th"]), max_size=14),
       st.lists(st.sampled_from(["NN", "NNS", "CD", "DT"]), min_size=14, max_size=14))
def test_only_one_word_measures_go(words, tags):
    tagged = hand_tagged(words or ["x"], tags[: len(words) or 1])
    before = select_candidates(tagged, stopwords=STOP, leading_stopwords="trim")
    after = without_measures(before, tagged)
    gone = set(before.phrases) - set(after.phrases)
    assert all(" " not in p and p in measure_words(tagged) for p in gone)
    assert [p for p in before.phrases if p not in gone] == after.phrases
    for number, phrase in enumerate(after.phrases):  # every kept occurrence is as it was
        old, new = before.occ_phrase == before.phrases.index(phrase), after.occ_phrase == number
        for field in ("occ_start", "occ_end", "occ_standalone"):
            assert getattr(after, field)[new].tolist() == getattr(before, field)[old].tolist()
    assert len(after.occ_phrase) == sum(int((before.occ_phrase == before.phrases.index(p)).sum()) for p in after.phrases)
    assert all(w in UNITS or w[0].isdigit() for w in measure_words(tagged))


def test_the_real_tagger_the_extractor_and_the_settings(bert):
    text = "Add 30ml of saline at 0.5Hz in the 1960s. Protons at 5 GeV and 7 GeV hit the target."
    tagged = tag([text])[0]
    kept = select_candidates(tagged, leading_stopwords="trim").phrases
    dropped = select_candidates(tagged, leading_stopwords="trim", drop_measures=True).phrases
    assert {"30ml", "1960s"} <= set(kept) and not {"30ml", "1960s", "0.5hz"} & set(dropped)
    fleet = tag(["Boeing grounded its 737s and 747s after the 10k race."])[0]
    assert {"737s", "747s", "10k race"} <= set(select_candidates(fleet, leading_stopwords="trim", drop_measures=True).phrases)
    assert "saline" in dropped and "target" in dropped
    found = [k.phrase for k in KeyphraseExtractor(bert).extract(text, top_n=20)]
    assert "30ml" not in found and "saline" in found
    with_measures = [k.phrase for k in KeyphraseExtractor(bert, drop_measures=False).extract(text, top_n=20)]
    assert "30ml" in with_measures
    assert Settings.create("samrank").drop_measures is False
    assert "measures kept" in Settings(drop_measures=False).describe()
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    assert "--drop-measures / --no-drop-measures" in help_text
