"""The SAMRank evaluation protocol: Porter-stemmed, deduplicated predictions against all gold
keyphrases (absent ones included), macro-averaged P, R and F1 at k, in percent."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .candidates import stem_phrase

KS = (5, 10, 15)
DATASETS = ("inspec", "semeval2010", "semeval2010_fulltext", "semeval2017", "krapivin", "500n_kpcrowd")


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


@dataclass
class Score:
    """Macro averages (percent) over the documents that have gold keyphrases."""

    docs: int = 0
    skipped: list[str] = field(default_factory=list)  # ids of documents without gold
    totals: dict[str, float] = field(default_factory=dict)

    def add(self, doc_id: str, predicted: list[str], gold: list[str], gold_stemmed: bool = False,
            ks=KS) -> dict[str, float] | None:
        """Score one document from its ranked predictions (surface forms) and gold list."""
        gold_set = set(gold) if gold_stemmed else {stem_phrase(g) for g in gold}
        gold_set.discard("")
        return self.add_stemmed(doc_id, dedupe([stem_phrase(p) for p in predicted]), gold_set, ks)

    def add_stemmed(self, doc_id: str, predicted: list[str], gold: set[str], ks=KS) -> dict[str, float] | None:
        """Score one document from stemmed, deduplicated predictions; no gold: skipped, noted."""
        if not gold:
            self.skipped.append(doc_id)
            return None
        scores = document_scores(predicted, gold, ks)
        for key, value in scores.items():
            self.totals[key] = self.totals.get(key, 0.0) + value
        self.docs += 1
        return scores

    def averages(self) -> dict[str, float]:
        return {key: 100.0 * value / self.docs for key, value in self.totals.items()} if self.docs else {}

    def f1s(self) -> list[float]:
        """Macro F1@5, F1@10, F1@15 in percent (zeros before any document)."""
        averages = self.averages()
        return [averages.get(f"f1@{k}", 0.0) for k in KS]


def f1_text(values) -> str:
    """"F1@5 / F1@10 / F1@15" as the docs print it, from the three values."""
    return " / ".join(f"{v:.2f}" for v in values)


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Where named datasets live: the argument, $SAMRANK_DATA, or ../shared/datasets."""
    if override:
        return Path(override)
    if os.environ.get("SAMRANK_DATA"):
        return Path(os.environ["SAMRANK_DATA"])
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "datasets"


def dataset_path(name: str, folder: str | os.PathLike | None = None) -> Path:
    """A dataset name (``inspec`` ...) resolved in the data folder, or a JSONL path as given."""
    path = Path(name)
    if path.suffix == ".jsonl" or path.exists():
        if not path.is_file():
            raise FileNotFoundError(f"no dataset file at {path}")
        return path
    resolved = data_dir(folder) / f"{name}.jsonl"
    if not resolved.is_file():
        raise FileNotFoundError(
            f"dataset {name!r} not found at {resolved}; known names: {', '.join(DATASETS)} "
            "(set --data-dir or SAMRANK_DATA), or give a JSONL path")
    return resolved


# Named halves of a dataset, to choose settings on one half and report the other. KPCrowd's ids
# start with one of ten news categories: five for development, five held out.
SPLITS = {
    "500n_kpcrowd": {"dev": ("art_and_culture", "business", "crime", "fashion", "health"),
                     "test": ("politics_us", "politics_world", "science", "sports", "tech")},
}


def read_dataset(name: str, folder: str | os.PathLike | None = None, limit: int | None = None,
                 gold_stemmed: bool = False, surface_gold: bool = False) -> tuple[str, list]:
    """``(label, documents)`` of a dataset name or JSONL path; ``name:split`` keeps one half
    named in ``SPLITS`` (``500n_kpcrowd:dev``)."""
    base, _, split = name.partition(":")
    path = dataset_path(base, folder)
    documents = list(read_documents(path, None if split else limit, gold_stemmed, surface_gold))
    if not split:
        return path.stem, documents
    halves = SPLITS.get(path.stem, {})
    if split not in halves:
        raise ValueError(f"no split {split!r} of {path.stem}; known: "
                         + ", ".join(f"{n}:{h}" for n, hs in SPLITS.items() for h in hs))
    kept = [d for d in documents if d[0].rsplit("-", 1)[0] in halves[split]]
    return f"{path.stem}:{split}", kept[:limit]


