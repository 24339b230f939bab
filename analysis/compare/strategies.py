"""The strategy comparison: for each strategy, who argues it, what the models say, and what happened.

One row per strategy of the codebook (``data/lexicon/strategies.yaml``), in
codebook order, joining three sources:

* the articles' stances (``strategy_stance``, :mod:`analysis.themes.stance`):
  which articles support, criticise or report the strategy, and the claims
  behind those stances;
* the adoption models' verdicts (``scenarios``, :mod:`analysis.adoption.scenarios`);
* what actually happened (``data/lexicon/outcomes.yaml``,
  :func:`analysis.lexicon.outcomes`), each outcome with its sources: an
  article quote, resolved to the claim that holds it, or a row of
  ``data/external/external_metrics.csv``.

A missing input (a stage not yet run) gives empty columns, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import catalog
from analysis.compare.text import claims_text, in_claim_order
from analysis.extract.ids import split_claim_id

__all__ = ["STRATEGY_COLUMNS", "short_id", "strategy_comparison"]

#: Columns of the strategy comparison.
STRATEGY_COLUMNS: list[str] = catalog.artefact("strategy_comparison").column_names


def short_id(aid: str) -> str:
    """The short form of an article id: its number (``"003"`` for ``"003_b6fd4563f41f705c"``).

    Parameters
    ----------
    aid : str

    Returns
    -------
    str
    """
    return str(aid).split("_")[0]


def _resolve_source(src: dict[str, Any], claims: pd.DataFrame, external: pd.DataFrame | None) -> str:
    if "article" in src:
        texts = claims_text(claims)
        hit = claims[(claims["article_id"] == src["article"]) & texts.str.contains(str(src["quote"]), regex=False)]
        if hit.empty:
            raise ValueError(f"outcome source not found: {src['quote']!r} in article {src['article']}")
        return str(in_claim_order(hit)["claim_id"].iloc[0])
    if "external" in src:
        e = src["external"]
        if external is None or external.empty:
            return f"external:{e.get('entity')}|{e.get('metric')}|{e.get('period')}"
        hit = external[(external["entity"] == e.get("entity")) & (external["metric"] == e.get("metric"))
                       & (external["period"].astype(str) == str(e.get("period")))]
        if hit.empty:
            raise ValueError(f"outcome source not in external_metrics.csv: {e!r}")
        return f"external:{e['entity']}|{e['metric']}|{e['period']}"
    raise ValueError(f"an outcome source needs `article` or `external`, got {src!r}")


def strategy_comparison(strategies: Sequence[dict[str, Any]], stance: pd.DataFrame | None,
                        scenarios: pd.DataFrame | None, outcomes: Sequence[dict[str, Any]],
                        claims: pd.DataFrame, external: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per strategy: who argues it, what the models say, what happened.

    Parameters
    ----------
    strategies : sequence of dict
        The codebook (``id``, ``name``).
    stance : pandas.DataFrame or None
        ``strategy_stance.csv`` (``strategy, article_id, stance, evidence``).
    scenarios : pandas.DataFrame or None
        ``scenarios.csv`` (``strategy_id, model, outcome`` and, if present,
        ``verdict``, a sentence): ``model_outcome`` lists ``model: outcome``
        labels, ``model_verdict`` the verdict sentences (else the labels).
    outcomes : sequence of dict
        :func:`analysis.lexicon.outcomes` output.
    claims : pandas.DataFrame
        ``claims.csv``, to resolve the outcome quotes to claim ids.
    external : pandas.DataFrame, optional
        ``external_metrics.csv``, to check external outcome sources.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STRATEGY_COLUMNS`, in codebook order.  ``supports`` etc.
        list short article ids; empty strings where an input is missing.

    Raises
    ------
    ValueError
        When an outcome names an unknown strategy or an unresolvable source.
    """
    ids = [s["id"] for s in strategies]
    known = {o["strategy"]: o for o in outcomes}
    unknown = sorted(set(known) - set(ids))
    if unknown:
        raise ValueError(f"outcomes.yaml names unknown strategies: {', '.join(unknown)}")
    rows = []
    for s in strategies:
        row: dict[str, Any] = {"strategy_id": s["id"], "strategy": s["name"]}
        st = stance[stance["strategy"] == s["id"]] if stance is not None else pd.DataFrame()
        for key in ("supports", "criticises", "reports"):
            arts = sorted(st.loc[st["stance"] == key, "article_id"]) if len(st) else []
            row[key] = "; ".join(short_id(a) for a in arts)
            row[f"n_{key}"] = len(arts) if stance is not None else pd.NA
        ev = sorted({c for e in (st["evidence"] if len(st) else []) for c in str(e).split(";") if c and c != "nan"},
                    key=split_claim_id)
        row["evidence_claims"] = ";".join(ev)
        sc = scenarios[scenarios["strategy_id"] == s["id"]] if scenarios is not None else pd.DataFrame()
        if len(sc):
            sc = sc.sort_values(["model", "outcome"])
            verdicts = sc["verdict"] if "verdict" in sc.columns else sc["outcome"]
            row["models"] = "; ".join(dict.fromkeys(sc["model"].astype(str)))
            row["model_outcome"] = "; ".join(f"{m}: {o}" for m, o in zip(sc["model"], sc["outcome"], strict=True))
            row["model_verdict"] = "; ".join(f"{m}: {v if str(v).strip() and not pd.isna(v) else o}"
                                             for m, v, o in zip(sc["model"], verdicts, sc["outcome"], strict=True))
        else:
            row["models"], row["model_outcome"], row["model_verdict"] = "", "", ""
        o = known.get(s["id"])
        row["actual_outcome"] = o["outcome"] if o else ""
        row["outcome_sources"] = ";".join(_resolve_source(x, claims, external) for x in o["sources"]) if o else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=STRATEGY_COLUMNS)
