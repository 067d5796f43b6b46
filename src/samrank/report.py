"""Tables and pictures of evaluation results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .evaluation import KS, Evaluation


def heads_table(result: Evaluation) -> list[dict]:
    """One row per head: 0-based layer and head, the paper's 1-based "L-H", F1/P/R at k."""
    rows = []
    for (layer, head), score in sorted(result.scores.items()):
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

    layers = 1 + max(layer for layer, _ in result.scores)
    heads = 1 + max(head for _, head in result.scores)
    figure, axes = plt.subplots(1, len(KS), figsize=(4.2 * len(KS), 0.35 * layers + 2.2),
                                constrained_layout=True)
    for axis, k in zip(axes, KS):
        grid = np.full((layers, heads), np.nan)
        for (layer, head), score in result.scores.items():
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
