"""The FastAPI application (routes, limits, error answers) and ``run``, which serves it."""

import asyncio
import logging
from contextlib import asynccontextmanager

from .. import __version__
from ..extractor import KeyphraseExtractor
from ..settings import model_name
from .schemas import api_models
from .worker import DEFAULT_BATCH, DEFAULT_MAX_QUEUE, ServiceUnavailable, SettingsError, Worker

log = logging.getLogger("samrank.serve")

DEFAULT_MAX_CHARS = 100_000  # one text; about 25 windows of MiniLM, ~10 s on 2 cores
DEFAULT_MAX_TEXTS = 64  # texts per /extract/batch request
BODY_UNREADABLE = "There was an error parsing the body"  # FastAPI's detail for a body it cannot decode


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
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from fastapi.responses import JSONResponse

    if extractor is None:
        extractor = KeyphraseExtractor()
    if max_body_bytes is None:
        max_body_bytes = min(64 << 20, max(1 << 20, 8 * max_chars + 4096))
    m = api_models()
    ExtractRequest, BatchRequest = m["ExtractRequest"], m["BatchRequest"]
    name = model_name(extractor.model)

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

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, error: StarletteHTTPException):
        # FastAPI's own 4xx (a body it cannot decode, an unknown path) in this service's shape
        message = ("the request body cannot be read: send UTF-8 JSON" if error.detail == BODY_UNREADABLE
                   else str(error.detail))
        return problem(error.status_code, message, headers=getattr(error, "headers", None))

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
