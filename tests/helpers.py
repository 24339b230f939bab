"""Helpers shared by the pipeline tests: folder snapshots and runs into temporary folders.

Every helper writes under the folders it is given, never into the project's
``data/processed`` or ``book/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import config, stages

PROJ_ROOT = config.PROJ_ROOT


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (recursively): relative path -> bytes."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_stages(names: Sequence[str] | None, out: Path, *, raw: Path | None = None, book: Path | None = None,
               **kwargs) -> list[stages.StageResult]:
    """``analysis.stages.run`` into ``out``, with the article pages in ``book`` (default ``out/../book``)."""
    out = Path(out)
    return stages.run(names, root=out, raw_dir=raw or config.RAW_DIR, book_dir=book or out.parent / "book",
                      **kwargs)


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a ``python -m analysis`` subprocess: this checkout, quiet and deterministic."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "PYTHONPATH": str(PROJ_ROOT)}
    env.update(extra)
    return env


def cli_args(*args: str) -> list[str]:
    """The command line of ``python -m analysis ARGS`` with this interpreter."""
    return [sys.executable, "-m", "analysis", *args]


def run_cli(*args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m analysis ARGS`` to completion; return the completed process (text output)."""
    return subprocess.run(cli_args(*args), cwd=PROJ_ROOT, env=cli_env(**env), capture_output=True, text=True,
                          timeout=timeout, check=False)
