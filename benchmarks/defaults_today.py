"""The head of docs/DEFAULTS.md: minilm's default today, setting by setting, with the stage that
chose it and its numbers; the first stage's grid (benchmarks/defaults.py) stays below it.

    .venv/bin/python benchmarks/defaults_today.py

Runs nothing: the values come from the library (``MODEL_DEFAULTS`` and ``Settings``), the numbers
from the JSON files the stages' scripts wrote (docs/NAMES_dev.json and NAMES_test.json:
``benchmarks/names_rule.py --split dev|test``; peers: docs/peers*.json). Re-run it after any of
those scripts, or after ``benchmarks/defaults.py`` (which rewrites the file from its title on).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fusion import ROOT, peers  # noqa: E402
from names_rule import (BEFORE, CONTROL, DEFAULT, WITH_BOTH_READOUT, WITH_EMBEDRANK_GRAMMAR,  # noqa: E402
                        WITH_GERUNDS_AS_TAGGED, WITH_MEASURES_KEPT, WITH_NON_TOPICS_KEPT, WITH_STOPWORDS_DROPPED,
                        WITH_DATELINES_GLUED, WITH_TIME_WORDS_KEPT, WITH_WORDS_SUMMED, WITHOUT_LONG_HEADS,
                        WITHOUT_RARITY, WITHOUT_SIMILARITY)
from samrank.evaluation import f1_text  # noqa: E402
from samrank.settings import MODEL_DEFAULTS, Settings  # noqa: E402

STAGE_ONE_TITLE = "# Default settings chosen on development data (minilm)"
# setting -> (the stage that chose it, the data it looked at)
STAGES = {
    ("heads", "head_weighting", "single_words", "length_power", "position_power"):
        ("1. attention settings: docs/DEFAULTS.md below (`benchmarks/defaults.py`)",
         "SemEval2017, 500n_kpcrowd:dev"),
    ("graph_weight", "long_position_power", "graph_from_words", "graph_full_words", "long_text_words"):
        ("2. word graph in long texts: docs/GRAPH.md (`benchmarks/graph_fusion.py --choose`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev"),
    ("names_heads", "names_head_weighting", "few_names_length_power", "few_names_share", "many_names_share"):
        ("3. settings by the share of names: docs/NAMES.md (`benchmarks/names_rule.py --choose`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev"),
    ("few_names_graph_weight",):
        ("3b. the graph's weight by names: docs/NAMES.md (`benchmarks/names_rule.py --choose-graph`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("few_names_rarity_power", "rarity_power"):
        ("4. the words' rarity in general language: docs/NAMES.md (`benchmarks/names_rule.py --choose-rarity`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("long_heads", "long_head_weighting"):
        ("5. heads for long texts with few names: docs/NAMES.md (`benchmarks/names_rule.py --rank-long-heads "
         "--choose-long-heads`)", "krapivin 101-400 (ranking); SemEval2017, 500n_kpcrowd:dev, duc2001_dev, "
         "krapivin 101-400"),
    ("modifier_tags",):
        ("6. which words may stand before a phrase's nouns: docs/NAMES.md (`benchmarks/names_rule.py "
         "--choose-grammar`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("similarity_power",):
        ("7. the phrase's nearness to its text in the model's embedding space: docs/NAMES.md "
         "(`benchmarks/names_rule.py --choose-similarity`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("leading_stopwords",):
        ("a fix: English phrases that open with a stop word trimmed, not dropped: docs/NAMES.md "
         "(`benchmarks/names_rule.py --choose-stopwords`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("split_time_words",):
        ("a fix: a time adverbial cut off an English chunk's end ('Exxon officials Monday'): docs/NAMES.md "
         "(`benchmarks/names_rule.py --choose-time-words`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("few_names_mode",):
        ("8. the readout of texts with few names: docs/NAMES.md (`benchmarks/names_rule.py "
         "--choose-few-names-readout`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("nominal_gerunds",):
        ("a fix: a gerund inside an English noun phrase read as a noun where the text uses it as one "
         "('message passing protocol'): docs/NAMES.md (`benchmarks/names_rule.py --choose-gerunds`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("drop_measures",):
        ("a fix: no one-word phrase is a measure ('30ml', '1960s', 'GeV' after a number): docs/NAMES.md "
         "(`benchmarks/names_rule.py --choose-measures`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("drop_cited_names", "drop_formulas", "drop_addresses"):
        ("a fix: no phrase is a name cited as an author ('Wu et al.') or holds a formula ('N=2') or an address "
         "('x@y.org'): docs/NAMES.md (`benchmarks/names_rule.py --choose-non-topics`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("long_word_count_power",):
        ("9. how a one-word phrase's occurrences add up in long texts with few names: docs/NAMES.md "
         "(`benchmarks/names_rule.py --choose-word-count`)", "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
    ("split_datelines",):
        ("a fix: no phrase runs from a headline into the news dateline glued after it ('menus WASHINGTON - "
         "Like'): docs/NAMES.md (`benchmarks/names_rule.py --choose-datelines`)",
         "SemEval2017, 500n_kpcrowd:dev, duc2001_dev, krapivin 101-400"),
}


def value(name: str) -> str:
    given = MODEL_DEFAULTS["minilm"].get(name, getattr(Settings(), name))
    if name == "names_heads" and len(given) == 72:
        return "all 72 heads"
    if name in ("heads", "names_heads", "long_heads"):
        return ", ".join(f"{layer}-{head}" for layer, head in given)
    if name == "modifier_tags":
        return ", ".join(given)
    return str(given)


def margin(choice: str) -> str:
    """How far the chosen row of docs/{choice} beat the default so far (its first row) in the mean."""
    data = json.loads((ROOT / "docs" / choice).read_text())
    return f"{data['chosen']['mean'] - data['rows'][0]['mean']:.2f}"


def results_table(split: str, peer_scores: dict) -> list[str]:
    data = json.loads((ROOT / "docs" / f"NAMES_{split}.json").read_text())
    sets = list(data["results"][DEFAULT])
    rows = {"**the default**": data["results"][DEFAULT]}
    rows["before stage 3 (one length power, head set and graph weight for every text, no rarity, no long heads, "
         "SAMRank's grammar, no nearness to the text, SAMRank's stop-word rule and chunks)"] = \
        data["results"][BEFORE]
    rows["without stage 4 (no rarity)"] = data["results"][WITHOUT_RARITY]
    rows["without stage 5 (no long texts' heads)"] = data["results"][WITHOUT_LONG_HEADS]
    rows["without stage 6 (SAMRank's grammar: JJ alone before the nouns)"] = data["results"][WITH_EMBEDRANK_GRAMMAR]
    rows["without stage 7 (no nearness to the text)"] = data["results"][WITHOUT_SIMILARITY]
    rows["without the stop-word fix (phrases that open with a stop word dropped, as SAMRank does)"] = \
        data["results"][WITH_STOPWORDS_DROPPED]
    rows["without the time-word fix (a time adverbial kept at a chunk's end, as SAMRank does)"] = \
        data["results"][WITH_TIME_WORDS_KEPT]
    rows["without stage 8 (texts with few names read by both, as SAMRank reads every text)"] = \
        data["results"][WITH_BOTH_READOUT]
    if WITH_GERUNDS_AS_TAGGED in data["results"]:
        rows["without the gerund fix (the tagger's verbs inside noun phrases kept, as SAMRank does)"] = \
            data["results"][WITH_GERUNDS_AS_TAGGED]
    if WITH_MEASURES_KEPT in data["results"]:
        rows["without the measures fix (a one-word measure such as '30ml' kept, as SAMRank does)"] = \
            data["results"][WITH_MEASURES_KEPT]
    if WITH_NON_TOPICS_KEPT in data["results"]:
        rows["without the cited-names, formulas and addresses fix (all kept as candidates, as SAMRank does)"] = \
            data["results"][WITH_NON_TOPICS_KEPT]
    if WITH_WORDS_SUMMED in data["results"]:
        rows["without stage 9 (a one-word phrase's occurrences summed in long texts too)"] = \
            data["results"][WITH_WORDS_SUMMED]
    if WITH_DATELINES_GLUED in data["results"]:
        rows["without the dateline fix (a phrase may run from a headline into its dateline, as SAMRank's chunks do)"] = \
            data["results"][WITH_DATELINES_GLUED]
    rows["no-attention control (the default with every token scoring 1)"] = data["results"][CONTROL]
    rows |= {f"peer: {tool}": scores for tool, scores in peer_scores.items()}
    lines = ["| | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for label, scores in rows.items():
        lines.append(f"| {label} | " + " | ".join(f1_text(scores[s]) if s in scores else "" for s in sets) + " |")
    return lines + ["", f"Machine: {data['machine']}. wicc_es is Spanish, read by e5-small (model auto), which has "
                    "no word graph and no names heads, so its row before stage 3 was not run.", ""]


def head() -> list[str]:
    lines = ["# minilm's default settings, and how each was chosen", "",
             "Made by `benchmarks/defaults_today.py` from the library's settings and the JSON files of the "
             "scripts named below; nothing here was chosen by looking at a held-out set. The default was "
             "chosen in stages, each on development data with the earlier stages fixed; each stage's document "
             "keeps its grid as it ran (later changes to the candidates moved those numbers by hundredths to "
             "tenths; the tables of this head are re-run).", "",
             "| setting | value | chosen by | on |", "|---|---|---|---|"]
    for names, (stage, data) in STAGES.items():
        lines += [f"| `{name}` | {value(name)} | {stage} | {data} |" for name in names]
    peer_scores = peers()
    lines += ["", "The rule of stages 2 to 4: the best mean development F1@10 among the settings that beat every "
              "peer (YAKE, pke PositionRank, pke MultipartiteRank) by 0.2 on every development set they ran on (not "
              "Krapivin 101-400, which stages 3b to 8 scored too); in stages 4 to 8 the "
              "default so far stayed unless a row beat its mean by 0.2 too (the rarity passed by 0.001, the long "
              "texts' heads by " + margin("NAMES_long_heads_choice.json") + ", the grammar by "
              + margin("NAMES_grammar_choice.json") + ", the nearness to the text by "
              + margin("NAMES_similarity_choice.json") + "; the stop-word fix was taken unless it cost 0.2 of the "
              "mean, and moved it by " + margin("NAMES_stopwords_choice.json") + ", the time-word fix on the same "
              "terms moved it by " + margin("NAMES_time_words_choice.json") + ", the gerund fix by "
              + margin("NAMES_gerunds_choice.json") + ", the measures fix by "
              + margin("NAMES_measures_choice.json") + ", the cited-names, formulas and addresses fix by "
              + margin("NAMES_non_topics_choice.json") + "; stage 8 passed by "
              + margin("NAMES_few_names_readout_choice.json") + ", stage 9 by "
              + margin("NAMES_word_count_choice.json") + "; the dateline fix, taken on the fixes' terms, moved the "
              "mean by " + margin("NAMES_datelines_choice.json") + ": docs/NAMES.md). Other models "
              "take their own stage-1 settings (docs/DEFAULTS_mpnet.md, docs/DEFAULTS_smollm2.md, "
              "docs/LANGUAGES.md for e5-small) and no names rule but e5-small's length power (docs/NAMES.md).", "",
              "## Held out (F1@5 / F1@10 / F1@15, `benchmarks/names_rule.py --split test`)", ""]
    lines += results_table("test", peer_scores)
    lines += ["## Development sets (`benchmarks/names_rule.py --split dev`)", ""]
    lines += results_table("dev", peer_scores)
    return lines


def main() -> None:
    path = ROOT / "docs" / "DEFAULTS.md"
    text = path.read_text()
    if STAGE_ONE_TITLE not in text:
        sys.exit(f"{path}: no line {STAGE_ONE_TITLE!r} (run benchmarks/defaults.py first)")
    path.write_text("\n".join(head()) + "\n" + text[text.index(STAGE_ONE_TITLE):])


if __name__ == "__main__":
    main()
