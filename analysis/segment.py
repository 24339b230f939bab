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

:class:`analysis.tokenizer.ChineseTokenizer` wraps both in the scikit-learn transformer API
(in its own module, so that a process that only segments never imports scikit-learn)::

    Pipeline([("seg", ChineseTokenizer()),
              ("tfidf", TfidfVectorizer(analyzer=passthrough))])

or, equivalently, ``TfidfVectorizer(tokenizer=content_tokens,
token_pattern=None, lowercase=False)``.

Backends: the rjieba fast path by default, jieba as the fallback
----------------------------------------------------------------
Two backends give the same tokens.  jieba is the reference.  `rjieba
<https://pypi.org/project/rjieba/>`_ (optional extra ``fast``), the Python
binding of the Rust port jieba-rs, is about 15x faster.  Both receive the
user dictionary the same way: entry by entry through their ``add_word`` (same
word, frequency and tag, as :func:`analysis.lexicon.userdict` parses them).
With the HMM on (jieba's default, used here), jieba-rs keeps an ASCII run
joined by ``-``, ``_`` or ``.`` as one token (``1-2``, ``Wi-Fi``, ``2.5.1``)
where jieba splits it (``1 - 2``); such a token, when it is not a dictionary
word, is re-split with jieba's own rule.  The result is token-for-token
identical to jieba on the corpus and on a synthetic corpus
(``tests/test_fastpath.py``) and on 10 MB of resampled text
(``benchmarks/bench_segmenter.py``).

The backend is chosen by the ``backend=`` argument of :func:`tokenize`,
:func:`content_tokens` and :func:`lcut`, else by the environment variable
``ANALYSIS_SEGMENTER``, else ``"auto"``:

* ``auto`` (the default): rjieba when it is importable *and* its identity
  self-check passes (:func:`fast_path_status`: both backends segment a fixed
  built-in probe text plus every user-dictionary word, HMM on and off, and
  must agree token for token); otherwise jieba, with one log line (logger
  ``analysis.segment``) saying why.  The check runs once per process and
  user dictionary, on first use (a few milliseconds after the dictionaries
  are loaded).
* ``jieba``: always jieba.
* ``rjieba``: always rjieba (an ``ImportError`` naming the extra if it is
  missing), without the self-check.

Part-of-speech tagging (:func:`analysis.extract.evidence.pos_tags`) always
uses ``jieba.posseg``: rjieba's ``tag`` gives other tags.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba
import stopwordsiso

from analysis import config, lexicon

__all__ = [
    "tokenize",
    "content_tokens",
    "passthrough",
    "get_tokenizer",
    "stopwords",
    "protected_words",
    "SEGMENTERS",
    "SEGMENTER_CHOICES",
    "SEGMENTER_ENV",
    "DEFAULT_SEGMENTER",
    "fast_path_status",
    "segmenter_name",
    "get_fast_tokenizer",
    "lcut",
]

#: The segmentation backends: jieba (the reference) and the fast path.
SEGMENTERS = ("jieba", "rjieba")
#: The accepted backend names: ``auto`` (rjieba if it passes its self-check, else jieba) and the backends.
SEGMENTER_CHOICES = ("auto", *SEGMENTERS)
#: The backend used when neither ``backend=`` nor ``$ANALYSIS_SEGMENTER`` says otherwise.
DEFAULT_SEGMENTER = "auto"
#: Environment variable that selects the backend when no ``backend=`` is given.
SEGMENTER_ENV = "ANALYSIS_SEGMENTER"

_LOG = logging.getLogger(__name__)

_LOCK = threading.Lock()
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_NUMERIC = re.compile(r"^[\d.,%％]+$")
_SPACE = re.compile(r"\s")


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


def _clear_jieba() -> None:
    _jieba_tokenizer.cache_clear()
    _reset_backend()


get_tokenizer.cache_clear = _clear_jieba  # type: ignore[attr-defined]


#: jieba's HMM split of a non-Han run (``jieba.finalseg.re_skip``).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
#: Text where jieba-rs may join what jieba splits: ASCII punctuation between alphanumerics.
_JOIN_RISK = re.compile(r"[A-Za-z0-9][!-/:-@\[-`{-~]+[A-Za-z0-9]")


def segmenter_name(backend: str | None = None) -> str:
    """Resolve the segmentation backend.

    Parameters
    ----------
    backend : {"auto", "jieba", "rjieba"}, optional
        Explicit choice; ``None`` reads ``$ANALYSIS_SEGMENTER`` (default
        :data:`DEFAULT_SEGMENTER`, ``"auto"``).  ``"auto"`` resolves to
        ``"rjieba"`` when :func:`fast_path_status` passes, else ``"jieba"``.

    Returns
    -------
    str
        ``"jieba"`` or ``"rjieba"``.

    Raises
    ------
    ValueError
        If the name is not one of :data:`SEGMENTER_CHOICES`.
    """
    name = backend if backend is not None else (os.environ.get(SEGMENTER_ENV) or DEFAULT_SEGMENTER)
    if name == "auto":
        return "rjieba" if fast_path_status()[0] else "jieba"
    if name not in SEGMENTERS:
        source = "backend" if backend is not None else f"${SEGMENTER_ENV}"
        raise ValueError(f"{source} must be one of {SEGMENTER_CHOICES}, got {name!r}")
    return name


#: The fixed probe of the fast path's self-check: dictionary words, ASCII runs that jieba-rs
#: joins (re-split by :func:`_fast_lcut`), figures, names the HMM must guess, mixed scripts.
PROBE_TEXT = (
    "2013年，阿里巴巴推出来往，马云要求员工每人拉100个外部好友，与腾讯的微信正面竞争。"
    "来往5.0版上线后用户超过1-2千万，而微信月活跃用户已达3.55亿，手机QQ和QQ空间更多。\n"
    "陈航带领团队做了钉钉，阿里旺旺、一淘、余额宝、新浪微博和米聊都曾是熟人社交的对手；"
    "3Q大战之后，PC端与移动QQ的电商基因之争仍在继续。\n\n"
    "Wi-Fi下载速度12-3%、50%-60%、1.5-2.5亿、2.5.1版、第1-2名、O2O-C2B、e-mail、x_y、"
    "C++程序、Google+用户、iPhone5S、1-2-3、10%以上、微信5.0版——来往？“好。”他说：不应该这样做！"
)


@lru_cache(maxsize=4)
def _fast_path_check(user_dict: Path | None) -> tuple[bool, str]:
    try:
        import rjieba  # noqa: F401  (the optional extra "fast")
    except ImportError:
        reason = "rjieba is not installed (optional extra 'fast'): segmenting with jieba"
        _LOG.info(reason)
        return False, reason
    words = [e.word for e in lexicon.userdict(user_dict)] if user_dict is not None else []
    probe = [PROBE_TEXT, "，".join(words), " ".join(words)]
    jb = _jieba_tokenizer(user_dict)
    for hmm in (True, False):
        for text in probe:
            got = _fast_lcut(text, hmm, _rjieba_tokenizer(user_dict))
            want = jb.lcut(text, HMM=hmm)
            if got != want:
                i = next((k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                         min(len(got), len(want)))
                reason = (f"the rjieba fast path failed its identity self-check (HMM {'on' if hmm else 'off'}: "
                          f"token {i} is {got[i:i + 3]!r}, jieba gives {want[i:i + 3]!r}): segmenting with jieba")
                _LOG.warning(reason)
                return False, reason
    return True, "rjieba passed its identity self-check: segmenting with rjieba"


def fast_path_status(user_dict: Path | None = _CONFIGURED) -> tuple[bool, str]:
    """Whether the ``auto`` backend uses rjieba, and why.

    rjieba is used when it is importable and it segments a fixed probe
    (:data:`PROBE_TEXT`, then every user-dictionary word joined by ``，``
    and by spaces) exactly as jieba does, with the HMM on and off.  The
    answer is computed once per process and dictionary path; a fallback is
    logged once (``logging.getLogger("analysis.segment")``).

    Parameters
    ----------
    user_dict : pathlib.Path or None, optional
        As in :func:`get_tokenizer` (default :data:`analysis.config.USER_DICT`).

    Returns
    -------
    tuple of (bool, str)
        ``(True, reason)`` when the fast path is used, ``(False, reason)`` otherwise.

    Raises
    ------
    analysis.lexicon.LexiconError
        If the user dictionary is missing or has a malformed line.
    """
    return _fast_path_check(_dict_path(user_dict))


def _clear_check() -> None:
    _fast_path_check.cache_clear()
    _reset_backend()


fast_path_status.cache_clear = _clear_check  # type: ignore[attr-defined]


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


def _clear_rjieba() -> None:
    _rjieba_tokenizer.cache_clear()
    _reset_backend()


get_fast_tokenizer.cache_clear = _clear_rjieba  # type: ignore[attr-defined]


def _fast_lcut(text: str, hmm: bool, tok: Any = None) -> list[str]:
    if tok is None:
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


#: The last resolution of :func:`_backend`: ``(backend arg, $ANALYSIS_SEGMENTER, config.USER_DICT, name, tok)``.
_LAST: tuple[Any, ...] = (None, None, None, None, None)


def _backend(backend: str | None) -> tuple[str, Any]:
    """The backend name and its ready tokenizer (memoised on the inputs, so a call costs no path parsing)."""
    global _LAST
    env, udict = os.environ.get(SEGMENTER_ENV), config.USER_DICT
    last = _LAST
    if last[0] == backend and last[1] == env and last[2] is udict and last[3] is not None:
        return last[3], last[4]
    name = segmenter_name(backend)
    tok = get_fast_tokenizer() if name == "rjieba" else get_tokenizer()
    _LAST = (backend, env, udict, name, tok)
    return name, tok


def _reset_backend() -> None:
    global _LAST
    _LAST = (None, None, None, None, None)


def lcut(text: str, *, hmm: bool = True, backend: str | None = None) -> list[str]:
    """Raw segmentation (whitespace kept), like ``jieba.lcut`` with the user dictionary.

    Parameters
    ----------
    text : str
    hmm : bool, default True
        Use the HMM for unknown words (jieba's default).
    backend : {"auto", "jieba", "rjieba"}, optional
        See :func:`segmenter_name`.

    Returns
    -------
    list of str
    """
    name, tok = _backend(backend)
    if name == "rjieba":
        return _fast_lcut(text, hmm, tok)
    return tok.lcut(text, HMM=hmm)


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
    backend : {"auto", "jieba", "rjieba"}, optional
        Segmenter; ``None`` reads ``$ANALYSIS_SEGMENTER`` (default ``"auto"``:
        rjieba if it passes its self-check, else jieba; see :func:`segmenter_name`).

    Returns
    -------
    list of str
        The words, in text order.
    """
    words = lcut(text, backend=backend)
    if not _SPACE.search(text):
        return words  # no whitespace token is possible (``\s`` is ``str.isspace``)
    return [w for w in words if not w.isspace()]


def content_tokens(text: str, *, backend: str | None = None) -> list[str]:
    """Segment and keep only content words (for TF-IDF, topics, top terms).

    Drops stopwords (except protected cue words), punctuation and bare numbers.

    Parameters
    ----------
    text : str
    backend : {"auto", "jieba", "rjieba"}, optional
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
