"""Shared fixtures: tiny in-memory models with a word-level tokenizer, and benchmark documents."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import torch

from samrank import models

DATASETS = Path(os.environ.get("SAMRANK_DATA", Path(__file__).resolve().parents[2] / "shared" / "datasets"))

WORDS = ("graph based ranking model for keyphrase extraction the a is of and we use attention "
         "network networks neural deep learning text document word words").split()


def word_tokenizer(encoder: bool):
    """A fast word-level tokenizer over WORDS; the encoder variant wraps text in [CLS] ... [SEP]."""
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    vocab = {w: i for i, w in enumerate(specials + WORDS)}
    backend = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    backend.normalizer = normalizers.Lowercase()
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    if encoder:
        backend.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", model_max_length=64)


def tiny_bert():
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(WORDS) + 4, hidden_size=32, num_hidden_layers=3,
                        num_attention_heads=2, intermediate_size=37, max_position_embeddings=64)
    config._attn_implementation = "eager"
    return models.prepare(BertModel(config).eval(), word_tokenizer(encoder=True), name="tiny-bert")


def tiny_llama():
    from transformers import LlamaConfig, LlamaModel

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(WORDS) + 4, hidden_size=32, num_hidden_layers=3,
                         num_attention_heads=2, num_key_value_heads=2, intermediate_size=37,
                         max_position_embeddings=64)
    config._attn_implementation = "eager"
    return models.prepare(LlamaModel(config).eval(), word_tokenizer(encoder=False), name="tiny-llama")


@pytest.fixture(scope="session")
def bert():
    return tiny_bert()


@pytest.fixture(scope="session")
def llama():
    return tiny_llama()


def read_dataset(name: str, limit: int | None = None) -> list[dict]:
    path = DATASETS / f"{name}.jsonl"
    if not path.exists():
        pytest.skip(f"benchmark data not found at {path}")
    with open(path, encoding="utf-8") as handle:
        lines = [json.loads(line) for _, line in zip(range(limit or 10**9), handle)]
    return lines
