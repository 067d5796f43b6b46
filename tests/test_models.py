"""models._is_decoder and prepare() on a bidirectional Gemma 3 text model (EmbeddingGemma's kind),
built tiny in memory: no download, no real weights."""

from __future__ import annotations

from types import SimpleNamespace

import torch

from samrank import models
from samrank.readers.base import sink_index

from .conftest import WORDS, word_tokenizer


def gemma3_config(**flags):
    from transformers import Gemma3TextConfig

    return Gemma3TextConfig(vocab_size=len(WORDS) + 4, hidden_size=16, intermediate_size=24, num_hidden_layers=2,
                            num_attention_heads=2, num_key_value_heads=1, head_dim=8, max_position_embeddings=48,
                            sliding_window=16, pad_token_id=0, bos_token_id=2, eos_token_id=3, **flags)


def test_bidirectional_gemma3_is_an_encoder():
    assert models._is_decoder(gemma3_config()) is True  # gemma3_text: a causal-LM class, no masked-LM one
    assert models._is_decoder(gemma3_config(use_bidirectional_attention=True)) is False


def test_gemma4_spelling_of_the_flag():
    # Gemma 4 spells it "all" (every token) or "vision" (vision tokens only: text stays causal)
    assert models._is_decoder(SimpleNamespace(model_type="gemma3_text", use_bidirectional_attention="all")) is False
    assert models._is_decoder(SimpleNamespace(model_type="gemma3_text", use_bidirectional_attention="vision")) is True


def test_prepare_frames_a_bidirectional_gemma3_as_an_encoder():
    from transformers import Gemma3TextModel

    torch.manual_seed(0)
    config = gemma3_config(use_bidirectional_attention=True)
    config._attn_implementation = "eager"
    loaded = models.prepare(Gemma3TextModel(config).eval(), word_tokenizer(encoder=True), name="tiny-gemma3-bidi")
    assert not loaded.is_decoder
    assert (loaded.prefix_ids, loaded.suffix_ids) == ((2,), (3,))  # [CLS] text [SEP], as the tokenizer wraps it
    assert loaded.max_length == 48  # max positions (the tokenizer allows 64), not a decoder window
    assert sink_index(loaded, 10) == 9  # the closing special token, not the first text token
    # and transformers does read it both ways: attention above the diagonal
    with torch.no_grad():
        out = loaded.model(torch.tensor([[2, 5, 6, 7, 3]]), output_attentions=True)
    assert out.attentions[0][0].triu(1).abs().sum() > 0


def test_the_split_mpnet_is_found_in_a_fresh_interpreter():
    """unpacked_mpnet reads the parts' package metadata; in a process where nothing had imported
    importlib.metadata yet it failed with AttributeError (seen in `make bench`'s subprocesses)."""
    import subprocess
    import sys

    code = ("from samrank.model_files import unpacked_mpnet\n"
            "from samrank.models import ModelNotFoundError\n"
            "try:\n    print(unpacked_mpnet().is_dir())\n"
            "except ModelNotFoundError as error:\n    print('not installed:', error)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True" or done.stdout.startswith("not installed:")
