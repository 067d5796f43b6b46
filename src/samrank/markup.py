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
the pipeline may end candidates at any line break there (in plain text, where lines may be hard
wrapped, a blank line is the safe boundary).

``offsets`` (an ``OffsetMap``) maps each character of ``text`` to the span of ``raw`` it came
from: a character copied from the source points at itself; a character decoded from an entity
(``&amp;`` -> ``&``) points at the whole entity; a space that stands for a run of whitespace
points at the first character of the run; a break between blocks, and any character that an
extractor changed so that it could not be found in the source, points nowhere (-1).
``offsets.span(start, end)`` maps a span of ``text`` (a keyphrase occurrence) to ``raw``:
``raw[a:b]`` then covers the phrase as written in the source, including any markup inside it
(``<b>carbon</b> burial``, ``**coastal\\nwetlands**``); it is None when either end points nowhere.
For ``kind="text"`` the map is the identity.
"""

from __future__ import annotations

import html as _html
import logging
import re
import warnings
from pathlib import Path

import numpy as np

KINDS = ("auto", "html", "markdown", "text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".xht")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn")


class OffsetMap:
    """For each character of the plain text, the ``[start, end)`` span of the original it came
    from, or ``(-1, -1)``. ``identity(n)`` for text that was not converted."""

    def __init__(self, starts: np.ndarray | None = None, ends: np.ndarray | None = None,
                 length: int | None = None):
        self._starts = starts
        self._ends = ends
        self._length = len(starts) if starts is not None else int(length or 0)

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls(length=length)

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def __len__(self) -> int:
        return self._length

    @property
    def starts(self) -> np.ndarray:
        return np.arange(self._length, dtype=np.int64) if self._starts is None else self._starts

    @property
    def ends(self) -> np.ndarray:
        return np.arange(1, self._length + 1, dtype=np.int64) if self._ends is None else self._ends

    def __getitem__(self, index: int) -> tuple[int, int]:
        if not -self._length <= index < self._length:
            raise IndexError(index)
        index %= self._length
        if self._starts is None:
            return index, index + 1
        return int(self._starts[index]), int(self._ends[index])

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the original that text ``[start, end)`` came from, or None where either
        end of it has no place in the original."""
        if not 0 <= start < end <= self._length:
            return None
        if self._starts is None:
            return start, end
        first, last = int(self._starts[start]), int(self._ends[end - 1])
        if first < 0 or last < 0 or last <= first:
            return None
        return first, last

    def __repr__(self) -> str:
        return f"OffsetMap({'identity, ' if self.is_identity else ''}{self._length} chars)"


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
    from .inputs import clean_text

    raw = clean_text(raw)
    if kind == "auto":
        kind = detect_kind(raw, source_name)
    if kind == "html":
        return html_to_text(raw)
    if kind == "markdown":
        return markdown_to_text(raw)
    return raw, OffsetMap.identity(len(raw))


# --- building text with a map -----------------------------------------------------------------

class _Builder:
    """Text put together from pieces, each mapped into a source: ``run`` (character i of the
    piece comes from source position ``at + i``), ``fixed`` (every character from the span
    ``[at, end)``) or ``gap`` (from nowhere)."""

    def __init__(self):
        self.parts: list[str] = []
        self.lengths: list[int] = []
        self.at: list[int] = []
        self.end: list[int] = []  # -2 marks a run

    def run(self, text: str, at: int) -> None:
        if text:
            self.parts.append(text), self.lengths.append(len(text)), self.at.append(at), self.end.append(-2)

    def fixed(self, text: str, at: int, end: int) -> None:
        if text:
            self.parts.append(text), self.lengths.append(len(text)), self.at.append(at), self.end.append(end)

    def gap(self, text: str) -> None:
        if text:
            self.parts.append(text), self.lengths.append(len(text)), self.at.append(-1), self.end.append(-1)

    def tail(self, n: int = 1) -> str:
        return "".join(self.parts[-n:]) if self.parts else ""

    def build(self) -> tuple[str, np.ndarray, np.ndarray]:
        text = "".join(self.parts)
        lengths = np.array(self.lengths, dtype=np.int64)
        if not len(lengths):
            return text, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        outs = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        at = np.repeat(np.array(self.at, dtype=np.int64), lengths)
        end = np.repeat(np.array(self.end, dtype=np.int64), lengths)
        inside = np.arange(len(text), dtype=np.int64) - np.repeat(outs, lengths)
        is_run = end == -2
        starts = np.where(is_run, at + inside, at)
        ends = np.where(is_run, starts + 1, end)
        return text, starts, ends


