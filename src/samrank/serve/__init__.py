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

The parts: ``schemas`` (request and response models), ``worker`` (the batching thread),
``app`` (the FastAPI application and ``run``). Importing this package needs no FastAPI.
"""

from .app import DEFAULT_MAX_CHARS, DEFAULT_MAX_TEXTS, create_app, run
from .schemas import DEFAULT_MAX_TOP_N, REQUEST_SETTINGS
from .worker import (
    DEFAULT_BATCH, DEFAULT_MAX_QUEUE, ServiceUnavailable, SettingsError, Worker, with_settings,
)

__all__ = [
    "create_app", "run", "Worker", "ServiceUnavailable", "SettingsError", "with_settings",
    "DEFAULT_MAX_CHARS", "DEFAULT_MAX_TEXTS", "DEFAULT_MAX_TOP_N", "DEFAULT_MAX_QUEUE",
    "DEFAULT_BATCH", "REQUEST_SETTINGS",
]
