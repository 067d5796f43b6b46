"""Languages samrank extracts from: detection, stop words, stemmers, and which route each takes.

Routes (see docs/LANGUAGES.md):
- ``en``: spaCy's English tagger, the EmbedRank grammar, Porter stems (unchanged).
- ``es``, ``fr``: spaCy's small Spanish / French pipelines (UPOS tags), a Romance noun-phrase
  grammar (adjectives after the noun, ``NOUN de NOUN``), Snowball stems.
- ``de``: HanTa (STTS tags), ``ADJA* (NN|NE)+`` (compounds are single words), Snowball stems.
- ``zh``: jieba's part-of-speech segmenter, modifier* noun+ with no spaces, at most 12
  characters, no stemming.
- ``pt``, ``it`` and the other languages in ``STOPWORD_LANGUAGES``: no tagger; candidates are
  runs of words between stop words and punctuation (as YAKE and RAKE do), optionally joined by
  ``de``-like linkers, Snowball stems where Snowball has the language.

Any other language, and any script without word spaces apart from Chinese (Thai, Japanese,
Khmer ...), is not supported: ``candidates.tag`` raises ``UnsupportedLanguage`` for it, and
``resolve_language`` says why.
"""

from __future__ import annotations

import functools
import threading
import unicodedata

TAGGED = ("en", "es", "fr", "de", "zh")
# Languages with a stop-word list (spaCy's language data) and space-separated words: the
# tagger-free route. Snowball stemmers exist for all but ca, cs, pl (lower-cased words there).
STOPWORD_LANGUAGES = ("pt", "it", "nl", "ca", "ro", "da", "sv", "nb", "fi", "hu", "pl", "cs", "ru")
SUPPORTED_LANGUAGES: tuple[str, ...] = TAGGED + STOPWORD_LANGUAGES

NAMES = {
    "en": "english", "es": "spanish", "fr": "french", "de": "german", "zh": "chinese",
    "pt": "portuguese", "it": "italian", "nl": "dutch", "ca": "catalan", "ro": "romanian",
    "da": "danish", "sv": "swedish", "nb": "norwegian", "fi": "finnish", "hu": "hungarian",
    "pl": "polish", "cs": "czech", "ru": "russian",
}
# Aliases the detector or users may give.
ALIASES = {"no": "nb", "nn": "nb", "zh-cn": "zh", "zh-tw": "zh", "cn": "zh", "iw": "he"}
# Words that join two nouns inside a phrase ("bondad de ajuste"), per Romance language.
LINKERS = {
    "es": frozenset({"de", "del"}),
    "fr": frozenset({"de", "d'", "d’", "du", "des"}),
    "pt": frozenset({"de", "do", "da", "dos", "das"}),
    "it": frozenset({"di", "del", "della", "dei", "delle", "dello", "degli"}),
    "ca": frozenset({"de", "del", "dels", "d'", "d’"}),
    "ro": frozenset(),
}
# Content words that spaCy's stop-word lists hold and that would cut or drop real keyphrases
# ("mercato del lavoro", "sistema de informação").
NOT_STOPWORDS = {
    "it": frozenset("""anni anno ansa attesa città citta conclusione consiglio esempio forza futuro
        generale giorni giorno governo gruppo lavoro luogo mancanza marche ministro miliardi milioni
        mondo mosto nazionale paese persone piedi posto press registrazione scola scopo tempo
        titolo""".split()),
    "pt": frozenset("""apoio caminho conselho estado exemplo falta final forma grupo local lugar
        meses momento nível número números ponto pontos posição questão relação sistema tempo
        valor""".split()),
    "de": frozenset("beispiel jahren mittel morgen".split()),
    "es": frozenset("estado estados manera verdad cuenta".split()),
}
MIN_CONFIDENCE = 0.8  # detector probability below which detect_language says None


class UnsupportedLanguage(ValueError):
    """The language (given or detected) has no candidate route in samrank."""


