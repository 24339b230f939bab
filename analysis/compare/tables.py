"""Comparison tables: products, timeline, strategies and authors.

The ``compare`` stage reads what the earlier stages wrote and the project's
lexicons, and writes five tables to ``data/processed``:

``features.csv`` and ``feature_cells.csv``
    The product feature matrix.  A cell *(product p, feature f)* is filled by a
    sentence :math:`s` when some clause :math:`c \\subset s` contains a cue of
    :math:`f` and a mention of :math:`p`, and :math:`p` is the mention nearest
    to the cue in :math:`c`.  Its status is ``no`` under a negation cue,
    ``proposed`` in a recommendation or prediction (or under a proposal cue),
    else ``yes``.  Launch dates come from the timeline, user figures from
    ``numbers.csv``.  An empty cell means *not stated in the corpus*.
``timeline.csv``
    Dated events.  Dates are parsed from the text (``2013年8月19日``,
    ``9月23号到25号``, ``今年年初``, ``4年前``); a date with no year takes it
    from the article's date or, when that is missing or is a later repost
    date, from the text (see :func:`article_reference`).  The event comes from
    the cue patterns of ``data/lexicon/events.yaml``.
``strategy_comparison.csv``
    One row per strategy of the codebook: the articles' stances
    (``strategy_stance.csv``), the models' verdicts (``scenarios.csv``) and
    what happened (``data/lexicon/outcomes.yaml``).
``authors.csv``
    One row per article: date, claim types, stance balance, top themes.

Inputs that do not exist yet (a stage not run) give empty columns, never an
error, so the chapters execute at every stage of the project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis import config
from analysis.extract.dates import DateMention, Reference, article_reference, find_dates, resolve_date  # noqa: F401
from analysis.extract.ids import split_claim_id

__all__ = [
    "FEATURES_FILE",
    "EVENTS_FILE",
    "OUTCOMES_FILE",
    "STATUSES",
    "DateMention",
    "Reference",
    "load_features",
    "load_events",
    "load_outcomes",
    "split_clauses",
    "find_products",
    "attribute_features",
    "feature_cells",
    "feature_matrix",
    "find_dates",
    "article_reference",
    "resolve_date",
    "date_mentions",
    "timeline",
    "format_figure",
    "strategy_comparison",
    "author_comparison",
]

FEATURES_FILE: Path = config.FEATURES_FILE
EVENTS_FILE: Path = config.EVENTS_FILE
OUTCOMES_FILE: Path = config.OUTCOMES_FILE

#: Status of a feature mention, in display order.
STATUSES: tuple[str, ...] = ("yes", "no", "proposed")
#: Claim types whose feature mentions are proposals, not facts.
PROPOSAL_TYPES = frozenset({"recommendation", "prediction"})
#: Derived feature columns (not cue-based).
DERIVED = (("launch_date", "Launch date"), ("user_figures", "User figures"))

FEATURE_CELL_COLUMNS = ["product_id", "feature_id", "status", "value", "claim_id", "article_id", "cue", "clause"]
TIMELINE_COLUMNS = [
    "date", "precision", "qualifier", "relative", "year_basis", "date_text", "event_id", "event", "kind",
    "product_id", "article_id", "claim_id", "sentence", "external_date", "external_source", "external_agrees",
]
STRATEGY_COLUMNS = [
    "strategy_id", "strategy", "supports", "criticises", "reports", "n_supports", "n_criticises", "n_reports",
    "evidence_claims", "models", "model_outcome", "model_verdict", "actual_outcome", "outcome_sources",
]
AUTHOR_COLUMNS = [
    "article_id", "title", "author", "date", "reference_year", "date_basis", "n_claims", "n_recommendation",
    "n_prediction", "n_causal", "n_fact", "n_other", "n_supports", "n_criticises", "n_reports",
    "share_criticising", "overall_stance", "top_themes",
]
CLAIM_TYPES = ("recommendation", "prediction", "causal", "fact", "other")

_CLAUSE_SEP = re.compile(r"[,，;；:：、?？!！。]")
_CJK = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------------------
# lexicons
# ---------------------------------------------------------------------------
def _read_yaml(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping at the top level")
    return data


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    return [str(v) for v in value]


@lru_cache(maxsize=4)
def load_features(path: Path = FEATURES_FILE) -> dict[str, Any]:
    """Read and check ``features.yaml`` (products, features, status cues).

    Returns
    -------
    dict
        ``products`` and ``features`` (tuples of dicts with list fields
        normalised), ``negation``, ``existing``, ``proposal``, ``user_units``
        (tuples of str) and ``min_user_figure`` (float).

    Raises
    ------
    ValueError
        On a missing field, a duplicate id or an empty alias/cue list.
    """
    data = _read_yaml(path)
    out: dict[str, Any] = {}
    for key, needed in (("products", ("id", "name", "name_zh", "aliases")), ("features", ("id", "name", "cues"))):
        items, seen = [], set()
        for i, item in enumerate(data.get(key) or []):
            where = f"{Path(path).name}: {key}[{i}]"
            missing = [f for f in needed if not item.get(f)]
            if missing:
                raise ValueError(f"{where} lacks {', '.join(missing)}")
            if item["id"] in seen:
                raise ValueError(f"{where}: duplicate id {item['id']!r}")
            seen.add(item["id"])
            terms = "aliases" if key == "products" else "cues"
            items.append({**item, terms: _str_list(item[terms], where), "not": _str_list(item.get("not"), where)})
        if not items:
            raise ValueError(f"{Path(path).name}: no {key}")
        out[key] = tuple(items)
    for key in ("negation", "existing", "proposal", "user_units"):
        out[key] = tuple(_str_list(data.get(key), f"{Path(path).name}: {key}"))
    out["min_user_figure"] = float(data.get("min_user_figure", 0))
    return out


@lru_cache(maxsize=4)
def load_events(path: Path = EVENTS_FILE) -> tuple[dict[str, Any], ...]:
    """Read and check the event cue patterns of ``events.yaml``.

    Raises
    ------
    ValueError
        On a missing ``id``/``event``/``kind``, a duplicate id, or a rule with
        no ``all``, ``any`` or ``subject`` terms (it would match everything).
    """
    rules, seen = [], set()
    for i, item in enumerate(_read_yaml(path).get("events") or []):
        where = f"{Path(path).name}: events[{i}]"
        for f in ("id", "event", "kind"):
            if not item.get(f):
                raise ValueError(f"{where} lacks {f}")
        if item["id"] in seen:
            raise ValueError(f"{where}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        rule = {**item}
        for f in ("all", "any", "none", "subject"):
            rule[f] = _str_list(item.get(f), f"{where}.{f}")
        if not (rule["all"] or rule["any"]):
            raise ValueError(f"{where}: a rule needs `all` or `any` terms")
        rule.setdefault("product", "")
        rule.setdefault("group", "")
        rule["external"] = dict(item.get("external") or {})
        rules.append(rule)
    if not rules:
        raise ValueError(f"{Path(path).name}: no events")
    return tuple(rules)


def load_outcomes(path: Path = OUTCOMES_FILE) -> tuple[dict[str, Any], ...]:
    """Read ``outcomes.yaml``: known outcomes of strategies, each with sources.

    Raises
    ------
    ValueError
        When an entry has no strategy, no outcome text or no source.
    """
    out = []
    for i, item in enumerate(_read_yaml(path).get("outcomes") or []):
        where = f"{Path(path).name}: outcomes[{i}]"
        if not item.get("strategy") or not str(item.get("outcome", "")).strip():
            raise ValueError(f"{where} needs a strategy and an outcome")
        if not item.get("sources"):
            raise ValueError(f"{where} ({item['strategy']}) has no sources")
        out.append({"strategy": item["strategy"], "outcome": " ".join(str(item["outcome"]).split()),
                    "sources": list(item["sources"])})
    return tuple(out)


# ---------------------------------------------------------------------------
# product mentions and feature attribution
# ---------------------------------------------------------------------------
def split_clauses(text: str) -> list[tuple[int, int]]:
    """Split a sentence into clause spans at Chinese and Latin punctuation.

    Returns
    -------
    list of (int, int)
        Half-open, non-empty spans covering the text minus the separators.
    """
    spans, start = [], 0
    for m in _CLAUSE_SEP.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _term_spans(text: str, term: str) -> list[tuple[int, int]]:
    if _CJK.search(term):
        return [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
    pat = re.compile(r"(?<![A-Za-z])" + re.escape(term) + r"(?![A-Za-z])", re.I)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


def _live_spans(text: str, terms: Iterable[str], not_words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Occurrences of ``terms``, longest first, not inside a ``not`` word or a longer term."""
    blocked = [s for w in not_words for s in _term_spans(text, w)]
    found: list[tuple[int, int, str]] = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        for a, b in _term_spans(text, term):
            if any(x <= a and b <= y for x, y in blocked):
                continue
            if any(x <= a and b <= y for x, y, _ in found):
                continue
            found.append((a, b, term))
    return sorted(found)


