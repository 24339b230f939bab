r"""Bass diffusion: closed form, generalized Bass model, and a bootstrap fit.

The Bass (1969) model states that the hazard of adoption among those who have not yet adopted is linear in
the share that already has:

.. math::

    \frac{f(t)}{1 - F(t)} = p + q F(t), \qquad F(0) = 0,

where :math:`p` is the coefficient of innovation (external influence), :math:`q` the coefficient of
imitation (word of mouth) and :math:`F` the adopted share of the market potential :math:`m`, so the
adopter stock is :math:`N(t) = m F(t)`.

*Derivation.*  The equation separates, :math:`dF / [(1-F)(p+qF)] = dt`, and partial fractions give
:math:`\frac{1}{(1-F)(p+qF)} = \frac{1}{p+q}\left[\frac{1}{1-F} + \frac{q}{p+qF}\right]`.  Integrating,
:math:`\ln\frac{p+qF}{p(1-F)} = (p+q)t` (the constant follows from :math:`F(0)=0`), hence

.. math::

    F(t) = \frac{1 - e^{-(p+q)t}}{1 + (q/p)\,e^{-(p+q)t}}, \qquad
    f(t) = \frac{(p+q)^2}{p}\,\frac{e^{-(p+q)t}}{\left(1 + (q/p)e^{-(p+q)t}\right)^2}.

*Generalized Bass model* (Bass, Krishnan & Jain 1994).  Marketing effort :math:`x(t) \ge 0` multiplies the
hazard, :math:`f/(1-F) = (p + qF)\,x(t)`.  Substituting the cumulative effort
:math:`X(t) = \int_0^t x(s)\,ds` for :math:`t` solves it: :math:`F_{GBM}(t) = F(X(t))`.  A promotion therefore
*re-times* diffusion (it moves the clock forward by the extra effort), but the ceiling
:math:`\lim_{t\to\infty} m F = m` is unchanged: money buys speed, not market potential.

*Estimation* follows Srinivasan & Mason (1986): non-linear least squares on the observed series, here the
adopter stock :math:`y_i = m F(t_i) + \varepsilon_i` (``kind="cumulative"``) or the per-interval adoptions
:math:`y_i = m[F(t_i) - F(t_{i-1})] + \varepsilon_i` with :math:`t_0 = 0` (``kind="increments"``).  The
parameters are estimated on the log scale, which keeps them positive, with :math:`m \ge \max y` for stocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import least_squares

__all__ = [
    "BassFit",
    "bass_cumulative",
    "bass_rate",
    "fit_bass",
    "gbm_cumulative",
    "pulse_effort",
]

_KINDS = ("cumulative", "increments")
_BOOTSTRAPS = ("residual", "parametric")


def _check_params(p: float, q: float, m: float) -> None:
    for name, v in (("p", p), ("q", q), ("m", m)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {v!r}")


def _as_1d(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return a


def _bass_F(t: NDArray[np.float64], p: float, q: float) -> NDArray[np.float64]:
    e = np.exp(-(p + q) * t)
    return (1.0 - e) / (1.0 + (q / p) * e)


def bass_cumulative(t: ArrayLike, p: float, q: float, m: float) -> NDArray[np.float64]:
    r"""Cumulative adopters :math:`N(t) = m F(t)` of the Bass model.

    Parameters
    ----------
    t : array_like(float, ndim=1)
        Time since launch (non-negative).
    p, q : float
        Coefficients of innovation and imitation (positive, per unit of ``t``).
    m : float
        Market potential (positive).

    Returns
    -------
    ndarray(float, ndim=1)
        :math:`m (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})`.

    Raises
    ------
    ValueError
        If a parameter is not positive and finite, or ``t`` is negative or not a finite 1-d array.
    """
    _check_params(p, q, m)
    t = _as_1d(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be non-negative (time since launch)")
    return m * _bass_F(t, p, q)


def bass_rate(t: ArrayLike, p: float, q: float, m: float) -> NDArray[np.float64]:
    r"""Adoption rate :math:`dN/dt = m f(t)` of the Bass model.

    Parameters
    ----------
    t : array_like(float, ndim=1)
        Time since launch (non-negative).
    p, q, m : float
        Bass parameters, as in :func:`bass_cumulative`.

    Returns
    -------
    ndarray(float, ndim=1)
        :math:`m (p+q)^2/p \cdot e^{-(p+q)t} / (1 + (q/p)e^{-(p+q)t})^2`.

    Raises
    ------
    ValueError
        As :func:`bass_cumulative`.
    """
    _check_params(p, q, m)
    t = _as_1d(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be non-negative (time since launch)")
    e = np.exp(-(p + q) * t)
    return m * (p + q) ** 2 / p * e / (1.0 + (q / p) * e) ** 2


def pulse_effort(t: ArrayLike, start: float, duration: float, intensity: float) -> NDArray[np.float64]:
    r"""Cumulative effort :math:`X(t)` for a rectangular promotion pulse.

    Effort is :math:`x(t) = 1 + \text{intensity}` on ``[start, start + duration)`` and 1 elsewhere, so

    .. math:: X(t) = t + \text{intensity}\cdot\min(\max(t - \text{start}, 0), \text{duration}).

    Parameters
    ----------
    t : array_like(float, ndim=1)
        Time since launch (non-negative).
    start, duration : float
        When the promotion starts and how long it lasts (non-negative, in units of ``t``).
    intensity : float
        Extra effort during the pulse (``0`` means no promotion; must be ``> -1`` so that ``x > 0``).

    Returns
    -------
    ndarray(float, ndim=1)

    Raises
    ------
    ValueError
        If ``t``, ``start`` or ``duration`` is negative, or ``intensity <= -1``.
    """
    t = _as_1d(t, "t")
    if np.any(t < 0):
        raise ValueError("t must be non-negative (time since launch)")
    if start < 0 or duration < 0:
        raise ValueError("start and duration must be non-negative")
    if not intensity > -1:
        raise ValueError("intensity must be > -1 so that effort stays positive")
    return t + intensity * np.clip(t - start, 0.0, duration)


def gbm_cumulative(t: ArrayLike, p: float, q: float, m: float, effort: ArrayLike) -> NDArray[np.float64]:
    r"""Generalized Bass model (Bass, Krishnan & Jain 1994): :math:`N(t) = m F(X(t))`.

    Parameters
    ----------
    t : array_like(float, ndim=1)
        Time since launch (only used for validation of the shape).
    p, q, m : float
        Bass parameters.
    effort : array_like(float, ndim=1)
        Cumulative effort :math:`X(t) = \int_0^t x(s) ds` at each ``t`` (non-negative and non-decreasing),
        for example from :func:`pulse_effort`.  ``effort == t`` recovers the Bass model.

    Returns
    -------
    ndarray(float, ndim=1)

    Raises
    ------
    ValueError
        If a parameter is invalid, ``effort`` and ``t`` differ in length, or the effort is negative or
    decreasing.
    """
    _check_params(p, q, m)
    t = _as_1d(t, "t")
    X = _as_1d(effort, "effort")
    if X.shape != t.shape:
        raise ValueError(f"effort and t have different lengths ({X.size} vs {t.size})")
    if np.any(X < 0) or np.any(np.diff(X) < 0):
        raise ValueError("cumulative effort must be non-negative and non-decreasing")
    return m * _bass_F(X, p, q)


@dataclass(frozen=True, eq=False)
class BassFit:
    """Result of :func:`fit_bass`.

    Attributes
    ----------
    p, q, m : float
        Least-squares estimates.
    ci : dict of str to (float, float)
        Bootstrap percentile intervals for ``p``, ``q``, ``m`` and ``peak_time`` at level ``level``.
    level : float
        Confidence level of ``ci``.
    draws : ndarray(float, ndim=2)
        Bootstrap draws, shape ``(n_boot, 3)``, columns ``p, q, m``.
    t, y : ndarray(float, ndim=1)
        The data that were fitted.
    kind : str
        ``"cumulative"`` or ``"increments"``.
    rss : float
        Residual sum of squares at the estimate.
    bootstrap : str
        ``"residual"`` or ``"parametric"``.
    m_prior : (float, float) or None
        The log-normal prior on ``m`` (median, log-sd), if the fit used one.
    """

    p: float
    q: float
    m: float
    ci: dict[str, tuple[float, float]]
    level: float
    draws: NDArray[np.float64] = field(repr=False)
    t: NDArray[np.float64] = field(repr=False)
    y: NDArray[np.float64] = field(repr=False)
    kind: str = "cumulative"
    rss: float = float("nan")
    bootstrap: str = "residual"
    m_prior: tuple[float, float] | None = None

    @property
    def peak_time(self) -> float:
        r"""Time of the adoption-rate peak, :math:`t^* = \ln(q/p)/(p+q)` (negative if :math:`q<p`)."""
        return float(np.log(self.q / self.p) / (self.p + self.q))

    def predict(self, t: ArrayLike) -> NDArray[np.float64]:
        """Cumulative adopters at ``t`` under the point estimate.

        Parameters
        ----------
        t : array_like(float, ndim=1)
            Time since launch.

        Returns
        -------
        ndarray(float, ndim=1)
            :func:`bass_cumulative` at the point estimate.
        """
        return bass_cumulative(t, self.p, self.q, self.m)

    def band(self, t: ArrayLike, level: float = 0.9) -> tuple[NDArray, NDArray, NDArray]:
        """Lower, median and upper bootstrap quantiles of :math:`N(t)` (parameter uncertainty only).

        Parameters
        ----------
        t : array_like(float, ndim=1)
        level : float
            Central coverage of the band, in (0, 1).

        Returns
        -------
        lo, mid, hi : ndarray(float, ndim=1)

        Raises
        ------
        ValueError
            If ``level`` is not in (0, 1) or ``t`` is negative.
        """
        if not 0 < level < 1:
            raise ValueError("level must be in (0, 1)")
        t = _as_1d(t, "t")
        if np.any(t < 0):
            raise ValueError("t must be non-negative (time since launch)")
        p, q, m = (self.draws[:, i : i + 1] for i in range(3))
        curves = m * _bass_F(t[None, :], p, q)
        a = (1 - level) / 2
        lo, mid, hi = np.quantile(curves, [a, 0.5, 1 - a], axis=0)
        return lo, mid, hi


def _model(theta: NDArray, t: NDArray, kind: str) -> NDArray:
    p, q, m = np.exp(theta)
    F = _bass_F(t, p, q)
    if kind == "increments":
        F = np.diff(np.concatenate(([0.0], F)))
    return m * F


def _nls(t: NDArray, y: NDArray, kind: str, m_lo: float, m_hi: float, starts: list[NDArray],
         penalty: tuple[float, float, float] | None = None) -> NDArray:
    """Least squares on log-parameters; ``penalty = (mu, s, sigma)`` adds the prior residual on ln m."""
    lb = np.array([np.log(1e-6), np.log(1e-4), np.log(m_lo)])
    ub = np.array([np.log(5.0), np.log(20.0), np.log(m_hi)])

    def residuals(th: NDArray) -> NDArray:
        r = _model(th, t, kind) - y
        if penalty is None:
            return r
        mu, s, sigma = penalty
        return np.append(r, sigma * (th[2] - mu) / s)

    best, best_cost = None, np.inf
    for x0 in starts:
        x0 = np.clip(x0, lb + 1e-9, ub - 1e-9)
        res = least_squares(residuals, x0, bounds=(lb, ub), method="trf",
                            x_scale="jac", xtol=1e-10, ftol=1e-10, gtol=1e-10, max_nfev=500)
        if res.cost < best_cost - 1e-12:
            best, best_cost = res.x, res.cost
    return best


def fit_bass(
    t: ArrayLike,
    y: ArrayLike,
    *,
    kind: str = "cumulative",
    n_boot: int = 500,
    seed: int = 0,
    level: float = 0.9,
    bootstrap: str = "residual",
    m_max: float | None = None,
    m_prior: tuple[float, float] | None = None,
) -> BassFit:
    r"""Fit the Bass model by non-linear least squares and bootstrap the parameters.

    Minimises :math:`\sum_i (y_i - \hat y_i(\theta))^2` over :math:`\theta = (\ln p, \ln q, \ln m)` with
    :func:`scipy.optimize.least_squares` from a small fixed grid of starting points (so the result does not
    depend on one lucky start), where :math:`\hat y_i = m F(t_i)` for stocks and
    :math:`m[F(t_i) - F(t_{i-1})]` for increments (Srinivasan & Mason 1986).

    Uncertainty comes from a bootstrap that refits ``n_boot`` synthetic series:

    * ``"residual"``: :math:`y^* = \hat y + e^*`, with :math:`e^*` drawn with replacement from the centred
      residuals;
    * ``"parametric"``: :math:`e^* \sim N(0, \hat\sigma^2)`, :math:`\hat\sigma^2 = RSS/(n-3)`.

    Points at :math:`t = 0` (a launch anchor with :math:`y = 0`) fit exactly, since :math:`F(0) = 0`; they fix
    the time origin and are never perturbed.

    With ``m_prior = (median, s)``, the fit is the posterior mode (MAP) under a log-normal prior
    :math:`\ln m \sim N(\mu, s^2)`, :math:`\mu = \ln(\text{median})`, and Gaussian errors of scale
    :math:`\hat\sigma` (estimated from the unpenalised fit): it minimises
    :math:`\sum_i (y_i - \hat y_i)^2 + \hat\sigma^2 (\ln m - \mu)^2 / s^2`.  Each bootstrap replicate
    also draws its prior centre :math:`\mu^* \sim N(\mu, s^2)`, so the band carries the prior's
    uncertainty about :math:`m` as well as the noise of the data.

    Parameters
    ----------
    t : array_like(float, ndim=1)
        Time since launch, strictly increasing, non-negative.
    y : array_like(float, ndim=1)
        Adopter stock (``kind="cumulative"``) or adoptions per interval (``kind="increments"``), non-negative.
    kind : {"cumulative", "increments"}
        Whether ``y`` is the adopter stock or the adoptions per interval.
    n_boot : int
        Number of bootstrap refits (``>= 20``).
    seed : int
        Seed of the bootstrap's random generator.
    level : float
        Level of the percentile intervals.
    bootstrap : {"residual", "parametric"}
        How the synthetic series are drawn (see above).
    m_max : float, optional
        Upper bound for ``m`` (default: 100 times the data's scale).  Must not be smaller than the data.
    m_prior : (float, float), optional
        ``(median, log_sd)`` of a log-normal prior on ``m`` (in the units of ``y``); ``None`` fits by
        least squares alone.

    Returns
    -------
    BassFit
        The estimates, their bootstrap draws and percentile intervals, and the data fitted.

    Raises
    ------
    ValueError
        On empty, mismatched, non-finite, negative or unsorted input, too few points, or ``m_max`` below the
        observed stock.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    if bootstrap not in _BOOTSTRAPS:
        raise ValueError(f"bootstrap must be one of {_BOOTSTRAPS}, got {bootstrap!r}")
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    if n_boot < 20:
        raise ValueError("n_boot must be at least 20")
    t = _as_1d(t, "t")
    y = _as_1d(y, "y")
    if t.shape != y.shape:
        raise ValueError(f"t and y have different lengths ({t.size} vs {y.size})")
    if np.any(t < 0):
        raise ValueError("t must be non-negative (time since launch)")
    if np.any(np.diff(t) <= 0):
        raise ValueError("t must be strictly increasing (sort the series by time)")
    if np.any(y < 0):
        raise ValueError("y must be non-negative")
    informative = t > 0
    if informative.sum() < 4:
        raise ValueError("need at least 4 observations at t > 0 to fit 3 parameters")
    scale = float(y.max() if kind == "cumulative" else y.sum())
    if scale <= 0:
        raise ValueError("y is all zeros")
    m_lo = float(y.max()) if kind == "cumulative" else float(y.sum())
    m_hi = 100.0 * scale if m_max is None else float(m_max)
    if m_hi < m_lo:
        raise ValueError(f"m_max={m_hi:g} is smaller than the observed stock {m_lo:g}")
    m_lo = max(m_lo, 1e-12)
    if m_prior is not None and not (m_prior[0] > 0 and m_prior[1] > 0):
        raise ValueError("m_prior must be (median > 0, log_sd > 0)")

    starts = [np.log([p0, q0, m0 * scale]) for p0 in (0.003, 0.03) for q0 in (0.3, 1.5) for m0 in (1.5, 4.0)]
    theta = _nls(t, y, kind, m_lo, m_hi, starts)
    penalty = None
    if m_prior is not None:
        r0 = (y - _model(theta, t, kind))[informative]
        sigma0 = np.sqrt(float(r0 @ r0) / max(int(informative.sum()) - 3, 1))
        mu, s = float(np.log(m_prior[0])), float(m_prior[1])
        penalty = (mu, s, max(sigma0, 1e-9 * scale))
        starts.append(np.array([theta[0], theta[1], np.clip(mu, np.log(m_lo), np.log(m_hi))]))
        theta = _nls(t, y, kind, m_lo, m_hi, starts, penalty)
    fitted = _model(theta, t, kind)
    resid = y - fitted
    rss = float(resid @ resid)

    rng = np.random.default_rng(seed)
    r_inf = resid[informative] - resid[informative].mean()
    dof = max(int(informative.sum()) - 3, 1)
    sigma = np.sqrt(float(resid[informative] @ resid[informative]) / dof)
    draws = np.empty((n_boot, 3))
    for b in range(n_boot):
        e = np.zeros_like(y)
        if bootstrap == "residual":
            e[informative] = rng.choice(r_inf, size=int(informative.sum()), replace=True)
        else:
            e[informative] = rng.normal(0.0, sigma, size=int(informative.sum()))
        y_b = np.maximum(fitted + e, 0.0)
        lo_b = float(y_b.max()) if kind == "cumulative" else float(y_b.sum())
        pen_b = None
        if penalty is not None:
            pen_b = (penalty[0] + penalty[1] * rng.standard_normal(), penalty[1], penalty[2])
        th_b = _nls(t, y_b, kind, max(lo_b, 1e-12), max(m_hi, lo_b), [theta], pen_b)
        draws[b] = np.exp(th_b)

    a = (1 - level) / 2
    peak = np.log(draws[:, 1] / draws[:, 0]) / (draws[:, 0] + draws[:, 1])
    ci = {}
    for name, col in (("p", draws[:, 0]), ("q", draws[:, 1]), ("m", draws[:, 2]), ("peak_time", peak)):
        lo, hi = np.quantile(col, [a, 1 - a])
        ci[name] = (float(lo), float(hi))
    p, q, m = (float(v) for v in np.exp(theta))
    return BassFit(p=p, q=q, m=m, ci=ci, level=level, draws=draws, t=t, y=y, kind=kind, rss=rss,
                   bootstrap=bootstrap, m_prior=m_prior)
