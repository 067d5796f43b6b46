"""The fast path: the model up to the last layer read, exported once to ONNX and run by ONNX Runtime.

Same float32 weights and the same attention maps as the PyTorch path (to float tolerance), so
the same keyphrases; only faster on CPU. The exported graph ends at the last layer read and
returns the attention probabilities of the layers read; where that is the model's last layer, also
the window's vector (its last layer averaged over every position: the embedder's pooling, which
then costs no pass of its own). It is kept in the samrank cache (``onnx/``), keyed by the weights'
fingerprint and the layers, and built on first use.
An ONNX Runtime session may be run by many threads at once.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

from .. import atomic
from ..models import LoadedModel, cache_dir
from .base import Reader, Reduce
from .torch_reader import layer_stack

_EXPORTING = threading.Lock()  # one export at a time: two threads must not write one file


class FastPathError(RuntimeError):
    """The model could not be exported or run by ONNX Runtime."""


class OnnxReader(Reader):
    """Reads the attention of ``layers`` with ONNX Runtime."""

    backend = "onnx"

    def __init__(self, loaded: LoadedModel, layers):
        super().__init__(loaded, layers)
        name = f"{loaded.fingerprint}-layers-{'-'.join(map(str, self.layers))}"
        if self.layers[-1] == loaded.num_layers - 1:
            try:
                self.session = cached_session(_onnx_folder() / f"{name}-pooled.onnx",
                                              lambda target: export(loaded, self.layers, target, True))
                self.pools = True
                return
            except FastPathError:
                pass  # a model whose last layer will not export pooled is still read without it
        self.session = cached_session(_onnx_folder() / f"{name}.onnx",
                                      lambda target: export(loaded, self.layers, target))

    def read(self, window_ids: np.ndarray, reduce: Reduce) -> list[np.ndarray]:
        return self._run(window_ids, reduce)[0]

    def read_many_pooled(self, windows, reduces):
        runs = [self._run(ids, reduce) for ids, reduce in zip(windows, reduces)]
        return [maps for maps, _ in runs], [vector for _, vector in runs]

    def _run(self, window_ids: np.ndarray, reduce: Reduce) -> tuple[list[np.ndarray], np.ndarray | None]:
        ids = np.array([self.with_special_tokens(window_ids)], dtype=np.int64)
        maps, *pooled = self.session.run(None, {"input_ids": ids})
        return [reduce(layer_maps) for layer_maps in maps], (pooled[0][0].astype(np.float64) if pooled else None)


def cached_session(path: Path, build: Callable[[Path], None]):
    """An ONNX Runtime session of the export at ``path``, built by ``build(path)`` when missing;
    a damaged one (truncated, overwritten) is rebuilt once, with a warning."""
    try:
        import onnxruntime
    except ImportError:
        raise FastPathError("backend='onnx' needs onnxruntime (pip install onnxruntime onnx)") from None

    with _EXPORTING:
        if not path.exists():
            build(path)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = _torch_threads()
    options.log_severity_level = 3
    # a session's idle threads otherwise spin for a while after each run, and a process holds
    # several (the readers', the embedder's): they would spin against one another's work
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:
        first = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        warnings.warn(f"samrank: the cached ONNX export {path} is unreadable ({first}); rebuilding it",
                      RuntimeWarning, stacklevel=5)
        with _EXPORTING:
            path.unlink(missing_ok=True)
            build(path)
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _torch_threads() -> int:
    """As many threads as the PyTorch path would use, without importing torch to ask: its
    setting when torch is loaded, else its default (one per core this process may run on)."""
    torch = sys.modules.get("torch")
    if torch is not None and hasattr(torch, "get_num_threads"):
        return torch.get_num_threads()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


def _onnx_folder() -> Path:
    """``onnx/`` in the samrank cache, or a folder for this process when that cannot be written
    (then the export is redone on each run; one warning)."""
    from ..model_files import _writable_folder

    return _writable_folder(cache_dir() / "onnx")


def export(loaded: LoadedModel, layers: tuple[int, ...], path: Path, pooled: bool = False) -> None:
    """Write the ONNX graph input_ids (1, n) -> attention (len(layers), heads, n, n) and, with
    ``pooled`` (the layers end at the model's last), the last layer's mean (1, hidden); atomically."""
    import torch

    model = copy.deepcopy(loaded.model)
    model.set_attn_implementation("eager")
    del layer_stack(model)[max(layers) + 1 :]
    model.config.num_hidden_layers = max(layers) + 1
    extra = {"use_cache": False} if loaded.is_decoder else {}

    class Attention(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids):
            out = self.model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                             output_attentions=True, output_hidden_states=pooled, **extra)
            maps = torch.stack([out.attentions[layer][0] for layer in layers])
            return (maps, out.hidden_states[-1].float().mean(1)) if pooled else maps

    path.parent.mkdir(parents=True, exist_ok=True)
    words = loaded.tokenizer("samrank reads the attention of a few words", add_special_tokens=False)
    example = torch.tensor([[*loaded.prefix_ids, *words["input_ids"], *loaded.suffix_ids]])
    try:
        with atomic.replacing(path, suffix=".onnx.tmp") as scratch, torch.inference_mode(False), \
                torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on shape-dependent Python branches
            torch.onnx.export(Attention().eval(), (example,), str(scratch), input_names=["input_ids"],
                              output_names=["attention", "pooled"][: 1 + pooled], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {1: "tokens"}, "attention": {2: "tokens", 3: "tokens"}})
    except Exception as error:
        raise FastPathError(f"could not export {loaded.name} to ONNX: {type(error).__name__}: "
                            f"{str(error).splitlines()[0] if str(error) else ''}") from error
