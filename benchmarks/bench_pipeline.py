"""Pipeline time and memory against corpus size, and the parallel speed-up.

A synthetic corpus (:mod:`synth`: real sentences resampled with a fixed seed,
~20 KB articles) of 1, 5, 20 and 50 MB goes through

``prepare`` -> ``tokenize`` (content tokens, hashed into a sparse count row per
document) -> ``numbers`` -> ``claims`` -> TF-IDF + NMF (sklearn, sparse, 10
topics, 50 iterations)

with the pipeline's stages run through :func:`analysis.stages.run` (each
per-document stage maps over the articles with
:func:`analysis.corpus.documents.map_articles`, so that each worker loads its
own article from disk).  Every run is a fresh
subprocess; its peak RSS is sampled for the whole process tree (parent +
workers) with psutil.  The log-log slope of time against size is fitted and
plotted; the speed-up of 2 workers over 1 is measured at 5 MB in the same
invocation, the runs interleaved.

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
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "laiwang_bench"))
PER_DOC = ("prepare", "tokenize", "numbers", "claims")
STAGES = PER_DOC + ("tfidf_nmf",)
#: ``core``: every stage but claims (run at every size); ``per_doc``: prepare + tokenize + numbers.
N_FEATURES = 2**16


# ---------------------------------------------------------------------------
# per-document worker functions (module level: they are pickled to workers)
# ---------------------------------------------------------------------------
def count_row(doc):
    """Content tokens of one document, hashed into a 1 x N_FEATURES sparse count row."""
    from sklearn.feature_extraction.text import HashingVectorizer

    from analysis.segment import content_tokens, passthrough

    hv = HashingVectorizer(
        analyzer=passthrough, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype="float32"
    )
    return hv.transform([content_tokens(doc.text)])


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


def run_once(raw: Path, out: Path, n_jobs: int, with_claims: bool = True) -> dict:
    """One pipeline run (call in a fresh process).  Returns stage times and memory.

    ``prepare``, ``numbers`` and ``claims`` are the pipeline's own stages, run
    through :func:`analysis.stages.run` (lock, staging copy, schema checks and
    atomic save included); ``tokenize`` and ``tfidf_nmf`` are the themes
    stage's kernels, timed alone.
    """
    import scipy.sparse as sp
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfTransformer

    from analysis import catalog, config, stages
    from analysis.corpus.documents import map_articles

    shutil.rmtree(out, ignore_errors=True)
    times: dict[str, float] = {}
    counts: dict[str, int] = {}

    def stage(name: str) -> None:
        t0 = time.perf_counter()
        stages.run([name], root=out, raw_dir=raw, book_dir=out.parent / "book", n_jobs=n_jobs)
        times[name] = time.perf_counter() - t0

    with TreeRSS() as rss:
        stage("prepare")

        t0 = time.perf_counter()
        X = sp.vstack(map_articles(count_row, processed_dir=out, raw_dir=raw, n_jobs=n_jobs), format="csr")
        times["tokenize"] = time.perf_counter() - t0
        counts["docs"], counts["tokens"] = X.shape[0], int(X.sum())

        stage("numbers")
        counts["figures"] = len(catalog.load("numbers", out))

        if with_claims:
            stage("claims")
            counts["claims"] = len(catalog.load("claims", out))

        t0 = time.perf_counter()
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(X)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            NMF(n_components=10, init="nndsvda", max_iter=50, tol=0.0, random_state=config.SEED).fit(tfidf)
        times["tfidf_nmf"] = time.perf_counter() - t0
    times["core"] = sum(times[s] for s in STAGES if s != "claims")
    times["per_doc"] = sum(times[s] for s in PER_DOC if s in times and s != "claims")
    return {
        "times": times,
        "counts": counts,
        "peak_rss_tree_mb": rss.peak / 2**20,
        "peak_rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_in_subprocess(raw: Path, out: Path, n_jobs: int, with_claims: bool) -> dict:
    """Run :func:`run_once` in a fresh interpreter and parse its JSON line."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--once", str(raw), str(out), str(n_jobs)]
    cmd += [] if with_claims else ["--no-claims"]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=HERE)
    if res.returncode != 0:
        raise RuntimeError(f"pipeline run failed ({' '.join(cmd)}):\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _stats(xs: list[float]) -> tuple[float, float, float]:
    return statistics.median(xs), min(xs), max(xs)


def loglog_slope(sizes: list[float], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size)."""
    import numpy as np

    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def main(
    sizes: tuple[float, ...],
    repeats: dict[float, int],
    speedup_mb: float,
    speedup_repeat: int,
    claims_max_mb: float,
) -> None:
    """Run the size sweep (2 workers) and the 1-vs-2-worker comparison; write the tables and plot.

    ``claims`` runs only at sizes <= ``claims_max_mb`` (it is ~20x slower than
    the other stages); ``total`` and the slopes cover the other stages, so they
    compare like with like across sizes.
    """
    import pandas as pd
    from _common import write_table
    from synth import write_corpus

    WORK.mkdir(parents=True, exist_ok=True)
    n_cores = os.cpu_count() or 1
    jobs = min(2, n_cores)
    rows, raw_dirs = [], {}
    for mb in sorted(set(sizes) | {speedup_mb}):
        raw = WORK / f"raw_{mb:g}MB"
        shutil.rmtree(raw, ignore_errors=True)
        n_files, n_bytes = write_corpus(raw, mb)
        raw_dirs[mb] = (raw, n_files, n_bytes)
        print(f"synthetic corpus {mb:g} MB: {n_files} files, {n_bytes:,} bytes", flush=True)

    # 1. scaling with size (n_jobs = 2)
    scaling = {}
    for mb in sizes:
        raw, n_files, n_bytes = raw_dirs[mb]
        claims = mb <= claims_max_mb
        if mb == speedup_mb:  # interleave the 1-worker runs of the speed-up comparison
            runs, singles = [], []
            for _ in range(max(repeats[mb], speedup_repeat)):
                singles.append(run_in_subprocess(raw, WORK / "out", 1, claims))
                runs.append(run_in_subprocess(raw, WORK / "out", jobs, claims))
            speed = (singles, runs)
        else:
            runs = [run_in_subprocess(raw, WORK / "out", jobs, claims) for _ in range(repeats[mb])]
        scaling[mb] = runs
        row = {"size_mb": mb, "bytes": n_bytes, "files": n_files, "n_jobs": jobs, "runs": len(runs)}
        for st in STAGES + ("core",):
            row[f"{st}_s"] = (
                round(statistics.median(r["times"][st] for r in runs), 2) if st in runs[0]["times"] else None
            )
        med, lo, hi = _stats([r["times"]["core"] for r in runs])
        row |= {"core_min_s": round(lo, 2), "core_max_s": round(hi, 2)}
        row["mb_per_s"] = round(n_bytes / 1e6 / med, 3)
        row["peak_rss_mb"] = round(max(r["peak_rss_tree_mb"] for r in runs), 0)
        row["peak_rss_parent_mb"] = round(max(r["peak_rss_parent_mb"] for r in runs), 0)
        rows.append(row)
        print(row, flush=True)
    df = pd.DataFrame(rows)
    write_table("pipeline_scaling", df)

    fits = []
    mbs = [r["bytes"] / 1e6 for r in rows]
    for st in STAGES + ("core",):
        ok = df[f"{st}_s"].notna().to_numpy()
        if ok.sum() >= 2:
            x = [m for m, k in zip(mbs, ok, strict=True) if k]
            fits.append({
                "stage": st,
                "sizes_mb": ", ".join(f"{m:g}" for m in df["size_mb"][ok]),
                "loglog_slope": round(loglog_slope(x, list(df[f"{st}_s"][ok])), 3),
            })
    write_table("pipeline_slope", pd.DataFrame(fits))
    _plot(df, mbs)

    # 2. speed-up of 2 workers over 1, interleaved runs at one size
    by_jobs = {1: speed[0], jobs: speed[1]}
    srows = []
    for st in PER_DOC + ("per_doc", "tfidf_nmf", "core"):
        if st not in by_jobs[1][0]["times"]:
            continue
        m1, lo1, hi1 = _stats([r["times"][st] for r in by_jobs[1]])
        m2, lo2, hi2 = _stats([r["times"][st] for r in by_jobs[jobs]])
        srows.append({
            "stage": st,
            "size_mb": speedup_mb,
            "runs": len(by_jobs[1]),
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
    for st in STAGES + ("core",):
        ok = df[f"{st}_s"].notna().to_numpy()
        x = [m for m, k in zip(mbs, ok, strict=True) if k]
        ax.loglog(x, df[f"{st}_s"][ok], marker="o", label=st, lw=2 if st == "core" else 1)
    ref = [df["core_s"].iloc[0] * m / mbs[0] for m in mbs]
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
    parser.add_argument("--once", nargs=3, metavar=("RAW", "OUT", "N_JOBS"), help="one run (internal)")
    parser.add_argument("--no-claims", action="store_true", help="skip the claims stage (with --once)")
    parser.add_argument("--quick", action="store_true", help="1 and 2 MB only, 2 runs each (a smoke test)")
    parser.add_argument("--full", action="store_true", help="5 runs at 20 MB and claims at every size (~45 min)")
    args = parser.parse_args()
    if args.once:
        raw, out, n = args.once
        print(json.dumps(run_once(Path(raw), Path(out), int(n), with_claims=not args.no_claims)))
    elif args.quick:
        main((1, 2), {1: 2, 2: 2}, 2, 2, claims_max_mb=1)
    elif args.full:
        main((1, 5, 20, 50), {1: 5, 5: 5, 20: 5, 50: 1}, 5, 5, claims_max_mb=50)
    else:  # what `make bench` runs: fits in its 15-minute budget on 2 cores
        main((1, 5, 20, 50), {1: 5, 5: 5, 20: 2, 50: 1}, 5, 5, claims_max_mb=1)
