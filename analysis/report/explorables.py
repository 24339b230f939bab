"""The adoption chapter's explorables: what-if sliders over the models, as static HTML that works offline.

Each function returns an :class:`Explorable`: a ``<figure>`` with native range sliders (each with its
``<label for>``), a readout in an ``aria-live`` region, an empty chart box, a ``<noscript>`` note and the
data as an inline ``<script type="application/json">`` block (:func:`analysis.report.escape.json_script`),
so that the page needs no server, no network and no library.  ``book/_static/explorables.js`` (a small
plain-JavaScript widget, registered in ``_config.yml``) wires the sliders and draws the charts as inline
SVG; without JavaScript the readout shows the default position's outcome, rendered here.

* :func:`push_explorer` -- the ``push_explorer`` grid (push size x start x network effect): Laiwang's share
  24 months after the push, its long-run share and the verdict, and a point on the phase diagram;
* :func:`seeding_explorer` -- the ``seeding_explorer`` grid (budget x style x threshold): the share of
  recruits retained, and a small curve of it against the budget;
* :func:`forecast_explorer` -- the Bass curve for any ``p, q, m``, computed in the browser from the closed
  form of :func:`analysis.adoption.bass_cumulative` (same time origin: years of 365.25 days since WeChat's
  launch, quarters at their last day), over the six fitted quarters and the forecast's 90% band.

The sliders of the two grids move by grid index, so every position is a grid cell and the readout is the
precomputed value itself.  Shares travel as integers in units of 0.01 percentage points (the grids' 4
decimal places), which keeps the data small and the readout exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.adoption.wechat import WECHAT_LAUNCH, quarter_end_years
from analysis.report.escape import esc, json_script

__all__ = ["ASSUMPTIONS_ANCHOR", "Explorable", "forecast_explorer", "push_explorer", "seeding_explorer"]

#: The MyST label of the adoption chapter's assumptions (the scenarios' parameters and their sources).
ASSUMPTIONS_ANCHOR = "adoption-assumptions"

_LAUNCH = pd.Timestamp(WECHAT_LAUNCH)
#: Decimal calendar year of WeChat's launch (years since launch + this = calendar year).
_LAUNCH_YEAR = _LAUNCH.year + (_LAUNCH.day_of_year - 1) / 365.25
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OUTCOME_WORDS = {"win": "tips: Laiwang takes the market", "niche": "holds a niche", "fade": "fades"}


class Explorable:
    """One explorable's HTML, displayed by Jupyter as ``text/html``, with a short stable repr.

    Parameters
    ----------
    kind : str
        ``"push"``, ``"seeding"`` or ``"forecast"``.
    markup : str
        The complete ``<figure>`` (already escaped).
    n_cells : int
        Grid cells embedded (0 for the Bass curve, computed in the browser).
    data_bytes : int
        Size of the embedded JSON, in bytes (UTF-8).

    Attributes
    ----------
    kind, markup : str
    n_cells, data_bytes : int
    """

    def __init__(self, kind: str, markup: str, n_cells: int, data_bytes: int) -> None:
        self.kind = kind
        self.markup = markup
        self.n_cells = n_cells
        self.data_bytes = data_bytes

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<explorable {self.kind}: {self.n_cells} grid cells, {self.data_bytes} bytes of data>"

    def __str__(self) -> str:
        return self.markup


def _month(t: float) -> str:
    """``t`` years after WeChat's launch as ``"Oct 2013"``."""
    day = _LAUNCH + pd.Timedelta(days=365.25 * float(t))
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _millions(v: float) -> str:
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def _pct(units: int) -> str:
    """A share in units of 0.01 percentage points, as the JavaScript writes it (``(u / 100).toFixed(2)``)."""
    return f"{units / 100:.2f}%"


def _units(values: pd.Series) -> list[int]:
    return [int(v) for v in np.rint(values.to_numpy(dtype=float) * 10_000)]


