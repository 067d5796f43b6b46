"""What a ``Pipeline`` loads once and shares between its runs and threads: the model, the
settings with the model's defaults filled in, the readers of each set of layers, the embedder,
the disk cache of token scores, and with ``model="auto"`` one pipeline per language's model.
Each is made on first use under one lock and never changed after, so threads may share them.
"""

from __future__ import annotations

import functools
import threading
from typing import Sequence

from . import models
from .readers import Reader, make_reader, named_embedder, named_reader, resolve_device
from .readers.embedder import Embedder, make_embedder
from .settings import Settings, auto_model


class LoadedParts:
    """The parts a pipeline under ``settings`` loads once (the steps: ``pipeline.Pipeline``)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._loaded: models.LoadedModel | None = None
        self._resolved: Settings | None = None
        self._readers: dict[tuple[int, ...], Reader] = {}
        self._cache = None
        self._embedder: Embedder | None = None
        self._by_model: dict[str, LoadedParts] = {}

    def for_language(self, language: str | None):
        """The pipeline that reads text in ``language``: this one, or with ``model="auto"`` the
        one of that language's packaged model."""
        if self.settings.model != "auto":
            return self
        model = auto_model(language)
        if model not in self._by_model:
            with self._lock:
                self._by_model.setdefault(model, type(self)(self.settings.replace(model=model)))
        return self._by_model[model]

    @property
    def loaded(self) -> models.LoadedModel:
        """The model (loaded on first use; packaged and hub models are shared by the process)."""
        if self.settings.model == "auto":
            return self.for_language("en").loaded
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    model = self.settings.model
                    loaded = model if isinstance(model, models.LoadedModel) else models.load(model)
                    self._resolved = self.settings.resolved(loaded.num_layers, loaded.num_heads)
                    self._loaded = loaded
        return self._loaded

    @property
    def resolved(self) -> Settings:
        """The settings with the model's defaults filled in (loads the model)."""
        if self.settings.model == "auto":
            return self.for_language("en").resolved
        self.loaded
        return self._resolved

    @property
    def layers(self) -> list[int]:
        return sorted({layer for layer, _ in self.resolved.heads})

    def reader(self, layers: Sequence[int]) -> Reader:
        key = tuple(sorted(set(layers)))
        if key not in self._readers:
            loaded = self.loaded
            with self._lock:
                if key not in self._readers:
                    device = self.device
                    # loaded by name ("auto": by its language's model): once per process
                    self._readers[key] = (named_reader(loaded.name, key, self.settings.backend, device)
                                          if isinstance(self.settings.model, str) else
                                          make_reader(loaded, key, self.settings.backend, device))
        return self._readers[key]

    @property
    def embedder(self) -> Embedder:
        """The model's embedder (``readers/embedder.py``): on the readers' device, on the CPU
        through their backend; shared by the process for a model given by name."""
        if self._embedder is None:
            loaded = self.loaded
            with self._lock:
                if self._embedder is None:
                    device = self.device
                    self._embedder = (named_embedder(loaded.name, self.settings.backend, device)
                                      if isinstance(self.settings.model, str)
                                      else make_embedder(loaded, self.settings.backend, device))
        return self._embedder

    @functools.cached_property
    def device(self) -> str:
        """``settings.device`` resolved once ("auto": the first device this machine has)."""
        return resolve_device(self.settings.device)

    def _score_cache(self):
        if self._cache is None:
            from .cache import ScoreCache

            with self._lock:
                if self._cache is None:
                    self._cache = ScoreCache()
        return self._cache

    def _cache_label(self, reader: Reader, mode: str) -> str:
        """What else the token scores depend on; the device as resolved ("auto" on a CPU reads
        what "cpu" reads)."""
        s, device = self.settings, self.device
        return "f64:" + mode + (f"@overlap{s.window_overlap:g}" if s.window_overlap else "") \
            + ("@onnx" if reader.backend == "onnx" else "") + ("" if device == "cpu" else f"@{device}")
