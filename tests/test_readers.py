"""Windows, encoding and attention reading on tiny in-memory models."""

import math

import numpy as np
import pytest
import torch

from samrank.readers import encode, make_reader, overlapping_bounds, sink_index, window_bounds
from samrank.readers.torch_reader import TorchReader


def read_maps(loaded, ids, layers, backend="torch"):
    return make_reader(loaded, layers, backend).read(ids, lambda maps: maps)


@pytest.mark.parametrize("capacity", [1, 2, 7, 510])
def test_windows_cover_every_token_once_and_fit(capacity):
    for n in range(0, 3 * capacity + 5):
        bounds = window_bounds(n, capacity)
        assert len(bounds) == math.ceil(n / capacity)
        covered = [i for a, b in bounds for i in range(a, b)]
        assert covered == list(range(n))
        lengths = [b - a for a, b in bounds]
        assert all(0 < length <= capacity for length in lengths)
        assert not lengths or max(lengths) - min(lengths) <= 1


def test_window_capacity_must_be_positive():
    with pytest.raises(ValueError):
        window_bounds(5, 0)


def test_encode_keeps_offsets_and_plans_windows_with_room_for_specials(bert):
    text = " ".join(["graph based ranking model for keyphrase extraction"] * 6)
    encoded = encode(bert, text, max_length=16)
    assert len(encoded.ids) == 42
    for start, end, token in zip(encoded.starts, encoded.ends, encoded.ids):
        assert bert.tokenizer.convert_ids_to_tokens(int(token)) == text[start:end].lower()
    assert all(b - a + 2 <= 16 for a, b in encoded.windows)  # [CLS] ... [SEP]
    assert encoded.windows[0][0] == 0 and encoded.windows[-1][1] == 42
    assert encoded.window_of(np.array([0, 13, 14, 41])).tolist() == [0, 0, 1, 2]
    short = encode(bert, text, max_length=8)
    assert all(b - a + 2 <= 8 for a, b in short.windows)


def test_token_range_maps_character_spans_to_the_tokens_they_overlap(bert):
    text = "graph based ranking model"
    encoded = encode(bert, text)
    first, end = encoded.token_range(np.array([0, 6, 12, 2]), np.array([11, 11, 25, 4]))
    assert first.tolist() == [0, 1, 2, 0] and end.tolist() == [2, 2, 4, 1]  # part of a token is that token


def test_read_equals_full_forward_stops_at_the_layer_and_leaves_the_model_alone(bert):
    ids = np.array([4, 5, 6, 7, 8, 9])
    later_layer_ran = []
    hook = bert.model.encoder.layer[2].register_forward_hook(lambda *a: later_layer_ran.append(1))
    hooks_before = [dict(m._forward_hooks) for m in bert.model.modules()]
    try:
        maps = read_maps(bert, ids, [1])[0]
        # nothing of the reader is left on the user's model: no hooks, no attributes, same config
        assert [dict(m._forward_hooks) for m in bert.model.modules()] == hooks_before
    finally:
        hook.remove()
    assert later_layer_ran == []
    for module in bert.model.modules():
        assert not [k for k in vars(module) if k.startswith("_samrank")]
        assert getattr(module, "config", bert.model.config) is bert.model.config
    assert bert.model.config._attn_implementation == "eager"
    with torch.inference_mode():
        full = bert.model(torch.tensor([[2, *ids, 3]]), output_attentions=True).attentions[1][0]
    np.testing.assert_allclose(maps, full.numpy(), rtol=1e-6)
    assert maps.shape == (2, 8, 8)
    np.testing.assert_allclose(maps.sum(-1), 1, rtol=1e-5)


def test_decoder_reads_raw_text_and_is_causal(llama):
    maps = read_maps(llama, np.array([4, 5, 6, 7]), [2])[0]
    assert maps.shape == (2, 4, 4)  # no special tokens added
    assert np.allclose(np.triu(maps, k=1), 0)
    np.testing.assert_allclose(maps.sum(-1), 1, rtol=1e-5)


def test_sinks(bert, llama):
    assert sink_index(bert, 10) == 9  # the final [SEP]
    assert sink_index(llama, 10) == 0  # the first token


