"""Tokenizer throughput: ``analysis.segment.tokenize`` against plain ``jieba.lcut``.

All rows segment the same text (the clean corpus, repeated to ~1 M characters)
line by line in the same process, in interleaved rounds.  Rows: plain
``jieba.lcut``; ``tokenize(backend="jieba")``, the fallback (goal: ratio to
jieba <= 1.25); ``tokenize(text)``, the default path (``auto``: rjieba when it
is installed and passes its self-check; goal >= 2 M chars/s on one core); and,
with the ``fast`` extra installed, ``tokenize(backend="rjieba")`` and plain
``rjieba`` without the user dictionary.
Run: ``python benchmarks/bench_tokenizer.py`` (or ``make bench``).
"""

from __future__ import annotations

import logging

import jieba
import pandas as pd
from _common import peak_rss_mb, summarise, time_interleaved, write_table

from analysis.corpus.documents import iter_documents
from analysis.segment import get_tokenizer, segmenter_name, tokenize


def main(target_chars: int = 1_000_000, repeat: int = 3) -> pd.DataFrame:
    jieba.setLogLevel(logging.WARNING)
    corpus = "\n".join(d.text for d in iter_documents())
    text = corpus * max(1, target_chars // len(corpus))
    lines = text.split("\n")
    jieba.initialize()
    get_tokenizer()

    def plain():
        return [jieba.lcut(line) for line in lines]

    def fallback():
        return [tokenize(line, backend="jieba") for line in lines]

    def default():
        return [tokenize(line) for line in lines]

    rows = []
    fns = {"jieba.lcut": plain, "tokenize(backend='jieba')": fallback,
           f"tokenize() default (auto: {segmenter_name()})": default}
    try:
        import rjieba
    except ImportError:
        print("rjieba not installed (pip install .[fast]): no fast-path rows")
    else:
        bare = rjieba.Jieba()

        def fast():
            return [tokenize(line, backend="rjieba") for line in lines]

        def plain_rs():
            return [bare.cut(line) for line in lines]

        fns["tokenize(backend='rjieba')"] = fast
        fns["rjieba.Jieba().cut (no user dict)"] = plain_rs
    # interleaved rounds: a load change on the shared machine hits every tokenizer alike
    results = [(name, summarise(ts)) for name, ts in time_interleaved(fns, repeat).items()]
    base = results[0][1]
    for name, s in results:
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
