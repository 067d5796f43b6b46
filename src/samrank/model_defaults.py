"""The values chosen per packaged model on development data, and the rules for the others.

``Settings.resolved`` fills a model-dependent field left at ``None`` from here; the benchmark
scripts named beside each value re-make its choice.
"""

from __future__ import annotations

from typing import Any

# Chosen per packaged model on development data (SemEval2017 + 500N-KPCrowd dev) by
# benchmarks/defaults.py; docs/DEFAULTS*.md show the grid and the held-out numbers. A test
# checks these against the committed docs/DEFAULTS*.json. minilm's names_* and few_names_* settings
# were chosen afterwards, on the development sets, by benchmarks/names_rule.py (docs/NAMES.md), then
# its rarity powers (names_rule.py --choose-rarity), its long_heads (--choose-long-heads), its
# similarity_power (--choose-similarity) and last its few_names_mode (--choose-few-names-readout).
MODEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "minilm": {"heads": ((5, 5),), "head_weighting": "mean",
               "names_heads": tuple((layer, head) for layer in range(6) for head in range(12)),
               "names_head_weighting": "dynamic",
               "long_heads": ((5, 7), (5, 9), (5, 1), (5, 6), (5, 4)), "long_head_weighting": "mean",
               "single_words": "sum", "long_word_count_power": 0.0,
               "length_power": 1.0, "few_names_length_power": 0.0, "position_power": 0.25,
               "long_position_power": 1.0, "graph_weight": 0.6, "few_names_graph_weight": 0.15,
               "rarity_power": 1.0, "few_names_rarity_power": 1.5, "similarity_power": 0.5,
               "few_names_mode": "cls"},
    "mpnet": {"heads": ((10, 1), (11, 5), (11, 7), (11, 3), (11, 2)), "head_weighting": "mean",
              "single_words": "sum", "length_power": 0.5,
              "position_power": 0.25, "long_position_power": 0.25, "graph_weight": 0.0},
    # chosen like minilm's stage 1 (docs/DEFAULTS_smollm2.md, benchmarks/defaults.py --model smollm2)
    "smollm2": {"heads": ((23, 5), (23, 1), (23, 0), (16, 3), (22, 2)), "head_weighting": "mean",
                "single_words": "sum", "length_power": 0.5,
                "position_power": 0.25, "long_position_power": 0.25, "graph_weight": 0.0},
    # chosen on the Spanish dev set wicc_es (docs/LANGUAGES.md, benchmarks/languages.py); its
    # few_names_length_power on wicc_es 1-100 too (names_rule.py --choose-spanish, docs/NAMES.md)
    "e5-small": {"heads": ((3, 10), (3, 4), (2, 11), (11, 8), (5, 10)), "head_weighting": "mean",
                 "single_words": "sum", "length_power": 1.0, "few_names_length_power": 0.25,
                 "position_power": 0.25, "long_position_power": 0.25, "graph_weight": 0.0},
}
# Long texts (chosen on the development sets with minilm: docs/GRAPH.md, benchmarks/graph_fusion.py):
# the word graph's share grows with the text's length between the first two word counts; from the
# third on, the position prior takes long_position_power
GRAPH_FROM_WORDS = 200.0
GRAPH_FULL_WORDS = 400.0
LONG_TEXT_WORDS = 300.0
# Texts with few names (docs/NAMES.md, benchmarks/names_rule.py): the share of proper nouns among
# the nouns up to which the few_names_* settings hold, and from which length_power, graph_weight,
# rarity_power and names_heads do
FEW_NAMES_SHARE = 0.2
MANY_NAMES_SHARE = 0.3
# model="auto": which packaged model reads which language
AUTO_MODELS = {"en": "minilm"}
AUTO_MODEL_OTHER = "e5-small"


def auto_model(language: str | None) -> str:
    return AUTO_MODELS.get(language or "en", AUTO_MODEL_OTHER)


# For any other model: the minilm scoring, read from every head of the last layer — the best of five
# rules for minilm, mpnet and smollm2 standing in for unknown models (docs/GENERIC_HEADS.md).
GENERIC_DEFAULTS: dict[str, Any] = {"head_weighting": "mean", "single_words": "sum",
                                    "length_power": 1.0, "position_power": 0.25,
                                    "long_position_power": 0.25, "graph_weight": 0.0}
MODEL_DEPENDENT = ("heads", "head_weighting", "names_heads", "names_head_weighting", "long_heads",
                   "long_head_weighting", "single_words", "long_word_count_power",
                   "length_power", "few_names_length_power", "position_power", "long_position_power",
                   "graph_weight", "few_names_graph_weight", "rarity_power", "few_names_rarity_power",
                   "similarity_power")


def generic_heads(num_layers: int, num_heads: int) -> tuple[tuple[int, int], ...]:
    """Every head of the last layer, for models without chosen defaults."""
    return tuple((num_layers - 1, head) for head in range(num_heads))
