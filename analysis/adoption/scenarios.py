r"""Strategy scenarios: each strategy id of ``data/lexicon/strategies.yaml`` mapped to a model run.

Every strategy that the articles discuss is turned into one model run, whose parameters come from one of
three places, recorded per parameter in ``param_sources``:

* **article** -- a figure found in ``numbers.csv`` by pattern (subject, unit and quote regexes), cited as
  ``article_id "quote"``.  Figures are never typed in: if ``numbers.csv`` is missing or lacks the figure,
  the parameter falls back to an *assumed* value and the source says ``assumed (fallback: ...)``;
* **external** -- a dated figure from ``data/external`` with its source column;
* **assumed** -- a modelling assumption, with the range used in the sensitivity analysis.

The models are those of this package:

``competition``
    the two-platform logit-choice model (:func:`~analysis.adoption.simulate_shares`): a push of ``seeds``
    users at ``t_push`` against WeChat's Bass-fitted base; the outcome is the long-run label (win / niche /
    fade) and ``outcome_value`` Laiwang's share 24 months after the push;
``cascade``
    a threshold cascade on a block model of organisations, with scattered or clustered seeds; the outcome
    is the share of seeded registrations that end as retained users;
``gbm``
    the generalized Bass model with a promotion pulse; the outcome is the number of months by which the
    pulse advances the date at which 90% of the market potential has adopted (the ceiling is unchanged);
``none``
    strategies outside what an adoption model can say (organisation, investment, regulation).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from analysis.adoption._bass import bass_cumulative, gbm_cumulative, pulse_effort
from analysis.adoption._cascade import (
    block_model,
    clustered_seeds,
    retained_seeds,
    scattered_seeds,
    threshold_cascade,
)
from analysis.adoption._competition import CompetitionParams, classify_share, simulate_shares
from analysis.adoption.wechat import default_bass, years_since_launch

__all__ = [
    "NumberPattern",
    "build_scenarios",
    "lookup_number",
    "scenario_specs",
    "sensitivity",
]

SCENARIO_COLUMNS = [
    "strategy_id", "strategy_name", "model", "parameters", "param_sources", "outcome", "outcome_value",
    "long_run_share", "verdict", "evidence_claims",
]
NUMBER_COLUMNS = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]

#: The push as it happened: October 2013 (South China Morning Post, 2013-10-23; external_metrics.csv).
PUSH_PERIOD = "2013-10"


@dataclass(frozen=True)
class NumberPattern:
    """How to find one article figure in ``numbers.csv``.

    Attributes
    ----------
    subject : str
        Regex matched (case-insensitive) against the ``subject`` column.
    units : tuple of str
        Accepted values of ``unit`` (empty: any).
    quote : str
        Regex matched against the ``quote`` column (empty: any).
    fallback : float
        Value used, flagged as assumed, when no row matches.
    """

    subject: str
    units: tuple[str, ...] = ()
    quote: str = ""
    fallback: float = float("nan")


def lookup_number(numbers: pd.DataFrame | None, pattern: NumberPattern) -> tuple[float, str, bool]:
    """Find a figure in ``numbers.csv`` by pattern.

    The first match in (``article_id``, ``start``) order wins, so the lookup is deterministic.

    Parameters
    ----------
    numbers : pandas.DataFrame or None
        Frame with the numbers.csv contract columns.
    pattern : NumberPattern

    Returns
    -------
    value : float
    source : str
        ``'<article_id> "<quote>" (<subject>)'`` or ``'assumed (fallback: ...)'``.
    from_article : bool
    """
    if numbers is None or len(numbers) == 0:
        return pattern.fallback, "assumed (fallback: numbers.csv missing)", False
    missing = [c for c in ("article_id", "quote", "start", "value", "unit", "subject") if c not in numbers]
    if missing:
        raise ValueError(f"numbers frame lacks columns {missing}")
    df = numbers.sort_values(["article_id", "start"], kind="stable")
    mask = df["subject"].astype(str).str.contains(pattern.subject, case=False, regex=True)
    if pattern.units:
        mask &= df["unit"].astype(str).isin(pattern.units)
    if pattern.quote:
        mask &= df["quote"].astype(str).str.contains(pattern.quote, regex=True)
    hit = df[mask & df["value"].notna()]
    if hit.empty:
        return pattern.fallback, f"assumed (fallback: no '{pattern.subject}' figure in numbers.csv)", False
    row = hit.iloc[0]
    return float(row["value"]), f'{row["article_id"]} "{row["quote"]}" ({row["subject"]})', True


# --- the figures the scenarios need -------------------------------------------------------------------
ARTICLE_FIGURES: dict[str, NumberPattern] = {
    "employees": NumberPattern(r"alibaba employees", ("employees", "people"), r"万", 20000),
    "friends_per_employee": NumberPattern(r"laiwang (?:friends|users)", ("friends", "users"), r"100", 100),
    "registrations": NumberPattern(r"laiwang regist", ("registrations",), "", 10_000_000),
    "laiwang_dau": NumberPattern(r"laiwang daily active", ("dau",), r"50万", 500_000),
    "wechat_users_claim": NumberPattern(r"wechat users", ("users",), r"4[亿億]", 400_000_000),
    "wechat_registrations": NumberPattern(r"wechat regist", ("registrations",), "", 600_000_000),
    "dingtalk_firms": NumberPattern(r"dingtalk", ("firms",), "", 300_000),
    "prize_budget": NumberPattern(r"laiwang prize budget", ("CNY",), "", 10_000_000),
    "wangxin_installs": NumberPattern(r"wangxin installs", ("installs",), "", 500_000_000),
    "alibaba_users": NumberPattern(r"alibaba (?:group )?users", ("users",), "", 500_000_000),
}


def _external(external: pd.DataFrame | None, entity: str, metric: str) -> tuple[float, str, str] | None:
    if external is None or len(external) == 0:
        return None
    hit = external[(external["entity"] == entity) & (external["metric"] == metric)]
    if hit.empty:
        return None
    row = hit.sort_values("period").iloc[0]
    return float(row["value"]), str(row["period"]), str(row["source"])


@dataclass(frozen=True)
class Param:
    """One scenario parameter: value, provenance and (for assumptions) a sensitivity range."""

    value: float
    source: str
    low: float | None = None
    high: float | None = None

    @property
    def assumed(self) -> bool:
        return self.source.startswith("assumed")


def _assumed(value: float, low: float, high: float) -> Param:
    return Param(value, f"assumed (range {low:g}-{high:g})", low, high)


def _article(numbers: pd.DataFrame | None, name: str, scale: float = 1.0, rel: float = 0.5) -> Param:
    v, src, ok = lookup_number(numbers, ARTICLE_FIGURES[name])
    v = v * scale
    if ok:
        return Param(v, f"article {src}")
    return Param(v, src, v * (1 - rel), v * (1 + rel))


@dataclass(frozen=True)
class Spec:
    """A scenario before it is run: model, parameters and an outcome note."""

    strategy_id: str
    model: str
    params: dict[str, Param] = field(default_factory=dict)
    note: str = ""


def scenario_specs(
    numbers: pd.DataFrame | None, external: pd.DataFrame | None = None
) -> dict[str, Spec]:
    """The parameters of every modelled strategy, with their sources.

    Parameters
    ----------
    numbers : pandas.DataFrame or None
        ``numbers.csv`` (article figures).
    external : pandas.DataFrame or None
        ``data/external/external_metrics.csv``.

    Returns
    -------
    dict of str to Spec
        Keyed by strategy id; ids not listed here are reported as ``model = "none"``.
    """
    t_push = Param(round(years_since_launch(PUSH_PERIOD), 4),
                   "external: push in 2013-10 (South China Morning Post, 2013-10-23), years since WeChat's launch "
                   "2011-01-21 (Tencent)")
    beta = _assumed(6.0, 3.0, 10.0)
    revise = _assumed(0.5, 0.1, 2.0)
    promo = _assumed(1.0, 0.0, 3.0)
    duration = _assumed(0.25, 0.1, 1.0)
    base = {"t_push": t_push, "beta": beta, "revise": revise, "promo": promo, "duration": duration}
    regs = _article(numbers, "registrations", 1e-6)
    employees = _article(numbers, "employees")
    friends = _article(numbers, "friends_per_employee")
    market = _article(numbers, "wechat_users_claim")
    momo = _external(external, "Momo", "monthly active users")
    niche_w = (Param(round(momo[0] / 438.0e6, 4), f"external: Momo MAU {momo[0] / 1e6:g}M ({momo[1]}, {momo[2]}) "
                     "/ WeChat MAU 438M (2014Q2, Tencent)") if momo else _assumed(0.15, 0.05, 0.3))
    specs = {
        "employee_push": Spec("employee_push", "cascade", {
            "employees": employees, "friends_per_employee": friends, "market_users": market,
            "seeding": Param(0.0, "assumed: scattered (each employee recruits friends across the network)"),
            "theta": _assumed(0.35, 0.25, 0.45)}),
        "enterprise_pivot": Spec("enterprise_pivot", "cascade", {
            "employees": employees, "friends_per_employee": friends, "market_users": market,
            "seeding": Param(1.0, "assumed: clustered (whole organisations at once, same seed budget)"),
            "theta": _assumed(0.35, 0.25, 0.45)}),
        "prize_promotion": Spec("prize_promotion", "gbm", {
            "prize_budget": _article(numbers, "prize_budget"),
            "intensity": _assumed(3.0, 1.0, 6.0), "duration": duration, "t_push": t_push}),
        "mobile_first_distribution": Spec("mobile_first_distribution", "competition",
                                          {**base, "seeds_m": regs}),
        "clone_wechat": Spec("clone_wechat", "competition", {**base, "seeds_m": regs, "delta": Param(
            0.0, "assumed: a clone has no intrinsic advantage")}),
        "acquaintance_positioning": Spec("acquaintance_positioning", "competition", {
            **base, "seeds_m": regs, "revise": _assumed(0.3, 0.1, 1.0)}),
        "contact_migration": Spec("contact_migration", "competition", {
            **base, "seeds_m": regs, "revise": _assumed(1.5, 0.5, 3.0)}),
        "cross_promotion": Spec("cross_promotion", "competition", {
            **base, "alibaba_users_m": _article(numbers, "alibaba_users", 1e-6),
            "conversion": _assumed(0.02, 0.005, 0.1)}),
        "force_wangxin": Spec("force_wangxin", "competition", {
            **base, "wangxin_installs_m": _article(numbers, "wangxin_installs", 1e-6),
            "conversion": _assumed(0.1, 0.02, 0.3)}),
        "novel_social_features": Spec("novel_social_features", "competition", {
            **base, "seeds_m": regs, "promo": _assumed(1.5, 0.5, 3.0), "duration": _assumed(0.5, 0.25, 1.0)}),
        "ux_optimisation": Spec("ux_optimisation", "competition", {
            **base, "seeds_m": regs, "delta": _assumed(0.5, 0.0, 1.5)}),
        "public_accounts_celebrity": Spec("public_accounts_celebrity", "competition", {
            **base, "seeds_m": regs, "delta": _assumed(0.5, 0.0, 1.5)}),
        "differentiation": Spec("differentiation", "competition", {
            **base, "seeds_m": regs, "niche_weight": _assumed(0.15, 0.05, 0.3),
            "niche_delta": _assumed(6.0, 3.0, 8.0)}),
        "ecommerce_networking": Spec("ecommerce_networking", "competition", {
            **base, "seeds_m": regs, "niche_weight": _assumed(0.1, 0.03, 0.25),
            "niche_delta": _assumed(6.0, 3.0, 8.0)}),
        "c2b_relationships": Spec("c2b_relationships", "competition", {
            **base, "seeds_m": regs, "niche_weight": _assumed(0.1, 0.03, 0.25),
            "niche_delta": _assumed(6.0, 3.0, 8.0)}),
        "lbs_nearby": Spec("lbs_nearby", "competition", {
            **base, "seeds_m": regs, "niche_weight": niche_w, "niche_delta": _assumed(4.0, 2.0, 8.0)}),
    }
    return specs


# --- running a spec ----------------------------------------------------------------------------------
def _competition_inputs(params: dict[str, Param]) -> tuple[float, float, CompetitionParams]:
    v = {k: p.value for k, p in params.items()}
    if "seeds_m" in v:
        seeds = v["seeds_m"]
    elif "alibaba_users_m" in v:
        seeds = v["alibaba_users_m"] * v["conversion"]
    else:
        seeds = v["wangxin_installs_m"] * v["conversion"]
    cp = CompetitionParams(
        beta=v["beta"], revise=v["revise"], promo=v["promo"], duration=v["duration"],
        delta=v.get("delta", 0.0), niche_weight=v.get("niche_weight", 0.0), niche_delta=v.get("niche_delta", 2.0),
    )
    return seeds, v["t_push"], cp


def _run_competition(params: dict[str, Param], bass: tuple[float, float, float]) -> tuple[str, float, float]:
    seeds, t0, cp = _competition_inputs(params)
    res = simulate_shares(seeds, t0, bass, cp)
    long_run = float(res["long_run"])
    label = str(classify_share(long_run))
    return label, round(float(res["share"]), 4), round(long_run, 4)


@lru_cache(maxsize=4)
def _organisations(n_blocks: int, block_size: int, seed: int):
    return block_model(np.full(n_blocks, block_size), k_in=8, k_out=4, seed=seed)


def _run_cascade(params: dict[str, Param], *, n_blocks: int = 400, block_size: int = 50,
                 seed: int = 0) -> tuple[str, float, float]:
    v = {k: p.value for k, p in params.items()}
    A, block = _organisations(n_blocks, block_size, seed)
    n = A.shape[0]
    rng = np.random.default_rng(seed + 1)
    theta = np.clip(rng.normal(v["theta"], 0.05, size=n), 0.01, 1.0)
    # the seed budget as a share of the market: employees x friends each / WeChat's claimed users
    k = max(int(round(v["employees"] * v["friends_per_employee"] / v["market_users"] * n)), 1)
    seeds = clustered_seeds(block, k, seed=seed + 2) if v["seeding"] >= 0.5 else scattered_seeds(n, k, seed=seed + 2)
    res = threshold_cascade(A, seeds, theta)
    kept = retained_seeds(A, res, seeds, theta)
    retained = kept.size / max(seeds.size, 1)
    label = "registrations stick" if retained >= 0.5 else "registrations churn"
    return label, round(retained, 4), float("nan")


def _run_gbm(params: dict[str, Param], bass: tuple[float, float, float]) -> tuple[str, float, float]:
    v = {k: p.value for k, p in params.items()}
    p, q, m = bass
    t = np.linspace(0.0, 12.0, 12 * 12 * 4 + 1)
    base = bass_cumulative(t, p, q, m)
    push = gbm_cumulative(t, p, q, m, pulse_effort(t, v["t_push"], v["duration"], v["intensity"]))
    level = 0.9 * m
    months = 12 * (float(np.interp(level, base, t)) - float(np.interp(level, push, t)))
    return "faster, same ceiling", round(months, 2), float("nan")


def _run(spec: Spec, bass: tuple[float, float, float]) -> tuple[str, float, float]:
    if spec.model == "competition":
        return _run_competition(spec.params, bass)
    if spec.model == "cascade":
        return _run_cascade(spec.params)
    if spec.model == "gbm":
        return _run_gbm(spec.params, bass)
    return "not modelled", float("nan"), float("nan")


_VERDICT = {
    "fade": "Fades: the push lands below the critical mass and Laiwang drifts back to a negligible share",
    "niche": "Holds a niche: a segment that prefers Laiwang keeps a stable minority share",
    "win": "Tips the market: the push clears the critical mass",
    "registrations churn": "Registrations churn: scattered recruits rarely have enough friends on the app to stay",
    "registrations stick": "Registrations stick: seeded groups keep each other active",
    "faster, same ceiling": "Buys time, not users: the pulse moves adoption earlier but leaves the ceiling unchanged",
}


def _verdict(label: str, survives: float | None, model: str) -> str:
    if model == "none":
        return "Outside the adoption models; judged on the articles' evidence alone"
    text = _VERDICT.get(label, label)
    if survives is None or math.isnan(survives):
        return text + "."
    if survives >= 0.999:
        hedge = "robust to every assumed parameter tried"
    elif survives >= 0.75:
        hedge = f"holds in {survives:.0%} of the sensitivity runs"
    else:
        hedge = f"fragile: holds in only {survives:.0%} of the sensitivity runs"
    return f"{text} ({hedge})."


def _claims_by_strategy(claims: pd.DataFrame | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if claims is None or len(claims) == 0:
        return out
    if "claim_id" not in claims or "themes" not in claims:
        raise ValueError("claims frame needs columns claim_id and themes")
    for cid, themes in zip(claims["claim_id"].astype(str), claims["themes"].fillna("").astype(str), strict=True):
        for th in (t.strip() for t in themes.split(";")):
            if th:
                out.setdefault(th, []).append(cid)

    def key(c: str) -> tuple[str, int, str]:
        art, _, idx = c.rpartition(":")
        return (art, int(idx), c) if idx.isdigit() else (c, -1, c)

    return {k: sorted(set(v), key=key) for k, v in out.items()}


def _params_json(params: dict[str, Param]) -> str:
    return json.dumps({k: round(p.value, 6) for k, p in sorted(params.items())}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


def _sources_text(params: dict[str, Param]) -> str:
    return "; ".join(f"{k}: {p.source}" for k, p in sorted(params.items()))


def sensitivity(
    numbers: pd.DataFrame | None,
    bass: tuple[float, float, float],
    *,
    external: pd.DataFrame | None = None,
    strategies: list[str] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of every scenario to its assumed parameters.

    Each assumed parameter is set to the low and the high end of its range, all others at their base
    values, and the scenario is re-run.

    Parameters
    ----------
    numbers : pandas.DataFrame or None
    bass : (p, q, m)
        Bass parameters of WeChat's MAU (millions).
    external : pandas.DataFrame or None
    strategies : list of str, optional
        Restrict to these strategy ids.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``strategy_id, parameter, level (low/base/high), value, outcome, outcome_value,
        same_outcome``; sorted by strategy, parameter and level.
    """
    specs = scenario_specs(numbers, external)
    rows = []
    for sid in sorted(specs if strategies is None else strategies):
        if sid not in specs:
            raise ValueError(f"unknown or unmodelled strategy id {sid!r}")
        spec = specs[sid]
        base_label, base_value, _ = _run(spec, bass)
        for name, par in sorted(spec.params.items()):
            if par.low is None or par.high is None:
                continue
            rows.append({"strategy_id": sid, "parameter": name, "level": "base", "value": par.value,
                         "outcome": base_label, "outcome_value": base_value, "same_outcome": True})
            for level, val in (("high", par.high), ("low", par.low)):
                alt = replace(spec, params={**spec.params, name: replace(par, value=val)})
                label, value, _ = _run(alt, bass)
                rows.append({"strategy_id": sid, "parameter": name, "level": level, "value": val,
                             "outcome": label, "outcome_value": value, "same_outcome": label == base_label})
    cols = ["strategy_id", "parameter", "level", "value", "outcome", "outcome_value", "same_outcome"]
    df = pd.DataFrame(rows, columns=cols)
    order = {"low": 0, "base": 1, "high": 2}
    df = df.assign(_o=df["level"].map(order)).sort_values(["strategy_id", "parameter", "_o"], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)


