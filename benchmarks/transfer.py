"""Settings chosen on one scientific dataset, scored on another: docs/TRANSFER.md.

    .venv/bin/python benchmarks/transfer.py                    # minilm and mpnet
    .venv/bin/python benchmarks/transfer.py --models minilm  # minilm's rows again, mpnet's kept
    .venv/bin/python benchmarks/transfer.py --models mpnet --limit 50   # a quick look

The issue's honest protocol for the scientific targets: choose on SemEval2017 and score Inspec
and SemEval2010; choose on Inspec and score SemEval2017. For each source dataset, the heads are
ranked there (SAMRank scoring, mean of F1@5/10/15) and the grid of benchmarks/defaults.py (head
sets top-1/5/12/all x mean/dynamic weighting x single-word rule x length power x position
power) is scored there; the best setting is then scored once on each target. Unlike the
library default (docs/DEFAULTS.md), these choices look at scientific text only, so they say what
samrank can do on papers, not what it does by default on every genre.

Token scores come from the disk cache when an earlier run filled it.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from samrank import KeyphraseExtractor, __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import evaluate, f1_text, sweep

sys.path.insert(0, str(Path(__file__).resolve().parent))
from defaults import describe, f1s, grid  # noqa: E402  (same grid, same description)

ROOT = Path(__file__).resolve().parents[1]
ROUTES = {"semeval2017": ("inspec", "semeval2010"), "inspec": ("semeval2017",)}
PUBLISHED_BEST = {"inspec": 40.14, "semeval2010": 23.07, "semeval2017": 37.76}  # F1@10, docs/RESULTS.md


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["minilm", "mpnet"])
    parser.add_argument("--limit", type=int, help="documents per set (a quick look; not for the docs)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "TRANSFER.md")
    args = parser.parse_args()
    started = time.perf_counter()
    kept = args.out.with_suffix(".json")
    # a model not named in --models keeps the rows of its last run (the docs' table holds both)
    raw: dict = {m: r for m, r in json.loads(kept.read_text()).items() if m not in args.models} \
        if kept.exists() and not args.limit else {}
    names = list(ROUTES) + [t for targets in ROUTES.values() for t in targets if t not in ROUTES]
    data = {d: read_dataset(d, default_data_dir(), args.limit) for d in names}
    for model in args.models:
        samrank = KeyphraseExtractor(model, preset="samrank", cache=True)  # every head alone, as published
        for source, targets in ROUTES.items():
            heads = sweep(data[source][1], samrank, label=data[source][0])
            ranked = sorted(heads.scores, key=lambda h: -np.mean(f1s(heads, h)))
            configs = grid(model, ranked)
            run = evaluate(data[source][1], configs, data[source][0])
            chosen = max(configs, key=lambda name: np.mean(f1s(run, name)))
            scored = {t: f1s(evaluate(data[t][1], {chosen: configs[chosen]}, data[t][0]), chosen)
                      for t in targets}
            raw.setdefault(model, {})[source] = {"chosen": describe(configs[chosen]),
                                                 "source": f1s(run, chosen), "targets": scored}
            print(time.strftime("%H:%M:%S"), model, source, raw[model][source], file=sys.stderr, flush=True)

    lines = [
        "# Scientific text: settings chosen on one dataset, scored on another", "",
        "Produced by `benchmarks/transfer.py" + (f" --limit {args.limit}" if args.limit else "")
        + "`; raw numbers in docs/TRANSFER.json. Machine: "
        f"{platform.machine()}, torch {torch.__version__}, samrank {__version__}. Protocol as in RESULTS.md "
        "(macro F1@5 / F1@10 / F1@15, Porter-stemmed and deduplicated predictions, all gold).", "",
        "For each source dataset the heads were ranked there and every setting of the "
        "benchmarks/defaults.py grid was scored there; the best one was then scored once on each "
        "target, which no choice looked at. These settings are for scientific text: the library "
        "default is chosen on abstracts and news together (docs/DEFAULTS.md).", "",
        "| model | chosen on | setting chosen | there | scored on | held-out F1@5 / F1@10 / F1@15 | best published F1@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for model, routes in raw.items():
        for source, result in routes.items():
            for target, values in result["targets"].items():
                lines.append(f"| {model} | {source} | {result['chosen']} | {f1_text(result['source'])} | "
                             f"{target} | **{f1_text(values)}** | {PUBLISHED_BEST[target]:.2f} |")
    lines += ["", f"Run time: {time.perf_counter() - started:.0f} s ({', '.join(args.models)}; "
              f"{', '.join(m for m in raw if m not in args.models) or 'no other model'} kept from an earlier run).", ""]
    args.out.write_text("\n".join(lines))
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    print("wrote", args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
