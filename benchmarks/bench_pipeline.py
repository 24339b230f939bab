"""Pipeline time and memory against corpus size, and the parallel speed-up.

A synthetic corpus (:mod:`synth`: real sentences resampled with a fixed seed,
~20 KB articles) of 1, 5, 20 and 50 MB goes through the pipeline's own stages,
run through :func:`analysis.stages.run` (lock, staging copy, schema checks and
atomic save included), with the result cache off (``cache=False``: every run
is cold; :mod:`bench_incremental` measures the cache):

* the per-document stages ``prepare`` -> ``numbers`` -> ``claims`` (``per_doc``),
  each mapped over the articles on the reusable process pool;
* then the corpus-level stages ``themes`` (topic model, stability, stance; its
  tokens are computed per article in parallel) and ``conflicts``, run in a
  second fresh process with a time limit (:data:`CORPUS_LIMIT_S`): a stage
  that does not finish in time is reported as such (``>LIMIT``) rather than
  holding up the whole benchmark;
* ``whole`` is the sum of the five, when all finished.

Every run is a fresh subprocess; its peak RSS is sampled for the whole process
tree (parent + workers) with psutil.  The log-log slope of time against size is
fitted and plotted (``pipeline_scaling.png``); the speed-up of 2 workers over 1
is measured at 20 MB (where the workers' start-up, a few seconds, no longer
dominates) in the same invocation, the runs interleaved.

Run: ``python benchmarks/bench_pipeline.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "laiwang_bench"))
PER_DOC = ("prepare", "numbers", "claims")
CORPUS = ("themes", "conflicts")
STAGES = PER_DOC + CORPUS
#: Seconds the corpus-level stages of one run may take before they are stopped.
CORPUS_LIMIT_S = 180.0


class TreeRSS:
    """Sample the summed RSS of this process and its children every ``interval`` seconds."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self.proc = psutil.Process()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def run_once(raw: Path, out: Path, n_jobs: int, names: tuple[str, ...], fresh: bool) -> dict:
    """Run ``names`` through :func:`analysis.stages.run` (call in a fresh process); times and memory."""
    from analysis import catalog, stages

    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    times: dict[str, float] = {}
    counts: dict[str, int] = {}
    with TreeRSS() as rss:
        for name in names:
            t0 = time.perf_counter()
            stages.run([name], root=out, raw_dir=raw, book_dir=out.parent / "book", n_jobs=n_jobs, cache=False)
            times[name] = time.perf_counter() - t0
    for name, art in (("numbers", "numbers"), ("claims", "claims"), ("conflicts", "fact_conflicts")):
        if name in names:
            counts[art] = len(catalog.load(art, out))
    return {
        "times": times,
        "counts": counts,
        "peak_rss_tree_mb": rss.peak / 2**20,
        "peak_rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_in_subprocess(raw: Path, out: Path, n_jobs: int, names: tuple[str, ...], *, fresh: bool = True,
                      timeout: float | None = None) -> dict | None:
    """Run :func:`run_once` in a fresh interpreter and parse its JSON line; ``None`` if it timed out."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--once", str(raw), str(out), str(n_jobs), ",".join(names)]
    cmd += [] if fresh else ["--keep"]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=HERE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if res.returncode != 0:
        raise RuntimeError(f"pipeline run failed ({' '.join(cmd)}):\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_pipeline(raw: Path, out: Path, n_jobs: int, corpus_stages: bool) -> dict:
    """The per-document stages, then (optionally) the corpus-level ones under :data:`CORPUS_LIMIT_S`."""
    run = run_in_subprocess(raw, out, n_jobs, PER_DOC)
    if corpus_stages:
        rest = run_in_subprocess(raw, out, n_jobs, CORPUS, fresh=False, timeout=CORPUS_LIMIT_S)
        if rest is None:
            run["timed_out"] = True
        else:
            run["times"] |= rest["times"]
            run["counts"] |= rest["counts"]
            run["peak_rss_tree_mb"] = max(run["peak_rss_tree_mb"], rest["peak_rss_tree_mb"])
            run["peak_rss_parent_mb"] = max(run["peak_rss_parent_mb"], rest["peak_rss_parent_mb"])
    run["times"]["per_doc"] = sum(run["times"][s] for s in PER_DOC)
    if all(s in run["times"] for s in STAGES):
        run["times"]["whole"] = sum(run["times"][s] for s in STAGES)
    return run


def _stats(xs: list[float]) -> tuple[float, float, float]:
    return statistics.median(xs), min(xs), max(xs)


def loglog_slope(sizes: list[float], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size)."""
    import numpy as np

    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def _median(runs: list[dict], st: str) -> float | None:
    xs = [r["times"][st] for r in runs if st in r["times"]]
    return round(statistics.median(xs), 2) if xs else None


