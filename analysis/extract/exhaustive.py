"""A switch that turns off every shortcut of the claims extraction: the reference it must equal.

The claims stage avoids work that cannot change its output: it POS-tags only
the blocks of a sentence where a rule can fire (:mod:`analysis.extract.evidence`),
runs the figure extractor only on sentences with a numeral, and only once per
sentence, memoises the cue hits of a sentence (:mod:`analysis.extract.cues`),
and tests an entity or a theme only when one of its aliases occurs
(:mod:`analysis.extract.tagging`).  Inside :func:`exhaustive`, all of that is
off: every sentence is tagged whole, every cue test runs, as before these
shortcuts existed.  ``tests/test_claims.py`` checks that both ways give the
same claims, and ``benchmarks/bench_claims.py`` times both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["exhaustive", "active"]

_ON = [False]


def active() -> bool:
    """Whether the shortcuts are off (inside :func:`exhaustive`).

    Returns
    -------
    bool
    """
    return _ON[0]


@contextlib.contextmanager
def exhaustive() -> Iterator[None]:
    """Turn the shortcuts of the claims extraction off for the duration of a ``with`` block.

    Process-wide (not thread-safe): for tests and benchmarks.

    Yields
    ------
    None
    """
    old = _ON[0]
    _ON[0] = True
    try:
        yield
    finally:
        _ON[0] = old
