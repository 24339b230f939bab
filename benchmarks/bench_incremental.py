"""Incremental rebuilds: cold against add-one-article, no-op and a changed lexicon, side by side.

The per-document results are cached by content, code and lexicon version
(:mod:`analysis.cache`), and so is the per-article work of the ``themes``
stage (the tokens and the stance coder's preparation).  On a synthetic corpus
(:mod:`synth`), each scenario rebuilds the processed folder in a fresh process,
one after the other in this invocation, sharing one cache folder, and times
every stage:

``cold``
    empty cache, empty output; the whole pipeline up to ``conflicts``;
``no-op``
    nothing changed; the whole pipeline;
``add one article``
    one new synthetic article in the raw folder; the whole pipeline;
``changed lexicon``
    one comment line appended to ``numbers.yaml`` (a new version of the file:
    the figures and the claims are recomputed, the records are reused); the
    per-document stages.

Two ratios to the cold run: ``per_doc_ratio`` (``prepare``, ``numbers``,
``claims``) and ``whole_ratio`` (plus ``themes`` and ``conflicts``, which
refit their corpus-level models on every run: the topic model, its stability
refits and the stance tagger).  Goal for adding one article: at most 0.10.
The lexicon is changed in a private copy of the project (``analysis/`` and
``data/``, in ``BENCH_WORK``), never in this checkout.  Each run also records
the number of cache entries it wrote (the results it recomputed).

Run: ``python benchmarks/bench_incremental.py [--quick] [--size MB]``.
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
times = {}
for name in names:
    t0 = time.perf_counter()
    stages.run([name], root=out, raw_dir=raw, book_dir=out.parent / "book", n_jobs=int(sys.argv[4]))
    times[name] = time.perf_counter() - t0
print(json.dumps({"seconds": sum(times.values()), "times": times}))
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
    done = json.loads(res.stdout.strip().splitlines()[-1])
    return {"seconds": done["seconds"], "times": done["times"], "process_s": wall,
            "entries_written": _entries(cache) - before}


def scenarios(size_mb: float, n_jobs: int) -> list[dict]:
    """Cold, no-op, add one article and changed lexicon on one synthetic corpus; one row each."""
    from synth import synth_texts, write_corpus

    base = WORK / f"{size_mb:g}MB"
    shutil.rmtree(base, ignore_errors=True)
    proj = _copy_project(base / "proj")
    cache, raw, out = base / "cache", base / "raw", base / "processed"
    n_files, n_bytes = write_corpus(raw, size_mb)
    print(f"synthetic corpus {size_mb:g} MB: {n_files} files", flush=True)
    rows = []

    def row(scenario: str, names: tuple[str, ...]) -> None:
        r = _rebuild(proj, cache, raw, out, names, n_jobs)
        times = r["times"]
        rows.append({"size_mb": size_mb, "scenario": scenario, "stages": " ".join(names), "files": n_files,
                     "n_jobs": n_jobs, **{f"{st}_s": round(times[st], 2) if st in times else None for st in WHOLE},
                     "per_doc_s": round(sum(times[st] for st in PER_DOC), 2),
                     "whole_s": round(r["seconds"], 2) if set(WHOLE) <= set(times) else None,
                     "process_s": round(r["process_s"], 2), "entries_written": r["entries_written"]})
        print(rows[-1], flush=True)

    row("cold", WHOLE)
    row("no-op", WHOLE)
    # one new article, drawn with another seed (so neither its bytes nor its text are a duplicate)
    _, text = next(synth_texts(0.02, seed=12345))
    (raw / "s99999.txt").write_text(text, encoding="utf-8")
    n_files += 1
    row("add one article", WHOLE)
    lex = proj / "data" / "lexicon" / "numbers.yaml"
    lex.write_text(lex.read_text(encoding="utf-8") + "\n# changed by bench_incremental\n", encoding="utf-8")
    row("changed lexicon (numbers.yaml)", PER_DOC)
    cold = rows[0]
    for r in rows:
        r["per_doc_ratio"] = round(r["per_doc_s"] / cold["per_doc_s"], 3)
        r["whole_ratio"] = round(r["whole_s"] / cold["whole_s"], 3) if r["whole_s"] is not None else None
        r["goal"] = "<= 0.10" if r["scenario"] == "add one article" else ""
    return rows


def main(size_mb: float) -> None:
    """Run the scenarios and write ``incremental`` (CSV and Markdown)."""
    import pandas as pd
    from _common import write_table

    jobs = min(2, os.cpu_count() or 1)
    write_table("incremental", pd.DataFrame(scenarios(size_mb, jobs)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 MB (a smoke test)")
    parser.add_argument("--size", type=float, default=50.0, metavar="MB", help="corpus size (default 50 MB)")
    args = parser.parse_args()
    main(1.0 if args.quick else args.size)
