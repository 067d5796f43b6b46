"""KeyphraseExtractor: candidates from the tagger, token scores from one attention head,
phrase scores by occurrence, ranked."""

from __future__ import annotations

import itertools
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import attention, models, scoring
from .candidates import Candidates, TaggedText, select_candidates, stem_phrase, tag
from .idf import IdfTable


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
        return {"word": self.word, "weight": self.weight, "start": self.start, "end": self.end,
                "tag": self.tag}


class KeyphraseExtractor:
    """Unsupervised keyphrase extraction from one self-attention head (SAMRank).

    Parameters
    ----------
    model : a packaged alias (``"minilm"``, ``"smollm2"``, ``"mpnet"``), a Hugging Face model id,
        a local model folder, a ``.gguf`` file, or a model already in memory wrapped with
        ``samrank.models.prepare(model, tokenizer)``. Encoders and decoders both work.
    layer, head : which attention head to read, 0-based as in transformers.
    heads : instead of one head, several ``[(layer, head), ...]`` whose token scores are averaged
        (an ensemble); one forward pass still serves them all.
    mode : ``"both"`` (SAMRank: global + proportional), ``"global"``, ``"proportional"``,
        ``"forward"`` (global + the forward redistribution), or ``"uniform"`` (every token
        scores 1: a no-attention control).
    max_words : longest candidate phrase, in words.
    max_length : tokens per forward pass including special tokens; defaults to the model's limit
        (512 for BERT-style encoders, 1024 for decoders). Longer texts are cut into equal windows.
    stopwords : words that may not start a candidate; defaults to SAMRank's 319-word list.
    dedupe : leave out a phrase whose stemmed form ranked higher already.
    use_idf : multiply each phrase's score by the mean IDF of its words, from the table that
        ``fit_idf`` / ``update_idf`` built on a corpus (or one assigned to ``idf_``).
    """

    def __init__(
        self,
        model: str | models.LoadedModel = "minilm",
        layer: int = 5,
        head: int = 5,
        heads: Sequence[tuple[int, int]] | None = None,
        mode: str = "both",
        max_words: int = 5,
        max_length: int | None = None,
        stopwords: Iterable[str] | None = None,
        dedupe: bool = True,
        use_idf: bool = False,
    ):
        if mode not in scoring.MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(scoring.MODES)}")
        self.model = model
        self.layer = layer
        self.head = head
        self.heads = [tuple(h) for h in heads] if heads else None
        self.mode = mode
        self.max_words = max_words
        self.max_length = max_length
        self.stopwords = frozenset(w.lower() for w in stopwords) if stopwords is not None else None
        self.dedupe = dedupe
        self.use_idf = use_idf
        self.idf_: IdfTable | None = None

    def __repr__(self) -> str:
        where = f"heads={self.heads}" if self.heads else f"layer={self.layer}, head={self.head}"
        return f"KeyphraseExtractor(model={self.model!r}, {where}, mode={self.mode!r})"

    @property
    def loaded(self) -> models.LoadedModel:
        """The loaded model (loaded on first use, shared by every extractor in the process)."""
        loaded = self.model if isinstance(self.model, models.LoadedModel) else models.load(self.model)
        for layer, head in self._heads():
            for what, value, limit in (("layer", layer, loaded.num_layers), ("head", head, loaded.num_heads)):
                if not (isinstance(value, (int, np.integer)) and 0 <= value < limit):
                    raise ValueError(f"{what} must be an integer from 0 to {limit - 1} for "
                                     f"{loaded.name} ({loaded.num_layers} layers x "
                                     f"{loaded.num_heads} heads, 0-based); got {value!r}")
        return loaded

    def _heads(self) -> list[tuple[int, int]]:
        return self.heads or [(self.layer, self.head)]

    def extract(self, text: str, top_n: int = 10) -> list[Keyphrase]:
        """The ``top_n`` keyphrases of ``text``, best first; empty for text without noun phrases."""
        _check_text(text)
        if not text.strip():
            return []
        return self._rank(text, tag([text])[0], top_n)

    def extract_many(
        self, texts: Iterable[str], top_n: int = 10, batch_size: int = 32, errors: str = "warn"
    ) -> Iterator[list[Keyphrase]]:
        """Yield one result per text, in input order, reading ``texts`` lazily in batches.

        A text that cannot be processed yields an empty list and a warning (``errors="warn"``),
        or raises (``errors="raise"``); the other texts are unaffected.
        """
        if errors not in ("warn", "raise"):
            raise ValueError('errors must be "warn" or "raise"')
        iterator = iter(texts)
        position = 0
        # The tagger works on the next batch in a thread while the model runs on this one.
        with ThreadPoolExecutor(max_workers=1) as tagger:
            batch = list(itertools.islice(iterator, batch_size))
            pending = tagger.submit(_tag_valid, batch, batch_size)
            while batch:
                tagged = iter(pending.result())
                upcoming = list(itertools.islice(iterator, batch_size))
                if upcoming:
                    pending = tagger.submit(_tag_valid, upcoming, batch_size)
                for text in batch:
                    try:
                        words = next(tagged)
                        if words is None:
                            _check_text(text)
                            yield []
                        else:
                            yield self._rank(text, words or tag([text])[0], top_n)
                    except Exception as error:  # one bad document must not sink the batch
                        if errors == "raise":
                            raise
                        warnings.warn(f"document {position}: {type(error).__name__}: {error}",
                                      stacklevel=2)
                        yield []
                    position += 1
                batch = upcoming

    def extract_word_weights(self, text: str) -> list[WordWeight]:
        """Every word of ``text`` (punctuation left out) in text order, weighted by the chosen
        head: the sum of its tokens' scores. Hyphenated compounds are one word."""
        _check_text(text)
        if not text.strip():
            return []
        tagged = tag([text])[0]
        encoded, scores = self.token_scores(text)
        first, end = occurrence_tokens(encoded, tagged.starts, tagged.ends)
        cumulative = np.concatenate([[0.0], np.cumsum(scores)])
        weights = cumulative[end] - cumulative[first]
        return [
            WordWeight(text[s:e], float(w), s, e, t)
            for s, e, w, t in zip(tagged.starts.tolist(), tagged.ends.tolist(), weights.tolist(), tagged.tags)
            if any(c.isalnum() for c in text[s:e])
        ]

    def fit_idf(self, texts: Iterable[str], batch_size: int = 32) -> "KeyphraseExtractor":
        """Learn word document frequencies from a corpus (replacing any fitted before)."""
        self.idf_ = IdfTable()
        return self.update_idf(texts, batch_size)

    def update_idf(self, texts: Iterable[str], batch_size: int = 32) -> "KeyphraseExtractor":
        """Add a corpus's documents to the fitted document frequencies."""
        if self.idf_ is None:
            self.idf_ = IdfTable()
        iterator = iter(texts)
        while batch := [t for t in itertools.islice(iterator, batch_size) if isinstance(t, str)]:
            self.idf_.update(tagged.words for tagged in tag(batch, batch_size))
        return self

    def candidates(self, text: str) -> Candidates:
        """The candidate phrases of ``text`` and all their occurrences (no model needed)."""
        _check_text(text)
        return select_candidates(tag([text])[0], self.max_words, self.stopwords)

    def token_scores(self, text: str) -> tuple[attention.Encoded, np.ndarray]:
        """The text's tokens and each token's score from the chosen head (special tokens left out)."""
        loaded = self.loaded
        encoded = attention.encode(loaded, text, self.max_length)
        if not self.heads:
            scores = document_token_scores(loaded, encoded, [self.layer], self.mode, head=self.head)
            return encoded, scores[0, 0]
        layers = sorted({layer for layer, _ in self.heads})
        scores = document_token_scores(loaded, encoded, layers, self.mode)
        return encoded, np.mean([scores[layers.index(l), h] for l, h in self.heads], axis=0)

    def _rank(self, text: str, tagged: TaggedText, top_n: int) -> list[Keyphrase]:
        found = select_candidates(tagged, self.max_words, self.stopwords)
        if not len(found):
            return []
        encoded, scores = self.token_scores(text)
        phrase_scores = score_phrases(encoded, found, scores)
        if self.use_idf:
            if self.idf_ is None:
                raise ValueError("use_idf=True needs fit_idf(corpus) (or idf_ = IdfTable.load(path)) first")
            phrase_scores = phrase_scores * np.array([self.idf_.phrase_weight(p) for p in found.phrases])
        return rank(text, found, phrase_scores, top_n, self.dedupe)


