"""A news dateline glued after its headline ends a phrase (``Settings.split_datelines``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank import KeyphraseExtractor
from samrank.candidates import tag
from samrank.cli import main
from samrank.layout import dateline_starts, split_at_datelines
from samrank.settings import Settings

MENUS = ("FDA proposes calorie counts on menus WASHINGTON - Like it or not, many restaurant diners will "
         "soon know more about what they are eating.")


def opening_words(text):
    tagged = tag([text])[0]
    return [text[tagged.starts[i]:tagged.ends[i]] for i in dateline_starts(text, tagged)]


def test_datelines_of_every_form_open_where_their_capitals_start():
    assert opening_words(MENUS) == ["WASHINGTON"]
    assert opening_words("Cruz gets her star LOS ANGELES (AP) — Penelope Cruz has a star.") == ["LOS"]
    assert opening_words("Cemetery case goes on MEMPHIS, Tenn. – A cemetery owner pleaded guilty.") == ["MEMPHIS"]
    assert opening_words("Taiwan exports rebound TAIPEI, Taiwan (AP) • Taiwan's exports rose in May.") == ["TAIPEI"]


def test_acronyms_before_a_dash_are_no_datelines():
    assert opening_words("The routines of Edward II - a period piece.") == []  # the story opens in lower case
    assert opening_words("The fashion house D&G - So avant-garde.") == []  # no word of three letters
    assert opening_words("check that VPS - VP D holds") == []  # the 'story' opens with an acronym
    assert opening_words("Implementation of TRIP3 - A system") == []  # a word with a digit is no place
    assert opening_words("WASHINGTON - The senate voted.") == []  # nothing before it to split from
    assert opening_words("menus WASHINGTON\n- Like it") == []  # the dash must follow on its line


def test_the_sentence_count_rises_by_one_at_each_dateline_and_nowhere_else():
    tagged = tag([MENUS])[0]
    split = split_at_datelines(MENUS, tagged)
    steps = np.diff(split.sentences) - np.diff(tagged.sentences)
    where = int(np.flatnonzero(steps)[0]) + 1
    assert steps.sum() == 1 and MENUS[tagged.starts[where]:tagged.ends[where]] == "WASHINGTON"
    assert split_at_datelines("No dateline here.", tag(["No dateline here."])[0]).sentences.tolist() == \
        tag(["No dateline here."])[0].sentences.tolist()


def test_the_extractor_the_preset_and_the_cli(bert):
    split = KeyphraseExtractor(bert).candidates(MENUS).phrases
    glued = KeyphraseExtractor(bert, split_datelines=False).candidates(MENUS).phrases
    assert "menus washington" in glued and "menus washington" not in split
    assert "menus" in split and "washington" in split
    assert Settings.create("samrank").split_datelines is False
    assert "datelines glued" in Settings(split_datelines=False).describe()
    help_text = CliRunner().invoke(main, ["extract", "--help"]).output
    assert "--split-datelines / --no-split-datelines" in help_text  # the CLI is made from Settings


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["WASHINGTON", "LOS", "Like", "menus", "II", "(AP)", ", Tenn.", " ", "-", "—",
                                 "•", "\n", "a", "X1", "Ünïcode", "ÉVORA"]), max_size=40).map("".join))
def test_any_text_splits_only_at_upper_case_words(text):
    tagged = tag([text])[0]
    starts = dateline_starts(text, tagged)
    assert all(0 < i < len(tagged.starts) for i in starts)
    assert all(text[tagged.starts[i]:tagged.ends[i]].isupper() for i in starts)
    split = split_at_datelines(text, tagged)
    assert len(split.sentences) == len(tagged.sentences)
    assert (np.diff(split.sentences) >= 0).all()


def test_the_default_is_what_the_committed_grid_chose():
    # docs/NAMES_datelines_choice.json is written by `benchmarks/names_rule.py --choose-datelines`
    path = Path(__file__).parents[1] / "docs" / "NAMES_datelines_choice.json"
    assert Settings().split_datelines == json.loads(path.read_text())["chosen"]["split_datelines"]
