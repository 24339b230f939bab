"""Dated figures from outside the corpus (``data/external/external_metrics.csv``), with their sources.

Each row is ``entity, metric, period, value, unit, source``: a company
disclosure or a press report, dated by ``period`` (``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``).  ``value`` may be empty for an event that has a date but no
figure (WeChat's launch).  :func:`read_external_metrics` is the one reader of
the file; three stages use it:

* the cross-source checks compare the rows that have a value with the
  articles' figures, as one more source (:func:`external_figures`);
* the adoption scenarios take some parameters from it;
* the timeline and the strategy comparison cite it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analysis import catalog, config

__all__ = ["EXTERNAL_COLUMNS", "EXTERNAL_ID", "read_external_metrics", "external_figures"]

#: The columns of ``external_metrics.csv``.
EXTERNAL_COLUMNS: tuple[str, ...] = ("entity", "metric", "period", "value", "unit", "source")
#: ``article_id`` of the external figures when they are compared with the articles'.
EXTERNAL_ID = "external"
#: Figure-table columns (those of ``numbers.csv``).
_NUMBER_COLUMNS: list[str] = catalog.artefact("numbers").column_names


def read_external_metrics(path: Path | None = None) -> pd.DataFrame | None:
    """Read and check the external figures.

    Parameters
    ----------
    path : pathlib.Path, optional
        The CSV file (default :data:`analysis.config.EXTERNAL_METRICS_FILE`, looked up at call time).

    Returns
    -------
    pandas.DataFrame or None
        The rows in file order: every column ``str``, except ``value`` (float, NaN when empty).
        ``None`` when the file does not exist (the stages then run without external figures).

    Raises
    ------
    ValueError
        If a column is missing, or a row lacks an entity, metric, period or source, or has a value
        that is not a number; the message names the file and the line (the header is line 1).
    """
    path = Path(path or config.EXTERNAL_METRICS_FILE)
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in EXTERNAL_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}:1: the header lacks the columns {missing}")
        rows = []
        for row in reader:
            where = f"{path}:{reader.line_num}"
            if None in row:
                raise ValueError(f"{where}: more fields than the header has")
            empty = [c for c in ("entity", "metric", "period", "source") if not row[c]]
            if empty:
                raise ValueError(f"{where}: missing {empty[0]}")
            try:
                value = float(row["value"]) if row["value"].strip() else float("nan")
            except ValueError:
                raise ValueError(f"{where}: value {row['value']!r} is not a number") from None
            rows.append({**row, "value": value})
    return pd.DataFrame(rows, columns=list(reader.fieldnames or EXTERNAL_COLUMNS))


def external_figures(external: pd.DataFrame) -> pd.DataFrame:
    """The external rows that have a value, as rows of a figures table (``article_id`` :data:`EXTERNAL_ID`).

    Each row becomes a figure whose quote is ``"<metric>: <value> <unit>"``, whose subject, sentence
    and window are ``"<entity> <metric>"``, whose hedge is exact, and which carries the cited
    ``source`` and the ``period`` as its date.

    Parameters
    ----------
    external : pandas.DataFrame
        :func:`read_external_metrics` output.

    Returns
    -------
    pandas.DataFrame
        The ``numbers.csv`` columns plus ``claim_id, sentence, s_start, s_end, window_text, source,
        date``; ``start`` is the row's index in ``external``.

    Raises
    ------
    ValueError
        If ``external`` lacks one of :data:`EXTERNAL_COLUMNS`.
    """
    missing = sorted(set(EXTERNAL_COLUMNS) - set(external.columns))
    if missing:
        raise ValueError(f"external figures lack columns {missing}")
    rows = []
    for i, r in enumerate(external.itertuples(index=False)):
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
    return pd.DataFrame(rows, columns=[*_NUMBER_COLUMNS, "claim_id", "sentence", "s_start", "s_end",
                                       "window_text", "source", "date"])
