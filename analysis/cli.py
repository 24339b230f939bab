"""Command-line interface: ``python -m analysis <stage>``.

One sub-command per stage of :data:`analysis.stages.STAGES` (generated, so the
two cannot drift apart), ``all`` for every stage in data-flow order (``make
data`` calls it), and ``add`` to register a new article.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from analysis import catalog, config, lexicon
from analysis.corpus.add import add_article
from analysis.corpus.ingest import CorpusError
from analysis.parallel import BACKENDS
from analysis.stages import ORDER, STAGES, run

__all__ = ["build_parser", "main", "ORDER"]


def _progress(name: str):
    def wrap(it):
        return tqdm(it, desc=name, unit="doc", leave=False, disable=None)

    return wrap


def _warn(err: Exception) -> None:
    print(f"warning: skipped {err}", file=sys.stderr)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", type=Path, default=config.RAW_DIR, help="raw article directory (default: data/raw)")
    p.add_argument("--out", type=Path, default=config.PROCESSED_DIR,
                   help="output directory (default: data/processed)")
    p.add_argument("--book", type=Path, default=config.BOOK_DIR,
                   help="book source directory, for the article pages (default: book)")
    p.add_argument("--skip-bad", action="store_true", help="skip bad articles with a warning instead of failing")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="workers for the per-document stages (-1: all cores / all Dask workers; default 1)")
    p.add_argument("--backend", choices=BACKENDS, default="loky",
                   help="loky (local processes), threading, or dask (default: loky)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://HOST:8786 (needs --backend dask; default: a temporary local cluster)")
    p.add_argument("--no-cache", action="store_true",
                   help="recompute every per-document result instead of reusing the cache "
                        "(.cache/documents or $ANALYSIS_CACHE_DIR/documents); the outputs are the same")
    p.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                   help="how long to wait for another run's lock (default: wait until it is free)")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser: one sub-command per stage, plus ``all`` and ``add``.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Laiwang vs WeChat: the pipeline from raw articles to the book's data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for st in STAGES:
        outs = ", ".join(st.outputs) if st.outputs else "book/articles"
        p = sub.add_parser(st.name, help=st.help, description=f"{st.help}.  Writes: {outs}.")
        _common(p)
    p = sub.add_parser("all", help="run every stage in order: " + " -> ".join(ORDER))
    _common(p)
    p = sub.add_parser("add", help="validate a new article and register it in data/raw (not part of `all`)",
                       description="Validate a new article and copy it into data/raw, updating MANIFEST.sha256 "
                                   "and README.md.  Nothing changes if the file is rejected.")
    p.add_argument("path", type=Path, help="the article file (UTF-8 text, optional YAML front matter)")
    p.add_argument("--raw", type=Path, default=config.RAW_DIR, help="raw article directory (default: data/raw)")
    p.add_argument("--name", help="file name in data/raw (default: NNN_<first 16 hex of its sha256>.txt)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The process exit code: 0, or 1 with one ``error:`` line on stderr.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "add":
            aid = add_article(args.path, args.raw, name=args.name)
            print(f"add: {args.path} -> {args.raw / (aid + '.txt')} (MANIFEST.sha256 and README.md updated)", flush=True)
            return 0
        names = list(ORDER) if args.command == "all" else [args.command]
        run(names, root=args.out, raw_dir=args.raw, book_dir=args.book, n_jobs=args.jobs, backend=args.backend,
            scheduler=args.scheduler, skip_bad=args.skip_bad, progress=_progress, warn=_warn,
            echo=lambda line: print(line, flush=True), lock_timeout=args.wait,
            on_wait=lambda line: print(f"note: {line}", file=sys.stderr, flush=True), cache=not args.no_cache)
    except (CorpusError, lexicon.LexiconError, catalog.SchemaError, catalog.LockTimeout, FileNotFoundError,
            ValueError, ImportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
