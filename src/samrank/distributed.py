"""Keyphrases for large corpora with Ray Data: one model per actor, as many actors as workers.

    import ray
    from samrank.distributed import extract_dataset, extract_file

    ray.init()                                   # or ray.init(address="auto") on a cluster
    ds = ray.data.read_parquet("s3://bucket/docs/")
    ds = extract_dataset(ds, text_column="abstract", top_n=10, num_workers=8)
    ds.write_parquet("s3://bucket/keyphrases/")

    extract_file("docs.jsonl", "keyphrases.jsonl", num_workers=2)   # every field kept, in order

Each actor builds one ``KeyphraseExtractor`` (the model loads once per actor, when it starts)
and runs the rows of each batch it receives through ``extract_many``, so a row's keyphrases are
exactly what ``extract_many`` gives for its text. ``num_gpus`` reserves GPUs per actor (Ray sets
``CUDA_VISIBLE_DEVICES`` for it); ``cpus_per_worker`` the cores each actor's forward pass uses.
docs/SCALING.md measures 1 vs 2 workers and describes the cluster path.
"""

from __future__ import annotations

import inspect
import os
import warnings
from pathlib import Path
from typing import Any, NamedTuple

from .ray_workers import KEYPHRASES, checked_extractor, JsonlWorker, TableWorker, keyphrases_type  # noqa: F401


class Written(NamedTuple):
    """What a file run wrote: its rows, and how many of them failed (``error`` in JSONL)."""

    rows: int
    failed: int = 0


def _settings(model, settings: dict) -> dict:
    """``settings`` with ``model`` when one is given: else the library's own default model."""
    return settings if model is None else {**settings, "model": model}


def _compute(num_workers: int):
    import ray.data

    if not isinstance(num_workers, int) or num_workers < 1:
        raise ValueError(f"num_workers must be a positive integer; got {num_workers!r}")
    return ray.data.ActorPoolStrategy(size=num_workers)


def _map(ds, worker_class, constructor_args: tuple, *, num_workers: int, num_gpus: float,
         cpus_per_worker: float, batch_size: int, batch_format: str, preserve_order: bool):
    if preserve_order:
        # this dataset's own context (a copy Ray made when the dataset was created)
        ds.context.execution_options.preserve_order = True
    options = {}
    if "udf_modifying_row_count" in inspect.signature(ds.map_batches).parameters:
        options["udf_modifying_row_count"] = False  # one output row per input row
    return ds.map_batches(
        worker_class,
        fn_constructor_args=constructor_args,
        batch_size=batch_size,
        batch_format=batch_format,
        compute=_compute(num_workers),
        num_cpus=_reserved_cpus(num_workers, cpus_per_worker),
        num_gpus=num_gpus or None,
        **options,
    )


def _reserved_cpus(num_workers: int, cpus_per_worker: float) -> float:
    """The CPUs each actor reserves with Ray: ``cpus_per_worker``, or less when the actors
    would take every CPU of the cluster. Ray Data starts the actors first; its own tasks
    (listing and reading files) each need a CPU, and would wait for ever behind actors that
    hold them all (two one-CPU actors on two cores). The actors' threads do not change."""
    import ray

    total = ray.cluster_resources().get("CPU", 0) if ray.is_initialized() else 0
    if total >= 2 and num_workers * cpus_per_worker > total - 1:
        return (total - 1) / num_workers
    return cpus_per_worker


def extract_dataset(ds, text_column: str = "text", top_n: int = 10, num_workers: int = 1,
                    num_gpus: float = 0, batch_size: int = 32, model: Any = None, *,
                    output_column: str = KEYPHRASES, cpus_per_worker: float = 1,
                    errors: str = "warn", preserve_order: bool = True, idf=None, **settings):
    """``ds`` (a ``ray.data.Dataset``) with a ``keyphrases`` column: for each row, the
    ``top_n`` keyphrases of its ``text_column`` as ``[{"phrase", "score", "spans"}]``, exactly
    as ``KeyphraseExtractor(model, **settings).extract_many`` gives them (``model`` None: the
    library's default; ``idf``: the ``IdfTable`` of ``fit_idf``, needed with ``use_idf``).

    ``num_workers`` actors each hold one model (``ray.data.ActorPoolStrategy``) and take
    ``batch_size`` rows at a time; ``num_gpus`` and ``cpus_per_worker`` are reserved per actor.
    A row whose text cannot be processed (missing, not a string) gets ``[]`` and a warning
    (``errors="warn"``), or fails the job (``errors="raise"``). Lazy, like every Ray Data
    transform: nothing runs until the dataset is consumed or written. ``preserve_order`` keeps
    the rows in input order (it sets this dataset's ``execution_options.preserve_order``;
    Ray's default lets blocks finish out of order, which is faster when documents vary a lot).
    """
    if errors not in ("warn", "raise"):
        raise ValueError('errors must be "warn" or "raise"')
    settings = _settings(model, settings)
    checked_extractor(settings, idf)
    args = (text_column, output_column, settings, idf, top_n, batch_size, errors, cpus_per_worker)
    return _map(ds, TableWorker, args, num_workers=num_workers, num_gpus=num_gpus,
                cpus_per_worker=cpus_per_worker, batch_size=batch_size, batch_format="pyarrow",
                preserve_order=preserve_order)


