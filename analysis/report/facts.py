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

import inspect
import json
from typing import Any

import numpy as np
import pandas as pd

from analysis import catalog, lexicon
from analysis.adoption._bass import bass_cumulative
from analysis.adoption._competition import CompetitionParams, classify_share, equilibria
from analysis.adoption.parameters import ARTICLE_FIGURES, PUSH_PERIOD, NumberPattern, lookup_number
from analysis.adoption.runs import critical_push
from analysis.adoption.wechat import N_BOOT, WECHAT_LAUNCH, years_since_launch
from analysis.checks.conflicts import WORDED_DIFFERENTLY
from analysis.checks.external import read_external_metrics
from analysis.checks.intervals import TOLERANCE
from analysis.compare.timeline import date_mentions
from analysis.extract.ids import source_href, split_claim_id
from analysis.report.adoption import wechat_mau
from analysis.report.argue import codebook_matrix, pooled_split
from analysis.report.compare import decimal_year, feature_columns, passing_products
from analysis.report.display import Markdown
from analysis.report.escape import md_escape
from analysis.report.glossary import glossary_table
from analysis.report.overview import format_date, written_range
from analysis.report.quotes import figure_en, sentence_en, short_id, strategy_name
from analysis.themes.stability import DROP_FRACTION, stability_score

__all__ = [
    "PUSH_STRATEGIES",
    "model_coverage",
    "answer_facts",
    "intro_facts",
    "corpus_facts",
    "argue_facts",
    "adoption_facts",
    "adoption_words",
    "BASELINE_PUSH",
    "products_facts",
    "timeline_facts",
    "conclusions_facts",
    "dingtalk_facts",
    "trust_facts",
    "glossary_facts",
]


