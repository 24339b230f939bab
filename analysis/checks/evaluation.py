r"""Honest evaluation of the automatic coders against the reference coding, leave one article out.

The ``evaluate`` stage (:mod:`analysis.checks.stage`) writes the catalogue's
``evaluation`` table, one row per ``task, method, split, metric, label``
with its ``value`` and ``n``.  The reference is the adjudicated two-coder
coding of ``data/lexicon/labels/reference`` (:func:`analysis.lexicon.coding`).
Every score is *leave one article out*: the split is the held-out article (or
``all``, the five held-out predictions pooled), and a learned model that
types an article's sentences never saw that article's labels
(:func:`analysis.extract.classifier.cross_fit`).

Tasks and methods
-----------------
``claim_type`` (per sentence; accuracy, macro-F1, and precision / recall / F1
per type):

* ``rules`` -- the manual's decision order (:mod:`analysis.extract.rules`);
  nothing is fit, but the rules were written with all five articles and their
  reference codes in view, so their score is **not** a held-out estimate;
* ``classifier`` -- cue counts and character n-grams
  (:func:`analysis.extract.classifier.make_classifier`), fit per fold: the one
  estimate that no decision of ours has seen;
* ``final`` -- the coder of the ``claims`` table
  (:func:`analysis.extract.classifier.make_type_classifier`): weights fit per
  fold over the rule outputs and context, so it inherits the rules' optimism.

``figures`` (detection: precision, recall, F1, and the share of matched
quotes that are exact), ``figure_subject``, ``figure_unit`` and
``figure_hedge`` (accuracy over the matched figures), all by method ``rules``
(:mod:`analysis.extract.figures`, hand-written with the corpus in view, not
fit).  A reference figure and an extracted one *match* when the extracted
figure lies in the same sentence and its quote, in clean Simplified script,
equals the reference quote (or contains it, or is contained in it); pairs are
made one to one in text order.  Subjects are compared through their canonical
entities (:func:`subject_entities`): each side is reduced to the set of
``entities.yaml`` names it starts with (``Taobao/Tmall users`` ->
{Taobao, Tmall}; ``Alibaba employees`` -> {Alibaba}); a subject that names no
entity (``survey respondents``, ``firms``) reduces to the empty set, so
``mobile resale licence candidates`` and ``firms`` agree.  Hedges are
compared as 0/1.

The old single-labeller samples (``claims_gold.csv`` types, ``numbers_gold.csv``)
are no longer scored: the reference coding supersedes them
(``data/lexicon/labels/README.md``), and scoring both would put two
disagreeing answers in one table.

:func:`coder_agreement` tabulates Cohen's kappa between the two independent
coders, before adjudication (:mod:`analysis.checks.agreement`), for the whole
corpus and per article.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from analysis import catalog, lexicon
from analysis.checks.agreement import AGREEMENT_COLUMNS, agreement_table, coding_frames
from analysis.extract.claims import TYPES, reference_labels
from analysis.extract.classifier import cross_fit, make_classifier, make_type_classifier, type_features

__all__ = ["EVAL_COLUMNS", "METHODS", "loao_claim_types", "claim_type_scores", "subject_entities",
           "match_figures", "figure_scores", "coder_agreement", "evaluate"]

EVAL_COLUMNS: list[str] = catalog.artefact("evaluation").column_names
#: The claim-type methods, in report order.
METHODS: tuple[str, ...] = ("rules", "classifier", "final")


def loao_claim_types(claims: pd.DataFrame, reference: pd.DataFrame,
                     authors: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Leave-one-article-out claim types of every referenced sentence, by each method.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact (``claim_id, article_id, sentence_clean, heading``).
    reference : pandas.DataFrame
        :func:`analysis.extract.claims.load_reference` output.
    authors : mapping, optional
        ``{article_id: author}`` for the rules.

    Returns
    -------
    pandas.DataFrame
        ``claim_id, article_id, label`` and one column per :data:`METHODS`,
        for the claims that carry a reference label (joined by id and text),
        in the order of ``claims``.
    """
    labels = reference_labels(claims, reference)
    feats = type_features(claims, authors)
    clf = cross_fit(feats["text"].tolist(), labels, claims["article_id"], make_classifier)
    final = cross_fit(feats[["features", "text"]], labels, claims["article_id"], make_type_classifier,
                      fallback=feats["rule_type"])
    out = pd.DataFrame({
        "claim_id": claims["claim_id"].to_numpy(), "article_id": claims["article_id"].to_numpy(),
        "label": labels.to_numpy(), "rules": feats["rule_type"].to_numpy(),
        "classifier": clf["prediction"].to_numpy(), "final": final["prediction"].to_numpy(),
    })
    return out[out["label"].notna()].reset_index(drop=True)