def find_products(text: str, products: Sequence[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """Product mentions in a text: ``(start, end, product_id)``, sorted by position.

    A mention inside a longer mention (旺旺 inside 阿里旺旺) or inside a
    ``not`` word (来往 inside 往来) does not count.
    """
    hits: list[tuple[int, int, str]] = []
    for p in products:
        blocked = [s for w in p.get("not", []) for s in _term_spans(text, w)]
        for alias in p["aliases"]:
            for a, b in _term_spans(text, alias):
                if not any(x <= a and b <= y for x, y in blocked):
                    hits.append((a, b, p["id"]))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2]))
    kept: list[tuple[int, int, str]] = []
    for h in hits:
        if not any(x <= h[0] and h[1] <= y for x, y, _ in kept):
            kept.append(h)
    return kept


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _status(clause: str, product_span: tuple[int, int], cue_span: tuple[int, int], claim_type: str,
            lex: dict[str, Any]) -> str:
    before_cue = clause[: max(cue_span[1], product_span[1])]
    if any(w in before_cue for w in lex["existing"]):
        return "yes"
    if any(w in before_cue for w in lex["negation"]):
        return "no"
    if claim_type in PROPOSAL_TYPES or any(w in clause for w in lex["proposal"]):
        return "proposed"
    return "yes"


