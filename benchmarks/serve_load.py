"""Load test of the HTTP service: latency p50/p99 and throughput at 1, 8 and 32 concurrent clients.

Starts ``samrank.serve`` with uvicorn in a child process on 127.0.0.1 (loopback only), waits for
``/health``, then for each concurrency level runs that many async clients (httpx.AsyncClient),
each sending POST /extract with real Inspec abstracts, one after the other, until the level's
request count is reached. Every response is checked (status 200, the same keyphrases for the
same text). The library's own ``extract_many`` over the same abstracts, in this process after
the server stopped, is the floor. Writes docs/SERVING.md.

    python benchmarks/serve_load.py                   # minilm, levels 1 8 32
    python benchmarks/serve_load.py --levels 1 8 --requests 20 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from machine import machine  # benchmarks/machine.py

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("SAMRANK_DATA", ROOT.parent / "shared" / "datasets"))
if not DATA.exists():
    DATA = Path("/work/shared/datasets")

SERVER = """
import sys
from samrank import KeyphraseExtractor
from samrank.serve import run
run("127.0.0.1", int(sys.argv[1]), KeyphraseExtractor(model=sys.argv[2]), log_level="warning",
    batch_size=int(sys.argv[3]))
"""


LOAD: list[float] = []  # 1-minute load average when the measurement starts and ends


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def abstracts(limit: int) -> list[str]:
    with open(DATA / "inspec.jsonl", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(limit), handle)]


async def wait_ready(url: str, process, timeout: float = 600) -> float:
    import httpx

    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if (await client.get(f"{url}/health")).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError("the server did not become ready")


async def level(url: str, texts: list[str], clients: int, requests: int, top_n: int,
                answers: dict) -> dict:
    """``clients`` concurrent clients sending ``requests`` requests in all."""
    import httpx

    latencies: list[float] = []
    errors = []
    mismatches = 0
    next_request = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client):
        nonlocal next_request, mismatches
        while next_request < requests:
            n = next_request
            next_request += 1
            text = texts[n % len(texts)]
            started = time.perf_counter()
            response = await client.post(f"{url}/extract", json={"text": text, "top_n": top_n})
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(f"{response.status_code}: {response.text[:200]}")
                continue
            got = response.json()["keyphrases"]
            if answers.setdefault(text, got) != got:
                mismatches += 1

    async with httpx.AsyncClient(limits=limits, timeout=600) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        wall = time.perf_counter() - started
    lat = np.array(latencies) * 1000
    return {"clients": clients, "requests": len(latencies), "errors": len(errors),
            "mismatches": mismatches, "wall_s": wall, "throughput": len(latencies) / wall,
            "p50_ms": float(np.percentile(lat, 50)), "p99_ms": float(np.percentile(lat, 99)),
            "mean_ms": float(lat.mean()), "first_errors": errors[:3]}


async def measure(args, texts: list[str]) -> tuple[float, list[dict]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port), args.model, str(args.batch_size)], env=env)
    try:
        ready = await wait_ready(url, process)
        print(f"server ready in {ready:.1f} s (model load included)", flush=True)
        answers: dict = {}
        await level(url, texts, 1, min(4, args.requests), args.top_n, answers)  # warm-up
        rows = []
        for clients in args.levels:
            requests = max(args.requests, 2 * clients)
            row = await level(url, texts, clients, requests, args.top_n, answers)
            rows.append(row)
            print(f"{clients:>3} clients: {row['requests']} requests, {row['errors']} errors, "
                  f"{row['mismatches']} mismatches, p50 {row['p50_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, "
                  f"{row['throughput']:.2f} req/s", flush=True)
        return ready, rows
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def library_floor(model: str, texts: list[str], top_n: int, n: int) -> float:
    from samrank import KeyphraseExtractor

    extractor = KeyphraseExtractor(model=model)
    extractor.extract(texts[0], top_n)  # load and warm up
    chosen = [texts[i % len(texts)] for i in range(n)]
    started = time.perf_counter()
    for _ in extractor.extract_many(chosen, top_n=top_n):
        pass
    return n / (time.perf_counter() - started)


# what a request's settings take beyond a number or a word
SETTING_NOTES = {"heads": "a list of `[layer, head]` pairs", "names_heads": "`[]`: the heads in every text",
                 "long_heads": "`[]`: the heads in long texts too", "modifier_tags": "a list of Penn tags",
                 "leading_stopwords": "`\"trim\"`, `\"drop\"` or `\"trim_generic\"`"}


def request_settings() -> str:
    """The settings a request may change, from the service's own list."""
    from samrank.serve.schemas import REQUEST_SETTINGS

    return ", ".join(f"`{name}`" + (f" ({SETTING_NOTES[name]})" if name in SETTING_NOTES else "")
                     for name in REQUEST_SETTINGS)


