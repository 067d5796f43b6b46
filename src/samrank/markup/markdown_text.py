"""Markdown to text by markdown-it-py (CommonMark + tables), each block aligned with its own
lines of the source so that every character maps back into it."""

from __future__ import annotations

import re

import numpy as np

from ..inputs import clean_text
from .html_text import html_view
from .offsets import BLOCK, Builder, OffsetMap, align, compose, decode_entity, tidy_lines


def markdown_to_text(raw: str) -> tuple[str, OffsetMap]:
    """Markdown -> (text, map into ``raw``); see ``samrank.markup``."""
    from markdown_it import MarkdownIt

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
            view, _, _ = html_view(token.content)
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
            out_parts.append(BLOCK)
            out_starts.append(np.full(len(BLOCK), -1, dtype=np.int64))
        _, starts, _ = align(text, view, max(int(line_starts[hint]) if hint >= 0 else 0, cursor))
        if (starts >= 0).any():
            cursor = int(starts[starts >= 0].max()) + 1
        out_parts.append(text)
        out_starts.append(starts)
    text = "".join(out_parts)
    starts = np.concatenate(out_starts) if out_starts else np.zeros(0, dtype=np.int64)
    starts, ends = compose(starts, np.where(starts >= 0, starts + 1, -1), view_starts, view_ends)
    return text, OffsetMap(starts, ends)


_MD_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _entity_view(raw: str) -> tuple[str, np.ndarray, np.ndarray]:
    """``raw`` with its entities decoded, mapped into ``raw``."""
    out = Builder()
    position = 0
    for match in _MD_ENTITY.finditer(raw):
        decoded = decode_entity(match.group(0))
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
    return tidy_lines("".join(parts))
