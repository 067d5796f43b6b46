"""Atomic writes: a file or a folder is built under a temporary name beside its target, then
renamed into place with ``os.replace``, so that a reader never sees a half-written file and an
interrupted run leaves either the old content or the new one, never an empty or truncated file.

Only regular files are replaced this way: writing to an existing device, FIFO or socket
(``/dev/stdout``, ``/dev/null``, a named pipe) writes straight into it, as ``open`` would.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator

_UMASK: int | None = None
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    global _UMASK
    with _UMASK_LOCK:
        if _UMASK is None:
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
    return _UMASK


def _is_special(path: Path) -> bool:
    """An existing path that is not a regular file nor a folder (device, FIFO, socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def replacing(path: str | os.PathLike, suffix: str = ".tmp", durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without an exception, the
    temporary file replaces ``path`` (atomically), otherwise it is removed and ``path`` is left
    as it was. ``durable`` flushes the data to disk before the rename."""
    path = Path(path)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=suffix)
    os.close(handle)
    scratch = Path(scratch)
    try:
        yield scratch
        try:  # the permissions a plain open() would have given, not mkstemp's 0600
            os.chmod(scratch, 0o666 & ~_umask())
        except OSError:
            pass
        if durable:
            with open(scratch, "rb") as written:
                os.fsync(written.fileno())
        os.replace(scratch, path)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (straight into it when it is a device or FIFO)."""
    path = Path(path)
    if _is_special(path):
        with open(path, "wb") as out:
            out.write(data)
        return
    with replacing(path, durable=durable) as scratch:
        scratch.write_bytes(data)


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8", durable: bool = True) -> None:
    """Write ``text`` to ``path`` atomically; lone surrogates are written as U+FFFD rather than
    failing half-way."""
    if re.fullmatch(r"utf[-_]?8", encoding, re.I):
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    write_bytes(path, text.encode(encoding), durable=durable)


def publish_folder(build: Callable[[Path], None], target: str | os.PathLike,
                   done: Callable[[Path], bool] | None = None) -> Path:
    """Build a folder under a temporary name beside ``target`` with ``build(scratch)``, then
    rename it into place. ``done(target)`` (default: the folder exists and is not empty) says
    that a finished folder is already there; a folder there that is not done is removed first.
    If another process publishes the same folder meanwhile, its copy is kept."""
    target = Path(target)
    done = done or (lambda folder: folder.is_dir() and any(folder.iterdir()))
    if done(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".building-{target.name[:40]}-"))
    try:
        build(scratch)
        if target.exists() and not done(target):  # a broken folder left by an older version
            shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink()
        try:
            os.replace(scratch, target)
        except OSError:  # another process published it first
            if not done(target):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target
