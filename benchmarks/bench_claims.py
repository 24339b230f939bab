"""Claims per MB on one core: the exhaustive reference (tag everything) against the claims stage as it runs.

For each corpus size (1 and 5 MB of raw UTF-8) and each kind of synthetic
text, the prepared articles go through the ``claims`` stage's work on one
core, in a fresh subprocess per run (so no cache of one run helps another):

* ``exhaustive``: the reference, what the stage did before its shortcuts:
  every sentence POS-tagged whole, the cue hits and the figure extractor run
  again wherever asked (three times per sentence), every entity and theme
  tested, and the coder's features recomputed from scratch in the parent
  (:func:`analysis.extract.claims.claims_frame` per article, then
  :func:`analysis.extract.classifier.assign_types`, all inside
  :func:`analysis.extract.exhaustive.exhaustive`);
* ``fast``: the stage as it runs now (:func:`analysis.extract.claims.document_claims`
  per article, :func:`~analysis.extract.claims.split_features`, then
  :func:`~analysis.extract.classifier.assign_types` with those features).

Both produce the same table (checked here, and in ``tests/test_claims_fast.py``).
Two kinds of text: ``resampled`` is :mod:`synth` (the real sentences drawn
with replacement, as in the pipeline benchmark: the same few hundred
sentences recur, so per-sentence caches hit often); ``cut`` is seeded random
cuts of the corpus text closed with a full stop (almost every sentence
unique, like a real archive).  The times exclude process start-up and the
one-off loading of the dictionaries and models (a warm-up on one article);
``per_doc_s`` and ``total_s`` are wall-clock, ``cpu_s`` the process CPU time
(the per-core cost, robust to a busy machine).  Goal: ``fast`` at most 1 s
per MB.

Run: ``python benchmarks/bench_claims.py [--quick]`` (``--quick``: 1 MB only).
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

import numpy as np
import pandas as pd
from _common import peak_rss_mb, write_table

from analysis import stages

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("BENCH_WORK", Path(tempfile.gettempdir()) / "laiwang_bench")) / "claims"
SIZES = (1, 5)
KINDS = ("resampled", "cut")
VARIANTS = ("exhaustive", "fast")


def cut_texts(size_mb: float, *, seed: int = 20131, article_kb: int = 20):
    """Yield ``(name, text)`` of raw articles made of random cuts of the real corpus (unique sentences)."""
    from analysis.corpus.documents import iter_documents

    corpus = "".join(d.text.replace("\n", "") for d in iter_documents())
    rng = np.random.default_rng(seed)
    target, total, k = int(size_mb * 1e6), 0, 0
    while total < target:
        budget = min(article_kb * 1000, target - total)
        head = f"---\ntitle: 切片文章{k:05d}\nname: synth\ntime: 2014-01-01 00:00\n---\n"
        parts, size = [head], len(head.encode("utf-8"))
        while size < budget:
            sents = []
            for _ in range(int(rng.integers(3, 7))):
                a = int(rng.integers(0, len(corpus) - 60))
                sents.append(corpus[a : a + int(rng.integers(8, 60))].rstrip("。！？!?") + "。")
            para = "".join(sents) + "\n\n"
            parts.append(para)
            size += len(para.encode("utf-8"))
        text = "".join(parts)
        total += len(text.encode("utf-8"))
        yield f"c{k:05d}.txt", text
        k += 1


def prepare_corpus(kind: str, mb: float) -> tuple[Path, Path, int]:
    """Write a raw corpus and run ``prepare`` on it; return ``(raw_dir, processed_dir, n_bytes)``."""
    from synth import synth_texts

    raw, out = WORK / f"raw_{kind}_{mb:g}MB", WORK / f"out_{kind}_{mb:g}MB"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    raw.mkdir(parents=True)
    n_bytes = 0
    for name, text in (synth_texts(mb) if kind == "resampled" else cut_texts(mb)):
        data = text.encode("utf-8")
        (raw / name).write_bytes(data)
        n_bytes += len(data)
    stages.run(["prepare"], root=out, raw_dir=raw, book_dir=WORK / "book", n_jobs=1)
    return raw, out, n_bytes


def run_once(raw: Path, out: Path, variant: str) -> dict:
    """One timed run of the claims work (inside a fresh subprocess)."""
    from analysis.corpus.documents import iter_documents
    from analysis.extract import claims, classifier
    from analysis.extract.exhaustive import exhaustive

    docs = list(iter_documents(processed_dir=out, raw_dir=raw))
    authors = {d.article_id: str(d.meta.get("author") or "") for d in docs}
    reference = claims.load_reference()
    warm = [d for d in docs[:1]]
    with exhaustive():  # load jieba, posseg, the lexicons and the models, untimed
        claims.claims_frame(warm).head(0)
    t0, c0 = time.perf_counter(), time.process_time()
    if variant == "exhaustive":
        with exhaustive():
            df = pd.concat([claims.claims_frame([d]) for d in docs], ignore_index=True)
            t1 = time.perf_counter()
            table = classifier.assign_types(df, reference, authors)
    else:
        frame = pd.concat([claims.document_claims(d) for d in docs], ignore_index=True)
        df, feats = claims.split_features(frame, authors)
        t1 = time.perf_counter()
        table = classifier.assign_types(df, reference, authors, features=feats)
    t2, c2 = time.perf_counter(), time.process_time()
    digest = pd.util.hash_pandas_object(table, index=True).sum()
    return {"per_doc_s": t1 - t0, "total_s": t2 - t0, "cpu_s": c2 - c0, "sentences": len(table), "digest": int(digest),
            "peak_rss_mb": peak_rss_mb()}


def run_in_subprocess(raw: Path, out: Path, variant: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--once", str(raw), str(out), variant]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=HERE, env=env)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main(sizes=SIZES, kinds=KINDS) -> pd.DataFrame:
    rows = []
    for kind in kinds:
        for mb in sizes:
            raw, out, n_bytes = prepare_corpus(kind, mb)
            results = {v: run_in_subprocess(raw, out, v) for v in VARIANTS}
            same = results["exhaustive"]["digest"] == results["fast"]["digest"]
            for v in VARIANTS:
                r = results[v]
                rows.append({
                    "text": kind,
                    "mb": round(n_bytes / 1e6, 2),
                    "variant": v,
                    "sentences": r["sentences"],
                    "per_doc_s": round(r["per_doc_s"], 2),
                    "total_s": round(r["total_s"], 2),
                    "cpu_s": round(r["cpu_s"], 2),
                    "cpu_s_per_mb": round(r["cpu_s"] / (n_bytes / 1e6), 3),
                    "speedup_cpu": round(results["exhaustive"]["cpu_s"] / r["cpu_s"], 2),
                    "same_output": same,
                    "peak_rss_mb": round(r["peak_rss_mb"], 1),
                })
            if not same:
                print(f"WARNING: the fast claims differ from the exhaustive reference ({kind}, {mb} MB)",
                      file=sys.stderr)
    df = pd.DataFrame(rows)
    write_table("claims", df)
    return df


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", nargs=3, metavar=("RAW", "OUT", "VARIANT"), help="one run (internal)")
    parser.add_argument("--quick", action="store_true", help="1 MB only")
    args = parser.parse_args()
    if args.once:
        raw, out, variant = args.once
        print(json.dumps(run_once(Path(raw), Path(out), variant)))
    else:
        main(sizes=(1,) if args.quick else SIZES)
