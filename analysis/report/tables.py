"""The one table builder: every table the book displays is rendered by :func:`html_table`.

Cells are text, escaped with :func:`analysis.report.escape.esc`, unless the
caller names a column as *markup*: a column of HTML that the report code
built itself from generated hrefs and escaped text (source links, a
``<code>`` id), never a column of article text.  A cell can also become a
link to the URL of another (hidden) column.  Tables get the
``sortable-table`` class by default, which ``book/_static/tables.js`` turns
into click-to-sort, filterable tables.

Numbers are formatted once, here (:func:`format_cell`): integers as they
are, floats in the shortest form (``352`` rather than ``352.0``), large
whole floats with thousands separators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral, Real

import pandas as pd

from analysis.report.display import HTMLTable
from analysis.report.escape import esc

__all__ = ["HTMLTable", "format_cell", "html_table"]

Formatter = Callable[[object], str] | str


def format_cell(value: object) -> str:
    """The text of one cell.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
        ``""`` for ``None``/NaN/NA; an integer as ``str``; a float with
        ``:g`` below a million, with thousands separators above (no
        decimals when it is whole); anything else as ``str``.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        if math.isnan(v):
            return ""
        if abs(v) >= 1e6:
            return f"{v:,.0f}" if v.is_integer() else f"{v:,.6g}"
        return f"{v:g}"
    return str(value)


def _formatted(value: object, fmt: Formatter | None) -> str:
    if fmt is None:
        return format_cell(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return fmt(value) if callable(fmt) else format(value, fmt)


def html_table(
    df: pd.DataFrame,
    *,
    links: Mapping[str, str] | None = None,
    markup: Sequence[str] = (),
    zh: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    formats: Mapping[str, Formatter] | None = None,
    sortable: bool = True,
    css_class: str = "table",
    caption: str | None = None,
    header: bool = True,
    row_headers: bool = False,
) -> HTMLTable:
    """Render a frame as an escaped HTML table.

    The index is not shown: reset it first if it carries data.

    Parameters
    ----------
    df : pandas.DataFrame
        The rows and columns to show, in order (column names must be unique).
    links : mapping of str to str, optional
        ``{column: href_column}``: the (escaped) text of ``column`` becomes a
        link to the URL in ``href_column``, which is not displayed.  Only
        generated, trusted URLs belong in an href column.
    markup : sequence of str
        Columns of trusted HTML built by the report code (escaped pieces and
        generated links); inserted as they are.
    zh : sequence of str
        Columns holding Chinese text: their cells get ``lang="zh"``.
    labels : mapping of str to str, optional
        Header text for some columns (default: the column name).
    formats : mapping of str to callable or str, optional
        Per-column formatting: a function of the value, or a format spec
        (``".1f"``); the result is escaped.  Default :func:`format_cell`.
    sortable : bool, default True
        Add the ``sortable-table`` class.
    css_class : str, default "table"
        The table's other class(es).
    caption : str, optional
        A ``<caption>``, escaped.
    header : bool, default True
        Emit the ``<thead>`` row.
    row_headers : bool, default False
        Render the first column's cells as ``<th>`` (a key-value table).

    Returns
    -------
    HTMLTable
        The markup, one row per line and no blank line (so that it stays a
        single raw HTML block in MyST Markdown).

    Raises
    ------
    ValueError
        If a named column is not in the frame, or the column names repeat.
    """
    links, labels, formats = dict(links or {}), dict(labels or {}), dict(formats or {})
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        raise ValueError(f"html_table: repeated column names in {columns}")
    named = {**{c: "links" for c in links}, **{h: "links" for h in links.values()},
             **{c: "markup" for c in markup}, **{c: "zh" for c in zh}, **{c: "labels" for c in labels},
             **{c: "formats" for c in formats}}
    unknown = sorted(c for c in named if c not in columns)
    if unknown:
        raise ValueError(f"html_table: {', '.join(f'{c!r} ({named[c]})' for c in unknown)} not in the frame")
    hidden = set(links.values())
    shown = [c for c in columns if c not in hidden]
    frame = df.set_axis(columns, axis=1)
    classes = " ".join(c for c in ("sortable-table" if sortable else "", css_class) if c)
    out = [f'<table class="{esc(classes)}">' if classes else "<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{esc(labels.get(c, c))}</th>" for c in shown) + "</tr></thead>")
    out.append("<tbody>")
    for row in frame.itertuples(index=False, name=None):
        values = dict(zip(columns, row, strict=True))
        cells = []
        for i, c in enumerate(shown):
            if c in markup:
                text = "" if format_cell(values[c]) == "" else str(values[c])
            else:
                text = esc(_formatted(values[c], formats.get(c)))
                href = format_cell(values[links[c]]) if c in links else ""
                if href and text:
                    text = f'<a href="{esc(href)}">{text}</a>'
            tag = "th" if row_headers and i == 0 else "td"
            lang = ' lang="zh"' if c in zh else ""
            cells.append(f"<{tag}{lang}>{text}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return HTMLTable("\n".join(out), len(df), len(shown))
