"""Levers on how the model's reading weighs, measured on the development sets and not taken
(issue 14): docs/READING_LEVERS.md.

    .venv/bin/python benchmarks/reading_levers.py      # ~30 min with a warm disk cache

The default beside four changes (F1@10, every other setting the default's), on the four
development sets the choices of docs/NAMES.md looked at:
- nearness to the lead: beside the nearness of each phrase to its whole text (the similarity
  weight, ``similarity_power`` 0.5), its nearness to the text's first sentence (the first two
  where the first has fewer than 6 words), weighed the same way (``similarity.relative_similarity``)
  to the power 0.25, 0.5 or 1. A title, a news lead or a paragraph's topic sentence says what the
  text is about in a few words; the question is whether the phrases near it are the keyphrases;
- the readouts blended in texts read by cls (texts without many names, stage 8 of docs/NAMES.md):
  the attention row of [CLS] and SAMRank's G + P of the same heads, each row over its sum, mixed
  linearly (cls 0.5 or 0.75) or geometrically (0.5 each). Stage 8 chose cls over G + P on the
  development sets, while on held-out Inspec G + P read better; a blend might keep both;
- a multi-word phrase's cohesion: in the last layer's attention (its 12 heads averaged), how much
  its tokens attend to one another against how much they attend to the tokens just before and
  after it, ``inside / (inside + beside)``, averaged over its occurrences and divided by the mean
  of the text's multi-word phrases; the phrase score times that. A phrase the model reads as one
  unit should hold together; the attention maps are read again for it (no disk cache);
- token scores pooled per word: a word the tokenizer splits into k sub-tokens counts once, as
  the mean (or the max) of its sub-tokens' scores, where today each sub-token adds its own. A
  rare technical word splits into more pieces and so collects more attention; the question is
  whether that helps (a rarity prior of its own) or harms.
The levers are written here, as wrappers of ``Pipeline`` methods, not in the library: none beat
the default. Nothing here reads a held-out set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ranking_levers import rows_page  # noqa: E402
from scoring_levers import text_kept  # noqa: E402
from samrank import similarity  # noqa: E402

LEAD_WORDS = 6  # a first sentence shorter than this (a dateline, a label) takes the next one with it
LEAD_COSINES: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}  # the rows share them


def tagged_kept(seen: dict):
    """``text_kept``: the text's tags in ``seen["tagged"]``."""
    return text_kept(seen, "tagged", lambda tagged: tagged)


def lead_end(tagged) -> int | None:
    """The character end of the text's lead: its first sentence, or its first two where the
    first has fewer than ``LEAD_WORDS`` words; None for a text without words."""
    sentences = tagged.sentences
    if not len(sentences):
        return None
    last = int(np.flatnonzero(sentences == sentences[0])[-1])
    if last + 1 < LEAD_WORDS and last + 1 < len(sentences):
        last = int(np.flatnonzero(sentences == sentences[last + 1])[-1])
    return int(tagged.ends[last])


def lead_nearness(power: float) -> dict:
    seen: dict = {}

    def with_lead(original):
        def similarity_weights(self, text, encoded, found, window_vectors=None):
            weights = original(self, text, encoded, found, window_vectors)
            end = lead_end(seen["tagged"])
            if weights is None or end is None:
                return weights
            key = (text, tuple(found.phrases))
            if key not in LEAD_COSINES:
                vectors = self.embedder.phrase_vectors([text[:end], *found.phrases])
                LEAD_COSINES[key] = vectors[1:] @ vectors[0]
            return weights * similarity.relative_similarity(LEAD_COSINES[key], found.n_words) ** power
        return similarity_weights
    return {"_score": tagged_kept(seen), "similarity_weights": with_lead}


def blended_rows(cls_row: np.ndarray, both_row: np.ndarray, cls_share: float, geometric: bool) -> np.ndarray:
    """The two token rows, each over its sum, mixed: linearly, or as a weighted geometric mean."""
    cls_row, both_row = (row / row.sum() if row.sum() > 0 else row for row in (cls_row, both_row))
    if geometric:
        return np.maximum(cls_row, 1e-12) ** cls_share * np.maximum(both_row, 1e-12) ** (1 - cls_share)
    return cls_share * cls_row + (1 - cls_share) * both_row


