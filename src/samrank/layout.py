"""Where the layout of a plain text ends a phrase: blank lines always, single line breaks unless
they are the soft wraps of a hard-wrapped paragraph.

A headline above its dateline, a list item, a table row, an address line, a ``<br>`` of converted
HTML: each line stands alone, and no candidate phrase may run from one into the next. But text
wrapped at a fixed width (e-mail, plain-text articles, PDF extractions) breaks lines in the middle
of sentences and phrases, and those breaks are no boundary. The test is the one text reflowing
uses: a line was wrapped when the next line's first word would not have fitted on it, the width
being what the text's long lines reach (their 90th percentile length).
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from .candidates import TaggedText

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
WIDTH_QUANTILE = 90  # robust to a few overlong lines (a URL, a table row)


def line_width(text: str) -> float:
    """The width the text's lines reach: the 90th percentile of its non-empty line lengths."""
    lengths = [len(line.rstrip()) for line in text.split("\n") if line.strip()]
    return float(np.percentile(lengths, WIDTH_QUANTILE)) if lengths else 0.0


def hard_breaks(text: str, ends: list[int], starts: list[int]) -> list[bool]:
    """For each gap between a word ending at ``ends[i]`` and the next starting at ``starts[i]``:
    does a blank line or a line break that is not a soft wrap lie in it?"""
    width = None
    result = []
    for end, start in zip(ends, starts):
        gap = text[end:start]
        if "\n" not in gap:
            result.append(False)
            continue
        if _BLANK_LINE.search(gap):
            result.append(True)
            continue
        if width is None:
            width = line_width(text)
        line_start = text.rfind("\n", 0, end) + 1
        next_word = re.match(r"\S*", text[start:]).group()
        wrapped = (end - line_start) + 1 + len(next_word) > width
        result.append(not wrapped)
    return result


def split_at_line_breaks(text: str, tagged: TaggedText) -> TaggedText:
    """``tagged`` with a new sentence started at every blank line and every line break that is
    not a soft wrap (see the module's docstring)."""
    starts, ends = tagged.starts.tolist(), tagged.ends.tolist()
    breaks = [0] + [int(b) for b in hard_breaks(text, ends, starts[1:])]
    if not any(breaks):
        return tagged
    return dataclasses.replace(tagged, sentences=tagged.sentences + np.cumsum(breaks))
