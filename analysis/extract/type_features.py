"""The features of the claim-type coder, per sentence and per article (no model here).

:func:`type_features` gives every sentence of the ``claims`` table its rule type
(:func:`analysis.extract.rules.code_article`) and the feature dict that
:func:`analysis.extract.classifier.make_type_classifier` learns from;
:func:`article_features` does it for one article, which is what the
per-document step of the ``claims`` stage calls.  The model and its
cross-fitting live in :mod:`analysis.extract.classifier`: this module does not
import scikit-learn, so that the per-document workers do not load it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.extract.cues import TYPES
from analysis.extract.evidence import tagged_words
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.ids import split_claim_id
from analysis.extract.rules import LIST_MARKER, Coded, code_article, is_list_item, starts_with_verb

__all__ = ["FEATURE_WORDS", "type_features", "article_features"]

#: Function words whose presence is a feature of :func:`type_features` (modals, causatives, conditionals).
FEATURE_WORDS: tuple[str, ...] = ("可以", "能", "会", "不能", "只能", "让", "这样", "如果", "避免", "通过", "去")


def _article_order(claims: pd.DataFrame) -> pd.DataFrame:
    n = [split_claim_id(c)[1] for c in claims["claim_id"]]
    return claims.assign(_n=n).sort_values(["article_id", "_n"], kind="stable")


def type_features(claims: pd.DataFrame, authors: Mapping[str, str] | None = None,
                  cues: dict[str, Any] | None = None) -> pd.DataFrame:
    """The rule type and the features of :func:`make_type_classifier`, one row per sentence.

    Parameters
    ----------
    claims : pandas.DataFrame
        With ``claim_id``, ``article_id``, ``sentence_clean`` and ``heading``
        (the ``claims`` artefact).
    authors : mapping, optional
        ``{article_id: author name}`` (a sentence naming the author is his anecdote).
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    pandas.DataFrame
        In the order of ``claims``: ``claim_id``, ``article_id``, ``text`` (the
        clean sentence), ``rule_type``, ``rule_reason`` and ``features`` (a
        dict of floats, :class:`~sklearn.feature_extraction.DictVectorizer` input).

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = {"claim_id", "article_id", "sentence_clean", "heading"} - set(claims.columns)
    if missing:
        raise ValueError(f"claims lack the columns {sorted(missing)}")
    cues = cues or lexicon.cues()
    authors = authors or {}
    rows: dict[str, dict[str, Any]] = {}
    for aid, art in _article_order(claims).groupby("article_id", sort=True):
        texts = art["sentence_clean"].astype(str).tolist()
        coded = code_article(texts, art["heading"].astype(bool).tolist(), author=str(authors.get(aid, "") or ""),
                             cues=cues)
        for cid, text, c, f in zip(art["claim_id"], texts, coded, article_features(texts, coded, cues), strict=True):
            rows[cid] = {"claim_id": cid, "article_id": aid, "text": text, "rule_type": c.type,
                         "rule_reason": c.reason, "features": f}
    return pd.DataFrame([rows[c] for c in claims["claim_id"]],
                        columns=["claim_id", "article_id", "text", "rule_type", "rule_reason", "features"])


#: The sentence-level part of :func:`article_features`, memoised per sentence (for one lexicon object).
_LOCAL: dict[str, dict[str, float]] = {}
_LOCAL_CUES: Any = None


def _local_features(text: str, disc: dict[str, Any], feature_words: set[str]) -> dict[str, float]:
    """The features of :func:`type_features` that depend on the sentence alone, in their order."""
    body = LIST_MARKER.sub("", text)
    words = tagged_words(body, feature_words)  # tags only the blocks where one can be a token
    f: dict[str, float] = {"list_item": float(is_list_item(text))}
    f["verb_first"] = float(starts_with_verb(body, disc["lead_adverbs"], disc["not_step_verbs"]))
    f["first_person"] = float(bool(words & set(disc["first_person"])))
    f["second_person"] = float(bool(words & set(disc["second_person"])))
    f |= {f"word={w}": 1.0 for w in FEATURE_WORDS if w in words}
    f["ends_colon"] = float(text.rstrip()[-1:] in ":：")
    f["length"] = round(min(len(text), 120) / 120, 4)
    return f


def article_features(texts: Sequence[str], coded: Sequence[Coded], cues: dict[str, Any] | None = None
                     ) -> list[dict[str, float]]:
    """The ``features`` of :func:`type_features` for the sentences of one article.

    Parameters
    ----------
    texts : sequence of str
        The clean sentences of one article, in order.
    coded : sequence of analysis.extract.rules.Coded
        :func:`~analysis.extract.rules.code_article` of ``texts`` (with the
        article's headings and author).
    cues : dict, optional
        The lexicons (default: the project's).

    Returns
    -------
    list of dict
        One feature dict per sentence, in order.

    Raises
    ------
    ValueError
        If ``texts`` and ``coded`` differ in length.
    """
    if len(texts) != len(coded):
        raise ValueError(f"{len(texts)} sentences but {len(coded)} coded")
    cues = cues or lexicon.cues()
    disc = cues["discourse"]
    feature_words = {*disc["first_person"], *disc["second_person"], *FEATURE_WORDS}
    types = [c.type for c in coded]
    share = {t: types.count(t) / len(types) for t in TYPES} if types else {}
    global _LOCAL_CUES
    if _LOCAL_CUES is not cues or len(_LOCAL) >= 20_000:
        _LOCAL.clear()
        _LOCAL_CUES = cues
    out = []
    for i, (text, c) in enumerate(zip(texts, coded, strict=True)):
        local = None if _exhaustive() else _LOCAL.get(text)
        if local is None:
            local = _local_features(text, disc, feature_words)
            if not _exhaustive():
                _LOCAL[text] = local
        f: dict[str, float] = {f"rule={c.type}": 1.0, f"why={c.reason}": 1.0}
        f |= {f"cue_{k}": float(min(len(v), 3)) for k, v in c.hits.items() if v}
        f |= local
        f[f"prev={types[i - 1] if i else 'none'}"] = 1.0
        f[f"next={types[i + 1] if i + 1 < len(types) else 'none'}"] = 1.0
        f |= {f"share_{t}": round(v, 4) for t, v in share.items()}
        for t in ("fact", "prediction", "causal"):
            f[f"share_recommendation_x_{t}"] = round(share["recommendation"] * (c.type == t), 4)
        out.append(f)
    return out