def read_documents(path: Path, limit: int | None = None, gold_stemmed: bool = False,
                   surface_gold: bool = False):
    """Yield ``(id, text, gold, gold_is_stemmed)`` from a JSONL file with text and keyphrases.

    A ``keyphrases_stemmed`` field is the gold as given, unless ``surface_gold`` asks to stem
    ``keyphrases`` ourselves; ``gold_stemmed`` says that ``keyphrases`` is already stemmed (as in
    the SAMRank authors' files)."""
    with open(path, encoding="utf-8") as handle:
        count = 0
        for number, line in enumerate(handle, 1):
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            record = json.loads(line)
            if "text" not in record:
                raise ValueError(f"{path}:{number}: no 'text' field")
            given = "keyphrases_stemmed" in record and not surface_gold
            gold = record["keyphrases_stemmed"] if given else record.get("keyphrases", [])
            count += 1
            yield str(record.get("id", number)), record["text"], list(gold), given or gold_stemmed


@dataclass
class Evaluation:
    """Scores of one or many heads over one dataset, from one pass over its documents."""

    dataset: str
    model: str
    method: str
    scores: dict[tuple[int, int], Score]
    seconds: float = 0.0
    cached_docs: int = 0  # documents whose token scores came from the disk cache

    @property
    def docs(self) -> int:
        return next(iter(self.scores.values())).docs if self.scores else 0

    @property
    def skipped(self) -> list[str]:
        return next(iter(self.scores.values())).skipped if self.scores else []

    def record(self, layer: int | str, head: int | None = None) -> dict:
        """The flat record that ``samrank evaluate --format json`` prints, for one head
        (``record(layer, head)``) or a named ensemble or extractor (``record(name)``)."""
        key = (layer, head) if head is not None else layer
        averages = self.scores[key].averages()
        ordered = {name: round(averages.get(name, 0.0), 4)
                   for prefix in ("f1", "p", "r") for name in (f"{prefix}@{k}" for k in KS)}
        where = {"layer": layer, "head": head} if head is not None else {"setting": layer}
        return {"dataset": self.dataset, "model": self.model, **where,
                "method": self.method, "docs": self.docs, **ordered,
                "skipped": len(self.skipped), "seconds": round(self.seconds, 2),
                "cached_docs": self.cached_docs}


_TAGGED: "OrderedDict[str, object]" = OrderedDict()