def attribute_features(sentence: str, claim_type: str = "other", lex: dict[str, Any] | None = None
                       ) -> list[dict[str, Any]]:
    """Attribute the feature cues of one sentence to the products it names.

    Parameters
    ----------
    sentence : str
        Clean Simplified sentence.
    claim_type : str, default "other"
        The sentence's type in ``claims.csv``; recommendations and
        predictions give the status ``proposed``.
    lex : dict, optional
        :func:`load_features` output (default: the project lexicon).

    Returns
    -------
    list of dict
        One dict per (product, feature, clause) with keys ``product_id,
        feature_id, status, cue, clause``, in sentence order.  A cue with no
        product in its clause gives nothing.
    """
    lex = lex or load_features()
    out: list[dict[str, Any]] = []
    for a, b in split_clauses(sentence):
        clause = sentence[a:b]
        prods = find_products(clause, lex["products"])
        if not prods:
            continue
        for feat in lex["features"]:
            for ca, cb, cue in _live_spans(clause, feat["cues"], feat["not"]):
                pa, pb, pid = min(prods, key=lambda p, s=(ca, cb): (_gap((p[0], p[1]), s), p[0] > s[0], p[0]))
                row = {"product_id": pid, "feature_id": feat["id"], "cue": cue, "clause": clause,
                       "status": _status(clause, (pa, pb), (ca, cb), claim_type, lex)}
                if not any(r["product_id"] == pid and r["feature_id"] == feat["id"] and r["clause"] == clause
                           for r in out):
                    out.append(row)
    return out


def _claims_text(claims: pd.DataFrame) -> pd.Series:
    return claims["sentence_clean"] if "sentence_clean" in claims.columns else claims["sentence"]


def _claim_for_span(claims: pd.DataFrame, article_id: str, start: int) -> str:
    sub = claims[(claims["article_id"] == article_id) & (claims["start"] <= start) & (claims["end"] > start)]
    return str(sub["claim_id"].iloc[0]) if len(sub) else ""


