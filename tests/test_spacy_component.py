"""The "samrank" spaCy component: the same keyphrases as the library, with its own tags or the
pipeline's, registered through the spacy_factories entry point."""

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import spacy

from samrank import KeyphraseExtractor, candidates
from samrank.spacy_component import make_samrank  # noqa: F401  (registers the factory here)

from .conftest import read_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def abstracts():
    return [doc["text"] for doc in read_dataset("inspec", limit=12)]


@pytest.fixture(scope="module")
def minilm():
    return KeyphraseExtractor(model="minilm")


@pytest.mark.slow
def test_blank_pipeline_gives_exactly_extract_many(abstracts, minilm):
    nlp = spacy.blank("en")
    nlp.add_pipe("samrank", config={"top_n": 8})
    texts = abstracts + ["", "   ", "Graph-based ranking of keyphrases."]
    expected = list(minilm.extract_many(texts, top_n=8))
    docs = list(nlp.pipe(texts, batch_size=5))
    assert [doc._.keyphrases for doc in docs] == expected  # Keyphrase objects, equal field by field
    assert nlp(abstracts[0])._.keyphrases == minilm.extract(abstracts[0], top_n=8)
    assert len(expected[0]) == 8 and expected[len(abstracts)] == []


@pytest.mark.slow
def test_settings_pass_through(abstracts):
    settings = {"layer": 3, "head": 2, "diversity": 0.4, "single_words": "mean"}
    nlp = spacy.blank("en")
    nlp.add_pipe("samrank", config={"model": "minilm", "top_n": 5, "settings": settings})
    assert nlp(abstracts[2])._.keyphrases == KeyphraseExtractor("minilm", **settings).extract(abstracts[2], 5)


@pytest.mark.slow
def test_reuses_the_pipelines_tags(abstracts, minilm, monkeypatch):
    # the packaged tagger as a pipeline of its own, the component after it
    nlp = spacy.load(candidates.TAGGER, exclude=["ner", "parser", "lemmatizer", "attribute_ruler"])
    nlp.enable_pipe("senter")
    nlp.add_pipe("samrank", config={"top_n": 6})
    expected = list(minilm.extract_many(abstracts, top_n=6))

    def no_tagging(*args, **kwargs):
        raise AssertionError("the component tagged the text itself")

    monkeypatch.setattr(candidates, "tag", no_tagging)
    docs = list(nlp.pipe(abstracts, batch_size=4))
    assert [doc._.keyphrases for doc in docs] == expected
    assert nlp(abstracts[5])._.keyphrases == expected[5]


@pytest.mark.slow
def test_full_stock_pipeline_with_parser_sentences(abstracts, minilm):
    """spaCy's full small pipeline (parser sentences, attribute ruler): same tagger, so the
    keyphrases agree with extract's (tags are the same; sentence splits rarely matter)."""
    nlp = spacy.load(candidates.TAGGER)
    nlp.add_pipe("samrank", config={"top_n": 10})
    docs = list(nlp.pipe(abstracts[:6]))
    for doc, text in zip(docs, abstracts):
        assert doc.has_annotation("DEP")
        got = [k.phrase.lower() for k in doc._.keyphrases]
        want = [k.phrase.lower() for k in minilm.extract(text, top_n=10)]
        assert len(set(got) & set(want)) >= 8, (got, want)


def test_bad_config_fails_in_add_pipe():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="mode"):
        nlp.add_pipe("samrank", config={"settings": {"mode": "best"}})
    with pytest.raises(ValueError, match='config\\["model"\\]'):
        nlp.add_pipe("samrank", config={"settings": {"model": "mpnet"}})


def test_error_handler_and_config_round_trip(tmp_path):
    nlp = spacy.blank("en")
    component = nlp.add_pipe("samrank", config={"model": "no-such-model-here", "top_n": 3})
    seen = []
    nlp.set_error_handler(lambda name, proc, docs, error: seen.append((name, len(docs))))
    docs = list(nlp.pipe(["Graph-based ranking of keyphrases.", "Neural networks."]))
    assert seen == [("samrank", 1), ("samrank", 1)] and all(d._.keyphrases is None for d in docs)
    assert nlp.config["components"]["samrank"]["top_n"] == 3
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.get_pipe("samrank").extractor.model == "no-such-model-here"
    assert "samrank" in repr(component).lower()


def test_pyproject_declares_the_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    entry = project["project"]["entry-points"]["spacy_factories"]["samrank"]
    assert entry == "samrank.spacy_component:make_samrank"


@pytest.mark.slow
def test_add_pipe_works_without_importing_samrank_first(tmp_path):
    """A fresh interpreter that only imports spaCy: the factory comes from the entry point.
    The entry point is declared here by a minimal dist-info (what pip writes for the
    pyproject table), so the test does not depend on how samrank was installed."""
    info = tmp_path / "samrank_entry_point_probe-0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: samrank-entry-point-probe\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(
        "[spacy_factories]\nsamrank = samrank.spacy_component:make_samrank\n")
    script = textwrap.dedent("""
        import sys
        import spacy
        nlp = spacy.blank("en")
        assert "samrank.spacy_component" in sys.modules  # loaded by spaCy from the entry point
        nlp.add_pipe("samrank", config={"top_n": 3})
        doc = nlp("Graph-based ranking models rank candidate keyphrases by centrality in a graph.")
        print([k.phrase for k in doc._.keyphrases])
    """)
    paths = [str(tmp_path), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "keyphrases" in done.stdout.lower() or "graph" in done.stdout.lower()


def _tagged_doc(lang: str, tag: str):
    nlp = spacy.blank(lang)
    doc = nlp("Graph ranking models")
    for token in doc:
        token.tag_ = tag
    return doc


def test_only_an_english_pipelines_tags_are_read():
    """Another language's pipeline tags with its own tag set: samrank tags such a text itself."""
    component = spacy.blank("en").add_pipe("samrank")
    assert component._has_tags(_tagged_doc("en", "NN"))
    assert not component._has_tags(_tagged_doc("de", "NN"))
    assert not component._has_tags(spacy.blank("en")("Graph ranking models"))  # untagged
    french = spacy.blank("en").add_pipe("samrank", config={"settings": {"language": "fr"}})
    assert not french._has_tags(_tagged_doc("en", "NN"))


def test_the_default_model_is_the_librarys():
    component = spacy.blank("en").add_pipe("samrank")
    assert component.extractor.settings.model == KeyphraseExtractor().settings.model
