"""Deterministic, atomic file output.

Everything the pipeline writes goes through these helpers, so that

* a crash never leaves a half-written file (write to a temporary file in the
  same directory, then :func:`os.replace`), and
* two clean runs give byte-identical files (sorted keys, fixed float
  formatting, ``\\n`` line endings, no timestamps), and
* a whole folder can replace another in one step (:func:`exchange_dirs`).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8, ``\\n`` newlines).

    Parameters
    ----------
    path : pathlib.Path
        Destination.  Its parent directory is created if needed.
    text : str
        Content.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return atomic_write_bytes(path, text.encode("utf-8"))  # newlines as given: no translation


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file in the same directory, then a rename).

    Parameters
    ----------
    path : pathlib.Path
        Destination.  Its parent directory is created if needed.
    data : bytes
        Content.
    mode : int, optional
        Permission bits for the file (:func:`tempfile.mkstemp` makes it private, ``0o600``; a file
        that a web server publishes needs, for example, ``0o644``).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def dumps_json(obj: Any) -> str:
    """Serialise ``obj`` as stable, human-readable JSON."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def atomic_write_json(path: Path, obj: Any) -> Path:
    """Write ``obj`` as deterministic JSON, atomically."""
    return atomic_write_text(path, dumps_json(obj))


def frame_to_csv_text(df: pd.DataFrame) -> str:
    """Render a frame as deterministic CSV text (no index, 6 significant floats)."""
    return df.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def atomic_write_csv(path: Path, df: pd.DataFrame) -> Path:
    """Write a frame as deterministic CSV, atomically."""
    return atomic_write_text(path, frame_to_csv_text(df))


def write_all_or_nothing(outputs: Iterable[tuple[Path, str]]) -> list[Path]:
    """Write several files so that either all of them change or none does.

    Every file is first written to a temporary sibling; only when all
    temporaries exist are they renamed into place.  A failure before the
    renames leaves every destination untouched.

    Parameters
    ----------
    outputs : iterable of (path, text)

    Returns
    -------
    list of pathlib.Path
        The destinations, in the order given.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in outputs:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [p for _, p in staged]


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` with Linux's ``renameat2(RENAME_EXCHANGE)``; ``False`` if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # no glibc >= 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # the file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def exchange_dirs(new: Path, current: Path, old: Path) -> bool:
    """Put folder ``new`` in the place of ``current``, keeping the previous one at ``old``.

    On Linux the two folders swap places in a single atomic step
    (``renameat2`` with ``RENAME_EXCHANGE``): a reader, or a process killed at
    any instant, sees either the previous folder or the new one at
    ``current``, never neither.  Where that call is unavailable, it falls back
    to two renames (``current -> old``, ``new -> current``), between which
    ``current`` briefly does not exist; the caller's recovery step must then
    move ``old`` back if ``current`` is missing.

    Parameters
    ----------
    new : pathlib.Path
        The folder to install; after the call it no longer exists.
    current : pathlib.Path
        The destination.  If it does not exist, ``new`` is simply renamed.
    old : pathlib.Path
        Where the previous ``current`` ends up (must not exist); the caller
        removes it.

    Returns
    -------
    bool
        Whether there was a previous folder (now at ``old``).
    """
    new, current, old = Path(new), Path(current), Path(old)
    if not current.exists():
        os.replace(new, current)
        return False
    if _renameat2_exchange(new, current):
        os.replace(new, old)  # ``new`` now holds the previous folder
        return True
    os.replace(current, old)
    os.replace(new, current)
    return True
