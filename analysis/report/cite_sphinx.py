"""A Sphinx extension: the landing page's BibTeX entry names the version of the sources at every build.

It is listed in ``_config.yml`` (``sphinx: extra_extensions``).
The entry is a notebook output (:func:`analysis.report.cite.cite_block`), and
jupyter-cache reuses a notebook's outputs until its code changes, so the
commit and dates it shows would be those of the last execution.  This
extension marks the landing page outdated on every build (it is re-read, from
the execution cache: no kernel runs) and replaces the text of the entry's
code block with :func:`analysis.report.cite.bibtex`, computed now.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

from analysis.report import cite

#: The page that shows the entry (the book's root).
CITE_PAGE = "book/intro"
ENTRY_START = "@misc{laiwang-wechat-book-"


def _always_outdated(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Re-read the landing page on every build (Sphinx ``env-get-outdated``)."""
    return [CITE_PAGE] if CITE_PAGE in env.found_docs and CITE_PAGE not in added | changed else []


def _fresh_entry(app: Any, doctree: nodes.document) -> None:
    """Replace the entry's text with one computed now (Sphinx ``doctree-read``)."""
    if app.env.docname != CITE_PAGE:
        return
    blocks = [n for n in doctree.findall(nodes.literal_block) if n.astext().startswith(ENTRY_START)]
    if len(blocks) != 1:
        raise RuntimeError(f"{CITE_PAGE}: expected one BibTeX entry ({ENTRY_START}...), found {len(blocks)}")
    text = cite.bibtex()
    blocks[0][:] = [nodes.Text(text)]
    blocks[0].rawsource = text


def setup(app: Any) -> dict[str, Any]:
    """Register the two event handlers.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application.

    Returns
    -------
    dict
        The extension's metadata (safe for parallel reading and writing).
    """
    app.connect("env-get-outdated", _always_outdated)
    app.connect("doctree-read", _fresh_entry)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
