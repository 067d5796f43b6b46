"""HTML and Markdown to plain text, with a map from every character back to the original.

``to_text(raw, kind)`` gives ``(text, offsets)``:

- **HTML** goes through trafilatura, which keeps the article and drops navigation, headers,
  footers, cookie banners, related-links boxes, scripts and styles (measured against inscriptis
  and selectolax in docs/RELIABILITY.md). When trafilatura finds no article, or finds the whole
  page anyway, or is not installed, the page's own text is used (scripts, styles, ``<head>``,
  forms and comments left out), block by block.
- **Markdown** goes through markdown-it-py (CommonMark + tables); code blocks, raw HTML blocks
  and images are left out, link text and inline code are kept.
- **Text** is returned as it is.

Each block (paragraph, heading, list item, table cell, quote) ends with a break: blocks are
separated by a blank line (``"\\n\\n"``) and ``<br>`` / hard breaks give ``"\\n"``, so a headline
is never glued to the dateline under it; inside a block, runs of whitespace (the source's own
line wraps included) become one space. So in converted text every ``"\n"`` is a real break, and
the pipeline's line rule (``layout.py``: a line break ends a candidate unless it is a soft wrap
of a hard-wrapped paragraph) sees blocks and ``<br>`` lines as they were meant.

``offsets`` (an ``OffsetMap``) maps each character of ``text`` to the span of ``raw`` it came
from: a character copied from the source points at itself; a character decoded from an entity
(``&amp;`` -> ``&``) points at the whole entity; a space that stands for a run of whitespace
points at the first character of the run; a break between blocks, and any character that an
extractor changed so that it could not be found in the source, points nowhere (-1).
``offsets.span(start, end)`` maps a span of ``text`` (a keyphrase occurrence) to ``raw``:
``raw[a:b]`` then covers the phrase as written in the source, including any markup inside it
(``<b>carbon</b> burial``, ``**coastal\\nwetlands**``); it is None when either end points nowhere.
For ``kind="text"`` the map is the identity.

The parts: ``offsets`` (``OffsetMap``, text built with its map, alignment), ``html_text``
(``html_to_text``) and ``markdown_text`` (``markdown_to_text``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..inputs import clean_text
from .html_text import html_to_text
from .markdown_text import markdown_to_text
from .offsets import OffsetMap

KINDS = ("auto", "html", "markdown", "text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".xht")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn")


def detect_kind(raw: str, source_name: str | None = None) -> str:
    """``"html"``, ``"markdown"`` or ``"text"``: by the file name's extension when it says,
    else HTML when the content looks like HTML, else text."""
    suffix = Path(source_name).suffix.lower() if source_name else ""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "html" if looks_like_html(raw) else "text"


_COMMON_TAG = re.compile(r"<(/?)(p|div|span|a|br|li|ul|ol|h[1-6]|table|tr|td|th|body|title|script|style|"
                         r"em|strong|b|i|article|section|nav|header|footer|main|img|meta|link)\b[^<>]{0,500}>",
                         re.I)


def looks_like_html(raw: str) -> bool:
    """A doctype or ``<html>`` at the start, or several common HTML tags (one closing) early on."""
    head = raw[:8192].lstrip("\ufeff")
    low = head.lower().lstrip()
    while low.startswith(("<?xml", "<!--")):  # an XML declaration and comments may come first
        end = low.find("?>" if low.startswith("<?") else "-->")
        if end < 0:
            break
        low = low[end + (2 if low.startswith("<?") else 3):].lstrip()
    if low.startswith("<!doctype html") or re.match(r"<html[\s>]", low):
        return True
    tags = _COMMON_TAG.findall(head)
    return len(tags) >= 3 and any(closing for closing, _ in tags)


def to_text(raw: str, kind: str = "auto", source_name: str | None = None) -> tuple[str, OffsetMap]:
    """Plain text of ``raw`` and the map of its characters into ``raw`` (see the module doc).
    ``kind`` is ``"auto"`` (by ``source_name``'s extension, else sniffed), ``"html"``,
    ``"markdown"`` or ``"text"``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not isinstance(raw, str):
        raise TypeError(f"raw must be a str, not {type(raw).__name__}")
    raw = clean_text(raw)
    if kind == "auto":
        kind = detect_kind(raw, source_name)
    if kind == "html":
        return html_to_text(raw)
    if kind == "markdown":
        return markdown_to_text(raw)
    return raw, OffsetMap.identity(len(raw))

