"""The word graph beside the attention (issue 14): development and held-out numbers, docs/GRAPH.md.

    .venv/bin/python benchmarks/graph_fusion.py --split dev    # the sets the choice looked at
    .venv/bin/python benchmarks/graph_fusion.py --split test   # held out, after the choice
    .venv/bin/python benchmarks/graph_fusion.py --render       # docs/GRAPH.md from the two JSONs

Every configuration is the library's default (model auto: minilm for English, e5-small for
Spanish, which keeps the graph off) but for the named changes:
- attention alone: no word graph and one position prior for every length (the default before);
- default: from 200 words on the word graph's ranking is fused in (weight growing to 0.6 at 400
  words), from 300 words on the position prior is steeper (``samrank/fusion.py``);
- control: the default with ``mode="uniform"`` (every token scores 1: no attention anywhere), so
  that the attention's share stays visible.
Peers (YAKE, pke PositionRank and MultipartiteRank, same protocol): docs/peers*.json, made by
benchmarks/peers.py. Protocol: macro F1@5 / F1@10 / F1@15 in percent, Porter-stemmed and
deduplicated predictions, all gold. Token scores are kept in the disk cache, so configurations
after the first repeat no forward pass.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine  # noqa: E402
from samrank.cli import default_data_dir  # noqa: E402
from samrank.datasets import read_dataset  # noqa: E402
from samrank.evaluation import evaluate, f1_text  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {
    "dev": {"semeval2017": None, "500n_kpcrowd:dev": None, "duc2001_dev": None, "wicc_es": (0, 100)},
    "test": {"inspec": None, "semeval2010": None, "500n_kpcrowd:test": None, "krapivin": (0, 100),
             "wicc_es": (100, 200)},
}
CONFIGS = {
    "attention alone (the default before 0.3: graph_weight=0, long_position_power=0.25)":
        {"graph_weight": 0.0, "long_position_power": 0.25},
    "default: long texts with the word graph": {},
    "control: the default with uniform attention": {"mode": "uniform"},
}
DEFAULT = "default: long texts with the word graph"
PEER_FILES = ("peers.json", "peers_duc.json", "peers_krapivin.json")


def documents(name: str, span):
    if span is None:
        return read_dataset(name, default_data_dir())[1]
    return read_dataset(name, default_data_dir(), span[1])[1][span[0]:]


def label(name: str, span) -> str:
    return name if span is None else f"{name} {span[0] + 1}-{span[1]}"


def peers() -> dict[str, dict[str, list[float]]]:
    merged: dict[str, dict[str, list[float]]] = {}
    for file in PEER_FILES:
        path = ROOT / "docs" / file
        if path.exists():
            limit = {"peers_krapivin.json": "krapivin 1-100"}.get(file)
            for tool, sets in json.loads(path.read_text()).items():
                for name, values in sets.items():
                    merged.setdefault(tool, {})[limit or name] = values
    return merged


def run(split: str) -> None:
    extractors = {name: KeyphraseExtractor(cache=True, **changes) for name, changes in CONFIGS.items()}
    results: dict[str, dict[str, list[float]]] = {name: {} for name in CONFIGS}
    seconds = {}
    for name, span in SPLITS[split].items():
        started = time.perf_counter()
        evaluation = evaluate(documents(name, span), extractors, label(name, span))
        seconds[label(name, span)] = round(time.perf_counter() - started, 1)
        for config in CONFIGS:
            results[config][label(name, span)] = evaluation.scores[config].f1s()
        print(time.strftime("%H:%M:%S"), label(name, span),
              {c: round(results[c][label(name, span)][1], 2) for c in CONFIGS}, file=sys.stderr, flush=True)
    settings = extractors[DEFAULT].pipeline.for_language("en").resolved
    out = {"split": split, "machine": machine(), "results": results, "seconds": seconds,
           "default": settings.describe() + f"; graph from {settings.graph_from_words:g} to "
                      f"{settings.graph_full_words:g} words, long texts from {settings.long_text_words:g} words"}
    (ROOT / "docs" / f"GRAPH_{split}.json").write_text(json.dumps(out, indent=1))


def table(data: dict, peer_scores: dict) -> list[str]:
    sets = list(next(iter(data["results"].values())))
    lines = ["| configuration | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for config, scores in data["results"].items():
        lines.append(f"| {config} | " + " | ".join(f1_text(scores[s]) for s in sets) + " |")
    for tool, scores in peer_scores.items():
        lines.append(f"| peer: {tool} | " + " | ".join(f1_text(scores[s]) if s in scores else "–" for s in sets) + " |")
    return lines


def render() -> None:
    peer_scores = peers()
    lines = ["# The word graph beside the attention", "",
             "Produced by `benchmarks/graph_fusion.py --split dev`, then `--split test`, then `--render`; "
             "raw numbers in docs/GRAPH_dev.json and docs/GRAPH_test.json. Macro F1@5 / F1@10 / F1@15 in "
             "percent (Porter-stemmed, deduplicated predictions, all gold). Model auto: minilm for English, "
             "e5-small for Spanish. Peers: docs/PEERS.md, docs/PEERS_DUC.md, docs/PEERS_KRAPIVIN.md "
             "(benchmarks/peers.py), same documents and protocol.", ""]
    for split, title in (("dev", "Development sets (the only ones the choice looked at)"),
                         ("test", "Held-out sets (scored once, after the choice)")):
        path = ROOT / "docs" / f"GRAPH_{split}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        lines += [f"## {title}", "", f"Machine: {data['machine']}. Default: {data['default']}.", ""]
        lines += table(data, peer_scores) + [""]
    (ROOT / "docs" / "GRAPH.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=list(SPLITS))
    parser.add_argument("--render", action="store_true")
    args = parser.parse_args()
    if args.split:
        run(args.split)
    render()


if __name__ == "__main__":
    main()