def _nearest(values: Sequence[float], x: float) -> int:
    return int(np.argmin(np.abs(np.asarray(values, dtype=float) - float(x))))


def _slider(prefix: str, name: str, label: str, n: int, value: int, value_text: str, hint: str = "") -> str:
    """A range input over grid indices ``0..n-1`` with its label and the value in words."""
    sid = f"{prefix}-{name}"
    hint_html = f'<span class="explorable-hint" id="{esc(sid)}-hint">{esc(hint)}</span>' if hint else ""
    described = f' aria-describedby="{esc(sid)}-hint"' if hint else ""
    return (f'<div class="explorable-control"><label for="{esc(sid)}">{esc(label)}</label>'
            f'<input type="range" id="{esc(sid)}" data-param="{esc(name)}" min="0" '
            f'max="{n - 1}" step="1" value="{value}" aria-valuetext="{esc(value_text)}"{described}>'
            f'<output id="{esc(sid)}-value" for="{esc(sid)}" data-value-of="{esc(name)}">{esc(value_text)}</output>'
            f"{hint_html}</div>")


def _value_slider(prefix: str, name: str, label: str, lo: float, hi: float, step: float, value: float,
                  decimals: int, unit: str = "") -> str:
    """A range input over the parameter's own values (the Bass curve), starting at ``value``."""
    sid = f"{prefix}-{name}"
    text = f"{value:.{decimals}f}{unit}"
    return (f'<div class="explorable-control"><label for="{esc(sid)}">{esc(label)}</label>'
            f'<input type="range" id="{esc(sid)}" data-param="{esc(name)}" '
            f'min="{lo:.{decimals}f}" max="{hi:.{decimals}f}" step="{step:g}" value="{value:.{decimals}f}" '
            f'data-decimals="{decimals}" data-unit="{esc(unit)}" aria-valuetext="{esc(text)}">'
            f'<output id="{esc(sid)}-value" for="{esc(sid)}" data-value-of="{esc(name)}">{esc(text)}</output></div>')


def _figure(kind: str, title: str, model: str, controls: str, readout: str, chart_label: str,
            fallback: str, data: Mapping[str, Any], n_cells: int) -> Explorable:
    prefix = f"explore-{kind}"
    payload = json_script(data)
    markup = (
        f'<figure class="explorable" id="{prefix}" data-explorable="{esc(kind)}" data-data="{prefix}-data" '
        f'aria-labelledby="{prefix}-title">'
        f'<figcaption class="explorable-title" id="{prefix}-title"><strong>{esc(title)}</strong> '
        f'{esc(model)} <a href="#{ASSUMPTIONS_ANCHOR}">The assumptions and where they come from.</a>'
        f"</figcaption>"
        f'<div class="explorable-body"><div class="explorable-controls">{controls}</div>'
        f'<div class="explorable-readout" id="{prefix}-readout" aria-live="polite" aria-atomic="true">{readout}</div>'
        f'<div class="explorable-chart" data-chart="{esc(kind)}" role="img" aria-label="{esc(chart_label)}"></div>'
        f"</div>"
        f'<noscript><p class="explorable-noscript">{esc(fallback)}</p></noscript>'
        f'<script type="application/json" id="{prefix}-data">{payload}</script>'
        f"</figure>"
    )
    return Explorable(kind, markup, n_cells, len(payload.encode("utf-8")))


