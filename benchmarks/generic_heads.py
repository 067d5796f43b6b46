"""Which heads to read for a model without chosen defaults: docs/GENERIC_HEADS.md.

    .venv/bin/python benchmarks/generic_heads.py                     # minilm, mpnet, smollm2
    .venv/bin/python benchmarks/generic_heads.py --models minilm --limit 20 --out /tmp/g.md

A model that ``samrank.settings.MODEL_DEFAULTS`` does not know reads the heads that
``generic_heads`` names (today: every head of the layer at two thirds of the depth, mixed by
mean) with ``GENERIC_DEFAULTS``' scoring. The packaged models stand in for unknown ones: each rule
below is applied to them blindly (no head chosen by looking at data) and scored on the
development sets only: SemEval2017 (abstracts), 500n_kpcrowd:dev (news) and duc2001_dev (news).
The per-model defaults, where a model has them, are shown for reference; they were chosen on
SemEval2017 + 500n_kpcrowd:dev, so on those two sets they are not a fair comparison.

Criterion: the mean of F1@5, F1@10 and F1@15, averaged over the three sets and then over the
models. Token scores of every head are kept on disk (``cache=True``): one forward pass per
document and model serves every rule.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from samrank import KeyphraseExtractor, __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset
from samrank.evaluation import evaluate, f1_text
from samrank.models import load
from samrank.settings import GENERIC_DEFAULTS, MODEL_DEFAULTS, generic_heads

ROOT = Path(__file__).resolve().parents[1]
SETS = ("semeval2017", "500n_kpcrowd:dev", "duc2001_dev")
MODELS = ("minilm", "mpnet", "smollm2")


def layer_at(fraction: float, num_layers: int) -> int:
    return max(0, round(fraction * (num_layers - 1)))


def rules(num_layers: int, num_heads: int) -> dict[str, tuple[str, tuple[tuple[int, int], ...]]]:
    """Rule name -> (what it reads for this model, heads). The first rule reads every layer, so
    that its forward pass fills the disk cache for all the others."""
    def layer(index: int) -> tuple[tuple[int, int], ...]:
        return tuple((index, h) for h in range(num_heads))

    every = tuple((l, h) for l in range(num_layers) for h in range(num_heads))
    out = {"all heads of all layers": (f"{len(every)} heads", every)}
    for name, index in (("layer at two thirds (today's rule)", generic_heads(num_layers, num_heads)[0][0]),
                        ("last layer", num_layers - 1),
                        ("middle layer", layer_at(0.5, num_layers)),
                        ("layer at one third", layer_at(1 / 3, num_layers))):
        out[name] = (f"layer {index} of 0-{num_layers - 1}", layer(index))
    assert out["layer at two thirds (today's rule)"][1] == generic_heads(num_layers, num_heads)
    return out


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
        cpu = f"{fields['Model name'].strip()}, {fields['CPU(s)'].strip()} CPUs"
    except (OSError, KeyError):
        cpu = platform.processor() or platform.machine()
    return (f"{cpu} (lscpu), torch {torch.__version__} ({torch.get_num_threads()} threads), "
            f"Python {platform.python_version()}, samrank {__version__}")


def mean(values) -> float:
    return float(np.mean(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--limit", type=int, help="documents per set (a quick look; not for the docs)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "GENERIC_HEADS.md")
    args = parser.parse_args()
    started = time.perf_counter()

    def log(*parts):
        print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)

    data = {d: read_dataset(d, default_data_dir(), args.limit) for d in args.sets}
    raw: dict = {"sets": {d: len(docs) for d, (_, docs) in data.items()}, "models": {}}
    for model in args.models:
        loaded = load(model)
        shape = (loaded.num_layers, loaded.num_heads)
        extractors, reads = {}, {}
        for name, (what, heads) in rules(*shape).items():
            extractors[name] = KeyphraseExtractor(model, heads=heads, cache=True, **GENERIC_DEFAULTS)
            reads[name] = what
        if model in MODEL_DEFAULTS:  # reference only: chosen on two of these sets
            chosen = MODEL_DEFAULTS[model]
            extractors["(reference) the model's chosen defaults"] = KeyphraseExtractor(model, cache=True, **chosen)
            reads["(reference) the model's chosen defaults"] = "heads " + ", ".join(
                f"{l}-{h}" for l, h in chosen["heads"]) + (
                f"; single_words={chosen['single_words']}, length_power={chosen['length_power']}, "
                f"position_power={chosen['position_power']}")
        scores = {}
        # duc2001_dev first: benchmarks/defaults.py may be filling the cache of the other two
        for dataset in sorted(data, key=lambda d: not d.startswith("duc")):
            label, documents = data[dataset]
            run = evaluate(documents, extractors, label, progress=True)
            for name in extractors:
                scores.setdefault(name, {})[dataset] = run.scores[name].f1s()
            log(model, dataset, f"{run.seconds:.0f} s",
                {n: round(mean(scores[n][dataset]), 2) for n in extractors})
        raw["models"][model] = {"layers": shape[0], "heads": shape[1], "reads": reads, "scores": scores}

    names = [n for n in rules(2, 1)]  # rule names in order (shape does not change them)

    def criterion(model: str, name: str) -> float:
        return mean([mean(v) for v in raw["models"][model]["scores"][name].values()])

    overall = {name: mean([criterion(m, name) for m in raw["models"]]) for name in names}
    best = max(names, key=overall.get)
    lines = [
        "# Heads for models without chosen defaults", "",
        f"Produced by `benchmarks/generic_heads.py"
        + (f" --models {' '.join(args.models)}" if list(args.models) != list(MODELS) else "")
        + (f" --limit {args.limit}" if args.limit else "") + "`; raw numbers in the JSON file beside it. "
        f"Machine: {machine()}. Protocol as in RESULTS.md: macro F1@5 / F1@10 / F1@15 in percent, "
        "Porter-stemmed and deduplicated predictions, all gold. Layers and heads 0-based.", "",
        "A model that `MODEL_DEFAULTS` does not know reads the heads `generic_heads` names, mixed by "
        "mean, with `GENERIC_DEFAULTS`' scoring (single_words=sum, length_power=1, position_power=0.25). "
        "Here the packaged models stand in for unknown models: each rule is applied blindly and scored on "
        "the development sets only (" + ", ".join(f"{d}: {n} docs" for d, n in raw["sets"].items())
        + "). Criterion: mean of F1@5/10/15, averaged over the sets, then over the models.", "",
        "## Summary: criterion per model", "",
        "| rule | " + " | ".join(raw["models"]) + " | mean over models |",
        "|---|" + "---|" * (len(raw["models"]) + 1),
    ]
    for name in names:
        cells = [f"{criterion(m, name):.2f}" for m in raw["models"]]
        mark = "**" if name == best else ""
        lines.append(f"| {mark}{name}{mark} | " + " | ".join(cells) + f" | {mark}{overall[name]:.2f}{mark} |")
    lines += ["", f"Best rule by the criterion: **{best}**.", ""]
    for model, result in raw["models"].items():
        lines += [f"## {model} ({result['layers']} layers x {result['heads']} heads)", "",
                  "| rule | reads | " + " | ".join(data[d][0] for d in data) + " | criterion |",
                  "|---|---|" + "---|" * (len(data) + 1)]
        for name, per_set in result["scores"].items():
            lines.append(f"| {name} | {result['reads'][name]} | "
                         + " | ".join(f1_text(per_set[d]) for d in data)
                         + f" | {mean([mean(v) for v in per_set.values()]):.2f} |")
        lines.append("")
    lines += [f"Run time: {time.perf_counter() - started:.0f} s.", ""]
    args.out.write_text("\n".join(lines))
    raw.update(criterion={n: {m: criterion(m, n) for m in raw["models"]} for n in names}, overall=overall, best=best)
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=1))
    log("wrote", args.out)


if __name__ == "__main__":
    main()