@pytest.mark.parametrize("which", ["bert", "llama"])
def test_layers_not_read_run_fused_attention_with_the_same_result(which, request):
    loaded = request.getfixturevalue(which)
    ids = np.array([4, 5, 6, 7, 8, 9])
    kernels = []  # the kernel layer 0's attention runs with, call by call
    layer0 = [m for m in loaded.model.modules() if "SelfAttention" in type(m).__name__
              or type(m).__name__ == "LlamaAttention"][0]
    hook = layer0.register_forward_pre_hook(lambda m, args: kernels.append(m.config._attn_implementation))
    try:  # hooks the user put on the model before a reader is made still fire in the reader
        alone = read_maps(loaded, ids, [2])[0]  # layers 0-1 fused
        all_eager = read_maps(loaded, ids, [0, 1, 2])[2]
    finally:
        hook.remove()
    assert kernels == ["sdpa", "eager"]
    np.testing.assert_allclose(alone, all_eager, rtol=1e-4, atol=1e-6)


def test_overlapping_windows_and_their_homes():
    windows, homes = overlapping_bounds(100, 40, 0.5)
    assert windows[0] == (0, 40) and windows[-1] == (60, 100)
    assert all(b - a == 40 for a, b in windows)
    assert all(b2 - a2 > 0 and a <= a2 and b2 <= b for (a, b), (a2, b2) in zip(windows, homes))
    assert homes[0][0] == 0 and homes[-1][1] == 100
    assert all(h1[1] == h2[0] for h1, h2 in zip(homes, homes[1:]))  # homes tile the text once
    for (a, b), (a2, b2) in zip(windows[1:-1], homes[1:-1]):  # each home lies around its centre
        assert a2 - a >= 5 and b - b2 >= 5
    assert overlapping_bounds(30, 40, 0.5) == ([(0, 30)], [(0, 30)])
    with pytest.raises(ValueError):
        overlapping_bounds(100, 40, 1.0)


def test_overlapping_windows_score_every_token_once(bert):
    text = " ".join(["graph based ranking finds keyphrase extraction models"] * 12)
    plain = encode(bert, text, max_length=20)
    overlapped = encode(bert, text, max_length=20, overlap=0.5)
    assert len(overlapped.windows) > len(plain.windows)
    scores = TorchReader(bert, [1]).token_scores(overlapped, "both", head=0)
    assert scores.shape == (1, 1, len(overlapped.ids)) and np.isfinite(scores).all()
    home = overlapped.segments[1]  # the window_of mapping follows the homes
    assert (overlapped.window_of(np.arange(*home)) == 1).all()


def test_one_head_scores_the_same_bits_alone_or_among_all(bert):
    encoded = encode(bert, "graph based ranking model for keyphrase extraction of text documents")
    reader = TorchReader(bert, [0, 2])
    every = reader.token_scores(encoded, "both")
    assert every.shape == (2, 2, len(encoded.ids))
    assert np.array_equal(reader.token_scores(encoded, "both", head=1)[:, 0], every[:, 1])


