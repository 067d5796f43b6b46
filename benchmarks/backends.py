"""PyTorch against ONNX Runtime (what backend="auto" picks on the CPU): the same rankings? how fast?

Each document's keyphrases from both backends (default settings, English), one document at a
time after a warm-up, on the first N documents of Inspec and of 500N-KPCrowd.

    .venv/bin/python benchmarks/backends.py [--inspec 300] [--kpcrowd 100] [--out docs/BACKENDS.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from samrank import KeyphraseExtractor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine  # noqa: E402

DATA = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))


def compare(texts: list[str]) -> dict:
    found, speed = {}, {}
    for backend in ("torch", "onnx"):
        extractor = KeyphraseExtractor(backend=backend, language="en")
        extractor.extract("A warm-up text about keyphrase extraction.")
        started = time.perf_counter()
        found[backend] = [[(k.phrase, k.score) for k in extractor.extract(text)] for text in texts]
        speed[backend] = round(len(texts) / (time.perf_counter() - started), 2)
    pairs = list(zip(found["torch"], found["onnx"]))
    return {
        "documents": len(texts), "docs_per_s": speed, "onnx_speed_up": round(speed["onnx"] / speed["torch"], 2),
        "same_rankings": sum([p for p, _ in a] == [p for p, _ in b] for a, b in pairs),
        "max_relative_score_difference": max((abs(x[1] - y[1]) / max(abs(x[1]), 1e-12)
                                              for a, b in pairs for x, y in zip(a, b)), default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inspec", type=int, default=300)
    parser.add_argument("--kpcrowd", type=int, default=100)
    parser.add_argument("--out", default="docs/BACKENDS.json")
    args = parser.parse_args()
    result = {"machine": machine(), "load_average_at_start": os.getloadavg()}
    for name, limit in (("inspec", args.inspec), ("500n_kpcrowd", args.kpcrowd)):
        texts = [json.loads(line)["text"] for line in open(DATA / f"{name}.jsonl", encoding="utf-8")][:limit]
        result[name] = compare(texts)
        print(name, result[name], flush=True)
    result["load_average_at_end"] = os.getloadavg()
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
