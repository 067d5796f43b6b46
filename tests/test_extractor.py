"""KeyphraseExtractor end to end on tiny in-memory models, with hand-checkable scores."""

import itertools

import numpy as np
import pytest

from samrank import SAMRANK, KeyphraseExtractor
from samrank.readers import encode, make_reader, sink_index

TEXT = ("We use graph based ranking for keyphrase extraction. Deep learning networks use attention. "
        "Graph based ranking is a document model. Attention networks rank words.")


def test_uniform_scores_count_tokens_of_every_occurrence(bert):
    extractor = KeyphraseExtractor(bert, layer=0, head=0, mode="uniform", **SAMRANK)
    found = extractor.candidates(TEXT)
    results = extractor.extract(TEXT, top_n=100)
    assert results, "the text has noun phrases"
    for keyphrase in results:
        words = keyphrase.phrase.lower().split()
        alone = [TEXT[s:e] for s, e in keyphrase.spans]
        assert all(a.lower() == keyphrase.phrase.lower() for a in alone)
        if len(words) > 1:  # one token per word here, one point per token, summed over occurrences
            assert keyphrase.score == pytest.approx(len(words) * len(keyphrase.spans))
        else:  # single words: mean over stand-alone occurrences
            assert keyphrase.score == pytest.approx(1.0)
    assert {k.phrase.lower() for k in results} <= set(found.phrases)


def test_uniform_attention_map_by_hand(bert, monkeypatch):
    # Every query attends equally to all n tokens: G_j = 1 except the [SEP] sink; P_i = (n-1)/n.
    def uniform_maps(self, windows, reduces):
        return [[reduce(np.full((2, len(ids) + 2, len(ids) + 2), 1.0 / (len(ids) + 2))) for _ in self.layers]
                for ids, reduce in zip(windows, reduces)]

    from samrank.readers.torch_reader import TorchReader

    monkeypatch.setattr(TorchReader, "read_many", uniform_maps)
    text = "The model uses keyphrase extraction."
    n = len(encode(bert, text).ids) + 2
    token_score = 1 + (n - 1) / n
    results = {k.phrase: k.score for k in KeyphraseExtractor(bert, layer=0, head=1, backend="torch", **SAMRANK).extract(text)}
    assert results["keyphrase extraction"] == pytest.approx(2 * token_score)


def test_long_text_is_scored_in_windows_that_fit(bert):
    text = " ".join([TEXT] * 5)
    extractor = KeyphraseExtractor(bert, layer=1, head=0, max_length=16)
    run = extractor.pipeline.run(text)
    encoded, scores = run.encoded, run.token_scores
    assert len(encoded.windows) > 3
    assert len(scores) == len(encoded.ids) and np.isfinite(scores).all()
    assert extractor.extract(text)


def test_decoder_end_to_end(llama):
    results = KeyphraseExtractor(llama, layer=1, head=1).extract(TEXT, top_n=5)
    assert 0 < len(results) <= 5
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_bad_inputs(bert):
    extractor = KeyphraseExtractor(bert, layer=0, head=0)
    assert extractor.extract("") == [] and extractor.extract("  \n\t ") == []
    assert extractor.extract("Quickly and quietly!") == []
    assert extractor.extract("\x00\x01\x02 \ufffd\ufffd") == []
    with pytest.raises(TypeError, match="must be a str"):
        extractor.extract(b"bytes")
    for size in (0, -1, 2.5, True):  # a batch of no texts would lose them all without a word
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            list(extractor.extract_many([TEXT], batch_size=size))
    with pytest.raises(TypeError, match="not one text"):  # else each character would be a document
        list(extractor.extract_many(TEXT))


def test_layer_and_head_are_checked(bert):
    with pytest.raises(ValueError, match="layer must be an integer from 0 to 2"):
        KeyphraseExtractor(bert, layer=3, head=0).extract(TEXT)
    with pytest.raises(ValueError, match="head must be an integer from 0 to 1"):
        KeyphraseExtractor(bert, layer=0, head=2).extract(TEXT)
    with pytest.raises(ValueError, match="0-based"):  # caught before any model is loaded
        KeyphraseExtractor(bert, layer=0, head=-1)
    with pytest.raises(ValueError, match="mode must be one of"):
        KeyphraseExtractor(bert, mode="magic")


