"""The claims table: every sentence of every article, typed, tagged and traceable.

One row per sentence (:mod:`analysis.extract.sentences`), in article and
sentence order, with

* its id (:func:`analysis.extract.ids.claim_id`) and its exact raw quote and
  span, so that ``raw_text[start:end] == sentence`` holds for every row of
  ``claims.csv`` (for the Traditional article the quote is Traditional);
* its type, polarity and the cues behind them (:mod:`analysis.extract.cues`),
  and the criticism cues it carries;
* its strategy themes and entities (:mod:`analysis.extract.tagging`).

:func:`claims_frame` types each sentence by the manual's decision order
(:func:`analysis.extract.rules.code_article`).  The ``claims`` stage then
replaces that type with the cross-fitted coder's
(:func:`analysis.extract.classifier.assign_types`): the classifier of
:mod:`analysis.extract.classifier`, trained on the reference coding
(:func:`load_reference`) leave one article out.

The stage computes everything that depends on one article alone once, in the
per-document step (:func:`document_claims`: the rows plus the coder's features
of :func:`analysis.extract.type_features.type_features`), and hands the features
to :func:`~analysis.extract.classifier.assign_types` (:func:`split_features`), so
the parent process only fits the classifier.  This module does not import the
classifier (scikit-learn), so the per-document workers never load it.  The per-document step is pure and depends on the
article's raw file and on ``cues.yaml``, ``entities.yaml``, ``strategies.yaml``,
``numbers.yaml`` and ``userdict.txt`` (jieba's part-of-speech tags).

The labels join onto these rows by id *and* text (:func:`reference_labels`,
:func:`attach_gold`), so that a label never moves to another sentence if the
splitter renumbers them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import lexicon
from analysis.corpus.document import Document
from analysis.extract.cues import (  # noqa: F401  (TYPES: see the note below)
    TYPES,
    criticism_cues,
    cue_hits,
    polarity_from_hits,
)
from analysis.extract.exhaustive import active as _exhaustive
from analysis.extract.ids import claim_id
from analysis.extract.rules import code_article
from analysis.extract.sentences import document_sentences
from analysis.extract.tagging import find_entities, find_themes, load_entities, load_strategies
from analysis.extract.type_features import article_features

# Note: TYPES stays importable from here (analysis.checks.evaluation, tests); its home is
# analysis.extract.cues.

__all__ = ["CLAIM_COLUMNS", "FEATURE_COLUMNS", "claims_frame", "document_claims", "split_features", "load_gold", "attach_gold", "load_reference", "reference_labels"]

#: Columns of ``claims.csv``, in order.
CLAIM_COLUMNS = [
    "claim_id", "article_id", "sentence", "start", "end", "type", "themes", "entities",
    "sentence_clean", "clean_start", "clean_end", "heading", "polarity", "cues", "criticism",
]
#: The columns that tie a gold label to its sentence.
GOLD_KEYS = ["claim_id", "article_id", "sentence_clean"]


def claims_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per sentence: ids, raw span and quote, type, themes, entities.

    Parameters
    ----------
    docs : iterable of analysis.corpus.document.Document
        The cleaned articles.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`, sorted by article and sentence number.
        ``type`` is the rule type (:func:`analysis.extract.rules.code_article`).
        ``themes``, ``entities`` and ``criticism`` are sorted ``;``-joined
        ids or words; ``cues`` is ``kind:cue|cue;...`` over the non-empty
        keys of :func:`~analysis.extract.cues.cue_hits`.

    Raises
    ------
    analysis.lexicon.LexiconError
        If a lexicon is malformed.
    """
    return _claims_rows(docs, with_features=False)


def document_claims(doc: Document) -> pd.DataFrame:
    """:func:`claims_frame` of one article, plus what the cross-fitted coder needs from it.

    The per-document step of the ``claims`` stage: everything that depends on
    one article alone is computed here, once (the rules, the cue hits, the
    part-of-speech tags, the figures), so that :func:`~analysis.extract.classifier.assign_types` does not
    recompute it.

    Parameters
    ----------
    doc : analysis.corpus.document.Document

    Returns
    -------
    pandas.DataFrame
        :data:`CLAIM_COLUMNS` plus :data:`FEATURE_COLUMNS`: ``_rule_reason``
        (the rule that gave ``type``), ``_features`` (the
        :func:`~analysis.extract.classifier.type_features` dict as JSON) and
        ``_author`` (the author name the rules used).

    Raises
    ------
    analysis.lexicon.LexiconError
        If a lexicon is malformed.
    """
    return _claims_rows([doc], with_features=True)


