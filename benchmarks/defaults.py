"""Choose KeyphraseExtractor's default settings on development data, report them on held-out data.

    .venv/bin/python benchmarks/defaults.py                  # minilm -> docs/DEFAULTS.md
    .venv/bin/python benchmarks/defaults.py --model mpnet --out docs/DEFAULTS_mpnet.md

Development sets, the only data any choice looks at: SemEval2017 (scientific abstracts) and
500n_kpcrowd:dev (news: art_and_culture, business, crime, fashion, health). Criterion: the mean of
F1@5, F1@10 and F1@15, averaged over the two development sets, so that a setting must serve both
genres. Steps:

1. every head of the model is scored (SAMRank as published) on both development sets; heads are
   ranked by that criterion, giving the candidate head sets top-1, top-5 and top-12;
2. each head set (combined with ``head_weighting`` mean or dynamic) x ``length_power`` x
   ``position_power`` is scored on both development sets; the best is the chosen setting;
3. the chosen setting, plain SAMRank (the best development head alone) and the best setting of
   each development set alone are scored on the held-out sets: Inspec, SemEval2010 and
   500n_kpcrowd:test (news: politics_us, politics_world, science, sports, tech); then the
   ranking options (nested-phrase removal, diversity) and the other readouts at the chosen setting.

Token scores come from the disk cache when an earlier run filled it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

from samrank import __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import evaluate, f1_text as cell, sweep
from samrank.extractor import KeyphraseExtractor

ROOT = Path(__file__).resolve().parents[1]
DEV = ("semeval2017", "500n_kpcrowd:dev")
TEST = ("inspec", "semeval2010", "500n_kpcrowd:test")
LENGTH_POWERS = (0.0, 0.5, 1.0)
POSITION_POWERS = (0.0, 0.25, 0.5, 1.0)
TOP_K = (1, 5, 12, 0)  # 0: every head
READOUTS = ("global", "received", "cls", "fusion")


def f1s(evaluation, key) -> list[float]:
    return evaluation.scores[key].f1s()


def grid(model, heads_ranked) -> dict[str, KeyphraseExtractor]:
    configs = {}
    for k, weighting, single, length, position in itertools.product(
            TOP_K, ("mean", "dynamic"), ("mean", "sum"), LENGTH_POWERS, POSITION_POWERS):
        if k == 1 and weighting == "dynamic":
            continue
        name = f"{f'top{k}' if k else 'all'} {weighting} single={single} length={length} position={position}"
        configs[name] = KeyphraseExtractor(model, heads=heads_ranked[: k or None], head_weighting=weighting,
                                           single_words=single, length_power=length, position_power=position,
                                           cache=True)
    return configs


def describe(extractor: KeyphraseExtractor) -> str:
    heads = extractor.heads
    if len(heads) > 12:
        heads = f"all {len(heads)} heads"
    else:
        heads = "heads [" + ", ".join(f"{l}-{h}" for l, h in heads) + "]"
    return (f"{heads} ({extractor.head_weighting}), single_words={extractor.single_words}, "
            f"length_power={extractor.length_power}, position_power={extractor.position_power}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--limit", type=int, help="documents per set (a quick look; not for the docs)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "DEFAULTS.md")
    parser.add_argument("--readouts", nargs="*", default=list(READOUTS), choices=READOUTS,
                        help="readouts to compare at the chosen setting (each needs its own forward passes)")
    args = parser.parse_args()
    started = time.perf_counter()

    def log(*parts):
        print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)

    data = {d: read_dataset(d, default_data_dir(), args.limit) for d in DEV + TEST}

    # 1. heads ranked on the development sets (SAMRank as published, every head alone; token
    # scores of every head kept on disk, so the grid below repeats no forward pass)
    samrank = KeyphraseExtractor(args.model, preset="samrank", cache=True)
    sweeps = {d: sweep(data[d][1], samrank, label=data[d][0]) for d in DEV}
    all_heads = list(sweeps[DEV[0]].scores)
    dev_mean = {h: np.mean([np.mean(f1s(sweeps[d], h)) for d in DEV]) for h in all_heads}
    ranked = sorted(all_heads, key=lambda h: -dev_mean[h])
    log("heads ranked on dev:", ranked[:12])

    # 2. the grid on the development sets
    configs = grid(args.model, ranked)
    dev_runs = {d: evaluate(data[d][1], configs, data[d][0]) for d in DEV}
    dev_scores = {name: {d: f1s(dev_runs[d], name) for d in DEV} for name in configs}
    criterion = {name: np.mean([np.mean(v) for v in dev_scores[name].values()]) for name in configs}
    chosen = max(configs, key=criterion.get)
    per_dev_best = {d: max(configs, key=lambda n, d=d: np.mean(dev_scores[n][d])) for d in DEV}
    baseline = "top1 mean single=mean length=0.0 position=0.0"
    log("chosen:", chosen, f"{criterion[chosen]:.2f}")

    # 3. held-out sets
    shown = {"chosen default": chosen, "SAMRank (best dev head)": baseline,
             **{f"best on {d} alone": per_dev_best[d] for d in DEV}}
    best = configs[chosen]
    options = {"chosen + nested=False": best.replace(nested=False),
               "chosen + diversity=0.3": best.replace(diversity=0.3)}
    extractors = {label: configs[name] for label, name in shown.items()} | options
    test_runs = {d: evaluate(data[d][1], extractors, data[d][0]) for d in TEST}
    readout_runs = {}
    for mode in args.readouts:
        readout = best.replace(mode=mode)
        readout_runs[mode] = {d: evaluate(data[d][1], {mode: readout}, data[d][0]) for d in TEST}
        log("readout", mode, "done")

    lines = [
        f"# Default settings chosen on development data ({args.model})", "",
        f"Produced by `benchmarks/defaults.py --model {args.model}`"
        + (f" --limit {args.limit}" if args.limit else "") + "; raw numbers in the JSON file beside it. "
        f"Machine: {platform.machine()}, torch {torch.__version__}, samrank {__version__}. "
        "Protocol as in RESULTS.md: macro F1@5 / F1@10 / F1@15 in percent, Porter-stemmed and "
        "deduplicated predictions, all gold. Heads 0-based.", "",
        "**How the choice was made.** Only the development sets were looked at: SemEval2017 "
        "(scientific abstracts) and `500n_kpcrowd:dev` (news; categories art_and_culture, business, crime, "
        "fashion, health). Heads were ranked by mean F1 over both; each setting was scored by the mean "
        "of F1@5/10/15 averaged over both; the best is the default. The held-out sets (Inspec, "
        "SemEval2010, `500n_kpcrowd:test` = politics_us, politics_world, science, sports, tech) were "
        "scored only after the choice. Peers on the same halves: docs/PEERS.md.", "",
        f"Chosen: **{describe(best)}** (criterion {criterion[chosen]:.2f}).", "",
        "## Held-out sets", "",
        "| setting | " + " | ".join(TEST) + " | " + " | ".join(f"{d} (dev)" for d in DEV) + " |",
        "|---|" + "---|" * (len(TEST) + len(DEV)),
    ]
    for label, extractor in extractors.items():
        name = shown.get(label)
        dev_cells = [cell(dev_scores[name][d]) if name else "" for d in DEV]
        test_cells = [cell(f1s(test_runs[d], label)) for d in TEST]
        if label == "chosen default":
            test_cells = [f"**{c}**" for c in test_cells]
        lines.append(f"| {label}: {describe(extractor)}"
                     + (f", nested={extractor.nested}" if not extractor.nested else "")
                     + (f", diversity={extractor.diversity}" if extractor.diversity else "")
                     + " | " + " | ".join(test_cells + dev_cells) + " |")
    peers_file = ROOT / "docs" / "peers.json"
    if peers_file.exists():  # written by benchmarks/peers.py (make peers), same protocol and halves
        for tool, scores in json.loads(peers_file.read_text()).items():
            lines.append(f"| peer: {tool} (docs/PEERS.md) | "
                         + " | ".join(cell(scores[d]) if d in scores else "" for d in TEST + DEV) + " |")
    lines += ["", "## Readouts at the chosen heads and weights (held-out sets)", "",
              "| readout | " + " | ".join(TEST) + " |", "|---|" + "---|" * len(TEST),
              "| both (SAMRank) | " + " | ".join(cell(f1s(test_runs[d], "chosen default")) for d in TEST) + " |"]
    for mode, runs in readout_runs.items():
        lines.append(f"| {mode} | " + " | ".join(cell(f1s(runs[d], mode)) for d in TEST) + " |")
    lines += ["", "## Every setting on the development sets", "",
              "| setting | " + " | ".join(DEV) + " | criterion |", "|---|" + "---|" * (len(DEV) + 1)]
    for name in sorted(configs, key=lambda n: -criterion[n]):
        lines.append(f"| {name} | " + " | ".join(cell(dev_scores[name][d]) for d in DEV)
                     + f" | {criterion[name]:.2f} |")
    lines += ["", "Heads ranked on the development sets (best first): "
              + ", ".join(f"{l}-{h}" for l, h in ranked[:12]) + ".", "",
              f"Run time: {time.perf_counter() - started:.0f} s.", ""]
    args.out.write_text("\n".join(lines))
    raw = {"model": args.model, "chosen": chosen, "heads_ranked": ranked[:12],
           "dev": dev_scores, "criterion": criterion,
           "test": {label: {d: f1s(test_runs[d], label) for d in TEST} for label in extractors},
           "readouts": {m: {d: f1s(r[d], m) for d in TEST} for m, r in readout_runs.items()}}
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1, default=str))
    log("wrote", args.out)


if __name__ == "__main__":
    main()
