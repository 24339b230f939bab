"""What a stage receives besides its input frames, and what a run reports.

Kept apart from :mod:`analysis.stages` (the runner, which imports every
stage) so that the stage modules can name these types without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.cache import ScopedCache

__all__ = ["Context", "StageResult"]


@dataclass(frozen=True)
class Context:
    """The run's settings, passed to every stage.

    Attributes
    ----------
    processed_dir : pathlib.Path
        The staging copy of ``data/processed`` that this run writes; the
        per-document stages' workers read the article records from it.
    raw_dir : pathlib.Path
        The raw articles.
    book_dir : pathlib.Path
        The book's sources (the article pages go to ``book_dir / "articles"``).
    n_jobs, backend, scheduler
        The parallel map (see :mod:`analysis.parallel`).
    skip_bad : bool
        Skip bad raw files with a warning instead of failing.
    progress : callable, optional
        Wraps the iterable of per-document results.
    warn : callable, optional
        Receives each skipped file's error.
    cache : analysis.cache.ScopedCache, optional
        The per-document result cache, with this stage's lexicon files
        (``None`` when caching is off); a corpus-level stage may key
        per-article work with it.
    """

    processed_dir: Path
    raw_dir: Path
    book_dir: Path
    n_jobs: int = 1
    backend: str = "loky"
    scheduler: str | None = None
    skip_bad: bool = False
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None
    warn: Callable[[Exception], None] | None = None
    cache: ScopedCache | None = None


@dataclass(frozen=True)
class StageResult:
    """What a stage did: its name, the files it wrote, and a one-line summary."""

    name: str
    outputs: tuple[Path, ...]
    summary: str
