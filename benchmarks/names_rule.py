"""The length power by the share of names (issue 14): development and held-out numbers, docs/NAMES.md.

    .venv/bin/python benchmarks/names_rule.py --choose       # the grid the choice was made on
    .venv/bin/python benchmarks/names_rule.py --split dev    # the sets the choice looked at
    .venv/bin/python benchmarks/names_rule.py --split test   # held out, after the choice
    .venv/bin/python benchmarks/names_rule.py --render       # docs/NAMES.md from the JSONs

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
import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fusion import CHOICE_SETS, MARGIN, ROOT, documents, peers, run, table  # noqa: E402
from machine import machine  # noqa: E402
from samrank.evaluation import evaluate  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402

CONFIGS = {
    "one length power (the previous default: few_names_length_power=1)": {"few_names_length_power": 1.0},
    "default: fewer names, lower length power": {},
    "control: the default with uniform attention": {"mode": "uniform"},
}
DEFAULT = "default: fewer names, lower length power"

# The choice, on the English development sets; the rule is the word graph's (graph_fusion.py):
# the best mean F1@10 among the settings that beat every peer on every development set by MARGIN.
CHOICE_GRID = {"few_names_length_power": (0.0, 0.25, 0.5),
               "shares": ((0.05, 0.15), (0.1, 0.2), (0.1, 0.3), (0.15, 0.25), (0.2, 0.3))}


def choose() -> None:
    best_peer = {name: max(scores[name][1] for scores in peers().values()) for name in CHOICE_SETS}
    grid = [{"few_names_length_power": 1.0, "few_names_share": 0.1, "many_names_share": 0.2}]  # = off
    grid += [{"few_names_length_power": power, "few_names_share": few, "many_names_share": many}
             for power, (few, many) in itertools.product(*CHOICE_GRID.values())]
    extractors = {json.dumps(config): KeyphraseExtractor(cache=True, **config) for config in grid}
    f1 = {key: {} for key in extractors}
    for name in CHOICE_SETS:
        evaluation = evaluate(documents(name, None), extractors, name)  # tagged once for the grid
        for key in extractors:
            f1[key][name] = evaluation.scores[key].f1s()[1]
        print(time.strftime("%H:%M:%S"), name, file=sys.stderr, flush=True)
    rows = [{**json.loads(key), "f1@10": scores, "mean": sum(scores.values()) / len(scores),
             "beats_peers": all(scores[n] >= best_peer[n] + MARGIN for n in CHOICE_SETS)}
            for key, scores in f1.items()]
    chosen = max((r for r in rows if r["beats_peers"]), key=lambda r: r["mean"], default=None)
    (ROOT / "docs" / "NAMES_choice.json").write_text(json.dumps(
        {"machine": machine(), "rule": f"best mean F1@10 beating every peer by >= {MARGIN}",
         "best_peer_f1@10": best_peer, "rows": rows, "chosen": chosen}, indent=1))


def choice_table() -> list[str]:
    path = ROOT / "docs" / "NAMES_choice.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    sets = list(data["best_peer_f1@10"])
    lines = ["## How the settings were chosen", "",
             f"`--choose` on the English development sets, machine: {data['machine']}. Rule: {data['rule']} "
             "(best peer F1@10: " + ", ".join(f"{s} {v:.2f}" for s, v in data["best_peer_f1@10"].items())
             + "). Length power 1 for few names is the rule switched off. F1@10 per set:", "",
             "| length power, few names | few names up to | many names from | " + " | ".join(sets)
             + " | mean | beats peers |", "|---|---|---|" + "---|" * len(sets) + "---|---|"]
    for r in sorted(data["rows"], key=lambda r: -r["mean"]):
        mark = "**" if r == data["chosen"] else ""
        lines.append(f"| {mark}{r['few_names_length_power']:g}{mark} | {r['few_names_share']:g} | "
                     f"{r['many_names_share']:g} | " + " | ".join(f"{r['f1@10'][s]:.2f}" for s in sets)
                     + f" | {r['mean']:.2f} | " + ("yes" if r["beats_peers"] else "no") + " |")
    return lines + [""]


def summary(peer_scores: dict) -> list[str]:
    """One line per set: the default's F1@10 against one length power, its control and the best peer."""
    lines = []
    for split in ("dev", "test"):
        path = ROOT / "docs" / f"NAMES_{split}.json"
        if not path.exists():
            continue
        results = json.loads(path.read_text())["results"]
        before, after, control = (results[name] for name in CONFIGS)
        for name in after:
            peer = max(((tool, scores[name][1]) for tool, scores in peer_scores.items() if name in scores),
                       key=lambda item: item[1], default=None)
            lines.append(f"- {name} ({split}): **{after[name][1]:.2f}** F1@10; one length power "
                         f"{before[name][1]:.2f} ({after[name][1] - before[name][1]:+.2f}); uniform control "
                         f"{control[name][1]:.2f}" + (f"; best peer {peer[0]} {peer[1]:.2f} "
                                                     f"({after[name][1] - peer[1]:+.2f})" if peer else ""))
    return lines


INTRO = """\
**What it is.** A phrase's score is the sum of its tokens' attention scores over its occurrences,
divided by its token count to the *length power*: a high power favours single words, a low one
longer phrases. The power now follows the share of proper nouns among the text's nouns (the
tagger's NNP/NNPS, PROPN, NE): up to `few_names_share` the text takes `few_names_length_power`,
from `many_names_share` on `length_power`, linearly between. Code: `samrank/names.py`;
`Pipeline.length_power`.

**Why.** Texts about named people, places and firms (news) are annotated with short keyphrases,
often single words and names; texts with few names (abstracts, technical papers) with multi-word
terms. One power for both was a compromise that lost on each: a study on the development sets
found the proper-noun share the one signal read off the text that tells them apart (a learned
router over ten signals did no better and did not carry from one set to another).

**What it does not do.** The gold of a set is not read: the rule sees only the text's tags. It is
off for models other than minilm (their `few_names_length_power` is their `length_power`), and
the `samrank` preset keeps SAMRank's length power 0 everywhere.
"""


def render() -> None:
    peer_scores = peers()
    lines = ["# The length power follows the share of names", "", INTRO, "## In one line per set", ""]
    lines += summary(peer_scores) + [""]
    lines += ["## Tables", "",
              "Produced by `benchmarks/names_rule.py --split dev`, then `--split test`, then `--render`; "
              "raw numbers in docs/NAMES_dev.json and docs/NAMES_test.json. Macro F1@5 / F1@10 / F1@15 in "
              "percent (Porter-stemmed, deduplicated predictions, all gold). Model auto: minilm for English, "
              "e5-small for Spanish. Peers: docs/PEERS.md, docs/PEERS_DUC.md, docs/PEERS_KRAPIVIN.md "
              "(benchmarks/peers.py), same documents and protocol.", ""]
    for split, title in (("dev", "Development sets (the only ones the choice looked at)"),
                         ("test", "Held-out sets (scored once, after the choice)")):
        path = ROOT / "docs" / f"NAMES_{split}.json"
        if path.exists():
            data = json.loads(path.read_text())
            lines += [f"## {title}", "", f"Machine: {data['machine']}. Default: {data['default']}.", ""]
            lines += table(data, peer_scores) + [""]
    (ROOT / "docs" / "NAMES.md").write_text("\n".join(lines + choice_table()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"))
    parser.add_argument("--choose", action="store_true")
    args = parser.parse_args()
    if args.choose:
        choose()
    if args.split:
        run(args.split, CONFIGS, DEFAULT, "NAMES")
    render()


if __name__ == "__main__":
    main()
