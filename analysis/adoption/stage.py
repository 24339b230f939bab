"""The ``adopt`` stage: WeChat's Bass fit and forecast, the push grid, cascades and the scenarios.

Time is measured in years since WeChat's launch on 2011-01-21 (Tencent), and each quarterly MAU figure is
placed at the **end** of its quarter (the date Tencent reports it for).  The launch itself is added as the
point ``(0, 0)``.  Only the 2013Q1-2014Q2 series is fitted, so the 2014Q3-2018Q4 forecast is out of sample.

Outputs (all in ``data/processed``, deterministic, written all-or-nothing):

``wechat_forecast.csv``   ``quarter, p05, p50, p95`` -- MAU in millions, 90% bootstrap band
``wechat_fit.csv``        ``parameter, estimate, lo, hi`` -- Bass parameters with 90% intervals
``push_grid.csv``         push size x timing -> Laiwang's share (the phase diagram)
``cascade_comparison.csv`` scattered vs clustered seeding on two graph families
``scenarios.csv``         one row per strategy id
``sensitivity.csv``       one-at-a-time sensitivity of every scenario
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import settings
from .._io import frame_to_csv_text, write_all_or_nothing
from ._bass import BassFit, fit_bass
from ._cascade import (
    block_model,
    clustered_seeds,
    retained_seeds,
    scattered_seeds,
    threshold_cascade,
    watts_strogatz,
)
from ._competition import CompetitionParams, competition_grid
from .scenarios import WECHAT_LAUNCH, build_scenarios, scenario_specs, sensitivity

__all__ = [
    "article_claims",
    "cascade_comparison",
    "chapter_numbers",
    "critical_push",
    "default_bass",
    "fit_wechat",
    "forecast_frame",
    "load_wechat_mau",
    "push_grid",
    "quarter_end_years",
    "run",
    "wechat_base",
]

FORECAST_START, FORECAST_END = "2014Q3", "2018Q4"
N_BOOT = 1000


def quarter_end_years(quarters: list[str] | pd.Series, launch: str = WECHAT_LAUNCH) -> np.ndarray:
    """Years from ``launch`` to the last day of each quarter (``"2013Q1"`` -> 2013-03-31), 365.25-day years."""
    end = pd.PeriodIndex(list(quarters), freq="Q").end_time.normalize()
    return np.asarray((end - pd.Timestamp(launch)).days / 365.25, dtype=float)


def load_wechat_mau(external_dir: Path = settings.EXTERNAL_DIR) -> pd.DataFrame:
    """WeChat's quarterly MAU (millions) with the launch point ``(t=0, mau=0)`` prepended.

    Returns
    -------
    pandas.DataFrame
        ``quarter, t, mau_millions, source``, sorted by ``t``.
    """
    df = pd.read_csv(Path(external_dir) / "wechat_mau_2013_2014.csv")
    if df.empty or df["mau_millions"].isna().any():
        raise ValueError("wechat_mau_2013_2014.csv is empty or has missing values")
    df = df.assign(t=quarter_end_years(df["quarter"]))
    launch = pd.DataFrame([{"quarter": "launch", "mau_millions": 0.0, "t": 0.0,
                            "source": f"WeChat launch {WECHAT_LAUNCH} (Tencent): about zero users"}])
    out = pd.concat([launch, df[["quarter", "mau_millions", "t", "source"]]], ignore_index=True)
    return out.sort_values("t", kind="stable").reset_index(drop=True)[["quarter", "t", "mau_millions", "source"]]


def fit_wechat(external_dir: Path = settings.EXTERNAL_DIR, *, n_boot: int = N_BOOT,
               seed: int = settings.SEED) -> BassFit:
    """Bass fit of WeChat's MAU (the adopter stock) with a residual bootstrap."""
    d = load_wechat_mau(external_dir)
    return fit_bass(d["t"].to_numpy(), d["mau_millions"].to_numpy(), kind="cumulative", n_boot=n_boot, seed=seed)


