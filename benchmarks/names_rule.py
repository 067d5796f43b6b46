"""The length power and the heads by the share of names (issue 14): development and held-out numbers, docs/NAMES.md.

    .venv/bin/python benchmarks/names_rule.py --choose       # the grid the choice was made on
    .venv/bin/python benchmarks/names_rule.py --choose-graph # then the word graph's weights
    .venv/bin/python benchmarks/names_rule.py --choose-heads # then the heads for texts with few names
    .venv/bin/python benchmarks/names_rule.py --choose-news  # two levers the news sets disagree on
    .venv/bin/python benchmarks/names_rule.py --choose-spanish # the length power for Spanish texts with few names
    .venv/bin/python benchmarks/names_rule.py --choose-rarity  # the words' rarity in general language
    .venv/bin/python benchmarks/names_rule.py --choose-spanish-rarity # the same for Spanish (e5-small)
    .venv/bin/python benchmarks/names_rule.py --rank-long-heads --choose-long-heads # heads for long papers
    .venv/bin/python benchmarks/names_rule.py --choose-grammar # which words may stand before the nouns
    .venv/bin/python benchmarks/names_rule.py --choose-similarity # the phrase's nearness to its text
    .venv/bin/python benchmarks/names_rule.py --choose-spanish-similarity # the same for Spanish (e5-small)
    .venv/bin/python benchmarks/names_rule.py --choose-stopwords # phrases that open with a stop word (a fix)
    .venv/bin/python benchmarks/names_rule.py --choose-generic # and with a generic adjective ("novel", "new")
    .venv/bin/python benchmarks/names_rule.py --choose-time-words # a time adverbial at a chunk's end (a fix)
    .venv/bin/python benchmarks/names_rule.py --choose-readout # the token score readout (mode)
    .venv/bin/python benchmarks/names_rule.py --choose-few-names-readout # the readout of texts with few names
    .venv/bin/python benchmarks/names_rule.py --choose-gerunds # a gerund inside a noun phrase (a fix)
    .venv/bin/python benchmarks/names_rule.py --choose-measures # a measure as a one-word phrase (a fix)
    .venv/bin/python benchmarks/names_rule.py --choose-non-topics # cited authors, formulas, addresses (a fix)
    .venv/bin/python benchmarks/names_rule.py --choose-word-count # one-word phrases' repetition in long texts
    .venv/bin/python benchmarks/names_rule.py --choose-datelines # a news dateline glued after its headline (a fix)
    .venv/bin/python benchmarks/names_rule.py --split dev    # the sets the choice looked at
    .venv/bin/python benchmarks/names_rule.py --split test   # held out, after the choice
    .venv/bin/python benchmarks/names_rule.py --speed        # what reading news through every head costs
    .venv/bin/python benchmarks/names_rule.py                # docs/NAMES.md from the JSONs

Every configuration is the library's default (model auto: minilm for English, e5-small for
Spanish, which keeps one length power) but for the named changes:
- one length power (the default before): ``few_names_length_power`` = ``length_power`` (1.0);
- default: texts whose nouns are few proper nouns take a lower length power (``samrank/names.py``);
- control: the default with ``mode="uniform"`` (every token scores 1: no attention anywhere).
Peers (YAKE, pke PositionRank and MultipartiteRank, same protocol): docs/peers*.json. Protocol:
macro F1@5 / F1@10 / F1@15 in percent, Porter-stemmed and deduplicated predictions, all gold.
Token scores are kept in the disk cache, so configurations after the first repeat no forward pass.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fusion import ROOT, documents, peers, run, split_pages, summary  # noqa: E402
from machine import machine  # noqa: E402
from late_choices import (choose_few_names_readout, choose_generic, choose_gerunds, choose_measures,  # noqa: E402
                          choose_non_topics, choose_readout, choose_stopwords, choose_time_words,
                          choose_word_count, choose_datelines)
from names_choices import (choose, choose_graph, choose_heads, choose_long_heads,  # noqa: E402
                           choose_grammar, choose_news, choose_rarity, choose_similarity, choose_spanish,
                           choose_spanish_rarity, choose_spanish_similarity, rank_long_heads)
from names_intro import INTRO  # noqa: E402
from names_tables import choice_tables  # noqa: E402
from samrank.evaluation import paired_bootstrap  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402

NO_RARITY = {"rarity_power": 0.0, "few_names_rarity_power": 0.0}
NO_LONG_HEADS = {"long_heads": ()}
EMBEDRANK_GRAMMAR = {"modifier_tags": ("JJ",)}
NO_SIMILARITY = {"similarity_power": 0.0}
STOPWORDS_DROPPED = {"leading_stopwords": "drop"}
TIME_WORDS_KEPT = {"split_time_words": False}
BOTH_READOUT = {"few_names_mode": "both"}
GERUNDS_AS_TAGGED = {"nominal_gerunds": False}
MEASURES_KEPT = {"drop_measures": False}
NON_TOPICS_KEPT = {"drop_cited_names": False, "drop_formulas": False, "drop_addresses": False}
WORDS_SUMMED = {"long_word_count_power": 1.0}
DATELINES_GLUED = {"split_datelines": False}
# stages 4-8 and the candidate fixes off: the rows of stage 3 as they were
LATER_OFF = {**NO_RARITY, **NO_LONG_HEADS, **EMBEDRANK_GRAMMAR, **NO_SIMILARITY, **STOPWORDS_DROPPED, **TIME_WORDS_KEPT,
             **BOTH_READOUT, **GERUNDS_AS_TAGGED, **MEASURES_KEPT, **NON_TOPICS_KEPT, **WORDS_SUMMED,
             **DATELINES_GLUED}
CONFIGS = {
    "before: one length power, one head set, one graph weight, no rarity (few_names_length_power=1, names_heads=none, "
    "few_names_graph_weight=0.6, rarity_power=0, long_heads=none)": {"few_names_length_power": 1.0, "names_heads": (),
                                                                     "few_names_graph_weight": 0.6, **LATER_OFF},
    "default: by the share of names and the length, the length power, the heads, the graph weight and the "
    "words' rarity": {},
    "control: the default with uniform attention": {"mode": "uniform"},
    "the length power alone": {"names_heads": (), "few_names_graph_weight": 0.6, **LATER_OFF},
    "the heads alone": {"few_names_length_power": 1.0, "few_names_graph_weight": 0.6, **LATER_OFF},
    "the graph weight alone": {"few_names_length_power": 1.0, "names_heads": (), **LATER_OFF},
    "the default without the words' rarity (rarity_power=0)": NO_RARITY,
    "the default without the long texts' heads (long_heads=none)": NO_LONG_HEADS,
    "the default with SAMRank's grammar (modifier_tags=JJ)": EMBEDRANK_GRAMMAR,
    "the default without the nearness to the text (similarity_power=0)": NO_SIMILARITY,
    "the default with SAMRank's stop-word rule (leading_stopwords=drop)": STOPWORDS_DROPPED,
    "the default with time words kept at a chunk's end (split_time_words=false)": TIME_WORDS_KEPT,
    "the default with SAMRank's readout in every text (few_names_mode=both)": BOTH_READOUT,
    "the default with gerunds as tagged (nominal_gerunds=false)": GERUNDS_AS_TAGGED,
    "the default with measures kept as one-word phrases (drop_measures=false)": MEASURES_KEPT,
    "the default with cited names, formulas and addresses kept (drop_cited_names, drop_formulas, drop_addresses "
    "false)": NON_TOPICS_KEPT,
    "the default with one-word phrases summed in long texts (long_word_count_power=1)": WORDS_SUMMED,
    "the default with datelines glued to the text before them (split_datelines=false)": DATELINES_GLUED,
}
DEFAULT = ("default: by the share of names and the length, the length power, the heads, the graph weight and the "
           "words' rarity")
BEFORE, CONTROL = list(CONFIGS)[0], list(CONFIGS)[2]  # graph_fusion.summary reads the first three in this order
WITHOUT_RARITY = "the default without the words' rarity (rarity_power=0)"
WITHOUT_LONG_HEADS = "the default without the long texts' heads (long_heads=none)"
WITH_EMBEDRANK_GRAMMAR = "the default with SAMRank's grammar (modifier_tags=JJ)"
WITHOUT_SIMILARITY = "the default without the nearness to the text (similarity_power=0)"
WITH_STOPWORDS_DROPPED = "the default with SAMRank's stop-word rule (leading_stopwords=drop)"
WITH_TIME_WORDS_KEPT = "the default with time words kept at a chunk's end (split_time_words=false)"
WITH_BOTH_READOUT = "the default with SAMRank's readout in every text (few_names_mode=both)"
WITH_GERUNDS_AS_TAGGED = "the default with gerunds as tagged (nominal_gerunds=false)"
WITH_MEASURES_KEPT = "the default with measures kept as one-word phrases (drop_measures=false)"
WITH_NON_TOPICS_KEPT = ("the default with cited names, formulas and addresses kept (drop_cited_names, drop_formulas, "
                        "drop_addresses false)")
WITH_WORDS_SUMMED = "the default with one-word phrases summed in long texts (long_word_count_power=1)"
WITH_DATELINES_GLUED = "the default with datelines glued to the text before them (split_datelines=false)"
# rows whose few_names_graph_weight=0.6 would switch the graph on for e5-small (Spanish), which
# has none: their Spanish cells are left out rather than shown for a configuration never meant
ENGLISH_ONLY = [name for name, changes in CONFIGS.items() if "few_names_graph_weight" in changes]


def drop_spanish(split: str) -> None:
    path = ROOT / "docs" / f"NAMES_{split}.json"
    data = json.loads(path.read_text())
    for name in ENGLISH_ONLY:
        data["results"][name] = {s: v for s, v in data["results"][name].items() if not s.startswith("wicc_es")}
    path.write_text(json.dumps(data, indent=1))


# set -> (documents, the head set whose cost it shows: read or switched off)
SPEED_SETS = {"500n_kpcrowd:dev": (50, "names_heads"), "inspec": (100, "names_heads"), "krapivin": (10, "long_heads")}


def speed() -> None:
    """Documents per second through extract() (cache off, after a 3-document warm-up) with the
    default, with one head set for every text and without the nearness to the text: what reading
    news through every head, long papers through five, and the phrases' embeddings cost."""
    out = {"machine": machine(), "rows": {}}
    for name, (limit, heads) in SPEED_SETS.items():
        texts = [doc.text for doc in documents(name, (0, limit))]
        for label, changes in (("default", {}), (f"{heads}=none", {heads: ()}),
                               ("similarity_power=0", {"similarity_power": 0.0})):
            extractor = KeyphraseExtractor(**changes)
            for text in texts[:3]:
                extractor.extract(text)
            started = time.perf_counter()
            for text in texts:
                extractor.extract(text)
            out["rows"][f"{name} (first {limit}), {label}"] = round(len(texts) / (time.perf_counter() - started), 2)
            print(time.strftime("%H:%M:%S"), name, label, out["rows"], file=sys.stderr, flush=True)
    (ROOT / "docs" / "NAMES_speed.json").write_text(json.dumps(out, indent=1))


