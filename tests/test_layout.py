"""Line breaks: a headline, a list or a <br> ends a phrase; the soft wraps of a paragraph do not."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from samrank import KeyphraseExtractor
from samrank.layout import hard_breaks, line_width

NEWS = ("City Council approves tram line\n"
        "LONDON (Reuters) - The city council approved the new tram line on Tuesday after a long "
        "debate about costs and the route through the old town.")
PARAGRAPH = ("The offshore wind farm connects to the onshore power grid through a high voltage "
             "direct current link, and the storage batteries smooth the supply of electricity "
             "when the wind drops over the North Sea for several days in a row.")


def breaks_between_words(text):
    import re

    words = list(re.finditer(r"\S+", text))
    return hard_breaks(text, [w.end() for w in words[:-1]], [w.start() for w in words[1:]])


def test_a_headline_ends_at_its_line_and_wraps_of_a_paragraph_do_not():
    wrapped = textwrap.fill(PARAGRAPH, width=60)
    assert wrapped.count("\n") >= 3
    assert not any(breaks_between_words(wrapped))  # every break is a soft wrap
    headline = breaks_between_words(NEWS)
    assert headline.count(True) == 1 and headline.index(True) == len("City Council approves tram line".split()) - 1


def test_list_items_and_blank_lines_are_hard_breaks():
    text = "Shopping list\nfresh bread\nolive oil\ngoat cheese\n\nThe market opens early."
    assert breaks_between_words(text) == [False, True, False, True, False, True, False, True, False, False, False]


def test_extract_keeps_headline_and_dateline_apart(bert):
    phrases = KeyphraseExtractor(bert, layer=0, head=0).candidates(
        "graph based ranking model\ndocument text of a neural network for keyphrase extraction").phrases
    assert any(p.endswith("ranking model") for p in phrases) and "document text" in phrases
    assert not any("model" in p and "document" in p for p in phrases)


@given(st.text(st.sampled_from("ab \n\t."), max_size=200))
def test_any_text_gets_one_answer_per_gap(text):
    import re

    words = list(re.finditer(r"\S+", text))
    result = breaks_between_words(text)
    assert len(result) == max(len(words) - 1, 0)
    assert line_width(text) >= 0
    for flag, (a, b) in zip(result, zip(words, words[1:])):
        if "\n" not in text[a.end():b.start()]:
            assert not flag
