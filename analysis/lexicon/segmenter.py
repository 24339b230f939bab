"""The lexicons of the segmenter: stopwords, protected words and the user dictionary.

Reads

* ``data/lexicon/stopwords.txt`` (:func:`stopwords`): the project's stopwords,
  added to the stopwords-iso list;
* ``data/lexicon/protected_words.txt`` (:func:`protected_words`): cue words
  that are never stopwords;
* ``data/lexicon/userdict.txt`` (:func:`userdict`): the corpus's products,
  companies and concepts, in ``[category]`` sections, as :class:`UserWord`.

:mod:`analysis.segment` turns them into its jieba tokenizer.  Each loader
reads its default path from :mod:`analysis.config` when it is called.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from analysis import config
from analysis.lexicon._read import LexiconError, _cached, read_lines

__all__ = ["USERDICT_CATEGORIES", "UserWord", "stopwords", "protected_words", "userdict"]


def _one_word(line: str) -> str | None:
    return None if len(line.split()) == 1 else f"expected one word a line, got {line!r}"


@_cached
def stopwords(path: Path | None = None) -> frozenset[str]:
    """The project's stopwords (``stopwords.txt``), added to the stopwords-iso list by the segmenter.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.STOPWORDS_FILE`, read at call time.
        The file: one word a line, ``#`` comments.

    Returns
    -------
    frozenset of str

    Raises
    ------
    LexiconError
        At a line that holds more than one word.
    """
    return frozenset(w for _, w in read_lines(Path(path or config.STOPWORDS_FILE), check=_one_word))


@_cached
def protected_words(path: Path | None = None) -> frozenset[str]:
    """Cue words that are never stopwords (``protected_words.txt``): claim typing needs them.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.PROTECTED_FILE`, read at call time.
        The file: one word a line, ``#`` comments.

    Returns
    -------
    frozenset of str

    Raises
    ------
    LexiconError
        At a line that holds more than one word.
    """
    return frozenset(w for _, w in read_lines(Path(path or config.PROTECTED_FILE), check=_one_word))


#: The categories of the user dictionary: each is a ``[category]`` section of ``userdict.txt``.
USERDICT_CATEGORIES: tuple[str, ...] = ("product", "company", "person", "place", "concept", "cue")

#: A user-dictionary line: ``word [freq] [tag]``, single spaces, as ``jieba.Tokenizer.load_userdict`` reads it.
_USERDICT_LINE = re.compile(r"(\S+)(?: ([0-9]+))?(?: ([a-z]+))?")
#: A section header of ``userdict.txt``: ``[category]``.
_USERDICT_SECTION = re.compile(r"\[([^\]\s]*)\]")


class UserWord(NamedTuple):
    """One entry of the user dictionary.

    Attributes
    ----------
    word : str
    freq : int or None
        jieba's frequency (``None``: jieba computes one that keeps the word whole).
    tag : str or None
        Part-of-speech tag (``nz`` product, ``nt`` organisation, ``nr`` person...).
    category : str
        One of :data:`USERDICT_CATEGORIES`: the section the word is listed under.
    """

    word: str
    freq: int | None
    tag: str | None
    category: str


@_cached
def userdict(path: Path | None = None) -> tuple[UserWord, ...]:
    """The segmenter's user dictionary (``userdict.txt``): the corpus's products, companies and concepts.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.USER_DICT`, read at call time.
        The file: ``[category]`` section headers (one of :data:`USERDICT_CATEGORIES`), each
        followed by its entries, ``word [freq] [tag]`` a line (jieba's user-dictionary
        format); ``#`` comments and blank lines are skipped.

    Returns
    -------
    tuple of UserWord
        ``(word, freq, tag, category)`` in file order; ``word, freq, tag`` exactly as
        jieba's ``load_userdict`` would pass them to ``add_word``.

    Raises
    ------
    LexiconError
        At an entry that is not ``word [freq] [tag]``, an entry before the first section
        header, an unknown category, or a word listed twice (the line of the repeat).
    """
    path = Path(path or config.USER_DICT)
    out: list[UserWord] = []
    seen: dict[str, int] = {}
    category: str | None = None
    for number, line in read_lines(path):
        section = _USERDICT_SECTION.fullmatch(line)
        if section:
            category = section.group(1)
            if category not in USERDICT_CATEGORIES:
                raise LexiconError(path, f"unknown category [{category}] (expected one of "
                                   f"{', '.join(USERDICT_CATEGORIES)})", number)
            continue
        match = _USERDICT_LINE.fullmatch(line)
        if match is None:
            raise LexiconError(path, "expected `word [freq] [tag]` (freq an integer, tag lower-case letters) "
                               f"or a `[category]` header, got {line!r}", number)
        if category is None:
            raise LexiconError(path, f"entry {line!r} comes before any `[category]` header", number)
        word, freq, tag = match.groups()
        if word in seen:
            raise LexiconError(path, f"{word!r} is listed twice (first at line {seen[word]})", number)
        seen[word] = number
        out.append(UserWord(word, int(freq) if freq is not None else None, tag, category))
    return tuple(out)
