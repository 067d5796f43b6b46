"""Non-English keyphrases on the Spanish dev set (wicc_es): candidate routes, YAKE, the
no-attention control, every e5-small head, MiniLM — one run, one protocol.

Protocol: predictions and gold Snowball-stemmed (Spanish), stemmed duplicates dropped, macro
F1@5/10/15 over every gold phrase (absent ones included), as ``samrank.evaluation`` does for
English with Porter stems.

    PYTHONPATH=src nice -n 10 python benchmarks/languages.py --limit 100
    PYTHONPATH=src nice -n 10 python benchmarks/languages.py            # all 500 documents

Candidate routes: ``es`` (spaCy es_core_news_sm UPOS tags + the Romance grammar, with its
options switched off one at a time) and ``plain`` (the tagger-free stop-word route that Portuguese
and Italian take, run on Spanish as their proxy). Scorers: SAMRank token scores ("both") of each
e5-small head and the mean of each layer's heads, the uniform control (every token scores 1),
MiniLM's default head and layer means, with the samrank defaults for phrase scoring
(single_words="sum", length_power=1, position_power=0.25). Heads are chosen on the first half of
the documents and reported on the second half too.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import sys
import time
from pathlib import Path

import numpy as np

from samrank import models, scoring
from samrank.languages import stopwords
from samrank.candidates import romance, plain, select_candidates, stem_phrase
from samrank.evaluation import KS, dedupe, document_scores, f1_text
from samrank.pipeline import Pipeline
from samrank.readers import encode
from samrank.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from languages_inputs import cached_token_scores, precompute, read, tagged_documents  # noqa: E402

LANGUAGE = "es"
TOP = 15
ROUTES = {  # name -> (route, options)
    "es": ("es", {}),
    "es-no-linker": ("es", {"linkers": False}),
    "es-no-leading-adj": ("es", {"leading_adjective": False}),
    "es-no-numbers": ("es", {"numbers": False}),
    "es+linked-parts": ("es", {"linked_parts": True}),
    "plain": ("plain", {}),
    "plain-no-linker": ("plain", {"linkers": False}),
    "plain+linked-parts": ("plain", {"linked_parts": True}),
}


# Head sets read together (each head's token scores rescaled to mean 1, then averaged), from the
# heads that ranked high on the first half for both candidate routes.
MIXES = {
    "L3H10+L3H4": [(3, 10), (3, 4)],
    "L3H10+L2H11+L11H8": [(3, 10), (2, 11), (11, 8)],
    "L3H10+L3H4+L2H11+L11H8+L5H10": [(3, 10), (3, 4), (2, 11), (11, 8), (5, 10)],
}


def candidates_for(route_name, tagged):
    route, options = ROUTES[route_name]
    module = romance if route == "es" else plain
    saved = dict(module.OPTIONS)
    module.OPTIONS.update(options)
    try:
        if route == "plain":
            return plain.select_plain(tagged, 5, stopwords(LANGUAGE))
        return select_candidates(tagged, 5, language=LANGUAGE)
    finally:
        module.OPTIONS.clear()
        module.OPTIONS.update(saved)


def ranked_stems(found, scores: np.ndarray, top: int = TOP) -> list[str]:
    """The top phrases by score (text order on ties, NaN dropped), Snowball-stemmed, deduped."""
    scored = np.flatnonzero(~np.isnan(scores))
    order = scored[np.argsort(-scores[scored], kind="stable")]
    stems = []
    for p in order:
        stems.append(stem_phrase(found.phrases[p], LANGUAGE))
        if len(dict.fromkeys(stems)) >= top:
            break
    return dedupe(stems)[:top]


def phrase_scores(encoded, found, token_scores, settings):
    """samrank's phrase scores (its own pipeline step) for any leading axes of token scores."""
    return _pipeline(tuple(sorted(settings.items()))).phrase_scores(encoded, found, token_scores)


@functools.lru_cache(maxsize=None)
def _pipeline(settings: tuple) -> Pipeline:
    return Pipeline(Settings(model=models.load("e5-small"), **dict(settings)))


