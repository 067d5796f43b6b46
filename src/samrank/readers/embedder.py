"""The model's embeddings of a text and of its candidate phrases: the last layer's token vectors,
mean-pooled over every position of a window (special tokens included: sentence-transformers'
pooling, which minilm and mpnet were trained with). A long text is read from its first
``TEXT_WINDOWS`` windows (the windows' means weighted by their lengths): its topic is set out at
its start (title, abstract, lead), and a book costs no more here than a page.

This is EmbedRank's and KeyBERT's signal: a keyphrase read alone means what the text means. On
the CPU it runs, like the readers, through ONNX Runtime when that is installed (the model exported
once to ``onnx/`` in the samrank cache: a command starts without loading the weights into
PyTorch), else through PyTorch. An embedder keeps no state between calls.
"""

from __future__ import annotations

import copy
import importlib.util
import threading
import warnings

import numpy as np

from .. import atomic
from ..models import LoadedModel
from .base import Encoded, with_special_tokens

PHRASES_PER_BATCH = 64
TEXT_WINDOWS = 2


class Embedder:
    """Mean-pooled, unit-length embeddings through PyTorch on ``device`` (off the CPU with its own
    copy of the weights there, as the readers keep theirs); subclasses implement ``_pooled``."""

    backend = "torch"

    def __init__(self, loaded: LoadedModel, device: str = "cpu"):
        self.loaded = loaded
        self.device = device
        self._model = None  # the eval-mode shell, on first use (the weights may be deferred)
        self._making = threading.Lock()
        self._pad = loaded.tokenizer.pad_token_id if loaded.tokenizer.pad_token_id is not None else 0

    def text_vector(self, encoded: Encoded, window_vectors: list[np.ndarray | None] | None = None) -> np.ndarray:
        """The text's unit vector from its first windows (those the readers read). A reader
        that ``pools`` has already pooled them in its own pass: ``window_vectors``."""
        rows = [with_special_tokens(self.loaded, encoded.ids[a:b]) for a, b in encoded.windows[:TEXT_WINDOWS]]
        if not rows:
            return np.zeros(0)
        given = window_vectors or []
        vectors = [given[k] if k < len(given) and given[k] is not None else self._batch([row])[0]
                   for k, row in enumerate(rows)]
        return _unit(np.stack([vector * len(row) for vector, row in zip(vectors, rows)]).sum(0))

    def phrase_vectors(self, phrases: list[str]) -> np.ndarray:
        """One unit vector per phrase, each phrase read alone."""
        tokenizer = self.loaded.tokenizer
        rows = [with_special_tokens(self.loaded, tokenizer(p, add_special_tokens=False, verbose=False)["input_ids"])
                for p in phrases]
        by_length: dict[int, list[int]] = {}
        for n, row in enumerate(rows):  # rows of one length are read together: padding would double the work
            by_length.setdefault(len(row), []).append(n)
        vectors: list[np.ndarray | None] = [None] * len(rows)
        for same_length in by_length.values():
            for k in range(0, len(same_length), PHRASES_PER_BATCH):
                which = same_length[k:k + PHRASES_PER_BATCH]
                for n, vector in zip(which, self._batch([rows[n] for n in which])):
                    vectors[n] = vector
        return _unit(np.stack(vectors)) if vectors else np.zeros((0, 0))

    def _batch(self, rows: list[list[int]]) -> np.ndarray:
        n = max(len(row) for row in rows)
        ids = np.array([row + [self._pad] * (n - len(row)) for row in rows], dtype=np.int64)
        mask = np.array([[1] * len(row) + [0] * (n - len(row)) for row in rows], dtype=np.int64)
        return np.asarray(self._pooled(ids, mask), dtype=np.float64)

    def _pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the last layer over each row's own positions (padding left out)."""
        import torch

        with self._making:  # made once; the same shell for every thread is safe
            if self._model is None:
                self._model = _shell(self.loaded, self.device)
        with torch.inference_mode():
            ids, mask = torch.from_numpy(ids).to(self.device), torch.from_numpy(mask).to(self.device)
            return _mean_pooled(self._model, ids, mask).cpu().numpy()


def _shell(loaded: LoadedModel, device: str = "cpu"):
    """The model in eval mode on ``device`` without changing the caller's object (its mode, its
    hooks, where its weights are)."""
    from .torch_reader import private_shell

    if device == "cpu":
        return private_shell(loaded.model)
    return private_shell(copy.deepcopy(loaded.model).to(device))


def _mean_pooled(model, ids, mask):
    out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True, output_attentions=False)
    last = out.hidden_states[-1].float()
    weights = mask.unsqueeze(-1).to(last.dtype)
    return (last * weights).sum(1) / weights.sum(1)


class OnnxEmbedder(Embedder):
    """The same pooling, exported once to ONNX and run by ONNX Runtime (sessions may be shared by threads)."""

    backend = "onnx"

    def __init__(self, loaded: LoadedModel):
        super().__init__(loaded)
        from .onnx_reader import _onnx_folder, cached_session

        path = _onnx_folder() / f"{loaded.fingerprint}-embedding.onnx"
        self.session = cached_session(path, lambda target: export(loaded, target))

    def _pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (pooled,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return pooled


def export(loaded: LoadedModel, path) -> None:
    """Write the ONNX graph (input_ids, attention_mask) (batch, n) -> mean-pooled last layer (batch, hidden)."""
    import torch

    from .onnx_reader import FastPathError

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = _shell(loaded)

        def forward(self, input_ids, attention_mask):
            return _mean_pooled(self.model, input_ids, attention_mask)

    path.parent.mkdir(parents=True, exist_ok=True)
    words = loaded.tokenizer("samrank reads a few words", add_special_tokens=False)["input_ids"]
    ids = torch.tensor([[*loaded.prefix_ids, *words, *loaded.suffix_ids]] * 2)
    try:
        with atomic.replacing(path, suffix=".onnx.tmp") as scratch, torch.inference_mode(False), \
                torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Pooled().eval(), (ids, torch.ones_like(ids)), str(scratch),
                              input_names=["input_ids", "attention_mask"], output_names=["pooled"],
                              opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "rows", 1: "tokens"},
                                            "attention_mask": {0: "rows", 1: "tokens"}, "pooled": {0: "rows"}})
    except Exception as error:
        raise FastPathError(f"could not export {loaded.name}'s embeddings to ONNX: {type(error).__name__}: "
                            f"{str(error).splitlines()[0] if str(error) else ''}") from error


def make_embedder(loaded: LoadedModel, backend: str = "auto", device: str = "cpu") -> Embedder:
    """On the CPU: ONNX Runtime for "onnx", and for "auto" when it is installed and the model
    exports (else PyTorch, with one warning saying why); PyTorch for "torch". Off the CPU
    (``device``: "cuda", "mps"), PyTorch there."""
    if device != "cpu":
        return Embedder(loaded, device)
    if backend == "torch" or (backend == "auto" and importlib.util.find_spec("onnxruntime") is None):
        return Embedder(loaded)
    from .onnx_reader import FastPathError

    try:
        return OnnxEmbedder(loaded)
    except FastPathError as error:
        if backend == "onnx":
            raise
        warnings.warn(f"samrank: {error}; embedding with PyTorch instead", RuntimeWarning, stacklevel=3)
    return Embedder(loaded)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
