"""The glossary: every Chinese term of the book with its computed pinyin and its English gloss.

Terms come from ``glossary.yaml``, the CJK aliases of ``entities.yaml`` and
the CJK seed terms of the strategy codebook, all read through
:mod:`analysis.lexicon`.  Pinyin is computed with ``pypinyin``, never typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.report.display import HTMLTable
from analysis.report.tables import html_table

__all__ = ["gloss", "pinyin", "glossary_table", "glossary_html"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def gloss(term: str) -> str:
    """English gloss of a term from the project glossary.

    Parameters
    ----------
    term : str

    Returns
    -------
    str
        The gloss, or ``""`` when the glossary lacks the term.
    """
    return lexicon.glossary().get(term, "")


def pinyin(term: str) -> str:
    """Tone-marked pinyin of a Chinese term (computed with pypinyin).

    Parameters
    ----------
    term : str

    Returns
    -------
    str
        One syllable per character, separated by spaces (``"lái wǎng"``).
    """
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(term, style=Style.TONE))


def glossary_table(glossary: Mapping[str, str] | None = None, entities: Sequence[Mapping[str, Any]] | None = None,
                   strategies: Sequence[Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """The book's glossary: Chinese terms with computed pinyin and English.

    Parameters
    ----------
    glossary : mapping of str to str, optional
        Term -> gloss (default :func:`analysis.lexicon.glossary`).
    entities : sequence of mapping, optional
        Default :func:`analysis.lexicon.entities`.
    strategies : sequence of mapping, optional
        Default :func:`analysis.lexicon.strategies`.

    Returns
    -------
    pandas.DataFrame
        ``term, pinyin, english, kind, strategies``, sorted by pinyin then
        term.  ``english`` is the glossary gloss, else the entity's name, else
        ``""``; ``strategies`` names the strategies seeded by the term.
    """
    glossary = lexicon.glossary() if glossary is None else glossary
    entities = lexicon.entities() if entities is None else entities
    strategies = lexicon.strategies() if strategies is None else strategies
    terms: dict[str, dict[str, Any]] = {}

    def add(term: str) -> dict[str, Any]:
        return terms.setdefault(term, {"term": term, "english": "", "kind": "term", "strategies": set()})

    for t, g in glossary.items():
        add(str(t))["english"] = str(g)
    for e in entities:
        for alias in e.get("aliases") or []:
            if _CJK.search(str(alias)):
                rec = add(str(alias))
                rec["kind"] = str(e.get("kind", "entity"))
                rec["english"] = rec["english"] or str(e.get("name", ""))
    for s in strategies:
        for seed in s.get("seeds") or []:
            if _CJK.search(str(seed)):
                add(str(seed).strip("“”\"'"))["strategies"].add(str(s["name"]))
    rows = [{**r, "pinyin": pinyin(r["term"]), "strategies": "; ".join(sorted(r["strategies"]))}
            for r in terms.values()]
    df = pd.DataFrame(rows, columns=["term", "pinyin", "english", "kind", "strategies"])
    return df.sort_values(["pinyin", "term"]).reset_index(drop=True)


def glossary_html(gl: pd.DataFrame) -> HTMLTable:
    """The glossary as a sortable, filterable table.

    Parameters
    ----------
    gl : pandas.DataFrame
        :func:`glossary_table` output.

    Returns
    -------
    HTMLTable
    """
    return html_table(gl[["term", "pinyin", "english", "kind", "strategies"]], zh=["term"],
                      labels={"term": "Term", "pinyin": "Pinyin", "english": "English", "kind": "Kind",
                              "strategies": "Seed of strategies"})
