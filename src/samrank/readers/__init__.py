"""Model readers: one small interface (``Reader``), one implementation per backend."""

from __future__ import annotations

from .base import Encoded, Reader, encode, overlapping_bounds, sink_index, window_bounds

__all__ = ["Encoded", "Reader", "encode", "make_reader", "overlapping_bounds", "sink_index", "window_bounds"]


def make_reader(loaded, layers, backend: str = "torch") -> Reader:
    """The reader of ``layers`` of a loaded model for ``backend`` ("torch" or "onnx")."""
    if backend == "onnx":
        from .onnx_reader import OnnxReader

        return OnnxReader(loaded, layers)
    from .torch_reader import TorchReader

    return TorchReader(loaded, layers)
