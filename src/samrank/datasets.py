"""Benchmark files: JSONL documents with ``text`` and gold ``keyphrases``, and their named halves.

The library reads paths; resolving a dataset *name* needs an explicit folder (the command line
takes it from ``--data-dir`` or ``$SAMRANK_DATA``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

KNOWN = ("inspec", "semeval2010", "semeval2010_fulltext", "semeval2017", "krapivin", "500n_kpcrowd",
         "duc2001_dev", "wicc_es")

# Named halves of a dataset, to choose settings on one half and report the other. KPCrowd's ids
# start with one of ten news categories: five for development, five held out.
SPLITS = {
    "500n_kpcrowd": {"dev": ("art_and_culture", "business", "crime", "fashion", "health"),
                     "test": ("politics_us", "politics_world", "science", "sports", "tech")},
}


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    gold: list[str]
    gold_stemmed: bool  # the gold is stemmed already


def dataset_path(name: str, folder: str | os.PathLike | None = None) -> Path:
    """A JSONL path as given, or a dataset name resolved in ``folder``."""
    path = Path(name)
    if path.suffix == ".jsonl" or path.exists() or folder is None:
        if not path.is_file():
            hint = "" if folder is not None else " (give a JSONL path, or a data folder for names)"
            raise FileNotFoundError(f"no dataset file at {path}{hint}")
        return path
    resolved = Path(folder) / f"{name}.jsonl"
    if not resolved.is_file():
        raise FileNotFoundError(f"dataset {name!r} not found at {resolved}; known names: {', '.join(KNOWN)} "
                                "(set --data-dir or SAMRANK_DATA), or give a JSONL path")
    return resolved


def read_dataset(name: str, folder: str | os.PathLike | None = None, limit: int | None = None,
                 gold_stemmed: bool = False, surface_gold: bool = False) -> tuple[str, list[Document]]:
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
    kept = [d for d in documents if d.id.rsplit("-", 1)[0] in halves[split]]
    return f"{path.stem}:{split}", kept[:limit]


def read_documents(path: Path, limit: int | None = None, gold_stemmed: bool = False, surface_gold: bool = False):
    """Yield the ``Document`` of each line of a JSONL file with text and keyphrases.

    A ``keyphrases_stemmed`` field is the gold as given, unless ``surface_gold`` asks to stem
    ``keyphrases`` ourselves; ``gold_stemmed`` says that ``keyphrases`` is already stemmed (as in
    the SAMRank authors' files)."""
    with open(path, "rb") as handle:  # decoded line by line, so that an error names its line
        count = 0
        for number, raw in enumerate(handle, 1):
            if limit is not None and count >= limit:
                return
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid UTF-8 ({error.reason})") from None
            if not line.strip():
                continue
            count += 1
            yield _document(path, number, line, gold_stemmed, surface_gold)


def _document(path: Path, number: int, line: str, gold_stemmed: bool, surface_gold: bool) -> Document:
    """The ``Document`` of one JSONL line, or a one-line ``ValueError`` naming ``path:number``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError(f"{path}:{number}: no 'text' field")
    given = "keyphrases_stemmed" in record and not surface_gold
    field = "keyphrases_stemmed" if given else "keyphrases"
    gold = record.get(field, [])
    if not isinstance(gold, list) or not all(isinstance(k, str) for k in gold):
        raise ValueError(f"{path}:{number}: '{field}' must be a list of strings")
    return Document(str(record.get("id", number)), record["text"], gold, given or gold_stemmed)
