"""One 5 MB document through samrank (minilm): time, windows and peak RSS.

    .venv/bin/python benchmarks/huge_document.py [MEGABYTES]

The text is SemEval2010 full-text papers joined until it reaches the size asked for.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from samrank import KeyphraseExtractor
from samrank.readers import encode

DATA = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))


def main(megabytes: float = 5.0) -> None:
    papers = [json.loads(line)["text"] for line in open(DATA / "semeval2010_fulltext.jsonl", encoding="utf-8")]
    size = int(megabytes * 1_000_000)
    text, i = "", 0
    while len(text) < size:
        text += papers[i % len(papers)] + "\n\n"
        i += 1
    text = text[:size]
    extractor = KeyphraseExtractor()
    extractor.extract("Warm-up text about keyphrase extraction.")
    started = time.perf_counter()
    keyphrases = extractor.extract(text, top_n=10)
    seconds = time.perf_counter() - started
    windows = len(encode(extractor.loaded, text).windows)
    print(json.dumps({"characters": len(text), "windows": windows, "seconds": round(seconds, 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "top": [k.phrase for k in keyphrases[:5]]}))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)
