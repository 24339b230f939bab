"""Remove execution timestamps from notebooks, so re-running one gives a clean diff.

nbclient records ``metadata.execution`` (wall-clock timestamps) on every code
cell; they carry no information and change on every run.
Usage: ``python tools/strip_notebook_timing.py book/*.ipynb``.
"""

from __future__ import annotations

import sys

import nbformat


def strip(path: str) -> bool:
    """Strip one notebook in place; return whether it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if "execution" in cell.get("metadata", {}):
            del cell.metadata["execution"]
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for p in sys.argv[1:]:
        strip(p)
