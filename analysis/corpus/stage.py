"""The ``prepare`` stage: raw article files to one clean record each, and the corpus table.

Each worker of :func:`analysis.parallel.map_documents` reads one raw file and
returns its finished JSON record; the duplicate checks then run sequentially
in file order, so the outputs are byte-identical whatever the parallelism.
A file's result is cached by its bytes' SHA-256 and name (:mod:`analysis.cache`,
activated by the runner), so an unchanged file is not read twice.
The stage is pure: :mod:`analysis.stages` saves what it returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import _io
from analysis import cache as doc_cache
from analysis.corpus.document import REPORT_KEYS, CorpusError, Document
from analysis.corpus.duplicates import squash_whitespace
from analysis.corpus.ingest import load_article
from analysis.corpus.raw import raw_paths
from analysis.parallel import map_documents
from analysis.stage_api import Context

__all__ = ["prepare", "prepare_summary", "corpus_table"]


def _table_row(rec: dict[str, Any]) -> dict[str, Any]:
    row = {k: rec[k] for k in ("article_id", "title", "author", "source", "url", "date", "script")}
    row |= {"n_chars_raw": rec["n_chars_raw"], "n_chars_clean": rec["n_chars_clean"]}
    row |= {f"removed_{k}" if not k.endswith("_changed") else k: v for k, v in rec["cleaning_report"].items()}
    return row


def corpus_table(docs: list[Document] | list[dict[str, Any]]) -> pd.DataFrame:
    """One row per article: metadata, sizes and the cleaning report.

    Parameters
    ----------
    docs : list of Document, or list of dict
        Documents, or their :meth:`~analysis.corpus.document.Document.to_record` records.

    Returns
    -------
    pandas.DataFrame
        Metadata, ``n_chars_raw``, ``n_chars_clean``, then ``removed_<step>``
        for each cleaning step and the two ``*_changed`` counts; sorted by
        ``article_id``.
    """
    return _table_frame([_table_row(d if isinstance(d, dict) else d.to_record()) for d in docs])


def _table_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cols = ["article_id", "title", "author", "source", "url", "date", "script", "n_chars_raw", "n_chars_clean"]
    cols += [f"removed_{k}" if not k.endswith("_changed") else k for k in REPORT_KEYS]
    return pd.DataFrame(rows, columns=cols).sort_values("article_id", ignore_index=True)


@dataclass(frozen=True)
class _Prepared:
    """What a worker sends back for one raw file: small, and ready to write."""

    name: str
    article_id: str
    sha256: str
    text_key: str
    n_chars: int
    json_text: str
    row: dict[str, Any]


@dataclass(frozen=True)
class _Failed:
    """A bad file, as sent back by a worker (``CorpusError`` itself does not unpickle)."""

    path: Path
    problem: str


def _prepare_one(path: Path) -> _Prepared | _Failed:
    """Load, clean and serialise one raw file (runs in a worker).

    A bad file is returned, not raised, so that the caller reports errors in
    file order whatever the parallelism.
    """
    try:
        doc = load_article(path)
    except CorpusError as err:
        return _Failed(err.path, err.problem)
    rec = doc.to_record()
    return _Prepared(
        name=Path(path).name,
        article_id=doc.article_id,
        sha256=doc.sha256,
        # the duplicate check compares whitespace-free texts; a hash keeps the parent small
        text_key=hashlib.sha256(squash_whitespace(doc.text).encode("utf-8")).hexdigest(),
        n_chars=len(doc.text),
        json_text=_io.dumps_json(rec),
        row=_table_row(rec),
    )


def _check_duplicates(
    results: list[_Prepared | _Failed],
    *,
    skip_bad: bool,
    warn: Callable[[CorpusError], None] | None,
) -> tuple[list[_Prepared], list[CorpusError]]:
    """Reject bad files and duplicates, sequentially in file order (as ``load_corpus`` does)."""
    good: list[_Prepared] = []
    errors: list[CorpusError] = []
    by_hash: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for res in results:
        err = CorpusError(res.path, res.problem) if isinstance(res, _Failed) else None
        if err is None:
            other = by_hash.get(res.sha256) or by_text.get(res.text_key)
            if other is not None:
                err = CorpusError(Path(res.name), f"duplicate article: same content as {other}")
        if err is not None:
            if not skip_bad:
                raise err
            errors.append(err)
            if warn is not None:
                warn(err)
            continue
        by_hash[res.sha256] = res.name
        by_text[res.text_key] = res.name
        good.append(res)
    return good, errors


def prepare(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Ingest every raw article of ``ctx.raw_dir`` into a clean record.

    Parameters
    ----------
    inputs : mapping
        Unused (the stage reads the raw folder).
    ctx : analysis.stage_api.Context
        ``raw_dir``, the parallel settings, ``skip_bad``, ``progress`` and ``warn``.

    Returns
    -------
    dict
        ``documents`` (``{article_id: json_text}``), ``corpus`` (one row per
        article) and ``_skipped`` (the number of bad files skipped).

    Raises
    ------
    CorpusError
        On the first bad article in file order, unless ``ctx.skip_bad``.
    """
    paths = raw_paths(Path(ctx.raw_dir))
    if not paths:
        raise CorpusError(Path(ctx.raw_dir), "no article files (*.txt) found")
    scoped = doc_cache.current()
    store = keys = None
    if scoped is not None and scoped.store.enabled:
        store, version = scoped.store, scoped.version(_prepare_one)
        keys = [store.key(version, doc_cache.file_sha256(p), Path(p).name) for p in paths]
    results = map_documents(_prepare_one, paths, n_jobs=ctx.n_jobs, backend=ctx.backend,
                            scheduler=ctx.scheduler, progress=ctx.progress, cache=store, keys=keys)
    # a cached failure may come from a copy of the file elsewhere: name this one
    results = [_Failed(Path(p), r.problem) if isinstance(r, _Failed) else r for r, p in zip(results, paths, strict=True)]
    docs, errors = _check_duplicates(results, skip_bad=ctx.skip_bad, warn=ctx.warn)
    del results
    if not docs:
        raise CorpusError(Path(ctx.raw_dir), "no usable articles (every file was skipped)")
    return {
        "documents": {d.article_id: d.json_text for d in docs},
        "corpus": _table_frame([d.row for d in docs]),
        "_skipped": len(errors),
    }


def prepare_summary(out: Mapping[str, Any]) -> str:
    """One line: articles, clean characters, files skipped.

    Parameters
    ----------
    out : mapping
        :func:`prepare` output.

    Returns
    -------
    str
    """
    corpus = out["corpus"]
    n_chars = int(corpus["n_chars_clean"].sum())
    skipped = out.get("_skipped", 0)
    return f"prepare: {len(corpus)} articles, {n_chars:,} clean chars" + (f", {skipped} skipped" if skipped else "")
