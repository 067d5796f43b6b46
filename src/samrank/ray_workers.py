"""What each Ray actor holds (``samrank.distributed``): one extractor, built when the actor
starts, and the batch functions that run table rows or JSON lines through it. Nothing here
imports Ray, so the workers can be tested and pickled without it."""

from __future__ import annotations

import json

KEYPHRASES = "keyphrases"
ERROR = "error"


def keyphrases_type():
    """The Arrow type of the keyphrases column: ``list<struct<phrase, score, spans>>``, fixed so
    that blocks whose documents have no keyphrases still share one schema."""
    import pyarrow as pa

    return pa.list_(pa.struct([("phrase", pa.string()), ("score", pa.float64()),
                               ("spans", pa.list_(pa.list_(pa.int64())))]))


class Worker:
    """The callable class each actor holds: one extractor, loaded when the actor starts."""

    def __init__(self, settings: dict, idf, top_n: int, tag_batch: int, errors: str,
                 cpus: float | None = None):
        if cpus:  # Ray caps OMP threads per actor; torch reads its own setting
            import torch

            torch.set_num_threads(max(1, int(cpus)))
        self.extractor = checked_extractor(settings, idf)
        self.extractor.loaded
        self.top_n = top_n
        self.tag_batch = tag_batch
        self.errors = errors

    def keyphrases(self, texts: list) -> list[list[dict]]:
        return [keyphrases for keyphrases, _ in self.results(texts)]

    def results(self, texts: list) -> list[tuple[list[dict], str]]:
        """Each text's keyphrases, and why it failed ("" when it did not)."""
        runs = self.extractor.run_many(texts, top_n=self.top_n, batch_size=self.tag_batch, errors=self.errors)
        return [([k.to_dict() for k in run.keyphrases], run.error.split(": ", 1)[-1] if run.error else "")
                for run in runs]


class TableWorker(Worker):
    """Arrow batches in, the same batches with the keyphrases column out."""

    def __init__(self, text_column: str, output_column: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_column = text_column
        self.output_column = output_column

    def __call__(self, batch):
        import pyarrow as pa

        if self.text_column not in batch.column_names:
            raise ValueError(f"no column {self.text_column!r}; the dataset has {batch.column_names}")
        texts = batch.column(self.text_column).to_pylist()
        column = pa.array(self.keyphrases(texts), type=keyphrases_type())
        if self.output_column in batch.column_names:
            return batch.set_column(batch.column_names.index(self.output_column), self.output_column, column)
        return batch.append_column(self.output_column, column)


class JsonlWorker(Worker):
    """JSON lines in (a ``text`` column of raw lines, as ``read_text`` gives), JSON lines out:
    each object as read, with its keyphrases added; a line that is not a JSON object, or whose
    text cannot be read, comes out with an ``error`` (the line kept whole under ``input``), so
    that one bad line sinks nothing (``errors="raise"``: it fails the job)."""

    def __init__(self, text_field: str, output_field: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text_field = text_field
        self.output_field = output_field

    def __call__(self, batch: dict) -> dict:
        records, problems = [], []
        for line in batch["text"]:
            record, problem = _json_object(str(line))
            if problem and self.errors == "raise":
                raise ValueError(problem)
            records.append(record)
            problems.append(problem)
        readable = [n for n, record in enumerate(records) if record is not None]
        found = dict(zip(readable, self.results([records[n].get(self.text_field) for n in readable])))
        lines, failed = [], []
        for n, line in enumerate(batch["text"]):
            keyphrases, error = found.get(n, ([], problems[n]))
            record = records[n] if records[n] is not None else {"input": str(line)}
            lines.append(json.dumps({**record, self.output_field: keyphrases, **({ERROR: error} if error else {})},
                                    ensure_ascii=False))
            failed.append(bool(error))
        return {"line": lines, "failed": failed}


def _json_object(line: str) -> tuple[dict | None, str]:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        return None, f"not a JSON line ({reason}): {line[:80]!r}"
    if not isinstance(record, dict):
        return None, f"each line must hold a JSON object, not: {line[:80]!r}"
    return record, ""


def checked_extractor(settings: dict, idf):
    """The extractor every actor builds, built here first too, so that a wrong setting, or
    ``use_idf`` without a table, fails before any actor starts rather than in every row."""
    from .extractor import KeyphraseExtractor

    extractor = KeyphraseExtractor(**settings)
    extractor.idf_ = idf
    if extractor.settings.use_idf and idf is None:
        raise ValueError("use_idf needs a fitted IDF table: pass idf=extractor.idf_ (samrank batch --idf FILE)")
    return extractor
