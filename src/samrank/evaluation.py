"""The SAMRank evaluation protocol around the pipeline: Porter-stemmed (NLTK's, as published),
deduplicated predictions against all gold keyphrases (absent ones included), macro-averaged P, R
and F1 at k, in percent.

``evaluate`` scores exactly what ``KeyphraseExtractor.extract`` returns. ``sweep`` scores every
head of a model alone from one reading of all heads, through the same pipeline steps.
"""

from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .candidates import stem_phrase
from .datasets import Document
from .extractor import KeyphraseExtractor
from .settings import Settings, model_name

KS = (5, 10, 15)


@functools.lru_cache(maxsize=1)
def _nltk_porter():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@functools.lru_cache(maxsize=65536)
def protocol_stem(phrase: str, language: str = "en") -> str:
    """A phrase stemmed as the SAMRank protocol says: every word by NLTK's Porter for English;
    other languages by their Snowball stemmer, as the ranking stems them (``stem_phrase``)."""
    if (language or "en") != "en":
        return stem_phrase(phrase, language)
    return " ".join(_nltk_porter().stem(word) for word in phrase.lower().split())


def dedupe(stemmed: list[str]) -> list[str]:
    """Keep the first (highest-ranked) of each stemmed form."""
    return list(dict.fromkeys(s for s in stemmed if s))


def document_scores(predicted: list[str], gold: set[str], ks=KS) -> dict[str, float]:
    """P@k, R@k, F1@k of one document; ``predicted`` stemmed and deduplicated, ``gold`` non-empty.

    P@k divides by min(k, number of predictions), so a short list is not punished twice.
    """
    scores = {}
    for k in ks:
        top = predicted[:k]
        tp = sum(p in gold for p in top)
        precision = tp / len(top) if top else 0.0
        recall = tp / len(gold)
        scores[f"p@{k}"] = precision
        scores[f"r@{k}"] = recall
        scores[f"f1@{k}"] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return scores


def gold_set(document: Document, language: str | None = "en") -> set[str]:
    """The document's gold keyphrases, stemmed in ``language`` (Porter for English, Snowball
    for other European languages) unless given stemmed."""
    language = language or "en"
    stems = set(document.gold) if document.gold_stemmed else {protocol_stem(g, language) for g in document.gold}
    stems.discard("")
    return stems


@dataclass
class Score:
    """Macro averages (percent) over the documents that have gold keyphrases."""

    docs: int = 0
    skipped: list[str] = field(default_factory=list)  # ids of documents without gold
    totals: dict[str, float] = field(default_factory=dict)
    by_document: dict[str, list[float]] = field(default_factory=dict)  # id -> its F1@5, F1@10, F1@15 (0-1)

    def add(self, doc_id: str, predicted: list[str], gold: list[str], gold_stemmed: bool = False,
            ks=KS, language: str = "en") -> dict[str, float] | None:
        """Score one document from its ranked predictions (surface forms) and gold list."""
        return self.add_stemmed(doc_id, dedupe([protocol_stem(p, language) for p in predicted]),
                                gold_set(Document(doc_id, "", gold, gold_stemmed), language), ks)

    def add_stemmed(self, doc_id: str, predicted: list[str], gold: set[str], ks=KS) -> dict[str, float] | None:
        """Score one document from stemmed, deduplicated predictions; no gold: skipped, noted."""
        if not gold:
            self.skipped.append(doc_id)
            return None
        scores = document_scores(predicted, gold, ks)
        for key, value in scores.items():
            self.totals[key] = self.totals.get(key, 0.0) + value
        self.by_document[doc_id] = [scores[f"f1@{k}"] for k in ks]
        self.docs += 1
        return scores

    def averages(self) -> dict[str, float]:
        return {key: 100.0 * value / self.docs for key, value in self.totals.items()} if self.docs else {}

    def f1s(self) -> list[float]:
        """Macro F1@5, F1@10, F1@15 in percent (zeros before any document)."""
        averages = self.averages()
        return [averages.get(f"f1@{k}", 0.0) for k in KS]


