"""WeChat's adoption curve: the quarterly MAU series, its Bass fit, and the forecast.

Time is measured in years since WeChat's launch on 2011-01-21 (Tencent), and each quarterly MAU figure is
placed at the **end** of its quarter (the date Tencent reports it for).  The launch itself is added as the
point ``(0, 0)``.  Only the 2013Q1-2014Q2 series is fitted, so the 2014Q3-2018Q4 forecast is out of sample.

The series is ``data/external/wechat_mau_2013_2014.csv`` (``quarter, mau_millions, source``), read and
checked by :func:`load_wechat_mau`.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.adoption._bass import BassFit, bass_cumulative, fit_bass
from analysis.adoption.prior import MarketPrior, market_prior

__all__ = [
    "WECHAT_LAUNCH",
    "FORECAST_START",
    "FORECAST_END",
    "N_BOOT",
    "LAST_FITTED_QUARTER",
    "quarter_end_years",
    "years_since_launch",
    "load_wechat_mau",
    "fit_wechat",
    "informed_fit",
    "forecast_sensitivity",
    "prior_frame",
    "default_bass",
    "forecast_frame",
    "fit_frame",
    "wechat_base",
    "article_claims",
]

#: WeChat's launch date (Tencent).
WECHAT_LAUNCH = "2011-01-21"
FORECAST_START, FORECAST_END = "2014Q3", "2018Q4"
#: The last quarter the fit may see: the forecast is made as of mid-2014.
LAST_FITTED_QUARTER = "2014Q2"
N_BOOT = 1000


def years_since_launch(period: str) -> float:
    """Years (365.25 days) from WeChat's launch to the 15th of a month.

    Parameters
    ----------
    period : str
        The month, ``"YYYY-MM"``.

    Returns
    -------
    float
    """
    ts = pd.Period(period, freq="M").start_time + pd.Timedelta(days=14)
    return (ts - pd.Timestamp(WECHAT_LAUNCH)).days / 365.25


def quarter_end_years(quarters: list[str] | pd.Series, launch: str = WECHAT_LAUNCH) -> np.ndarray:
    """Years from ``launch`` to the last day of each quarter (``"2013Q1"`` -> 2013-03-31), 365.25-day years.

    Parameters
    ----------
    quarters : list of str or pandas.Series
        Quarters, ``"YYYYQn"``.
    launch : str
        The origin date.

    Returns
    -------
    ndarray(float, ndim=1)
    """
    end = pd.PeriodIndex(list(quarters), freq="Q").end_time.normalize()
    return np.asarray((end - pd.Timestamp(launch)).days / 365.25, dtype=float)


_QUARTER = re.compile(r"\d{4}Q[1-4]")


def _read_mau(path: Path) -> pd.DataFrame:
    """The rows of the MAU file, checked: a quarter, a non-negative number of millions and a source each."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("quarter", "mau_millions", "source") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}:1: the header lacks the columns {missing}")
        rows = []
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if not _QUARTER.fullmatch(row["quarter"] or ""):
                raise ValueError(f"{where}: quarter {row['quarter']!r} is not YYYYQn")
            try:
                mau = float(row["mau_millions"])
            except (TypeError, ValueError):
                raise ValueError(f"{where}: mau_millions {row['mau_millions']!r} is not a number") from None
            if not mau >= 0:
                raise ValueError(f"{where}: mau_millions must be >= 0, got {mau}")
            if not row["source"]:
                raise ValueError(f"{where}: missing source")
            rows.append({"quarter": row["quarter"], "mau_millions": mau, "source": row["source"]})
    if not rows:
        raise ValueError(f"{path}: no rows")
    return pd.DataFrame(rows)


