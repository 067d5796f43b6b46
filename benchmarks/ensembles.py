"""Head ensembles chosen without looking at the test set: docs/ENSEMBLES.md.

    .venv/bin/python benchmarks/ensembles.py                 # minilm (make ensembles)
    .venv/bin/python benchmarks/ensembles.py --models minilm mpnet

Heads are ranked by their mean F1@5/10/15 on a development set (SemEval2017; Inspec when
SemEval2017 itself is scored); the top-k heads are averaged (token scores, one forward pass), and
k is chosen on the same development set. Every k is shown, but only the chosen one is the honest
number. Token scores come from the disk cache that benchmarks/results.py filled, where present.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samrank import KeyphraseExtractor
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import KS, evaluate, f1_text, sweep
from samrank.report import heads_table

ROOT = Path(__file__).resolve().parents[1]
KS_TOP = (1, 3, 5, 8, 12, 20)
TEST = ("inspec", "semeval2010", "semeval2017", "500n_kpcrowd")
DEV_FOR = {"semeval2017": "inspec"}


def mean_f1(record: dict) -> float:
    return sum(record[f"f1@{k}"] for k in KS) / len(KS)


def f1s(record: dict) -> str:
    return f1_text(record[f"f1@{k}"] for k in KS)


def documents(dataset: str, limit: int | None):
    return read_dataset(dataset, default_data_dir(), limit)


def ranked_heads(model: str, dev: str, limit: int | None) -> list[tuple[int, int]]:
    label, docs = documents(dev, limit)
    samrank = KeyphraseExtractor(model, preset="samrank", cache=True)
    rows = heads_table(sweep(docs, samrank, label=label, progress=True))
    return [(r["layer"], r["head"]) for r in sorted(rows, key=mean_f1, reverse=True)]


def ensembles_of(model: str, order: list[tuple[int, int]]) -> dict[str, KeyphraseExtractor]:
    """SAMRank's scoring over the mean token scores of the top-k heads (and of every head)."""
    sets = {f"top{k}": order[:k] for k in KS_TOP if k <= len(order)} | {"all": order}
    return {name: KeyphraseExtractor(model, heads=heads, head_weighting="mean", preset="samrank", cache=True)
            for name, heads in sets.items()}


def run_model(model: str, limit: int | None, log) -> list[str]:
    lines = [f"## {model}", "",
             "| dataset | dev set | k chosen on dev | honest ensemble F1@5/10/15 | single best dev head | "
             + " | ".join(f"top-{k}" for k in KS_TOP) + " | all heads |",
             "|---|---|---|---|---|" + "---|" * (len(KS_TOP) + 1)]
    chosen_on: dict[str, tuple[dict, str]] = {}
    for dataset in TEST:
        dev = DEV_FOR.get(dataset, "semeval2017")
        if dev not in chosen_on:
            candidates = ensembles_of(model, ranked_heads(model, dev, limit))
            label, docs = documents(dev, limit)
            on_dev = evaluate(docs, candidates, label, progress=True)
            chosen_on[dev] = candidates, max(candidates, key=lambda name: mean_f1(on_dev.record(name)))
        candidates, chosen = chosen_on[dev]
        label, docs = documents(dataset, limit)
        result = evaluate(docs, candidates, label, progress=True)
        records = {name: result.record(name) for name in candidates}
        cells = [f1s(records[f"top{k}"]) if f"top{k}" in records else "" for k in KS_TOP]
        lines.append(f"| {dataset} | {dev} | {chosen} ({len(candidates[chosen].heads)} heads) | "
                     f"**{f1s(records[chosen])}** | {f1s(records['top1'])} | " + " | ".join(cells)
                     + f" | {f1s(records['all'])} |")
        log(f"{model} {dataset}: k={chosen} on {dev}: {f1s(records[chosen])}; single {f1s(records['top1'])}")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["minilm"])
    parser.add_argument("--limit", type=int, help="documents per dataset (quick look)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "ENSEMBLES.md")
    args = parser.parse_args()

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)

    lines = ["# Head ensembles chosen on a development set", "",
             f"Produced by `benchmarks/ensembles.py`{' --limit ' + str(args.limit) if args.limit else ''}. "
             "Protocol as in RESULTS.md (macro F1@5 / F1@10 / F1@15, percent). Heads ranked by mean "
             "F1 on the dev set; top-k heads averaged; k chosen on the dev set (bold = that honest "
             "number). The other columns show every k for transparency: picking the best of them by "
             "looking at the test set would be an oracle.", ""]
    for model in args.models:
        lines += run_model(model, args.limit, log)
    args.out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
