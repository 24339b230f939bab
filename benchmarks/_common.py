"""Shared helpers for the benchmark scripts: timing, peak RSS, result tables."""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_runs(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def time_interleaved(fns: dict[str, Callable[[], object]], repeat: int = 5, warmup: int = 1) -> dict[str, list[float]]:
    """Time several functions in turn, ``repeat`` rounds, so that load changes hit them all alike.

    Returns the wall-clock seconds of each function's timed calls, by name.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            out[name].append(time.perf_counter() - t0)
    return out


def summarise(times: list[float]) -> dict[str, float]:
    """Median, min and max of a list of timings (seconds, 4 decimals)."""
    return {
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        "max_s": round(max(times), 4),
    }


def write_table(name: str, df: pd.DataFrame) -> None:
    """Print a result table and write it as CSV and Markdown under benchmarks/results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    df.to_csv(RESULTS / f"{name}.csv", index=False, lineterminator="\n")
    md = df.to_markdown(index=False) if _has_tabulate() else df.to_string(index=False)
    (RESULTS / f"{name}.md").write_text(md + "\n", encoding="utf-8")
    print(md)
    sys.stdout.flush()


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True
