"""JSONL and CSV records for ``samrank.inputs.iter_inputs``: one document per line or row, each
bad one an ``InputError`` in its place (named ``path:line`` / ``path:row``) so the rest go on."""

from __future__ import annotations

import csv
import json

from .inputs import CHUNK, DEFAULT_MAX_CHARS, SURROGATE, InputError, clean_text, unreadable


def _record(record, where: str, text_field: str, id_field: str, max_chars):
    """(id, text or InputError) of one parsed record."""
    if not isinstance(record, dict):
        return where, InputError(f"{where}: a record must be a JSON object, not {type(record).__name__}")
    ident = record.get(id_field)
    ident = where if ident is None or ident == "" or isinstance(ident, (dict, list)) else clean_text(str(ident))
    if text_field not in record:
        fields = ", ".join(map(repr, list(record)[:8])) or "none"
        return ident, InputError(f"{where}: no {text_field!r} field (fields: {fields}; "
                                 "choose one with --text-field)")
    text = record[text_field]
    if not isinstance(text, str):
        return ident, InputError(f"{where}: {text_field!r} is {type(text).__name__}, not a string")
    if max_chars is not None and len(text) > max_chars:
        return ident, InputError(f"{where}: {text_field!r} is too long: over {max_chars:,} characters "
                                 "(raise the limit with --max-chars)")
    return ident, clean_text(text)


def jsonl_records(path, name, text_field, id_field, encoding, max_chars):
    """One document per non-blank line of a JSONL file, each line read up to its byte bound."""
    limit = None if max_chars is None else 4 * max_chars + 1024  # bytes of one line
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield name, unreadable(name, error)
        return
    with handle:
        number = 0
        while True:
            try:
                line = handle.readline(limit) if limit else handle.readline()
            except OSError as error:
                yield f"{name}:{number + 1}", unreadable(f"{name}:{number + 1}", error)
                return
            if not line:
                return
            number += 1
            where = f"{name}:{number}"
            if limit and len(line) >= limit and not line.endswith(b"\n"):
                yield where, InputError(f"{where}: line too long (over {max_chars:,} characters; "
                                        "raise the limit with --max-chars)")
                while line and not line.endswith(b"\n"):  # skip the rest of that line
                    line = handle.readline(CHUNK)
                continue
            try:
                decoded = line.decode(encoding or "utf-8-sig" if number == 1 else encoding or "utf-8")
            except UnicodeDecodeError as error:
                yield where, InputError(f"{where}: not valid {encoding or 'utf-8'} ({error.reason} at "
                                        f"byte {error.start} of the line); give its encoding (--encoding)")
                continue
            if not decoded.strip():
                continue
            try:
                record = json.loads(decoded)
            except (json.JSONDecodeError, RecursionError) as error:
                reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
                yield where, InputError(f"{where}: not valid JSON ({reason})")
                continue
            yield _record(record, where, text_field, id_field, max_chars)


def csv_records(path, name, text_field, id_field, encoding, max_chars, delimiter):
    """One document per row of a CSV/TSV file with a header naming ``text_field``."""
    wanted = (max_chars or DEFAULT_MAX_CHARS) + 1
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(min(wanted, 2**31 - 1))
    try:
        # undecodable bytes become surrogates here, so that only the rows holding them fail
        handle = open(path, encoding=encoding or "utf-8-sig", errors="surrogateescape", newline="")
    except (OSError, LookupError) as error:
        yield name, unreadable(name, error)
        return
    row = 0
    with handle:
        try:
            # strict: a quote left open to the end of the file is an error, not one record
            # that swallows every row after it
            reader = csv.DictReader(handle, delimiter=delimiter, strict=True)
            fields = reader.fieldnames or []
            if text_field not in fields:
                shown = ", ".join(map(repr, fields[:8])) or "none"
                yield name, InputError(f"{name}: no {text_field!r} column (columns: {shown}; "
                                       "choose one with --text-field)")
                return
            for record in reader:
                row += 1
                record.pop(None, None)  # cells beyond the header
                where = f"{name}:{row}"
                if SURROGATE.search(record.get(text_field) or ""):
                    ident = record.get(id_field) or ""
                    yield (ident if ident and not SURROGATE.search(ident) else where), InputError(f"{where}: not valid {encoding or 'utf-8'}; give its encoding "
                                            "(--encoding)")
                    continue
                yield _record(record, where, text_field, id_field, max_chars)
        except UnicodeDecodeError as error:
            yield f"{name}:{row + 1}", InputError(f"{name}: not valid {encoding or 'utf-8'} after row {row} "
                                                  f"({error.reason}); give its encoding (--encoding)")
        except (csv.Error, OSError) as error:
            yield f"{name}:{row + 1}", InputError(f"{name}: unreadable CSV after row {row} ({error})")
