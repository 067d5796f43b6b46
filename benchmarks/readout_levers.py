"""Readout and sub-phrase levers measured on the development sets and not taken (issue 14):
docs/READOUT_LEVERS.md.

    .venv/bin/python benchmarks/readout_levers.py      # ~60 min: most rows read the model again

The default beside four changes (F1@10, every other setting the default's), on the four
development sets the choices of docs/NAMES.md looked at:
- a prompt's readout: in texts read by cls (texts without many names, stage 8 of docs/NAMES.md),
  the attention rows of a prompt put after the text ("[CLS] text [SEP] this text is about [SEP]",
  the rows of the prompt's tokens averaged, only the text's columns kept) instead of [CLS]'s row.
  PromptRank and Attention-Seeker ask their model about the text in words; [CLS] asks nothing;
- attention rollout (Abnar & Zuidema 2020): in texts read by cls, each chosen head's [CLS] row
  carried down to the input tokens through the layers below it, each layer's maps averaged over
  heads and mixed half and half with the identity (the residual stream): the row
  ``A_head[cls] @ (A_4 / 2 + I / 2) ... (A_0 / 2 + I / 2)``, through one layer below or all five.
  A last-layer head attends to positions that already mix many tokens;
- norm-weighted attention (Kobayashi et al. 2020): in every text, each weight ``A[i, j]`` times the
  norm of what token j hands on through that head (its value vector through the head's slice of
  the output projection), each row over its sum, then the text's readout as before. A token that
  hands on little (a separator, a comma) draws much attention and says little;
- tails of multi-word candidates as candidates of their own: "channel flow" at each occurrence of
  "horizontal channel flow", in every text or in texts with few names only. The first table says
  how much of each set's gold is such a tail and no candidate.
The levers are written here, as wrappers of ``Pipeline`` methods, not in the library: none beat
the default. Nothing here reads a held-out set. The model is read outside the disk cache for
every row but the tails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidate_levers import candidates_with, gated, with_occurrences, word_spans  # noqa: E402
from graph_fusion import ROOT, documents  # noqa: E402
from machine import machine  # noqa: E402
from ranking_levers import lever_page, measured  # noqa: E402
from samrank import scoring  # noqa: E402
from samrank.evaluation import gold_set, protocol_stem  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402
from samrank.readers.base import encode, sink_index  # noqa: E402

PROMPT = "this text is about"
GOLD_SETS = ("semeval2017", "500n_kpcrowd:dev", "duc2001_dev")


def reread(rows_of):
    """A ``read_pooled`` wrapper whose scores come from ``rows_of(pipeline, text, encoded, layers,
    mode)`` (``(len(layers), heads, n)``) in place of the model's usual reading; ``rows_of``
    returns None for a text it leaves alone."""
    def wrap(original):
        def read_pooled(self, text, layers=None, all_heads=False, progress=None, heads=None, mode=None):
            encoded, scores, vectors = original(self, text, layers, all_heads, progress, heads, mode)
            heads = tuple(heads or self.resolved.heads)
            layers = sorted(set(layers) if layers is not None else {layer for layer, _ in heads})
            new = rows_of(self, text, encoded, layers, mode or self.resolved.mode)
            if new is None:
                return encoded, scores, vectors
            if scores.shape[1] == 1:  # the head alone was read
                new = new[:, [heads[0][1]]]
            assert new.shape == scores.shape, (new.shape, scores.shape)
            return encoded, new, vectors
        return read_pooled
    return {"read_pooled": wrap}


def home_slices(pipeline, encoded):
    """Each window's token ids and the positions of its home tokens in the pass (after the
    model's special tokens that open it)."""
    first = len(pipeline.loaded.prefix_ids)
    for (a, b), (home_a, home_b) in zip(encoded.windows, encoded.segments):
        yield encoded.ids[a:b], slice(first + home_a - a, first + home_b - a)


def prompt_rows(pipeline, text, encoded, layers, mode):
    """The prompt's readout (module docstring), in texts read by cls."""
    if mode != "cls":
        return None
    loaded = pipeline.loaded
    prompt = [*loaded.suffix_ids, *loaded.tokenizer(PROMPT, add_special_tokens=False)["input_ids"]]
    # the text in windows that leave room for the prompt; its tokens are the same, so the rows line up
    windows = encode(loaded, text, loaded.max_length - len(prompt), pipeline.resolved.window_overlap)
    reader, parts = pipeline.reader(layers), []
    for ids, home in home_slices(pipeline, windows):
        after = len(loaded.prefix_ids) + len(ids)  # the prompt's words follow the text and a [SEP]
        asks = np.arange(after + len(loaded.suffix_ids), after + len(prompt))

        def reduce(maps, asks=asks, home=home):
            return np.asarray(maps, dtype=np.float64)[:, asks, :].mean(1)[:, home]
        parts.append(np.stack(reader.read(np.concatenate([ids, prompt]).astype(np.int64), reduce)))
    return np.concatenate(parts, axis=-1)


