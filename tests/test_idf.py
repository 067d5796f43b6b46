"""IDF tables and IDF-weighted extraction."""

import math

import pytest

from samrank import SAMRANK, KeyphraseExtractor
from samrank.idf import IdfTable


def test_smoothed_idf_by_hand(tmp_path):
    table = IdfTable().update([["Graph", "model", "model"], ["model", "text"], ["text", "!"]])
    assert table.documents == 3 and table.document_frequency["model"] == 2
    assert table.weight("model") == pytest.approx(math.log(4 / 3) + 1)
    assert table.weight("unseen") == pytest.approx(math.log(4) + 1)
    assert "!" not in table.document_frequency
    assert table.phrase_weight("graph model") == pytest.approx((math.log(4 / 2) + 1 + math.log(4 / 3) + 1) / 2)
    table.save(tmp_path / "idf.json")
    again = IdfTable.load(tmp_path / "idf.json")
    assert again.to_dict() == table.to_dict()


def test_idf_weighting_demotes_words_every_document_uses(bert):
    corpus = ["The ranking model works.", "A ranking model helps.", "Every ranking model is fine."]
    text = "The ranking model finds keyphrase extraction. Keyphrase extraction and ranking model."
    plain = KeyphraseExtractor(bert, layer=0, head=0, mode="uniform", **SAMRANK)
    weighted = KeyphraseExtractor(bert, layer=0, head=0, mode="uniform", use_idf=True, **SAMRANK).fit_idf(corpus)
    assert weighted.idf_.documents == 3
    top_plain = [k.phrase.lower() for k in plain.extract(text)]
    top_weighted = [k.phrase.lower() for k in weighted.extract(text)]
    assert top_plain.index("ranking model") < top_plain.index("keyphrase extraction")
    assert top_weighted.index("keyphrase extraction") < top_weighted.index("ranking model")
    weighted.update_idf(["Keyphrase extraction again."])
    assert weighted.idf_.documents == 4
    with pytest.raises(ValueError, match="fit_idf"):
        KeyphraseExtractor(bert, layer=0, head=0, use_idf=True).extract(text)
