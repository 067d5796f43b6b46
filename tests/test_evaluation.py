"""The evaluation protocol on hand-made predictions, and on a few real documents."""

import json
import re

import pytest

from samrank import KeyphraseExtractor
from samrank.datasets import read_dataset
from samrank.evaluation import Score, document_scores, evaluate, paired_bootstrap, stem_phrase, sweep


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


def test_each_document_keeps_its_own_f1():
    score = Score()
    score.add("a", ["x", "y"], ["x"])
    score.add("b", [], ["x"])
    assert score.by_document == {"a": [pytest.approx(2 / 3)] * 3, "b": [0.0, 0.0, 0.0]}
    assert score.f1s()[1] == pytest.approx(100 * (2 / 3) / 2)


def test_paired_bootstrap_by_hand():
    # every document 0.1 better: the difference is 10 points whatever the resampling
    assert paired_bootstrap([0.3, 0.5, 0.2], [0.2, 0.4, 0.1]) == pytest.approx((10.0, 10.0, 10.0))
    # one document of two decides: the interval runs from no gain to the whole gain
    mean, low, high = paired_bootstrap([0.0, 0.4], [0.0, 0.0], samples=2000)
    assert mean == pytest.approx(20.0) and low == pytest.approx(0.0) and high == pytest.approx(40.0)
    # the same documents, the same interval; the interval widens as fewer documents decide
    a = [0.1 * (i % 7) for i in range(200)]
    b = [0.1 * ((i + 3) % 7) for i in range(200)]
    assert paired_bootstrap(a, b) == paired_bootstrap(a, b)
    first = paired_bootstrap(a, b)
    assert first[1] < first[0] < first[2] and first[1] < 0 < first[2]
    with pytest.raises(ValueError, match="equally long"):
        paired_bootstrap([0.1], [0.1, 0.2])


def test_pre_stemmed_gold_is_used_as_given():
    score = Score()
    score.add("1", ["generalization"], ["gener"], gold_stemmed=True, ks=(5,))
    assert score.averages()["r@5"] == 100.0


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    from .conftest import read_dataset as shared

    docs = shared("inspec", limit=6)
    docs.append({"id": "no-gold", "text": docs[0]["text"], "keyphrases": []})
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs))
    return read_dataset(str(path))[1], docs


def score_by_hand(extractor, docs):
    """An independent scorer: extract's own top 15, stemmed, deduplicated, against stemmed gold."""
    from nltk.stem import PorterStemmer

    porter = PorterStemmer()
    stem = lambda phrase: " ".join(porter.stem(w) for w in phrase.lower().split())  # noqa: E731
    f1s = []
    for doc in docs:
        gold = {stem(g) for g in doc["keyphrases"]} - {""}
        if not gold:
            continue
        predicted = list(dict.fromkeys(stem(k.phrase) for k in extractor.extract(doc["text"], top_n=15)))[:10]
        hits = sum(p in gold for p in predicted)
        precision, recall = hits / max(len(predicted), 1), hits / len(gold)
        f1s.append(2 * precision * recall / (precision + recall) if hits else 0.0)
    return 100 * sum(f1s) / len(f1s)


@pytest.mark.slow
@pytest.mark.parametrize("settings", [{}, {"max_words": 1}, {"preset": "samrank", "layer": 3, "head": 11},
                                      {"dedupe": False, "stopwords": ["graph"], "max_length": 64,
                                       "window_overlap": 0.25}])
def test_evaluate_scores_exactly_what_extract_returns(small_dataset, settings):
    documents, docs = small_dataset
    extractor = KeyphraseExtractor(**settings)
    result = evaluate(documents, {"setting": extractor}, "small")
    assert result.docs == 6 and result.skipped == ["no-gold"]
    assert result.scores["setting"].averages()["f1@10"] == pytest.approx(score_by_hand(extractor, docs), abs=1e-9)


@pytest.mark.slow
def test_sweep_scores_each_head_as_that_head_alone_and_fills_the_cache(small_dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    documents, _ = small_dataset
    samrank = KeyphraseExtractor(preset="samrank", cache=True)
    every = sweep(documents, samrank, label="small")
    assert len(every.scores) == 72 and every.docs == 6 and every.skipped == ["no-gold"]
    assert list(tmp_path.rglob("*.npz")), "the sweep wrote the token-score cache"
    for layer, head in [(5, 5), (3, 11)]:
        alone = evaluate(documents, {"h": samrank.replace(heads=((layer, head),), cache=False)})
        assert every.record(layer, head)["f1@10"] == alone.record("h")["f1@10"]
        assert every.record(layer, head)["f1@15"] == alone.record("h")["f1@15"]
    cached = evaluate(documents, {"h": samrank.replace(heads=((3, 11),))})  # from the cache
    assert cached.record("h")["f1@5"] == every.record(3, 11)["f1@5"]


@pytest.mark.slow
def test_uniform_control_needs_no_attention(small_dataset):
    documents, _ = small_dataset
    control = evaluate(documents, {"control": KeyphraseExtractor(mode="uniform")})
    assert control.docs == 6 and 0 < control.record("control")["f1@10"] < 100
    assert control.record("control")["mode"] == "uniform"


def test_gold_fields(tmp_path):
    from samrank.datasets import Document, read_documents

    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "t", "keyphrases": ["Overlays"],
                                "keyphrases_stemmed": ["overlai"]}) + "\n\n"
                    + json.dumps({"text": "u", "keyphrases": ["x"]}) + "\n")
    assert list(read_documents(path)) == [Document("a", "t", ["overlai"], True), Document("3", "u", ["x"], False)]
    assert list(read_documents(path, surface_gold=True))[0] == Document("a", "t", ["Overlays"], False)
    assert list(read_documents(path, gold_stemmed=True))[1].gold_stemmed is True
    assert len(list(read_documents(path, limit=1))) == 1


