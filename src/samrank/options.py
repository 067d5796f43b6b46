"""Command-line options generated from ``Settings``: one option per field, with its type, help,
choices and default taken from the field, plus ``--preset``, ``--layer/--head`` and ``--idf``.
A command decorated with ``settings_options`` receives one ready ``extractor``."""

from __future__ import annotations

import dataclasses
import functools

import click

from .settings import HEAD_SETS, INTEGER_SETTINGS, MODIFIER_TAGS, OTHER_HEADS, PRESETS, Settings

MODEL_DEPENDENT_DEFAULT = "the model's"
# what loading a model or reading a text may raise that a command reports in one line
MODEL_ERRORS = (ValueError, RuntimeError, OSError)


class HeadList(click.ParamType):
    """``5-5,3-11``: 0-based layer-head pairs."""

    name = "L-H[,L-H...]"

    def convert(self, value, param, ctx):
        if isinstance(value, (list, tuple)):
            return value
        if param is not None and param.name in OTHER_HEADS and value.strip().lower() == "none":
            return ()  # --heads in these texts too
        try:
            pairs = [tuple(int(x) for x in item.split("-")) for item in value.split(",") if item.strip()]
        except ValueError:
            pairs = []
        if not pairs or any(len(p) != 2 or min(p) < 0 for p in pairs):
            self.fail(f"{value!r} is not a list of 0-based layer-head pairs like 5-5,3-11", param, ctx)
        return tuple(pairs)


class WordList(click.ParamType):
    name = "WORD[,WORD...]"

    def convert(self, value, param, ctx):
        if isinstance(value, (frozenset, set, list, tuple)):
            return frozenset(value)
        return frozenset(w.strip() for w in value.split(",") if w.strip())


class TagList(click.ParamType):
    name = "TAG[,TAG...]"

    def convert(self, value, param, ctx):
        if isinstance(value, (frozenset, set, list, tuple)):
            return tuple(value)
        tags = tuple(t.strip().upper() for t in value.split(",") if t.strip())
        unknown = [t for t in tags if t not in MODIFIER_TAGS]
        if not tags or unknown:
            self.fail(f"{value!r} is not a list of tags from {','.join(MODIFIER_TAGS)}", param, ctx)
        return tags


def _option(f: dataclasses.Field, overrides: dict) -> click.Option:
    meta, name = f.metadata, f.name.replace("_", "-")
    default = overrides.get(f.name, f.default)
    shown = MODEL_DEPENDENT_DEFAULT if default is None and f.name != "stopwords" else default
    if isinstance(f.default, bool):
        decls = [f"--{name}/--no-{name}"]
        kind = None
    elif "choices" in meta:
        decls, kind = [f"--{name}"], click.Choice(meta["choices"])
    elif f.name in HEAD_SETS:
        decls, kind = [f"--{name}"], HeadList()
    elif f.name == "stopwords":
        decls, kind = ["--stopwords"], WordList()
    elif f.name == "modifier_tags":
        decls, kind, shown = [f"--{name}"], TagList(), ",".join(default)
    elif f.name in INTEGER_SETTINGS:
        decls, kind = [f"--{name}"], click.IntRange(min=meta["minimum"])
    elif "minimum" in meta:
        decls, kind = [f"--{name}"], click.FloatRange(min=meta["minimum"], max=meta.get("maximum", meta.get("below")),
                                                      max_open="below" in meta)
    else:
        decls, kind = [f"--{name}"], str
    if "short" in meta:
        decls.append(meta["short"])
    text = meta["help"] + ("" if shown is None or "Default:" in meta["help"] else f" [default: {shown}]")
    return click.Option(decls, type=kind, default=None, help=text, show_default=False)


def settings_options(function=None, **defaults):
    """Add every setting as an option; the command gets ``extractor`` (a KeyphraseExtractor)
    instead. ``defaults`` changes a field's default for this command (``cache=True``)."""
    if function is None:
        return functools.partial(settings_options, **defaults)
    fields = dataclasses.fields(Settings)
    preset_default = defaults.pop("preset", None)
    extra = [
        click.Option(["--preset"], type=click.Choice(list(PRESETS)), default=preset_default,
                     help="Named settings: default, or samrank (SAMRank's scoring exactly as published)."
                          + (f" [default: {preset_default}]" if preset_default else "")),
        click.Option(["--layer"], type=click.IntRange(min=0), help="Read one head: its layer, 0-based."),
        click.Option(["--head"], type=click.IntRange(min=0), help="Read one head: its index, 0-based."),
        click.Option(["--idf", "idf_file"], type=click.Path(dir_okay=False),
                     help="A saved IDF table (IdfTable.save): phrases weighed by their words' IDF."),
    ]

    @functools.wraps(function)
    def build(*args, preset, layer, head, idf_file, **kwargs):
        from .extractor import KeyphraseExtractor

        given = {f.name: kwargs.pop(f.name) for f in fields}
        values = {name: value for name, value in given.items() if value is not None}
        values = {**{k: v for k, v in defaults.items() if k not in values}, **values}
        if idf_file and "use_idf" not in values:
            values["use_idf"] = True
        try:
            extractor = KeyphraseExtractor(preset=preset, layer=layer, head=head, **values)
        except (TypeError, ValueError) as error:
            raise click.UsageError(str(error)) from None
        if idf_file:
            from .idf import IdfTable

            try:
                extractor.idf_ = IdfTable.load(idf_file)
            except (OSError, ValueError, KeyError) as error:
                raise click.BadParameter(f"{idf_file}: {error}", param_hint="--idf") from None
        return function(*args, extractor=extractor, **kwargs)

    build.__click_params__ = getattr(function, "__click_params__", []) + list(reversed(
        extra + [_option(f, defaults) for f in fields]))
    return build