def _load(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    return catalog.load(name) if frame is None else frame


def _rounded(out: dict[str, Any], digits: int = 4) -> dict[str, Any]:
    """Sorted keys; numbers as floats rounded to ``digits`` (strings and ints of counts kept)."""
    return {k: (round(float(v), digits) if isinstance(v, float | np.floating) else v) for k, v in sorted(out.items())}


# ---------------------------------------------------------------------------
# the answer (the introduction opens with it)
# ---------------------------------------------------------------------------
#: The 2013 push as the articles argue about it: the employee KPI and the prizes (strategy ids of
#: ``data/lexicon/strategies.yaml``).  The introduction's answer counts how the articles judged them.
PUSH_STRATEGIES: tuple[str, ...] = ("employee_push", "prize_promotion")


def _claim_link(cid: str, prefix: str = "") -> Markdown:
    """A Markdown link ``[003:35](articles/...html#s-...)`` to one sentence (for ``{glue:md}``)."""
    if not cid:
        return Markdown("no source sentence found")
    aid, n = split_claim_id(cid)
    return Markdown(f"[{short_id(aid)}:{n}]({source_href(cid, prefix=prefix)})")


def _figure_claim(numbers: pd.DataFrame | None, claims: pd.DataFrame | None, pattern: NumberPattern) -> str:
    """The sentence that states the article figure :func:`lookup_number` finds, or ``""``."""
    if numbers is None or claims is None:
        return ""
    _, src, found = lookup_number(numbers, pattern)
    if not found:
        return ""
    aid, quote = src.split(" ", 1)[0], src.split('"')[1]  # '<article_id> "<quote>" (<subject>)'
    row = numbers[(numbers["article_id"] == aid) & (numbers["quote"] == quote)].sort_values("start").iloc[0]
    hit = claims[(claims["article_id"] == aid) & (claims["start"] <= row["start"]) & (claims["end"] >= row["end"])]
    return str(hit["claim_id"].iloc[0]) if len(hit) else ""


def _month_of(t: float) -> str:
    """``t`` years after WeChat's launch as a month in words (``April 2011``)."""
    day = pd.Timestamp(WECHAT_LAUNCH) + pd.Timedelta(days=365.25 * float(t))
    return format_date(f"{day.year:04d}-{day.month:02d}")


def _push_stance(stance: pd.DataFrame) -> dict[str, Any]:
    """How the articles judged the push (:data:`PUSH_STRATEGIES`): sentences and articles for and against."""
    st = stance[stance["strategy"].isin(PUSH_STRATEGIES)]
    sup, crit = int(st["n_supports"].sum()), int(st["n_criticises"].sum())
    verdict = "mostly criticised" if crit > sup else "mostly backed" if sup > crit else "were split on"
    first_crit = ""
    for ev, n_crit in zip(st["evidence"], st["n_criticises"], strict=True):
        if n_crit and str(ev):
            first_crit = first_crit or str(ev).split(";")[0]
    return {"push_verdict": verdict, "n_push_sided": f"{sup + crit}", "n_push_crit": f"{crit}",
            "n_push_sup": f"{sup}",
            "n_push_crit_articles": f"{st.loc[st['stance'] == 'criticises', 'article_id'].nunique()}",
            "n_push_sup_articles": f"{st.loc[st['stance'] == 'supports', 'article_id'].nunique()}"}


def _dingtalk_external(metrics: pd.DataFrame | None) -> dict[str, str]:
    """The latest DingTalk organisation count of ``data/external`` (Alibaba's announcements)."""
    if metrics is None:
        return {"dingtalk_ext_m": "", "dingtalk_ext_when": "", "dingtalk_ext_source": ""}
    d = metrics[(metrics["entity"] == "DingTalk") & (metrics["metric"] == "organisations using it")]
    last = d.sort_values("period").iloc[-1]
    return {"dingtalk_ext_m": f"{float(last['value']) / 1e6:g}", "dingtalk_ext_when": format_date(last["period"]),
            "dingtalk_ext_source": str(last["source"])}


def answer_facts(adoption: dict[str, float] | None = None, stance: pd.DataFrame | None = None,
                 numbers: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
                 grid: pd.DataFrame | None = None, scen: pd.DataFrame | None = None,
                 metrics: pd.DataFrame | None = None) -> dict[str, Any]:
    """The five-line answer that opens the book: why Laiwang lost, and whether it could have won.

    Every value is read from the artefacts: the adoption chapter's numbers
    (:func:`adoption_facts`), the stance of the articles on the push
    (:data:`PUSH_STRATEGIES`), the sentences that state the figures, and
    Alibaba's later DingTalk figures (``data/external``).

    Parameters
    ----------
    adoption : dict, optional
        :func:`adoption_facts` output.
    stance, numbers, claims, grid, scen : pandas.DataFrame, optional
        The ``strategy_stance``, ``numbers``, ``claims``, ``push_grid`` and ``scenarios`` artefacts.
    metrics : pandas.DataFrame, optional
        :func:`analysis.checks.external.read_external_metrics` output.

    Returns
    -------
    dict
        Formatted strings (``critical_ratio`` ``"24"``...) and, under ``src_*``, Markdown links to
        the sentences that state the article figures (glue them and show them with ``{glue:md}``).
    """
    numbers = catalog.load_optional("numbers") if numbers is None else numbers
    claims = catalog.load_optional("claims") if claims is None else claims
    grid = _load(grid, "push_grid")
    a = adoption_facts(grid=grid, numbers=numbers) if adoption is None else adoption
    out: dict[str, Any] = {
        "push_when": format_date(PUSH_PERIOD), "early_when": _month_of(float(grid["timing"].min())),
        "wechat_at_push": f"{a['wechat_at_push']:.0f}", "critical_push_m": f"{a['critical_push_m']:.0f}",
        "critical_ratio": f"{a['critical_ratio']:.0f}", "push_seeds_m": f"{a['push_seeds_m']:.0f}",
        "critical_push_2011_m": f"{a['critical_push_2011_m']:.0f}",
        "dau_k": f"{a['dau_k']:.0f}", "dau_pct_of_regs": f"{a['dau_pct_of_regs']:.0f}",
        "casc_budget_pct": f"{a['casc_budget_pct']:.1f}",
        "casc_scattered_words": ("almost none (under 0.1%)" if a["casc_scattered_5_pct"] < 0.1
                                 else f"{a['casc_scattered_5_pct']:.1f}%"),
        "casc_clustered_pct": f"{a['casc_clustered_5_pct']:.0f}",
        "dingtalk_firms_k": f"{a['dingtalk_firms_k']:.0f}",
        "src_regs": _claim_link(_figure_claim(numbers, claims, ARTICLE_FIGURES["registrations"])),
        "src_dau": _claim_link(_figure_claim(numbers, claims, ARTICLE_FIGURES["laiwang_dau"])),
        "src_dingtalk": _claim_link(_figure_claim(numbers, claims, ARTICLE_FIGURES["dingtalk_firms"])),
    }
    enough = a["push_seeds_m"] >= a["critical_push_2011_m"]
    out |= {"early_headline": "Earlier, it could have won." if enough else "Even earlier, it would have needed more.",
            "early_enough": "would have been enough" if enough else "would still have fallen short"}
    out |= _push_stance(_load(stance, "strategy_stance"))
    out |= _dingtalk_external(read_external_metrics() if metrics is None else metrics)
    cov = model_coverage(catalog.load_optional("scenarios") if scen is None else scen)
    out |= {k: f"{v}" for k, v in cov.items()}
    out["head_on"] = ("No head-on strategy that the articles propose closes a gap of that size" if cov["n_win"] == 0
                      else f"{cov['n_win']} of the strategies the articles propose would win in the model")
    return dict(sorted(out.items()))


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
        as strings with thousands separators; ``n_articles``, ``n_front_dated`` (dated by a
        front matter), ``n_reposted`` (with a known repost date) and ``n_dup_articles`` (int), with
        ``dup_articles`` (``"000 and 001"``); and
        ``written_first``, ``written_last``: the range of the articles'
        *written* dates (:func:`analysis.report.overview.written_range`), in words.
    """
    corpus = _load(corpus, "corpus")
    first, last = written_range(article_ids=corpus["article_id"])
    notes = lexicon.articles()
    dup = [short_id(a) for a, n in zip(corpus["article_id"], corpus["removed_duplicates"], strict=True) if n > 0]
    return {
        "n_articles": len(corpus),
        "n_front_dated": int(((corpus["removed_front_matter"] > 0) & (corpus["date"].astype(str) != "")).sum()),
        "n_reposted": sum(bool(notes.get(a, {}).get("dates", {}).get("reposted", {}).get("date"))
                          for a in corpus["article_id"]),
        "n_dup_articles": len(dup),
        "dup_articles": " and ".join([", ".join(dup[:-1]), dup[-1]] if len(dup) > 1 else dup),
        "written_first": first or "an unknown date",
        "written_last": last or "an unknown date",
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
    notes = lexicon.articles()

    def title(aid: str) -> str:
        return notes.get(aid, {}).get("title_en") or "untitled"

    return {"n_strategies": f"{stance['strategy'].nunique()}",
            "top_supporter": str(sup.idxmax())[:3], "top_supporter_n": f"{int(sup.max())}",
            "top_supporter_title": title(str(sup.idxmax())),
            "top_critic": str(crit.idxmax())[:3], "top_critic_n": f"{int(crit.max())}",
            "top_critic_title": title(str(crit.idxmax()))}


def _stability_facts(stability: pd.DataFrame, codebook: pd.DataFrame, stance: pd.DataFrame,
                     match: float = 0.3) -> dict[str, str]:

    by_kind = stability.groupby("kind")["cosine"].mean().round(3)
    best = codebook_matrix(codebook, stance).max(axis=1)
    return {"stability": f"{stability_score(stability):.2f}", "match": f"{match:g}",
            "drop_pct": f"{100 * DROP_FRACTION:.0f}%",
            "stab_drop": f"{by_kind['drop']:.2f}", "stab_seed": f"{by_kind['seed']:.2f}",
            "n_runs": f"{stability.groupby('kind')['run'].nunique().iloc[0]}",
            "n_matched": f"{int((best >= match).sum())}", "n_unmatched": f"{int((best < match).sum())}",
            "unmatched": "; ".join(strategy_name(s) for s in best[best < match].index)}


def _evaluation_facts(evaluation: pd.DataFrame) -> dict[str, str]:
    ct = evaluation[(evaluation["task"] == "claim_type") & (evaluation["split"] == pooled_split(evaluation))]
    acc = ct[ct["metric"] == "accuracy"].set_index("method")["value"]
    return {f"acc_{m}": f"{float(acc[k]):.2f}" if k in acc else "not available"
            for m, k in (("rules", "rules"), ("clf", "classifier"), ("final", "final"))} | {
            "n_heldout": f"{int(ct.loc[ct['metric'] == 'accuracy', 'n'].iloc[0])}"}


def _side_en(row: pd.Series, side: str) -> str:
    """One figure of a conflict pair in English: the article's reading of its quote, or the external source."""
    value, unit = row[f"value_{side}"], row[f"unit_{side}"]
    if str(row[f"article_{side}"]).startswith("ext"):
        return f"{figure_en(value, unit)} ({row[f'source_{side}']})"
    return f"{figure_en(value, unit, row[f'hedge_{side}'], str(row[f'quote_{side}']))} (article {short_id(row[f'article_{side}'])})"


def _wordings(pairs: pd.DataFrame) -> tuple[str, str]:
    """The label and the distinct wordings of the first quantity whose figures agree in different words."""
    if pairs.empty:
        return "", ""
    first = pairs[pairs["quantity"] == pairs["quantity"].iloc[0]]
    seen: dict[tuple[str, str], str] = {}
    for _, r in first.iterrows():
        for side in ("a", "b"):
            key = (str(r[f"article_{side}"]), str(r[f"quote_{side}"]))
            reading = figure_en(r[f"value_{side}"], r[f"unit_{side}"], r[f"hedge_{side}"], key[1])
            seen.setdefault(key, f'"{reading}" ({key[1]}, article {short_id(key[0])})')
    texts = [seen[k] for k in sorted(seen)]
    return str(first["subject"].iloc[0]), ", ".join(texts[:-1]) + " and " + texts[-1] if len(texts) > 1 else texts[0]


def _conflict_facts(conflicts: pd.DataFrame, match_tolerance: float = TOLERANCE) -> dict[str, str]:
    like = conflicts[conflicts["like_for_like"]]
    note = like["note"].fillna("").astype(str)
    worded = like["agree"] & note.str.startswith(WORDED_DIFFERENTLY)
    worst = like.sort_values(["agree", "ratio"], ascending=[True, False]).iloc[0]
    label, wordings = _wordings(like[like["agree"] & note.str.startswith(WORDED_DIFFERENTLY[0])])
    return {"n_shared": f"{like['quantity'].nunique()}", "n_pairs": f"{len(like)}",
            "n_disagree": f"{int((~like['agree']).sum())}", "n_worded": f"{int(worded.sum())}",
            "n_related": f"{int((~conflicts['like_for_like']).sum())}",
            "tolerance_pct": f"{100 * match_tolerance:.0f}%",
            "worded_label": label, "worded_example": wordings,
            "worst_ratio": f"{worst['ratio']:.0f}", "worst_label": worst["subject"],
            "worst_a_en": _side_en(worst, "a"), "worst_b_en": _side_en(worst, "b")}


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
    out["peak_year"] = round(launch.year + (launch.day_of_year - 1) / 365.25 + out["bass_peak_time"], 1)
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


def model_coverage(scen: pd.DataFrame | None) -> dict[str, int]:
    """How many strategies the adoption models cover: the one count that every chapter glues.

    Parameters
    ----------
    scen : pandas.DataFrame or None
        The ``scenarios`` artefact (one row per strategy; ``None``: not yet written).

    Returns
    -------
    dict of str to int
        ``n_scenarios`` (strategies with a row), ``n_modelled`` (run through a model),
        ``n_unmodelled`` (outside what the models can say), and per outcome ``n_fade``, ``n_niche``,
        ``n_win`` (two-platform competition) and ``n_stick`` (a cascade that keeps its users).
    """
    if scen is None or scen.empty:
        return {"n_scenarios": 0, "n_modelled": 0, "n_unmodelled": 0, "n_fade": 0, "n_niche": 0, "n_win": 0,
                "n_stick": 0}
    modelled = scen["model"].astype(str) != "none"
    return {"n_scenarios": len(scen), "n_modelled": int(modelled.sum()), "n_unmodelled": int((~modelled).sum()),
            "n_fade": int((scen["outcome"] == "fade").sum()), "n_niche": int((scen["outcome"] == "niche").sum()),
            "n_win": int((scen["outcome"] == "win").sum()),
            "n_stick": int(((scen["model"] == "cascade") & (scen["outcome_value"] >= 0.5)).sum())}


def _scenario_facts(scen: pd.DataFrame, sens: pd.DataFrame) -> dict[str, float]:
    out = {k: float(v) for k, v in model_coverage(scen).items()}
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


def _zh_en_md(zh: str, en: str) -> str:
    """A Chinese quote and its English as inline MyST: the spans of :func:`analysis.report.quotes.quote_html`."""
    return (f'<span lang="zh" class="zh-quote">{md_escape(zh)}</span> '
            f'<span class="en">“{md_escape(en)}”</span>')


#: The scenario that carries the push's size and timing through the two-platform model (the tornado's).
BASELINE_PUSH = "mobile_first_distribution"


def adoption_words(scen: pd.DataFrame | None = None, numbers: pd.DataFrame | None = None,
                   claims: pd.DataFrame | None = None, grid: pd.DataFrame | None = None,
                   nums: dict[str, float] | None = None, sens: pd.DataFrame | None = None) -> dict[str, Any]:
    """The adoption chapter's words: dates, names and quotes (the numbers are in :func:`adoption_facts`).

    Parameters
    ----------
    scen, numbers, claims, grid : pandas.DataFrame, optional
        The ``scenarios``, ``numbers``, ``claims`` and ``push_grid`` artefacts.
    nums : dict, optional
        :func:`adoption_facts` output (computed when not given).
    sens : pandas.DataFrame, optional
        The ``sensitivity`` artefact (does any assumption make the baseline push win?).

    Returns
    -------
    dict
        ``push_when`` (``"October 2013"``), ``early_when`` (the earliest push on the grid), ``niche_cut_pct``,
        ``baseline_name`` (the English name of :data:`BASELINE_PUSH`), ``regs_quote`` (Markdown: the
        registrations figure as quoted, in English, and its sentence), ``mobile_quote`` (Markdown: the
        first sentence of article 000 tagged with the baseline strategy, in Chinese and English), and
        ``head_on``, ``early_enough`` and ``push_wins``: verdicts in words.
    """
    scen = _load(scen, "scenarios")
    numbers = catalog.load_optional("numbers") if numbers is None else numbers
    claims = catalog.load_optional("claims") if claims is None else claims
    niche = inspect.signature(classify_share).parameters["niche"].default
    grid = _load(grid, "push_grid")
    nums = adoption_facts(grid=grid, numbers=numbers) if nums is None else nums
    n_win = model_coverage(scen)["n_win"]
    sens = _load(sens, "sensitivity")
    base = sens[sens["strategy_id"] == BASELINE_PUSH]
    wins = int((base["outcome"] == "win").sum())
    out: dict[str, Any] = {"push_when": format_date(PUSH_PERIOD), "niche_cut_pct": f"{100 * niche:g}%",
                           "early_when": _month_of(float(grid["timing"].min())),
                           "early_enough": ("would have been enough" if nums["push_seeds_m"] >= nums["critical_push_2011_m"]
                                            else "would still have fallen short"),
                           "push_wins": ("No assumption within its range makes the push win." if wins == 0 else
                                         f"{wins} of the sensitivity runs make the push win."),
                           "head_on": ("no head-on strategy that the articles propose tips the market" if n_win == 0
                                       else f"{n_win} of the strategies that the articles propose tip the market"),
                           "baseline_name": strategy_name(BASELINE_PUSH)}
    cid = _figure_claim(numbers, claims, ARTICLE_FIGURES["registrations"])
    if cid and numbers is not None:
        _, src, _ = lookup_number(numbers, ARTICLE_FIGURES["registrations"])
        aid, quote = src.split(" ", 1)[0], src.split('"')[1]
        row = numbers[(numbers["article_id"] == aid) & (numbers["quote"] == quote)].iloc[0]
        reading = figure_en(row["value"], row["unit"], row["hedge"], quote)
        out["regs_quote"] = Markdown(f"{_zh_en_md(quote, reading)} ({_claim_link(cid).text})")
    else:
        out["regs_quote"] = Markdown("no source sentence found")
    row = scen.loc[scen["strategy_id"] == BASELINE_PUSH, "evidence_claims"]
    ids = [c for c in str(row.iloc[0] if len(row) else "").split(";") if c.startswith("000_")]
    if ids:
        zh = lexicon.translations(split_claim_id(ids[0])[0])["sentences"].get(ids[0], {}).get("zh", "")
        out["mobile_quote"] = Markdown(f"{_zh_en_md(zh, sentence_en(ids[0]))} ({_claim_link(ids[0]).text})")
    else:
        out["mobile_quote"] = Markdown("(no sentence of article 000 is tagged with this strategy)")
    return out


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
    filled = (m[feats].fillna("").astype(str) != "").sum(axis=1)
    derived = {f for f, _ in feature_columns()} - {f["id"] for f in lexicon.features()["features"]}
    cue_feats = [f for f in feats if f not in derived]
    stance = au[au["overall_stance"].astype(str) != ""]
    passing = passing_products(m)
    return {
        "n_products": len(m),
        "n_products_described": int((filled > 0).sum()),
        "n_products_blank": int((filled == 0).sum()),
        "passing_products": ", ".join(passing[:-1]) + " and " + passing[-1] if len(passing) > 1
        else "".join(passing) or "none",
        "n_features": len(cue_feats),
        "n_features_shown": int((m[cue_feats].fillna("").astype(str) != "").any(axis=0).sum()),
        "features_shown": _features_shown(m, cue_feats),
        "n_filled_cells": int(filled.sum()),
        "n_cell_sources": int(c["claim_id"].nunique()),
        "n_no_cells": int((c["status"] == "no").sum()),
        "n_proposed_cells": int((c["status"] == "proposed").sum()),
        "n_critical_articles": int((stance["overall_stance"] == "critical").sum()),
        "n_supportive_articles": int((stance["overall_stance"] == "supportive").sum()),
        "n_mixed_articles": int((stance["overall_stance"] == "mixed").sum()),
        "n_articles": len(au),
    }


def _features_shown(m: pd.DataFrame, cue_feats: list[str]) -> str:
    shown = int((m[cue_feats].fillna("").astype(str) != "").any(axis=0).sum())
    if shown == len(cue_feats):
        return f"all {shown} features that the lexicon looks for"
    return f"the {shown} features that some product is said to have (of the {len(cue_feats)} the lexicon looks for)"


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
        "first_date": _when(tl, first=True),
        "last_date": _when(tl, first=False),
        "n_external": len(ext),
        "n_external_agree": int((ext["external_agrees"].astype(str).str.lower() == "true").sum()),
        "n_date_mentions": len(mentions),
        "n_unmatched_dates": int(n_unmatched),
        "n_errata": int((tl["erratum"].astype(str) != "").sum()) if "erratum" in tl else 0,
        "erratum_example": _erratum_example(tl),
    }


