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

HEAD_WEIGHTINGS = ("mean", "dynamic")
BACKENDS = ("torch", "onnx")

# SAMRank as published (Kang & Shin, 2023): the scoring settings that differ from our defaults.
# KeyphraseExtractor(**SAMRANK) reproduces the paper's phrase scores at the chosen head.
SAMRANK = {"single_words": "mean", "length_power": 0.0, "position_power": 0.0}


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
    """Unsupervised keyphrase extraction from self-attention (SAMRank and what grew around it).

    The defaults were chosen on development data of two genres, scientific abstracts and news
    (``benchmarks/defaults.py``, docs/DEFAULTS.md). ``KeyphraseExtractor(**SAMRANK)`` scores
    phrases exactly as the SAMRank paper does.

    Parameters
    ----------
    model : a packaged alias (``"minilm"``, ``"smollm2"``, ``"mpnet"``), a Hugging Face model id,
        a local model folder, a ``.gguf`` file, or a model already in memory wrapped with
        ``samrank.models.prepare(model, tokenizer)``. Encoders and decoders both work.
    layer, head : which attention head to read, 0-based as in transformers.
    heads : instead of one head, several ``[(layer, head), ...]``; one forward pass serves them all.
    head_weighting : how ``heads`` combine: ``"mean"`` (each head's token scores rescaled to mean 1,
        then averaged) or ``"dynamic"`` (weights chosen per document from how much each head's
        attention lands on the candidates, after Attention-Seeker; see
        ``scoring.dynamic_head_weights``).
    mode : token score readout: ``"both"`` (SAMRank: global + proportional), ``"global"``,
        ``"proportional"``, ``"forward"``, KeyAtten's ``"received"``, ``"cls"`` and ``"fusion"``,
        or ``"uniform"`` (every token scores 1: a no-attention control).
    single_words : how a one-word phrase adds up its stand-alone occurrences: ``"mean"`` (SAMRank:
        the mean within each window, so that a frequent word does not win by count alone) or
        ``"sum"`` (like longer phrases: frequent words rise, as news keyphrases want).
    length_power : an occurrence scores the sum of its token scores divided by its token count to
        this power: 0 is SAMRank (longer phrases collect more), 1 is the mean token score.
    position_power : weigh each phrase by ``(1 + first_offset / 100) ** -position_power``, where
        ``first_offset`` is the character offset of its first occurrence; 0 turns it off.
    max_words : longest candidate phrase, in words.
    max_length : tokens per forward pass including special tokens; defaults to the model's limit
        (512 for BERT-style encoders, 1024 for decoders). Longer texts are cut into equal windows.
    window_overlap : for texts longer than one window: the share of each window that the next
        one repeats (0 = side by side, as SAMRank). Each token is scored in the window where it
        sits nearest the centre, so none is scored without context on one side.
    stopwords : words that may not start a candidate; defaults to SAMRank's 319-word list.
    dedupe : leave out a phrase whose stemmed form ranked higher already.
    nested : keep a phrase whose words lie inside a higher-ranked phrase ("network" after
        "neural network"); False leaves it out.
    diversity : 0 ranks by score alone; above 0, an MMR-style re-ranking that trades score for
        novelty: each next phrase maximises ``(1 - diversity) * score - diversity * overlap``
        (scores scaled to [0, 1], overlap = the largest share of stemmed words it shares with a
        phrase already picked).
    use_idf : multiply each phrase's score by the mean IDF of its words, from the table that
        ``fit_idf`` / ``update_idf`` built on a corpus (or one assigned to ``idf_``).
    backend : ``"torch"`` (PyTorch) or ``"onnx"``: the fast path, the model up to the last
        layer read exported once to ONNX and run by ONNX Runtime (same weights and the same
        attention maps to float tolerance; docs/BENCHMARKS.md measures its speed).
    """

    def __init__(
        self,
        model: str | models.LoadedModel = "minilm",
        layer: int = 5,
        head: int = 5,
        heads: Sequence[tuple[int, int]] | None = None,
        head_weighting: str = "mean",
        mode: str = "both",
        single_words: str = "sum",
        length_power: float = 1.0,
        position_power: float = 0.25,
        max_words: int = 5,
        max_length: int | None = None,
        window_overlap: float = 0.0,
        stopwords: Iterable[str] | None = None,
        dedupe: bool = True,
        nested: bool = True,
        diversity: float = 0.0,
        use_idf: bool = False,
        backend: str = "torch",
    ):
        if mode not in scoring.MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(scoring.MODES)}")
        if head_weighting not in HEAD_WEIGHTINGS:
            raise ValueError(f"head_weighting must be one of {', '.join(HEAD_WEIGHTINGS)}; got {head_weighting!r}")
        if single_words not in ("mean", "sum"):
            raise ValueError(f'single_words must be "mean" or "sum"; got {single_words!r}')
        if not 0.0 <= diversity <= 1.0:
            raise ValueError(f"diversity must be between 0 and 1; got {diversity!r}")
        self.model = model
        self.layer = layer
        self.head = head
        self.heads = [tuple(h) for h in heads] if heads else None
        self.head_weighting = head_weighting
        self.mode = mode
        self.single_words = single_words
        self.length_power = float(length_power)
        self.position_power = float(position_power)
        self.max_words = max_words
        self.max_length = max_length
        if not 0.0 <= window_overlap < 1.0:
            raise ValueError(f"window_overlap must be in [0, 1); got {window_overlap!r}")
        self.window_overlap = float(window_overlap)
        self.stopwords = frozenset(w.lower() for w in stopwords) if stopwords is not None else None
        self.dedupe = dedupe
        self.nested = nested
        self.diversity = float(diversity)
        self.use_idf = use_idf
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
        self.backend = backend
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

    def token_scores(self, text: str, found: Candidates | None = None) -> tuple[attention.Encoded, np.ndarray]:
        """The text's tokens and each token's score from the chosen head or heads (special tokens
        left out). ``found``, the text's candidates, saves selecting them again for
        ``head_weighting="dynamic"``."""
        loaded = self.loaded
        encoded = attention.encode(loaded, text, self.max_length, self.window_overlap)
        heads = self._heads()
        layers = sorted({layer for layer, _ in heads})
        only = heads[0][1] if len(heads) == 1 else None
        by_layer = document_token_scores(loaded, encoded, layers, self.mode, head=only,
                                         read=layer_reader(loaded, layers, self.backend))
        if only is not None:
            return encoded, by_layer[0, 0]
        candidate = None
        if self.head_weighting == "dynamic":
            candidate = candidate_tokens(encoded, found if found is not None else self.candidates(text))
        return encoded, self.mix(by_layer, layers, candidate)

    def mix(self, by_layer: np.ndarray, layers: list[int], candidate: np.ndarray | None = None) -> np.ndarray:
        """One row of token scores from ``(len(layers), heads, n)`` scores: the chosen head, or the
        chosen heads combined by ``head_weighting`` (``"dynamic"`` needs the ``candidate`` token mask)."""
        heads = self._heads()
        rows = np.stack([by_layer[layers.index(layer), head] for layer, head in heads])
        if len(heads) == 1:
            return rows[0]
        weights = None
        if self.head_weighting == "dynamic":
            if candidate is None:
                raise ValueError('head_weighting="dynamic" needs the candidate token mask')
            weights = scoring.dynamic_head_weights(rows, candidate) if candidate.any() else None
        return scoring.mix_heads(rows, weights)

    def phrase_scores(self, encoded: attention.Encoded, found: Candidates, token_scores: np.ndarray) -> np.ndarray:
        """Each candidate's score from the token scores: occurrences summed (length power applied),
        then the position prior and IDF weights if configured. NaN for a phrase with no token."""
        scores = score_phrases(encoded, found, token_scores, self.length_power, self.single_words == "mean")
        if self.position_power:
            scores = scores * scoring.position_weights(found.first_offsets(), self.position_power)
        if self.use_idf:
            if self.idf_ is None:
                raise ValueError("use_idf=True needs fit_idf(corpus) (or idf_ = IdfTable.load(path)) first")
            scores = scores * self.idf_.phrase_weights(found.phrases)
        return scores

    def rank(self, text: str, found: Candidates, phrase_scores: np.ndarray, top_n: int) -> list[Keyphrase]:
        """The ``top_n`` phrases by score, after the configured dedupe / nested / diversity rules."""
        order = ranked_order(phrase_scores, found, top_n, self.dedupe, self.nested, self.diversity)
        return keyphrases(text, found, phrase_scores, order)

    def _rank(self, text: str, tagged: TaggedText, top_n: int) -> list[Keyphrase]:
        found = select_candidates(tagged, self.max_words, self.stopwords)
        if not len(found):
            return []
        encoded, scores = self.token_scores(text, found)
        return self.rank(text, found, self.phrase_scores(encoded, found, scores), top_n)


