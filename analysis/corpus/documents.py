"""The prepared articles, read back: one :class:`~analysis.corpus.document.Document` per record.

The ``prepare`` stage writes one JSON record per article (the catalogue's
``documents`` folder).  The later per-document stages read them here, one
article at a time, and :func:`map_articles` maps a function over them in
parallel, each worker loading its own article so that only ids travel, and
reuses the results cached for unchanged articles (:mod:`analysis.cache`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from analysis import cache as doc_cache
from analysis import catalog, config
from analysis.corpus.document import CorpusError, Document
from analysis.corpus.raw import decode_raw
from analysis.parallel import map_documents

__all__ = ["read_document", "iter_documents", "article_ids", "map_articles"]

R = TypeVar("R")


def _records_dir(processed_dir: Path | str | None) -> Path:
    return catalog.path("documents", Path(processed_dir) if processed_dir else None)


def read_document(article_id: str, *, processed_dir: Path | None = None, raw_dir: Path | None = None) -> Document:
    """Load a prepared article: its clean record plus its raw text.

    Parameters
    ----------
    article_id : str
    processed_dir, raw_dir : pathlib.Path, optional
        Defaults from :mod:`analysis.config`.

    Returns
    -------
    Document

    Raises
    ------
    analysis.catalog.MissingArtefact
        If ``prepare`` has not written the record.
    CorpusError
        If the raw file changed since ``prepare``.
    """
    raw_dir = Path(raw_dir or config.RAW_DIR)
    rec_path = _records_dir(processed_dir) / f"{article_id}.json"
    if not rec_path.exists():
        raise catalog.MissingArtefact(f"{rec_path} is missing: run `python -m analysis prepare` first")
    record = json.loads(rec_path.read_text(encoding="utf-8"))
    raw_path = raw_dir / f"{article_id}.txt"
    data = raw_path.read_bytes()
    doc = Document.from_record(record, decode_raw(raw_path, data))
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise CorpusError(raw_path, "raw file changed since `prepare`: rerun `python -m analysis prepare`")
    return doc


def article_ids(processed_dir: Path | str | None = None) -> list[str]:
    """The ids of the prepared articles, sorted.

    Parameters
    ----------
    processed_dir : pathlib.Path, optional
        The processed folder (default :data:`analysis.config.PROCESSED_DIR`).

    Returns
    -------
    list of str

    Raises
    ------
    analysis.catalog.MissingArtefact
        If ``prepare`` has not been run.
    """
    art_dir = _records_dir(processed_dir)
    if not art_dir.is_dir():
        raise catalog.MissingArtefact(f"{art_dir} is missing: run `python -m analysis prepare` first")
    return sorted(p.stem for p in art_dir.glob("*.json"))


def iter_documents(*, processed_dir: Path | None = None, raw_dir: Path | None = None) -> Iterator[Document]:
    """Every prepared article, sorted by id, one at a time (streaming).

    Parameters
    ----------
    processed_dir, raw_dir : pathlib.Path, optional
        Defaults from :mod:`analysis.config`.

    Yields
    ------
    Document
        One prepared article, its raw text read back from ``raw_dir``.

    Raises
    ------
    analysis.catalog.MissingArtefact
        If ``prepare`` has not been run.
    CorpusError
        If a raw file changed since ``prepare``.
    """
    for aid in article_ids(processed_dir):
        yield read_document(aid, processed_dir=processed_dir, raw_dir=raw_dir)


def _apply_to_article(article_id: str, func: Callable[[Any], R], processed_dir: Path, raw_dir: Path) -> R:
    """Worker side of :func:`map_articles`: load one article, apply ``func``."""
    return func(read_document(article_id, processed_dir=processed_dir, raw_dir=raw_dir))


def map_articles(
    func: Callable[[Any], R],
    *,
    processed_dir: Path | str | None = None,
    raw_dir: Path | str | None = None,
    ids: Iterable[str] | None = None,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    progress: Callable[[Iterable[R]], Iterable[R]] | None = None,
    cache: doc_cache.ScopedCache | None | bool = True,
) -> list[R]:
    """Apply ``func(document)`` to every prepared article; each worker loads its own.

    With a cache, the result for an article is keyed by its raw file's
    SHA-256 and id, the code of ``func``'s module and of the ``prepare`` stage
    (which wrote the record), and the cache's lexicon files; cached results
    are reused and only the other articles are loaded and computed.

    Parameters
    ----------
    func : callable
        ``func(doc: Document) -> result``, module-level (picklable).
    processed_dir, raw_dir : pathlib.Path, optional
        Where ``prepare`` wrote the records, and the raw files.  On a Dask
        cluster both must be readable by every worker at the same path.
    ids : iterable of str, optional
        Article ids; default every prepared article, sorted.
    n_jobs, backend, scheduler, progress
        As in :func:`analysis.parallel.map_documents`.
    cache : analysis.cache.ScopedCache, bool or None, default True
        ``True``: the cache the stage runner activated
        (:func:`analysis.cache.current`; none outside a run); ``None`` or
        ``False``: no cache.  A function outside this package is never cached.

    Returns
    -------
    list
        One result per article, in ``ids`` order.
    """
    processed_dir = Path(processed_dir or config.PROCESSED_DIR)
    raw_dir = Path(raw_dir or config.RAW_DIR)
    ids = article_ids(processed_dir) if ids is None else list(ids)
    worker = partial(_apply_to_article, func=func, processed_dir=processed_dir, raw_dir=raw_dir)
    scoped = doc_cache.current() if cache is True else (cache or None)
    store, keys = None, None
    if scoped is not None and scoped.store.enabled:
        try:
            version = scoped.version(func, modules=("analysis.corpus.stage",))
        except ValueError:  # not a function of this package: its code version is unknown
            version = None
        if version is not None:
            store = scoped.store
            keys = [store.key(version, doc_cache.file_sha256(raw_dir / f"{aid}.txt"), aid) for aid in ids]
    return map_documents(worker, ids, n_jobs=n_jobs, backend=backend, scheduler=scheduler, progress=progress,
                         cache=store, keys=keys)