def main(sizes: tuple[float, ...], repeats: dict[float, int], speedup_mb: float, speedup_repeat: int) -> None:
    """Run the size sweep (2 workers) and the 1-vs-2-worker comparison; write the tables and the plot.

    Each size runs the per-document stages ``repeats[size]`` times and the
    corpus-level stages once (after the first run), under :data:`CORPUS_LIMIT_S`.
    """
    import pandas as pd
    from _common import write_table
    from synth import write_corpus

    WORK.mkdir(parents=True, exist_ok=True)
    jobs = min(2, os.cpu_count() or 1)
    rows, raw_dirs = [], {}
    for mb in sorted(set(sizes) | {speedup_mb}):
        raw = WORK / f"raw_{mb:g}MB"
        shutil.rmtree(raw, ignore_errors=True)
        n_files, n_bytes = write_corpus(raw, mb)
        raw_dirs[mb] = (raw, n_files, n_bytes)
        print(f"synthetic corpus {mb:g} MB: {n_files} files, {n_bytes:,} bytes", flush=True)

    # 1. scaling with size (n_jobs = 2); at the speed-up size, the 1-worker runs are interleaved
    speed: tuple[list[dict], list[dict]] = ([], [])
    for mb in sizes:
        raw, n_files, n_bytes = raw_dirs[mb]
        if mb == speedup_mb:  # 1- and 2-worker runs interleaved, so that load changes hit both alike
            runs = []
            for i in range(max(repeats[mb], speedup_repeat)):
                speed[0].append(run_pipeline(raw, WORK / "out", 1, corpus_stages=False))
                runs.append(run_pipeline(raw, WORK / "out", jobs, corpus_stages=i == 0))
            speed = (speed[0], runs)
        else:
            runs = [run_pipeline(raw, WORK / "out", jobs, corpus_stages=i == 0) for i in range(repeats[mb])]
        row = {"size_mb": mb, "bytes": n_bytes, "files": n_files, "n_jobs": jobs, "runs": len(runs)}
        for st in STAGES + ("per_doc", "whole"):
            row[f"{st}_s"] = _median(runs, st)
        if runs[0].get("timed_out"):
            row["themes_s"] = row["conflicts_s"] = row["whole_s"] = None
            row["note"] = f"themes+conflicts > {CORPUS_LIMIT_S:g} s (stopped)"
        else:
            row["note"] = ""
        row["claims_s_per_mb_core"] = round(row["claims_s"] * jobs / (n_bytes / 1e6), 2)
        row["per_doc_mb_per_s"] = round(n_bytes / 1e6 / row["per_doc_s"], 3)
        row["peak_rss_mb"] = round(max(r["peak_rss_tree_mb"] for r in runs), 0)
        row["peak_rss_parent_mb"] = round(max(r["peak_rss_parent_mb"] for r in runs), 0)
        rows.append(row)
        print(row, flush=True)
    df = pd.DataFrame(rows)
    write_table("pipeline_scaling", df)

    fits = []
    mbs = [r["bytes"] / 1e6 for r in rows]
    for st in STAGES + ("per_doc", "whole"):
        ok = df[f"{st}_s"].notna().to_numpy()
        if ok.sum() >= 2:
            x = [m for m, k in zip(mbs, ok, strict=True) if k]
            fits.append({
                "stage": st,
                "sizes_mb": ", ".join(f"{m:g}" for m in df["size_mb"][ok]),
                "loglog_slope": round(loglog_slope(x, list(df[f"{st}_s"][ok])), 3),
                "goal": "0.9-1.1" if st in ("per_doc", "whole") else "",
            })
    write_table("pipeline_slope", pd.DataFrame(fits))
    _plot(df, mbs)

    # 2. speed-up of 2 workers over 1, interleaved runs at one size
    srows = []
    for st in PER_DOC + ("per_doc",):
        m1, lo1, hi1 = _stats([r["times"][st] for r in speed[0]])
        m2, lo2, hi2 = _stats([r["times"][st] for r in speed[1]])
        srows.append({
            "stage": st,
            "size_mb": speedup_mb,
            "runs": len(speed[0]),
            "1_job_median_s": round(m1, 2),
            "1_job_min_max_s": f"{lo1:.2f}-{hi1:.2f}",
            f"{jobs}_jobs_median_s": round(m2, 2),
            f"{jobs}_jobs_min_max_s": f"{lo2:.2f}-{hi2:.2f}",
            "speedup": round(m1 / m2, 2),
        })
    write_table("pipeline_speedup", pd.DataFrame(srows))