def extract_jsonl(in_path: str | os.PathLike, out_path: str | os.PathLike, text_field: str = "text",
                  top_n: int = 10, num_workers: int = 1, num_gpus: float = 0, batch_size: int = 32,
                  model: Any = None, *, output_field: str = KEYPHRASES,
                  cpus_per_worker: float = 1, errors: str = "warn", idf=None, **settings) -> Written:
    """Read JSON lines from ``in_path`` (a file, a folder of them, or a glob Ray accepts), write
    each object with a ``keyphrases`` field added to ``out_path``, one line each, in input order.
    Every other field (ids included) is kept as it was. Blank lines are skipped. A line that is
    not a JSON object, or whose text is missing or cannot be read, is written with ``[]`` and an
    ``error`` field (not a JSON object: kept whole as ``input``); ``errors="raise"`` stops the
    run instead. Returns the lines written and how many of them failed."""
    import ray.data

    if errors not in ("warn", "raise"):
        raise ValueError('errors must be "warn" or "raise"')
    settings = _settings(model, settings)
    checked_extractor(settings, idf)
    _ensure_ray()
    ds = ray.data.read_text(str(in_path), drop_empty_lines=True,
                            **_read_options(in_path, batch_size, num_workers, _count_lines))
    args = (text_field, output_field, settings, idf, top_n, batch_size, errors, cpus_per_worker)
    out = _map(ds, JsonlWorker, args, num_workers=num_workers, num_gpus=num_gpus,
               cpus_per_worker=cpus_per_worker, batch_size=batch_size, batch_format="numpy",
               preserve_order=True)
    return _write_lines(out, out_path)


def extract_parquet(in_path: str | os.PathLike, out_path: str | os.PathLike, text_column: str = "text",
                    top_n: int = 10, num_workers: int = 1, num_gpus: float = 0, batch_size: int = 32,
                    model: Any = None, **options) -> Written:
    """Read Parquet from ``in_path`` (a file or folder), write one Parquet file ``out_path``
    with the ``keyphrases`` column added, rows in input order. Returns the rows written (a row
    whose text cannot be read gets ``[]`` and a warning: ``failed`` stays 0 here)."""
    import pyarrow.parquet as pq
    import ray.data

    _ensure_ray()
    source = ray.data.read_parquet(str(in_path), **_read_options(in_path, batch_size, num_workers, _count_rows))
    columns = source.schema().names
    if text_column not in columns:
        raise ValueError(f"{in_path}: no column {text_column!r}; it has {', '.join(columns)}")
    if "target_num_rows_per_block" in inspect.signature(source.repartition).parameters:
        # a Parquet file is read as one block whatever override_num_blocks says: cut it into
        # blocks of a batch each (streaming, no shuffle) so that every actor gets work
        source = source.repartition(target_num_rows_per_block=batch_size)
    ds = extract_dataset(source, text_column, top_n, num_workers,
                         num_gpus, batch_size, model, preserve_order=True, **options)
    rows = 0
    writer = None
    try:
        for table in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            if writer is None:
                writer = pq.ParquetWriter(_partial(out_path), table.schema)
            writer.write_table(table)
            rows += table.num_rows
    except BaseException:
        if writer is not None:
            writer.close()
        Path(_partial(out_path)).unlink(missing_ok=True)
        raise
    if writer is not None:
        writer.close()
    else:
        raise ValueError(f"{in_path}: no rows")
    os.replace(_partial(out_path), out_path)
    return Written(rows)


def extract_file(in_path: str | os.PathLike, out_path: str | os.PathLike, **options) -> Written:
    """``extract_parquet`` for ``.parquet`` input, ``extract_jsonl`` otherwise (``text_field``
    / ``text_column`` name the text's field in either). For a ``samrank batch`` command."""
    field = options.pop("text_field", None) or options.pop("text_column", None) or "text"
    if str(in_path).endswith(".parquet"):
        return extract_parquet(in_path, out_path, text_column=field, **options)
    return extract_jsonl(in_path, out_path, text_field=field, **options)


def _read_options(path, batch_size: int, num_workers: int, count) -> dict:
    """Options for Ray's readers. Read tasks ask for no CPU: the actors hold the CPUs they
    asked for, and a read task waiting for one would wait for ever (on two cores, two actors
    of one CPU each leave none). A local file is cut into blocks of about ``batch_size`` rows,
    so that every actor gets work (Ray reads a small file as one block)."""
    options: dict = {"num_cpus": 0}
    try:
        rows = count(Path(path))
    except (OSError, ValueError):
        return options  # not a local path: Ray's own block sizes
    options["override_num_blocks"] = max(num_workers, min(-(-rows // max(batch_size, 1)), 10_000))
    return options


def _local_files(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(suffixes))
    if path.is_file():
        return [path]
    raise ValueError(f"{path} is not a local file or folder")


def _count_lines(path: Path) -> int:
    total = 0
    for file in _local_files(path, (".jsonl", ".json", ".txt", ".ndjson")):
        with open(file, "rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def _count_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in _local_files(path, (".parquet",)))


def _partial(path) -> str:
    return f"{os.fspath(path)}.partial"


def _write_lines(ds, out_path) -> Written:
    """Stream a dataset's ``line`` column into one file, in order; written to a ``.partial``
    file first, so that ``out_path`` only appears complete (and a failed run leaves neither)."""
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    written = failed = 0
    try:
        with open(_partial(out_path), "w", encoding="utf-8") as handle:
            for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                for line in batch.column("line").to_pylist():
                    handle.write(line)
                    handle.write("\n")
                    written += 1
                failed += sum(batch.column("failed").to_pylist())
    except BaseException:
        Path(_partial(out_path)).unlink(missing_ok=True)
        raise
    os.replace(_partial(out_path), out_path)
    return Written(written, failed)


def _ensure_ray() -> None:
    """Start a local Ray instance if none is connected (``ray.init()`` first to use a cluster)."""
    import ray

    if not ray.is_initialized():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ray.init(include_dashboard=False, log_to_driver=False,
                     address=os.environ.get("RAY_ADDRESS"))
