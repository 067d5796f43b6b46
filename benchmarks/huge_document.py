"""Cost per character of one huge document against 300 Inspec abstracts, in the same run.

    .venv/bin/python benchmarks/huge_document.py [MEGABYTES] [--backend auto|torch|onnx] [--out FILE]

The huge text is SemEval2010 full-text papers joined (blank line between papers) until it reaches
the size asked for (1 MB by default). Issue 13 asks for a ratio of at most 2.0. Also reports the
peak RSS and what the long-text word graph and its fusion cost on the huge text alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from samrank import KeyphraseExtractor, fusion
from samrank.readers import encode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine  # noqa: E402

DATA = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))


def huge_text(size: int) -> str:
    papers = [json.loads(line)["text"] for line in open(DATA / "semeval2010_fulltext.jsonl", encoding="utf-8")]
    text, i = "", 0
    while len(text) < size:
        text += papers[i % len(papers)] + "\n\n"
        i += 1
    return text[:size]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("megabytes", nargs="?", type=float, default=1.0)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--out", help="also write the result (JSON) here")
    args = parser.parse_args()
    abstracts = [json.loads(line)["text"] for line in open(DATA / "inspec.jsonl", encoding="utf-8")][:300]
    text = huge_text(int(args.megabytes * 1_000_000))
    extractor = KeyphraseExtractor(backend=args.backend)
    extractor.extract("Warm-up text about keyphrase extraction.")

    started = time.perf_counter()
    for abstract in abstracts:
        extractor.extract(abstract, top_n=10)
    short_seconds = time.perf_counter() - started
    short_chars = sum(map(len, abstracts))

    started = time.perf_counter()
    run = extractor.pipeline.run(text, 10)
    huge_seconds = time.perf_counter() - started
    started = time.perf_counter()  # the long-text word graph and its fusion, timed alone
    fusion.fused(run.tagged, run.candidates, run.phrase_scores, 0.5)
    graph_seconds = time.perf_counter() - started
    per_char_short = short_seconds / short_chars
    per_char_huge = huge_seconds / len(text)
    result = {
        "machine": machine(), "load_average_at_end": os.getloadavg(), "backend": args.backend,
        "abstracts": len(abstracts), "abstract_characters": short_chars, "abstract_seconds": round(short_seconds, 1),
        "huge_characters": len(text), "huge_seconds": round(huge_seconds, 1),
        "huge_words": len(run.tagged.words), "huge_phrases": len(run.candidates),
        "graph_and_fusion_seconds": round(graph_seconds, 2),
        "windows": len(encode(extractor.loaded, text).windows),
        "cost_ratio_per_character": round(per_char_huge / per_char_short, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "top": [k.phrase for k in run.keyphrases[:5]],
    }
    print(json.dumps(result))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
