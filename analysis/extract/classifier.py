r"""Learned claim typing: the cue classifier and the cross-fitted coder of the ``claims`` table.

Two multinomial logistic regressions,

.. math::

    P(y = k \mid x) \propto \exp(w_k^\top x + b_k),

with classes weighted inversely to their frequency:

* :func:`make_classifier` -- the counts of each kind of cue and evidence that
  :func:`analysis.extract.cues.cue_hits` finds (:class:`CueFeatures`, scaled
  to :math:`[0, 1]`) and the character 1- and 2-gram TF-IDF of the sentence.
  It sees one sentence at a time.
* :func:`make_type_classifier` -- the coder whose types the ``claims`` table
  carries.  Its features (:func:`type_features`) are the rule type and the
  rule that gave it (:func:`analysis.extract.rules.code_article`, the
  manual's decision order), the cue counts, list markers, a first word that
  is a verb, first and second person, a few function words (可以, 会, 让,
  如果...), the rule types of the previous and the next sentence, the share of
  each rule type in the article, and the character n-grams.

Both are fit on the reference coding (:func:`analysis.lexicon.coding`)
**per fold, leave one article out** (:func:`cross_fit`): the sentences of a
coded article are typed by a model trained on the other coded articles only,
and an article that is not coded by the model trained on all of them.  The
weights are fit per fold; the rules that feed the second model were written
by hand with the whole corpus in view (see :mod:`analysis.extract.rules`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from analysis import config, lexicon
from analysis.cache import DocumentCache, content_sha256
from analysis.extract.claims import reference_labels
from analysis.extract.cues import criticism_cues, cue_hits
from analysis.extract.type_features import FEATURE_WORDS, article_features, type_features
from analysis.parallel import map_batches

__all__ = ["CueFeatures", "assign_types", "make_classifier", "type_features", "article_features", "make_type_classifier",
           "feature_dicts", "cross_fit", "FEATURE_WORDS"]



class CueFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: sentences to counts of each cue kind.

    Columns: one per cue kind of :func:`~analysis.extract.cues.cue_hits`
    except ``question``, then ``heading_like`` (no final full stop),
    ``question`` (a final question mark) and ``criticism``.

    Parameters
    ----------
    cues_path : pathlib.Path or None, default None
        Cue lexicon file; ``None`` means the project's ``cues.yaml``.

    Attributes
    ----------
    n_features_out_ : int
        The number of columns.
    """

    _HITS = ("recommendation", "recommendation_negative", "prediction", "prediction_weak", "causal", "fact",
             "figure", "date", "past")
    _NAMES = _HITS + ("heading_like", "question", "criticism")

    def __init__(self, *, cues_path: Path | None = None) -> None:
        self.cues_path = cues_path

    def _cues(self) -> dict[str, Any]:
        return lexicon.cues(self.cues_path)

    def fit(self, X: Iterable[str], y: Any = None) -> CueFeatures:
        """Load (and so check) the lexicons.

        Parameters
        ----------
        X : iterable of str
            Ignored.
        y : ignored

        Returns
        -------
        CueFeatures
            ``self``.

        Raises
        ------
        analysis.lexicon.LexiconError
            If the cue lexicon is malformed.
        """
        self._cues()
        self.n_features_out_ = len(self._NAMES)
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Count the cues of each sentence.

        Parameters
        ----------
        X : iterable of str
            Clean sentences.

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(n_sentences, n_features_out_)``, float counts.

        Raises
        ------
        ValueError
            If a sentence is not a str.
        """
        check_is_fitted(self, "n_features_out_")
        cues = self._cues()
        rows = []
        for text in X:
            if not isinstance(text, str):
                raise ValueError(f"expected str sentences, got {type(text).__name__}")
            hits = cue_hits(text, cues)
            rows.append([len(hits[k]) for k in self._HITS] + [
                float(text.rstrip()[-1:] not in "。;"), float(text.rstrip()[-1:] in "?？"),
                len(criticism_cues(text, cues)),
            ])
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(-1, len(self._NAMES)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The names of the columns, in order.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        numpy.ndarray of str
            ``cue_<kind>`` for each column.
        """
        return np.asarray([f"cue_{n}" for n in self._NAMES], dtype=object)


def make_classifier(*, random_state: int = config.SEED, C: float = 1.0) -> Pipeline:
    """A logistic regression over cue counts and character 1–2-gram TF-IDF.

    Parameters
    ----------
    random_state : int, default :data:`analysis.config.SEED`
    C : float, default 1.0
        Inverse regularisation strength.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; takes clean sentences and predicts claim types.
    """
    feats = FeatureUnion([
        ("cues", Pipeline([("count", CueFeatures()), ("scale", MaxAbsScaler())])),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
    ])
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=random_state)
    return Pipeline([("features", feats), ("clf", clf)])


