"""The segmenter as a scikit-learn transformer: documents to lists of tokens.

:class:`ChineseTokenizer` wraps :func:`analysis.segment.content_tokens` (or
:func:`analysis.segment.tokenize`) in the transformer API, for pipelines such as::

    Pipeline([("seg", ChineseTokenizer()),
              ("tfidf", TfidfVectorizer(analyzer=passthrough))])

It lives apart from :mod:`analysis.segment` so that segmenting (the
per-document workers) does not import scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis.segment import content_tokens, get_fast_tokenizer, get_tokenizer, segmenter_name, tokenize

__all__ = ["ChineseTokenizer"]


class ChineseTokenizer(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: documents to lists of tokens.

    Parameters
    ----------
    drop_stopwords : bool, default True
        Use :func:`content_tokens` (True) or :func:`tokenize` (False).
    min_length : int, default 1
        Drop tokens shorter than this many characters.

    Attributes
    ----------
    n_documents_ : int
        Number of documents seen in :meth:`fit`.
    """

    def __init__(self, *, drop_stopwords: bool = True, min_length: int = 1) -> None:
        self.drop_stopwords = drop_stopwords
        self.min_length = min_length

    def fit(self, X: Iterable[str], y: object = None) -> ChineseTokenizer:
        """Load the dictionary; validate the parameters.

        Parameters
        ----------
        X : iterable of str
            The documents (only counted).
        y : ignored

        Returns
        -------
        ChineseTokenizer
            ``self``.

        Raises
        ------
        ValueError
            If ``min_length`` is not a positive integer.
        """
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"min_length must be a positive integer, got {self.min_length!r}")
        if segmenter_name() == "rjieba":
            get_fast_tokenizer()
        else:
            get_tokenizer()
        self.n_documents_ = sum(1 for _ in X)
        return self

    def transform(self, X: Iterable[str]) -> list[list[str]]:
        """Tokenize each document.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        list of list of str

        Raises
        ------
        ValueError
            If a document is not a str.
        """
        check_is_fitted(self, "n_documents_")
        fn = content_tokens if self.drop_stopwords else tokenize
        out = []
        for doc in X:
            if not isinstance(doc, str):
                raise ValueError(f"expected str documents, got {type(doc).__name__}")
            out.append([w for w in fn(doc) if len(w) >= self.min_length])
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """This transformer outputs token lists, not columns: one 'tokens' feature.

        Parameters
        ----------
        input_features : ignored

        Returns
        -------
        ndarray of str
            ``["tokens"]``.
        """
        return np.asarray(["tokens"], dtype=object)