@lru_cache(maxsize=4)
def _default_bass(external_dir: str) -> tuple[float, float, float]:
    f = fit_wechat(Path(external_dir), n_boot=20, seed=settings.SEED)
    return (f.p, f.q, f.m)


def default_bass(external_dir: Path = settings.EXTERNAL_DIR) -> tuple[float, float, float]:
    """Point estimate ``(p, q, m)`` of WeChat's Bass fit (m in millions of MAU)."""
    return _default_bass(str(external_dir))


def forecast_frame(fit: BassFit, start: str = FORECAST_START, end: str = FORECAST_END,
                   level: float = 0.9) -> pd.DataFrame:
    """Quarterly forecast with a bootstrap band: ``quarter, p05, p50, p95`` (millions, 1 decimal)."""
    quarters = [str(q) for q in pd.period_range(start, end, freq="Q")]
    if not quarters:
        raise ValueError(f"no quarters between {start} and {end}")
    lo, mid, hi = fit.band(quarter_end_years(quarters), level=level)
    lo_name, hi_name = f"p{round(100 * (1 - level) / 2):02d}", f"p{round(100 * (1 + level) / 2):02d}"
    return pd.DataFrame({"quarter": quarters, lo_name: np.round(lo, 1), "p50": np.round(mid, 1),
                         hi_name: np.round(hi, 1)})


def fit_frame(fit: BassFit) -> pd.DataFrame:
    """Point estimates and bootstrap intervals as a tidy frame (rounded)."""
    rows = [("p", fit.p, 4), ("q", fit.q, 4), ("m", fit.m, 1), ("peak_time", fit.peak_time, 3)]
    return pd.DataFrame([{"parameter": k, "estimate": round(v, d), "lo": round(fit.ci[k][0], d),
                          "hi": round(fit.ci[k][1], d)} for k, v, d in rows])


def push_grid(bass: tuple[float, float, float], params: CompetitionParams | None = None) -> pd.DataFrame:
    """The phase diagram: push size (1M-1000M users, log grid) x push start (2011-04 to 2014-07)."""
    sizes = np.round(np.geomspace(1.0, 1000.0, 31), 4)
    timings = np.round(np.linspace(0.25, 3.5, 27), 4)
    g = competition_grid(sizes, timings, bass, params)
    return g.round({"share0": 4, "share": 4, "long_run": 4})


def cascade_comparison(
    *, n: int = 40_000, block_size: int = 50, budgets: tuple[float, ...] = (0.005, 0.01, 0.02, 0.05, 0.1),
    theta: float = 0.35, seed: int = settings.SEED,
) -> pd.DataFrame:
    """Scattered vs clustered seeds of equal budget on a small world and on a block model of organisations.

    Thresholds are heterogeneous, :math:`\\theta_i \\sim N(\\theta, 0.05^2)` clipped to [0.01, 1].  On the
    small world, "clustered" seeds are runs of consecutive ring nodes of ``block_size`` (local groups).

    Returns
    -------
    pandas.DataFrame
        ``graph, seeding, seed_share, n_seeds, final_share, retained_share, rounds``, sorted.
    """
    rng = np.random.default_rng(seed)
    n_blocks = n // block_size
    sbm, block = block_model(np.full(n_blocks, block_size), k_in=8, k_out=4, seed=seed)
    ws = watts_strogatz(n_blocks * block_size, 12, 0.1, seed=seed + 1)
    nn = sbm.shape[0]
    th = np.clip(rng.normal(theta, 0.05, size=nn), 0.01, 1.0)
    rows = []
    for gname, A in (("block model (organisations)", sbm), ("small world", ws)):
        for share in budgets:
            k = int(round(share * nn))
            for how in ("clustered", "scattered"):
                s = clustered_seeds(block, k, seed=seed + 2) if how == "clustered" else scattered_seeds(
                    nn, k, seed=seed + 2)
                res = threshold_cascade(A, s, th)
                kept = retained_seeds(A, res, s, th)
                rows.append({"graph": gname, "seeding": how, "seed_share": share, "n_seeds": k,
                             "final_share": round(res.share, 4),
                             "retained_share": round(kept.size / max(k, 1), 4), "rounds": res.n_rounds})
    return pd.DataFrame(rows).sort_values(["graph", "seeding", "seed_share"], kind="stable").reset_index(drop=True)


