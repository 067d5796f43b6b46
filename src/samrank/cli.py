"""The ``samrank`` command line: thin drivers over the pipeline. Options come from ``Settings``."""

from __future__ import annotations

import io
import sys
import warnings
from collections import deque
from pathlib import Path

import click

from .formats import FORMATS, Writer
from .inputs import DEFAULT_MAX_CHARS
from .options import MODEL_ERRORS, settings_options


def default_data_dir() -> Path:
    """Where named datasets live unless --data-dir or $SAMRANK_DATA says: ../shared/datasets
    beside the working folder or beside this checkout."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "datasets"


class Sections(click.Group):
    """Help that lists the user commands first and the research commands apart."""

    RESEARCH = ("evaluate", "heads")  # the rest are user commands

    def format_commands(self, ctx, formatter):
        for title, research in (("Commands", False), ("Research commands", True)):
            rows = [(name, self.get_command(ctx, name).get_short_help_str(limit=70))
                    for name in self.list_commands(ctx) if (name in self.RESEARCH) == research]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


@click.group(cls=Sections, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samrank")
def main():
    """Extract keyphrases from text with the self-attention of a pretrained transformer.

    \b
    Examples:
      samrank extract paper.txt
      samrank extract --top-n 5 --format json *.txt
      cat article.txt | samrank extract -
      samrank extract --model smollm2 --layer 10 --head 1 notes.txt
      samrank extract --preset samrank --heads 5-5,5-3 abstract.txt
      samrank highlight paper.txt --out paper.html
      samrank evaluate --dataset inspec
      samrank heads --dataset semeval2017 --out out/heads

    Layers and heads are 0-based. Every setting left out takes the model's default, chosen on
    development data of two genres (docs/DEFAULTS.md).
    """


class WindowBar:
    """A second progress bar for a long document: the model's windows read, shown from
    ``LONG_DOCUMENT`` windows up (tqdm: stderr, off when not a terminal or with ``--quiet``)."""

    LONG_DOCUMENT = 8

    def __init__(self, disable: bool | None):
        self.disable = disable
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if total < self.LONG_DOCUMENT:
            return
        if self.bar is None or self.bar.total != total or done < self.bar.n:
            from tqdm import tqdm

            self.close()
            self.bar = tqdm(total=total, unit="window", desc="long document", leave=False, position=1,
                            disable=self.disable, file=sys.stderr, mininterval=0.5)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _ready(extractor) -> None:
    """Load the model now, so that a bad model or head is one clear error before any work."""
    from .quick_start import import_spacy_without_torch

    import_spacy_without_torch()  # saves seconds of every start: see quick_start.py
    try:
        extractor.loaded
        if extractor.settings.backend != "torch":
            extractor.extract("samrank reads attention.")  # builds the fast path now
    except ValueError as error:  # a model or head the settings name wrongly: a usage error
        raise click.UsageError(str(error)) from None
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="FILE|DIR|- ...")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many keyphrases per input.")
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text: readable; json: one array of all inputs; jsonl: one "
                                      "object per line; csv: source,rank,phrase,score,spans.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the results to this file (checked before any work, written whole at the end).")
@click.option("--markup", type=click.Choice(["auto", "html", "markdown", "text"]), default="auto",
              show_default=True, help="How to read each input: auto goes by the file ending, then sniffs HTML.")
@click.option("--glob", default="*", show_default=True, help="Which files of a folder to read (recursively).")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV inputs: the field with the text.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV inputs: the field with the id.")
@click.option("--encoding", help="Decode inputs with this encoding instead of UTF-8.")
@click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Longest text accepted per input, in characters.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@settings_options
def extract(sources, top_n, extractor, output_format, output, markup, glob, text_field, id_field, encoding,
            max_chars, quiet):
    """Print the top keyphrases of each input: a text, HTML or Markdown file, a folder of them,
    a JSONL or CSV file (one document per record), or '-' for standard input.

    Every keyphrase comes with its score and the [start, end) character offsets of each of its
    occurrences in the input as given (for HTML and Markdown: into the file's own text, markup
    included; an occurrence that cannot be traced back is left out). An input that cannot be
    read is named on stderr and the others go on. Exit code: 0 all done, 1 some inputs failed,
    2 usage error.
    """
    from tqdm import tqdm

    from .inputs import InputError, OutputError, check_encoding, check_output_path, iter_inputs, write_atomic
    from .markup import to_text

    try:
        check_output_path(output)
    except OutputError as error:
        raise click.UsageError(str(error)) from None
    try:
        check_encoding(encoding)
    except InputError as error:
        raise click.BadParameter(str(error), param_hint="--encoding") from None
    _ready(extractor)
    failed = 0
    pending: deque = deque()  # (source, offsets) of texts read but not yet written, in order

    def texts():
        nonlocal failed
        for source, raw in iter_inputs(sources, glob, text_field, id_field, encoding, max_chars):
            source = "-" if source == "<stdin>" else source
            if isinstance(raw, InputError):
                click.echo(f"samrank: {raw}", err=True)
                failed += 1
                continue
            text, offsets = to_text(raw, markup, source)
            pending.append((source, offsets))
            yield text

    buffer = io.StringIO() if output else None
    writer = Writer(output_format, buffer)
    progress = tqdm(unit="doc", disable=True if quiet else None, file=sys.stderr, mininterval=1.0)
    windows = WindowBar(disable=True if quiet else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed document is named below, once
        for run in extractor.run_many(texts(), top_n=top_n, batch_size=8, progress=windows):
            source, offsets = pending.popleft()
            progress.update(1)
            if run.error:
                click.echo(f"samrank: {source}: {run.error.split(': ', 1)[1]}", err=True)
                failed += 1
                continue
            reason = run.tagged.reason if run.tagged else ""
            if reason:  # not a failure: the text holds nothing samrank can read
                click.echo(f"samrank: {source}: no keyphrases: {reason}", err=True)
            writer.write(source, _traced(run.keyphrases, offsets), run.tagged.language if run.tagged else None, reason)
    windows.close()
    progress.close()
    writer.close()
    if output:
        try:
            write_atomic(output, buffer.getvalue())
        except OutputError as error:
            raise click.ClickException(str(error)) from None
    sys.exit(1 if failed else 0)


def _traced(keyphrases, offsets):
    """Keyphrases with spans into the input as given (identity for plain text)."""
    if offsets.is_identity:
        return keyphrases
    from .pipeline import Keyphrase

    traced = []
    for k in keyphrases:
        spans = tuple(span for span in (offsets.span(s, e) for s, e in k.spans) if span is not None)
        traced.append(Keyphrase(k.phrase, k.score, spans))
    return traced


@main.command()
@click.argument("file", metavar="FILE | -")
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True,
              help="Where to write the page (.html) or the picture (.png).")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@settings_options
def highlight(file, out, top_n, extractor):
    """Write an HTML page (or a PNG picture) of FILE with each word shaded by the attention it
    gets from the chosen heads (like the paper's Figure 2), and the top keyphrases listed and
    underlined."""
    from .report import highlight_html, highlight_png

    from .inputs import InputError, OutputError, check_output_path, read_text, write_atomic

    if not out.lower().endswith((".html", ".htm", ".png")):
        raise click.BadParameter("write an .html page or a .png picture", param_hint="--out")
    try:
        check_output_path(out)
    except OutputError as error:
        raise click.BadParameter(str(error), param_hint="--out") from None
    try:
        text = read_text(file)
    except InputError as error:
        raise click.ClickException(str(error)) from None
    _ready(extractor)
    try:
        keyphrases = extractor.extract(text, top_n=top_n)
        words = extractor.extract_word_weights(text)
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error)) from None
    title = f"{Path(file).name if file != '-' else 'stdin'}: {extractor.pipeline.resolved.describe()}"
    try:
        if out.lower().endswith(".png"):
            from .atomic import replacing

            with replacing(out, suffix=".png") as scratch:  # a failed drawing leaves no half picture
                highlight_png(text, words, keyphrases, title, scratch)
        else:
            write_atomic(out, highlight_html(text, words, keyphrases, title))
    except (OutputError, OSError) as error:
        raise click.ClickException(f"{out}: {error}" if isinstance(error, OSError) else str(error)) from None
    click.echo(f"wrote {out} ({len(words)} words, {len(keyphrases)} keyphrases)")


from .cli_more import batch, evaluate, heads, models_group, serve  # noqa: E402

for _command in (serve, batch, models_group, evaluate, heads):
    main.add_command(_command)


if __name__ == "__main__":
    main()
