"""A disk cache of token scores, so that a sweep or a re-run never repeats a forward pass.

One file per (model weights, text, window length, scoring mode, samrank version) holds the
token scores of every head of each layer computed so far; safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from . import __version__
from .models import LoadedModel, cache_dir


class ScoreCache:
    def __init__(self, folder: str | os.PathLike | None = None):
        self.folder = Path(folder) if folder else cache_dir() / "scores"

    def path(self, loaded: LoadedModel, text: str, max_length: int, mode: str) -> Path:
        key = "\0".join([__version__, loaded.fingerprint, str(max_length), mode, text])
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / loaded.fingerprint[:16] / digest[:2] / f"{digest}.npz"

    def load(self, path: Path, layers: list[int]) -> np.ndarray | None:
        """Token scores ``(len(layers), heads, tokens)`` if every layer is stored, else None."""
        try:
            with np.load(path) as stored:
                return np.stack([stored[f"layer{layer}"] for layer in layers])
        except (OSError, KeyError, ValueError):
            return None

    def save(self, path: Path, layers: list[int], scores: np.ndarray) -> None:
        """Store (merging with the layers already there); written atomically."""
        arrays = {}
        try:
            with np.load(path) as stored:
                arrays = {name: stored[name] for name in stored.files}
        except (OSError, ValueError):
            pass
        arrays.update({f"layer{layer}": np.asarray(s, dtype=np.float64) for layer, s in zip(layers, scores)})
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, **arrays)
            os.replace(scratch, path)
        except OSError:
            Path(scratch).unlink(missing_ok=True)
