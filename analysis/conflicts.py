r"""Cross-article checks: do the articles agree on the figures they share?

Input is the figures table ``numbers.csv`` (``article_id, quote, start, end,
value, unit, subject, hedge``; values in base units).  Figures are grouped by
a normalised key

.. math::

    \kappa = (\text{subject}, \text{unit}),

where the subject is reduced to the ids of the entities it names
(``entities.yaml``: 微信 / WeChat / Weixin all become ``wechat``), followed by
the remaining words, lower-cased.  Each figure becomes an interval from its
value :math:`v`, the relative tolerance :math:`\tau` and its hedge:

=============  ======================================  ==========================
hedge          examples                                interval
=============  ======================================  ==========================
exact          ``4亿``                                  :math:`[v/(1+\tau),\ v(1+\tau)]`
approximate    ``约``, ``近``, ``左右``, ``多``              :math:`[v/(1+\tau)^3,\ v(1+\tau)^3]`
several        ``几亿``, ``数十``, ``亿级``, ``上千万``         :math:`[v/(1+\tau),\ 10v(1+\tau)]`
lower bound    ``超过``, ``突破``, ``以上``, ``过``, ``大于``  :math:`[v/(1+\tau),\ \infty)`
upper bound    ``不足``, ``不到``, ``以下``, ``小于``         :math:`[0,\ v(1+\tau)]`
=============  ======================================  ==========================

Two figures from different articles **agree** when their intervals overlap;
the **ratio** is the larger value over the smaller one.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import _io, settings
from .claims import load_entities

__all__ = [
    "NUMBER_COLUMNS",
    "CONFLICT_COLUMNS",
    "hedge_kind",
    "interval",
    "normalise_subject",
    "find_conflicts",
    "load_numbers",
    "build",
]

NUMBER_COLUMNS = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]
CONFLICT_COLUMNS = [
    "subject", "unit", "article_a", "quote_a", "value_a", "hedge_a",
    "article_b", "quote_b", "value_b", "hedge_b", "agree", "ratio", "n_articles",
]
#: Default relative tolerance for "the same figure".
TOLERANCE = 0.1

_LOWER = ("超过", "超過", "突破", "以上", "过", "過", "大于", "大於", "逾", "多于", "至少", "over", "more than", ">")
_UPPER = ("不足", "不到", "以下", "小于", "小於", "少于", "未满", "under", "less than", "<")
_SEVERAL = ("几", "幾", "数", "數", "级", "級", "上千", "上万", "上亿", "上億", "several")
_APPROX = ("约", "約", "近", "左右", "余", "餘", "多", "approx", "about", "~")


#: Words that name the metric rather than the subject; the unit carries them.
_METRIC_WORDS = frozenset({
    "users", "user", "用户", "用户量", "用户数", "注册用户", "注册用户量", "registered", "registrations", "registration",
    "dau", "mau", "日活", "月活", "日活跃用户", "月活跃用户", "活跃用户", "installs", "install", "装机量", "安装量",
    "active", "daily", "monthly", "total", "总", "number", "of", "the", "count",
})


def hedge_kind(hedge, quote: str = "") -> str:
    """Classify a figure's hedge as ``exact``, ``approx``, ``several``, ``lower`` or ``upper``.

    Parameters
    ----------
    hedge : str, int, bool or None
        The hedge word (近, 超过, 不足...), or a 0/1 flag.
    quote : str
        The quoted figure, used when ``hedge`` is only a flag.

    Returns
    -------
    str
    """
    if hedge is None or (isinstance(hedge, float) and np.isnan(hedge)):
        hedge = ""
    text = str(hedge).strip().lower()
    if text in {"", "0", "false", "none", "exact"}:
        return "exact"
    if text in {"lower", "upper", "approx", "several"}:
        return text
    probe = text if text not in {"1", "true", "1.0"} else str(quote).lower()
    if any(w in probe for w in _UPPER):
        return "upper"
    if any(w in probe for w in _SEVERAL):
        return "several"
    if any(w in probe for w in _LOWER):
        return "lower"
    return "approx" if any(w in probe for w in _APPROX) or probe == str(quote).lower() else "exact"


def interval(value: float, kind: str, tolerance: float = TOLERANCE) -> tuple[float, float]:
    """The range of true values a hedged figure allows (see the module table)."""
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    if value < 0:
        raise ValueError(f"value must be >= 0, got {value}")
    f = 1.0 + tolerance
    if kind == "exact":
        return value / f, value * f
    if kind == "approx":
        return value / f**3, value * f**3
    if kind == "several":
        return value / f, 10 * value * f
    if kind == "lower":
        return value / f, float("inf")
    if kind == "upper":
        return 0.0, value * f
    raise ValueError(f"unknown hedge kind {kind!r}; expected exact/approx/several/lower/upper")


def normalise_subject(subject) -> str:
    """Reduce a subject to a grouping key.

    Entity aliases (Chinese and English, e.g. 微信/WeChat/Weixin) become the
    entity ids, sorted and ``+``-joined; the leftover words, lower-cased,
    without punctuation and without metric words that the unit already
    carries (users, 用户, DAU, 日活...), follow after a space.  An empty subject gives
    ``""``.
    """
    if subject is None or (isinstance(subject, float) and np.isnan(subject)):
        return ""
    text = str(subject).strip()
    if not text:
        return ""
    # longest name first, removing each match, so that 阿里旺旺 is Wangwang
    # (not Alibaba) and "Tencent Weibo" is not also Tencent
    names = sorted(((n, e["id"]) for e in load_entities() for n in [*e["aliases"], e["name"]]),
                   key=lambda p: (-len(p[0]), p[0]))
    ids: set[str] = set()
    rest = text
    for name, eid in names:
        pat = (r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])") if name.isascii() else re.escape(name)
        if re.search(pat, rest, re.I):
            ids.add(eid)
            rest = re.sub(pat, " ", rest, flags=re.I)
    words = [w for w in re.split(r"[\W_]+", rest.lower()) if w and w not in _METRIC_WORDS]
    rest = " ".join(words)
    key = "+".join(sorted(ids))
    return (key + (" " + rest if rest else "")).strip()


def find_conflicts(numbers: pd.DataFrame, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Compare every figure that two or more articles state about the same key.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Columns :data:`NUMBER_COLUMNS`.
    tolerance : float, default 0.1
        Relative tolerance :math:`\\tau`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONFLICT_COLUMNS`, one row per pair of figures from
        different articles with the same key; sorted by key, then articles
        and values.  Figures with an empty subject are not compared.
    """
    missing = sorted(set(NUMBER_COLUMNS) - set(numbers.columns))
    if missing:
        raise ValueError(f"numbers table lacks columns {missing}")
    df = numbers.copy()
    df["key"] = [normalise_subject(s) for s in df["subject"]]
    df["unit"] = df["unit"].astype(str).str.strip().str.lower()
    df["kind"] = [hedge_kind(h, q) for h, q in zip(df["hedge"], df["quote"], strict=True)]
    df = df[(df["key"] != "") & df["value"].notna()]
    df = df.sort_values(["key", "unit", "article_id", "start"]).drop_duplicates(["key", "unit", "article_id", "value"])
    rows = []
    for (key, unit), g in df.groupby(["key", "unit"], sort=True):
        n_art = g["article_id"].nunique()
        if n_art < 2:
            continue
        for a, b in itertools.combinations(g.itertuples(index=False), 2):
            if a.article_id == b.article_id:
                continue
            lo_a, hi_a = interval(float(a.value), a.kind, tolerance)
            lo_b, hi_b = interval(float(b.value), b.kind, tolerance)
            va, vb = float(a.value), float(b.value)
            ratio = max(va, vb) / min(va, vb) if min(va, vb) > 0 else float("inf")
            rows.append({
                "subject": key, "unit": unit,
                "article_a": a.article_id, "quote_a": a.quote, "value_a": va, "hedge_a": a.kind,
                "article_b": b.article_id, "quote_b": b.quote, "value_b": vb, "hedge_b": b.kind,
                "agree": bool(lo_a <= hi_b and lo_b <= hi_a), "ratio": round(ratio, 4), "n_articles": int(n_art),
            })
    out = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return out.sort_values(["subject", "unit", "article_a", "article_b", "value_a", "value_b"], ignore_index=True)


