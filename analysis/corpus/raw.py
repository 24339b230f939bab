r"""The raw article files: which files are articles, whether their bytes are readable text, and their front matter.

A raw article is a ``*.txt`` file of ``data/raw``: UTF-8 text, optionally
opened by YAML front matter between two ``---`` lines.  :func:`decode_raw`
accepts a file only when it is

* at most :data:`analysis.config.MAX_ARTICLE_BYTES` long and not blank;
* text, not binary: no NUL byte in its first 8 KiB, and at most
  :math:`\max(8, n/100)` control characters (other than ``\n``, ``\r``,
  ``\t``) in its :math:`n` characters;
* valid UTF-8 (a file that decodes as GB18030 or Big5 is named as such);
* not the product of an earlier lossy decode: it holds at most
  :math:`\max(2, 0.001\,n)` U+FFFD replacement characters.

Every rejection is a :class:`~analysis.corpus.document.CorpusError` naming
the file and the problem.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from analysis import config
from analysis.corpus.document import CorpusError

__all__ = [
    "REPLACEMENT_CHAR",
    "MAX_REPLACEMENT_SHARE",
    "MIN_REPLACEMENT_LIMIT",
    "raw_paths",
    "decode_raw",
    "split_front_matter",
]

#: The character a lossy decoder puts in place of bytes it could not read.
REPLACEMENT_CHAR = "\ufffd"
#: An article may hold U+FFFD in at most this share of its characters...
MAX_REPLACEMENT_SHARE = 0.001
#: ...and always this many (a stray one is not a lossy decode).
MIN_REPLACEMENT_LIMIT = 2

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def raw_paths(raw_dir: Path = config.RAW_DIR) -> list[Path]:
    """The article files of a raw folder.

    Parameters
    ----------
    raw_dir : pathlib.Path, default :data:`analysis.config.RAW_DIR`

    Returns
    -------
    list of pathlib.Path
        The ``*.txt`` files, sorted by name.

    Raises
    ------
    CorpusError
        If the folder does not exist.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise CorpusError(raw_dir, "raw directory does not exist")
    return sorted(p for p in raw_dir.iterdir() if p.suffix == ".txt" and p.is_file())


def decode_raw(path: Path, data: bytes) -> str:
    r"""Decode the bytes of a raw article, rejecting what is not a readable text article.

    Parameters
    ----------
    path : pathlib.Path
        The file (named in errors).
    data : bytes
        Its content.

    Returns
    -------
    str
        The text, without a leading byte-order mark.

    Raises
    ------
    CorpusError
        If the file is empty, oversized, binary, not UTF-8, or holds more
        U+FFFD replacement characters than :math:`\max(2, 0.001\,n)`; the
        message names the file and the problem.
    """
    if len(data) > config.MAX_ARTICLE_BYTES:
        raise CorpusError(
            path, f"file is {len(data):,} bytes, over the {config.MAX_ARTICLE_BYTES:,}-byte limit for one article"
        )
    if not data.strip():
        raise CorpusError(path, "file is empty")
    if b"\x00" in data[:8192]:
        raise CorpusError(path, "binary file (contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = ""
        for enc in ("gb18030", "big5"):
            try:
                data.decode(enc)
                hint = f"; it decodes as {enc.upper()}: convert it with `iconv -f {enc} -t utf-8`"
                break
            except UnicodeDecodeError:
                continue
        raise CorpusError(path, f"not valid UTF-8 (bad byte at offset {exc.start}){hint}") from None
    text = text.removeprefix("\ufeff")
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if controls > max(8, len(text) // 100):
        raise CorpusError(path, f"binary file ({controls} control characters), not a text article")
    replaced = text.count(REPLACEMENT_CHAR)
    if replaced > max(MIN_REPLACEMENT_LIMIT, MAX_REPLACEMENT_SHARE * len(text)):
        raise CorpusError(path, f"{replaced} U+FFFD replacement characters (an earlier lossy decode?)")
    return text


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], int]:
    """Parse the optional YAML front matter of a decoded article.

    Parameters
    ----------
    path : pathlib.Path
        The file (named in errors).
    text : str
        The decoded file.

    Returns
    -------
    (dict, int)
        The metadata (empty without front matter) and the offset where the
        body starts.

    Raises
    ------
    CorpusError
        If the front matter is never closed, does not parse, is not a
        mapping, or is followed by no body.
    """
    if not text.startswith("---"):
        return {}, 0
    m = _FRONT_MATTER.match(text)
    if not m:
        raise CorpusError(path, "front matter opened with '---' but never closed")
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise CorpusError(path, f"broken YAML front matter{where}: {getattr(exc, 'problem', exc)}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusError(path, "front matter is not a mapping of key: value pairs")
    if not text[m.end() :].strip():
        raise CorpusError(path, "front matter but no body")
    return {str(k): v for k, v in meta.items()}, m.end()
