"""Chinese word segmentation with the project's domain dictionary.

:func:`tokenize` is a jieba segmenter that knows the corpus's products,
companies and concepts (``data/lexicon/userdict.txt``).  It uses a dedicated
``jieba.Tokenizer`` instance, initialised lazily on first use, never the
global ``jieba.dt``; jieba's log lines are silenced and its cache lives in the
project's ``.cache/`` directory, so segmentation is quiet and deterministic.

:func:`content_tokens` additionally drops stopwords (the stopwords-iso list
plus ``data/lexicon/stopwords.txt``), punctuation and numbers, while
protecting the cue words that claim typing needs (应该, 必须, 因为, 将...).

:class:`ChineseTokenizer` wraps both in the scikit-learn transformer API::

    Pipeline([("seg", ChineseTokenizer()),
              ("tfidf", TfidfVectorizer(analyzer=passthrough))])

or, equivalently, ``TfidfVectorizer(tokenizer=content_tokens,
token_pattern=None, lowercase=False)``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import settings

__all__ = [
    "tokenize",
    "content_tokens",
    "passthrough",
    "get_tokenizer",
    "stopwords",
    "protected_words",
    "ChineseTokenizer",
]

_LOCK = threading.Lock()
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_NUMERIC = re.compile(r"^[\d.,%％]+$")

#: Cue words that must survive stopword removal (claim typing and themes use them).
PROTECTED_FILE = settings.LEXICON_DIR / "protected_words.txt"


def _lexicon_words(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    return words


@lru_cache(maxsize=4)
def get_tokenizer(user_dict: Path = settings.USER_DICT):
    """Return a ready ``jieba.Tokenizer`` with the project user dictionary.

    The instance is created once per dictionary path (cached), with its
    prefix-dictionary cache in ``settings.CACHE_DIR`` and jieba's logging
    silenced.

    Parameters
    ----------
    user_dict : pathlib.Path
        A jieba user dictionary (``word [freq] [tag]`` per line).

    Returns
    -------
    jieba.Tokenizer
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        tok = jieba.Tokenizer()
        settings.CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tok.tmp_dir = str(settings.CACHE_DIR)
        tok.cache_file = str(settings.CACHE_DIR / "jieba.cache")
        tok.initialize()
        if user_dict is not None and Path(user_dict).exists():
            tok.load_userdict(str(user_dict))
    return tok


@lru_cache(maxsize=1)
def protected_words() -> frozenset[str]:
    """Cue words never treated as stopwords (``data/lexicon/protected_words.txt``)."""
    return frozenset(_lexicon_words(PROTECTED_FILE))


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword set: stopwords-iso Chinese + project list - protected cue words."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh")) | set(_lexicon_words(settings.STOPWORDS_FILE))
    return frozenset(words - protected_words())


def tokenize(text: str) -> list[str]:
    """Segment Simplified Chinese text into words.

    Whitespace tokens are dropped; everything else (punctuation included) is
    kept, so the tokens concatenate back to the text minus its spaces.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
    """
    return [w for w in get_tokenizer().lcut(text) if not w.isspace()]


def content_tokens(text: str) -> list[str]:
    """Segment and keep only content words (for TF-IDF, topics, top terms).

    Drops stopwords (except protected cue words), punctuation and bare numbers.
    """
    stop = stopwords()
    return [
        w
        for w in get_tokenizer().lcut(text)
        if w not in stop and not _PUNCT_OR_SPACE.match(w) and not _NUMERIC.match(w)
    ]


def passthrough(tokens: list[str]) -> list[str]:
    """Identity analyzer: lets ``TfidfVectorizer`` take pre-tokenized documents."""
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

    def fit(self, X: Iterable[str], y=None) -> ChineseTokenizer:
        """Load the dictionary; validate the parameters."""
        if not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"min_length must be a positive integer, got {self.min_length!r}")
        get_tokenizer()
        self.n_documents_ = sum(1 for _ in X)
        return self

    def transform(self, X: Iterable[str]) -> list[list[str]]:
        """Tokenize each document.

        Returns
        -------
        list of list of str
        """
        check_is_fitted(self, "n_documents_")
        fn = content_tokens if self.drop_stopwords else tokenize
        out = []
        for doc in X:
            if not isinstance(doc, str):
                raise ValueError(f"expected str documents, got {type(doc).__name__}")
            out.append([w for w in fn(doc) if len(w) >= self.min_length])
        return out

    def get_feature_names_out(self, input_features=None):
        """This transformer outputs token lists, not columns: one 'tokens' feature."""
        import numpy as np

        return np.asarray(["tokens"], dtype=object)