def _row(task: str, method: str, split: str, metric: str, label: str, value: float, n: int) -> dict[str, Any]:
    return {"task": task, "method": method, "split": split, "metric": metric, "label": label,
            "value": round(float(value), 4), "n": int(n)}


def claim_type_scores(pred: pd.DataFrame) -> pd.DataFrame:
    """Accuracy, macro-F1 and per-type precision / recall / F1 of each method, per held-out article and pooled.

    Parameters
    ----------
    pred : pandas.DataFrame
        :func:`loao_claim_types` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`; ``n`` is the number of sentences (the
        support of the type for the per-type rows).
    """
    rows = []
    labels = list(TYPES)
    splits = [(a, g) for a, g in pred.groupby("article_id", sort=True)] + [("all", pred)]
    for method in METHODS:
        for split, g in splits:
            y, p = g["label"].astype(str), g[method].astype(str)
            rows.append(_row("claim_type", method, split, "accuracy", "all", accuracy_score(y, p), len(g)))
            rows.append(_row("claim_type", method, split, "macro_f1", "all",
                             f1_score(y, p, labels=labels, average="macro", zero_division=0), len(g)))
            prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
            for lab, pi, ri, fi, si in zip(labels, prec, rec, f1, sup, strict=True):
                for metric, val in (("precision", pi), ("recall", ri), ("f1", fi)):
                    rows.append(_row("claim_type", method, split, metric, lab, val, si))
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # on first use: OpenCC loads its tables

    return opencc.OpenCC("t2s")


def _clean(text: str) -> str:
    """A raw quote in the clean script of the sentences: NFKC, then Traditional to Simplified."""
    return str(_t2s().convert(unicodedata.normalize("NFKC", str(text))))


def subject_entities(subject: str, names: Sequence[str] | None = None) -> frozenset[str]:
    """The canonical entities a subject names: the ``entities.yaml`` names it starts with, ``/``-joined.

    Parameters
    ----------
    subject : str
        ``"Taobao/Tmall users"``, ``"Alibaba employees"``, ``"firms"``...
    names : sequence of str, optional
        The canonical names (default: every ``name`` of :func:`analysis.lexicon.entities`).

    Returns
    -------
    frozenset of str
        ``{"Taobao", "Tmall"}``, ``{"Alibaba"}``, or empty when the subject
        names no entity.  Longer names win (``Tencent Weibo`` over ``Tencent``).
    """
    if names is None:
        names = [e["name"] for e in lexicon.entities()]
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    rest, out = str(subject).strip(), set()
    while rest:
        name = next((n for n in ordered if rest.startswith(n) and rest[len(n) : len(n) + 1] in ("", " ", "/")), None)
        if name is None:
            break
        out.add(name)
        rest = rest[len(name) :]
        if not rest.startswith("/"):
            break
        rest = rest[1:]
    return frozenset(out)


