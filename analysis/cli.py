"""Command-line interface: ``python -m analysis <stage>``.

Run ``python -m analysis --help`` for the stages.  ``all`` runs every stage
in data-flow order; ``make book`` calls it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from . import settings
from .corpus import CorpusError
from .parallel import BACKENDS


def _progress(desc: str):
    def wrap(it):
        return tqdm(it, desc=desc, unit="doc", leave=False, disable=None)

    return wrap


def _warn(err: CorpusError) -> None:
    print(f"warning: skipped {err}", file=sys.stderr)


def cmd_prepare(args: argparse.Namespace) -> str:
    from .pipeline import prepare

    return prepare(
        args.raw, args.out, skip_bad=args.skip_bad, progress=_progress("prepare"), warn=_warn,
        n_jobs=args.jobs, backend=args.backend, scheduler=args.scheduler,
    ).summary


def _run_build(module: str, func: str = "build", **kwargs):
    import importlib
    import inspect

    def cmd(args: argparse.Namespace) -> str:
        fn = getattr(importlib.import_module(module), func)
        params = {"processed_dir": args.out}
        if "raw_dir" in kwargs:
            params["raw_dir"] = args.raw
        if "n_jobs" in inspect.signature(fn).parameters:
            params |= {"n_jobs": args.jobs, "backend": args.backend, "scheduler": args.scheduler}
        _, summary = fn(**params)
        return summary

    return cmd


STAGES = {
    "prepare": (cmd_prepare, "clean the raw articles into data/processed/articles"),
    "numbers": (_run_build("analysis.numbers", raw_dir=True), "extract the figures into numbers.csv"),
    "claims": (_run_build("analysis.claims", raw_dir=True), "split sentences and type the claims into claims.csv"),
    "themes": (_run_build("analysis.themes"), "strategy themes, topic model, stability and stance"),
    "conflicts": (_run_build("analysis.conflicts"), "figures that articles disagree on"),
    "evaluate": (_run_build("analysis.evaluate"), "score figures and claim types on the hand-labelled samples"),
    "adopt": (_run_build("analysis.adoption.stage", "run"), "adoption models, forecast and scenarios"),
    "compare": (_run_build("analysis.compare"), "product, timeline, strategy and author comparison tables"),
    "pages": (_run_build("analysis.pages", raw_dir=True), "write the article pages in book/articles"),
}
ORDER = ["prepare", "numbers", "claims", "themes", "conflicts", "evaluate", "adopt", "compare", "pages"]


def cmd_add(args: argparse.Namespace) -> str:
    from .add import add_article

    article_id = add_article(args.path, args.raw, name=args.name)
    return f"add: {args.path} -> {args.raw / (article_id + '.txt')} (MANIFEST.sha256 and README.md updated)"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (one sub-command per stage, plus ``all``)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Laiwang vs WeChat: the pipeline from raw articles to the book's data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--raw", type=Path, default=settings.RAW_DIR, help="raw article directory (default: data/raw)")
        p.add_argument(
            "--out", type=Path, default=settings.PROCESSED_DIR, help="output directory (default: data/processed)"
        )
        p.add_argument("--skip-bad", action="store_true", help="skip bad articles with a warning instead of failing")
        p.add_argument("--jobs", type=int, default=1, metavar="N",
                       help="workers for the per-document stages (-1: all cores / all Dask workers; default 1)")
        p.add_argument("--backend", choices=BACKENDS, default="loky",
                       help="loky (local processes), threading, or dask (default: loky)")
        p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="Dask scheduler, e.g. tcp://HOST:8786 (needs --backend dask; default: a temporary local cluster)")

    for name, (fn, help_) in STAGES.items():
        p = sub.add_parser(name, help=help_, description=help_)
        common(p)
        p.set_defaults(func=fn)
    p = sub.add_parser("all", help="run every stage in order: " + " -> ".join(ORDER))
    common(p)
    p.set_defaults(func=None)
    p = sub.add_parser("add", help="validate a new article and register it in data/raw (not part of `all`)",
                       description="Validate a new article and copy it into data/raw, updating MANIFEST.sha256 "
                                   "and README.md.  Nothing changes if the file is rejected.")
    p.add_argument("path", type=Path, help="the article file (UTF-8 text, optional YAML front matter)")
    p.add_argument("--raw", type=Path, default=settings.RAW_DIR, help="raw article directory (default: data/raw)")
    p.add_argument("--name", help="file name in data/raw (default: NNN_<first 16 hex of its sha256>.txt)")
    p.set_defaults(func=cmd_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point.  Returns the process exit code."""
    args = build_parser().parse_args(argv)
    names = ORDER if args.command == "all" else [args.command]
    try:
        if args.command == "add":
            print(cmd_add(args), flush=True)
            return 0
        for name in names:
            print(STAGES[name][0](args), flush=True)
    except (CorpusError, FileNotFoundError, ValueError, ImportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
