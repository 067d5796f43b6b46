"""Corpus statistics: inverse document frequency of words, fitted on a user's corpus.

Phrases made of words that every document uses ("method", "result") are down-weighted by the
mean IDF of their words. A fitted table is plain data: it can be updated with more documents,
saved as JSON and loaded again.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np


class IdfTable:
    """Document frequencies of lower-cased words; ``weight(word)`` is the smoothed IDF
    ``ln((1 + N) / (1 + df)) + 1`` (as scikit-learn's), so an unseen word weighs the most."""

    def __init__(self, document_frequency: dict[str, int] | None = None, documents: int = 0):
        self.document_frequency = Counter(document_frequency or {})
        self.documents = documents

    def update(self, documents_words: Iterable[Iterable[str]]) -> "IdfTable":
        """Count each document's distinct words once."""
        for words in documents_words:
            self.document_frequency.update({w.lower() for w in words if any(c.isalnum() for c in w)})
            self.documents += 1
        return self

    def weight(self, word: str) -> float:
        df = self.document_frequency.get(word.lower(), 0)
        return math.log((1 + self.documents) / (1 + df)) + 1.0

    def phrase_weight(self, phrase: str) -> float:
        """Mean IDF of the phrase's words."""
        words = phrase.split()
        return sum(self.weight(w) for w in words) / len(words) if words else 1.0

    def phrase_weights(self, phrases: Iterable[str]) -> np.ndarray:
        """``phrase_weight`` of each phrase, as an array."""
        return np.array([self.phrase_weight(p) for p in phrases], dtype=np.float64)

    def to_dict(self) -> dict:
        return {"documents": self.documents, "document_frequency": dict(self.document_frequency)}

    @classmethod
    def from_dict(cls, data: dict) -> "IdfTable":
        return cls(data["document_frequency"], int(data["documents"]))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict()), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "IdfTable":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