def document_token_scores(loaded: models.LoadedModel, encoded: attention.Encoded,
                          layers: list[int], mode: str, head: int | None = None) -> np.ndarray:
    """Token scores of a whole text, window by window: ``(len(layers), heads, n_tokens)``, one
    forward pass per window for all layers. ``head`` keeps only that head (heads axis of 1)."""
    n_heads = 1 if head is not None else loaded.num_heads
    if mode == "uniform":
        return np.ones((len(layers), n_heads, len(encoded.ids)))
    first = len(loaded.prefix_ids)
    parts = []
    for a, b in encoded.windows:
        sink = attention.sink_index(loaded, first + (b - a) + len(loaded.suffix_ids))

        def reduce(maps, a=a, b=b, sink=sink):
            maps = maps if head is None else maps[head : head + 1]
            return scoring.token_scores(maps, sink, mode)[:, first : first + (b - a)]

        parts.append(np.stack(attention.read_layers(loaded, encoded.ids[a:b], layers, reduce)))
    if not parts:
        return np.zeros((len(layers), n_heads, 0))
    return np.concatenate(parts, axis=-1)


def score_phrases(encoded: attention.Encoded, found: Candidates, token_scores: np.ndarray) -> np.ndarray:
    """Phrase scores from token scores (any leading axes): occurrences mapped to tokens by
    character overlap, single words counted only where they stand alone."""
    first_token, end_token = occurrence_tokens(encoded, found.occ_start, found.occ_end)
    keep = found.occ_standalone & (end_token > first_token)
    return scoring.phrase_scores(
        token_scores,
        first_token[keep],
        end_token[keep],
        found.occ_phrase[keep],
        encoded.window_of(first_token[keep]),
        found.n_words == 1,
    )