def rollout(below: int):
    """Attention rollout through ``below`` layers (module docstring), in texts read by cls."""
    def rows(pipeline, text, encoded, layers, mode):
        if mode != "cls":
            return None
        top = max(layers)
        reader, parts = pipeline.reader(range(top + 1)), []
        for ids, home in home_slices(pipeline, encoded):
            maps = reader.read(ids, lambda m: np.asarray(m, dtype=np.float64))
            n = maps[0].shape[-1]
            identity = np.eye(n)
            carried = identity
            for layer in range(top - below, top):
                carried = (maps[layer].mean(0) / 2 + identity / 2) @ carried
            dropped = [0] + [sink for sink in [sink_index(pipeline.loaded, n)] if sink is not None]
            per_layer = []
            for layer in layers:
                row = maps[layer][:, 0, :] @ carried
                row[:, dropped] = 0.0
                per_layer.append(row[:, home])
            parts.append(np.stack(per_layer))
        return np.concatenate(parts, axis=-1)
    return rows


def norm_weighted_rows(pipeline, text, encoded, layers, mode):
    """Norm-weighted attention (module docstring), every text: a forward pass of the model with
    hooks on the read layers' value projections (a BERT-like encoder: minilm). The hooks sit on the
    model itself, unlike the library's readers: fine here, where one text is read at a time."""
    import torch

    model = pipeline.loaded.model
    n_heads = model.config.num_attention_heads
    values: dict[int, np.ndarray] = {}
    hooks = [model.encoder.layer[layer].attention.self.value.register_forward_hook(
        lambda module, inputs, out, layer=layer: values.__setitem__(layer, out[0].detach().double().numpy()))
        for layer in layers]
    outputs = {layer: model.encoder.layer[layer].attention.output.dense.weight.detach().double().numpy()
               for layer in layers}
    loaded, parts = pipeline.loaded, []
    try:
        for ids, home in home_slices(pipeline, encoded):
            window = [*loaded.prefix_ids, *ids.tolist(), *loaded.suffix_ids]
            with torch.no_grad():
                attentions = model(torch.tensor([window]), output_attentions=True).attentions
            n, per_layer = len(window), []
            for layer in layers:
                value = values[layer].reshape(n, n_heads, -1)
                size = value.shape[-1]
                norms = np.stack([np.linalg.norm(value[:, h] @ outputs[layer][:, h * size:(h + 1) * size].T, axis=-1)
                                  for h in range(n_heads)])
                weighted = attentions[layer][0].double().numpy() * norms[:, None, :]
                weighted /= weighted.sum(-1, keepdims=True)
                per_layer.append(scoring.token_scores(weighted, sink_index(loaded, n), mode)[:, home])
            parts.append(np.stack(per_layer))
    finally:
        for hook in hooks:
            hook.remove()
    return np.concatenate(parts, axis=-1)


def tails(tagged, found):
    """Each occurrence of a candidate of three or more words adds its tails of two or more words
    ("channel flow" of "horizontal channel flow") as occurrences of candidates of their own."""
    added = []
    for k in np.flatnonzero(found.n_words[found.occ_phrase] > 2):
        span = word_spans(tagged, found, k)
        added += [(found.joiner.join(tagged.words[i:span.stop]), int(tagged.starts[i]), int(tagged.ends[span.stop - 1]))
                  for i in range(span.start + 1, span.stop - 1) if any(c.isalpha() for c in tagged.words[i])]
    return with_occurrences(found, added)


def tail_share(name: str) -> float:
    """Percent of the set's stemmed gold that is a tail of some candidate and no candidate itself."""
    pipeline = KeyphraseExtractor(cache=True).pipeline
    gold = found = 0
    for document in (d for d in documents(name, None) if d.gold):
        tagged = pipeline.tag([document.text])[0]
        candidates = {protocol_stem(p) for p in pipeline.candidates(tagged, document.text).phrases}
        tails_of = {" ".join(c.split()[i:]) for c in candidates for i in range(1, len(c.split()) - 1)}
        for phrase in gold_set(document):
            gold += 1
            found += phrase not in candidates and phrase in tails_of
    return round(100 * found / gold, 1)


LEVERS = {
    f"a prompt's readout ('{PROMPT}')": reread(prompt_rows),
    "attention rollout through one layer": reread(rollout(1)),
    "attention rollout through all five layers": reread(rollout(5)),
    "norm-weighted attention": reread(norm_weighted_rows),
    "tails of multi-word candidates as candidates": candidates_with(tails),
    "tails of multi-word candidates as candidates, texts with few names only": candidates_with(gated(tails, True)),
}


def main() -> None:
    shares = {name: tail_share(name) for name in GOLD_SETS}
    f1 = measured({row: (lever, {}) for row, lever in {"default": {}, **LEVERS}.items()})
    (ROOT / "docs" / "READOUT_LEVERS.json").write_text(json.dumps(
        {"machine": machine(), "f1@10": f1, "tail gold %": shares}, indent=1))
    page = lever_page(f1, "Readout and sub-phrase levers measured and not taken", "readout_levers.py")
    share_table = ["## Gold that is a tail of a candidate and no candidate (percent of the stemmed gold)", "",
                   "| " + " | ".join(GOLD_SETS) + " |", "|" + "---|" * len(GOLD_SETS),
                   "| " + " | ".join(f"{shares[s]:.1f}" for s in GOLD_SETS) + " |", ""]
    (ROOT / "docs" / "READOUT_LEVERS.md").write_text(page + "\n" + "\n".join(share_table))


if __name__ == "__main__":
    main()
