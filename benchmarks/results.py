"""Re-make the SAMRank paper's experiments on the packaged models and write docs/RESULTS.md.

    .venv/bin/python benchmarks/results.py                  # everything (make results)
    .venv/bin/python benchmarks/results.py --models minilm  # one model
    .venv/bin/python benchmarks/results.py --limit 20       # a quick look (not for the docs)

For each model: every head on Inspec, SemEval2010 and SemEval2017 (the paper's oracle Table 3);
the head chosen on SemEval2017 applied to the other datasets, and the head chosen on Inspec applied
to SemEval2017 (honest numbers); the ablations and the no-attention control at the honest head;
SemEval2010 full text, Krapivin and 500N-KPCrowd at the honest head. Token scores are cached on
disk (~/.cache/samrank/scores), so a re-run repeats no forward pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

from samrank import KeyphraseExtractor, __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import Evaluation, sweep
from samrank.report import heads_table, write_heatmap

sys.path.insert(0, str(Path(__file__).resolve().parent))
from results_common import ABLATIONS, EXTRA, ROOT, SWEEP, f1s, mean_f1, took  # noqa: E402
from results_report import write_markdown  # noqa: E402

DEV_FOR = {"inspec": "semeval2017", "semeval2010": "semeval2017", "semeval2017": "inspec",
           "semeval2010_fulltext": "semeval2017", "krapivin": "semeval2017", "500n_kpcrowd": "semeval2017"}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__} with {torch.get_num_threads()} "
            f"threads, Python {platform.python_version()}, samrank {__version__}")


def heads_run(model: str, dataset: str, limit: int | None, heads=None, method: str = "both",
              surface_gold: bool = False) -> Evaluation:
    """``heads`` (None: every head) scored alone with SAMRank's scoring under readout ``method``;
    token scores of every head kept on disk, so later runs repeat no forward pass."""
    label, documents = read_dataset(dataset, default_data_dir(), limit, surface_gold=surface_gold)
    extractor = KeyphraseExtractor(model, preset="samrank", mode=method, cache=True)
    return sweep(documents, extractor, heads, label=label, progress=True)  # label: the record's dataset


def run_model(model: str, limit: int | None, folder: Path, log, long_limit: int | None = None,
              ablations: bool = True) -> dict:
    out: dict = {"sweeps": {}, "runs": []}
    for dataset in SWEEP:
        result = heads_run(model, dataset, limit)
        rows = heads_table(result)
        write_heatmap(result, folder / f"heads_{dataset}_{model}.png")
        out["sweeps"][dataset] = {"rows": rows, "seconds": result.seconds, "docs": result.docs}
        log(f"{model} sweep {dataset}: {result.docs} docs, {result.seconds:.0f} s")
    chosen = {dev: max(out["sweeps"][dev]["rows"], key=mean_f1) for dev in ("semeval2017", "inspec")}
    out["chosen"] = {dev: (row["layer"], row["head"]) for dev, row in chosen.items()}
    for dataset in SWEEP + EXTRA:
        layer, head = out["chosen"][DEV_FOR[dataset]]
        for method in ("both",) + ABLATIONS:
            if method not in ("both", "uniform") and (dataset in EXTRA or not ablations):
                continue
            cap = long_limit if dataset in ("semeval2010_fulltext", "krapivin") and long_limit else limit
            result = heads_run(model, dataset, cap, [(layer, head)], method)
            record = result.record(layer, head)
            record["method"] = method
            record["chosen_on"] = DEV_FOR[dataset]
            out["runs"].append(record)
            log(f"{model} {dataset} {method} head {layer}-{head}: {f1s(record)} ({took(record)})")
    # SemEval2010's official stemmed gold uses another Porter variant than our predictions
    # ("overlai" vs "overlay"); show what the same heads score against NLTK-stemmed surface gold.
    surface = heads_run(model, "semeval2010", limit, surface_gold=True)
    layer, head = out["chosen"]["semeval2017"]
    control = heads_run(model, "semeval2010", limit, [(layer, head)], "uniform", surface_gold=True)
    out["semeval2010_surface_gold"] = {"rows": heads_table(surface), "honest": surface.record(layer, head),
                                       "uniform": control.record(layer, head)}
    log(f"{model} semeval2010 surface gold, head {layer}-{head}: {f1s(surface.record(layer, head))}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=["minilm", "mpnet", "smollm2"],
                        help="models to run (none: rewrite RESULTS.md from the JSON files alone)")
    parser.add_argument("--limit", type=int, help="documents per dataset (quick look)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--ablations", nargs="*", default=["minilm"],
                        help="models that get the global/proportional/forward ablations (the control "
                             "always runs)")
    parser.add_argument("--long-docs", type=int, default=30,
                        help="first N papers of semeval2010_fulltext and krapivin for the larger models "
                             "(minilm always runs them all); 0 = all")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "results.json"
    results = json.loads(raw.read_text()) if raw.exists() and not args.limit else {"models": {}}
    if args.models:  # a rewrite from the JSON files keeps the machine their numbers ran on
        results["machine"] = machine()

    def log(message: str) -> None:
        print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)

    for model in args.models:
        long_limit = None if model == "minilm" or not args.long_docs else args.long_docs
        results["models"][model] = run_model(model, args.limit, args.out, log, long_limit,
                                             ablations=model in args.ablations)
        if not args.limit:
            raw.write_text(json.dumps(results, indent=1))
    write_markdown(results, args.limit, args.out / "RESULTS.md")


if __name__ == "__main__":
    main()