def _tag_valid(batch: list, batch_size: int) -> list:
    """Tag the non-empty strings of a batch in one spaCy stream. Per text: its TaggedText,
    None when there is nothing to tag (empty, blank, not a string), or False when the stream
    failed, so that the text is tagged again on its own and only a bad text fails."""
    valid = [isinstance(t, str) and bool(t.strip()) for t in batch]
    try:
        tagged = iter(tag([t for t, ok in zip(batch, valid) if ok], batch_size))
    except Exception:
        return [False if ok else None for ok in valid]
    return [next(tagged) if ok else None for ok in valid]


def occurrence_tokens(encoded: attention.Encoded, starts: np.ndarray, ends: np.ndarray):
    """Token range ``[first, end)`` of each character span: the tokens that overlap it."""
    first = np.searchsorted(encoded.ends, starts, side="right")
    end = np.searchsorted(encoded.starts, ends, side="left")
    # Tokens are in text order, so both searches are monotone; an empty token (end == start)
    # never overlaps anything, which the strict comparisons above already ensure.
    return first, np.maximum(end, first)


def rank(text: str, found: Candidates, phrase_scores: np.ndarray, top_n: int,
         dedupe: bool = True) -> list[Keyphrase]:
    """The ``top_n`` scored candidates, best first (ties keep text order); NaN scores dropped.

    With ``dedupe``, a phrase whose Porter-stemmed form ranked higher already ("neural network"
    after "neural networks") is left out, as the evaluation protocol does.
    """
    scored = np.flatnonzero(~np.isnan(phrase_scores))
    order = scored[np.argsort(-phrase_scores[scored], kind="stable")]
    if dedupe:
        first_of_stem: dict[str, int] = {}
        for p in order.tolist():
            first_of_stem.setdefault(stem_phrase(found.phrases[p]), p)
            if len(first_of_stem) == top_n:
                break
        order = np.array(list(first_of_stem.values()), dtype=np.int64)
    order = order[: max(top_n, 0)]
    spans_of: dict[int, list[tuple[int, int]]] = {}
    for p, s, e in zip(found.occ_phrase.tolist(), found.occ_start.tolist(), found.occ_end.tolist()):
        spans_of.setdefault(p, []).append((s, e))
    results = []
    for p in order.tolist():
        spans = tuple(sorted(spans_of[p]))
        start, end = spans[0]
        results.append(Keyphrase(text[start:end], float(phrase_scores[p]), spans))
    return results


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
