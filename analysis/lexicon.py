"""The hand-made data of ``data/lexicon``: one cached, validated loader per file.

Every file under ``data/lexicon`` is read here and nowhere else.  A loader
parses its file, checks its shape and returns plain Python data (tuples and
dicts); the modules that use a lexicon turn it into their own structures.  A
bad file raises :class:`LexiconError`, which names the file and the line:

* YAML that does not parse: the line and column the parser stopped at;
* a YAML entry of the wrong shape: the line where that entry starts;
* a malformed line of a line-based file (``userdict.txt``, ``boilerplate.txt``...).

Loaders are cached; :func:`clear_cache` empties every cache (tests that
write a lexicon call it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from analysis import config

__all__ = [
    "LexiconError",
    "read_yaml",
    "read_lines",
    "line_of",
    "clear_cache",
    "strategies",
]

F = TypeVar("F", bound=Callable[..., Any])
_CACHED: list[Any] = []


class LexiconError(ValueError):
    """A file of ``data/lexicon`` is malformed.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    line : int or None
        The 1-based line of the problem, where known.
    problem : str
        What is wrong.
    """

    def __init__(self, path: Path, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = Path(path), problem, line
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {problem}")


def _cached(func: F) -> F:
    wrapped = functools.lru_cache(maxsize=8)(func)
    _CACHED.append(wrapped)
    return wrapped  # type: ignore[return-value]


def clear_cache() -> None:
    """Forget every loaded lexicon (after a test or a user edits one)."""
    for f in _CACHED:
        f.cache_clear()


class _Loader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping and sequence it builds."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> list:
    seq = _LineList(loader.construct_sequence(node, deep=True))
    seq.line = node.start_mark.line + 1
    return seq


class _LineDict(dict):
    line: int | None = None


class _LineList(list):
    line: int | None = None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def line_of(value: Any) -> int | None:
    """The 1-based line where a mapping or list read by :func:`read_yaml` starts (else ``None``)."""
    return getattr(value, "line", None)


def read_yaml(path: Path, *, top: str | None = None) -> Any:
    """Parse a YAML lexicon, with the line of any syntax error.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    top : str, optional
        A key the top-level mapping must have; its value is returned.

    Returns
    -------
    object
        The parsed document (mappings and lists remember their line: see :func:`line_of`).

    Raises
    ------
    LexiconError
        If the file is missing, is not UTF-8, does not parse, or lacks ``top``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(path, "file is missing") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise LexiconError(path, "not valid UTF-8", line) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 -- a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        raise LexiconError(path, f"YAML does not parse: {err.problem or err.context}", line) from None
    except yaml.YAMLError as err:
        raise LexiconError(path, f"YAML does not parse: {err}") from None
    if top is not None:
        if not isinstance(data, dict) or top not in data:
            raise LexiconError(path, f"expected a top-level mapping with the key {top!r}", 1)
        return data[top]
    return data


_COMMENT = re.compile(r"^\s*(#|$)")


def read_lines(path: Path, check: Callable[[str], str | None] | None = None) -> list[tuple[int, str]]:
    """Read a line-based lexicon: non-blank, non-comment lines with their numbers.

    Parameters
    ----------
    path : pathlib.Path
    check : callable, optional
        ``check(line) -> problem or None``; a problem raises :class:`LexiconError` at that line.

    Returns
    -------
    list of (int, str)
        ``(line number, stripped line)``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(path, "file is missing") from None
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise LexiconError(path, "not valid UTF-8", line) from None
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        if _COMMENT.match(line):
            continue
        stripped = line.strip()
        if check is not None:
            problem = check(stripped)
            if problem:
                raise LexiconError(path, problem, i)
        out.append((i, stripped))
    return out


def _require(path: Path, entry: Any, key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(entry, dict):
        raise LexiconError(path, f"{what}: expected a mapping, got {type(entry).__name__}", line_of(entry))
    if key not in entry:
        raise LexiconError(path, f"{what}: missing key {key!r}", line_of(entry))
    value = entry[key]
    if not isinstance(value, kind):
        raise LexiconError(path, f"{what}: {key!r} should be {getattr(kind, '__name__', kind)}", line_of(entry))
    return value


STRATEGIES_FILE: Path = config.STRATEGIES_FILE


@_cached
def strategies(path: Path = STRATEGIES_FILE) -> tuple[dict[str, Any], ...]:
    """The strategy codebook (``strategies.yaml``): ``id, name, seeds, gloss, outcome`` per strategy.

    Raises
    ------
    LexiconError
        On a missing key, a duplicate id or a seed list that is not a list.
    """
    path = Path(path)
    data = read_yaml(path, top="strategies")
    if not isinstance(data, list):
        raise LexiconError(path, "'strategies' should be a list", line_of(data))
    seen: set[str] = set()
    out = []
    for i, s in enumerate(data):
        sid = _require(path, s, "id", str, f"strategy #{i + 1}")
        if sid in seen:
            raise LexiconError(path, f"duplicate strategy id {sid!r}", line_of(s))
        seen.add(sid)
        _require(path, s, "name", str, f"strategy {sid!r}")
        seeds = _require(path, s, "seeds", list, f"strategy {sid!r}")
        out.append({**dict(s), "seeds": [str(x) for x in seeds]})
    return tuple(out)
