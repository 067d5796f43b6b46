"""What benchmarks/languages.py scores, cached on disk between runs: the wicc_es documents (whole,
or cut to their first e5 window), their spaCy and tagger-free tags, and the SAMRank token scores of
every head of e5-small and MiniLM."""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from samrank import models
from samrank.candidates import tag
from samrank.candidates.plain import tag_plain
from samrank.readers import encode, make_reader

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "wicc_es.jsonl"


def read(limit, first_window: bool = False):
    """The documents; with ``first_window`` each text is cut after the characters of its first
    510 e5 tokens (one forward window: title, abstract and the start of the paper)."""
    docs = [json.loads(line) for line in open(DATA, encoding="utf-8")]
    docs = docs[:limit] if limit else docs
    if first_window:
        tokenizer = models.load("e5-small").tokenizer
        for doc in docs:
            offsets = tokenizer(doc["text"], add_special_tokens=False, return_offsets_mapping=True,
                                verbose=False)["offset_mapping"]
            if len(offsets) > 510:
                doc["text"] = doc["text"][: offsets[509][1]]
            doc["id"] = f"{doc['id']}-w1"
    return docs


def tagged_documents(docs, cache: Path):
    """Spanish spaCy tags and tagger-free tags of every document, kept on disk between runs."""
    key = cache / f"wicc_es_tags_{len(docs)}{'-w1' if docs and docs[0]['id'].endswith('-w1') else ''}.pkl"
    if key.exists():
        return pickle.loads(key.read_bytes())
    texts = [d["text"] for d in docs]
    start = time.perf_counter()
    spacy_tags = tag(texts, language="es")
    spacy_seconds = time.perf_counter() - start
    start = time.perf_counter()
    plain_tags = [tag_plain(t, "es") for t in texts]
    plain_seconds = time.perf_counter() - start
    result = {"es": spacy_tags, "plain": plain_tags,
              "seconds": {"es": spacy_seconds, "plain": plain_seconds}}
    cache.mkdir(parents=True, exist_ok=True)
    key.write_bytes(pickle.dumps(result))
    return result


def cached_token_scores(loaded, doc, cache: Path):
    """SAMRank token scores ("both") of every head, ``(layers, heads, tokens)`` float32, computed
    once per document and model and kept on disk (the forward passes dominate the run)."""
    path = cache / loaded.name / f"{doc['id']}.npy"
    encoded = encode(loaded, doc["text"])
    if path.exists():
        scores = np.load(path)
        if scores.shape[-1] == len(encoded.ids):
            return encoded, scores, 0.0
    start = time.perf_counter()
    reader = make_reader(loaded, list(range(loaded.num_layers)))
    scores = reader.token_scores(encoded, "both").astype(np.float32)
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path.with_suffix(".tmp.npy"), scores)
    path.with_suffix(".tmp.npy").replace(path)
    return encoded, scores, seconds


def precompute(docs, cache: Path, with_minilm: bool):
    loaded = [models.load("e5-small")] + ([models.load("minilm")] if with_minilm else [])
    for n, doc in enumerate(docs):
        for model in loaded:
            cached_token_scores(model, doc, cache)
        print(f"precomputed {n + 1}/{len(docs)} {time.strftime('%H:%M:%S')}", file=sys.stderr, flush=True)
