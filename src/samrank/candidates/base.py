"""What every language route produces (tagged words, candidate phrases and their occurrences),
and the pieces the routes share: grammar matching, classifiers, optional imports."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from ..scoring import covered


@dataclass(frozen=True)
class TaggedText:
    """Words of a text with their POS tags; hyphenated compounds are one word."""

    words: list[str]  # lower-cased
    tags: list[str]  # Penn Treebank tags (en), UPOS (es, fr), STTS (de), jieba flags (zh), or
    # the tagger-free classes W/S/P/D (content word, stop word, punctuation, digits)
    starts: np.ndarray  # character offsets into the text
    ends: np.ndarray
    sentences: np.ndarray  # sentence (or line / segment) number of each word
    language: str | None = "en"  # the route that tagged it; None: not tagged (see reason)
    joiner: str = " "  # how words join into a phrase: "" for Chinese
    reason: str = ""  # why there are no words, when the language was not supported


@dataclass(frozen=True)
class Candidates:
    """Unique candidate phrases and all their occurrences, as parallel arrays."""

    phrases: list[str]  # lower-cased words joined by ``joiner``
    n_words: np.ndarray  # words per phrase
    occ_phrase: np.ndarray  # which phrase each occurrence belongs to
    occ_start: np.ndarray  # character span of each occurrence
    occ_end: np.ndarray
    occ_standalone: np.ndarray  # False where it lies inside an occurrence of a longer candidate
    joiner: str = " "
    language: str | None = "en"
    reason: str = ""  # why there are none, when the language was not supported

    def __len__(self) -> int:
        return len(self.phrases)

    def without(self, drop: np.ndarray) -> "Candidates":
        """These candidates less the phrases where ``drop`` (one bool per phrase) is set, with
        their occurrences."""
        if not drop.any():
            return self
        new_number = np.cumsum(~drop) - 1
        kept = ~drop[self.occ_phrase]
        return dataclasses.replace(
            self, phrases=[p for p, gone in zip(self.phrases, drop) if not gone], n_words=self.n_words[~drop],
            occ_phrase=new_number[self.occ_phrase[kept]], occ_start=self.occ_start[kept], occ_end=self.occ_end[kept],
            occ_standalone=self.occ_standalone[kept])

    def first_offsets(self) -> np.ndarray:
        """Character offset of each phrase's first occurrence."""
        first = np.full(len(self.phrases), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, self.occ_phrase, self.occ_start.astype(np.int64))
        return first


def empty_tagged(language: str | None, reason: str = "", joiner: str = " ") -> TaggedText:
    none = np.zeros(0, dtype=np.int64)
    return TaggedText([], [], none, none.copy(), none.copy(), language, joiner, reason)


def tagged_text(words, tags, starts, ends, sentences, language, joiner=" ") -> TaggedText:
    return TaggedText(list(words), list(tags), np.asarray(starts, dtype=np.int64).reshape(-1),
                      np.asarray(ends, dtype=np.int64).reshape(-1),
                      np.asarray(sentences, dtype=np.int64).reshape(-1), language, joiner)


def concatenate(parts: list[TaggedText]) -> TaggedText:
    """One TaggedText from the pieces of a long text (sentence numbers kept distinct)."""
    if len(parts) == 1:
        return parts[0]
    words, tags, sentences, shift = [], [], [], 0
    for part in parts:
        words += part.words
        tags += part.tags
        sentences.append(part.sentences + shift)
        shift += int(part.sentences.max()) + 1 if len(part.sentences) else 0
    first = parts[0]
    return TaggedText(
        words, tags,
        np.concatenate([p.starts for p in parts]),
        np.concatenate([p.ends for p in parts]),
        np.concatenate(sentences) if sentences else np.zeros(0, dtype=np.int64),
        first.language, first.joiner, first.reason,
    )


_WORDLIKE = re.compile(r"\w")
# proper-noun tags: Penn Treebank (en), UPOS (es, fr), STTS (de)
PROPER_TAGS = frozenset({"NNP", "NNPS", "PROPN", "NE"})


@functools.lru_cache(maxsize=65536)
def script_of(char: str) -> str:
    """The script family of a letter, from its Unicode name ("LATIN", "CJK", "THAI" ...)."""
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else "OTHER"


def in_scripts(word: str, scripts: frozenset[str]) -> bool:
    """Every letter of ``word`` is written in one of ``scripts`` (digits and marks pass)."""
    return all(script_of(c) in scripts for c in word if c.isalpha())


