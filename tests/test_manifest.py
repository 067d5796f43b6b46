"""Starting from a model's manifest: same tokens, same keyphrases, weights only when needed."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samrank import KeyphraseExtractor, models
from samrank.manifest import DeferredModel, FastTokenizer
from samrank.readers import make_reader
from samrank.readers.onnx_reader import FastPathError, OnnxReader
from samrank.readers.torch_reader import TorchReader

from .conftest import WORDS, tiny_bert

TEXT = "graph based ranking model for keyphrase extraction. we use attention of a neural network"


@pytest.fixture()
def model_folder(tmp_path, monkeypatch):
    """A tiny BERT saved as a local model folder, with a cache of its own."""
    monkeypatch.setenv("SAMRANK_CACHE", str(tmp_path / "cache"))
    loaded = tiny_bert()
    folder = tmp_path / "tiny"
    loaded.model.save_pretrained(folder)
    loaded.tokenizer.save_pretrained(folder)
    models.load.cache_clear()
    yield folder
    models.load.cache_clear()


def test_second_load_starts_from_the_manifest_and_extracts_the_same(model_folder):
    first = models.load(str(model_folder))
    assert not isinstance(first._model, DeferredModel)
    expected = [(k.phrase, k.score, k.spans) for k in
                KeyphraseExtractor(first, layer=2, head=1, backend="onnx").extract(TEXT)]
    models.load.cache_clear()

    second = models.load(str(model_folder))
    assert isinstance(second._model, DeferredModel) and isinstance(second.tokenizer, FastTokenizer)
    for name in ("is_decoder", "max_length", "prefix_ids", "suffix_ids", "fingerprint", "num_layers", "num_heads"):
        assert getattr(second, name) == getattr(first, name), name
    # the ONNX export of the first run is reused: the weights are never loaded
    found = KeyphraseExtractor(second, layer=2, head=1, backend="onnx").extract(TEXT)
    assert second._model._model is None
    assert [(k.phrase, k.score, k.spans) for k in found] == expected
    # the PyTorch reader loads them when it needs them
    torch_found = KeyphraseExtractor(second, layer=2, head=1, backend="torch").extract(TEXT)
    assert second._model._model is not None
    assert [k.phrase for k in torch_found] == [p for p, _, _ in expected]
    assert [k.score for k in torch_found] == pytest.approx([s for _, s, _ in expected], rel=1e-5)


def test_a_changed_tokenizer_or_a_damaged_manifest_means_a_full_load(model_folder, tmp_path):
    models.load(str(model_folder))
    models.load.cache_clear()
    config = model_folder / "tokenizer_config.json"
    config.write_text(config.read_text().replace("64", "63"))  # model_max_length changed
    changed = models.load(str(model_folder))
    assert not isinstance(changed._model, DeferredModel)
    models.load.cache_clear()
    for record in (tmp_path / "cache" / "manifests").glob("*.json"):
        record.write_bytes(b"\x00{not json")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # silently rebuilt, no warning, no error
        damaged = models.load(str(model_folder))
    assert not isinstance(damaged._model, DeferredModel)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(WORDS + ["Über", "naïve", "日本語", "😀", "\u200b", "\t\n"]), max_size=40).map(" ".join))
def test_the_manifest_tokenizer_gives_the_ids_and_offsets_of_the_transformers_one(minilm_pair, text):
    hf, fast = minilm_pair
    for specials in (False, True):
        a = hf(text, add_special_tokens=specials, return_offsets_mapping=True, verbose=False)
        b = fast(text, add_special_tokens=specials, return_offsets_mapping=True)
        assert list(a["input_ids"]) == b["input_ids"]
        assert [tuple(o) for o in a["offset_mapping"]] == [tuple(o) for o in b["offset_mapping"]]


@pytest.fixture(scope="module")
def minilm_pair(tmp_path_factory):
    from transformers import AutoTokenizer

    hf = AutoTokenizer.from_pretrained(models.resolve("minilm"))
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    path.write_text(hf.backend_tokenizer.to_str(), encoding="utf-8")
    return hf, FastTokenizer(path, hf.pad_token_id, hf.model_max_length)


def test_auto_backend_reads_with_onnx_on_the_cpu_and_falls_back_to_torch(bert, monkeypatch):
    assert isinstance(make_reader(bert, [1], "auto", "cpu"), OnnxReader)

    def cannot_export(self, loaded, layers):
        raise FastPathError("could not export tiny-bert to ONNX: a test")

    monkeypatch.setattr(OnnxReader, "__init__", cannot_export)
    with pytest.warns(RuntimeWarning, match="could not export tiny-bert.*reading with PyTorch instead"):
        assert isinstance(make_reader(bert, [1], "auto", "cpu"), TorchReader)