def readouts_blended(cls_share: float, geometric: bool = False) -> dict:
    """In a text read by cls, ``read_pooled`` also reads G + P and keeps it; ``heads_row`` then
    blends the two rows of the chosen heads (``blended_rows``)."""
    other: dict = {}

    def read_also(original):
        def read_pooled(self, text, layers=None, all_heads=False, progress=None, heads=None, mode=None):
            read = original(self, text, layers, all_heads, progress, heads, mode)
            if mode == "cls":
                other["both"] = original(self, text, layers, all_heads, None, heads, "both")[1]
            return read
        return read_pooled

    def blend(original):
        def heads_row(self, encoded, found, by_layer, heads, weighting):
            row = original(self, encoded, found, by_layer, heads, weighting)
            if "both" not in other:
                return row
            both = original(self, encoded, found, other.pop("both"), heads, weighting)
            return blended_rows(row, both, cls_share, geometric)
        return heads_row
    return {"read_pooled": read_also, "heads_row": blend}


COHESION_LAYER = 5  # minilm's last


def window_maps(pipeline, encoded) -> list[tuple[int, int, int, np.ndarray]]:
    """Each window's ``(start, end, offset of its first text token, last layer's maps averaged
    over heads)``."""
    reader = pipeline.reader([COHESION_LAYER])
    first = len(pipeline.loaded.prefix_ids)
    return [(a, b, first, reader.read(encoded.ids[a:b], lambda maps: np.asarray(maps, dtype=np.float64).mean(0))[0])
            for a, b in encoded.windows]


def cohesion_weights(maps, found, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Each phrase's cohesion over the mean of the text's multi-word phrases' (1 for one word);
    ``start``, ``end``: each occurrence's token range."""
    total, count = np.zeros(len(found)), np.zeros(len(found))
    for s, e, phrase in zip(start, end, found.occ_phrase):
        if e - s < 2 or found.n_words[phrase] < 2:
            continue
        a, b, first, m = next(((a, b, f, m) for a, b, f, m in maps if a <= s and e <= b), (0, 0, 0, None))
        if m is None:
            continue
        i, j = s - a + first, e - a + first
        inside = (m[i:j, i:j].sum() - np.trace(m[i:j, i:j])) / ((j - i) * (j - i - 1))
        beside = [m[i:j, k].mean() for k in (i - 1, j) if first <= k < first + b - a]
        total[phrase] += inside / (inside + (np.mean(beside) if beside else 0.0) + 1e-9)
        count[phrase] += 1
    weights, multi = np.ones(len(found)), count > 0
    if multi.any():
        weights[multi] = total[multi] / count[multi] / (total[multi] / count[multi]).mean()
    return weights


def cohesion(power: float) -> dict:
    def wrap(original):
        def phrase_scores(self, encoded, found, token_scores, *rest, **named):
            scores = original(self, encoded, found, token_scores, *rest, **named)
            start, end = encoded.token_range(found.occ_start, found.occ_end)
            return scores * cohesion_weights(window_maps(self, encoded), found, start, end) ** power
        return phrase_scores
    return {"phrase_scores": wrap}


def pooled_per_word(row: np.ndarray, first: np.ndarray, end: np.ndarray, pool: str) -> np.ndarray:
    """``row`` (any leading axes) with each word's tokens ``[first, end)`` holding its pooled
    score spread evenly, so that they sum to the mean (or max) of their own scores."""
    row = np.asarray(row, dtype=np.float64)
    pooled = row.copy()
    for a, b in zip(first, end):
        if b - a > 1:
            value = row[..., a:b].mean(-1) if pool == "mean" else row[..., a:b].max(-1)
            pooled[..., a:b] = (value / (b - a))[..., None]
    return pooled


def per_word(pool: str) -> dict:
    seen: dict = {}

    def wrap(original):
        def phrase_scores(self, encoded, found, token_scores, *rest, **named):
            first, end = encoded.token_range(seen["tagged"].starts, seen["tagged"].ends)
            return original(self, encoded, found, pooled_per_word(token_scores, first, end, pool), *rest, **named)
        return phrase_scores
    return {"_score": tagged_kept(seen), "phrase_scores": wrap}


LEVERS = {
    "nearness to the lead, power 0.25": lead_nearness(0.25),
    "nearness to the lead, power 0.5": lead_nearness(0.5),
    "nearness to the lead, power 1": lead_nearness(1.0),
    "cls and G + P blended, cls 0.5": readouts_blended(0.5),
    "cls and G + P blended, cls 0.75": readouts_blended(0.75),
    "cls and G + P, geometric mean": readouts_blended(0.5, geometric=True),
    "a multi-word phrase's cohesion, power 1": cohesion(1.0),
    "token scores pooled per word, mean": per_word("mean"),
    "token scores pooled per word, max": per_word("max"),
}


if __name__ == "__main__":
    rows_page(LEVERS, "READING_LEVERS", "Reading levers measured and not taken", "reading_levers.py", __doc__)
