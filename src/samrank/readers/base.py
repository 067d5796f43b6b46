"""What every model reader shares: tokens with character offsets, windows, and the window loop
that turns attention maps into token scores.

A reader reads attention; it keeps no state that a second thread could see half-changed. The
only thing a backend supplies is ``read``: one forward pass over one window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .. import scoring
from ..models import LoadedModel

Reduce = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Encoded:
    """A text's tokens (no special tokens) with character spans, and its forward-pass windows."""

    ids: np.ndarray
    starts: np.ndarray  # character span of each token in the text
    ends: np.ndarray
    windows: list[tuple[int, int]]  # token ranges [a, b), each run in its own forward pass
    homes: list[tuple[int, int]] | None = None  # per window, the tokens it scores (None: all)

    @property
    def segments(self) -> list[tuple[int, int]]:
        """The tokens each window scores: the windows themselves, or with overlapping windows
        the part of each that is nearer its centre than any other window's centre."""
        return self.homes or self.windows

    def window_of(self, token: np.ndarray) -> np.ndarray:
        """Which window scores each token index."""
        firsts = np.array([a for a, _ in self.segments], dtype=np.int64)
        return np.searchsorted(firsts, token, side="right") - 1

    def token_range(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Token range ``[first, end)`` of each character span: the tokens that overlap it."""
        first = np.searchsorted(self.ends, starts, side="right")
        end = np.searchsorted(self.starts, ends, side="left")
        # Tokens are in text order, so both searches are monotone; an empty token (end == start)
        # never overlaps anything, which the strict comparisons above already ensure.
        return first, np.maximum(end, first)


def window_bounds(n_tokens: int, capacity: int) -> list[tuple[int, int]]:
    """Split ``n_tokens`` into the fewest non-overlapping windows of at most ``capacity`` tokens,
    with lengths differing by at most one; every token lands in exactly one window."""
    if capacity < 1:
        raise ValueError("a window must hold at least one token")
    if n_tokens <= 0:
        return []
    count = math.ceil(n_tokens / capacity)
    base, extra = divmod(n_tokens, count)
    bounds, start = [], 0
    for k in range(count):
        end = start + base + (1 if k < extra else 0)
        bounds.append((start, end))
        start = end
    return bounds


def overlapping_bounds(n_tokens: int, capacity: int, overlap: float) -> tuple[list, list]:
    """Windows of ``capacity`` tokens, consecutive ones sharing about ``overlap`` of their length,
    spread evenly from the first token to the last; and each window's home: the tokens nearer
    its centre than any other's. Scoring a token in its home window gives it context on both
    sides, so no token sits at a window's cut."""
    if not 0.0 <= overlap < 1.0:
        raise ValueError(f"overlap must be in [0, 1); got {overlap!r}")
    if n_tokens <= capacity or overlap == 0.0:
        bounds = window_bounds(n_tokens, capacity)
        return bounds, bounds
    stride = max(1, int(capacity * (1.0 - overlap)))
    count = math.ceil((n_tokens - capacity) / stride) + 1
    starts = np.round(np.linspace(0, n_tokens - capacity, count)).astype(int).tolist()
    windows = [(a, a + capacity) for a in starts]
    cuts = [0] + [(a + b + capacity) // 2 for a, b in zip(starts, starts[1:])] + [n_tokens]
    return windows, list(zip(cuts, cuts[1:]))


def encode(loaded: LoadedModel, text: str, max_length: int | None = None, overlap: float = 0.0) -> Encoded:
    """Tokenise ``text`` once and plan windows that fit the model with its special tokens
    (``overlap``: the share of a window that the next one repeats; see ``overlapping_bounds``)."""
    limit = min(max_length or loaded.max_length, loaded.max_length)
    capacity = limit - len(loaded.prefix_ids) - len(loaded.suffix_ids)
    encoding = loaded.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    ids = np.asarray(encoding["input_ids"], dtype=np.int64)
    offsets = np.asarray(encoding["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    windows, homes = overlapping_bounds(len(ids), capacity, overlap)
    return Encoded(ids, offsets[:, 0], offsets[:, 1], windows, homes if homes != windows else None)


def sink_index(loaded: LoadedModel, window_length: int) -> int | None:
    """The token whose received attention is a sink: a decoder's first token, an encoder's final
    separator. An encoder without a closing special token has no sink."""
    if loaded.is_decoder:
        return 0
    return window_length - 1 if loaded.suffix_ids else None


Progress = Callable[[int, int], None]  # (windows read, windows in the text)


class Reader:
    """Reads the attention of fixed ``layers`` of a model. Subclasses implement ``read``."""

    def __init__(self, loaded: LoadedModel, layers: Sequence[int]):
        self.loaded = loaded
        self.layers = tuple(sorted(set(layers)))

    backend = "torch"  # what the score cache's label names

    # Windows per forward pass: readers that gain from padded batches (a GPU) set it above 1.
    batch_windows = 1

    def read(self, window_ids: np.ndarray, reduce: Reduce) -> list[np.ndarray]:
        """One forward pass over a window of text tokens (special tokens added here); each read
        layer's maps ``(heads, n, n)`` go through ``reduce`` and only its result is kept."""
        raise NotImplementedError

    # Whether a pass also gives the window's vector, its last layer averaged over every position
    # (the embedder's pooling): free where the layers read end at the model's last.
    pools = False

    def read_many(self, windows: list[np.ndarray], reduces: list[Reduce]) -> list[list[np.ndarray]]:
        """``read`` for several windows; readers that batch override it."""
        return [self.read(ids, reduce) for ids, reduce in zip(windows, reduces)]

    def read_many_pooled(self, windows: list[np.ndarray],
                         reduces: list[Reduce]) -> tuple[list[list[np.ndarray]], list[np.ndarray | None]]:
        """``read_many``, and each window's vector from a reader that ``pools`` (else None)."""
        return self.read_many(windows, reduces), [None] * len(windows)

    def token_scores(self, encoded: Encoded, mode: str, head: int | None = None,
                     progress: Progress | None = None) -> np.ndarray:
        """Token scores of a whole text, window by window: ``(len(layers), heads, n_tokens)``;
        with overlapping windows each token is scored in its home window. ``head`` keeps only
        that head (a heads axis of 1); ``progress(done, total)`` hears of each window read."""
        return self.read_text(encoded, mode, head, progress)[0]

    def read_text(self, encoded: Encoded, mode: str, head: int | None = None, progress: Progress | None = None,
                  pooled_windows: int = 0) -> tuple[np.ndarray, list[np.ndarray | None]]:
        """``token_scores``, and the vectors of the first ``pooled_windows`` windows where the
        reader ``pools`` (None each where it does not; none read in mode "uniform")."""
        loaded = self.loaded
        n_heads = 1 if head is not None else loaded.num_heads
        if mode == "uniform":
            return np.ones((len(self.layers), n_heads, len(encoded.ids))), []
        first = len(loaded.prefix_ids)
        query = -1 if loaded.is_decoder else 0  # the token whose row "cls" reads
        windows, reduces = [], []
        for (a, b), (home_a, home_b) in zip(encoded.windows, encoded.segments):
            sink = sink_index(loaded, first + (b - a) + len(loaded.suffix_ids))
            keep = slice(first + home_a - a, first + home_b - a)

            def reduce(maps, keep=keep, sink=sink):
                # head by head, so that a head's scores are the same bits however many are read
                chosen = range(len(maps)) if head is None else (head,)
                return np.concatenate([scoring.token_scores(maps[h : h + 1], sink, mode, query)[:, keep]
                                       for h in chosen])

            windows.append(encoded.ids[a:b])
            reduces.append(reduce)
        step = max(1, self.batch_windows)
        parts, vectors = [], []
        for k in range(0, len(windows), step):
            batch = windows[k : k + step], reduces[k : k + step]
            if k < pooled_windows:
                read, pooled = self.read_many_pooled(*batch)
                vectors.extend(pooled)
            else:
                read = self.read_many(*batch)
            parts.extend(np.stack(layers) for layers in read)
            if progress is not None:
                progress(min(k + step, len(windows)), len(windows))
        if not parts:
            return np.zeros((len(self.layers), n_heads, 0)), []
        return np.concatenate(parts, axis=-1), vectors[:pooled_windows]

    def with_special_tokens(self, window_ids: np.ndarray) -> list[int]:
        return with_special_tokens(self.loaded, window_ids)


def with_special_tokens(loaded: LoadedModel, ids) -> list[int]:
    """The model's special tokens around ``ids``, as one forward pass takes them."""
    return [*loaded.prefix_ids, *np.asarray(ids, dtype=np.int64).tolist(), *loaded.suffix_ids]
