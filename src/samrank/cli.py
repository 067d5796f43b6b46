"""The ``samrank`` command line."""

from __future__ import annotations

import csv
import functools
import inspect
import json
import sys
from collections import deque
from pathlib import Path

import click

from . import models, scoring
from .extractor import BACKENDS, HEAD_WEIGHTINGS, KeyphraseExtractor

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


SETTINGS = inspect.signature(KeyphraseExtractor).parameters


def _default(name: str):
    return SETTINGS[name].default


def extractor_options(function):
    """--model, the heads to read and the scoring settings, for the commands that run a model.
    The command receives them as one ``extractor`` (a KeyphraseExtractor); the defaults are
    KeyphraseExtractor's own."""
    options = [
        click.option("--model", "-m", default=_default("model"), show_default=True,
                     help=f"Packaged alias ({', '.join(models.PACKAGED)}), Hugging Face model id, local "
                          "model folder, or .gguf file."),
        click.option("--layer", type=click.IntRange(min=0),
                     help="Read one head: its layer, 0-based (later layers are never computed)."),
        click.option("--head", type=click.IntRange(min=0), help="Read one head: its index, 0-based."),
        click.option("--heads", type=HeadList(),
                     help="Read several heads, e.g. 5-5,3-11 (0-based layer-head). Without --heads "
                          "or --layer/--head: the default heads."),
        click.option("--head-weighting", type=click.Choice(HEAD_WEIGHTINGS),
                     default=_default("head_weighting"), show_default=True,
                     help="How several heads combine: mean, or per-document dynamic weights."),
        click.option("--mode", type=click.Choice(scoring.MODES), default=_default("mode"), show_default=True,
                     help="Token score readout: both = SAMRank (global + proportional); global / "
                          "proportional alone; forward; received / cls / fusion (KeyAtten's); uniform "
                          "= every token 1 (no attention: a control)."),
        click.option("--single-words", type=click.Choice(["mean", "sum"]), default=_default("single_words"),
                     show_default=True, help="One-word phrases: mean (SAMRank) or sum over occurrences."),
        click.option("--length-power", type=click.FloatRange(min=0), default=_default("length_power"),
                     show_default=True, help="Divide each occurrence's score by its token count to this power."),
        click.option("--position-power", type=click.FloatRange(min=0), default=_default("position_power"),
                     show_default=True, help="Weigh phrases by (1 + first offset / 100) ** -power."),
        click.option("--no-nested", is_flag=True, help="Leave out phrases inside a higher-ranked phrase."),
        click.option("--diversity", type=click.FloatRange(0, 1), default=_default("diversity"),
                     show_default=True, help="MMR-style re-ranking: 0 = by score alone."),
        click.option("--backend", type=click.Choice(BACKENDS), default=_default("backend"), show_default=True,
                     help="torch, or onnx: the fast path (ONNX Runtime, same scores)."),
    ]

    @functools.wraps(function)
    def build(*args, model, layer, head, heads, head_weighting, mode, single_words, length_power,
              position_power, no_nested, diversity, backend, **kwargs):
        if (layer is None) != (head is None):
            raise click.UsageError("--layer and --head go together")
        if layer is not None and heads:
            raise click.UsageError("give --heads or --layer/--head, not both")
        chosen = heads or ([(layer, head)] if layer is not None else _default("heads"))
        extractor = KeyphraseExtractor(
            model=model, heads=chosen, head_weighting=head_weighting, mode=mode, single_words=single_words,
            length_power=length_power, position_power=position_power, nested=not no_nested,
            diversity=diversity, backend=backend)
        return function(*args, extractor=extractor, **kwargs)

    for option in reversed(options):
        build = option(build)
    return build


def describe(extractor: KeyphraseExtractor) -> str:
    """The settings of an extractor in one line, for output headers."""
    heads = ",".join(f"{l}-{h}" for l, h in extractor._heads())
    return (f"model {extractor.model} ({extractor.backend}), heads {heads} "
            f"({extractor.head_weighting}), mode {extractor.mode}, single words {extractor.single_words}, "
            f"length power {extractor.length_power:g}, position power {extractor.position_power:g}")


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
      samrank extract --heads 5-5,5-3 --length-power 0.5 abstract.txt
      samrank highlight paper.txt --out paper.html
      samrank evaluate --dataset inspec
      samrank heads --dataset semeval2017 --out out/heads

    Layers and heads are 0-based. The default settings were chosen on development data of two
    genres (science and news); docs/DEFAULTS.md shows how, and what they score elsewhere.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE... | -")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many keyphrases per input.")
@extractor_options
@click.option("--format", "-f", "output_format", type=click.Choice(FORMATS), default="text",
              show_default=True, help="text: readable; json: one array of all inputs; jsonl: one "
                                      "object per line; csv: source,rank,phrase,score,spans.")