def _when(tl: pd.DataFrame, first: bool) -> str:
    """The first or the last date of the timeline in words, with its qualifier (``mid 2018``)."""
    if tl.empty:
        return ""
    years = [decimal_year(d, q) for d, q in zip(tl["date"], tl["qualifier"].fillna(""), strict=True)]
    row = tl.iloc[int(np.argmin(years) if first else np.argmax(years))]
    qualifier = str(row["qualifier"] or "") if not pd.isna(row["qualifier"]) else ""
    qualifier = "" if qualifier.startswith("until") else qualifier
    return f"{qualifier} {format_date(str(row['date']))}".strip()


def _erratum_example(tl: pd.DataFrame) -> str:
    """The first corrected event in words: what, as printed, as corrected, and why."""
    fixed = tl[tl["erratum"].fillna("").astype(str) != ""] if "erratum" in tl else tl.iloc[:0]
    if fixed.empty:
        return "No date needs a correction."
    r = fixed.iloc[0]
    printed = str(r["erratum"]).split(",")[0].removeprefix("printed as ")
    reason = str(r["erratum"]).split(": ", 1)[-1]
    return (f"The event \"{r['event']}\" is printed as {format_date(printed)} in article {short_id(r['article_id'])} "
            f"and dated {format_date(str(r['date']))} here. {reason}")


