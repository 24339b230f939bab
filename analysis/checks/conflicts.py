r"""Cross-source checks: do the articles (and the external figures) agree on the quantities they share?

Input is the figures table ``numbers.csv`` (``article_id, quote, start, end,
value, unit, subject, hedge``; values in base units), the sentences
``claims.csv`` and the external figures ``data/external/external_metrics.csv``.

**Assignment.**  The extractor's subjects and units are heuristic, so figures
are not grouped by them.  Each figure is given at most one *canonical
quantity* of ``data/lexicon/quantities.yaml`` (the employee KPI, the prize
pool, WeChat users...): a quantity matches when the figure's unit is one of
its units, its value lies in the quantity's plausible range, one of its
entity names occurs in the figure's subject or in the window of text around
the figure, enough of its cue words occur in the containing sentence (clean
Simplified text) or subject, and none of its excluded words occurs in the
window.  A figure that matches no quantity, or two or more (ambiguous), is
not compared.

**Comparison.**  Each figure becomes an interval from its value :math:`v`, the
relative tolerance :math:`\tau` and its hedge:

=============  ======================================  ==========================
hedge          examples                                interval
=============  ======================================  ==========================
exact          ``4亿``                                  :math:`[v/(1+\tau),\ v(1+\tau)]`
approximate    ``约``, ``近``, ``左右``, ``多``              :math:`[v/(1+\tau)^3,\ v(1+\tau)^3]`
several        ``几亿``, ``数十``, ``亿级``, ``上千万``         :math:`[v/(1+\tau),\ 10v(1+\tau)]`
lower bound    ``超过``, ``突破``, ``以上``, ``过``, ``大于``  :math:`[v/(1+\tau),\ \infty)`
upper bound    ``不足``, ``不到``, ``以下``, ``小于``         :math:`[0,\ v(1+\tau)]`
=============  ======================================  ==========================

Two figures about the same quantity from different sources **agree** when
their intervals overlap; the **ratio** is the larger value over the smaller
one.  A quantity may also name a *related* quantity that is not the same
thing (a prize pool is part of a promotion budget, ``relation: part_of``):
those pairs are reported with ``like_for_like = False`` and a ``note``, and
"agree" then means the part's interval starts no higher than the whole's
ends, :math:`\ell_a \le h_b`.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis import config

__all__ = [
    "NUMBER_COLUMNS",
    "CONFLICT_COLUMNS",
    "hedge_kind",
    "interval",
    "Quantity",
    "QuantityLexicon",
    "load_quantities",
    "matching_quantities",
    "assign_quantity",
    "assign_quantities",
    "attach_claims",
    "load_external",
    "find_conflicts",
]

NUMBER_COLUMNS = ["article_id", "quote", "start", "end", "value", "unit", "subject", "hedge"]
#: Output columns.  ``quantity`` is the canonical quantity id (``a~b`` for a related pair), ``subject``
#: its label and ``unit`` its first unit; ``claim_a``/``claim_b`` are claim ids (empty for external
#: figures), ``source_a``/``source_b`` the containing sentence or the cited external source, and
#: ``n_articles`` the number of sources stating the quantity.
CONFLICT_COLUMNS = [
    "quantity", "subject", "unit",
    "article_a", "claim_a", "quote_a", "value_a", "hedge_a", "unit_a", "date_a", "source_a",
    "article_b", "claim_b", "quote_b", "value_b", "hedge_b", "unit_b", "date_b", "source_b",
    "agree", "ratio", "n_articles", "like_for_like", "note",
]
#: The canonical quantities.
QUANTITIES_FILE: Path = config.QUANTITIES_FILE
#: External, sourced figures.
EXTERNAL_FILE: Path = config.EXTERNAL_METRICS_FILE
#: ``article_id`` of the external figures.
EXTERNAL_ID = "external"
#: Relations a quantity may have with a ``related`` one.
RELATIONS = ("part_of",)
_CLAUSE_BREAK = ",;:，；：。!?！？"
#: Default relative tolerance for "the same figure".
TOLERANCE = 0.1

_LOWER = ("超过", "超過", "突破", "以上", "过", "過", "大于", "大於", "逾", "多于", "至少", "over", "more than", ">")
_UPPER = ("不足", "不到", "以下", "小于", "小於", "少于", "未满", "under", "less than", "<")
_SEVERAL = ("几", "幾", "数", "數", "级", "級", "上千", "上万", "上亿", "上億", "several")
_APPROX = ("约", "約", "近", "左右", "余", "餘", "多", "approx", "about", "~")



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


@dataclass(frozen=True)
class Quantity:
    """A canonical quantity of ``quantities.yaml`` (see the file's header for each field)."""

    id: str
    label: str
    units: tuple[str, ...]
    range: tuple[float, float] | None = None
    entities: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    min_cues: int = 1
    near: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    related: tuple[tuple[str, str, str], ...] = ()  # (quantity id, relation, note)


@dataclass(frozen=True)
class QuantityLexicon:
    """The parsed ``quantities.yaml``: the window half-width and the quantities, in file order."""

    window: int
    quantities: tuple[Quantity, ...]

    def by_id(self) -> dict[str, Quantity]:
        """Map quantity id to :class:`Quantity`."""
        return {q.id: q for q in self.quantities}


def _words(value, field: str, qid: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValueError(f"quantity {qid!r}: {field} must be a list of non-empty strings")
    return tuple(w.strip().lower() for w in value)


def load_quantities(path: Path = QUANTITIES_FILE) -> QuantityLexicon:
    """Read and validate ``quantities.yaml``.

    Parameters
    ----------
    path : pathlib.Path
        The lexicon file.

    Returns
    -------
    QuantityLexicon

    Raises
    ------
    ValueError
        If an id is missing or repeated, a quantity has no units, a range is not ``[lo, hi]`` with
        ``0 <= lo < hi``, ``min_cues`` exceeds the number of cues, or a ``related`` entry names an
        unknown quantity or relation.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    window = data.get("window", 12)
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"{path}: window must be an integer >= 0, got {window!r}")
    raw = data.get("quantities")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{path}: needs a non-empty list `quantities`")
    out: list[Quantity] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError(f"{path}: every quantity must be a mapping, got {item!r}")
        qid = str(item.get("id", "")).strip()
        if not qid:
            raise ValueError(f"{path}: every quantity needs an id")
        if any(q.id == qid for q in out):
            raise ValueError(f"{path}: quantity id {qid!r} is repeated")
        units = _words(item.get("units"), "units", qid)
        if not units:
            raise ValueError(f"quantity {qid!r}: units must list at least one unit")
        rng = item.get("range")
        if rng is not None:
            if not (isinstance(rng, list) and len(rng) == 2) or not 0 <= float(rng[0]) < float(rng[1]):
                raise ValueError(f"quantity {qid!r}: range must be [lo, hi] with 0 <= lo < hi, got {rng!r}")
            rng = (float(rng[0]), float(rng[1]))
        cues = _words(item.get("cues"), "cues", qid)
        min_cues = int(item.get("min_cues", 1))
        if cues and not 1 <= min_cues <= len(cues):
            raise ValueError(f"quantity {qid!r}: min_cues must be between 1 and {len(cues)}, got {min_cues}")
        related = []
        for rel in item.get("related") or []:
            if rel.get("relation") not in RELATIONS:
                raise ValueError(f"quantity {qid!r}: relation must be one of {RELATIONS}, got {rel.get('relation')!r}")
            related.append((str(rel.get("quantity", "")), str(rel["relation"]), " ".join(str(rel.get("note", "")).split())))
        out.append(Quantity(
            id=qid, label=str(item.get("label", qid)), units=units, range=rng,
            entities=_words(item.get("entities"), "entities", qid), cues=cues, min_cues=min_cues,
            near=_words(item.get("near"), "near", qid), exclude=_words(item.get("exclude"), "exclude", qid),
            related=tuple(related),
        ))
    ids = {q.id for q in out}
    for q in out:
        for target, _, _ in q.related:
            if target not in ids or target == q.id:
                raise ValueError(f"quantity {q.id!r}: related quantity {target!r} is not another defined quantity")
    return QuantityLexicon(window=window, quantities=tuple(out))


def _clean_offsets(raw: str, clean: str, a: int, b: int) -> tuple[int, int]:
    """Map the span ``[a, b)`` of the raw sentence onto the clean sentence.

    Cleaning (NFKC, Traditional to Simplified, dropped pinyin) mostly keeps the length; where it does
    not, the alignment of :class:`difflib.SequenceMatcher` is followed.
    """
    if len(raw) == len(clean):
        return a, b
    ops = difflib.SequenceMatcher(None, raw, clean, autojunk=False).get_opcodes()

    def one(pos: int) -> int:
        for _tag, i1, i2, j1, j2 in ops:
            if i1 <= pos < i2 or (pos == i2 == len(raw)):
                return j1 + min(pos - i1, j2 - j1)
        return len(clean)

    return one(a), max(one(a), one(max(b - 1, a)) + 1)


def attach_claims(numbers: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Add each figure's containing sentence: ``claim_id``, ``sentence`` and its span ``s_start, s_end``.

    The sentence of a figure is the claim of the same article whose raw span ``[start, end)`` contains
    the figure's; ``sentence`` is its clean Simplified text (``sentence_clean``) and ``s_start, s_end``
    the figure's position in it.  A figure outside every claim gets empty values.

    Raises
    ------
    ValueError
        If ``claims`` lacks one of its needed columns.
    """
    need = {"claim_id", "article_id", "start", "end", "sentence", "sentence_clean"}
    missing = sorted(need - set(claims.columns))
    if missing:
        raise ValueError(f"claims table lacks columns {missing}")
    by_article = {a: g.sort_values("start") for a, g in claims.groupby("article_id", sort=True)}
    cid, sent, s0, s1 = [], [], [], []
    for r in numbers.itertuples(index=False):
        g = by_article.get(r.article_id)
        hit = None if g is None else g[(g["start"] <= int(r.start)) & (g["end"] >= int(r.end))]
        if hit is None or hit.empty:
            cid.append("")
            sent.append("")
            s0.append(0)
            s1.append(0)
            continue
        c = hit.iloc[0]
        a, b = _clean_offsets(str(c["sentence"]), str(c["sentence_clean"]),
                              int(r.start) - int(c["start"]), int(r.end) - int(c["start"]))
        cid.append(str(c["claim_id"]))
        sent.append(str(c["sentence_clean"]))
        s0.append(a)
        s1.append(b)
    out = numbers.copy()
    out["claim_id"], out["sentence"], out["s_start"], out["s_end"] = cid, sent, s0, s1
    return out


def _window(sentence: str, a: int, b: int, width: int) -> str:
    """The ``width`` characters on either side of ``sentence[a:b]``, cut at the enclosing clause."""
    if not sentence:
        return ""
    lo = max((sentence.rfind(c, 0, a) for c in _CLAUSE_BREAK), default=-1) + 1
    his = [i for i in (sentence.find(c, b) for c in _CLAUSE_BREAK) if i >= 0]
    hi = min(his) if his else len(sentence)
    return sentence[max(lo, a - width):min(hi, b + width)]


def _has(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def matching_quantities(value: float, unit: str, subject: str, sentence: str, window: str,
                        lexicon: QuantityLexicon) -> list[str]:
    """Ids of every quantity whose rules (units, range, entities, cues, near, exclude) a figure meets.

    Parameters
    ----------
    value : float
        The figure in base units.
    unit, subject : str
        As extracted (compared lower-cased).
    sentence, window : str
        The containing clean sentence and the window around the figure (see ``quantities.yaml``).
    lexicon : QuantityLexicon

    Returns
    -------
    list of str
        In file order; :func:`assign_quantity` keeps a figure only when exactly one matches.
    """
    unit, subject = str(unit).strip().lower(), str(subject).strip().lower()
    sentence, window = str(sentence).lower(), str(window).lower()
    out = []
    for q in lexicon.quantities:
        if unit not in q.units:
            continue
        if q.range is not None and not q.range[0] <= value <= q.range[1]:
            continue
        if q.entities and not _has(subject + " " + window, q.entities):
            continue
        if q.cues and len(set(_has(sentence + " " + subject, q.cues))) < q.min_cues:
            continue
        if q.near and not _has(window, q.near):
            continue
        if _has(window, q.exclude):
            continue
        out.append(q.id)
    return out


def assign_quantity(value: float, unit: str, subject: str, sentence: str, window: str,
                    lexicon: QuantityLexicon) -> str:
    """The one canonical quantity a figure is about, or ``""`` when none or several match."""
    if value is None or not np.isfinite(value):
        return ""
    found = matching_quantities(value, unit, subject, sentence, window, lexicon)
    return found[0] if len(found) == 1 else ""


def load_external(path: Path = EXTERNAL_FILE) -> pd.DataFrame:
    """The external figures as figure rows, with ``article_id`` :data:`EXTERNAL_ID`.

    Each row of ``external_metrics.csv`` (``entity, metric, period, value, unit, source``) with a value
    becomes a figure whose quote is ``"<metric>: <value> <unit>"``, whose subject, sentence and window
    are ``"<entity> <metric>"``, whose hedge is exact, and which carries the cited ``source`` and the
    ``period`` as its date.

    Raises
    ------
    ValueError
        If the file lacks one of those columns.
    """
    ext = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = sorted({"entity", "metric", "period", "value", "unit", "source"} - set(ext.columns))
    if missing:
        raise ValueError(f"{path} lacks columns {missing}")
    rows = []
    for i, r in enumerate(ext.itertuples(index=False)):
        value = pd.to_numeric(r.value, errors="coerce")
        if pd.isna(value):
            continue
        subject = f"{r.entity} {r.metric}".strip()
        rows.append({
            "article_id": EXTERNAL_ID, "quote": f"{r.metric}: {float(value):,.0f} {r.unit}",
            "start": i, "end": i + 1, "value": float(value), "unit": r.unit, "subject": subject, "hedge": "0",
            "claim_id": "", "sentence": subject, "s_start": 0, "s_end": len(subject), "window_text": subject,
            "source": r.source, "date": r.period,
        })
    return pd.DataFrame(rows, columns=[*NUMBER_COLUMNS, "claim_id", "sentence", "s_start", "s_end",
                                       "window_text", "source", "date"])


def assign_quantities(numbers: pd.DataFrame, lexicon: QuantityLexicon | None = None) -> pd.DataFrame:
    """Add a ``quantity`` column (``""`` for none) to a figures table.

    The sentence and window come from the ``sentence, s_start, s_end`` columns (see
    :func:`attach_claims`) or a ``window_text`` column; without them only the subject is used.
    """
    lexicon = lexicon or load_quantities()
    df = numbers.copy()
    for col, default in (("sentence", ""), ("s_start", 0), ("s_end", 0)):
        if col not in df.columns:
            df[col] = default
    if "window_text" not in df.columns:
        df["window_text"] = ""
    df = df.fillna({"sentence": "", "s_start": 0, "s_end": 0, "window_text": ""})
    wins = [w if w else _window(str(s), int(a), int(b), lexicon.window)
            for s, a, b, w in zip(df["sentence"], df["s_start"], df["s_end"], df["window_text"], strict=True)]
    df["window_text"] = wins
    df["quantity"] = [
        assign_quantity(float(v) if pd.notna(v) else float("nan"), u, s, sent, w, lexicon)
        for v, u, s, sent, w in zip(df["value"], df["unit"], df["subject"], df["sentence"], wins, strict=True)
    ]
    return df


def find_conflicts(numbers: pd.DataFrame, tolerance: float = TOLERANCE, *,
                   claims: pd.DataFrame | None = None, external: pd.DataFrame | None = None,
                   lexicon: QuantityLexicon | None = None) -> pd.DataFrame:
    """Compare every pair of figures that two sources state about the same canonical quantity.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Columns :data:`NUMBER_COLUMNS`; optionally ``claim_id, sentence, s_start, s_end`` (or pass
        ``claims``), ``source`` and ``date``.
    tolerance : float, default 0.1
        Relative tolerance :math:`\\tau`.
    claims : pandas.DataFrame, optional
        ``claims.csv``: each figure is given its containing sentence (:func:`attach_claims`).
    external : pandas.DataFrame, optional
        External figures (:func:`load_external`), compared as one more source.
    lexicon : QuantityLexicon, optional
        Defaults to ``quantities.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONFLICT_COLUMNS`, one row per pair of figures from different sources about the
        same quantity (``like_for_like``), or about a quantity and a ``related`` one (not like for like,
        with the relation's ``note``; side ``a`` is then the part).  Repeats of one figure (same source,
        quantity, value, hedge) are compared once.  Sorted by quantity, sources, values, claim ids.
    """
    missing = sorted(set(NUMBER_COLUMNS) - set(numbers.columns))
    if missing:
        raise ValueError(f"numbers table lacks columns {missing}")
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    lexicon = lexicon or load_quantities()
    df = attach_claims(numbers, claims) if claims is not None else numbers.copy()
    for col in ("claim_id", "source", "date"):
        if col not in df.columns:
            df[col] = ""
    if external is not None and len(external):
        df = pd.concat([df, external], ignore_index=True)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    df = assign_quantities(df, lexicon)
    df["kind"] = [hedge_kind(h, q) for h, q in zip(df["hedge"], df["quote"], strict=True)]
    df["unit"] = df["unit"].astype(str).str.strip().str.lower()
    df = df[(df["quantity"] != "") & df["value"].notna()].fillna({"claim_id": "", "source": "", "date": ""})
    df = (df.sort_values(["quantity", "article_id", "start"], kind="stable")
          .drop_duplicates(["quantity", "article_id", "value", "kind"]))
    quantities = lexicon.by_id()
    groups = {q: g for q, g in df.groupby("quantity", sort=True)}
    rows: list[dict] = []

    def add(a, b, q: Quantity, other: Quantity | None, relation: str, note: str, n_src: int) -> None:
        va, vb = float(a.value), float(b.value)
        lo_a, hi_a = interval(va, a.kind, tolerance)
        lo_b, hi_b = interval(vb, b.kind, tolerance)
        agree = lo_a <= hi_b if relation == "part_of" else (lo_a <= hi_b and lo_b <= hi_a)
        notes = [note] if note else []
        da, db = str(a.date)[:7], str(b.date)[:7]
        if da and db and da != db:
            notes.append(f"dated in different months ({da} vs {db}): the figure may have changed in between")
        rows.append({
            "quantity": q.id if other is None else f"{q.id}~{other.id}",
            "subject": q.label if other is None else f"{q.label} vs {other.label}",
            "unit": q.units[0],
            "article_a": a.article_id, "claim_a": a.claim_id, "quote_a": a.quote, "value_a": va,
            "hedge_a": a.kind, "unit_a": a.unit, "date_a": a.date, "source_a": a.source or a.sentence,
            "article_b": b.article_id, "claim_b": b.claim_id, "quote_b": b.quote, "value_b": vb,
            "hedge_b": b.kind, "unit_b": b.unit, "date_b": b.date, "source_b": b.source or b.sentence,
            "agree": bool(agree), "ratio": round(max(va, vb) / min(va, vb), 4) if min(va, vb) > 0 else float("inf"),
            "n_articles": int(n_src), "like_for_like": other is None, "note": "; ".join(notes),
        })

    for qid, g in groups.items():
        q = quantities[qid]
        n_src = g["article_id"].nunique()
        for a, b in itertools.combinations(g.itertuples(index=False), 2):
            if a.article_id != b.article_id:
                add(a, b, q, None, "same", "", n_src)
        for target, relation, note in q.related:
            h = groups.get(target)
            if h is None:
                continue
            n_rel = pd.concat([g["article_id"], h["article_id"]]).nunique()
            for a in g.itertuples(index=False):
                for b in h.itertuples(index=False):
                    if a.article_id != b.article_id:
                        add(a, b, q, quantities[target], relation, note, n_rel)
    out = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return out.sort_values(["quantity", "article_a", "article_b", "value_a", "value_b", "claim_a", "claim_b"],
                           ignore_index=True)
