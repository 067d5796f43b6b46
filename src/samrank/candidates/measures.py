"""Measures are not keyphrases (``Settings.drop_measures``).

The tokenizer keeps a number and its unit in one word where it does not know the unit ("30ml",
"0.5Hz", "1.2bn"), and a decade or an ordinal is one word ("1960s", "10th"); where it knows the
unit it splits it off ("5 GeV", "10 km"; jieba too) and the unit alone becomes a noun. Either, as
a phrase of its own, names a quantity, not what the text is about. A longer phrase keeps it ("5GHz band"),
and a unit symbol that the text also uses without a number before it is a word of the text
("the GeV scale"), not a measure.
"""

from __future__ import annotations

import re

import numpy as np

from .base import Candidates, TaggedText

# Symbols only, lower-cased (words are): spelled-out words ("percent", "miles", "acres") are
# counted things that news annotators do pick. One letter glued to a number names too many things
# ("4G", "3D", "14C", "401k", "10k", "747s", "16S") to be read as a unit, except these two; an
# "s" only ends a decade ("1960s", "80s").
_GLUED_ONE_LETTER = ("m", "h")
_SYMBOLS = frozenset("""
    nm um µm mm cm dm km ft yd mi ha ml µl ul dl cl cc ng µg ug mg kg lb lbs oz
    fs ps ns µs ms sec min hr hrs am pm hz khz mhz ghz thz rpm fps
    kb mb gb tb pb kbps mbps gbps bps ev kev mev gev tev kj mj kwh mwh gwh twh cal kcal
    mw kw gw mv kv ma mah db dbm mph kph kmh psi pa kpa mpa gpa mbar bar mol mmol µmol nmol
    wt sccm pps mp bn mn tn
""".split())
UNITS = _SYMBOLS | frozenset("m k s h g l t v w j x".split())
# After a number in one word: a unit or an ordinal's ending ("10th"); or a decade.
_ENDINGS = sorted(_SYMBOLS | frozenset(_GLUED_ONE_LETTER) | {"th", "st", "nd", "rd", "x"}, key=len, reverse=True)
_GLUED = re.compile(r"\d+(?:[.,]\d+)*(?:" + "|".join(map(re.escape, _ENDINGS)) + r")|(?:\d\d)?\d0s")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def measure_words(tagged: TaggedText) -> frozenset[str]:
    """The words of ``tagged`` that are measures: a number with a unit, decade or ordinal ending
    in one word, and a unit symbol that follows a number (in the same sentence, or in Chinese the
    segment after a space) wherever the text has it."""
    words, sentences = tagged.words, tagged.sentences
    glued = {w for w in words if _GLUED.fullmatch(w)}
    # Chinese segments part at a space, so "5 GeV" spans two: one character between counts there
    gap = 1 if tagged.joiner == "" else -1
    after_number, elsewhere = set(), set()
    for i, word in enumerate(words):
        if word in UNITS:
            near = i > 0 and (sentences[i - 1] == sentences[i] or tagged.starts[i] - tagged.ends[i - 1] <= gap)
            follows = near and _NUMBER.fullmatch(words[i - 1])
            (after_number if follows else elsewhere).add(word)
    return frozenset(glued | (after_number - elsewhere))


def without_measures(candidates: Candidates, tagged: TaggedText) -> Candidates:
    """``candidates`` less the one-word phrases that are measures (``measure_words``); a longer
    phrase that holds one stays."""
    if not len(candidates):
        return candidates
    measures = measure_words(tagged)
    drop = np.array([n == 1 and phrase in measures for phrase, n in zip(candidates.phrases, candidates.n_words)],
                    dtype=bool)
    return candidates.without(drop)
