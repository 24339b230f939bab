r"""Claims: every sentence of every article, typed, tagged and traceable.

Each clean article body (:attr:`analysis.corpus.Document.text`) is split into
sentences at ``。！？!?；;`` and at paragraph breaks.  Closing quotes and
brackets stay with the sentence they close, and a short paragraph without a
full stop (a section heading) is a sentence of its own.  Every sentence is
mapped back to the raw file with :meth:`~analysis.corpus.Document.raw_span`,
so that ``raw_text[start:end] == sentence`` holds for every row of
``claims.csv`` (for the Traditional article the quote is Traditional).

A sentence gets one **type** from cue lexicons (``data/lexicon/cues.yaml``),
tried in priority order

.. math::

    \text{recommendation} \succ \text{prediction} \succ \text{causal} \succ \text{fact} \succ \text{other},

where a cue occurrence counts only when it is not inside one of its listed
false cues (要 in 需要, 将 in 将军, 会 in 社会) and, for the future marker 将,
when its clause has no disposal complement (将 X 纳入 Y is 把 X 纳入 Y).
A recommendation cue inside a prohibitive phrase (不应该, 不要, 别) keeps the
type but sets ``polarity = "negative"``; inside a "need not" phrase (不必,
没必要) the cue is switched off.

A sentence is a **fact** (when no higher type applies) on any of four kinds of
evidence, none of them a list of words fitted to the labelled sentences:

* ``figure`` -- a figure found by :func:`analysis.numbers.extract_numbers`
  run on the sentence itself (so a figure means exactly what it means in
  ``numbers.csv``: no dates, durations, versions or the article 一个);
* ``date`` -- a concrete date found by :func:`analysis.dates.find_dates`: a
  calendar year, a month or day, or an offset (4年前, 一个月前).  A bare 今年
  ("this year", with no month or season) does not count: it dates nothing and
  is as common in opinions (今年是移动互联网元年) as in reports;
* ``past`` -- a past event, read off jieba's part-of-speech tags
  (:func:`analysis.segment.get_tokenizer`): a verb followed by the perfective
  particle 了 (内测了, 伸向了; not 为了/除了/了解, which jieba keeps as words),
  or a perfective adverb (``fact.past_markers``: 已经, 曾经...) followed by a
  verb in the same clause (已经决意, 曾经服务);
* ``fact`` -- a reporting or event verb of the lexicon (推出, 宣布, 透露...).

A question (final ``?``, or a final 吗/呢 in a headline) asserts nothing, so
it is never a fact, whatever evidence it carries (这一回...能不能圆了阿里巴巴的
社交梦呢?); the ``question`` key of :func:`cue_hits` records it.

Higher types win: 肯定 in 在微信已经有几亿用户的时候,...肯定走不下去 keeps the
sentence a prediction.  Imports run one way: this module uses
:mod:`analysis.numbers` and :mod:`analysis.dates`, neither of which imports
it (``tests/test_claims.py`` checks).

**Themes** are the ids of the strategy codebook (``strategies.yaml``) whose
seed terms occur in the sentence, and **entities** the products, companies and
people of ``entities.yaml`` that it names.

:func:`make_classifier` is a scikit-learn alternative to the rules: a logistic
regression over the cue counts (:class:`CueFeatures`) and character TF-IDF,
trained on the ``tune`` half of the hand-labelled sample
(``data/lexicon/labels/claims_gold.csv``) and scored on the ``heldout`` half
(:mod:`analysis.evaluate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from analysis import config
from analysis.corpus.ingest import Document
from analysis.extract.dates import find_dates
from analysis.extract.figures import figure_rows
from analysis.extract.ids import claim_id

__all__ = [
    "TYPES",
    "CUES_FILE",
    "ENTITIES_FILE",
    "STRATEGIES_FILE",
    "GOLD_FILE",
    "Sentence",
    "split_sentences",
    "document_sentences",
    "load_cues",
    "load_entities",
    "load_strategies",
    "cue_hits",
    "sentence_figures",
    "concrete_dates",
    "past_events",
    "classify",
    "polarity",
    "criticism_cues",
    "praise_cues",
    "find_entities",
    "find_themes",
    "claims_frame",
    "CueFeatures",
    "make_classifier",
    "load_gold",
]

#: Sentence types, in priority order, then the fallback.
TYPES: tuple[str, ...] = ("recommendation", "prediction", "causal", "fact", "other")

CUES_FILE: Path = config.CUES_FILE
ENTITIES_FILE: Path = config.ENTITIES_FILE
STRATEGIES_FILE: Path = config.STRATEGIES_FILE
GOLD_FILE: Path = config.CLAIMS_GOLD_FILE
GLOSSES_FILE: Path = config.GLOSSES_FILE

CLAIM_COLUMNS = [
    "claim_id", "article_id", "sentence", "start", "end", "type", "themes", "entities",
    "sentence_clean", "clean_start", "clean_end", "heading", "polarity", "cues", "criticism",
]

_TERMINALS = set("。!?;！？；")
_CLOSERS = set("”’」』)）》】\"'")
_CLAUSE_END = re.compile(r"[,，。!?;！？；:：]")
_WORDY = re.compile(r"[\w\u3400-\u9fff]")
_LATIN = re.compile(r"^[A-Za-z0-9+.\- ]+$")
#: A question: a final question mark, or a final 吗/呢 (headlines drop the mark); closing quotes ignored.
_QUESTION = re.compile(r"(?:[?？]|[吗呢])[”’」』)）》】\"'\s]*$")
#: Heading: a lone short paragraph with no sentence-final full stop.
HEADING_MAX_CHARS = 32


# ---------------------------------------------------------------------------
# sentence splitting
# ---------------------------------------------------------------------------
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


def _is_heading(text: str, a: int, b: int) -> bool:
    before = text[max(0, a - 2) : a]
    after = text[b : b + 2]
    lone = (a == 0 or before == "\n\n") and (b == len(text) or after == "\n\n")
    return lone and (b - a) <= HEADING_MAX_CHARS and text[b - 1] not in "。;；:："


def document_sentences(doc: Document) -> list[Sentence]:
    """Split a document into :class:`Sentence` objects with raw spans."""
    out = []
    for n, (a, b) in enumerate(split_sentences(doc.text)):
        ra, rb = doc.raw_span(a, b)
        out.append(
            Sentence(doc.article_id, n, a, b, ra, rb, doc.text[a:b], doc.raw_text[ra:rb], _is_heading(doc.text, a, b))
        )
    return out


# ---------------------------------------------------------------------------
# lexicons
# ---------------------------------------------------------------------------
@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> dict[str, Any]:
    """Read and check the cue lexicons (``cues.yaml``)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key in ("priority", "recommendation", "prediction", "causal", "fact", "criticism", "praise"):
        if key not in data:
            raise ValueError(f"{Path(path).name}: missing section {key!r}")
    if sorted(data["priority"]) != sorted(TYPES[:-1]):
        raise ValueError(f"{Path(path).name}: priority must list {sorted(TYPES[:-1])}, got {data['priority']}")
    if not data["fact"].get("past_markers"):
        raise ValueError(f"{Path(path).name}: fact.past_markers must list the perfective adverbs (已经, 曾经...)")
    return data


