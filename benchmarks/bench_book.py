"""Book build time: a cold ``jb build`` (empty output and execution cache) and cached no-op rebuilds.

The build goes to ``$TMPDIR/bench_book`` (``--path-output``), never to the
project's ``_build``; jupyter-cache lives under that output path, so deleting
it makes the next build cold.  Goals on 2 cores: cold <= 4 min, cached <= 20 s.
``--profile`` also writes a pyinstrument profile of a cold build to
``results/book_profile.txt``.

Run: ``python benchmarks/bench_book.py [--cached-runs N] [--profile]``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _common import RESULTS, write_table

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(tempfile.gettempdir()) / "bench_book"
JB = [str(Path(sys.executable).with_name("jb")), "build", str(ROOT), "--path-output", str(OUT), "-n", "--keep-going"]


def _build(cmd: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    secs = time.perf_counter() - t0
    if res.returncode != 0:
        print(res.stdout[-2000:], res.stderr[-2000:], file=sys.stderr)
    return secs, res.returncode


def main(cold_runs: int = 1, cached_runs: int = 5, profile: bool = False) -> pd.DataFrame:
    cold, cached, codes = [], [], []
    for _ in range(cold_runs):
        shutil.rmtree(OUT, ignore_errors=True)
        secs, rc = _build(JB)
        cold.append(secs)
        codes.append(rc)
    for _ in range(cached_runs):
        secs, rc = _build(JB)
        cached.append(secs)
        codes.append(rc)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n_pages = len(list((OUT / "_build" / "html").rglob("*.html")))
    rows = []
    for kind, xs, goal in (("cold (no cache)", cold, 240), ("cached no-op", cached, 20)):
        rows.append({
            "build": kind,
            "runs": len(xs),
            "median_s": round(statistics.median(xs), 1),
            "min_s": round(min(xs), 1),
            "max_s": round(max(xs), 1),
            "goal_s": goal,
            "meets_goal": statistics.median(xs) <= goal,
            "html_pages": n_pages,
            "exit_codes": ",".join(map(str, sorted(set(codes)))),
            "peak_rss_largest_process_mb": round(peak, 0),
            "ratio_cold_over_cached": round(statistics.median(cold) / statistics.median(cached), 1),
        })
    df = pd.DataFrame(rows)
    write_table("book", df)
    if profile:
        shutil.rmtree(OUT, ignore_errors=True)
        prof = [str(Path(sys.executable).with_name("pyinstrument")), "-r", "text", "-o", str(RESULTS / "book_profile.txt")]
        _build(prof + [str(Path(sys.executable).with_name("jb"))] + JB[1:])
        print(f"profile: {RESULTS / 'book_profile.txt'}")
    return df


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=1)
    parser.add_argument("--cached-runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    main(args.cold_runs, args.cached_runs, args.profile)
