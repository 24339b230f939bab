"""Reading the files of ``data/lexicon``: the error, the readers and the cache every loader shares.

This module reads no lexicon of its own.  It holds what the loaders of
:mod:`analysis.lexicon` have in common:

* :class:`LexiconError`, which names the file and the 1-based line of a problem;
* :func:`read_yaml` (a safe YAML loader whose mappings and lists remember the
  line they start on, see :func:`line_of`), :func:`read_lines` (line-based
  files) and ``_read_csv`` (the label CSVs, with the line of each row);
* the small shape checks of YAML entries (``_require``, ``_mapping``,
  ``_words``...), which raise a :class:`LexiconError` at the entry's line;
* the loader cache: ``_cached`` registers a loader, :func:`clear_cache`
  empties every registered loader's cache, whichever module defines it.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

__all__ = ["LexiconError", "read_yaml", "read_lines", "line_of", "clear_cache"]

F = TypeVar("F", bound=Callable[..., Any])
_CACHED: list[Any] = []


class LexiconError(ValueError):
    """A file of ``data/lexicon`` is malformed; the message is ``path:line: problem``.

    Parameters
    ----------
    path : pathlib.Path or str
        The file.
    problem : str
        What is wrong.
    line : int, optional
        The 1-based line of the problem, where known.

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


def _plain(value: Any) -> Any:
    """Mappings and lists as read by :func:`read_yaml`, as plain dicts and tuples."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _node_line(path: Path, *keys: str | int) -> int | None:
    """The 1-based line of the YAML entry at ``keys`` (mapping keys and list indices), else ``None``.

    The line of the last key when it is a mapping key (``priority:``), else
    of the list item.  For errors about a scalar or a section, whose line
    :func:`line_of` cannot give; it re-reads the file, which only happens on
    the way to an error.
    """
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        mark = node.start_mark
        for key in keys:
            if isinstance(key, int):
                node = node.value[key]
                mark = node.start_mark
            else:
                key_node, node = next((k, v) for k, v in node.value if k.value == key)
                mark = key_node.start_mark
        return mark.line + 1
    except (OSError, yaml.YAMLError, StopIteration, IndexError, AttributeError, TypeError, ValueError):
        return None


def _mapping(path: Path, value: Any, where: str, keys: tuple[str | int, ...]) -> dict:
    if not isinstance(value, dict):
        raise LexiconError(path, f"{where} should be a mapping, got {type(value).__name__}",
                           line_of(value) or _node_line(path, *keys))
    for k in value:
        if not isinstance(k, str):
            raise LexiconError(path, f"{where}: key {k!r} should be a string", _node_line(path, *keys))
    return value


def _words(path: Path, value: Any, where: str, keys: tuple[str | int, ...]) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list):
        raise LexiconError(path, f"{where} should be a list of words, got {type(value).__name__}",
                           line_of(value) or _node_line(path, *keys))
    for i, word in enumerate(value):
        if not isinstance(word, str) or not word:
            raise LexiconError(path, f"{where}: item {i + 1} ({word!r}) should be a non-empty string",
                               _node_line(path, *keys, i) or line_of(value))
    return tuple(value)


def _word_map(path: Path, value: Any, where: str, keys: tuple[str | int, ...]) -> dict[str, tuple[str, ...]]:
    """A mapping of words to lists of words."""
    _mapping(path, value, where, keys)
    return {k: _words(path, v, f"{where}.{k}", (*keys, k)) for k, v in value.items()}


def _str_map(path: Path, value: Any, where: str, keys: tuple[str | int, ...]) -> dict[str, str]:
    """A mapping of words to strings."""
    _mapping(path, value, where, keys)
    for k, v in value.items():
        if not isinstance(v, str) or not v:
            raise LexiconError(path, f"{where}.{k} should be a non-empty string, got {v!r}",
                               _node_line(path, *keys, k) or line_of(value))
    return dict(value)


def _known_keys(path: Path, value: dict, allowed: tuple[str, ...], where: str, keys: tuple[str | int, ...]) -> None:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise LexiconError(path, f"{where}: unknown key {unknown[0]!r} (expected some of {list(allowed)})",
                           _node_line(path, *keys, unknown[0]) or line_of(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _regex_problem(pattern: str) -> str | None:
    """``None`` when ``pattern`` compiles, else what is wrong with it."""
    try:
        re.compile(pattern)
    except re.error as err:
        return f"not a valid regular expression ({err}): {pattern!r}"
    return None


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a label CSV with their line numbers, every required field present and non-empty."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(path, "file is missing") from None
    except UnicodeDecodeError as err:
        raise LexiconError(path, "not valid UTF-8", path.read_bytes()[: err.start].count(b"\n") + 1) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    try:
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        if missing:
            raise LexiconError(path, f"the header lacks the columns {missing}", 1)
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row:
                raise LexiconError(path, f"{len(header) + len(row[None])} fields, the header has {len(header)}", line)
            empty = [c for c in required if not row.get(c)]
            if empty:
                raise LexiconError(path, f"missing field {empty[0]!r}", line)
            rows.append((line, row))
    except csv.Error as err:
        raise LexiconError(path, f"CSV does not parse: {err}", reader.line_num) from None
    return rows


def _label(path: Path, line: int, row: dict[str, str], column: str, allowed: tuple[str, ...]) -> str:
    if row[column] not in allowed:
        raise LexiconError(path, f"unknown {column} {row[column]!r} (expected one of {list(allowed)})", line)
    return row[column]


def _top_mapping(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LexiconError(path, "expected a mapping at the top level", 1)
    return data


def _entry_list(path: Path, data: dict[str, Any], key: str) -> list[Any]:
    """The list under ``key`` (``[]`` when absent), each entry a mapping."""
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise LexiconError(path, f"{key!r} should be a list", _node_line(path, key) or line_of(data))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise LexiconError(path, f"{key}[{i}]: expected a mapping, got {item!r}",
                               _node_line(path, key, i) or line_of(items))
    return items


def _term_list(path: Path, value: Any, where: str, line: int | None) -> list[str]:
    """A list of terms (strings or numbers, returned as strings); ``None`` is empty."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise LexiconError(path, f"{where}: expected a list of strings, got {_plain(value)!r}", line)
    return [str(v) for v in value]
