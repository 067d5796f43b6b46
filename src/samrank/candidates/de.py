"""German candidates: HanTa's STTS tags over samrank's word tokenizer; noun phrases are
attributive adjectives followed by nouns / proper nouns (German compounds are single words;
hyphenated ones such as "Hans-Böckler-Stiftung" stay one word)."""

from __future__ import annotations

import functools
import re

from .base import Candidates, TaggedText, build_candidates, grammar_spans, in_scripts, tagged_text
from .plain import LATIN, tokens

_PATTERN = re.compile(r"A*N+")


@functools.lru_cache(maxsize=1)
def load_tagger():
    try:
        from HanTa import HanoverTagger
    except ImportError as error:
        raise RuntimeError("the German tagger HanTa is not installed: pip install HanTa==1.2.1") from error
    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


def tag_german(text: str) -> TaggedText:
    tagger = load_tagger()
    found = list(tokens(text))
    tags: list[str] = []
    i = 0
    while i < len(found):  # HanTa tags one sentence at a time
        j = i
        while j < len(found) and found[j][3] == found[i][3]:
            j += 1
        sentence = [token for token, _, _, _ in found[i:j]]
        tags.extend(tag for _, _, tag in tagger.tag_sent(sentence, taglevel=1))
        i = j
    return tagged_text([t[0].lower() for t in found], tags, [t[1] for t in found],
                       [t[2] for t in found], [t[3] for t in found], "de")


def _classify(word: str, tag: str) -> str:
    if not in_scripts(word, LATIN) or not any(c.isalpha() for c in word):
        return "o"
    if tag in ("NN", "NE", "FM"):
        return "N"
    if tag in ("ADJA", "ADJ(A)"):  # HanTa writes STTS's ADJA as ADJ(A) at taglevel 1
        return "A"
    return "o"


def select_german(tagged: TaggedText, max_words: int, stopwords: frozenset[str]) -> Candidates:
    spans = grammar_spans(tagged.tags, tagged.sentences, _classify, _PATTERN, tagged.words)
    return build_candidates(tagged, spans, max_words, stopwords, trim=True)
