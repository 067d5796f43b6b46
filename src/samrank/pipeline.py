"""THE one path from text to keyphrases, shared by every driver (extract, evaluate, highlight,
the service, the spaCy component, Ray):

    text -> candidates -> model reading -> token scores -> phrase scores -> ranking

(the heads, the length power and the word graph's weight follow the text's share of names
and length: ``heads``, ``length_power``, ``names``; in long texts the phrase scores are fused with a word
graph's ranking: ``with_graph``, ``fusion``).

Each step is a method that can be called and tested alone. A ``Pipeline`` holds its settings and
what it loaded (model, readers, embedder: ``pipeline_parts.py``); a run keeps its arrays in local
variables, so one pipeline may be shared by any number of threads.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import fusion, names, ranking, rarity, scoring, similarity
from .candidates import Candidates, TaggedText, empty_tagged, select_candidates, stem_phrase, tag
from .candidates.en import _one_blas_thread
from .candidates.non_topics import without_non_topics
from .idf import IdfTable
from .languages import resolve_language
from .layout import split_at_datelines, split_at_line_breaks
from .outputs import Keyphrase, Run, WordWeight, check_text, keyphrases
from .pipeline_parts import LoadedParts
from .readers import Encoded, encode
from .readers.base import Progress
from .readers.embedder import TEXT_WINDOWS


class Pipeline(LoadedParts):
    """The steps of keyphrase extraction under one ``Settings`` (what it loads for them:
    ``LoadedParts``)."""

    def heads(self, tagged: TaggedText) -> tuple[tuple[tuple[int, int], ...], str]:
        """The heads read in this text and how they combine: ``names_heads`` where many of its
        nouns are proper nouns (``names``), else ``long_heads`` in a long text, else ``heads``."""
        s = self.resolved
        if s.names_heads != s.heads and names.proper_noun_share(tagged) >= s.many_names_share:
            return s.names_heads, s.names_head_weighting
        if s.long_heads != s.heads and fusion.word_count(tagged) >= s.long_text_words:
            return s.long_heads, s.long_head_weighting
        return s.heads, s.head_weighting

    def mode(self, tagged: TaggedText) -> str:
        """The readout of this text: ``few_names_mode`` where fewer than ``many_names_share`` of
        its nouns are proper nouns, else ``mode``."""
        s = self.resolved
        if s.few_names_mode != s.mode and names.proper_noun_share(tagged) < s.many_names_share:
            return s.few_names_mode
        return s.mode

    # -- the steps ----------------------------------------------------------------------------
    def tag(self, texts: list[str], batch_size: int = 32) -> list[TaggedText]:
        """Each text's words and tags in its language: the one set, or with ``language="auto"``
        the detected one (English when the detector is unsure; an unsupported language gets no
        words and a reason). Texts of one language are tagged in one stream."""
        if self.settings.language != "auto":
            return tag(texts, batch_size, self.settings.language)
        with _one_blas_thread():  # the detector's numpy product would wake BLAS threads that spin
            codes = [self._language_of(text) for text in texts]  # and slow the forward pass 2x
        tagged: list[TaggedText | None] = [None] * len(texts)
        for code in {c for c, _ in codes if c}:
            which = [n for n, (c, _) in enumerate(codes) if c == code]
            for n, words in zip(which, tag([texts[n] for n in which], batch_size, code)):
                tagged[n] = words
        return [t if t is not None else empty_tagged(None, codes[n][1]) for n, t in enumerate(tagged)]

    @staticmethod
    def _language_of(text: str) -> tuple[str | None, str]:
        code, reason = resolve_language(text, "auto")
        if code is None and reason.startswith("language not recognised"):
            return "en", ""  # too short to tell: English, the most common case
        return code, reason

    def candidates(self, tagged: TaggedText, text: str | None = None) -> Candidates:
        """Candidate phrases and all their occurrences; with the ``text``, none crosses a blank
        line or a line break that is not a soft wrap or runs into a news dateline (``layout.py``), and
        none is a cited name or a formula or an address (``candidates/non_topics.py``)."""
        s = self.settings
        if text is not None:
            tagged = split_at_line_breaks(text, tagged)
            if s.split_datelines:
                tagged = split_at_datelines(text, tagged)
        found = select_candidates(tagged, s.max_words, s.stopwords, modifier_tags=s.modifier_tags,
                                  leading_stopwords=s.leading_stopwords, split_time_words=s.split_time_words,
                                  nominal_gerunds=s.nominal_gerunds, drop_measures=s.drop_measures)
        if text is None:
            return found
        return without_non_topics(found, tagged, text, s.drop_cited_names, s.drop_formulas, s.drop_addresses)

    def read(self, text: str, layers: Sequence[int] | None = None, all_heads: bool = False,
             progress: Progress | None = None, heads: Sequence[tuple[int, int]] | None = None,
             mode: str | None = None):
        """The text's tokens and their scores from the model: ``(len(layers), heads, n)`` for
        ``layers`` (default: those of ``heads``, by default the chosen heads). Only the head is
        scored when it is the only one, unless ``all_heads`` (or the disk cache, which keeps every
        head). ``progress(done, total)`` hears of each window read; ``mode``: the readout
        (default: the settings' ``mode``; ``mode(tagged)`` gives a text's own)."""
        encoded, scores, _ = self.read_pooled(text, layers, all_heads, progress, heads, mode)
        return encoded, scores

    def read_pooled(self, text: str, layers=None, all_heads: bool = False, progress=None, heads=None, mode=None):
        """``read``, and the vectors of the text's first windows where the reader's pass gives
        them (``Reader.pools``) and the similarity weight wants them (else an empty list): what
        ``similarity_weights`` takes as ``window_vectors``."""
        s = self.resolved
        heads = s.heads if heads is None else tuple(heads)
        mode = s.mode if mode is None else mode
        layers = sorted(set(layers) if layers is not None else {layer for layer, _ in heads})
        loaded = self.loaded
        encoded = encode(loaded, text, s.max_length, s.window_overlap)
        only = heads[0][1] if len(heads) == 1 and not all_heads and not s.cache else None
        pooled = TEXT_WINDOWS if s.similarity_power else 0
        reader = self.reader(layers)
        if not s.cache or mode == "uniform":
            return encoded, *reader.read_text(encoded, mode, only, progress, pooled)
        store = self._score_cache()
        path = store.path(loaded, text, s.max_length or loaded.max_length, self._cache_label(reader, mode))
        scores, vectors = store.load(path, layers, len(encoded.ids)), []
        if scores is None:
            scores, vectors = reader.read_text(encoded, mode, progress=progress, pooled_windows=pooled)
            store.save(path, layers, scores)
        return encoded, scores, vectors

    def token_row(self, by_layer: np.ndarray, layers: Sequence[int], candidate: np.ndarray | None = None,
                  heads: Sequence[tuple[int, int]] | None = None, weighting: str | None = None) -> np.ndarray:
        """One row of token scores from ``(len(layers), heads, n)`` scores: the head, or the heads
        combined by the weighting (default: the chosen ``heads`` and ``head_weighting``;
        ``"dynamic"`` needs the ``candidate`` token mask). A heads axis of 1 holds the head alone."""
        s = self.resolved
        heads, weighting = (s.heads, s.head_weighting) if heads is None else (tuple(heads), weighting)
        layers = list(layers)
        if len(heads) == 1:
            layer, head = heads[0]
            return by_layer[layers.index(layer), head if by_layer.shape[1] > 1 else 0]
        rows = np.stack([by_layer[layers.index(layer), head] for layer, head in heads])
        weights = None
        if weighting == "dynamic":
            if candidate is None:
                raise ValueError('head_weighting="dynamic" needs the candidate token mask')
            weights = scoring.dynamic_head_weights(rows, candidate) if candidate.any() else None
        return scoring.mix_heads(rows, weights)

    def phrase_scores(self, encoded: Encoded, found: Candidates, token_scores: np.ndarray,
                      idf: IdfTable | None = None, position_power: float | None = None,
                      length_power: float | None = None, rarity_power: float | None = None,
                      similarity_weights: np.ndarray | None = None,
                      word_count_power: float | None = None) -> np.ndarray:
        """Each candidate's score from token scores (any leading axes): occurrences summed
        (length power applied; single words only where they stand alone, averaged per window
        with ``single_words="mean"``, divided by their count to 1 - ``word_count_power`` where
        that is given: ``word_count_power(tagged)``), then the position prior, the words' rarity, the
        ``similarity_weights`` (``similarity_weights(...)``) and IDF weights. NaN for a phrase
        with no token. The powers default to the settings' (``length_power(tagged)``,
        ``position_power(tagged)``, ``rarity_power(tagged)`` give a text's own)."""
        s = self.resolved
        first, end = encoded.token_range(found.occ_start, found.occ_end)
        keep = found.occ_standalone & (end > first)
        scores = scoring.phrase_scores(token_scores, first[keep], end[keep], found.occ_phrase[keep],
                                       encoded.window_of(first[keep]),
                                       (found.n_words == 1) & (s.single_words == "mean"),
                                       s.length_power if length_power is None else length_power)
        if word_count_power is not None:
            scores = scoring.repetition_discount(scores, found.occ_phrase[keep], found.n_words == 1, word_count_power)
        power = s.position_power if position_power is None else position_power
        if power:
            scores = scores * scoring.position_weights(found.first_offsets(), power)
        power = s.rarity_power if rarity_power is None else rarity_power
        if power:
            scores = scores * rarity.phrase_rarity(found.phrases, found.language) ** power
        if similarity_weights is not None:
            scores = scores * similarity_weights
        if s.use_idf:
            if idf is None:
                raise ValueError("use_idf needs a fitted IDF table: fit_idf(corpus) or --idf FILE")
            scores = scores * idf.phrase_weights(found.phrases)
        return scores

    def similarity_weights(self, text: str, encoded: Encoded, found: Candidates,
                           window_vectors: list | None = None) -> np.ndarray | None:
        """Each candidate's weight by its nearness to the text in the model's embedding space
        (``similarity``) to ``similarity_power``; None when that is 0. ``window_vectors``: the
        text's first windows pooled by the reader's own pass, if it gave them. The cosines are
        kept in the disk cache with the token scores."""
        s = self.resolved
        if not s.similarity_power or not len(found):
            return None
        embedder = self.embedder
        store = self._score_cache() if s.cache else None
        label = f"cosines:{TEXT_WINDOWS}w:{s.window_overlap:g}:by-length" + ("@onnx" if embedder.backend == "onnx" else "") \
            + ("" if embedder.device == "cpu" else f"@{embedder.device}")
        path = store and store.path(self.loaded, "\x1f".join([text, *found.phrases]),
                                    s.max_length or self.loaded.max_length, label)
        cosines = store.load_row(path, len(found)) if store else None
        if cosines is None:
            cosines = similarity.cosines(embedder.phrase_vectors(list(found.phrases)),
                                         embedder.text_vector(encoded, window_vectors))
            if store:
                store.save_row(path, cosines)
        return similarity.relative_similarity(cosines, found.n_words) ** s.similarity_power

    def with_graph(self, tagged: TaggedText, found: Candidates, scores: np.ndarray) -> np.ndarray:
        """The phrase ``scores`` (any leading axes, e.g. one row per head) fused with the word
        graph's ranking, in a text long enough for the graph to weigh (``fusion``; its weight by
        the share of names); else unchanged."""
        s = self.resolved
        weight = self._by_names(tagged, s.few_names_graph_weight, s.graph_weight)
        weight = fusion.graph_weight(tagged, weight, s.graph_from_words, s.graph_full_words)
        return fusion.fused(tagged, found, scores, weight) if weight > 0 else scores

    def position_power(self, tagged: TaggedText) -> float:
        """The position prior's power for this text: ``long_position_power`` from
        ``long_text_words`` words on."""
        s = self.resolved
        return s.long_position_power if fusion.word_count(tagged) >= s.long_text_words else s.position_power

    def word_count_power(self, tagged: TaggedText) -> float:
        """How a one-word phrase's occurrences add up in this text (``scoring.repetition_discount``):
        in a text of at least ``long_text_words`` words, ``long_word_count_power`` where few of its
        nouns are proper nouns, rising to 1 (their sum) where many are; 1 in shorter texts."""
        s = self.resolved
        if fusion.word_count(tagged) < s.long_text_words:
            return 1.0
        return self._by_names(tagged, s.long_word_count_power, 1.0)

    def length_power(self, tagged: TaggedText) -> float:
        """The length power for this text: ``few_names_length_power`` where few of its nouns are
        proper nouns, rising to ``length_power`` where many are (``names``)."""
        return self._by_names(tagged, self.resolved.few_names_length_power, self.resolved.length_power)

    def rarity_power(self, tagged: TaggedText) -> float:
        """The words' rarity power for this text: ``few_names_rarity_power`` where few of its
        nouns are proper nouns, moving to ``rarity_power`` where many are (``names``)."""
        return self._by_names(tagged, self.resolved.few_names_rarity_power, self.resolved.rarity_power)

    def _by_names(self, tagged: TaggedText, few_names_value: float, value: float) -> float:
        s = self.resolved
        return names.by_share(names.proper_noun_share(tagged), few_names_value, value,
                              s.few_names_share, s.many_names_share)

    def rank(self, text: str, found: Candidates, scores: np.ndarray, top_n: int) -> list[Keyphrase]:
        """The ``top_n`` phrases by score after the dedupe / nested / diversity rules."""
        return keyphrases(text, found, scores, self.order(found, scores, top_n))

    def order(self, found: Candidates, scores: np.ndarray, top_n: int, stems: dict | None = None) -> list[int]:
        """``rank``'s phrase indices; ``stems`` keeps the phrases' stems across calls on the same
        candidates (a sweep ranks them once per head)."""
        s = self.settings
        language = found.language or "en"
        stems = {} if stems is None else stems

        def stem(p: int) -> str:
            if p not in stems:
                stems[p] = stem_phrase(found.phrases[p], language)
            return stems[p]

        return ranking.ranked_order(scores, stem, top_n, s.dedupe, s.nested, s.diversity)

    def candidate_mask(self, encoded: Encoded, found: Candidates) -> np.ndarray:
        """Which tokens lie inside some candidate occurrence."""
        first, end = encoded.token_range(found.occ_start, found.occ_end)
        return scoring.covered(len(encoded.ids), first, end)

    # -- the whole path -----------------------------------------------------------------------
    def run(self, text: str, top_n: int = 10, tagged: TaggedText | None = None,
            idf: IdfTable | None = None, progress: Progress | None = None) -> Run:
        """``text`` through every step (``tagged``: its tags, if already known; ``progress``:
        told of each window the model reads)."""
        text = check_text(text)
        if not text.strip():
            return Run([])
        tagged = tagged if tagged is not None else self.tag([text])[0]
        found = self.candidates(tagged, text)
        if not len(found):
            return Run([], tagged, found)
        return self.for_language(tagged.language)._score(text, tagged, found, top_n, idf, progress)

    def _score(self, text: str, tagged: TaggedText, found: Candidates, top_n: int, idf, progress) -> Run:
        heads, weighting = self.heads(tagged)
        encoded, by_layer, window_vectors = self.read_pooled(text, progress=progress, heads=heads, mode=self.mode(tagged))
        row = self.heads_row(encoded, found, by_layer, heads, weighting)
        scores = self.phrase_scores(encoded, found, row, idf, self.position_power(tagged), self.length_power(tagged),
                                    self.rarity_power(tagged),
                                    self.similarity_weights(text, encoded, found, window_vectors),
                                    self.word_count_power(tagged))
        scores = self.with_graph(tagged, found, scores)
        return Run(self.rank(text, found, scores, top_n), tagged, found, encoded, row, scores)

    def heads_row(self, encoded: Encoded, found: Candidates, by_layer: np.ndarray, heads, weighting) -> np.ndarray:
        """The text's token row from the ``(layers, heads, n)`` scores ``read`` gave for ``heads``
        (as ``heads(tagged)`` chose them), combined by ``weighting``."""
        dynamic = weighting == "dynamic" and len(heads) > 1
        layers = sorted({layer for layer, _ in heads})
        return self.token_row(by_layer, layers, self.candidate_mask(encoded, found) if dynamic else None,
                              heads, weighting)

    def word_weights(self, text: str) -> list[WordWeight]:
        """Every word of ``text`` (punctuation left out) in text order, weighted by the chosen
        heads: the sum of its tokens' scores. Hyphenated compounds are one word."""
        text = check_text(text)
        if not text.strip():
            return []
        tagged = self.tag([text])[0]
        return self.for_language(tagged.language)._word_weights(text, tagged)

    def _word_weights(self, text: str, tagged: TaggedText) -> list[WordWeight]:
        found = self.candidates(tagged, text)
        heads, weighting = self.heads(tagged)
        encoded, by_layer = self.read(text, heads=heads, mode=self.mode(tagged))
        row = self.heads_row(encoded, found, by_layer, heads, weighting)
        first, end = encoded.token_range(tagged.starts, tagged.ends)
        cumulative = np.concatenate([[0.0], np.cumsum(row)])
        weights = cumulative[end] - cumulative[first]
        return [WordWeight(text[s:e], float(w), s, e, t)
                for s, e, w, t in zip(tagged.starts.tolist(), tagged.ends.tolist(), weights.tolist(), tagged.tags)
                if any(c.isalnum() for c in text[s:e])]
