"""The ``samrank`` command line: thin drivers over the pipeline. Options come from ``Settings``."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import warnings
from collections import deque
from pathlib import Path

import click

from .formats import FORMATS, Writer
from .inputs import DEFAULT_MAX_CHARS
from .options import settings_options

MODEL_ERRORS = (ValueError, RuntimeError, OSError)


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

    RESEARCH = ("evaluate", "heads")

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


def _ready(extractor) -> None:
    """Load the model now, so that a bad model or head is one clear error before any work."""
    try:
        extractor.loaded
        if extractor.settings.backend != "torch":
            extractor.extract("samrank reads attention.")  # builds the fast path now
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

    from .inputs import InputError, OutputError, check_output_path, iter_inputs, write_atomic
    from .markup import to_text

    try:
        check_output_path(output)
    except OutputError as error:
        raise click.UsageError(str(error)) from None
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a failed document is named below, once
        for run in extractor.run_many(texts(), top_n=top_n, batch_size=8):
            source, offsets = pending.popleft()
            progress.update(1)
            if run.error:
                click.echo(f"samrank: {source}: {run.error.split(': ', 1)[1]}", err=True)
                failed += 1
                continue
            writer.write(source, _traced(run.keyphrases, offsets), run.tagged.language if run.tagged else None)
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
    if out.lower().endswith(".png"):
        highlight_png(text, words, keyphrases, title, Path(out))
    else:
        write_atomic(out, highlight_html(text, words, keyphrases, title))
    click.echo(f"wrote {out} ({len(words)} words, {len(keyphrases)} keyphrases)")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--max-chars", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Longest text a request may send.")
@click.option("--max-texts", type=click.IntRange(min=1), default=64, show_default=True,
              help="Most texts in one /extract/batch request.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Most texts the worker runs through the model together.")
@settings_options
def serve(host, port, max_chars, max_texts, batch_size, extractor):
    """Serve keyphrase extraction over HTTP (FastAPI): POST /extract, POST /extract/batch,
    GET /health; OpenAPI docs at /docs (docs/SERVING.md)."""
    from .serve import run

    run(host, port, extractor, max_chars=max_chars, max_texts=max_texts, batch_size=batch_size)


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--text-field", default="text", show_default=True, help="The field with the text.")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Ray actors, each with its own model.")
@click.option("--gpus", type=click.FloatRange(min=0), default=0, show_default=True, help="GPUs per actor.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@settings_options
def batch(source, target, text_field, top_n, workers, gpus, batch_size, extractor):
    """Extract keyphrases from a JSONL or Parquet file with Ray Data (RAY_ADDRESS for a cluster),
    writing TARGET with a keyphrases column; the same results as `extract`, in input order."""
    from .distributed import extract_file
    from .inputs import OutputError, check_output_path

    try:
        check_output_path(target)
    except OutputError as error:
        raise click.UsageError(str(error)) from None
    values = {name: value for name, value in vars(extractor.settings).items() if name != "model"}
    try:
        rows = extract_file(source, target, text_field=text_field, top_n=top_n, num_workers=workers,
                            num_gpus=gpus, batch_size=batch_size, model=extractor.settings.model, **values)
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {target} ({rows} rows)")


def dataset_options(function):
    """Which benchmark documents to read (the evaluation commands)."""
    for decorator in reversed([
        click.option("--dataset", "-d", required=True,
                     help="Dataset name (inspec, semeval2010, semeval2010_fulltext, semeval2017, krapivin, "
                          "500n_kpcrowd, duc2001_dev, wicc_es) or a JSONL path with text and keyphrases; "
                          "500n_kpcrowd:dev / :test name its halves."),
        click.option("--data-dir", envvar="SAMRANK_DATA", type=click.Path(file_okay=False),
                     help="Folder of the named datasets [default: ../shared/datasets; env SAMRANK_DATA]."),
        click.option("--limit", type=click.IntRange(min=1), help="Only the first N documents."),
        click.option("--gold-stemmed", is_flag=True,
                     help="The file's 'keyphrases' are already Porter-stemmed (the SAMRank authors' files)."),
        click.option("--surface-gold", is_flag=True,
                     help="Stem the 'keyphrases' field with NLTK's Porter even where the file gives "
                          "'keyphrases_stemmed' (SemEval2010's official stems use another Porter variant)."),
        click.option("--idf-corpus", metavar="DATASET|PATH",
                     help="Fit IDF on this corpus's texts (no keyphrases are read) and weigh phrases by it."),
    ]):
        function = decorator(function)
    return function


def _documents(dataset, data_dir, limit, gold_stemmed, surface_gold):
    from .datasets import read_dataset

    try:
        return read_dataset(dataset, data_dir or default_data_dir(), limit, gold_stemmed, surface_gold)
    except (FileNotFoundError, ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None


def _with_idf(extractor, corpus, data_dir):
    """The extractor, weighing phrases by IDF fitted on ``corpus`` when one is named."""
    if not corpus:
        return extractor
    documents = _documents(corpus, data_dir, None, False, False)[1]
    return extractor.replace(use_idf=True).fit_idf(d.text for d in documents)


@main.command()
@dataset_options
@settings_options(cache=True)
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def evaluate(dataset, data_dir, limit, gold_stemmed, surface_gold, idf_corpus, extractor, output_format):
    """Score the settings on a benchmark with the SAMRank protocol: the top 15 keyphrases that
    `samrank extract` gives each document.

    Predictions and gold are Porter-stemmed; predictions are deduplicated after stemming; all
    gold keyphrases count, also those absent from the text. Prints macro F1, P and R at 5, 10
    and 15, in percent.
    """
    from .evaluation import evaluate as run

    label, documents = _documents(dataset, data_dir, limit, gold_stemmed, surface_gold)
    _ready(extractor)
    try:
        extractor = _with_idf(extractor, idf_corpus, data_dir)
        result = run(documents, {"setting": extractor}, label, progress=True)
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error)) from None
    record = result.record("setting") | {"setting": extractor.pipeline.resolved.describe()}
    if output_format == "json":
        click.echo(json.dumps(record))
        return
    click.echo(f"{record['dataset']}: {record['docs']} documents, {record['setting']}, {record['seconds']:.1f} s")
    if record["skipped"]:
        click.echo(f"skipped {record['skipped']} documents without gold keyphrases: " + ", ".join(result.skipped[:10]))
    for k in (5, 10, 15):
        click.echo(f"  @{k:<2}  F1 {record[f'f1@{k}']:6.2f}   P {record[f'p@{k}']:6.2f}   R {record[f'r@{k}']:6.2f}")


@main.command()
@dataset_options
@settings_options(cache=True, preset="samrank")
@click.option("--out", "-o", type=click.Path(file_okay=False), default="out/heads", show_default=True,
              help="Folder for the CSV and the heatmap.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many of the best heads to print.")
def heads(dataset, data_dir, limit, gold_stemmed, surface_gold, idf_corpus, extractor, out, top):
    """Score every layer x head of a model alone on a benchmark (or those of --heads), from one
    forward pass per document, with the scoring settings given (SAMRank's by default).

    Writes OUT/<dataset>_<model>_<mode>.csv (0-based layer and head, the paper's 1-based L-H,
    F1/P/R at 5, 10, 15) and a heatmap .png of F1@5/10/15, and prints the best heads. Choosing a
    head here and reporting its score on the same dataset is an oracle number.
    """
    from .evaluation import sweep
    from .report import heads_table, write_heatmap
    from .settings import model_name

    label, documents = _documents(dataset, data_dir, limit, gold_stemmed, surface_gold)
    chosen = extractor.settings.heads
    extractor = extractor.replace(heads=None)  # the heads to sweep are not the heads to read
    _ready(extractor)
    try:
        extractor = _with_idf(extractor, idf_corpus, data_dir)
        result = sweep(documents, extractor, chosen, label, progress=True)
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error)) from None
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    model, mode = Path(model_name(extractor.pipeline.resolved.model)).name, extractor.settings.mode
    stem = f"{result.dataset}_{model}_{mode}".replace(":", "_")
    rows = heads_table(result)
    with open(folder / f"{stem}.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    if len(rows) > 1:
        write_heatmap(result, folder / f"{stem}.png")
    click.echo(f"{result.dataset}: {result.docs} documents, {len(rows)} heads of {model}, mode {mode}, "
               f"{result.seconds:.1f} s -> {folder / stem}.csv, .png")
    for k in (5, 10, 15):
        best = sorted(rows, key=lambda r: -r[f"f1@{k}"])[:top]
        click.echo(f"best F1@{k}: " + ", ".join(f"{r['layer']}-{r['head']} ({r[f'f1@{k}']:.2f})" for r in best)
                   + "  [0-based layer-head]")


if __name__ == "__main__":
    main()
