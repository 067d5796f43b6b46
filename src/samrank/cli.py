"""The ``samrank`` command line."""

from __future__ import annotations

import csv
import json
import sys
from collections import deque
from pathlib import Path

import click

from . import models, scoring
from .extractor import KeyphraseExtractor

FORMATS = ("text", "json", "jsonl", "csv")


class UnreadableInput(Exception):
    """An input file that does not exist, cannot be read, or is not UTF-8 text."""


def read_text(source: str) -> str:
    """The text of a file (``-`` for standard input), or UnreadableInput saying why not."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise UnreadableInput(error.strerror or str(error)) from None
    if b"\x00" in data:
        raise UnreadableInput("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(f"not UTF-8 text (byte {error.start})") from None


class HeadList(click.ParamType):
    """``5-5,3-11``: 0-based layer-head pairs."""

    name = "L-H[,L-H...]"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        try:
            pairs = [tuple(int(x) for x in item.split("-")) for item in value.split(",") if item.strip()]
        except ValueError:
            pairs = []
        if not pairs or any(len(p) != 2 or min(p) < 0 for p in pairs):
            self.fail(f"{value!r} is not a list of 0-based layer-head pairs like 5-5,3-11", param, ctx)
        return pairs


def model_options(function):
    """--model/--layer/--head/--heads, shared by the commands that run a model."""
    function = click.option("--heads", type=HeadList(), default=None,
                            help="Average several heads instead of one, e.g. 5-5,3-11 "
                                 "(0-based layer-head; overrides --layer/--head).")(function)
    function = click.option("--head", type=click.IntRange(min=0), default=5, show_default=True,
                            help="Attention head to read, 0-based.")(function)
    function = click.option("--layer", type=click.IntRange(min=0), default=5, show_default=True,
                            help="Layer to read, 0-based (later layers are never computed).")(function)
    function = click.option("--model", "-m", default="minilm", show_default=True,
                            help=f"Packaged alias ({', '.join(models.PACKAGED)}), Hugging Face "
                                 "model id, local model folder, or .gguf file.")(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samrank")
def main():
    """Extract keyphrases from text with the self-attention of a pretrained transformer.

    \b
    Examples:
      samrank extract paper.txt
      samrank extract --top-n 5 --format json *.txt
      cat article.txt | samrank extract -
      samrank extract --model smollm2 --layer 10 --head 1 notes.txt
      samrank highlight paper.txt --out paper.html
      samrank evaluate --dataset inspec
      samrank heads --dataset semeval2017 --out out/heads

    Layers and heads are 0-based. The default, minilm layer 5 head 5, was chosen on
    SemEval2017 (see docs/RESULTS.md).
    """


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE... | -")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many keyphrases per input.")
@model_options
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text: readable; json: one array of all inputs; jsonl: one "
                                      "object per line; csv: source,rank,phrase,score,spans.")
def extract(files, top_n, model, layer, head, heads, output_format):
    """Print the top keyphrases of each FILE (UTF-8 text; '-' reads standard input).

    Every keyphrase comes with its score and the [start, end) character offsets of each of its
    occurrences in that input. Unreadable inputs are reported on stderr and skipped; the exit
    code is then 1.
    """
    from tqdm import tqdm

    extractor = KeyphraseExtractor(model=model, layer=layer, head=head, heads=heads)
    try:
        extractor.loaded
    except (ValueError, RuntimeError, OSError) as error:
        raise click.ClickException(str(error)) from None

    failed = 0
    pending: deque[str] = deque()  # sources read but not yet written, in order

    def texts():
        nonlocal failed
        for source in files:
            try:
                text = read_text(source)
            except UnreadableInput as reason:
                click.echo(f"samrank: {source}: {reason}", err=True)
                failed += 1
                continue
            pending.append(source)
            yield text

    writer = _Writer(output_format)
    progress = tqdm(total=len(files), unit="doc", disable=len(files) < 5 or None, file=sys.stderr)
    results = extractor.extract_many(texts(), top_n=top_n, batch_size=8)
    for keyphrases in results:
        writer.write(pending.popleft(), keyphrases)
        progress.update(1)
    progress.close()
    writer.close()
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("file", metavar="FILE | -")
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True,
              help="Where to write the page (.html).")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@model_options
def highlight(file, out, top_n, model, layer, head, heads):
    """Write an HTML page of FILE with each word shaded by the attention it gets from the
    chosen head (like the paper's Figure 2), and the top keyphrases listed and underlined."""
    from .report import highlight_html

    if not out.lower().endswith((".html", ".htm")):
        raise click.BadParameter("only .html pages are written", param_hint="--out")
    try:
        text = read_text(file)
    except UnreadableInput as reason:
        raise click.ClickException(f"{file}: {reason}") from None
    extractor = KeyphraseExtractor(model=model, layer=layer, head=head, heads=heads)
    try:
        keyphrases = extractor.extract(text, top_n=top_n)
        words = extractor.extract_word_weights(text)
    except (ValueError, RuntimeError, OSError) as error:
        raise click.ClickException(str(error)) from None
    title = f"{Path(file).name if file != '-' else 'stdin'}: {model} layer {layer} head {head}"
    Path(out).write_text(highlight_html(text, words, keyphrases, title), encoding="utf-8")
    click.echo(f"wrote {out} ({len(words)} words, {len(keyphrases)} keyphrases)")


def dataset_options(function):
    """Options shared by the evaluation commands."""
    for decorator in reversed([
        click.option("--dataset", "-d", required=True,
                     help="Dataset name (inspec, semeval2010, semeval2010_fulltext, semeval2017, "
                          "krapivin, 500n_kpcrowd) or a JSONL path with text and keyphrases."),
        click.option("--data-dir", envvar="SAMRANK_DATA", type=click.Path(file_okay=False),
                     help="Folder of the named datasets [default: ../shared/datasets; env SAMRANK_DATA]."),
        click.option("--method", type=click.Choice(scoring.MODES), default="both", show_default=True,
                     help="both = SAMRank (global + proportional); global / proportional alone; "
                          "forward = global + forward redistribution; uniform = every token 1 "
                          "(no attention: a control)."),
        click.option("--limit", type=click.IntRange(min=1), help="Only the first N documents."),
        click.option("--gold-stemmed", is_flag=True,
                     help="The file's 'keyphrases' are already Porter-stemmed (the SAMRank authors' files)."),
        click.option("--surface-gold", is_flag=True,
                     help="Stem the 'keyphrases' field with NLTK's Porter even where the file gives "
                          "'keyphrases_stemmed' (SemEval2010's official stems use another Porter variant)."),
        click.option("--idf-corpus", metavar="DATASET|PATH",
                     help="Weight phrases by the mean IDF of their words in this corpus (texts only; "
                          "the dataset itself is allowed: no keyphrases are read)."),
        click.option("--no-cache", is_flag=True,
                     help="Do not read or write the token-score cache (~/.cache/samrank/scores)."),
    ]):
        function = decorator(function)
    return function


def _run_evaluation(dataset, model, heads, method, limit, data_dir, gold_stemmed, surface_gold,
                    idf_corpus, no_cache, ensembles=None):
    from .evaluation import evaluate as run

    try:
        return run(dataset, model, heads=heads, method=method, limit=limit, ensembles=ensembles,
                   data_folder=data_dir,
                   gold_stemmed=gold_stemmed, surface_gold=surface_gold, idf_corpus=idf_corpus,
                   cache=not no_cache,
                   progress=True)
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as error:
        raise click.ClickException(str(error)) from None


@main.command()
@dataset_options
@model_options
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def evaluate(dataset, data_dir, method, limit, gold_stemmed, surface_gold, idf_corpus, no_cache,
             model, layer, head, heads, output_format):
    """Score one head (or an average of --heads) on a benchmark with the SAMRank protocol.

    Predictions and gold are Porter-stemmed; predictions are deduplicated after stemming; all
    gold keyphrases count, also those absent from the text. Prints macro F1, P and R at 5, 10
    and 15, in percent.
    """
    if heads:
        name = ",".join(f"{l}-{h}" for l, h in heads)
        result = _run_evaluation(dataset, model, [], method, limit, data_dir, gold_stemmed,
                                 surface_gold, idf_corpus, no_cache, ensembles={name: heads})
        record = result.record(name)
        which = f"heads {name} averaged"
    else:
        result = _run_evaluation(dataset, model, [(layer, head)], method, limit, data_dir,
                                 gold_stemmed, surface_gold, idf_corpus, no_cache)
        record = result.record(layer, head)
        which = f"layer {layer} head {head} (0-based; paper {layer + 1}-{head + 1})"
    if output_format == "json":
        click.echo(json.dumps(record))
        return
    click.echo(f"{record['dataset']}: {record['docs']} documents, model {model}, {which}, "
               f"method {method}, {record['seconds']:.1f} s")
    if record["skipped"]:
        click.echo(f"skipped {record['skipped']} documents without gold keyphrases: "
                   + ", ".join(result.skipped[:10]))
    for k in (5, 10, 15):
        click.echo(f"  @{k:<2}  F1 {record[f'f1@{k}']:6.2f}   P {record[f'p@{k}']:6.2f}   "
                   f"R {record[f'r@{k}']:6.2f}")


@main.command()
@dataset_options
@click.option("--model", "-m", default="minilm", show_default=True,
              help="Packaged alias, Hugging Face model id, local folder, or .gguf file.")
@click.option("--out", "-o", type=click.Path(file_okay=False), default="out/heads", show_default=True,
              help="Folder for the CSV and the heatmap.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many of the best heads to print.")
def heads(dataset, data_dir, method, limit, gold_stemmed, surface_gold, idf_corpus, no_cache, model,
          out, top):
    """Score every layer x head of a model on a benchmark, from one forward pass per document.

    Writes OUT/<dataset>_<model>_<method>.csv (0-based layer and head, the paper's 1-based L-H,
    F1/P/R at 5, 10, 15) and a heatmap .png of F1@5/10/15, and prints the best heads.
    Choosing a head here and reporting its score on the same dataset is an oracle number.
    """
    from .report import heads_table, write_heatmap

    result = _run_evaluation(dataset, model, None, method, limit, data_dir, gold_stemmed,
                             surface_gold, idf_corpus, no_cache)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{result.dataset}_{Path(model).name}_{method}"
    rows = heads_table(result)
    with open(folder / f"{stem}.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    write_heatmap(result, folder / f"{stem}.png")
    click.echo(f"{result.dataset}: {result.docs} documents, {len(rows)} heads of {model}, method "
               f"{method}, {result.seconds:.1f} s -> {folder / stem}.csv, .png")
    for k in (5, 10, 15):
        best = sorted(rows, key=lambda r: -r[f"f1@{k}"])[:top]
        click.echo(f"best F1@{k}: " + ", ".join(
            f"{r['layer']}-{r['head']} ({r[f'f1@{k}']:.2f})" for r in best) + "  [0-based layer-head]")


class _Writer:
    """Writes results in one of FORMATS as they come."""

    def __init__(self, output_format: str):
        self.format = output_format
        self.count = 0
        if output_format == "csv":
            self.csv = csv.writer(sys.stdout, lineterminator="\n")
            self.csv.writerow(["source", "rank", "phrase", "score", "spans"])
        elif output_format == "json":
            sys.stdout.write("[")

    def write(self, source: str, keyphrases) -> None:
        record = {"source": source, "keyphrases": [k.to_dict() for k in keyphrases]}
        if self.format == "json":
            sys.stdout.write(("," if self.count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        elif self.format == "jsonl":
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.format == "csv":
            for rank, k in enumerate(keyphrases, 1):
                spans = " ".join(f"{s}-{e}" for s, e in k.spans)
                self.csv.writerow([source, rank, k.phrase, f"{k.score:.6g}", spans])
        else:
            if self.count:
                sys.stdout.write("\n")
            sys.stdout.write(f"== {source}\n")
            if not keyphrases:
                sys.stdout.write("(no keyphrases found)\n")
            for k in keyphrases:
                spans = ", ".join(f"{s}-{e}" for s, e in k.spans[:5])
                more = f" (+{len(k.spans) - 5} more)" if len(k.spans) > 5 else ""
                sys.stdout.write(f"{k.score:10.4f}  {k.phrase}  [{spans}{more}]\n")
        sys.stdout.flush()
        self.count += 1

    def close(self) -> None:
        if self.format == "json":
            sys.stdout.write("\n]\n")


if __name__ == "__main__":
    main()