def match_figures(numbers: pd.DataFrame, claims: pd.DataFrame, figures: pd.DataFrame,
                  coded: Sequence[str] | None = None) -> pd.DataFrame:
    """Pair the extracted figures with the reference figures, sentence by sentence.

    Parameters
    ----------
    numbers : pandas.DataFrame
        The ``numbers`` artefact (raw spans).
    claims : pandas.DataFrame
        The ``claims`` artefact (each sentence's raw span and clean text).
    figures : pandas.DataFrame
        The reference figures: ``claim_id, quote, subject, unit, hedged``.
    coded : sequence of str, optional
        The claim ids the reference coded (its figures are complete there);
        default: every claim.

    Returns
    -------
    pandas.DataFrame
        One row per reference figure and per unmatched extracted figure:
        ``article_id, claim_id, quote`` (reference), ``pred_quote`` (clean),
        ``exact`` (bool), ``subject, unit, hedged`` and ``pred_subject,
        pred_unit, pred_hedge``; the reference fields are empty for a spurious
        figure and the ``pred_`` fields for a missed one.  Extracted figures
        outside the coded sentences are not scored.
    """
    cl = claims.set_index("claim_id")
    by_claim: dict[str, list[dict[str, Any]]] = {}
    spans = sorted(zip(claims["article_id"], claims["start"], claims["end"], claims["claim_id"], strict=True))
    for r in numbers.sort_values(["article_id", "start", "end"]).itertuples():
        cid = next((c for a, s, e, c in spans if a == r.article_id and s <= r.start and r.end <= e), None)
        if cid is not None:
            by_claim.setdefault(cid, []).append({"quote": _clean(r.quote), "subject": r.subject, "unit": r.unit,
                                                 "hedge": str(r.hedge), "used": False})
    rows: list[dict[str, Any]] = []
    for cid, g in figures.groupby("claim_id", sort=False):
        preds = by_claim.get(cid, [])
        for f in g.itertuples():
            exact = next((p for p in preds if not p["used"] and p["quote"] == f.quote), None)
            near = exact or next((p for p in preds if not p["used"] and (f.quote in p["quote"] or p["quote"] in f.quote)),
                                 None)
            row = {"article_id": cl.loc[cid, "article_id"] if cid in cl.index else cid.rpartition(":")[0],
                   "claim_id": cid, "quote": f.quote, "subject": f.subject, "unit": f.unit, "hedged": str(f.hedged),
                   "pred_quote": "", "exact": False, "pred_subject": "", "pred_unit": "", "pred_hedge": ""}
            if near is not None:
                near["used"] = True
                row |= {"pred_quote": near["quote"], "exact": exact is not None, "pred_subject": near["subject"],
                        "pred_unit": near["unit"], "pred_hedge": near["hedge"]}
            rows.append(row)
    referenced = set(claims["claim_id"] if coded is None else coded) | set(figures["claim_id"])
    for cid in sorted(by_claim):
        if cid not in referenced:
            continue
        for p in by_claim[cid]:
            if not p["used"]:
                rows.append({"article_id": cl.loc[cid, "article_id"], "claim_id": cid, "quote": "", "subject": "",
                             "unit": "", "hedged": "", "pred_quote": p["quote"], "exact": False,
                             "pred_subject": p["subject"], "pred_unit": p["unit"], "pred_hedge": p["hedge"]})
    return pd.DataFrame(rows, columns=["article_id", "claim_id", "quote", "pred_quote", "exact", "subject", "unit",
                                       "hedged", "pred_subject", "pred_unit", "pred_hedge"])


