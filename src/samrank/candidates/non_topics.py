"""Cited authors, formulas and addresses are not keyphrases (``Settings.drop_cited_names``,
``Settings.drop_formulas``, ``Settings.drop_addresses``).

A paper that cites by author and year names its sources ("Kussin and Sommerfeld (2002)", "Wu et
al. (2013)", "(Triplett, 2006)"); the tagger reads the surnames as proper nouns, and a surname the
text repeats draws attention like a topic. A proper-noun phrase is dropped only where every one of
its occurrences stands in such a citation and the text cites that way at all (an "et al." or an
author and year in brackets), so a film named in a review ("Avatar (2009)") stays, and so does a
name the text also uses in a sentence of its own. A phrase that holds the "et al." itself ("Wu et
al.", which the tagger reads as three proper nouns) is a citation wherever it stands. A number
cited in brackets ("Gill [16]") is no sign of an author: tools and methods are cited that way too.

A formula is no phrase of the language: a phrase is dropped that holds a word with an operator sign
("N=2", "|ω−ωf|", "\\Delta", "d>4"), a bracket it does not close or never opened (a piece cut from
a formula: "O(log n", "L(-"), or, in a text that writes formulas (a "=", "<", ">" or the like
somewhere), that is one letter alone (a variable: "P", "f"). A name of one letter ("X" the firm,
"C" the language) in a text without formulas stays, and so does a one-character word of a script
written without spaces. Chemical formulas, arrows and whole brackets
("PuO2", "μ→eγ", "tetrakis(pentafluorophenyl)porphyrin") stay.

An address is no topic either: a phrase with an e-mail address, a handle or a web address in it
("dwhitehouse1@bloomberg.net", "getwell(at)gbmc.org", "http://www.parispresents.com/...") is
dropped; a firm named after its domain ("Amazon.com") stays.
"""

from __future__ import annotations

import re

import numpy as np

from .base import PROPER_TAGS, Candidates, TaggedText

_YEAR = r"(?:1[6-9]|20)\d\d[a-z]?"
_WORD = r"[^\W\d_][\w'’.-]*"
_ET_AL = r"et\.?\s*al\b"
_HOLDS_ET_AL = re.compile(rf"(?:^|\s){_ET_AL}")
# what follows a cited name: "et al.", "(2002)", ", 2006)", or a co-author and then one of those or "[12]"
_CITATION_TAIL = re.compile(
    rf"(?:'s)?\s*(?:{_ET_AL}|\(\s*{_YEAR}\s*[),;]|,\s*{_YEAR}\s*[),;]"
    rf"|(?:and|&)\s+(?:{_WORD}\s+){{0,2}}{_WORD}\s*(?:{_ET_AL}|\(\s*{_YEAR}|,\s*{_YEAR}|\[\s*\d))")
# a text that cites by author: "et al." anywhere, or "(Name, 2006)", "(Name and Name 2006;"
_CITES_BY_AUTHOR = re.compile(
    rf"{_ET_AL}|\(\s*{_WORD}(?:\s+(?:and|&)\s+{_WORD})?\s*,?\s*{_YEAR}\s*[);,]")
_FORMULA_SIGN = re.compile(r"[=|{}\\^<>∑∫∏√∂∇⊗⊕〈〉≤≥≈≠]")
_WRITES_FORMULAS = re.compile(r"[=<>∑∫≤≥≈≠]")
_ADDRESS = re.compile(r"@|://|\bwww\.|\(at\)")


def cited_names(candidates: Candidates, tagged: TaggedText, text: str) -> np.ndarray:
    """Which candidates are proper-noun phrases every occurrence of which is a cited author, in a
    text that cites by author (``tagged`` holds the tags of ``text``), or hold an "et al."."""
    if not len(candidates) or not _CITES_BY_AUTHOR.search(text):
        return np.zeros(len(candidates), dtype=bool)
    holds_et_al = np.array([_HOLDS_ET_AL.search(phrase) is not None for phrase in candidates.phrases], dtype=bool)
    proper = np.array([tag in PROPER_TAGS for tag in tagged.tags], dtype=bool)
    first = np.searchsorted(tagged.starts, candidates.occ_start, side="left")
    end = np.searchsorted(tagged.starts, candidates.occ_end, side="left")
    # a running count of proper nouns: an occurrence is all proper nouns when its count is its length
    proper_before = np.concatenate([[0], np.cumsum(proper)])
    all_proper = (proper_before[end] - proper_before[first]) == (end - first)
    in_citation = np.array([whole and _CITATION_TAIL.match(text, int(stop)) is not None
                            for stop, whole in zip(candidates.occ_end, all_proper)], dtype=bool)
    cited = np.ones(len(candidates), dtype=bool)
    np.logical_and.at(cited, candidates.occ_phrase, in_citation)
    return cited | holds_et_al


def formulas(candidates: Candidates, text: str) -> np.ndarray:
    """Which candidates hold a word with a mathematical operator sign or an unmatched bracket, or
    are one letter alone in a ``text`` that writes formulas."""
    found = np.array([_FORMULA_SIGN.search(phrase) is not None or phrase.count("(") != phrase.count(")")
                      or phrase.count("[") != phrase.count("]") for phrase in candidates.phrases], dtype=bool)
    letters = np.array([len(phrase) == 1 for phrase in candidates.phrases], dtype=bool)
    # the whole text is searched only where a lone letter asks whether it is a variable
    if candidates.joiner == " " and letters.any() and _WRITES_FORMULAS.search(text):
        found |= letters
    return found


def addresses(candidates: Candidates) -> np.ndarray:
    """Which candidates hold an e-mail address, a handle or a web address."""
    return np.array([_ADDRESS.search(phrase) is not None for phrase in candidates.phrases], dtype=bool)


def without_non_topics(candidates: Candidates, tagged: TaggedText, text: str, cited: bool = True,
                       formula: bool = True, address: bool = True) -> Candidates:
    """``candidates`` less the cited names (``cited``), the formulas (``formula``) and the
    addresses (``address``)."""
    if not len(candidates) or not (cited or formula or address):
        return candidates
    drop = np.zeros(len(candidates), dtype=bool)
    if cited:
        drop |= cited_names(candidates, tagged, text)
    if formula:
        drop |= formulas(candidates, text)
    if address:
        drop |= addresses(candidates)
    return candidates.without(drop)
