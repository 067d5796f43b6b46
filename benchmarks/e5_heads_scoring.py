"""The documents that benchmarks/e5_heads.py chooses e5-small's heads on, each read once
(tags, candidates, SAMRank "both" token scores of all 144 heads), and the F1 of head sets scored
from them, beside YAKE and the product path (``KeyphraseExtractor.extract``)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from samrank import KeyphraseExtractor, ranking, scoring
from samrank.candidates import stem_phrase
from samrank.datasets import Document
from samrank.evaluation import KS, dedupe, document_scores, gold_set

TOP = max(KS)
WINDOW = 510  # e5 tokens per window without <s> </s>


@dataclass
class Doc:
    """One document read once: what every head set is scored from."""

    id: str
    text: str
    gold: set[str]
    language: str
    encoded: object = None
    found: object = None
    rows: np.ndarray | None = None  # (144, tokens) float32 SAMRank "both" scores, layer-major
    stems: dict = field(default_factory=dict)
    key: Callable[[int], str] | None = None
    tagged: object = None


@dataclass
class Part:
    """A named set of documents in one language, all read."""

    name: str
    language: str
    docs: list[Doc]
    role: str  # "choose", "held-out", "report"


def first_window(documents: list[Document], loaded) -> list[Document]:
    """Each text cut after the characters of its first 510 e5 tokens (LANGUAGES.md)."""
    cut = []
    for doc in documents:
        offsets = loaded.tokenizer(doc.text, add_special_tokens=False, return_offsets_mapping=True,
                                   verbose=False)["offset_mapping"]
        text = doc.text[: offsets[WINDOW - 1][1]] if len(offsets) > WINDOW else doc.text
        cut.append(Document(f"{doc.id}-w1", text, doc.gold, doc.gold_stemmed))
    return cut


def read_part(name, language, documents, pipeline, seconds, role) -> Part:
    """Tag, select candidates and read every head of every layer for each document with gold."""
    with_gold = [d for d in documents if gold_set(d, language)]
    start = time.perf_counter()
    tagged_all = pipeline.tag([d.text for d in with_gold])
    seconds["tag"] += time.perf_counter() - start
    loaded = pipeline.loaded
    layers = list(range(loaded.num_layers))
    docs = []
    for n, (document, tagged) in enumerate(zip(with_gold, tagged_all)):
        doc = Doc(document.id, document.text, gold_set(document, language), language, tagged=tagged)
        doc.found = pipeline.candidates(tagged, document.text)
        if len(doc.found):
            start = time.perf_counter()
            doc.encoded, by_layer = pipeline.read(document.text, layers, all_heads=True)
            seconds["read"] += time.perf_counter() - start
            doc.rows = by_layer.reshape(-1, by_layer.shape[-1]).astype(np.float32)
        doc.key = _stem_key(doc)
        docs.append(doc)
        if (n + 1) % 50 == 0:
            print(f"  {name}: {n + 1}/{len(with_gold)} read {time.strftime('%H:%M:%S')} "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    print(f"{name}: {len(docs)} documents with gold of {len(documents)} ({role})", file=sys.stderr, flush=True)
    return Part(name, language, docs, role)


def _stem_key(doc: Doc):
    def key(p):
        if p not in doc.stems:
            doc.stems[p] = stem_phrase(doc.found.phrases[p], doc.language)
        return doc.stems[p]
    return key


def scored(doc: Doc, token_rows: np.ndarray, pipeline) -> np.ndarray:
    """F1@5/10/15 (fractions) of each row of token scores ``(m, tokens)``: ``(m, 3)``."""
    m = token_rows.shape[0]
    if doc.rows is None:  # no candidate: nothing predicted
        return np.zeros((m, len(KS)))
    phrase = pipeline.phrase_scores(doc.encoded, doc.found, token_rows)
    s = pipeline.resolved
    out = np.empty((m, len(KS)))
    for i in range(m):
        order = ranking.ranked_order(phrase[i], doc.key, TOP, s.dedupe, s.nested, s.diversity)
        result = document_scores(dedupe([doc.key(p) for p in order]), doc.gold)
        out[i] = [result[f"f1@{k}"] for k in KS]
    return out


def index(heads) -> list[int]:
    return [layer * 12 + head for layer, head in heads]


def set_f1(part: Part, heads, pipeline) -> np.ndarray:
    """Macro F1@5/10/15 (percent) of a head set (None: the uniform control)."""
    total = np.zeros(len(KS))
    for doc in part.docs:
        if doc.rows is None:
            continue
        if heads is None:
            row = np.ones((1, doc.rows.shape[1]))
        else:
            row = scoring.mix_heads(doc.rows[index(heads)])[None]
        total += scored(doc, row, pipeline)[0]
    return 100 * total / len(part.docs)


def all_candidates_f1(part: Part, chosen: list[int], pipeline) -> np.ndarray:
    """F1@10 (percent) of ``chosen`` + each of the 144 heads, mixed: ``(144,)``."""
    total = np.zeros(144)
    for doc in part.docs:
        if doc.rows is None:
            continue
        n = doc.rows.shape[1]
        stack = [np.broadcast_to(doc.rows[h], (144, n)) for h in chosen] + [doc.rows]
        rows = scoring.mix_heads(np.stack(stack))  # (144, n): chosen + head h, for every h
        total += scored(doc, rows, pipeline)[:, 1]
    return 100 * total / len(part.docs)


def yake_f1(part: Part) -> np.ndarray:
    import yake

    extractor = yake.KeywordExtractor(lan=part.language, n=3, top=2 * TOP)
    total = np.zeros(len(KS))
    for doc in part.docs:
        keywords = extractor.extract_keywords(doc.text)  # (keyword, score), best first
        ranked = dedupe([stem_phrase(k, part.language) for k, _ in keywords])[:TOP]
        result = document_scores(ranked, doc.gold)
        total += [result[f"f1@{k}"] for k in KS]
    return 100 * total / len(part.docs)


def extractor_f1(part: Part, extractor: KeyphraseExtractor) -> np.ndarray:
    """What ``extractor.extract`` returns (the product path), scored the same way."""
    total = np.zeros(len(KS))
    for doc in part.docs:
        found = extractor.extract(doc.text, TOP, doc.tagged)
        result = document_scores(dedupe([stem_phrase(k.phrase, part.language) for k in found]), doc.gold)
        total += [result[f"f1@{k}"] for k in KS]
    return 100 * total / len(part.docs)


def name(heads) -> str:
    return " ".join(f"L{layer}H{head}" for layer, head in heads)
