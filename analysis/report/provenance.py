"""The reproducing appendix's tables: the installed versions of the key packages, and the raw-data manifest."""

from __future__ import annotations

from analysis.corpus.manifest import manifest_table, versions_table
from analysis.report.display import HTMLTable
from analysis.report.tables import html_table

__all__ = ["versions_html", "manifest_html"]


def versions_html() -> HTMLTable:
    """The installed version of each package that can change a result or the book.

    Returns
    -------
    HTMLTable
        ``package, version`` (see :func:`analysis.corpus.manifest.versions_table`).
    """
    return html_table(versions_table())


def manifest_html() -> HTMLTable:
    """Each raw file with its recorded SHA-256 digest (abridged) and whether the file still matches it.

    Returns
    -------
    HTMLTable
        See :func:`analysis.corpus.manifest.manifest_table`.
    """
    return html_table(manifest_table())
