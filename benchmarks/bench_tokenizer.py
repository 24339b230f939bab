"""Tokenizer throughput: ``analysis.segment.tokenize`` against plain ``jieba.lcut``.

Both segment the same text (the clean corpus, repeated to ~1 M characters) in
the same process; the ratio of median times is what matters (goal <= 1.25).
Run: ``python benchmarks/bench_tokenizer.py`` (or ``make bench``).
"""

from __future__ import annotations

import logging

import jieba
import pandas as pd

from analysis.corpus import iter_documents
from analysis.segment import get_tokenizer, tokenize

from _common import peak_rss_mb, summarise, time_runs, write_table


def main(target_chars: int = 1_000_000, repeat: int = 5) -> pd.DataFrame:
    jieba.setLogLevel(logging.WARNING)
    corpus = "\n".join(d.text for d in iter_documents())
    text = corpus * max(1, target_chars // len(corpus))
    lines = text.split("\n")
    jieba.initialize()
    get_tokenizer()

    def plain():
        return [jieba.lcut(line) for line in lines]

    def ours():
        return [tokenize(line) for line in lines]

    rows = []
    base = summarise(time_runs(plain, repeat))
    mine = summarise(time_runs(ours, repeat))
    for name, s in (("jieba.lcut", base), ("analysis.segment.tokenize", mine)):
        rows.append({
            "tokenizer": name,
            "chars": len(text),
            **s,
            "chars_per_s": int(len(text) / s["median_s"]),
            "ratio_vs_jieba": round(s["median_s"] / base["median_s"], 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        })
    df = pd.DataFrame(rows)
    write_table("tokenizer", df)
    return df


if __name__ == "__main__":
    main()
