"""Stable anchors and links from the book's chapters to the source passages.

Every sentence of every article has an id, ``claim_id = "<article_id>:<n>"``
(``n`` counts the article's sentences from 0, in ``claims.csv`` order).  The
article pages (``book/articles/<article_id>.md``) give each sentence an HTML
anchor, and the chapters link to it with :func:`source_href`.
"""

from __future__ import annotations

__all__ = ["claim_id", "sentence_anchor", "article_page", "source_href", "split_claim_id"]


def claim_id(article_id: str, n: int) -> str:
    """Return the id of sentence ``n`` of an article (``"000_x:12"``)."""
    if n < 0:
        raise ValueError(f"sentence number must be >= 0, got {n}")
    return f"{article_id}:{n}"


def split_claim_id(cid: str) -> tuple[str, int]:
    """Invert :func:`claim_id`."""
    article_id, _, n = cid.rpartition(":")
    if not article_id or not n.isdigit():
        raise ValueError(f"not a claim id: {cid!r}")
    return article_id, int(n)


def sentence_anchor(article_id: str, n: int) -> str:
    """HTML id of sentence ``n`` on its article page (``"s-000_x-12"``)."""
    return f"s-{article_id}-{n}"


def article_page(article_id: str, *, prefix: str = "") -> str:
    """Relative URL of an article's page from a chapter at the book root."""
    return f"{prefix}articles/{article_id}.html"


def source_href(cid: str, *, prefix: str = "") -> str:
    """Relative URL of a sentence, from a chapter at the book root.

    Parameters
    ----------
    cid : str
        A claim id (see :func:`claim_id`).
    prefix : str, default ""
        Prepended to the path; ``"../"`` from a page one folder deep.
    """
    article_id, n = split_claim_id(cid)
    return f"{article_page(article_id, prefix=prefix)}#{sentence_anchor(article_id, n)}"
