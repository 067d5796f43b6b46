"""An HTTP service for keyphrase extraction: FastAPI + uvicorn.

    from samrank import KeyphraseExtractor
    from samrank.serve import create_app, run

    run("127.0.0.1", 8000, KeyphraseExtractor(model="minilm"))

Endpoints (OpenAPI docs at ``/docs``):

- ``GET /health``: 200 ``{"status": "ok", ...}`` once the model is loaded; 503 while it loads
  (or when loading failed, with the error), so that a load balancer or a readiness probe waits.
- ``POST /extract``: ``{"text": "...", "top_n": 10, "settings": {...}}`` →
  ``{"keyphrases": [{"phrase", "score", "spans"}], "top_n": 10}``, exactly
  ``[k.to_dict() for k in extractor.extract(text, top_n)]``.
- ``POST /extract/batch``: ``{"texts": [...], "top_n": 10}`` → ``{"results": [...], "top_n": 10}``,
  one ``{"keyphrases": [...]}`` per text, in order.

Every extraction runs on one worker thread: it takes whatever requests are waiting and runs them
through ``extract_many`` as one batch (the tagger reads the next texts while the model reads
this one), so many clients share two cores without threads competing for them, and one
extractor never runs on two threads at once. The asyncio side only parses, validates and awaits.

Bad input gets a 4xx with a message that says what is wrong, never a 500: malformed JSON 400,
a missing or mistyped field 422, a text longer than ``max_chars`` (or a body over
``max_body_bytes``, or more than ``max_texts`` texts) 413; a full queue 503 with Retry-After.
"""

import asyncio
import collections
import concurrent.futures
import logging
import queue
import threading
import time
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from . import __version__
from .extractor import KeyphraseExtractor

log = logging.getLogger("samrank.serve")

DEFAULT_MAX_CHARS = 100_000  # one text; about 25 windows of MiniLM, ~10 s on 2 cores
DEFAULT_MAX_TEXTS = 64  # texts per /extract/batch request
DEFAULT_MAX_TOP_N = 1000
DEFAULT_MAX_QUEUE = 1024  # texts waiting for the worker before new requests get 503
DEFAULT_BATCH = 32  # texts the worker runs through extract_many at once

# Settings a request may change: they need no other model, only a different reading of the
# same attention maps (validated below; layer/head ranges are checked against the model).
REQUEST_SETTINGS = ("layer", "head", "heads", "head_weighting", "mode", "single_words",
                    "length_power", "position_power", "max_words", "window_overlap", "dedupe",
                    "nested", "diversity")


def _models():
    """The request and response models (pydantic), built on first use so that importing this
    module does not need FastAPI."""
    from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictFloat,
                          StrictInt, StrictStr)

    from . import scoring

    Number = StrictFloat | StrictInt
    # JSON may carry lone surrogates ("\\ud800"), which are not text: reject them by name
    Text = Annotated[StrictStr, AfterValidator(_valid_unicode)]

    class Settings(BaseModel):
        """Scoring settings for this request only (see ``KeyphraseExtractor``); the model stays
        the one the service loaded."""

        model_config = ConfigDict(extra="forbid")
        layer: StrictInt | None = Field(None, ge=0)
        head: StrictInt | None = Field(None, ge=0)
        heads: list[tuple[StrictInt, StrictInt]] | None = Field(None, min_length=1)
        head_weighting: Literal["mean", "dynamic"] | None = None
        mode: Literal[tuple(scoring.MODES)] | None = None  # type: ignore[valid-type]
        single_words: Literal["mean", "sum"] | None = None
        length_power: Number | None = None
        position_power: Number | None = None
        max_words: StrictInt | None = Field(None, ge=1, le=20)
        window_overlap: Number | None = Field(None, ge=0, lt=1)
        dedupe: StrictBool | None = None
        nested: StrictBool | None = None
        diversity: Number | None = Field(None, ge=0, le=1)

    class ExtractRequest(BaseModel):
        model_config = ConfigDict(extra="forbid", json_schema_extra={
            "examples": [{"text": "Graph-based ranking models for keyphrase extraction rank "
                                  "candidate phrases by their centrality.", "top_n": 5}]})
        text: Text = Field(description="the document (at most max_chars characters)")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N, description="keyphrases to return")
        settings: Settings | None = Field(None, description="scoring settings for this request")

    class BatchRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        texts: list[Text] = Field(description="the documents, answered in this order")
        top_n: StrictInt = Field(10, ge=1, le=DEFAULT_MAX_TOP_N)
        settings: Settings | None = None

    class KeyphraseOut(BaseModel):
        phrase: str = Field(description="as first written in the text")
        score: float
        spans: list[tuple[int, int]] = Field(description="[start, end) character offsets of "
                                                         "every occurrence, in text order")

    class ExtractResponse(BaseModel):
        keyphrases: list[KeyphraseOut]
        top_n: int

    class Result(BaseModel):
        keyphrases: list[KeyphraseOut]

    class BatchResponse(BaseModel):
        results: list[Result]
        top_n: int

    class Health(BaseModel):
        status: Literal["ok", "loading", "failed"]
        model: str
        version: str
        error: str | None = None
        queued: int = 0

    return dict(Settings=Settings, ExtractRequest=ExtractRequest, BatchRequest=BatchRequest,
                ExtractResponse=ExtractResponse, BatchResponse=BatchResponse, Health=Health)


