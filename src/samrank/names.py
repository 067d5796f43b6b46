"""How many names a text holds, and the settings that follow from it (issue 14).

Texts about named people, places and firms (news) are annotated with short keyphrases, often
single words and names, while texts with few names (abstracts, technical papers) are annotated
with multi-word terms. The length power divides a phrase's summed token scores by its token
count to that power: a high power favours single words, a low one longer phrases. So the power
follows the share of proper nouns among the text's nouns (``by_share``), and so do the heads read
and, in long texts, the word graph's weight (news wire gains from it, papers lose). The shares
and values were chosen on the development sets (benchmarks/names_rule.py, docs/NAMES.md).
"""

from __future__ import annotations

import math

from .candidates import TaggedText
from .candidates.base import PROPER_TAGS as PROPER

# jieba's flags (zh) are lower case
JIEBA_PROPER = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})


def is_noun(tag: str) -> bool:
    if tag[:1].islower():
        return tag.startswith("n")
    return tag.startswith("NN") or tag in PROPER or tag == "NOUN"


def is_proper(tag: str) -> bool:
    return tag in PROPER or tag in JIEBA_PROPER


def proper_noun_share(tagged: TaggedText) -> float:
    """The share of the text's nouns that are proper nouns; NaN for a text without nouns."""
    nouns = [tag for tag in tagged.tags if is_noun(tag)]
    return sum(is_proper(tag) for tag in nouns) / len(nouns) if nouns else math.nan


def by_share(share: float, few_value: float, value: float, few: float, many: float) -> float:
    """A setting for a text whose nouns are ``share`` proper nouns: ``few_value`` up to ``few``,
    ``value`` from ``many`` on, linear between. A text without nouns (NaN) gets ``value``."""
    if few_value == value or math.isnan(share):
        return value
    if share <= few:
        return few_value
    if share >= many:
        return value
    return few_value + (value - few_value) * (share - few) / (many - few)
