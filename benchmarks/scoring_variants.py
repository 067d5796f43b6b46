"""Exploratory grid (issue 4): how phrase aggregation choices move F1 across genres, at one head.

    .venv/bin/python benchmarks/scoring_variants.py semeval2017 500n_kpcrowd inspec semeval2010

Variants of the phrase score from the same token scores (read from the disk cache when there):
single words summed over occurrences instead of averaged (``sum``), division by the phrase's
tokens per occurrence to the power ``alpha`` (length normalisation), and a first-position prior
``(1 + first_char / 100) ** -beta``. Prints one line per dataset and variant: F1@5 F1@10 F1@15.
Not used by the library: a measurement to decide what earns a place there.
"""

from __future__ import annotations

import itertools
import sys

import numpy as np

from samrank import scoring
from samrank.attention import encode
from samrank.cache import ScoreCache
from samrank.candidates import select_candidates
from samrank.evaluation import Score, _tag_remembered, dataset_path, read_documents, stem_phrase, top_stems
from samrank.extractor import document_token_scores, occurrence_tokens
from samrank.models import load

MODEL, LAYER, HEAD = "minilm", 5, 5
ALPHA, BETA, SUM_SINGLE = (0, 0.25, 0.5, 0.75, 1.0), (0, 0.25, 0.5, 1.0), (False, True)


def main(datasets: list[str]) -> None:
    loaded, store = load(MODEL), ScoreCache()
    grid = list(itertools.product(SUM_SINGLE, ALPHA, BETA))
    for dataset in datasets:
        scores = {key: Score() for key in grid}
        for doc_id, text, gold, stemmed in read_documents(dataset_path(dataset)):
            gold_set = (set(gold) if stemmed else {stem_phrase(g) for g in gold}) - {""}
            found = select_candidates(_tag_remembered([text])[0])
            predictions = {}
            if gold_set and len(found):
                encoded = encode(loaded, text)
                token = store.load(store.path(loaded, text, loaded.max_length, "both"), [LAYER])
                if token is None:
                    token = document_token_scores(loaded, encoded, [LAYER], "both").astype(np.float32)
                token = token[0, HEAD].astype(np.float64)
                first, end = occurrence_tokens(encoded, found.occ_start, found.occ_end)
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
                scores[key].add_stemmed(doc_id, predictions.get(key, []), gold_set)
        for (summed, alpha, beta), score in scores.items():
            averages = score.averages()
            print(f"{dataset} sum_single={summed} alpha={alpha} beta={beta} "
                  + " ".join(f"{averages[f'f1@{k}']:.2f}" for k in (5, 10, 15)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["semeval2017", "500n_kpcrowd", "inspec", "semeval2010"])