def load_numbers(processed_dir: Path = settings.PROCESSED_DIR) -> pd.DataFrame:
    """Read ``numbers.csv``; if the numbers stage has not run, compute it in memory.

    The fallback calls ``analysis.numbers.numbers_table`` on the prepared
    documents without writing anything.

    Raises
    ------
    FileNotFoundError
        If neither ``numbers.csv`` nor ``analysis.numbers`` is available.
    """
    path = Path(processed_dir) / "numbers.csv"
    if path.exists():
        df = pd.read_csv(path, dtype={"subject": str, "hedge": str, "quote": str}, keep_default_na=False)
    else:
        try:
            from . import numbers as _numbers
        except ImportError:
            raise FileNotFoundError(f"{path} is missing and analysis.numbers is not available") from None
        from .corpus import iter_documents

        df = _numbers.numbers_table(list(iter_documents(processed_dir=processed_dir)))
        df = df.astype({"hedge": str, "subject": str})
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df.sort_values(["article_id", "start"], ignore_index=True)


def build(processed_dir: Path = settings.PROCESSED_DIR, tolerance: float = TOLERANCE) -> tuple[list[Path], str]:
    """Pipeline stage: read ``numbers.csv``, write ``fact_conflicts.csv``.

    Raises
    ------
    FileNotFoundError
        When ``numbers.csv`` has not been written yet.
    """
    processed_dir = Path(processed_dir)
    path = processed_dir / "numbers.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the numbers stage first")
    numbers = pd.read_csv(path, dtype={"subject": str, "hedge": str, "quote": str}, keep_default_na=False)
    numbers["value"] = pd.to_numeric(numbers["value"], errors="coerce")
    conflicts = find_conflicts(numbers, tolerance)
    out = _io.atomic_write_csv(processed_dir / "fact_conflicts.csv", conflicts)
    n_keys = conflicts[["subject", "unit"]].drop_duplicates().shape[0]
    n_dis = int((~conflicts["agree"]).sum()) if len(conflicts) else 0
    return [out], f"conflicts: {n_keys} shared quantities, {len(conflicts)} pairs, {n_dis} disagree"
