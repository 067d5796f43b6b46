"""Start-up of the command line: `samrank --help` and a one-sentence `samrank extract`, wall
clock in fresh processes (best of N after one run that fills the caches), and where a start's time
goes, phase by phase, in one fresh process.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--out docs/STARTUP.json] [--baseline-src DIR]

``--baseline-src``: also time an older samrank's ``src`` folder (e.g. a git worktree of an earlier
commit) the same way, interleaved run by run with this one, so both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import machine  # noqa: E402

SENTENCE = "Attention maps of transformers rank keyphrases well."
SAMRANK = str(Path(sys.executable).with_name("samrank"))

PHASES = f"""
import json, sys, time
marks = [("start", time.perf_counter())]
def mark(name):
    marks.append((name, time.perf_counter()))
import samrank.cli; mark("import samrank.cli")
from samrank.quick_start import import_spacy_without_torch; import_spacy_without_torch()
from samrank.candidates.en import load_tagger; load_tagger(); mark("spaCy tagger (thinc without torch, as the CLI does)")
torch_by_tagger = "torch" in sys.modules
from samrank.candidates import stem_phrase; stem_phrase("models"); mark("Porter stemmer (PyStemmer)")
from samrank import KeyphraseExtractor, models; models.load("minilm"); mark("model from its manifest")
ex = KeyphraseExtractor(); ex.pipeline.reader(ex.pipeline.layers); mark("reader (ONNX Runtime session)")
ex.extract({SENTENCE!r}); mark("first extract (language detector, tagging, reading)")
print(json.dumps({{"phases": [(b[0], round(b[1] - a[1], 3)) for a, b in zip(marks, marks[1:])],
                  "torch_imported_by_tagger": torch_by_tagger,
                  "transformers_imported": "transformers" in sys.modules}}))
"""


def wall(command: list[str], runs: int, env: dict | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, text=True, check=True, env=env)
        times.append(round(time.perf_counter() - started, 2))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default="docs/STARTUP.json")
    parser.add_argument("--baseline-src", help="an older samrank's src folder to time beside this one")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(SENTENCE)
    wall([SAMRANK, "extract", handle.name], 1)  # fills the caches: manifest, ONNX export
    extract, baseline = [], []
    for _ in range(args.runs):
        extract += wall([SAMRANK, "extract", handle.name], 1)
        if args.baseline_src:
            baseline += wall([sys.executable, "-m", "samrank.cli", "extract", handle.name], 1,
                             env={**os.environ, "PYTHONPATH": args.baseline_src})
    helps = wall([SAMRANK, "--help"], args.runs)
    phases = json.loads(subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True,
                                       check=True).stdout.splitlines()[-1])
    os.unlink(handle.name)
    result = {"machine": machine(), "load_average_1_5_15": os.getloadavg(), "one_sentence_extract_s": extract, "best_extract_s": min(extract),
              "help_s": helps, "best_help_s": min(helps), **phases}
    if baseline:
        result.update({"baseline_src": args.baseline_src, "baseline_extract_s": baseline,
                       "best_baseline_extract_s": min(baseline)})
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
