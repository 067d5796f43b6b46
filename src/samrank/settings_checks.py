"""The checks behind ``Settings``: each field's value, in one line of error."""

from __future__ import annotations

import dataclasses
import math
import numbers
import re


def field_problem(settings, f: dataclasses.Field) -> str | None:
    """What is wrong with one field of ``settings`` (a ``Settings``), in one line; None when nothing."""
    from .settings import HEAD_SETS, INTEGER_SETTINGS, MODIFIER_TAGS, OTHER_HEADS  # settings.py imports this module

    value, meta = getattr(settings, f.name), f.metadata
    if value is None:
        return None if f.default is None else f"{f.name} must be given"
    if "choices" in meta and value not in meta["choices"]:
        return f"{f.name} must be one of {', '.join(meta['choices'])}; got {value!r}"
    if f.name in OTHER_HEADS and isinstance(value, (list, tuple)) and not value:
        return None  # none: the heads are read in these texts too
    if f.name in HEAD_SETS:
        return heads_problem(value, f.name)
    if f.name == "language":
        from .languages import SUPPORTED_LANGUAGES

        ok = value == "auto" or value in SUPPORTED_LANGUAGES
        return None if ok else (f"language must be auto or one of {', '.join(SUPPORTED_LANGUAGES)}; "
                                f"got {value!r}")
    if f.name == "device":
        ok = isinstance(value, str) and re.fullmatch(r"cpu|auto|mps|cuda(:\d+)?", value)
        return None if ok else f"device must be cpu, cuda, cuda:N, mps or auto; got {value!r}"
    if f.name == "stopwords":
        ok = not isinstance(value, str) and all(isinstance(w, str) for w in value)
        return None if ok else "stopwords must be a collection of words"
    if f.name == "modifier_tags":
        ok = isinstance(value, (list, tuple, set, frozenset)) and value and all(t in MODIFIER_TAGS for t in value)
        return None if ok else (f"modifier_tags must be a non-empty list from {', '.join(MODIFIER_TAGS)}; "
                                f"got {value!r}")
    for low, high in (("graph_from_words", "graph_full_words"), ("few_names_share", "many_names_share")):
        start = getattr(settings, low)
        if f.name == high and isinstance(value, (int, float)) and isinstance(start, (int, float)) \
                and value < start:
            return f"{low} ({start:g}) must not exceed {high} ({value:g})"
    if isinstance(f.default, bool):
        return None if isinstance(value, bool) else f"{f.name} must be True or False; got {value!r}"
    if "minimum" in meta:
        kind = int if f.name in INTEGER_SETTINGS else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or value != value:
            return f"{f.name} must be a number; got {value!r}"
        if not math.isfinite(value):
            return f"{f.name} must be a finite number; got {value!r}"
        if value < meta["minimum"] or value > meta.get("maximum", float("inf")) \
                or ("below" in meta and value >= meta["below"]):
            upper = f" and below {meta['below']}" if "below" in meta else (
                f" and at most {meta['maximum']}" if "maximum" in meta else "")
            return f"{f.name} must be at least {meta['minimum']}{upper}; got {value!r}"
    return None


def heads_problem(heads, name: str = "heads") -> str | None:
    try:
        pairs = [tuple(pair) for pair in heads]
    except TypeError:
        pairs = None
    if not pairs or any(len(p) != 2 or not all(isinstance(x, numbers.Integral) and not isinstance(x, bool)
                                               and x >= 0 for x in p) for p in pairs):
        return f"{name} must be a non-empty list of 0-based (layer, head) pairs; got {heads!r}"
    return None