@pytest.mark.parametrize("which", ["bert", "llama"])
def test_onnx_fast_path_reads_the_same_maps(which, request, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    loaded = request.getfixturevalue(which)
    ids = np.array([4, 5, 6, 7, 8, 9, 10])
    exact = read_maps(loaded, ids, [0, 2])
    quick = make_reader(loaded, [0, 2], "onnx")
    for a, b in zip(exact, quick.read(ids, lambda maps: maps)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert list(tmp_path.glob("onnx/*-layers-0-2-pooled.onnx"))  # exported once, kept in the cache
    shorter = quick.read(ids[:3], lambda maps: maps)[1]  # any length
    np.testing.assert_allclose(shorter, read_maps(loaded, ids[:3], [2])[0], rtol=1e-4, atol=1e-6)


def test_a_model_in_training_mode_is_read_without_dropout_and_left_in_training_mode(bert):
    ids = np.array([4, 5, 6, 7, 8, 9])
    expected = read_maps(bert, ids, [1])[0]
    bert.model.train()
    try:
        again = [read_maps(bert, ids, [1])[0] for _ in range(2)]
        assert bert.model.training
    finally:
        bert.model.eval()
    for maps in again:
        np.testing.assert_array_equal(maps, expected)


@pytest.mark.parametrize("which", ["bert", "llama"])
def test_padded_batches_of_windows_read_what_windows_one_by_one_read(which, request):
    loaded = request.getfixturevalue(which)
    reader = TorchReader(loaded, [0, 2], batch_windows=4)
    text = " ".join(["graph based ranking finds keyphrase extraction models"] * 9)
    encoded = encode(loaded, text, max_length=20)
    assert len({b - a for a, b in encoded.windows}) > 1 and len(encoded.windows) > 1  # padding happens
    one_by_one = TorchReader(loaded, [0, 2]).token_scores(encoded, "both")
    np.testing.assert_allclose(reader.token_scores(encoded, "both"), one_by_one, rtol=1e-5, atol=1e-7)


def test_devices_are_checked_and_auto_picks_what_the_machine_has():
    from samrank import Settings
    from samrank.readers import resolve_device

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda", "mps")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="this machine has 0 CUDA device"):
            resolve_device("cuda:1")
    with pytest.raises(ValueError, match="device must be cpu, cuda, cuda:N, mps or auto"):
        Settings(device="gpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_reads_the_cpu_maps(bert):
    encoded = encode(bert, "graph based ranking model for keyphrase extraction of text documents")
    on_gpu = TorchReader(bert, [1], device="cuda").token_scores(encoded, "both")
    np.testing.assert_allclose(on_gpu, TorchReader(bert, [1]).token_scores(encoded, "both"), rtol=1e-4, atol=1e-6)
    assert next(bert.model.parameters()).device.type == "cpu"  # the user's model stays where it was


@pytest.mark.parametrize("model", ["bert", "llama"])
def test_a_reader_that_reads_the_last_layer_pools_each_window_as_the_embedder_does(model, request):
    from samrank.readers.base import with_special_tokens
    from samrank.readers.embedder import Embedder

    loaded = request.getfixturevalue(model)
    encoded = encode(loaded, "graph based ranking model for keyphrase extraction " * 6, max_length=14)
    assert len(encoded.windows) > 2
    last = make_reader(loaded, [0, loaded.num_layers - 1], "onnx")
    scores, vectors = last.read_text(encoded, "both", pooled_windows=2)
    assert last.pools and len(vectors) == 2
    np.testing.assert_array_equal(scores, last.token_scores(encoded, "both"))  # the scores are unchanged
    embedder = Embedder(loaded)  # its own pass, through PyTorch
    own = [embedder._batch([with_special_tokens(loaded, encoded.ids[a:b])])[0] for a, b in encoded.windows[:2]]
    np.testing.assert_allclose(vectors, own, atol=1e-5)
    np.testing.assert_allclose(embedder.text_vector(encoded, vectors), embedder.text_vector(encoded), atol=1e-5)
    assert last.read_text(encoded, "both")[1] == []  # none asked for
    earlier = make_reader(loaded, [0], "onnx")  # the pass ends before the last layer: no vector
    assert not earlier.pools and earlier.read_text(encoded, "both", pooled_windows=2)[1] == [None, None]
    torch_reader = TorchReader(loaded, [loaded.num_layers - 1])  # stops inside the layer: no vector
    assert torch_reader.read_text(encoded, "both", pooled_windows=2)[1] == [None, None]


def test_a_model_that_will_not_export_its_pooled_vector_is_still_read_by_onnx_runtime(bert, tmp_path, monkeypatch):
    from samrank.readers import onnx_reader

    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    plain_export = onnx_reader.export

    def refuse_pooled(loaded, layers, path, pooled=False):
        if pooled:
            raise onnx_reader.FastPathError("no pooled output here")
        plain_export(loaded, layers, path)

    monkeypatch.setattr(onnx_reader, "export", refuse_pooled)
    reader = make_reader(bert, [bert.num_layers - 1], "onnx")
    assert reader.backend == "onnx" and not reader.pools
    encoded = encode(bert, "graph based ranking model for keyphrase extraction")
    scores, vectors = reader.read_text(encoded, "both", pooled_windows=2)
    assert vectors == [None]
    np.testing.assert_allclose(scores, TorchReader(bert, [bert.num_layers - 1]).token_scores(encoded, "both"),
                               rtol=1e-4, atol=1e-6)
