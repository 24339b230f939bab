"""The claims explorer: every sentence with its type, strategies, an English gloss and a link to its source.

Rendering only: the table goes through :func:`analysis.report.tables.html_table`,
which escapes every piece of article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import config, lexicon
from analysis.extract.ids import source_href
from analysis.report.display import HTMLTable
from analysis.report.escape import link
from analysis.report.tables import html_table

__all__ = ["GLOSSES_FILE", "load_glosses", "gloss_for", "claims_html"]

GLOSSES_FILE: Path = config.GLOSSES_FILE


def load_glosses(claims: pd.DataFrame, path: Path = GLOSSES_FILE) -> dict[str, str]:
    """Read hand-written English glosses, keeping those that still fit their sentence.

    A gloss carries the first characters of its sentence (``starts``); a
    gloss whose claim no longer starts that way is dropped, so renumbered
    claims never get another sentence's gloss.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    path : pathlib.Path
        The glosses lexicon (``data/lexicon/glosses.yaml``); a missing file means no gloss.

    Returns
    -------
    dict of str to str
        ``claim_id -> gloss``.
    """
    if not Path(path).exists():
        return {}
    data = lexicon.read_yaml(Path(path)) or {}
    text = dict(zip(claims["claim_id"], claims["sentence_clean"], strict=True))
    return {cid: g["gloss"] for cid, g in sorted((data.get("glosses") or {}).items())
            if cid in text and text[cid].startswith(str(g.get("starts", "")))}


def gloss_for(row: Mapping[str, object], glosses: Mapping[str, str], strategy_names: Mapping[str, str]) -> str:
    """English gloss of a claim: the hand-written one, else the strategies it touches.

    Parameters
    ----------
    row : mapping
        A claims row (``claim_id``, ``themes``).
    glosses : mapping of str to str
        :func:`load_glosses` output.
    strategy_names : mapping of str to str
        Strategy id to English name.

    Returns
    -------
    str
        The gloss, ``"[touches: ...]"``, or ``""``.
    """
    if row["claim_id"] in glosses:
        return glosses[str(row["claim_id"])]
    themes = [t for t in str(row["themes"]).split(";") if t]
    return ("[touches: " + "; ".join(strategy_names.get(t, t) for t in themes) + "]") if themes else ""


def claims_html(claims: pd.DataFrame, *, glosses: Mapping[str, str] | None = None, prefix: str = "",
                css_class: str = "") -> HTMLTable:
    """Every claim as a sortable, filterable table.

    Columns: claim id, type, the Chinese sentence (as in the raw file), an
    English gloss, themes, and a link to the source passage.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    glosses : mapping of str to str, optional
        :func:`load_glosses` output.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.
    css_class : str
        Extra class of the ``<table>`` (it is always ``sortable-table``).

    Returns
    -------
    HTMLTable
    """
    glosses = glosses or {}
    names = {s["id"]: s["name"] for s in lexicon.strategies()}
    shown = pd.DataFrame({
        "claim": claims["claim_id"],
        "type": claims["type"],
        "sentence": claims["sentence"],
        "gloss": [gloss_for(r, glosses, names) for r in claims[["claim_id", "themes"]].to_dict("records")],
        "themes": claims["themes"].astype(str).str.replace(";", "; ", regex=False),
        "source": [link(source_href(c, prefix=prefix), "source") for c in claims["claim_id"]],
    })
    return html_table(shown, markup=["source"], zh=["sentence"], css_class=css_class)
