"""Mine candidate terms for the user dictionary (a maintenance tool, not a pipeline stage).

Runs :func:`analysis.extract.terms.mine_terms` on the clean sentences of the
catalogue's ``claims`` table and adds, for each candidate, what the current
segmenter does with it: ``whole`` (the share of its occurrences that come out
as one token, by :func:`analysis.checks.segmentation.is_whole`) and
``in_userdict`` (its category in ``data/lexicon/userdict.txt``, else empty).
The output is a deterministic TSV: the list a reviewer reads, in context,
before adding terms to the dictionary.  Candidates the segmenter already keeps
whole need no entry; ``--split-only`` keeps the others.

Usage::

    .venv/bin/python tools/mine_terms.py [--split-only] [--out FILE]
    .venv/bin/python tools/mine_terms.py --context TERM    # the sentences where TERM occurs

It reads ``data/processed`` (run ``python -m analysis claims`` first).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis import catalog, lexicon, segment
from analysis.checks.segmentation import is_whole, token_boundaries
from analysis.extract.terms import mine_terms


def annotate(candidates: pd.DataFrame, sentences: list[str]) -> pd.DataFrame:
    """Add ``whole`` (share of occurrences kept as one token now) and ``in_userdict`` (category)."""
    bounds = [token_boundaries(segment.lcut(s)) for s in sentences]
    cats = {e.word: e.category for e in lexicon.userdict()}
    shares = []
    for term in candidates["term"]:
        n = w = 0
        for s, b in zip(sentences, bounds, strict=True):
            start = s.find(term)
            while start >= 0:
                n += 1
                w += is_whole(b, start, start + len(term))
                start = s.find(term, start + 1)
        shares.append(round(w / n, 4) if n else float("nan"))
    out = candidates.copy()
    out["whole"] = shares
    out["in_userdict"] = [cats.get(t, "") for t in out["term"]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split-only", action="store_true", help="only candidates the segmenter splits somewhere")
    parser.add_argument("--out", type=Path, help="write the TSV here (default: standard output)")
    parser.add_argument("--context", metavar="TERM", help="print the sentences that contain TERM, segmented")
    args = parser.parse_args(argv)
    sentences = [str(s) for s in catalog.load("claims")["sentence_clean"]]
    if args.context:
        for s in sentences:
            if args.context in s:
                print(" | ".join(segment.tokenize(s)))
        return 0
    table = annotate(mine_terms(sentences), sentences)
    if args.split_only:
        table = table[table["whole"] < 1].reset_index(drop=True)
    text = table.to_csv(sep="\t", index=False, lineterminator="\n")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
