"""How rare a phrase's words are in general language: a word prior that needs no corpus.

IDF (``idf.py``) needs a corpus fitted first; this prior reads wordfreq's Zipf frequencies
(log10 of a word's uses per billion words, over many sources, in 40-odd languages), so one
document can be weighed alone: a word's rarity is ``max(1, CEILING - zipf)``, a phrase's the mean
over its words. "the" (Zipf 7.7) and "system" (5.6) weigh 1 and 1.4, "neural" (3.8) 3.2, a word
wordfreq never saw 7. In a language wordfreq does not cover every word weighs the same (no
effect).
"""

from __future__ import annotations

import functools
from typing import Sequence

import numpy as np

from .candidates.base import require

# A word used at least 10 times per million words (Zipf 6: "people", "made") is as common as any.
CEILING = 7.0


def _wordfreq():
    return require("wordfreq", "wordfreq (the words' rarity, rarity_power)", "pip install wordfreq==3.1.1")


@functools.lru_cache(maxsize=None)
def _languages() -> frozenset[str]:
    return frozenset(_wordfreq().available_languages())


@functools.lru_cache(maxsize=500_000)
def word_rarity(word: str, language: str = "en") -> float:
    """``max(1, CEILING - Zipf frequency)`` of the lower-cased ``word``; 1 in a language
    wordfreq lacks."""
    if language not in _languages():
        return 1.0
    return max(1.0, CEILING - _wordfreq().zipf_frequency(word.lower(), language))


def phrase_rarity(phrases: Sequence[str], language: str | None = "en") -> np.ndarray:
    """The mean ``word_rarity`` of each phrase's words (words: split on white space; a phrase
    without spaces, as in Chinese, is looked up whole, and wordfreq splits it)."""
    language = language or "en"
    return np.array([np.mean([word_rarity(w, language) for w in p.split()]) if p.split() else 1.0
                     for p in phrases], dtype=np.float64)
