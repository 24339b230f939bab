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

import csv
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

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


# -- corpus and extract lexicons --
# Loaders of the files that analysis.corpus and analysis.extract use: the
# boilerplate patterns, the cue, entity and number lexicons, and the two
# hand-labelled samples.  Each returns plain data (dicts, tuples, str).

__all__ += [
    "CLAIM_TYPES",
    "GOLD_SPLITS",
    "ENTITY_KINDS",
    "CLAIMS_GOLD_COLUMNS",
    "NUMBERS_GOLD_COLUMNS",
    "boilerplate",
    "cues",
    "entities",
    "numbers",
    "number_units",
    "claims_gold",
    "numbers_gold",
]

#: The claim types: the four that ``cues.yaml`` orders by priority, then the fallback.
CLAIM_TYPES: tuple[str, ...] = ("recommendation", "prediction", "causal", "fact", "other")
#: The splits of a hand-labelled sample: cues were tuned on ``tune`` only.
GOLD_SPLITS: tuple[str, ...] = ("tune", "heldout")
#: The kinds of entity in ``entities.yaml``.
ENTITY_KINDS: tuple[str, ...] = ("product", "company", "person")
#: Required columns of ``labels/claims_gold.csv``.
CLAIMS_GOLD_COLUMNS: tuple[str, ...] = ("claim_id", "article_id", "sentence_clean", "gold_type", "split")
#: Required columns of ``labels/numbers_gold.csv``.
NUMBERS_GOLD_COLUMNS: tuple[str, ...] = ("article_id", "quote", "value", "unit", "hedge", "split")


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


@_cached
def boilerplate(path: Path | None = None) -> tuple[str, ...]:
    """The boilerplate line patterns (``boilerplate.txt``): one regular expression a line.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.BOILERPLATE_FILE`, read at call time.
        The file; ``#`` starts a comment line, blank lines are skipped.

    Returns
    -------
    tuple of str
        The patterns, stripped, in file order (each one compiles).

    Raises
    ------
    LexiconError
        If the file is missing or not UTF-8, or a line is not a valid regular
        expression (naming that line).
    """
    return tuple(p for _, p in read_lines(Path(path or config.BOILERPLATE_FILE), check=_regex_problem))


#: The sections of ``cues.yaml`` that type a sentence, with the keys each may have.
_CUE_SECTIONS: dict[str, tuple[str, ...]] = {
    "recommendation": ("cues", "false_cues", "negation", "patterns"),
    "prediction": ("cues", "weak_cues", "false_cues", "disposal_markers", "patterns"),
    "causal": ("cues", "false_cues", "patterns"),
    "fact": ("cues", "false_cues", "past_markers", "attribution", "patterns"),
}
#: The optional ``discourse`` section of ``cues.yaml``: word lists about the sentence's frame, not its type.
_DISCOURSE_KEYS: tuple[str, ...] = ("lead_adverbs", "first_person", "second_person", "labels", "reminders",
                                    "not_step_verbs")


@_cached
def cues(path: Path | None = None) -> dict[str, Any]:
    """The cue lexicons that type a sentence (``cues.yaml``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.CUES_FILE`, read at call time.

    Returns
    -------
    dict
        ``priority`` (the first four :data:`CLAIM_TYPES`, in the order they
        are tried); one dict per type with ``cues`` and ``false_cues`` (cue ->
        words that contain it but do not count) -- plus ``negation``
        (``prohibit``, ``flip``) for ``recommendation``, ``weak_cues`` and
        ``disposal_markers`` for ``prediction``, ``past_markers`` and
        ``attribution`` (verbs of saying) for ``fact``, ``patterns`` (regular
        expressions) for each type, each present (empty when the file omits
        it); ``discourse`` (``lead_adverbs``, ``first_person``,
        ``second_person``, ``labels``, ``reminders``, ``not_step_verbs``: the
        sentence's frame, optional); and
        the word lists ``criticism`` and ``praise``.  Lists are tuples, in
        file order.

    Raises
    ------
    LexiconError
        On bad YAML, a missing section, a priority that does not list each of
        the four types once, an unknown key, an empty ``fact.past_markers``, a
        pattern that does not compile, or a cue that is not a non-empty
        string; with the line.
    """
    path = Path(path or config.CUES_FILE)
    data = _mapping(path, read_yaml(path), "the file", ())
    for key in ("priority", *_CUE_SECTIONS, "criticism", "praise"):
        if key not in data:
            raise LexiconError(path, f"missing section {key!r}", 1)
    priority = _words(path, data["priority"], "priority", ("priority",))
    if sorted(priority) != sorted(CLAIM_TYPES[:-1]):
        raise LexiconError(path, f"priority must list each of {list(CLAIM_TYPES[:-1])} once, got {list(priority)}",
                           _node_line(path, "priority"))
    out: dict[str, Any] = {"priority": priority}
    for kind, allowed in _CUE_SECTIONS.items():
        sec = _mapping(path, data[kind], kind, (kind,))
        _known_keys(path, sec, allowed, kind, (kind,))
        _require(path, sec, "cues", list, kind)
        entry: dict[str, Any] = {"cues": _words(path, sec["cues"], f"{kind}.cues", (kind, "cues"))}
        entry["false_cues"] = _word_map(path, sec.get("false_cues", {}), f"{kind}.false_cues", (kind, "false_cues"))
        for key in allowed[1:]:
            if key in ("false_cues", "negation"):
                continue
            entry[key] = _words(path, sec.get(key, []), f"{kind}.{key}", (kind, key))
        if kind == "recommendation":
            neg = _mapping(path, sec.get("negation", {}), "recommendation.negation", (kind, "negation"))
            _known_keys(path, neg, ("prohibit", "flip"), "recommendation.negation", (kind, "negation"))
            entry["negation"] = {k: _words(path, neg.get(k, []), f"recommendation.negation.{k}",
                                           (kind, "negation", k)) for k in ("prohibit", "flip")}
        for i, pattern in enumerate(entry["patterns"]):
            problem = _regex_problem(pattern)
            if problem:
                raise LexiconError(path, f"{kind}.patterns: {problem}", _node_line(path, kind, "patterns", i))
        out[kind] = entry
    disc = _mapping(path, data.get("discourse", {}), "discourse", ("discourse",))
    _known_keys(path, disc, _DISCOURSE_KEYS, "discourse", ("discourse",))
    out["discourse"] = {k: _words(path, disc.get(k, []), f"discourse.{k}", ("discourse", k)) for k in _DISCOURSE_KEYS}
    if not out["fact"]["past_markers"]:
        raise LexiconError(path, "fact: missing key 'past_markers' (the perfective adverbs 已经, 曾经...)",
                           _node_line(path, "fact"))
    for key in ("criticism", "praise"):
        out[key] = _words(path, data[key], key, (key,))
    return out


