"""samrank.markup: HTML (trafilatura) and Markdown (markdown-it) to text, with offsets into the source."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from samrank import markup
from samrank.markup import OffsetMap, detect_kind, looks_like_html, to_text

PAGES = Path(__file__).parent / "data" / "markup"


def _words_map_back(raw: str, text: str, offsets: OffsetMap, required: float = 1.0) -> None:
    """Every word of the text maps to the source it came from (entities decoded)."""
    words = list(re.finditer(r"\S+", text))
    mapped = 0
    for word in words:
        span = offsets.span(word.start(), word.end())
        if span is None:
            continue
        source = raw[span[0] : span[1]]
        assert html.unescape(re.sub(r"<[^>]*>", "", source)) == word.group(0), (word.group(0), source)
        mapped += 1
    assert mapped >= required * len(words), f"{mapped} of {len(words)} words mapped"


def test_news_page_keeps_the_article_and_drops_the_rest():
    raw = (PAGES / "news.html").read_text(encoding="utf-8")
    text, offsets = to_text(raw, source_name="news.html")
    assert len(offsets) == len(text)
    for kept in ("Salt marshes and mangrove forests bury organic carbon", "carbon burial rates in salt marshes",
                 "Wetland restoration projects", "“Protecting coastal wetlands"):
        assert kept in text
    for dropped in ("dataLayer", "Politics", "Accept all cookies", "Privacy policy", "celebrity recipes",
                    "font-family", "NewsArticle", "All rights reserved", "<", ">"):
        assert dropped not in text
    lines = text.split("\n")
    assert lines[0] == "Coastal wetlands store more carbon than expected"  # headline on its own line
    assert lines[1] == "" and lines[2].startswith("By Maria Lopez")  # then the dateline
    _words_map_back(raw, text, offsets)
    start = text.index("carbon burial rates")
    a, b = offsets.span(start, start + len("carbon burial rates"))
    assert raw[a:b] == "carbon burial rates" and raw[a - 3 : a] == "<b>"


def test_docs_page_table_cells_and_sidebar():
    raw = (PAGES / "docs.html").read_text(encoding="utf-8")
    text, offsets = to_text(raw)  # sniffed, no file name
    assert "Installation guide" not in text and "initSearchWidget" not in text and "Edit this page" not in text
    assert "TextRank\n\nInspec abstracts\n\n27.6" in text  # a cell is a block of its own
    _words_map_back(raw, text, offsets)


def test_plain_page_keeps_structure():
    raw = "<html><body><div>Line one<br>line two</div><ul><li>item a</li><li>item &amp; b</li></ul></body></html>"
    text, offsets = to_text(raw, "html")
    assert text == "Line one\nline two\n\nitem a\n\nitem & b"
    amp = text.index("&")
    assert offsets[amp] == (raw.index("&amp;"), raw.index("&amp;") + 5)
    assert offsets[text.index("\n")] == (-1, -1)
    _words_map_back(raw, text, offsets)


@pytest.mark.parametrize("raw", [
    "", "<", "<<<>>>", "<p", "<script>never closed", "<!-- open comment", "<![CDATA[x", "&", "&#xd800; &#0; &#99999999;",
    "<p>a\x00b</p>", "<b>bold</b>" * 1000, "<div>" * 5000 + "deep" + "</div>" * 5000, "text\ud800<p>x</p>",
    "<html><head><title>T</title></head><body></body></html>", "<style>p{}</style><p>only this</p>",
])
def test_hostile_html_gives_text(raw):
    text, offsets = to_text(raw, "html")
    assert isinstance(text, str) and len(offsets) == len(text)
    text.encode("utf-8")
    for i in range(len(text)):
        a, b = offsets[i]
        assert (a, b) == (-1, -1) or 0 <= a < b <= len(raw)


def test_markdown():
    raw = (PAGES / "article.md").read_text(encoding="utf-8")
    text, offsets = to_text(raw, source_name="article.md")
    assert text.startswith("Coastal wetlands store more carbon than expected\n\nBy Maria Lopez")
    for gone in ("#", "**", "](", "https://", "carbon_burial_rate", "```", "|", "> "):
        assert gone not in text
    assert "mangrove forests bury organic carbon" in text and "climate mitigation" in text
    assert "Southeast Asia\n\nhighest" in text
    _words_map_back(raw, text, offsets, required=0.95)
    start = text.index("coastal wetlands on")
    a, b = offsets.span(start, start + len("coastal wetlands"))
    assert raw[a:b] == "coastal\nwetlands"  # the phrase as written, across the source's line wrap


def test_kinds_and_sniffing():
    assert detect_kind("<p>x</p>", "a.HTM") == "html"
    assert detect_kind("# title", "notes.md") == "markdown"
    assert detect_kind("<!DOCTYPE html><title>x</title>", "page.txt") == "html"
    assert detect_kind("  <html lang='en'><body>x</body></html>") == "html"
    assert looks_like_html("<div><p>one</p><p>two</p></div>")
    assert not looks_like_html("if a < b and c > d then <p> is a tag name")
    assert detect_kind("plain words", None) == "text"
    raw = "plain <b> text"
    text, offsets = to_text(raw, "text")
    assert text == raw and offsets.is_identity and offsets.span(6, 9) == (6, 9)
    with pytest.raises(ValueError, match="kind must be one of"):
        to_text("x", "pdf")
    with pytest.raises(TypeError):
        to_text(b"x")


def test_offset_map_span_edges():
    offsets = OffsetMap.identity(5)
    assert offsets.span(0, 5) == (0, 5) and offsets.span(3, 3) is None and offsets.span(4, 9) is None
    text, offsets = to_text("<p>ab</p><p>cd</p>", "html")
    assert text == "ab\n\ncd"
    assert offsets.span(0, 6) == (3, 14) and offsets.span(1, 3) is None


@pytest.mark.slow
def test_html_page_gives_the_plain_articles_phrases_without_markup():
    from samrank import KeyphraseExtractor

    raw = (PAGES / "news.html").read_text(encoding="utf-8")
    text, offsets = to_text(raw, source_name="news.html")
    extractor = KeyphraseExtractor()
    found = extractor.extract(text, top_n=10)
    assert len(found) >= 5
    plain = extractor.extract((PAGES / "news.txt").read_text(encoding="utf-8"), top_n=10)
    assert [k.phrase for k in found[:3]] == [k.phrase for k in plain[:3]]
    assert len({k.phrase for k in found} & {k.phrase for k in plain}) >= 8
    for keyphrase in found:
        assert not re.search(r"[<>&;]|\b(div|href|script|nav)\b", keyphrase.phrase)
        for start, end in keyphrase.spans:
            span = offsets.span(start, end)
            assert span is not None
            source = html.unescape(re.sub(r"<[^>]*>", "", raw[span[0] : span[1]]))
            assert " ".join(source.lower().split()) == " ".join(text[start:end].lower().split())
