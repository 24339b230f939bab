"""The lexicons of the book: glossary, article notes and dates, errata and translations.

Reads

* ``data/lexicon/glossary.yaml`` (:func:`glossary`): Chinese term -> English gloss;
* ``data/lexicon/articles.yaml`` (:func:`articles`): English titles and
  summaries, and each article's dates with their evidence;
* ``data/lexicon/errata.yaml`` (:func:`errata`): dates that an article gets
  wrong, with the correction;
* ``data/lexicon/translations/<article_id>.yaml`` (:func:`translations`,
  :func:`translation_files`): the reviewed English of every sentence, tied to
  its source by :func:`sentence_sha`;
* every file under ``data/lexicon`` (:func:`characters`), for the web font.

Each loader reads its default path from :mod:`analysis.config` when it is called.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

from analysis import config
from analysis.lexicon._read import (
    LexiconError,
    _cached,
    _entry_list,
    _node_line,
    _require,
    _term_list,
    _top_mapping,
    line_of,
    read_yaml,
)

__all__ = [
    "ARTICLE_DATE_KINDS",
    "DATE_QUALIFIERS",
    "ISO_DATE",
    "glossary",
    "articles",
    "errata",
    "sentence_sha",
    "translation_files",
    "translations",
    "characters",
]


@_cached
def glossary(path: Path | None = None) -> dict[str, str]:
    """The book's glossary (``glossary.yaml``): Chinese term -> short English gloss.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.GLOSSARY_FILE`, read at call time.

    Returns
    -------
    dict of str to str
        In file order.

    Raises
    ------
    LexiconError
        If ``terms`` is not a mapping, or a gloss is empty or not a plain string.
    """
    path = Path(path or config.GLOSSARY_FILE)
    terms = read_yaml(path, top="terms")
    if not isinstance(terms, dict):
        raise LexiconError(path, "'terms' should be a mapping of term: gloss", line_of(terms) or 1)
    out = {}
    for term, gloss in terms.items():
        if isinstance(gloss, dict | list) or gloss is None or not str(gloss).strip():
            raise LexiconError(path, f"term {term!r}: the gloss should be a non-empty string",
                               _node_line(path, "terms", term) or line_of(terms))
        out[str(term)] = str(gloss)
    return out


#: The dates an article can have in ``articles.yaml``, and how a date may be qualified.
ARTICLE_DATE_KINDS: tuple[str, ...] = ("written", "published", "reposted")
DATE_QUALIFIERS: tuple[str, ...] = ("", "about", "not before", "not after")
#: A date of the lexicons: a year, a month or a day (``2015``, ``2013-10``, ``2013-10-22``).
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_CLAIM_ID = re.compile(r"^[0-9A-Za-z_]+:\d+$")


def _article_dates(path: Path, aid: str, value: Any) -> dict[str, dict[str, Any]]:
    """The ``dates`` of one article: ``{kind: {date, qualifier, where, evidence, claims}}``."""
    line = line_of(value) or _node_line(path, "articles", aid, "dates")
    if not isinstance(value, dict):
        raise LexiconError(path, f"article {aid!r}: 'dates' should be a mapping of kind: date", line)
    out = {}
    for kind, entry in value.items():
        where = f"article {aid!r}, {kind} date"
        eline = line_of(entry) or _node_line(path, "articles", aid, "dates", kind) or line
        if kind not in ARTICLE_DATE_KINDS:
            raise LexiconError(path, f"{where}: unknown kind (expected one of {', '.join(ARTICLE_DATE_KINDS)})",
                               eline)
        if not isinstance(entry, dict):
            raise LexiconError(path, f"{where}: expected a mapping with date and evidence", eline)
        date = str(entry.get("date") or "")
        if date and not ISO_DATE.match(date):
            raise LexiconError(path, f"{where}: {date!r} is not a date like 2013, 2013-10 or 2013-10-22", eline)
        qualifier = str(entry.get("qualifier") or "")
        if qualifier not in DATE_QUALIFIERS:
            raise LexiconError(path, f"{where}: qualifier {qualifier!r} is not one of {DATE_QUALIFIERS[1:]}", eline)
        evidence = " ".join(str(entry.get("evidence") or "").split())
        if not evidence:
            raise LexiconError(path, f"{where}: every date needs its evidence", eline)
        claims = _term_list(path, entry.get("claims"), f"{where}, claims", eline)
        bad = [c for c in claims if not _CLAIM_ID.match(c)]
        if bad:
            raise LexiconError(path, f"{where}: {bad[0]!r} is not a sentence id (article_id:n)", eline)
        out[str(kind)] = {"date": date, "qualifier": qualifier, "where": str(entry.get("where") or ""),
                          "evidence": evidence, "claims": tuple(claims)}
    return out


@_cached
def articles(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """English titles, summaries and the date model of the articles (``articles.yaml``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.ARTICLES_FILE`, read at call time.

    Returns
    -------
    dict
        Article id -> ``{field: text}`` (``title_en``, ``short_en``, ``summary``...), plus ``dates``
        when the article has any: ``{kind: {"date", "qualifier", "where", "evidence", "claims"}}``
        for the kinds of :data:`ARTICLE_DATE_KINDS` (``date`` is ``""`` when it is unknown, and
        ``claims`` a tuple of sentence ids).  An article listed with no fields maps to ``{}``.

    Raises
    ------
    LexiconError
        If ``articles`` is not a mapping, an article's notes are not a mapping of strings (and
        ``dates``), or a date is malformed, of an unknown kind, or lacks its evidence.
    """
    path = Path(path or config.ARTICLES_FILE)
    notes = read_yaml(path, top="articles")
    if notes is None:
        return {}
    if not isinstance(notes, dict):
        raise LexiconError(path, "'articles' should be a mapping of article id: notes", line_of(notes) or 1)
    out: dict[str, dict[str, Any]] = {}
    for aid, fields in notes.items():
        fields = fields or {}
        texts = {k: v for k, v in fields.items() if k != "dates"} if isinstance(fields, dict) else None
        if texts is None or any(isinstance(v, dict | list) for v in texts.values()):
            raise LexiconError(path, f"article {aid!r}: expected a mapping of field: text",
                               line_of(fields) or _node_line(path, "articles", aid) or line_of(notes))
        out[str(aid)] = {str(k): " ".join(str(v).split()) for k, v in texts.items()}
        if "dates" in fields:
            out[str(aid)]["dates"] = _article_dates(path, str(aid), fields["dates"])
    return out


# -- translations (data/lexicon/translations/<article_id>.yaml) --

def sentence_sha(sentence: str) -> str:
    """The key that ties a translation to its source sentence: 12 hex digits of SHA-256 (UTF-8).

    Parameters
    ----------
    sentence : str
        The clean Chinese sentence (``claims.sentence_clean``).

    Returns
    -------
    str
    """
    return hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:12]


def translation_files(directory: Path | None = None) -> dict[str, Path]:
    """The translation file of each article that has one.

    Parameters
    ----------
    directory : pathlib.Path, optional
        Default :data:`analysis.config.TRANSLATIONS_DIR`, read at call time.

    Returns
    -------
    dict of str to pathlib.Path
        ``{article_id: path}`` for every ``<article_id>.yaml`` of the directory, sorted by path.
    """
    base = Path(directory or config.TRANSLATIONS_DIR)
    return {p.stem: p for p in sorted(base.glob("*.yaml"))}


@_cached
def translations(article_id: str, directory: Path | None = None) -> dict[str, Any]:
    """The English translation of one article, sentence by sentence.

    Parameters
    ----------
    article_id : str
        The article (its file is ``<article_id>.yaml``).
    directory : pathlib.Path, optional
        Default :data:`analysis.config.TRANSLATIONS_DIR`, read at call time.

    Returns
    -------
    dict
        ``title_en``, ``translated_by``, ``reviewed_by`` and ``sentences``: ``{claim_id: {"sha", "zh", "en"}}``.
        Empty sentences when the article has no translation file.

    Raises
    ------
    LexiconError
        On a malformed file: a missing field, an empty translation, a duplicate id, or an
        ``article_id`` that does not match the file name (file and line named).
    """
    path = Path(directory or config.TRANSLATIONS_DIR) / f"{article_id}.yaml"
    if not path.exists():
        return {"title_en": "", "translated_by": "", "reviewed_by": "", "sentences": {}}
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LexiconError(path, "expected a mapping at the top level", 1)
    if str(data.get("article_id", "")) != article_id:
        raise LexiconError(path, f"article_id {data.get('article_id')!r} does not match the file name", 1)
    entries = data.get("sentences")
    if not isinstance(entries, list):
        raise LexiconError(path, "'sentences' should be a list", line_of(data))
    out: dict[str, dict[str, str]] = {}
    for entry in entries:
        for key in ("id", "sha", "zh", "en"):
            _require(path, entry, key, str, f"translation entry {entry.get('id', '?') if isinstance(entry, dict) else '?'}")
        if not entry["en"].strip():
            raise LexiconError(path, f"translation of {entry['id']} is empty", line_of(entry))
        if entry["id"] in out:
            raise LexiconError(path, f"duplicate sentence id {entry['id']}", line_of(entry))
        out[entry["id"]] = {"sha": entry["sha"], "zh": entry["zh"], "en": entry["en"]}
    return {
        "title_en": str(data.get("title_en") or ""),
        "translated_by": str(data.get("translated_by") or ""),
        "reviewed_by": str(data.get("reviewed_by") or ""),
        "sentences": out,
    }


def _check_csv_shape(path: Path, text: str) -> None:
    """Every row of a label CSV has as many fields as its header (else LexiconError at that line)."""
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=2):
        if row and len(row) != width:
            raise LexiconError(path, f"row has {len(row)} fields, the header has {width}", i)


def characters(directory: Path | None = None) -> frozenset[str]:
    """Every character of every lexicon file, the translations included (for the book's web font).

    Parameters
    ----------
    directory : pathlib.Path, optional
        Default :data:`analysis.config.LEXICON_DIR`, read at call time (read recursively; files
        that are not UTF-8 are skipped).

    Returns
    -------
    frozenset of str
    """
    out: set[str] = set()
    base = Path(directory or config.LEXICON_DIR)
    for path in sorted(base.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix in (".yaml", ".yml"):
            read_yaml(path)  # a broken lexicon fails here, with its file and line, not in a glyph later
        elif path.suffix == ".csv":
            _check_csv_shape(path, text)
        out.update(text)
    return frozenset(out)


# -- errata (data/lexicon/errata.yaml) --

@_cached
def errata(path: Path | None = None) -> tuple[dict[str, Any], ...]:
    """Dates that an article gets wrong, with the correction and the reason (``errata.yaml``).

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.ERRATA_FILE`, read at call time.

    Returns
    -------
    tuple of dict
        ``claim`` (sentence id), ``as_written`` (the date exactly as the sentence writes it),
        ``corrected`` (an ISO date: ``2015``, ``2015-05`` or ``2015-05-26``), ``reason`` (str) and
        ``sources`` (tuple of sentence ids that support the correction), in file order.

    Raises
    ------
    LexiconError
        When an entry lacks a field, its claim or a source is not a sentence id, the correction is not
        an ISO date, or the same (claim, as written) is corrected twice.
    """
    path = Path(path or config.ERRATA_FILE)
    data = _top_mapping(path)
    out, seen = [], set()
    for i, item in enumerate(_entry_list(path, data, "errata")):
        where, line = f"errata[{i}]", line_of(item) or _node_line(path, "errata", i)
        for key in ("claim", "as_written", "corrected", "reason"):
            if not str(item.get(key) or "").strip():
                raise LexiconError(path, f"{where}: missing {key!r}", line)
        claim, corrected = str(item["claim"]).strip(), str(item["corrected"]).strip()
        if not _CLAIM_ID.match(claim):
            raise LexiconError(path, f"{where}: {claim!r} is not a sentence id (article_id:n)", line)
        if not ISO_DATE.match(corrected):
            raise LexiconError(path, f"{where}: corrected {corrected!r} is not a date like 2015-05-26", line)
        sources = _term_list(path, item.get("sources"), f"{where}, sources", line)
        bad = [c for c in sources if not _CLAIM_ID.match(c)]
        if bad:
            raise LexiconError(path, f"{where}: source {bad[0]!r} is not a sentence id (article_id:n)", line)
        key = (claim, str(item["as_written"]).strip())
        if key in seen:
            raise LexiconError(path, f"{where}: {key[1]!r} of {claim} is corrected twice", line)
        seen.add(key)
        out.append({"claim": claim, "as_written": key[1], "corrected": corrected,
                    "reason": " ".join(str(item["reason"]).split()), "sources": tuple(sources)})
    return tuple(out)
