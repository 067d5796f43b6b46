"""samrank as a spaCy pipeline component.

    import spacy

    nlp = spacy.blank("en")                      # or spacy.load("en_core_web_sm"), ...
    nlp.add_pipe("samrank", config={"model": "minilm", "top_n": 10,
                                    "settings": {"layer": 5, "head": 5}})
    doc = nlp("Graph-based ranking models for keyphrase extraction ...")
    doc._.keyphrases   # [Keyphrase(phrase=..., score=..., spans=...)], as KeyphraseExtractor.extract

The factory is registered through the ``spacy_factories`` entry point, so ``add_pipe("samrank")``
works in any environment where samrank is installed, without importing samrank first.

Tags: when an English pipeline has tagged the document with Penn Treebank tags (a tagger before
this component) and the extractor reads English (``language`` "en" or "auto"), samrank reads
those tags and the pipeline's sentence boundaries, and tags nothing itself; otherwise
(``spacy.blank``, a pipeline of another language, whose tags are another tag set) it tags the
text with its own tagger for the text's language, as ``extract`` does. With the same tagger both ways the keyphrases are the same; a different
tagger (a larger or a custom pipeline) can tag some words differently and so find other
candidates. ``nlp.pipe`` tags each batch of documents in one stream and reads the model one
document at a time, as ``extract_many`` does.

Config: ``model`` (a packaged alias, hub id or folder), ``top_n``, ``settings`` (any other
``KeyphraseExtractor`` argument, e.g. ``{"layer": 5, "head": 5, "diversity": 0.3}``) and
``batch_size`` (texts per tagging stream). The model loads on the first document.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import minibatch

from .settings import Settings

EXTENSION = "keyphrases"
DEFAULT_CONFIG = {"model": Settings.model, "top_n": 10, "settings": {}, "batch_size": 32}


def _words_of(doc):
    """A tagged spaCy Doc as samrank's TaggedText."""
    from .candidates.en import _words_of as words_of

    return words_of(doc, 0)


class SamRank(Pipe):
    """Sets ``doc._.keyphrases`` to the document's keyphrases (``samrank.Keyphrase`` objects)."""

    def __init__(self, nlp: Language, name: str = "samrank", model: str = Settings.model, top_n: int = 10,
                 settings: Dict[str, Any] | None = None, batch_size: int = 32):
        from .extractor import KeyphraseExtractor

        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)
        self.name = name
        self.top_n = int(top_n)
        self.batch_size = int(batch_size)
        self.settings = dict(settings or {})
        if "model" in self.settings:
            raise ValueError('give the model as config["model"], not inside config["settings"]')
        # built now so that a wrong setting fails in add_pipe, not on the first document
        self.extractor = KeyphraseExtractor(model=model, **self.settings)

    def __call__(self, doc: Doc) -> Doc:
        tagged = _PIPELINE if self._has_tags(doc) else _tag_texts(self.extractor, [doc.text], self.batch_size)[0]
        doc._.set(EXTENSION, self._keyphrases(doc, tagged))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            own = [doc for doc in docs if not self._has_tags(doc)]
            try:  # the untagged documents of this batch in one tagging stream
                tags = dict(zip(map(id, own), _tag_texts(self.extractor, [doc.text for doc in own], self.batch_size)))
            except Exception:  # tagged one by one below, so that only a bad text fails
                tags = {}
            for doc in docs:
                try:
                    if self._has_tags(doc):
                        tagged = _PIPELINE
                    elif id(doc) in tags:
                        tagged = tags[id(doc)]
                    else:
                        tagged = _tag_texts(self.extractor, [doc.text], self.batch_size)[0]
                    doc._.set(EXTENSION, self._keyphrases(doc, tagged))
                except Exception as error:
                    error_handler(self.name, self, [doc], error)
                yield doc

    def _keyphrases(self, doc: Doc, tagged) -> list:
        text = doc.text
        if not text.strip():
            return []
        if tagged is _PIPELINE:  # the pipeline's own tags and sentence boundaries
            tagged = _words_of(doc)
        return self.extractor.extract(text, self.top_n, tagged=tagged)

    def _has_tags(self, doc: Doc) -> bool:
        """Whether an earlier English component tagged every token with a fine-grained (Penn) tag
        that this extractor can read (it reads English)."""
        return (doc.lang_ == "en" and self.extractor.settings.language in ("en", "auto")
                and len(doc) > 0 and doc.has_annotation("TAG", require_complete=True))

    def __repr__(self) -> str:
        return f"SamRank(name={self.name!r}, extractor={self.extractor!r}, top_n={self.top_n})"


_PIPELINE = object()  # marks a document tagged by the pipeline


def _tag_texts(extractor, texts: list[str], batch_size: int) -> list:
    """samrank's own tags for each text (in its language) in one stream, ``None`` for a blank
    one (nothing to tag)."""
    tagged = iter(extractor.pipeline.tag([t for t in texts if t.strip()], batch_size))
    return [next(tagged) if t.strip() else None for t in texts]


@Language.factory("samrank", default_config=DEFAULT_CONFIG, assigns=[f"doc._.{EXTENSION}"])
def make_samrank(nlp: Language, name: str, model: str, top_n: int, settings: Dict[str, Any],
                 batch_size: int) -> SamRank:
    """spaCy factory: ``nlp.add_pipe("samrank", config={"model": ..., "top_n": ..., "settings": {...}})``."""
    return SamRank(nlp, name, model=model, top_n=top_n, settings=settings, batch_size=batch_size)