def _alias_pattern(alias: str) -> re.Pattern[str]:
    if _LATIN.match(alias):
        return re.compile(r"(?<![A-Za-z])" + re.escape(alias) + r"(?![A-Za-z])", re.I)
    return re.compile(re.escape(alias))


@lru_cache(maxsize=4)
def load_entities(path: Path = ENTITIES_FILE) -> tuple[dict[str, Any], ...]:
    """Read ``entities.yaml``: dicts with ``id, name, kind, aliases, not``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["entities"]
    seen: set[str] = set()
    out = []
    for ent in data:
        if ent["id"] in seen:
            raise ValueError(f"{Path(path).name}: duplicate entity id {ent['id']!r}")
        if ent.get("kind") not in {"product", "company", "person"}:
            raise ValueError(f"{Path(path).name}: entity {ent['id']!r} has kind {ent.get('kind')!r}")
        seen.add(ent["id"])
        out.append({**ent, "not": list(ent.get("not", [])), "_pats": [_alias_pattern(a) for a in ent["aliases"]]})
    return tuple(out)


@lru_cache(maxsize=4)
def load_strategies(path: Path = STRATEGIES_FILE) -> tuple[dict[str, Any], ...]:
    """Read the strategy codebook (``strategies.yaml``)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["strategies"]
    ids = [s["id"] for s in data]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{Path(path).name}: duplicate strategy ids")
    return tuple({**s, "_pats": [_alias_pattern(str(seed)) for seed in s["seeds"]]} for s in data)


