"""The pipeline stages, each a function from files on disk to files on disk.

Every stage reads ``data/raw`` or earlier stages' outputs in
``data/processed`` and writes its own outputs atomically (see
:mod:`analysis._io`).  A stage that fails leaves ``data/processed`` exactly as
it was.  The CLI (:mod:`analysis.cli`) and ``make book`` run them in order.

``prepare`` loads and cleans the files through
:func:`analysis.parallel.map_documents` (``n_jobs``, ``backend``,
``scheduler``): each worker reads one raw file and returns its finished JSON
record, and the duplicate checks then run sequentially in file order, so the
outputs are byte-identical whatever the parallelism.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import _io, settings
from .corpus import REPORT_KEYS, CorpusError, Document, _squash, load_article, raw_paths
from .parallel import check_parallel_args, map_documents

__all__ = ["StageResult", "prepare", "corpus_table"]


@dataclass(frozen=True)
class StageResult:
    """What a stage did: its name, the files it wrote, and a one-line summary."""

    name: str
    outputs: tuple[Path, ...]
    summary: str


def _table_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = {k: rec[k] for k in ("article_id", "title", "author", "source", "url", "date", "script")}
    row |= {"n_chars_raw": rec["n_chars_raw"], "n_chars_clean": rec["n_chars_clean"]}
    row |= {f"removed_{k}" if not k.endswith("_changed") else k: v for k, v in rec["cleaning_report"].items()}
    return row


def corpus_table(docs: list[Document] | list[dict[str, Any]]) -> pd.DataFrame:
    """One row per article: metadata, sizes and the cleaning report.

    Parameters
    ----------
    docs : list of Document, or list of dict
        Documents, or their :meth:`~analysis.corpus.Document.to_record` records.
    """
    return _table_frame([_table_row(d if isinstance(d, dict) else d.to_record()) for d in docs])


def _table_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cols = ["article_id", "title", "author", "source", "url", "date", "script", "n_chars_raw", "n_chars_clean"]
    cols += [f"removed_{k}" if not k.endswith("_changed") else k for k in REPORT_KEYS]
    return pd.DataFrame(rows, columns=cols).sort_values("article_id", ignore_index=True)


@dataclass(frozen=True)
class _Prepared:
    """What a worker sends back for one raw file: small, and ready to write."""

    name: str
    article_id: str
    sha256: str
    text_key: str
    n_chars: int
    json_text: str
    row: dict[str, Any]


@dataclass(frozen=True)
class _Failed:
    """A bad file, as sent back by a worker (``CorpusError`` itself does not unpickle)."""

    path: Path
    problem: str


def _prepare_one(path: Path) -> _Prepared | _Failed:
    """Load, clean and serialise one raw file (runs in a worker).

    A bad file is returned, not raised, so that the caller reports errors in
    file order whatever the parallelism.
    """
    try:
        doc = load_article(path)
    except CorpusError as err:
        return _Failed(err.path, err.problem)
    rec = doc.to_record()
    return _Prepared(
        name=Path(path).name,
        article_id=doc.article_id,
        sha256=doc.sha256,
        # the duplicate check compares whitespace-free texts; a hash keeps the parent small
        text_key=hashlib.sha256(_squash(doc.text).encode("utf-8")).hexdigest(),
        n_chars=len(doc.text),
        json_text=_io.dumps_json(rec),
        row=_table_row(rec),
    )


def _check_duplicates(
    results: list[_Prepared | _Failed],
    *,
    skip_bad: bool,
    warn: Callable[[CorpusError], None] | None,
) -> tuple[list[_Prepared], list[CorpusError]]:
    """Reject bad files and duplicates, sequentially in file order (as ``load_corpus`` does)."""
    good: list[_Prepared] = []
    errors: list[CorpusError] = []
    by_hash: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for res in results:
        err = CorpusError(res.path, res.problem) if isinstance(res, _Failed) else None
        if err is None:
            other = by_hash.get(res.sha256) or by_text.get(res.text_key)
            if other is not None:
                err = CorpusError(Path(res.name), f"duplicate article: same content as {other}")
        if err is not None:
            if not skip_bad:
                raise err
            errors.append(err)
            if warn is not None:
                warn(err)
            continue
        by_hash[res.sha256] = res.name
        by_text[res.text_key] = res.name
        good.append(res)
    return good, errors


def prepare(
    raw_dir: Path = settings.RAW_DIR,
    out_dir: Path = settings.PROCESSED_DIR,
    *,
    skip_bad: bool = False,
    progress: Callable | None = None,
    warn: Callable[[CorpusError], None] | None = None,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
) -> StageResult:
    """Ingest every raw article into a clean record.

    Writes ``articles/<id>.json`` per article and ``corpus.csv``.  Either
    every file is replaced or none is: all articles are validated first.
    The outputs are byte-identical whatever ``n_jobs``, ``backend`` and
    ``scheduler``.

    Parameters
    ----------
    raw_dir, out_dir : pathlib.Path
    skip_bad : bool
        Skip bad files with a warning instead of failing.
    progress : callable, optional
        Wraps the iterable of loaded files as they arrive (for example ``tqdm``).
    warn : callable, optional
        Receives each skipped :class:`~analysis.corpus.CorpusError`.
    n_jobs : int, default 1
        Workers for the per-file load and clean (``-1``: all cores).
    backend : {"loky", "threading", "dask"}, default "loky"
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); see :mod:`analysis.parallel`.

    Raises
    ------
    CorpusError
        On the first bad article in file order, unless ``skip_bad``.
    ValueError
        If ``n_jobs``, ``backend`` or ``scheduler`` is invalid.
    """
    check_parallel_args(n_jobs, backend, scheduler)
    paths = raw_paths(Path(raw_dir))
    if not paths:
        raise CorpusError(Path(raw_dir), "no article files (*.txt) found")
    results = map_documents(
        _prepare_one, paths, n_jobs=n_jobs, backend=backend, scheduler=scheduler, progress=progress
    )
    docs, errors = _check_duplicates(results, skip_bad=skip_bad, warn=warn)
    del results
    if not docs:
        raise CorpusError(Path(raw_dir), "no usable articles (every file was skipped)")
    out_dir = Path(out_dir)
    art_dir = out_dir / "articles"
    outputs = [(art_dir / f"{d.article_id}.json", d.json_text) for d in docs]
    outputs.append((out_dir / "corpus.csv", _io.frame_to_csv_text(_table_frame([d.row for d in docs]))))
    written = _io.write_all_or_nothing(outputs)
    keep = {f"{d.article_id}.json" for d in docs}
    for stale in art_dir.glob("*.json"):
        if stale.name not in keep:
            stale.unlink()
    n_chars = sum(d.n_chars for d in docs)
    summary = f"prepare: {len(docs)} articles, {n_chars:,} clean chars" + (
        f", {len(errors)} skipped" if errors else ""
    )
    return StageResult("prepare", tuple(written), summary)