def build_scenarios(
    numbers: pd.DataFrame | None,
    claims: pd.DataFrame | None,
    codebook: list[dict[str, Any]],
    *,
    bass: tuple[float, float, float] | None = None,
    external: pd.DataFrame | None = None,
    sens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per strategy id of the codebook: model, parameters with sources, outcome and evidence.

    Parameters
    ----------
    numbers : pandas.DataFrame or None
        ``numbers.csv`` (columns ``article_id, quote, start, end, value, unit, subject, hedge``).
    claims : pandas.DataFrame or None
        ``claims.csv`` (``claim_id``, ``themes`` as ``;``-joined strategy ids).
    codebook : list of dict
        The ``strategies`` list of ``strategies.yaml`` (each with ``id`` and ``name``).
    bass : (p, q, m), optional
        WeChat's Bass parameters (MAU in millions); default: a point fit of the external series.
    external : pandas.DataFrame or None
        ``external_metrics.csv``.
    sens : pandas.DataFrame, optional
        Output of :func:`sensitivity`, used to hedge the verdicts (computed if omitted).

    Returns
    -------
    pandas.DataFrame
        Columns ``strategy_id, strategy_name, model, parameters, param_sources, outcome, outcome_value,
        long_run_share, verdict, evidence_claims``, sorted by ``strategy_id``.
    """
    if not codebook:
        raise ValueError("codebook is empty")
    ids = [str(c.get("id", "")) for c in codebook]
    if any(not i for i in ids):
        raise ValueError("every codebook entry needs an 'id'")
    if len(set(ids)) != len(ids):
        raise ValueError("strategy ids in the codebook are not unique")
    if bass is None:
        bass = default_bass()
    specs = scenario_specs(numbers, external)
    if sens is None:
        sens = sensitivity(numbers, bass, external=external, strategies=sorted(set(ids) & set(specs)))
    survive = sens[sens["level"] != "base"].groupby("strategy_id")["same_outcome"].mean().to_dict()
    evidence = _claims_by_strategy(claims)
    names = {str(c["id"]): str(c.get("name", "")) for c in codebook}
    rows = []
    for sid in sorted(ids):
        spec = specs.get(sid, Spec(sid, "none"))
        label, value, long_run = _run(spec, bass)
        rows.append({
            "strategy_id": sid,
            "strategy_name": names[sid],
            "model": spec.model,
            "parameters": _params_json(spec.params),
            "param_sources": _sources_text(spec.params),
            "outcome": label,
            "outcome_value": value,
            "long_run_share": long_run,
            "verdict": _verdict(label, survive.get(sid), spec.model),
            "evidence_claims": ";".join(evidence.get(sid, [])),
        })
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)
