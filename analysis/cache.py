"""The per-document result cache: content-addressed, so that adding one article recomputes one article.

A per-document result (one article's cleaned record, its figures, its typed
sentences, its topic tokens) depends on three things only: the bytes of the
article, the code that computed it, and the lexicon files that code read.  The
cache key of a result is the SHA-256 of all three:

* the **content**: the raw file's SHA-256 and its name (the article id is the
  file name), or, for a corpus-level stage that reuses per-article work, the
  SHA-256 of the article's input (for example its sentences);
* the **code version** (:func:`code_version`): the SHA-256 of the source of
  every module of :mod:`analysis` that the per-document function's module
  imports, transitively (found by reading the ``import`` statements, so a
  change to an unrelated module does not invalidate anything), plus the
  versions of the Python libraries that shape the results (jieba, rjieba,
  pandas, numpy), the Python version and the segmenter in use;
* the **lexicon version**: the SHA-256 of each lexicon file the stage declares
  it reads (``Stage.lexicons`` in :mod:`analysis.stages`).

Entries live under ``config.CACHE_DIR / "documents"`` (``$ANALYSIS_CACHE_DIR``),
one file per key (``ab/abcdef....pkl``).  Each file holds a header with the
SHA-256 of its payload, checked on every read: a truncated or corrupted entry
is reported, deleted and recomputed, never trusted.  Writes go to a temporary
file in the same folder and are renamed into place (:func:`os.replace`), so
concurrent runs (or Dask workers sharing the folder) never see a half-written
entry; two runs that compute the same key write the same bytes.  The payload
is a pickle (protocol 5) of the result, and nothing in it depends on the run:
the same result gives the same bytes.

The cache never changes an output: a hit returns exactly what the function
returned when the entry was written, and every key covers all that shaped it.
``python -m analysis all --no-cache`` (``run(..., cache=False)``) bypasses it.

Usage::

    store = DocumentCache()                       # rooted in config.CACHE_DIR
    version = store.version(extract_numbers, lexicons=[config.NUMBERS_FILE])
    key = store.key(version, raw_sha256, "001_article")
    hit, value = store.load(key)
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config, segment
from analysis._io import atomic_write_bytes

__all__ = ["CACHE_FORMAT", "DocumentCache", "code_version", "module_closure", "file_sha256", "content_sha256",
           "activate", "current", "func_module"]

#: Bumped when the entry layout or the key recipe changes (invalidates every entry).
CACHE_FORMAT = 1
_MAGIC = b"analysis-cache 1\n"
#: Libraries whose version shapes per-document results.
_LIBRARIES = ("jieba", "rjieba", "pandas", "numpy", "scipy", "scikit-learn")


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, hex.

    Parameters
    ----------
    path : pathlib.Path or str

    Returns
    -------
    str
        ``"missing"`` if the file does not exist (so that creating it changes the key).
    """
    p = Path(path)
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def content_sha256(value: Any) -> str:
    """The SHA-256 of a value's pickle, hex: the content key of an input that is not a file.

    Parameters
    ----------
    value : object
        Plain data (lists, tuples, dicts, strings, numbers), built the same way each run: equal
        values then pickle to the same bytes.  (A value that pickles differently only misses the
        cache; it never reads another value's entry.)

    Returns
    -------
    str
    """
    return hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()


