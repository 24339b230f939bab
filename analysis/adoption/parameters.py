r"""The parameters of the strategy scenarios, each with its provenance.

Every modelled strategy (:func:`scenario_specs`) is a model and a set of
parameters (:class:`Param`), each from one of three places, recorded in its
``source``:

* **article** -- a figure found in ``numbers.csv`` by pattern (:class:`NumberPattern`: subject, unit and
  quote regexes; :data:`ARTICLE_FIGURES`), cited as ``article_id "quote"``.  Figures are never typed in:
  if ``numbers.csv`` is missing or lacks the figure, the parameter falls back to an *assumed* value and
  the source says ``assumed (fallback: ...)``, with a range of +-50% for the sensitivity analysis;
* **external** -- a dated figure from ``data/external`` (:mod:`analysis.checks.external`) with its source;
* **assumed** -- a modelling assumption, with the range :math:`[\text{low}, \text{high}]` used in the
  sensitivity analysis.

The runs themselves are in :mod:`analysis.adoption.scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.adoption.wechat import years_since_launch

__all__ = [
    "PUSH_PERIOD",
    "NumberPattern",
    "ARTICLE_FIGURES",
    "lookup_number",
    "Param",
    "Spec",
    "scenario_specs",
]

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

    Raises
    ------
    ValueError
        If ``numbers`` lacks one of the columns the pattern needs.
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


#: The article figures the scenarios need, by name, each with its fallback.
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
        """Whether the value is a modelling assumption (and so perturbed in the sensitivity analysis)."""
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
