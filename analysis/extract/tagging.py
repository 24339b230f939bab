"""Tags of a sentence: the entities it names and the strategy themes it mentions.

**Entities** are the products, companies and people of
``data/lexicon/entities.yaml`` (:func:`analysis.lexicon.entities`).  A CJK
alias matches as a substring; a Latin alias (``WeChat``, ``QQ``) matches
case-insensitively and not inside a longer Latin word.  An alias occurrence
inside one of the entity's ``not`` words does not count (阿里旺旺 names
Wangwang, not Alibaba).

**Themes** are the ids of the strategy codebook (``strategies.yaml``,
:func:`analysis.lexicon.strategies`) whose seed terms occur in the sentence,
matched the same way as aliases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from analysis import lexicon
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.spans import inside, occurrences

__all__ = ["alias_pattern", "load_entities", "load_strategies", "find_entities", "find_themes"]

_LATIN = re.compile(r"^[A-Za-z0-9+.\- ]+$")


def alias_pattern(alias: str) -> re.Pattern[str]:
    """The pattern that finds an alias or a seed term in a sentence.

    Parameters
    ----------
    alias : str

    Returns
    -------
    re.Pattern
        For a Latin alias, case-insensitive and not next to another Latin
        letter; otherwise the literal alias.
    """
    if _LATIN.match(alias):
        return re.compile(r"(?<![A-Za-z])" + re.escape(alias) + r"(?![A-Za-z])", re.I)
    return re.compile(re.escape(alias))


_BUILT: dict[str, tuple[Any, tuple[dict[str, Any], ...]]] = {}


def _with_patterns(key: str, entries: tuple[dict[str, Any], ...],
                   words: Callable[[dict[str, Any]], Iterable[str]]) -> tuple[dict[str, Any], ...]:
    """``entries`` with ``_pats`` compiled, once per load of the lexicon (``clear_cache`` reloads it)."""
    built = _BUILT.get(key)
    if built is None or built[0] is not entries:
        out = []
        for e in entries:
            ws = [str(w) for w in words(e)]
            pats = [alias_pattern(w) for w in ws]
            latin = [alias_pattern(w).pattern for w in ws if _LATIN.match(w)]
            out.append({**e, "_pats": pats, "_lits": frozenset(w for w in ws if not _LATIN.match(w)),
                        "_latin_words": tuple(w for w in ws if _LATIN.match(w)),
                        "_latin": re.compile("|".join(f"(?:{x})" for x in latin), re.I) if latin else None})
        built = (entries, tuple(out))
        _BUILT[key] = built
    return built[1]


#: Per collection of entries (by identity): the union of their literal aliases, and one pattern for
#: all their Latin aliases.
_UNION: dict[str, tuple[Any, frozenset[str], re.Pattern[str] | None]] = {}


def _occurring(sentence: str, entries: Any, slot: str) -> tuple[set[str], bool] | None:
    """The literal aliases of ``entries`` that occur in ``sentence``, and whether a Latin alias can;
    ``None`` without an index (then every entry is tested in full)."""
    if _exhaustive() or not isinstance(entries, tuple):
        return None
    hit = _UNION.get(slot)
    if hit is None or hit[0] is not entries:
        if not all("_lits" in e and "_latin_words" in e for e in entries):
            return None
        # a Latin alias match starts with its first character (case-insensitive): one character test
        firsts = sorted({str(w)[0] for e in entries for w in e["_latin_words"] if str(w)})
        hit = (entries, frozenset().union(*(e["_lits"] for e in entries)),
               re.compile("|".join(re.escape(c) for c in firsts), re.I) if firsts else None)
        _UNION[slot] = hit
    return {w for w in hit[1] if w in sentence}, hit[2] is not None and hit[2].search(sentence) is not None


def _may_match(entry: dict[str, Any], sentence: str, occurring: tuple[set[str], bool] | None) -> bool:
    """False only when none of the entry's aliases can match (a literal alias matches iff it occurs)."""
    if occurring is None or "_lits" not in entry:
        return True
    if not occurring[0].isdisjoint(entry["_lits"]):
        return True
    return occurring[1] and entry["_latin"] is not None and entry["_latin"].search(sentence) is not None


def load_entities() -> tuple[dict[str, Any], ...]:
    """The entities of ``entities.yaml`` with their alias patterns.

    Returns
    -------
    tuple of dict
        :func:`analysis.lexicon.entities` entries (``id, name, kind, aliases,
        not``) plus ``_pats``, the compiled :func:`alias_pattern` of each alias,
        ``_lits``, the literal (non-Latin) aliases, and ``_latin``, one
        pattern for the Latin ones (or ``None``): a cheap test of whether any
        alias can match, before the exact one.

    Raises
    ------
    analysis.lexicon.LexiconError
        If ``entities.yaml`` is malformed.
    """
    return _with_patterns("entities", lexicon.entities(), lambda e: e["aliases"])


def load_strategies() -> tuple[dict[str, Any], ...]:
    """The strategy codebook with its seed patterns.

    Returns
    -------
    tuple of dict
        :func:`analysis.lexicon.strategies` entries (``id, name, seeds``...)
        plus ``_pats``, the compiled :func:`alias_pattern` of each seed, and
        ``_lits`` and ``_latin`` (as for :func:`load_entities`).

    Raises
    ------
    analysis.lexicon.LexiconError
        If ``strategies.yaml`` is malformed.
    """
    return _with_patterns("strategies", lexicon.strategies(), lambda s: s["seeds"])


def _check_str(sentence: Any) -> None:
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")


def find_entities(sentence: str, entities: Iterable[dict[str, Any]] | None = None) -> list[str]:
    """The ids of the entities a sentence names.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    entities : iterable of dict, optional
        :func:`load_entities` output (default: the project's).

    Returns
    -------
    list of str
        Sorted ids.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    found = set()
    entities = entities if entities is not None else load_entities()
    occurring = _occurring(sentence, entities, "entities")
    for ent in entities:
        if not _may_match(ent, sentence, occurring):
            continue  # no alias occurs at all
        blocked = [s for w in ent["not"] for s in occurrences(sentence, w)]
        for pat in ent["_pats"]:
            if any(not inside((m.start(), m.end()), blocked) for m in pat.finditer(sentence)):
                found.add(ent["id"])
                break
    return sorted(found)


def find_themes(sentence: str, strategies: Iterable[dict[str, Any]] | None = None) -> list[str]:
    """The ids of the strategies whose seed terms occur in a sentence.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    strategies : iterable of dict, optional
        :func:`load_strategies` output (default: the project's).

    Returns
    -------
    list of str
        Sorted ids.

    Raises
    ------
    ValueError
        If ``sentence`` is not a str.
    """
    _check_str(sentence)
    found = set()
    strategies = strategies if strategies is not None else load_strategies()
    occurring = _occurring(sentence, strategies, "strategies")
    for strat in strategies:
        if not _may_match(strat, sentence, occurring):
            continue  # no seed occurs at all
        if any(p.search(sentence) for p in strat["_pats"]):
            found.add(strat["id"])
    return sorted(found)