def speed_lines() -> list[str]:
    path = ROOT / "docs" / "NAMES_speed.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return ["## Speed", "", f"`--speed` (extract(), one document at a time, cache off, after a 3-document "
            f"warm-up; machine: {data['machine']}), documents per second:", ""] + \
        [f"- {row}: {value:.2f}" for row, value in data["rows"].items()] + [""]





def spanish_before(line: str) -> str:
    """The Spanish lines' "before": e5-small has no word graph and no names heads, so its rule off
    is the row "the graph weight alone" (few_names_length_power=1), not the English "before" row."""
    if not line.startswith("- wicc_es"):
        return line
    name, split = line[2:].split(" (")[0], line.split(" (")[1].split(")")[0]
    results = json.loads((ROOT / "docs" / f"NAMES_{split}.json").read_text())["results"]
    off, now = results["the graph weight alone"][name][1], results[DEFAULT][name][1]
    return line.replace("before the names rule: not run for its model",
                        f"the rule off {off:.2f} ({now - off:+.2f})")


LATER_STAGES = {"the words' rarity (stage 4)": WITHOUT_RARITY, "the long texts' heads (stage 5)": WITHOUT_LONG_HEADS,
                "participles and adjectives of every degree in phrases (stage 6)": WITH_EMBEDRANK_GRAMMAR,
                "the phrase's nearness to its text (stage 7)": WITHOUT_SIMILARITY,
                "phrases that open with a stop word trimmed, not dropped (a fix)": WITH_STOPWORDS_DROPPED,
                "a time adverbial cut off a chunk's end (a fix)": WITH_TIME_WORDS_KEPT,
                "texts with few names read by cls (stage 8)": WITH_BOTH_READOUT,
                "a gerund inside a noun phrase read as a noun (a fix)": WITH_GERUNDS_AS_TAGGED,
                "no measure as a one-word phrase (a fix)": WITH_MEASURES_KEPT,
                "no cited author, formula or address (a fix)": WITH_NON_TOPICS_KEPT,
                "one-word phrases' repetition discounted in long texts (stage 9)": WITH_WORDS_SUMMED,
                "no phrase runs into a news dateline (a fix)": WITH_DATELINES_GLUED}