def conclusions_facts(comparison: pd.DataFrame | None = None, scen: pd.DataFrame | None = None) -> dict[str, Any]:
    """Numbers of the conclusions chapter: how the strategies are argued, and the models' coverage.

    The model counts come from :func:`model_coverage`, the same function as the
    adoption chapter's, so the two chapters cannot disagree.

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
    sup, crit = sc["n_supports"], sc["n_criticises"]
    out = {
        "n_strategies": len(sc),
        "n_argued": int(((sup + crit) > 0).sum()),
        "n_more_support": int((sup > crit).sum()),
        "n_more_criticism": int((crit > sup).sum()),
        "n_contested": int(((sup > 0) & (crit > 0)).sum()),
        "n_with_outcome": int((sc["actual_outcome"].astype(str) != "").sum()),
        "scenarios_status": "available" if scen is not None and len(scen) else "not yet available",
    }
    return out | model_coverage(scen)


def dingtalk_facts(timeline: pd.DataFrame | None = None, comparison: pd.DataFrame | None = None,
                   metrics: pd.DataFrame | None = None) -> dict[str, Any]:
    """What the sources say about DingTalk, for the conclusions: launch, team, growth.

    Parameters
    ----------
    timeline, comparison : pandas.DataFrame, optional
        The ``timeline`` and ``strategy_comparison`` artefacts.
    metrics : pandas.DataFrame, optional
        :func:`analysis.checks.external.read_external_metrics` output.

    Returns
    -------
    dict
        ``dingtalk_launch`` (the launch month the articles give, in words), ``dingtalk_series`` (Alibaba's
        organisation counts over time, in words) and ``src_dingtalk_team`` (Markdown: the sentences that
        the enterprise pivot's outcome cites).
    """
    tl = _load(timeline, "timeline")
    sc = _load(comparison, "strategy_comparison")
    metrics = read_external_metrics() if metrics is None else metrics
    launch = tl[(tl["product_id"] == "dingtalk") & (tl["kind"] == "launch")].sort_values("date")
    series = ""
    if metrics is not None:
        d = metrics[(metrics["entity"] == "DingTalk") & (metrics["metric"] == "organisations using it")]
        parts = [f"{float(v) / 1e6:g} million by {format_date(per)}" for v, per in
                 zip(d.sort_values("period")["value"], d.sort_values("period")["period"], strict=True)]
        series = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
    row = sc.loc[sc["strategy_id"] == "enterprise_pivot", "outcome_sources"]
    ids = [c for c in str(row.iloc[0] if len(row) else "").split(";") if c and not c.startswith("external:")]
    links = ", ".join(_claim_link(c).text for c in ids)
    return {"dingtalk_launch": format_date(str(launch["date"].iloc[0])) if len(launch) else "an unknown date",
            "dingtalk_series": series or "no external figure",
            "src_dingtalk_team": Markdown(links or "no source sentence")}


def trust_facts(sens: pd.DataFrame | None = None, evaluation: pd.DataFrame | None = None,
                scen: pd.DataFrame | None = None) -> dict[str, str]:
    """How robust the verdicts are, and how good the sentence typing is, for the conclusions' caveats.

    Parameters
    ----------
    sens, evaluation, scen : pandas.DataFrame, optional
        The ``sensitivity``, ``evaluation`` and ``scenarios`` artefacts.

    Returns
    -------
    dict of str to str
        ``sens_same_pct`` (share of the one-at-a-time runs that keep the outcome), ``n_robust`` (modelled
        strategies whose outcome no run changes), ``beta_low_pct`` (the baseline push's share at the low
        end of β's range), ``acc_rules``, ``acc_clf`` and ``n_heldout`` (the typing's accuracy), and
        ``n_during_push`` of ``n_dated_articles``: the articles written in the year of the push.
    """
    sens, scen = _load(sens, "sensitivity"), _load(scen, "scenarios")
    alt = sens[sens["level"] != "base"]
    robust = alt.groupby("strategy_id")["same_outcome"].all()
    low = sens[(sens["strategy_id"] == BASELINE_PUSH) & (sens["parameter"] == "beta") & (sens["level"] == "low")]
    written = [n.get("dates", {}).get("written", {}).get("date", "") for n in lexicon.articles().values()]
    out = {"n_during_push": f"{sum(w.startswith(PUSH_PERIOD[:4]) for w in written)}",
           "n_dated_articles": f"{sum(bool(w) for w in written)}",
           "sens_same_pct": f"{100 * float(alt['same_outcome'].mean()):.0f}%",
           "n_robust": f"{int(robust.sum())}", "n_modelled": f"{model_coverage(scen)['n_modelled']}",
           "beta_low_pct": f"{100 * float(low['outcome_value'].iloc[0]):.1f}%" if len(low) else "an unknown share"}
    return out | {k: v for k, v in _evaluation_facts(_load(evaluation, "evaluation")).items()
                  if k in ("acc_rules", "acc_clf", "n_heldout")}


def glossary_facts(glossary: pd.DataFrame | None = None) -> dict[str, int]:
    """Numbers of the glossary appendix.

    Parameters
    ----------
    glossary : pandas.DataFrame, optional
        :func:`analysis.report.glossary.glossary_table` output.

    Returns
    -------
    dict
        ``n_terms`` and ``n_unglossed`` (terms with no English, int), and ``unglossed``, the same in
        words.
    """
    if glossary is None:

        glossary = glossary_table()
    n = int((glossary["english"] == "").sum())
    return {"n_terms": len(glossary), "n_unglossed": n,
            "unglossed": "every one of them has an English gloss" if n == 0 else
            f"{n} of them (strategy seed terms) still have no English gloss"}
