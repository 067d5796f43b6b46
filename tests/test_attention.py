"""Windows, encoding and attention reading on tiny in-memory models."""

import math

import numpy as np
import pytest
import torch

from samrank import attention


@pytest.mark.parametrize("capacity", [1, 2, 7, 510])
def test_windows_cover_every_token_once_and_fit(capacity):
    for n in range(0, 3 * capacity + 5):
        bounds = attention.window_bounds(n, capacity)
        assert len(bounds) == math.ceil(n / capacity)
        covered = [i for a, b in bounds for i in range(a, b)]
        assert covered == list(range(n))
        lengths = [b - a for a, b in bounds]
        assert all(0 < length <= capacity for length in lengths)
        assert not lengths or max(lengths) - min(lengths) <= 1


def test_window_capacity_must_be_positive():
    with pytest.raises(ValueError):
        attention.window_bounds(5, 0)


def test_encode_keeps_offsets_and_plans_windows_with_room_for_specials(bert):
    text = " ".join(["graph based ranking model for keyphrase extraction"] * 6)
    encoded = attention.encode(bert, text, max_length=16)
    assert len(encoded.ids) == 42
    for start, end, token in zip(encoded.starts, encoded.ends, encoded.ids):
        assert bert.tokenizer.convert_ids_to_tokens(int(token)) == text[start:end].lower()
    assert all(b - a + 2 <= 16 for a, b in encoded.windows)  # [CLS] ... [SEP]
    assert encoded.windows[0][0] == 0 and encoded.windows[-1][1] == 42
    assert encoded.window_of(np.array([0, 13, 14, 41])).tolist() == [0, 0, 1, 2]
    short = attention.encode(bert, text, max_length=8)
    assert all(b - a + 2 <= 8 for a, b in short.windows)


def test_read_attention_equals_full_forward_and_stops_at_the_layer(bert):
    ids = np.array([4, 5, 6, 7, 8, 9])
    later_layer_ran = []
    hook = bert.model.encoder.layer[2].register_forward_hook(lambda *a: later_layer_ran.append(1))
    try:
        maps = attention.read_attention(bert, ids, layer=1)
    finally:
        hook.remove()
    assert later_layer_ran == []
    with torch.inference_mode():
        full = bert.model(torch.tensor([[2, *ids, 3]]), output_attentions=True).attentions[1][0]
    np.testing.assert_allclose(maps, full.numpy(), rtol=1e-6)
    assert maps.shape == (2, 8, 8)
    np.testing.assert_allclose(maps.sum(-1), 1, rtol=1e-5)


def test_decoder_reads_raw_text_and_is_causal(llama):
    maps = attention.read_attention(llama, np.array([4, 5, 6, 7]), layer=2)
    assert maps.shape == (2, 4, 4)  # no special tokens added
    assert np.allclose(np.triu(maps, k=1), 0)
    np.testing.assert_allclose(maps.sum(-1), 1, rtol=1e-5)


def test_sinks(bert, llama):
    assert attention.sink_index(bert, 10) == 9  # the final [SEP]
    assert attention.sink_index(llama, 10) == 0  # the first token


@pytest.mark.parametrize("which", ["bert", "llama"])
def test_layers_not_read_run_fused_attention_with_the_same_result(which, request):
    loaded = request.getfixturevalue(which)
    ids = np.array([4, 5, 6, 7, 8, 9])
    kernels = []  # the kernel layer 0's attention runs with, call by call
    hooks = [m.register_forward_pre_hook(lambda m, args: kernels.append(m.config._attn_implementation))
             for m in attention._attention_modules(loaded.model)[0]]
    try:
        alone = attention.read_layers(loaded, ids, [2], lambda maps: maps)[0]  # layers 0-1 fused
        all_eager = attention.read_layers(loaded, ids, [0, 1, 2], lambda maps: maps)[2]
    finally:
        for hook in hooks:
            hook.remove()
    assert kernels == ["sdpa", "eager"]
    np.testing.assert_allclose(alone, all_eager, rtol=1e-4, atol=1e-6)
    modules = [m for layer in attention._attention_modules(loaded.model) for m in layer]
    assert all(m.config is loaded.model.config for m in modules)  # put back after the pass


def test_overlapping_windows_and_their_homes():
    windows, homes = attention.overlapping_bounds(100, 40, 0.5)
    assert windows[0] == (0, 40) and windows[-1] == (60, 100)
    assert all(b - a == 40 for a, b in windows)
    assert all(b2 - a2 > 0 and a <= a2 and b2 <= b for (a, b), (a2, b2) in zip(windows, homes))
    assert homes[0][0] == 0 and homes[-1][1] == 100
    assert all(h1[1] == h2[0] for h1, h2 in zip(homes, homes[1:]))  # homes tile the text once
    # each home lies around its window's centre
    for (a, b), (a2, b2) in zip(windows[1:-1], homes[1:-1]):
        assert a2 - a >= 5 and b - b2 >= 5
    assert attention.overlapping_bounds(30, 40, 0.5) == ([(0, 30)], [(0, 30)])
    with pytest.raises(ValueError):
        attention.overlapping_bounds(100, 40, 1.0)


def test_overlapping_windows_score_every_token_once(bert):
    from samrank.extractor import document_token_scores

    text = " ".join(["graph based ranking finds keyphrase extraction models"] * 12)
    plain = attention.encode(bert, text, max_length=20)
    overlapped = attention.encode(bert, text, max_length=20, overlap=0.5)
    assert len(overlapped.windows) > len(plain.windows)
    scores = document_token_scores(bert, overlapped, [1], "both", head=0)
    assert scores.shape == (1, 1, len(overlapped.ids)) and np.isfinite(scores).all()
    # the window_of mapping follows the homes
    home = overlapped.segments[1]
    assert (overlapped.window_of(np.arange(*home)) == 1).all()


@pytest.mark.parametrize("which", ["bert", "llama"])
def test_onnx_fast_path_reads_the_same_maps(which, request, tmp_path, monkeypatch):
    from samrank import fast

    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path))
    monkeypatch.setattr(fast, "_READERS", {})
    loaded = request.getfixturevalue(which)
    ids = np.array([4, 5, 6, 7, 8, 9, 10])
    exact = attention.read_layers(loaded, ids, [0, 2], lambda maps: maps)
    quick = fast.reader(loaded, [0, 2])(loaded, ids, [0, 2], lambda maps: maps)
    for a, b in zip(exact, quick):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert list(tmp_path.glob("onnx/*-layers-0-2.onnx"))  # exported once, kept in the cache
    shorter = fast.reader(loaded, [0, 2])(loaded, ids[:3], [2], lambda maps: maps)[0]  # any length
    np.testing.assert_allclose(shorter, attention.read_layers(loaded, ids[:3], [2], lambda m: m)[0],
                               rtol=1e-4, atol=1e-6)
