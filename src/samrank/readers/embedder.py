"""The model's embeddings of a text and of its candidate phrases: the last layer's token vectors,
mean-pooled over every position of a window (special tokens included: sentence-transformers'
pooling, which minilm and mpnet were trained with). A long text is read from its first
``TEXT_WINDOWS`` windows (the windows' means weighted by their lengths): its topic is set out at
its start (title, abstract, lead), and a book costs no more here than a page.

This is EmbedRank's and KeyBERT's signal: a keyphrase read alone means what the text means. It
runs on the CPU with PyTorch, from the weights the readers use, and keeps no state between calls.
"""

from __future__ import annotations

import numpy as np

from ..models import LoadedModel
from .base import Encoded

PHRASES_PER_BATCH = 64
TEXT_WINDOWS = 2


class Embedder:
    def __init__(self, loaded: LoadedModel):
        import torch

        self._torch = torch
        self.loaded = loaded
        self._pad = loaded.tokenizer.pad_token_id if loaded.tokenizer.pad_token_id is not None else 0

    def text_vector(self, encoded: Encoded) -> np.ndarray:
        """The text's unit vector from its first windows (those the readers read)."""
        rows = [self._with_special_tokens(encoded.ids[a:b].tolist()) for a, b in encoded.windows[:TEXT_WINDOWS]]
        if not rows:
            return np.zeros(0)
        pooled = np.stack([self._pooled([row])[0] * len(row) for row in rows]).sum(0)
        return _unit(pooled)

    def phrase_vectors(self, phrases: list[str]) -> np.ndarray:
        """One unit vector per phrase, each phrase read alone."""
        tokenizer = self.loaded.tokenizer
        rows = [self._with_special_tokens(tokenizer(p, add_special_tokens=False, verbose=False)["input_ids"])
                for p in phrases]
        order = np.argsort([len(r) for r in rows], kind="stable")  # like lengths together: less padding
        vectors: list[np.ndarray | None] = [None] * len(rows)
        for k in range(0, len(order), PHRASES_PER_BATCH):
            which = order[k:k + PHRASES_PER_BATCH]
            for n, vector in zip(which, self._pooled([rows[n] for n in which])):
                vectors[n] = vector
        return _unit(np.stack(vectors)) if vectors else np.zeros((0, 0))

    def _with_special_tokens(self, ids) -> list[int]:
        return [*self.loaded.prefix_ids, *ids, *self.loaded.suffix_ids]

    def _pooled(self, rows: list[list[int]]) -> np.ndarray:
        """Mean of the last layer over each row's own positions (padding left out)."""
        torch = self._torch
        n = max(len(row) for row in rows)
        ids = torch.tensor([row + [self._pad] * (n - len(row)) for row in rows])
        mask = torch.tensor([[1] * len(row) + [0] * (n - len(row)) for row in rows])
        with torch.inference_mode():
            out = self.loaded.model(input_ids=ids, attention_mask=mask, output_hidden_states=True,
                                    output_attentions=False)
        last = out.hidden_states[-1].float()
        weights = mask.unsqueeze(-1).to(last.dtype)
        return ((last * weights).sum(1) / weights.sum(1)).numpy().astype(np.float64)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
