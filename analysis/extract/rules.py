r"""The coding manual's decision order for claim types, as rules over one article.

The manual (``book/appendix/codebook.md``, section A) types a sentence by the
first test that fits:

1. a heading, a label, a source line → ``other``;
2. the speaker advises, demands or forbids → ``recommendation``;
3. a particular outcome is forecast → ``prediction``;
4. an explanation, a regularity or a hypothetical consequence → ``causal``;
5. a checkable clause → ``fact``;
6. otherwise → ``other``.

:func:`code_article` applies that order to the sentences of one article, in
order, with the cues of :func:`analysis.extract.cues.cue_hits` and four
pieces of context that a single sentence does not carry:

* **headings** (:attr:`analysis.extract.sentences.Sentence.heading`) are
  ``other`` (test 1);
* **lists**: a list item (``1、``, ``#``, ``一、``) with no cue of its own takes
  ``recommendation`` from the line that introduces the list when that line
  advises (可以尝试的方向: …; manual A, "a list item that only names a
  proposal"); a list item whose first word is a verb is a proposal step;
* **proposal steps** outside lists: a lead adverb then a verb (同时，推出…)
  or 待 X 后，V ('once X, do V');
* **questions**: the cues of the final, questioning clause do not count, so
  an open question (钉钉会成功吗?) is ``other`` while 似乎注定是失败者,这次…吗?
  keeps its forecast.

A reminder (别忘了, manual F3) is not a prohibition.  Test 5 takes a fact cue
or evidence (a figure, a date, a past event; so a question quoted inside
narration, 他反问:“…吗?”, is the narration's fact).  The fallback then
distinguishes the remaining sentences: a question, the writer speaking of
himself (``discourse.first_person`` of ``cues.yaml`` or the article's author
name) or a sentence with no verb is ``other``; any other declarative with a
verb is ``fact``, the manual's "checkable clause".

Every rule is general (a cue list, a connective, a list marker), but the
lists and the fallback were revised after reading the reference coding of all
five articles: the rules were written with the whole corpus in view, so their
scores against that coding are not a held-out estimate.  Only the classifier
(:mod:`analysis.extract.classifier`) is fit per fold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis import lexicon
from analysis.extract.cues import cue_hits
from analysis.extract.evidence import CLAUSE_END, iter_pos_tags, tagged_words

__all__ = ["LIST_MARKER", "Coded", "asserted_part", "is_list_item", "starts_with_verb", "code_article"]

#: A list marker at the start of a sentence: ``#``, ``1、``, ``一、``, ``(1)``.
LIST_MARKER = re.compile(
    r"^\s*(?:#+|[0-9]{1,2}\s*[、.．]|[一二三四五六七八九十]{1,3}\s*[、.．]|[(（][0-9一二三四五六七八九十]{1,2}[)）])\s*"
)
_QUESTION_END = re.compile(r"(?:[?？]|[吗呢])[”’」』)）》】\"'\s]*$")
_SOURCE_LINE = re.compile(r"^[(（]?\s*(?:来源|文/|作者|编辑|责编)")
_COLON = ":："


@dataclass(frozen=True)
class Coded:
    """The rule type of one sentence and the test that gave it.

    Attributes
    ----------
    type : str
        One of :data:`analysis.lexicon.CLAIM_TYPES`.
    reason : str
        The rule that fired: ``heading``, ``label``, ``advice``, ``list``,
        ``step``, ``forecast``, ``explanation``, ``evidence``, ``declarative``,
        ``question``, ``anecdote``, ``fragment``.
    hits : dict
        :func:`~analysis.extract.cues.cue_hits` of the asserted part.
    """

    type: str
    reason: str
    hits: dict[str, list[str]]


def is_list_item(sentence: str) -> bool:
    """Whether a sentence opens with a list marker (``#``, ``1、``, ``一、``, ``(1)``).

    Parameters
    ----------
    sentence : str

    Returns
    -------
    bool
    """
    return bool(LIST_MARKER.match(sentence))


def asserted_part(sentence: str) -> str:
    """The sentence without its final questioning clause, if it is a question.

    A question asserts nothing in its last clause (钉钉会成功吗?); what comes
    before it still asserts (…似乎注定是失败者,这次…吗? forecasts).

    Parameters
    ----------
    sentence : str

    Returns
    -------
    str
        The sentence itself when it is not a question; otherwise the text up
        to the clause break before the question (empty for a one-clause question).
    """
    if not _QUESTION_END.search(sentence):
        return sentence
    body = _QUESTION_END.sub("", sentence)
    breaks = [m.start() for m in CLAUSE_END.finditer(body)]
    return body[: breaks[-1]] if breaks else ""


def _first_content_tag(sentence: str, lead: frozenset[str]) -> tuple[str, str] | None:
    """The first ``(word, flag)`` after lead adverbs, clause breaks and blanks (tags only that prefix)."""
    for tok in iter_pos_tags(sentence):
        if tok[0] in lead or CLAUSE_END.fullmatch(tok[0]) or not tok[0].strip():
            continue
        return tok
    return None


def starts_with_verb(sentence: str, lead_adverbs: Sequence[str] = (), not_step: Sequence[str] | None = None
                     ) -> bool:
    """Whether a sentence's first word, after lead adverbs, is a verb (a proposal step such as 增加…).

    Parameters
    ----------
    sentence : str
        A clean sentence, without its list marker.
    lead_adverbs : sequence of str
        Words skipped before the test (同时, 首先...).
    not_step : sequence of str, optional
        Verbs that do not open a step (default: ``discourse.not_step_verbs``
        of ``cues.yaml``: the copula, existence, saying...).

    Returns
    -------
    bool
    """
    if not_step is None:
        not_step = lexicon.cues()["discourse"]["not_step_verbs"]
    first = _first_content_tag(sentence, frozenset(lead_adverbs))
    return first is not None and first[1].startswith("v") and first[0] not in set(not_step)


def _has_verb(sentence: str) -> bool:
    return any(flag.startswith("v") for _, flag in iter_pos_tags(sentence))  # stops at the first verb


def _live_advice(hits: dict[str, list[str]], sentence: str, reminders: Sequence[str]) -> bool:
    if hits["recommendation"]:
        return True
    if not hits["recommendation_negative"]:
        return False
    return not any(r in sentence for r in reminders)  # 别忘了 reminds, it does not forbid


def _step(body: str, disc: dict[str, Any], listed: bool) -> bool:
    """A proposal step: a listed verb-first item, lead adverb + verb, or 待 X 后，V."""
    first = re.split(r"[,，:：;；。]", body, maxsplit=1)[0]
    if "了" in first or "已经" in first:
        return False
    lead, not_step = disc["lead_adverbs"], disc["not_step_verbs"]
    if listed and starts_with_verb(body, lead, not_step):
        return True
    if any(body.startswith(w) for w in lead) and starts_with_verb(body, lead, not_step):
        return True
    m = re.match(r"^待[^,，。]{1,30}后[,，]", body)
    return bool(m) and starts_with_verb(body[m.end():], (), not_step)


def _label(body: str, disc: dict[str, Any]) -> bool:
    text = body.strip().rstrip(_COLON + "。").strip()
    if body.strip()[-1:] in _COLON and (len(text) <= 6 or text in disc["labels"]):
        return True
    return bool(_SOURCE_LINE.match(body.strip()))


def code_article(sentences: Sequence[str], headings: Sequence[bool] | None = None, *, author: str = "",
                 cues: dict[str, Any] | None = None) -> list[Coded]:
    """Type every sentence of one article by the manual's decision order.

    Parameters
    ----------
    sentences : sequence of str
        The clean sentences of one article, in order.
    headings : sequence of bool, optional
        Whether each sentence is a heading (default: none is).
    author : str, optional
        The article's author name; a sentence that names him is his anecdote.
    cues : dict, optional
        The lexicons (:func:`analysis.lexicon.cues`; default: the project's).

    Returns
    -------
    list of Coded
        One per sentence, in order.

    Raises
    ------
    ValueError
        If ``headings`` and ``sentences`` differ in length, or a sentence is not a str.
    """
    cues = cues or lexicon.cues()
    disc = cues["discourse"]
    headings = list(headings) if headings is not None else [False] * len(sentences)
    if len(headings) != len(sentences):
        raise ValueError(f"{len(sentences)} sentences but {len(headings)} heading flags")
    first_person = tuple(disc["first_person"]) + ((author,) if author.strip() else ())
    out: list[Coded] = []
    intro: str | None = None  # the type of the line that introduces the current list
    for sentence, heading in zip(sentences, headings, strict=True):
        if not isinstance(sentence, str):
            raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
        listed = is_list_item(sentence)
        body = LIST_MARKER.sub("", sentence) if listed else sentence
        asserted = asserted_part(body)
        hits = cue_hits(asserted, cues)
        question = asserted != body
        coded = _decide(body, asserted, hits, heading=heading, listed=listed, question=question,
                        intro=intro, disc=disc, first_person=first_person)
        out.append(coded)
        if body.rstrip()[-1:] in _COLON and not heading:
            intro = coded.type
        elif not listed and heading:
            intro = None
    return out


def _decide(body: str, asserted: str, hits: dict[str, list[str]], *, heading: bool, listed: bool,
            question: bool, intro: str | None, disc: dict[str, Any], first_person: Sequence[str]) -> Coded:
    if heading:
        return Coded("other", "heading", hits)
    if _label(body, disc):
        return Coded("other", "label", hits)
    if _live_advice(hits, asserted, disc["reminders"]):
        return Coded("recommendation", "advice", hits)
    own = hits["prediction"] or hits["causal"]
    if listed and intro == "recommendation" and not own:
        return Coded("recommendation", "list", hits)
    if _step(body, disc, listed):
        return Coded("recommendation", "step", hits)
    if hits["prediction"]:
        return Coded("prediction", "forecast", hits)
    if hits["causal"]:
        return Coded("causal", "explanation", hits)
    if hits["fact"] or hits["figure"] or hits["date"] or hits["past"]:
        return Coded("fact", "evidence", hits)  # a question quoted inside narration (他反问:“…吗?”) narrates
    if question:
        return Coded("other", "question", hits)
    words = tagged_words(asserted, first_person)  # tags only where a first-person word occurs
    if any(w in words or (len(w) > 1 and asserted.startswith(w)) for w in first_person):
        return Coded("other", "anecdote", hits)
    if not _has_verb(asserted):
        return Coded("other", "fragment", hits)
    return Coded("fact", "declarative", hits)
