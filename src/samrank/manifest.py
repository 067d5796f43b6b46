"""Starting without the weights: what samrank needs to know of a model, kept in the cache.

Loading a transformers model costs seconds before any text is read, most of them spent importing
transformers' modeling stack. The ONNX reader needs none of it once its export is cached: only the
tokenizer, the special tokens and the model's shape. The first full load of a model from a local
folder records these in the cache (``manifests/<key>.json`` and ``<key>.tokenizer.json``); later
loads build the ``LoadedModel`` from them and load the weights only when something asks for them
(the PyTorch reader, an ONNX export).

The key covers the weights' content and the size and time of every other file in the folder, so a
changed tokenizer or config is never answered from an old record. A record that cannot be read is
ignored (the model is loaded in full and the record written again).
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from . import atomic

VERSION = 2  # 2: records of 1 may hold a bidirectional gemma3_text model as a decoder (models._is_decoder)
_FIELDS = ("is_decoder", "max_length", "prefix_ids", "suffix_ids", "num_layers", "num_heads",
           "pad_token_id", "model_max_length")


class FastTokenizer:
    """A fast tokenizer from its ``tokenizer.json`` through the ``tokenizers`` library alone,
    answering the calls samrank makes as a transformers fast tokenizer does (same ids, same
    offsets: both run the same serialised pipeline)."""

    is_fast = True

    def __init__(self, path: Path, pad_token_id: int | None, model_max_length: int | None):
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.no_truncation()  # set once here: encode never changes them after
        self._tokenizer.no_padding()
        self.pad_token_id = pad_token_id
        self.model_max_length = model_max_length

    def __call__(self, text: str, add_special_tokens: bool = True, return_offsets_mapping: bool = False,
                 verbose: bool = False) -> dict:
        encoding = self._tokenizer.encode(text, add_special_tokens=add_special_tokens)
        result = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask}
        if return_offsets_mapping:
            result["offset_mapping"] = encoding.offsets
        return result

    def convert_ids_to_tokens(self, ids) -> list[str]:
        return [self._tokenizer.id_to_token(int(i)) for i in ids]


class DeferredModel:
    """A transformers model loaded on first use, once, whichever thread asks first."""

    def __init__(self, load):
        self._load = load
        self._lock = threading.Lock()
        self._model = None

    def get(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model


def key(folder: Path, weights_fingerprint: str) -> str:
    """The record's name: the weights' fingerprint and every other file's name, size and time."""
    parts = [weights_fingerprint, str(VERSION)]
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".safetensors"):
        info = path.stat()
        parts.append(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def read(folder: Path, record_key: str) -> tuple[dict, FastTokenizer] | None:
    """The recorded facts and the tokenizer, or None when there is no usable record."""
    from .models import cache_dir

    base = cache_dir() / "manifests" / record_key
    try:
        facts = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        if facts.get("version") != VERSION or facts.get("folder") != str(folder.resolve()):
            return None
        values = {name: facts[name] for name in _FIELDS}
        values["prefix_ids"], values["suffix_ids"] = tuple(values["prefix_ids"]), tuple(values["suffix_ids"])
        tokenizer = FastTokenizer(base.with_suffix(".tokenizer.json"), values.pop("pad_token_id"),
                                  values.pop("model_max_length"))
        return values, tokenizer
    except Exception:  # missing, damaged or from another version: load the model in full
        return None


def write(folder: Path, record_key: str, loaded, tokenizer) -> None:
    """Record ``loaded`` (just loaded in full from ``folder``); silently skipped when the cache
    cannot be written or the tokenizer has no ``tokenizers`` pipeline to save."""
    from .models import cache_dir

    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return
    facts = {"version": VERSION, "folder": str(folder.resolve()),
             "is_decoder": loaded.is_decoder, "max_length": loaded.max_length,
             "prefix_ids": list(loaded.prefix_ids), "suffix_ids": list(loaded.suffix_ids),
             "num_layers": loaded.num_layers, "num_heads": loaded.num_heads,
             "pad_token_id": getattr(tokenizer, "pad_token_id", None),
             "model_max_length": _plain_int(getattr(tokenizer, "model_max_length", None))}
    base = cache_dir() / "manifests" / record_key
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        # the tokenizer first: a record is only read when its facts file exists
        atomic.write_text(base.with_suffix(".tokenizer.json"), backend.to_str(), durable=False)
        atomic.write_text(base.with_suffix(".json"), json.dumps(facts), durable=False)
    except (OSError, RuntimeError):
        pass


def _plain_int(value) -> int | None:
    return int(value) if isinstance(value, int) and 0 < value < 1_000_000_000 else None
