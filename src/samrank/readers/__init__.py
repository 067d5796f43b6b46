"""Model readers: one small interface (``Reader``), one implementation per backend."""

from __future__ import annotations

import functools
import importlib.util
import warnings

from .base import Encoded, Reader, encode, overlapping_bounds, sink_index, window_bounds

__all__ = ["Encoded", "Reader", "encode", "make_reader", "named_embedder", "named_reader", "resolve_device", "overlapping_bounds", "sink_index", "window_bounds"]


def make_reader(loaded, layers, backend: str = "auto", device: str = "cpu") -> Reader:
    """The reader of ``layers`` of a loaded model for ``backend`` on ``device``: "onnx" (ONNX
    Runtime, CPU only), "torch", or "auto": ONNX Runtime on the CPU when it is installed and the
    model exports, else PyTorch (with one warning saying why)."""
    if backend == "auto":
        if device == "cpu" and importlib.util.find_spec("onnxruntime") is not None:
            from .onnx_reader import FastPathError, OnnxReader

            try:
                return OnnxReader(loaded, layers)
            except FastPathError as error:
                warnings.warn(f"samrank: {error}; reading with PyTorch instead", RuntimeWarning, stacklevel=3)
        backend = "torch"
    if backend == "onnx":
        if device != "cpu":
            raise ValueError(f"backend='onnx' runs on the CPU; got device={device!r} (use backend='torch')")
        from .onnx_reader import OnnxReader

        return OnnxReader(loaded, layers)
    from .torch_reader import TorchReader

    return TorchReader(loaded, layers, device)


@functools.lru_cache(maxsize=16)
def named_reader(name: str, layers: tuple[int, ...], backend: str = "auto", device: str = "cpu") -> Reader:
    """The reader of a model loaded by name (``models.load``, itself loaded once per process),
    made once per process: extractors that differ only in how they score share it, and with it
    its ONNX Runtime session or model copy (a grid of 100 settings no longer holds 100 of them).
    A reader keeps no state between calls, and is already shared by the threads of one extractor."""
    from ..models import load

    return make_reader(load(name), layers, backend, device)


@functools.lru_cache(maxsize=4)
def named_embedder(name: str, backend: str = "auto", device: str = "cpu"):
    """The embedder (``embedder.py``) of a model loaded by name, made once per process, as its readers are."""
    from ..models import load
    from .embedder import make_embedder

    return make_embedder(load(name), backend, device)


def resolve_device(device: str) -> str:
    """``"auto"``: the first of cuda, mps and cpu that this machine has; anything else checked
    against what the machine has, with a one-line error when it is missing."""
    if device == "cpu":
        return device
    import torch

    if device == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    kind, _, index = device.partition(":")
    if kind == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if int(index or 0) >= count:
            raise ValueError(f"device {device!r} is not available: this machine has {count} CUDA device(s)")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ValueError("device 'mps' is not available on this machine")
    return device
