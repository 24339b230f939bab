"""What a chapter cell displays: pre-rendered HTML, Markdown or a PNG, each with a stable plain-text repr.

Jupyter shows the rich form (``_repr_html_``, ``_repr_markdown_``, PNG
bytes); nbval compares the plain-text form too, so it never holds a memory
address or a time.  The markup itself is built by :mod:`analysis.report.tables`
and the chapter views; nothing here escapes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HTMLTable", "Markdown", "as_image"]


class HTMLTable:
    """A pre-rendered HTML table that Jupyter displays as ``text/html``.

    Parameters
    ----------
    markup : str
        The complete ``<table>`` element (already escaped).
    n_rows, n_cols : int
        Its size, for the plain-text repr.

    Attributes
    ----------
    markup : str
    n_rows, n_cols : int
    """

    def __init__(self, markup: str, n_rows: int, n_cols: int) -> None:
        self.markup = markup
        self.n_rows = n_rows
        self.n_cols = n_cols

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<table: {self.n_rows} rows x {self.n_cols} columns>"

    def __str__(self) -> str:
        return self.markup


class Markdown:
    """Markdown text (already escaped) that Jupyter renders, with the text itself as its repr.

    Parameters
    ----------
    text : str

    Attributes
    ----------
    text : str
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def as_image(fig: Any) -> Any:
    """Render a matplotlib figure to a PNG image output and close it.

    A figure cell that ends with this stores the image whatever the
    matplotlib backend (under ``MPLBACKEND=Agg`` nothing is shown otherwise),
    exactly once, with a stable plain-text repr.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    IPython.display.Image
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return Image(data=buf.getvalue(), format="png")
