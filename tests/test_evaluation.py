"""The evaluation protocol on hand-made predictions, and on a few real documents."""

import json

import pytest

from samrank import SAMRANK, KeyphraseExtractor
from samrank.evaluation import Score, document_scores, evaluate, stem_phrase, top_stems

import numpy as np


def test_stemming_matches_reference_style():
    assert stem_phrase("Neural Networks") == "neural network"
    assert stem_phrase("  graph-based   ranking ") == "graph-bas rank"


def test_precision_divides_by_the_number_of_predictions_when_fewer_than_k():
    scores = document_scores(["a", "b"], {"a", "c", "d", "e"}, ks=(5,))
    assert scores["p@5"] == pytest.approx(1 / 2)  # tp / min(5, 2)
    assert scores["r@5"] == pytest.approx(1 / 4)
    assert scores["f1@5"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_no_predictions_and_no_hits_score_zero():
    assert document_scores([], {"a"}, ks=(5,)) == {"p@5": 0.0, "r@5": 0.0, "f1@5": 0.0}
    assert document_scores(["x", "y"], {"a"}, ks=(5,))["f1@5"] == 0.0


def test_duplicates_after_stemming_count_once_and_absent_gold_counts():
    score = Score()
    # "networks" and "network" stem alike: the second is dropped, so "model" moves up to rank 2.
    per_doc = score.add("d1", ["Networks", "network", "model", "x", "y", "z"],
                        ["neural network", "network", "models", "absent gold phrase"], ks=(2,))
    assert per_doc["p@2"] == 1.0 and per_doc["r@2"] == pytest.approx(2 / 4)


def test_empty_gold_is_skipped_and_reported_not_divided_by_zero():
    score = Score()
    assert score.add("empty", ["a"], []) is None
    assert score.add("blank", ["a"], ["  "]) is None
    assert score.skipped == ["empty", "blank"] and score.docs == 0 and score.averages() == {}
    score.add("ok", ["a"], ["a"], ks=(5,))
    assert score.averages() == {"p@5": 100.0, "r@5": 100.0, "f1@5": 100.0}


def test_macro_average_over_documents():
    score = Score()
    score.add("1", ["a"], ["a"], ks=(5,))
    score.add("2", ["b"], ["a"], ks=(5,))
    assert score.averages()["f1@5"] == pytest.approx(50.0)


def test_pre_stemmed_gold_is_used_as_given():
    score = Score()
    score.add("1", ["generalization"], ["gener"], gold_stemmed=True, ks=(5,))
    assert score.averages()["r@5"] == 100.0


def test_top_stems_dedupes_and_drops_unscored():
    scores = np.array([1.0, 3.0, np.nan, 3.0, 2.0])
    assert top_stems(scores, ["a", "b", "c", "b", "d"], k=3) == ["b", "d", "a"]


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    from .conftest import read_dataset

    docs = read_dataset("inspec", limit=6)
    docs.append({"id": "no-gold", "text": docs[0]["text"], "keyphrases": []})
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs))
    return path, docs


@pytest.mark.slow
def test_heads_sweep_evaluate_and_extract_agree(small_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    path, docs = small_dataset
    single = evaluate(str(path), "minilm", heads=[(5, 5)], cache=False)
    sweep = evaluate(str(path), "minilm", heads=None, cache=True)
    again = evaluate(str(path), "minilm", heads=[(5, 5), (3, 11)], cache=True)  # from the cache
    assert single.docs == 6 and single.skipped == ["no-gold"]
    assert len(sweep.scores) == 72
    assert single.record(5, 5)["f1@10"] == sweep.record(5, 5)["f1@10"] == again.record(5, 5)["f1@10"]
    assert sweep.record(3, 11)["f1@15"] == again.record(3, 11)["f1@15"]
    assert list(tmp_path.rglob("*.npz")), "the sweep wrote the token-score cache"

    # a single head is scored as SAMRank scores it; a named extractor with its own settings
    settings = {"samrank": KeyphraseExtractor("minilm", layer=5, head=5, **SAMRANK),
                "default": KeyphraseExtractor(), "dynamic": KeyphraseExtractor(
                    heads=[(5, 5), (3, 11), (4, 2)], head_weighting="dynamic", nested=False)}
    named = evaluate(str(path), "minilm", heads=[], extractors={"default": settings["default"],
                                                               "dynamic": settings["dynamic"]})
    for name, extractor in settings.items():
        by_hand = Score()
        for doc in docs:
            predicted = [k.phrase for k in extractor.extract(doc["text"], top_n=100)]
            by_hand.add(doc["id"], predicted, doc["keyphrases"])
        expected = single.scores[(5, 5)] if name == "samrank" else named.scores[name]
        assert by_hand.averages() == pytest.approx(expected.averages()), name


@pytest.mark.slow
def test_uniform_control_needs_no_attention(small_dataset):
    path, _ = small_dataset
    control = evaluate(str(path), "minilm", heads=[(0, 0)], method="uniform")
    assert control.docs == 6 and 0 < control.record(0, 0)["f1@10"] < 100


@pytest.mark.slow
def test_an_ensemble_of_one_head_scores_as_that_head(small_dataset):
    path, _ = small_dataset
    result = evaluate(str(path), "minilm", heads=[(5, 5)], ensembles={"alone": [(5, 5)], "pair": [(5, 5), (3, 11)]})
    alone, single = result.record("alone"), result.record(5, 5)
    assert alone["setting"] == "alone"
    assert [alone[f"f1@{k}"] for k in (5, 10, 15)] == [single[f"f1@{k}"] for k in (5, 10, 15)]
    assert result.record("pair")["docs"] == 6


def test_gold_fields(tmp_path):
    from samrank.evaluation import read_documents

    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "t", "keyphrases": ["Overlays"],
                                "keyphrases_stemmed": ["overlai"]}) + "\n\n"
                    + json.dumps({"text": "u", "keyphrases": ["x"]}) + "\n")
    assert list(read_documents(path)) == [("a", "t", ["overlai"], True), ("3", "u", ["x"], False)]
    assert list(read_documents(path, surface_gold=True))[0] == ("a", "t", ["Overlays"], False)
    assert list(read_documents(path, gold_stemmed=True))[1][3] is True
    assert len(list(read_documents(path, limit=1))) == 1


def test_named_splits_keep_their_categories(tmp_path):
    from samrank.evaluation import read_dataset

    path = tmp_path / "500n_kpcrowd.jsonl"
    ids = ["business-1", "sports-2", "crime-3", "tech-4"]
    path.write_text("".join(json.dumps({"id": i, "text": "t", "keyphrases": ["x"]}) + "\n" for i in ids))
    label, docs = read_dataset(f"{tmp_path}/500n_kpcrowd.jsonl:dev")
    assert label == "500n_kpcrowd:dev" and [d[0] for d in docs] == ["business-1", "crime-3"]
    assert [d[0] for d in read_dataset(f"{path}:test")[1]] == ["sports-2", "tech-4"]
    assert len(read_dataset(str(path))[1]) == 4
    with pytest.raises(ValueError, match="no split"):
        read_dataset(f"{path}:other")