def test_extract_many_streams_in_order_and_survives_bad_documents(bert):
    extractor = KeyphraseExtractor(bert, layer=0, head=0)
    texts = [TEXT, None, "", "Attention networks rank words."]
    with pytest.warns(UserWarning, match="document 1: TypeError"):
        results = list(extractor.extract_many(texts, batch_size=2))
    assert len(results) == 4 and results[1] == [] and results[2] == []
    assert results[0] == extractor.extract(TEXT) and results[3] == extractor.extract(texts[3])
    with pytest.raises(TypeError):
        list(extractor.extract_many(texts, errors="raise"))

    endless = itertools.cycle([TEXT])  # never materialised: extract_many must be lazy
    assert len(list(itertools.islice(extractor.extract_many(endless, batch_size=3), 4))) == 4


def test_a_text_that_breaks_the_tagger_fails_alone(bert, monkeypatch):
    from samrank import candidates, pipeline as module

    real_tag = candidates.tag

    def fragile_tag(texts, *args, **kwargs):
        if any("POISON" in t for t in texts):
            raise RuntimeError("tagger crashed")
        return real_tag(texts, *args, **kwargs)

    monkeypatch.setattr(module, "tag", fragile_tag)
    texts = [TEXT, "POISON graph model", "Attention networks rank words."]
    with pytest.warns(UserWarning, match="document 1: RuntimeError: tagger crashed"):
        results = list(KeyphraseExtractor(bert, layer=0, head=0).extract_many(texts, batch_size=3))
    assert results[0] and results[1] == [] and results[2]


def test_stem_duplicates_are_left_out_unless_asked(bert):
    text = "We study text documents. Each text document is long. Text documents matter."
    kept = [k.phrase.lower() for k in KeyphraseExtractor(bert, 0, 0, mode="uniform", **SAMRANK).extract(text, 20)]
    assert kept == ["text documents"]  # two occurrences outscore one
    everything = KeyphraseExtractor(bert, 0, 0, mode="uniform", dedupe=False, **SAMRANK).extract(text, 20)
    assert [k.phrase.lower() for k in everything] == ["text documents", "text document"]


def test_word_weights_sum_token_scores_of_each_word(bert, monkeypatch):
    extractor = KeyphraseExtractor(bert, layer=1, head=0)
    text = "Graph based ranking, for keyphrase extraction!"
    weights = extractor.extract_word_weights(text)
    assert [w.word for w in weights] == ["Graph", "based", "ranking", "for", "keyphrase", "extraction"]
    run = extractor.pipeline.run(text)
    encoded, scores = run.encoded, run.token_scores  # one token per word with this tokenizer
    words = [i for i, start in enumerate(encoded.starts) if text[start].isalnum()]
    assert [w.weight for w in weights] == pytest.approx(scores[words].tolist())
    assert all(text[w.start:w.end] == w.word and w.tag for w in weights)
    assert extractor.extract_word_weights("  ") == []


def test_an_ensemble_averages_the_token_scores_of_its_heads_each_scaled_to_mean_one(bert):
    a = KeyphraseExtractor(bert, layer=0, head=1).pipeline.run(TEXT).token_scores
    b = KeyphraseExtractor(bert, layer=2, head=0).pipeline.run(TEXT).token_scores
    both = KeyphraseExtractor(bert, heads=[(0, 1), (2, 0)])
    np.testing.assert_allclose(both.pipeline.run(TEXT).token_scores, (a / a.mean() + b / b.mean()) / 2)
    assert both.extract(TEXT)
    with pytest.raises(ValueError, match="layer must be an integer from 0 to 2"):
        KeyphraseExtractor(bert, heads=[(0, 1), (7, 0)]).extract(TEXT)


def hand_candidates():
    from samrank.candidates import Candidates

    phrases = ["neural network", "network", "neural networks", "graph"]
    return Candidates(phrases, np.array([2, 1, 2, 1]), np.array([0, 1, 2, 3, 0]),
                      np.array([10, 30, 50, 70, 90]), np.array([24, 37, 65, 75, 104]),
                      np.ones(5, bool))


def test_ranked_order_dedupe_nested_and_diversity():
    from samrank.candidates import stem_phrase
    from samrank.ranking import ranked_order

    found, scores = hand_candidates(), np.array([4.0, 3, 2, 1])
    key = lambda p: stem_phrase(found.phrases[p])  # noqa: E731
    assert found.first_offsets().tolist() == [10, 30, 50, 70]
    assert ranked_order(scores, key, 10, dedupe=False) == [0, 1, 2, 3]
    assert ranked_order(scores, key, 10) == [0, 1, 3]  # "neural networks" stems as "neural network"
    assert ranked_order(scores, key, 10, nested=False) == [0, 3]  # "network" lies inside it
    assert ranked_order(scores, key, 2, diversity=1.0) == [0, 3]  # novelty alone: "graph" next
    assert ranked_order(np.array([np.nan, 1, 2, np.nan]), key, 10) == [2, 1]


