"""The SAMRank evaluation protocol: Porter-stemmed, deduplicated predictions against all gold
keyphrases (absent ones included), macro-averaged P, R and F1 at k, in percent."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

KS = (5, 10, 15)
DATASETS = ("inspec", "semeval2010", "semeval2010_fulltext", "semeval2017", "krapivin", "500n_kpcrowd")


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


@functools.lru_cache(maxsize=65536)
def stem_phrase(phrase: str) -> str:
    """Lower-case, split on whitespace, Porter-stem each word (as the reference code does)."""
    return " ".join(_stemmer().stem(word) for word in phrase.lower().split())


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
        if not gold_set:
            self.skipped.append(doc_id)
            return None
        scores = document_scores(dedupe([stem_phrase(p) for p in predicted]), gold_set, ks)
        for key, value in scores.items():
            self.totals[key] = self.totals.get(key, 0.0) + value
        self.docs += 1
        return scores

    def averages(self) -> dict[str, float]:
        return {key: 100.0 * value / self.docs for key, value in self.totals.items()} if self.docs else {}


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


def read_documents(path: Path, limit: int | None = None, gold_stemmed: bool = False):
    """Yield ``(id, text, gold, gold_is_stemmed)`` from a JSONL file with text and keyphrases.

    A ``keyphrases_stemmed`` field is the gold as given; ``gold_stemmed`` says that
    ``keyphrases`` is already stemmed (as in the SAMRank authors' files)."""
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
            given = "keyphrases_stemmed" in record
            gold = record["keyphrases_stemmed"] if given else record.get("keyphrases", [])
            count += 1
            yield str(record.get("id", number)), record["text"], list(gold), given or gold_stemmed
