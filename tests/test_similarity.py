"""The phrase's nearness to its text in the model's embedding space (samrank/similarity.py,
readers/embedder.py) and where the pipeline applies it."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from samrank import KeyphraseExtractor, similarity
from samrank.readers import encode
from samrank.readers.embedder import TEXT_WINDOWS, Embedder, OnnxEmbedder, make_embedder
from samrank.settings import Settings


def test_relative_similarity_by_hand():
    cosines = np.array([0.5, 0.25, 0.4, 0.2, -0.3, 0.6])
    n_words = np.array([1, 1, 2, 2, 3, 4])
    got = similarity.relative_similarity(cosines, n_words)
    # each over the mean of its class: 1 word 0.375, 2 words 0.3, 3 or more (0.001, 0.6) 0.3005
    np.testing.assert_allclose(got, [0.5 / 0.375, 0.25 / 0.375, 0.4 / 0.3, 0.2 / 0.3,
                                     0.001 / 0.3005, 0.6 / 0.3005])
    assert similarity.relative_similarity(np.zeros(0), np.zeros(0, dtype=int)).shape == (0,)
    np.testing.assert_allclose(similarity.relative_similarity(np.array([np.nan, 0.3]), np.array([1, 1])),
                               [0.001 / 0.1505, 0.3 / 0.1505])  # no vector: the floor, never NaN


@given(st.lists(st.tuples(st.floats(-1, 1) | st.just(float("nan")), st.integers(1, 6)), min_size=1, max_size=40))
def test_relative_similarity_keeps_each_lengths_mean_and_order(pairs):
    cosines, n_words = (np.array(column) for column in zip(*pairs))
    got = similarity.relative_similarity(cosines, n_words)
    assert np.all(got > 0) and np.all(np.isfinite(got))
    classes = np.minimum(n_words, similarity.LONGEST_CLASS)
    for size in np.unique(classes):
        members = classes == size
        assert got[members].mean() == pytest.approx(1.0)  # the balance between lengths is untouched
        floored = np.clip(np.nan_to_num(cosines[members], nan=similarity.FLOOR), similarity.FLOOR, 1.0)
        assert np.all(np.diff(got[members][np.argsort(floored, kind="stable")]) >= -1e-12)


def test_cosines_of_unit_vectors():
    phrases = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    np.testing.assert_allclose(similarity.cosines(phrases, np.array([0.6, 0.8])), [0.6, 0.8, 1.0])
    assert similarity.cosines(np.zeros((0, 2)), np.array([1.0, 0.0])).shape == (0,)


def test_embedder_vectors_are_unit_and_do_not_depend_on_the_batch(bert):
    embedder = Embedder(bert)
    phrases = ["graph", "neural network model", "deep learning text document word words", "graph"]
    together = embedder.phrase_vectors(phrases)
    alone = np.concatenate([embedder.phrase_vectors([p]) for p in phrases])
    np.testing.assert_allclose(together, alone, atol=1e-5)  # padding and sorting change nothing
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0)
    np.testing.assert_allclose(together[0], together[3], atol=1e-6)  # float32: the kernel may differ by row
    text = embedder.text_vector(encode(bert, "we use a graph based ranking model"))
    assert text.shape == (32,) and np.linalg.norm(text) == pytest.approx(1.0)
    assert embedder.text_vector(encode(bert, "")).shape == (0,)


def test_phrases_are_read_in_batches_of_one_length_without_padding(bert, monkeypatch):
    from samrank.readers import embedder as module

    calls = []
    original = Embedder._batch
    monkeypatch.setattr(Embedder, "_batch", lambda self, rows: calls.append([len(r) for r in rows]) or original(self, rows))
    monkeypatch.setattr(module, "PHRASES_PER_BATCH", 2)
    phrases = ["graph", "neural network model", "text", "deep learning", "word", "neural network"]
    vectors = Embedder(bert).phrase_vectors(phrases)
    assert all(len(set(lengths)) == 1 and len(lengths) <= 2 for lengths in calls)
    assert sum(map(len, calls)) == len(phrases)
    np.testing.assert_allclose(vectors, np.concatenate([Embedder(bert).phrase_vectors([p]) for p in phrases]), atol=1e-6)


def test_onnx_and_pytorch_embed_alike(bert):
    phrases = ["graph", "neural network model", "deep learning text document word words"]
    text = encode(bert, "we use a graph based ranking model for keyphrase extraction")
    torch_path, onnx_path = Embedder(bert), make_embedder(bert, "onnx")
    assert (torch_path.backend, onnx_path.backend) == ("torch", "onnx")
    np.testing.assert_allclose(onnx_path.phrase_vectors(phrases), torch_path.phrase_vectors(phrases), atol=1e-5)
    np.testing.assert_allclose(onnx_path.text_vector(text), torch_path.text_vector(text), atol=1e-5)
    assert make_embedder(bert, "torch").backend == "torch"


def test_a_model_in_training_mode_is_embedded_without_dropout_and_left_as_it_was(bert):
    phrases = ["graph based ranking model", "neural network"]
    expected = Embedder(bert).phrase_vectors(phrases)
    bert.model.train()
    try:
        again = [Embedder(bert).phrase_vectors(phrases) for _ in range(2)]
        assert bert.model.training
    finally:
        bert.model.eval()
    for vectors in again:
        np.testing.assert_array_equal(vectors, expected)


def test_a_damaged_onnx_export_is_rebuilt(bert, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    reference = OnnxEmbedder(bert).phrase_vectors(["neural network"])
    [path] = list((tmp_path / "onnx").glob("*-embedding.onnx"))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.warns(RuntimeWarning, match="is unreadable .*rebuilding it"):
        again = OnnxEmbedder(bert).phrase_vectors(["neural network"])
    np.testing.assert_allclose(again, reference)


def test_a_long_text_is_read_from_its_first_windows(bert):
    embedder = Embedder(bert)
    start = "graph based ranking model for keyphrase extraction " * 20
    one, other = start + "neural network model " * 100, start + "deep learning text " * 100
    a, b = encode(bert, one, max_length=40), encode(bert, other, max_length=40)
    assert len(a.windows) > TEXT_WINDOWS + 1
    assert a.ids[:a.windows[TEXT_WINDOWS][0]].tolist() == b.ids[:b.windows[TEXT_WINDOWS][0]].tolist()
    np.testing.assert_allclose(embedder.text_vector(a), embedder.text_vector(b))  # what follows is not read


def test_run_weighs_each_phrase_by_its_relative_similarity_to_the_power(bert):
    plain = KeyphraseExtractor(bert, graph_weight=0.0)
    near = KeyphraseExtractor(bert, graph_weight=0.0, similarity_power=2.0)
    text = "We use a neural network model. The graph based ranking model is deep. Text and words."
    before, after = plain.pipeline.run(text), near.pipeline.run(text)
    found = before.candidates
    embedder = make_embedder(bert)  # what the pipeline uses: ONNX Runtime on the CPU
    assert isinstance(embedder, OnnxEmbedder)
    cosines = similarity.cosines(embedder.phrase_vectors(list(found.phrases)),
                                 embedder.text_vector(encode(bert, text)))
    weights = similarity.relative_similarity(cosines, found.n_words) ** 2.0
    assert not np.allclose(weights, 1.0)
    np.testing.assert_allclose(after.phrase_scores, before.phrase_scores * weights)
    assert KeyphraseExtractor(bert, graph_weight=0.0, similarity_power=0.0).pipeline.run(text).phrase_scores \
        .tolist() == before.phrase_scores.tolist()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_embeds_as_the_cpu_does(bert):
    phrases = ["graph", "neural network model", "deep learning text document word words"]
    text = encode(bert, "we use a graph based ranking model for keyphrase extraction")
    on_gpu, on_cpu = make_embedder(bert, "auto", "cuda"), Embedder(bert)
    assert (on_gpu.backend, on_gpu.device) == ("torch", "cuda")
    np.testing.assert_allclose(on_gpu.phrase_vectors(phrases), on_cpu.phrase_vectors(phrases), atol=1e-5)
    np.testing.assert_allclose(on_gpu.text_vector(text), on_cpu.text_vector(text), atol=1e-5)
    assert next(bert.model.parameters()).device.type == "cpu"  # the user's model stays where it was


def test_the_text_vector_comes_from_the_readers_own_pass(bert, monkeypatch):
    text = "We use a neural network model. The graph based ranking model is deep. Text and words."
    expected = KeyphraseExtractor(bert, similarity_power=1.0, backend="torch").pipeline.run(text).phrase_scores
    read = []
    original = Embedder._batch
    monkeypatch.setattr(Embedder, "_batch", lambda self, rows: read.extend(rows) or original(self, rows))
    run = KeyphraseExtractor(bert, similarity_power=1.0, backend="onnx").pipeline.run(text)
    np.testing.assert_allclose(run.phrase_scores, expected, rtol=1e-5)
    # the phrases alone, each once: the text's window was pooled by the attention pass
    assert len(read) == len(run.candidates.phrases) and max(map(len, read)) < len(run.encoded.ids)


def test_the_cosines_are_kept_in_the_disk_cache(bert, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    text = "We use a neural network model. The graph based ranking model is deep."
    first = KeyphraseExtractor(bert, similarity_power=1.0, cache=True).pipeline.run(text).phrase_scores

    def refuse(*_):
        raise AssertionError("read again")

    with monkeypatch.context() as refusing:
        refusing.setattr(Embedder, "phrase_vectors", refuse)
        again = KeyphraseExtractor(bert, similarity_power=1.0, cache=True).pipeline.run(text).phrase_scores
    np.testing.assert_allclose(again, first)
    for stored in tmp_path.rglob("*.npz"):  # a damaged file is read as none and written again
        stored.write_bytes(b"junk")
    np.testing.assert_allclose(KeyphraseExtractor(bert, similarity_power=1.0, cache=True).pipeline.run(text)
                               .phrase_scores, first)


def test_similarity_settings():
    assert Settings(model="mpnet").resolved(12, 12).similarity_power == 0.0  # off for other models
    assert Settings.create("samrank", model="minilm").resolved(6, 12).similarity_power == 0.0
    with pytest.raises(ValueError, match="similarity_power must be at least 0"):
        Settings(similarity_power=-0.5)
    assert "similarity power 1.5" in Settings(similarity_power=1.5).describe()
    assert "similarity power" not in Settings(similarity_power=0.0).describe()


def test_the_command_line_takes_the_power(tmp_path):
    from click.testing import CliRunner

    from samrank.cli import main

    text = "Photosynthesis converts light energy into chemical energy in the chloroplasts of plant cells."
    with_power = CliRunner().invoke(main, ["extract", "--similarity-power", "1.5", "-n", "3", "-"], input=text)
    assert with_power.exit_code == 0, with_power.output
    expected = [k.phrase for k in KeyphraseExtractor(similarity_power=1.5).extract(text, 3)]
    assert all(phrase in with_power.output for phrase in expected)
    bad = CliRunner().invoke(main, ["extract", "--similarity-power", "-1", "-"], input=text)
    assert bad.exit_code == 2 and "--similarity-power" in bad.output and "Traceback" not in bad.output


def test_minilm_reads_a_topic_word_nearer_its_text_than_an_aside():
    text = ("Photosynthesis converts light energy into chemical energy in chloroplasts. Chlorophyll "
            "absorbs light, and the Calvin cycle fixes carbon dioxide into sugars. The authors met on "
            "a weekend trip.")
    pipeline = KeyphraseExtractor("minilm").pipeline
    pipeline = pipeline.for_language("en")
    embedder = Embedder(pipeline.loaded)
    vectors = embedder.phrase_vectors(["photosynthesis", "chlorophyll", "weekend trip", "authors"])
    cosines = similarity.cosines(vectors, embedder.text_vector(encode(pipeline.loaded, text)))
    assert min(cosines[:2]) > max(cosines[2:])


def test_minilm_similarity_power_is_what_the_committed_grid_chose():
    # docs/NAMES_similarity_choice.json is written by `benchmarks/names_rule.py --choose-similarity`
    chosen = json.loads((Path(__file__).parents[1] / "docs" / "NAMES_similarity_choice.json").read_text())["chosen"]
    assert Settings(model="minilm").resolved(6, 12).similarity_power == chosen["similarity_power"]
