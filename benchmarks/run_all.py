"""Run every benchmark, each in a fresh process, and record how long the whole run took.

``make bench`` calls this.  Order: tokenizer, segmenter identity (fast path),
pipeline scaling and speed-up, incremental rebuilds (the result cache), cascade (``bench_cascade.py``, owned by the
models team), book build.  Each script prints its table and writes CSV and
Markdown to ``benchmarks/results/``; this runner adds ``run_all.md`` with the
wall time of each script and the total (budget: 15 minutes on 2 cores).

Run: ``python benchmarks/run_all.py [--only NAME ...] [--skip NAME ...] [--full]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from _common import write_table

HERE = Path(__file__).resolve().parent
BENCHES = {
    "tokenizer": ["bench_tokenizer.py"],
    "segmenter": ["bench_segmenter.py"],
    "claims": ["bench_claims.py", "--quick"],
    "pipeline": ["bench_pipeline.py"],
    "incremental": ["bench_incremental.py"],
    "cascade": ["bench_cascade.py"],
    "book": ["bench_book.py", "--cached-runs", "3"],
}
BUDGET_S = 15 * 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these")
    parser.add_argument("--skip", nargs="*", choices=sorted(BENCHES), default=[], help="skip these")
    parser.add_argument("--full", action="store_true", help="the long pipeline sweep (~30 min; not for make bench)")
    args = parser.parse_args(argv)
    names = [n for n in (args.only or BENCHES) if n not in args.skip]
    rows, failed = [], []
    t_all = time.perf_counter()
    for name in names:
        script = HERE / BENCHES[name][0]
        if not script.exists():
            print(f"== {name}: {script.name} is missing, skipped", flush=True)
            rows.append({"benchmark": name, "script": script.name, "status": "missing", "wall_s": None})
            continue
        extra = BENCHES[name][1:] if not args.full else [a for a in BENCHES[name][1:] if a != "--quick"]
        cmd = [sys.executable, str(script), *extra] + (["--full"] if args.full and name == "pipeline" else [])
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, cwd=HERE)
        secs = time.perf_counter() - t0
        status = "ok" if rc == 0 else f"failed (exit {rc})"
        if rc:
            failed.append(name)
        rows.append({"benchmark": name, "script": script.name, "status": status, "wall_s": round(secs, 1)})
    total = time.perf_counter() - t_all
    rows.append({
        "benchmark": "TOTAL",
        "script": f"budget {BUDGET_S // 60} min",
        "status": "within budget" if total <= BUDGET_S else "OVER budget",
        "wall_s": round(total, 1),
    })
    write_table("run_all", pd.DataFrame(rows))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
