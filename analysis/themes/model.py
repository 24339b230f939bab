r"""Strategy themes: the codebook, a data-driven topic model, and their agreement.

Two views of what the articles discuss:

* the **codebook** (``data/lexicon/strategies.yaml``): each sentence of
  ``claims.csv`` carries the ids of the strategies whose seed terms it
  contains (:func:`analysis.claims.find_themes`);
* a **topic model**: TF-IDF over the sentences, factorised by non-negative
  matrix factorisation,

  .. math::

      X \approx W H, \qquad X \in \mathbb{R}_{\ge 0}^{n \times V},\;
      W \in \mathbb{R}_{\ge 0}^{n \times k},\; H \in \mathbb{R}_{\ge 0}^{k \times V},

  with the deterministic NNDSVD(a) initialisation (:class:`ThemeModel`).

The topics are **stable** when refits on perturbed data (10% of sentences
dropped) and from other random initialisations find the same topics: topics
are matched one-to-one by the Hungarian algorithm on the cosine similarity of
their term vectors :math:`H_i` (:func:`topic_stability`), and the score is the
mean matched cosine, in :math:`[0, 1]`.  The topic × strategy cosine of the
document weights :math:`W_{\cdot t}` and the strategy indicator vectors shows
where the two views agree (:func:`topic_codebook`).

The **stance** of each article on each strategy (:func:`strategy_stance`)
comes from the sentences that touch the strategy:

1. a recommendation with positive polarity *supports* it;
2. a negated (prohibitive) recommendation, or a sentence with a criticism cue
   (失败, 愚蠢, 问题, 揠苗助长...), *criticises* it;
3. any other sentence *reports* it.

The article's stance is the majority of *supports* vs *criticises* (a tie, or
neither, gives *reports*); no sentence at all gives *absent*.  The evidence
column lists the claim ids behind the stance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analysis import config
from analysis.extract.claims import load_strategies
from analysis.segment import content_tokens, passthrough

__all__ = [
    "ThemeModel",
    "STANCES",
    "match_topics",
    "topic_stability",
    "stability_score",
    "topic_codebook",
    "sentence_stance",
    "strategy_stance",
    "topic_tokens",
    "stance_matrix",
]

STANCES: tuple[str, ...] = ("supports", "criticises", "reports", "absent")
#: Topics of the book's model, and the stability protocol.
N_TOPICS = 8
N_RUNS = 10
DROP_FRACTION = 0.1


def _is_token_lists(X) -> bool:
    return len(X) > 0 and not isinstance(X[0], str) and isinstance(X[0], (list, tuple))


class ThemeModel(TransformerMixin, BaseEstimator):
    """TF-IDF + NMF topic model with the scikit-learn estimator API.

    ``X`` may be raw Simplified sentences (segmented with
    :func:`analysis.segment.content_tokens`), token lists (the output of
    :class:`analysis.segment.ChineseTokenizer`), or an already weighted
    document-term matrix (the output of a ``TfidfVectorizer``); in the last
    case :meth:`top_terms` needs the vectoriser's feature names.

    Parameters
    ----------
    n_topics : int, default 8
        Number of topics :math:`k`.
    init : {"nndsvda", "nndsvd", "nndsvdar", "random"}, default "nndsvda"
        NMF initialisation; the first two are deterministic.
    max_iter : int, default 1000
    tol : float, default 1e-4
    alpha_W : float, default 0.0
        Regularisation of :math:`W` (see :class:`sklearn.decomposition.NMF`).
    l1_ratio : float, default 0.0
    min_df : int or float, default 2
        Passed to the internal ``TfidfVectorizer`` (text or token input only).
    max_df : float, default 0.5
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
    def _make_vectorizer(self, X) -> TfidfVectorizer | None:
        if sp.issparse(X) or isinstance(X, np.ndarray):
            return None
        if _is_token_lists(X):
            return TfidfVectorizer(analyzer=passthrough, min_df=self.min_df, max_df=self.max_df, sublinear_tf=True)
        return TfidfVectorizer(tokenizer=content_tokens, token_pattern=None, lowercase=False,
                               min_df=self.min_df, max_df=self.max_df, sublinear_tf=True)

    def _matrix(self, X, *, fit: bool) -> sp.csr_matrix:
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
    def fit(self, X, y=None) -> ThemeModel:
        """Fit the vectoriser (text input) and the NMF.

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

    def transform(self, X) -> np.ndarray:
        """Topic weights :math:`W` of new documents, shape ``(n_docs, n_topics)``."""
        check_is_fitted(self, "components_")
        M = self._matrix(X, fit=False)
        if M.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {M.shape[1]} terms, the model was fitted with {self.n_features_in_}")
        return self._nmf.transform(M)[:, self._order]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Output column names: ``topic_0 ... topic_{k-1}``."""
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


