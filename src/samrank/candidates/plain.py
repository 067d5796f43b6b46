"""Tagger-free candidates: runs of words between stop words and punctuation (as YAKE and RAKE
cut), optionally joined by a linker such as Portuguese ``de`` or Italian ``di``.

Also the word tokenizer the German route tags with.
"""

from __future__ import annotations

import re

from .. import languages
from .base import (
    Candidates, TaggedText, build_candidates, grammar_spans, in_scripts, tagged_text, with_linked_parts,
)

# A word: letters/digits, hyphen-joined parts kept together, an elided article keeps its
# apostrophe ("l'", "dell'"); anything else that is not a space is punctuation, one char each.
TOKEN = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*(?:['\u2019](?=[^\W\d_]))?|[^\w\s]|_+|\s+")
SENTENCE_END = frozenset(".!?;:\u2026\u3002\uff01\uff1f\uff1b")
LATIN = frozenset({"LATIN"})
SCRIPTS = {"ru": frozenset({"CYRILLIC"})}
# Grammar options, switched by benchmarks/languages.py to measure them.
OPTIONS = {"linkers": True, "linked_parts": False}
_LINKED = re.compile(r"W+(?:LW+)?")
_UNLINKED = re.compile(r"W+")


def tokens(text: str, offset: int = 0):
    """``(word, start, end, sentence)`` for each word or punctuation mark; a sentence (segment)
    ends at ``. ! ? ; :`` and at each line break."""
    sentence = 0
    for match in TOKEN.finditer(text):
        token = match.group()
        if token.isspace():
            if "\n" in token or "\r" in token or "\u2028" in token or "\u2029" in token:
                sentence += 1
            continue
        yield token, match.start() + offset, match.end() + offset, sentence
        if token in SENTENCE_END:
            sentence += 1


def word_class(word: str, stopwords: frozenset[str], linkers: frozenset[str], scripts) -> str:
    if not any(c.isalpha() for c in word):
        return "D" if any(c.isdigit() for c in word) else "P"
    bare = word.rstrip("'\u2019")
    if word in stopwords or bare in stopwords:
        return "L" if (word in linkers or bare + "'" in linkers) else "S"
    return "W" if in_scripts(word, scripts) else "P"


def tag_plain(text: str, language: str) -> TaggedText:
    stopwords = languages.stopwords(language)
    linkers = languages.LINKERS.get(language, frozenset())
    scripts = SCRIPTS.get(language, LATIN)
    words, tags, starts, ends, sentences = [], [], [], [], []
    for token, start, end, sentence in tokens(text):
        lower = token.lower()
        words.append(lower)
        tags.append(word_class(lower, stopwords, linkers, scripts))
        starts.append(start)
        ends.append(end)
        sentences.append(sentence)
    return tagged_text(words, tags, starts, ends, sentences, language)


def _classify(word: str, tag: str) -> str:
    return tag


def select_plain(tagged: TaggedText, max_words: int, stopwords: frozenset[str]) -> Candidates:
    pattern = _LINKED if OPTIONS["linkers"] else _UNLINKED
    spans = grammar_spans(tagged.tags, tagged.sentences, _classify, pattern)
    if OPTIONS["linked_parts"]:
        spans = with_linked_parts(spans, lambda k: tagged.tags[k] == "L")
    return build_candidates(tagged, spans, max_words, stopwords)