def later_stages() -> list[str]:
    """What each later stage moves now: the default minus the default without it, F1@10, with the
    95% interval of a paired bootstrap over the set's documents (``evaluation.paired_bootstrap``)."""
    lines = ["## What the later stages move", "", "The default's F1@10 minus that of the default without "
             "the stage (rows of the tables below), and in brackets the 95% interval of that difference from "
             "10,000 paired resamplings of the set's documents (`samrank.evaluation.paired_bootstrap`): an "
             "interval that holds 0 says the set's documents cannot tell the two apart.", ""]
    for split in ("dev", "test"):
        data = json.loads((ROOT / "docs" / f"NAMES_{split}.json").read_text())
        results, by_document = data["results"], data.get("f1@10_by_document", {})
        for stage, without in LATER_STAGES.items():
            if without not in results:  # a row added since this split last ran
                continue
            moves = ", ".join(f"{name} {now[1] - results[without][name][1]:+.2f}" + interval(by_document, without, name)
                              for name, now in results[DEFAULT].items() if not name.startswith("wicc_es"))
            lines.append(f"- {stage}, {'development' if split == 'dev' else 'held out'}: {moves}")
    return lines + [""]


def interval(by_document: dict, without: str, name: str) -> str:
    if name not in by_document.get(DEFAULT, {}) or name not in by_document.get(without, {}):
        return ""
    _, low, high = paired_bootstrap(by_document[DEFAULT][name], by_document[without][name])
    return f" [{low:+.2f}, {high:+.2f}]"