def feature_dicts(rows: Iterable[Mapping[str, float] | str]) -> list[Mapping[str, float]]:
    """:func:`type_features`' feature dicts, each given as a dict or as its JSON text.

    The ``claims`` stage keeps the features as the JSON its workers wrote
    (:func:`analysis.extract.claims.split_features`), so that only the rows a model
    reads are parsed (at 50 MB, 290,000 parsed dicts take about 0.4 GB).

    Parameters
    ----------
    rows : iterable of dict or str

    Returns
    -------
    list of dict
    """
    return [json.loads(r) if isinstance(r, str) else r for r in rows]


def make_type_classifier(*, random_state: int = config.SEED, C: float = 0.3) -> Pipeline:
    """The claim-type coder: a logistic regression over :func:`type_features` and character n-grams.

    Parameters
    ----------
    random_state : int, default :data:`analysis.config.SEED`
    C : float, default 0.3
        Inverse regularisation strength.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; takes a frame with ``features`` (dicts, or the same as JSON text:
        :func:`feature_dicts`) and ``text`` columns (:func:`type_features`) and predicts claim types.
    """
    feats = ColumnTransformer([
        ("context", Pipeline([("parse", FunctionTransformer(feature_dicts)), ("vectorize", DictVectorizer())]),
         "features"),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True), "text"),
    ])
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=random_state)
    return Pipeline([("features", feats), ("clf", clf)])


#: Rows predicted at a time by :func:`cross_fit` (bounds the memory of a large corpus's feature matrix).
PREDICT_CHUNK = 20_000


def _predict_rows(rows: list[Any], model: Any, columns: list[str] | None = None) -> list[str]:
    """A fitted model's labels of some rows (tuples of ``columns``' values when it takes a frame), with one BLAS
    thread (the same result in a worker as here)."""
    with threadpool_limits(limits=1):
        return [str(y) for y in model.predict(pd.DataFrame(rows, columns=columns) if columns is not None else rows)]


def cross_fit(X: pd.DataFrame, labels: pd.Series, groups: pd.Series, make: Callable[[], Any],
              fallback: pd.Series | None = None, *, n_jobs: int = 1, backend: str = "loky",
              scheduler: str | None = None, cache: DocumentCache | None = None) -> pd.DataFrame:
    """Leave-one-group-out predictions for the labelled rows, and all-group predictions for the rest.

    A labelled row of group :math:`g` is predicted by a model fit on the
    labelled rows of the *other* groups only; an unlabelled row by a model fit
    on every labelled row.  Its own label never reaches the model that
    predicts it.

    Parameters
    ----------
    X : pandas.DataFrame or sequence
        The model's input, row-aligned with ``labels`` (indexed by position).
    labels : pandas.Series
        The reference label of each row, or missing (``None``/NaN/``""``).
    groups : pandas.Series
        The fold of each row (the article id).
    make : callable
        Returns a fresh unfitted estimator.
    fallback : pandas.Series, optional
        Used for the rows of a fold whose training set has fewer than two
        classes (for example when only one article is labelled); default ``None``
        raises instead.
    n_jobs, backend, scheduler
        The predictions, :data:`PREDICT_CHUNK` rows at a time, are mapped over
        workers (:func:`analysis.parallel.map_batches`); the result is the
        same whatever these are.
    cache : analysis.cache.DocumentCache, optional
        Where each group's predictions of a fold are cached, keyed by ``make``'s code, the
        fold's training rows and labels, and the group's rows: a rerun whose training data are
        unchanged neither refits that fold's model nor predicts a group it has seen.  ``make``
        must then be a module-level function of this package.

    Returns
    -------
    pandas.DataFrame
        ``prediction`` and ``fold`` (the held-out group, or ``"all"`` for an
        unlabelled row), in the order of ``X``.

    Raises
    ------
    ValueError
        If the lengths differ, or a fold cannot be fit and there is no fallback.
    """
    n = len(labels)
    if len(groups) != n or len(X) != n or (fallback is not None and len(fallback) != n):
        raise ValueError("X, labels, groups and fallback must have the same length")
    lab = pd.Series(labels).reset_index(drop=True)
    grp = pd.Series(groups).reset_index(drop=True).astype(str)
    known = lab.notna() & (lab.astype(str) != "")
    pred = pd.Series([""] * n, dtype=object)
    fold = pd.Series(["all"] * n, dtype=object)
    plan = [(g, (grp == g) & known, known & (grp != g)) for g in sorted(grp[known].unique())]
    plan.append(("all", ~known, known))
    columns = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
    rows = list(zip(*(X[c].tolist() for c in X.columns), strict=True)) if columns is not None else list(X)
    version = cache.version(make) if cache is not None and cache.enabled else ""
    group_of = grp.to_numpy()
    for name, test, train in plan:
        if not test.any():
            continue
        fold[test] = name
        idx_test, idx_train = np.flatnonzero(test), np.flatnonzero(train)
        if lab[train].nunique() < 2:
            if fallback is None:
                raise ValueError(f"fold {name!r}: fewer than two classes to train on")
            pred[test] = pd.Series(fallback).reset_index(drop=True)[test]
            continue
        train_rows, train_labels = [rows[i] for i in idx_train], lab[train].astype(str).tolist()
        # one group of rows per article, in row order; each group's predictions cached under this fold's model
        by_group: dict[str, list[int]] = {}
        for i in idx_test:
            by_group.setdefault(group_of[i], []).append(int(i))
        parts = [[rows[i] for i in idx] for idx in by_group.values()]
        keys = None
        if version:
            model_id = content_sha256((columns, train_rows, train_labels))
            keys = [cache.content_key(version, (model_id, part), g)  # type: ignore[union-attr]
                    for g, part in zip(by_group, parts, strict=True)]
        predict = functools.partial(_predict_rows, model=_LazyFit(make, train_rows, train_labels, columns),
                                    columns=columns)
        # predicted in batches (every step is row-wise, so the labels are the same), on the workers, and
        # without the whole corpus's feature matrix in memory at once
        done = map_batches(predict, parts, batch=PREDICT_CHUNK, n_jobs=n_jobs, backend=backend,
                           scheduler=scheduler, cache=cache, keys=keys)
        for idx, labels_ in zip(by_group.values(), done, strict=True):
            pred[idx] = labels_
    return pd.DataFrame({"prediction": pred, "fold": fold})


