"""Choose e5-small's heads on the dev data of two languages (issue 15): Spanish and English.

    PYTHONPATH=src nice -n 19 python benchmarks/e5_heads.py --out docs/E5_HEADS.json

Choosing data (nothing else is looked at by the choice):
- Spanish: wicc_es, papers 1-100 (of those with gold), each cut after its first 510 e5 tokens
  (one window: the protocol of docs/LANGUAGES.md, table 2);
- English: the first half of each English dev set: semeval2017 (first 247 of 493),
  500n_kpcrowd:dev (first 125 of 250), duc2001_dev (first 77 of 154), full texts.
  ``--english-limit 0`` takes the whole dev sets; ``--english-rest`` also reads the second
  halves and reports them (not used for choosing).
Held out: wicc_es papers 101-200 (same first window).

Every document is read once through the pipeline (``Pipeline.read`` with every head of every
layer, SAMRank "both" token scores, ONNX backend, disk cache on so a re-run repeats no forward
pass); candidates, phrase scores, ranking and stemming are the pipeline's steps as
``samrank.evaluation.sweep`` uses them (Snowball stems for Spanish, Porter for English, stemmed
duplicates dropped, macro F1@5/10/15 over all gold phrases, absent ones included). Head sets
are combined as the settings combine e5's defaults: ``scoring.mix_heads`` (each head rescaled to
mean 1, then averaged, ``head_weighting="mean"``), under e5-small's scoring defaults
(single_words="sum", length_power=1, position_power=0.25).

Criterion: mean over the two languages (equal weight; English = mean of its dev sets) of
F1@10(head set) - F1@10(no-attention control, mode "uniform"). Greedy forward selection adds,
one at a time, the head that raises the criterion most, up to ``--max-heads``; the chosen set is
the best prefix. Reported beside it: e5's previous (Spanish-only) heads, the control, YAKE 0.7.3
(n=3, top 30 stemmed and deduplicated to 15), every head of the last layer, all 144 heads, and
on English minilm's default (the model English keeps), and every prefix of the greedy order.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

from samrank import KeyphraseExtractor, models
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import gold_set
from samrank.settings import MODEL_DEFAULTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e5_heads_scoring import (Part, all_candidates_f1, extractor_f1, first_window, name, read_part,  # noqa: E402
                              set_f1, yake_f1)

MODEL = "e5-small"
OLD_HEADS = ((3, 10), (3, 4), (2, 11), (11, 8), (5, 10))  # chosen on Spanish alone (LANGUAGES.md)
ENGLISH_DEV = ("semeval2017", "500n_kpcrowd:dev", "duc2001_dev")
SPANISH = "wicc_es"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("SAMRANK_DATA") or default_data_dir())
    parser.add_argument("--spanish", type=int, default=100, help="choosing papers; as many again held out")
    parser.add_argument("--english-limit", type=float, default=0.5,
                        help="share of each English dev set used for choosing (its first documents); 0 = all")
    parser.add_argument("--english-rest", action="store_true",
                        help="also read and report the rest of each English dev set (not for choosing)")
    parser.add_argument("--max-heads", type=int, default=5)
    parser.add_argument("--backend", default="onnx", help="onnx (fast; same maps as torch to ~1e-6) or torch")
    parser.add_argument("--out", default=None, help="write everything as JSON here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    loads = {"start": os.getloadavg()}
    seconds = {"tag": 0.0, "read": 0.0}
    pipelines = {lang: KeyphraseExtractor(MODEL, language=lang, backend=args.backend, cache=True).pipeline
                 for lang in ("es", "en")}
    e5 = models.load(MODEL)
    assert (e5.num_layers, e5.num_heads) == (12, 12)
    settings = pipelines["es"].resolved
    assert settings.head_weighting == "mean", "the mix below is head_weighting='mean'"
    print("scoring:", settings.describe(), file=sys.stderr)

    parts: list[Part] = []
    spanish = read_dataset(SPANISH, args.data_dir, 2 * args.spanish + 20)[1]
    spanish = [d for d in spanish if gold_set(d, "es")][: 2 * args.spanish]
    spanish = first_window(spanish, e5)
    parts.append(read_part(f"{SPANISH} 1-{args.spanish}", "es", spanish[: args.spanish], pipelines["es"], seconds,
                           "choose"))
    parts.append(read_part(f"{SPANISH} {args.spanish + 1}-{2 * args.spanish}", "es", spanish[args.spanish:],
                           pipelines["es"], seconds, "held-out"))
    for dataset in ENGLISH_DEV:
        documents = read_dataset(dataset, args.data_dir)[1]
        cut = int(np.ceil(len(documents) * args.english_limit)) if args.english_limit else len(documents)
        parts.append(read_part(f"{dataset} 1-{cut}", "en", documents[:cut], pipelines["en"], seconds, "choose"))
        if args.english_rest and cut < len(documents):
            parts.append(read_part(f"{dataset} {cut + 1}-{len(documents)}", "en", documents[cut:], pipelines["en"],
                                   seconds, "report"))
    read_seconds = time.perf_counter() - started
    print(f"read in {read_seconds:.0f} s ({seconds})", file=sys.stderr, flush=True)

    choose = {"es": [p for p in parts if p.role == "choose" and p.language == "es"],
              "en": [p for p in parts if p.role == "choose" and p.language == "en"]}
    pipeline_of = lambda part: pipelines[part.language]  # noqa: E731

    def criterion(per_part: dict[str, float]) -> tuple[float, dict[str, float]]:
        by_language = {lang: float(np.mean([per_part[p.name] for p in ps])) for lang, ps in choose.items()}
        return float(np.mean(list(by_language.values()))), by_language

    control = {p.name: set_f1(p, None, pipeline_of(p)) for p in parts}
    control10 = {p.name: control[p.name][1] for p in parts}

    # greedy forward selection on the choosing parts
    start = time.perf_counter()
    chosen: list[int] = []
    trace = []
    singles = None
    for step in range(args.max_heads):
        gains = {p.name: all_candidates_f1(p, chosen, pipeline_of(p)) - control10[p.name]
                 for ps in choose.values() for p in ps}
        languages = {lang: np.mean([gains[p.name] for p in ps], axis=0) for lang, ps in choose.items()}
        objective = np.mean(list(languages.values()), axis=0)
        objective[chosen] = -np.inf
        if singles is None:
            singles = {"objective": objective.tolist(), **{lang: v.tolist() for lang, v in languages.items()}}
        best = int(np.argmax(objective))
        chosen.append(best)
        trace.append({"heads": [divmod(h, 12) for h in chosen], "objective": float(objective[best]),
                      **{f"{lang} gain": float(v[best]) for lang, v in languages.items()}})
        print(f"step {step + 1}: + L{best // 12}H{best % 12} -> objective {objective[best]:+.2f} "
              f"(es {languages['es'][best]:+.2f}, en {languages['en'][best]:+.2f}) "
              f"{time.strftime('%H:%M:%S')}", file=sys.stderr, flush=True)
    select_seconds = time.perf_counter() - start
    best_size = int(np.argmax([t["objective"] for t in trace])) + 1
    new_heads = tuple(tuple(h) for h in trace[best_size - 1]["heads"])

    systems = {"control (uniform)": None, "e5 old heads (Spanish-chosen)": OLD_HEADS,
               "e5 new heads (two languages)": new_heads,
               "e5 last layer, all 12 heads": tuple((11, h) for h in range(12)),
               "e5 all 144 heads": tuple((l, h) for l in range(12) for h in range(12)),
               # every prefix of the greedy order, to show what the size choice did (not chosen on these)
               **{f"greedy first {len(t['heads'])}: {name(t['heads'])}": tuple(tuple(h) for h in t["heads"])
                  for t in trace}}
    results = {p.name: {label: set_f1(p, heads, pipeline_of(p)).tolist() if heads else control[p.name].tolist()
                        for label, heads in systems.items()} for p in parts}
    start = time.perf_counter()
    for p in parts:
        results[p.name]["YAKE"] = yake_f1(p).tolist()
    yake_seconds = time.perf_counter() - start

    # English keeps minilm: its default (the product path), beside the e5 sets
    minilm = KeyphraseExtractor("minilm", language="en", backend=args.backend)
    minilm_heads = MODEL_DEFAULTS["minilm"]["heads"]
    for p in parts:
        if p.language == "en":
            results[p.name][f"minilm default {name(minilm_heads)}"] = extractor_f1(p, minilm).tolist()
    # check: the product path with the old heads (token scores from the disk cache) gives the same
    check_docs = 0
    mismatches = 0
    for p in parts:
        extractor = KeyphraseExtractor(MODEL, language=p.language, backend=args.backend, cache=True, heads=OLD_HEADS)
        sample = Part(p.name, p.language, p.docs[:3], p.role)
        product = extractor_f1(sample, extractor)
        ours = set_f1(sample, OLD_HEADS, pipeline_of(p))
        check_docs += len(sample.docs)
        mismatches += int(not np.allclose(product, ours))
    total_seconds = time.perf_counter() - started
    loads["end"] = os.getloadavg()

    objective = {}
    for label in systems:
        if systems[label] is not None:
            per = {p.name: results[p.name][label][1] - control10[p.name] for ps in choose.values() for p in ps}
            objective[label] = criterion(per)
    report = {
        "protocol": __doc__.strip().splitlines()[0],
        "settings": settings.describe(),
        "parts": {p.name: {"language": p.language, "role": p.role, "documents": len(p.docs)} for p in parts},
        "greedy": trace, "chosen_size": best_size, "new_heads": new_heads, "old_heads": OLD_HEADS,
        "single_heads": singles,
        "objective (mean over languages of F1@10 gain over control; es, en)": objective,
        "results F1@5/10/15": results,
        "check: product path = this script's mix (first 3 documents of each part)":
            {"documents": check_docs, "parts differing": mismatches},
        "seconds": {"total": round(total_seconds), "reading (tag + forward)": round(read_seconds),
                    **{k: round(v) for k, v in seconds.items()}, "greedy selection": round(select_seconds),
                    "yake": round(yake_seconds)},
        "machine": {"cores": os.cpu_count(), "load average (1, 5, 15 min)": loads,
                    "python": platform.python_version(), "backend": args.backend},
    }
    print(f"chosen ({best_size} heads): {name(new_heads)}")
    for label, (value, by_language) in objective.items():
        print(f"  criterion {label:32s} {value:+.2f}  (es {by_language['es']:+.2f}, en {by_language['en']:+.2f})")
    for p in parts:
        print(f"{p.name} ({p.role}, {len(p.docs)} docs)")
        for label, values in results[p.name].items():
            print(f"  {label:40s} " + " / ".join(f"{v:.1f}" for v in values))
    print(json.dumps(report["seconds"]), json.dumps(report["machine"]["load average (1, 5, 15 min)"]),
          f"check mismatches {mismatches}/{len(parts)}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