def _user_figure_rows(numbers: pd.DataFrame, claims: pd.DataFrame, lex: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    if numbers is None or numbers.empty:
        return rows
    names = sorted(((p["name"].split(" (")[0], p["id"]) for p in lex["products"]), key=lambda t: -len(t[0]))
    for _, n in numbers.iterrows():
        if str(n["unit"]) not in lex["user_units"] or float(n["value"]) < lex["min_user_figure"]:
            continue
        subject = str(n["subject"])
        pid = next((i for name, i in names if re.match(re.escape(name) + r"(?![A-Za-z])", subject, re.I)), "")
        if not pid:
            continue
        cid = _claim_for_span(claims, str(n["article_id"]), int(n["start"]))
        if not cid:
            continue
        ctype = str(claims.loc[claims["claim_id"] == cid, "type"].iloc[0])
        rows.append({"product_id": pid, "feature_id": "user_figures",
                     "status": "proposed" if ctype in PROPOSAL_TYPES else "yes",
                     "value": format_figure(float(n["value"]), str(n["unit"]), str(n["quote"])),
                     "claim_id": cid, "article_id": str(n["article_id"]), "cue": str(n["quote"]), "clause": subject})
    return rows


def feature_cells(claims: pd.DataFrame, numbers: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
                  lex: dict[str, Any] | None = None) -> pd.DataFrame:
    """Long-form feature matrix: one row per (product, feature, claim, clause).

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv`` (``claim_id, article_id, sentence, start, end, type``
        and optionally ``sentence_clean``).
    numbers : pandas.DataFrame, optional
        ``numbers.csv``, for the ``user_figures`` column.
    events : pandas.DataFrame, optional
        :func:`timeline` output, for the ``launch_date`` column.
    lex : dict, optional
        :func:`load_features` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FEATURE_CELL_COLUMNS`, sorted.
    """
    lex = lex or load_features()
    for col in ("claim_id", "article_id", "type"):
        if col not in claims.columns:
            raise ValueError(f"claims lack the column {col!r}")
    rows: list[dict[str, Any]] = []
    for cid, aid, ctype, text in zip(claims["claim_id"], claims["article_id"], claims["type"], _claims_text(claims),
                                     strict=True):
        for r in attribute_features(str(text), str(ctype), lex):
            rows.append({**r, "value": "", "claim_id": str(cid), "article_id": str(aid)})
    rows += _user_figure_rows(numbers, claims, lex)
    if events is not None and len(events):
        known = {p["id"] for p in lex["products"]}
        for _, e in events[(events["kind"] == "launch") & events["product_id"].isin(known)].iterrows():
            relative = str(e["relative"]).lower() == "true"
            rows.append({"product_id": e["product_id"], "feature_id": "launch_date", "status": "yes",
                         "value": str(e["date"]) + (" (relative date)" if relative else ""), "claim_id": e["claim_id"], "article_id": e["article_id"],
                         "cue": str(e["date_text"]), "clause": str(e["event"])})
    df = pd.DataFrame(rows, columns=FEATURE_CELL_COLUMNS).drop_duplicates()
    order = {p["id"]: i for i, p in enumerate(lex["products"])}
    df["_p"] = df["product_id"].map(order)
    df["_c"] = df["claim_id"].map(lambda c: split_claim_id(c))
    df = df.sort_values(["_p", "feature_id", "_c", "value", "clause"]).drop(columns=["_p", "_c"])
    return df.reset_index(drop=True)


def _feature_columns(lex: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["id"], f["name"]) for f in lex["features"]] + list(DERIVED)