def render() -> None:
    peer_scores = peers()
    lines = ["# The length power and the heads follow the share of names", "", INTRO] + later_stages()
    lines += ["## In one line per set", ""]
    lines += [spanish_before(line) for line in summary(peer_scores, "NAMES", CONFIGS, "before the names rule")] + [""]
    lines += split_pages("names_rule.py", "NAMES", peer_scores, "Development sets (with Krapivin 101-400 for "
                         "the second stage, the only data the choices looked at)")
    (ROOT / "docs" / "NAMES.md").write_text("\n".join(lines + speed_lines() + choice_tables()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"))
    steps = {"choose": choose, "choose_graph": choose_graph, "choose_heads": choose_heads,
             "choose_news": choose_news, "choose_spanish": choose_spanish, "choose_rarity": choose_rarity,
             "choose_spanish_rarity": choose_spanish_rarity, "rank_long_heads": rank_long_heads,
             "choose_long_heads": choose_long_heads, "choose_grammar": choose_grammar,
             "choose_similarity": choose_similarity, "choose_spanish_similarity": choose_spanish_similarity,
             "choose_stopwords": choose_stopwords, "choose_generic": choose_generic,
             "choose_time_words": choose_time_words, "choose_readout": choose_readout,
             "choose_few_names_readout": choose_few_names_readout, "choose_gerunds": choose_gerunds,
             "choose_measures": choose_measures, "choose_non_topics": choose_non_topics,
             "choose_word_count": choose_word_count, "choose_datelines": choose_datelines, "speed": speed}
    for step in steps:
        parser.add_argument("--" + step.replace("_", "-"), action="store_true")
    args = parser.parse_args()
    for step, do in steps.items():  # in this order: each grid's choice is fixed before the next
        if getattr(args, step):
            do()
    if args.split:
        run(args.split, CONFIGS, DEFAULT, "NAMES")
        drop_spanish(args.split)
    render()


if __name__ == "__main__":
    main()