def _tag_remembered(texts: list[str], keep: int = 4000):
    """Tag texts, remembering recent results: ablations and sweeps re-read the same datasets."""
    from .candidates import tag

    keys = [hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    missing = [t for t, k in zip(texts, keys) if k not in _TAGGED]
    for key, tagged in zip([k for k in keys if k not in _TAGGED], tag(missing) if missing else []):
        _TAGGED[key] = tagged
    result = []
    for key in keys:
        _TAGGED.move_to_end(key)
        result.append(_TAGGED[key])
    while len(_TAGGED) > keep:
        _TAGGED.popitem(last=False)
    return result


def top_stems(phrase_scores, stems: list[str], k: int = max(KS)) -> list[str]:
    """The first ``k`` distinct stemmed phrases by descending score (ties in text order)."""
    valid = np.flatnonzero(~np.isnan(phrase_scores))
    order = valid[np.argsort(-phrase_scores[valid], kind="stable")]
    ranked: dict[str, None] = {}
    for index in order.tolist():
        ranked.setdefault(stems[index], None)
        if len(ranked) == k:
            break
    return list(ranked)


def evaluate(
    dataset: str,
    model: str = "minilm",
    heads: list[tuple[int, int]] | None = None,
    method: str = "both",
    limit: int | None = None,
    ensembles: dict[str, list[tuple[int, int]]] | None = None,
    extractors: dict[str, "KeyphraseExtractor"] | None = None,
    data_folder: str | None = None,
    gold_stemmed: bool = False,
    surface_gold: bool = False,
    idf_corpus: str | None = None,
    max_length: int | None = None,
    cache: bool = True,
    progress: bool = False,
    batch_size: int = 16,
    backend: str = "torch",
    window_overlap: float = 0.0,
) -> Evaluation:
    """Score ``heads`` (``[(layer, head), ...]``; None = every head of every layer), named
    ``ensembles`` of heads (``KeyphraseExtractor(heads=..., **SAMRANK)``) and named
    ``extractors`` (configured ``KeyphraseExtractor`` objects whose ``mode`` is ``method``) on a
    dataset, with one forward pass per document window for all of them together. ``idf_corpus``
    (a dataset name or JSONL path; its texts only, no keyphrases) weights the single heads'
    phrase scores by the mean IDF of their words. ``backend="onnx"`` runs the ONNX Runtime fast path;
    ``window_overlap`` reads long texts in overlapping windows (see ``KeyphraseExtractor``)."""
    import time

    from tqdm import tqdm

    from .attention import encode
    from .cache import ScoreCache
    from .candidates import select_candidates
    from .extractor import (SAMRANK, KeyphraseExtractor, candidate_tokens, document_token_scores,
                            layer_reader, ranked_order, score_phrases)
    from .models import load

    started = time.perf_counter()
    loaded = load(model)
    if heads is None:
        heads = [(layer, head) for layer in range(loaded.num_layers) for head in range(loaded.num_heads)]
    named = {name: KeyphraseExtractor(loaded, heads=members, mode=method, **SAMRANK)
             for name, members in (ensembles or {}).items()}
    named.update(extractors or {})
    for name, extractor in named.items():
        if extractor.mode != method:
            raise ValueError(f"extractor {name!r} reads mode {extractor.mode!r}, this run {method!r}")
    members = set(heads) | {h for extractor in named.values() for h in extractor._heads()}
    for layer, head in members:
        if not (0 <= layer < loaded.num_layers and 0 <= head < loaded.num_heads):
            raise ValueError(f"no head {layer}-{head} in {model}: layers 0-{loaded.num_layers - 1}, "
                             f"heads 0-{loaded.num_heads - 1} (0-based)")
    configs: list = list(heads) + list(named)
    dynamic = any(extractor.head_weighting == "dynamic" for extractor in named.values())
    layers = sorted({layer for layer, _ in members})
    store = ScoreCache() if cache and method != "uniform" else None
    label, documents = read_dataset(dataset, data_folder, limit, gold_stemmed, surface_gold)
    scores = {key: Score() for key in configs}
    heads_at = [(layers.index(layer), head) for layer, head in heads]
    cached_docs = 0
    idf = None
    if idf_corpus:
        from .idf import IdfTable

        corpus = [text for _, text, _, _ in read_documents(dataset_path(idf_corpus, data_folder))]
        idf = IdfTable().update(t.words for t in _tag_remembered(corpus))
    bar = tqdm(total=len(documents), unit="doc", disable=None if progress else True, file=sys.stderr,
               desc=f"{label} {model} {method}")
    for start in range(0, len(documents), batch_size):
        batch = documents[start : start + batch_size]
        for (doc_id, text, gold, stemmed), tagged in zip(batch, _tag_remembered([d[1] for d in batch])):
            gold_set = set(gold) if stemmed else {stem_phrase(g) for g in gold}
            gold_set.discard("")
            found = select_candidates(tagged)
            ranked = {key: [] for key in configs}
            if gold_set and len(found):
                encoded = encode(loaded, text, max_length, window_overlap)
                window = max_length or loaded.max_length
                cache_key = method + (f"@overlap{window_overlap:g}" if window_overlap else "") \
                    + ("@onnx" if backend == "onnx" else "")
                cached = store.path(loaded, text, window, cache_key) if store else None
                token = store.load(cached, layers) if store else None
                cached_docs += token is not None
                if token is None:
                    # float32 either way, so cached and fresh runs rank identically
                    token = document_token_scores(loaded, encoded, layers, method,
                                                  read=layer_reader(loaded, layers, backend)).astype(np.float32)
                    if store:
                        store.save(cached, layers, token)
                token = token.astype(np.float64)
                stems = [stem_phrase(p) for p in found.phrases]
                if heads:
                    phrase = score_phrases(encoded, found, token)  # every head at once
                    if idf is not None:
                        phrase = phrase * idf.phrase_weights(found.phrases)
                    for key, (at, head) in zip(heads, heads_at):
                        ranked[key] = top_stems(phrase[at, head], stems)
                candidate = candidate_tokens(encoded, found) if dynamic else None
                for name, extractor in named.items():
                    row = extractor.mix(token, layers, candidate)
                    order = ranked_order(extractor.phrase_scores(encoded, found, row), found, max(KS),
                                         True, extractor.nested, extractor.diversity)
                    ranked[name] = [stems[p] for p in order]
            for key in configs:
                scores[key].add_stemmed(doc_id, ranked[key], gold_set)
            bar.update(1)
    bar.close()
    return Evaluation(label, model, method, scores, time.perf_counter() - started, cached_docs)
