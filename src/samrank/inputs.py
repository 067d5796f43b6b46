"""Reading what users give: files, standard input, folders, JSONL and CSV records.

Every read is bounded and checked before it can hurt: a path is ``stat``-ed first (a folder, a
FIFO or a device such as ``/dev/zero`` is refused at once, never read, never waited on), text is
read in chunks up to a limit, binary content is recognised from the first chunk, and bytes that
are not valid in the encoding give a one-line ``InputError`` naming the file and the offset.
``iter_inputs`` turns one bad file or record into an ``InputError`` in its place, so the others
still go through. JSONL and CSV records are parsed in ``samrank.records``; telling text from
binary by the first bytes is ``samrank.sniff``.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from . import atomic
from .sniff import SNIFF, bom_encoding, looks_binary

DEFAULT_MAX_CHARS = 10_000_000  # characters of text per document (~10 MB of English)
CHUNK = 1 << 20
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
CSV_SUFFIXES = (".csv", ".tsv")
SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(ValueError):
    """An input that cannot be read as text; the message is one line and names the input."""


class OutputError(ValueError):
    """An output path that cannot be written; the message is one line and names the path."""


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate (U+D800..U+DFFF, which no encoder, tokenizer or tagger
    accepts) replaced by U+FFFD, one character for one, so every offset into ``text`` stays
    valid. Text decoded from bytes never has them; strings from JSON (``"\\ud800"``) or from
    ``errors="surrogateescape"`` decoding can."""
    if text.isascii():
        return text
    return SURROGATE.sub("\ufffd", text)


def unreadable(name: str, error: Exception) -> InputError:
    """The one-line error for an input that could not be opened or read."""
    return InputError(f"{name}: cannot read ({getattr(error, 'strerror', None) or error})")


def _name(source) -> str:
    if source == "-":
        return "<stdin>"
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)  # the path as given, folders included
    return str(getattr(source, "name", source))


def check_encoding(encoding: str | None) -> None:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None


