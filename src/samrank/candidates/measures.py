"""Measures are not keyphrases (``Settings.drop_measures``).

The tokenizer keeps a number and its unit in one word where it does not know the unit ("30ml",
"0.5Hz", "1.2bn"), and a decade or an ordinal is one word ("1960s", "10th"); where it knows the
unit it splits it off ("5 GeV", "10 km") and the unit alone becomes a noun. Either, as a phrase of
its own, names a quantity, not what the text is about. A longer phrase keeps it ("5GHz band"),
and a unit symbol that the text also uses without a number before it is a word of the text
("the GeV scale"), not a measure.
"""

from __future__ import annotations

import re

import numpy as np

from .base import Candidates, TaggedText

# Symbols only, lower-cased (words are): spelled-out words ("percent", "miles", "acres") are
# counted things that news annotators do pick. One letter stands for too many names ("4G", "3D",
# "14C") to be read as a unit glued to a number, except these four.
_GLUED_ONE_LETTER = ("m", "k", "s", "h")
_SYMBOLS = frozenset("""
    nm um µm mm cm dm km ft yd mi ha ml µl ul dl cl cc ng µg ug mg kg lb lbs oz
    fs ps ns µs ms sec min hr hrs am pm hz khz mhz ghz thz rpm fps
    kb mb gb tb pb kbps mbps gbps bps ev kev mev gev tev kj mj kwh mwh gwh twh cal kcal
    mw kw gw mv kv ma mah db dbm mph kph kmh psi pa kpa mpa gpa mbar bar mol mmol µmol nmol
    wt sccm pps mp bn mn tn
""".split())
UNITS = _SYMBOLS | frozenset("m k s h g l t v w j x".split())
# After a number in one word: a unit, a decade's "s" ("1960s"), an ordinal's ending ("10th").
_ENDINGS = sorted(_SYMBOLS | frozenset(_GLUED_ONE_LETTER) | {"th", "st", "nd", "rd", "x"}, key=len, reverse=True)
_GLUED = re.compile(r"\d+(?:[.,]\d+)*(?:" + "|".join(map(re.escape, _ENDINGS)) + ")")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def measure_words(tagged: TaggedText) -> frozenset[str]:
    """The words of ``tagged`` that are measures: a number with a unit, decade or ordinal ending
    in one word, and a unit symbol that follows a number (same sentence) wherever the text has it."""
    words, sentences = tagged.words, tagged.sentences
    glued = {w for w in words if _GLUED.fullmatch(w)}
    after_number, elsewhere = set(), set()
    for i, word in enumerate(words):
        if word in UNITS:
            follows = i > 0 and sentences[i - 1] == sentences[i] and _NUMBER.fullmatch(words[i - 1])
            (after_number if follows else elsewhere).add(word)
    return frozenset(glued | (after_number - elsewhere))


def without_measures(candidates: Candidates, tagged: TaggedText) -> Candidates:
    """``candidates`` less the one-word phrases that are measures (``measure_words``); a longer
    phrase that holds one stays."""
    if not len(candidates) or candidates.joiner != " ":  # words without spaces (Chinese) have no glued units
        return candidates
    measures = measure_words(tagged)
    drop = np.array([n == 1 and phrase in measures for phrase, n in zip(candidates.phrases, candidates.n_words)],
                    dtype=bool)
    if not drop.any():
        return candidates
    new_number = np.cumsum(~drop) - 1
    kept_occurrences = ~drop[candidates.occ_phrase]
    return Candidates(
        phrases=[p for p, gone in zip(candidates.phrases, drop) if not gone],
        n_words=candidates.n_words[~drop],
        occ_phrase=new_number[candidates.occ_phrase[kept_occurrences]],
        occ_start=candidates.occ_start[kept_occurrences],
        occ_end=candidates.occ_end[kept_occurrences],
        occ_standalone=candidates.occ_standalone[kept_occurrences],
        joiner=candidates.joiner, language=candidates.language, reason=candidates.reason)