def feature_matrix(cells: pd.DataFrame, lex: dict[str, Any] | None = None) -> pd.DataFrame:
    """Wide feature matrix: one row per product of the lexicon, one column per feature.

    A cue feature's cell lists the distinct statuses in the order of
    :data:`STATUSES` (``"yes"``, ``"no; proposed"``...); ``launch_date`` and
    ``user_figures`` list their distinct values (a figure from a
    recommendation or prediction is tagged ``[proposed]``).  ``""`` = not
    stated.

    Returns
    -------
    pandas.DataFrame
        ``product_id, product, product_zh, n_sources`` and one column per
        feature id, rows in lexicon order.
    """
    lex = lex or load_features()
    rows = []
    for p in lex["products"]:
        sub = cells[cells["product_id"] == p["id"]]
        row = {"product_id": p["id"], "product": p["name"], "product_zh": p["name_zh"],
               "n_sources": int(sub["claim_id"].nunique())}
        for fid, _ in _feature_columns(lex):
            fs = sub[sub["feature_id"] == fid]
            if fid in dict(DERIVED):
                vals = {v + (" [proposed]" if s == "proposed" else "") for v, s in zip(fs["value"], fs["status"],
                                                                                        strict=True)}
                row[fid] = "; ".join(sorted(vals))
            else:
                row[fid] = "; ".join(s for s in STATUSES if s in set(fs["status"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=["product_id", "product", "product_zh", "n_sources"]
                        + [f for f, _ in _feature_columns(lex)])


def _ordered(claims: pd.DataFrame) -> pd.DataFrame:
    key = claims["claim_id"].map(split_claim_id)
    return claims.assign(_k=key).sort_values("_k").drop(columns="_k")


def date_mentions(claims: pd.DataFrame, corpus: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every resolvable date of every sentence, with its reference and year basis.

    Parameters
    ----------
    claims : pandas.DataFrame
        ``claims.csv``.
    corpus : pandas.DataFrame, optional
        ``corpus.csv`` (``article_id, date``); without it every article is
        read against the latest year its text states.

    Returns
    -------
    pandas.DataFrame
        ``article_id, claim_id, start, end, date_text`` and the keys of
        :func:`resolve_date`, in text order.
    """
    dates = {} if corpus is None else dict(zip(corpus["article_id"], corpus["date"], strict=True))
    rows = []
    claims = _ordered(claims)
    texts = _claims_text(claims)
    for aid in sorted(claims["article_id"].unique()):
        mask = claims["article_id"] == aid
        found = [(cid, str(t), find_dates(str(t))) for cid, t in zip(claims.loc[mask, "claim_id"], texts[mask],
                                                                    strict=True)]
        stated = [mm.year for _, _, ms in found for mm in ms if mm.year is not None]
        ref = article_reference(dates.get(aid), stated)
        last_year = None
        for cid, _text, ms in found:
            for mm in ms:
                rec = resolve_date(mm, ref, last_year)
                if mm.year is not None:
                    last_year = mm.year
                if rec is None:
                    continue
                rows.append({"article_id": aid, "claim_id": cid, "start": mm.start, "end": mm.end,
                             "date_text": mm.text, **rec})
    cols = ["article_id", "claim_id", "start", "end", "date_text", "date", "precision", "qualifier", "relative",
            "year_basis"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------
_UNIT_EN = {"users": "users", "registrations": "registered users", "dau": "daily active users",
            "mau": "monthly active users", "installs": "installs", "firms": "firms", "calls": "calls",
            "people": "people", "count": ""}


def format_figure(value: float, unit: str, quote: str = "") -> str:
    """Render a figure of ``numbers.csv`` in English, with the Chinese quote.

    >>> format_figure(6e8, "registrations", "突破6亿")
    '600 million registered users (突破6亿)'
    >>> format_figure(2.5e8, "USD", "2.5亿美金")
    'US$250 million (2.5亿美金)'
    """
    v = float(value)
    if abs(v) >= 1e9:
        num = f"{v / 1e9:g} billion"
    elif abs(v) >= 1e6:
        num = f"{v / 1e6:g} million"
    else:
        num = f"{v:,.0f}" if v == int(v) else f"{v:g}"
    if unit == "USD":
        text = f"US${num}"
    elif unit == "CNY":
        text = f"CNY {num}"
    elif unit == "percent":
        text = f"{num}%"
    else:
        word = _UNIT_EN.get(unit, unit)
        text = f"{num} {word}".strip()
    return f"{text} ({quote})" if quote else text


def _windows(text: str, mentions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each date span, the clause holding it plus the following undated clauses."""
    clauses = split_clauses(text)

    def clause_of(pos: int) -> int:
        for i, (a, b) in enumerate(clauses):
            if a <= pos < b:
                return i
        return len(clauses) - 1

    dated = {clause_of(a) for a, _ in mentions}
    out = []
    for a, _ in mentions:
        i = clause_of(a)
        j = i + 1
        while j < len(clauses) and j not in dated:
            j += 1
        out.append((clauses[i][0], clauses[j - 1][1]))
    return out


def _rule_matches(rule: dict[str, Any], window: str, sentence: str) -> bool:
    has = lambda t, s: bool(_term_spans(s, t))  # noqa: E731
    if not all(has(t, window) for t in rule["all"]):
        return False
    if rule["any"] and not any(has(t, window) for t in rule["any"]):
        return False
    if any(has(t, window) for t in rule["none"]):
        return False
    if rule["subject"] and not (any(has(t, window) for t in rule["subject"])
                                or any(has(t, sentence) for t in rule["subject"])):
        return False
    return True


def _figure_in(numbers: pd.DataFrame | None, claim: pd.Series, text: str, window: tuple[int, int],
               at: int) -> str:
    if numbers is None or numbers.empty:
        return ""
    sub = numbers[(numbers["article_id"] == claim["article_id"]) & (numbers["start"] >= claim["start"])
                  & (numbers["end"] <= claim["end"])]
    aligned = len(str(claim["sentence"])) == len(text)
    cands = []
    for _, n in sub.iterrows():
        pos = int(n["start"]) - int(claim["start"]) if aligned else text.find(str(n["quote"]))
        if window[0] <= pos < window[1]:
            cands.append((pos < at, abs(pos - at), pos, n))
    if not cands:
        return ""
    n = min(cands, key=lambda c: c[:3])[3]
    return format_figure(float(n["value"]), str(n["unit"]), str(n["quote"]))


def _external_match(rule: dict[str, Any], date: str, external: pd.DataFrame | None) -> dict[str, Any]:
    empty = {"external_date": "", "external_source": "", "external_agrees": pd.NA}
    ext = rule.get("external") or {}
    if external is None or external.empty or not ext:
        return empty
    sub = external[(external["entity"] == ext.get("entity")) & (external["metric"] == ext.get("metric"))]
    if sub.empty:
        return empty
    row = sub.sort_values("period").iloc[0]
    period = str(row["period"])
    agrees = date.startswith(period) or period.startswith(date)
    return {"external_date": period, "external_source": str(row["source"]), "external_agrees": bool(agrees)}


def timeline(claims: pd.DataFrame, corpus: pd.DataFrame | None = None, numbers: pd.DataFrame | None = None,
             external: pd.DataFrame | None = None, rules: Sequence[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Dated events reported by the articles.

    Each resolvable date (:func:`date_mentions`) is matched against the
    event rules (:func:`load_events`) in its window; every matching rule
    gives a row, except that only the first rule of a ``group`` is kept.
    Dates that match no rule are left out (see :func:`date_mentions`).

    Parameters
    ----------
    claims, corpus, numbers : pandas.DataFrame
        ``claims.csv``, ``corpus.csv`` and (optional) ``numbers.csv``.
    external : pandas.DataFrame, optional
        ``data/external/external_metrics.csv``: rules naming an external row
        get its date and source, and whether it agrees with the text.
    rules : sequence of dict, optional
        :func:`load_events` output.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIMELINE_COLUMNS`, sorted by date, event and claim.
    """
    rules = rules if rules is not None else load_events()
    mentions = date_mentions(claims, corpus)
    by_id = claims.set_index("claim_id", drop=False)
    texts = dict(zip(claims["claim_id"], _claims_text(claims), strict=True))
    rows = []
    for cid, group in mentions.groupby("claim_id", sort=True):
        text = str(texts[cid])
        spans = list(zip(group["start"], group["end"], strict=True))
        for (_, m), win in zip(group.iterrows(), _windows(text, spans), strict=True):
            window = text[win[0]: win[1]]
            used_groups: set[str] = set()
            for rule in rules:
                if rule["group"] and rule["group"] in used_groups:
                    continue
                if not _rule_matches(rule, window, text):
                    continue
                if rule["group"]:
                    used_groups.add(rule["group"])
                event = rule["event"]
                if "{figure}" in event:
                    fig = _figure_in(numbers, by_id.loc[cid], text, win, int(m["start"]))
                    event = event.replace("{figure}", fig or "a reported figure")
                rows.append({**{k: m[k] for k in ("date", "precision", "qualifier", "relative", "year_basis",
                                                  "date_text", "article_id", "claim_id")},
                             "event_id": rule["id"], "event": event, "kind": rule["kind"],
                             "product_id": rule["product"] or "", "sentence": text,
                             **_external_match(rule, m["date"], external)})
    df = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    if df.empty:
        return df
    df["_c"] = df["claim_id"].map(split_claim_id)
    df = df.sort_values(["date", "event_id", "_c"]).drop(columns="_c").drop_duplicates(
        subset=["date", "event_id", "claim_id"])
    return df.reset_index(drop=True)


# ---------------------------------------------------------------------------
# strategies and authors
# ---------------------------------------------------------------------------
def _short(aid: str) -> str:
    return str(aid).split("_")[0]


def _resolve_source(src: dict[str, Any], claims: pd.DataFrame, external: pd.DataFrame | None) -> str:
    if "article" in src:
        texts = _claims_text(claims)
        hit = claims[(claims["article_id"] == src["article"]) & texts.str.contains(str(src["quote"]), regex=False)]
        if hit.empty:
            raise ValueError(f"outcome source not found: {src['quote']!r} in article {src['article']}")
        return str(_ordered(hit)["claim_id"].iloc[0])
    if "external" in src:
        e = src["external"]
        if external is None or external.empty:
            return f"external:{e.get('entity')}|{e.get('metric')}|{e.get('period')}"
        hit = external[(external["entity"] == e.get("entity")) & (external["metric"] == e.get("metric"))
                       & (external["period"].astype(str) == str(e.get("period")))]
        if hit.empty:
            raise ValueError(f"outcome source not in external_metrics.csv: {e!r}")
        return f"external:{e['entity']}|{e['metric']}|{e['period']}"
    raise ValueError(f"an outcome source needs `article` or `external`, got {src!r}")


def strategy_comparison(strategies: Sequence[dict[str, Any]], stance: pd.DataFrame | None,
                        scenarios: pd.DataFrame | None, outcomes: Sequence[dict[str, Any]],
                        claims: pd.DataFrame, external: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per strategy: who argues it, what the models say, what happened.

    Parameters
    ----------
    strategies : sequence of dict
        The codebook (``id``, ``name``).
    stance : pandas.DataFrame or None
        ``strategy_stance.csv`` (``strategy, article_id, stance, evidence``).
    scenarios : pandas.DataFrame or None
        ``scenarios.csv`` (``strategy_id, model, outcome`` and, if present,
        ``verdict``, a sentence): ``model_outcome`` lists ``model: outcome``
        labels, ``model_verdict`` the verdict sentences (else the labels).
    outcomes : sequence of dict
        :func:`load_outcomes` output.
    claims : pandas.DataFrame
        ``claims.csv``, to resolve the outcome quotes to claim ids.
    external : pandas.DataFrame, optional
        ``external_metrics.csv``, to check external outcome sources.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STRATEGY_COLUMNS`, in codebook order.  ``supports`` etc.
        list short article ids; empty strings where an input is missing.

    Raises
    ------
    ValueError
        When an outcome names an unknown strategy or an unresolvable source.
    """
    ids = [s["id"] for s in strategies]
    known = {o["strategy"]: o for o in outcomes}
    unknown = sorted(set(known) - set(ids))
    if unknown:
        raise ValueError(f"outcomes.yaml names unknown strategies: {', '.join(unknown)}")
    rows = []
    for s in strategies:
        row: dict[str, Any] = {"strategy_id": s["id"], "strategy": s["name"]}
        st = stance[stance["strategy"] == s["id"]] if stance is not None else pd.DataFrame()
        for key in ("supports", "criticises", "reports"):
            arts = sorted(st.loc[st["stance"] == key, "article_id"]) if len(st) else []
            row[key] = "; ".join(_short(a) for a in arts)
            row[f"n_{key}"] = len(arts) if stance is not None else pd.NA
        ev = sorted({c for e in (st["evidence"] if len(st) else []) for c in str(e).split(";") if c and c != "nan"},
                    key=split_claim_id)
        row["evidence_claims"] = ";".join(ev)
        sc = scenarios[scenarios["strategy_id"] == s["id"]] if scenarios is not None else pd.DataFrame()
        if len(sc):
            sc = sc.sort_values(["model", "outcome"])
            verdicts = sc["verdict"] if "verdict" in sc.columns else sc["outcome"]
            row["models"] = "; ".join(dict.fromkeys(sc["model"].astype(str)))
            row["model_outcome"] = "; ".join(f"{m}: {o}" for m, o in zip(sc["model"], sc["outcome"], strict=True))
            row["model_verdict"] = "; ".join(f"{m}: {v if str(v).strip() and not pd.isna(v) else o}"
                                             for m, v, o in zip(sc["model"], verdicts, sc["outcome"], strict=True))
        else:
            row["models"], row["model_outcome"], row["model_verdict"] = "", "", ""
        o = known.get(s["id"])
        row["actual_outcome"] = o["outcome"] if o else ""
        row["outcome_sources"] = ";".join(_resolve_source(x, claims, external) for x in o["sources"]) if o else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=STRATEGY_COLUMNS)


def author_comparison(corpus: pd.DataFrame, claims: pd.DataFrame, stance: pd.DataFrame | None = None,
                      strategy_names: dict[str, str] | None = None, *, n_themes: int = 3,
                      critical_above: float = 0.6, supportive_below: float = 0.4) -> pd.DataFrame:
    """One row per article: date, claim types, stance balance and top themes.

    ``share_criticising`` is the share of the strategies an article takes a
    side on (supports or criticises) that it criticises; ``overall_stance``
    is ``critical`` above ``critical_above``, ``supportive`` below
    ``supportive_below``, else ``mixed`` (``""`` when it takes no side).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AUTHOR_COLUMNS`, sorted by article id.
    """
    if not 0 <= supportive_below <= critical_above <= 1:
        raise ValueError("need 0 <= supportive_below <= critical_above <= 1")
    names = strategy_names or {}
    texts = _claims_text(claims)
    rows = []
    for _, art in corpus.sort_values("article_id").iterrows():
        aid = art["article_id"]
        cl = claims[claims["article_id"] == aid]
        stated = [mm.year for t in texts[claims["article_id"] == aid] for mm in find_dates(str(t))
                  if mm.year is not None]
        date = "" if pd.isna(art.get("date")) else str(art.get("date") or "")
        ref = article_reference(date, stated)
        row = {"article_id": aid, "title": "" if pd.isna(art.get("title")) else str(art.get("title") or ""),
               "author": "" if pd.isna(art.get("author")) else str(art.get("author") or ""), "date": date,
               "reference_year": ref.year if ref.year is not None else pd.NA, "date_basis": ref.basis,
               "n_claims": len(cl)}
        for t in CLAIM_TYPES:
            row[f"n_{t}"] = int((cl["type"] == t).sum())
        if stance is not None:
            st = stance[stance["article_id"] == aid]
            for key in ("supports", "criticises", "reports"):
                row[f"n_{key}"] = int((st["stance"] == key).sum())
            sided = row["n_supports"] + row["n_criticises"]
            share = round(row["n_criticises"] / sided, 3) if sided else pd.NA
            row["share_criticising"] = share
            row["overall_stance"] = ("" if not sided else "critical" if share > critical_above
                                     else "supportive" if share < supportive_below else "mixed")
        else:
            for key in ("n_supports", "n_criticises", "n_reports", "share_criticising"):
                row[key] = pd.NA
            row["overall_stance"] = ""
        counts: dict[str, int] = {}
        for th in cl["themes"].fillna("").astype(str):
            for t in filter(None, th.split(";")):
                counts[t] = counts.get(t, 0) + 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n_themes]
        row["top_themes"] = "; ".join(f"{names.get(t, t)} ({n})" for t, n in top)
        rows.append(row)
    return pd.DataFrame(rows, columns=AUTHOR_COLUMNS)
