"""Is the rjieba fast path the same segmentation as jieba?  On the corpus and on 10 MB of synthetic text.

For each text set and each HMM setting, both backends of
:func:`analysis.segment.lcut` segment the same paragraphs; the table gives the
token counts, the paragraphs whose segmentation differs and the differing
tokens, plus the throughput of each backend on one core.  A third row pair
shows plain ``rjieba`` (without the jieba-compatibility re-split) to make the
point of that re-split visible.

Run: ``python benchmarks/bench_segmenter.py``.
"""

from __future__ import annotations

import time
from collections import Counter

import pandas as pd
from _common import write_table
from synth import synth_texts

from analysis.corpus.documents import iter_documents
from analysis.segment import get_fast_tokenizer, get_tokenizer, lcut


def _paragraphs(texts) -> list[str]:
    return [p for t in texts for p in t.split("\n") if p.strip()]


def compare(name: str, paras: list[str]) -> list[dict]:
    rows = []
    for hmm in (True, False):
        t0 = time.perf_counter()
        ref = [lcut(p, hmm=hmm, backend="jieba") for p in paras]
        t_ref = time.perf_counter() - t0
        t0 = time.perf_counter()
        fast = [lcut(p, hmm=hmm, backend="rjieba") for p in paras]
        t_fast = time.perf_counter() - t0
        raw = [get_fast_tokenizer().cut(p, hmm) for p in paras]
        n_chars = sum(map(len, paras))
        for label, out, secs in (("rjieba fast path", fast, t_fast), ("plain rjieba + user dict", raw, None)):
            diff = [(a, b) for a, b in zip(ref, out, strict=True) if a != b]
            examples = Counter(tok for a, b in diff for tok in set(b) - set(a))
            rows.append({
                "text": name,
                "chars": n_chars,
                "hmm": hmm,
                "backend": label,
                "tokens_jieba": sum(map(len, ref)),
                "tokens_backend": sum(map(len, out)),
                "paragraphs": len(paras),
                "paragraphs_differing": len(diff),
                "example_differences": "; ".join(f"{t} ({n})" for t, n in examples.most_common(3)) or "-",
                "jieba_chars_per_s": int(n_chars / t_ref),
                "backend_chars_per_s": int(n_chars / secs) if secs else None,
            })
    return rows


def main(synth_mb: float = 10.0) -> pd.DataFrame:
    get_tokenizer()
    get_fast_tokenizer()
    corpus = _paragraphs(d.text for d in iter_documents())
    synthetic = _paragraphs(text.split("---\n", 2)[2] for _, text in synth_texts(synth_mb))
    df = pd.DataFrame(compare("corpus", corpus) + compare(f"synthetic {synth_mb:g} MB", synthetic))
    df["backend_chars_per_s"] = df["backend_chars_per_s"].astype("Int64")
    write_table("segmenter_identity", df)
    return df


if __name__ == "__main__":
    main()
