"""docs/BENCHMARKS.md from what benchmarks/speed.py measured (its rows, stream, token counts and
fast-path accuracy): the tables, ratios beside the floor and beside samrank-minilm."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def write_markdown(rows: list[dict], stream: dict, tokens: dict, accuracy: dict, args, path: Path) -> None:
    import torch

    from samrank.evaluation import f1_text

    lines = [
        "# Benchmarks: speed and memory",
        "",
        f"Produced by `make bench` (`benchmarks/speed.py`{' --limit ' + str(args.limit) if args.limit else ''}) "
        f"in one run on {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads), Python {platform.python_version()}. Each tool in its own "
        "process, one document at a time, after a 3-document warm-up; peak RSS is the process's "
        "whole life (model loading included). Ratios matter more than absolute times: they are what "
        "another machine keeps. samrank-minilm: `KeyphraseExtractor()`, the default settings; "
        "`-many`: the same through `extract_many`; `-onnx`: the fast path (ONNX Runtime). mpnet and smollm2: "
        "the head chosen on SemEval2017 in docs/results.json. KeyBERT: n-grams 1-3, English stop words, top 10; "
        "YAKE: n=3, top 10; KeyAtten: its defaults; pke MultipartiteRank: nouns/proper nouns/adjectives, "
        "alpha 1.1, threshold 0.74.",
        "",
    ]
    for dataset in args.datasets:
        subset = [r for r in rows if r.get("dataset") == dataset]
        by_tool = {r["tool"]: r for r in subset}
        reference = by_tool.get("samrank-minilm")
        lines += [f"## {dataset} ({subset[0]['docs'] if subset else 0} documents, "
                  f"{tokens[dataset]:,} MiniLM tokens)", "",
                  "| tool | docs/s | s per 1k tokens | peak RSS MB | vs its floor | time / samrank-minilm |",
                  "|---|---|---|---|---|---|"]
        for row in subset:
            if "error" in row:
                lines.append(f"| {row['tool']} | failed: {row['error']} | | | | |")
                continue
            floor = by_tool.get("floor-" + row["tool"].split("-")[1]) if row["tool"].startswith("samrank-") else None
            vs_floor = f"{row['seconds'] / floor['seconds']:.2f}x" if floor and "seconds" in floor else ""
            vs_samrank = f"{row['seconds'] / reference['seconds']:.2f}x" if reference and "seconds" in reference else ""
            failures = f" ({row['failures']} failed)" if row.get("failures") else ""
            lines.append(f"| {row['tool']}{failures} | {row['docs'] / row['seconds']:.1f} | "
                         f"{1000 * row['seconds'] / tokens[dataset]:.3f} | {row['peak_rss_mb']:.0f} | "
                         f"{vs_floor} | {vs_samrank} |")
        lines.append("")
    if stream:
        lines += ["## Memory over a stream", "",
                  f"samrank (minilm, `extract_many`, batch 32) over {stream.get('docs')} synthetic documents "
                  "(3-9 random Inspec sentences each), generated lazily:", "",
                  "| peak RSS at document 1,000 | at the last document | growth | docs/s |", "|---|---|---|---|"]
        if "error" in stream:
            lines.append(f"| failed: {stream['error']} | | | |")
        elif stream.get("rss_at_1000_mb") is None:  # a stream shorter than 1,000 documents
            lines.append(f"| | {stream['rss_at_end_mb']:.0f} MB | | {stream['docs'] / stream['seconds']:.1f} |")
        else:
            growth = stream["rss_at_end_mb"] / stream["rss_at_1000_mb"] - 1
            lines.append(f"| {stream['rss_at_1000_mb']:.0f} MB | {stream['rss_at_end_mb']:.0f} MB | "
                         f"{100 * growth:+.1f}% | {stream['docs'] / stream['seconds']:.1f} |")
        lines.append("")
    if accuracy:
        lines += ["## Fast path accuracy", "",
                  "Default settings on whole datasets, F1@5 / F1@10 / F1@15 (protocol as in docs/RESULTS.md):",
                  "", "| dataset | PyTorch path | ONNX Runtime fast path | largest difference |", "|---|---|---|---|"]
        for dataset, pair in accuracy.items():
            gap = max(abs(a - b) for a, b in zip(pair["torch"], pair["onnx"]))
            lines.append(f"| {dataset} | {f1_text(pair['torch'])} | {f1_text(pair['onnx'])} | {gap:.2f} |")
        lines.append("")
    path.write_text("\n".join(lines))
