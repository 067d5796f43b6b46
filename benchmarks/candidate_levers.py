"""Levers measured on the development sets and not taken (issue 14): docs/CANDIDATE_LEVERS.md.

    .venv/bin/python benchmarks/candidate_levers.py

Where the gold phrases of the three short English development sets sit beside the default's
candidates, then the default beside candidate sets widened two ways, a re-ranking and another
model (F1@10, every other setting the default's):
- words inside longer phrases as one-word candidates ("obama" inside "president obama": today a
  one-word candidate counts only where it stands alone, and a word that never does is none);
- "X of Y" phrases (two candidate occurrences joined by "of", "conservation of energy");
- MMR diversity (``Settings.diversity``, word overlap);
- mpnet read with minilm's later-stage settings (its own stage-1 heads, docs/DEFAULTS_mpnet.md).
The candidate levers are written here, as a wrapper of ``Pipeline.candidates``, not in the
library: none beat the default. Nothing here reads a held-out set.
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
from graph_fusion import ROOT, documents  # noqa: E402
from machine import machine  # noqa: E402
from samrank import names  # noqa: E402
from samrank.model_defaults import FEW_NAMES_SHARE, MANY_NAMES_SHARE, MODEL_DEFAULTS  # noqa: E402
from samrank.evaluation import evaluate, gold_set, protocol_stem  # noqa: E402
from samrank.extractor import KeyphraseExtractor  # noqa: E402
from samrank.pipeline import Pipeline  # noqa: E402

SETS = ("semeval2017", "500n_kpcrowd:dev", "duc2001_dev")
NOUNS = ("NN", "NNS", "NNP", "NNPS")
# minilm's chosen settings read through mpnet: mpnet's own heads, every one of its heads for texts
# with many names (as minilm reads all of its own), no separate heads for long texts
MPNET = {**MODEL_DEFAULTS["minilm"], "model": "mpnet", "heads": MODEL_DEFAULTS["mpnet"]["heads"],
         "names_heads": tuple((layer, head) for layer in range(12) for head in range(12)), "long_heads": ()}


def with_occurrences(found, added: list[tuple[str, int, int]]):
    """``found`` with stand-alone occurrences (phrase, start, end) added, new phrases appended."""
    phrases = list(found.phrases)
    index = {phrase: number for number, phrase in enumerate(phrases)}
    had = set(zip(found.occ_phrase.tolist(), found.occ_start.tolist()))
    occ = []
    for phrase, start, end in added:
        number = index.setdefault(phrase, len(phrases))
        if number == len(phrases):
            phrases.append(phrase)
        if (number, start) not in had:
            had.add((number, start))
            occ.append((number, start, end))
    if not occ:
        return found
    number, start, end = (np.array(column, dtype=np.int64) for column in zip(*occ))
    return replace(found, phrases=phrases,
                   n_words=np.concatenate([found.n_words, [len(p.split()) for p in phrases[len(found.phrases):]]]
                                          ).astype(np.int64),
                   occ_phrase=np.concatenate([found.occ_phrase, number]),
                   occ_start=np.concatenate([found.occ_start, start]), occ_end=np.concatenate([found.occ_end, end]),
                   occ_standalone=np.concatenate([found.occ_standalone, np.ones(len(occ), dtype=bool)]))


def word_spans(tagged, found, k: int) -> range:
    """The tagged words of occurrence ``k``."""
    first = int(np.searchsorted(tagged.starts, found.occ_start[k]))
    last = int(np.searchsorted(tagged.starts, found.occ_end[k] - 1, side="right"))
    return range(first, last)


def inner_words(tags: tuple[str, ...], every_occurrence: bool):
    """Words of ``tags`` inside multi-word occurrences become one-word candidates there;
    ``every_occurrence``: a one-word candidate counts where it lies inside a longer one too."""
    def widen(tagged, found):
        added = [(tagged.words[w], int(tagged.starts[w]), int(tagged.ends[w]))
                 for k in np.flatnonzero(found.n_words[found.occ_phrase] > 1) for w in word_spans(tagged, found, k)
                 if tagged.tags[w] in tags and any(c.isalpha() for c in tagged.words[w])]
        found = with_occurrences(found, added)
        return replace(found, occ_standalone=np.ones_like(found.occ_standalone)) if every_occurrence else found
    return widen


def of_phrases(max_words: int):
    """'A of B' where a stand-alone occurrence A ends right before 'of' and one B starts after it."""
    def widen(tagged, found):
        spans = [word_spans(tagged, found, k) for k in np.flatnonzero(found.occ_standalone)]
        by_first = {}
        for span in spans:
            by_first.setdefault(span.start, []).append(span.stop)
        words, sentences = tagged.words, tagged.sentences
        added = []
        for span in spans:
            of = span.stop
            if of + 1 < len(words) and words[of] == "of" and sentences[of] == sentences[span.start]:
                for stop in by_first.get(of + 1, ()):
                    if stop - span.start <= max_words and sentences[stop - 1] == sentences[span.start]:
                        added.append((" ".join(words[span.start:stop]), int(tagged.starts[span.start]),
                                      int(tagged.ends[stop - 1])))
        return with_occurrences(found, added)
    return widen


def gated(widen, few_names: bool):
    """``widen`` only in texts with few names (share < few_names_share) or many (>= many_names_share)."""
    def maybe(tagged, found):
        share = names.proper_noun_share(tagged)
        wanted = share < FEW_NAMES_SHARE if few_names else share >= MANY_NAMES_SHARE
        return widen(tagged, found) if wanted else found
    return maybe


LEVERS = {
    "inner nouns as one-word candidates": (inner_words(NOUNS, False), {}),
    "inner proper nouns as one-word candidates": (inner_words(("NNP", "NNPS"), False), {}),
    "inner nouns, every one-word occurrence counted": (inner_words(NOUNS, True), {}),
    "every one-word occurrence counted": (inner_words((), True), {}),
    "every one-word occurrence counted, texts with many names only": (gated(inner_words((), True), False), {}),
    "'X of Y' phrases up to 5 words": (of_phrases(5), {}),
    "'X of Y' phrases up to 4 words, texts with few names only": (gated(of_phrases(4), True), {}),
    "'X of Y' phrases up to 3 words, texts with few names only": (gated(of_phrases(3), True), {}),
    "diversity 0.05": (None, {"diversity": 0.05}),
    "diversity 0.1": (None, {"diversity": 0.1}),
    "diversity 0.2": (None, {"diversity": 0.2}),
    "mpnet, minilm's later-stage settings (few names: cls)": (None, MPNET),
    "mpnet, minilm's later-stage settings (few names: both)": (None, {**MPNET, "few_names_mode": "both"}),
}


def candidates_with(widen) -> dict:
    """A lever for ``scoring_levers.patched``: ``Pipeline.candidates`` widened by ``widen(tagged, found)``."""
    return {"candidates": lambda original: lambda self, tagged, text=None: widen(tagged, original(self, tagged, text))}


@contextmanager
def candidates_widened(widen):
    original = Pipeline.candidates
    if widen is not None:
        Pipeline.candidates = candidates_with(widen)["candidates"](original)
    try:
        yield
    finally:
        Pipeline.candidates = original


def where_gold_is(name: str) -> dict:
    """Shares of the stemmed gold: a candidate; one word found only inside longer candidates; a
    phrase with 'of'; a tail shared by two candidates (and itself none)."""
    pipeline = KeyphraseExtractor(cache=True).pipeline
    counts = Counter()
    for document in (d for d in documents(name, None) if d.gold):
        tagged = pipeline.tag([document.text])[0]
        candidates = {protocol_stem(p) for p in pipeline.candidates(tagged, document.text).phrases}
        owners = Counter(" ".join(c.split()[i:]) for c in candidates for i in range(1, len(c.split())))
        for gold in gold_set(document):
            counts["gold"] += 1
            counts["a candidate"] += gold in candidates
            counts["one word only inside longer candidates"] += (
                gold not in candidates and " " not in gold and any(gold in c.split() for c in candidates))
            counts["holds 'of'"] += " of " in f" {gold} "
            counts["a tail of two candidates"] += gold not in candidates and " " in gold and owners[gold] >= 2
    return {key: round(100 * value / counts["gold"], 1) for key, value in counts.items() if key != "gold"}


def f1_table(f1: dict[str, dict[str, float]], sets) -> list[str]:
    """A markdown table of each row's F1@10 on ``sets`` and their mean."""
    lines = ["| row | " + " | ".join(sets) + " | mean |", "|---|" + "---|" * (len(sets) + 1)]
    for row, scores in f1.items():
        lines.append(f"| {row} | " + " | ".join(f"{scores[s]:.2f}" for s in sets)
                     + f" | {sum(scores[s] for s in sets) / len(sets):.2f} |")
    return lines


