"""Levers that read a token or a phrase in its whole text, measured on the development sets and
not taken (issue 14): docs/CONTEXT_LEVERS.md.

    .venv/bin/python benchmarks/context_levers.py      # ~35 min: every row reads the model again

The default beside three changes (F1@10, every other setting the default's), on the four
development sets the choices of docs/NAMES.md looked at:
- attention PageRank: each chosen head's map as a random walk over the window's tokens ([CLS]
  and the sink left out, each row over its sum), a token's score its share of the walk's
  stationary distribution (damping 0.85). SAMRank's G is one step of that walk from every token
  and its P a second; the walk's limit is the importance the whole map gives. The walk restarts
  where [CLS] looks (its row), in texts read by cls (stage 8 of docs/NAMES.md), and replaces that
  row there;
- nearness in context: a phrase's vector is the mean of its own tokens' last-layer vectors in the
  pass over its text (every occurrence), not the phrase read alone (SIFRank's reading). Its cosine
  with the text then replaces the phrase-alone cosine in the similarity weight (the same
  ``similarity.relative_similarity``, power 0.5);
- what a phrase takes away (a masked-document signal after MDERank, without its extra passes):
  1 - the cosine between the text's mean token vector and that mean without the phrase's tokens,
  over the mean of the phrases with as many words (1, 2, 3 or more), to the power 0.25, as a
  weight beside the default's similarity weight.
The levers are written here, as wrappers of ``Pipeline`` methods, not in the library: none beat
the default. Nothing here reads a held-out set. The model is read outside the disk cache for
every row but the default.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ranking_levers import rows_page  # noqa: E402
from readout_levers import home_slices, reread  # noqa: E402
from samrank import similarity  # noqa: E402
from samrank.readers.base import sink_index, with_special_tokens  # noqa: E402
from samrank.readers.embedder import TEXT_WINDOWS  # noqa: E402

DAMPING = 0.85
WALK_STEPS = 30  # the walk's mass moves by under 0.85 ** 30 < 1% after this many steps
TAKEN_POWER = 0.25


def attention_pagerank(maps: np.ndarray, dropped: list[int], restart: np.ndarray | None = None,
                       damping: float = DAMPING, steps: int = WALK_STEPS) -> np.ndarray:
    """Per head of ``maps`` ``(heads, n, n)`` (rows sum to 1): the stationary distribution of the
    walk on the map with the ``dropped`` tokens' columns cut (each row over its new sum), restarting
    from ``restart`` ``(heads, n)`` (default: every kept token alike) with 1 - ``damping``. The
    ``dropped`` tokens score 0; the scores sum to the number of kept tokens, as G's do."""
    walk = np.array(maps, dtype=np.float64)
    walk[..., dropped] = 0.0
    walk /= np.maximum(walk.sum(-1, keepdims=True), 1e-12)
    kept = np.ones(walk.shape[-1], dtype=bool)
    kept[dropped] = False
    start = np.broadcast_to(kept.astype(np.float64), walk.shape[:2]).copy() if restart is None else np.array(restart)
    start[..., dropped] = 0.0
    start /= np.maximum(start.sum(-1, keepdims=True), 1e-12)
    share = start
    for _ in range(steps):
        share = (1 - damping) * start + damping * np.einsum("hi,hij->hj", share, walk)
    share[..., dropped] = 0.0
    return share * kept.sum()


def cls_walk_rows(pipeline, text, encoded, layers, mode):
    """The attention PageRank readout (module docstring), restarting from [CLS]'s row, in texts
    read by cls."""
    if mode != "cls":
        return None
    reader, parts = pipeline.reader(layers), []
    for ids, home in home_slices(pipeline, encoded):
        def reduce(maps, home=home):
            maps = np.asarray(maps, dtype=np.float64)
            n = maps.shape[-1]
            dropped = [0] + [sink for sink in [sink_index(pipeline.loaded, n)] if sink is not None]
            return attention_pagerank(maps, dropped, maps[:, 0, :])[:, home]
        parts.append(np.stack(reader.read(ids, reduce)))
    return np.concatenate(parts, axis=-1)


def token_vectors(pipeline, encoded) -> tuple[np.ndarray, np.ndarray]:
    """The last layer's vector of each token of the text (its home window's pass) and the text's
    unit vector as the embedder makes it (the mean of its first windows' passes, special tokens in)."""
    import torch

    loaded = pipeline.loaded
    first = len(loaded.prefix_ids)
    parts, pooled = [], []
    for (a, b), (home_a, home_b) in zip(encoded.windows, encoded.segments):
        row = with_special_tokens(loaded, encoded.ids[a:b])
        with torch.inference_mode():
            last = loaded.model(input_ids=torch.tensor([row]), output_hidden_states=True).hidden_states[-1][0]
        last = last.double().numpy()
        parts.append(last[first + home_a - a:first + home_b - a])
        pooled.append(last.sum(0))
    text = np.sum(pooled[:TEXT_WINDOWS], axis=0)
    return np.concatenate(parts), text / max(np.linalg.norm(text), 1e-12)


def phrase_token_sums(encoded, found, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's sum of token vectors over all its occurrences, and its token count."""
    first, end = encoded.token_range(found.occ_start, found.occ_end)
    sums, counts = np.zeros((len(found), vectors.shape[1])), np.zeros(len(found))
    for phrase, a, b in zip(found.occ_phrase, first, end):
        sums[phrase] += vectors[a:b].sum(0)
        counts[phrase] += max(b - a, 0)
    return sums, counts


def in_context(original):
    """Nearness in context (module docstring) in place of the phrase read alone."""
    def similarity_weights(self, text, encoded, found, window_vectors=None):
        if original(self, text, encoded, found, window_vectors) is None:
            return None
        vectors, text_vector = token_vectors(self, encoded)
        sums, counts = phrase_token_sums(encoded, found, vectors)
        norms = np.linalg.norm(sums, axis=1)
        cosines = np.where(counts > 0, sums @ text_vector / np.maximum(norms, 1e-12), np.nan)
        return similarity.relative_similarity(cosines, found.n_words) ** self.resolved.similarity_power
    return similarity_weights


def taken_away(original):
    """What a phrase takes away from its text's mean vector (module docstring), beside the default."""
    def similarity_weights(self, text, encoded, found, window_vectors=None):
        weights = original(self, text, encoded, found, window_vectors)
        if weights is None:
            return None
        vectors, _ = token_vectors(self, encoded)
        sums, counts = phrase_token_sums(encoded, found, vectors)
        whole = vectors.sum(0)
        rest = (whole - sums) / np.maximum(len(vectors) - counts, 1)[:, None]
        cosines = rest @ whole / np.maximum(np.linalg.norm(rest, axis=1) * np.linalg.norm(whole), 1e-12)
        return weights * similarity.over_length_class_means(np.maximum(1 - cosines, 1e-9), found.n_words) ** TAKEN_POWER
    return similarity_weights


LEVERS = {
    "attention PageRank from [CLS]'s row, texts read by cls": reread(cls_walk_rows),
    "nearness in context in place of the phrase alone": {"similarity_weights": in_context},
    "what a phrase takes away from its text, power 0.25": {"similarity_weights": taken_away},
}


if __name__ == "__main__":
    rows_page(LEVERS, "CONTEXT_LEVERS", "Levers that read a phrase in its whole text, measured and not taken",
              "context_levers.py", __doc__)