#: The extra columns of :func:`document_claims`.
FEATURE_COLUMNS = ["_rule_reason", "_features", "_author"]


#: Memo of :func:`_sentence_tags` per clean sentence, for one set of lexicon objects.
_MEMO: dict[str, tuple[str, str, str, str, str]] = {}
_MEMO_KEY: list[Any] = [None]


def _sentence_tags(sentence: str, cues: dict[str, Any], entities: Any, strategies: Any
                   ) -> tuple[str, str, str, str, str]:
    """The columns of a claims row that depend on the sentence alone: themes, entities, polarity,
    cues and criticism."""
    hits = cue_hits(sentence, cues)
    return (";".join(find_themes(sentence, strategies)), ";".join(find_entities(sentence, entities)),
            polarity_from_hits(hits), ";".join(f"{k}:{'|'.join(v)}" for k, v in sorted(hits.items()) if v),
            ";".join(criticism_cues(sentence, cues)))


def _claims_rows(docs: Iterable[Document], *, with_features: bool) -> pd.DataFrame:
    cues = lexicon.cues()
    entities, strategies = load_entities(), load_strategies()
    key = (cues, entities, strategies)
    if _MEMO_KEY[0] is None or any(a is not b for a, b in zip(_MEMO_KEY[0], key, strict=True)) \
            or len(_MEMO) >= 20_000:
        _MEMO.clear()
        _MEMO_KEY[0] = key
    memo = _MEMO
    rows = []
    for doc in sorted(docs, key=lambda d: d.article_id):
        sents = document_sentences(doc)
        author = str(doc.meta.get("author") or "")
        texts = [s.clean for s in sents]
        coded = code_article(texts, [s.heading for s in sents], author=author, cues=cues)
        feats = article_features(texts, coded, cues) if with_features else None
        for i, (s, rule) in enumerate(zip(sents, coded, strict=True)):
            local = None if _exhaustive() else memo.get(s.clean)
            if local is None:
                local = _sentence_tags(s.clean, cues, entities, strategies)
                if not _exhaustive():
                    memo[s.clean] = local
            themes, ents, polarity, cue_str, criticism = local
            row = {
                "claim_id": claim_id(s.article_id, s.n),
                "article_id": s.article_id,
                "sentence": s.raw,
                "start": s.raw_start,
                "end": s.raw_end,
                "type": rule.type,
                "themes": themes,
                "entities": ents,
                "sentence_clean": s.clean,
                "clean_start": s.clean_start,
                "clean_end": s.clean_end,
                "heading": s.heading,
                "polarity": polarity,
                "cues": cue_str,
                "criticism": criticism,
                "_n": s.n,
            }
            if feats is not None:
                row |= {"_rule_reason": rule.reason, "_features": json.dumps(feats[i], ensure_ascii=False),
                        "_author": author}
            rows.append(row)
    extra = FEATURE_COLUMNS if with_features else []
    df = pd.DataFrame(rows, columns=CLAIM_COLUMNS + extra + ["_n"])
    return df.sort_values(["article_id", "_n"], ignore_index=True).drop(columns="_n")


