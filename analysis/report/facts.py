"""Chapter facts: every number that a chapter's prose quotes, computed in one place for ``glue``.

One function per chapter.  Each takes catalogue frames (or loads them with
:func:`analysis.catalog.load` when they are not given) and returns a dict of
already-rounded values, keyed by the ``glue`` name that the chapter's
Markdown uses; a chapter glues every item::

    for key, value in facts.argue_facts().items():
        glue(key, value, display=False)

Nothing is refitted or resimulated here.  The values are read from the
artefacts, with a few closed-form evaluations at their estimates (WeChat's
Bass curve at the push date, the rest points of the competition model).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from analysis import catalog, lexicon
from analysis.adoption._bass import bass_cumulative
from analysis.adoption._competition import CompetitionParams, equilibria
from analysis.adoption.parameters import ARTICLE_FIGURES, PUSH_PERIOD, lookup_number
from analysis.adoption.runs import critical_push
from analysis.adoption.wechat import N_BOOT, WECHAT_LAUNCH, years_since_launch
from analysis.compare.timeline import date_mentions
from analysis.report.adoption import wechat_mau
from analysis.report.argue import codebook_matrix
from analysis.report.glossary import glossary_table
from analysis.themes.stability import stability_score

__all__ = [
    "intro_facts",
    "corpus_facts",
    "argue_facts",
    "adoption_facts",
    "products_facts",
    "timeline_facts",
    "conclusions_facts",
    "glossary_facts",
]


def _load(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    return catalog.load(name) if frame is None else frame


def _rounded(out: dict[str, Any], digits: int = 4) -> dict[str, Any]:
    """Sorted keys; numbers as floats rounded to ``digits`` (strings and ints of counts kept)."""
    return {k: (round(float(v), digits) if isinstance(v, float | np.floating) else v) for k, v in sorted(out.items())}


# ---------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------
def intro_facts(corpus: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers of the introduction.

    Parameters
    ----------
    corpus : pandas.DataFrame, optional
        The ``corpus`` artefact.

    Returns
    -------
    dict
        ``n_articles`` (int), ``n_chars`` (clean characters, ``"15,759"``) and
        ``n_traditional`` (int).
    """
    corpus = _load(corpus, "corpus")
    return {
        "n_articles": len(corpus),
        "n_chars": f"{int(corpus['n_chars_clean'].sum()):,}",
        "n_traditional": int((corpus["script"] == "Traditional").sum()),
    }