def _compose(starts: np.ndarray, ends: np.ndarray, view_starts: np.ndarray, view_ends: np.ndarray):
    """Maps into a view, turned into maps into what the view maps into."""
    ok = starts >= 0
    first = np.where(ok, view_starts[np.where(ok, starts, 0)] if len(view_starts) else -1, -1)
    last_index = np.where(ok, ends - 1, 0)
    last = np.where(ok, view_ends[last_index] if len(view_ends) else -1, -1)
    return first, last


# --- HTML -------------------------------------------------------------------------------------

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
_BLOCK, _LINE = "\n\n", "\n"


def _entity(token: str) -> str | None:
    decoded = _html.unescape(token)
    if decoded == token:
        return None
    from .inputs import clean_text

    return clean_text(decoded)  # &#xd800; decodes to a lone surrogate


def _html_view(raw: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The page's visible text, unrendered: tags, comments and skipped elements removed,
    entities decoded, a break where a block element starts or ends (``"\\n\\n"``) or a ``<br>``
    stands (``"\\n"``); with the map of each character into ``raw``."""
    out = _Builder()
    position = 0
    for match in _HTML_TOKEN.finditer(raw):
        if match.start() > position:
            out.run(raw[position : match.start()], position)
        position = match.end()
        token = match.group(0)
        if token.startswith("&"):
            decoded = _entity(token)
            if decoded is None:
                out.run(token, match.start())
            else:
                out.fixed(decoded, match.start(), match.end())
            continue
        tag = (match.group("tag") or "").lower()
        if tag in _BLOCK_TAGS or match.group("skip"):
            out.gap(_BLOCK)
        elif tag in _LINE_TAGS:
            out.gap(_LINE)
    if position < len(raw):
        out.run(raw[position:], position)
    return out.build()


_WORD = re.compile(r"\S+")
_BREAK_OR_SPACE = re.compile(r"\n\n|\n|\s+")


def _render_view(view: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The view laid out as text: whitespace inside a block made one space, blocks apart by a
    blank line, ``<br>`` kept as a line break; mapped into the view."""
    out = _Builder()
    strength = {" ": 0, _LINE: 1, _BLOCK: 2}
    pending: tuple[str, int] | None = None  # the separator owed before the next word
    for match in re.finditer(r"\S+|\s+", view):
        piece = match.group(0)
        if piece.isspace():
            kind = _BLOCK if "\n\n" in piece else _LINE if "\n" in piece else " "
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
    """HTML page -> (article text, map into ``raw``); see the module doc."""
    from .inputs import clean_text

    raw = clean_text(raw)
    view, view_starts, view_ends = _html_view(raw)
    # Source whitespace (newlines included) is only a space; breaks come from block tags alone.
    plain = _plain_view(view, view_starts)
    article = _trafilatura(raw)
    if article is not None and article.strip() and \
            len(_WORD.findall(article)) < 0.9 * sum(1 for _ in _WORD.finditer(plain)):
        text, starts, ends = _align(article, plain)
    else:  # no article found, or the article is the whole page: the page's own blocks
        text, starts, ends = _render_view(plain)
    starts, ends = _compose(starts, ends, view_starts, view_ends)
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
    return _BLOCK.join(b for b in (" ".join(block.split(" ")).strip(" ") for block in blocks) if b.strip())


_XML_BLOCKS = frozenset({"p", "head", "item", "cell", "quote", "code", "list", "table", "row", "div",
                         "main", "comments", "note", "figure", "caption"})


def _xml_blocks(element, blocks: list[str]) -> None:
    """Walk trafilatura's XML: each block element's text as one block; ``lb`` a line break."""
    current: list[str] = []

    def flush():
        text = "".join(current)
        lines = [" ".join(line.split()) for line in text.split("\n")]
        joined = _LINE.join(line for line in lines if line)
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


def _align(text: str, view: str, start: int = 0) -> tuple[str, np.ndarray, np.ndarray]:
    """Map each word of ``text`` (an extractor's output, in source order) to where it stands in
    ``view``: block by block, the block's first words are found together after the last match,
    each next word just after the one before (or a little further). Words not found, and the
    whitespace between words, map nowhere (-1) except a single space between two adjacent
    matched words, which maps to the view's whitespace between them."""
    seg_out: list[int] = []  # where a matched piece stands in text
    seg_at: list[int] = []  # and in view
    seg_len: list[int] = []
    cursor = start
    limit = len(view)
    for block in re.finditer(r"[^\n]+", text):
        words = [(m.start() + block.start(), m.group(0)) for m in _WORD.finditer(block.group(0))]
        if not words:
            continue
        anchor = r"\s*".join(re.escape(w) for _, w in words[:3])
        found = re.compile(anchor).search(view, cursor, min(limit, cursor + 100_000))
        if found is None and len(words) > 1:
            found = re.compile(re.escape(words[0][1])).search(view, cursor, min(limit, cursor + 50_000))
        if found is None:
            continue
        position = found.start()
        previous_end = None
        for offset, word in words:
            at = view.find(word, position, position + 200 + len(word))
            if at < 0:
                previous_end = None
                continue
            seg_out.append(offset), seg_at.append(at), seg_len.append(len(word))
            if (previous_end is not None and offset >= 1 and text[offset - 1] == " " and at > previous_end
                    and view[previous_end].isspace()):
                seg_out.append(offset - 1), seg_at.append(previous_end), seg_len.append(1)
            position = at + len(word)
            previous_end = position
        cursor = max(cursor, position)
    starts = np.full(len(text), -1, dtype=np.int64)
    if seg_len:
        lengths = np.array(seg_len, dtype=np.int64)
        inside = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        starts[np.repeat(np.array(seg_out, dtype=np.int64), lengths) + inside] = \
            np.repeat(np.array(seg_at, dtype=np.int64), lengths) + inside
    ends = np.where(starts >= 0, starts + 1, -1)
    return text, starts, ends


# --- Markdown ---------------------------------------------------------------------------------

def markdown_to_text(raw: str) -> tuple[str, OffsetMap]:
    """Markdown -> (text, map into ``raw``); see the module doc."""
    from markdown_it import MarkdownIt

    from .inputs import clean_text

    raw = clean_text(raw)

    parser = MarkdownIt("commonmark").enable("table")
    try:
        tokens = parser.parse(raw)
    except Exception:  # markdown-it should not fail; if it does, the text is used as it is
        return raw, OffsetMap.identity(len(raw))
    line_starts = np.concatenate([[0], np.flatnonzero(np.frombuffer(
        raw.encode("utf-32-le"), dtype=np.uint32) == 10) + 1]) if raw else np.zeros(1, dtype=np.int64)
    blocks: list[tuple[str, int]] = []  # (text, where in raw to start looking)
    for token in tokens:
        if token.type == "inline":
            hint = min(token.map[0], len(line_starts) - 1) if token.map else -1
            text = _inline_text(token.children or [])
            if text.strip():
                blocks.append((text, hint))
        elif token.type == "html_block":
            view, _, _ = _html_view(token.content)
            text = " ".join(view.split())
            if text:
                blocks.append((text, min(token.map[0], len(line_starts) - 1) if token.map else -1))
    # Align block by block into the source with entities decoded, each block from its own line
    # (markdown-it knows the lines); then map from there into raw.
    view, view_starts, view_ends = _entity_view(raw)
    line_starts = np.searchsorted(view_starts, line_starts) if len(view_starts) else line_starts * 0
    out_parts, out_starts = [], []
    cursor = 0
    for number, (text, hint) in enumerate(blocks):
        if number:
            out_parts.append(_BLOCK)
            out_starts.append(np.full(len(_BLOCK), -1, dtype=np.int64))
        _, starts, _ = _align(text, view, max(int(line_starts[hint]) if hint >= 0 else 0, cursor))
        if (starts >= 0).any():
            cursor = int(starts[starts >= 0].max()) + 1
        out_parts.append(text)
        out_starts.append(starts)
    text = "".join(out_parts)
    starts = np.concatenate(out_starts) if out_starts else np.zeros(0, dtype=np.int64)
    starts, ends = _compose(starts, np.where(starts >= 0, starts + 1, -1), view_starts, view_ends)
    return text, OffsetMap(starts, ends)


_MD_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _entity_view(raw: str) -> tuple[str, np.ndarray, np.ndarray]:
    """``raw`` with its entities decoded, mapped into ``raw``."""
    out = _Builder()
    position = 0
    for match in _MD_ENTITY.finditer(raw):
        decoded = _entity(match.group(0))
        if decoded is None:
            continue
        out.run(raw[position : match.start()], position)
        out.fixed(decoded, match.start(), match.end())
        position = match.end()
    out.run(raw[position:], position)
    return out.build()


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type == "image":
            continue
        if child.type in ("text", "code_inline", "text_special"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return _LINE.join(line for line in lines if line)
