"""Chinese word segmentation with the project's domain dictionary.

:func:`tokenize` is a jieba segmenter that knows the corpus's products,
companies, people, places and concepts (``data/lexicon/userdict.txt``, in
categories; its terms were mined by :mod:`analysis.extract.terms` and
reviewed, and :func:`analysis.checks.segmentation.term_check` measures how
many of their occurrences come out whole).  It uses a dedicated
``jieba.Tokenizer`` instance, initialised lazily on first use, never the
global ``jieba.dt``; jieba's log lines are silenced and its cache lives in the
project's ``.cache/`` directory, so segmentation is quiet and deterministic.

:func:`content_tokens` additionally drops stopwords (the stopwords-iso list
plus ``data/lexicon/stopwords.txt``), punctuation and numbers, while
protecting the cue words that claim typing needs (应该, 必须, 因为, 将...).
The three word lists are read by :mod:`analysis.lexicon` (``userdict``,
``stopwords``, ``protected_words``), which checks every line.

:class:`ChineseTokenizer` wraps both in the scikit-learn transformer API::

    Pipeline([("seg", ChineseTokenizer()),
              ("tfidf", TfidfVectorizer(analyzer=passthrough))])

or, equivalently, ``TfidfVectorizer(tokenizer=content_tokens,
token_pattern=None, lowercase=False)``.

Fast path (optional extra ``fast``)
-----------------------------------
``ANALYSIS_SEGMENTER=rjieba`` (or ``backend="rjieba"``) segments with
`rjieba <https://pypi.org/project/rjieba/>`_, the Python binding of the Rust
port jieba-rs, about 10x faster.  Both backends receive the user dictionary
the same way: entry by entry through their ``add_word`` (same word, frequency
and tag, as :func:`analysis.lexicon.userdict` parses them).  With the HMM on
(jieba's default, used here), jieba-rs keeps an ASCII run joined by ``-``, ``_`` or ``.`` as one token (``1-2``, ``Wi-Fi``,
``2.5.1``) where jieba splits it (``1 - 2``); such a token, when it is not a
dictionary word, is re-split with jieba's own rule.  The result is
token-for-token identical to jieba on the corpus (``tests/test_fastpath.py``)
and on 10 MB of resampled text (``benchmarks/bench_segmenter.py``).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba
import numpy as np
import stopwordsiso
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis import config, lexicon

__all__ = [
    "tokenize",
    "content_tokens",
    "passthrough",
    "get_tokenizer",
    "stopwords",
    "protected_words",
    "ChineseTokenizer",
    "SEGMENTERS",
    "SEGMENTER_ENV",
    "segmenter_name",
    "get_fast_tokenizer",
    "lcut",
]

#: The segmentation backends: jieba (the reference) and the opt-in fast path.
SEGMENTERS = ("jieba", "rjieba")
#: Environment variable that selects the backend when no ``backend=`` is given.
SEGMENTER_ENV = "ANALYSIS_SEGMENTER"

_LOCK = threading.Lock()
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_NUMERIC = re.compile(r"^[\d.,%％]+$")


#: Default of ``user_dict``: :data:`analysis.config.USER_DICT`, read at call time (tests point it elsewhere).
_CONFIGURED: Any = object()


def _dict_path(user_dict: Path | str | None) -> Path | None:
    if user_dict is _CONFIGURED:
        return Path(config.USER_DICT)
    return None if user_dict is None else Path(user_dict)


def get_tokenizer(user_dict: Path | None = _CONFIGURED) -> jieba.Tokenizer:
    """Return a ready ``jieba.Tokenizer`` with the project user dictionary.

    The instance is created once per dictionary path (cached), with its
    prefix-dictionary cache in ``config.CACHE_DIR`` and jieba's logging
    silenced.  The dictionary's entries (:func:`analysis.lexicon.userdict`)
    go through ``add_word``, exactly as ``load_userdict`` would add them.

    Parameters
    ----------
    user_dict : pathlib.Path or None, optional
        A user dictionary (``[category]`` sections of ``word [freq] [tag]``
        lines, :func:`analysis.lexicon.userdict`); default
        :data:`analysis.config.USER_DICT`, read at call time; ``None`` for
        jieba's dictionary alone.

    Returns
    -------
    jieba.Tokenizer

    Raises
    ------
    analysis.lexicon.LexiconError
        If the user dictionary is missing or has a malformed line.
    """
    return _jieba_tokenizer(_dict_path(user_dict))


@lru_cache(maxsize=4)
def _jieba_tokenizer(user_dict: Path | None) -> jieba.Tokenizer:
    entries = lexicon.userdict(user_dict) if user_dict is not None else ()
    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        tok = jieba.Tokenizer()
        config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tok.tmp_dir = str(config.CACHE_DIR)
        tok.cache_file = str(config.CACHE_DIR / "jieba.cache")
        tok.initialize()
        for e in entries:
            tok.add_word(e.word, e.freq, e.tag)
    return tok


get_tokenizer.cache_clear = _jieba_tokenizer.cache_clear  # type: ignore[attr-defined]


#: jieba's HMM split of a non-Han run (``jieba.finalseg.re_skip``).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
#: Text where jieba-rs may join what jieba splits: ASCII punctuation between alphanumerics.
_JOIN_RISK = re.compile(r"[A-Za-z0-9][!-/:-@\[-`{-~]+[A-Za-z0-9]")


def segmenter_name(backend: str | None = None) -> str:
    """Resolve the segmentation backend.

    Parameters
    ----------
    backend : {"jieba", "rjieba"}, optional
        Explicit choice; ``None`` reads ``$ANALYSIS_SEGMENTER`` (default ``"jieba"``).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If the name is not one of :data:`SEGMENTERS`.
    """
    name = backend if backend is not None else (os.environ.get(SEGMENTER_ENV) or "jieba")
    if name not in SEGMENTERS:
        source = "backend" if backend is not None else f"${SEGMENTER_ENV}"
        raise ValueError(f"{source} must be one of {SEGMENTERS}, got {name!r}")
    return name


def get_fast_tokenizer(user_dict: Path | None = _CONFIGURED) -> Any:
    """Return an ``rjieba.Jieba`` loaded with the project user dictionary.

    Parameters
    ----------
    user_dict : pathlib.Path or None, optional
        A user dictionary, as in :func:`get_tokenizer` (default
        :data:`analysis.config.USER_DICT`, read at call time); every entry
        goes through ``add_word``.

    Returns
    -------
    rjieba.Jieba

    Raises
    ------
    ImportError
        If rjieba is not installed (``pip install .[fast]``).
    analysis.lexicon.LexiconError
        If the user dictionary is missing or has a malformed line.
    """
    return _rjieba_tokenizer(_dict_path(user_dict))


@lru_cache(maxsize=4)
def _rjieba_tokenizer(user_dict: Path | None) -> Any:
    try:
        import rjieba  # the optional extra "fast": imported only when asked for
    except ImportError as exc:
        raise ImportError(
            "the rjieba segmenter needs the optional extra 'fast': pip install .[fast]  "
            f"(or unset {SEGMENTER_ENV} to use jieba)"
        ) from exc
    entries = lexicon.userdict(user_dict) if user_dict is not None else ()
    with _LOCK:
        tok = rjieba.Jieba()
        for e in entries:
            tok.add_word(e.word, e.freq, e.tag)
    return tok


get_fast_tokenizer.cache_clear = _rjieba_tokenizer.cache_clear  # type: ignore[attr-defined]


def _fast_lcut(text: str, hmm: bool) -> list[str]:
    tok = get_fast_tokenizer()
    words = tok.cut(text, hmm)
    if not hmm or not _JOIN_RISK.search(text):
        return words
    out: list[str] = []
    for w in words:
        if len(w) > 1 and w.isascii() and not w.isalnum() and not tok.has_word(w):
            out.extend(p for p in _JIEBA_SKIP.split(w) if p)
        else:
            out.append(w)
    return out


def lcut(text: str, *, hmm: bool = True, backend: str | None = None) -> list[str]:
    """Raw segmentation (whitespace kept), like ``jieba.lcut`` with the user dictionary.

    Parameters
    ----------
    text : str
    hmm : bool, default True
        Use the HMM for unknown words (jieba's default).
    backend : {"jieba", "rjieba"}, optional
        See :func:`segmenter_name`.

    Returns
    -------
    list of str
    """
    if segmenter_name(backend) == "rjieba":
        return _fast_lcut(text, hmm)
    return get_tokenizer().lcut(text, HMM=hmm)


def protected_words() -> frozenset[str]:
    """Cue words never treated as stopwords.

    Returns
    -------
    frozenset of str
        :func:`analysis.lexicon.protected_words` (``data/lexicon/protected_words.txt``).
    """
    return lexicon.protected_words()


@lru_cache(maxsize=1)
def _iso_stopwords() -> frozenset[str]:
    return frozenset(stopwordsiso.stopwords("zh"))


def stopwords() -> frozenset[str]:
    """The stopword set: the stopwords-iso Chinese list plus the project's, minus the protected cue words.

    The project's lists come from :mod:`analysis.lexicon` (cached there, so
    :func:`analysis.lexicon.clear_cache` reloads them).

    Returns
    -------
    frozenset of str
    """
    return _stopword_set(lexicon.stopwords(), protected_words())


@lru_cache(maxsize=4)
def _stopword_set(project: frozenset[str], protected: frozenset[str]) -> frozenset[str]:
    return frozenset((_iso_stopwords() | project) - protected)


def tokenize(text: str, *, backend: str | None = None) -> list[str]:
    """Segment Simplified Chinese text into words.

    Whitespace tokens are dropped; everything else (punctuation included) is
    kept, so the tokens concatenate back to the text minus its spaces.

    Parameters
    ----------
    text : str
        Simplified Chinese (convert Traditional text first).
    backend : {"jieba", "rjieba"}, optional
        Segmenter; ``None`` reads ``$ANALYSIS_SEGMENTER`` (default jieba).

    Returns
    -------
    list of str
        The words, in text order.
    """
    if backend is None and SEGMENTER_ENV not in os.environ:
        words = get_tokenizer().lcut(text)
    else:
        words = lcut(text, backend=backend)
    return [w for w in words if not w.isspace()]


def content_tokens(text: str, *, backend: str | None = None) -> list[str]:
    """Segment and keep only content words (for TF-IDF, topics, top terms).

    Drops stopwords (except protected cue words), punctuation and bare numbers.

    Parameters
    ----------
    text : str
    backend : {"jieba", "rjieba"}, optional
        As in :func:`tokenize`.

    Returns
    -------
    list of str
    """
    stop = stopwords()
    return [
        w
        for w in lcut(text, backend=backend)
        if w not in stop and not _PUNCT_OR_SPACE.match(w) and not _NUMERIC.match(w)
    ]


def passthrough(tokens: list[str]) -> list[str]:
    """Identity analyzer: lets ``TfidfVectorizer`` take pre-tokenized documents.

    Parameters
    ----------
    tokens : list of str

    Returns
    -------
    list of str
        ``tokens`` itself.
    """
    return tokens


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