def require(module: str, what: str, install: str):
    """An optional dependency of one language's route, imported; if it is missing, a
    RuntimeError that says how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise RuntimeError(f"{what} is not installed: {install}") from error


def sentence_runs(sentences: Sequence) -> Iterator[tuple[int, int]]:
    """``[i, j)`` of each run of words with the same sentence number."""
    n = len(sentences)
    i = 0
    while i < n:
        j = i
        while j < n and sentences[j] == sentences[i]:
            j += 1
        yield i, j
        i = j


def noun_classifier(nouns: frozenset[str], modifiers: frozenset[str],
                    is_word: Callable[[str], bool]) -> Callable[[str, str], str]:
    """``classify(word, tag)`` for ``grammar_spans``: "N" for a noun tag, "A" for a modifier's
    (an adjective's), "o" for any other tag or for a token that ``is_word`` refuses. The tag sets
    are the language's tagger's."""

    def classify(word: str, tag: str) -> str:
        if not is_word(word):
            return "o"
        if tag in nouns:
            return "N"
        if tag in modifiers:
            return "A"
        return "o"

    return classify


def grammar_spans(tags: list[str], sentences: np.ndarray, classify, pattern: re.Pattern,
                  words: list[str] | None = None) -> list[tuple[int, int]]:
    """Word spans ``[i, j)`` matched by ``pattern`` over one character per word
    (``classify(word, tag)``), within each sentence; leftmost-longest, non-overlapping."""
    spans = []
    words = words if words is not None else [""] * len(tags)
    for i, j in sentence_runs(sentences):
        classes = "".join(classify(words[k], tags[k]) for k in range(i, j))
        spans.extend((i + m.start(), i + m.end()) for m in pattern.finditer(classes) if m.end() > m.start())
    return spans


def with_linked_parts(spans: list[tuple[int, int]], is_linker) -> list[tuple[int, int]]:
    """The spans, and for each span joined by a linker word ("bondad de ajuste") also its
    parts on either side ("bondad", "ajuste")."""
    out = []
    for i, j in spans:
        out.append((i, j))
        cuts = [k for k in range(i + 1, j - 1) if is_linker(k)]
        edges = [i] + [x for k in cuts for x in (k, k + 1)] + [j]
        out.extend((a, b) for a, b in zip(edges[::2], edges[1::2]) if b > a and (a, b) != (i, j))
    return out


def build_candidates(
    tagged: TaggedText,
    spans: Iterable[tuple[int, int]],
    max_words: int,
    stopwords: frozenset[str],
    same_sentence: bool = True,
    keep=None,
    trim: bool = False,
) -> Candidates:
    """Filter chunk spans into unique phrases (at most ``max_words`` words, first word neither a
    stop word nor without word characters, ``keep(key)`` true when given) and locate every
    occurrence of each phrase's word sequence in the text (within one sentence when
    ``same_sentence``). ``trim`` first drops stop words at either end of a span ("neue
    Gesetze" -> "Gesetze" when "neue" is a stop word) instead of losing the span."""
    words, tags = tagged.words, tagged.tags

    def starts_a_name(k: int, end: int) -> bool:  # "Buenos Aires": a stop word that opens a name stays
        return k + 1 < end and tags[k] in PROPER_TAGS and tags[k + 1] in PROPER_TAGS

    phrases: dict[tuple[str, ...], int] = {}
    for i, j in spans:
        if trim:
            while i < j and words[i] in stopwords and not starts_a_name(i, j):
                i += 1
            while j > i and words[j - 1] in stopwords:
                j -= 1
            if i == j:
                continue
        key = tuple(words[i:j])
        if (j - i <= max_words and (key[0] not in stopwords or starts_a_name(i, j))
                and _WORDLIKE.search(key[0]) and (keep is None or keep(key))):
            phrases.setdefault(key, len(phrases))

    positions: dict[str, list[int]] = {}
    for position, word in enumerate(words):
        positions.setdefault(word, []).append(position)

    sentences = tagged.sentences
    occ_phrase, occ_first, occ_last = [], [], []
    for key, number in phrases.items():
        length = len(key)
        for p in positions.get(key[0], ()):
            if tuple(words[p : p + length]) == key and (
                    not same_sentence or sentences[p] == sentences[p + length - 1]):
                occ_phrase.append(number)
                occ_first.append(p)
                occ_last.append(p + length - 1)

    occ_phrase = np.array(occ_phrase, dtype=np.int64)
    occ_first = np.array(occ_first, dtype=np.int64)
    occ_last = np.array(occ_last, dtype=np.int64)
    n_words = np.array([len(key) for key in phrases], dtype=np.int64)

    # A word inside an occurrence of a longer candidate is not a stand-alone occurrence of itself.
    multi = n_words[occ_phrase] > 1 if len(occ_phrase) else np.zeros(0, dtype=bool)
    inside_longer = covered(len(words), occ_first[multi], occ_last[multi] + 1)
    standalone = multi | ~inside_longer[occ_first] if len(occ_phrase) else np.zeros(0, dtype=bool)

    return Candidates(
        phrases=[tagged.joiner.join(key) for key in phrases],
        n_words=n_words,
        occ_phrase=occ_phrase,
        occ_start=tagged.starts[occ_first] if len(occ_first) else np.zeros(0, dtype=np.int64),
        occ_end=tagged.ends[occ_last] if len(occ_last) else np.zeros(0, dtype=np.int64),
        occ_standalone=standalone,
        joiner=tagged.joiner,
        language=tagged.language,
        reason=tagged.reason,
    )


def no_candidates(tagged: TaggedText) -> Candidates:
    none = np.zeros(0, dtype=np.int64)
    return Candidates([], none, none.copy(), none.copy(), none.copy(), np.zeros(0, dtype=bool),
                      tagged.joiner, tagged.language, tagged.reason)
