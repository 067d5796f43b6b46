"""Escapes read as the characters they stand for while tagging; offsets stay the text's own.

Two kinds reach samrank in plain text: HTML character references that a scraper or a feed left
("Dark Shadows&#039;", "M&amp;S"; any language), and Penn Treebank bracket escapes from CoreNLP
("-LRB-": SAMRank's SemEval 2010 files; English only). Unread, the tagger took "&#039" and "amp"
for words and "-LRB-" for a proper noun. The tagger reads the character instead, and each word's
offsets are moved back into the text as given, so spans still point into the user's text.
"""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Callable

import numpy as np

from .base import TaggedText

_BRACKETS = {"LRB": "(", "RRB": ")", "LSB": "[", "RSB": "]", "LCB": "{", "RCB": "}"}
_REFERENCE = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_ESCAPE = {False: re.compile(_REFERENCE),  # not inside a word: "x-LRB-y" stays
           True: re.compile(r"(?<!\w)-(?P<bracket>LRB|RRB|LSB|RSB|LCB|RCB)-(?!\w)|" + _REFERENCE)}
_NONE = np.zeros(0, dtype=np.int64)


def unescape(text: str, brackets: bool = False) -> tuple[str, np.ndarray, np.ndarray]:
    """``text`` with each character reference (and, with ``brackets``, each Penn Treebank
    bracket escape) made the one character it stands for; where in the new text each such
    character stands, and how many characters its escape was longer. A reference to more than
    one character, or to none that HTML knows, stays as written."""
    if "&" not in text and not (brackets and "B-" in text):
        return text, _NONE, _NONE
    parts, at, saved, taken, length = [], [], [], 0, 0
    for match in _ESCAPE[brackets].finditer(text):
        escape = match.group(0)
        character = _BRACKETS[match.group("bracket")] if brackets and match.group("bracket") else html.unescape(escape)
        if len(character) != 1 or character == escape:
            continue
        parts.append(text[taken:match.start()])
        length += match.start() - taken
        at.append(length)
        saved.append(len(escape) - 1)
        parts.append(character)
        length, taken = length + 1, match.end()
    if not at:
        return text, _NONE, _NONE
    return "".join(parts) + text[taken:], np.asarray(at, dtype=np.int64), np.asarray(saved, dtype=np.int64)


def original_offsets(offsets: np.ndarray, at: np.ndarray, saved: np.ndarray) -> np.ndarray:
    """Offsets into the unescaped text moved back into the text as given: past each escape's
    character, by what the escape saved."""
    if not len(at):
        return offsets
    before = np.concatenate([[0], np.cumsum(saved)])
    return offsets + before[np.searchsorted(at, offsets, side="left")]


def tag_unescaped(texts: list[str], tag_texts: Callable[[list[str]], list[TaggedText]],
                  brackets: bool = False) -> list[TaggedText]:
    """``tag_texts`` run on the unescaped texts, each word's offsets moved back into its text."""
    plain = [unescape(text, brackets) for text in texts]
    tagged = tag_texts([text for text, _, _ in plain])
    return [words if not len(at) else dataclasses.replace(
        words, starts=original_offsets(words.starts, at, saved), ends=original_offsets(words.ends, at, saved))
        for words, (_, at, saved) in zip(tagged, plain)]
