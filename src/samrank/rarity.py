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

# A word used at least 10 times per million words (Zipf 6: "people", "made") is as common as any.
CEILING = 7.0
# Languages samrank reads that are written without spaces between words: a phrase is split into
# words by wordfreq's segmenter (jieba for Chinese), so that its rarity is a mean over words as in
# English, not wordfreq's estimate for the whole string (which adds a penalty per guessed break).
UNSPACED = frozenset({"zh"})


@functools.lru_cache(maxsize=None)
def _languages() -> frozenset[str]:
    import wordfreq  # imported on first use: a text with rarity off never pays for it

    return frozenset(wordfreq.available_languages())


def word_rarity(word: str, language: str = "en") -> float:
    """``max(1, CEILING - Zipf frequency)`` of the lower-cased ``word``; 1 in a language
    wordfreq lacks. Words joined by punctuation ("self-attention") are looked up as wordfreq
    combines their parts."""
    return _rarity(word.lower(), language)


@functools.lru_cache(maxsize=100_000)
def _rarity(word: str, language: str) -> float:
    if language not in _languages():
        return 1.0
    import wordfreq

    return max(1.0, CEILING - wordfreq.zipf_frequency(word, language))


def _words(phrase: str, language: str) -> list[str]:
    if language in UNSPACED and language in _languages():
        import wordfreq

        return wordfreq.tokenize(phrase, language) or phrase.split()
    return phrase.split()


def phrase_rarity(phrases: Sequence[str], language: str | None = "en") -> np.ndarray:
    """The mean ``word_rarity`` of each phrase's words (split on white space; in Chinese by
    wordfreq's segmenter); 1 for a phrase without words."""
    language = language or "en"
    rarity = []
    for phrase in phrases:
        words = _words(phrase, language)
        rarity.append(np.mean([word_rarity(w, language) for w in words]) if words else 1.0)
    return np.array(rarity, dtype=np.float64)
