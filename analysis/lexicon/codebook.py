"""The codebook: the strategies, the stance lexicon and the reference coding.

Reads

* ``data/lexicon/strategies.yaml`` (:func:`strategies`): the strategy codebook;
* ``data/lexicon/stance.yaml`` (:func:`stance`): the markers of speaker and
  position that the automatic stance coder (:mod:`analysis.themes`) reads;
* ``data/lexicon/labels/{coder_a,coder_b,reference}/{sentences,figures,cells}.csv``
  (:func:`coding`): two independent codings and the adjudicated reference,
  checked against the label vocabularies of the coding manual
  (``book/appendix/codebook.md``): :data:`CLAIM_TYPES`,
  :data:`SENTENCE_STANCES` and :data:`CELL_STANCES`.

Every default path is read from :mod:`analysis.config` when the loader is
called, so a test that points ``analysis.config`` at a copy of the lexicon
(and calls :func:`analysis.lexicon.clear_cache`) reads the copy.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon._read import (
    LexiconError,
    _cached,
    _known_keys,
    _mapping,
    _node_line,
    _require,
    _word_map,
    _words,
    line_of,
    read_yaml,
)

__all__ = [
    "STRATEGIES_FILE",
    "STANCE_FILE",
    "CLAIM_TYPES",
    "SENTENCE_STANCES",
    "CELL_STANCES",
    "CODERS",
    "strategies",
    "stance",
    "coding",
]

#: The strategy codebook as :mod:`analysis.config` names it at import (:func:`strategies` reads
#: :data:`analysis.config.STRATEGIES_FILE` at call time).
STRATEGIES_FILE: Path = config.STRATEGIES_FILE
#: The stance lexicon as :mod:`analysis.config` names it at import (:func:`stance` reads
#: :data:`analysis.config.STANCE_FILE` at call time).
STANCE_FILE: Path = config.STANCE_FILE


@_cached
def strategies(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """The strategy codebook (``strategies.yaml``): ``id, name, seeds, gloss, outcome`` per strategy.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.STRATEGIES_FILE`, read at call time.

    Returns
    -------
    tuple of dict
        One dict per strategy, in file order, with the file's keys (at least ``id`` and ``name``,
        str) and ``seeds`` (list of str).

    Raises
    ------
    LexiconError
        On a missing key, a duplicate id or a seed list that is not a list.
    """
    path = Path(path or config.STRATEGIES_FILE)
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


# -- the reference coding (data/lexicon/labels/{coder_a,coder_b,reference}) --
#: The label vocabularies of the coding manual (book/appendix/codebook.md).  The claim types: the
#: four that ``cues.yaml`` orders by priority, then the fallback.
CLAIM_TYPES: tuple[str, ...] = ("recommendation", "prediction", "causal", "fact", "other")
SENTENCE_STANCES: tuple[str, ...] = ("supports", "criticises", "reports")
CELL_STANCES: tuple[str, ...] = ("supports", "criticises", "reports", "absent")
CODERS: tuple[str, ...] = ("coder_a", "coder_b", "reference")


def _coding_csv(path: Path, columns: list[str],
                check: Callable[[dict[str, str]], str | None]) -> list[dict[str, str]]:
    """The rows of one coder's CSV; ``check(row)`` returns a problem (raised at the row's line) or ``None``."""
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
        Default :data:`analysis.config.LABELS_DIR`, read at call time.

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


# -- the stance lexicon: verbs of saying and parties, evaluative cues, topic frames --
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
        Default :data:`analysis.config.STANCE_FILE`, read at call time.

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
    path = Path(path or config.STANCE_FILE)
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