def load_wechat_mau(path: Path = config.WECHAT_MAU_FILE) -> pd.DataFrame:
    """WeChat's quarterly MAU (millions) with the launch point ``(t=0, mau=0)`` prepended.

    Parameters
    ----------
    path : pathlib.Path
        The CSV file (``quarter, mau_millions, source``).

    Returns
    -------
    pandas.DataFrame
        ``quarter, t, mau_millions, source``, sorted by ``t``.

    Raises
    ------
    ValueError
        If the file has no rows, lacks a column, or has a row with a malformed quarter, a value that
        is not a non-negative number or no source (the message names the file and the line), or a
        quarter after :data:`LAST_FITTED_QUARTER` (no later data may reach the forecast).
    """
    df = _read_mau(Path(path))
    late = [q for q in df["quarter"] if pd.Period(q, freq="Q") > pd.Period(LAST_FITTED_QUARTER, freq="Q")]
    if late:
        raise ValueError(f"{path}: quarter {late[0]} is after {LAST_FITTED_QUARTER}; the forecast may see no data "
                         "after the forecast origin")
    df = df.assign(t=quarter_end_years(df["quarter"]))
    launch = pd.DataFrame([{"quarter": "launch", "mau_millions": 0.0, "t": 0.0,
                            "source": f"WeChat launch {WECHAT_LAUNCH} (Tencent): about zero users"}])
    out = pd.concat([launch, df[["quarter", "mau_millions", "t", "source"]]], ignore_index=True)
    return out.sort_values("t", kind="stable").reset_index(drop=True)[["quarter", "t", "mau_millions", "source"]]


def fit_wechat(path: Path = config.WECHAT_MAU_FILE, *, n_boot: int = N_BOOT,
               seed: int = config.SEED, prior: MarketPrior | None = None) -> BassFit:
    """Bass fit of WeChat's MAU (the adopter stock) with a residual bootstrap.

    Parameters
    ----------
    path : pathlib.Path
        The MAU series (see :func:`load_wechat_mau`).
    n_boot : int
        Bootstrap replicates.
    seed : int
        Random seed.
    prior : MarketPrior, optional
        A log-normal prior on the market potential ``m`` (see :mod:`analysis.adoption.prior`); ``None``
        gives the uninformed least-squares fit.

    Returns
    -------
    BassFit
    """
    d = load_wechat_mau(path)
    m_prior = None if prior is None else (prior.median, prior.log_sd)
    return fit_bass(d["t"].to_numpy(), d["mau_millions"].to_numpy(), kind="cumulative", n_boot=n_boot, seed=seed,
                    m_prior=m_prior)


def informed_fit(path: Path = config.WECHAT_MAU_FILE, *, n_boot: int = N_BOOT, seed: int = config.SEED,
                 prior: MarketPrior | None = None) -> BassFit:
    """The book's fit of WeChat's curve: the MAU series plus the 2014 market-size prior on ``m``.

    Parameters
    ----------
    path : pathlib.Path
        The MAU series.
    n_boot, seed
        As in :func:`fit_wechat`.
    prior : MarketPrior, optional
        Default :func:`analysis.adoption.prior.market_prior` of the 2014 market context.

    Returns
    -------
    BassFit
    """
    return fit_wechat(path, n_boot=n_boot, seed=seed, prior=prior or market_prior())


def forecast_sensitivity(path: Path = config.WECHAT_MAU_FILE, *, centres: tuple[float, ...] = (0.75, 1.0, 1.25),
                         widths: tuple[float, ...] = (0.5, 1.0, 2.0), quarter: str = FORECAST_END,
                         n_boot: int = 200, seed: int = config.SEED) -> pd.DataFrame:
    """How the forecast for ``quarter`` moves with the prior's centre and width.

    Parameters
    ----------
    path : pathlib.Path
        The MAU series.
    centres, widths : tuple of float
        Multipliers of the prior's median and of its log-sd.
    quarter : str
        The forecast quarter reported.
    n_boot, seed
        Bootstrap of each refit.

    Returns
    -------
    pandas.DataFrame
        ``centre, width, prior_median, prior_log_sd, m, quarter, p05, p50, p95``; one row per combination,
        plus the uninformed fit (centre and width 0).
    """
    base = market_prior()
    t = quarter_end_years([quarter])
    rows = []
    fits = [(0.0, 0.0, None)] + [(c, w, base.scaled(c, w)) for c in centres for w in widths]
    for c, w, pr in fits:
        fit = fit_wechat(path, n_boot=n_boot, seed=seed, prior=pr)
        lo, mid, hi = fit.band(t, level=0.9)
        rows.append({"centre": c, "width": w, "prior_median": round(pr.median, 1) if pr else float("nan"),
                     "prior_log_sd": round(pr.log_sd, 4) if pr else float("nan"), "m": round(fit.m, 1),
                     "quarter": quarter, "p05": round(float(lo[0]), 1), "p50": round(float(mid[0]), 1),
                     "p95": round(float(hi[0]), 1)})
    return pd.DataFrame(rows)


