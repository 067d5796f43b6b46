"""Ranking levers measured on the development sets and not taken (issue 14): docs/RANKING_LEVERS.md.

    .venv/bin/python benchmarks/ranking_levers.py      # ~30 min with a warm disk cache
    .venv/bin/python benchmarks/ranking_levers.py --rows default "stem groups summed"   # those rows only

The default beside changes to how scored phrases become the top ten, and two settings re-checked
at today's default (F1@10, every other setting the default's), on the four development sets the
choices of docs/NAMES.md looked at:
- stem groups summed: a phrase scores the sum of every candidate with its stemmed form ("neural
  network" and "neural networks" both score their sum), where today the best of them stands for
  the group (``ranked_order``'s dedupe) and the others' evidence is lost; everywhere, or only in
  texts with few names (share of proper nouns below ``few_names_share``);
- nested phrases left out (``Settings.nested=False``: a phrase whose stemmed words lie, in order,
  inside a higher-ranked phrase's is skipped), everywhere, only in texts with few names, or only
  in texts without many names (share below ``many_names_share``); and the same for multi-word
  phrases only ("channel flow" after "gas channel flow" goes, "flow" stays);
- the longest candidate (``max_words``, 5: never chosen on data) at 4 and 6 words;
- the heads of texts without many names (5-5, chosen at the third stage, before the rarity, the
  nearness to the text, the grammar and the fixes) re-checked: the best 3 and best 5 heads ranked
  in docs/DEFAULTS.json, as that stage tried them, the other head sets and readouts the default's.
The levers are written here, as wrappers of ``Pipeline`` methods, not in the library: none beat
the default. Nothing here reads a held-out set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidate_levers import f1_table  # noqa: E402
from graph_fusion import ROOT, documents, label  # noqa: E402
from machine import machine  # noqa: E402
from scoring_levers import SETS, patched, share_kept  # noqa: E402
from samrank import ranking  # noqa: E402
from samrank.candidates import stem_phrase  # noqa: E402
from samrank.evaluation import evaluate  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402
from samrank.model_defaults import MODEL_DEFAULTS  # noqa: E402
from samrank.outputs import keyphrases  # noqa: E402


def stem_group_sums(scores: np.ndarray, keys: list[str]) -> np.ndarray:
    """Each phrase's score replaced by the sum over the phrases with its key (NaN stays NaN)."""
    total: dict[str, float] = {}
    for key, score in zip(keys, scores.tolist()):
        if not np.isnan(score):
            total[key] = total.get(key, 0.0) + score
    return np.array([np.nan if np.isnan(s) else total[k] for k, s in zip(keys, scores.tolist())])


def text_share(lever: dict, share: dict) -> dict:
    """``lever`` with the share of names of the text being ranked kept in ``share["now"]``."""
    return {"_score": share_kept(share), **lever}


def wanted(pipeline, share: float, texts: str) -> bool:
    s = pipeline.resolved
    return {"every": True, "few names": share < s.few_names_share, "not many names": share < s.many_names_share}[texts]


def stem_groups(texts: str) -> dict:
    share: dict = {}

    def rank(original):
        def summed(self, text, found, scores, top_n):
            if wanted(self, share["now"], texts):
                language = found.language or "en"
                scores = stem_group_sums(scores, [stem_phrase(p, language) for p in found.phrases])
            return original(self, text, found, scores, top_n)
        return summed
    return text_share({"rank": rank}, share)


def nested_out(texts: str, multi_word_only: bool) -> dict:
    share: dict = {}

    def rank(original):
        def without_nested(self, text, found, scores, top_n):
            if not wanted(self, share["now"], texts):
                return original(self, text, found, scores, top_n)
            language = found.language or "en"
            keys = [stem_phrase(p, language) for p in found.phrases]
            order = ranking.ranked_order(scores, keys.__getitem__, len(scores))  # deduped, best first
            picked: list[int] = []
            for p in order:
                if len(picked) >= top_n:
                    break
                if (not multi_word_only or " " in keys[p]) and any(f" {keys[p]} " in f" {keys[q]} " for q in picked):
                    continue
                picked.append(p)
            return keyphrases(text, found, scores, picked)
        return without_nested
    return text_share({"rank": rank}, share)


def heads_of_few_names(count: int) -> dict:
    """Settings with the best ``count`` heads of docs/DEFAULTS.json where the default reads 5-5; a
    user's ``heads`` would otherwise stand for the names heads, the long heads and the readout too."""
    ranked = tuple(tuple(h) for h in json.loads((ROOT / "docs" / "DEFAULTS.json").read_text())["heads_ranked"])
    kept = ("names_heads", "names_head_weighting", "long_heads", "long_head_weighting", "few_names_mode")
    return {"heads": ranked[:count], "head_weighting": "mean",
            **{key: MODEL_DEFAULTS["minilm"][key] for key in kept}}


