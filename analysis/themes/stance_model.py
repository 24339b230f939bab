r"""The automatic stance coder: a learned topic tagger and hand-written stance rules, cross-fitted by article.

The coder reads the typed sentences (``claims``) and codes what the reference
coding of ``book/appendix/codebook.md`` codes by hand: for each sentence, the
strategies it addresses and the author's stance on each.

1. **Candidates** (hand-written, :mod:`analysis.themes.targets`): the seed hits
   of ``strategies.yaml`` with their frames, and the topics carried over by an
   anaphor or a quoted continuation; speakers from
   :mod:`analysis.themes.speaker`.
2. **Tagger** (fit per fold): a logistic regression gives each candidate

   .. math::

       P(\text{topic} \mid x) = \sigma(w^\top x + b)

   over the seed identities, the frames of the seed hits (list of examples,
   enumeration, place, modifier, quotation marks), whether every hit is a
   generic seed and whether the article names the strategy with a specific
   seed (topic continuity), the speaker, the heading flag, the claim type and
   the evaluative cues in the clause of a hit (:func:`tagger_features`).  A
   pair is tagged when :math:`P \ge 1/2`, unless every hit stands in a
   comparison frame (和 X 不同: a contrast named in passing, manual B).  A
   carried candidate is tagged when the pair it was carried from is.
3. **Stance** (hand-written, :func:`analysis.themes.stance_cues.rule_stance`):
   a weighted vote of the cues scoped to the pair's clauses.

**Cross-fitting** (:func:`cross_fit`).  The tagger of a reference article is
fit on the reference coding of the *other* articles (leave one article out),
and an article without a reference coding is tagged by the tagger fit on all
reference articles, so no article's own labels reach its own predictions.
Everything else (seed lists, cue lexicons, frames, weights of the stance
vote) is hand-written and the same in every fold; it was written with the
five articles and their reference coding in view.  When the training
articles give no usable labels (fewer than two classes), the tagger falls
back to the rule "tag a pair with a specific (non-generic) seed".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from analysis import config, lexicon
from analysis.cache import DocumentCache, content_sha256
from analysis.parallel import map_batches
from analysis.themes.speaker import AUTHOR
from analysis.themes.stance_cues import NEGATIVE, POSITIVE, pair_features, rule_stance
from analysis.themes.stance_prep import prep_lexicons, prepare

__all__ = [
    "THRESHOLD",
    "CODED_COLUMNS",
    "make_tagger",
    "reference_pairs",
    "tagger_features",
    "fit_predict",
    "cross_fit",
    "stance_of_pairs",
]

#: Probability at or above which a candidate pair is tagged.
THRESHOLD: float = 0.5
#: Columns of :func:`fit_predict` (and, with ``fold``, of :func:`cross_fit`).
CODED_COLUMNS: list[str] = ["claim_id", "article_id", "position", "strategy_id", "carried", "p_topic", "tagged",
                            "stance", "speaker", "evidence"]
_FLAGS = ("quoted", "heading", "question", "reversed", "otherwise", "dropped", "adopted", "missing_fault",
          "proposal")


def make_tagger(*, C: float = 1.0, random_state: int = config.SEED) -> Pipeline:
    """The topic tagger: one-hot features into a logistic regression.

    Parameters
    ----------
    C : float
        Inverse L2 penalty.
    random_state : int

    Returns
    -------
    sklearn.pipeline.Pipeline
        ``DictVectorizer`` then ``LogisticRegression``; fit on dicts of features.
    """
    return Pipeline([("vec", DictVectorizer(sort=True)),
                     ("lr", LogisticRegression(C=C, max_iter=2000, random_state=random_state))])


def reference_pairs(coding: Mapping[str, Sequence[Mapping[str, str]]], claims: pd.DataFrame) -> pd.DataFrame:
    """The reference's (sentence, strategy, stance) triples, for the sentences the claims table shares.

    A reference row is used only when ``claims`` has its claim id with the same clean sentence as
    the coding units (``claims_gold.csv``); otherwise its label would belong to another sentence.

    Parameters
    ----------
    coding : mapping
        :func:`analysis.lexicon.coding` output.
    claims : pandas.DataFrame
        Needs ``claim_id, article_id, sentence_clean``.

    Returns
    -------
    pandas.DataFrame
        ``claim_id, article_id, strategy_id, stance, speaker``, with ``attrs["coded"]``: the set of
        claim ids that are coded (with or without strategies).
    """
    units = {r["claim_id"]: r["sentence_clean"] for r in lexicon.claims_gold()}
    text = dict(zip(claims["claim_id"], claims["sentence_clean"], strict=True))
    art = dict(zip(claims["claim_id"], claims["article_id"], strict=True))
    rows, coded = [], set()
    for r in coding["sentences"]:
        cid = r["claim_id"]
        if cid not in text or units.get(cid) != text[cid]:
            continue
        coded.add(cid)
        for pair in filter(None, (r.get("stances") or "").split(";")):
            sid, _, st = pair.partition(":")
            rows.append({"claim_id": cid, "article_id": art[cid], "strategy_id": sid, "stance": st,
                         "speaker": r["speaker"]})
    out = pd.DataFrame(rows, columns=["claim_id", "article_id", "strategy_id", "stance", "speaker"])
    out.attrs["coded"] = coded
    return out


def _spans(spec: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, _, b in (x.partition("-") for x in str(spec).split(";") if x)]


def tagger_features(row: Mapping[str, Any], prep: Mapping[str, Any]) -> dict[str, float]:
    """The tagger's features of one candidate pair (a row of :func:`~analysis.themes.targets.candidates`).

    Parameters
    ----------
    row : mapping
        The candidate.
    prep : mapping
        :func:`~analysis.themes.stance_prep.prepare` output.

    Returns
    -------
    dict
        ``{feature: value}``: ``seed=<seed>`` for each seed, the frame flags, ``generic_alone`` (only
        generic seeds and no specific seed of the strategy in the article), ``several_hits``,
        ``long_seed`` (a specific seed of three characters or more), ``n_strategies`` (scaled to [0, 1]), ``type=<type>``, ``heading``,
        ``speaker_quoted`` and ``cue:<kind>_near`` for the evaluative cues near a hit.
    """
    cid = row["claim_id"]
    feats: dict[str, float] = {f"seed={s}": 1.0 for s in str(row["seeds"]).split(";") if s}
    for k in ("generic_only", "examples", "enumeration", "place", "modifier", "comparison", "quoted", "first_clause",
              "strong_in_article", "strong_nearby"):
        if row[k]:
            feats[k] = 1.0
    if row["generic_only"] and not row["strong_in_article"]:
        feats["generic_alone"] = 1.0
    feats["several_hits"] = float(row["n_hits"] > 1)
    feats["long_seed"] = float(row["max_len"] >= 3 and not row["generic_only"])
    feats["n_strategies"] = float(min(int(row["n_strategies"]), 4)) / 4
    feats[f"type={prep['type'][cid]}"] = 1.0
    if prep["heading"][cid]:
        feats["heading"] = 1.0
    if prep["speaker"][cid] != AUTHOR:
        feats["speaker_quoted"] = 1.0
    cues = pair_features(prep["text"][cid], _spans(row["spans"]), prep["info"][cid])
    for k in ("crit_near", "praise_near", "rec_near", "lament_any", "possible_near"):
        if cues.get(k):
            feats[f"cue:{k}"] = 1.0
    return feats


def _stance_features(cid: str, spans: Sequence[tuple[int, int]], prep: Mapping[str, Any],
                     reversed_target: bool = False) -> dict[str, float]:
    return pair_features(prep["text"][cid], spans, prep["info"][cid], quoted=prep["speaker"][cid] != AUTHOR,
                         heading=bool(prep["heading"][cid]), type_=prep["type"][cid],
                         proposal=prep["context"][cid] >= 0.5, reversed_target=reversed_target)


def _evidence(feats: Mapping[str, float], cid: str, prep: Mapping[str, Any]) -> str:
    """The cues behind a stance: ``kind[scopes]=words`` for each weighted cue that fired, then the flags."""
    sent, spans = prep["text"][cid], prep["info"][cid]["spans"]
    scopes: dict[str, list[str]] = {}
    for key in sorted(set(POSITIVE) | set(NEGATIVE)):
        if feats.get(key) and "_" in key and key not in _FLAGS:
            kind, _, scope = key.rpartition("_")
            scopes.setdefault(kind, []).append(scope)
    parts = []
    for kind, where in sorted(scopes.items()):
        words = sorted({sent[a:b] for a, b in spans.get(kind, []) if b - a <= 8})
        parts.append(f"{kind}[{','.join(where)}]" + (f"={','.join(words)}" if words else ""))
    return ";".join(parts + [k for k in _FLAGS if feats.get(k)])


def _fit_tagger(prep: Mapping[str, Any], gold: pd.DataFrame, train: Sequence[str], C: float) -> Pipeline | None:
    cand = prep["candidates"]
    coded = gold.attrs.get("coded", set(gold["claim_id"]))
    g = gold[gold["article_id"].isin(train)]
    positive = set(zip(g["claim_id"], g["strategy_id"], strict=True))
    own = cand[~cand["carried"] & cand["article_id"].isin(train) & cand["claim_id"].isin(coded)]
    y = [int((c, s) in positive) for c, s in zip(own["claim_id"], own["strategy_id"], strict=True)]
    if len(set(y)) < 2:
        return None
    return make_tagger(C=C).fit([tagger_features(r, prep) for r in own.to_dict("records")], y)


def fit_predict(prep: Mapping[str, Any], gold: pd.DataFrame, train: Iterable[str], test: Iterable[str],
                *, C: float = 1.0) -> pd.DataFrame:
    """Fit the tagger on the ``train`` articles' reference labels; code the ``test`` articles.

    Parameters
    ----------
    prep : mapping
        :func:`~analysis.themes.stance_prep.prepare` output.
    gold : pandas.DataFrame
        :func:`reference_pairs` output (its ``attrs["coded"]`` names the coded sentences).
    train, test : iterable of str
        Article ids.  Only the rows of ``gold`` of the ``train`` articles are read.
    C : float
        Inverse penalty of the tagger.

    Returns
    -------
    pandas.DataFrame
        :data:`CODED_COLUMNS`, one row per candidate of the test articles: ``p_topic`` (the
        tagger's probability; for a carried pair, that of its source), ``tagged``, ``stance``
        (empty for an untagged pair), ``speaker`` and ``evidence`` (the cues behind the stance).
    """
    train, test = sorted(set(train)), sorted(set(test))
    cand = prep["candidates"]
    out = cand[cand["article_id"].isin(test)].copy()
    if out.empty:
        return pd.DataFrame(columns=CODED_COLUMNS)
    tagger = _fit_tagger(prep, gold, train, C)
    own = ~out["carried"].to_numpy()
    p = np.zeros(len(out))
    if own.any():
        recs = [r for r, m in zip(out.to_dict("records"), own, strict=True) if m]
        if tagger is not None:
            p[own] = tagger.predict_proba([tagger_features(r, prep) for r in recs])[:, 1]
        else:
            p[own] = [0.0 if r["generic_only"] else 1.0 for r in recs]
    source_p = {(c, s): pp for c, s, pp, m in zip(out["claim_id"], out["strategy_id"], p, own, strict=True) if m}
    tagged_own = {(c, s) for c, s, pp, m, cmp in zip(out["claim_id"], out["strategy_id"], p, own, out["comparison"],
                                                       strict=True) if m and pp >= THRESHOLD and not cmp}
    out["p_topic"] = [round(float(source_p.get((src, s), 0.0)), 4)
                      for src, s in zip(out["source"], out["strategy_id"], strict=True)]
    out["tagged"] = [(src, s) in tagged_own for src, s in zip(out["source"], out["strategy_id"], strict=True)]
    stances, evidence = [], []
    for c, sp, rv, tg in zip(out["claim_id"], out["spans"], out["reversed_only"], out["tagged"], strict=True):
        if not tg:  # an untagged pair has no stance: its cues are not looked at
            stances.append("")
            evidence.append("")
            continue
        feats = _stance_features(c, _spans(sp), prep, bool(rv))
        stances.append(rule_stance(feats))
        evidence.append(_evidence(feats, c, prep))
    out["stance"], out["evidence"] = stances, evidence
    out["speaker"] = [prep["speaker"][c] for c in out["claim_id"]]
    return out[CODED_COLUMNS].reset_index(drop=True)


def stance_of_pairs(prep: Mapping[str, Any], pairs: pd.DataFrame) -> list[str]:
    """The rule stance of given (sentence, strategy) pairs, whether or not the tagger tags them.

    Used to score the stance rules apart from the tagger, on the reference's own pairs.  A pair
    that is a candidate is scoped to its seed hits; any other pair (the reference codes a topic
    that no seed names) is scoped like a carried topic.

    Parameters
    ----------
    prep : mapping
        :func:`~analysis.themes.stance_prep.prepare` output.
    pairs : pandas.DataFrame
        With ``claim_id`` and ``strategy_id``.

    Returns
    -------
    list of str
        One stance per row of ``pairs``.
    """
    cand = prep["candidates"]
    own = cand[~cand["carried"] & cand["claim_id"].isin(set(pairs["claim_id"]))]  # only the pairs' sentences
    scope = {(c, s): (_spans(sp), bool(rv)) for c, s, sp, rv in
             zip(own["claim_id"], own["strategy_id"], own["spans"], own["reversed_only"], strict=True)}
    out = []
    for c, s in zip(pairs["claim_id"], pairs["strategy_id"], strict=True):
        spans, rev = scope.get((c, s), ([], False))
        out.append(rule_stance(_stance_features(c, spans, prep, rev)))
    return out


def _cached_rest(prep: Mapping[str, Any], gold: pd.DataFrame, checked: list[str], rest: list[str], C: float,
                 cache: DocumentCache) -> pd.DataFrame:
    """:func:`fit_predict` of the articles outside the reference, each article's rows cached.

    An article's rows depend on its own preparation (whose cache key stands for its content),
    on the tagger and on this module's code and the lexicons the preparation reads; the tagger
    depends on the reference articles' preparations, their reference pairs and ``C``.
    """
    version = cache.version(_cached_rest, lexicons=prep_lexicons())
    train = gold[gold["article_id"].isin(checked)]
    tagger = content_sha256((sorted(prep["keys"][a] for a in checked), sorted(gold.attrs.get("coded", ())),
                             train[["claim_id", "strategy_id"]].to_numpy().tolist(), float(C)))
    keys = [cache.content_key(version, (tagger, prep["keys"][a]), a) for a in rest]
    # one call codes every article not yet cached (one tagger fit), in this process (prep is the whole corpus's)
    code = functools.partial(_code_articles, prep=prep, gold=gold, train=checked, C=C)
    parts = [p for [p] in map_batches(code, [[a] for a in rest], batch=len(rest), cache=cache, keys=keys)]
    frames = [p for p in parts if len(p)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CODED_COLUMNS)


def _code_articles(articles: list[str], prep: Mapping[str, Any], gold: pd.DataFrame, train: list[str],
                   C: float) -> list[pd.DataFrame]:
    """:func:`fit_predict` of ``articles``, split into one frame per article (in their order)."""
    coded = fit_predict(prep, gold, train, articles, C=C)
    by_article = dict(iter(coded.groupby("article_id", sort=False)))
    return [by_article[a].reset_index(drop=True) if a in by_article else coded.iloc[:0] for a in articles]


def cross_fit(claims: pd.DataFrame, coding: Mapping[str, Sequence[Mapping[str, str]]] | None = None,
              *, C: float = 1.0, prep: Mapping[str, Any] | None = None,
              cache: DocumentCache | None = None) -> pd.DataFrame:
    """Code every article with a tagger that never saw its own reference labels.

    Parameters
    ----------
    claims : pandas.DataFrame
        The typed sentences (see :func:`~analysis.themes.stance_prep.prepare`).
    coding : mapping, optional
        :func:`analysis.lexicon.coding` output (default: the reference).
    C : float
        Inverse penalty of the tagger.
    prep : mapping, optional
        :func:`~analysis.themes.stance_prep.prepare` output, if already computed.
    cache : analysis.cache.DocumentCache, optional
        Caches the rows of each article outside the reference (coded by the tagger fit on every
        reference article); needs a ``prep`` computed with that cache (its ``keys``).  A rerun
        whose reference articles and coding are unchanged neither refits that tagger nor codes
        an article it has seen.  The output is the same either way.

    Returns
    -------
    pandas.DataFrame
        :data:`CODED_COLUMNS` plus ``fold``: the held-out article id for an article of the
        reference, ``"all"`` for an article tagged by the tagger fit on every reference article.
        Sorted by article, position and strategy.
    """
    coding = coding if coding is not None else lexicon.coding("reference")
    prep = prep if prep is not None else prepare(claims)
    cl = prep["claims"]
    gold = reference_pairs(coding, cl)
    checked = sorted(set(cl.loc[cl["claim_id"].isin(gold.attrs["coded"]), "article_id"]))
    parts = [fit_predict(prep, gold, [a for a in checked if a != art], [art], C=C).assign(fold=art)
             for art in checked]
    rest = sorted(set(cl["article_id"]) - set(checked))
    if rest:
        cached = cache is not None and cache.enabled and all(a in prep.get("keys", {}) for a in cl["article_id"])
        rows = _cached_rest(prep, gold, checked, rest, C, cache) if cached else fit_predict(  # type: ignore[arg-type]
            prep, gold, checked, rest, C=C)
        parts.append(rows.assign(fold="all"))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=[*CODED_COLUMNS, "fold"])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["article_id", "position", "strategy_id"], ignore_index=True)
