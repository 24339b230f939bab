"""Deterministic, atomic file output.

Everything the pipeline writes goes through these helpers, so that

* a crash never leaves a half-written file (write to a temporary file in the
  same directory, then :func:`os.replace`), and
* two clean runs give byte-identical files (sorted keys, fixed float
  formatting, ``\\n`` line endings, no timestamps).
"""

from __future__ import annotations

import json
import os
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
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
