"""Reading attention with PyTorch, safely shared by threads.

The reader runs a private shell of the model: a copy of its module tree that shares every weight
tensor (no memory cost) but has its own hooks and its own attention configuration. The layers
that are read run eager attention (the only kind that returns the weights) and capture them
through hooks fixed once at construction; every other layer runs the model's fused attention
(SDPA) when it has one. The forward pass stops inside the last read layer. Captured maps go to
per-thread state, so any number of threads may read at once, and the user's model object is
never changed.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

import numpy as np

from ..models import LoadedModel
from .base import Reader, Reduce


class _LayerReached(Exception):
    """Raised from a hook to stop the forward pass once the wanted attention is captured."""


def layer_stack(model):
    """The model's ``ModuleList`` of transformer layers."""
    import torch.nn as nn

    wanted = int(model.config.num_hidden_layers)
    for module in model.modules():
        if isinstance(module, nn.ModuleList) and len(module) == wanted:
            return module
    raise ValueError(f"cannot find the {wanted} transformer layers of {type(model).__name__}")


def private_shell(module):
    """A copy of a module tree sharing the parameters and buffers but not the hook tables or the
    submodule tables, so that hooks and attributes set on it stay invisible to the original;
    in eval mode."""
    shell = copy.copy(module)
    shell.training = False  # inference: no dropout, whatever mode the original is in
    for name, value in vars(module).items():
        if "hooks" in name and isinstance(value, dict):
            setattr(shell, name, OrderedDict(value))
    shell._modules = OrderedDict((name, None if child is None else private_shell(child))
                                 for name, child in module._modules.items())
    return shell


def _is_attention(module) -> bool:
    return "attention" in type(module).__name__.lower()


class TorchReader(Reader):
    """Reads ``layers`` of ``loaded`` with PyTorch (see the module docstring) on ``device``
    ("cpu", "cuda", "cuda:1", "mps"). Off the CPU the reader keeps its own copy of the weights
    on the device and runs the windows of a text in padded batches of ``batch_windows``."""

    def __init__(self, loaded: LoadedModel, layers, device: str = "cpu", batch_windows: int | None = None):
        super().__init__(loaded, layers)
        import torch

        self._torch = torch
        self.device = torch.device(device)
        model = loaded.model
        if self.device.type == "cpu":
            self.shell = private_shell(model)
        else:
            self.shell = private_shell(copy.deepcopy(model).to(self.device))
        self.batch_windows = batch_windows or (1 if self.device.type == "cpu" else 16)
        pad = getattr(loaded.tokenizer, "pad_token_id", None)
        self._pad = int(pad) if pad is not None else 0
        eager = copy.copy(model.config)
        eager._attn_implementation = "eager"
        fused = copy.copy(model.config)
        fused._attn_implementation = "sdpa"
        use_fused = bool(getattr(model, "_supports_sdpa", False))
        stack = layer_stack(self.shell)
        for module in self.shell.modules():
            if getattr(module, "config", None) is model.config:
                module.config = eager
        for index, layer in enumerate(stack):
            read = index in self.layers
            for module in layer.modules():
                if module is not layer and hasattr(module, "config") and _is_attention(module):
                    module.config = eager if read or not use_fused else fused
                if read and _is_attention(module):
                    module.register_forward_hook(self._capture(index))
        self._state = threading.local()
        self._kwargs = {}
        if "attentions" not in (getattr(model, "_can_record_outputs", None) or {}):
            self._kwargs["output_attentions"] = True  # older model code returns weights only when asked
        if loaded.is_decoder:
            self._kwargs["use_cache"] = False

    def _capture(self, layer: int):
        torch = self._torch

        def hook(module, inputs, output):
            state = self._state
            if layer in state.results:  # an outer attention module repeats the inner one's weights
                return
            for item in output if isinstance(output, tuple) else (output,):
                if isinstance(item, torch.Tensor) and item.dim() == 4 and item.shape[-2:] == (state.n, state.n):
                    state.results[layer] = [reduce(item[i, :, :n, :n].float().cpu().numpy())
                                            for i, (reduce, n) in enumerate(zip(state.reduces, state.lengths))]
                    if layer == self.layers[-1]:
                        raise _LayerReached
                    return
        return hook

    def read(self, window_ids: np.ndarray, reduce: Reduce) -> list[np.ndarray]:
        return self.read_many([window_ids], [reduce])[0]

    def read_many(self, windows: list[np.ndarray], reduces: list[Reduce]) -> list[list[np.ndarray]]:
        """One forward pass over all ``windows``, padded on the right and masked."""
        torch = self._torch
        rows = [self.with_special_tokens(ids) for ids in windows]
        n = max(len(row) for row in rows)
        ids = torch.tensor([row + [self._pad] * (n - len(row)) for row in rows], device=self.device)
        mask = torch.tensor([[1] * len(row) + [0] * (n - len(row)) for row in rows], device=self.device)
        state = self._state
        state.results, state.reduces, state.lengths, state.n = {}, reduces, [len(r) for r in rows], n
        try:
            with torch.inference_mode():
                self.shell(input_ids=ids, attention_mask=mask, **self._kwargs)
        except _LayerReached:
            pass
        results, state.results, state.reduces = state.results, {}, None
        missing = [layer for layer in self.layers if layer not in results]
        if missing:
            raise RuntimeError(f"{type(self.loaded.model).__name__} did not expose attention weights at "
                               f"layer(s) {missing}; samrank needs eager attention")
        return [[results[layer][i] for layer in self.layers] for i in range(len(rows))]
