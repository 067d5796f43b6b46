"""Scoring levers measured on the development sets and not taken (issue 14): docs/SCORING_LEVERS.md.

    .venv/bin/python benchmarks/scoring_levers.py      # ~25 min with a warm disk cache

The default beside three changes to how phrases are scored (F1@10, every other setting the
default's), on the four development sets the choices of docs/NAMES.md looked at:
- a title's phrases weigh more: where the text's first sentence reads as a title (no finite verb,
  at most 30 words, more text after it: Inspec's and Krapivin's texts open so), each phrase met in
  it has its score times 1.5 or 2. The position prior already favours early phrases; this asks
  whether a title deserves more than its place;
- a multi-word phrase counted only where it stands alone, as a one-word phrase is: "channel flow"
  inside "horizontal gas–solid channel flow" no longer adds to "channel flow" (SemEval2017's top
  tens hold 1,050 pieces of longer gold phrases, 180 of them with the whole phrase a candidate);
- the similarity weight's power by the share of names (the default: 0.5 in every text), as the
  length power and the rarity power follow it: 1 or 0.25 in texts with few names, or with many.
The levers are written here, as wrappers of ``Pipeline`` methods, not in the library: none beat
the default. Nothing here reads a held-out set.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidate_levers import f1_table  # noqa: E402
from graph_fusion import ROOT, documents, label  # noqa: E402
from machine import machine  # noqa: E402
from samrank import names  # noqa: E402
from samrank.evaluation import evaluate  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402
from samrank.pipeline import Pipeline  # noqa: E402

SETS = {"semeval2017": None, "500n_kpcrowd:dev": None, "duc2001_dev": None, "krapivin": (100, 400)}
FINITE_VERBS = frozenset({"VBD", "VBZ", "VBP", "MD"})
TITLE_WORDS = 30
TITLED = Counter()  # texts read, texts read as titled: for the table


def title_end(tagged) -> int | None:
    """The character end of the text's first sentence where it reads as a title, else None."""
    if not len(tagged.words):
        return None
    first = np.flatnonzero(tagged.sentences == tagged.sentences[0])
    if (len(first) > TITLE_WORDS or len(first) == len(tagged.words)
            or any(tagged.tags[w] in FINITE_VERBS for w in first)):
        return None
    return int(tagged.ends[first[-1]])


def title_weight(factor: float):
    def wrap(original):
        def with_graph(self, tagged, found, scores):
            end = title_end(tagged)
            TITLED["texts"] += 1
            if end is not None:
                TITLED["titled"] += 1
                in_title = np.zeros(len(found), dtype=bool)
                in_title[found.occ_phrase[found.occ_end <= end]] = True
                scores = scores * np.where(in_title, factor, 1.0)
            return original(self, tagged, found, scores)
        return with_graph
    return {"with_graph": wrap}


def inside_longer(found) -> np.ndarray:
    """Per occurrence: whether it lies within an occurrence of a phrase of more words."""
    n_words = found.n_words[found.occ_phrase]
    start, end = found.occ_start, found.occ_end
    inside = np.zeros(len(n_words), dtype=bool)
    for length in np.unique(n_words):
        longer = np.flatnonzero(n_words > length)
        if not len(longer):
            continue
        longer = longer[np.argsort(start[longer], kind="stable")]
        reach = np.maximum.accumulate(end[longer])  # the farthest end of a longer one begun so far
        mine = np.flatnonzero(n_words == length)
        before = np.searchsorted(start[longer], start[mine], side="right") - 1
        some = before >= 0
        inside[mine[some]] = reach[before[some]] >= end[mine[some]]
    return inside


def multi_words_alone(original):
    def candidates(self, tagged, text=None):
        found = original(self, tagged, text)
        if not len(found):
            return found
        multi = found.n_words[found.occ_phrase] > 1
        return replace(found, occ_standalone=found.occ_standalone & ~(multi & inside_longer(found)))
    return candidates


def text_kept(store: dict, key: str, read):
    """A wrapper of ``Pipeline._score`` that keeps ``read(tagged)`` of the text being scored in
    ``store[key]`` (one text at a time here), for levers of later steps that follow it."""
    def score(original):
        def _score(self, text, tagged, found, *rest):
            store[key] = read(tagged)
            return original(self, text, tagged, found, *rest)
        return _score
    return score


def share_kept(share: dict):
    """``text_kept``: the text's share of names in ``share["now"]``."""
    return text_kept(share, "now", names.proper_noun_share)


def similarity_by_names(few_names_power: float, power: float):
    """The similarity weight to ``few_names_power`` in texts with few names, ``power`` with many
    (linear between, as ``names.by_share``); the default's 0.5 is undone first."""
    share: dict = {}

    def similarity(original):
        def similarity_weights(self, text, encoded, found, window_vectors=None):
            weights = original(self, text, encoded, found, window_vectors)
            if weights is None:
                return None
            s = self.resolved
            wanted = names.by_share(share["now"], few_names_power, power, s.few_names_share, s.many_names_share)
            return weights ** (wanted / s.similarity_power)
        return similarity_weights
    return {"_score": share_kept(share), "similarity_weights": similarity}


LEVERS = {
    "a title's phrases weigh 1.5": title_weight(1.5),
    "a title's phrases weigh 2": title_weight(2.0),
    "a multi-word phrase counted only where it stands alone": {"candidates": multi_words_alone},
    "similarity power 1 with few names (0.5 with many)": similarity_by_names(1.0, 0.5),
    "similarity power 0.25 with few names (0.5 with many)": similarity_by_names(0.25, 0.5),
    "similarity power 1 with many names (0.5 with few)": similarity_by_names(0.5, 1.0),
    "similarity power 0.25 with many names (0.5 with few)": similarity_by_names(0.5, 0.25),
}


@contextmanager
def patched(lever: dict):
    """``Pipeline``'s methods wrapped as the lever says ({method name: wrapper of the original})."""
    originals = {name: getattr(Pipeline, name) for name in lever}
    for name, wrap in lever.items():
        setattr(Pipeline, name, wrap(originals[name]))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(Pipeline, name, original)


def main() -> None:
    labels = [label(name, span) for name, span in SETS.items()]
    f1, titled = {}, {}
    for row, lever in {"default": {}, **LEVERS}.items():
        f1[row] = {}
        with patched(lever):
            extractor = {"x": KeyphraseExtractor(cache=True)}
            for (name, span), shown in zip(SETS.items(), labels):
                TITLED.clear()
                f1[row][shown] = round(evaluate(documents(name, span), extractor, shown).scores["x"].f1s()[1], 2)
                if TITLED["texts"]:
                    titled[shown] = f"{TITLED['titled']} of {TITLED['texts']}"
        print(row, f1[row], file=sys.stderr, flush=True)
    (ROOT / "docs" / "SCORING_LEVERS.json").write_text(json.dumps(
        {"machine": machine(), "f1@10": f1, "texts read as titled": titled}, indent=1))
    lines = ["# Scoring levers measured and not taken", "",
             f"Produced by `benchmarks/scoring_levers.py` (its docstring says what each row is) on {machine()}; "
             "minilm. Development sets only, F1@10 (paper protocol, as docs/NAMES.md); every other setting "
             "the default's.", "", *f1_table(f1, labels)]
    lines += ["", "Texts whose first sentence reads as a title: "
              + "; ".join(f"{shown} {count}" for shown, count in titled.items()) + ".", "",
              "None beats the default's mean by the margin every choice in docs/NAMES.md needs (0.2).", ""]
    (ROOT / "docs" / "SCORING_LEVERS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
