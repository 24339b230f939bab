r"""An informative prior on WeChat's market potential :math:`m`, from what was published by July 2014.

The Bass fit of six quarters cannot pin down the ceiling :math:`m`: the curve
had not yet bent.  What *was* known in mid-2014 is the size of the market
(``data/external/market_context_2014.csv``: CNNIC, MIIT and the National
Bureau of Statistics).  The prior reads it as two bounds on the Chinese part
of :math:`m`:

* **lower**, :math:`L`: China's mobile internet users at the latest count
  (527 million, June 2014).  They were still growing fast (420 million at the
  end of 2012), so the eventual market is larger;
* **upper**, :math:`U`: mobile phone subscriptions at the latest count
  (1,229 million, end of 2013), a ceiling on the handsets that could ever run
  a messenger (larger than the number of people who use one, since many hold
  two SIMs).

The Chinese part of :math:`m` is log-normal with :math:`[L, U]` as its central
90% interval, so its median is :math:`\sqrt{LU}` and its log-sd is
:math:`\ln(U/L) / (2 \times 1.645)`.

WeChat's MAU also counts **overseas** Weixin/WeChat accounts, which no 2014
source in the project sizes.  The prior multiplies the median by
:math:`1 + s`, with an assumed overseas share :math:`s` of 10% (the book shows
the sensitivity to the prior's centre and width, which covers this
assumption), and widens the log-sd by the same amount of uncertainty in
quadrature.

No row published after the forecast origin may be used: :func:`market_prior`
raises if one is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from scipy.stats import norm

from analysis import config

__all__ = ["MarketPrior", "FORECAST_ORIGIN", "load_market_context", "market_prior"]

#: The last month whose publications the forecast may use (the forecast starts in 2014Q3).
FORECAST_ORIGIN = "2014-07"
_Z90 = 1.6448536269514722


@dataclass(frozen=True)
class MarketPrior:
    """A log-normal prior on :math:`m` (millions of MAU).

    Attributes
    ----------
    median : float
        :math:`e^{\\mu}`, in millions.
    log_sd : float
        :math:`\\sigma` of :math:`\\ln m`.
    lower, upper : float
        The bounds :math:`L` and :math:`U` it was built from (millions).
    overseas_share : float
        The assumed overseas share :math:`s`.
    sources : tuple of str
        The rows used, as "metric (period): value, source".
    """

    median: float
    log_sd: float
    lower: float
    upper: float
    overseas_share: float
    sources: tuple[str, ...]

    @property
    def mu(self) -> float:
        """:math:`\\ln` of the median."""
        return math.log(self.median)

    def interval(self, level: float = 0.9) -> tuple[float, float]:
        """The central ``level`` interval of the prior (millions)."""
        if not 0 < level < 1:
            raise ValueError("level must be in (0, 1)")
        z = float(norm.ppf(0.5 + level / 2))
        return (self.median * math.exp(-z * self.log_sd), self.median * math.exp(z * self.log_sd))

    def scaled(self, centre: float = 1.0, width: float = 1.0) -> MarketPrior:
        """The same prior with its median times ``centre`` and its log-sd times ``width`` (sensitivity)."""
        return MarketPrior(self.median * centre, self.log_sd * width, self.lower, self.upper,
                           self.overseas_share, self.sources)


def load_market_context(path: Path | None = None, *, as_of: str = FORECAST_ORIGIN) -> pd.DataFrame:
    """Read the market-size table and check that every row was published by ``as_of``.

    Parameters
    ----------
    path : pathlib.Path, optional
        Default ``data/external/market_context_2014.csv``.
    as_of : str
        ``YYYY-MM``: the latest publication month allowed.

    Returns
    -------
    pandas.DataFrame
        ``period, metric, value, unit, published, source``.

    Raises
    ------
    ValueError
        If a column is missing, or a row was published after ``as_of`` (later data may not reach the forecast).
    """
    path = Path(path or config.MARKET_CONTEXT_FILE)
    df = pd.read_csv(path, dtype={"period": str, "published": str})
    need = {"period", "metric", "value", "unit", "published", "source"}
    if need - set(df.columns):
        raise ValueError(f"{path}: missing columns {sorted(need - set(df.columns))}")
    late = df[df["published"] > as_of]
    if len(late):
        r = late.iloc[0]
        raise ValueError(f"{path}: row {r['metric']} ({r['period']}) was published {r['published']}, "
                         f"after the forecast origin {as_of}: later data may not reach the forecast")
    return df


def _latest(df: pd.DataFrame, metric: str) -> pd.Series:
    rows = df[df["metric"] == metric].sort_values("period")
    if rows.empty:
        raise ValueError(f"market context has no row for {metric!r}")
    return rows.iloc[-1]


def market_prior(context: pd.DataFrame | None = None, *, overseas_share: float = 0.10,
                 overseas_sd: float = 0.10) -> MarketPrior:
    """Build the log-normal prior on :math:`m` from the 2014 market context (see the module docstring).

    Parameters
    ----------
    context : pandas.DataFrame, optional
        :func:`load_market_context` output (default: read it).
    overseas_share : float
        Assumed share of overseas accounts in WeChat's MAU, :math:`s \\ge 0`.
    overseas_sd : float
        Extra log-sd for the uncertainty of ``overseas_share``.

    Returns
    -------
    MarketPrior
        The prior's median and log-sd, the bounds it was built from and the rows it used.

    Raises
    ------
    ValueError
        If a needed metric is missing, or the bounds are not ordered.
    """
    if overseas_share < 0 or overseas_sd < 0:
        raise ValueError("overseas_share and overseas_sd must be non-negative")
    df = load_market_context() if context is None else context
    lo = _latest(df, "mobile internet users (China)")
    hi = _latest(df, "mobile phone subscriptions (China)")
    L, U = float(lo["value"]), float(hi["value"])
    if not 0 < L < U:
        raise ValueError(f"expected 0 < mobile internet users ({L}) < mobile subscriptions ({U})")
    median = math.sqrt(L * U) * (1 + overseas_share)
    log_sd = math.hypot(math.log(U / L) / (2 * _Z90), overseas_sd)
    sources = tuple(f"{r['metric']} ({r['period']}): {r['value']:g} million, {r['source']}" for r in (lo, hi))
    return MarketPrior(median, log_sd, L, U, overseas_share, sources)