def yake_stems(text: str) -> list[str]:
    import yake

    extractor = yake.KeywordExtractor(lan=LANGUAGE, n=3, top=2 * TOP)
    keywords = extractor.extract_keywords(text)
    # yake 0.7: (keyword, score), lower is better, already sorted
    return dedupe([stem_phrase(k, LANGUAGE) for k, _ in keywords])[:TOP]


def rrf(*rankings: list[str], k: int = 60) -> list[str]:
    """Reciprocal-rank fusion of stemmed rankings."""
    total: dict[str, float] = {}
    for ranking in rankings:
        for rank, stem in enumerate(ranking):
            total[stem] = total.get(stem, 0.0) + 1.0 / (k + rank + 1)
    return [s for s, _ in sorted(total.items(), key=lambda item: -item[1])][:TOP]


class Table:
    """F1 per system per document, so any subset of documents can be averaged afterwards."""

    def __init__(self):
        self.rows: dict[str, list[list[float]]] = {}

    def add(self, name: str, predicted: list[str], gold: set[str]):
        scores = document_scores(predicted, gold)
        self.rows.setdefault(name, []).append([scores[f"f1@{k}"] for k in KS])

    def mean(self, name: str, which=slice(None)) -> list[float]:
        values = np.asarray(self.rows[name])[which]
        return (100 * values.mean(axis=0)).tolist()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cache", default="/tmp/samrank-languages")
    parser.add_argument("--out", default=None, help="write the table as JSON here")
    parser.add_argument("--no-minilm", action="store_true")
    parser.add_argument("--routes", default=",".join(ROUTES),
                        help=f"candidate routes to score (comma-separated; default all: {', '.join(ROUTES)})")
    parser.add_argument("--first-window", action="store_true",
                        help="every system sees only the first 510 e5 tokens of each paper")
    parser.add_argument("--control-only", action="store_true",
                        help="no forward passes: YAKE and the candidate routes with uniform token scores")
    parser.add_argument("--precompute", action="store_true",
                        help="only compute and cache the models' token scores")
    args = parser.parse_args(argv)

    for name in [r for r in ROUTES if r not in args.routes.split(",")]:
        del ROUTES[name]
    docs = read(args.limit, args.first_window)
    cache = Path(args.cache)
    if args.precompute:
        return precompute(docs, cache, not args.no_minilm)
    tags = tagged_documents(docs, cache)
    e5 = models.load("e5-small")
    minilm = None if args.no_minilm or args.control_only else models.load("minilm")
    settings = dict(single_words="sum", length_power=1.0, position_power=0.25)
    layers = list(range(e5.num_layers))
    table = Table()
    seconds = {"e5 forward": 0.0, "minilm forward": 0.0, "yake": 0.0}
    counted = []
    for n, doc in enumerate(docs):
        gold = {stem_phrase(g, LANGUAGE) for g in doc["keyphrases"]} - {""}
        if not gold:
            continue
        counted.append(n)
        text = doc["text"]
        start = time.perf_counter()
        yake_ranking = yake_stems(text)
        seconds["yake"] += time.perf_counter() - start
        table.add("yake", yake_ranking, gold)

        if args.control_only:
            encoded = encode(e5, text)
            for route in ROUTES:
                tagged = tags["es" if ROUTES[route][0] == "es" else "plain"][n]
                found = candidates_for(route, tagged)
                control = ranked_stems(found, phrase_scores(encoded, found, np.ones(len(encoded.ids)), settings))
                table.add(f"{route} | uniform control", control, gold)
                table.add(f"{route} | uniform control + yake (rrf)", rrf(control, yake_ranking), gold)
            continue
        encoded, by_layer, spent = cached_token_scores(e5, doc, cache)  # (layers, heads, tokens)
        seconds["e5 forward"] += spent
        if minilm is not None:
            mini_encoded, mini, spent = cached_token_scores(minilm, doc, cache)
            seconds["minilm forward"] += spent
        for route in ROUTES:
            tagged = tags["es" if ROUTES[route][0] == "es" else "plain"][n]
            found = candidates_for(route, tagged)
            table.add(f"{route} | uniform control",
                      ranked_stems(found, phrase_scores(encoded, found, np.ones(len(encoded.ids)), settings)), gold)
            heads = phrase_scores(encoded, found, by_layer, settings)  # (layers, heads, phrases)
            for layer in layers:
                for head in range(e5.num_heads if route in ("es", "plain") else 0):
                    table.add(f"{route} | e5 L{layer}H{head}", ranked_stems(found, heads[layer, head]), gold)
                mixed = scoring.mix_heads(by_layer[layer])
                table.add(f"{route} | e5 L{layer} mean", ranked_stems(found, phrase_scores(encoded, found, mixed, settings)), gold)
            for label, chosen in MIXES.items():
                mixed = scoring.mix_heads(np.stack([by_layer[layer, head] for layer, head in chosen]))
                table.add(f"{route} | e5 {label}", ranked_stems(found, phrase_scores(encoded, found, mixed, settings)), gold)
            last_two = scoring.mix_heads(by_layer[-2:].reshape(-1, by_layer.shape[-1]))
            best = ranked_stems(found, phrase_scores(encoded, found, last_two, settings))
            table.add(f"{route} | e5 L10-11 mean", best, gold)
            table.add(f"{route} | e5 L10-11 mean + yake (rrf)", rrf(best, yake_ranking), gold)
            everywhere = dataclasses.replace(found, occ_standalone=np.ones_like(found.occ_standalone))
            table.add(f"{route} | e5 L10-11 mean, single words everywhere",
                      ranked_stems(everywhere, phrase_scores(encoded, everywhere, last_two, settings)), gold)
            if minilm is not None:
                mini_heads = phrase_scores(mini_encoded, found, mini, settings)
                table.add(f"{route} | minilm L5H5", ranked_stems(found, mini_heads[5, 5]), gold)
                for layer in range(minilm.num_layers):
                    mixed = scoring.mix_heads(mini[layer])
                    table.add(f"{route} | minilm L{layer} mean",
                              ranked_stems(found, phrase_scores(mini_encoded, found, mixed, settings)), gold)
        if (n + 1) % 25 == 0:
            print(f"{n + 1} documents; YAKE {f1_text(table.mean('yake'))}; "
                  f"es control {f1_text(table.mean('es | uniform control'))}", file=sys.stderr, flush=True)

    count = len(counted)
    half = count // 2
    first, second = slice(0, half), slice(half, count)
    names = list(table.rows)
    report = {"documents": count, "seconds": {**seconds, **{f"tag {k}": v for k, v in tags["seconds"].items()}},
              "all": {name: table.mean(name) for name in names},
              "first_half": {name: table.mean(name, first) for name in names},
              "second_half": {name: table.mean(name, second) for name in names}}
    # heads chosen on the first half (by F1@10), reported on the second
    for route in (() if args.control_only else ("es", "plain")):
        candidates = [name for name in names if name.startswith(f"{route} | e5 L") and "H" in name.split()[-1]]
        chosen = max(candidates, key=lambda name: report["first_half"][name][1])
        layer_means = [name for name in names if name.startswith(f"{route} | e5 L") and name.endswith(" mean")]
        chosen_layer = max(layer_means, key=lambda name: report["first_half"][name][1])
        report.setdefault("chosen", {})[route] = {"head": chosen, "layer_mean": chosen_layer}
    print(json.dumps(report["seconds"]))
    print(f"{count} documents; F1@5/10/15 all | first half | second half")
    shown = ["yake"] + [n for n in names if n != "yake" and (
        "H" not in n.split()[-1] or any(n == c["head"] for c in report.get("chosen", {}).values()))]
    for name in shown:
        print(f"{name:60s} {f1_text(report['all'][name])} | {f1_text(report['first_half'][name])} | "
              f"{f1_text(report['second_half'][name])}")
    print("chosen on the first half:", json.dumps(report.get("chosen"), indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
