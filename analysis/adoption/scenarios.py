r"""Strategy scenarios: each strategy id of ``data/lexicon/strategies.yaml`` mapped to a model run.

Every strategy that the articles discuss is turned into one model run, whose parameters and their sources
come from :mod:`analysis.adoption.parameters`.  The models are those of this package:

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

:func:`sensitivity` re-runs every scenario with each assumed parameter at the low and the high end of its
range, one at a time; :func:`build_scenarios` hedges each verdict by the share of those runs that keep the
outcome.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import catalog
from analysis.adoption._bass import bass_cumulative, gbm_cumulative, pulse_effort
from analysis.adoption._cascade import clustered_seeds, retained_seeds, scattered_seeds, threshold_cascade
from analysis.adoption._competition import CompetitionParams, classify_share, simulate_shares
from analysis.adoption._graphs import block_model
from analysis.adoption.parameters import Param, Spec, scenario_specs
from analysis.adoption.wechat import default_bass

__all__ = ["SCENARIO_COLUMNS", "SENSITIVITY_COLUMNS", "build_scenarios", "sensitivity"]

SCENARIO_COLUMNS: list[str] = catalog.artefact("scenarios").column_names
SENSITIVITY_COLUMNS: list[str] = catalog.artefact("sensitivity").column_names


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
def _organisations(n_blocks: int, block_size: int, seed: int) -> tuple[sp.csr_array, np.ndarray]:
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

    Raises
    ------
    ValueError
        If ``strategies`` names an unknown or unmodelled strategy.
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
    df = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
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

    Raises
    ------
    ValueError
        If the codebook is empty, an entry lacks an id or ids repeat, or ``claims`` lacks
    ``claim_id``/``themes``.
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
