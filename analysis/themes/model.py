r"""The topic model: TF-IDF over the sentences, factorised by non-negative matrix factorisation.

Each sentence of ``claims.csv`` (clean Simplified text) becomes a row of a
TF-IDF matrix :math:`X` over its content words (:func:`topic_tokens`,
segmented by :mod:`analysis.segment`), and

.. math::

    X \approx W H, \qquad X \in \mathbb{R}_{\ge 0}^{n \times V},\;
    W \in \mathbb{R}_{\ge 0}^{n \times k},\; H \in \mathbb{R}_{\ge 0}^{k \times V},

with the deterministic NNDSVD(a) initialisation (:class:`ThemeModel`, a
scikit-learn transformer).  Row :math:`H_t` is topic :math:`t` over the
vocabulary; :math:`W_{dt}` is the weight of topic :math:`t` in sentence
:math:`d`.  Topics are ordered by total weight :math:`\sum_d W_{dt}`, so the
order does not depend on the solver's internal order.

The codebook view of the same sentences (``data/lexicon/strategies.yaml``)
and the comparison of the two are in :mod:`analysis.themes.codebook`; the
stability of the topics under perturbation is in
:mod:`analysis.themes.stability`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analysis.segment import content_tokens, passthrough

__all__ = ["N_TOPICS", "ThemeModel", "topic_tokens"]

#: Topics of the book's model.
N_TOPICS = 8
#: What the model accepts: sentences, token lists, or a document-term matrix.
DocumentInput = Sequence[str] | Sequence[Sequence[str]] | np.ndarray | sp.spmatrix


def _is_token_lists(X: DocumentInput) -> bool:
    return len(X) > 0 and not isinstance(X[0], str) and isinstance(X[0], (list, tuple))


class ThemeModel(TransformerMixin, BaseEstimator):
    """TF-IDF + NMF topic model with the scikit-learn estimator API.

    ``X`` may be raw Simplified sentences (segmented with
    :func:`analysis.segment.content_tokens`), token lists (the output of
    :class:`analysis.tokenizer.ChineseTokenizer`), or an already weighted
    document-term matrix (the output of a ``TfidfVectorizer``); in the last
    case :meth:`top_terms` needs the vectoriser's feature names.

    Parameters
    ----------
    n_topics : int, default 8
        Number of topics :math:`k`.
    init : {"nndsvda", "nndsvd", "nndsvdar", "random"}, default "nndsvda"
        NMF initialisation; the first two are deterministic.
    max_iter : int, default 1000
        Maximum number of NMF iterations.
    tol : float, default 1e-4
        Tolerance of NMF's stopping condition.
    alpha_W : float, default 0.0
        Regularisation of :math:`W` (see :class:`sklearn.decomposition.NMF`).
    l1_ratio : float, default 0.0
        Mix of L1 and L2 in that regularisation (0: L2 only).
    min_df : int or float, default 2
        Passed to the internal ``TfidfVectorizer`` (text or token input only).
    max_df : float, default 0.5
        Passed to the internal ``TfidfVectorizer``: terms in more than this share of the
        documents are dropped (text or token input only).
    random_state : int or None, default 0
        Seeds the randomised SVD behind the NNDSVD initialisations and the
        random ones.  ``None`` makes even ``nndsvda`` vary from run to run.

    Attributes
    ----------
    vectorizer_ : TfidfVectorizer or None
        The fitted vectoriser (``None`` for matrix input).
    terms_ : ndarray of str, shape (n_terms,)
        Column names of :attr:`components_`.
    components_ : ndarray of shape (n_topics, n_terms)
        Topic-term weights :math:`H`, topics sorted by total document weight.
    topic_weights_ : ndarray of shape (n_topics,)
        Total weight :math:`\\sum_d W_{dt}` of each topic on the training set.
    reconstruction_err_ : float
        Frobenius norm of the training matrix minus :math:`WH`.
    n_features_in_ : int
        Number of terms.
    """

    def __init__(
        self,
        *,
        n_topics: int = N_TOPICS,
        init: str = "nndsvda",
        max_iter: int = 1000,
        tol: float = 1e-4,
        alpha_W: float = 0.0,
        l1_ratio: float = 0.0,
        min_df: int | float = 2,
        max_df: float = 0.5,
        random_state: int | None = 0,
    ) -> None:
        self.n_topics = n_topics
        self.init = init
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_W = alpha_W
        self.l1_ratio = l1_ratio
        self.min_df = min_df
        self.max_df = max_df
        self.random_state = random_state

    # -- helpers ---------------------------------------------------------
    def _make_vectorizer(self, X: DocumentInput) -> TfidfVectorizer | None:
        if sp.issparse(X) or isinstance(X, np.ndarray):
            return None
        if _is_token_lists(X):
            return TfidfVectorizer(analyzer=passthrough, min_df=self.min_df, max_df=self.max_df, sublinear_tf=True)
        return TfidfVectorizer(tokenizer=content_tokens, token_pattern=None, lowercase=False,
                               min_df=self.min_df, max_df=self.max_df, sublinear_tf=True)

    def _matrix(self, X: DocumentInput, *, fit: bool) -> sp.csr_matrix:
        if sp.issparse(X) or isinstance(X, np.ndarray):
            M = sp.csr_matrix(X, dtype=float)
            if M.nnz and M.data.min() < 0:
                raise ValueError("the document-term matrix must be non-negative")
            return M
        X = list(X)
        if any(not isinstance(x, (str, list, tuple)) for x in X):
            raise ValueError("X must be a matrix, a list of str or a list of token lists")
        return sp.csr_matrix(self.vectorizer_.fit_transform(X) if fit else self.vectorizer_.transform(X))

    # -- estimator API -----------------------------------------------------
    def fit(self, X: DocumentInput, y: object = None) -> ThemeModel:
        """Fit the vectoriser (text input) and the NMF.

        Parameters
        ----------
        X : list of str, list of list of str, or array_like(float, ndim=2)
            Sentences, token lists, or a non-negative document-term matrix.
        y : ignored

        Returns
        -------
        ThemeModel
            ``self``.

        Raises
        ------
        ValueError
            If ``n_topics`` is not a positive integer, or exceeds the number
            of documents or terms.
        """
        if not isinstance(self.n_topics, (int, np.integer)) or self.n_topics < 1:
            raise ValueError(f"n_topics must be a positive integer, got {self.n_topics!r}")
        if not (sp.issparse(X) or isinstance(X, np.ndarray)):
            X = list(X)
        n_docs = X.shape[0] if hasattr(X, "shape") else len(X)
        if n_docs < self.n_topics:
            raise ValueError(f"n_topics={self.n_topics} exceeds the number of documents ({n_docs})")
        self.vectorizer_ = self._make_vectorizer(X)
        M = self._matrix(X, fit=True)
        if M.shape[1] < self.n_topics:
            raise ValueError(f"n_topics={self.n_topics} exceeds the number of terms ({M.shape[1]})")
        self.terms_ = (np.asarray(self.vectorizer_.get_feature_names_out(), dtype=object)
                       if self.vectorizer_ is not None
                       else np.asarray([f"term{i}" for i in range(M.shape[1])], dtype=object))
        nmf = NMF(n_components=self.n_topics, init=self.init, max_iter=self.max_iter, tol=self.tol,
                  alpha_W=self.alpha_W, l1_ratio=self.l1_ratio, random_state=self.random_state)
        W = nmf.fit_transform(M)
        weights = W.sum(axis=0)
        # deterministic topic order: heavier topics first, ties by the top term's index
        order = sorted(range(self.n_topics), key=lambda t: (-round(float(weights[t]), 9),
                                                              int(np.argmax(nmf.components_[t]))))
        self._nmf = nmf
        self._order = np.asarray(order)
        self.components_ = nmf.components_[self._order]
        self.topic_weights_ = weights[self._order]
        self.reconstruction_err_ = float(nmf.reconstruction_err_)
        self.n_features_in_ = M.shape[1]
        return self

    def transform(self, X: DocumentInput) -> np.ndarray:
        """Topic weights :math:`W` of new documents.

        Parameters
        ----------
        X : list of str, list of list of str, or array_like(float, ndim=2)
            Of the same kind as in :meth:`fit`.

        Returns
        -------
        ndarray(float, ndim=2)
            Shape ``(n_docs, n_topics)``, topics in the model's order.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before :meth:`fit`.
        ValueError
            If a matrix has another number of terms than the training data.
        """
        check_is_fitted(self, "components_")
        M = self._matrix(X, fit=False)
        if M.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {M.shape[1]} terms, the model was fitted with {self.n_features_in_}")
        return self._nmf.transform(M)[:, self._order]

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Output column names.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        ndarray of str
            ``topic_0 ... topic_{k-1}``.
        """
        check_is_fitted(self, "components_")
        return np.asarray([f"topic_{t}" for t in range(self.n_topics)], dtype=object)

    def top_terms(self, n: int = 10, feature_names: Sequence[str] | None = None) -> pd.DataFrame:
        """The ``n`` heaviest terms of each topic.

        Parameters
        ----------
        n : int
        feature_names : sequence of str, optional
            Names of the input columns, for matrix input.

        Returns
        -------
        pandas.DataFrame
            Columns ``topic, rank, term, weight`` (weights rounded to 6 places),
            sorted by topic and rank; ties broken by term.

        Raises
        ------
        ValueError
            If ``n < 1`` or ``feature_names`` has the wrong length.
        sklearn.exceptions.NotFittedError
            Before :meth:`fit`.
        """
        check_is_fitted(self, "components_")
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        names = np.asarray(feature_names, dtype=object) if feature_names is not None else self.terms_
        if len(names) != self.n_features_in_:
            raise ValueError(f"{len(names)} feature names for {self.n_features_in_} terms")
        rows = []
        for t, comp in enumerate(self.components_):
            ranked = sorted(range(len(comp)), key=lambda j: (-round(float(comp[j]), 9), str(names[j])))[:n]
            rows += [{"topic": t, "rank": r, "term": str(names[j]), "weight": round(float(comp[j]), 6)}
                     for r, j in enumerate(ranked) if comp[j] > 0]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def topic_tokens(sentences: Sequence[str], min_length: int = 2) -> list[list[str]]:
    """Content tokens of each sentence for the topic model.

    Single characters (the protected cue words 不, 要, 会 and stray
    morphemes such as 化) carry no topic, so tokens shorter than
    ``min_length`` are dropped.

    Parameters
    ----------
    sentences : sequence of str
        Clean Simplified sentences.
    min_length : int, default 2
        Shortest token kept, in characters.

    Returns
    -------
    list of list of str
        :func:`analysis.segment.content_tokens` of each sentence, filtered; one string object per
        distinct token (so the lists of a large corpus, and their pickle, stay small).
    """
    pool: dict[str, str] = {}
    return [[pool.setdefault(w, w) for w in content_tokens(s) if len(w) >= min_length] for s in sentences]