def split_features(frame: pd.DataFrame, authors: Mapping[str, str] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Split :func:`document_claims` rows into the claims and the coder's features.

    Parameters
    ----------
    frame : pandas.DataFrame
        Concatenated :func:`document_claims` outputs.
    authors : mapping, optional
        ``{article_id: author}``, as given to :func:`~analysis.extract.classifier.assign_types`.

    Returns
    -------
    claims : pandas.DataFrame
        The :data:`CLAIM_COLUMNS`.
    features : pandas.DataFrame or None
        :func:`~analysis.extract.classifier.type_features` of ``claims`` (same
        rows, same order; each ``features`` dict as its JSON text, which
        :func:`~analysis.extract.classifier.feature_dicts` reads), or ``None`` when an article's rules ran with
        another author name than ``authors`` gives (the features must then
        be recomputed).
    """
    claims = frame[CLAIM_COLUMNS].reset_index(drop=True)
    if not set(FEATURE_COLUMNS) <= set(frame.columns):
        return claims, None
    authors = authors or {}
    used = frame.drop_duplicates("article_id").set_index("article_id")["_author"]
    if any(str(authors.get(aid, "") or "") != str(a) for aid, a in used.items()):
        return claims, None
    feats = pd.DataFrame({
        "claim_id": frame["claim_id"].to_numpy(),
        "article_id": frame["article_id"].to_numpy(),
        "text": frame["sentence_clean"].astype(str).to_numpy(),
        "rule_type": frame["type"].to_numpy(),
        "rule_reason": frame["_rule_reason"].to_numpy(),
        "features": frame["_features"].to_numpy(),  # JSON text: the coder parses only the rows it reads
    })
    return claims, feats


def load_gold(path: Path | None = None) -> pd.DataFrame:
    """The hand-labelled claim types as a frame.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default :data:`analysis.config.CLAIMS_GOLD_FILE`.

    Returns
    -------
    pandas.DataFrame
        The file's columns (``claim_id, article_id, sentence_clean,
        gold_type, split``), all str, in file order.

    Raises
    ------
    analysis.lexicon.LexiconError
        On a missing field, an unknown type or split, or a claim labelled
        twice, naming the line (:func:`analysis.lexicon.claims_gold`).
    """
    rows = lexicon.claims_gold(path)
    return pd.DataFrame(list(rows), columns=list(rows[0]) if rows else list(lexicon.CLAIMS_GOLD_COLUMNS))


def attach_gold(claims: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Join gold labels onto claims by ``(claim_id, article_id, sentence_clean)``.

    Requiring the text as well as the id means that a label never silently
    moves to another sentence if the splitter renumbers them: labels whose
    sentence changed are dropped (and the ``evaluate`` stage reports how many
    labels matched).  Joining on the id too keeps repeated sentences (article
    004 prints one paragraph twice) apart.

    Parameters
    ----------
    claims : pandas.DataFrame
        With the :data:`GOLD_KEYS` columns (``claims.csv``).
    gold : pandas.DataFrame
        :func:`load_gold` output.

    Returns
    -------
    pandas.DataFrame
        The matched claims, with ``gold_type`` and ``split``.
    """
    return claims.merge(gold[GOLD_KEYS + ["gold_type", "split"]].drop_duplicates(GOLD_KEYS), on=GOLD_KEYS,
                        how="inner")


def load_reference(who: str = "reference") -> pd.DataFrame:
    """A coding's sentence labels, with the text of each coded sentence.

    Parameters
    ----------
    who : {"reference", "coder_a", "coder_b"}
        The adjudicated reference (default) or one of the two coders.

    Returns
    -------
    pandas.DataFrame
        ``claim_id, article_id, sentence_clean, type, speaker``, in the order
        of the coding units (``claims_gold.csv``, which holds the text).

    Raises
    ------
    analysis.lexicon.LexiconError
        If a label file is malformed.
    """
    units = pd.DataFrame(list(lexicon.claims_gold()), columns=list(lexicon.CLAIMS_GOLD_COLUMNS))
    coded = pd.DataFrame(list(lexicon.coding(who)["sentences"]))
    if coded.empty:
        return pd.DataFrame(columns=GOLD_KEYS + ["type", "speaker"])
    return units[GOLD_KEYS].merge(coded[["claim_id", "type", "speaker"]], on="claim_id", how="inner")


def reference_labels(claims: pd.DataFrame, reference: pd.DataFrame, column: str = "type") -> pd.Series:
    """The reference label of each claim, joined by id *and* text; missing where there is none.

    Parameters
    ----------
    claims : pandas.DataFrame
        With the :data:`GOLD_KEYS` columns.
    reference : pandas.DataFrame
        :func:`load_reference` output.
    column : str, default "type"

    Returns
    -------
    pandas.Series
        Aligned with ``claims`` (same index); ``None`` for a claim that has no
        label or whose text changed since it was coded.
    """
    ref = reference.drop_duplicates(GOLD_KEYS).set_index(GOLD_KEYS)[column]
    lookup = dict(zip(ref.index, ref.to_numpy(), strict=True))  # a dict: Series.get on a MultiIndex is slow
    keys = zip(*(claims[k].astype(str) for k in GOLD_KEYS), strict=True)
    return pd.Series([lookup.get(k) for k in keys], index=claims.index, dtype=object)