def paired_bootstrap(a: Sequence[float], b: Sequence[float], samples: int = 10_000, level: float = 0.95,
                     seed: int = 0) -> tuple[float, float, float]:
    """How much system ``a`` beats ``b`` on the same documents (``a[i]``, ``b[i]``: one document's
    scores), in percent points: the difference of the means and its ``level`` interval from
    ``samples`` resamplings of the documents with replacement (Efron's percentile bootstrap,
    paired: each resampled document keeps both systems' scores). An interval holding 0 says the
    documents do not tell the two apart."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or not len(a):
        raise ValueError("paired_bootstrap needs two equally long, non-empty lists of document scores")
    differences = a - b
    picks = np.random.default_rng(seed).integers(0, len(differences), size=(samples, len(differences)))
    means = differences[picks].mean(axis=1)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return 100.0 * float(differences.mean()), 100.0 * float(low), 100.0 * float(high)


def f1_text(values) -> str:
    """"F1@5 / F1@10 / F1@15" as the docs print it, from the three values."""
    return " / ".join(f"{v:.2f}" for v in values)


@dataclass
class Evaluation:
    """Scores of named extractors (or of single heads, keyed ``(layer, head)``) on one dataset."""

    dataset: str
    settings: dict  # key -> the Settings scored under it
    scores: dict
    seconds: float = 0.0

    @property
    def docs(self) -> int:
        return next(iter(self.scores.values())).docs if self.scores else 0

    @property
    def skipped(self) -> list[str]:
        return next(iter(self.scores.values())).skipped if self.scores else []

    def record(self, key, head: int | None = None) -> dict:
        """The flat record that ``samrank evaluate --format json`` prints, for a named extractor
        (``record(name)``) or one head of a sweep (``record(layer, head)``)."""
        key = (key, head) if head is not None else key
        averages = self.scores[key].averages()
        ordered = {name: round(averages.get(name, 0.0), 4)
                   for prefix in ("f1", "p", "r") for name in (f"{prefix}@{k}" for k in KS)}
        where = {"layer": key[0], "head": key[1]} if isinstance(key, tuple) else {"setting": key}
        settings: Settings = self.settings[key]
        return {"dataset": self.dataset, "model": model_name(settings.model), **where, "mode": settings.mode,
                "docs": self.docs, **ordered, "skipped": len(self.skipped), "seconds": round(self.seconds, 2)}


def _batches(documents: Sequence[Document], size: int, label: str, progress: bool):
    from tqdm import tqdm

    with tqdm(total=len(documents), unit="doc", disable=None if progress else True, file=sys.stderr,
              desc=label) as bar:
        for start in range(0, len(documents), size):
            batch = [d for d in documents[start : start + size]]
            yield batch
            bar.update(len(batch))


def evaluate(documents: Sequence[Document], extractors: dict[str, KeyphraseExtractor], label: str = "",
             progress: bool = False, batch_size: int = 16) -> Evaluation:
    """Score each named extractor on ``documents``: its ``extract(text, top_n=15)`` for each
    document with gold keyphrases, stemmed and deduplicated, against the stemmed gold. The text
    is tagged once for all the extractors that read the same ``language``."""
    started = time.perf_counter()
    scores = {name: Score() for name in extractors}
    taggers = {}  # one pipeline per language setting tags for every extractor of that setting
    for extractor in extractors.values():
        taggers.setdefault(extractor.settings.language, extractor.pipeline)
    for batch in _batches(documents, batch_size, label, progress):
        with_gold = [d for d in batch if d.gold]
        tagged = {setting: tagger.tag([d.text for d in with_gold]) if with_gold else []
                  for setting, tagger in taggers.items()}
        place = {id(d): n for n, d in enumerate(with_gold)}  # ids may repeat in a user's file
        for document in batch:
            n = place.get(id(document))
            golds: dict = {}  # the stemmed gold by language, for the extractors that share one
            for name, extractor in extractors.items():
                words = tagged[extractor.settings.language][n] if n is not None else None
                language = (words.language if words is not None else None) or "en"
                if language not in golds:
                    golds[language] = gold_set(document, language)
                gold = golds[language]
                found = extractor.extract(document.text, max(KS), words) if gold else []
                scores[name].add_stemmed(document.id, dedupe([protocol_stem(k.phrase, language) for k in found]), gold)
    return Evaluation(label, {name: e.settings for name, e in extractors.items()}, scores,
                      time.perf_counter() - started)


def sweep(documents: Sequence[Document], extractor: KeyphraseExtractor,
          heads: Sequence[tuple[int, int]] | None = None, label: str = "", progress: bool = False,
          batch_size: int = 16) -> Evaluation:
    """Score each of ``heads`` (default: every head of every layer) alone, in every text (no
    names or long-text heads), under the extractor's other settings, from one reading of all
    their layers per document: each text in its language's pipeline and its own readout
    (``mode(tagged)``), as ``extract`` reads it. Every document must be read by the swept model
    (with ``model="auto"``, one language's)."""
    started = time.perf_counter()
    pipeline = extractor.pipeline
    loaded = pipeline.loaded
    heads = list(heads) if heads else [(l, h) for l in range(loaded.num_layers) for h in range(loaded.num_heads)]
    for layer, head in heads:
        pipeline.settings.replace(heads=((layer, head),)).resolved(loaded.num_layers, loaded.num_heads)
    layers = sorted({layer for layer, _ in heads})
    settings = pipeline.resolved
    scores = {key: Score() for key in heads}
    for batch in _batches(documents, batch_size, label, progress):
        with_gold = [d for d in batch if d.gold]
        for document, tagged in zip(with_gold, pipeline.tag([d.text for d in with_gold]) if with_gold else []):
            reading = pipeline.for_language(tagged.language)
            if reading is not pipeline and reading.loaded.fingerprint != loaded.fingerprint:
                raise ValueError(f"document {document.id} ({tagged.language}) is read by "
                                 f"{reading.settings.model}, not the swept model: sweep one model (--model)")
            found = reading.candidates(tagged, document.text)
            language = tagged.language or "en"
            ranked = {key: [] for key in heads}
            if len(found):
                encoded, by_layer = reading.read(document.text, layers, all_heads=True, mode=reading.mode(tagged))
                phrase = reading.phrase_scores(encoded, found, by_layer, extractor.idf_,  # every head at once
                                               reading.position_power(tagged), reading.length_power(tagged),
                                               reading.rarity_power(tagged),
                                               reading.similarity_weights(document.text, encoded, found),
                                               reading.word_count_power(tagged))
                phrase = reading.with_graph(tagged, found, phrase)  # one graph, fused into each head
                stems: dict = {}
                for layer, head in heads:
                    order = reading.order(found, phrase[layers.index(layer), head], max(KS), stems)
                    ranked[(layer, head)] = dedupe([protocol_stem(found.phrases[p], language) for p in order])
            for head_key in heads:
                scores[head_key].add_stemmed(document.id, ranked[head_key], gold_set(document, language))
        for document in batch:
            if not document.gold:
                for score in scores.values():
                    score.skipped.append(document.id)
    per_head = {key: settings.replace(heads=(key,), names_heads=(), long_heads=()) for key in heads}
    return Evaluation(label, per_head, scores, time.perf_counter() - started)
