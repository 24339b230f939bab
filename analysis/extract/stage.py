"""The ``numbers`` and ``claims`` stages: per-document extraction, mapped over the articles.

Both are pure: each maps a per-article function over the prepared documents
(:func:`analysis.corpus.documents.map_articles`, in parallel when asked) and
returns one table, which :mod:`analysis.stages` saves.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.corpus.documents import map_articles
from analysis.extract.claims import (
    CLAIM_COLUMNS,
    document_claims,
    load_reference,
    split_features,
)
from analysis.extract.classifier import assign_types
from analysis.extract.cues import TYPES
from analysis.extract.figures import combine_frames, extract_numbers
from analysis.stage_api import Context

__all__ = ["numbers", "numbers_summary", "claims", "claims_summary"]


def _map(func, ctx: Context) -> list[pd.DataFrame]:
    return map_articles(func, processed_dir=ctx.processed_dir, raw_dir=ctx.raw_dir, n_jobs=ctx.n_jobs,
                        backend=ctx.backend, scheduler=ctx.scheduler, progress=ctx.progress)


def numbers(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Extract the figures of every prepared article.

    Parameters
    ----------
    inputs : mapping
        ``corpus`` (only checked to exist: the stage reads the documents).
    ctx : analysis.stage_api.Context

    Returns
    -------
    dict
        ``numbers``: one row per figure, sorted by article and position.
    """
    frames = _map(extract_numbers, ctx)
    return {"numbers": combine_frames(frames), "_n_articles": len(frames)}


def numbers_summary(out: Mapping[str, Any]) -> str:
    """One line: figures and articles.

    Parameters
    ----------
    out : mapping
        :func:`numbers` output.

    Returns
    -------
    str
    """
    return f"numbers: {len(out['numbers'])} figures in {out.get('_n_articles', 0)} articles"


def claims(inputs: Mapping[str, Any], ctx: Context) -> dict[str, pd.DataFrame]:
    """Split every prepared article into sentences and type each claim.

    The types are the cross-fitted coder's (:func:`analysis.extract.classifier.assign_types`):
    a sentence of an article in the reference coding is typed by the model
    trained on the other coded articles, any other sentence by the model
    trained on all of them.

    Parameters
    ----------
    inputs : mapping
        ``corpus`` (its ``author`` column; the stage reads the documents).
    ctx : analysis.stage_api.Context

    Returns
    -------
    dict
        ``claims``: one row per sentence.

    Raises
    ------
    ValueError
        If the articles hold no sentence at all.
    """
    # the claims rows plus the coder's features of each article, split off below; document_claims lives
    # in a module without the classifier, so the workers that unpickle it never import scikit-learn
    frames = _map(document_claims, ctx)
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CLAIM_COLUMNS)
    if df.empty:
        raise ValueError("no sentences found in the prepared articles")
    corpus = inputs.get("corpus")
    authors = dict(zip(corpus["article_id"], corpus["author"].fillna(""), strict=True)) if corpus is not None else {}
    df, feats = split_features(df, authors)  # feats is None if it must be recomputed
    return {"claims": assign_types(df, load_reference(), authors, features=feats, n_jobs=ctx.n_jobs,
                                   backend=ctx.backend, scheduler=ctx.scheduler,
                                   cache=ctx.cache.store if ctx.cache is not None else None)}


def claims_summary(out: Mapping[str, Any]) -> str:
    """One line: sentences by claim type.

    Parameters
    ----------
    out : mapping
        :func:`claims` output.

    Returns
    -------
    str
    """
    df = out["claims"]
    counts = df["type"].value_counts()
    return f"claims: {len(df)} sentences, " + ", ".join(f"{int(counts.get(t, 0))} {t}" for t in TYPES)
