"""The HTTP service (samrank.serve) through FastAPI's TestClient: the real packaged MiniLM model
for results, tiny in-memory models for readiness, failures and limits."""

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

from .conftest import read_dataset, tiny_bert  # noqa: E402


def wait_ready(client, timeout=300.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/health")
        if response.status_code == 200:
            return response
        assert response.status_code == 503, response.text
        assert response.json()["status"] == "loading", response.text
        time.sleep(0.1)
    raise AssertionError("the service did not become ready")


@pytest.fixture(scope="module")
def minilm():
    return KeyphraseExtractor(model="minilm")


@pytest.fixture(scope="module")
def client(minilm):
    app = create_app(minilm, max_chars=20_000, max_texts=8)
    with TestClient(app) as client:
        wait_ready(client)
        yield client


@pytest.fixture(scope="module")
def abstracts():
    return [doc["text"] for doc in read_dataset("inspec", limit=32)]


def as_json(keyphrases):
    return [k.to_dict() for k in keyphrases]


@pytest.mark.slow
def test_health_when_ready(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["model"] == "minilm"


@pytest.mark.slow
def test_32_concurrent_requests_answer_exactly_extract(client, minilm, abstracts):
    expected = [as_json(minilm.extract(text, top_n=7)) for text in abstracts]
    worker = client.app.state.worker
    batches_before = worker.batches

    def post(text):
        return client.post("/extract", json={"text": text, "top_n": 7})

    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(post, abstracts))
    assert [r.status_code for r in responses] == [200] * 32, [r.text for r in responses if r.status_code != 200]
    assert [r.json() for r in responses] == [{"keyphrases": e, "top_n": 7} for e in expected]
    # the worker ran them in fewer, larger batches than one per request
    assert worker.largest_batch > 1
    assert worker.batches - batches_before < 32


@pytest.mark.slow
def test_batch_endpoint_keeps_order_and_matches_extract_many(client, minilm, abstracts):
    texts = [abstracts[3], "", "   ", abstracts[0], "Graph-based ranking of keyphrases."]
    response = client.post("/extract/batch", json={"texts": texts, "top_n": 4})
    assert response.status_code == 200, response.text
    expected = [{"keyphrases": as_json(r)} for r in minilm.extract_many(texts, top_n=4)]
    assert response.json() == {"results": expected, "top_n": 4}
    assert client.post("/extract/batch", json={"texts": []}).json() == {"results": [], "top_n": 10}


@pytest.mark.slow
def test_settings_per_request_use_the_same_model(client, minilm, abstracts):
    settings = {"layer": 2, "head": 7, "single_words": "mean", "length_power": 0, "diversity": 0.3}
    response = client.post("/extract", json={"text": abstracts[1], "top_n": 5, "settings": settings})
    assert response.status_code == 200, response.text
    other = KeyphraseExtractor(model="minilm", **settings)
    assert response.json()["keyphrases"] == as_json(other.extract(abstracts[1], top_n=5))
    # the service's own settings are untouched
    plain = client.post("/extract", json={"text": abstracts[1], "top_n": 5}).json()
    assert plain["keyphrases"] == as_json(minilm.extract(abstracts[1], top_n=5))
    bad = client.post("/extract", json={"text": "neural networks", "settings": {"layer": 6, "head": 0}})
    assert bad.status_code == 422 and "layer must be an integer from 0 to 5" in bad.json()["error"]
    news = "Angela Merkel met Emmanuel Macron in Berlin to discuss the European Union budget."
    for names_settings in ({"names_heads": [], "few_names_graph_weight": 0.3}, {"names_heads": [[4, 2], [5, 5]]}):
        response = client.post("/extract", json={"text": news, "top_n": 5, "settings": names_settings})
        assert response.status_code == 200, response.text
        other = KeyphraseExtractor(model="minilm", **names_settings)
        assert response.json()["keyphrases"] == as_json(other.extract(news, top_n=5))
    long_settings = {"long_heads": [[5, 7], [5, 9]], "long_text_words": 20}  # an abstract counts as long
    response = client.post("/extract", json={"text": abstracts[1], "top_n": 5, "settings": long_settings})
    assert response.status_code == 200, response.text
    other = KeyphraseExtractor(model="minilm", **long_settings)
    assert response.json()["keyphrases"] == as_json(other.extract(abstracts[1], top_n=5))
    assert response.json()["keyphrases"] != plain["keyphrases"]
    participles = {"modifier_tags": ["JJ", "VBN"]}
    response = client.post("/extract", json={"text": abstracts[1], "top_n": 10, "settings": participles})
    assert response.status_code == 200, response.text
    other = KeyphraseExtractor(model="minilm", **participles)
    assert response.json()["keyphrases"] == as_json(other.extract(abstracts[1], top_n=10))
    bad = client.post("/extract", json={"text": "neural networks", "settings": {"modifier_tags": ["NN"]}})
    assert bad.status_code == 422 and "settings.modifier_tags" in bad.json()["error"]
    lost = "Computer vision systems help the fire department. Other methods exist."
    response = client.post("/extract", json={"text": lost, "settings": {"leading_stopwords": "drop"}})
    assert response.status_code == 200 and response.json()["keyphrases"] == []  # SAMRank's rule loses them all
    assert [k["phrase"] for k in client.post("/extract", json={"text": lost}).json()["keyphrases"]] == \
        [k.phrase for k in minilm.extract(lost)] != []
    bad = client.post("/extract", json={"text": lost, "settings": {"leading_stopwords": "keep"}})
    assert bad.status_code == 422 and "settings.leading_stopwords" in bad.json()["error"]
    glued = "Exxon officials Monday said the oil spill hurt Alaska fishermen."
    kept = client.post("/extract", json={"text": glued, "settings": {"split_time_words": False}}).json()["keyphrases"]
    assert "Exxon officials Monday" in [k["phrase"] for k in kept]
    assert "Exxon officials" in [k["phrase"] for k in client.post("/extract", json={"text": glued}).json()["keyphrases"]]
    bad = client.post("/extract", json={"text": glued, "settings": {"split_time_words": "yes"}})
    assert bad.status_code == 422 and "settings.split_time_words" in bad.json()["error"]
    measured = "Add 30ml of saline to the culture. The 30ml dose of saline kept the culture alive."
    kept = client.post("/extract", json={"text": measured, "settings": {"drop_measures": False}}).json()["keyphrases"]
    assert "30ml" in [k["phrase"] for k in kept]
    assert "30ml" not in [k["phrase"] for k in client.post("/extract", json={"text": measured}).json()["keyphrases"]]
    for power in (0.0, 2.0):  # the nearness to the text in the embedding space, off and strong
        response = client.post("/extract", json={"text": abstracts[1], "top_n": 10,
                                                 "settings": {"similarity_power": power}})
        assert response.status_code == 200, response.text
        other = KeyphraseExtractor(model="minilm", similarity_power=power)
        assert response.json()["keyphrases"] == as_json(other.extract(abstracts[1], top_n=10))
    bad = client.post("/extract", json={"text": "neural networks", "settings": {"similarity_power": -1}})
    assert bad.status_code == 422 and "settings.similarity_power" in bad.json()["error"]


@pytest.mark.slow
@pytest.mark.parametrize("body,status,says", [
    ('{"text": "unclosed', 400, "not valid JSON"),
    ('{"text": "a",}', 400, "not valid JSON"),
    ("", 422, "must be a JSON object"),
    ("[1, 2]", 422, "must be a JSON object"),
    ("null", 422, "must be a JSON object"),
    ('{"top_n": 3}', 422, "text: Field required"),
    ('{"text": 42}', 422, "text: Input should be a valid string"),
    ('{"text": "a", "top_n": "3"}', 422, "top_n: Input should be a valid integer"),
    ('{"text": "a", "top_n": 0}', 422, "top_n: Input should be greater than or equal to 1"),
    ('{"text": "a", "top_n": 2.5}', 422, "top_n"),
    ('{"text": "a", "topn": 3}', 422, "topn: Extra inputs are not permitted"),
    ('{"text": "a", "settings": {"mode": "best"}}', 422, "settings.mode"),
    ('{"text": "a", "settings": {"model": "mpnet"}}', 422, "settings.model: Extra inputs"),
    ('{"text": "\\ud800 lone surrogate"}', 422, "unpaired surrogate"),
    ('{"texts": "not a list"}', 422, "text: Field required"),
])
def test_bad_requests_get_a_4xx_with_a_clear_message(client, body, status, says):
    response = client.post("/extract", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == status, response.text
    assert says in response.json()["error"], response.text


@pytest.mark.slow
def test_bad_batch_requests(client):
    response = client.post("/extract/batch", json={"texts": ["fine", 3]})
    assert response.status_code == 422 and "texts.1: Input should be a valid string" in response.json()["error"]
    response = client.post("/extract/batch", json={"texts": ["a"] * 9})
    assert response.status_code == 413 and "at most 8" in response.json()["error"]
    response = client.post("/extract/batch", json={"texts": ["a", "b" * 20_001]})
    assert response.status_code == 413 and "texts[1] has 20001 characters" in response.json()["error"]


@pytest.mark.slow
def test_oversize_text_gets_413(client):
    response = client.post("/extract", json={"text": "word " * 4001})
    assert response.status_code == 413
    assert response.json()["error"] == "text has 20005 characters; this service takes at most 20000 per text"
    assert client.post("/extract", json={"text": "w" * 20_000}).status_code == 200


@pytest.mark.slow
def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/extract", "/extract/batch", "/health"} <= set(spec["paths"])


@pytest.mark.slow
def test_unicode_text_never_500_and_spans_point_at_the_phrase(client):
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["graph", "Neural", "networks", "keyphrase", "extraction", "the", "of",
                             "Übersetzung", "naïve", "Bayes", "модель", "图", "深層学習", "e-mail",
                             "state-of-the-art", "3D", "x\u0301", "\U0001F600", "co\u00adop"])
    gaps = st.sampled_from([" ", "  ", "\n", "\t", ", ", ". ", " - ", "\u00a0", "\u2009", "; ", "!? "])
    prose = st.lists(st.tuples(words, gaps), max_size=40).map(lambda pairs: "".join(w + g for w, g in pairs))
    texts = st.one_of(st.text(max_size=300), prose, st.tuples(prose, st.text(max_size=50), prose).map("".join))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(text=texts, top_n=st.integers(1, 12))
    def check(text, top_n):
        response = client.post("/extract", json={"text": text, "top_n": top_n})
        assert response.status_code == 200, response.text
        keyphrases = response.json()["keyphrases"]
        assert len(keyphrases) <= top_n
        for k in keyphrases:
            assert k["spans"] == sorted(k["spans"])
            start, end = k["spans"][0]
            assert text[start:end].lower() == k["phrase"].lower()
            assert all(0 <= s < e <= len(text) for s, e in k["spans"])

    check()


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