def extract(files, top_n, extractor, output_format):
    """Print the top keyphrases of each FILE (UTF-8 text; '-' reads standard input).

    Every keyphrase comes with its score and the [start, end) character offsets of each of its
    occurrences in that input. Unreadable inputs are reported on stderr and skipped; the exit
    code is then 1.
    """
    from tqdm import tqdm

    try:
        extractor.loaded
        if extractor.backend != "torch":
            extractor.token_scores("samrank")  # builds the fast path now, so that its errors come first
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
              help="Where to write the page (.html) or the picture (.png).")
@click.option("--top-n", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@extractor_options
def highlight(file, out, top_n, extractor):
    """Write an HTML page (or a PNG picture) of FILE with each word shaded by the attention it
    gets from the chosen heads (like the paper's Figure 2), and the top keyphrases listed and
    underlined."""
    from .report import highlight_html, highlight_png

    if not out.lower().endswith((".html", ".htm", ".png")):
        raise click.BadParameter("write an .html page or a .png picture", param_hint="--out")
    try:
        text = read_text(file)
    except UnreadableInput as reason:
        raise click.ClickException(f"{file}: {reason}") from None
    try:
        keyphrases = extractor.extract(text, top_n=top_n)
        words = extractor.extract_word_weights(text)
    except (ValueError, RuntimeError, OSError) as error:
        raise click.ClickException(str(error)) from None
    title = f"{Path(file).name if file != '-' else 'stdin'}: {describe(extractor)}"
    if out.lower().endswith(".png"):
        highlight_png(text, words, keyphrases, title, Path(out))
    else:
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


def _run_evaluation(dataset, model, limit, data_dir, gold_stemmed, surface_gold, no_cache, **settings):
    from .evaluation import evaluate as run

    try:
        return run(dataset, model, limit=limit, data_folder=data_dir, gold_stemmed=gold_stemmed,
                   surface_gold=surface_gold, cache=not no_cache, progress=True, **settings)
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as error:
        raise click.ClickException(str(error)) from None


@main.command()
@dataset_options
@extractor_options
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def evaluate(dataset, data_dir, limit, gold_stemmed, surface_gold, idf_corpus, no_cache, extractor,
             output_format):
    """Score the extractor's settings on a benchmark with the SAMRank protocol.

    Predictions and gold are Porter-stemmed; predictions are deduplicated after stemming; all
    gold keyphrases count, also those absent from the text. Prints macro F1, P and R at 5, 10
    and 15, in percent. DATASET:dev / DATASET:test name the halves of 500n_kpcrowd.
    """
    if idf_corpus:
        from .evaluation import read_dataset

        try:
            extractor.fit_idf(text for _, text, _, _ in read_dataset(idf_corpus, data_dir)[1])
        except (FileNotFoundError, ValueError) as error:
            raise click.ClickException(str(error)) from None
        extractor.use_idf = True
    result = _run_evaluation(dataset, extractor.model, limit, data_dir, gold_stemmed, surface_gold,
                             no_cache, heads=[], method=extractor.mode, backend=extractor.backend,
                             extractors={"setting": extractor})
    record = result.record("setting") | {"setting": describe(extractor)}
    if output_format == "json":
        click.echo(json.dumps(record))
        return
    click.echo(f"{record['dataset']}: {record['docs']} documents, {record['setting']}, {record['seconds']:.1f} s")
    if record["skipped"]:
        click.echo(f"skipped {record['skipped']} documents without gold keyphrases: "
                   + ", ".join(result.skipped[:10]))
    for k in (5, 10, 15):
        click.echo(f"  @{k:<2}  F1 {record[f'f1@{k}']:6.2f}   P {record[f'p@{k}']:6.2f}   "
                   f"R {record[f'r@{k}']:6.2f}")


@main.command()
@dataset_options
@click.option("--method", type=click.Choice(scoring.MODES), default="both", show_default=True,
              help="Token score readout (see samrank extract --help).")
@click.option("--model", "-m", default="minilm", show_default=True,
              help="Packaged alias, Hugging Face model id, local folder, or .gguf file.")
@click.option("--out", "-o", type=click.Path(file_okay=False), default="out/heads", show_default=True,
              help="Folder for the CSV and the heatmap.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="How many of the best heads to print.")
def heads(dataset, data_dir, method, limit, gold_stemmed, surface_gold, idf_corpus, no_cache, model,
          out, top):
    """Score every layer x head of a model on a benchmark, from one forward pass per document.

    Each head alone, scored as SAMRank does (single words averaged, no length or position
    weights). Writes OUT/<dataset>_<model>_<method>.csv (0-based layer and head, the paper's
    1-based L-H, F1/P/R at 5, 10, 15) and a heatmap .png of F1@5/10/15, and prints the best heads.
    Choosing a head here and reporting its score on the same dataset is an oracle number.
    """
    from .report import heads_table, write_heatmap

    result = _run_evaluation(dataset, model, limit, data_dir, gold_stemmed, surface_gold, no_cache,
                             heads=None, method=method, idf_corpus=idf_corpus)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{result.dataset}_{Path(model).name}_{method}".replace(":", "_")
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
