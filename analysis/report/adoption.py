"""The adoption chapter's tables: WeChat's MAU, the forecast, the cascades and the scenarios.

Each function takes an artefact of the ``adopt`` stage (or the external MAU
series) and returns a table from :func:`analysis.report.tables.html_table`.
The figures are in :mod:`analysis.report.adoption_plots`, the numbers that
the prose quotes in :func:`analysis.report.facts.adoption_facts`.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from analysis.adoption.wechat import WECHAT_LAUNCH, load_wechat_mau
from analysis.report.display import HTMLTable, Markdown
from analysis.report.escape import esc, md_escape
from analysis.report.overview import _MONTHS
from analysis.report.quotes import figure_en, short_id, strategy_name, term_html
from analysis.report.tables import html_table

__all__ = ["wechat_mau", "mau_table", "forecast_table", "cascades_table", "scenarios_table", "parameters_table",
           "parameter_lines", "PARAMETER_WORDS", "PARAMETER_WORDS_SHORT", "verdict_groups"]


def wechat_mau() -> pd.DataFrame:
    """WeChat's observed quarterly MAU (external data), with the launch point.

    Returns
    -------
    pandas.DataFrame
        ``quarter, t, mau_millions, source`` (see
        :func:`analysis.adoption.wechat.load_wechat_mau`).
    """
    return load_wechat_mau()


def mau_table(mau: pd.DataFrame) -> HTMLTable:
    """The MAU series that the Bass model is fitted to.

    Parameters
    ----------
    mau : pandas.DataFrame
        :func:`wechat_mau` output.

    Returns
    -------
    HTMLTable
        ``t`` rounded to 3 decimals.
    """
    return html_table(mau[["quarter", "t", "mau_millions", "source"]].round({"t": 3}),
                      labels={"t": "years since launch", "mau_millions": "MAU (millions)"})


def forecast_table(forecast: pd.DataFrame) -> HTMLTable:
    """The out-of-sample MAU forecast with its 90% band.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The ``wechat_forecast`` artefact.

    Returns
    -------
    HTMLTable
    """
    return html_table(forecast, labels={"p05": "5% (millions)", "p50": "median (millions)",
                                        "p95": "95% (millions)"})


def cascades_table(cascades: pd.DataFrame) -> HTMLTable:
    """Threshold cascades: the share of seeded users retained, scattered vs clustered, per graph and budget.

    Parameters
    ----------
    cascades : pandas.DataFrame
        The ``cascade_comparison`` artefact.

    Returns
    -------
    HTMLTable
        One row per graph and seed budget; the retained and final shares of each seeding side by side,
        as percentages.
    """
    wide = cascades.pivot_table(index=["graph", "seed_share", "n_seeds"], columns="seeding",
                                values=["retained_share", "final_share"]).reset_index()
    wide.columns = ["_".join(str(c) for c in col if c) for col in wide.columns]
    pct = {c: _pct for c in wide.columns if c.endswith(("clustered", "scattered"))}
    shown = wide.assign(seed_share=[f"{100 * v:g}%" for v in wide["seed_share"]])
    cols = ["graph", "seed_share", "n_seeds", *[c for c in ("retained_share_scattered", "retained_share_clustered",
                                                            "final_share_scattered", "final_share_clustered")
                                                if c in shown]]
    return html_table(shown[cols], formats=pct, widths={"graph": "medium"},
                      labels={"graph": "Graph", "seed_share": "Seed budget", "n_seeds": "Seeded people",
                              "retained_share_scattered": "Seeds retained, scattered",
                              "retained_share_clustered": "Seeds retained, clustered",
                              "final_share_scattered": "Final adopters, scattered",
                              "final_share_clustered": "Final adopters, clustered"})


def _pct(value: float) -> str:
    return f"{100 * float(value):.1f}%"


#: Each scenario parameter in words, with how its value reads (``{}`` is the formatted value).
PARAMETER_WORDS: dict[str, tuple[str, str]] = {
    "beta": ("network effect β", "{}"),
    "revise": ("reconsideration rate r", "{} a year"),
    "promo": ("promotion boost π", "{}"),
    "duration": ("push length", "{} years"),
    "t_push": ("push start", "{}"),
    "seeds_m": ("users brought in", "{} million"),
    "delta": ("intrinsic preference δ", "{}"),
    "niche_delta": ("niche preference δ", "{}"),
    "niche_weight": ("niche size", "{} of users"),
    "alibaba_users_m": ("Alibaba users", "{} million"),
    "wangxin_installs_m": ("Wangxin installs", "{} million"),
    "conversion": ("conversion rate", "{}"),
    "employees": ("Alibaba employees", "{}"),
    "friends_per_employee": ("outside friends per employee", "{}"),
    "market_users": ("people in the network", "{}"),
    "seeding": ("seeding", "{}"),
    "theta": ("adoption threshold θ", "{}"),
    "intensity": ("extra promotion effort", "{}× the usual"),
    "prize_budget": ("prize budget", "CNY {}"),
}
_SPLIT_SOURCES = re.compile(r"; (?=[a-z_]+: )")
_ARTICLE_SOURCE = re.compile(r'^article (\S+) "([^"]*)" \(([^)]*)\)$')


def _value_words(name: str, value: float) -> str:
    if name == "t_push":
        day = pd.Timestamp(WECHAT_LAUNCH) + pd.Timedelta(days=365.25 * float(value))
        return f"{_MONTHS[day.month - 1]} {day.year}"
    if name == "seeding":
        return "clustered (whole organisations)" if value >= 0.5 else "scattered (across the network)"
    if name == "niche_weight":
        return f"{100 * value:.0f}%"
    text = (f"{value / 1e6:g} million" if value >= 1e6 else f"{value:,.0f}" if value >= 1000 else f"{value:g}")
    return PARAMETER_WORDS.get(name, (name, "{}"))[1].format(text)


def _source_words(name: str, src: str, numbers: pd.DataFrame | None, value_words: str = "") -> str:
    """The provenance of one parameter as HTML: assumed with its range, an article quote with its English..."""
    src = src.strip()
    ranged = re.fullmatch(r"assumed \(range ([-\d.e+]+)-([-\d.e+]+)\)", src)
    if ranged:
        lo, hi = (float(x) for x in ranged.groups())
        span = f"{100 * lo:g}–{100 * hi:g}%" if name == "niche_weight" else f"{lo:g}–{hi:g}"
        return esc(f"assumed, {span}")
    art = _ARTICLE_SOURCE.match(src)
    if art:
        aid, quote, subject = art.groups()
        row = None if numbers is None else numbers[(numbers["article_id"] == aid) & (numbers["quote"] == quote)]
        english = (figure_en(*row.iloc[0][["value", "unit", "hedge"]], quote) if row is not None and len(row)
                   else subject)
        return f"article {esc(short_id(aid))}: {term_html(quote, f'“{english}”')}"
    if src.startswith("external:"):
        return esc(src.split(", years since")[0])
    if src.startswith("assumed:") and value_words and src.removeprefix("assumed:").strip().startswith(
            value_words.split(" ")[0]):
        return "assumed"
    return esc(src)


def parameter_lines(parameters: str, sources: str, numbers: pd.DataFrame | None = None) -> str:
    """A scenario's ``parameters`` JSON as readable lines: ``network effect β = 6 (assumed, 3–10)``.

    Parameters
    ----------
    parameters : str
        The ``parameters`` JSON of a ``scenarios`` row.
    sources : str
        Its ``param_sources`` (``name: source; name: source``).
    numbers : pandas.DataFrame, optional
        The ``numbers`` artefact: an article figure is shown as quoted and in English.

    Returns
    -------
    str
        HTML, one parameter a line; ``""`` for a scenario with no parameters.
    """
    values = json.loads(parameters) if str(parameters or "").strip() else {}
    srcs = {}
    for part in _SPLIT_SOURCES.split(str(sources or "")):
        name, _, text = part.partition(": ")
        srcs[name.strip()] = text
    lines = []
    for name, value in values.items():
        label = PARAMETER_WORDS.get(name, (name.replace("_", " "), "{}"))[0]
        words = _value_words(name, float(value))
        src = _source_words(name, srcs.get(name, ""), numbers, words) if srcs.get(name) else ""
        lines.append(f"{esc(label)} = {esc(words)}" + (f" <small>({src})</small>" if src else ""))
    return "<br>".join(lines)


_MODEL_NAMES = {"competition": "two-platform competition", "cascade": "threshold cascade",
                "gbm": "generalized Bass", "none": "—"}


def _result_words(model: str, value: float, horizon_months: int) -> str:
    if pd.isna(value) or model == "none":
        return "—"
    if model == "competition":
        return f"{100 * value:.1f}% share {horizon_months} months after the push"
    if model == "cascade":
        return f"{100 * value:.0f}% of the seeded users retained"
    if model == "gbm":
        return f"90% adoption reached {value:g} months earlier"
    return f"{value:g}"


def scenarios_table(scen: pd.DataFrame, horizon_months: int = 24) -> HTMLTable:
    """One model run per strategy: the strategy's English name, model, result and verdict.

    Parameters
    ----------
    scen : pandas.DataFrame
        The ``scenarios`` artefact.
    horizon_months : int, default 24
        When the competition model's share is read (``CompetitionParams.horizon``).

    Returns
    -------
    HTMLTable
        Modelled strategies first.
    """
    order = scen.assign(_none=scen["model"] == "none").sort_values(["_none", "model", "strategy_id"], kind="stable")
    def result(model: str, value: float, long_run: float) -> str:
        if model == "none":
            return "—"
        extra = [_MODEL_NAMES.get(model, model)] + ([] if pd.isna(long_run) else [f"long run {100 * long_run:.1f}%"])
        return f"{esc(_result_words(model, value, horizon_months))}<br><small>{esc('; '.join(extra))}</small>"

    shown = pd.DataFrame({
        "strategy": [strategy_name(s) for s in order["strategy_id"]],
        "result": [result(m, v, lr) for m, v, lr in zip(order["model"], order["outcome_value"],
                                                        order["long_run_share"], strict=True)],
        "verdict": order["verdict"],
    })
    return html_table(shown, markup=["result"], widths={"strategy": "medium", "result": "medium", "verdict": "wide"},
                      labels={"strategy": "Strategy", "result": "Result (model)", "verdict": "Verdict"})


def parameters_table(scen: pd.DataFrame, numbers: pd.DataFrame | None = None) -> HTMLTable:
    """Each modelled scenario's parameters in words, each with where it comes from (article, external, assumed).

    Parameters
    ----------
    scen : pandas.DataFrame
        The ``scenarios`` artefact.
    numbers : pandas.DataFrame, optional
        The ``numbers`` artefact (article figures are shown as quoted and in English).

    Returns
    -------
    HTMLTable
    """
    d = scen[scen["model"] != "none"]
    shown = pd.DataFrame({"strategy": [strategy_name(s) for s in d["strategy_id"]],
                          "parameters": [parameter_lines(p, s, numbers) for p, s in zip(d["parameters"],
                                                                                         d["param_sources"],
                                                                                         strict=True)]})
    return html_table(shown, markup=["parameters"], widths={"strategy": "medium", "parameters": "wide"},
                      labels={"strategy": "Strategy", "parameters": "Parameters (and where each comes from)"})


#: What each kind of model verdict means, for :func:`verdict_groups` (keyed by the scenario's outcome label).
_GROUPS: dict[str, tuple[str, str]] = {
    "registrations churn": ("Scattered recruits churn", "scattered recruits rarely keep enough friends on the app "
                            "to stay, whatever the assumptions."),
    "faster, same ceiling": ("A promotion buys time, not users", "the pulse moves adoption earlier and leaves the "
                             "ceiling where it was."),
    "fade": ("Fades", "the push lands below the critical mass and Laiwang drifts back to a negligible share; "
             "with weaker network effects than assumed, a small niche survives."),
    "niche": ("Holds a niche", "a segment that prefers Laiwang keeps a stable minority share, but the segment's "
              "size and preference are assumptions the articles do not measure: plausible, not shown."),
    "registrations stick": ("Clustered seeding sticks", "seeding whole organisations keeps the users that "
                            "scattering loses, which fits DingTalk's later growth."),
    "not modelled": ("Outside the models", "organisation, investment, licences and positioning are beyond what an "
                     "adoption model can say; the articles' evidence is all there is."),
}


def verdict_groups(scen: pd.DataFrame) -> Markdown:
    """The scenarios grouped by verdict, one bullet per verdict with the strategies' English names.

    Parameters
    ----------
    scen : pandas.DataFrame
        The ``scenarios`` artefact.

    Returns
    -------
    Markdown
        Bullets in the order of :data:`_GROUPS` (verdicts it does not know come last, by name).
    """
    known = list(_GROUPS)
    order = sorted(scen["outcome"].unique(), key=lambda o: (known.index(o) if o in known else len(known), o))
    lines = []
    for outcome in order:
        names = sorted(strategy_name(s) for s in scen.loc[scen["outcome"] == outcome, "strategy_id"])
        title, meaning = _GROUPS.get(outcome, (outcome, ""))
        lines.append(f"- **{md_escape(title)}** ({md_escape('; '.join(names))}): {md_escape(meaning)}")
    return Markdown("\n".join(lines))


#: Parameter name -> its words, without the value's format (for figure labels).
PARAMETER_WORDS_SHORT: dict[str, str] = {k: v[0] for k, v in PARAMETER_WORDS.items()}