@_cached
def entities(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The products, companies and people named in the corpus (``entities.yaml``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.ENTITIES_FILE`, read at call time.

    Returns
    -------
    tuple of dict
        One dict per entity, in file order: ``id``, ``name`` (English),
        ``kind`` (one of :data:`ENTITY_KINDS`), ``aliases`` and ``not`` (words
        that contain an alias but name something else), as tuples of str.

    Raises
    ------
    LexiconError
        On bad YAML, a duplicate id, an unknown kind or key, a missing field
        or an empty alias list; with the line of the entry.
    """
    path = Path(path or config.ENTITIES_FILE)
    data = read_yaml(path, top="entities")
    if not isinstance(data, list):
        raise LexiconError(path, "'entities' should be a list", line_of(data))
    seen: set[str] = set()
    out = []
    for i, ent in enumerate(data):
        eid = _require(path, ent, "id", str, f"entity #{i + 1}")
        what = f"entity {eid!r}"
        if eid in seen:
            raise LexiconError(path, f"duplicate entity id {eid!r}", line_of(ent))
        seen.add(eid)
        _known_keys(path, ent, ("id", "name", "kind", "aliases", "not"), what, ("entities", i))
        name = _require(path, ent, "name", str, what)
        kind = _require(path, ent, "kind", str, what)
        if kind not in ENTITY_KINDS:
            raise LexiconError(path, f"{what}: kind {kind!r} is not one of {list(ENTITY_KINDS)}", line_of(ent))
        aliases = _words(path, _require(path, ent, "aliases", list, what), f"{what}: aliases",
                         ("entities", i, "aliases"))
        if not aliases:
            raise LexiconError(path, f"{what}: no aliases", line_of(ent))
        not_words = _words(path, ent.get("not", []), f"{what}: not", ("entities", i, "not"))
        out.append({"id": eid, "name": name, "kind": kind, "aliases": aliases, "not": not_words})
    return tuple(out)


#: What a measure cue says about a figure's subject (``numbers.yaml``, ``measures.<cue>.role``): ``promoted``
#: -- money spent to promote a product measures that product; ``none`` -- the figure counts people or
#: things that no entity owns (a share of respondents).
_MEASURE_ROLES: tuple[str, ...] = ("promoted", "none")

_NUMBER_SECTIONS = ("multipliers", "fractions", "currencies", "counters", "time_units", "hedges", "lead_cues",
                    "bare_lead_cues", "false_friends", "window_after", "measures", "entities")


@_cached
def numbers(path: Path | None = None) -> dict[str, Any]:
    """The number lexicon (``numbers.yaml``): multipliers, units, hedges, cues, false friends.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.NUMBERS_FILE`, read at call time.

    Returns
    -------
    dict
        ``multipliers`` (word -> float), ``fractions`` (word -> (float, unit)),
        ``currencies`` and ``counters`` (word -> unit), ``time_units``,
        ``lead_cues``, ``bare_lead_cues`` and ``false_friends`` (tuples of
        str; each false friend compiles as a regular expression), ``hedges``
        (``before``, ``after``, ``sentence`` tuples and ``not_after``: hedge ->
        tuple of characters), ``window_after`` (int), ``measures`` (cue ->
        dict with optional ``unit``, ``measure``, ``skip_entities``, ``role``
        -- ``promoted`` or ``none`` -- and ``prefer`` -- ``company`` or
        ``product``, the kind of entity the measure belongs to) and
        ``entities`` (``products`` and ``companies``: alias -> English name).

    Raises
    ------
    LexiconError
        On bad YAML, a missing section, or an entry of the wrong shape (a
        multiplier that is not a positive number, a false friend that is not
        a valid regular expression...); with the line.
    """
    path = Path(path or config.NUMBERS_FILE)
    data = _mapping(path, read_yaml(path), "the file", ())
    missing = [k for k in _NUMBER_SECTIONS if k not in data]
    if missing:
        raise LexiconError(path, f"missing sections {missing}", 1)
    _known_keys(path, data, _NUMBER_SECTIONS, "the file", ())
    mult = _mapping(path, data["multipliers"], "multipliers", ("multipliers",))
    for k, v in mult.items():
        if not _is_number(v) or v <= 0:
            raise LexiconError(path, f"multipliers.{k} should be a positive number, got {v!r}",
                               _node_line(path, "multipliers", k))
    fractions = _mapping(path, data["fractions"], "fractions", ("fractions",))
    for k, v in fractions.items():
        if not (isinstance(v, list) and len(v) == 2 and _is_number(v[0]) and isinstance(v[1], str)):
            raise LexiconError(path, f"fractions.{k} should be [value, unit], got {v!r}",
                               _node_line(path, "fractions", k))
    hedges = _mapping(path, data["hedges"], "hedges", ("hedges",))
    _known_keys(path, hedges, ("before", "after", "sentence", "not_after"), "hedges", ("hedges",))
    for key in ("before", "after", "sentence"):
        _require(path, hedges, key, list, "hedges")
    false_friends = _words(path, data["false_friends"], "false_friends", ("false_friends",))
    for i, pattern in enumerate(false_friends):
        problem = _regex_problem(pattern)
        if problem:
            raise LexiconError(path, f"false_friends: {problem}", _node_line(path, "false_friends", i))
    window = data["window_after"]
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise LexiconError(path, f"window_after should be a whole number >= 0, got {window!r}",
                           _node_line(path, "window_after"))
    measures = _mapping(path, data["measures"], "measures", ("measures",))
    out_measures: dict[str, dict[str, Any]] = {}
    for cue, spec in measures.items():
        where, keys = f"measures.{cue}", ("measures", cue)
        _mapping(path, spec, where, keys)
        _known_keys(path, spec, ("unit", "measure", "skip_entities", "role", "prefer"), where, keys)
        entry: dict[str, Any] = {}
        for key in ("unit", "measure", "role", "prefer"):
            if key in spec:
                entry[key] = _require(path, spec, key, str, where)
        for key, allowed in (("role", _MEASURE_ROLES), ("prefer", ("company", "product"))):
            if key in entry and entry[key] not in allowed:
                raise LexiconError(path, f"{where}.{key} should be one of {list(allowed)}, got {entry[key]!r}",
                                   _node_line(path, *keys, key))
        if "skip_entities" in spec:
            entry["skip_entities"] = _words(path, spec["skip_entities"], f"{where}.skip_entities",
                                            (*keys, "skip_entities"))
        out_measures[cue] = entry
    ents = _mapping(path, data["entities"], "entities", ("entities",))
    _known_keys(path, ents, ("products", "companies"), "entities", ("entities",))
    for key in ("products", "companies"):
        _require(path, ents, key, dict, "entities")
    return {
        "multipliers": {k: float(v) for k, v in mult.items()},
        "fractions": {k: (float(v[0]), v[1]) for k, v in fractions.items()},
        "currencies": _str_map(path, data["currencies"], "currencies", ("currencies",)),
        "counters": _str_map(path, data["counters"], "counters", ("counters",)),
        "time_units": _words(path, data["time_units"], "time_units", ("time_units",)),
        "hedges": {
            **{k: _words(path, hedges[k], f"hedges.{k}", ("hedges", k)) for k in ("before", "after", "sentence")},
            "not_after": _word_map(path, hedges.get("not_after", {}), "hedges.not_after", ("hedges", "not_after")),
        },
        "lead_cues": _words(path, data["lead_cues"], "lead_cues", ("lead_cues",)),
        "bare_lead_cues": _words(path, data["bare_lead_cues"], "bare_lead_cues", ("bare_lead_cues",)),
        "false_friends": false_friends,
        "window_after": window,
        "measures": out_measures,
        "entities": {k: _str_map(path, ents[k], f"entities.{k}", ("entities", k)) for k in ("products", "companies")},
    }


def number_units(path: Path | None = None) -> frozenset[str]:
    """Every unit a figure can get from the number lexicon, and the fallback ``count``.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.NUMBERS_FILE`, read at call time.

    Returns
    -------
    frozenset of str
        The units of the currencies, counters, fractions and measures.
    """
    lex = numbers(path)
    units = {"count", *lex["currencies"].values(), *lex["counters"].values()}
    units |= {unit for _, unit in lex["fractions"].values()}
    units |= {m["unit"] for m in lex["measures"].values() if "unit" in m}
    return frozenset(units)


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


@_cached
def claims_gold(path: Path | None = None) -> tuple[dict[str, str], ...]:
    """The hand-labelled claim types (``labels/claims_gold.csv``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.CLAIMS_GOLD_FILE`, read at call time.

    Returns
    -------
    tuple of dict
        One dict per row, ``{column: str}`` in the file's column order
        (at least :data:`CLAIMS_GOLD_COLUMNS`).

    Raises
    ------
    LexiconError
        If a required column is missing, or a row has a missing field, a
        ``gold_type`` not in :data:`CLAIM_TYPES`, a ``split`` not in
        :data:`GOLD_SPLITS`, or a ``claim_id`` labelled before; with the
        line (the header is line 1).
    """
    path = Path(path or config.CLAIMS_GOLD_FILE)
    seen: dict[str, int] = {}
    out = []
    for line, row in _read_csv(path, CLAIMS_GOLD_COLUMNS):
        _label(path, line, row, "gold_type", CLAIM_TYPES)
        _label(path, line, row, "split", GOLD_SPLITS)
        if row["claim_id"] in seen:
            raise LexiconError(path, f"claim {row['claim_id']!r} is labelled twice (first at line "
                                     f"{seen[row['claim_id']]})", line)
        seen[row["claim_id"]] = line
        out.append(dict(row))
    return tuple(out)


@_cached
def numbers_gold(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The hand-labelled figures (``labels/numbers_gold.csv``), in text order per article.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.NUMBERS_GOLD_FILE`, read at call time.

    Returns
    -------
    tuple of dict
        One dict per row in the file's column order (at least
        :data:`NUMBERS_GOLD_COLUMNS`): ``value`` a float, ``hedge`` an int,
        the others str.

    Raises
    ------
    LexiconError
        If a required column is missing, or a row has a missing field, a
        ``value`` that is not a number, a ``hedge`` other than 0 or 1, a
        ``split`` not in :data:`GOLD_SPLITS`, or a ``unit`` that the number
        lexicon cannot give (:func:`number_units`); with the line (the header
        is line 1).
    """
    path = Path(path or config.NUMBERS_GOLD_FILE)
    units = tuple(sorted(number_units()))
    out = []
    for line, row in _read_csv(path, NUMBERS_GOLD_COLUMNS):
        try:
            value = float(row["value"])
        except ValueError:
            raise LexiconError(path, f"value {row['value']!r} is not a number", line) from None
        hedge = _label(path, line, row, "hedge", ("0", "1"))
        _label(path, line, row, "split", GOLD_SPLITS)
        _label(path, line, row, "unit", units)
        out.append({**row, "value": value, "hedge": int(hedge)})
    return tuple(out)


# -- themes, checks, adoption and compare lexicons --
# features.yaml, events.yaml and outcomes.yaml (the comparison tables), quantities.yaml (the
# cross-source checks), glossary.yaml and articles.yaml (the book), and the three line-based files
# of the segmenter: stopwords.txt, protected_words.txt and userdict.txt.

__all__ += [
    "features",
    "events",
    "outcomes",
    "QUANTITY_RELATIONS",
    "quantities",
    "glossary",
    "articles",
    "ARTICLE_DATE_KINDS",
    "DATE_QUALIFIERS",
    "ISO_DATE",
    "stopwords",
    "protected_words",
    "userdict",
]

#: Relations a quantity of ``quantities.yaml`` may have with a ``related`` one.
QUANTITY_RELATIONS: tuple[str, ...] = ("part_of",)


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


@_cached
def features(path: Path = config.FEATURES_FILE) -> dict[str, Any]:
    """The product feature lexicon (``features.yaml``): products, features and status cues.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    dict
        ``products`` (tuple of dicts with ``id, name, name_zh, aliases, not``), ``features`` (tuple of
        dicts with ``id, name, cues, not``), ``negation``, ``existing``, ``proposal``, ``user_units``
        (tuples of str) and ``min_user_figure`` (float).

    Raises
    ------
    LexiconError
        On a missing field, a duplicate id, an empty product or feature list, or a term list that is
        not a list of strings.
    """
    path = Path(path)
    data = _top_mapping(path)
    out: dict[str, Any] = {}
    for key, needed, terms in (("products", ("id", "name", "name_zh", "aliases"), "aliases"),
                               ("features", ("id", "name", "cues"), "cues")):
        parsed, seen = [], set()
        for i, item in enumerate(_entry_list(path, data, key)):
            where, line = f"{key}[{i}]", line_of(item)
            missing = [f for f in needed if not item.get(f)]
            if missing:
                raise LexiconError(path, f"{where} lacks {', '.join(missing)}", line)
            if item["id"] in seen:
                raise LexiconError(path, f"{where}: duplicate id {item['id']!r}", line)
            seen.add(item["id"])
            parsed.append({**_plain(item), terms: _term_list(path, item[terms], f"{where}.{terms}", line),
                           "not": _term_list(path, item.get("not"), f"{where}.not", line)})
        if not parsed:
            raise LexiconError(path, f"no {key}", _node_line(path, key) or line_of(data))
        out[key] = tuple(parsed)
    for key in ("negation", "existing", "proposal", "user_units"):
        out[key] = tuple(_term_list(path, data.get(key), key, _node_line(path, key) or line_of(data)))
    floor = data.get("min_user_figure", 0)
    if isinstance(floor, bool) or not isinstance(floor, int | float) or floor < 0:
        raise LexiconError(path, f"min_user_figure should be a number >= 0, got {floor!r}",
                           _node_line(path, "min_user_figure") or line_of(data))
    out["min_user_figure"] = float(floor)
    return out


@_cached
def events(path: Path = config.EVENTS_FILE) -> tuple[dict[str, Any], ...]:
    """The event cue patterns of the timeline (``events.yaml``), in file order.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    tuple of dict
        One rule per event: ``id, event, kind, product, group`` (str), ``all, any, none, subject``
        (lists of str) and ``external`` (a dict, empty when the event names no external row).

    Raises
    ------
    LexiconError
        On a missing ``id``/``event``/``kind``, a duplicate id, a term list that is not a list of
        strings, or a rule with no ``all`` or ``any`` terms (it would match everything).
    """
    path = Path(path)
    data = _top_mapping(path)
    rules, seen = [], set()
    for i, item in enumerate(_entry_list(path, data, "events")):
        where, line = f"events[{i}]", line_of(item)
        for f in ("id", "event", "kind"):
            if not item.get(f):
                raise LexiconError(path, f"{where} lacks {f}", line)
        if item["id"] in seen:
            raise LexiconError(path, f"{where}: duplicate id {item['id']!r}", line)
        seen.add(item["id"])
        rule = _plain(item)
        for f in ("all", "any", "none", "subject"):
            rule[f] = _term_list(path, item.get(f), f"{where}.{f}", line)
        if not (rule["all"] or rule["any"]):
            raise LexiconError(path, f"{where}: a rule needs `all` or `any` terms", line)
        rule.setdefault("product", "")
        rule.setdefault("group", "")
        external = item.get("external") or {}
        if not isinstance(external, dict):
            raise LexiconError(path, f"{where}: external should be a mapping (entity, metric)", line)
        rule["external"] = _plain(external)
        rules.append(rule)
    if not rules:
        raise LexiconError(path, "no events", line_of(data))
    return tuple(rules)


@_cached
def outcomes(path: Path = config.OUTCOMES_FILE) -> tuple[dict[str, Any], ...]:
    """The known outcomes of the strategies (``outcomes.yaml``), each with its sources.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    tuple of dict
        ``strategy`` (str), ``outcome`` (str, whitespace collapsed) and ``sources`` (list of dicts,
        each ``{article, quote}`` or ``{external: {entity, metric, period}}``), in file order.

    Raises
    ------
    LexiconError
        When an entry has no strategy, no outcome text or no source, or a source is neither an
        article quote nor an external row.
    """
    path = Path(path)
    data = _top_mapping(path)
    out = []
    for i, item in enumerate(_entry_list(path, data, "outcomes")):
        where, line = f"outcomes[{i}]", line_of(item)
        if not item.get("strategy") or not str(item.get("outcome", "")).strip():
            raise LexiconError(path, f"{where} needs a strategy and an outcome", line)
        sources = item.get("sources")
        if not sources:
            raise LexiconError(path, f"{where} ({item['strategy']}) has no sources", line)
        if not isinstance(sources, list):
            raise LexiconError(path, f"{where}: sources should be a list", line)
        for src in sources:
            ok = isinstance(src, dict) and (
                ("article" in src and "quote" in src) or isinstance(src.get("external"), dict))
            if not ok:
                raise LexiconError(path, f"{where}: a source needs `article` and `quote`, or `external`, "
                                   f"got {_plain(src)!r}", line_of(src) or line)
        out.append({"strategy": item["strategy"], "outcome": " ".join(str(item["outcome"]).split()),
                    "sources": _plain(sources)})
    return tuple(out)


def _quantity_words(path: Path, value: Any, field: str, qid: str, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise LexiconError(path, f"quantity {qid!r}: {field} must be a list of non-empty strings", line)
    return tuple(w.strip().lower() for w in value)


@_cached
def quantities(path: Path = config.QUANTITIES_FILE) -> dict[str, Any]:
    """The canonical quantities of the cross-source checks (``quantities.yaml``).

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    dict
        ``window`` (int, the half-width in characters of the text around a figure) and
        ``quantities``: a tuple of dicts, in file order, with ``id, label`` (str), ``units, entities,
        cues, near, exclude`` (tuples of lower-cased str), ``range`` (``(lo, hi)`` or ``None``),
        ``min_cues`` (int) and ``related`` (tuple of ``(quantity id, relation, note)``).

    Raises
    ------
    LexiconError
        If an id is missing or repeated, a quantity has no units, a range is not ``[lo, hi]`` with
        ``0 <= lo < hi``, ``min_cues`` is not between 1 and the number of cues, a word list is not a
        list of non-empty strings, or a ``related`` entry names an unknown quantity or a relation
        other than those of :data:`QUANTITY_RELATIONS`.
    """
    path = Path(path)
    data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LexiconError(path, "expected a mapping at the top level", 1)
    window = data.get("window", 12)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise LexiconError(path, f"window must be an integer >= 0, got {window!r}",
                           _node_line(path, "window") or line_of(data))
    raw = data.get("quantities")
    if not isinstance(raw, list) or not raw:
        raise LexiconError(path, "needs a non-empty list `quantities`", line_of(raw) or line_of(data))
    out: list[dict[str, Any]] = []
    lines: dict[str, int | None] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise LexiconError(path, f"every quantity must be a mapping, got {item!r}", line_of(raw))
        line = line_of(item)
        qid = str(item.get("id", "")).strip()
        if not qid:
            raise LexiconError(path, "every quantity needs an id", line)
        if qid in lines:
            raise LexiconError(path, f"quantity id {qid!r} is repeated", line)
        lines[qid] = line
        units = _quantity_words(path, item.get("units"), "units", qid, line)
        if not units:
            raise LexiconError(path, f"quantity {qid!r}: units must list at least one unit", line)
        rng = item.get("range")
        if rng is not None:
            ok = (isinstance(rng, list) and len(rng) == 2
                  and all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)
                  and 0 <= float(rng[0]) < float(rng[1]))
            if not ok:
                raise LexiconError(path, f"quantity {qid!r}: range must be [lo, hi] with 0 <= lo < hi, "
                                   f"got {_plain(rng)!r}", line)
            rng = (float(rng[0]), float(rng[1]))
        cues = _quantity_words(path, item.get("cues"), "cues", qid, line)
        min_cues = item.get("min_cues", 1)
        if isinstance(min_cues, bool) or not isinstance(min_cues, int) or (cues and not 1 <= min_cues <= len(cues)):
            raise LexiconError(path, f"quantity {qid!r}: min_cues must be between 1 and {len(cues)}, "
                               f"got {min_cues!r}", line)
        related = []
        for rel in item.get("related") or []:
            if not isinstance(rel, dict) or rel.get("relation") not in QUANTITY_RELATIONS:
                got = rel.get("relation") if isinstance(rel, dict) else rel
                raise LexiconError(path, f"quantity {qid!r}: relation must be one of {QUANTITY_RELATIONS}, "
                                   f"got {got!r}", line_of(rel) or line)
            related.append((str(rel.get("quantity", "")), str(rel["relation"]),
                            " ".join(str(rel.get("note", "")).split())))
        out.append({
            "id": qid, "label": str(item.get("label", qid)), "units": units, "range": rng,
            "entities": _quantity_words(path, item.get("entities"), "entities", qid, line),
            "cues": cues, "min_cues": int(min_cues),
            "near": _quantity_words(path, item.get("near"), "near", qid, line),
            "exclude": _quantity_words(path, item.get("exclude"), "exclude", qid, line),
            "related": tuple(related),
        })
    for q in out:
        for target, _, _ in q["related"]:
            if target not in lines or target == q["id"]:
                raise LexiconError(path, f"quantity {q['id']!r}: related quantity {target!r} is not another "
                                   "defined quantity", lines[q["id"]])
    return {"window": window, "quantities": tuple(out)}


@_cached
def glossary(path: Path = config.GLOSSARY_FILE) -> dict[str, str]:
    """The book's glossary (``glossary.yaml``): Chinese term -> short English gloss.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    dict of str to str
        In file order.

    Raises
    ------
    LexiconError
        If ``terms`` is not a mapping, or a gloss is empty or not a plain string.
    """
    path = Path(path)
    terms = read_yaml(path, top="terms")
    if not isinstance(terms, dict):
        raise LexiconError(path, "'terms' should be a mapping of term: gloss", line_of(terms) or 1)
    out = {}
    for term, gloss in terms.items():
        if isinstance(gloss, dict | list) or gloss is None or not str(gloss).strip():
            raise LexiconError(path, f"term {term!r}: the gloss should be a non-empty string",
                               _node_line(path, "terms", term) or line_of(terms))
        out[str(term)] = str(gloss)
    return out


#: The dates an article can have in ``articles.yaml``, and how a date may be qualified.
ARTICLE_DATE_KINDS: tuple[str, ...] = ("written", "published", "reposted")
DATE_QUALIFIERS: tuple[str, ...] = ("", "about", "not before", "not after")
#: A date of the lexicons: a year, a month or a day (``2015``, ``2013-10``, ``2013-10-22``).
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_CLAIM_ID = re.compile(r"^[0-9A-Za-z_]+:\d+$")


def _article_dates(path: Path, aid: str, value: Any) -> dict[str, dict[str, Any]]:
    """The ``dates`` of one article: ``{kind: {date, qualifier, where, evidence, claims}}``."""
    line = line_of(value) or _node_line(path, "articles", aid, "dates")
    if not isinstance(value, dict):
        raise LexiconError(path, f"article {aid!r}: 'dates' should be a mapping of kind: date", line)
    out = {}
    for kind, entry in value.items():
        where = f"article {aid!r}, {kind} date"
        eline = line_of(entry) or _node_line(path, "articles", aid, "dates", kind) or line
        if kind not in ARTICLE_DATE_KINDS:
            raise LexiconError(path, f"{where}: unknown kind (expected one of {', '.join(ARTICLE_DATE_KINDS)})",
                               eline)
        if not isinstance(entry, dict):
            raise LexiconError(path, f"{where}: expected a mapping with date and evidence", eline)
        date = str(entry.get("date") or "")
        if date and not ISO_DATE.match(date):
            raise LexiconError(path, f"{where}: {date!r} is not a date like 2013, 2013-10 or 2013-10-22", eline)
        qualifier = str(entry.get("qualifier") or "")
        if qualifier not in DATE_QUALIFIERS:
            raise LexiconError(path, f"{where}: qualifier {qualifier!r} is not one of {DATE_QUALIFIERS[1:]}", eline)
        evidence = " ".join(str(entry.get("evidence") or "").split())
        if not evidence:
            raise LexiconError(path, f"{where}: every date needs its evidence", eline)
        claims = _term_list(path, entry.get("claims"), f"{where}, claims", eline)
        bad = [c for c in claims if not _CLAIM_ID.match(c)]
        if bad:
            raise LexiconError(path, f"{where}: {bad[0]!r} is not a sentence id (article_id:n)", eline)
        out[str(kind)] = {"date": date, "qualifier": qualifier, "where": str(entry.get("where") or ""),
                          "evidence": evidence, "claims": tuple(claims)}
    return out


@_cached
def articles(path: Path = config.ARTICLES_FILE) -> dict[str, dict[str, Any]]:
    """English titles, summaries and the date model of the articles (``articles.yaml``).

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    dict
        Article id -> ``{field: text}`` (``title_en``, ``short_en``, ``summary``...), plus ``dates``
        when the article has any: ``{kind: {"date", "qualifier", "where", "evidence", "claims"}}``
        for the kinds of :data:`ARTICLE_DATE_KINDS` (``date`` is ``""`` when it is unknown, and
        ``claims`` a tuple of sentence ids).  An article listed with no fields maps to ``{}``.

    Raises
    ------
    LexiconError
        If ``articles`` is not a mapping, an article's notes are not a mapping of strings (and
        ``dates``), or a date is malformed, of an unknown kind, or lacks its evidence.
    """
    path = Path(path)
    notes = read_yaml(path, top="articles")
    if notes is None:
        return {}
    if not isinstance(notes, dict):
        raise LexiconError(path, "'articles' should be a mapping of article id: notes", line_of(notes) or 1)
    out: dict[str, dict[str, Any]] = {}
    for aid, fields in notes.items():
        fields = fields or {}
        texts = {k: v for k, v in fields.items() if k != "dates"} if isinstance(fields, dict) else None
        if texts is None or any(isinstance(v, dict | list) for v in texts.values()):
            raise LexiconError(path, f"article {aid!r}: expected a mapping of field: text",
                               line_of(fields) or _node_line(path, "articles", aid) or line_of(notes))
        out[str(aid)] = {str(k): " ".join(str(v).split()) for k, v in texts.items()}
        if "dates" in fields:
            out[str(aid)]["dates"] = _article_dates(path, str(aid), fields["dates"])
    return out


def _one_word(line: str) -> str | None:
    return None if len(line.split()) == 1 else f"expected one word a line, got {line!r}"


@_cached
def stopwords(path: Path = config.STOPWORDS_FILE) -> frozenset[str]:
    """The project's stopwords (``stopwords.txt``), added to the stopwords-iso list by the segmenter.

    Parameters
    ----------
    path : pathlib.Path
        The file: one word a line, ``#`` comments.

    Returns
    -------
    frozenset of str

    Raises
    ------
    LexiconError
        At a line that holds more than one word.
    """
    return frozenset(w for _, w in read_lines(Path(path), check=_one_word))


@_cached
def protected_words(path: Path = config.PROTECTED_FILE) -> frozenset[str]:
    """Cue words that are never stopwords (``protected_words.txt``): claim typing needs them.

    Parameters
    ----------
    path : pathlib.Path
        The file: one word a line, ``#`` comments.

    Returns
    -------
    frozenset of str

    Raises
    ------
    LexiconError
        At a line that holds more than one word.
    """
    return frozenset(w for _, w in read_lines(Path(path), check=_one_word))


#: The categories of the user dictionary: each is a ``[category]`` section of ``userdict.txt``.
USERDICT_CATEGORIES: tuple[str, ...] = ("product", "company", "person", "place", "concept", "cue")
__all__ += ["USERDICT_CATEGORIES", "UserWord"]

#: A user-dictionary line: ``word [freq] [tag]``, single spaces, as ``jieba.Tokenizer.load_userdict`` reads it.
_USERDICT_LINE = re.compile(r"(\S+)(?: ([0-9]+))?(?: ([a-z]+))?")
#: A section header of ``userdict.txt``: ``[category]``.
_USERDICT_SECTION = re.compile(r"\[([^\]\s]*)\]")


class UserWord(NamedTuple):
    """One entry of the user dictionary.

    Attributes
    ----------
    word : str
    freq : int or None
        jieba's frequency (``None``: jieba computes one that keeps the word whole).
    tag : str or None
        Part-of-speech tag (``nz`` product, ``nt`` organisation, ``nr`` person...).
    category : str
        One of :data:`USERDICT_CATEGORIES`: the section the word is listed under.
    """

    word: str
    freq: int | None
    tag: str | None
    category: str


@_cached
def userdict(path: Path = config.USER_DICT) -> tuple[UserWord, ...]:
    """The segmenter's user dictionary (``userdict.txt``): the corpus's products, companies and concepts.

    Parameters
    ----------
    path : pathlib.Path
        The file: ``[category]`` section headers (one of :data:`USERDICT_CATEGORIES`), each
        followed by its entries, ``word [freq] [tag]`` a line (jieba's user-dictionary
        format); ``#`` comments and blank lines are skipped.

    Returns
    -------
    tuple of UserWord
        ``(word, freq, tag, category)`` in file order; ``word, freq, tag`` exactly as
        jieba's ``load_userdict`` would pass them to ``add_word``.

    Raises
    ------
    LexiconError
        At an entry that is not ``word [freq] [tag]``, an entry before the first section
        header, an unknown category, or a word listed twice (the line of the repeat).
    """
    path = Path(path)
    out: list[UserWord] = []
    seen: dict[str, int] = {}
    category: str | None = None
    for number, line in read_lines(path):
        section = _USERDICT_SECTION.fullmatch(line)
        if section:
            category = section.group(1)
            if category not in USERDICT_CATEGORIES:
                raise LexiconError(path, f"unknown category [{category}] (expected one of "
                                   f"{', '.join(USERDICT_CATEGORIES)})", number)
            continue
        match = _USERDICT_LINE.fullmatch(line)
        if match is None:
            raise LexiconError(path, "expected `word [freq] [tag]` (freq an integer, tag lower-case letters) "
                               f"or a `[category]` header, got {line!r}", number)
        if category is None:
            raise LexiconError(path, f"entry {line!r} comes before any `[category]` header", number)
        word, freq, tag = match.groups()
        if word in seen:
            raise LexiconError(path, f"{word!r} is listed twice (first at line {seen[word]})", number)
        seen[word] = number
        out.append(UserWord(word, int(freq) if freq is not None else None, tag, category))
    return tuple(out)


# -- the reference coding (data/lexicon/labels/{coder_a,coder_b,reference}) --
#: The label vocabularies of the coding manual (book/appendix/codebook.md).
CLAIM_TYPES: tuple[str, ...] = ("recommendation", "prediction", "causal", "fact", "other")
SENTENCE_STANCES: tuple[str, ...] = ("supports", "criticises", "reports")
CELL_STANCES: tuple[str, ...] = ("supports", "criticises", "reports", "absent")
CODERS: tuple[str, ...] = ("coder_a", "coder_b", "reference")


def _coding_csv(path: Path, columns: list[str], check) -> list[dict[str, str]]:
    import csv

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(path, "file is missing") from None
    rows = list(csv.DictReader(text.splitlines()))
    header = text.splitlines()[0].split(",") if text else []
    missing = [c for c in columns if c not in header]
    if missing:
        raise LexiconError(path, f"missing column(s) {', '.join(missing)}", 1)
    for i, row in enumerate(rows, start=2):
        problem = check(row)
        if problem:
            raise LexiconError(path, problem, i)
    return rows


@_cached
def coding(who: str = "reference", labels_dir: Path | None = None) -> dict[str, tuple[dict[str, str], ...]]:
    """One coder's labels: ``sentences``, ``figures`` and ``cells`` (see the coding manual).

    Parameters
    ----------
    who : {"coder_a", "coder_b", "reference"}
        The first or second independent coder, or the adjudicated reference.
    labels_dir : pathlib.Path, optional
        Default ``data/lexicon/labels``.

    Returns
    -------
    dict
        ``{"sentences": rows, "figures": rows, "cells": rows}``, each row a dict of strings; the
        reference's rows carry ``adjudication`` where the coders' carry ``note``.

    Raises
    ------
    LexiconError
        On a missing file or column, or a label outside the manual's vocabulary (file and line named).
    """
    if who not in CODERS:
        raise ValueError(f"who must be one of {CODERS}, got {who!r}")
    base = Path(labels_dir or config.LABELS_DIR) / who
    ids = {s["id"] for s in strategies()}

    def check_sentence(row: dict[str, str]) -> str | None:
        if row["type"] not in CLAIM_TYPES:
            return f"unknown claim type {row['type']!r}"
        if not (row["speaker"] == "author" or row["speaker"].startswith("quoted:")):
            return f"speaker must be 'author' or 'quoted:<party>', got {row['speaker']!r}"
        for pair in filter(None, (row["stances"] or "").split(";")):
            sid, _, stance = pair.partition(":")
            if sid not in ids:
                return f"unknown strategy id {sid!r}"
            if stance not in SENTENCE_STANCES:
                return f"unknown stance {stance!r} for {sid}"
        return None

    def check_figure(row: dict[str, str]) -> str | None:
        if not row["quote"]:
            return "empty quote"
        if row["hedged"] not in ("0", "1"):
            return f"hedged must be 0 or 1, got {row['hedged']!r}"
        return None

    def check_cell(row: dict[str, str]) -> str | None:
        if row["strategy_id"] not in ids:
            return f"unknown strategy id {row['strategy_id']!r}"
        if row["stance"] not in CELL_STANCES:
            return f"unknown stance {row['stance']!r}"
        return None

    return {
        "sentences": tuple(_coding_csv(base / "sentences.csv", ["claim_id", "type", "speaker", "stances"],
                                       check_sentence)),
        "figures": tuple(_coding_csv(base / "figures.csv", ["claim_id", "quote", "subject", "unit", "hedged"],
                                     check_figure)),
        "cells": tuple(_coding_csv(base / "cells.csv", ["article_id", "strategy_id", "stance"], check_cell)),
    }


# -- translations (data/lexicon/translations/<article_id>.yaml) --
__all__ += ["sentence_sha", "translations", "translation_files"]


def sentence_sha(sentence: str) -> str:
    """The key that ties a translation to its source sentence: 12 hex digits of SHA-256 (UTF-8).

    Parameters
    ----------
    sentence : str
        The clean Chinese sentence (``claims.sentence_clean``).

    Returns
    -------
    str
    """
    import hashlib

    return hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:12]


def translation_files(directory: Path | None = None) -> dict[str, Path]:
    """The translation file of each article that has one: ``{article_id: path}``."""
    base = Path(directory or config.TRANSLATIONS_DIR)
    return {p.stem: p for p in sorted(base.glob("*.yaml"))}


@_cached
def translations(article_id: str, directory: Path | None = None) -> dict[str, Any]:
    """The English translation of one article, sentence by sentence.

    Parameters
    ----------
    article_id : str
    directory : pathlib.Path, optional
        Default ``data/lexicon/translations``.

    Returns
    -------
    dict
        ``title_en``, ``translated_by``, ``reviewed_by`` and ``sentences``: ``{claim_id: {"sha", "zh", "en"}}``.
        Empty sentences when the article has no translation file.

    Raises
    ------
    LexiconError
        On a malformed file: a missing field, an empty translation, a duplicate id, or an
        ``article_id`` that does not match the file name (file and line named).
    """
    path = Path(directory or config.TRANSLATIONS_DIR) / f"{article_id}.yaml"
    if not path.exists():
        return {"title_en": "", "translated_by": "", "reviewed_by": "", "sentences": {}}
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LexiconError(path, "expected a mapping at the top level", 1)
    if str(data.get("article_id", "")) != article_id:
        raise LexiconError(path, f"article_id {data.get('article_id')!r} does not match the file name", 1)
    entries = data.get("sentences")
    if not isinstance(entries, list):
        raise LexiconError(path, "'sentences' should be a list", line_of(data))
    out: dict[str, dict[str, str]] = {}
    for entry in entries:
        for key in ("id", "sha", "zh", "en"):
            _require(path, entry, key, str, f"translation entry {entry.get('id', '?') if isinstance(entry, dict) else '?'}")
        if not entry["en"].strip():
            raise LexiconError(path, f"translation of {entry['id']} is empty", line_of(entry))
        if entry["id"] in out:
            raise LexiconError(path, f"duplicate sentence id {entry['id']}", line_of(entry))
        out[entry["id"]] = {"sha": entry["sha"], "zh": entry["zh"], "en": entry["en"]}
    return {
        "title_en": str(data.get("title_en") or ""),
        "translated_by": str(data.get("translated_by") or ""),
        "reviewed_by": str(data.get("reviewed_by") or ""),
        "sentences": out,
    }


__all__ += ["characters"]


def characters(directory: Path | None = None) -> frozenset[str]:
    """Every character of every lexicon file, the translations included (for the book's web font).

    Parameters
    ----------
    directory : pathlib.Path, optional
        Default ``data/lexicon`` (read recursively; files that are not UTF-8 are skipped).

    Returns
    -------
    frozenset of str
    """
    out: set[str] = set()
    for path in sorted(Path(directory or config.LEXICON_DIR).rglob("*")):
        if path.is_file():
            try:
                out.update(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


# -- stance lexicons --
# stance.yaml: the markers of speaker and position that the automatic stance coder
# (analysis.themes) reads: verbs of saying and parties, evaluative cues, topic frames.
__all__ += ["STANCE_FILE", "stance"]

#: The stance lexicon (``data/lexicon/stance.yaml``).
STANCE_FILE: Path = config.LEXICON_DIR / "stance.yaml"
_STANCE_LISTS: dict[str, tuple[str, ...]] = {
    "speaker": ("verbs", "hearsay", "according", "disclosed", "back_reference", "endorse", "relative", "own"),
    "cues": ("criticism", "praise", "regret", "absence", "negators", "denial", "rhetorical", "irony", "contrast",
             "concession", "otherwise", "no_longer", "instead", "asked", "circumstance", "possible"),
    "topic": ("examples", "enumeration_end", "place_open", "place_close", "compare_open", "compare_close",
              "anaphora"),
}


@_cached
def stance(path: Path | None = None) -> dict[str, Any]:
    """The stance lexicon (``stance.yaml``): speaker markers, evaluative cues and topic frames.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`STANCE_FILE`.

    Returns
    -------
    dict
        ``speaker``, ``cues`` and ``topic``, each a dict of word tuples (the keys of
        ``_STANCE_LISTS``); ``speaker`` also has ``parties`` (party -> words) and ``not``,
        ``cues`` has ``not`` (marker -> longer words in which it is no marker).

    Raises
    ------
    LexiconError
        On bad YAML, a missing section or list, an unknown key, or a term that is not a
        non-empty string; with the line.
    """
    path = Path(path or STANCE_FILE)
    data = _mapping(path, read_yaml(path), "the file", ())
    out: dict[str, Any] = {}
    for section, lists in _STANCE_LISTS.items():
        if section not in data:
            raise LexiconError(path, f"missing section {section!r}", 1)
        sec = _mapping(path, data[section], section, (section,))
        extra = {"speaker": ("parties", "not"), "cues": ("not",), "topic": ()}[section]
        _known_keys(path, sec, lists + extra, section, (section,))
        entry: dict[str, Any] = {}
        for key in lists:
            if key not in sec:
                raise LexiconError(path, f"{section}: missing list {key!r}", _node_line(path, section))
            entry[key] = _words(path, sec[key], f"{section}.{key}", (section, key))
        for key in extra:
            entry[key] = _word_map(path, sec.get(key) or {}, f"{section}.{key}", (section, key))
        out[section] = entry
    return out


# -- errata (data/lexicon/errata.yaml) --
__all__ += ["errata"]


@_cached
def errata(path: Path = config.ERRATA_FILE) -> tuple[dict[str, Any], ...]:
    """Dates that an article gets wrong, with the correction and the reason (``errata.yaml``).

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    tuple of dict
        ``claim`` (sentence id), ``as_written`` (the date exactly as the sentence writes it),
        ``corrected`` (an ISO date: ``2015``, ``2015-05`` or ``2015-05-26``), ``reason`` (str) and
        ``sources`` (tuple of sentence ids that support the correction), in file order.

    Raises
    ------
    LexiconError
        When an entry lacks a field, its claim or a source is not a sentence id, the correction is not
        an ISO date, or the same (claim, as written) is corrected twice.
    """
    path = Path(path)
    data = _top_mapping(path)
    out, seen = [], set()
    for i, item in enumerate(_entry_list(path, data, "errata")):
        where, line = f"errata[{i}]", line_of(item) or _node_line(path, "errata", i)
        for key in ("claim", "as_written", "corrected", "reason"):
            if not str(item.get(key) or "").strip():
                raise LexiconError(path, f"{where}: missing {key!r}", line)
        claim, corrected = str(item["claim"]).strip(), str(item["corrected"]).strip()
        if not _CLAIM_ID.match(claim):
            raise LexiconError(path, f"{where}: {claim!r} is not a sentence id (article_id:n)", line)
        if not ISO_DATE.match(corrected):
            raise LexiconError(path, f"{where}: corrected {corrected!r} is not a date like 2015-05-26", line)
        sources = _term_list(path, item.get("sources"), f"{where}, sources", line)
        bad = [c for c in sources if not _CLAIM_ID.match(c)]
        if bad:
            raise LexiconError(path, f"{where}: source {bad[0]!r} is not a sentence id (article_id:n)", line)
        key = (claim, str(item["as_written"]).strip())
        if key in seen:
            raise LexiconError(path, f"{where}: {key[1]!r} of {claim} is corrected twice", line)
        seen.add(key)
        out.append({"claim": claim, "as_written": key[1], "corrected": corrected,
                    "reason": " ".join(str(item["reason"]).split()), "sources": tuple(sources)})
    return tuple(out)
