"""The one table builder: every table the book displays is rendered by :func:`html_table`.

Cells are text, escaped with :func:`analysis.report.escape.esc`, unless the
caller names a column as *markup*: a column of HTML that the report code
built itself from generated hrefs and escaped text (source links, a
``<code>`` id, a Chinese quote with its English), never raw article text.  A
cell can also become a link to the URL of another (hidden) column.

What a reader gets, for every table:

* it sits in a ``<div class="table-wrap">`` that scrolls sideways on its own
  when the table is wider than the page, with a sticky first column
  (``book/_static/book.css``), so the page itself never scrolls sideways;
* no index, and empty cells for missing values (never ``nan``);
* numeric columns right-aligned (class ``num``), and column widths where the
  caller asks for them (``widths={"sentence": "wide"}``);
* the ``sortable-table`` class by default, which ``book/_static/tables.js``
  turns into click-to-sort tables with a text filter, plus one select box per
  *facet* column (``facets=[...]``): a facet cell may hold several values (a
  list), each one a choice of the select box.

Numbers are formatted once, here (:func:`format_cell`): integers as they
are, floats in the shortest form (``352`` rather than ``352.0``), large
whole floats with thousands separators.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral, Real

import pandas as pd
from pandas.api import types as ptypes

from analysis.report.display import HTMLTable
from analysis.report.escape import esc

__all__ = ["HTMLTable", "WIDTHS", "format_cell", "html_table"]

Formatter = Callable[[object], str] | str

#: Column widths that :func:`html_table` accepts, each a CSS class ``col-<width>`` of ``book.css``.
WIDTHS = ("narrow", "medium", "wide")

#: Separator of the values of a multi-valued facet cell in its ``data-values`` attribute.
FACET_SEP = "|"


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, Real) and not isinstance(value, Integral) and math.isnan(float(value))


def format_cell(value: object) -> str:
    """The text of one cell.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
        ``""`` for ``None``/NaN/NA/NaT; an integer as ``str``; a float with
        ``:g`` below a million, with thousands separators above (no
        decimals when it is whole); a list or tuple as its items joined by
        ``"; "``; anything else as ``str``.
    """
    if isinstance(value, list | tuple):
        return "; ".join(t for t in (format_cell(v) for v in value) if t)
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        if abs(v) >= 1e6:
            return f"{v:,.0f}" if v.is_integer() else f"{v:,.6g}"
        return f"{v:g}"
    return str(value)


def _formatted(value: object, fmt: Formatter | None) -> str:
    if fmt is None or isinstance(value, list | tuple):
        return format_cell(value)
    if _missing(value):
        return ""
    return fmt(value) if callable(fmt) else format(value, fmt)


def _facet_values(value: object) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    return [format_cell(v).replace(FACET_SEP, "/") for v in items if format_cell(v)]


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
    widths: Mapping[str, str] | None = None,
    facets: Sequence[str] = (),
    wrap: bool = True,
) -> HTMLTable:
    """Render a frame as an escaped HTML table in a scroll container.

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
        Add the ``sortable-table`` class (click-to-sort, text filter, facets).
    css_class : str, default "table"
        The table's other class(es).
    caption : str, optional
        A ``<caption>``, escaped.
    header : bool, default True
        Emit the ``<thead>`` row.
    row_headers : bool, default False
        Render the first column's cells as ``<th>`` (a key-value table).
    widths : mapping of str to str, optional
        ``{column: width}`` with a width of :data:`WIDTHS`: the column's
        cells get the class ``col-<width>`` (a minimum width in ``book.css``).
    facets : sequence of str
        Columns to filter on with a select box (needs ``sortable``).  A cell
        of such a column may be a list or tuple of values: it shows them
        joined by ``"; "`` and lists them in ``data-values``.
    wrap : bool, default True
        Put the table in a ``<div class="table-wrap">``, its own horizontal
        scroll container.

    Returns
    -------
    HTMLTable
        The markup, one row per line and no blank line (so that it stays a
        single raw HTML block in MyST Markdown).

    Raises
    ------
    ValueError
        If a named column is not in the frame, the column names repeat, or a
        width is not one of :data:`WIDTHS`.
    """
    links, labels, formats = dict(links or {}), dict(labels or {}), dict(formats or {})
    widths = dict(widths or {})
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        raise ValueError(f"html_table: repeated column names in {columns}")
    named = {**{c: "links" for c in links}, **{h: "links" for h in links.values()},
             **{c: "markup" for c in markup}, **{c: "zh" for c in zh}, **{c: "labels" for c in labels},
             **{c: "formats" for c in formats}, **{c: "widths" for c in widths}, **{c: "facets" for c in facets}}
    unknown = sorted(c for c in named if c not in columns)
    if unknown:
        raise ValueError(f"html_table: {', '.join(f'{c!r} ({named[c]})' for c in unknown)} not in the frame")
    bad = sorted(f"{c!r}: {w!r}" for c, w in widths.items() if w not in WIDTHS)
    if bad:
        raise ValueError(f"html_table: widths must be one of {', '.join(WIDTHS)}, not {', '.join(bad)}")
    hidden = set(links.values())
    shown = [c for c in columns if c not in hidden]
    frame = df.set_axis(columns, axis=1)
    col_class: dict[str, list[str]] = {c: [] for c in shown}
    for c in shown:
        dtype = frame[c].dtype
        if c not in markup and ptypes.is_numeric_dtype(dtype) and not ptypes.is_bool_dtype(dtype):
            col_class[c].append("num")
        if c in widths:
            col_class[c].append(f"col-{widths[c]}")

    def attrs(c: str, *extra: str) -> str:
        cls = " ".join(col_class[c])
        return (f' class="{esc(cls)}"' if cls else "") + "".join(extra)

    classes = " ".join(c for c in ("sortable-table" if sortable else "", css_class) if c)
    out = ['<div class="table-wrap">'] if wrap else []
    out.append(f'<table class="{esc(classes)}">' if classes else "<table>")
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    if header:
        facet_attr = ' data-facet="1"'
        out.append("<thead><tr>" + "".join(
            f"<th{attrs(c, facet_attr if c in facets else '')}>{esc(labels.get(c, c))}</th>"
            for c in shown) + "</tr></thead>")
    out.append("<tbody>")
    for row in frame.itertuples(index=False, name=None):
        values = dict(zip(columns, row, strict=True))
        cells = []
        for i, c in enumerate(shown):
            value = values[c]
            if c in markup:
                text = "" if format_cell(value) == "" else str(value)
            else:
                text = esc(_formatted(value, formats.get(c)))
                href = format_cell(values[links[c]]) if c in links else ""
                if href and text:
                    text = f'<a href="{esc(href)}">{text}</a>'
            tag = "th" if row_headers and i == 0 else "td"
            extra = [' lang="zh"'] if c in zh else []
            if c in facets and isinstance(value, list | tuple):
                extra.append(f' data-values="{esc(FACET_SEP.join(_facet_values(value)))}"')
            cells.append(f"<{tag}{attrs(c, *extra)}>{text}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if wrap:
        out.append("</div>")
    return HTMLTable("\n".join(out), len(df), len(shown))
