"""The worker thread that owns the extractor: every extraction runs on it, in batches."""

import collections
import concurrent.futures
import logging
import queue
import threading
import time

from ..extractor import KeyphraseExtractor
from ..settings import model_name

log = logging.getLogger("samrank.serve")

DEFAULT_MAX_QUEUE = 1024  # texts waiting for the worker before new requests get 503
DEFAULT_BATCH = 32  # texts the worker runs through extract_many at once


class ServiceUnavailable(Exception):
    """The model is not ready (still loading, or failed), or the queue is full."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SettingsError(ValueError):
    """A request's settings do not fit the loaded model (a layer or head out of range)."""


def with_settings(extractor: KeyphraseExtractor, overrides: dict) -> KeyphraseExtractor:
    """A copy of ``extractor`` with some scoring settings changed; it shares the loaded model.

    The one place that knows how an extractor's settings are stored."""
    return extractor.replace(**overrides)


class _Job:
    __slots__ = ("texts", "top_n", "key", "future")

    def __init__(self, texts: list[str], top_n: int, key: tuple):
        self.texts = texts
        self.top_n = top_n
        self.key = key  # the settings overrides, as a hashable tuple
        self.future: concurrent.futures.Future = concurrent.futures.Future()


class Worker:
    """One thread that owns the extractor: it loads the model, then takes the requests waiting
    in its queue, groups them by (settings, top_n) and runs each group through
    ``extract_many``. Callers get a ``concurrent.futures.Future`` per request."""

    def __init__(self, extractor: KeyphraseExtractor, batch_size: int = DEFAULT_BATCH,
                 max_queue: int = DEFAULT_MAX_QUEUE):
        self.extractor = extractor
        self.batch_size = batch_size
        self.max_queue = max_queue
        self.ready = threading.Event()
        self.error: str | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._waiting = 0  # texts queued, not yet taken by the worker
        self._lock = threading.Lock()
        self._variants: collections.OrderedDict = collections.OrderedDict()
        self._thread = threading.Thread(target=self._run, name="samrank-worker", daemon=True)
        self.batches = 0  # extract_many calls so far (for tests and logs)
        self.largest_batch = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)

    @property
    def queued(self) -> int:
        return self._waiting

    def submit(self, texts: list[str], top_n: int, overrides: dict | None = None) -> concurrent.futures.Future:
        if self.error is not None:
            raise ServiceUnavailable(f"the model failed to load: {self.error}")
        key = settings_key(overrides or {})  # before counting the texts: a bad key is this caller's alone
        with self._lock:
            if self._waiting + len(texts) > self.max_queue:
                raise ServiceUnavailable(f"the service is busy ({self._waiting} texts queued); "
                                         "retry later", retry_after=1)
            self._waiting += len(texts)
        job = _Job(texts, top_n, key)
        self._queue.put(job)
        return job.future

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            self.extractor.loaded  # the model: once, here, before any request is served
            from ..candidates import load_tagger

            load_tagger()
            self.extractor.extract("Warm-up text for the keyphrase service.", top_n=1)
        except Exception as error:  # reported by /health and to every request
            self.error = f"{type(error).__name__}: {error}"
            log.exception("samrank: loading %r failed", self.extractor.model)
            return
        log.info("samrank: model %r ready in %.1f s", model_name(self.extractor.model),
                 time.perf_counter() - started)
        self.ready.set()

    def _run(self) -> None:
        self._load()
        while True:
            job = self._queue.get()
            if job is None:
                return
            jobs = [job]
            texts = len(job.texts)
            stop = False
            while texts < self.batch_size:  # everything else that waits, up to a batch
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                jobs.append(more)
                texts += len(more.texts)
            with self._lock:
                self._waiting -= texts
            if self.error is not None:
                for j in jobs:
                    _fail(j.future, ServiceUnavailable(f"the model failed to load: {self.error}"))
            else:
                try:
                    self._serve(jobs)
                except Exception as error:  # the worker must live on: fail these jobs, not all later ones
                    log.exception("samrank: serving a batch failed")
                    for j in jobs:
                        _fail(j.future, error)
            if stop:
                return

    def _serve(self, jobs: list[_Job]) -> None:
        groups: dict[tuple, list[_Job]] = {}
        for job in jobs:
            if job.future.set_running_or_notify_cancel():  # skip requests whose client left
                groups.setdefault((job.key, job.top_n), []).append(job)
        for (key, top_n), group in groups.items():
            try:
                extractor = self._variant(key)
            except Exception as error:
                for job in group:
                    job.future.set_exception(error)
                continue
            texts = [t for job in group for t in job.texts]
            self.batches += 1
            self.largest_batch = max(self.largest_batch, len(texts))
            results = self._extract(extractor, texts, top_n)
            for job in group:
                mine, results = results[: len(job.texts)], results[len(job.texts):]
                failed = next((r for r in mine if isinstance(r, BaseException)), None)
                if failed is not None:
                    job.future.set_exception(failed)
                else:
                    job.future.set_result(mine)

    def _extract(self, extractor: KeyphraseExtractor, texts: list[str], top_n: int) -> list:
        """One result per text: its keyphrases as dicts, or the exception it raised. One batch
        through ``extract_many``; if a text fails, the rest are run one by one so that only
        the failing text's request fails."""
        results: list = []
        try:
            for keyphrases in extractor.extract_many(texts, top_n=top_n,
                                                     batch_size=self.batch_size, errors="raise"):
                results.append([k.to_dict() for k in keyphrases])
        except Exception:
            for text in texts[len(results):]:
                try:
                    results.append([k.to_dict() for k in extractor.extract(text, top_n)])
                except Exception as error:
                    log.warning("samrank: a text failed: %s: %s", type(error).__name__, error)
                    results.append(error)
        return results

    def _variant(self, key: tuple) -> KeyphraseExtractor:
        if not key:
            return self.extractor
        if key not in self._variants:
            try:
                variant = with_settings(self.extractor, dict(key))
                variant.loaded  # checks layer and head against the model
            except ValueError as error:
                raise SettingsError(str(error)) from None
            self._variants[key] = variant
            if len(self._variants) > 64:
                self._variants.popitem(last=False)
        self._variants.move_to_end(key)
        return self._variants[key]


def settings_key(overrides: dict) -> tuple:
    """The overrides as a hashable, order-free key (heads arrive as lists of lists); a value that
    cannot be one is a ``SettingsError``."""
    def frozen(value):
        if isinstance(value, (list, tuple)):
            return tuple(frozen(v) for v in value)
        if isinstance(value, (set, frozenset)):
            return frozenset(frozen(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        return value

    key = tuple(sorted((name, frozen(value)) for name, value in overrides.items()))
    try:
        hash(key)
    except TypeError as error:
        raise SettingsError(f"settings that cannot be compared: {error}") from None
    return key


def _fail(future: concurrent.futures.Future, error: Exception) -> None:
    """Answer ``future`` with ``error`` unless it is answered or cancelled already (a client
    may leave at any moment)."""
    try:
        if future.done() or (not future.running() and not future.set_running_or_notify_cancel()):
            return
        future.set_exception(error)
    except concurrent.futures.InvalidStateError:
        pass
