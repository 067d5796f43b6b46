"""Chinese candidates: jieba's part-of-speech segmenter (ICTCLAS flags); a phrase is modifiers
(adjectives ``a``, distinguishing words ``b``) and nouns ending in a noun (``n nr ns nt nz vn``
and kin, abbreviations ``j``, Latin words), joined without spaces, at most 12 characters,
never across punctuation, a space or a line break."""

from __future__ import annotations

import functools
import logging
import re

from .base import (
    Candidates, TaggedText, build_candidates, grammar_spans, noun_classifier, require, tagged_text,
)

MAX_CHARS = 12
NOUNS = frozenset({"n", "nr", "ns", "nt", "nz", "vn", "ng", "nrt", "nrfg", "an", "j", "eng"})
MODIFIERS = frozenset({"a", "b"})
SENTENCE_END = frozenset("。！？；!?;\n")
_PATTERN = re.compile(r"[AN]*N")
_classify = noun_classifier(NOUNS, MODIFIERS, is_word=lambda word: any(c.isalnum() for c in word))


@functools.lru_cache(maxsize=1)
def load_segmenter():
    posseg = require("jieba.posseg", "the Chinese segmenter jieba", "pip install jieba==0.42.1")
    import jieba  # loaded with jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = posseg.POSTokenizer(jieba.Tokenizer())
    tokenizer.tokenizer.initialize()
    return tokenizer


def tag_chinese(text: str) -> TaggedText:
    segmenter = load_segmenter()
    words, tags, starts, ends, sentences = [], [], [], [], []
    sentence, position = 0, 0
    for pair in segmenter.cut(text):
        word, flag = pair.word, pair.flag
        start = text.find(word, position) if word else -1
        if start < 0:  # jieba changed the text (it should not): skip the piece
            continue
        position = start + len(word)
        if word.isspace():
            if any(c in word for c in "\n\r\u2028\u2029"):
                sentence += 1
            else:
                sentence += 1 if words else 0  # a space ends a phrase: treat as a segment break
            continue
        words.append(word.lower())
        tags.append(flag)
        starts.append(start)
        ends.append(position)
        sentences.append(sentence)
        if word in SENTENCE_END or (flag in ("x", "w") and any(c in SENTENCE_END for c in word)):
            sentence += 1
    return tagged_text(words, tags, starts, ends, sentences, "zh", joiner="")


def select_chinese(tagged: TaggedText, max_words: int, stopwords: frozenset[str]) -> Candidates:
    spans = []
    for i, j in grammar_spans(tagged.tags, tagged.sentences, _classify, _PATTERN, tagged.words):
        # too long: keep the longest tail (the head noun is last) within the limits
        while j - i > 1 and (sum(len(w) for w in tagged.words[i:j]) > MAX_CHARS or j - i > max_words):
            i += 1
        spans.append((i, j))

    def keep(key: tuple[str, ...]) -> bool:
        surface = "".join(key)
        return 2 <= len(surface) <= MAX_CHARS and key[-1] not in stopwords

    return build_candidates(tagged, spans, max_words, stopwords, keep=keep, trim=True)