def main() -> None:
    rows = {"default": (None, {}), **LEVERS}
    f1 = {}
    for row, (widen, settings) in rows.items():
        with candidates_widened(widen):
            extractor = {"x": KeyphraseExtractor(cache=True, **settings)}
            f1[row] = {name: round(evaluate(documents(name, None), extractor, name).scores["x"].f1s()[1], 2)
                       for name in SETS}
        print(row, f1[row], file=sys.stderr, flush=True)
    gold = {name: where_gold_is(name) for name in SETS}
    (ROOT / "docs" / "CANDIDATE_LEVERS.json").write_text(json.dumps(
        {"machine": machine(), "f1@10": f1, "gold": gold}, indent=1))
    lines = ["# Levers measured and not taken", "",
             f"Produced by `benchmarks/candidate_levers.py` (its docstring says what each row is) on {machine()}; "
             "minilm unless the row says mpnet. Development sets only, F1@10 (paper protocol, as docs/NAMES.md); "
             "every other setting the default's.", "",
             "## Where the gold is (percent of each set's stemmed gold)", "",
             "| | " + " | ".join(SETS) + " |", "|---|" + "---|" * len(SETS)]
    lines += [f"| {key} | " + " | ".join(f"{gold[s][key]:.1f}" for s in SETS) + " |" for key in gold[SETS[0]]]
    lines += ["", "## F1@10", "", *f1_table(f1, SETS)]
    lines += ["", "None beats the default's mean, the rule every choice in docs/NAMES.md follows (a 0.2 margin); "
              "the rows that lift 500N-KPCrowd dev (the crowd's single words) cost DUC2001 dev more.", ""]
    (ROOT / "docs" / "CANDIDATE_LEVERS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