def normalise(language: str | None) -> str | None:
    """``"PT-br"`` -> ``"pt"``; ``None`` and ``""`` -> ``None``."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-")
    code = ALIASES.get(code, code)
    return ALIASES.get(code.split("-")[0], code.split("-")[0])


def check(language: str) -> str:
    """The normalised code of a supported language, or ``UnsupportedLanguage``."""
    code = normalise(language)
    if code not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(
            f"language {language!r} is not supported; samrank supports {', '.join(SUPPORTED_LANGUAGES)}")
    return code


# --- detection -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script family, from the Unicode character names (first word)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
            script = "KANA"
        elif (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F
              or 0xF900 <= code <= 0xFAFF):
            script = "HAN"
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            script = "HANGUL"
        else:
            name = unicodedata.name(char, "")
            script = name.split(" ")[0] if name else "OTHER"
        counts[script] = counts.get(script, 0) + 1
    return counts


# Scripts with their own language(s) that samrank cannot handle; reported by guess_language.
_SCRIPT_LANGUAGE = {"THAI": "th", "ETHIOPIC": "am", "KHMER": "km", "LAO": "lo", "HANGUL": "ko",
                    "KANA": "ja", "HEBREW": "he", "DEVANAGARI": "hi", "GEORGIAN": "ka",
                    "ARMENIAN": "hy", "TAMIL": "ta", "BENGALI": "bn", "MYANMAR": "my",
                    "SINHALA": "si", "TIBETAN": "bo", "GREEK": "el"}


def guess_language(text: str) -> tuple[str | None, float]:
    """The most likely language of ``text`` (ISO 639-1, supported or not) and a confidence in
    [0, 1]; ``(None, 0.0)`` for text without letters. Chinese is recognised by its script
    (Han characters without kana); other languages by py3langid over the text's first 20,000
    characters."""
    if not isinstance(text, str):
        return None, 0.0
    sample = text[:20_000]
    counts = _script_counts(sample)
    letters = sum(counts.values())
    if not letters:
        return None, 0.0
    han, kana = counts.get("HAN", 0), counts.get("KANA", 0)
    if kana and kana >= 0.05 * letters:
        return "ja", min(1.0, (han + kana) / letters)
    if han >= 0.3 * letters:
        return "zh", han / letters
    script, most = max(counts.items(), key=lambda item: item[1])
    if script in _SCRIPT_LANGUAGE and most >= 0.5 * letters:
        return _SCRIPT_LANGUAGE[script], most / letters
    language, probability = _identifier().classify(sample)
    return normalise(str(language)), float(probability)


def detect_language(text: str) -> str | None:
    """The language of ``text`` as an ISO 639-1 code when samrank supports it and the detector
    is confident (probability >= ``MIN_CONFIDENCE``); ``None`` when unsure or unsupported."""
    language, confidence = guess_language(text)
    if language in SUPPORTED_LANGUAGES and confidence >= MIN_CONFIDENCE:
        return language
    return None


def resolve_language(text: str, language: str | None = "auto") -> tuple[str | None, str]:
    """The language to process ``text`` in, and why: ``(code, "")`` or ``(None, reason)``.

    ``language`` given explicitly must be supported (else ``UnsupportedLanguage``). With
    ``"auto"`` (or None) the detector decides; a text it cannot place gets ``None`` and a
    one-line reason, so the caller returns an empty result instead of junk.
    """
    if language not in (None, "", "auto"):
        return check(language), ""
    guessed, confidence = guess_language(text)
    if guessed is None:
        return None, "no letters to detect a language from"
    if guessed not in SUPPORTED_LANGUAGES:
        return None, (f"detected language {guessed!r} is not supported "
                      f"(supported: {', '.join(SUPPORTED_LANGUAGES)})")
    if confidence < MIN_CONFIDENCE:
        return None, (f"language not recognised with confidence (best guess {guessed!r}, "
                      f"p={confidence:.2f}); set the language explicitly")
    return guessed, ""


# --- stop words and stemmers -------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    """Lower-cased stop words: samrank's 319-word list for English, spaCy's language data for the
    others (with elided forms such as ``l'`` also without the apostrophe)."""
    code = check(language)
    if code == "en":
        from .candidates import default_stopwords

        return default_stopwords()
    import importlib

    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    words = {w.lower() for w in module.STOP_WORDS}
    words |= {w.rstrip("'’") for w in words if w[-1:] in "'’"}
    words |= {w.replace("'", "’") for w in words} | {w.replace("’", "'") for w in words}
    return frozenset(w for w in words if w) - NOT_STOPWORDS.get(code, frozenset())


@functools.lru_cache(maxsize=None)
def stemmer(language: str):
    """A ``word -> stem`` function from the Snowball project's own C library (PyStemmer): Porter
    for English, the language's Snowball stemmer where Snowball has one, lower-casing alone for
    the rest (Chinese included). A PyStemmer object may not be shared by threads: each thread
    gets its own."""
    import Stemmer

    code = check(language)
    name = "porter" if code == "en" else NAMES[code]
    if name not in Stemmer.algorithms():
        return str.lower
    per_thread = threading.local()

    def stem(word: str) -> str:
        own = getattr(per_thread, "stemmer", None)
        if own is None:
            own = per_thread.stemmer = Stemmer.Stemmer(name)
        return own.stemWord(word)

    return stem