def layer_reader(loaded: models.LoadedModel, layers: list[int], backend: str = "torch"):
    """The function that reads attention maps for ``backend``, with ``attention.read_layers``'s
    signature."""
    if backend == "onnx":
        from . import fast

        return fast.reader(loaded, layers)
    return attention.read_layers


def document_token_scores(loaded: models.LoadedModel, encoded: attention.Encoded,
                          layers: list[int], mode: str, head: int | None = None,
                          read=attention.read_layers) -> np.ndarray:
    """Token scores of a whole text, window by window: ``(len(layers), heads, n_tokens)``, one
    forward pass per window for all layers; with overlapping windows each token is scored in its
    home window. ``head`` keeps only that head (heads axis of 1); ``read`` reads the maps
    (``layer_reader`` gives the one for a backend)."""
    n_heads = 1 if head is not None else loaded.num_heads
    if mode == "uniform":
        return np.ones((len(layers), n_heads, len(encoded.ids)))
    first = len(loaded.prefix_ids)
    query = -1 if loaded.is_decoder else 0  # the token whose row "cls" reads
    parts = []
    for (a, b), (home_a, home_b) in zip(encoded.windows, encoded.segments):
        sink = attention.sink_index(loaded, first + (b - a) + len(loaded.suffix_ids))

        def reduce(maps, keep=slice(first + home_a - a, first + home_b - a), sink=sink):
            maps = maps if head is None else maps[head : head + 1]
            return scoring.token_scores(maps, sink, mode, query)[:, keep]

        parts.append(np.stack(read(loaded, encoded.ids[a:b], layers, reduce)))
    if not parts:
        return np.zeros((len(layers), n_heads, 0))
    return np.concatenate(parts, axis=-1)


