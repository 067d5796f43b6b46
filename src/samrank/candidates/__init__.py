"""Candidate keyphrases: tag the text, chunk noun phrases, find every occurrence — per language.

English (the default): spaCy's tagger and the grammar ``NP: {<NN.*|M>*<NN.*>}`` (``M`` the
``modifier_tags``; ``JJ`` alone is EmbedRank's, SAMRank's) inside a sentence, at most
``max_words`` words, first word not a stopword; a candidate occurs wherever its lower-cased word sequence appears in the text.
Other languages take the routes described in ``samrank.languages`` and docs/LANGUAGES.md; their
phrases never cross a sentence end, a line break or punctuation.

Entry points (what the pipeline calls): ``tag(texts, batch_size, language)``,
``select_candidates(tagged, max_words, stopwords, language, modifier_tags)``, ``stem_phrase(phrase, language)``,
plus ``detect_language`` / ``resolve_language`` / ``SUPPORTED_LANGUAGES`` re-exported from
``samrank.languages``.
"""

from __future__ import annotations

import functools

from .. import languages
from ..languages import (
    SUPPORTED_LANGUAGES, UnsupportedLanguage, detect_language, guess_language, resolve_language,
)
from .base import Candidates, TaggedText, empty_tagged, no_candidates
from .en import (
    EMBEDRANK_MODIFIERS, MAX_TAGGING_CHARS, TAGGER, _one_blas_thread, default_stopwords, load_tagger,
    noun_phrase_spans, split_for_tagging,
)
from .en import select_candidates as _select_english
from .en import tag_english
from .escapes import tag_unescaped
from .measures import without_measures

__all__ = [
    "Candidates", "TaggedText", "SUPPORTED_LANGUAGES", "UnsupportedLanguage", "detect_language",
    "guess_language", "resolve_language", "tag", "select_candidates", "stem_phrase",
    "default_stopwords", "load_tagger", "noun_phrase_spans", "split_for_tagging", "TAGGER",
    "MAX_TAGGING_CHARS",
]


@functools.lru_cache(maxsize=65536)
def stem_phrase(phrase: str, language: str = "en") -> str:
    """Lower-case, split on whitespace, stem each word with ``languages.stemmer`` (Porter for
    English, Snowball for the languages Snowball has); Chinese: lower-cased with the spaces
    removed (phrases are written without them). What the ranking dedupes by; evaluation stems
    English with NLTK's Porter, as the SAMRank protocol does (``evaluation.protocol_stem``)."""
    code = languages.check(language)
    if code == "zh":
        return "".join(phrase.lower().split())
    stem = languages.stemmer(code)
    return " ".join(stem(word) for word in phrase.lower().split())


def tag(texts: list[str], batch_size: int = 32, language: str | None = "en",
        max_chars: int = MAX_TAGGING_CHARS) -> list[TaggedText]:
    """Tag each text for candidate selection in ``language``.

    ``"en"`` (default): spaCy's English pipeline, all texts in one stream. ``"auto"``: each
    text's language is detected (``resolve_language``); a text whose language cannot be placed or
    is not supported gets an empty TaggedText with ``language=None`` and the ``reason``. Every
    tagger reads HTML character references ("&amp;", "&#039;") as their characters (``escapes``).
    An explicitly given unsupported language raises ``UnsupportedLanguage`` (a ValueError).
    """
    texts = list(texts)
    if language == "en":
        return tag_english(texts, batch_size, max_chars)
    if language in (None, "", "auto"):
        resolved = [resolve_language(text) for text in texts]
        out: list[TaggedText | None] = [None] * len(texts)
        for code in {c for c, _ in resolved if c}:
            which = [n for n, (c, _) in enumerate(resolved) if c == code]
            for n, tagged in zip(which, tag([texts[n] for n in which], batch_size, code, max_chars)):
                out[n] = tagged
        return [t if t is not None else empty_tagged(None, resolved[n][1]) for n, t in enumerate(out)]
    code = languages.check(language)
    if code == "en":
        return tag_english(texts, batch_size, max_chars)
    return tag_unescaped(texts, lambda plain: _tag_other(plain, code, batch_size, max_chars))


def _tag_other(texts: list[str], code: str, batch_size: int, max_chars: int) -> list[TaggedText]:
    if code in ("es", "fr"):
        from .romance import tag_romance

        return tag_romance(texts, code, batch_size, max_chars)
    if code == "de":
        from .de import tag_german

        return [tag_german(text) for text in texts]
    if code == "zh":
        from .zh import tag_chinese

        return [tag_chinese(text) for text in texts]
    from .plain import tag_plain

    return [tag_plain(text, code) for text in texts]


def select_candidates(tagged: TaggedText, max_words: int = 5, stopwords: frozenset[str] | None = None,
                      language: str | None = None,
                      modifier_tags: tuple[str, ...] = EMBEDRANK_MODIFIERS,
                      leading_stopwords: str = "drop", split_time_words: bool = False,
                      nominal_gerunds: bool = False, drop_measures: bool = False) -> Candidates:
    """Chunk noun phrases with the grammar of the language the text was tagged in (``language``
    defaults to ``tagged.language``), filter them, and locate every occurrence of each.
    ``stopwords`` defaults to the language's list; no phrase starts with one. ``modifier_tags``:
    the Penn tags that may stand before an English phrase's nouns (other languages have their own);
    ``leading_stopwords``: an English chunk that opens with a stop word is dropped or trimmed
    (``en.select_candidates``; the other languages' chunks are always trimmed);
    ``split_time_words``: an English chunk loses a time adverbial at its end ("officials Monday");
    ``nominal_gerunds``: an English gerund inside a noun phrase, used as a noun elsewhere in the
    text, joins the phrase ("message passing protocol"); ``drop_measures``: no one-word phrase is
    a measure ("30ml", "1960s", "GeV" after a number: ``measures.py``), in every language (Chinese too)."""
    candidates = _select(tagged, max_words, stopwords, language, modifier_tags, leading_stopwords, split_time_words,
                         nominal_gerunds)
    return without_measures(candidates, tagged) if drop_measures else candidates


def _select(tagged: TaggedText, max_words: int, stopwords: frozenset[str] | None, language: str | None,
            modifier_tags: tuple[str, ...], leading_stopwords: str, split_time_words: bool,
            nominal_gerunds: bool) -> Candidates:
    code = language if language not in (None, "auto") else tagged.language
    if code is None:
        return no_candidates(tagged)
    if code == "en":
        return _select_english(tagged, max_words, stopwords, modifier_tags, leading_stopwords, split_time_words,
                               nominal_gerunds)
    code = languages.check(code)
    stopwords = languages.stopwords(code) if stopwords is None else stopwords
    if not tagged.words:
        return no_candidates(tagged)
    if code in ("es", "fr"):
        from .romance import select_romance

        return select_romance(tagged, max_words, stopwords)
    if code == "de":
        from .de import select_german

        return select_german(tagged, max_words, stopwords)
    if code == "zh":
        from .zh import select_chinese

        return select_chinese(tagged, max_words, stopwords)
    from .plain import select_plain

    return select_plain(tagged, max_words, stopwords)
