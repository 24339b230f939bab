"""Sentences: the units that the claims are made of, each with its exact raw quote.

A clean article body (:attr:`analysis.corpus.document.Document.text`) is
split into sentences at ``。！？!?；;``, at line breaks and at paragraph breaks
(``"\\n\\n"``).  Runs of terminators and closing quotes or brackets stay with
the sentence they close (他说:“好。” is one sentence); surrounding whitespace
is trimmed and a span with no word character is dropped.  A short paragraph
that is a sentence of its own and has no final full stop is a *heading*.

Every sentence is mapped back to the raw file with
:meth:`~analysis.corpus.document.Document.raw_span`, so that
``raw_text[raw_start:raw_end] == raw`` (for the Traditional article the raw
quote is Traditional).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.corpus.document import Document

__all__ = ["HEADING_MAX_CHARS", "Sentence", "split_sentences", "is_heading", "document_sentences"]

#: A heading is a lone paragraph of at most this many characters with no final full stop.
HEADING_MAX_CHARS = 32

_TERMINALS = set("。!?;！？；")
_CLOSERS = set("”’」』)）》】\"'")
_WORDY = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article.

    Attributes
    ----------
    article_id : str
    n : int
        Position in the article, from 0.
    clean_start, clean_end : int
        Half-open span in the clean text.
    raw_start, raw_end : int
        Half-open span in the raw file.
    clean : str
        The clean Simplified sentence.
    raw : str
        The exact raw substring ``raw_text[raw_start:raw_end]``.
    heading : bool
        The sentence is a section heading (a short paragraph of its own).
    """

    article_id: str
    n: int
    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int
    clean: str
    raw: str
    heading: bool


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split a clean body into sentence spans.

    Parameters
    ----------
    text : str
        Clean text whose paragraphs are separated by ``"\\n\\n"``.

    Returns
    -------
    list of (int, int)
        Half-open spans, in text order, trimmed of surrounding whitespace;
        spans with no word character are dropped.

    Raises
    ------
    ValueError
        If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n\n"):
        p_start, p_end = pos, pos + len(para)
        pos = p_end + 2
        i, start = p_start, p_start
        while i < p_end:
            if text[i] in _TERMINALS or text[i] == "\n":
                j = i + 1
                while j < p_end and (text[j] in _TERMINALS or text[j] in _CLOSERS):
                    j += 1
                spans.append((start, j))
                start = i = j
            else:
                i += 1
        spans.append((start, p_end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b and _WORDY.search(text[a:b]):
            out.append((a, b))
    return out


def is_heading(text: str, start: int, end: int) -> bool:
    """Whether the sentence ``text[start:end]`` is a section heading.

    Parameters
    ----------
    text : str
        The clean body.
    start, end : int
        A sentence span from :func:`split_sentences`.

    Returns
    -------
    bool
        True for a paragraph of its own, at most :data:`HEADING_MAX_CHARS`
        long, that does not end in ``。;；:：``.
    """
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    lone = (start == 0 or before == "\n\n") and (end == len(text) or after == "\n\n")
    return lone and (end - start) <= HEADING_MAX_CHARS and text[end - 1] not in "。;；:："


def document_sentences(doc: Document) -> list[Sentence]:
    """Split a document into sentences with their raw spans.

    Parameters
    ----------
    doc : analysis.corpus.document.Document

    Returns
    -------
    list of Sentence
        In text order, numbered from 0.
    """
    out = []
    for n, (a, b) in enumerate(split_sentences(doc.text)):
        ra, rb = doc.raw_span(a, b)
        out.append(
            Sentence(doc.article_id, n, a, b, ra, rb, doc.text[a:b], doc.raw_text[ra:rb], is_heading(doc.text, a, b))
        )
    return out
