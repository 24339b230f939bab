r"""Evaluative cues of a sentence, scoped to a target: the stance of a (sentence, strategy) pair.

A cue counts for a strategy according to *where* it stands relative to the
strategy's seed hits (coding manual, sections B and F):

* **near**: in a clause that holds a seed hit of the strategy, so that a
  criticism aimed at another target elsewhere in the sentence is not near
  (manual F5); for a topic carried over from the sentence before (no hit),
  the first clause, where the anaphor stands (这是…), is near;
* **final**: in the last clause, where Chinese puts the comment on what the
  sentence listed before (…等等, 阿里其实在…揠苗助长来往);
* **any**: anywhere in the sentence.

A clause whose first words are a concession (虽然, 即使...) is subordinate,
and so is every clause before the last one that opens with a contrast
(但是, 可是, 不过): their cues are neither near nor final (manual B: the main
clause wins).

The cue kinds (``cues`` section of ``data/lexicon/stance.yaml``, and the
recommendation and prediction cues of ``cues.yaml`` through
:func:`analysis.extract.cues.advice_hits`, the
cue part of :func:`analysis.extract.cues.cue_hits`):

``crit`` and ``praise``
    negative and positive evaluation.  A praise word right after a negator
    (不成功), or after a denial in its clause (很难有什么突破), counts as
    criticism; a criticism word right after a negator (不是一种劣势, 不是问题)
    as praise.  An evaluative word before a numeral is a hedge of a figure
    (不足50万, 突破千万), a praise word used as a modifier (成功的原因) is no
    evaluation, nor is a criticism word in the modifier of a circumstance
    (在协作难上加难的大型公司,); 问题 after a verb of asking (问…问题) is a
    question asked;
    an irony marker (不愧是, 神奇的是) counts as criticism (manual F4).
``lament`` and ``missing``
    regret or surprise (遗憾, 居然, 不足) with an absence (没有, 并未) in the
    same sentence faults the absence, so it supports what is missing (manual
    F2); ``missing`` is an absence before the target in its clause (缺少…社区).
``rec``, ``prohibit`` and ``reminder``
    a recommendation cue, one inside a prohibitive phrase, and a rhetorical
    prohibition (别忘了, manual F3), which is a reminder, not advice against.
``possible`` and ``impossible``
    a marker of possibility or capability (可以, 即可), and one after a denial
    in its clause (根本不是…可以实现的).
``dropped`` and ``adopted``
    the target stands in X or in Y of 不再 X, 而是 Y (manual B).
``otherwise``
    the sentence opens with 否则 ('otherwise'): it states the cost of not
    doing what the sentence before proposed, so its evaluation of that
    carried topic is reversed.

:func:`pair_features` returns these as a flat dict of 0/1 features, with the
sentence-level ``quoted`` (a relayed claim), ``heading``, ``question``,
``list_item`` and ``proposal`` (the author is laying out a proposal: most
neighbouring sentences are recommendations or list items) flags.
:func:`rule_stance` decides by a weighted vote,

.. math::

    V^+ = \sum_{k \in \text{positive}} w_k \, [k], \qquad
    V^- = \sum_{k \in \text{negative}} w_k \, [k],

with the hand-set weights :data:`POSITIVE` and :data:`NEGATIVE` (a cue near
the target weighs 2, one in the final clause or elsewhere less): ``supports``
when :math:`V^+ > V^-`, ``criticises`` when :math:`V^- > V^+`, ``reports``
when both are zero or the claim is relayed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import lexicon
from analysis.extract.cues import advice_hits
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.spans import inside, occurrences
from analysis.themes.targets import clauses

__all__ = ["CUE_KINDS", "POSITIVE", "NEGATIVE", "cue_spans", "sentence_cues", "pair_features", "votes",
           "rule_stance"]

#: The cue kinds scored per scope.
CUE_KINDS: tuple[str, ...] = ("crit", "praise", "lament", "rec", "prohibit", "reminder", "predict", "possible",
                              "impossible")
#: Weights of the positive cues in :func:`votes` (feature -> weight).
POSITIVE: dict[str, float] = {
    "rec_near": 2.0, "reminder_any": 2.0, "praise_near": 2.0, "lament_near": 2.0, "missing_fault": 2.0,
    "adopted": 3.0, "possible_near": 1.0, "rec_any": 1.0, "praise_final": 1.0, "lament_any": 1.0,
    "proposal": 1.0, "praise_any": 0.5,
}
#: Weights of the negative cues in :func:`votes`.
NEGATIVE: dict[str, float] = {
    "crit_near": 2.0, "prohibit_near": 2.0, "impossible_near": 2.0, "dropped": 3.0, "crit_final": 1.0,
    "crit_any": 0.5,
}
_QUESTION = re.compile(r"(?:[?？]|[吗呢])[”’」』)）》】\"'\s]*$")
_LIST_ITEM = re.compile(r"^\s*(?:#|[0-9一二三四五六七八九十]+\s*[、.)）]|[(（][0-9一二三四五六七八九十]+[)）])")
_DIGIT = re.compile(r"[0-9零一二三四五六七八九十百千万亿几数]")
_KINDS = ("crit", "praise", "regret", "absence", "irony", "rhetorical", "no_longer", "instead", "possible",
          "impossible")


def _live(text: str, word: str, blocked_by: Sequence[str]) -> list[tuple[int, int]]:
    if word not in text and not _exhaustive():
        return []  # the common case: no occurrence, so no blocking word to look for
    blocked = [s for w in blocked_by for s in occurrences(text, w)]
    return [s for s in occurrences(text, word) if not inside(s, blocked)]


def _clause_of(cl: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((c for c in cl if c[0] <= pos < c[1]), (0, 0))


def cue_spans(sentence: str, lex: Mapping[str, Any] | None = None) -> dict[str, list[tuple[int, int]]]:
    """The spans of the evaluative cues of a sentence, after the rules of the module notes.

    Parameters
    ----------
    sentence : str
    lex : mapping, optional
        The ``cues`` section of :func:`analysis.lexicon.stance` (default: the project's).

    Returns
    -------
    dict
        ``crit``, ``praise``, ``regret``, ``absence``, ``irony``, ``rhetorical``, ``no_longer``,
        ``instead``, ``possible``, ``impossible``: sorted lists of spans.
    """
    lex = lex if lex is not None else lexicon.stance()["cues"]
    neg, denial = tuple(lex["negators"]), tuple(lex["denial"])
    cl = clauses(sentence)
    out: dict[str, list[tuple[int, int]]] = {k: [] for k in _KINDS}

    def spans(kind: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for w in sorted(lex[kind], key=len, reverse=True):
            for s in _live(sentence, w, lex["not"].get(w, ())):
                if not any(a < s[1] and s[0] < b for a, b in found):
                    found.append(s)
        return found

    evaluative = spans("criticism") + spans("praise")

    def negated(s: tuple[int, int], window: int) -> bool:
        """A negator in the ``window`` characters before ``s``, not inside another evaluative word."""
        lo = max(0, s[0] - window)
        return any(lo <= a and b <= s[0] and not any(x <= a and b <= y for x, y in evaluative if (x, y) != s)
                   for n in neg for a, b in occurrences(sentence[: s[0]], n))

    def denied(s: tuple[int, int]) -> bool:
        c = _clause_of(cl, s[0])
        return any(d in sentence[c[0] : s[0]] for d in denial)

    def figure(s: tuple[int, int]) -> bool:
        return bool(_DIGIT.match(sentence[s[1] : s[1] + 1]))

    def circumstance(s: tuple[int, int]) -> bool:
        c = _clause_of(cl, s[0])
        opens = sentence[c[0] : c[1]].lstrip(" ").startswith(tuple(lex["circumstance"]))
        return opens and sentence[s[1] :].startswith("的")

    for s in spans("criticism"):
        word = sentence[s[0] : s[1]]
        c = _clause_of(cl, s[0])
        if figure(s) or circumstance(s) or (word == "问题" and any(a in sentence[c[0] : s[0]] for a in lex["asked"])):
            continue
        out["praise" if not word.startswith(neg) and negated(s, 4) else "crit"].append(s)
    for s in spans("praise"):
        word = sentence[s[0] : s[1]]
        if figure(s) or (sentence[s[1] : s[1] + 1] == "的" and len(sentence) > s[1] + 2
                         and sentence[s[1] + 1] not in ",，。;；!?！？"):
            continue
        out["crit" if not word.startswith(neg) and (negated(s, 2) or denied(s)) else "praise"].append(s)
    for s in spans("possible"):
        out["impossible" if denied(s) or negated(s, 2) else "possible"].append(s)
    for kind in ("regret", "absence", "irony", "rhetorical", "no_longer", "instead"):
        out[kind] = [s for s in spans(kind) if not figure(s)]
    out["crit"] += out["irony"]
    return {k: sorted(v) for k, v in out.items()}


def _subordinate(sentence: str, cl: Sequence[tuple[int, int]], lex: Mapping[str, Any]) -> set[int]:
    """Indices of the subordinate clauses: a concession, and everything before the last contrast."""
    heads = [sentence[a:b].lstrip(" ") for a, b in cl]
    sub = {i for i, h in enumerate(heads) if any(w in h[:4] for w in lex["concession"])}
    contrast = [i for i, h in enumerate(heads) if h.startswith(tuple(lex["contrast"]))]
    if contrast and contrast[-1] > 0:
        sub |= set(range(contrast[-1]))
    return sub


def sentence_cues(sentence: str, lex: Mapping[str, Any] | None = None,
                  type_cues: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything about a sentence that :func:`pair_features` needs, computed once per sentence.

    Parameters
    ----------
    sentence : str
    lex : mapping, optional
        The ``cues`` section of :func:`analysis.lexicon.stance`.
    type_cues : mapping, optional
        :func:`analysis.lexicon.cues` (recommendation and prediction cues).

    Returns
    -------
    dict
        ``clauses``, ``subordinate`` (indices of subordinate clauses), ``spans``
        (:func:`cue_spans` plus ``rec``, ``prohibit``, ``reminder``, ``predict``: the clauses
        holding such a cue, and ``lament``), ``question`` (a final question mark or 吗/呢),
        ``list_item`` (the sentence opens with ``#``, ``1、``, ``(2)``) and ``otherwise`` (it
        opens with 否则).
    """
    lex = lex if lex is not None else lexicon.stance()["cues"]
    cl = clauses(sentence)
    spans = cue_spans(sentence, lex)
    for k in ("rec", "prohibit", "reminder", "predict"):
        spans[k] = []
    for c in cl:
        hits = advice_hits(sentence[c[0] : c[1]], type_cues)
        if hits["recommendation"]:
            spans["rec"].append(c)
        if hits["recommendation_negative"]:
            rhetorical = any(c[0] <= r[0] < c[1] for r in spans["rhetorical"])
            spans["reminder" if rhetorical else "prohibit"].append(c)
        if hits["prediction"]:
            spans["predict"].append(c)
    spans["lament"] = spans["regret"] if spans["regret"] and spans["absence"] else []
    return {"clauses": cl, "subordinate": _subordinate(sentence, cl, lex), "spans": spans,
            "question": bool(_QUESTION.search(sentence)), "list_item": bool(_LIST_ITEM.match(sentence)),
            "otherwise": sentence.lstrip(" ,，").startswith(tuple(lex["otherwise"]))}


def pair_features(sentence: str, targets: Sequence[tuple[int, int]], info: Mapping[str, Any], *,
                  quoted: bool = False, heading: bool = False, type_: str = "", proposal: bool = False,
                  reversed_target: bool = False) -> dict[str, float]:
    """The stance features of one (sentence, strategy) pair.

    Parameters
    ----------
    sentence : str
    targets : sequence of (int, int)
        The spans of the strategy's seed hits; empty when the topic is carried over, and then
        the first clause, where the anaphor stands, is near.
    info : mapping
        :func:`sentence_cues` of the sentence.
    quoted : bool
        The sentence's claim is relayed from a third party.
    heading : bool
        The sentence is a heading.
    type_ : str
        The automatic claim type of the sentence.
    proposal : bool
        The sentence stands among recommendations (the author is laying out a proposal).
    reversed_target : bool
        Every hit is a ``reversed`` seed: the stance on the strategy is the opposite of the
        evaluation (see :func:`rule_stance`).

    Returns
    -------
    dict
        ``{feature: 1.0}`` for each feature that is on (see the module notes).
    """
    cl, sub, spans = info["clauses"], info["subordinate"], info["spans"]
    live = [c for i, c in enumerate(cl) if i not in sub]
    near = [c for c in live if any(c[0] <= t[0] < c[1] for t in targets)] if targets else live[:1]
    final = [cl[-1]] if cl and (len(cl) - 1) not in sub else []

    def within(sp: Sequence[tuple[int, int]], where: Sequence[tuple[int, int]]) -> bool:
        return any(c[0] <= s[0] < c[1] for s in sp for c in where)

    feats: dict[str, float] = {}
    for kind in CUE_KINDS:
        sp = spans[kind]
        if not sp:
            continue
        feats[f"{kind}_any"] = 1.0
        if within(sp, near):
            feats[f"{kind}_near"] = 1.0
        if within(sp, final):
            feats[f"{kind}_final"] = 1.0
    for t in targets:
        c = _clause_of(cl, t[0])
        if any(c[0] <= a[0] < t[0] for a in spans["absence"]):
            feats["missing"] = 1.0
    if feats.get("missing") and (feats.get("crit_any") or spans["regret"]):
        feats["missing_fault"] = 1.0
    if targets and spans["no_longer"] and spans["instead"]:
        nl, ins = spans["no_longer"][0][0], spans["instead"][-1][0]
        if nl < ins:
            if any(nl <= t[0] < ins for t in targets):
                feats["dropped"] = 1.0
            if any(t[0] > ins for t in targets):
                feats["adopted"] = 1.0
    for flag, on in (("quoted", quoted), ("heading", heading), ("question", info["question"]),
                     ("list_item", info["list_item"]), ("proposal", proposal),
                     ("reversed", reversed_target), ("otherwise", info["otherwise"] and not targets)):
        if on:
            feats[flag] = 1.0
    if type_:
        feats[f"type={type_}"] = 1.0
    return feats


def votes(feats: Mapping[str, float]) -> tuple[float, float]:
    """The positive and negative vote of a pair: the weighted sum of its cues (:data:`POSITIVE`, :data:`NEGATIVE`).

    Parameters
    ----------
    feats : mapping
        :func:`pair_features` output.

    Returns
    -------
    (float, float)
    """
    pos = sum(w for k, w in POSITIVE.items() if feats.get(k))
    neg = sum(w for k, w in NEGATIVE.items() if feats.get(k))
    return pos, neg


def rule_stance(feats: Mapping[str, float]) -> str:
    """The stance of a pair by the hand-written rules.

    Parameters
    ----------
    feats : mapping
        :func:`pair_features` output.

    Returns
    -------
    str
        ``supports``, ``criticises`` or ``reports``.  A relayed claim, a heading and an open
        question report, unless a heading or question laments (居然, manual F3); otherwise the
        larger of the two :func:`votes` wins; a tie of non-zero votes goes to the side with an
        evaluation in the final clause (end focus), else to the negative side when a negative
        cue is near.  A ``reversed`` target, and a carried topic in a sentence that opens with
        否则 ('otherwise'), swap the two sides.
    """
    f = feats.get
    if f("quoted") or ((f("heading") or f("question")) and not f("lament_any")):
        return "reports"
    pos, neg = votes(feats)
    if pos == neg == 0:
        return "reports"
    if pos > neg:
        side = "supports"
    elif neg > pos:
        side = "criticises"
    elif f("crit_final") != f("praise_final"):
        side = "criticises" if f("crit_final") else "supports"
    else:
        side = "criticises" if f("crit_near") or f("impossible_near") else "supports"
    if f("reversed") or f("otherwise"):
        side = "criticises" if side == "supports" else "supports"
    return side
