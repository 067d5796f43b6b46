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

from . import atomic


class IdfFileError(ValueError):
    """An IDF table file that cannot be read; the message is one line and names the file."""


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
        """A table from ``to_dict``'s form; ValueError when ``data`` is not that."""
        if not isinstance(data, dict) or "document_frequency" not in data or "documents" not in data:
            raise ValueError('expected {"documents": N, "document_frequency": {word: count}}')
        documents, frequency = data["documents"], data["document_frequency"]
        if isinstance(documents, bool) or not isinstance(documents, int) or documents < 0:
            raise ValueError(f'"documents" must be a whole number >= 0, not {documents!r:.40}')
        if not isinstance(frequency, dict):
            raise ValueError('"document_frequency" must be an object of word: count')
        for word, count in frequency.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"the count of {word!r:.40} must be a whole number >= 0, not {count!r:.40}")
        return cls(frequency, documents)

    def save(self, path: str | Path) -> None:
        """Write the table as JSON, atomically (an interrupted save leaves the old file)."""
        atomic.write_text(path, json.dumps(self.to_dict(), ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path) -> "IdfTable":
        """Read a table ``save`` wrote; ``IdfFileError`` (a ValueError) naming the file when it
        is missing, unreadable or not such a table."""
        try:
            with open(path, "rb") as handle:
                data = json.loads(handle.read().decode("utf-8"))
            return cls.from_dict(data)
        except OSError as error:
            raise IdfFileError(f"cannot read the IDF table {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise IdfFileError(f"{path} is not an IDF table (not UTF-8 text)") from None
        except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise IdfFileError(f"{path} is not an IDF table ({reason})") from None
