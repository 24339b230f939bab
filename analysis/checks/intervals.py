r"""Hedged figures as intervals: the range of true values that a quoted figure allows.

A figure :math:`v` of ``numbers.csv`` carries a *hedge* (约, 超过, 不足, 几...).
:func:`hedge_kind` reduces it to one of five kinds and :func:`interval` turns
the figure into the interval of true values it is compatible with, for a
relative tolerance :math:`\tau`:

=============  ======================================  ==========================
hedge          examples                                interval
=============  ======================================  ==========================
exact          ``4亿``                                  :math:`[v/(1+\tau),\ v(1+\tau)]`
approximate    ``约``, ``近``, ``左右``, ``多``              :math:`[v/(1+\tau)^3,\ v(1+\tau)^3]`
several        ``几亿``, ``数十``, ``亿级``, ``上千万``         :math:`[v/(1+\tau),\ 10v(1+\tau)]`
lower bound    ``超过``, ``突破``, ``以上``, ``过``, ``大于``  :math:`[v/(1+\tau),\ \infty)`
upper bound    ``不足``, ``不到``, ``以下``, ``小于``         :math:`[0,\ v(1+\tau)]`
=============  ======================================  ==========================

Two figures agree when their intervals overlap (see :mod:`analysis.checks.conflicts`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["HEDGE_KINDS", "TOLERANCE", "hedge_kind", "interval"]

#: The kinds of hedge, in the order of the module table.
HEDGE_KINDS: tuple[str, ...] = ("exact", "approx", "several", "lower", "upper")
#: Default relative tolerance :math:`\tau` for "the same figure".
TOLERANCE = 0.1

_LOWER = ("超过", "超過", "突破", "以上", "过", "過", "大于", "大於", "逾", "多于", "至少", "over", "more than", ">")
_UPPER = ("不足", "不到", "以下", "小于", "小於", "少于", "未满", "under", "less than", "<")
_SEVERAL = ("几", "幾", "数", "數", "级", "級", "上千", "上万", "上亿", "上億", "several")
_APPROX = ("约", "約", "近", "左右", "余", "餘", "多", "approx", "about", "~")


def hedge_kind(hedge: object, quote: str = "") -> str:
    """Classify a figure's hedge as ``exact``, ``approx``, ``several``, ``lower`` or ``upper``.

    Parameters
    ----------
    hedge : str, int, bool, float or None
        The hedge word (近, 超过, 不足...), a kind name, or a 0/1 flag (NaN and ``None`` mean exact).
    quote : str
        The quoted figure, searched for hedge words when ``hedge`` is only a flag.

    Returns
    -------
    str
        One of :data:`HEDGE_KINDS`.
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
    """The range of true values a hedged figure allows (see the module table).

    Parameters
    ----------
    value : float
        The figure :math:`v \\ge 0`, in base units.
    kind : str
        One of :data:`HEDGE_KINDS` (see :func:`hedge_kind`).
    tolerance : float, default 0.1
        Relative tolerance :math:`\\tau \\ge 0`.

    Returns
    -------
    (float, float)
        The lower and upper ends; the upper end is ``inf`` for a lower bound.

    Raises
    ------
    ValueError
        If ``tolerance`` or ``value`` is negative, or ``kind`` is unknown.
    """
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