def test_candidate_tokens_marks_tokens_inside_candidates(bert):
    extractor = KeyphraseExtractor(bert, layer=0, head=0)
    found = extractor.candidates(TEXT)
    encoded = encode(bert, TEXT)
    mask = extractor.pipeline.candidate_mask(encoded, found)
    inside = {TEXT[s:e].lower() for s, e, m in zip(encoded.starts, encoded.ends, mask) if m}
    assert {"graph", "ranking", "attention"} <= inside and not {"we", "use", "."} & inside


def test_dynamic_weighting_and_priors_run_end_to_end(bert):
    extractor = KeyphraseExtractor(bert, heads=[(0, 1), (2, 0), (1, 1)], head_weighting="dynamic",
                                   length_power=1.0, position_power=0.5, nested=False, diversity=0.2)
    results = extractor.extract(TEXT, top_n=4)
    assert 0 < len(results) <= 4 and len({k.phrase.lower() for k in results}) == len(results)
    with pytest.raises(ValueError, match="head_weighting"):
        KeyphraseExtractor(bert, head_weighting="max")
    with pytest.raises(ValueError, match="diversity"):
        KeyphraseExtractor(bert, diversity=2)


def test_position_prior_weighs_phrases_by_their_first_offset(bert):
    text = "Solar panels were cheap this year in every single town of the region. Wind turbines " \
           "were not. Wind turbines were expensive."
    plain = KeyphraseExtractor(bert, layer=0, head=0, mode="uniform", **SAMRANK)
    early = KeyphraseExtractor(bert, layer=0, head=0, mode="uniform", **(SAMRANK | {"position_power": 2.0}))
    assert [k.phrase for k in plain.extract(text, top_n=2)] == ["Wind turbines", "Solar panels"]
    ranked = early.extract(text, top_n=2)
    offset = text.index("Wind")
    assert [k.phrase for k in ranked] == ["Solar panels", "Wind turbines"]
    assert [k.score for k in ranked] == pytest.approx([2.0, 4.0 / (1 + offset / 100) ** 2])


@pytest.mark.parametrize("which,row", [("bert", 0), ("llama", -1)])
def test_cls_readout_reads_the_first_row_of_an_encoder_and_the_last_of_a_decoder(which, row, request):
    loaded = request.getfixturevalue(which)
    encoded = encode(loaded, TEXT)
    reader = make_reader(loaded, [1])
    scores = reader.token_scores(encoded, "cls", head=0)[0, 0]
    (a, b), = encoded.windows
    maps = reader.read(encoded.ids[a:b], lambda maps: maps)[0][0]
    first = len(loaded.prefix_ids)
    expected = maps[row, first : first + (b - a)].copy()
    sink = sink_index(loaded, maps.shape[0])
    if sink is not None and first <= sink < first + (b - a):
        expected[sink - first] = 0.0  # the sink's share is dropped
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-7)


def test_no_candidate_crosses_a_blank_line(bert):
    from samrank.layout import split_at_line_breaks

    text = "Offshore wind farm\n\nPower grids need storage."
    extractor = KeyphraseExtractor(bert, layer=0, head=0)
    tagged = extractor.pipeline.tag([text])[0]
    joined = set(extractor.pipeline.candidates(tagged).phrases)  # without the text: no split
    assert any("farm" in p and "power" in p for p in joined)
    phrases = set(extractor.candidates(text).phrases)
    assert "offshore wind farm" in phrases and not any("farm" in p and "power" in p for p in phrases)
    split = split_at_line_breaks(text, tagged)
    assert split.sentences[tagged.words.index("power")] > split.sentences[tagged.words.index("farm")]


def test_progress_hears_of_every_window_of_a_long_text_in_order(bert):
    text = " ".join(["graph based ranking model for keyphrase extraction ."] * 40)
    heard = []
    ex = KeyphraseExtractor(bert, layer=0, head=1, max_length=24)
    runs = list(ex.run_many([text, "neural network"], progress=lambda done, total: heard.append((done, total))))
    windows = len(encode(bert, text, 24).windows)
    assert windows > 8 and [k.phrase for k in runs[0].keyphrases] == [k.phrase for k in ex.extract(text)]
    assert heard[:windows] == [(k, windows) for k in range(1, windows + 1)]
    assert heard[windows:] == [(1, 1)]  # the short text's one window
