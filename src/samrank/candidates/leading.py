"""Which words may open an English phrase (``Settings.leading_stopwords``).

SAMRank's reference code leaves out a chunk whose first word is on its stop list ("drop").
``trim`` takes those stop words off the chunk's front instead ("more Pirates" -> "Pirates");
``trim_generic`` also takes off the adjectives and participles of a general stop list, SMART's
("new", "different", "novel", "various", "known": "a novel neural network" -> "neural
network"), which qualify a phrase in its text but are not part of the term.
"""

from __future__ import annotations

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
