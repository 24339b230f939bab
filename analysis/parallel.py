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
    joblib's process pool on this machine.
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

A per-document stage over the prepared corpus uses :func:`map_articles`,
which hands each worker one article id; the worker reads that article
(:func:`analysis.corpus.read_document`) and applies the function::

    from analysis.numbers import extract_numbers
    frames = map_articles(extract_numbers, processed_dir=out, raw_dir=raw, n_jobs=2)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["BACKENDS", "map_documents", "check_parallel_args"]

T = TypeVar("T")
R = TypeVar("R")

#: The accepted ``backend`` names.
BACKENDS = ("loky", "threading", "dask")


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


def map_documents(
    func: Callable[[T], R],
    items: Iterable[T],
    *,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    progress: Callable[[Iterable[R]], Iterable[R]] | None = None,
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
        workers.  ``1`` with a local backend runs in this process.
    backend : {"loky", "threading", "dask"}, default "loky"
        See the module docstring.
    scheduler : str, optional
        Dask scheduler address (``"tcp://host:8786"``); ``None`` with
        ``backend="dask"`` starts and closes a local cluster.
    progress : callable, optional
        Wraps the iterable of results as they arrive (for example a ``tqdm``
        factory); it must yield every item unchanged.

    Returns
    -------
    list
        ``[func(x) for x in items]``, whatever ``n_jobs`` and ``backend``.

    Raises
    ------
    ValueError
        If ``n_jobs``, ``backend`` or ``scheduler`` is invalid.
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
    if backend != "dask" and (n_jobs == 1 or len(items) == 1):
        return list(wrap(func(x) for x in items))

    from joblib import Parallel, delayed, parallel_config

    tasks = (delayed(func)(x) for x in items)
    if backend == "dask":
        with _dask_client(scheduler), parallel_config(backend="dask"):
            return list(wrap(Parallel(n_jobs=n_jobs, return_as="generator")(tasks)))
    return list(wrap(Parallel(n_jobs=n_jobs, backend=backend, return_as="generator")(tasks)))
