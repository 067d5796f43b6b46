"""The HTTP service (samrank.serve) through FastAPI's TestClient with the real packaged MiniLM
model: results, batches, per-request settings and bad requests. Readiness, failures and limits
with tiny in-memory models: tests/test_serve_readiness_and_limits.py."""

from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from samrank import KeyphraseExtractor  # noqa: E402
from samrank.serve import create_app  # noqa: E402

from .conftest import read_dataset  # noqa: E402
from .serve_helpers import as_json, wait_ready  # noqa: E402


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
    headline = "Dinner menus WASHINGTON - Like it or not, the White House chef plans the state dinner."
    glued = client.post("/extract", json={"text": headline, "settings": {"split_datelines": False}})
    assert glued.status_code == 200, glued.text
    assert glued.json()["keyphrases"] == as_json(KeyphraseExtractor(model="minilm", split_datelines=False).extract(headline))
    bad = client.post("/extract", json={"text": "neural networks", "settings": {"length_power": -1}})
    assert bad.status_code == 422 and "settings.length_power" in bad.json()["error"]


def test_a_request_may_change_every_setting_but_the_models_own():
    """The request schema is made from Settings: a new scoring setting is a request setting too,
    typed and bounded as Settings declares it."""
    import dataclasses

    from samrank.serve.schemas import FIXED_SETTINGS, api_models
    from samrank.settings import Settings

    declared = {f.name: f for f in dataclasses.fields(Settings)}
    fields = api_models()["Settings"].model_fields
    assert set(fields) == {"layer", "head"} | (set(declared) - set(FIXED_SETTINGS))
    assert fields["split_datelines"].description == declared["split_datelines"].metadata["help"]
    assert {repr(m) for m in fields["window_overlap"].metadata} == {"Ge(ge=0.0)", "Le(le=0.5)"}


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
def test_a_body_that_is_not_utf8_and_an_unknown_path_answer_in_the_services_shape(client):
    response = client.post("/extract", content=b'{"text": "caf\xe9"}', headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json() == {"error": "the request body cannot be read: send UTF-8 JSON"}
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json() == {"error": "Not Found"}


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
    pytest.importorskip("hypothesis")
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