def write_doc(path: Path, args, ready: float, rows: list[dict], floor: float, texts: list[str]) -> None:
    command = "python benchmarks/serve_load.py " + " ".join(sys.argv[1:])
    chars = np.mean([len(t) for t in texts])
    ratios = ", ".join(f"{r['throughput'] / floor:.2f}x at {r['clients']}" for r in rows)
    verdict = (f"Throughput against the library's: {ratios} client(s). The service runs the "
               "library on one worker thread, so it cannot do more than the library; where a "
               "ratio is well above 1, the other jobs on this machine took less of it while the "
               "service was measured than while the library was. With more than one client the "
               "worker always has the next batch waiting, and latency grows with the queue "
               "(about clients / throughput): the cores do one document's forward pass at a "
               "time, whatever the number of clients.")
    table = "\n".join(
        f"| {r['clients']} | {r['requests']} | {r['errors']} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | "
        f"{r['throughput']:.2f} | {r['throughput'] / floor:.2f} |" for r in rows)
    path.write_text(f"""# Serving samrank over HTTP

`samrank.serve` is a FastAPI application served by uvicorn: one process, the model loaded once
at start-up, every extraction on one worker thread that takes whatever requests are waiting and
runs them through `extract_many` as one batch. The asyncio side only parses, validates and
awaits, so the service holds many open clients on a few cores; the clients share the
extraction throughput, which is the library's own.

## Start it

```python
from samrank import KeyphraseExtractor
from samrank.serve import run

run("127.0.0.1", 8000, KeyphraseExtractor(model="minilm"))   # or create_app(...) for any ASGI server
```

(`samrank serve --host 127.0.0.1 --port 8000` on the command line.) It listens on loopback
unless told otherwise; put it behind a reverse proxy (TLS, authentication) before exposing it.
Run one process per machine (or per GPU): a second worker process holds a second model and
competes for the same cores.

## Endpoints (OpenAPI docs at `/docs`, schema at `/openapi.json`)

| endpoint | body | answer |
|---|---|---|
| `GET /health` | | 200 `{{"status": "ok", "model", "version", "queued"}}` once the model is loaded; 503 `"loading"` before, 503 `"failed"` with the error if loading failed |
| `POST /extract` | `{{"text": "...", "top_n": 10, "settings": {{...}}}}` | `{{"keyphrases": [{{"phrase", "score", "spans"}}], "top_n": 10}}`: exactly `[k.to_dict() for k in extractor.extract(text, top_n)]` |
| `POST /extract/batch` | `{{"texts": ["...", ...], "top_n": 10}}` | `{{"results": [{{"keyphrases": [...]}}, ...], "top_n": 10}}`, one per text, in order |

`settings` (optional) changes scoring for one request without another model: {request_settings()}
(see `Settings` and the README). Requests with the same settings are batched together; a batch
that fails inside the worker fails its own requests with a 500 and the service goes on.

```
curl -s localhost:8000/extract -H 'content-type: application/json' \\
     -d '{{"text": "Graph-based ranking models for keyphrase extraction ...", "top_n": 5}}'
```

Errors are JSON `{{"error": "<what is wrong>", "detail": [...]}}`, never a bare 500 for bad input:

| status | when |
|---|---|
| 400 | the body is not valid JSON |
| 422 | not a JSON object; `text` missing; a field of the wrong type (`"top_n": "5"`); a value out of range (`top_n` < 1, unknown `mode`, a layer the model lacks); an unknown field; a text with unpaired surrogates |
| 413 | a text over `max_chars` (default 100 000 characters), more than `max_texts` texts in a batch (default 64), a body over `max_body_bytes` (refused before it is read whole) |
| 503 | the model is not loaded yet or failed to load; the queue holds `max_queue` texts (default 1024; `Retry-After: 1`) |

Limits are arguments of `create_app(extractor, max_chars=..., max_texts=..., max_body_bytes=...,
batch_size=..., max_queue=...)` (and of `run`).

## Load test

{len(texts)} Inspec abstracts (mean {chars:.0f} characters), `top_n={args.top_n}`, model
`{args.model}` (default settings), clients and server on the same machine, over 127.0.0.1.
Each client sends its next request as soon as the last one is answered; every response was
checked (status 200, the same keyphrases each time the same text came back).

Machine: {machine()}. Shared with other jobs while measured: the 1-minute load average
was {LOAD[0]:.1f} at the start and {LOAD[-1]:.1f} at the end (on {os.cpu_count()} cores), so these numbers
are far below what the machine does alone and move a lot between runs; compare rows of one
run, not runs.

| concurrent clients | requests | errors | p50 latency (ms) | p99 latency (ms) | throughput (req/s) | vs. library |
|---|---|---|---|---|---|---|
{table}

The library alone (`extract_many` over the same abstracts, same process, no HTTP) does
{floor:.2f} documents/s here: "vs. library" is the service's throughput over that. Start-up
to the first 200 from `/health` took {ready:.1f} s (model and tagger loaded, one warm-up
extraction). {verdict}

Command: `{command}`

## Docker

The `Dockerfile` at the repository root builds a CPU image with the packaged MiniLM model and
tagger (`docker build -t samrank . && docker run -p 8000:8000 samrank`); it serves on
0.0.0.0:8000 inside the container and reports readiness through `/health` (the image's
HEALTHCHECK). Not built in CI.
""", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=64, help="requests per level (at least 2 x clients)")
    parser.add_argument("--docs", type=int, default=100, help="distinct Inspec abstracts to send")
    parser.add_argument("--top-n", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32, help="the worker's largest batch")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "SERVING.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    texts = abstracts(args.docs)
    LOAD.append(os.getloadavg()[0])
    ready, rows = asyncio.run(measure(args, texts))
    floor = library_floor(args.model, texts, args.top_n, args.requests)
    LOAD.append(os.getloadavg()[0])
    print(f"library extract_many: {floor:.2f} docs/s")
    failed = [r for r in rows if r["errors"] or r["mismatches"]]
    if not args.no_write:
        write_doc(args.out, args, ready, rows, floor, texts)
        print(f"wrote {args.out}")
    if failed:
        sys.exit(f"errors: {[r['first_errors'] for r in failed]}")


if __name__ == "__main__":
    main()
