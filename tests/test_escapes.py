"""HTML character references and bracket escapes read as their characters; offsets stay the text's own."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from samrank.candidates import select_candidates, tag
from samrank.candidates.escapes import original_offsets, unescape
from samrank.extractor import KeyphraseExtractor

TEXT = "Tim Burton&#039;s film &#039;Dark Shadows&#039; opens in May &amp; June. M&amp;S shares fell."


def test_references_become_their_characters_and_unknown_ones_stay():
    plain, at, saved = unescape("a &amp; b &#039;c&#x27; &nosuch; &acE; -LRB- d")
    assert plain == "a & b 'c' &nosuch; &acE; -LRB- d"  # &acE; is two characters: kept as written
    assert at.tolist() == [2, 6, 8] and saved.tolist() == [4, 5, 5]
    assert unescape("a -LRB- b x-LRB-y", brackets=True)[0] == "a ( b x-LRB-y"
    assert unescape("no escapes") == ("no escapes", unescape("no escapes")[1], unescape("no escapes")[2])


def test_offsets_move_back_past_each_escape():
    text = "x&amp;y &#039;z"
    plain, at, saved = unescape(text)
    assert plain == "x&y 'z"
    # start and end of "x", "&", "y", "'", "z" in the plain text, back in the text as given
    starts, ends = np.array([0, 1, 2, 4, 5]), np.array([1, 2, 3, 5, 6])
    assert [text[s:e] for s, e in zip(original_offsets(starts, at, saved), original_offsets(ends, at, saved))] == \
        ["x", "&amp;", "y", "&#039;", "z"]


def test_the_tagger_reads_the_characters_in_every_language():
    for language, text, phrase in (("en", TEXT, "dark shadows"), ("es", "La red de sensores &amp; la red el&eacute;ctrica.", "red eléctrica")):
        tagged = tag([text], language=language)[0]
        assert not any(w in ("amp", "039", "eacute") or "&amp" in w or "#0" in w for w in tagged.words)
        for word, start, end in zip(tagged.words, tagged.starts.tolist(), tagged.ends.tolist()):
            assert unescape(text[start:end], brackets=language == "en")[0].lower() == word
        assert phrase in select_candidates(tagged).phrases


def test_keyphrases_read_the_references_and_spans_point_into_the_text(bert):
    found = KeyphraseExtractor(bert).extract(TEXT, top_n=20)
    phrases = [k.phrase for k in found]
    assert "Dark Shadows" in phrases and "M&S shares" in phrases
    assert not any("&#039" in p or p == "amp" for p in phrases)
    for k in found:
        for start, end in k.spans:
            assert unescape(TEXT[start:end])[0].lower() == k.phrase.lower()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["&amp;", "&#039;", "&#x27;", "&", ";", "&lt;", "&#0;", "-LRB-", " "]),
                          st.text(max_size=6)), max_size=20).map("".join))
def test_unescaping_keeps_every_character_between_escapes(text):
    plain, at, saved = unescape(text, brackets=True)
    assert len(plain) == len(text) - int(saved.sum())
    # every character of the plain text lands where it came from (or on its escape's start)
    offsets = np.arange(len(plain))
    back = original_offsets(offsets, at, saved)
    kept = ~np.isin(offsets, at)
    assert all(text[b] == plain[o] for o, b in zip(offsets[kept].tolist(), back[kept].tolist()))
    assert all(text[b] in "&-" for b in back[~kept].tolist())
