r"""Per-document parallelism: one function, many documents, same answer.

:func:`map_documents` applies a per-document function to a sequence of small
inputs (raw paths or article ids) and returns the results **in input order**,
so every output of the pipeline is byte-identical whatever ``n_jobs`` and
whatever the backend.  Workers receive only the small input and load the
document themselves, so the corpus is streamed from disk, never shipped
through the scheduler; the function must be a module-level function (or a
:func:`functools.partial` of one) so that it pickles.

Backends
--------
``"loky"`` (default)
    loky's reusable process pool on this machine (the one joblib uses): the
    workers start once, each loads the segmenter's dictionary and the
    lexicons once (:func:`_warm_worker`), and the same workers serve every
    per-document stage of a run, and every later run of the same process
    while the lexicons and ``$ANALYSIS_SEGMENTER`` are unchanged.  The items
    travel in chunks (about four per worker), not one task per document.
``"threading"``
    threads; useful only when the function releases the GIL.
``"dask"``
    joblib's Dask backend on a ``dask.distributed`` cluster (optional extra
    ``dask``).  With ``scheduler="tcp://host:8786"`` it connects to a running
    cluster, whose workers must have this package installed and see the same
    ``data/`` paths; with ``scheduler=None`` it starts a
    :class:`~dask.distributed.LocalCluster` (2 worker processes, 1 thread
    each) and closes it afterwards.

With :math:`n` documents of cost :math:`t_i` on :math:`p` workers the wall time
is about :math:`\max(\sum_i t_i / p, \max_i t_i)` plus a start-up cost (about
1 s for loky, 3-5 s for a local Dask cluster), so the parallel map pays off
only on corpora much larger than the five articles of the book.

With ``cache`` and ``keys`` (:class:`analysis.cache.DocumentCache`), results
already cached are read in this process and only the others are computed;
each worker stores what it computed, so a Dask cluster fills a shared cache
folder.  The result is the same list either way.

A per-document stage over the prepared corpus uses :func:`map_articles`,
which hands each worker one article id; the worker reads that article
(:func:`analysis.corpus.read_document`) and applies the function::

    from analysis.numbers import extract_numbers
    frames = map_articles(extract_numbers, processed_dir=out, raw_dir=raw, n_jobs=2)
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from analysis import config, segment

if TYPE_CHECKING:
    from analysis.cache import DocumentCache

__all__ = ["BACKENDS", "map_documents", "map_batches", "check_parallel_args"]

T = TypeVar("T")
R = TypeVar("R")

#: The accepted ``backend`` names.
BACKENDS = ("loky", "threading", "dask")
#: Chunks per worker in a local process pool: few enough to amortise the
#: per-task cost, enough to balance articles of unequal length.
CHUNKS_PER_WORKER = 4
#: A local map with at most this many items to compute runs in this process:
#: starting (or waking) workers costs more than a few documents (for example
#: the one new article of an incremental rebuild).
SMALL_MAP = 4
#: Seconds an idle reusable worker waits for the next stage before exiting.
IDLE_TIMEOUT = 600


def check_parallel_args(n_jobs: int, backend: str, scheduler: str | None = None) -> None:
    """Validate ``n_jobs``, ``backend`` and ``scheduler``.

    Parameters
    ----------
    n_jobs : int
        Number of workers: a positive integer, or ``-1`` for all cores (all
        workers of a Dask cluster).
    backend : {"loky", "threading", "dask"}
    scheduler : str, optional
        A Dask scheduler address; only valid with ``backend="dask"``.

    Raises
    ------
    ValueError
        If any argument is invalid.
    """
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or not (n_jobs >= 1 or n_jobs == -1):
        raise ValueError(f"n_jobs must be a positive integer or -1 (all cores), got {n_jobs!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if scheduler is not None:
        if backend != "dask":
            raise ValueError(f"scheduler={scheduler!r} needs backend='dask', got backend={backend!r}")
        if not isinstance(scheduler, str) or not scheduler:
            raise ValueError(f"scheduler must be an address such as 'tcp://host:8786', got {scheduler!r}")


@contextlib.contextmanager
def _dask_client(scheduler: str | None) -> Iterator[Any]:
    """A ``dask.distributed.Client``: connected to ``scheduler``, or to a temporary LocalCluster."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ImportError(
            "backend='dask' needs the optional extra 'dask': pip install .[dask]  (dask[distributed])"
        ) from exc
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _worker_fingerprint() -> str:
    """What a reused worker must share with this process: the lexicon files' state and the segmenter choice."""
    h = hashlib.sha256(os.environ.get("ANALYSIS_SEGMENTER", "").encode())
    for p in sorted(config.LEXICON_DIR.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()


def _warm_worker(fingerprint: str) -> None:
    """Worker initialiser: load the segmenter and its dictionary once, before the first chunk.

    ``fingerprint`` (:func:`_worker_fingerprint`) only keys the pool: a change
    of lexicon or segmenter starts fresh workers instead of reusing stale ones.
    """
    segment.content_tokens("来往和微信的竞争")


def _local_executor(n_jobs: int) -> Any:
    """The reusable loky executor with ``n_jobs`` warmed workers (created once, then reused)."""
    from joblib.externals.loky import cpu_count, get_reusable_executor

    workers = cpu_count() if n_jobs == -1 else n_jobs
    return get_reusable_executor(max_workers=workers, timeout=IDLE_TIMEOUT, initializer=_warm_worker,
                                 initargs=(_worker_fingerprint(),))


def _run_chunk(chunk: Sequence[Any], func: Callable[[Any], Any]) -> list[Any]:
    """Worker side of a chunked map: apply ``func`` to each item of a chunk, in order."""
    return [func(x) for x in chunk]


def _chunked(func: Callable[[T], R], items: list[T], n_jobs: int) -> Iterator[R]:
    """``func`` over ``items`` on the reusable process pool, in chunks; results in input order."""
    executor = _local_executor(n_jobs)
    size = max(1, math.ceil(len(items) / (executor._max_workers * CHUNKS_PER_WORKER)))
    futures = [executor.submit(_run_chunk, items[i:i + size], func) for i in range(0, len(items), size)]
    try:
        for fut in futures:
            yield from fut.result()
    finally:
        for fut in futures:
            fut.cancel()


def _cached_call(item: tuple[Any, str], func: Callable[[Any], Any], cache: DocumentCache) -> Any:
    """Worker side of a cached map: compute one result and store it under its key."""
    x, key = item
    value = func(x)
    cache.store(key, value)
    return value


def _cached(cache: DocumentCache, keys: Sequence[str]) -> dict[int, Any]:
    """The cached values among ``keys``: {position: value} for each key found."""
    hits: dict[int, Any] = {}
    for i, key in enumerate(keys):
        found, value = cache.load(key)
        if found:
            hits[i] = value
    return hits


def _compute(func: Callable[[T], R], items: list[T], n_jobs: int, backend: str,
             scheduler: str | None) -> Iterator[R]:
    """The results of ``func`` over ``items``, in order, lazily."""
    if not items:
        return iter(())
    if backend != "dask" and (n_jobs == 1 or len(items) <= SMALL_MAP):
        return (func(x) for x in items)
    if backend == "loky":
        return _chunked(func, items, n_jobs)

    from joblib import Parallel, delayed, parallel_config

    tasks = (delayed(func)(x) for x in items)
    if backend == "dask":
        def run_dask() -> Iterator[R]:
            with _dask_client(scheduler), parallel_config(backend="dask"):
                yield from Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
        return run_dask()
    return iter(Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")(tasks))


def map_documents(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    progress: Callable[[Iterable[R]], Iterable[R]] | None = None,
    cache: DocumentCache | None = None,
    keys: Sequence[str] | None = None,
) -> list[R]:
    """Apply a per-document function to every item, in parallel, in input order.

    Parameters
    ----------
    func : callable
        ``func(item) -> result``, a module-level function or a
        :func:`functools.partial` of one (it is pickled to the workers).  It
        should load the document itself from the small ``item`` (a path or an
        article id).  An exception it raises propagates; to collect errors
        instead, return them.
    items : iterable
        The inputs (materialised once, as a list).
    n_jobs : int, default 1
        Workers: a positive integer, or ``-1`` for all cores / all Dask
        workers.  ``1`` with a local backend runs in this process, as does a
        local map of at most :data:`SMALL_MAP` items to compute.
    backend : {"loky", "threading", "dask"}, default "loky"
        See the module docstring.
    scheduler : str, optional
        Dask scheduler address (``"tcp://host:8786"``); ``None`` with
        ``backend="dask"`` starts and closes a local cluster.
    progress : callable, optional
        Wraps the iterable of results as they arrive (for example a ``tqdm``
        factory); it must yield every item unchanged.
    cache : analysis.cache.DocumentCache, optional
        Where to look results up and store them; needs ``keys``.
    keys : sequence of str, optional
        The cache key of each item (:meth:`analysis.cache.DocumentCache.key`),
        which must cover everything that shapes ``func(item)``.

    Returns
    -------
    list
        ``[func(x) for x in items]``, whatever ``n_jobs`` and ``backend``.

    Raises
    ------
    ValueError
        If ``n_jobs``, ``backend`` or ``scheduler`` is invalid, or ``keys``
        does not match ``items``.
    ImportError
        If ``backend="dask"`` and dask is not installed (extra ``dask``).
    """
    check_parallel_args(n_jobs, backend, scheduler)
    if not callable(func):
        raise ValueError(f"func must be callable, got {type(func).__name__}")
    items = list(items)
    wrap = progress if progress is not None else (lambda it: it)
    if not items:
        return []
    if cache is None or keys is None or not cache.enabled:
        return list(wrap(_compute(func, items, n_jobs, backend, scheduler)))
    keys = list(keys)
    if len(keys) != len(items):
        raise ValueError(f"{len(keys)} cache keys for {len(items)} items")
    hits = _cached(cache, keys)
    todo = [(x, k) for i, (x, k) in enumerate(zip(items, keys, strict=True)) if i not in hits]
    computed = _compute(partial(_cached_call, func=func, cache=cache), todo, n_jobs, backend, scheduler)

    def merged() -> Iterator[R]:
        for i in range(len(items)):
            yield hits.pop(i) if i in hits else next(computed)

    return list(wrap(merged()))


def map_batches(
    func: Callable[[list[T]], list[R]],
    groups: Sequence[Sequence[T]],
    *,
    batch: int,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    cache: DocumentCache | None = None,
    keys: Sequence[str] | None = None,
) -> list[list[R]]:
    """Apply a row-wise batch function to groups of rows, cached group by group.

    For work that is cheap per row but costly per call (a fitted model's ``predict``): the
    groups still to compute are packed, in order, into batches of about ``batch`` rows, the
    batches are mapped over the workers (:func:`map_documents`), and each group's slice of the
    result is cached under its own key (stored by this process).

    Parameters
    ----------
    func : callable
        ``func(rows) -> results``, one result per row, each depending on its row only; a
        module-level function or a :func:`functools.partial` of one.
    groups : sequence of sequence
        The rows, in groups (for example one per article).
    batch : int
        Rows per call (a group larger than that is one call).
    n_jobs, backend, scheduler
        As in :func:`map_documents`.
    cache : analysis.cache.DocumentCache, optional
        Where each group's results are looked up and stored; needs ``keys``.
    keys : sequence of str, optional
        One key per group, covering ``func`` and the group's rows.

    Returns
    -------
    list of list
        ``[func(list(g)) for g in groups]``, whatever the batching, workers and cache.

    Raises
    ------
    ValueError
        If ``batch`` is not positive or ``keys`` does not match ``groups``.
    """
    if batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    use = cache is not None and keys is not None and cache.enabled
    if use and len(keys) != len(groups):  # type: ignore[arg-type]
        raise ValueError(f"{len(keys)} cache keys for {len(groups)} groups")  # type: ignore[arg-type]
    hits = _cached(cache, keys) if use else {}  # type: ignore[arg-type]
    out: list[list[R] | None] = [hits.get(i) for i in range(len(groups))]
    plan: list[list[int]] = []
    rows = 0
    for i in (i for i, v in enumerate(out) if v is None):
        if not plan or rows + len(groups[i]) > batch:
            plan.append([])
            rows = 0
        plan[-1].append(i)
        rows += len(groups[i])
    done = map_documents(func, [[x for i in b for x in groups[i]] for b in plan], n_jobs=n_jobs, backend=backend,
                         scheduler=scheduler)
    for b, res in zip(plan, done, strict=True):
        at = 0
        for i in b:
            out[i] = list(res[at:at + len(groups[i])])
            at += len(groups[i])
            if use:
                cache.store(keys[i], out[i])  # type: ignore[index,union-attr]
    return out  # type: ignore[return-value]