def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"the text holds an unpaired surrogate {text[error.start]!r} at offset "
                         f"{error.start}; send valid Unicode") from None
    return text


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
        with self._lock:
            if self._waiting + len(texts) > self.max_queue:
                raise ServiceUnavailable(f"the service is busy ({self._waiting} texts queued); "
                                         "retry later", retry_after=1)
            self._waiting += len(texts)
        job = _Job(texts, top_n, tuple(sorted((overrides or {}).items(), key=lambda kv: kv[0])))
        self._queue.put(job)
        return job.future

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            self.extractor.loaded  # the model: once, here, before any request is served
            from .candidates import load_tagger

            load_tagger()
            self.extractor.extract("Warm-up text for the keyphrase service.", top_n=1)
        except Exception as error:  # reported by /health and to every request
            self.error = f"{type(error).__name__}: {error}"
            log.exception("samrank: loading %r failed", self.extractor.model)
            return
        log.info("samrank: model %r ready in %.1f s", _model_name(self.extractor),
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
                    if j.future.set_running_or_notify_cancel():
                        j.future.set_exception(ServiceUnavailable(f"the model failed to load: {self.error}"))
            else:
                self._serve(jobs)
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


def _model_name(extractor: KeyphraseExtractor) -> str:
    model = extractor.model
    return model if isinstance(model, str) else getattr(model, "name", type(model).__name__)


def create_app(
    extractor: KeyphraseExtractor | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_texts: int = DEFAULT_MAX_TEXTS,
    max_body_bytes: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_queue: int = DEFAULT_MAX_QUEUE,
):
    """The FastAPI application serving ``extractor`` (default: ``KeyphraseExtractor()``).

    The model loads on the worker thread when the application starts (its lifespan), while
    the server already answers ``/health`` with 503; requests sent before it is ready wait.
    ``max_chars`` caps one text, ``max_texts`` the texts of one batch request,
    ``max_body_bytes`` a request body (default: room for ``max_texts`` texts of ``max_chars``
    escaped characters, at most 64 MiB), ``max_queue`` the texts waiting.
    """
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    if extractor is None:
        extractor = KeyphraseExtractor()
    if max_body_bytes is None:
        max_body_bytes = min(64 << 20, max(1 << 20, 8 * max_chars + 4096))
    m = _models()
    ExtractRequest, BatchRequest = m["ExtractRequest"], m["BatchRequest"]
    name = _model_name(extractor)

    @asynccontextmanager
    async def lifespan(app):
        worker = Worker(extractor, batch_size=batch_size, max_queue=max_queue)
        app.state.worker = worker
        worker.start()
        try:
            yield
        finally:
            await asyncio.to_thread(worker.stop)

    app = FastAPI(
        title="samrank",
        version=__version__,
        description="Unsupervised keyphrase extraction from the self-attention maps of a "
                    f"transformer (SAMRank). Model: {name}. Texts up to {max_chars} characters; "
                    f"up to {max_texts} texts per batch request.",
        lifespan=lifespan,
    )
    app.add_middleware(_BodyLimit, max_bytes=max_body_bytes)

    def problem(status: int, message: str, detail=None, headers=None) -> JSONResponse:
        body = {"error": message}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        errors = error.errors()
        for e in errors:
            if e.get("type") == "json_invalid":
                ctx = e.get("ctx") or {}
                return problem(400, f"the request body is not valid JSON: {ctx.get('error', e.get('msg'))}")
        for e in errors:
            if e.get("type") == "model_attributes_type" or (e.get("loc") == ("body",) and e.get("type") == "missing"):
                return problem(422, "the request body must be a JSON object", _clean(errors))
        lines = []
        for e in errors:
            where = ".".join(str(part) for part in e.get("loc", ())[1:]) or "body"
            lines.append(f"{where}: {str(e.get('msg')).removeprefix('Value error, ')}")
        return problem(422, "invalid request: " + "; ".join(lines), _clean(errors))

    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, error: ServiceUnavailable):
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        return problem(503, str(error), headers=headers)

    @app.exception_handler(SettingsError)
    async def bad_settings(request: Request, error: SettingsError):
        return problem(422, f"invalid settings: {error}")

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception):  # logged, never a bare traceback
        log.exception("samrank: request failed")
        return problem(500, f"internal error: {type(error).__name__}: {error}")

    def check_size(texts: list[str]) -> None:
        for n, text in enumerate(texts):
            if len(text) > max_chars:
                which = f"texts[{n}]" if len(texts) > 1 else "text"
                raise _TooLarge(f"{which} has {len(text)} characters; this service takes at most "
                                f"{max_chars} per text")

    @app.exception_handler(_TooLarge)
    async def too_large(request: Request, error: _TooLarge):
        return problem(413, str(error))

    def overrides_of(settings) -> dict:
        return settings.model_dump(exclude_none=True) if settings is not None else {}

    async def run(request: Request, texts: list[str], top_n: int, settings) -> list:
        future = request.app.state.worker.submit(texts, top_n, overrides_of(settings))
        return await asyncio.wrap_future(future)

    @app.get("/health", response_model=m["Health"], responses={503: {"description": "not ready"}},
             summary="200 once the model is loaded, 503 before (or if loading failed)")
    async def health(request: Request):
        worker: Worker = request.app.state.worker
        body = {"model": name, "version": __version__, "queued": worker.queued}
        if worker.ready.is_set():
            return {"status": "ok", **body}
        if worker.error is not None:
            return JSONResponse({"status": "failed", "error": worker.error, **body}, status_code=503)
        return JSONResponse({"status": "loading", **body}, status_code=503)

    too_large_doc = {413: {"description": "a text or the body is too large"},
                     400: {"description": "malformed JSON"},
                     422: {"description": "missing field, wrong type or value out of range"},
                     503: {"description": "the model is not ready or the queue is full"}}

    @app.post("/extract", response_model=m["ExtractResponse"], responses=too_large_doc,
              summary="The top_n keyphrases of one text, best first")
    async def extract(request: Request, body: ExtractRequest):
        check_size([body.text])
        results = await run(request, [body.text], body.top_n, body.settings)
        return {"keyphrases": results[0], "top_n": body.top_n}

    @app.post("/extract/batch", response_model=m["BatchResponse"], responses=too_large_doc,
              summary="The keyphrases of each text, in the order given")
    async def extract_batch(request: Request, body: BatchRequest):
        if len(body.texts) > max_texts:
            raise _TooLarge(f"{len(body.texts)} texts; this service takes at most {max_texts} per request")
        check_size(body.texts)
        results = await run(request, body.texts, body.top_n, body.settings) if body.texts else []
        return {"results": [{"keyphrases": r} for r in results], "top_n": body.top_n}

    return app


class _TooLarge(Exception):
    pass


def _clean(errors: list[dict]) -> list[dict]:
    """Validation errors as JSON: without the input echoed back (it may be a huge text)."""
    return [{k: v for k, v in e.items() if k in ("type", "loc", "msg")} for e in errors]


class _BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413 before it is read whole
    (by its Content-Length, or counted as it streams in when chunked)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._reject(send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await self._reject(send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _reject(self, send):
        import json

        payload = json.dumps({"error": f"the request body is over {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": payload})


def run(host: str = "127.0.0.1", port: int = 8000, extractor: KeyphraseExtractor | None = None,
        log_level: str = "info", **options) -> None:
    """Serve ``extractor`` with uvicorn until interrupted (one process: the model is loaded
    once; ``options`` go to ``create_app``: max_chars, max_texts, batch_size, max_queue)."""
    import uvicorn

    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(message)s")
    uvicorn.run(create_app(extractor, **options), host=host, port=port, log_level=log_level,
                workers=1, timeout_graceful_shutdown=30)