def corpus_facts(corpus: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers of the corpus chapter: characters removed by each cleaning step.

    Parameters
    ----------
    corpus : pandas.DataFrame, optional
        The ``corpus`` artefact.

    Returns
    -------
    dict
        ``dup_chars``, ``boiler_chars``, ``pinyin_chars`` and ``t2s_chars``,
        as strings with thousands separators.
    """
    corpus = _load(corpus, "corpus")
    return {
        "dup_chars": f"{int(corpus['removed_duplicates'].sum()):,}",
        "boiler_chars": f"{int(corpus['removed_boilerplate'].sum()):,}",
        "pinyin_chars": f"{int(corpus['removed_pinyin'].sum()):,}",
        "t2s_chars": f"{int(corpus['t2s_changed'].sum()):,}",
    }


# ---------------------------------------------------------------------------
# what the articles argue
# ---------------------------------------------------------------------------
def _stance_facts(stance: pd.DataFrame) -> dict[str, str]:
    sup = stance[stance["stance"] == "supports"].groupby("article_id").size()
    crit = stance[stance["stance"] == "criticises"].groupby("article_id").size()
    return {"n_strategies": f"{stance['strategy'].nunique()}",
            "top_supporter": str(sup.idxmax())[:3], "top_supporter_n": f"{int(sup.max())}",
            "top_critic": str(crit.idxmax())[:3], "top_critic_n": f"{int(crit.max())}"}


def _stability_facts(stability: pd.DataFrame, codebook: pd.DataFrame, stance: pd.DataFrame,
                     match: float = 0.3) -> dict[str, str]:

    by_kind = stability.groupby("kind")["cosine"].mean().round(3)
    best = codebook_matrix(codebook, stance).max(axis=1)
    return {"stability": f"{stability_score(stability):.2f}",
            "stab_drop": f"{by_kind['drop']:.2f}", "stab_seed": f"{by_kind['seed']:.2f}",
            "n_runs": f"{stability.groupby('kind')['run'].nunique().iloc[0]}",
            "n_matched": f"{int((best >= match).sum())}", "n_unmatched": f"{int((best < match).sum())}",
            "unmatched": ", ".join(best[best < match].index)}


def _evaluation_facts(evaluation: pd.DataFrame) -> dict[str, str]:
    ct = evaluation[evaluation["task"] == "claim_type"]
    acc = ct[ct["metric"] == "accuracy"].set_index("method")["value"]
    return {"acc_rules": f"{acc['rules']:.2f}", "acc_clf": f"{acc['classifier']:.2f}",
            "n_heldout": f"{int(ct.loc[ct['metric'] == 'accuracy', 'n'].iloc[0])}"}


def _conflict_facts(conflicts: pd.DataFrame) -> dict[str, str]:
    like = conflicts[conflicts["like_for_like"]]
    worst = like.sort_values(["agree", "ratio"], ascending=[True, False]).iloc[0]
    dated = worst["date_a"] and worst["date_b"]
    return {"n_shared": f"{like['quantity'].nunique()}", "n_pairs": f"{len(like)}",
            "n_disagree": f"{int((~like['agree']).sum())}",
            "n_related": f"{int((~conflicts['like_for_like']).sum())}",
            "worst_ratio": f"{worst['ratio']:.0f}", "worst_label": worst["subject"],
            "worst_quote_a": worst["quote_a"], "worst_quote_b": worst["quote_b"],
            "worst_dates": f" (dated {worst['date_a']} and {worst['date_b']})" if dated else ""}


def argue_facts(claims: pd.DataFrame | None = None, stance: pd.DataFrame | None = None,
                stability: pd.DataFrame | None = None, codebook: pd.DataFrame | None = None,
                evaluation: pd.DataFrame | None = None, conflicts: pd.DataFrame | None = None) -> dict[str, str]:
    """Numbers of the argue chapter: sentence types, stances, topic stability, coder accuracy, conflicts.

    Parameters
    ----------
    claims, stance, stability, codebook, evaluation, conflicts : pandas.DataFrame, optional
        The ``claims``, ``strategy_stance``, ``theme_stability``,
        ``topic_codebook``, ``evaluation`` and ``fact_conflicts`` artefacts.

    Returns
    -------
    dict of str to str
        Formatted as the prose shows them (``"0.81"``, ``"296"``).
    """
    claims, stance = _load(claims, "claims"), _load(stance, "strategy_stance")
    counts = claims["type"].value_counts()
    out = {"n_sentences": f"{len(claims):,}"}
    out |= {f"n_{t}": f"{int(counts.get(t, 0))}" for t in lexicon.CLAIM_TYPES}
    out |= _stance_facts(stance)
    out |= _stability_facts(_load(stability, "theme_stability"), _load(codebook, "topic_codebook"), stance)
    out |= _evaluation_facts(_load(evaluation, "evaluation"))
    out |= _conflict_facts(_load(conflicts, "fact_conflicts"))
    return out


# ---------------------------------------------------------------------------
# could Laiwang have won?
# ---------------------------------------------------------------------------
def _scenario_params(scen: pd.DataFrame, strategy_id: str) -> dict[str, float]:
    """The ``parameters`` JSON of one scenario."""
    row = scen.loc[scen["strategy_id"] == strategy_id, "parameters"]
    if row.empty:
        raise ValueError(f"scenarios has no row for {strategy_id!r}")
    return json.loads(row.iloc[0])


def _bass_facts(fit: pd.DataFrame, forecast: pd.DataFrame, mau: pd.DataFrame) -> dict[str, float]:

    out: dict[str, float] = {"n_boot": float(N_BOOT)}
    ff = fit.set_index("parameter")
    for k in ("p", "q", "m", "peak_time"):
        out[f"bass_{k}"], out[f"bass_{k}_lo"], out[f"bass_{k}_hi"] = (float(v) for v in ff.loc[k, ["estimate", "lo", "hi"]])
    launch = pd.Timestamp(WECHAT_LAUNCH)
    out["peak_year"] = round(launch.year + (launch.dayofyear - 1) / 365.25 + out["bass_peak_time"], 1)
    out["q_over_p"] = round(out["bass_q"] / out["bass_p"], 1)
    last = forecast.iloc[-1]
    out.update(fc_p05=float(last["p05"]), fc_p50=float(last["p50"]), fc_p95=float(last["p95"]))
    out["fc_width"] = round(out["fc_p95"] - out["fc_p05"], 1)
    out["fc_width_pct"] = round(100 * out["fc_width"] / out["fc_p50"], 1)
    out["last_mau"] = float(mau.sort_values("t")["mau_millions"].iloc[-1])
    return out


def _figure_facts(numbers: pd.DataFrame | None) -> dict[str, float]:

    figs = {k: lookup_number(numbers, ARTICLE_FIGURES[k])[0] for k in
            ("registrations", "laiwang_dau", "employees", "friends_per_employee", "wechat_users_claim",
             "dingtalk_firms", "wechat_registrations")}
    return {
        "push_seeds_m": round(figs["registrations"] / 1e6, 3),
        "employee_seeds_m": round(figs["employees"] * figs["friends_per_employee"] / 1e6, 3),
        "employees": figs["employees"], "friends_per_employee": figs["friends_per_employee"],
        "dau_k": figs["laiwang_dau"] / 1e3,
        "dau_pct_of_regs": round(100 * figs["laiwang_dau"] / figs["registrations"], 1),
        "dingtalk_firms_k": figs["dingtalk_firms"] / 1e3,
        "wechat_claim_m": figs["wechat_users_claim"] / 1e6,
        "wechat_regs_m": figs["wechat_registrations"] / 1e6,
    }


def _push_facts(out: dict[str, float], grid: pd.DataFrame) -> dict[str, float]:

    t_push = years_since_launch(PUSH_PERIOD)
    at_push = float(bass_cumulative([t_push], out["bass_p"], out["bass_q"], out["bass_m"])[0])
    new = {"push_t": round(t_push, 4), "push_year": round(2011 + 20 / 365.25 + t_push, 2),
           "wechat_at_push": round(at_push, 1)}
    new["share0_pct"] = round(100 * out["push_seeds_m"] / (new["wechat_at_push"] + out["push_seeds_m"]), 2)
    new["critical_push_m"] = round(critical_push(grid, t_push), 1)
    new["critical_ratio"] = round(new["critical_push_m"] / out["push_seeds_m"], 1)
    new["critical_push_2011_m"] = round(critical_push(grid, float(grid["timing"].min())), 1)
    cp = CompetitionParams()
    eq = equilibria(cp)
    new["tipping_pct"] = round(100 * float(eq.loc[~eq["stable"], "share"].iloc[0]), 1)
    new["low_eq_pct"] = round(100 * float(eq["share"].iloc[0]), 2)
    new.update(beta=cp.beta, horizon_months=12 * cp.horizon)
    return new


def _cascade_facts(cascades: pd.DataFrame) -> dict[str, float]:
    bm = cascades[cascades["graph"].str.startswith("block")]
    out = {}
    for how in ("clustered", "scattered"):
        for share in (0.005, 0.05):
            row = bm[(bm["seeding"] == how) & np.isclose(bm["seed_share"], share)]
            out[f"casc_{how}_{int(share * 1000)}_pct"] = round(100 * float(row["retained_share"].iloc[0]), 1)
    return out


def _scenario_facts(scen: pd.DataFrame, sens: pd.DataFrame) -> dict[str, float]:
    out = {"n_scenarios": float(len(scen)), "n_modelled": float((scen["model"] != "none").sum()),
           "n_fade": float((scen["outcome"] == "fade").sum()), "n_niche": float((scen["outcome"] == "niche").sum())}
    prize = scen.loc[scen["strategy_id"] == "prize_promotion", "outcome_value"]
    out["gbm_months"] = float(prize.iloc[0]) if len(prize) else float("nan")
    gbm = _scenario_params(scen, "prize_promotion")
    out["gbm_effort_x"] = 1 + gbm["intensity"]
    out["gbm_weeks"] = round(52 * gbm["duration"], 0)
    out["casc_theta"] = float(_scenario_params(scen, "employee_push")["theta"])
    tb = sens[(sens["strategy_id"] == "mobile_first_distribution") & (sens["parameter"] == "beta")]
    if len(tb):
        low = tb[tb["level"] == "low"].iloc[0]
        out["tornado_beta_low"] = float(low["value"])
        out["tornado_beta_low_pct"] = round(100 * float(low["outcome_value"]), 1)
    alt = sens[sens["level"] != "base"]
    out["sens_runs"] = float(len(alt))
    out["sens_same_pct"] = round(100 * float(alt["same_outcome"].mean()), 1)
    return out


def adoption_facts(fit: pd.DataFrame | None = None, forecast: pd.DataFrame | None = None,
                   grid: pd.DataFrame | None = None, cascades: pd.DataFrame | None = None,
                   scen: pd.DataFrame | None = None, sens: pd.DataFrame | None = None,
                   numbers: pd.DataFrame | None = None, mau: pd.DataFrame | None = None) -> dict[str, float]:
    """Every number of the adoption chapter, read from the ``adopt`` stage's artefacts.

    Parameters
    ----------
    fit, forecast, grid, cascades, scen, sens, numbers : pandas.DataFrame, optional
        The ``wechat_fit``, ``wechat_forecast``, ``push_grid``,
        ``cascade_comparison``, ``scenarios``, ``sensitivity`` and ``numbers``
        artefacts.
    mau : pandas.DataFrame, optional
        WeChat's observed MAU (:func:`analysis.report.adoption.wechat_mau`).

    Returns
    -------
    dict of str to float
        Sorted keys, values rounded to 4 decimals (the prose formats them
        further, e.g. ``{glue:text}`bass_q:.2f```).  ``push_t`` and the seed
        sizes also place the actual pushes on the phase diagram.
    """

    numbers = catalog.load_optional("numbers") if numbers is None else numbers
    out = _bass_facts(_load(fit, "wechat_fit"), _load(forecast, "wechat_forecast"),
                      wechat_mau() if mau is None else mau)
    out |= _figure_facts(numbers)
    out |= _push_facts(out, _load(grid, "push_grid"))
    out["casc_budget_pct"] = round(100 * out["employee_seeds_m"] / out["wechat_claim_m"], 2)
    out |= _cascade_facts(_load(cascades, "cascade_comparison"))
    out |= _scenario_facts(_load(scen, "scenarios"), _load(sens, "sensitivity"))
    return _rounded({k: float(v) for k, v in out.items()})


# ---------------------------------------------------------------------------
# the comparison chapters
# ---------------------------------------------------------------------------
def products_facts(features: pd.DataFrame | None = None, cells: pd.DataFrame | None = None,
                   authors: pd.DataFrame | None = None) -> dict[str, int]:
    """Numbers of the products chapter: the feature matrix and the authors' stance balance.

    Parameters
    ----------
    features, cells, authors : pandas.DataFrame, optional
        The ``features``, ``feature_cells`` and ``authors`` artefacts.

    Returns
    -------
    dict of str to int
    """
    m, c, au = _load(features, "features"), _load(cells, "feature_cells"), _load(authors, "authors")
    declared = set(catalog.artefact("features").column_names)
    feats = [f for f in m.columns if f not in declared]
    filled = (m[feats].astype(str) != "").sum(axis=1)
    stance = au[au["overall_stance"].astype(str) != ""]
    return {
        "n_products": len(m),
        "n_products_described": int((filled > 0).sum()),
        "n_products_blank": int((filled == 0).sum()),
        "n_features": len(feats),
        "n_filled_cells": int(filled.sum()),
        "n_cell_sources": int(c["claim_id"].nunique()),
        "n_no_cells": int((c["status"] == "no").sum()),
        "n_proposed_cells": int((c["status"] == "proposed").sum()),
        "n_critical_articles": int((stance["overall_stance"] == "critical").sum()),
        "n_supportive_articles": int((stance["overall_stance"] == "supportive").sum()),
        "n_mixed_articles": int((stance["overall_stance"] == "mixed").sum()),
        "n_articles": len(au),
    }


def timeline_facts(timeline: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
                   corpus: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers of the timeline chapter: events, precision, external checks and unmatched dates.

    The count of date expressions that match no event pattern re-reads the
    dates of the claims (:func:`analysis.compare.timeline.date_mentions`):
    the ``compare`` stage does not write it.

    Parameters
    ----------
    timeline, claims, corpus : pandas.DataFrame, optional
        The ``timeline``, ``claims`` and ``corpus`` artefacts.

    Returns
    -------
    dict
        Counts (int) and the first and last dates (str).
    """

    tl, claims, corpus = _load(timeline, "timeline"), _load(claims, "claims"), _load(corpus, "corpus")
    rel = tl["relative"].astype(str).str.lower() == "true"
    ext = tl[tl["external_source"].astype(str) != ""]
    mentions = date_mentions(claims, corpus)
    matched = set(zip(tl["claim_id"], tl["date_text"], strict=True))
    n_unmatched = sum((c, d) not in matched for c, d in zip(mentions["claim_id"], mentions["date_text"],
                                                          strict=True))
    return {
        "n_events": len(tl),
        "n_event_types": int(tl["event_id"].nunique()),
        "n_dated_articles": int(tl["article_id"].nunique()),
        "n_relative": int(rel.sum()),
        "n_day": int((tl["precision"] == "day").sum()),
        "n_month": int((tl["precision"] == "month").sum()),
        "n_year": int((tl["precision"] == "year").sum()),
        "first_date": str(tl["date"].min()) if len(tl) else "",
        "last_date": str(tl["date"].max()) if len(tl) else "",
        "n_external": len(ext),
        "n_external_agree": int((ext["external_agrees"].astype(str).str.lower() == "true").sum()),
        "n_date_mentions": len(mentions),
        "n_unmatched_dates": int(n_unmatched),
    }


def conclusions_facts(comparison: pd.DataFrame | None = None, scen: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers of the conclusions chapter: how the strategies are argued, and the models' coverage.

    Parameters
    ----------
    comparison : pandas.DataFrame, optional
        The ``strategy_comparison`` artefact.
    scen : pandas.DataFrame, optional
        The ``scenarios`` artefact (``None`` when not yet written: the
        chapter then says the scenarios are not yet available).

    Returns
    -------
    dict
        Counts (int) and ``scenarios_status`` (str).
    """
    sc = _load(comparison, "strategy_comparison")
    scen = catalog.load_optional("scenarios") if scen is None else scen
    if scen is None:
        scen = pd.DataFrame(columns=["strategy_id", "model", "outcome"])
    sup, crit = sc["n_supports"], sc["n_criticises"]
    return {
        "n_strategies": len(sc),
        "n_argued": int(((sup + crit) > 0).sum()),
        "n_more_support": int((sup > crit).sum()),
        "n_more_criticism": int((crit > sup).sum()),
        "n_contested": int(((sup > 0) & (crit > 0)).sum()),
        "n_with_outcome": int((sc["actual_outcome"].astype(str) != "").sum()),
        "n_with_verdict": int((sc["model_verdict"].astype(str) != "").sum()),
        "n_scenarios": len(scen),
        "n_models": int(scen["model"].nunique()) if len(scen) else 0,
        "scenarios_status": "available" if len(scen) else "not yet available",
    }


def glossary_facts(glossary: pd.DataFrame | None = None) -> dict[str, int]:
    """Numbers of the glossary appendix.

    Parameters
    ----------
    glossary : pandas.DataFrame, optional
        :func:`analysis.report.glossary.glossary_table` output.

    Returns
    -------
    dict of str to int
        ``n_terms`` and ``n_unglossed`` (terms with no English).
    """
    if glossary is None:

        glossary = glossary_table()
    return {"n_terms": len(glossary), "n_unglossed": int((glossary["english"] == "").sum())}
