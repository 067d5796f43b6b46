"""Does the stemmer that dedupes the ranking matter? NLTK's Porter (the SAMRank protocol's,
``evaluation.protocol_stem``) against PyStemmer's Porter (the Snowball project's C library, what
the ranking uses since it imports in a millisecond where NLTK takes 1.5-2 s of a command's start:
``candidates.stem_phrase``). One forward pass per document, ranked twice with default
settings; F1@10 is scored with NLTK's stems, as the protocol says, in both cases.

    .venv/bin/python benchmarks/stemmer_check.py [--limit N] [--out docs/STEMMER.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from samrank import KeyphraseExtractor, ranking
from samrank.candidates import stem_phrase
from samrank.datasets import read_dataset
from samrank.evaluation import Score, protocol_stem

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine  # noqa: E402

DATA = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))
SETS = ["inspec", "semeval2017", "500n_kpcrowd", "duc2001_dev", "semeval2010", "krapivin"]
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", default="docs/STEMMER.json")
    args = parser.parse_args()
    extractor = KeyphraseExtractor(language="en")
    s = extractor.settings
    result = {"machine": machine(), "limit": args.limit, "sets": {}}
    for name in SETS:
        _, documents = read_dataset(name, DATA, limit=args.limit)
        scores = {"nltk": Score(), "pystemmer": Score()}
        changed = 0
        for document in documents:
            run = extractor.pipeline.run(document.text, 10)
            if run.candidates is None or not len(run.candidates):
                continue
            found, values = run.candidates, run.phrase_scores
            tops = {}
            for label, key in (("nltk", protocol_stem), ("pystemmer", stem_phrase)):
                order = ranking.ranked_order(values, lambda p: key(found.phrases[p]), 10, s.dedupe, s.nested, s.diversity)
                tops[label] = [found.phrases[p] for p in order]
                scores[label].add(document.id, tops[label], document.gold, document.gold_stemmed)
            changed += tops["nltk"] != tops["pystemmer"]
        result["sets"][name] = {"documents": len(documents), "top10_lists_changed": changed,
                                **{label: round(sc.f1s()[1], 2) for label, sc in scores.items()}}
        print(name, result["sets"][name], flush=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