def figure_scores(pairs: pd.DataFrame) -> pd.DataFrame:
    """Detection, subject, unit and hedge scores of the extracted figures, per article and pooled.

    Parameters
    ----------
    pairs : pandas.DataFrame
        :func:`match_figures` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`, method ``rules``.
    """
    names = [e["name"] for e in lexicon.entities()]
    rows = []
    splits = [(a, g) for a, g in pairs.groupby("article_id", sort=True)] + [("all", pairs)]
    for split, g in splits:
        ref = g[g["quote"] != ""]
        pred = g[g["pred_quote"] != ""]
        both = g[(g["quote"] != "") & (g["pred_quote"] != "")]
        n_ref, n_pred, n_both = len(ref), len(pred), len(both)
        prec = n_both / n_pred if n_pred else 0.0
        rec = n_both / n_ref if n_ref else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows += [_row("figures", "rules", split, "precision", "all", prec, n_pred),
                 _row("figures", "rules", split, "recall", "all", rec, n_ref),
                 _row("figures", "rules", split, "f1", "all", f1, n_ref),
                 _row("figures", "rules", split, "exact_quote", "all", both["exact"].mean() if n_both else 0.0,
                      n_both)]
        if not n_both:
            continue
        same_subject = [subject_entities(a, names) == subject_entities(b, names)
                        for a, b in zip(both["subject"], both["pred_subject"], strict=True)]
        rows.append(_row("figure_subject", "rules", split, "accuracy", "all", np.mean(same_subject), n_both))
        rows.append(_row("figure_unit", "rules", split, "accuracy", "all",
                         np.mean(both["unit"].astype(str) == both["pred_unit"].astype(str)), n_both))
        rows.append(_row("figure_hedge", "rules", split, "accuracy", "all",
                         np.mean(both["hedged"].astype(str) == both["pred_hedge"].astype(str)), n_both))
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


def coder_agreement(coder_a: Mapping[str, Any], coder_b: Mapping[str, Any], strategy_ids: Sequence[str], *,
                    n_boot: int = 1000) -> pd.DataFrame:
    """Cohen's kappa per field between the two independent codings, pooled and per article.

    Parameters
    ----------
    coder_a, coder_b : mapping
        :func:`analysis.lexicon.coding` of ``coder_a`` and ``coder_b``.
    strategy_ids : sequence of str
        Every strategy of the codebook.
    n_boot : int, default 1000
        Bootstrap resamples for the interval.

    Returns
    -------
    pandas.DataFrame
        ``scope`` (``all`` or an article id) then :data:`~analysis.checks.agreement.AGREEMENT_COLUMNS`,
        pooled first, then by article.
    """
    a, b = coding_frames(coder_a), coding_frames(coder_b)
    parts = [agreement_table(a, b, strategy_ids, n_boot=n_boot).assign(scope="all")]
    articles = sorted(set(a["cells"]["article_id"]) & set(b["cells"]["article_id"]))
    for aid in articles:
        sub = [{k: _only(v, aid) for k, v in frames.items()} for frames in (a, b)]
        parts.append(agreement_table(sub[0], sub[1], strategy_ids, n_boot=n_boot).assign(scope=aid))
    out = pd.concat(parts, ignore_index=True)
    return out[["scope", *AGREEMENT_COLUMNS]]


def _only(frame: pd.DataFrame, article_id: str) -> pd.DataFrame:
    if "article_id" in frame.columns:
        return frame[frame["article_id"] == article_id].reset_index(drop=True)
    if frame.empty:
        return frame
    return frame[frame["claim_id"].astype(str).str.rpartition(":")[0] == article_id].reset_index(drop=True)


def evaluate(claims: pd.DataFrame, numbers: pd.DataFrame | None, reference: pd.DataFrame,
             figures: pd.DataFrame, authors: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every leave-one-article-out score against the reference coding.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ``claims`` artefact.
    numbers : pandas.DataFrame or None
        The ``numbers`` artefact, if it exists (else no figure rows).
    reference : pandas.DataFrame
        The reference sentence labels (:func:`analysis.extract.claims.load_reference`).
    figures : pandas.DataFrame
        The reference figures (``claim_id, quote, subject, unit, hedged``).
    authors : mapping, optional
        ``{article_id: author}``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVAL_COLUMNS`, sorted by task, method, split, metric, label.

    Raises
    ------
    ValueError
        If no reference label matches a claim (the sentences were re-split since the coding).
    """
    pred = loao_claim_types(claims, reference, authors)
    if pred.empty:
        raise ValueError("no reference label matches a sentence of claims.csv: the sentences changed since the "
                         "coding (rebuild claims.csv or recode)")
    parts = [claim_type_scores(pred)]
    if numbers is not None and not figures.empty:
        parts.append(figure_scores(match_figures(numbers, claims, figures, coded=pred["claim_id"].tolist())))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    return out.sort_values(["task", "method", "split", "metric", "label"], ignore_index=True)
