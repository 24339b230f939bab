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


def _progress(desc: str):
    def wrap(it):
        return tqdm(it, desc=desc, unit="doc", leave=False, disable=None)

    return wrap


def _warn(err: CorpusError) -> None:
    print(f"warning: skipped {err}", file=sys.stderr)


def cmd_prepare(args: argparse.Namespace) -> str:
    from .pipeline import prepare

    return prepare(
        args.raw, args.out, skip_bad=args.skip_bad, progress=_progress("prepare"), warn=_warn
    ).summary


STAGES = {
    "prepare": (cmd_prepare, "clean the raw articles into data/processed/articles"),
}
ORDER = ["prepare"]


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

    for name, (fn, help_) in STAGES.items():
        p = sub.add_parser(name, help=help_, description=help_)
        common(p)
        p.set_defaults(func=fn)
    p = sub.add_parser("all", help="run every stage in order: " + " -> ".join(ORDER))
    common(p)
    p.set_defaults(func=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point.  Returns the process exit code."""
    args = build_parser().parse_args(argv)
    names = ORDER if args.command == "all" else [args.command]
    try:
        for name in names:
            print(STAGES[name][0](args), flush=True)
    except (CorpusError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
