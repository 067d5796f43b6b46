"""The HTTP service (samrank.serve) with tiny in-memory models: readiness while the model loads,
a model that fails to load, a full queue, a body over the limit, request settings the worker must
key and compare, and a batch that breaks the worker. Results with the real MiniLM model:
tests/test_serve.py."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from samrank import KeyphraseExtractor  # noqa: E402
from samrank.serve import create_app  # noqa: E402
from samrank.serve.worker import settings_key  # noqa: E402

from .conftest import tiny_bert  # noqa: E402
from .serve_helpers import as_json, wait_ready  # noqa: E402


class GatedExtractor(KeyphraseExtractor):
    """Its model loads only once ``gate`` is set (or fails with ``fail``)."""

    def __init__(self, *args, fail=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()
        self.fail = fail

    @property
    def loaded(self):
        self.gate.wait(60)
        if self.fail:
            raise RuntimeError(self.fail)
        return super().loaded


def test_health_is_503_until_the_model_is_loaded():
    extractor = GatedExtractor(model=tiny_bert(), layer=1, head=1)
    with TestClient(create_app(extractor)) as client:
        response = client.get("/health")
        assert response.status_code == 503 and response.json()["status"] == "loading"
        # a request sent while loading waits and is answered once the model is ready
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(client.post, "/extract", json={"text": "graph based ranking model"})
            time.sleep(0.2)
            assert not pending.done()
            extractor.gate.set()
            response = pending.result(timeout=60)
        assert response.status_code == 200, response.text
        assert response.json()["keyphrases"] == as_json(extractor.extract("graph based ranking model"))
        assert wait_ready(client).json()["status"] == "ok"


def test_a_model_that_fails_to_load_is_reported_not_hidden():
    extractor = GatedExtractor(model=tiny_bert(), fail="weights missing")
    extractor.gate.set()
    with TestClient(create_app(extractor)) as client:
        deadline = time.monotonic() + 30
        while client.get("/health").json()["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "failed"
        assert "weights missing" in health.json()["error"]
        response = client.post("/extract", json={"text": "graph based ranking"})
        assert response.status_code == 503 and "weights missing" in response.json()["error"]


def test_full_queue_gets_503_with_retry_after():
    extractor = GatedExtractor(model=tiny_bert(), layer=1, head=1)
    with TestClient(create_app(extractor, max_queue=1)) as client:
        worker = client.app.state.worker
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(client.post, "/extract", json={"text": "graph based ranking model"})
            deadline = time.monotonic() + 10
            while worker.queued < 1 and time.monotonic() < deadline:
                time.sleep(0.01)
            busy = client.post("/extract", json={"text": "neural network"})
            assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
            assert "busy" in busy.json()["error"]
            extractor.gate.set()
            assert first.result(timeout=60).status_code == 200


def test_body_over_the_limit_is_refused_before_parsing():
    extractor = GatedExtractor(model=tiny_bert(), layer=1, head=1)
    extractor.gate.set()
    with TestClient(create_app(extractor, max_body_bytes=1000)) as client:
        response = client.post("/extract", content=json.dumps({"text": "x" * 2000}).encode(),
                               headers={"content-type": "application/json"})
        assert response.status_code == 413 and "over 1000 bytes" in response.json()["error"]

        def chunks():  # no Content-Length: counted as it streams
            for _ in range(10):
                yield b" " * 200

        response = client.post("/extract", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert client.post("/extract", json={"text": "graph based ranking"}).status_code == 200


def test_heads_given_as_json_lists_are_answered_like_extract():
    """JSON has no tuples: heads arrive as lists of lists (once an unhashable key that killed
    the worker, so that this request and every later one hung)."""
    extractor = KeyphraseExtractor(model=tiny_bert(), layer=1, head=1)
    text = "graph based ranking model for keyphrase extraction from scientific abstracts"
    with TestClient(create_app(extractor)) as client:
        wait_ready(client)
        for settings in ({"heads": [[0, 1], [1, 0]]}, {"heads": [[1, 1]], "head_weighting": "dynamic"}):
            response = client.post("/extract", json={"text": text, "top_n": 4, "settings": settings})
            assert response.status_code == 200, response.text
            assert response.json()["keyphrases"] == as_json(extractor.replace(**settings).extract(text, top_n=4))


def test_settings_key_is_hashable_and_order_free():
    key = settings_key({"heads": [[0, 1], [1, 0]], "diversity": 0.3})
    assert hash(key) == hash(settings_key({"diversity": 0.3, "heads": ((0, 1), (1, 0))}))
    assert dict(key)["heads"] == ((0, 1), (1, 0))


def test_a_batch_that_breaks_the_worker_fails_alone():
    extractor = KeyphraseExtractor(model=tiny_bert(), layer=1, head=1)
    # the 500 handler answers, and Starlette re-raises for the server's log: keep the test client out of it
    with TestClient(create_app(extractor), raise_server_exceptions=False) as client:
        wait_ready(client)
        worker = client.app.state.worker
        serve = worker._serve
        calls = []

        def broken_once(jobs):
            calls.append(len(jobs))
            if len(calls) == 1:
                raise RuntimeError("a fault inside the worker")
            return serve(jobs)

        worker._serve = broken_once
        failed = client.post("/extract", json={"text": "graph based ranking model"})
        assert failed.status_code == 500 and "a fault inside the worker" in failed.json()["error"]
        answered = client.post("/extract", json={"text": "graph based ranking model"})
        assert answered.status_code == 200, answered.text
        assert answered.json()["keyphrases"] == as_json(extractor.extract("graph based ranking model"))


def test_serving_doc_names_every_request_setting():
    from pathlib import Path

    from samrank.serve.schemas import api_models

    settings = api_models()["ExtractRequest"].model_fields["settings"].annotation.__args__[0]
    doc = (Path(__file__).resolve().parents[1] / "docs" / "SERVING.md").read_text()
    missing = [name for name in settings.model_fields if f"`{name}`" not in doc]
    assert not missing, f"docs/SERVING.md does not name the request settings {missing}"


def test_an_unhashable_setting_fails_its_caller_alone():
    from samrank.serve.worker import SettingsError, Worker

    worker = Worker(KeyphraseExtractor(model=tiny_bert(), layer=1, head=1))
    assert hash(settings_key({"stopwords": {"the", "a"}})) == hash(settings_key({"stopwords": {"a", "the"}}))
    with pytest.raises(SettingsError, match="cannot be compared"):
        worker.submit(["graph based ranking"], 3, {"odd": bytearray(b"x")})
    assert worker.queued == 0  # nothing counted for the refused request
