r"""Two messengers with network effects: a logit-choice (replicator) model in the spirit of Arthur (1989).

*Why this model.*  The question is whether a late entrant can *tip* a market with network externalities or
hold a stable niche.  The two-brand Bass model of Libai, Muller & Peres (2009) splits a market potential
between brands whose adopters never leave, so it has no critical mass and no tipping: a push only moves
adoption earlier.  Arthur's increasing-returns choice, written as a logit with a network term, has both.

*Model.*  The category's adopter stock :math:`N(t)` follows a Bass curve (fitted to WeChat, see
:func:`analysis.adoption.fit_bass`).  Users are in segments :math:`k` with weights :math:`w_k`
(a mainstream and, optionally, a niche that values the entrant more).  Let :math:`s_k` be the entrant's
(Laiwang's) share in segment :math:`k` and :math:`s = \sum_k w_k s_k` its overall share; the incumbent's
share is :math:`1 - s`.  A user choosing now picks the entrant with the logit probability

.. math::

    P_k(s, t) = \Lambda\big(\delta_k + \beta\,(s - (1 - s)) + \pi(t)\big),
    \qquad \Lambda(x) = 1/(1 + e^{-x}),

where :math:`\beta` is the strength of the network effect (in units of the taste noise), :math:`\delta_k`
the segment's intrinsic preference for the entrant and :math:`\pi(t)` a temporary promotion (prizes,
red envelopes) during the push.  New users arrive at rate :math:`N'(t)` and existing users revise their
choice at rate :math:`r`; with :math:`N_k^L` the entrant's users,
:math:`\dot N^L_k = w_k N'(t) P_k + r\,(w_k N P_k - N^L_k)`, so

.. math::

    \dot s_k = \big(g(t) + r\big)\,\big(P_k(s,t) - s_k\big), \qquad g = N'/N.

Shares stay in :math:`[0, 1]` and the two platforms' shares sum to one by construction.  The push at time
:math:`t_0` brings :math:`S` users at once, :math:`s_k(t_0) = S / (N(t_0) + S)`, and lasts :math:`d` years.

*Tipping.*  Without a push, equilibria solve :math:`s = \sum_k w_k P_k(s)`.  With one segment and
:math:`\delta = 0` the map has slope :math:`\beta/2` at :math:`s = 1/2`, so for :math:`\beta > 2` the market
is bistable: :math:`s = 1/2` is the unstable critical mass, and an entrant below it drifts back to a
near-zero share however large the push was, once the push stops.

The ODE is integrated with the exponential (exact-for-frozen-coefficients) step
:math:`s \leftarrow P + (s - P)e^{-(g + r)\Delta t}`, which keeps :math:`s` a convex combination of values in
:math:`[0,1]` for any step size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq

__all__ = [
    "CompetitionParams",
    "classify_share",
    "competition_grid",
    "equilibria",
    "simulate_shares",
]


@dataclass(frozen=True)
class CompetitionParams:
    """Parameters of the two-platform model (all assumed unless a scenario says otherwise).

    Attributes
    ----------
    beta : float
        Network-effect strength, in units of the logit taste noise (``> 0``).
    revise : float
        Rate at which existing users reconsider their messenger, per year (``>= 0``).
    delta : float
        Intrinsic preference of mainstream users for the entrant (0: an equally good clone).
    niche_weight : float
        Weight of a niche segment in ``[0, 1)`` (0: no niche).
    niche_delta : float
        Extra intrinsic preference of the niche for the entrant.
    promo : float
        Utility boost while the push lasts (prizes, red envelopes).
    duration : float
        Length of the push, years.
    horizon : float
        When the outcome is read, years after the push starts.
    long_run : float
        Years after the push used for the long-run share.
    """

    beta: float = 6.0
    revise: float = 0.5
    delta: float = 0.0
    niche_weight: float = 0.0
    niche_delta: float = 2.0
    promo: float = 1.0
    duration: float = 0.25
    horizon: float = 2.0
    long_run: float = 12.0

    def __post_init__(self) -> None:
        if not self.beta > 0:
            raise ValueError("beta must be positive")
        if self.revise < 0:
            raise ValueError("revise must be non-negative")
        if not 0 <= self.niche_weight < 1:
            raise ValueError("niche_weight must be in [0, 1)")
        if self.duration < 0 or self.horizon <= 0 or self.long_run < self.horizon:
            raise ValueError("need duration >= 0, horizon > 0 and long_run >= horizon")
        for k, v in asdict(self).items():
            if not np.isfinite(v):
                raise ValueError(f"{k} must be finite")

    def segments(self) -> tuple[NDArray, NDArray]:
        """Segment weights and intrinsic preferences ``(w, delta_k)``.

        Returns
        -------
        w, delta_k : ndarray(float, ndim=1)
            The weights of the mainstream and niche segments, and their intrinsic preference for the entrant.
        """
        w = np.array([1.0 - self.niche_weight, self.niche_weight])
        d = np.array([self.delta, self.delta + self.niche_delta])
        return w, d


def _logistic(x: NDArray) -> NDArray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _bass_N_g(t: NDArray, p: float, q: float, m: float) -> tuple[NDArray, NDArray]:
    e = np.exp(-(p + q) * t)
    F = (1.0 - e) / (1.0 + (q / p) * e)
    f = (p + q) ** 2 / p * e / (1.0 + (q / p) * e) ** 2
    return m * F, f / np.maximum(F, 1e-300)


def simulate_shares(
    seeds: ArrayLike,
    t_push: ArrayLike,
    bass: tuple[float, float, float],
    params: CompetitionParams | None = None,
    *,
    steps_per_year: int = 48,
) -> dict[str, NDArray[np.float64]]:
    r"""Entrant's share at the horizon and in the long run, for a push of ``seeds`` users at ``t_push``.

    Parameters
    ----------
    seeds : array_like(float)
        Users brought in by the push, in the units of ``m`` (non-negative).  Broadcasts with ``t_push``.
    t_push : array_like(float)
        Start of the push, years since the incumbent's launch (``> 0``).
    bass : (p, q, m)
        Bass parameters of the category's adopter stock :math:`N(t)`.
    params : CompetitionParams, optional
    steps_per_year : int
        Integration steps per year.

    Returns
    -------
    dict of str to ndarray
        ``share0`` (just after the push lands), ``share`` (at ``horizon``), ``long_run`` (at ``long_run``),
        each of the broadcast shape; the incumbent's share is ``1 - share``.

    Raises
    ------
    ValueError
        If the Bass parameters are not positive and finite, the inputs are empty, ``seeds`` is negative,
    ``t_push`` is not positive, or ``steps_per_year < 4``.
    """
    params = params or CompetitionParams()
    p, q, m = (float(v) for v in bass)
    if min(p, q, m) <= 0 or not np.isfinite([p, q, m]).all():
        raise ValueError("bass parameters must be positive and finite")
    S, t0 = np.broadcast_arrays(np.asarray(seeds, dtype=float), np.asarray(t_push, dtype=float))
    if S.size == 0:
        raise ValueError("seeds and t_push are empty")
    if np.any(~np.isfinite(S)) or np.any(S < 0):
        raise ValueError("seeds must be finite and non-negative")
    if np.any(~np.isfinite(t0)) or np.any(t0 <= 0):
        raise ValueError("t_push must be positive (years after the incumbent's launch)")
    if steps_per_year < 4:
        raise ValueError("steps_per_year must be at least 4")
    w, dk = params.segments()
    N0, _ = _bass_N_g(t0, p, q, m)
    s0 = S / (N0 + S)
    s = np.repeat(s0[..., None], 2, axis=-1)
    dt = 1.0 / steps_per_year
    n_h = int(round(params.horizon * steps_per_year))
    n_l = int(round(params.long_run * steps_per_year))
    out_h = s0
    for i in range(n_l):
        tau = (i + 0.5) * dt
        _, g = _bass_N_g(t0 + tau, p, q, m)
        share = s @ w
        promo = np.where(tau < params.duration, params.promo, 0.0)
        P = _logistic(dk + (params.beta * (2.0 * share - 1.0) + promo)[..., None])
        decay = np.exp(-(g + params.revise) * dt)[..., None]
        s = P + (s - P) * decay
        if i + 1 == n_h:
            out_h = s @ w
    return {"share0": s0, "share": np.clip(out_h, 0.0, 1.0), "long_run": np.clip(s @ w, 0.0, 1.0)}


def equilibria(params: CompetitionParams | None = None, *, grid: int = 2001) -> pd.DataFrame:
    r"""Rest points of :math:`s = \sum_k w_k P_k(s)` without a push, with their stability.

    For several segments the rest point is computed on the symmetric manifold where each segment's share
    equals its choice probability at the overall share (the fixed points of the full ODE).

    Parameters
    ----------
    params : CompetitionParams, optional
        Default: the model's defaults.
    grid : int
        Points of the share grid on which sign changes are looked for.

    Returns
    -------
    pandas.DataFrame
        Columns ``share`` (entrant), ``stable`` (bool), sorted by ``share``.
    """
    params = params or CompetitionParams()
    w, dk = params.segments()

    def h(x: float) -> float:
        return float(w @ _logistic(dk + params.beta * (2 * x - 1))) - x

    xs = np.linspace(0.0, 1.0, grid)
    hs = np.array([h(x) for x in xs])
    rows = []
    for i in range(grid - 1):
        if hs[i] == 0 or hs[i] * hs[i + 1] < 0:
            root = xs[i] if hs[i] == 0 else brentq(h, xs[i], xs[i + 1], xtol=1e-12)
            eps = 1e-6
            slope = (h(min(root + eps, 1.0)) - h(max(root - eps, 0.0))) / (2 * eps)
            rows.append({"share": round(float(root), 6), "stable": bool(slope < 0)})
    return pd.DataFrame(rows, columns=["share", "stable"]).drop_duplicates("share").reset_index(drop=True)


def classify_share(share: ArrayLike, *, win: float = 0.5, niche: float = 0.05) -> NDArray[np.str_]:
    """Label long-run shares: ``"win"`` (``>= win``), ``"niche"`` (``>= niche``) or ``"fade"``.

    Parameters
    ----------
    share : array_like(float)
        Long-run shares of the entrant.
    win, niche : float
        Thresholds, ``0 < niche < win <= 1``.

    Returns
    -------
    ndarray of str
        Same shape as ``share``.

    Raises
    ------
    ValueError
        If the thresholds are not ordered.
    """
    share = np.asarray(share, dtype=float)
    if not 0 < niche < win <= 1:
        raise ValueError("need 0 < niche < win <= 1")
    return np.where(share >= win, "win", np.where(share >= niche, "niche", "fade"))


def competition_grid(
    sizes: ArrayLike,
    timings: ArrayLike,
    bass: tuple[float, float, float],
    params: CompetitionParams | None = None,
    *,
    durations: ArrayLike | None = None,
) -> pd.DataFrame:
    """Outcome over a grid of push size x push timing (x push duration).

    Parameters
    ----------
    sizes : array_like(float, ndim=1)
        Users brought in by the push (units of ``m``).
    timings : array_like(float, ndim=1)
        Push start, years since the incumbent's launch.
    bass : (p, q, m)
    params : CompetitionParams, optional
    durations : array_like(float, ndim=1), optional
        Push lengths in years (default: ``params.duration`` only).

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per cell: ``size, timing, duration, share0, share, long_run, outcome``, sorted.

    Raises
    ------
    ValueError
        If a grid is empty or a duration negative.
    """
    params = params or CompetitionParams()
    sizes = np.asarray(sizes, dtype=float).ravel()
    timings = np.asarray(timings, dtype=float).ravel()
    durs = np.asarray([params.duration] if durations is None else durations, dtype=float).ravel()
    if sizes.size == 0 or timings.size == 0 or durs.size == 0:
        raise ValueError("sizes, timings and durations must be non-empty")
    if np.any(durs < 0):
        raise ValueError("durations must be non-negative")
    frames = []
    for d in np.sort(durs):
        Sg, Tg = np.meshgrid(sizes, timings, indexing="ij")
        res = simulate_shares(Sg, Tg, bass, replace(params, duration=float(d)))
        frames.append(pd.DataFrame({
            "size": Sg.ravel(), "timing": Tg.ravel(), "duration": float(d),
            "share0": res["share0"].ravel(), "share": res["share"].ravel(), "long_run": res["long_run"].ravel(),
        }))
    df = pd.concat(frames, ignore_index=True)
    df["outcome"] = classify_share(df["long_run"].to_numpy())
    return df.sort_values(["duration", "size", "timing"], kind="stable").reset_index(drop=True)
