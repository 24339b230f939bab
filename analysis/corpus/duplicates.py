"""Repeated text: paragraphs that an article prints twice, and articles that repeat one another.

Sites often print an article twice.  Inside one article, three kinds of
repeat are dropped, in this order (:func:`drop_duplicates`):

1. a *run-on block*: one long line (over 200 characters) that holds, in
   order, the paragraphs that follow it -- at least two of them, covering at
   least 80% of the block, with gaps of at most 200 characters.  The gaps are
   the section headings that only the block kept; they are put back before
   the paragraph they preceded, so nothing is lost;
2. *exact repeats*: a paragraph equal to an earlier one, whitespace ignored;
3. *teasers*: a paragraph of at least 20 characters whose first 20 characters
   open a later, longer paragraph.

Across articles, two files are the same article when their bytes or their
whitespace-free clean texts (:func:`squash_whitespace`) are equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "squash_whitespace", "drop_duplicates"]

_WS = re.compile(r"\s+")


@dataclass
class Paragraph:
    """A stripped line of a raw body, with the raw index of each of its characters.

    Attributes
    ----------
    text : str
    offsets : list of int
        ``offsets[i]`` is the index in the raw file of ``text[i]``.
    """

    text: str
    offsets: list[int]


def squash_whitespace(text: str) -> str:
    """The text with every whitespace character removed (the key that compares repeats).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return _WS.sub("", text)


def _split_run_on(block: Paragraph, following: list[Paragraph]) -> tuple[int, list[tuple[int, Paragraph]]] | None:
    """Test whether ``block`` is a run-on copy of the paragraphs that follow it.

    The paragraphs are matched in order inside the block; the unmatched gaps
    (the headings) are returned as paragraphs of their own.

    Returns
    -------
    (int, list of (int, Paragraph)) or None
        How many following paragraphs the block repeats, and the gap
        paragraphs keyed by the position they precede; ``None`` when it is
        not a run-on block.
    """
    keep = [k for k, c in enumerate(block.text) if not c.isspace()]
    sq = "".join(block.text[k] for k in keep)
    pos, matched, covered = 0, 0, 0
    gaps: list[tuple[int, Paragraph]] = []
    for j, para in enumerate(following):
        t = squash_whitespace(para.text)
        k = sq.find(t, pos)
        if not t or k < 0 or k - pos > 200:
            break
        if k > pos:
            a, b = keep[pos], keep[k - 1] + 1
            raw = block.text[a:b]
            lead = len(raw) - len(raw.lstrip())
            text = raw.strip()
            gaps.append((j, Paragraph(text, block.offsets[a + lead : a + lead + len(text)])))
        pos, matched, covered = k + len(t), j + 1, covered + len(t)
    if matched < 2 or covered < 0.8 * len(sq) or len(sq) - pos > 200:
        return None
    return matched, gaps


def drop_duplicates(paras: list[Paragraph]) -> tuple[list[Paragraph], int]:
    """Drop run-on blocks, exact repeats and teasers from the paragraphs of one article.

    Parameters
    ----------
    paras : list of Paragraph
        The article's paragraphs, in order.

    Returns
    -------
    (list of Paragraph, int)
        The paragraphs kept (headings recovered from a run-on block
        included), in order, and the number of characters removed.
    """
    removed = 0
    # 1. run-on blocks, replaced by the paragraphs plus the headings only the block had
    out: list[Paragraph] = []
    i = 0
    while i < len(paras):
        hit = _split_run_on(paras[i], paras[i + 1 :]) if len(paras[i].text) > 200 else None
        if hit is None:
            out.append(paras[i])
            i += 1
            continue
        n, gaps = hit
        removed += len(paras[i].text) - sum(len(g.text) for _, g in gaps)
        inserts = dict(gaps)
        for j, para in enumerate(paras[i + 1 : i + 1 + n]):
            if j in inserts:
                out.append(inserts[j])
            out.append(para)
        i += 1 + n
    # 2. exact repeats, and 3. teasers repeating the start of a later, longer paragraph
    squashed = [squash_whitespace(p.text) for p in out]
    drop: set[int] = set()
    seen: set[str] = set()
    for i, s in enumerate(squashed):
        if s in seen:
            drop.add(i)
            continue
        seen.add(s)
        for t in squashed[i + 1 :]:
            if len(t) > len(s) >= 20 and t[:20] == s[:20]:
                drop.add(i)
                break
    removed += sum(len(out[i].text) for i in drop)
    return [p for i, p in enumerate(out) if i not in drop], removed