# ---------------------------------------------------------------------------
# stability
# ---------------------------------------------------------------------------
def _project(model: ThemeModel, terms: np.ndarray) -> np.ndarray:
    """Express a model's topics over another vocabulary (missing terms -> 0)."""
    index = {t: j for j, t in enumerate(model.terms_)}
    out = np.zeros((model.n_topics, len(terms)))
    for i, t in enumerate(terms):
        j = index.get(t)
        if j is not None:
            out[:, i] = model.components_[:, j]
    return out


def _cosine(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    na[na == 0] = 1.0
    nb[nb == 0] = 1.0
    return (A / na) @ (B / nb).T


def match_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match topics one-to-one by the Hungarian algorithm on cosine similarity.

    Parameters
    ----------
    reference, other : array_like(float, ndim=2)
        Topic-term matrices over the same terms, shape ``(k, V)``.

    Returns
    -------
    (ndarray of int, ndarray of float)
        For each reference topic, the index of its match in ``other`` and
        their cosine similarity (in ``[0, 1]`` for non-negative inputs).
    """
    reference, other = np.asarray(reference, float), np.asarray(other, float)
    if reference.ndim != 2 or other.ndim != 2 or reference.shape[1] != other.shape[1]:
        raise ValueError(f"need two (k, V) matrices over the same terms, got {reference.shape} and {other.shape}")
    sim = _cosine(reference, other)
    rows, cols = linear_sum_assignment(-sim)
    match = np.full(reference.shape[0], -1)
    match[rows] = cols
    cos = np.zeros(reference.shape[0])
    cos[rows] = sim[rows, cols]
    return match, np.clip(cos, 0.0, 1.0)


def topic_stability(
    docs: Sequence[Sequence[str]],
    *,
    n_topics: int = N_TOPICS,
    n_runs: int = N_RUNS,
    drop: float = DROP_FRACTION,
    seed: int = config.SEED,
    reference: ThemeModel | None = None,
) -> pd.DataFrame:
    """Refit the topic model on perturbed data and match its topics to the reference.

    Three kinds of perturbation, ``n_runs`` runs each:

    * ``drop``: drop a random ``drop`` fraction of the sentences (deterministic init);
    * ``seed``: all sentences, random initialisation with another seed;
    * ``drop+seed``: both.

    Parameters
    ----------
    docs : sequence of token lists
    n_topics, n_runs : int
    drop : float
        Fraction of documents dropped, in ``(0, 1)``.
    seed : int
        Master seed; run ``i`` uses ``seed + i``.
    reference : ThemeModel, optional
        The fitted reference model (default: fitted here on all ``docs``).

    Returns
    -------
    pandas.DataFrame
        One row per run and reference topic: ``kind, run, seed, topic,
        matched_topic, cosine`` (cosine rounded to 6 places).
    """
    if not 0 < drop < 1:
        raise ValueError(f"drop must be in (0, 1), got {drop}")
    if n_runs < 1:
        raise ValueError(f"n_runs must be >= 1, got {n_runs}")
    docs = [list(d) for d in docs]
    ref = reference if reference is not None else ThemeModel(n_topics=n_topics).fit(docs)
    n_keep = len(docs) - int(round(drop * len(docs)))
    rows = []
    for kind in ("drop", "seed", "drop+seed"):
        for run in range(n_runs):
            s = seed + run
            rng = np.random.default_rng(s)
            sub = docs
            if "drop" in kind:
                keep = np.sort(rng.choice(len(docs), size=n_keep, replace=False))
                sub = [docs[i] for i in keep]
            init = "random" if "seed" in kind else ref.init
            model = ThemeModel(n_topics=ref.n_topics, init=init, random_state=s, min_df=ref.min_df,
                               max_df=ref.max_df, max_iter=ref.max_iter, tol=ref.tol).fit(sub)
            match, cos = match_topics(ref.components_, _project(model, ref.terms_))
            rows += [{"kind": kind, "run": run, "seed": s, "topic": t, "matched_topic": int(match[t]),
                      "cosine": round(float(cos[t]), 6)} for t in range(ref.n_topics)]
    return pd.DataFrame(rows, columns=["kind", "run", "seed", "topic", "matched_topic", "cosine"])


def stability_score(stability: pd.DataFrame) -> float:
    """Mean matched cosine over all runs and topics, in ``[0, 1]``."""
    if stability.empty:
        raise ValueError("empty stability table")
    return round(float(stability["cosine"].mean()), 4)


# ---------------------------------------------------------------------------
# topics vs codebook
# ---------------------------------------------------------------------------
def _theme_sets(claims: pd.DataFrame) -> list[set[str]]:
    return [set(t.split(";")) if isinstance(t, str) and t else set() for t in claims["themes"]]


def topic_codebook(W: np.ndarray, claims: pd.DataFrame, terms: pd.DataFrame,
                   strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """Topic × strategy agreement: cosine of topic weights and strategy indicators.

    Parameters
    ----------
    W : array_like(float, ndim=2)
        Sentence × topic weights, rows aligned with ``claims``.
    claims : pandas.DataFrame
        With a ``themes`` column (``;``-joined strategy ids).
    terms : pandas.DataFrame
        :meth:`ThemeModel.top_terms` output (for the topic labels).
    strategies : sequence of str, optional
        Strategy ids (default: the codebook's, in file order).

    Returns
    -------
    pandas.DataFrame
        ``topic, top_terms, strategy, n_sentences, cosine, best_for_topic,
        best_for_strategy``, sorted by topic then strategy.
    """
    W = np.asarray(W, float)
    if W.shape[0] != len(claims):
        raise ValueError(f"W has {W.shape[0]} rows for {len(claims)} claims")
    ids = list(strategies) if strategies is not None else [s["id"] for s in load_strategies()]
    sets = _theme_sets(claims)
    S = np.asarray([[s in ts for s in ids] for ts in sets], dtype=float)
    cos = _cosine(W.T, S.T)
    labels = {t: " ".join(g.sort_values("rank")["term"].head(5)) for t, g in terms.groupby("topic")}
    best_t = cos.argmax(axis=1)
    best_s = cos.argmax(axis=0)
    rows = []
    for t in range(W.shape[1]):
        for j, s in enumerate(ids):
            rows.append({"topic": t, "top_terms": labels.get(t, ""), "strategy": s, "n_sentences": int(S[:, j].sum()),
                         "cosine": round(float(cos[t, j]), 4), "best_for_topic": bool(best_t[t] == j and cos[t, j] > 0),
                         "best_for_strategy": bool(best_s[j] == t and cos[t, j] > 0)})
    return pd.DataFrame(rows).sort_values(["topic", "strategy"], ignore_index=True)


# ---------------------------------------------------------------------------
# stance
# ---------------------------------------------------------------------------
def sentence_stance(type_: str, polarity: str, criticism: str) -> str:
    """Stance of one sentence towards the strategies it touches (see module notes)."""
    if type_ == "recommendation" and polarity == "positive":
        return "supports"
    if (type_ == "recommendation" and polarity == "negative") or (isinstance(criticism, str) and criticism):
        return "criticises"
    return "reports"


def strategy_stance(claims: pd.DataFrame, strategies: Sequence[str] | None = None) -> pd.DataFrame:
    """Stance of every article on every strategy, with the evidence claim ids.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv``: needs ``claim_id, article_id, type, polarity,
        criticism, themes``.
    strategies : sequence of str, optional
        Strategy ids (default: the codebook's, in file order).

    Returns
    -------
    pandas.DataFrame
        ``strategy, article_id, stance, n_supports, n_criticises, n_reports,
        evidence``, sorted by strategy then article.
    """
    need = {"claim_id", "article_id", "type", "polarity", "criticism", "themes"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    ids = list(strategies) if strategies is not None else [s["id"] for s in load_strategies()]
    cl = claims.fillna({"polarity": "", "criticism": "", "themes": ""})
    stance = [sentence_stance(t, p, c) for t, p, c in zip(cl["type"], cl["polarity"], cl["criticism"], strict=True)]
    sets = _theme_sets(cl)
    rows = []
    for s in ids:
        for art in sorted(cl["article_id"].unique()):
            ev: dict[str, list[str]] = {k: [] for k in STANCES[:3]}
            for cid, a, st, ts in zip(cl["claim_id"], cl["article_id"], stance, sets, strict=True):
                if a == art and s in ts:
                    ev[st].append(cid)
            n_sup, n_crit, n_rep = len(ev["supports"]), len(ev["criticises"]), len(ev["reports"])
            if n_sup + n_crit + n_rep == 0:
                verdict, evidence = "absent", []
            elif n_sup > n_crit:
                verdict, evidence = "supports", ev["supports"]
            elif n_crit > n_sup:
                verdict, evidence = "criticises", ev["criticises"]
            else:
                verdict, evidence = "reports", ev["supports"] + ev["criticises"] + ev["reports"]
            key = lambda c: int(c.rsplit(":", 1)[1])  # noqa: E731
            rows.append({"strategy": s, "article_id": art, "stance": verdict, "n_supports": n_sup,
                         "n_criticises": n_crit, "n_reports": n_rep, "evidence": ";".join(sorted(evidence, key=key))})
    return pd.DataFrame(rows).sort_values(["strategy", "article_id"], ignore_index=True)


def stance_matrix(stance: pd.DataFrame) -> pd.DataFrame:
    """Strategy × article matrix of stance scores for a heatmap.

    ``supports`` = 1, ``reports`` = 0, ``criticises`` = -1, ``absent`` = NaN;
    rows in codebook order, columns sorted by article id.
    """
    score = {"supports": 1.0, "reports": 0.0, "criticises": -1.0, "absent": np.nan}
    bad = sorted(set(stance["stance"]) - set(score))
    if bad:
        raise ValueError(f"unknown stances {bad}")
    m = stance.assign(score=stance["stance"].map(score)).pivot(index="strategy", columns="article_id", values="score")
    order = [s["id"] for s in load_strategies() if s["id"] in m.index]
    order += sorted(set(m.index) - set(order))
    return m.loc[order, sorted(m.columns)]


# ---------------------------------------------------------------------------
# stage
# ---------------------------------------------------------------------------
def topic_tokens(sentences: Sequence[str], min_length: int = 2) -> list[list[str]]:
    """Content tokens of each sentence for the topic model.

    Single characters (the protected cue words 不, 要, 会 and stray
    morphemes such as 化) carry no topic, so tokens shorter than
    ``min_length`` are dropped.
    """
    return [[w for w in content_tokens(s) if len(w) >= min_length] for s in sentences]
