"""Chinese next to English: how a chapter shows a quote, a term, a figure or an article to a reader.

Every Chinese sentence that a chapter shows is followed, in the same cell, by
its reviewed English translation (:func:`analysis.lexicon.translations`)::

    <span lang="zh" class="zh-quote">…</span> <span class="en">…</span>

A Chinese *term* gets its glossary gloss inline (classes ``zh-term`` and ``gloss``), a
quoted *figure* (不到100人) its reading in English (fewer than 100 people),
and an article its short English label (``000 · An insider's advice on the
push``).  Everything is escaped here: callers pass untrusted text.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.checks.intervals import hedge_kind
from analysis.compare.text import format_figure
from analysis.extract.ids import source_href, split_claim_id
from analysis.report.escape import esc, link
from analysis.report.glossary import pinyin

__all__ = [
    "CJK",
    "has_cjk",
    "sentence_en",
    "quote_html",
    "sentence_html",
    "term_html",
    "figure_en",
    "figure_html",
    "article_label",
    "short_id",
    "source_link",
    "strategy_names",
    "strategy_name",
]

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: How a hedged figure reads in English (see :func:`analysis.checks.intervals.hedge_kind`).
_HEDGE_EN = {"upper": "fewer than {}", "lower": "more than {}", "approx": "about {}", "several": "at least {} (vague)",
             "exact": "{}"}


def has_cjk(text: object) -> bool:
    """Whether the text holds a Chinese character.

    Parameters
    ----------
    text : object

    Returns
    -------
    bool
    """
    return bool(CJK.search("" if text is None else str(text)))


def sentence_en(claim_id: str) -> str:
    """The reviewed English translation of one sentence.

    Parameters
    ----------
    claim_id : str
        ``<article_id>:<n>``.

    Returns
    -------
    str
        ``""`` when the article or the sentence has no translation.
    """
    aid, _ = split_claim_id(claim_id)
    entry = lexicon.translations(aid)["sentences"].get(claim_id)
    return entry["en"] if entry else ""


def quote_html(zh: object, en: object, suffix: str = "", mark: str = "") -> str:
    """A Chinese quote followed by its English, both escaped.

    Parameters
    ----------
    zh : object
        The Chinese text.
    en : object
        Its English; when empty the reader is told that there is none.
    suffix : str, optional
        Trusted HTML (a source link built by the report code) appended inside the English span.
    mark : str, optional
        A part of the Chinese text to highlight (its first occurrence) with ``<mark>``.

    Returns
    -------
    str
        ``<span lang="zh" class="zh-quote">zh</span> <span class="en">en suffix</span>``.
    """
    english = esc(en) if str(en or "").strip() else "<em>(no English translation yet)</em>"
    tail = f" {suffix}" if suffix else ""
    text = "" if zh is None else str(zh)
    at = text.find(mark) if mark else -1
    chinese = (esc(text[:at]) + f"<mark>{esc(mark)}</mark>" + esc(text[at + len(mark):]) if at >= 0 else esc(text))
    return f'<span lang="zh" class="zh-quote">{chinese}</span> <span class="en">{english}{tail}</span>'


def sentence_html(claim_id: str, zh: object = None, *, mark: str = "", link: bool = False, prefix: str = "") -> str:
    """A sentence in Chinese, followed by its English translation.

    Parameters
    ----------
    claim_id : str
    zh : object, optional
        The Chinese text to show (default: the translation file's ``zh``).
    mark : str, optional
        A part of the Chinese to highlight.
    link : bool, default False
        End the English with a link to the sentence on its article's page.
    prefix : str
        Passed to :func:`analysis.extract.ids.source_href`.

    Returns
    -------
    str
    """
    if zh is None:
        aid, _ = split_claim_id(claim_id)
        zh = lexicon.translations(aid)["sentences"].get(claim_id, {}).get("zh", "")
    suffix = f"<small>{source_link(claim_id, prefix)}</small>" if link else ""
    return quote_html(zh, sentence_en(claim_id), suffix, mark)


def term_html(term: object, gloss: object = None) -> str:
    """A Chinese term with its English gloss (from the glossary unless given).

    Parameters
    ----------
    term : object
    gloss : object, optional

    Returns
    -------
    str
        ``<span lang="zh" class="zh-term">term</span> <span class="gloss">gloss</span>`` (inline, unlike a
        quote's block ``en``); a term that
        the glossary lacks gets its pinyin instead, and a term with no Chinese in it is returned
        escaped, as it is.
    """
    text = "" if term is None else str(term)
    if not has_cjk(text):
        return esc(text)
    g = lexicon.glossary().get(text, "") if gloss is None else str(gloss)
    english = esc(g) if g else f"<i>{esc(pinyin(text))}</i>"
    return f'<span lang="zh" class="zh-term">{esc(text)}</span> <span class="gloss">{english}</span>'


def figure_en(value: float, unit: str, hedge: object = None, quote: str = "") -> str:
    """A quoted figure as it reads in English: ``不到100人`` -> ``fewer than 100 users``.

    Parameters
    ----------
    value : float
        In base units (``numbers.csv``).
    unit : str
    hedge : object, optional
        The ``hedge`` of ``numbers.csv`` (a flag or a kind), read with the quote.
    quote : str

    Returns
    -------
    str
    """
    if value is None or pd.isna(value):
        return ""
    kind = hedge_kind(hedge, quote)
    return _HEDGE_EN.get(kind, "{}").format(format_figure(float(value), str(unit)))


def figure_html(quote: object, value: float, unit: str, hedge: object = None) -> str:
    """A quoted figure in Chinese followed by its English reading."""
    return quote_html(quote, figure_en(value, unit, hedge, str(quote or "")))


def short_id(article_id: object) -> str:
    """The three-digit number of an article id (``000``)."""
    return str(article_id).split("_")[0]


def article_label(article_id: object, notes: dict[str, Any] | None = None) -> str:
    """``000 · An insider's advice on the push``: the article's number and short English title.

    Parameters
    ----------
    article_id : object
    notes : dict, optional
        :func:`analysis.lexicon.articles` output.

    Returns
    -------
    str
        Plain text (escape it for HTML); the number alone when the article has no English title.
    """
    notes = lexicon.articles() if notes is None else notes
    entry = notes.get(str(article_id), {})
    title = entry.get("short_en") or entry.get("title_en") or ""
    return f"{short_id(article_id)} · {title}" if title else short_id(article_id)


def source_link(claim_id: str, prefix: str = "") -> str:
    """``003:16``, linking to sentence 16 of article 003."""
    aid, n = split_claim_id(claim_id)
    return link(source_href(claim_id, prefix=prefix), f"{short_id(aid)}:{n}", title="source sentence")


def strategy_names() -> dict[str, str]:
    """Strategy id -> English name, from the codebook (:func:`analysis.lexicon.strategies`)."""
    return {s["id"]: s["name"] for s in lexicon.strategies()}


def strategy_name(strategy_id: object) -> str:
    """The English name of a strategy (the id itself if the codebook lacks it)."""
    return strategy_names().get(str(strategy_id), str(strategy_id))
