"""Languages: detection, each language's candidates on real text, stems, bad input."""

import re

import numpy as np
import pytest

from samrank.candidates import (
    SUPPORTED_LANGUAGES, UnsupportedLanguage, detect_language, resolve_language, select_candidates,
    stem_phrase, tag,
)
from samrank.languages import guess_language

TEXTS = {
    "es": ("El análisis de colas ha sido de enorme utilidad para los diseñadores de redes "
           "inalámbricas. La bondad de ajuste del modelo de distribución se evalúa con el "
           "estadístico de Kolmogorov-Smirnov sobre capturas de tráfico."),
    "fr": ("L'analyse des réseaux sans fil est essentielle pour les opérateurs de "
           "télécommunications. Les modèles de trafic autosimilaire décrivent la charge du réseau "
           "de manière précise."),
    "de": ("Die Bundesregierung plant neue Gesetze zur Energiewende. Die erneuerbaren Energien "
           "sollen bis 2030 den Strombedarf decken; die Hans-Böckler-Stiftung kritisiert den "
           "Ausstieg aus der Kohlekraft."),
    "pt": ("O sistema de informação hospitalar foi desenvolvido pela universidade federal. A "
           "análise de dados clínicos permite melhorar a qualidade do atendimento aos pacientes."),
    "it": ("L'intelligenza artificiale sta cambiando il mercato del lavoro in Europa. Le reti "
           "neurali profonde riconoscono le immagini mediche con grande precisione."),
    "zh": ("中国人民银行今天宣布，下调金融机构存款准备金率0.5个百分点，释放长期资金约1万亿元。"
           "此次降准旨在支持实体经济发展，降低企业融资成本。分析人士认为，人工智能技术和新能源汽车"
           "产业将获得更多信贷支持。"),
    "en": ("Keyphrase extraction finds the most important phrases of a document. Graph-based "
           "ranking models and self-attention maps are two ways to score candidate phrases."),
}
EXPECTED = {  # phrases each language's route must find (lower-cased, as candidates are keyed)
    "es": {"análisis de colas", "diseñadores de redes inalámbricas", "bondad de ajuste",
           "modelo de distribución"},
    "fr": {"analyse des réseaux", "modèles de trafic autosimilaire", "charge du réseau"},
    "de": {"bundesregierung", "gesetze", "energiewende", "erneuerbaren energien",
           "hans-böckler-stiftung"},
    "pt": {"sistema de informação hospitalar", "universidade federal", "qualidade do atendimento"},
    "it": {"intelligenza artificiale", "mercato del lavoro", "immagini mediche"},
    "zh": {"中国人民银行", "实体经济发展", "企业融资成本", "人工智能技术", "新能源汽车产业"},
    "en": {"keyphrase extraction", "candidate phrases"},
}
PUNCTUATION = re.compile(r"[^\w\s\-\u2010\u2011'’]")


def candidates_of(text, language="auto"):
    tagged = tag([text], language=language)[0]
    return tagged, select_candidates(tagged)


def assert_exact_spans(text, found):
    """Every occurrence's span, read from the text, is the phrase (case and spacing aside)."""
    for p, s, e in zip(found.occ_phrase.tolist(), found.occ_start.tolist(), found.occ_end.tolist()):
        assert 0 <= s < e <= len(text)
        surface = text[s:e].lower()
        if found.joiner == "":
            assert surface == found.phrases[p]
        else:  # words are joined by one space, also where the tokenizer split without one
            assert "".join(surface.split()) == found.phrases[p].replace(" ", ""), (surface, found.phrases[p])
            assert len(surface.split()) <= len(found.phrases[p].split())


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_detection(language):
    assert detect_language(TEXTS[language]) == language
    assert resolve_language(TEXTS[language]) == (language, "")


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_real_text_gives_on_target_candidates_with_exact_spans(language):
    text = TEXTS[language]
    tagged, found = candidates_of(text)
    assert tagged.language == language and found.language == language
    assert EXPECTED[language] <= set(found.phrases), set(found.phrases)
    assert_exact_spans(text, found)
    for phrase in found.phrases:
        assert not PUNCTUATION.search(phrase), phrase


def test_explicit_language_equals_detected():
    for language in ("es", "zh", "pt"):
        assert select_candidates(tag([TEXTS[language]], language=language)[0]).phrases == \
            candidates_of(TEXTS[language])[1].phrases


