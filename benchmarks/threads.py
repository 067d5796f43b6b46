"""One extractor shared by several threads: throughput and identical results: docs/THREADS.md.

    .venv/bin/python benchmarks/threads.py                       # 100 Inspec + 100 KPCrowd texts
    .venv/bin/python benchmarks/threads.py --per-set 5 --out /tmp/t.md   # a quick look

One ``KeyphraseExtractor()`` (minilm, default settings, PyTorch, no disk cache) is shared by a
thread pool of 1, 2, 4 and 8 workers, each calling ``extract(text, top_n=10)`` on the same texts;
``extract_many`` (one call, batch 32, the tagger a batch ahead in its own thread) is shown for
comparison. Every run's keyphrases (phrases, scores and spans) are compared with a plain loop's.
Each timing is the best of ``--repeats`` runs, after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch

from samrank import KeyphraseExtractor, __version__
from samrank.cli import default_data_dir
from samrank.datasets import read_dataset

ROOT = Path(__file__).resolve().parents[1]
SETS = ("inspec", "500n_kpcrowd")
THREADS = (1, 2, 4, 8)


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in lscpu.splitlines() if ":" in line)}
        cpu = (f"{fields['Model name']}, {fields['CPU(s)']} CPUs ({fields.get('Thread(s) per core', '?')} "
               f"thread(s) per core)")
    except (OSError, KeyError, ValueError):
        cpu = platform.processor() or platform.machine()
    return (f"{cpu} (lscpu), torch {torch.__version__} ({torch.get_num_threads()} intra-op threads), "
            f"Python {platform.python_version()}, samrank {__version__}")


def best_of(repeats: int, run) -> tuple[float, list]:
    """The shortest wall time of ``repeats`` runs, and the last run's results."""
    best, results = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        results = run()
        best = min(best, time.perf_counter() - started)
    return best, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-set", type=int, default=100, help="texts from each of Inspec and 500n_kpcrowd")
    parser.add_argument("--threads", nargs="+", type=int, default=list(THREADS))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--torch-threads", type=int, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "THREADS.md")
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    texts = [d.text for name in SETS for d in read_dataset(name, default_data_dir(), args.per_set)[1]]
    extractor = KeyphraseExtractor()
    for text in texts[:5] + texts[-5:]:
        extractor.extract(text, top_n=10)  # loads the model and the tagger, untimed
    load_before = os.getloadavg()

    def one(text):
        return extractor.extract(text, top_n=10)

    seconds, reference = best_of(args.repeats, lambda: [one(t) for t in texts])
    rows = [("plain loop, `extract`", 1, seconds, reference)]
    print(time.strftime("%H:%M:%S"), "loop", f"{seconds:.1f} s", file=sys.stderr, flush=True)
    for count in args.threads:
        with ThreadPoolExecutor(max_workers=count) as pool:
            seconds, results = best_of(args.repeats, lambda: list(pool.map(one, texts)))
        rows.append((f"thread pool, `extract`", count, seconds, results))
        print(time.strftime("%H:%M:%S"), count, "threads", f"{seconds:.1f} s", file=sys.stderr, flush=True)
    seconds, results = best_of(args.repeats, lambda: list(extractor.extract_many(texts, top_n=10, batch_size=32)))
    rows.append(("`extract_many` (batch 32)", 1, seconds, results))
    print(time.strftime("%H:%M:%S"), "extract_many", f"{seconds:.1f} s", file=sys.stderr, flush=True)
    load_after = os.getloadavg()

    base = rows[0][2]
    lines = ["# One extractor shared by threads", "",
             f"Produced by `benchmarks/threads.py"
             + (f" --per-set {args.per_set}" if args.per_set != 100 else "")
             + (f" --repeats {args.repeats}" if args.repeats != 2 else "")
             + (f" --torch-threads {args.torch_threads}" if args.torch_threads else "") + "`; raw numbers in the JSON file "
             f"beside it. Machine: {machine()}. Model minilm, `KeyphraseExtractor()` (default settings, "
             f"PyTorch, no disk cache), {len(texts)} texts: the first {args.per_set} of Inspec and of "
             f"500n_kpcrowd, `top_n=10`. Each time is the best of {args.repeats} runs after a warm-up. "
             f"Load average (1/5/15 min) {'/'.join(f'{x:.1f}' for x in load_before)} before and "
             f"{'/'.join(f'{x:.1f}' for x in load_after)} after: the machine was shared with other "
             "work, so the ratios say more than the absolute numbers; and there a process with more "
             "threads also takes a larger share of the CPUs from the other work, so a speed-up beyond "
             f"the {os.cpu_count()} CPUs is the scheduler's, not the library's.", "",
             "Identical: the keyphrases of every text (phrase, score and spans, compared exactly) are "
             "the same as the plain loop's.", "",
             "| how | threads | docs/s | vs plain loop | identical |", "|---|---|---|---|---|"]
    raw = []
    for how, count, seconds, results in rows:
        same = sum(a == b for a, b in zip(results, reference))
        identical = "yes" if same == len(texts) and len(results) == len(texts) else f"no ({same}/{len(texts)})"
        lines.append(f"| {how} | {count} | {len(texts) / seconds:.1f} | {base / seconds:.2f}x | {identical} |")
        raw.append({"how": how, "threads": count, "seconds": seconds, "docs": len(texts), "identical_texts": same})
    lines.append("")
    args.out.write_text("\n".join(lines))
    args.out.with_suffix(".json").write_text(json.dumps({"machine": machine(), "load_before": load_before,
                                                         "load_after": load_after, "rows": raw}, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