def test_named_splits_keep_their_categories(tmp_path):
    path = tmp_path / "500n_kpcrowd.jsonl"
    ids = ["business-1", "sports-2", "crime-3", "tech-4"]
    path.write_text("".join(json.dumps({"id": i, "text": "t", "keyphrases": ["x"]}) + "\n" for i in ids))
    label, docs = read_dataset(f"{tmp_path}/500n_kpcrowd.jsonl:dev")
    assert label == "500n_kpcrowd:dev" and [d.id for d in docs] == ["business-1", "crime-3"]
    assert [d.id for d in read_dataset(f"{path}:test")[1]] == ["sports-2", "tech-4"]
    assert len(read_dataset(str(path))[1]) == 4
    with pytest.raises(ValueError, match="no split"):
        read_dataset(f"{path}:other")


@pytest.mark.parametrize("line,says", [
    ('{"text": "t", "keyphrases": [1, null]}', "g.jsonl:2: 'keyphrases' must be a list of strings"),
    ('{"text": "t", "keyphrases": "graph neural networks"}', "g.jsonl:2: 'keyphrases' must be a list of strings"),
    ('{"text": "t", "keyphrases_stemmed": [["x"]]}', "g.jsonl:2: 'keyphrases_stemmed' must be a list of strings"),
])
def test_bad_gold_is_named_by_file_and_line(tmp_path, line, says):
    """A gold field that is not a list of strings (a string would be read as its characters)."""
    from samrank.datasets import read_documents

    path = tmp_path / "g.jsonl"
    path.write_text('{"text": "t", "keyphrases": ["x"]}\n' + line + "\n")
    with pytest.raises(ValueError, match=re.escape(says)):
        list(read_documents(path))


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    from samrank.datasets import read_documents

    path = tmp_path / "g.jsonl"
    path.write_bytes(b'{"text": "t", "keyphrases": ["x"]}\n{"text": "\xff\xfe"}\n')
    with pytest.raises(ValueError, match="g.jsonl:2: not valid UTF-8"):
        list(read_documents(path))


@pytest.mark.slow
def test_extractors_of_other_languages_score_on_their_own_tags(bert):
    """evaluate tags once per language setting: a Spanish extractor beside an English one scores
    as it does alone (with the first extractor's tags it read English tags)."""
    from samrank.datasets import Document

    from .conftest import read_dataset as rows

    spanish = [Document(str(n), d["text"][:1500], d["keyphrases"], False) for n, d in enumerate(rows("wicc_es", 3))]
    english = KeyphraseExtractor(bert, layer=0, head=0, language="en")
    es = KeyphraseExtractor(bert, layer=0, head=0, language="es")
    together = evaluate(spanish, {"en": english, "es": es}).scores
    assert together["es"].by_document == evaluate(spanish, {"es": es}).scores["es"].by_document
    assert together["en"].by_document == evaluate(spanish, {"en": english}).scores["en"].by_document


@pytest.mark.slow
def test_sweep_reads_each_text_as_extract_does():
    """A sweep reads a text in its language's pipeline and readout: with model auto a Spanish
    text would be read by e5-small, not the model swept, so it says so; each head's record says
    that head is read in every text."""
    from samrank.datasets import Document

    from .conftest import read_dataset as rows

    spanish = [Document(str(n), d["text"][:1500], d["keyphrases"], False) for n, d in enumerate(rows("wicc_es", 2))]
    with pytest.raises(ValueError, match="not the swept model: sweep one model"):
        sweep(spanish, KeyphraseExtractor())
    e5 = KeyphraseExtractor(model="e5-small", language="es")
    swept = sweep(spanish, e5, heads=[(0, 0), (3, 4)])
    alone = evaluate(spanish, {"h": e5.replace(heads=((3, 4),), names_heads=(), long_heads=())})
    assert swept.record(3, 4)["f1@10"] == alone.record("h")["f1@10"]
    assert swept.settings[(3, 4)].names_heads == () and swept.settings[(3, 4)].long_heads == ()