def push_explorer(grid: pd.DataFrame, actual: Sequence[tuple[float, float, str]], *, beta: float = 6.0,
                  horizon_months: int = 24) -> Explorable:
    """The push: sliders for push size, push start and network effect over the ``push_explorer`` grid.

    Parameters
    ----------
    grid : pandas.DataFrame
        The ``push_explorer`` artefact (``beta, size, timing, share, long_run, outcome``, a full grid).
    actual : sequence of (float, float, str)
        The pushes that happened, ``(millions, years since launch, label)``
        (:func:`analysis.report.adoption_plots.actual_pushes`); the sliders start at the first one's nearest
        grid cell and the phase diagram marks each.
    beta : float, default 6.0
        The starting network-effect strength (the model's default).
    horizon_months : int, default 24
        When ``share`` is read, for the words.

    Returns
    -------
    Explorable

    Raises
    ------
    ValueError
        If ``grid`` is not a full grid (one row per ``beta, size, timing``).
    """
    betas, sizes, timings = (sorted(grid[c].unique()) for c in ("beta", "size", "timing"))
    if len(grid) != len(betas) * len(sizes) * len(timings) or grid.duplicated(["beta", "size", "timing"]).any():
        raise ValueError("push_explorer is not a full beta x size x timing grid")
    g = grid.sort_values(["beta", "size", "timing"], kind="stable")
    share, long_run = _units(g["share"]), _units(g["long_run"])
    outcome = "".join(o[0] for o in g["outcome"])
    first = actual[0] if actual else (sizes[len(sizes) // 2], timings[len(timings) // 2], "")
    start = {"beta": _nearest(betas, beta), "size": _nearest(sizes, first[0]), "timing": _nearest(timings, first[1])}
    data = {
        "order": ["beta", "size", "timing"],
        "beta": {"values": betas, "labels": [f"{b:g}" for b in betas]},
        "size": {"values": sizes, "labels": [f"{_millions(s)} million" for s in sizes]},
        "timing": {"values": timings, "labels": [_month(t) for t in timings],
                   "years": [round(_LAUNCH_YEAR + t, 4) for t in timings]},
        "share": share, "long_run": long_run, "outcome": outcome,
        "outcome_words": {k[0]: v for k, v in _OUTCOME_WORDS.items()},
        "actual": [{"size": float(s), "year": round(_LAUNCH_YEAR + float(t), 4), "label": str(lab)}
                   for s, t, lab in actual],
        "start": start,
    }
    i = (start["beta"] * len(sizes) + start["size"]) * len(timings) + start["timing"]
    controls = "".join([
        _slider("explore-push", "size", "Push size (users brought in)", len(sizes), start["size"],
                data["size"]["labels"][start["size"]], "1 to 1,000 million, 31 steps on a log scale"),
        _slider("explore-push", "timing", "Push start", len(timings), start["timing"],
                data["timing"]["labels"][start["timing"]], "every quarter, April 2011 to July 2014"),
        _slider("explore-push", "beta", "Network-effect strength β", len(betas), start["beta"],
                data["beta"]["labels"][start["beta"]], "1 (weak) to 10 (strong); the chapter assumes 6"),
    ])
    readout = (f'Laiwang\'s share {horizon_months} months after the push: '
               f'<strong data-out="share">{_pct(share[i])}</strong>; in the long run: '
               f'<strong data-out="long_run">{_pct(long_run[i])}</strong>, so it '
               f'<strong data-out="outcome">{esc(_OUTCOME_WORDS[g["outcome"].iloc[i]])}</strong>.')
    model = ("A model of two messengers with network effects: each new or reconsidering user picks Laiwang with "
             "a logit probability that grows with Laiwang's share, while the market grows along WeChat's fitted "
             "Bass curve.")
    return _figure("push", "Try it: the push.", model, controls, readout,
                   "Phase diagram at the chosen network effect: push size against push start, coloured by the "
                   "long-run verdict, with the chosen push as a ring and the actual pushes as stars.",
                   "Without JavaScript the sliders do not move; the readout shows the push as it happened "
                   "(nearest grid cell) at the chapter's network effect.", data, len(g))


def seeding_explorer(grid: pd.DataFrame, *, theta: float = 0.35, budget: float = 0.05,
                     style: float = 0.0) -> Explorable:
    """Seeding: sliders for seed budget, seeding style and adoption threshold over the ``seeding_explorer`` grid.

    Parameters
    ----------
    grid : pandas.DataFrame
        The ``seeding_explorer`` artefact (a full ``budget x style x theta`` grid).
    theta, budget, style : float
        Starting position (nearest grid values): the chapter's threshold, a 5% budget, all scattered.

    Returns
    -------
    Explorable

    Raises
    ------
    ValueError
        If ``grid`` is not a full grid.
    """
    budgets, styles, thetas = (sorted(grid[c].unique()) for c in ("budget", "style", "theta"))
    if len(grid) != len(budgets) * len(styles) * len(thetas) or grid.duplicated(["budget", "style", "theta"]).any():
        raise ValueError("seeding_explorer is not a full budget x style x theta grid")
    g = grid.sort_values(["budget", "style", "theta"], kind="stable")
    per_budget = g.drop_duplicates("budget")
    n_people = int(round(float(per_budget["n_seeds"].iloc[-1]) / float(per_budget["budget"].iloc[-1])))
    retained, final = _units(g["retained_share"]), _units(g["final_share"])
    start = {"budget": _nearest(budgets, budget), "style": _nearest(styles, style), "theta": _nearest(thetas, theta)}
    clustered = g.drop_duplicates(["budget", "style"])["n_clustered"].astype(int).tolist()
    data = {
        "order": ["budget", "style", "theta"],
        "budget": {"values": budgets, "labels": [f"{100 * b:g}% of the people" for b in budgets],
                   "n_seeds": per_budget["n_seeds"].astype(int).tolist()},
        "style": {"values": styles, "labels": [f"{100 * s:.0f}% clustered" for s in styles]},
        "theta": {"values": thetas, "labels": [f"{t:.3f}".rstrip("0").rstrip(".") for t in thetas]},
        "n_clustered": clustered, "retained": retained, "final": final, "n_people": n_people, "start": start,
    }
    i = (start["budget"] * len(styles) + start["style"]) * len(thetas) + start["theta"]
    k = data["budget"]["n_seeds"][start["budget"]]
    n_cl = clustered[start["budget"] * len(styles) + start["style"]]
    controls = "".join([
        _slider("explore-seeding", "budget", "Seed budget", len(budgets), start["budget"],
                data["budget"]["labels"][start["budget"]], "0.5% to 10% of the people"),
        _slider("explore-seeding", "style", "Seeding style", len(styles), start["style"],
                data["style"]["labels"][start["style"]],
                "scattered (0%) ↔ clustered (100%): the share of the seeds placed as whole organisations"),
        _slider("explore-seeding", "theta", "Adoption threshold θ", len(thetas), start["theta"],
                data["theta"]["labels"][start["theta"]], "the share of one's contacts who must use it"),
    ])
    readout = (f'Recruits retained: <strong data-out="retained">{_pct(retained[i])}</strong> of the '
               f'<span data-out="n_seeds">{k:,}</span> seeded people (<span data-out="n_clustered">{n_cl:,}</span> '
               f'of them in whole organisations); people using it at the end: '
               f'<strong data-out="final">{_pct(final[i])}</strong> of {n_people:,}.')
    model = (f"A model of a threshold cascade on a network of {n_people // 50:,} organisations of 50 people (most "
             f"ties inside): a person keeps using the messenger only if at least a share θ of their contacts do.")
    return _figure("seeding", "Try it: seeding.", model, controls, readout,
                   "Curve of the share of recruits retained against the seed budget, at the chosen style and "
                   "threshold, with all-scattered and all-clustered seeding for reference.",
                   "Without JavaScript the sliders do not move; the readout shows a 5% budget, all scattered, at "
                   "the chapter's threshold.", data, len(g))


def _step_range(value: float, lo: float, hi: float, step: float, decimals: int) -> tuple[float, float]:
    """Slider bounds near ``[lo, hi]`` on which ``value`` is a whole number of steps."""
    below = math.floor((value - lo) / step + 1e-9)
    above = math.floor((hi - value) / step + 1e-9)
    return round(value - below * step, decimals), round(value + above * step, decimals)


def forecast_explorer(fit: pd.DataFrame, forecast: pd.DataFrame, mau: pd.DataFrame) -> Explorable:
    """The forecast: sliders for ``p``, ``q`` and ``m`` over WeChat's Bass curve, computed in the browser.

    Parameters
    ----------
    fit : pandas.DataFrame
        The ``wechat_fit`` artefact: the sliders start at its estimates.
    forecast : pandas.DataFrame
        The ``wechat_forecast`` artefact: its 90% band (``p05``–``p95``) is drawn for reference, and its last
        quarter is the one the readout reports.
    mau : pandas.DataFrame
        WeChat's observed MAU (:func:`analysis.report.adoption.wechat_mau`): the fitted quarters are drawn.

    Returns
    -------
    Explorable

    Raises
    ------
    ValueError
        If ``fit`` lacks ``p``, ``q`` or ``m``.
    """
    est = dict(zip(fit["parameter"], fit["estimate"], strict=True))
    if not {"p", "q", "m"} <= set(est):
        raise ValueError("wechat_fit lacks p, q or m")
    p, q, m = (float(est[k]) for k in ("p", "q", "m"))
    obs = mau[mau["t"] > 0].sort_values("t")
    band_t = quarter_end_years(list(forecast["quarter"]))
    last = forecast.iloc[-1]
    data = {
        "fit": {"p": p, "q": q, "m": m},
        "launch_year": round(_LAUNCH_YEAR, 6),
        "observed": [{"quarter": str(r.quarter), "t": float(r.t), "mau": float(r.mau_millions)}
                     for r in obs.itertuples()],
        "band": [{"quarter": str(qq), "t": float(t), "p05": float(lo), "p95": float(hi)}
                 for qq, t, lo, hi in zip(forecast["quarter"], band_t, forecast["p05"], forecast["p95"], strict=True)],
        "target": {"quarter": str(last["quarter"]), "t": float(band_t[-1])},
    }
    specs = (("p", "Innovation p", 0.0005, 0.1, 0.0005, 4, ""), ("q", "Imitation q", 0.1, 2.5, 0.01, 4, ""),
             ("m", "Market potential m", 200.0, 2500.0, 5.0, 1, " million"))
    controls = "".join(_value_slider("explore-forecast", name, label, *_step_range(v, lo, hi, step, dec), step, v,
                                     dec, unit)
                       for (name, label, lo, hi, step, dec, unit), v in zip(specs, (p, q, m), strict=True))
    n_target = m * (1 - math.exp(-(p + q) * data["target"]["t"])) / (1 + q / p * math.exp(-(p + q) * data["target"]["t"]))
    peak = _LAUNCH_YEAR + math.log(q / p) / (p + q) if q > p else _LAUNCH_YEAR
    readout = (f'WeChat\'s MAU at the end of {esc(last["quarter"])}: <strong data-out="target">{n_target:.1f}</strong> '
               f'million (the fit\'s 90% band: {float(last["p05"]):.1f}–{float(last["p95"]):.1f}); adoption peaks in '
               f'<strong data-out="peak">{peak:.1f}</strong>.')
    model = ("The Bass model of WeChat's monthly active users, N(t) = m F(t) with F(t) = (1 − exp(−(p+q)t)) / "
             "(1 + (q/p) exp(−(p+q)t)), t in years since the launch; the sliders start at the fitted values.")
    return _figure("forecast", "Try it: the forecast.", model, controls, readout,
                   "WeChat's MAU: the Bass curve for the chosen p, q and m, the fitted curve, the six fitted "
                   "quarters and the forecast's 90% bootstrap band.",
                   "Without JavaScript the sliders do not move; the readout shows the fitted curve.", data, 0)