def _plot(df, mbs) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from _common import RESULTS

    fig, ax = plt.subplots(figsize=(6, 4))
    for st in STAGES + ("per_doc", "whole"):
        ok = df[f"{st}_s"].notna().to_numpy()
        if not ok.any():
            continue
        x = [m for m, k in zip(mbs, ok, strict=True) if k]
        ax.loglog(x, df[f"{st}_s"][ok], marker="o", label=st, lw=2 if st in ("per_doc", "whole") else 1)
    ref = [df["per_doc_s"].iloc[0] * m / mbs[0] for m in mbs]
    ax.loglog(mbs, ref, "k--", lw=0.8, label="linear (slope 1)")
    ax.set_xlabel("synthetic corpus size (MB of raw UTF-8)")
    ax.set_ylabel("median wall time (s)")
    ax.set_title("Pipeline time against corpus size (2 workers)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(RESULTS / "pipeline_scaling.png", dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", nargs=4, metavar=("RAW", "OUT", "N_JOBS", "STAGES"), help="one run (internal)")
    parser.add_argument("--keep", action="store_true", help="keep OUT (with --once: run later stages on it)")
    parser.add_argument("--quick", action="store_true", help="1 and 2 MB only, 2 runs each (a smoke test)")
    parser.add_argument("--full", action="store_true", help="5 runs at every size (~30 min)")
    parser.add_argument("--sizes", nargs="+", type=float, metavar="MB",
                        help="these sizes, 2 runs each, the speed-up at the largest up to 20 MB (a shorter sweep)")
    args = parser.parse_args()
    if args.once:
        raw, out, n, names = args.once
        print(json.dumps(run_once(Path(raw), Path(out), int(n), tuple(names.split(",")), fresh=not args.keep)))
    elif args.quick:
        main((1, 2), {1: 2, 2: 2}, 2, 2)
    elif args.sizes:  # the speed-up at the largest size up to 20 MB
        main(tuple(args.sizes), dict.fromkeys(args.sizes, 2), max([m for m in args.sizes if m <= 20] or args.sizes), 2)
    elif args.full:
        main((1, 5, 20, 50), {1: 5, 5: 5, 20: 5, 50: 3}, 20, 5)
    else:  # what `make bench` runs: fits in its 15-minute budget on 2 cores
        main((1, 5, 20, 50), {1: 2, 5: 2, 20: 2, 50: 1}, 20, 2)
