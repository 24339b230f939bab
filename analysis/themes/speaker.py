"""Who asserts a sentence's claim: the author, or a quoted party (coding manual, section C).

A sentence is ``quoted:<party>`` when its claim is relayed from a third party,
and ``author`` otherwise.  :func:`attribute` reads an article's sentences in
order and applies, for each sentence, the first rule that fits:

1. **Own view.** 个人觉得, 笔者, 我认为... keep the sentence the author's.
2. **Endorsement.** 正如 / 就如 X 所说 makes the claim the author's.
3. **Attribution.** A verb of saying or believing (表示, 透露, 称, 说...,
   not inside a longer word such as 说明 or 称作, and not a relative clause
   such as 认为的) with a party before it in the sentence: a named person of
   ``entities.yaml`` (``kind: person``), a party noun of ``stance.yaml``
   (内部人士 -> ``alibaba``, 网友 -> ``user``, 记者 -> ``other``...), or a
   hearsay noun (传言, 有人 -> ``other``).  ``据 X 披露`` and ``根据 X 的数据``
   attribute to X as well, and so does a colon that opens a quotation after
   a party (马云…:“…, at least a few characters long: “面对面” is a name) or
   that follows a party in the sentence's first clause (网友帮忙算了一笔账:…).
   The verb must introduce content: a colon, a quotation mark or at least a
   few characters of the clause after it; a verb after 这样/这么 (X 这样描述)
   looks back and attributes nothing.
4. **Continuation.** A sentence inside a quotation opened earlier (an
   unclosed “ or 「) keeps that quotation's speaker; so does a sentence that
   speaks in the first person plural (我们) right after a quoted sentence.
5. **Colon blocks.** A sentence of the author's that names a party and ends
   in a colon (陆兆禧向员工发出内部信…:) introduces that party's words: the
   next sentence is theirs, and so is each further one while it or the one
   before ends in a semicolon (a relayed list).
6. **Quoted then attributed.** A sentence wholly inside quotation marks
   whose *next* sentence names the speaker (X 这样描述) is that speaker's.

The party of a named person is its entity id (``quoted:jack_ma``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analysis import lexicon
from analysis.extract.spans import inside, occurrences

__all__ = ["people", "find_party", "speech_verbs", "attribute", "AUTHOR"]

AUTHOR = "author"
_OPEN = "“「『"
_CLOSE = "”」』"
_END = re.compile(r"[,，。;；!?！？]")


def people() -> dict[str, str]:
    """Alias -> entity id of the named people of ``entities.yaml``."""
    return {str(a): e["id"] for e in lexicon.entities() if e.get("kind") == "person" for a in e["aliases"]}


def _live(text: str, word: str, blocked_by: Iterable[str]) -> list[tuple[int, int]]:
    if word not in text:
        return []  # the common case: no occurrence, so no blocking word to look for
    blocked = [s for w in blocked_by for s in occurrences(text, w)]
    return [s for s in occurrences(text, word) if not inside(s, blocked)]


def find_party(text: str, lex: Mapping[str, Any] | None = None,
               names: Mapping[str, str] | None = None) -> tuple[str, int] | None:
    """The party named last in ``text``: ``(party, end offset)``, or ``None``.

    Parameters
    ----------
    text : str
        The words before a verb of saying.
    lex : mapping, optional
        The ``speaker`` section of :func:`analysis.lexicon.stance`.
    names : mapping, optional
        Alias -> person id (default :func:`people`).

    Returns
    -------
    (str, int) or None
        A person id or one of ``alibaba``, ``tencent``, ``user``, ``other``, and where its
        mention ends.
    """
    lex = lex if lex is not None else lexicon.stance()["speaker"]
    names = names if names is not None else people()
    best: tuple[str, int] | None = None
    found: list[tuple[int, str]] = []
    for alias, pid in names.items():
        found += [(e, pid) for _, e in occurrences(text, alias)]
    for party, words in lex["parties"].items():
        for w in words:
            found += [(e, party) for _, e in _live(text, w, lex["not"].get(w, ()))]
    for w in lex["hearsay"]:
        found += [(e, "other") for _, e in _live(text, w, lex["not"].get(w, ()))]
    if found:
        end, party = max(found)
        best = (party, end)
    return best


def speech_verbs(sentence: str, lex: Mapping[str, Any] | None = None) -> list[tuple[int, int]]:
    """Spans of the live verbs of saying or believing in a sentence (see the module notes).

    Parameters
    ----------
    sentence : str
    lex : mapping, optional
        The ``speaker`` section of :func:`analysis.lexicon.stance`.

    Returns
    -------
    list of (int, int)
        Sorted spans of verbs that introduce content (not a relative clause, not at the end).
    """
    lex = lex if lex is not None else lexicon.stance()["speaker"]
    out = []
    for verb in lex["verbs"]:
        for s in _live(sentence, verb, lex["not"].get(verb, ())):
            rest = sentence[s[1]:]
            if rest.startswith("的") or any(sentence[max(0, s[0] - 4) : s[1] + 2].find(r) >= 0 for r in lex["relative"]):
                continue
            m = _END.search(rest)
            clause_rest = rest[: m.start()] if m else rest
            if rest[:1] in ":：" + _OPEN or rest[:2].lstrip(" ")[:1] in _OPEN or len(clause_rest) >= 4 or (
                    m and m.group(0) in ",，" and len(rest) > 6):
                out.append(s)
    return sorted(set(out))


def _own_view(sentence: str, lex: Mapping[str, Any]) -> bool:
    return any(w in sentence for w in lex["own"])


def _endorsed(sentence: str, lex: Mapping[str, Any]) -> bool:
    return any(w in sentence and re.search(re.escape(w) + r".{0,12}所说", sentence) for w in lex["endorse"])


def _attribution(sentence: str, lex: Mapping[str, Any], names: Mapping[str, str]) -> str | None:
    for start, _ in speech_verbs(sentence, lex):
        if sentence[:start].endswith(tuple(lex["back_reference"])):
            continue  # X 这样描述: the attribution of the sentence before
        party = find_party(sentence[:start], lex, names)
        if party is not None and start - party[1] <= 24:
            return party[0]
    for m in re.finditer(r"[:：]", sentence):
        after = sentence[m.end() :].lstrip(" ")
        clause_start = max(sentence.rfind(c, 0, m.start()) for c in ",，;；。") + 1
        close = next((j for j, ch in enumerate(after[1:], 1) if ch in _CLOSE + _OPEN), len(after))
        if after and after[0] in _OPEN + _CLOSE and close >= 8:
            party = find_party(sentence[: m.start()], lex, names)
        elif len(after) >= 4 and clause_start == 0:
            party = find_party(sentence[clause_start : m.start()], lex, names)
        else:
            party = None
        if party is not None:
            return party[0]
    for w in lex["according"]:
        for _, e in _live(sentence, w, lex["not"].get(w, ())):
            window = sentence[e : e + 24]
            at = [window.find(d) for d in lex["disclosed"] if d in window]
            if at:
                party = find_party(window[: min(at)], lex, names)
                if party is not None:
                    return party[0]
    for w in lex["hearsay"]:
        if _live(sentence, w, lex["not"].get(w, ())):
            verbs = "|".join(re.escape(v) for v in lex["verbs"])
            if re.search(re.escape(w) + f".{{0,6}}({verbs})", sentence):
                return "other"
    return None


def _quote_balance(sentence: str) -> int:
    """Opened minus closed quotation marks; a closing mark right after a colon opens."""
    bal = 0
    for i, ch in enumerate(sentence):
        if ch in _OPEN:
            bal += 1
        elif ch in _CLOSE:
            if i > 0 and sentence[i - 1] in ":：" and bal <= 0:
                bal += 1
            else:
                bal -= 1
    return bal


def _wholly_quoted(sentence: str) -> bool:
    s = sentence.strip()
    return len(s) > 2 and s[0] in _OPEN and s.rstrip("。.!！?？")[-1:] in _CLOSE


def attribute(sentences: Sequence[str], lex: Mapping[str, Any] | None = None,
              names: Mapping[str, str] | None = None) -> list[str]:
    """The speaker of each sentence of one article, in order.

    Parameters
    ----------
    sentences : sequence of str
        The article's clean sentences in reading order.
    lex : mapping, optional
        The ``speaker`` section of :func:`analysis.lexicon.stance` (default: the project's).
    names : mapping, optional
        Alias -> person id (default :func:`people`).

    Returns
    -------
    list of str
        ``author`` or ``quoted:<party>`` per sentence.
    """
    lex = lex if lex is not None else lexicon.stance()["speaker"]
    names = names if names is not None else people()
    out: list[str] = []
    open_party: str | None = None
    block: str | None = None  # the party whose words follow a sentence ending in a colon
    for i, sent in enumerate(sentences):
        speaker = AUTHOR
        own, endorsed = _own_view(sent, lex), _endorsed(sent, lex)
        party = None if (own or endorsed) else _attribution(sent, lex, names)
        if party is not None:
            speaker = f"quoted:{party}"
        elif open_party is not None and not own:
            speaker = f"quoted:{open_party}"
        elif block is not None and not own:
            speaker = f"quoted:{block}"
        elif (not own and not endorsed and out and out[-1] != AUTHOR and "我们" in sent
              and open_party is None):
            speaker = out[-1]
        elif _wholly_quoted(sent) and i + 1 < len(sentences):
            nxt = sentences[i + 1]
            back = [s for s, _ in speech_verbs(nxt, lex) if nxt[:s].endswith(tuple(lex["back_reference"]))]
            p = find_party(nxt[: back[0]], lex, names) if back else None
            if p is not None:
                speaker = f"quoted:{p[0]}"
        out.append(speaker)
        tail = sent.rstrip(" ")[-1:]
        nxt_tail = sentences[i + 1].rstrip(" ")[-1:] if i + 1 < len(sentences) else ""
        if tail in ":：":
            found = find_party(sent, lex, names)
            block = found[0] if found is not None else None
        elif block is not None and speaker == f"quoted:{block}" and (tail in ";；" or nxt_tail in ";；"):
            pass  # a relayed list goes on
        else:
            block = None
        bal = _quote_balance(sent)
        if open_party is not None:
            # a continuation closes the quotation when its marks close more than they open
            open_party = None if bal < 0 or (bal == 0 and any(c in sent for c in _CLOSE)) else open_party
        elif bal > 0:
            open_party = speaker.partition(":")[2] if speaker != AUTHOR else None
    return out
