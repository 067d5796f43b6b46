"""Reading self-attention maps: tokenise with character offsets, cut windows, run one layer.

The forward pass stops as soon as the requested layer's attention probabilities exist: later
layers (and that layer's feed-forward block) are never computed, and no other layer's attention
is kept.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .models import LoadedModel


@dataclass(frozen=True)
class Encoded:
    """A text's tokens (no special tokens) with character spans, and its forward-pass windows."""

    ids: np.ndarray
    starts: np.ndarray  # character span of each token in the text
    ends: np.ndarray
    windows: list[tuple[int, int]]  # token ranges [a, b), each run in its own forward pass
    homes: list[tuple[int, int]] | None = None  # per window, the tokens it scores (None: all)

    @property
    def segments(self) -> list[tuple[int, int]]:
        """The tokens each window scores: the windows themselves, or with overlapping windows
        the part of each that is nearer its centre than any other window's centre."""
        return self.homes or self.windows

    def window_of(self, token: np.ndarray) -> np.ndarray:
        """Which window scores each token index."""
        firsts = np.array([a for a, _ in self.segments], dtype=np.int64)
        return np.searchsorted(firsts, token, side="right") - 1


def window_bounds(n_tokens: int, capacity: int) -> list[tuple[int, int]]:
    """Split ``n_tokens`` into the fewest non-overlapping windows of at most ``capacity`` tokens,
    with lengths differing by at most one; every token lands in exactly one window."""
    if capacity < 1:
        raise ValueError("a window must hold at least one token")
    if n_tokens <= 0:
        return []
    count = math.ceil(n_tokens / capacity)
    base, extra = divmod(n_tokens, count)
    bounds, start = [], 0
    for k in range(count):
        end = start + base + (1 if k < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


def overlapping_bounds(n_tokens: int, capacity: int, overlap: float) -> tuple[list, list]:
    """Windows of ``capacity`` tokens, consecutive ones sharing about ``overlap`` of their length,
    spread evenly from the first token to the last; and each window's home: the tokens nearer
    its centre than any other's. Scoring a token in its home window gives it context on both
    sides, so no token sits at a window's cut."""
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1); got {overlap!r}")
    if n_tokens <= capacity or overlap == 0.0:
        bounds = window_bounds(n_tokens, capacity)
        return bounds, bounds
    stride = max(1, int(capacity * (1.0 - overlap)))
    count = math.ceil((n_tokens - capacity) / stride) + 1
    starts = np.round(np.linspace(0, n_tokens - capacity, count)).astype(int).tolist()
    windows = [(a, a + capacity) for a in starts]
    cuts = [0] + [(a + b + capacity) // 2 for a, b in zip(starts, starts[1:])] + [n_tokens]
    return windows, list(zip(cuts, cuts[1:]))


def encode(loaded: LoadedModel, text: str, max_length: int | None = None, overlap: float = 0.0) -> Encoded:
    """Tokenise ``text`` once and plan windows that fit the model with its special tokens
    (``overlap``: the share of a window that the next one repeats; see ``overlapping_bounds``)."""
    limit = min(max_length or loaded.max_length, loaded.max_length)
    capacity = limit - len(loaded.prefix_ids) - len(loaded.suffix_ids)
    encoding = loaded.tokenizer(
        text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
    )
    ids = np.asarray(encoding["input_ids"], dtype=np.int64)
    offsets = np.asarray(encoding["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    windows, homes = overlapping_bounds(len(ids), capacity, overlap)
    return Encoded(ids, offsets[:, 0], offsets[:, 1], windows, homes if homes != windows else None)


def sink_index(loaded: LoadedModel, window_length: int) -> int | None:
    """The token whose received attention is a sink: a decoder's first token, an encoder's final
    separator. An encoder without a closing special token has no sink."""
    if loaded.is_decoder:
        return 0
    return window_length - 1 if loaded.suffix_ids else None


class _LayerReached(Exception):
    """Raised from a hook to stop the forward pass once the wanted attention is captured."""


def _layer_stack(model):
    import torch.nn as nn

    wanted = int(model.config.num_hidden_layers)
    for module in model.modules():
        if isinstance(module, nn.ModuleList) and len(module) == wanted:
            return module
    raise ValueError(f"cannot find the {wanted} transformer layers of {type(model).__name__}")


def _attention_modules(model) -> list[list]:
    """Per layer, the modules that pick the attention kernel from their ``config`` (found once)."""
    found = getattr(model, "_samrank_attention_modules", None)
    if found is None:
        found = [[m for m in layer.modules() if hasattr(m, "config") and m is not layer
                  and "attention" in type(m).__name__.lower()] for layer in _layer_stack(model)]
        model._samrank_attention_modules = found
    return found


def _fused_attention_elsewhere(model, wanted: set[int] | None) -> None:
    """Let every layer whose weights are not read run the model's fused attention (SDPA): the
    same hidden states to float tolerance, and faster. Those layers' attention modules get a
    copy of the config naming "sdpa"; the read layers keep eager attention, the only kind that
    returns the weights. ``wanted=None`` puts every layer back on the model's own config.
    Models without SDPA support are left as they are."""
    if not getattr(model, "_supports_sdpa", False):
        return
    wanted = set(range(len(_attention_modules(model)))) if wanted is None else wanted
    fused = getattr(model, "_samrank_sdpa_config", None)
    if fused is None:
        fused = copy.copy(model.config)
        fused._attn_implementation = "sdpa"
        model._samrank_sdpa_config = fused
    for layer, modules in enumerate(_attention_modules(model)):
        for module in modules:
            module.config = model.config if layer in wanted else fused


def read_attention(loaded: LoadedModel, window_ids: np.ndarray, layer: int) -> np.ndarray:
    """Attention probabilities of every head of ``layer`` for one window: ``(heads, n, n)``.

    ``window_ids`` are text tokens; the model's special tokens are added here.
    """
    return read_layers(loaded, window_ids, [layer], lambda maps: maps)[0]


def read_layers(loaded: LoadedModel, window_ids: np.ndarray, layers: Sequence[int],
                reduce: Callable[[np.ndarray], np.ndarray]) -> list[np.ndarray]:
    """One forward pass over a window, up to the last of ``layers``; each wanted layer's maps
    ``(heads, n, n)`` go through ``reduce`` as soon as they exist and only its result is kept,
    so a sweep over every layer never holds more than one layer's attention."""
    import torch

    model = loaded.model
    ids = [*loaded.prefix_ids, *np.asarray(window_ids).tolist(), *loaded.suffix_ids]
    n = len(ids)
    wanted = sorted(set(layers))
    results: dict[int, np.ndarray] = {}

    def capture(layer: int):
        def hook(module, inputs, output):
            if layer in results:  # an outer attention module repeats the inner one's weights
                return
            for item in output if isinstance(output, tuple) else (output,):
                if isinstance(item, torch.Tensor) and item.dim() == 4 and item.shape[-2:] == (n, n):
                    results[layer] = reduce(item[0].float().numpy())
                    if layer == wanted[-1]:
                        raise _LayerReached
                    return
        return hook

    stack = _layer_stack(model)
    _fused_attention_elsewhere(model, set(wanted))
    hooks = [
        sub.register_forward_hook(capture(layer))
        for layer in wanted
        for sub in stack[layer].modules()
        if "attention" in type(sub).__name__.lower()
    ]
    kwargs = {}
    if "attentions" not in (getattr(model, "_can_record_outputs", None) or {}):
        kwargs["output_attentions"] = True  # older model code returns weights only when asked
    if loaded.is_decoder:
        kwargs["use_cache"] = False
    try:
        with torch.inference_mode():
            model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, n, dtype=torch.long),
                  **kwargs)
    except _LayerReached:
        pass
    finally:
        for hook in hooks:
            hook.remove()
        _fused_attention_elsewhere(model, None)
    missing = [layer for layer in wanted if layer not in results]
    if missing:
        raise RuntimeError(
            f"{type(model).__name__} did not expose attention weights at layer(s) {missing}; "
            "samrank needs eager attention"
        )
    return [results[layer] for layer in layers]
