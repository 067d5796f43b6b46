"""Which words may open, join and close an English phrase.

The front (``Settings.leading_stopwords``):
SAMRank's reference code leaves out a chunk whose first word is on its stop list ("drop").
``trim`` takes those stop words off the chunk's front instead ("more Pirates" -> "Pirates");
``trim_generic`` also takes off the adjectives and participles of a general stop list, SMART's
("new", "different", "novel", "various", "known": "a novel neural network" -> "neural
network"), which qualify a phrase in its text but are not part of the term.

The end (``Settings.split_time_words``): the grammar glues a time adverbial to the noun phrase
before it ("Exxon officials Monday", "the storm last week"); it is cut off, and a chunk of
time words alone stays whole (the word graph leaves dates out where it weighs: ``fusion.py``).

Inside (``Settings.nominal_gerunds``): the tagger reads a gerund within a compound as a verb
("message passing protocol", "the model checking algorithms"), which cuts the phrase in two; where
the text itself uses the word as a noun elsewhere, it is read as a noun there too.
"""

from __future__ import annotations

import dataclasses
import functools
from importlib import resources

from .base import TaggedText


@functools.lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """The SMART stop list (data/smart_stopwords.txt; ``#`` lines are its source note)."""
    text = resources.files("samrank").joinpath("data/smart_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.strip()) and not w.startswith("#"))


def trim_leading_stopwords(tagged: TaggedText, spans: list[tuple[int, int]], stopwords: frozenset[str],
                           generic: frozenset[str] = frozenset()) -> tuple[list[tuple[int, int]], frozenset[str]]:
    """The spans with their leading stop words dropped (a span of stop words alone goes), and
    the stop words that may still open a phrase: nouns kept before more of their phrase.
    ``generic`` words go too while they are not tagged as nouns and more of the span follows."""
    words, tags = tagged.words, tagged.tags
    trimmed, kept_nouns = [], set()
    for i, j in spans:
        while i < j and (words[i] in stopwords and not (tags[i].startswith("NN") and j - i > 1)
                         or words[i] in generic and not tags[i].startswith("NN") and j - i > 1):
            i += 1
        if i < j:
            trimmed.append((i, j))
            if words[i] in stopwords:
                kept_nouns.add(words[i])
    return trimmed, stopwords - kept_nouns


WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
DEICTIC_DAYS = frozenset("today yesterday tomorrow tonight".split())
DAY_PARTS = frozenset("morning afternoon evening night".split())  # after a day: "Monday night"
PERIODS = frozenset("week weekend month year summer winter spring fall autumn season quarter decade century".split())
RELATIVE = frozenset("last next this past early late earlier later".split())  # before a period: "last week"


def trim_trailing_time_words(tagged: TaggedText, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans without the time adverbial at their end ("officials Monday", "officials Monday
    night", "storm last week"); a span that would keep no noun stays whole."""
    words, tags = tagged.words, tagged.tags
    trimmed = []
    for i, j in spans:
        end = j
        while end - i > 1:
            last, before = words[end - 1], words[end - 2]
            if last in WEEKDAYS or last in DEICTIC_DAYS or (last in DAY_PARTS and (before in WEEKDAYS or before in DEICTIC_DAYS)):
                end -= 1
            elif last in PERIODS and before in RELATIVE:
                end -= 2
            else:
                break
            while end > i and not tags[end - 1].startswith("NN"):
                end -= 1
        trimmed.append((i, end) if end > i else (i, j))
    return trimmed


# What may stand before a gerund that joins a noun phrase: a noun, an adjective, or the phrase's
# determiner ("the worsening drought").
_BEFORE_GERUND = ("JJ", "DT", "PRP$")


def gerunds_as_nouns(tagged: TaggedText) -> TaggedText:
    """``tagged`` with each gerund (VBG) read as a noun (NN) where it stands between a noun, an
    adjective or a determiner and a noun of the same sentence, and the text tags the same word
    as a noun somewhere; the tagger's tags elsewhere."""
    words, tags, sentences = tagged.words, tagged.tags, tagged.sentences
    nouns = {word for word, tag in zip(words, tags) if tag.startswith("NN")}
    changed = list(tags)
    for i in range(1, len(tags) - 1):
        if (tags[i] == "VBG" and words[i] in nouns and tags[i + 1].startswith("NN")
                and sentences[i - 1] == sentences[i] == sentences[i + 1]
                and (tags[i - 1].startswith("NN") or tags[i - 1] in _BEFORE_GERUND)):
            changed[i] = "NN"
    return dataclasses.replace(tagged, tags=changed) if changed != tags else tagged
