"""Helpers that tests/test_serve.py and tests/test_serve_readiness_and_limits.py share: waiting for
the service to be ready, and keyphrases as the service answers them."""

import time


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


def as_json(keyphrases):
    return [k.to_dict() for k in keyphrases]
