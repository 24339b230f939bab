"""Render data frames as safe, sortable HTML tables for the book.

Article text is untrusted: every cell is escaped with :func:`html.escape`.
Links are built only from trusted, generated hrefs (see :mod:`analysis.links`)
and are escaped too.  Tables get the ``sortable-table`` class, which
``book/_static/tables.js`` turns into click-to-sort, filterable tables.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

__all__ = ["html_table", "HTMLTable"]


class HTMLTable:
    """A pre-rendered HTML table that Jupyter displays as ``text/html``.

    Its plain-text repr is stable (row and column counts), so nbval compares
    the HTML itself.
    """

    def __init__(self, markup: str, n_rows: int, n_cols: int) -> None:
        self.markup = markup
        self.n_rows = n_rows
        self.n_cols = n_cols

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<table: {self.n_rows} rows x {self.n_cols} columns>"


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"
    return str(value)


def html_table(
    df: pd.DataFrame,
    *,
    links: Mapping[str, str] | None = None,
    zh: Sequence[str] = (),
    sortable: bool = True,
    caption: str | None = None,
) -> HTMLTable:
    """Render ``df`` as an escaped HTML table.

    Parameters
    ----------
    df : pandas.DataFrame
    links : mapping of str to str, optional
        ``{column: href_column}``: the cell of ``column`` becomes a link to
        the URL in ``href_column`` (which is not displayed).
    zh : sequence of str
        Columns holding Chinese text (tagged ``lang="zh"`` for fonts and
        screen readers).
    sortable : bool, default True
        Add the ``sortable-table`` class.
    caption : str, optional

    Returns
    -------
    HTMLTable
    """
    links = dict(links or {})
    for col, href in links.items():
        if col not in df.columns or href not in df.columns:
            raise ValueError(f"link column {col!r} -> {href!r} not in the frame")
    shown = [c for c in df.columns if c not in set(links.values())]
    cls = "sortable-table table" if sortable else "table"
    out = [f'<table class="{cls}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in shown) + "</tr></thead>")
    out.append("<tbody>")
    for _, row in df.iterrows():
        cells = []
        for c in shown:
            text = html.escape(_cell(row[c]))
            if c in links and _cell(row[links[c]]):
                text = f'<a href="{html.escape(_cell(row[links[c]]), quote=True)}">{text}</a>'
            lang = ' lang="zh"' if c in zh else ""
            cells.append(f"<td{lang}>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return HTMLTable("\n".join(out), len(df), len(shown))
