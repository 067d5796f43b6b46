"""HTML to text: the article by trafilatura, aligned with the page's own visible text so that
every character maps back into the page; the page's own text when trafilatura finds no article."""

from __future__ import annotations

import logging
import re
import warnings

import numpy as np

from ..inputs import clean_text
from .offsets import (
    BLOCK, LINE, WORD, Builder, OffsetMap, align, compose, decode_entity, tidy_lines,
)

_SKIPPED = "script|style|noscript|template|head|title|svg|math|iframe|object|select|textarea|button"
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    rf"|<(?P<skip>{_SKIPPED})\b[^>]*>.*?(?:</(?P=skip)\s*>|\Z)"
    r"|<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9:-]*)[^>]*>?"
    r"|<[!?][^>]*>?"
    r"|&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]{1,31});?",
    re.S | re.I)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol p pre section summary table tbody td tfoot th thead tr ul option label".split())
_LINE_TAGS = frozenset({"br"})


def html_view(raw: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The page's visible text, unrendered: tags, comments and skipped elements removed,
    entities decoded, a break where a block element starts or ends (``"\\n\\n"``) or a ``<br>``
    stands (``"\\n"``); with the map of each character into ``raw``."""
    out = Builder()
    position = 0
    for match in _HTML_TOKEN.finditer(raw):
        if match.start() > position:
            out.run(raw[position : match.start()], position)
        position = match.end()
        token = match.group(0)
        if token.startswith("&"):
            decoded = decode_entity(token)
            if decoded is None:
                out.run(token, match.start())
            else:
                out.fixed(decoded, match.start(), match.end())
            continue
        tag = (match.group("tag") or "").lower()
        if tag in _BLOCK_TAGS or match.group("skip"):
            out.gap(BLOCK)
        elif tag in _LINE_TAGS:
            out.gap(LINE)
    if position < len(raw):
        out.run(raw[position:], position)
    return out.build()


def _render_view(view: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The view laid out as text: whitespace inside a block made one space, blocks apart by a
    blank line, ``<br>`` kept as a line break; mapped into the view."""
    out = Builder()
    strength = {" ": 0, LINE: 1, BLOCK: 2}
    pending: tuple[str, int] | None = None  # the separator owed before the next word
    for match in re.finditer(r"\S+|\s+", view):
        piece = match.group(0)
        if piece.isspace():
            kind = BLOCK if "\n\n" in piece else LINE if "\n" in piece else " "
            if pending is None or strength[kind] > strength[pending[0]]:
                pending = (kind, match.start())
            continue
        if pending is not None and out.parts:
            kind, at = pending
            if kind == " ":
                out.run(" ", at)  # a run of source whitespace: its first character
            else:
                out.gap(kind)
        pending = None
        out.run(piece, match.start())
    return out.build()


def html_to_text(raw: str) -> tuple[str, OffsetMap]:
    """HTML page -> (article text, map into ``raw``); see ``samrank.markup``."""
    raw = clean_text(raw)
    view, view_starts, view_ends = html_view(raw)
    # Source whitespace (newlines included) is only a space; breaks come from block tags alone.
    plain = _plain_view(view, view_starts)
    article = _trafilatura(raw)
    if article is not None and article.strip() and \
            len(WORD.findall(article)) < 0.9 * sum(1 for _ in WORD.finditer(plain)):
        text, starts, ends = align(article, plain)
    else:  # no article found, or the article is the whole page: the page's own blocks
        text, starts, ends = _render_view(plain)
    starts, ends = compose(starts, ends, view_starts, view_ends)
    return text, OffsetMap(starts, ends)


def _plain_view(view: str, view_starts: np.ndarray) -> str:
    """The view with source whitespace made plain spaces, so that only our own breaks (the
    characters that map nowhere) read as line breaks."""
    if not view:
        return view
    chars = np.frombuffer(view.encode("utf-32-le"), dtype=np.uint32).copy()
    ours = view_starts < 0
    newline = (chars == 10) | (chars == 13) | (chars == 12) | (chars == 11) | (chars == 0x2028) | (chars == 0x2029)
    chars[newline & ~ours] = 32
    return chars.tobytes().decode("utf-32-le")


_TRAFILATURA_FAILED = False


def _trafilatura(raw: str) -> str | None:
    """The article's text by trafilatura, blocks apart by blank lines; None when it finds none
    or is not installed."""
    global _TRAFILATURA_FAILED
    try:
        import trafilatura
        from lxml import etree
    except ImportError:
        if not _TRAFILATURA_FAILED:
            _TRAFILATURA_FAILED = True
            warnings.warn("trafilatura is not installed: HTML navigation and footers are kept "
                          "(pip install trafilatura)", stacklevel=3)
        return None
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        xml = trafilatura.extract(raw, output_format="xml", include_tables=True, include_comments=False,
                                  include_images=False, include_links=False, include_formatting=False,
                                  deduplicate=False, with_metadata=False,
                                  fast=len(raw) > 1_000_000)  # its fallback extractors are slow on huge pages
        if not xml:
            return None
        root = etree.fromstring(xml.encode("utf-8"))
    except Exception:  # a page trafilatura cannot take: fall back to the page's own text
        return None
    main = root.find("main")
    if main is None:
        main = root
    blocks: list[str] = []
    _xml_blocks(main, blocks)
    return BLOCK.join(b for b in (" ".join(block.split(" ")).strip(" ") for block in blocks) if b.strip())


_XML_BLOCKS = frozenset({"p", "head", "item", "cell", "quote", "code", "list", "table", "row", "div",
                         "main", "comments", "note", "figure", "caption"})


def _xml_blocks(element, blocks: list[str]) -> None:
    """Walk trafilatura's XML: each block element's text as one block; ``lb`` a line break."""
    current: list[str] = []

    def flush():
        joined = tidy_lines("".join(current))
        if joined:
            blocks.append(joined)
        current.clear()

    def walk(node):
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in _XML_BLOCKS
        if block:
            flush()
        if tag == "lb":
            current.append("\n")
        elif node.text:
            current.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            current.append(node.tail)

    walk(element)
    flush()
