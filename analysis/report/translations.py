r"""The English of every sentence: which translation goes with which sentence, and whether it is current.

The translations are hand-made data (``data/lexicon/translations/<article_id>.yaml``,
read with :func:`analysis.lexicon.translations`).  Each entry carries the
key :func:`analysis.lexicon.sentence_sha` of the clean Chinese sentence it
translates, so a sentence has one of three statuses:

``current``
    an entry for its id whose key is the sentence's key today;
``stale``
    an entry whose key differs: the sentence changed since it was translated
    (the old English is still shown, marked out of date);
``missing``
    no entry (for instance, every sentence of an article added later).

.. math::

    n_\text{sentences} = n_\text{translated} + n_\text{stale} + n_\text{missing}

This module returns data; the pages and the evidence tables render it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import lexicon

__all__ = ["STATUSES", "sentence_translations", "translation_status", "article_titles", "short_label",
           "credit_line"]

#: The status of a sentence's translation, in this order.
STATUSES = ("current", "stale", "missing")

#: Columns of :func:`translation_status`.
STATUS_COLUMNS = ("article_id", "n_sentences", "n_translated", "n_stale", "n_missing", "n_orphaned")


def _clean(claims: pd.DataFrame) -> pd.Series:
    """The clean sentence of each claim (the raw quote where the clean text is absent)."""
    if "sentence_clean" not in claims.columns:
        return claims["sentence"].astype(str)
    clean = claims["sentence_clean"].fillna("").astype(str)
    return clean.where(clean != "", claims["sentence"].astype(str))


def sentence_translations(claims: pd.DataFrame, directory: Path | None = None) -> pd.DataFrame:
    """The English of every sentence and the status of its translation.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact (``claim_id``, ``article_id``, ``sentence`` and,
        when present, ``sentence_clean``).
    directory : pathlib.Path, optional
        The translations folder (default ``data/lexicon/translations``).

    Returns
    -------
    pandas.DataFrame
        One row per claim, in the order of ``claims``: ``claim_id``,
        ``article_id``, ``en`` (``""`` when missing) and ``status`` (one of
        :data:`STATUSES`).

    Raises
    ------
    analysis.lexicon.LexiconError
        On a malformed translation file.
    """
    rows = []
    entries: dict[str, dict] = {}
    for cid, aid, text in zip(claims["claim_id"], claims["article_id"], _clean(claims), strict=True):
        if aid not in entries:
            entries[aid] = lexicon.translations(aid, directory)["sentences"]
        entry = entries[aid].get(cid)
        if entry is None:
            rows.append((cid, aid, "", "missing"))
        else:
            status = "current" if entry["sha"] == lexicon.sentence_sha(text) else "stale"
            rows.append((cid, aid, entry["en"], status))
    return pd.DataFrame(rows, columns=["claim_id", "article_id", "en", "status"])


def translation_status(claims: pd.DataFrame, directory: Path | None = None) -> pd.DataFrame:
    """Per article: how many sentences have a current, a stale or no translation.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    directory : pathlib.Path, optional
        The translations folder (default ``data/lexicon/translations``).

    Returns
    -------
    pandas.DataFrame
        One row per article, sorted by id, with ``n_sentences``,
        ``n_translated`` (current), ``n_stale``, ``n_missing`` and
        ``n_orphaned`` (entries whose sentence id is no longer a sentence of
        the article; not counted in ``n_sentences``).
    """
    tr = sentence_translations(claims, directory)
    rows = []
    for aid in sorted(tr["article_id"].unique()):
        status = tr.loc[tr["article_id"] == aid, "status"]
        ids = set(tr.loc[tr["article_id"] == aid, "claim_id"])
        orphaned = set(lexicon.translations(aid, directory)["sentences"]) - ids
        rows.append((aid, len(status), int((status == "current").sum()), int((status == "stale").sum()),
                     int((status == "missing").sum()), len(orphaned)))
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))


def article_titles(article_ids: Iterable[str], directory: Path | None = None) -> dict[str, str]:
    """The English title of each article that has one.

    Parameters
    ----------
    article_ids : iterable of str
    directory : pathlib.Path, optional
        The translations folder (default ``data/lexicon/translations``).

    Returns
    -------
    dict of str to str
        ``{article_id: title_en}``, without the articles that have no English title.
    """
    out = {}
    for aid in sorted(set(article_ids)):
        title = lexicon.translations(aid, directory)["title_en"].strip()
        if title:
            out[aid] = title
    return out


def short_label(article_id: str, title_en: str | None = None) -> str:
    """A reader's label for an article: ``"000 · <English title>"`` (``"000"`` without a title).

    Parameters
    ----------
    article_id : str
    title_en : str, optional

    Returns
    -------
    str
    """
    number = article_id.split("_", 1)[0]
    return f"{number} · {title_en.strip()}" if title_en and title_en.strip() else number


def credit_line(article_id: str, directory: Path | None = None) -> str:
    """Who translated an article and who reviewed it, as one sentence (``""`` without a translation).

    Parameters
    ----------
    article_id : str
    directory : pathlib.Path, optional
        The translations folder (default ``data/lexicon/translations``).

    Returns
    -------
    str
        ``"Translated for this book by …; reviewed by …."`` (plain text, to be escaped).
    """
    tr = lexicon.translations(article_id, directory)
    if not tr["sentences"]:
        return ""
    by = tr["translated_by"].strip() or "an unnamed translator"
    line = f"Translated for this book by {by}"
    if tr["reviewed_by"].strip():
        line += f"; reviewed by {tr['reviewed_by'].strip()}"
    return line + "."
