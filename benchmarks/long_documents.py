"""Long documents read in side-by-side windows vs overlapping windows: docs/LONG_DOCUMENTS.md.

    .venv/bin/python benchmarks/long_documents.py --limit 40

SAMRank cuts a long text into windows side by side, so the tokens near each cut are scored with
context on one side only. With ``window_overlap`` each window repeats part of the previous one
and every token is scored in the window where it sits nearest the centre. Both settings (the
library default and SAMRank's own scoring) at minilm's default head, on full papers
(SemEval2010 full text, Krapivin). Nothing is chosen here: every number is a measurement.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import torch

from samrank import KeyphraseExtractor, __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import evaluate, f1_text
from samrank.readers import encode

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["semeval2010_fulltext", "krapivin"])
    parser.add_argument("--overlaps", nargs="+", type=float, default=[0.0, 0.5])
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "LONG_DOCUMENTS.md")
    args = parser.parse_args()
    settings = {"default settings": KeyphraseExtractor(cache=True),
                "SAMRank scoring": KeyphraseExtractor(preset="samrank", cache=True)}
    lines = ["# Long documents: side-by-side vs overlapping windows", "",
             f"Produced by `benchmarks/long_documents.py --limit {args.limit}` on {platform.machine()}, "
             f"torch {torch.__version__}, samrank {__version__}; model minilm, heads of the default. "
             "Protocol as in RESULTS.md (macro F1@5 / F1@10 / F1@15, percent). Time: seconds for the "
             "whole run, tagging included (side-by-side runs may read token scores cached by earlier runs).", "",
             "| dataset | window overlap | windows per doc | " + " | ".join(settings) + " | time |",
             "|---|---|---|" + "---|" * len(settings) + "---|"]
    for dataset in args.datasets:
        label, documents = read_dataset(dataset, default_data_dir(), args.limit)
        for overlap in args.overlaps:
            started = time.perf_counter()
            extractors = {name: e.replace(window_overlap=overlap) for name, e in settings.items()}
            run = evaluate(documents, extractors, label)
            cells = [f1_text(run.scores[name].f1s()) for name in settings]
            windows = windows_per_document(extractors["default settings"], documents, overlap)
            lines.append(f"| {run.dataset} ({run.docs} docs) | {overlap:g} | {windows:.1f} | "
                         + " | ".join(cells) + f" | {time.perf_counter() - started:.0f} s |")
            print(lines[-1], flush=True)
    args.out.write_text("\n".join(lines + [""]))


def windows_per_document(extractor: KeyphraseExtractor, documents, overlap: float) -> float:
    loaded = extractor.pipeline.loaded
    return sum(len(encode(loaded, d.text, overlap=overlap).windows) for d in documents) / max(len(documents), 1)


if __name__ == "__main__":
    main()
