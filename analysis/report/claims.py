"""The claims explorer: every sentence with its type, strategies, English and a link to its source.

Rendering only; article text is escaped on the way out.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd
import yaml

from analysis import config, lexicon

GLOSSES_FILE: Path = config.GLOSSES_FILE

def load_glosses(claims: pd.DataFrame, path: Path = GLOSSES_FILE) -> dict[str, str]:
    """Read hand-written English glosses, keeping those that still fit their sentence.

    A gloss carries the first characters of its sentence (``starts``); a
    gloss whose claim no longer starts that way is dropped, so renumbered
    claims never get another sentence's gloss.

    Returns
    -------
    dict
        ``claim_id -> gloss``.
    """
    if not Path(path).exists():
        return {}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    text = dict(zip(claims["claim_id"], claims["sentence_clean"], strict=True))
    return {cid: g["gloss"] for cid, g in sorted((data.get("glosses") or {}).items())
            if cid in text and text[cid].startswith(str(g.get("starts", "")))}


def gloss_for(row, glosses: dict[str, str], strategy_names: dict[str, str]) -> str:
    """English gloss of a claim: the hand-written one, else the strategies it touches."""
    if row["claim_id"] in glosses:
        return glosses[row["claim_id"]]
    themes = [t for t in str(row["themes"]).split(";") if t]
    return ("[touches: " + "; ".join(strategy_names.get(t, t) for t in themes) + "]") if themes else ""


def claims_html(claims: pd.DataFrame, *, glosses: dict[str, str] | None = None, prefix: str = "",
                table_class: str = "sortable-table") -> str:
    """Render claims as an HTML table, escaping every piece of article text.

    Columns: claim id, type, the Chinese sentence (as in the raw file), an
    English gloss, themes, and a link to the source passage
    (:func:`analysis.links.source_href`).

    Parameters
    ----------
    claims : pandas.DataFrame
        Rows of ``claims.csv``.
    glosses : dict, optional
        :func:`load_glosses` output.
    prefix : str
        Passed to :func:`analysis.links.source_href`.
    table_class : str
        CSS class of the ``<table>`` (the book's JS sorts and filters
        ``sortable-table``).

    Returns
    -------
    str
    """

    from analysis.extract.ids import source_href

    glosses = glosses or {}
    names = {s["id"]: s["name"] for s in lexicon.strategies()}
    head = ["claim", "type", "sentence", "gloss", "themes", "source"]
    out = [f'<table class="{escape(table_class, quote=True)}">', "<thead><tr>"
           + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>", "<tbody>"]
    for _, row in claims.iterrows():
        href = escape(source_href(row["claim_id"], prefix=prefix), quote=True)
        cells = [escape(str(row["claim_id"])), escape(str(row["type"])),
                 f'<span lang="zh">{escape(str(row["sentence"]))}</span>',
                 escape(gloss_for(row, glosses, names)),
                 escape(str(row["themes"]).replace(";", "; ")),
                 f'<a href="{href}">source</a>']
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


