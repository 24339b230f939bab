r"""A learned alternative to the cue rules: logistic regression over cue counts and characters.

The classifier maps a clean sentence to one of the claim types
(:data:`analysis.extract.cues.TYPES`) with a multinomial logistic regression,

.. math::

    P(y = k \mid x) \propto \exp(w_k^\top x + b_k),

over the concatenation of two feature blocks: the counts of each kind of cue
and evidence that :func:`analysis.extract.cues.cue_hits` finds
(:class:`CueFeatures`, scaled to :math:`[0, 1]` by their maxima) and the
character 1- and 2-gram TF-IDF of the sentence.  Classes are weighted
inversely to their frequency.  It is trained on the ``tune`` half of the
hand-labelled sample and scored on the ``heldout`` half by the ``evaluate``
stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler
from sklearn.utils.validation import check_is_fitted

from analysis import config, lexicon
from analysis.extract.cues import criticism_cues, cue_hits

__all__ = ["CueFeatures", "make_classifier"]


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
