"""What a run of the pipeline gives back — keyphrases with every occurrence's span, word weights,
the run's arrays — and the check every text passes first."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .candidates import Candidates, TaggedText
from .candidates.escapes import unescape
from .readers import Encoded


@dataclass(frozen=True)
class Keyphrase:
    """A ranked phrase: as first written in the text, its score, and every occurrence's span."""

    phrase: str
    score: float
    spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict:
        return {"phrase": self.phrase, "score": self.score, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class WordWeight:
    """One word of the text with its attention weight (sum of its tokens' scores) and POS tag."""

    word: str
    weight: float
    start: int
    end: int
    tag: str

    def to_dict(self) -> dict:
        return {"word": self.word, "weight": self.weight, "start": self.start, "end": self.end, "tag": self.tag}


@dataclass(frozen=True)
class Run:
    """One text through the pipeline: the keyphrases and the arrays behind them."""

    keyphrases: list[Keyphrase]
    tagged: TaggedText | None = None
    candidates: Candidates | None = None
    encoded: Encoded | None = None
    token_scores: np.ndarray | None = None  # one score per token, after mixing the heads
    phrase_scores: np.ndarray | None = None  # one per candidate, the ranking's (NaN: not ranked)
    error: str | None = None  # why the text could not be processed (extract_many goes on)


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text) -> str:
    """The text to process: a ``str`` (TypeError otherwise), lone surrogates (from badly decoded
    input) replaced by U+FFFD so that offsets into the given text stay valid."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def keyphrases(text: str, found: Candidates, scores: np.ndarray, order: list[int]) -> list[Keyphrase]:
    """``Keyphrase`` objects for the phrases ``order`` names: surface form as first written (its
    character references read: "M&amp;S" -> "M&S"), score, and every occurrence's span."""
    spans_of: dict[int, list[tuple[int, int]]] = {}
    for p, s, e in zip(found.occ_phrase.tolist(), found.occ_start.tolist(), found.occ_end.tolist()):
        spans_of.setdefault(p, []).append((s, e))
    results = []
    for p in order:
        spans = tuple(sorted(spans_of[p]))
        start, end = spans[0]
        results.append(Keyphrase(unescape(text[start:end])[0], float(scores[p]), spans))
    return results