def article_claims(numbers: pd.DataFrame | None, claims: pd.DataFrame | None,
                   corpus: pd.DataFrame | None) -> pd.DataFrame:
    """WeChat user figures claimed in the articles, dated for plotting (not fitted).

    Only figures written with digits are kept (not 几亿).  The date is the last ``YYYY年M月`` before the figure
    in the claim sentence that holds it, else the article's date; undated figures are dropped.

    Returns
    -------
    pandas.DataFrame
        ``article_id, quote, unit, millions, date, t, kind`` (``kind``: users or registrations), sorted.
    """
    cols = ["article_id", "quote", "unit", "millions", "date", "t", "kind"]
    if numbers is None or len(numbers) == 0:
        return pd.DataFrame(columns=cols)
    sel = numbers[numbers["subject"].astype(str).str.contains(r"^wechat (?:users|registered)", case=False)
                  & numbers["unit"].isin(["users", "registrations"]) & (numbers["value"] >= 1e8)
                  & numbers["quote"].astype(str).str.contains(r"\d")]
    dates = {} if corpus is None else dict(zip(corpus["article_id"], corpus["date"], strict=False))
    rows = []
    for r in sel.itertuples(index=False):
        date = None
        if claims is not None and len(claims):
            c = claims[(claims["article_id"] == r.article_id) & (claims["start"] <= r.start)
                       & (claims["end"] >= r.end)]
            for sent, c_start in zip(c["sentence"].astype(str), c["start"], strict=True):
                # the last explicit month before the figure, in the same sentence
                found = re.findall(r"(20\d\d)年(\d{1,2})月", sent[: max(int(r.start) - int(c_start), 0)])
                if found:
                    date = pd.Timestamp(int(found[-1][0]), int(found[-1][1]), 15)
        if date is None and isinstance(dates.get(r.article_id), str):
            date = pd.Timestamp(dates[r.article_id])
        if date is None:
            continue
        t = (date - pd.Timestamp(WECHAT_LAUNCH)).days / 365.25
        rows.append({"article_id": r.article_id, "quote": r.quote, "unit": r.unit, "millions": r.value / 1e6,
                     "date": date.strftime("%Y-%m-%d"), "t": round(t, 4), "kind": r.unit})
    return pd.DataFrame(rows, columns=cols).sort_values(["t", "article_id"]).reset_index(drop=True)