def score_phrases(encoded: attention.Encoded, found: Candidates, token_scores: np.ndarray,
                  length_power: float = 0.0, mean_single_words: bool = True) -> np.ndarray:
    """Phrase scores from token scores (any leading axes): occurrences mapped to tokens by
    character overlap, single words counted only where they stand alone (and averaged per
    window with ``mean_single_words``)."""
    first_token, end_token = occurrence_tokens(encoded, found.occ_start, found.occ_end)
    keep = found.occ_standalone & (end_token > first_token)
    return scoring.phrase_scores(
        token_scores,
        first_token[keep],
        end_token[keep],
        found.occ_phrase[keep],
        encoded.window_of(first_token[keep]),
        (found.n_words == 1) & mean_single_words,
        length_power,
    )


def candidate_tokens(encoded: attention.Encoded, found: Candidates) -> np.ndarray:
    """Boolean mask of the tokens that lie inside some candidate occurrence."""
    first, end = occurrence_tokens(encoded, found.occ_start, found.occ_end)
    return scoring.covered(len(encoded.ids), first, end)


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


def ranked_order(phrase_scores: np.ndarray, found: Candidates, top_n: int, dedupe: bool = True,
                 nested: bool = True, diversity: float = 0.0) -> list[int]:
    """Indices of the ``top_n`` phrases to report, best first (ties keep text order; NaN dropped).

    ``dedupe`` leaves out a phrase whose Porter-stemmed form ranked higher already ("neural
    network" after "neural networks"), as the evaluation protocol does; ``nested=False`` leaves
    out a phrase whose stemmed words all lie, in order, inside a higher-ranked one; ``diversity``
    re-ranks MMR-style (see ``KeyphraseExtractor``).
    """
    scored = np.flatnonzero(~np.isnan(phrase_scores))
    order = scored[np.argsort(-phrase_scores[scored], kind="stable")].tolist()
    if not (dedupe or not nested or diversity):
        return order[: max(top_n, 0)]
    stems: dict[int, str] = {}  # stemmed on demand: ranking usually stops long before the end

    def stem(p: int) -> str:
        if p not in stems:
            stems[p] = stem_phrase(found.phrases[p])
        return stems[p]

    if diversity:
        # MMR over a pool wide enough to fill top_n after dedupe; the rest stays in score order
        pool = max(top_n, 0) * 5 + 20
        order = _mmr(order[:pool], phrase_scores, [stem(p) for p in order[:pool]], diversity) + order[pool:]
    picked: list[int] = []
    seen: set[str] = set()
    for p in order:
        if len(picked) >= top_n:
            break
        if dedupe and stem(p) in seen:
            continue
        if not nested and any(f" {stem(p)} " in f" {stem(q)} " for q in picked):
            continue
        seen.add(stem(p))
        picked.append(p)
    return picked


def _mmr(order: list[int], phrase_scores: np.ndarray, stems: list[str], diversity: float) -> list[int]:
    """Maximal marginal relevance over the candidates in ``order`` (``stems`` in the same order),
    word overlap as similarity."""
    if not order:
        return order
    values = phrase_scores[order]
    span = values.max() - values.min()
    relevance = (values - values.min()) / span if span > 0 else np.ones_like(values)
    words = [set(stem.split()) for stem in stems]
    overlap = np.zeros(len(order))
    left = list(range(len(order)))
    result = []
    while left:
        gains = (1 - diversity) * relevance[left] - diversity * overlap[left]
        best = left.pop(int(np.argmax(gains)))
        result.append(order[best])
        for i in left:
            shared = len(words[i] & words[best]) / max(len(words[i]), 1)
            overlap[i] = max(overlap[i], shared)
    return result


def keyphrases(text: str, found: Candidates, phrase_scores: np.ndarray, order: list[int]) -> list[Keyphrase]:
    """``Keyphrase`` objects for the phrases ``order`` names: surface form as first written,
    score, and every occurrence's span."""
    spans_of: dict[int, list[tuple[int, int]]] = {}
    for p, s, e in zip(found.occ_phrase.tolist(), found.occ_start.tolist(), found.occ_end.tolist()):
        spans_of.setdefault(p, []).append((s, e))
    results = []
    for p in order:
        spans = tuple(sorted(spans_of[p]))
        start, end = spans[0]
        results.append(Keyphrase(text[start:end], float(phrase_scores[p]), spans))
    return results


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
