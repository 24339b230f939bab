"""The pipeline stages, each a function from files on disk to files on disk.

Every stage reads ``data/raw`` or earlier stages' outputs in
``data/processed`` and writes its own outputs atomically (see
:mod:`analysis._io`).  A stage that fails leaves ``data/processed`` exactly as
it was.  The CLI (:mod:`analysis.cli`) and ``make book`` run them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import _io, settings
from .corpus import REPORT_KEYS, CorpusError, Document, load_corpus, raw_paths

__all__ = ["StageResult", "prepare", "corpus_table"]


@dataclass(frozen=True)
class StageResult:
    """What a stage did: its name, the files it wrote, and a one-line summary."""

    name: str
    outputs: tuple[Path, ...]
    summary: str


def corpus_table(docs: list[Document]) -> pd.DataFrame:
    """One row per article: metadata, sizes and the cleaning report."""
    rows = []
    for d in docs:
        rec = d.to_record()
        row = {k: rec[k] for k in ("article_id", "title", "author", "source", "url", "date", "script")}
        row |= {"n_chars_raw": rec["n_chars_raw"], "n_chars_clean": rec["n_chars_clean"]}
        row |= {f"removed_{k}" if not k.endswith("_changed") else k: v for k, v in rec["cleaning_report"].items()}
        rows.append(row)
    cols = ["article_id", "title", "author", "source", "url", "date", "script", "n_chars_raw", "n_chars_clean"]
    cols += [f"removed_{k}" if not k.endswith("_changed") else k for k in REPORT_KEYS]
    return pd.DataFrame(rows, columns=cols).sort_values("article_id", ignore_index=True)


def prepare(
    raw_dir: Path = settings.RAW_DIR,
    out_dir: Path = settings.PROCESSED_DIR,
    *,
    skip_bad: bool = False,
    progress: Callable | None = None,
    warn: Callable[[CorpusError], None] | None = None,
) -> StageResult:
    """Ingest every raw article into a clean record.

    Writes ``articles/<id>.json`` per article and ``corpus.csv``.  Either
    every file is replaced or none is: all articles are validated first.

    Parameters
    ----------
    raw_dir, out_dir : pathlib.Path
    skip_bad : bool
        Skip bad files with a warning instead of failing.
    progress : callable, optional
        Wraps the iterable of paths (for example ``tqdm``).
    warn : callable, optional
        Receives each skipped :class:`~analysis.corpus.CorpusError`.

    Raises
    ------
    CorpusError
        On the first bad article, unless ``skip_bad``.
    """
    paths = raw_paths(Path(raw_dir))
    if not paths:
        raise CorpusError(Path(raw_dir), "no article files (*.txt) found")
    iterable = progress(paths) if progress else paths
    docs, errors = load_corpus(iterable, skip_bad=skip_bad, warn=warn)
    if not docs:
        raise CorpusError(Path(raw_dir), "no usable articles (every file was skipped)")
    out_dir = Path(out_dir)
    art_dir = out_dir / "articles"
    outputs = [(art_dir / f"{d.article_id}.json", _io.dumps_json(d.to_record())) for d in docs]
    outputs.append((out_dir / "corpus.csv", _io.frame_to_csv_text(corpus_table(docs))))
    written = _io.write_all_or_nothing(outputs)
    keep = {f"{d.article_id}.json" for d in docs}
    for stale in art_dir.glob("*.json"):
        if stale.name not in keep:
            stale.unlink()
    n_chars = sum(len(d.text) for d in docs)
    summary = f"prepare: {len(docs)} articles, {n_chars:,} clean chars" + (
        f", {len(errors)} skipped" if errors else ""
    )
    return StageResult("prepare", tuple(written), summary)