def _read_optional(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.exists() else None


def load_inputs(processed_dir: Path = settings.PROCESSED_DIR, external_dir: Path = settings.EXTERNAL_DIR,
                lexicon_dir: Path = settings.LEXICON_DIR) -> dict:
    """numbers.csv, claims.csv, corpus.csv (None if absent), external_metrics.csv and the strategy codebook."""
    with open(Path(lexicon_dir) / "strategies.yaml", encoding="utf-8") as fh:
        codebook = yaml.safe_load(fh)["strategies"]
    return {
        "numbers": _read_optional(Path(processed_dir) / "numbers.csv"),
        "claims": _read_optional(Path(processed_dir) / "claims.csv"),
        "external": _read_optional(Path(external_dir) / "external_metrics.csv"),
        "corpus": _read_optional(Path(processed_dir) / "corpus.csv"),
        "codebook": codebook,
    }


def run(
    processed_dir: Path = settings.PROCESSED_DIR,
    external_dir: Path = settings.EXTERNAL_DIR,
    lexicon_dir: Path = settings.LEXICON_DIR,
) -> tuple[list[Path], str]:
    """Fit, forecast, simulate and write the adoption outputs.

    Returns
    -------
    paths : list of pathlib.Path
        Files written.
    summary : str
        One line, e.g. ``"adopt: forecast 18 quarters, 20 scenarios"``.
    """
    processed_dir = Path(processed_dir)
    inp = load_inputs(processed_dir, external_dir, lexicon_dir)
    fit = fit_wechat(external_dir)
    bass = (fit.p, fit.q, fit.m)
    fc = forecast_frame(fit)
    ids = [c["id"] for c in inp["codebook"]]
    sens = sensitivity(inp["numbers"], bass, external=inp["external"],
                       strategies=sorted(set(ids) & set(scenario_specs(None))))
    scen = build_scenarios(inp["numbers"], inp["claims"], inp["codebook"], bass=bass, external=inp["external"],
                           sens=sens)
    outputs = {
        "wechat_forecast.csv": fc,
        "wechat_fit.csv": fit_frame(fit),
        "push_grid.csv": push_grid(bass),
        "cascade_comparison.csv": cascade_comparison(),
        "scenarios.csv": scen,
        "sensitivity.csv": sens.round({"value": 6, "outcome_value": 4}),
    }
    paths = write_all_or_nothing((processed_dir / name, frame_to_csv_text(df)) for name, df in sorted(outputs.items()))
    return paths, f"adopt: forecast {len(fc)} quarters, {len(scen)} scenarios"


def critical_push(grid: pd.DataFrame, timing: float, *, win: float = 0.5) -> float:
    """Smallest push size in ``grid`` that wins in the long run at the grid timing nearest to ``timing``.

    Returns ``nan`` if no size on the grid wins.
    """
    if grid.empty:
        raise ValueError("grid is empty")
    times = np.sort(grid["timing"].unique())
    t = times[np.argmin(np.abs(times - timing))]
    d = grid[(grid["timing"] == t) & (grid["long_run"] >= win)]
    return float(d["size"].min()) if len(d) else float("nan")


def wechat_base(bass: tuple[float, float, float], t: float) -> float:
    """WeChat's fitted MAU (millions) at ``t`` years after launch."""
    from ._bass import bass_cumulative

    return float(bass_cumulative([t], *bass)[0])


def chapter_numbers(
    fit: BassFit, forecast: pd.DataFrame, grid: pd.DataFrame, cascades: pd.DataFrame, scen: pd.DataFrame,
    sens: pd.DataFrame, numbers: pd.DataFrame | None,
) -> dict[str, float]:
    """Every number the chapter's prose quotes, computed in one place (sorted keys, rounded floats)."""
    from ._competition import equilibria
    from .scenarios import ARTICLE_FIGURES, PUSH_PERIOD, _years_since_launch, lookup_number

    out: dict[str, float] = {"n_boot": float(len(fit.draws))}
    ff = fit_frame(fit).set_index("parameter")
    for k in ("p", "q", "m", "peak_time"):
        out[f"bass_{k}"], out[f"bass_{k}_lo"], out[f"bass_{k}_hi"] = (float(v) for v in ff.loc[k])
    launch = pd.Timestamp(WECHAT_LAUNCH)
    out["peak_year"] = round(launch.year + (launch.dayofyear - 1) / 365.25 + fit.peak_time, 1)
    last = forecast.iloc[-1]
    out.update(fc_p05=float(last["p05"]), fc_p50=float(last["p50"]), fc_p95=float(last["p95"]))
    out["fc_width"] = round(out["fc_p95"] - out["fc_p05"], 1)
    out["fc_width_pct"] = round(100 * out["fc_width"] / out["fc_p50"], 1)
    out["last_mau"] = float(fit.y[-1])
    t_push = _years_since_launch(PUSH_PERIOD)
    figs = {k: lookup_number(numbers, ARTICLE_FIGURES[k])[0] for k in
            ("registrations", "laiwang_dau", "employees", "friends_per_employee", "wechat_users_claim",
             "dingtalk_firms", "wechat_registrations")}
    out["push_seeds_m"] = round(figs["registrations"] / 1e6, 3)
    out["employee_seeds_m"] = round(figs["employees"] * figs["friends_per_employee"] / 1e6, 3)
    out["employees"] = figs["employees"]
    out["friends_per_employee"] = figs["friends_per_employee"]
    out["dau_k"] = figs["laiwang_dau"] / 1e3
    out["dau_pct_of_regs"] = round(100 * figs["laiwang_dau"] / figs["registrations"], 1)
    out["dingtalk_firms_k"] = figs["dingtalk_firms"] / 1e3
    out["wechat_claim_m"] = figs["wechat_users_claim"] / 1e6
    out["wechat_regs_m"] = figs["wechat_registrations"] / 1e6
    out["push_t"] = round(t_push, 4)
    out["push_year"] = round(2011 + 20 / 365.25 + t_push, 2)
    out["wechat_at_push"] = round(wechat_base((fit.p, fit.q, fit.m), t_push), 1)
    out["share0_pct"] = round(100 * out["push_seeds_m"] / (out["wechat_at_push"] + out["push_seeds_m"]), 2)
    out["critical_push_m"] = round(critical_push(grid, t_push), 1)
    out["critical_ratio"] = round(out["critical_push_m"] / out["push_seeds_m"], 1)
    out["critical_push_2011_m"] = round(critical_push(grid, float(grid["timing"].min())), 1)
    eq = equilibria(CompetitionParams())
    out["tipping_pct"] = round(100 * float(eq.loc[~eq["stable"], "share"].iloc[0]), 1)
    out["low_eq_pct"] = round(100 * float(eq["share"].iloc[0]), 2)
    bm = cascades[cascades["graph"].str.startswith("block")]
    for how in ("clustered", "scattered"):
        for share in (0.005, 0.05):
            row = bm[(bm["seeding"] == how) & np.isclose(bm["seed_share"], share)]
            out[f"casc_{how}_{int(share * 1000)}_pct"] = round(100 * float(row["retained_share"].iloc[0]), 1)
    mod = scen[scen["model"] != "none"]
    out["n_scenarios"] = float(len(scen))
    out["n_modelled"] = float(len(mod))
    out["n_fade"] = float((scen["outcome"] == "fade").sum())
    out["n_niche"] = float((scen["outcome"] == "niche").sum())
    out["gbm_months"] = float(scen.loc[scen["strategy_id"] == "prize_promotion", "outcome_value"].iloc[0]) \
        if "prize_promotion" in set(scen["strategy_id"]) else float("nan")
    cp = CompetitionParams()
    out.update(beta=cp.beta, horizon_months=12 * cp.horizon, q_over_p=round(fit.q / fit.p, 1))
    specs = scenario_specs(numbers)
    gb = specs["prize_promotion"].params
    out["gbm_effort_x"] = 1 + gb["intensity"].value
    out["gbm_weeks"] = round(52 * gb["duration"].value, 0)
    out["casc_theta"] = specs["employee_push"].params["theta"].value
    out["casc_budget_pct"] = round(100 * out["employee_seeds_m"] / out["wechat_claim_m"], 2)
    tb = sens[(sens["strategy_id"] == "mobile_first_distribution") & (sens["parameter"] == "beta")]
    if len(tb):
        out["tornado_beta_low"] = float(tb.loc[tb["level"] == "low", "value"].iloc[0])
        out["tornado_beta_low_pct"] = round(100 * float(tb.loc[tb["level"] == "low", "outcome_value"].iloc[0]), 1)
    alt = sens[sens["level"] != "base"]
    out["sens_runs"] = float(len(alt))
    out["sens_same_pct"] = round(100 * float(alt["same_outcome"].mean()), 1)
    return {k: (round(float(v), 4) if isinstance(v, float | int | np.floating) else v) for k, v in sorted(out.items())}
