"""Prepare the GPU check's inputs in .gpu/ (git-ignored): what a bare GPU machine lacks.

    .venv/bin/python benchmarks/device/prepare.py        # here, on the development machine
    # on the GPU machine, with .gpu/ carried (it holds the wheels the machine lacks):
    python3 -m pip install --no-deps --target /tmp/site .gpu/*.whl
    export PYTHONPATH=/tmp/site:.gpu/site:src
    python3 -m pytest -q tests/test_readers.py tests/test_similarity.py -k "cuda or reader or embed"
    python3 benchmarks/device/gpu_check.py       # -> $OUT/gpu.json

minilm's weights are stored in float16 (to travel under 64 MiB) and read back as float32 on both
sides; the 300 Inspec abstracts and the 1 MB document (SemEval2010 full texts joined) are tagged
here (the GPU machine has no spaCy), and the reference keyphrases are PyTorch on this CPU, with
minilm's default settings (the prepared model is not named "minilm", so they are passed here).
What samrank needs beyond that machine's image travels in .gpu/ too: wheels, and wordfreq's English word
lists in .gpu/site (its wheel, every language, would not fit).
"""

import copy
import json
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from safetensors.torch import save_file
from transformers import AutoTokenizer

from samrank import KeyphraseExtractor, models
from samrank.model_defaults import MODEL_DEFAULTS

DATA = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[3] / "shared" / "datasets"))
OUT = Path(__file__).resolve().parents[2] / ".gpu"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    loaded = models.load("minilm")
    model = loaded.model
    (OUT / "minilm").mkdir(exist_ok=True)
    model.config.save_pretrained(OUT / "minilm")
    save_file({k: v.half().contiguous() for k, v in model.state_dict().items()}, OUT / "minilm" / "weights_fp16.safetensors")
    AutoTokenizer.from_pretrained(models.resolve("minilm")).save_pretrained(OUT / "minilm")
    docs = [json.loads(line)["text"] for line in open(DATA / "inspec.jsonl", encoding="utf-8")][:300]
    papers = [json.loads(line)["text"] for line in open(DATA / "semeval2010_fulltext.jsonl", encoding="utf-8")]
    huge, i = "", 0
    while len(huge) < 1_000_000:
        huge += papers[i % len(papers)] + "\n\n"
        i += 1
    huge = huge[:1_000_000]
    tagged = KeyphraseExtractor(backend="torch", language="en").pipeline.tag(docs + [huge])
    rounded = copy.deepcopy(model)
    rounded.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
    reference = KeyphraseExtractor(models.prepare(rounded, loaded.tokenizer, name="minilm-fp16"),
                                   backend="torch", language="en", **MODEL_DEFAULTS["minilm"])
    refs = [[(k.phrase, k.score) for k in reference.pipeline.run(t, 10, tg).keyphrases]
            for t, tg in zip(docs, tagged[:300])]
    with open(OUT / "inputs.pkl", "wb") as handle:
        pickle.dump({"docs": docs, "huge": huge, "tagged": tagged, "ref": refs}, handle)


# what samrank needs beyond the GPU machine's image, at this venv's versions: pure Python, and
# PyStemmer built for that machine's Python (3.12, x86-64)
WHEELS = ("nltk", "defusedxml", "ftfy", "wcwidth", "langcodes", "locate")
BUILT_WHEELS = ("PyStemmer",)
DEVICE_PLATFORM = ["--python-version", "3.12", "--only-binary=:all:", "--platform", "manylinux_2_28_x86_64",
                   "--platform", "manylinux2014_x86_64"]


def wheels() -> None:
    from importlib.metadata import version

    download = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(OUT)]
    subprocess.run([*download, *(f"{name}=={version(name)}" for name in WHEELS)], check=True)
    subprocess.run([*download, *DEVICE_PLATFORM, *(f"{name}=={version(name)}" for name in BUILT_WHEELS)], check=True)
    # wordfreq's wheel (57 MB, every language) would not fit the 64 MiB that travel: its English
    # word lists only, unpacked into .gpu/site (on PYTHONPATH there)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([*download[:-1], scratch, f"wordfreq=={version('wordfreq')}"], check=True)
        with zipfile.ZipFile(next(Path(scratch).glob("wordfreq-*.whl"))) as wheel:
            for name in wheel.namelist():
                if not name.startswith("wordfreq/data/") or "_en." in name:
                    wheel.extract(name, OUT / "site")


if __name__ == "__main__":
    main()
    wheels()
