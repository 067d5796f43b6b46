"""Tables and pictures of evaluation results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .evaluation import KS, Evaluation


def single_heads(result: Evaluation) -> dict:
    """The scores of single heads, keyed ``(layer, head)`` (named ensembles left out)."""
    return {key: score for key, score in result.scores.items() if isinstance(key, tuple)}


def heads_table(result: Evaluation) -> list[dict]:
    """One row per head: 0-based layer and head, the paper's 1-based "L-H", F1/P/R at k."""
    rows = []
    for (layer, head), score in sorted(single_heads(result).items()):
        averages = score.averages()
        row = {"layer": layer, "head": head, "paper_layer_head": f"{layer + 1}-{head + 1}"}
        row.update({key: round(averages.get(key, 0.0), 4)
                    for prefix in ("f1", "p", "r") for key in (f"{prefix}@{k}" for k in KS)})
        rows.append(row)
    return rows


def write_heatmap(result: Evaluation, path: Path) -> None:
    """F1@5/10/15 of every head as layer x head heatmaps (like the paper's Figures 3 and 4)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = single_heads(result)
    layers = 1 + max(layer for layer, _ in scores)
    heads = 1 + max(head for _, head in scores)
    figure, axes = plt.subplots(1, len(KS), figsize=(4.2 * len(KS), 0.35 * layers + 2.2),
                                constrained_layout=True)
    for axis, k in zip(axes, KS):
        grid = np.full((layers, heads), np.nan)
        for (layer, head), score in scores.items():
            grid[layer, head] = score.averages().get(f"f1@{k}", np.nan)
        image = axis.imshow(grid, cmap="viridis", aspect="auto", origin="lower")
        best = np.unravel_index(np.nanargmax(grid), grid.shape)
        axis.scatter([best[1]], [best[0]], marker="*", s=120, color="red")
        axis.set_title(f"F1@{k} (best {grid[best]:.2f} at {best[0]}-{best[1]})")
        axis.set_xlabel("head (0-based)")
        axis.set_ylabel("layer (0-based)")
        figure.colorbar(image, ax=axis, shrink=0.8)
    figure.suptitle(f"{result.dataset}, {result.model}, method {result.method}, "
                    f"{result.docs} documents")
    figure.savefig(path, dpi=110)
    plt.close(figure)


def highlight_html(text: str, words, keyphrases, title: str) -> str:
    """A self-contained HTML page: each word shaded by its attention weight (darker = more),
    keyphrase occurrences underlined, and the ranked keyphrases listed beside the text."""
    from html import escape

    top = max((w.weight for w in words), default=0.0) or 1.0
    marked = sorted({span for k in keyphrases for span in k.spans})
    underline = np.zeros(len(text) + 1, dtype=np.int64)
    for start, end in marked:
        underline[start] += 1
        underline[end] -= 1
    in_keyphrase = np.cumsum(underline)[:-1] > 0

    pieces, position = [], 0
    for word in words:
        pieces.append(escape(text[position : word.start]))
        share = max(word.weight, 0.0) / top
        style = f"background: rgba(255, 140, 0, {share:.3f})"
        if in_keyphrase[word.start]:
            style += "; text-decoration: underline 2px"
        pieces.append(f'<span style="{style}" title="{escape(word.tag)} {word.weight:.4f}">'
                      f"{escape(text[word.start:word.end])}</span>")
        position = word.end
    pieces.append(escape(text[position:]))
    rows = "".join(f"<li>{escape(k.phrase)} <small>{k.score:.3f} &times; {len(k.spans)}</small></li>"
                   for k in keyphrases)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font: 15px/1.7 system-ui, sans-serif; margin: 2em; display: flex; gap: 2em; }}
main {{ flex: 3; white-space: pre-wrap; }} aside {{ flex: 1; }} small {{ color: #777; }}
</style></head>
<body><main>{''.join(pieces)}</main>
<aside><h3>{escape(title)}</h3><ol>{rows}</ol>
<p><small>Shading: attention weight of each word (sum of its tokens' scores), darkest = highest.
Underlined: occurrences of the listed keyphrases. Hover a word for its POS tag and weight.</small></p>
</aside></body></html>
"""