class _LazyFit:
    """A model fitted on first use, here, before it is pickled to the workers (so a fold whose
    predictions are all cached is never fitted)."""

    def __init__(self, make: Callable[[], Any], rows: list[Any], labels: list[str],
                 columns: list[str] | None) -> None:
        self.make, self.rows, self.labels, self.columns = make, rows, labels, columns
        self.model: Any = None

    def fitted(self) -> Any:
        if self.model is None:
            X = pd.DataFrame(self.rows, columns=self.columns) if self.columns is not None else self.rows
            with threadpool_limits(limits=1):  # BLAS threads only slow a fit this small down (100x on 2 cores)
                self.model = self.make().fit(X, self.labels)
        return self.model

    def predict(self, X: Any) -> Any:
        return self.fitted().predict(X)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_fitted_model, (self.fitted(),))


def _fitted_model(model: Any) -> Any:
    return model


def assign_types(claims: pd.DataFrame, reference: pd.DataFrame, authors: Mapping[str, str] | None = None,
                 features: pd.DataFrame | None = None, *, n_jobs: int = 1, backend: str = "loky",
                 scheduler: str | None = None, cache: DocumentCache | None = None) -> pd.DataFrame:
    """Cross-fitted claim types: each coded article typed by the model trained without it.

    Parameters
    ----------
    claims : pandas.DataFrame
        :func:`analysis.extract.claims.claims_frame` output (rule types).
    reference : pandas.DataFrame
        :func:`analysis.extract.claims.load_reference` output.
    authors : mapping, optional
        ``{article_id: author}``.
    features : pandas.DataFrame, optional
        :func:`~analysis.extract.type_features.type_features` of ``claims``,
        already computed (:func:`analysis.extract.claims.split_features`); default: computed here.
    n_jobs, backend, scheduler
        Where the predictions run (:func:`cross_fit`); the types are the same whatever these are.
    cache : analysis.cache.DocumentCache, optional
        Caches each article's predicted types (:func:`cross_fit`); the types are the same either way.

    Returns
    -------
    pandas.DataFrame
        A copy of ``claims`` whose ``type`` is the coder's
        (:func:`make_type_classifier` through :func:`cross_fit`); the rule type is kept
        where a fold has too few labels to fit.
    """
    out = claims.copy()
    if out.empty:
        return out
    feats = type_features(out, authors) if features is None else features
    fit = cross_fit(feats[["features", "text"]], reference_labels(out, reference), out["article_id"],
                    make_type_classifier, fallback=feats["rule_type"], n_jobs=n_jobs, backend=backend,
                    scheduler=scheduler, cache=cache)
    out["type"] = fit["prediction"].to_numpy()
    return out
