"""Where the layout of a plain text ends a phrase: blank lines always, single line breaks unless
they are the soft wraps of a hard-wrapped paragraph, and a news story's dateline.

A headline above its dateline, a list item, a table row, an address line, a ``<br>`` of converted
HTML: each line stands alone, and no candidate phrase may run from one into the next. But text
wrapped at a fixed width (e-mail, plain-text articles, PDF extractions) breaks lines in the middle
of sentences and phrases, and those breaks are no boundary. The test is the one text reflowing
uses: a line was wrapped when the next line's first word would not have fitted on it, the width
being what the text's long lines reach (their 90th percentile length).

A story copied from a news page often loses the line break between its headline and its
dateline: "FDA proposes calorie counts on menus WASHINGTON - Like it or not, ...". The tagger reads
"menus WASHINGTON" as one noun phrase. A dateline is a run of capitalised words ("LOS ANGELES",
"MEMPHIS, Tenn.", "DUBLIN (AP)") followed by a dash or bullet and the story's first word; a phrase
may not run into it.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from .candidates import TaggedText

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# what follows a dateline's capitalised words: a state or country, an agency, then a dash or a
# bullet and the story ("MEMPHIS, Tenn. - A", "TAIPEI, Taiwan (AP) — Taiwan", "NEW YORK • Big")
_DATELINE_END = re.compile(r"(?:,[ \t]+[^\W\d_][\w.]*(?:[ \t]+[^\W\d_][\w.]*)?)?[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?"
                           r"(?:--?|\u2014|\u2013|\u2022)[ \t]+[\"'\u201c\u2018]?")
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:[.'&-][^\W\d_]*)*")  # "LOS", "U.S.", "WILKES-BARRE", no digits
_STORY_WORD = re.compile(r"[^\W\d_]+")  # the story's first word: capitalised, not an acronym
DATELINE_WORD_LETTERS = 3  # some word of a dateline has this many letters: not "D&G - so", "Edward II - a"
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
    return sentences_from(tagged, np.flatnonzero(breaks))


def sentences_from(tagged: TaggedText, words) -> TaggedText:
    """``tagged`` with a new sentence started at each of the ``words`` (indices)."""
    if not len(words):
        return tagged
    breaks = np.zeros(len(tagged.starts), dtype=np.int64)
    breaks[np.asarray(words)] = 1
    return dataclasses.replace(tagged, sentences=tagged.sentences + np.cumsum(breaks))


def dateline_starts(text: str, tagged: TaggedText) -> list[int]:
    """The words that open a dateline glued to the text before it (the module's docstring): the
    first of a run of upper-case words of letters on one line, one of three letters or more, that
    the text follows with a dash or bullet and a story whose first word is capitalised (not an
    acronym: "VPS - VP D" is no dateline)."""
    starts, ends = tagged.starts.tolist(), tagged.ends.tolist()
    shout = [text[a:b].isupper() and _PLACE_WORD.fullmatch(text[a:b]) is not None for a, b in zip(starts, ends)]
    found = []
    for i in range(1, len(starts)):
        if not shout[i] or shout[i - 1]:
            continue
        last = i
        while last + 1 < len(starts) and shout[last + 1] and not text[ends[last]:starts[last + 1]].strip(" \t"):
            last += 1
        if max(sum(c.isalpha() for c in text[starts[k]:ends[k]]) for k in range(i, last + 1)) < DATELINE_WORD_LETTERS:
            continue
        after = _DATELINE_END.match(text, ends[last])
        story = after and _STORY_WORD.match(text, after.end())
        if story and story.group()[0].isupper() and (len(story.group()) == 1 or not story.group().isupper()):
            found.append(i)
    return found


def split_at_datelines(text: str, tagged: TaggedText) -> TaggedText:
    """``tagged`` with a new sentence started at each dateline glued to the text before it."""
    return sentences_from(tagged, dateline_starts(text, tagged))
