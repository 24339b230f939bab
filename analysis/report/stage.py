"""The ``pages`` stage: one bilingual page per article in ``book/articles``, and their index.

Unlike the other stages, its output is part of the book's sources, not the
catalogue: :func:`pages` returns the page texts and :func:`write_pages`
writes the ones that changed (so Sphinx rebuilds only those) and removes the
pages of articles that are gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis import _io
from analysis.corpus.documents import iter_documents
from analysis.corpus.ingest import Document
from analysis.report.pages import article_page, article_sentences, index_page
from analysis.stage_api import Context

__all__ = ["pages", "pages_summary", "write_pages"]


def pages(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Render every article page and the index.

    Parameters
    ----------
    inputs : mapping
        ``claims``: the sentences, each checked against its raw span.
    ctx : analysis.stage_api.Context
        The processed and raw folders to read the documents from.

    Returns
    -------
    dict
        ``article_pages``: ``{file name: Markdown text}``.

    Raises
    ------
    ValueError
        When the claims disagree with the articles.
    """
    claims = inputs["claims"]
    texts: dict[str, str] = {}
    entries: list[tuple[Document, int]] = []
    for doc in iter_documents(processed_dir=ctx.processed_dir, raw_dir=ctx.raw_dir):
        sents = article_sentences(doc, claims)
        texts[f"{doc.article_id}.md"] = article_page(doc, sents)
        entries.append((doc, len(sents)))
    if not entries:
        raise ValueError("no prepared articles")
    unknown = sorted(set(claims["article_id"]) - {d.article_id for d, _ in entries})
    if unknown:
        raise ValueError(f"claims.csv has sentences of unknown article(s) {', '.join(unknown)}: rerun the pipeline")
    texts["index.md"] = index_page(entries)
    return {"article_pages": texts, "_n_articles": len(entries), "_n_sentences": sum(n for _, n in entries)}


def pages_summary(out: Mapping[str, Any]) -> str:
    """One line: pages and sentence anchors.

    Parameters
    ----------
    out : mapping
        The output of :func:`pages`.

    Returns
    -------
    str
        ``"pages: N article pages, M sentence anchors"``.
    """
    return f"pages: {out['_n_articles']} article pages, {out['_n_sentences']:,} sentence anchors"


def write_pages(texts: Mapping[str, str], book_dir: Path) -> list[Path]:
    """Write the pages that changed into ``book_dir/articles``, all or none, and drop stale ones.

    Parameters
    ----------
    texts : mapping of str to str
        ``{file name: Markdown text}``, the ``article_pages`` output of :func:`pages`.
    book_dir : pathlib.Path
        The book's sources; the pages go to ``book_dir / "articles"``.

    Returns
    -------
    list of pathlib.Path
        Every page, written or already up to date.
    """
    out_dir = Path(book_dir) / "articles"
    items = [(out_dir / name, text) for name, text in sorted(texts.items())]
    changed = [(p, t) for p, t in items if not p.exists() or p.read_text(encoding="utf-8") != t]
    _io.write_all_or_nothing(changed)
    for stale in sorted(out_dir.glob("*.md")):
        if stale.name not in texts:
            stale.unlink()
    return [p for p, _ in items]