SETTINGS = {
    "longest candidate 4 words": {"max_words": 4},
    "longest candidate 6 words": {"max_words": 6},
    "heads without many names: best 3": heads_of_few_names(3),
    "heads without many names: best 5": heads_of_few_names(5),
}
LEVERS = {
    "stem groups summed": stem_groups("every"),
    "stem groups summed, texts with few names only": stem_groups("few names"),
    "nested phrases left out": nested_out("every", False),
    "nested phrases left out, texts with few names only": nested_out("few names", False),
    "nested phrases left out, texts without many names": nested_out("not many names", False),
    "nested multi-word phrases left out": nested_out("every", True),
    "nested multi-word phrases left out, texts with few names only": nested_out("few names", True),
}


def measured(rows: dict, sets: dict = SETS) -> dict[str, dict[str, float]]:
    """F1@10 on ``sets`` of each row: ``{row: (lever for ``patched``, settings)}``."""
    labels = [label(name, span) for name, span in sets.items()]
    f1 = {}
    for row, (lever, settings) in rows.items():
        with patched(lever):
            extractor = {"x": KeyphraseExtractor(cache=True, **settings)}
            f1[row] = {shown: round(evaluate(documents(name, span), extractor, shown).scores["x"].f1s()[1], 2)
                       for (name, span), shown in zip(sets.items(), labels)}
        print(row, f1[row], file=sys.stderr, flush=True)
    return f1


def lever_page(f1: dict, title: str, script: str, sets: dict = SETS, notes: tuple[str, ...] = ()) -> str:
    """The markdown page of a lever table on ``sets``: the rows, their mean, how the best fares
    against the 0.2 margin of docs/NAMES.md, then the paragraphs of ``notes``."""
    mean = {row: sum(scores.values()) / len(scores) for row, scores in f1.items()}
    best = max((row for row in f1 if row != "default"), key=mean.get)
    verdict = (f"The best row, {best}, moves the default's mean by {mean[best] - mean['default']:+.2f}: "
               + ("below" if mean[best] - mean["default"] < 0.2 else "at or above")
               + " the margin every choice in docs/NAMES.md needs (0.2).")
    labels = [label(name, span) for name, span in sets.items()]
    return "\n".join([f"# {title}", "",
                      f"Produced by `benchmarks/{script}` (its docstring says what each row is) on {machine()}; "
                      "minilm. Development sets only, F1@10 (paper protocol, as docs/NAMES.md); every other setting "
                      "the default's.", "", *f1_table(f1, labels), "", verdict, "",
                      *(line for note in notes for line in (note, ""))])


def rows_page(levers: dict, stem: str, title: str, script: str, doc: str, sets: dict = SETS,
              settings: dict | None = None, extra=None) -> None:
    """A lever script's command line and output: every row of ``levers`` (``{row: lever for
    patched}``) and of ``settings`` (``{row: settings}``) and the default measured on ``sets``, or
    only those ``--rows`` names with the others kept from docs/<stem>.json; writes
    docs/<stem>.json and docs/<stem>.md (``lever_page``). ``extra(parser)``, if given, adds options
    and returns a function of the parsed arguments and the stored JSON that gives the JSON's other
    keys and the page's notes."""
    settings = settings or {}
    rows = {"default": ({}, {}), **{row: (lever, {}) for row, lever in levers.items()},
            **{row: ({}, values) for row, values in settings.items()}}
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", nargs="+", choices=list(rows),
                        help=f"measure these rows only; the others keep docs/{stem}.json's numbers")
    more = extra(parser) if extra else None
    args = parser.parse_args()
    path = ROOT / "docs" / f"{stem}.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    f1 = stored.get("f1@10", {}) if args.rows else {}
    f1.update(measured({row: rows[row] for row in args.rows or rows}, sets))
    f1 = {row: f1[row] for row in rows if row in f1}
    others, notes = more(args, stored) if more else ({}, ())
    path.write_text(json.dumps({"machine": machine(), "f1@10": f1, **others}, indent=1))
    (ROOT / "docs" / f"{stem}.md").write_text(lever_page(f1, title, script, sets, notes))


def main() -> None:
    rows_page(LEVERS, "RANKING_LEVERS", "Ranking levers measured and not taken", "ranking_levers.py", __doc__,
              settings=SETTINGS)


if __name__ == "__main__":
    main()
