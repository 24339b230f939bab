"""Corpus ingestion: a raw article file to a clean, Simplified, traceable :class:`~analysis.corpus.document.Document`.

:func:`load_article` decodes and checks the file (:mod:`analysis.corpus.raw`)
and :func:`clean` runs the cleaning steps, in order:

1. ``front_matter``  -- parse and remove the YAML header (``title``, ``url``,
   ``name`` = author, ``time`` = date);
2. ``duplicates``    -- drop a run-on block that repeats the paragraphs that
   follow it, exact duplicate paragraphs and site teasers that repeat the
   start of a later paragraph (:mod:`analysis.corpus.duplicates`);
3. ``boilerplate``   -- drop whole lines that match a pattern of
   ``data/lexicon/boilerplate.txt`` (reprint notices, comment widgets, ICP
   numbers...), after harvesting metadata from them (author, source);
4. ``pinyin``        -- strip pinyin glosses such as ``區(qū)``;
5. ``nfkc``          -- Unicode NFKC normalisation;
6. ``t2s``           -- Traditional to Simplified with OpenCC ``t2s``.

The report counts the characters each step removed (and those the last two
changed).  Every character of the clean text keeps the index of the raw
character it came from, so that any span found later (a claim, a figure) can
be quoted exactly from the raw file: see
:meth:`~analysis.corpus.document.Document.raw_span`.  :func:`load_corpus`
loads several files and rejects an article that repeats an earlier one.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import lexicon
from analysis.corpus.document import REPORT_KEYS, CorpusError, Document
from analysis.corpus.duplicates import Paragraph, drop_duplicates, squash_whitespace
from analysis.corpus.raw import decode_raw, raw_paths, split_front_matter  # noqa: F401  (raw_paths: see below)

# Note: CorpusError, Document, REPORT_KEYS and raw_paths are importable from here
# because callers outside analysis.corpus (analysis/cli.py, analysis/report/,
# tests/conftest.py) still import them from this module; their homes are
# analysis.corpus.document and analysis.corpus.raw (and analysis.corpus re-exports
# them).  Drop the raw_paths line once those imports have moved.

__all__ = [
    "PINYIN_GLOSS",
    "boilerplate_patterns",
    "detect_script",
    "clean",
    "load_article",
    "load_corpus",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
#: A pinyin gloss: a parenthesised lowercase syllable with a tone mark, right
#: after a Han character, as in ``區(qū)`` or ``數(shù)``.
PINYIN_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])[(（](?=[a-zü" + _TONED + r"]*[" + _TONED + r"])[a-zü" + _TONED + r"]{1,7}[)）]"
)
#: Share of Han characters that OpenCC ``t2s`` must change for a text to be Traditional.
TRADITIONAL_SHARE = 0.03

_META_PATTERNS = {
    "author": [re.compile(r"^作者[:：]\s*(\S{1,20})$"), re.compile(r"文/\s*([^)）]+?)\s*[)）]")],
    "source": [
        re.compile(r"[(（][来來]源[:：]\s*(.+?)\s*(?:文/|[)）])"),
        re.compile(r"转载请注明[:：]\s*(\S+)"),
    ],
    "url": [re.compile(r"(https?://\S+?)[\s,，。)）]*$"), re.compile(r"(www\.[\w.-]+/\S+)$")],
    "date": [re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}")],
    "title": [re.compile(r"《(.+?)》")],
}


@lru_cache(maxsize=4)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """The boilerplate line patterns of ``data/lexicon/boilerplate.txt``, compiled.

    Returns
    -------
    tuple of re.Pattern
        In file order (:func:`analysis.lexicon.boilerplate`).

    Raises
    ------
    analysis.lexicon.LexiconError
        If a line of the file is not a valid regular expression.
    """
    return _compile(lexicon.boilerplate())


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # on first use: OpenCC loads its conversion tables

    return opencc.OpenCC("t2s")


def detect_script(text: str) -> str:
    """Classify Han text as Traditional or Simplified.

    A character counts as Traditional when OpenCC ``t2s`` changes it; the
    text is Traditional when more than :data:`TRADITIONAL_SHARE` of its Han
    characters are.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``"Traditional"``, ``"Simplified"``, or ``"none"`` when the text has
        no Han character.
    """
    han = "".join(_CJK.findall(text))
    if not han:
        return "none"
    converted = _t2s().convert(han)
    changed = sum(map(operator.ne, han, converted))  # pairs up to the shorter, as zip does
    return "Traditional" if changed / len(han) > TRADITIONAL_SHARE else "Simplified"


# ---------------------------------------------------------------------------
# cleaning
# ---------------------------------------------------------------------------
def _lines(text: str, start: int) -> Iterator[Paragraph]:
    pos = start
    for line in text[start:].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            a = pos + lead
            yield Paragraph(stripped, list(range(a, a + len(stripped))))
        pos += len(line)


def _harvest(meta: dict[str, Any], line: str) -> None:
    for key, pats in _META_PATTERNS.items():
        if meta.get(key):
            continue
        for pat in pats:
            m = pat.search(line)
            if m:
                meta[key] = m.group(1).strip()
                break


def _map_chars(text: str, offsets: list[int], fn: Callable[[str], str]) -> tuple[str, list[int]]:
    """Apply ``fn`` to each character; each output character keeps the offset of its source."""
    if len(text) != len(offsets):
        raise ValueError(f"{len(text)} characters but {len(offsets)} offsets")
    table = {ch: fn(ch) for ch in set(text)}  # fn once per distinct character
    if all(k == v for k, v in table.items()):
        return text, list(offsets)
    if all(len(v) == 1 for v in table.values()):
        return "".join(table[ch] for ch in text), list(offsets)
    out, offs = [], []
    for ch, o in zip(text, offsets, strict=True):
        new = table[ch]
        out.append(new)
        offs.extend([o] * len(new))
    return "".join(out), offs


def _n_changed(a: str, b: str) -> int:
    """Characters that differ between two versions of a text (aligned when equal length)."""
    if len(a) == len(b):
        return 0 if a == b else sum(map(operator.ne, a, b))
    return abs(len(a) - len(b)) + sum(map(operator.ne, a, b))


def _convert_t2s(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    conv = _t2s().convert(text)
    if len(conv) == len(text):
        return conv, offsets
    return _map_chars(text, offsets, _t2s().convert)


def clean(path: Path, raw_text: str, *, boilerplate: Iterable[re.Pattern[str]] | None = None) -> Document:
    """Run every cleaning step on one decoded raw article.

    Parameters
    ----------
    path : pathlib.Path
        The raw file (its stem becomes the article id; named in errors).
    raw_text : str
        The decoded file content (:func:`analysis.corpus.raw.decode_raw`).
    boilerplate : iterable of re.Pattern, optional
        Line patterns to drop; default :func:`boilerplate_patterns`.

    Returns
    -------
    Document
        With ``sha256`` left empty (the caller hashes the bytes).

    Raises
    ------
    CorpusError
        If the front matter is broken, nothing but boilerplate is left, or
        the text has no Chinese.
    """
    path = Path(path)
    patterns = tuple(boilerplate) if boilerplate is not None else boilerplate_patterns()
    report = dict.fromkeys(REPORT_KEYS, 0)
    front, body_start = split_front_matter(path, raw_text)
    report["front_matter"] = body_start
    meta: dict[str, Any] = {
        "title": front.get("title"),
        "author": front.get("name") or front.get("author"),
        "url": front.get("url"),
        "date": str(front["time"])[:10] if front.get("time") else None,
        "source": None,
    }

    paras, report["duplicates"] = drop_duplicates(list(_lines(raw_text, body_start)))
    kept: list[Paragraph] = []
    for para in paras:
        if any(p.search(para.text) for p in patterns):
            _harvest(meta, para.text)
            report["boilerplate"] += len(para.text)
        else:
            kept.append(para)
    paras = kept
    # metadata carried inside the kept text, such as a "(来源: ... 文/...)" trailer
    for para in paras[-2:]:
        for key in ("author", "source"):
            if not meta.get(key):
                for pat in _META_PATTERNS[key]:
                    m = pat.search(para.text)
                    if m:
                        meta[key] = m.group(1).strip()
                        break
    if not paras:
        raise CorpusError(path, "nothing left after removing boilerplate: the file is all boilerplate")

    # join paragraphs; separators map to the raw character after the paragraph
    text_parts: list[str] = []
    offs: list[int] = []
    for k, p in enumerate(paras):
        if k:
            text_parts.append("\n\n")
            offs.extend([offs[-1] + 1] * 2)
        text_parts.append(p.text)
        offs.extend(p.offsets)
    text = "".join(text_parts)
    script = detect_script(text)
    if script == "none":
        raise CorpusError(path, "no Chinese text in the body")

    # pinyin glosses (before any normalisation)
    glosses = [(m.start(), m.end()) for m in PINYIN_GLOSS.finditer(text)]
    before = len(text)
    if glosses:
        keep = [True] * len(text)
        for a, b in glosses:
            for i in range(a, b):
                keep[i] = False
        offs = [o for o, k in zip(offs, keep, strict=True) if k]
        text = "".join(c for c, k in zip(text, keep, strict=True) if k)
    report["pinyin"] = before - len(text)

    before_text = text
    text, offs = _map_chars(text, offs, lambda c: unicodedata.normalize("NFKC", c))
    report["nfkc"] = max(0, len(before_text) - len(text))
    report["nfkc_changed"] = _n_changed(before_text, text)

    before_text = text
    text, offs = _convert_t2s(text, offs)
    report["t2s"] = max(0, len(before_text) - len(text))
    report["t2s_changed"] = _n_changed(before_text, text)

    if not meta.get("title"):
        meta["title"] = paras[0].text if len(paras[0].text) <= 80 else None
    meta["script"] = script
    for key in ("title", "author", "source"):
        if meta.get(key):
            meta[key] = _t2s().convert(unicodedata.normalize("NFKC", str(meta[key])))
    return Document(
        article_id=path.stem,
        raw_text=raw_text,
        text=text,
        offsets=offs,
        meta=meta,
        report=report,
        sha256="",
    )


def load_article(path: Path) -> Document:
    """Read, check and clean one raw article file.

    Parameters
    ----------
    path : pathlib.Path
        The raw file (UTF-8 text).

    Returns
    -------
    Document
        With ``sha256`` the hash of the file's bytes.

    Raises
    ------
    CorpusError
        With a message naming the file and the problem (see
        :func:`analysis.corpus.raw.decode_raw` and :func:`clean`).
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(path, "no such file")
    data = path.read_bytes()
    raw_text = decode_raw(path, data)
    doc = clean(path, raw_text)
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def load_corpus(
    paths: Iterable[Path],
    *,
    skip_bad: bool = False,
    warn: Callable[[CorpusError], None] | None = None,
) -> tuple[list[Document], list[CorpusError]]:
    """Load several articles, rejecting one that repeats an earlier one.

    Two files are the same article when their bytes, or their clean texts
    with whitespace removed, are equal.

    Parameters
    ----------
    paths : iterable of pathlib.Path
    skip_bad : bool, default False
        Skip a bad file (reporting it through ``warn``) instead of raising.
    warn : callable, optional
        Called with each skipped :class:`CorpusError`.

    Returns
    -------
    (list of Document, list of CorpusError)
        The good documents, in input order, and the skipped errors.

    Raises
    ------
    CorpusError
        On the first bad or repeated file, unless ``skip_bad``.
    """
    docs: list[Document] = []
    errors: list[CorpusError] = []
    by_hash: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for path in paths:
        try:
            doc = load_article(path)
            key = squash_whitespace(doc.text)
            other = by_hash.get(doc.sha256) or by_text.get(key)
            if other is not None:
                raise CorpusError(path, f"duplicate article: same content as {other}")
        except CorpusError as err:
            if not skip_bad:
                raise
            errors.append(err)
            if warn is not None:
                warn(err)
            continue
        by_hash[doc.sha256] = Path(path).name
        by_text[key] = Path(path).name
        docs.append(doc)
    return docs, errors
