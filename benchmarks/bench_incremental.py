"""Incremental rebuilds: cold against add-one-article, no-op and a changed lexicon, side by side.

The per-document results are cached by content, code and lexicon version
(:mod:`analysis.cache`).  On a synthetic corpus (:mod:`synth`), each scenario
rebuilds the processed folder in a fresh process, one after the other in this
invocation, sharing one cache folder:

``cold``
    empty cache, empty output;
``no-op``
    nothing changed;
``add one article``
    one new synthetic article in the raw folder;
``changed lexicon``
    one comment line appended to ``numbers.yaml`` (a new version of the file:
    the figures and the claims are recomputed, the records are reused).

The lexicon is changed in a private copy of the project (``analysis/`` and
``data/``, in ``BENCH_WORK``), never in this checkout.  ``make bench`` runs the
per-document stages (``prepare``, ``numbers``, ``claims``) at 50 MB; ``--sizes
A B`` adds the whole pipeline up to ``conflicts`` at B MB, where the
corpus-level stages (``themes``, ``conflicts``) rerun in full and reuse only
the cached tokens (left out of ``make bench`` for its time budget).
``ratio`` is the time over the cold time of the same row group; goal for adding
one article: at most 0.10.  Each run also records the number of cache entries
it wrote (the results it recomputed).

Run: ``python benchmarks/bench_incremental.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJ = HERE.parent
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "laiwang_bench")) / "incremental"
PER_DOC = ("prepare", "numbers", "claims")
WHOLE = PER_DOC + ("themes", "conflicts")

_DRIVER = """
import json, sys, time
from pathlib import Path
from analysis import stages
raw, out, names = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
t0 = time.perf_counter()
stages.run(names, root=out, raw_dir=raw, book_dir=out.parent / "book", n_jobs=int(sys.argv[4]))
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def _copy_project(dest: Path) -> Path:
    """A private copy of the package and its data, whose lexicons this benchmark may change."""
    shutil.rmtree(dest, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "processed", ".processed*")
    shutil.copytree(PROJ / "analysis", dest / "analysis", ignore=ignore)
    shutil.copytree(PROJ / "data", dest / "data", ignore=ignore)
    (dest / "_config.yml").write_text("# a copy for bench_incremental\n", encoding="utf-8")
    return dest


def _entries(cache: Path) -> int:
    return sum(1 for _ in (cache / "documents").glob("*/*.pkl")) if (cache / "documents").is_dir() else 0


def _rebuild(proj: Path, cache: Path, raw: Path, out: Path, names: tuple[str, ...], n_jobs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(proj), "ANALYSIS_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
    before = _entries(cache)
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _DRIVER, str(raw), str(out), ",".join(names), str(n_jobs)],
                         cwd=proj, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"rebuild failed:\n{res.stderr[-3000:]}")
    return {"seconds": json.loads(res.stdout.strip().splitlines()[-1])["seconds"], "process_s": wall,
            "entries_written": _entries(cache) - before}


def scenarios(size_mb: float, names: tuple[str, ...], n_jobs: int) -> list[dict]:
    """Cold, no-op, add one article and changed lexicon on one synthetic corpus; one row each."""
    from synth import synth_texts, write_corpus

    base = WORK / f"{size_mb:g}MB"
    shutil.rmtree(base, ignore_errors=True)
    proj = _copy_project(base / "proj")
    cache, raw, out = base / "cache", base / "raw", base / "processed"
    n_files, n_bytes = write_corpus(raw, size_mb)
    print(f"synthetic corpus {size_mb:g} MB: {n_files} files", flush=True)
    rows = []

    def row(scenario: str) -> None:
        r = _rebuild(proj, cache, raw, out, names, n_jobs)
        rows.append({"size_mb": size_mb, "stages": " ".join(names), "scenario": scenario, "files": n_files,
                     "n_jobs": n_jobs, "seconds": round(r["seconds"], 2), "process_s": round(r["process_s"], 2),
                     "entries_written": r["entries_written"]})
        print(rows[-1], flush=True)

    row("cold")
    row("no-op")
    # one new article, drawn with another seed (so neither its bytes nor its text are a duplicate)
    _, text = next(synth_texts(0.02, seed=12345))
    (raw / "s99999.txt").write_text(text, encoding="utf-8")
    n_files += 1
    row("add one article")
    lex = proj / "data" / "lexicon" / "numbers.yaml"
    lex.write_text(lex.read_text(encoding="utf-8") + "\n# changed by bench_incremental\n", encoding="utf-8")
    row("changed lexicon (numbers.yaml)")
    cold = rows[0]["seconds"]
    for r in rows:
        r["ratio"] = round(r["seconds"] / cold, 3)
        r["goal"] = "<= 0.10" if r["scenario"] == "add one article" else ""
    return rows


def main(runs: list[tuple[float, tuple[str, ...]]]) -> None:
    """Run every scenario group and write ``incremental`` (CSV and Markdown)."""
    import pandas as pd
    from _common import write_table

    jobs = min(2, os.cpu_count() or 1)
    rows = []
    for size, names in runs:
        rows += scenarios(size, names, jobs)
    write_table("incremental", pd.DataFrame(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 MB, per-document stages only (a smoke test)")
    parser.add_argument("--sizes", nargs=2, type=float, metavar=("PER_DOC_MB", "WHOLE_MB"),
                        help="the per-document group at A MB and the whole-pipeline group at B MB "
                             "(default: the per-document group at 50 MB only)")
    args = parser.parse_args()
    if args.sizes:
        main([(args.sizes[0], PER_DOC), (args.sizes[1], WHOLE)])
    elif args.quick:
        main([(1, PER_DOC)])
    else:
        main([(50, PER_DOC)])
