"""Real packaged models on real benchmark documents."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from samrank import KeyphraseExtractor
from samrank.readers import encode
from samrank.evaluation import stem_phrase

from .conftest import read_dataset

pytestmark = pytest.mark.slow


def check_spans(text, results):
    for keyphrase in results:
        assert keyphrase.spans, keyphrase
        for start, end in keyphrase.spans:
            assert re.sub(r"\s+", " ", text[start:end]).lower() == keyphrase.phrase.lower().replace("\n", " ") or \
                text[start:end].lower().split() == keyphrase.phrase.lower().split()


@pytest.fixture(scope="module")
def inspec():
    return read_dataset("inspec", limit=20)


@pytest.mark.parametrize("model,layer,head", [("minilm", 5, 5), ("smollm2", 10, 1), ("mpnet", 3, 3)])
def test_packaged_models_find_gold_keyphrases_with_correct_spans(model, layer, head, inspec):
    extractor = KeyphraseExtractor(model, layer=layer, head=head)
    hits = 0
    for doc in inspec:
        results = extractor.extract(doc["text"], top_n=10)
        assert 0 < len(results) <= 10
        assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
        check_spans(doc["text"], results)
        gold = {stem_phrase(k) for k in doc["keyphrases"]}
        hits += sum(stem_phrase(r.phrase) in gold for r in results)
    assert hits >= 2 * len(inspec), f"{model}: only {hits} gold keyphrases in the top 10 of {len(inspec)} abstracts"


@pytest.mark.parametrize("model,doc", [("minilm", "DEFAULTS.json"), ("mpnet", "DEFAULTS_mpnet.json"),
                                       ("smollm2", "DEFAULTS_smollm2.json")])
def test_model_defaults_are_what_the_committed_selection_chose(model, doc, inspec):
    # docs/DEFAULTS*.json is written by benchmarks/defaults.py; the library must ship its choice.
    chosen = json.loads((Path(__file__).parents[1] / "docs" / doc).read_text())
    heads, weighting, single, length, position = re.match(
        r"top(\d+) (\w+) single=(\w+) length=([\d.]+) position=([\d.]+)", chosen["chosen"]).groups()
    ranked = tuple(tuple(h) for h in chosen["heads_ranked"])[: int(heads)]
    settings = KeyphraseExtractor(model).pipeline.resolved
    assert settings.model == chosen["model"] == model
    assert settings.heads == ranked and settings.head_weighting == weighting
    assert (settings.single_words, settings.length_power, settings.position_power) == \
        (single, float(length), float(position))


def test_onnx_fast_path_gives_the_same_keyphrases(inspec, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))  # export afresh, as a new user would
    exact, quick = KeyphraseExtractor(), KeyphraseExtractor(backend="onnx")
    long_paper = read_dataset("semeval2010", limit=1)[0]["text"]  # several windows
    for text in [doc["text"] for doc in inspec[:10]] + [long_paper]:
        a, b = exact.extract(text), quick.extract(text)
        assert [k.phrase for k in a] == [k.phrase for k in b]
        assert [k.score for k in a] == pytest.approx([k.score for k in b], rel=1e-4)


def test_long_paper_in_windows_within_the_model_limit():
    doc = read_dataset("semeval2010", limit=1)[0]
    extractor = KeyphraseExtractor("minilm", layer=3, head=11)
    encoded = encode(extractor.loaded, doc["text"])
    assert len(encoded.windows) > 1
    assert all(b - a + 2 <= 512 for a, b in encoded.windows)
    assert encoded.windows[-1][1] == len(encoded.ids)  # no token dropped
    results = extractor.extract(doc["text"], top_n=15)
    assert len(results) == 15
    check_spans(doc["text"], results)


def test_long_document_tagged_in_pieces_finishes():
    # 300k characters: tagged in pieces, read in about 140 windows (5 MB works the same, slower).
    docs = read_dataset("semeval2010_fulltext", limit=12)
    text = "\n\n".join(d["text"] for d in docs)[:300_000]
    results = KeyphraseExtractor().extract(text, top_n=20)
    assert len(results) == 20
    check_spans(text, results)


@pytest.mark.parametrize("text", [
    "Die Energiewende verändert die Stromnetze in ganz Europa.",
    "机器学习正在改变自然语言处理。",
    "\x00\x07 \ufffd%%%% ;;;; 12 34",
])
def test_other_languages_and_junk_give_a_result_not_an_error(text):
    results = KeyphraseExtractor().extract(text)
    assert isinstance(results, list)
    check_spans(text, results)


def test_batched_pipeline_equals_one_by_one(inspec):
    # extract_many tags in a background thread and batches the tagger; results must not change.
    extractor = KeyphraseExtractor()
    texts = [doc["text"] for doc in inspec[:12]]
    assert list(extractor.extract_many(texts, batch_size=5)) == [extractor.extract(t) for t in texts]


def test_long_news_gets_the_word_graph_and_short_abstracts_keep_the_attention(inspec):
    default = KeyphraseExtractor()
    alone = KeyphraseExtractor(graph_weight=0.0, long_position_power=0.25)
    for doc in inspec[:10]:  # abstracts under 200 words: the attention's ranking, unchanged
        if len(doc["text"].split()) < 180:
            assert [k.phrase for k in default.extract(doc["text"])] == [k.phrase for k in alone.extract(doc["text"])]
    news = read_dataset("duc2001_dev", limit=20)
    hits = {"default": 0, "alone": 0}
    for doc in news:
        gold = {stem_phrase(k) for k in doc["keyphrases"]}
        ours = default.extract(doc["text"])
        check_spans(doc["text"], ours)
        assert not any(any(c.isdigit() for c in k.phrase) and not any(c.isalpha() for c in k.phrase) for k in ours)
        hits["default"] += sum(stem_phrase(k.phrase) in gold for k in ours)
        hits["alone"] += sum(stem_phrase(k.phrase) in gold for k in alone.extract(doc["text"]))
    # DUC2001 dev: F1@10 29.8 with the graph against 21.6 without (docs/GRAPH.md)
    assert hits["default"] > hits["alone"], hits