# ---------------------------------------------------------------------------
# cue matching
# ---------------------------------------------------------------------------
def _spans(text: str, word: str) -> list[tuple[int, int]]:
    # str.find, not re.finditer(re.escape(...)): same non-overlapping matches, no regex per call
    out, n, i = [], len(word), text.find(word)
    if not n:
        return out
    while i >= 0:
        out.append((i, i + n))
        i = text.find(word, i + n)
    return out


def _inside(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in others)


def _live(text: str, cue: str, false_words: Iterable[str]) -> list[tuple[int, int]]:
    blocked = [s for w in false_words for s in _spans(text, w)]
    return [s for s in _spans(text, cue) if not _inside(s, blocked)]


def _disposal(text: str, end: int, markers: Iterable[str]) -> bool:
    m = _CLAUSE_END.search(text, end)
    clause = text[end : m.start() if m else len(text)]
    return any(mk in clause for mk in markers)


@dataclass(frozen=True)
class _TextDoc:
    """A bare text dressed as a :class:`~analysis.corpus.Document` for :func:`extract_numbers`."""

    text: str
    article_id: str = ""

    @property
    def raw_text(self) -> str:
        return self.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return start, end


def sentence_figures(sentence: str) -> list[str]:
    """The figures of a sentence, as :func:`analysis.numbers.extract_numbers` quotes them.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Returns
    -------
    list of str
        Quotes in text order, hedges included (``超过5亿``).
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    rows = sorted(figure_rows(_TextDoc(sentence)), key=lambda r: (r["start"], r["end"]))
    return [r["quote"] for r in rows]


def concrete_dates(sentence: str) -> list[str]:
    """The concrete dates of a sentence (:func:`analysis.dates.find_dates`).

    Every date mention counts except a bare 今年 (this year with no month
    or season), which dates nothing.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.

    Returns
    -------
    list of str
        The date expressions as written, in text order.
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    return [m.text for m in find_dates(sentence)
            if not (m.relative == "this_year" and m.month is None and not m.qualifier)]


@lru_cache(maxsize=1)
def _pos_tokenizer():
    import jieba.posseg

    from analysis.segment import get_tokenizer

    return jieba.posseg.POSTokenizer(get_tokenizer())


