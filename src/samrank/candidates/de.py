"""German candidates: HanTa's STTS tags over samrank's word tokenizer; noun phrases are
attributive adjectives followed by nouns / proper nouns (German compounds are single words;
hyphenated ones such as "Hans-Böckler-Stiftung" stay one word)."""

from __future__ import annotations

import functools
import re

from .base import (
    Candidates, TaggedText, build_candidates, grammar_spans, in_scripts, noun_classifier, require,
    sentence_runs, tagged_text,
)
from .plain import LATIN, tokens

_PATTERN = re.compile(r"A*N+")
_classify = noun_classifier(
    nouns=frozenset({"NN", "NE", "FM"}),
    modifiers=frozenset({"ADJA", "ADJ(A)"}),  # HanTa writes STTS's ADJA as ADJ(A) at taglevel 1
    is_word=lambda word: in_scripts(word, LATIN) and any(c.isalpha() for c in word),
)


@functools.lru_cache(maxsize=1)
def load_tagger():
    hanta = require("HanTa.HanoverTagger", "the German tagger HanTa", "pip install HanTa==1.2.1")
    return hanta.HanoverTagger("morphmodel_ger.pgz")


def tag_german(text: str) -> TaggedText:
    tagger = load_tagger()
    found = list(tokens(text))
    tags: list[str] = []
    for i, j in sentence_runs([t[3] for t in found]):  # HanTa tags one sentence at a time
        sentence = [token for token, _, _, _ in found[i:j]]
        tags.extend(tag for _, _, tag in tagger.tag_sent(sentence, taglevel=1))
    return tagged_text([t[0].lower() for t in found], tags, [t[1] for t in found],
                       [t[2] for t in found], [t[3] for t in found], "de")


def select_german(tagged: TaggedText, max_words: int, stopwords: frozenset[str]) -> Candidates:
    spans = grammar_spans(tagged.tags, tagged.sentences, _classify, _PATTERN, tagged.words)
    return build_candidates(tagged, spans, max_words, stopwords, trim=True)