def prior_frame(prior: MarketPrior | None = None) -> pd.DataFrame:
    """The prior on ``m`` as a tidy table: ``quantity, value, source`` (millions of MAU where a size).

    Parameters
    ----------
    prior : MarketPrior, optional
        Default :func:`analysis.adoption.prior.market_prior`.

    Returns
    -------
    pandas.DataFrame
    """
    pr = prior or market_prior()
    lo, hi = pr.interval(0.9)
    src_lo, src_hi = pr.sources
    rows = [("lower bound L: mobile internet users", pr.lower, src_lo),
            ("upper bound U: mobile phone subscriptions", pr.upper, src_hi),
            ("assumed overseas share of MAU", pr.overseas_share, "assumption (no 2014 source in the project)"),
            ("prior median of m", round(pr.median, 1), "sqrt(L*U) * (1 + overseas share)"),
            ("prior log-sd of m", round(pr.log_sd, 4), "[L, U] as the 90% interval, widened for the overseas share"),
            ("prior 5% quantile of m", round(lo, 1), ""), ("prior 95% quantile of m", round(hi, 1), "")]
    return pd.DataFrame([{"quantity": q, "value": v, "source": s} for q, v, s in rows])


@lru_cache(maxsize=4)
def _default_bass(path: str) -> tuple[float, float, float]:
    f = informed_fit(Path(path), n_boot=20, seed=config.SEED)
    return (f.p, f.q, f.m)


def default_bass(path: Path = config.WECHAT_MAU_FILE) -> tuple[float, float, float]:
    """Point estimate ``(p, q, m)`` of WeChat's informed Bass fit (:func:`informed_fit`; m in millions of MAU).

    Parameters
    ----------
    path : pathlib.Path
        The MAU series (see :func:`load_wechat_mau`).

    Returns
    -------
    (float, float, float)
    """
    return _default_bass(str(path))


def forecast_frame(fit: BassFit, start: str = FORECAST_START, end: str = FORECAST_END,
                   level: float = 0.9) -> pd.DataFrame:
    """Quarterly forecast with a bootstrap band: ``quarter, p05, p50, p95`` (millions, 1 decimal).

    Parameters
    ----------
    fit : BassFit
    start, end : str
        First and last quarter, ``"YYYYQn"``.
    level : float, default 0.9
        Coverage of the band (the column names follow it).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If there is no quarter between ``start`` and ``end``.
    """
    quarters = [str(q) for q in pd.period_range(start, end, freq="Q")]
    if not quarters:
        raise ValueError(f"no quarters between {start} and {end}")
    lo, mid, hi = fit.band(quarter_end_years(quarters), level=level)
    lo_name, hi_name = f"p{round(100 * (1 - level) / 2):02d}", f"p{round(100 * (1 + level) / 2):02d}"
    return pd.DataFrame({"quarter": quarters, lo_name: np.round(lo, 1), "p50": np.round(mid, 1),
                         hi_name: np.round(hi, 1)})


def fit_frame(fit: BassFit) -> pd.DataFrame:
    """Point estimates and bootstrap intervals as a tidy frame (rounded).

    Parameters
    ----------
    fit : BassFit

    Returns
    -------
    pandas.DataFrame
        ``parameter, estimate, lo, hi`` for ``p, q, m, peak_time``.
    """
    rows = [("p", fit.p, 4), ("q", fit.q, 4), ("m", fit.m, 1), ("peak_time", fit.peak_time, 3)]
    return pd.DataFrame([{"parameter": k, "estimate": round(v, d), "lo": round(fit.ci[k][0], d),
                          "hi": round(fit.ci[k][1], d)} for k, v, d in rows])


def wechat_base(bass: tuple[float, float, float], t: float) -> float:
    """WeChat's fitted MAU (millions) at ``t`` years after launch.

    Parameters
    ----------
    bass : (p, q, m)
    t : float

    Returns
    -------
    float
    """
    return float(bass_cumulative([t], *bass)[0])


def article_claims(numbers: pd.DataFrame | None, claims: pd.DataFrame | None,
                   corpus: pd.DataFrame | None) -> pd.DataFrame:
    """WeChat user figures claimed in the articles, dated for plotting (not fitted).

    Only figures written with digits are kept (not 几亿).  The date is the last ``YYYY年M月`` before the figure
    in the claim sentence that holds it, else the article's date; undated figures are dropped.

    Parameters
    ----------
    numbers, claims, corpus : pandas.DataFrame or None
        The catalogue's ``numbers``, ``claims`` and ``corpus``.

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