def test_chinese_news_paragraph_short_phrases_without_spaces():
    text = TEXTS["zh"]
    _, found = candidates_of(text, "zh")
    assert len(found) >= 5
    assert found.joiner == ""
    for phrase in found.phrases:
        assert 2 <= len(phrase) <= 12 and " " not in phrase and not PUNCTUATION.search(phrase)
        assert not re.search(r"[，。；！？、]", phrase)
    assert_exact_spans(text, found)


def test_romance_adjective_follows_the_noun():
    _, found = candidates_of("Las redes neuronales profundas clasifican imágenes médicas.", "es")
    assert "redes neuronales profundas" in found.phrases and "imágenes médicas" in found.phrases


def test_no_phrase_crosses_a_line_break_or_punctuation():
    for language, text in (("es", "Sistema de control\nredes de sensores"),
                           ("pt", "Sistema de controle\nredes de sensores"),
                           ("de", "Die Energiewende\nBundesregierung plant"),
                           ("zh", "人工智能\n技术发展"),
                           ("es", "El sistema operativo, redes inalámbricas; datos abiertos")):
        tagged, found = candidates_of(text, language)
        for s, e in zip(found.occ_start.tolist(), found.occ_end.tolist()):
            assert "\n" not in text[s:e] and not re.search(r"[,;]", text[s:e]), (language, text[s:e])


def test_stems_per_language():
    assert stem_phrase("Neural Networks") == "neural network"  # Porter, unchanged
    assert stem_phrase("Redes Neuronales", "es") == stem_phrase("red neuronal", "es")
    assert stem_phrase("réseaux neuronaux", "fr") == "réseau neuronal"
    assert stem_phrase("Energien", "de") == stem_phrase("energie", "de")
    assert stem_phrase("人工 智能", "zh") == "人工智能"
    with pytest.raises(UnsupportedLanguage):
        stem_phrase("x", "th")


def test_unsupported_language_is_a_clear_error_or_a_clear_empty_result():
    thai = "ประเทศไทยมีประชากรประมาณหกสิบหกล้านคน และกรุงเทพมหานครเป็นเมืองหลวง"
    amharic = "አዲስ አበባ የኢትዮጵያ ዋና ከተማ ናት እና ብዙ ሰዎች ይኖራሉ"
    with pytest.raises(UnsupportedLanguage, match="not supported"):
        tag([thai], language="th")
    for text, code in ((thai, "th"), (amharic, "am")):
        assert detect_language(text) is None
        assert guess_language(text)[0] == code
        tagged, found = candidates_of(text)
        assert tagged.language is None and len(found) == 0
        assert code in tagged.reason and "not supported" in found.reason


def test_a_language_given_for_text_in_another_script_gives_no_junk():
    thai = "ประเทศไทยมีประชากรประมาณหกสิบหกล้านคน"
    for language in ("es", "de", "pt"):
        assert len(candidates_of(thai, language)[1]) == 0


BAD = [
    "", " ", "\u200b\u200c\u200d", "😀🎉🚀", "Hola 😀 mundo 🎉 redes neuronales",
    "مرحبا بالعالم هذا نص عربي", "שלום עולם זה טקסט בעברית",
    "El sistema\u200bde control\u200dautomático", "Redes\u202eneuronales\u202c profundas",
    "La red neuronal y the neural network y 神经网络 mixed together.",
    "\ufeff\u00adsoft\u00adhyphen ﬁligrane Ⅻ", "a\r\nb\u2028c\u2029d", "....;;;,,,", "123 456 7.89",
]


@pytest.mark.parametrize("language", ["auto", "es", "fr", "de", "zh", "pt", "it"])
def test_bad_input_never_raises(language):
    tagged = tag(BAD, language=language)
    assert len(tagged) == len(BAD)
    for text, one in zip(BAD, tagged):
        found = select_candidates(one)
        assert_exact_spans(text, found)


def test_supported_languages_listed():
    assert {"en", "es", "fr", "de", "zh", "pt", "it"} <= set(SUPPORTED_LANGUAGES)


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=200), language=st.sampled_from(["auto", "es", "de", "zh", "pt"]))
def test_any_unicode_tags_and_selects_with_exact_spans(text, language):
    tagged = tag([text], language=language)[0]
    found = select_candidates(tagged)
    assert len(tagged.words) == len(tagged.starts) == len(tagged.ends) == len(tagged.sentences)
    for word, s, e in zip(tagged.words, tagged.starts.tolist(), tagged.ends.tolist()):
        assert text[s:e].lower() == word
    assert_exact_spans(text, found)
    assert np.all(found.occ_start < found.occ_end) if len(found.occ_start) else True
