"""Tables and pictures of evaluation results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .evaluation import KS, Evaluation
from .scoring import covered
from .settings import model_name


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
    settings = next(iter(result.settings.values()))
    figure.suptitle(f"{result.dataset}, {model_name(settings.model)}, mode {settings.mode}, "
                    f"{result.docs} documents")
    figure.savefig(path, dpi=110)
    plt.close(figure)


def keyphrase_mask(text: str, keyphrases) -> np.ndarray:
    """Per character of ``text``: does it lie inside an occurrence of one of the keyphrases?"""
    spans = np.array([span for k in keyphrases for span in k.spans], dtype=np.int64).reshape(-1, 2)
    return covered(len(text), spans[:, 0], spans[:, 1])


def highlight_html(text: str, words, keyphrases, title: str) -> str:
    """A self-contained HTML page: each word shaded by its attention weight (darker = more),
    keyphrase occurrences underlined, and the ranked keyphrases listed beside the text."""
    from html import escape

    top = max((w.weight for w in words), default=0.0) or 1.0
    in_keyphrase = keyphrase_mask(text, keyphrases)

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


def highlight_png(text: str, words, keyphrases, title: str, path: Path, max_words: int = 1200,
                  line_chars: int = 100) -> None:
    """The highlight page as a picture: words laid out in a monospace font, each on a patch
    shaded by its attention weight (darker = more), keyphrase occurrences underlined, the ranked
    keyphrases listed below. Long texts stop after ``max_words`` words (said on the picture)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = words[:max_words]
    top = max((w.weight for w in shown), default=0.0) or 1.0
    in_keyphrase = keyphrase_mask(text, keyphrases)
    # lay words out on lines of at most line_chars characters, a space between words
    lines, column = [[]], 0
    for word in shown:
        label = " ".join(text[word.start:word.end].split())
        if column and column + 1 + len(label) > line_chars:
            lines.append([])
            column = 0
        lines[-1].append((column, label, max(word.weight, 0.0) / top, bool(in_keyphrase[word.start])))
        column += len(label) + 1
    listed = [f"{rank}. {k.phrase}  ({k.score:.3g} x {len(k.spans)})" for rank, k in enumerate(keyphrases, 1)]
    if len(words) > max_words:
        listed.append(f"(picture stops after {max_words} of {len(words)} words)")
    rows = len(lines) + len(listed) + 3
    figure = plt.figure(figsize=(line_chars * 0.085 + 0.6, rows * 0.22 + 0.6))
    axis = figure.add_axes((0, 0, 1, 1))
    axis.set_xlim(-1, line_chars + 1)
    axis.set_ylim(rows, -1)
    axis.axis("off")
    axis.text(0, 0, title, fontsize=10, weight="bold", va="center", family="monospace")
    colours = matplotlib.colormaps["Oranges"]
    for row, line in enumerate(lines, 2):
        for column, label, share, underlined in line:
            axis.add_patch(plt.Rectangle((column - 0.1, row - 0.45), len(label) + 0.2, 0.9,
                                         color=colours(share), linewidth=0))
            axis.text(column, row, label, fontsize=8, va="center", family="monospace",
                      color="white" if share > 0.6 else "black")
            if underlined:
                axis.plot([column, column + len(label)], [row + 0.42, row + 0.42], color="black", linewidth=0.8)
    for row, entry in enumerate(listed, len(lines) + 3):
        axis.text(0, row, entry, fontsize=8, va="center", family="monospace")
    figure.savefig(path, dpi=120)
    plt.close(figure)
