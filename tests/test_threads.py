"""One extractor shared by many threads gives exactly the sequential results."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from samrank import KeyphraseExtractor

from .conftest import WORDS, read_dataset


def word_texts(count):
    """Texts over the tiny models' vocabulary, each different."""
    texts = []
    for i in range(count):
        words = [WORDS[(i * 7 + j * (i % 5 + 1)) % len(WORDS)] for j in range(12 + i % 9)]
        texts.append(" ".join(words[:6]) + ". " + " ".join(words[6:]) + ".")
    return texts


def shared_by_threads(extractor, texts, threads=8):
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda t: extractor.extract(t, top_n=10), texts))


@pytest.mark.parametrize("settings", [{"layer": 1, "head": 0},
                                      {"heads": [(0, 1), (2, 0)], "head_weighting": "dynamic"},
                                      # the embedder too: ONNX (the text pooled in the reader's pass), PyTorch
                                      {"similarity_power": 1.0}, {"similarity_power": 1.0, "backend": "torch"}])
def test_threads_sharing_one_extractor_get_the_sequential_results(bert, llama, settings):
    texts = word_texts(48)
    for model in (bert, llama):
        extractor = KeyphraseExtractor(model, **settings)
        sequential = [extractor.extract(t, top_n=10) for t in texts]
        assert sum(map(bool, sequential)) > 40
        for _ in range(3):
            assert shared_by_threads(extractor, texts) == sequential


def test_two_extractors_on_one_model_in_threads_do_not_disturb_each_other(bert):
    texts = word_texts(24)
    early, late = KeyphraseExtractor(bert, layer=0, head=1), KeyphraseExtractor(bert, layer=2, head=0)
    expected = [(early.extract(t), late.extract(t)) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda t: (early.extract(t), late.extract(t)), texts))
    assert got == expected


@pytest.mark.slow
def test_eight_threads_on_news_and_abstracts_with_the_packaged_model():
    texts = [d["text"] for d in read_dataset("inspec", limit=60) + read_dataset("500n_kpcrowd", limit=60)]
    extractor = KeyphraseExtractor()
    sequential = [extractor.extract(t, top_n=10) for t in texts]
    assert shared_by_threads(extractor, texts) == sequential


def test_extractors_of_one_named_model_share_its_reader_and_keep_their_results():
    # a grid of scoring settings on one model holds one reader (one ONNX session or model copy)
    texts = [d["text"] for d in read_dataset("inspec", limit=8)]
    plain = KeyphraseExtractor("minilm", heads=((5, 5),))
    other = KeyphraseExtractor("minilm", heads=((5, 7),), length_power=0.5, modifier_tags=("JJ",))
    assert plain.pipeline.reader((5,)) is other.pipeline.reader((5,))
    assert plain.pipeline.reader((5,)) is not plain.pipeline.reader((4, 5))
    assert KeyphraseExtractor().pipeline.reader((5,)) is plain.pipeline.reader((5,))  # model auto: minilm's
    expected = [(plain.extract(t), other.extract(t)) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda t: (plain.extract(t), other.extract(t)), texts)) == expected
    assert expected[0][0] != expected[0][1]


def test_overlapping_blas_limits_leave_the_threads_as_they_were(monkeypatch):
    """Threads that tag at once share one process-wide BLAS limit: inside, BLAS has one thread;
    after the last leaves, the threads it had before, whichever thread leaves first. (A stand-in
    for threadpoolctl's controller: whether OpenBLAS takes a limit set from a worker thread
    depends on how it was built.)"""
    from types import SimpleNamespace

    from samrank.candidates import en

    blas = SimpleNamespace(threads=2)

    class Limit:  # as threadpoolctl's: set when made, restore what it found on leaving
        def __init__(self, limits, user_api):
            self.found, blas.threads = blas.threads, limits

        def restore_original_limits(self):
            blas.threads = self.found

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.restore_original_limits()

    monkeypatch.setattr(en, "_blas_threads", lambda: SimpleNamespace(limit=Limit))
    for sleeps in ([0.15, 0.1, 0.05, 0.0], [0.0, 0.05, 0.1, 0.15]):  # first in leaves last, first
        turns = [threading.Event() for _ in range(5)]  # thread n enters while n - 1 is inside
        inside = []

        def entrant(n: int):
            turns[n].wait(5)
            with en._one_blas_thread():
                inside.append(blas.threads)
                turns[n + 1].set()
                turns[4].wait(5)
                time.sleep(sleeps[n])

        threads = [threading.Thread(target=entrant, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        turns[0].set()
        for t in threads:
            t.join()
        assert inside == [1, 1, 1, 1] and blas.threads == 2, sleeps
