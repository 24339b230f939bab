"""The stance coder's label-free preparation: speakers, cues, context, candidate topics, repeats.

Everything :mod:`analysis.themes.stance_model` needs before it looks at a label.
Each article is prepared alone (:func:`article_prep`), so :func:`prepare` can map
the articles over the workers and cache each one's result, keyed by its
sentences (with their claim types) and by exactly the lexicons it reads
(:func:`prep_lexicons`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import config, lexicon
from analysis.parallel import map_documents
from analysis.stage_api import Context
from analysis.themes.speaker import AUTHOR, attribute
from analysis.themes.stance import repeats
from analysis.themes.stance_cues import sentence_cues
from analysis.themes.targets import candidates, claim_order

__all__ = ["MEMO_SIZE", "prep_lexicons", "article_prep", "prepare"]


def _context(flags: Sequence[bool], i: int, width: int = 2) -> float:
    """Share of proposal-like sentences among the ``width`` sentences on each side of sentence ``i``."""
    near = [flags[j] for j in range(max(0, i - width), min(len(flags), i + width + 1)) if j != i]
    return float(np.mean(near)) if near else 0.0


#: The per-sentence results that :func:`article_prep` keeps across the articles of one process (a worker
#: codes many articles; boilerplate and quoted passages recur), with the lexicon objects they were made with.
_MEMO: dict[str, Any] = {"lexicons": (), "cues": {}, "hits": {}}
#: Distinct sentences kept in :data:`_MEMO` before it starts afresh (bounds a worker's memory).
MEMO_SIZE = 50_000


def prep_lexicons() -> tuple[Path, ...]:
    """The lexicon files :func:`article_prep` reads: the stance lexicon, the codebook, the entities (the
    speakers' names) and the claim cues (the recommendation cues of :func:`sentence_cues`)."""
    return (Path(config.STANCE_FILE), Path(config.STRATEGIES_FILE), Path(config.ENTITIES_FILE),
            Path(config.CUES_FILE))


def _memo() -> dict[str, Any]:
    """:data:`_MEMO`, emptied if a lexicon object changed (tests repoint them) or it is full."""
    current = (lexicon.stance(), lexicon.cues(), lexicon.strategies())
    held = _MEMO["lexicons"]
    if (len(held) != len(current) or any(a is not b for a, b in zip(held, current, strict=True))
            or len(_MEMO["cues"]) > MEMO_SIZE or len(_MEMO["hits"]) > MEMO_SIZE):
        _MEMO.update(lexicons=current, cues={}, hits={})
    return _MEMO


def article_prep(article: tuple[str, list[str], list[str], list[str], list[bool]],
                 strategies: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The label-free preparation of one article: speakers, cues, context, candidates and repeats.

    Every part of :func:`prepare` that looks at one article only, so that it can run per
    document (in parallel, and cached: :func:`prepare` with a ``ctx``).

    Parameters
    ----------
    article : tuple
        The article id, then its ``claim_id``, ``sentence_clean``, ``type`` and ``heading``
        columns (lists), in reading order.
    strategies : sequence of dict, optional
        The codebook (default: the project's).

    Returns
    -------
    dict
        ``speaker``, ``info`` and ``context`` (one value per sentence, in order), ``candidates``
        (:func:`~analysis.themes.targets.candidates` of the article) and ``repeats``
        (:func:`~analysis.themes.stance.repeats` of the article).
    """
    art, cids, sents, types, _ = article
    memo = _memo() if strategies is None else {"cues": {}, "hits": {}}
    by_text = memo["cues"]  # once per distinct sentence (boilerplate recurs), across the articles of a process
    for text in sents:
        if text not in by_text:
            by_text[text] = sentence_cues(text)
    info = [by_text[text] for text in sents]
    who = attribute(list(sents))
    flags = [w == AUTHOR and (t == "recommendation" or bool(c["spans"]["rec"]) or c["list_item"])
             for c, t, w in zip(info, types, who, strict=True)]
    frame = pd.DataFrame({"claim_id": cids, "article_id": [art] * len(cids), "sentence_clean": sents})
    return {
        "speaker": who,
        "info": info,
        "context": [_context(flags, i) for i in range(len(cids))],
        "candidates": candidates(frame, strategies, speakers=dict(zip(cids, who, strict=True)), memo=memo["hits"]),
        "repeats": repeats(frame),
    }


def _article_groups(cl: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Each article's :func:`article_prep` input (its id first), from a frame sorted by article."""
    art = cl["article_id"].astype(str).to_numpy()
    cols = [cl[c].tolist() for c in ("claim_id", "sentence_clean", "type", "heading")]
    bounds = [0, *(i for i in range(1, len(art)) if art[i] != art[i - 1]), len(art)] if len(art) else [0]
    return [(str(art[a]), *(col[a:b] for col in cols)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def prepare(claims: pd.DataFrame, strategies: Sequence[Mapping[str, Any]] | None = None,
            ctx: Context | None = None) -> dict[str, Any]:
    """Everything the coder needs that does not depend on labels: speakers, cues, candidates.

    Parameters
    ----------
    claims : pandas.DataFrame
        Needs ``claim_id, article_id, sentence_clean, type, heading``.
    strategies : sequence of dict, optional
        The codebook (default: the project's).
    ctx : analysis.stage_api.Context, optional
        Its parallel settings and cache: the per-article work (:func:`article_prep`) is then
        mapped over the articles (and cached, with the default codebook); ``None`` computes
        everything in this process.

    Returns
    -------
    dict
        ``claims`` (sorted by article and position), ``text``, ``type``, ``heading`` and
        ``speaker`` (claim id -> value), ``info`` (claim id ->
        :func:`~analysis.themes.stance_cues.sentence_cues`), ``context`` (claim id -> share of the
        author's proposal-like sentences around it: typed recommendation, holding a
        recommendation cue, or a list item), ``candidates``, ``repeats`` (claim id of a sentence
        repeating an earlier one of its article -> claim id of the first,
        :func:`~analysis.themes.stance.repeats`) and ``keys`` (article id -> the cache key of its
        preparation, which stands for its content; empty when nothing is cached).

    Raises
    ------
    ValueError
        If ``claims`` lacks a needed column.
    """
    need = {"claim_id", "article_id", "sentence_clean", "type", "heading"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    cl = claims.assign(_pos=[claim_order(c) for c in claims["claim_id"]],
                       sentence_clean=claims["sentence_clean"].fillna("").astype(str),
                       type=claims["type"].fillna("").astype(str),
                       heading=claims["heading"].fillna(False).astype(bool))
    cl = cl.sort_values(["article_id", "_pos"], ignore_index=True)
    groups = _article_groups(cl)
    by_article: dict[str, str] = {}
    if ctx is None or strategies is not None:
        parts = [article_prep(g, strategies) for g in groups]
    else:
        store, keys = None, None
        if ctx.cache is not None:
            store = ctx.cache.store
            # exactly the lexicons it reads (not the stage's: the sentences' own text is in the key)
            version = store.version(article_prep, lexicons=prep_lexicons())
            keys = [store.content_key(version, g, g[0]) for g in groups]
        parts = map_documents(article_prep, groups, n_jobs=ctx.n_jobs, backend=ctx.backend,
                              scheduler=ctx.scheduler, cache=store, keys=keys)
        if keys is not None:
            by_article = {g[0]: k for g, k in zip(groups, keys, strict=True)}
    cids = cl["claim_id"].tolist()
    flat = {k: [v for p in parts for v in p[k]] for k in ("speaker", "info", "context")}
    cand = [p["candidates"] for p in parts if len(p["candidates"])]
    return {
        "claims": cl,
        "text": dict(zip(cids, cl["sentence_clean"], strict=True)),
        "type": dict(zip(cids, cl["type"], strict=True)),
        "heading": dict(zip(cids, cl["heading"], strict=True)),
        "speaker": dict(zip(cids, flat["speaker"], strict=True)),
        "info": dict(zip(cids, flat["info"], strict=True)),
        "context": dict(zip(cids, flat["context"], strict=True)),
        "candidates": (pd.concat(cand, ignore_index=True) if cand
                       else candidates(cl.iloc[:0], strategies)),
        "repeats": {k: v for p in parts for k, v in p["repeats"].items()},
        "keys": by_article,
    }
