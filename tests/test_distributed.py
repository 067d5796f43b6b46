"""Ray Data: 64 Inspec documents through two actors give exactly extract_many's keyphrases, in
order, ids kept; the JSONL and Parquet file paths too. Skipped where Ray is not installed."""

import json
import warnings

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from samrank import KeyphraseExtractor  # noqa: E402
from samrank.distributed import extract_dataset, extract_file, extract_jsonl  # noqa: E402

from .conftest import read_dataset  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 ignore_reinit_error=True)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def documents():
    return [{"id": d["id"], "text": d["text"]} for d in read_dataset("inspec", limit=64)]


@pytest.fixture(scope="module")
def expected(documents):
    results = KeyphraseExtractor(model="minilm").extract_many([d["text"] for d in documents], top_n=6)
    return [[k.to_dict() for k in r] for r in results]


def test_64_documents_through_two_actors_equal_extract_many(cluster, documents, expected):
    ds = ray.data.from_items(documents)
    rows = extract_dataset(ds, top_n=6, num_workers=2, batch_size=8).take_all()
    assert [r["id"] for r in rows] == [d["id"] for d in documents]  # order kept, ids kept
    assert [r["text"] for r in rows] == [d["text"] for d in documents]
    assert [r["keyphrases"] for r in rows] == expected


def test_jsonl_file_keeps_every_field_and_the_order(cluster, documents, expected, tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [json.dumps({**d, "meta": {"n": i, "tags": ["a", None]}}) for i, d in enumerate(documents[:24])]
    lines.insert(5, "")  # blank lines are skipped
    lines.append(json.dumps({"id": "no-text"}))  # no text: no keyphrases, an error
    lines.insert(9, "not json at all")  # kept whole, with an error; the others go on
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out" / "keyphrases.jsonl"
    assert extract_file(source, out, top_n=6, num_workers=2, batch_size=5) == (26, 2)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    bad = got.pop(8)
    assert bad["input"] == "not json at all" and bad["keyphrases"] == [] and "not a JSON line" in bad["error"]
    assert [g["id"] for g in got] == [d["id"] for d in documents[:24]] + ["no-text"]
    assert [g["keyphrases"] for g in got] == expected[:24] + [[]]
    assert "TypeError" in got[-1]["error"] and not any("error" in g for g in got[:-1])
    assert got[3]["meta"] == {"n": 3, "tags": ["a", None]} and got[3]["text"] == documents[3]["text"]
    assert not (tmp_path / "out" / "keyphrases.jsonl.partial").exists()


def test_parquet_file(cluster, documents, expected, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(documents[:16]), source)
    out = tmp_path / "out.parquet"
    assert extract_file(source, out, top_n=6, num_workers=2, batch_size=4).rows == 16
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == [d["id"] for d in documents[:16]]
    assert table.column("keyphrases").to_pylist() == expected[:16]


def test_bad_input_is_reported(cluster, tmp_path):
    with pytest.raises(ValueError, match="mode"):
        extract_dataset(ray.data.from_items([{"text": "a"}]), mode="best")
    with pytest.raises(ValueError, match="num_workers"):
        extract_dataset(ray.data.from_items([{"text": "a"}]), num_workers=0)
    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "graph ranking"}\nnot json at all\n')
    with pytest.raises(Exception, match="not a JSON line"):
        extract_jsonl(source, tmp_path / "out.jsonl", errors="raise")
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_idf_table_reaches_the_actors(cluster, documents, tmp_path):
    texts = [d["text"] for d in documents]
    fitted = KeyphraseExtractor(model="minilm", use_idf=True).fit_idf(texts)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(d) for d in documents[:10]) + "\n")
    with pytest.raises(ValueError, match="use_idf needs a fitted IDF table"):
        extract_file(source, tmp_path / "none.jsonl", use_idf=True)
    out = tmp_path / "idf.jsonl"
    assert extract_file(source, out, top_n=6, num_workers=2, batch_size=5, use_idf=True, idf=fitted.idf_) == (10, 0)
    got = [json.loads(line)["keyphrases"] for line in out.read_text().splitlines()]
    want = [[k.to_dict() for k in r] for r in fitted.extract_many(texts[:10], top_n=6)]
    assert got == want and all(got)
    assert want != [[k.to_dict() for k in r] for r in KeyphraseExtractor(model="minilm").extract_many(texts[:10], top_n=6)]


def test_parquet_without_the_text_column_is_refused_up_front(cluster, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "1", "body": "Graph-based ranking."}]), source)
    with pytest.raises(ValueError, match="no column 'text'; it has id, body"):
        extract_file(source, tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


def test_samrank_batch_writes_every_line_and_exits_1_when_one_failed(documents, tmp_path):
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(documents[0]) + "\n{broken\n" + json.dumps(documents[1]) + "\n")
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, "-m", "samrank.cli", "batch", "-n", "5", str(source), str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"wrote {out} (3 rows, 1 failed" in run.stdout
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [g.get("id") for g in got] == [documents[0]["id"], None, documents[1]["id"]]
    assert got[1]["input"] == "{broken" and len(got[0]["keyphrases"]) == 5
