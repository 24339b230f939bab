"""Stable anchors and links from the book's chapters to the source passages.

Every sentence of every article has an id, ``claim_id = "<article_id>:<n>"``
(``n`` counts the article's sentences from 0, in ``claims.csv`` order).  The
article pages (``book/articles/<article_id>.md``) give each sentence an HTML
anchor, and the chapters link to it with :func:`source_href`.
"""

from __future__ import annotations

__all__ = ["claim_id", "sentence_anchor", "article_page", "source_href", "split_claim_id"]


def claim_id(article_id: str, n: int) -> str:
    """The id of sentence ``n`` of an article.

    Parameters
    ----------
    article_id : str
    n : int
        The sentence's position in the article, from 0.

    Returns
    -------
    str
        ``"<article_id>:<n>"``, such as ``"000_x:12"``.

    Raises
    ------
    ValueError
        If ``n`` is negative.
    """
    if n < 0:
        raise ValueError(f"sentence number must be >= 0, got {n}")
    return f"{article_id}:{n}"


def split_claim_id(cid: str) -> tuple[str, int]:
    """Invert :func:`claim_id`.

    Parameters
    ----------
    cid : str
        A claim id.

    Returns
    -------
    (str, int)
        The article id and the sentence number.

    Raises
    ------
    ValueError
        If ``cid`` is not ``"<article_id>:<n>"``.
    """
    article_id, _, n = cid.rpartition(":")
    if not article_id or not n.isdigit():
        raise ValueError(f"not a claim id: {cid!r}")
    return article_id, int(n)


def sentence_anchor(article_id: str, n: int) -> str:
    """The anchor of sentence ``n`` on its article page.

    Parameters
    ----------
    article_id : str
    n : int
        The sentence number.

    Returns
    -------
    str
        ``"s-<article_id>-<n>"``, such as ``"s-000_x-12"``.
    """
    return f"s-{article_id}-{n}"


def article_page(article_id: str, *, prefix: str = "") -> str:
    """The relative URL of an article's page, from a chapter at the book root.

    Parameters
    ----------
    article_id : str
    prefix : str, default ""
        Prepended to the path; ``"../"`` from a page one folder deep.

    Returns
    -------
    str
        ``"<prefix>articles/<article_id>.html"``.
    """
    return f"{prefix}articles/{article_id}.html"


def source_href(cid: str, *, prefix: str = "") -> str:
    """Relative URL of a sentence, from a chapter at the book root.

    Parameters
    ----------
    cid : str
        A claim id (see :func:`claim_id`).
    prefix : str, default ""
        Prepended to the path; ``"../"`` from a page one folder deep.

    Returns
    -------
    str
        The article page's URL with the sentence's anchor as fragment.

    Raises
    ------
    ValueError
        If ``cid`` is not a claim id.
    """
    article_id, n = split_claim_id(cid)
    return f"{article_page(article_id, prefix=prefix)}#{sentence_anchor(article_id, n)}"
