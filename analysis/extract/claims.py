"""The claims table: every sentence of every article, typed, tagged and traceable.

One row per sentence (:mod:`analysis.extract.sentences`), in article and
sentence order, with

* its id (:func:`analysis.extract.ids.claim_id`) and its exact raw quote and
  span, so that ``raw_text[start:end] == sentence`` holds for every row of
  ``claims.csv`` (for the Traditional article the quote is Traditional);
* its type, polarity and the cues behind them (:mod:`analysis.extract.cues`),
  and the criticism cues it carries;
* its strategy themes and entities (:mod:`analysis.extract.tagging`).

The hand-labelled claim types (``data/lexicon/labels/claims_gold.csv``) join
onto these rows by id *and* text (:func:`attach_gold`), to score the rules and
to train the classifier of :mod:`analysis.extract.classifier`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import lexicon
from analysis.corpus.document import Document
from analysis.extract.classifier import make_classifier  # noqa: F401  (re-export: see the note below)
from analysis.extract.cues import (  # noqa: F401  (TYPES: see the note below)
    TYPES,
    criticism_cues,
    cue_hits,
    polarity_from_hits,
    type_from_hits,
)
from analysis.extract.ids import claim_id
from analysis.extract.sentences import document_sentences
from analysis.extract.tagging import find_entities, find_themes, load_entities, load_strategies

# Note: TYPES and make_classifier stay importable from here because callers outside
# analysis.extract still import them from this module (analysis/checks/evaluation.py,
# book/argue.ipynb, which also uses load_strategies).  Their homes are
# analysis.extract.cues and analysis.extract.classifier; drop the two re-exports once
# those imports have moved.

__all__ = ["CLAIM_COLUMNS", "claims_frame", "load_gold", "attach_gold"]

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

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`, sorted by article and sentence number.
        ``themes``, ``entities`` and ``criticism`` are sorted ``;``-joined
        ids or words; ``cues`` is ``kind:cue|cue;...`` over the non-empty
        keys of :func:`~analysis.extract.cues.cue_hits`.

    Raises
    ------
    analysis.lexicon.LexiconError
        If a lexicon is malformed.
    """
    cues = lexicon.cues()
    entities, strategies = load_entities(), load_strategies()
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
                "type": type_from_hits(hits, cues),
                "themes": ";".join(find_themes(s.clean, strategies)),
                "entities": ";".join(find_entities(s.clean, entities)),
                "sentence_clean": s.clean,
                "clean_start": s.clean_start,
                "clean_end": s.clean_end,
                "heading": s.heading,
                "polarity": polarity_from_hits(hits),
                "cues": cue_str,
                "criticism": ";".join(criticism_cues(s.clean, cues)),
                "_n": s.n,
            })
    df = pd.DataFrame(rows, columns=CLAIM_COLUMNS + ["_n"])
    return df.sort_values(["article_id", "_n"], ignore_index=True).drop(columns="_n")


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