def _module_file(name: str) -> Path | None:
    """The source file of module ``name`` of this package, or ``None`` if it is not one."""
    if name != "analysis" and not name.startswith("analysis."):
        return None
    base = config.PROJ_ROOT / Path(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _imports(name: str, path: Path) -> set[str]:
    """The modules of this package that module ``name`` (at ``path``) imports, anywhere in its source."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = name.split(".")
                base = parts if is_pkg else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = {f"{mod}.{a.name}" for a in node.names if _module_file(f"{mod}.{a.name}") is not None}
            out.update(subs)
            # `from pkg import name` runs pkg/__init__; it shapes the result only if a name
            # comes from it rather than from a submodule (the flat `analysis` API re-exports all)
            if len(subs) < len(node.names):
                out.add(mod)
    return {m for m in out if _module_file(m) is not None}


@functools.cache
def module_closure(name: str) -> tuple[str, ...]:
    """Every module of this package that ``name`` imports, transitively, ``name`` included; sorted.

    Parameters
    ----------
    name : str
        A dotted module name of :mod:`analysis`.

    Returns
    -------
    tuple of str

    Raises
    ------
    ValueError
        If ``name`` is not a module of this package.
    """
    if _module_file(name) is None:
        raise ValueError(f"{name!r} is not a module of the analysis package")
    seen: set[str] = set()
    todo = [name]
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        todo.extend(_imports(mod, _module_file(mod)) - seen)  # type: ignore[arg-type]
    return tuple(sorted(seen))


def _library_versions() -> str:
    from importlib import metadata

    parts = [f"python {sys.version_info.major}.{sys.version_info.minor}"]
    for lib in _LIBRARIES:
        try:
            parts.append(f"{lib} {metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{lib} -")
    return "; ".join(parts)


def code_version(modules: Iterable[str]) -> str:
    """The SHA-256 of the source of ``modules`` and every module of this package they import.

    Parameters
    ----------
    modules : iterable of str
        Dotted module names of :mod:`analysis`.

    Returns
    -------
    str
        Hex digest; it changes when any byte of any module in the closure changes.
    """
    names = sorted({m for name in modules for m in module_closure(name)})
    h = hashlib.sha256()
    for m in names:
        h.update(m.encode() + b"\0" + hashlib.sha256(_module_file(m).read_bytes()).digest())  # type: ignore[union-attr]
    return h.hexdigest()


def func_module(func: Callable[..., Any]) -> str:
    """The module of a per-document function (through :func:`functools.partial`).

    Raises
    ------
    ValueError
        If the function is not defined in this package (its code version is unknown).
    """
    while isinstance(func, functools.partial):
        func = func.func
    name = getattr(func, "__module__", None) or ""
    if name == "__main__" or _module_file(name) is None:
        raise ValueError(f"cannot version {func!r}: it is not a module-level function of the analysis package")
    return name


def _settings() -> str:
    """The run settings that shape per-document results: the segmenter asked for.

    The choice as given (``$ANALYSIS_SEGMENTER``, default ``auto``), not as
    resolved: resolving it loads the dictionary, and both segmenters give the
    same tokens (the identity check of :mod:`analysis.segment`); the rjieba
    version is part of the library versions.
    """
    return f"segmenter {os.environ.get(segment.SEGMENTER_ENV) or segment.DEFAULT_SEGMENTER}"


@dataclass(frozen=True)
class DocumentCache:
    """A folder of per-document results, keyed by content, code and lexicon versions.

    Attributes
    ----------
    root : pathlib.Path
        The entries' folder (default ``config.CACHE_DIR / "documents"``, read
        when the cache is created).
    enabled : bool
        ``False`` makes every lookup a miss and every store a no-op.
    """

    root: Path = field(default_factory=lambda: Path(config.CACHE_DIR) / "documents")
    enabled: bool = True

    def version(self, func: Callable[..., Any], *, lexicons: Sequence[Path | str] = (),
                modules: Sequence[str] = ()) -> str:
        """The version of a per-document function: its code closure, its lexicons and the settings.

        Parameters
        ----------
        func : callable
            A module-level function of this package (or a partial of one).
        lexicons : sequence of path
            The lexicon files the function reads.
        modules : sequence of str
            Other modules whose code shaped the function's input (for example
            the ``prepare`` stage, which wrote the records it reads).

        Returns
        -------
        str
            Hex digest.
        """
        inner = func
        while isinstance(inner, functools.partial):
            inner = inner.func
        h = hashlib.sha256(f"format {CACHE_FORMAT}\0{func_module(func)}.{inner.__qualname__}\0".encode())
        h.update(code_version([func_module(func), *modules]).encode())
        for p in sorted(str(p) for p in lexicons):
            h.update(f"\0{Path(p).name}\0{file_sha256(p)}".encode())
        h.update(f"\0{_library_versions()}\0{_settings()}".encode())
        return h.hexdigest()

    @staticmethod
    def key(version: str, content_sha256: str, name: str = "") -> str:
        """The key of one result: the function's version, the input's SHA-256 and its name.

        Returns
        -------
        str
            64 hex digits.
        """
        return hashlib.sha256(f"{version}\0{content_sha256}\0{name}".encode()).hexdigest()

    @staticmethod
    def content_key(version: str, content: Any, name: str = "") -> str:
        """The key of a result computed from an in-memory value rather than a file.

        Parameters
        ----------
        version : str
            :meth:`version` of the function.
        content : object
            Everything else that shapes the result, as plain data (see :func:`content_sha256`).
        name : str
            A readable name (an article id).

        Returns
        -------
        str
            ``key(version, content_sha256(content), name)``.
        """
        return DocumentCache.key(version, content_sha256(content), name)

    def path(self, key: str) -> Path:
        """The file of entry ``key`` (``root/ab/abcd....pkl``).

        Returns
        -------
        pathlib.Path
        """
        return self.root / key[:2] / f"{key}.pkl"

    def load(self, key: str) -> tuple[bool, Any]:
        """Read entry ``key``, checking its hash.

        Returns
        -------
        (bool, object)
            ``(True, value)`` on a hit; ``(False, None)`` on a miss, or when the
            entry is corrupt (it is then deleted, so that it is recomputed).
        """
        if not self.enabled:
            return False, None
        p = self.path(key)
        try:
            data = p.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return False, None
        head = len(_MAGIC) + 65
        digest = data[len(_MAGIC):head - 1].decode("ascii", "replace")
        payload = data[head:]
        if (not data.startswith(_MAGIC) or data[head - 1:head] != b"\n"
                or hashlib.sha256(payload).hexdigest() != digest):
            print(f"warning: corrupt cache entry {p} (hash mismatch): recomputed", file=sys.stderr)
            with contextlib.suppress(OSError):
                p.unlink()
            return False, None
        return True, pickle.loads(payload)

    def store(self, key: str, value: Any) -> None:
        """Write entry ``key`` atomically (temporary file, then rename); a no-op when disabled."""
        if not self.enabled:
            return
        payload = pickle.dumps(value, protocol=5)
        data = _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload
        atomic_write_bytes(self.path(key), data)

    def keys(self) -> list[str]:
        """The keys of every entry, sorted (for tests and reports)."""
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*/*.pkl"))

    def scoped(self, lexicons: Sequence[Path | str]) -> ScopedCache:
        """This cache with the lexicon files of one stage (see :class:`ScopedCache`)."""
        return ScopedCache(self, tuple(Path(p) for p in lexicons))


@dataclass(frozen=True)
class ScopedCache:
    """A :class:`DocumentCache` with the lexicon files one stage's per-document work reads.

    The stage runner activates one per stage (:func:`activate`), so that the
    per-document maps (:func:`analysis.corpus.documents.map_articles`) key their
    results by those files.
    """

    store: DocumentCache
    lexicons: tuple[Path, ...] = ()

    def version(self, func: Callable[..., Any], modules: Sequence[str] = (),
                lexicons: Sequence[Path | str] = ()) -> str:
        """:meth:`DocumentCache.version` with this stage's lexicons (plus ``lexicons``)."""
        return self.store.version(func, lexicons=(*self.lexicons, *lexicons), modules=modules)


_ACTIVE: contextvars.ContextVar[ScopedCache | None] = contextvars.ContextVar("analysis_cache", default=None)


@contextlib.contextmanager
def activate(cache: ScopedCache | None) -> Iterator[None]:
    """Make ``cache`` the one the per-document maps use, inside the ``with`` block.

    Parameters
    ----------
    cache : ScopedCache or None
        ``None`` turns caching off inside the block.

    Yields
    ------
    None
    """
    token = _ACTIVE.set(cache)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def current() -> ScopedCache | None:
    """The cache activated by the stage runner.

    Returns
    -------
    ScopedCache or None
        ``None`` outside a run, or when the run's cache is off.
    """
    return _ACTIVE.get()
