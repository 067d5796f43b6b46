"""A disk cache of token scores, so that a sweep or a re-run never repeats a forward pass.

One file per (model weights, text, window length, scoring mode, samrank version) holds the
token scores of every head of each layer computed so far; safe to delete at any time.

The cache never fails a run: a stored file that is empty, truncated, corrupt, of another
shape or not finite is a miss (and is rewritten by the next ``save``); a location that cannot
be written (read-only, a file where the folder should be) turns the cache off for the process
with one warning.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

from . import __version__, atomic
from .models import LoadedModel, cache_dir


class ScoreCache:
    def __init__(self, folder: str | os.PathLike | None = None):
        try:
            self.folder = Path(folder) if folder else cache_dir() / "scores"
        except RuntimeError:  # no home folder to put it in
            self.folder = None
        self._usable: bool | None = None if self.folder is not None else False
        self._probe_lock = threading.Lock()  # threads that share an extractor probe the folder once
        if self.folder is None:
            self._warn("no home folder for the cache")

    @property
    def enabled(self) -> bool:
        """Whether the cache folder can be written (checked once, on first use)."""
        if self._usable is None:
            with self._probe_lock:
                if self._usable is None:
                    self._usable = self._probe()
        return self._usable

    def _probe(self) -> bool:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, probe = tempfile.mkstemp(dir=self.folder, prefix=".probe-")
            os.close(handle)
            os.unlink(probe)
            return True
        except OSError as error:
            self._warn(f"{self.folder} cannot be written ({error.strerror or error})")
            return False

    @staticmethod
    def _warn(why: str) -> None:
        warnings.warn(f"samrank: token-score cache off: {why}", RuntimeWarning, stacklevel=4)

    def path(self, loaded: LoadedModel, text: str, max_length: int, mode: str) -> Path:
        key = "\0".join([__version__, loaded.fingerprint, str(max_length), mode, text])
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return (self.folder or Path(".")) / loaded.fingerprint[:16] / digest[:2] / f"{digest}.npz"

    @staticmethod
    def _read(path: Path) -> dict[str, np.ndarray]:
        """Every array stored at ``path``; empty when there is none or the file is damaged."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                arrays = {name: np.asarray(stored[name]) for name in stored.files}
        except FileNotFoundError:
            return {}
        except Exception:  # BadZipFile, EOFError, zlib.error, ValueError, OSError: damaged
            return {}
        if not all(a.ndim == 2 and a.dtype.kind == "f" for a in arrays.values()):
            return {}
        return arrays

    def load(self, path: Path, layers: list[int], tokens: int) -> np.ndarray | None:
        """Token scores ``(len(layers), heads, tokens)`` if every layer is stored, for ``tokens``
        tokens and finite, else None (a file of another shape or with NaN was not written by
        this text's reading: a miss, rewritten by the next ``save``)."""
        if not self.enabled:
            return None
        arrays = self._read(path)
        try:
            scores = np.stack([arrays[f"layer{layer}"] for layer in layers])
        except (KeyError, ValueError):
            return None
        return scores if scores.shape[-1] == tokens and np.isfinite(scores).all() else None

    def load_row(self, path: Path, length: int) -> np.ndarray | None:
        """A stored row of ``length`` numbers (e.g. the candidates' cosines), else None."""
        row = self._read(path).get("row") if self.enabled else None
        return row[0] if row is not None and row.shape == (1, length) else None

    def save_row(self, path: Path, row: np.ndarray) -> None:
        if self.enabled:
            self._write(path, {"row": np.asarray(row, dtype=np.float64)[None, :]})

    def save(self, path: Path, layers: list[int], scores: np.ndarray) -> None:
        """Store (merging with the layers already there, when they are readable and fit);
        written atomically. A failed write leaves the cache as it was."""
        if not self.enabled:
            return
        arrays = self._read(path)
        arrays.update({f"layer{layer}": np.asarray(s, dtype=np.float64) for layer, s in zip(layers, scores)})
        shapes = {a.shape for a in arrays.values()}
        if len(shapes) > 1 or not all(np.isfinite(a).all() for a in arrays.values()):  # keep only the new layers
            arrays = {f"layer{layer}": np.asarray(s, dtype=np.float64) for layer, s in zip(layers, scores)}
        self._write(path, arrays)

    @staticmethod
    def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic.replacing(path, suffix=".npz.tmp", durable=False) as scratch:
                with open(scratch, "wb") as out:
                    np.savez(out, **arrays)
        except OSError:
            pass
