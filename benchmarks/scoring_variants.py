"""Exploratory grid (issue 4): how phrase aggregation choices move F1 across genres, at one head.

    .venv/bin/python benchmarks/scoring_variants.py semeval2017 500n_kpcrowd inspec semeval2010
    .venv/bin/python benchmarks/scoring_variants.py --limit 20 inspec     # a quick look

Variants of the phrase score from the same token scores (read from the disk cache when there):
single words summed over occurrences instead of averaged (``sum``), division by the phrase's
tokens per occurrence to the power ``alpha`` (length normalisation), and a first-position prior
``(1 + first_char / 100) ** -beta``. Prints one line per dataset and variant: F1@5 F1@10 F1@15.
Not used by the library: a measurement to decide what earns a place there.
"""

from __future__ import annotations

import argparse
import itertools

import numpy as np

from samrank import KeyphraseExtractor, ranking, scoring
from samrank.evaluation import protocol_stem as stem_phrase
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import Score, dedupe, gold_set

MODEL, LAYER, HEAD = "minilm", 5, 5
ALPHA, BETA, SUM_SINGLE = (0, 0.25, 0.5, 0.75, 1.0), (0, 0.25, 0.5, 1.0), (False, True)
TOP = 15


def top_stems(score: np.ndarray, stems: list[str]) -> list[str]:
    """The first TOP distinct stemmed phrases by descending score (ties in text order)."""
    return dedupe([stems[p] for p in ranking.ranked_order(score, stems.__getitem__, TOP)])


def main(datasets: list[str], limit: int | None = None) -> None:
    # the pipeline's steps under SAMRank's scoring at one head; token scores from the disk cache
    pipeline = KeyphraseExtractor(MODEL, LAYER, HEAD, preset="samrank", cache=True).pipeline
    grid = list(itertools.product(SUM_SINGLE, ALPHA, BETA))
    for dataset in datasets:
        documents = read_dataset(dataset, default_data_dir(), limit)[1]
        scores = {key: Score() for key in grid}
        for document, tagged in zip(documents, pipeline.tag([d.text for d in documents])):
            text, gold = document.text, gold_set(document)
            found = pipeline.candidates(tagged)
            predictions = {}
            if gold and len(found):
                encoded, by_layer = pipeline.read(text)
                token = pipeline.token_row(by_layer, pipeline.layers)
                first, end = encoded.token_range(found.occ_start, found.occ_end)
                keep = found.occ_standalone & (end > first)
                args = (first[keep], end[keep], found.occ_phrase[keep])
                window = encoded.window_of(first[keep])
                single = found.n_words == 1
                ones, flat, no_single = np.ones_like(token), np.zeros_like(window), np.zeros_like(single)
                tokens_total = scoring.phrase_scores(ones, *args, flat, no_single)
                occurrences = scoring.phrase_scores(ones, first[keep], first[keep] + 1, found.occ_phrase[keep],
                                                    flat, no_single)
                tokens_per_occurrence = tokens_total / np.maximum(occurrences, 1)
                first_char = np.full(len(found.phrases), float(len(text)))
                np.minimum.at(first_char, found.occ_phrase, found.occ_start.astype(float))
                stems = [stem_phrase(p) for p in found.phrases]
                for summed in SUM_SINGLE:
                    base = scoring.phrase_scores(token, *args, window, single & (not summed))
                    for alpha, beta in itertools.product(ALPHA, BETA):
                        score = base / tokens_per_occurrence**alpha * (1 + first_char / 100.0) ** (-beta)
                        predictions[(summed, alpha, beta)] = top_stems(score, stems)
            for key in grid:
                scores[key].add_stemmed(document.id, predictions.get(key, []), gold)
        for (summed, alpha, beta), score in scores.items():
            averages = score.averages()
            print(f"{dataset} sum_single={summed} alpha={alpha} beta={beta} "
                  + " ".join(f"{averages[f'f1@{k}']:.2f}" for k in (5, 10, 15)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", default=["semeval2017", "500n_kpcrowd", "inspec", "semeval2010"])
    parser.add_argument("--limit", type=int, help="documents per dataset (a quick look)")
    options = parser.parse_args()
    main(options.datasets, options.limit)
