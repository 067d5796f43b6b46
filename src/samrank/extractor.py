"""KeyphraseExtractor: the friendly face of the pipeline (configure once, then extract).

Configuration lives in the constructor (a ``Settings``), the work in the methods, corpus
statistics in ``fit_idf`` — as scikit-learn estimators do. One extractor may be shared by many
threads: each call keeps its arrays to itself (see ``pipeline.py``).
"""

from __future__ import annotations

import itertools
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Iterator

from .candidates import Candidates, TaggedText
from .idf import IdfTable
from .pipeline import Keyphrase, Pipeline, Run, WordWeight, check_text
from .readers.base import Progress
from .settings import Settings, field_names


class KeyphraseExtractor:
    """Unsupervised keyphrase extraction from self-attention (SAMRank and what grew around it).

    ``KeyphraseExtractor(model, **settings)``: every keyword is a field of ``samrank.Settings``
    (its docstrings and ``samrank extract --help`` explain each); ``layer`` and ``head`` are
    shorthand for ``heads=[(layer, head)]``; ``preset="samrank"`` scores phrases exactly as the
    SAMRank paper does; ``settings=`` takes a whole ``Settings``. Settings left unset take the
    model's defaults, chosen on development data (docs/DEFAULTS.md).

    ``model``: a packaged alias (``"minilm"``, ``"smollm2"``, ``"mpnet"``), a Hugging Face model
    id, a local model folder, a ``.gguf`` file, or a model already in memory wrapped with
    ``samrank.models.prepare(model, tokenizer)``. Encoders and decoders both work.
    """

    def __init__(self, model=None, layer: int | None = None, head: int | None = None, *,
                 settings: Settings | None = None, preset: str | None = None, **overrides):
        if settings is not None and preset is not None:
            raise ValueError("give settings or a preset, not both")
        values = {} if settings is None else {name: getattr(settings, name) for name in field_names()}
        if model is not None:
            values["model"] = model
        if layer is not None and "heads" not in overrides:
            values.pop("heads", None)
        settings = Settings.create(preset, layer, head, **{**values, **overrides})
        self.settings = settings
        self.pipeline = Pipeline(settings)
        self.idf_: IdfTable | None = None

    def __repr__(self) -> str:
        return f"KeyphraseExtractor({self.settings.describe()})"

    def __getattr__(self, name: str):
        # settings read as attributes (ex.mode, ex.heads), as configured
        if name != "settings" and name in field_names():
            return getattr(self.settings, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def replace(self, layer: int | None = None, head: int | None = None, **changes) -> "KeyphraseExtractor":
        """A new extractor with these settings changed (``layer``/``head`` as in the constructor;
        the fitted IDF table kept; the model, once loaded, is shared)."""
        values = {name: getattr(self.settings, name) for name in field_names()}
        if layer is not None and "heads" not in changes:
            values.pop("heads")
        other = KeyphraseExtractor(layer=layer, head=head, **{**values, **changes})
        other.idf_ = self.idf_
        return other

    @property
    def loaded(self):
        """The loaded model (loaded on first use); checks the heads against its shape."""
        return self.pipeline.loaded

    def extract(self, text: str, top_n: int = 10, tagged: TaggedText | None = None) -> list[Keyphrase]:
        """The ``top_n`` keyphrases of ``text``, best first; empty for text without noun phrases.
        ``tagged``: the text's words and tags when already known (the spaCy component)."""
        _check_top_n(top_n)
        return self.pipeline.run(text, top_n, tagged, self.idf_).keyphrases

    def extract_many(self, texts: Iterable[str], top_n: int = 10, batch_size: int = 32,
                     errors: str = "warn") -> Iterator[list[Keyphrase]]:
        """Yield one result per text, in input order, reading ``texts`` lazily in batches.

        A text that cannot be processed yields an empty list and a warning (``errors="warn"``),
        or raises (``errors="raise"``); the other texts are unaffected.
        """
        return (run.keyphrases for run in self.run_many(texts, top_n, batch_size, errors))

    def run_many(self, texts: Iterable[str], top_n: int = 10, batch_size: int = 32,
                 errors: str = "warn", progress: Progress | None = None) -> Iterator[Run]:
        """``extract_many`` with each text's whole ``pipeline.Run`` (its language, candidates
        and arrays) instead of the keyphrases alone. ``progress(done, total)`` hears of each
        window the model reads in the current text (a progress bar for long documents)."""
        if errors not in ("warn", "raise"):
            raise ValueError('errors must be "warn" or "raise"')
        _check_top_n(top_n)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}")
        if isinstance(texts, (str, bytes)):
            raise TypeError("texts must be an iterable of texts, not one text: extract(text) reads one")
        iterator = iter(texts)
        position = 0
        # The tagger works on the next batch in a thread while the model runs on this one.
        with ThreadPoolExecutor(max_workers=1) as tagger:
            batch = list(itertools.islice(iterator, batch_size))
            pending = tagger.submit(self._tag_valid, batch, batch_size)
            while batch:
                tagged = iter(pending.result())
                upcoming = list(itertools.islice(iterator, batch_size))
                if upcoming:
                    pending = tagger.submit(self._tag_valid, upcoming, batch_size)
                for text in batch:
                    try:
                        words = next(tagged)
                        if words is None:
                            check_text(text)
                            yield Run([])
                        else:
                            yield self.pipeline.run(text, top_n, words or None, self.idf_, progress)
                    except Exception as error:  # one bad document must not sink the batch
                        if errors == "raise":
                            raise
                        reason = f"document {position}: {type(error).__name__}: {error}"
                        warnings.warn(reason, stacklevel=2)
                        yield Run([], error=reason)
                    position += 1
                batch = upcoming

    def extract_word_weights(self, text: str) -> list[WordWeight]:
        """Every word of ``text`` (punctuation left out) in text order, weighted by the chosen
        heads: the sum of its tokens' scores. Hyphenated compounds are one word."""
        return self.pipeline.word_weights(text)

    def candidates(self, text: str) -> Candidates:
        """The candidate phrases of ``text`` and all their occurrences (no model needed)."""
        text = check_text(text)
        return self.pipeline.candidates(self.pipeline.tag([text])[0], text)

    def fit_idf(self, texts: Iterable[str], batch_size: int = 32) -> "KeyphraseExtractor":
        """Learn word document frequencies from a corpus (replacing any fitted before)."""
        self.idf_ = IdfTable()
        return self.update_idf(texts, batch_size)

    def update_idf(self, texts: Iterable[str], batch_size: int = 32) -> "KeyphraseExtractor":
        """Add a corpus's documents to the fitted document frequencies."""
        table = self.idf_ if self.idf_ is not None else IdfTable()
        iterator = iter(texts)
        while batch := [check_text(t) for t in itertools.islice(iterator, batch_size) if isinstance(t, str)]:
            table.update(tagged.words for tagged in self.pipeline.tag(batch, batch_size))
        self.idf_ = table
        return self

    def _tag_valid(self, batch: list, batch_size: int) -> list:
        """Tag the non-empty strings of a batch in one spaCy stream. Per text: its TaggedText,
        None when there is nothing to tag (empty, blank, not a string), or False when the stream
        failed, so that the text is tagged again on its own and only a bad text fails."""
        valid = [isinstance(t, str) and bool(t.strip()) for t in batch]
        try:
            tagged = iter(self.pipeline.tag([check_text(t) for t, ok in zip(batch, valid) if ok], batch_size))
        except Exception:
            return [False if ok else None for ok in valid]
        return [next(tagged) if ok else None for ok in valid]


def _check_top_n(top_n) -> None:
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ValueError(f"top_n must be a whole number of at least 1; got {top_n!r}")