def _check_path(path: Path, name: str) -> None:
    """Refuse, without opening it, anything that is not a readable regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as error:
        raise unreadable(name, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name} is a folder; give its files, or the folder to iter_inputs / the CLI")
    if not stat.S_ISREG(info.st_mode):
        what = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise InputError(f"{name} is {what}, not a regular file; to read a stream, pipe it into "
                         f"standard input ('-')")


def read_text(source: str | os.PathLike | BinaryIO, max_chars: int = DEFAULT_MAX_CHARS,
              encoding: str | None = None) -> str:
    """The text of a file, of standard input (``"-"``) or of a binary file object.

    Read in chunks; stops with ``InputError`` as soon as the text passes ``max_chars``
    characters. ``encoding`` None means UTF-8 (a UTF-8/16/32 byte-order mark is honoured and
    left out of the text); binary content (NUL bytes, many control bytes, a known binary
    signature) and undecodable bytes give ``InputError`` naming the input and the offset.
    """
    name = _name(source)
    if max_chars is not None and max_chars < 0:
        raise ValueError(f"max_chars must be 0 or more; got {max_chars!r}")
    check_encoding(encoding)
    if hasattr(source, "read"):
        return _read_stream(source, name, max_chars, encoding)
    if source == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("<stdin> is closed or not a byte stream")
        return _read_stream(stream, name, max_chars, encoding)
    path = Path(source)
    _check_path(path, name)
    if max_chars is not None and encoding is None and path.stat().st_size > 4 * max_chars + 4:
        raise InputError(f"{name} is too long: over {max_chars:,} characters "
                         f"({path.stat().st_size:,} bytes; raise the limit with --max-chars)")
    try:
        with open(path, "rb") as handle:
            return _read_stream(handle, name, max_chars, encoding)
    except OSError as error:
        raise unreadable(name, error) from None


def _read_stream(stream: BinaryIO, name: str, max_chars: int | None, encoding: str | None) -> str:
    head = _read(stream, SNIFF, name)
    if not isinstance(head, (bytes, bytearray)):
        raise InputError(f"{name} is not a byte stream")
    why = looks_binary(head, name, encoding)
    if why:
        raise InputError(why)
    if encoding is None:
        encoding = bom_encoding(head) or "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    parts: list[str] = []
    chars = 0
    consumed = 0
    chunk = head
    while True:
        final = not chunk
        pending = len(decoder.getstate()[0])  # bytes of an unfinished character held over
        try:
            part = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            where = consumed - pending + error.start
            raise InputError(f"{name} is not valid {encoding} (byte 0x{error.object[error.start]:02x} "
                             f"near offset {max(where, 0):,}); give its encoding (--encoding, "
                             "e.g. latin-1)") from None
        except UnicodeError as error:  # e.g. "UTF-16 stream does not start with BOM"
            raise InputError(f"{name} is not valid {encoding} ({error}); give its encoding "
                             "(--encoding)") from None
        consumed += len(chunk)
        chars += len(part)
        if max_chars is not None and chars > max_chars:
            raise InputError(f"{name} is too long: over {max_chars:,} characters "
                             "(raise the limit with --max-chars)")
        parts.append(part)
        if final:
            break
        chunk = _read(stream, CHUNK, name)
    text = "".join(parts)
    if text.startswith("\ufeff"):  # a BOM of an explicitly given encoding
        text = text[1:]
    return clean_text(text)


def _read(stream: BinaryIO, size: int, name: str) -> bytes:
    try:
        return stream.read(size)
    except OSError as error:
        raise unreadable(name, error) from None


def decode(data: bytes, name: str = "<bytes>", max_chars: int | None = DEFAULT_MAX_CHARS,
           encoding: str | None = None) -> str:
    """``read_text`` on bytes already in memory."""
    stream = io.BytesIO(data)
    stream.name = name
    return read_text(stream, max_chars, encoding)


# --- many inputs -----------------------------------------------------------------------------

def iter_inputs(sources: Iterable[str | os.PathLike], glob: str = "*", text_field: str = "text",
                id_field: str = "id", encoding: str | None = None,
                max_chars: int = DEFAULT_MAX_CHARS, recursive: bool = True,
                records: bool = True) -> Iterator[tuple[str, str | InputError]]:
    """Yield ``(source_id, text)`` for every document, or ``(source_id, InputError)`` for one
    that cannot be read (the rest go on), in the order given.

    - ``"-"``: standard input, one document.
    - a file: one document, its path as the id; with ``records`` a ``.jsonl``/``.ndjson`` file
      gives one document per line (``text_field``; the id is ``id_field`` when the record has
      it, else ``path:line``) and a ``.csv``/``.tsv`` file one per row (``path:row`` likewise).
    - a folder: its files matching ``glob`` (in every subfolder when ``recursive``), sorted,
      hidden files and folders left out; each read as above.
    Text comes back raw (HTML/Markdown not converted: see ``samrank.markup.to_text``).
    An unknown ``encoding`` raises ``InputError`` at once.
    """
    check_encoding(encoding)
    for source in sources:
        source = os.fspath(source)
        if source == "-":
            yield from _one("-", "<stdin>", max_chars, encoding)
            continue
        path = Path(source)
        if path.is_dir():
            files = _folder_files(path, glob, recursive)
            if not files:
                yield source, InputError(f"{source}: no files match {glob!r}")
            for file, problem in files:
                if problem:  # a FIFO, device or broken link among the files: named, not read
                    yield os.fspath(file), InputError(f"{os.fspath(file)}: {problem}")
                    continue
                yield from _file(file, text_field, id_field, encoding, max_chars, records)
        else:
            yield from _file(path, text_field, id_field, encoding, max_chars, records, name=source)


def _folder_files(folder: Path, glob: str, recursive: bool) -> list[tuple[Path, str]]:
    """The folder's matching entries, sorted, each with why it cannot be read ("" for a regular
    file); subfolders and hidden entries left out."""
    try:
        found = folder.rglob(glob) if recursive else folder.glob(glob)
        files = []
        for path in found:
            parts = path.relative_to(folder).parts
            if any(part.startswith(".") for part in parts):
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as error:
                files.append((path, f"cannot be read ({error.strerror or error})"))
                continue
            if stat.S_ISREG(mode):
                files.append((path, ""))
            elif not stat.S_ISDIR(mode):
                files.append((path, "is not a regular file (a FIFO, socket or device), not read"))
        return sorted(files)
    except (OSError, ValueError):
        return []


def _one(source, name, max_chars, encoding):
    try:
        yield name, read_text(source, max_chars, encoding)
    except InputError as error:
        yield name, error


def _file(path: Path, text_field, id_field, encoding, max_chars, records, name=None):
    name = name or str(path)
    suffix = path.suffix.lower()
    if records and suffix in JSONL_SUFFIXES + CSV_SUFFIXES:
        try:
            _check_path(path, name)
        except InputError as error:
            yield name, error
            return
        from .records import csv_records, jsonl_records  # not at the top: records imports this module

        if suffix in JSONL_SUFFIXES:
            yield from jsonl_records(path, name, text_field, id_field, encoding, max_chars)
        else:
            yield from csv_records(path, name, text_field, id_field, encoding, max_chars,
                                   "\t" if suffix == ".tsv" else ",")
        return
    yield from _one(path, name, max_chars, encoding)


# --- outputs ---------------------------------------------------------------------------------

def check_output_path(path: str | os.PathLike | None) -> None:
    """Fail fast, before any work, if ``path`` cannot be written: its folder is missing or not
    writable, or it is a folder. ``None`` and ``"-"`` (standard output) always pass."""
    if path is None or os.fspath(path) == "-":
        return
    path = Path(path)
    name = os.fspath(path)
    if path.is_dir():
        raise OutputError(f"{name} is a folder; give a file name")
    if path.exists() and not path.is_file():
        return  # a device or FIFO (/dev/null, /dev/stdout): written straight into
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"{name}: the folder {os.fspath(folder)} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{name}: {os.fspath(folder)} is not a folder")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".samrank-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise OutputError(f"{name}: cannot write in {os.fspath(folder)} "
                          f"({error.strerror or error})") from None


def write_atomic(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place: an interrupted or
    failed run never leaves an empty or half-written file. ``"-"`` writes to standard output."""
    if os.fspath(path) == "-":
        sys.stdout.write(clean_text(text))
        sys.stdout.flush()
        return
    try:
        atomic.write_text(path, text, encoding)
    except OSError as error:
        raise OutputError(f"{os.fspath(path)}: cannot write ({error.strerror or error})") from None
