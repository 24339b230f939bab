"""The number lexicon and the hand-labelled figures.

Reads

* ``data/lexicon/numbers.yaml`` (:func:`numbers`, :func:`number_units`): the
  multipliers, units, hedges, lead cues, false friends and measures that the
  figure extractor (:mod:`analysis.extract.figures`) reads;
* ``data/lexicon/labels/numbers_gold.csv`` (:func:`numbers_gold`): the
  hand-labelled figures that score it, whose units must be units the number
  lexicon can give.

Each loader returns plain data (dicts, tuples, str) and reads its default path
from :mod:`analysis.config` when it is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon._read import (
    LexiconError,
    _cached,
    _is_number,
    _known_keys,
    _label,
    _mapping,
    _node_line,
    _read_csv,
    _regex_problem,
    _require,
    _str_map,
    _word_map,
    _words,
    read_yaml,
)
from analysis.lexicon.text import GOLD_SPLITS

__all__ = ["NUMBERS_GOLD_COLUMNS", "numbers", "number_units", "numbers_gold"]

#: Required columns of ``labels/numbers_gold.csv``.
NUMBERS_GOLD_COLUMNS: tuple[str, ...] = ("article_id", "quote", "value", "unit", "hedge", "split")

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
