"""The lexicons of the comparison tables and the cross-source checks.

Reads

* ``data/lexicon/features.yaml`` (:func:`features`): the products, their
  features and the cues that say a feature exists or is proposed;
* ``data/lexicon/events.yaml`` (:func:`events`): the cue patterns of the
  timeline's events;
* ``data/lexicon/outcomes.yaml`` (:func:`outcomes`): the known outcomes of the
  strategies, each with its sources;
* ``data/lexicon/quantities.yaml`` (:func:`quantities`): the canonical
  quantities that figures from different sources are compared on.

Each loader reads its default path from :mod:`analysis.config` when it is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon._read import (
    LexiconError,
    _cached,
    _entry_list,
    _node_line,
    _plain,
    _term_list,
    _top_mapping,
    line_of,
    read_yaml,
)

__all__ = ["QUANTITY_RELATIONS", "features", "events", "outcomes", "quantities"]

#: Relations a quantity of ``quantities.yaml`` may have with a ``related`` one.
QUANTITY_RELATIONS: tuple[str, ...] = ("part_of",)


@_cached
def features(path: Path | None = None) -> dict[str, Any]:
    """The product feature lexicon (``features.yaml``): products, features and status cues.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.FEATURES_FILE`, read at call time.

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
    path = Path(path or config.FEATURES_FILE)
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
def events(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The event cue patterns of the timeline (``events.yaml``), in file order.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.EVENTS_FILE`, read at call time.

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
    path = Path(path or config.EVENTS_FILE)
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
def outcomes(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The known outcomes of the strategies (``outcomes.yaml``), each with its sources.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.OUTCOMES_FILE`, read at call time.

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
    path = Path(path or config.OUTCOMES_FILE)
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
def quantities(path: Path | None = None) -> dict[str, Any]:
    """The canonical quantities of the cross-source checks (``quantities.yaml``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.QUANTITIES_FILE`, read at call time.

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
    path = Path(path or config.QUANTITIES_FILE)
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