def past_events(sentence: str, markers: Iterable[str] | None = None) -> list[str]:
    """Past-event evidence from part-of-speech tags.

    Two patterns, on jieba's tags (``v*`` verb, ``ul`` the particle 了):

    * verb + perfective 了: ``内测了`` (了 after a non-verb, as in 太晚了,
      and the words 为了, 除了, 了解 do not count);
    * perfective adverb + verb later in the same clause: ``已经…提及``.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    markers : iterable of str, optional
        The perfective adverbs (default: ``fact.past_markers`` of ``cues.yaml``).

    Returns
    -------
    list of str
        One string per event: ``verb了`` or ``marker…verb``, in text order.
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    markers = set(load_cues()["fact"]["past_markers"] if markers is None else markers)
    if "了" not in sentence and not any(m in sentence for m in markers):
        return []  # nothing can match: skip the (slow) part-of-speech tagging
    toks = [(p.word, p.flag) for p in _pos_tokenizer().lcut(sentence)]
    out = []
    for i, (word, flag) in enumerate(toks):
        if word == "了" and flag == "ul" and i and toks[i - 1][1].startswith("v"):
            out.append(toks[i - 1][0] + "了")
        elif word in markers:
            for nxt, nflag in toks[i + 1 :]:
                if _CLAUSE_END.fullmatch(nxt):
                    break
                if nflag.startswith("v"):
                    out.append(f"{word}…{nxt}")
                    break
    return out


def cue_hits(sentence: str, cues: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """Return the live cues of each type found in a sentence.

    Parameters
    ----------
    sentence : str
        A clean Simplified sentence.
    cues : dict, optional
        Lexicons from :func:`load_cues` (default: the project's).

    Returns
    -------
    dict
        Keys ``recommendation``, ``recommendation_negative``, ``prediction``,
        ``prediction_weak`` (not used by :func:`classify`), ``causal``,
        ``fact``, ``figure`` (:func:`sentence_figures`), ``date``
        (:func:`concrete_dates`), ``past`` (:func:`past_events`) and
        ``question`` (the final ``?``/吗/呢 of a question); values are sorted
        lists of the strings that matched (with repeats).
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    cues = cues or load_cues()
    out: dict[str, list[str]] = {k: [] for k in ("recommendation", "recommendation_negative", "prediction",
                                                   "prediction_weak", "causal", "fact", "figure", "date",
                                                   "past", "question")}
    rec = cues["recommendation"]
    neg = rec.get("negation", {})
    prohibit = list(neg.get("prohibit", []))
    flip = list(neg.get("flip", []))
    flip_spans = [s for w in flip for s in _spans(sentence, w)]
    pro_spans = [s for w in prohibit for s in _live(sentence, w, rec.get("false_cues", {}).get(w, []))]
    pro_spans = [s for s in pro_spans if not _inside(s, flip_spans)]
    covered: list[tuple[int, int]] = []
    for cue in rec["cues"]:
        for s in _live(sentence, cue, rec.get("false_cues", {}).get(cue, [])):
            if _inside(s, flip_spans) or _inside(s, covered):
                continue
            covered.append(s)
            if any(a <= s[0] and s[1] <= b for a, b in pro_spans):
                out["recommendation_negative"].append(cue)
            else:
                out["recommendation"].append(cue)
    for s in pro_spans:  # prohibitive phrases that contain no base cue (别, 不要)
        if not any(a >= s[0] and b <= s[1] for a, b in covered):
            out["recommendation_negative"].append(sentence[s[0] : s[1]])
    pred = cues["prediction"]
    markers = pred.get("disposal_markers", [])
    for cue in pred["cues"]:
        for s in _live(sentence, cue, pred.get("false_cues", {}).get(cue, [])):
            if cue.endswith("将") and _disposal(sentence, s[1], markers):
                continue
            out["prediction"].append(cue)
    for cue in pred.get("weak_cues", []):
        out["prediction_weak"].extend(cue for _ in _live(sentence, cue, pred.get("false_cues", {}).get(cue, [])))
    for kind in ("causal", "fact"):
        sec = cues[kind]
        for cue in sec["cues"]:
            out[kind].extend(cue for _ in _live(sentence, cue, sec.get("false_cues", {}).get(cue, [])))
    out["figure"] = sentence_figures(sentence)
    out["date"] = concrete_dates(sentence)
    out["past"] = past_events(sentence, cues["fact"]["past_markers"])
    q = _QUESTION.search(sentence)
    out["question"] = [q.group(0)[0]] if q else []
    return {k: sorted(v) for k, v in out.items()}


def classify(sentence: str, cues: dict[str, Any] | None = None) -> str:
    """Type a sentence by the cue rules.

    Returns
    -------
    str
        One of :data:`TYPES`.
    """
    cues = cues or load_cues()
    return _type_from_hits(cue_hits(sentence, cues), cues)


def _type_from_hits(hits: dict[str, list[str]], cues: dict[str, Any]) -> str:
    for kind in cues["priority"]:
        if kind == "recommendation" and (hits["recommendation"] or hits["recommendation_negative"]):
            return kind
        if kind == "fact":
            if not hits["question"] and (hits["fact"] or hits["figure"] or hits["date"] or hits["past"]):
                return kind
            continue
        if kind not in ("recommendation", "fact") and hits[kind]:
            return kind
    return "other"


def polarity(sentence: str, cues: dict[str, Any] | None = None) -> str:
    """Polarity of a recommendation: ``"positive"``, ``"negative"`` or ``""``.

    Negative when every live recommendation cue sits in a prohibitive phrase
    (不应该, 不要, 别...); empty when there is no recommendation cue.
    """
    return _polarity_from_hits(cue_hits(sentence, cues))


def _polarity_from_hits(hits: dict[str, list[str]]) -> str:
    if hits["recommendation"]:
        return "positive"
    return "negative" if hits["recommendation_negative"] else ""


def _lexicon_hits(sentence: str, words: Iterable[str]) -> list[str]:
    return sorted({w for w in words if w in sentence})


def criticism_cues(sentence: str, cues: dict[str, Any] | None = None) -> list[str]:
    """The criticism cues (失败, 愚蠢, 问题...) that occur in a sentence, sorted."""
    return _lexicon_hits(sentence, (cues or load_cues())["criticism"])


def praise_cues(sentence: str, cues: dict[str, Any] | None = None) -> list[str]:
    """The praise cues (成功, 优势...) that occur in a sentence, sorted."""
    return _lexicon_hits(sentence, (cues or load_cues())["praise"])


def find_entities(sentence: str, entities: Iterable[dict[str, Any]] | None = None) -> list[str]:
    """Return the sorted ids of the entities a sentence names.

    An alias occurrence inside one of the entity's ``not`` words does not
    count (阿里旺旺 names Wangwang, not Alibaba).
    """
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    found = set()
    for ent in entities if entities is not None else load_entities():
        blocked = [s for w in ent["not"] for s in _spans(sentence, w)]
        for pat in ent["_pats"]:
            if any(not _inside((m.start(), m.end()), blocked) for m in pat.finditer(sentence)):
                found.add(ent["id"])
                break
    return sorted(found)


def find_themes(sentence: str, strategies: Iterable[dict[str, Any]] | None = None) -> list[str]:
    """Return the sorted ids of the strategies whose seeds occur in a sentence."""
    if not isinstance(sentence, str):
        raise ValueError(f"sentence must be a str, got {type(sentence).__name__}")
    found = set()
    for strat in strategies if strategies is not None else load_strategies():
        if any(p.search(sentence) for p in strat["_pats"]):
            found.add(strat["id"])
    return sorted(found)


# ---------------------------------------------------------------------------
# the claims table
# ---------------------------------------------------------------------------
def claims_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per sentence: ids, raw span and quote, type, themes, entities.

    Parameters
    ----------
    docs : iterable of Document

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`, sorted by article and sentence number.
    """
    cues = load_cues()
    rows = []
    for doc in sorted(docs, key=lambda d: d.article_id):
        for s in document_sentences(doc):
            hits = cue_hits(s.clean, cues)
            cue_str = ";".join(f"{k}:{'|'.join(v)}" for k, v in sorted(hits.items()) if v)
            rows.append({
                "claim_id": claim_id(s.article_id, s.n),
                "article_id": s.article_id,
                "sentence": s.raw,
                "start": s.raw_start,
                "end": s.raw_end,
                "type": _type_from_hits(hits, cues),
                "themes": ";".join(find_themes(s.clean)),
                "entities": ";".join(find_entities(s.clean)),
                "sentence_clean": s.clean,
                "clean_start": s.clean_start,
                "clean_end": s.clean_end,
                "heading": s.heading,
                "polarity": _polarity_from_hits(hits),
                "cues": cue_str,
                "criticism": ";".join(criticism_cues(s.clean, cues)),
                "_n": s.n,
            })
    df = pd.DataFrame(rows, columns=CLAIM_COLUMNS + ["_n"])
    return df.sort_values(["article_id", "_n"], ignore_index=True).drop(columns="_n")


# ---------------------------------------------------------------------------
# the classifier
# ---------------------------------------------------------------------------
class CueFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: sentences to counts of each cue kind.

    Columns: one per key of :func:`cue_hits`, plus ``heading_like`` (no
    final full stop), ``question`` and ``criticism``.

    Parameters
    ----------
    cues_path : pathlib.Path or None, default None
        Cue lexicon file; ``None`` means the project's ``cues.yaml``.

    Attributes
    ----------
    n_features_out_ : int
    """

    _HITS = ("recommendation", "recommendation_negative", "prediction", "prediction_weak", "causal", "fact",
             "figure", "date", "past")
    _NAMES = _HITS + ("heading_like", "question", "criticism")

    def __init__(self, *, cues_path: Path | None = None) -> None:
        self.cues_path = cues_path

    def fit(self, X: Iterable[str], y=None) -> CueFeatures:
        """Load the lexicons."""
        load_cues(Path(self.cues_path) if self.cues_path else CUES_FILE)
        self.n_features_out_ = len(self._NAMES)
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Return a sparse ``(n_sentences, n_features_out_)`` count matrix."""
        check_is_fitted(self, "n_features_out_")
        cues = load_cues(Path(self.cues_path) if self.cues_path else CUES_FILE)
        rows = []
        for text in X:
            if not isinstance(text, str):
                raise ValueError(f"expected str sentences, got {type(text).__name__}")
            hits = cue_hits(text, cues)
            rows.append([len(hits[k]) for k in self._HITS] + [
                float(text.rstrip()[-1:] not in "。;"), float(text.rstrip()[-1:] in "?？"),
                len(criticism_cues(text, cues)),
            ])
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(-1, len(self._NAMES)))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the cue-count columns."""
        return np.asarray([f"cue_{n}" for n in self._NAMES], dtype=object)


def make_classifier(*, random_state: int = config.SEED, C: float = 1.0):
    """A logistic regression over cue counts and character 1–2-gram TF-IDF.

    Parameters
    ----------
    random_state : int
    C : float
        Inverse regularisation strength.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Takes clean sentences, predicts :data:`TYPES`.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import MaxAbsScaler

    feats = FeatureUnion([
        ("cues", Pipeline([("count", CueFeatures()), ("scale", MaxAbsScaler())])),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
    ])
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=random_state)
    return Pipeline([("features", feats), ("clf", clf)])


def load_gold(path: Path = GOLD_FILE) -> pd.DataFrame:
    """Read the hand-labelled claim types.

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id, article_id, sentence_clean, gold_type, split``.

    Raises
    ------
    ValueError
        On an unknown type or split.
    """
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = sorted(set(gold["gold_type"]) - set(TYPES))
    if bad:
        raise ValueError(f"{Path(path).name}: unknown gold types {bad}; expected {list(TYPES)}")
    bad = sorted(set(gold["split"]) - {"tune", "heldout"})
    if bad:
        raise ValueError(f"{Path(path).name}: unknown splits {bad}; expected tune/heldout")
    return gold


def attach_gold(claims: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Join gold labels onto claims by ``(claim_id, article_id, sentence_clean)``.

    Requiring the text as well as the id means that a label never silently
    moves to another sentence if the splitter renumbers them: labels whose
    sentence changed are dropped (and :func:`analysis.evaluate` reports how
    many labels matched).  Joining on the id too keeps repeated sentences
    (article 004 prints one paragraph twice) apart.
    """
    keys = ["claim_id", "article_id", "sentence_clean"]
    return claims.merge(gold[keys + ["gold_type", "split"]].drop_duplicates(keys), on=keys, how="inner")


# ---------------------------------------------------------------------------
# presentation
# ---------------------------------------------------------------------------
