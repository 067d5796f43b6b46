"""Where the time of one ``extract`` goes, step by step: docs/WHERE_TIME_GOES.md.

    .venv/bin/python benchmarks/where_time_goes.py                 # 100 Inspec abstracts, 30 SemEval2010 papers
    .venv/bin/python benchmarks/where_time_goes.py --limit 10      # a quick look

Each step of ``KeyphraseExtractor().extract`` (the default settings, minilm, ONNX Runtime) is
timed on its own over the same documents, one document at a time, after a warm-up, by calling the
steps of ``Pipeline.run`` one by one: tagging with samrank's pipeline (and, for comparison, with
spaCy's stock pipeline of the same model: attribute ruler kept, thinc's own blis matrix products),
candidate selection, tokenising and the forward pass with the attention read, the text's token
scores from its heads, the phrases' embeddings (the similarity weight), phrase scores, the word
graph and its fusion, and ranking.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from samrank import KeyphraseExtractor
from samrank.candidates import TAGGER

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from machine import machine  # noqa: E402
from speed import documents  # noqa: E402  (the same documents as make bench)

SETS = {"inspec": 100, "semeval2010": 30}


def stock_tagger():
    import spacy

    nlp = spacy.load(TAGGER, exclude=["ner", "parser", "lemmatizer"])
    nlp.enable_pipe("senter")
    return nlp


STEPS = ["tagging (stock spaCy)", "tagging (samrank)", "candidates", "tokenising + forward pass + attention",
         "token scores of the text's heads", "phrases' embeddings (similarity weight)", "phrase scores",
         "word graph + fusion", "ranking"]


def profile(texts: list[str]) -> dict[str, float]:
    """Milliseconds per document of each step of ``Pipeline.run``, called one by one."""
    extractor = KeyphraseExtractor()
    pipeline = extractor.pipeline.for_language("en")
    stock = stock_tagger()
    extractor.extract(texts[0])
    stock(texts[0])
    steps = dict.fromkeys(STEPS, 0.0)
    for text in texts:
        started = time.perf_counter()
        stock(text)
        steps[STEPS[0]] += time.perf_counter() - started
        marks = [time.perf_counter()]
        tagged = pipeline.tag([text])[0]
        marks.append(time.perf_counter())
        found = pipeline.candidates(tagged, text)
        marks.append(time.perf_counter())
        if len(found):
            heads, weighting = pipeline.heads(tagged)
            encoded, by_layer, window_vectors = pipeline.read_pooled(text, heads=heads)
            marks.append(time.perf_counter())
            row = pipeline.heads_row(encoded, found, by_layer, heads, weighting)
            marks.append(time.perf_counter())
            weights = pipeline.similarity_weights(text, encoded, found, window_vectors)
            marks.append(time.perf_counter())
            scores = pipeline.phrase_scores(encoded, found, row, None, pipeline.position_power(tagged),
                                            pipeline.length_power(tagged), pipeline.rarity_power(tagged), weights,
                                            pipeline.word_count_power(tagged))
            marks.append(time.perf_counter())
            scores = pipeline.with_graph(tagged, found, scores)
            marks.append(time.perf_counter())
            pipeline.rank(text, found, scores, 10)
            marks.append(time.perf_counter())
        for name, a, b in zip(STEPS[1:], marks, marks[1:]):
            steps[name] += b - a
    return {name: 1000 * seconds / len(texts) for name, seconds in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="documents per dataset instead of 100 and 30")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "WHERE_TIME_GOES.md")
    args = parser.parse_args()
    results = {name: profile(documents(name, args.limit or count)) for name, count in SETS.items()}
    steps = list(next(iter(results.values())))
    lines = ["# Where the time of one `extract` goes", "",
             f"Produced by `benchmarks/where_time_goes.py{' --limit ' + str(args.limit) if args.limit else ''}` on "
             f"{machine()}, torch {torch.__version__} "
             f"({torch.get_num_threads()} threads): `KeyphraseExtractor()` (minilm, default "
             "settings, `backend=auto`: ONNX Runtime), the steps of `Pipeline.run` called one by one, "
             "one document at a time, milliseconds per document. "
             "samrank's end to end is the sum of every row but the stock tagger's, which is there "
             "for comparison: the same spaCy model with its attribute ruler and thinc's blis matrix "
             "products (samrank's pipeline gives the same tags; tests/test_candidates.py checks it).", "",
             "| step | " + " | ".join(f"{name} ({args.limit or SETS[name]} docs)" for name in SETS) + " |",
             "|---|" + "---|" * len(SETS)]
    for step in steps:
        lines.append(f"| {step} | " + " | ".join(f"{results[name][step]:.1f}" for name in SETS) + " |")
    total = {name: sum(v for k, v in results[name].items() if k != "tagging (stock spaCy)") for name in SETS}
    lines += ["| samrank end to end (sum) | " + " | ".join(f"{total[name]:.1f}" for name in SETS) + " |", ""]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
