"""The ``themes`` stage: the topic model, its stability, its agreement with the codebook, and stance.

The stance tables come from the automatic stance coder
(:mod:`analysis.themes.stance_model`), cross-fitted by article against the
reference coding (``data/lexicon/labels/reference``): a reference article is
coded by the coder fit without it, any other article by the coder fit on all
of them.  The reference only measures the coder (``stance_evaluation``, and
the ``reference_stance`` column of ``strategy_stance``); it never replaces
its output.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.cache import DocumentCache
from analysis.parallel import map_documents
from analysis.stage_api import Context
from analysis.themes.codebook import topic_codebook
from analysis.themes.model import N_TOPICS, ThemeModel, topic_tokens
from analysis.themes.stability import stability_score, topic_stability
from analysis.themes.stance import STANCES, sentence_table, strategy_stance
from analysis.themes.stance_model import cross_fit, reference_pairs, stance_of_pairs
from analysis.themes.stance_prep import prepare
from analysis.themes.stance_scores import stance_scores

__all__ = ["themes", "themes_summary", "stance_tables"]


def stance_tables(claims: pd.DataFrame, coding: Mapping[str, Any] | None = None,
                  ctx: Context | None = None) -> dict[str, pd.DataFrame]:
    """The three stance artefacts from the typed sentences.

    Parameters
    ----------
    claims : pandas.DataFrame
        The typed sentences (``claims.csv``).
    coding : mapping, optional
        :func:`analysis.lexicon.coding` output (default: the reference).
    ctx : analysis.stage_api.Context, optional
        Its parallel settings and cache, for the per-article preparation
        (:func:`~analysis.themes.stance_prep.prepare`); ``None`` computes it in this process.

    Returns
    -------
    dict
        ``sentence_stance`` (the cross-fitted sentence coding), ``strategy_stance`` (the article
        cells, with the reference cell where there is one) and ``stance_evaluation`` (the held-out
        scores).
    """
    coding = coding if coding is not None else lexicon.coding("reference")
    prep = prepare(claims, ctx=ctx)
    store = ctx.cache.store if ctx is not None and ctx.cache is not None else None
    sentences = sentence_table(cross_fit(claims, coding, prep=prep, cache=store))
    articles = sorted(prep["claims"]["article_id"].unique())
    cells = strategy_stance(sentences, articles, repeated=prep["repeats"], reference=coding["cells"])
    gold = reference_pairs(coding, prep["claims"])
    ref_speakers = {r["claim_id"]: r["speaker"] for r in coding["sentences"] if r["claim_id"] in gold.attrs["coded"]}
    scores = stance_scores(cells, sentences, gold, prep["speaker"], ref_speakers, stance_of_pairs(prep, gold))
    return {"sentence_stance": sentences, "strategy_stance": cells, "stance_evaluation": scores}


def sentence_tokens(claims: pd.DataFrame, ctx: Context | None = None) -> list[list[str]]:
    """:func:`~analysis.themes.model.topic_tokens` of every sentence, computed article by article.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``article_id`` and ``sentence_clean``.
    ctx : analysis.stage_api.Context, optional
        Its parallel settings and cache; ``None`` computes in this process, uncached.

    Returns
    -------
    list of list of str
        One token list per row of ``claims``, in row order (the same as
        ``topic_tokens(claims["sentence_clean"])``).
    """
    sentences = list(claims["sentence_clean"])
    if ctx is None:
        return topic_tokens(sentences)
    rows: dict[str, list[int]] = {}
    for i, aid in enumerate(claims["article_id"]):
        rows.setdefault(str(aid), []).append(i)
    groups = [[sentences[i] for i in idx] for idx in rows.values()]
    store: DocumentCache | None = None
    keys: list[str] | None = None
    if ctx.cache is not None:
        store, version = ctx.cache.store, ctx.cache.version(topic_tokens)
        keys = [store.content_key(version, g, aid) for aid, g in zip(rows, groups, strict=True)]
    per_article = map_documents(topic_tokens, groups, n_jobs=ctx.n_jobs, backend=ctx.backend,
                                scheduler=ctx.scheduler, cache=store, keys=keys)
    out: list[list[str]] = [[] for _ in sentences]
    pool: dict[str, str] = {}  # one string object per distinct token across the articles (millions of tokens,
    for idx, toks in zip(rows.values(), per_article, strict=True):  # a vocabulary of thousands)
        for i, t in zip(idx, toks, strict=True):
            out[i] = [pool.setdefault(w, w) for w in t]
    return out


def themes(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Fit the topic model on the sentences and derive every theme and stance table.

    Parameters
    ----------
    inputs : mapping
        ``claims``: the typed sentences.
    ctx : analysis.stage_api.Context
        The parallel settings and the cache, for the tokens (:func:`sentence_tokens`) and the
        per-article preparation of the stance coder.

    Returns
    -------
    dict
        ``themes``, ``theme_stability``, ``topic_codebook``, ``strategy_stance``,
        ``sentence_stance`` and ``stance_evaluation``.
    """
    claims: pd.DataFrame = inputs["claims"]
    docs = sentence_tokens(claims, ctx)
    parallel = {"n_jobs": ctx.n_jobs, "backend": ctx.backend, "scheduler": ctx.scheduler} if ctx is not None else {}
    # With workers, the stance coder (its per-article preparation runs on them) goes on in a second thread
    # while this one fits the topic model: the two branches share no state, so the outputs are the same.
    # With one process (or on Dask), they run one after the other (never two BLAS thread limits at once).
    overlap = ctx is not None and ctx.n_jobs != 1 and ctx.backend == "loky"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stance") as pool:
        stance = pool.submit(stance_tables, claims, None, ctx) if overlap else None
        model = ThemeModel(n_topics=N_TOPICS).fit(docs)
        terms = model.top_terms(10)
        stab = topic_stability(docs, reference=model, **parallel)
        codebook = topic_codebook(model.transform(docs), claims, terms)
        tables = stance.result() if stance is not None else stance_tables(claims, ctx=ctx)
    return {
        "themes": terms,
        "theme_stability": stab,
        "topic_codebook": codebook,
        **tables,
        "_n_topics": model.n_topics,
    }


def themes_summary(out: Mapping[str, Any]) -> str:
    """One line: topics, stability, the stance counts and the held-out cell agreement.

    Parameters
    ----------
    out : mapping
        :func:`themes` output.

    Returns
    -------
    str
    """
    counts = out["strategy_stance"]["stance"].value_counts()
    line = (f"themes: {out['_n_topics']} topics, stability {stability_score(out['theme_stability']):.2f}; stance "
            + ", ".join(f"{int(counts.get(s, 0))} {s}" for s in STANCES))
    ev = out["stance_evaluation"]
    overall = ev[(ev["article_id"] == "all") & (ev["field"] == "cell")].set_index("metric")["value"]
    if len(overall):
        line += (f"; held-out cell agreement {overall.get('agreement', float('nan')):.2f}, "
                 f"{int(overall.get('reversals', 0))} reversals")
    return line
