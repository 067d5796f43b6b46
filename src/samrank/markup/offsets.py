"""Plain text built piece by piece with a map back to the source it came from (``OffsetMap``),
and the alignment of an extractor's output with the source; shared by the HTML and Markdown
converters."""

from __future__ import annotations

import html as _html
import re

import numpy as np

from ..inputs import clean_text

BLOCK, LINE = "\n\n", "\n"  # what ends a block (paragraph, heading, cell ...) and a <br>
WORD = re.compile(r"\S+")


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


class Builder:
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


def compose(starts: np.ndarray, ends: np.ndarray, view_starts: np.ndarray, view_ends: np.ndarray):
    """Maps into a view, turned into maps into what the view maps into."""
    ok = starts >= 0
    first = np.where(ok, view_starts[np.where(ok, starts, 0)] if len(view_starts) else -1, -1)
    last_index = np.where(ok, ends - 1, 0)
    last = np.where(ok, view_ends[last_index] if len(view_ends) else -1, -1)
    return first, last


def decode_entity(token: str) -> str | None:
    """The text of an HTML entity, or None when ``token`` is not one."""
    decoded = _html.unescape(token)
    if decoded == token:
        return None
    return clean_text(decoded)  # &#xd800; decodes to a lone surrogate


def align(text: str, view: str, start: int = 0) -> tuple[str, np.ndarray, np.ndarray]:
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
        words = [(m.start() + block.start(), m.group(0)) for m in WORD.finditer(block.group(0))]
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


def tidy_lines(text: str) -> str:
    """Each line with its runs of whitespace made one space; empty lines left out."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return LINE.join(line for line in lines if line)
