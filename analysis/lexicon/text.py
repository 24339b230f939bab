"""The lexicons of the sentences: boilerplate, claim cues, entities and the hand-typed claims.

Reads

* ``data/lexicon/boilerplate.txt`` (:func:`boilerplate`): the line patterns
  that ingestion strips from an article;
* ``data/lexicon/cues.yaml`` (:func:`cues`): the cue words that type a
  sentence as one of :data:`CLAIM_TYPES`;
* ``data/lexicon/entities.yaml`` (:func:`entities`): the products, companies
  and people of the corpus;
* ``data/lexicon/labels/claims_gold.csv`` (:func:`claims_gold`): the
  hand-labelled claim types that score the cue typer.

:mod:`analysis.corpus` and :mod:`analysis.extract` use them.  Each loader
returns plain data (dicts, tuples, str) and reads its default path from
:mod:`analysis.config` when it is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon._read import (
    LexiconError,
    _cached,
    _known_keys,
    _label,
    _mapping,
    _node_line,
    _read_csv,
    _regex_problem,
    _require,
    _word_map,
    _words,
    line_of,
    read_lines,
    read_yaml,
)
from analysis.lexicon.codebook import CLAIM_TYPES

__all__ = [
    "CLAIM_TYPES",
    "GOLD_SPLITS",
    "ENTITY_KINDS",
    "CLAIMS_GOLD_COLUMNS",
    "boilerplate",
    "cues",
    "entities",
    "claims_gold",
]

#: The splits of a hand-labelled sample: cues were tuned on ``tune`` only.
GOLD_SPLITS: tuple[str, ...] = ("tune", "heldout")
#: The kinds of entity in ``entities.yaml``.
ENTITY_KINDS: tuple[str, ...] = ("product", "company", "person")
#: Required columns of ``labels/claims_gold.csv``.
CLAIMS_GOLD_COLUMNS: tuple[str, ...] = ("claim_id", "article_id", "sentence_clean", "gold_type", "split")


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
