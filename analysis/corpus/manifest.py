"""Provenance: the raw-data manifest (``data/raw/MANIFEST.sha256``) and the versions of the key packages.

The manifest lists the SHA-256 of every raw article in ``sha256sum`` format;
:func:`verify_manifest` checks that ``data/raw`` still matches it, since raw
data is immutable (only :mod:`analysis.corpus.add` extends it).
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from analysis import config

__all__ = ["KEY_PACKAGES", "versions_table", "manifest_entries", "manifest_table", "verify_manifest", "sha256_file"]

#: Packages whose version can change a result or the book.
KEY_PACKAGES = (
    "jupyter-book", "myst-nb", "sphinx", "jieba", "opencc", "cn2an", "pypinyin", "stopwordsiso",
    "numpy", "scipy", "pandas", "scikit-learn", "matplotlib", "seaborn", "nbval",
)


def versions_table(packages: tuple[str, ...] = KEY_PACKAGES) -> pd.DataFrame:
    """The installed version of each package.

    Parameters
    ----------
    packages : tuple of str, default :data:`KEY_PACKAGES`

    Returns
    -------
    pandas.DataFrame
        Columns ``package, version`` (``"not installed"`` when missing).
    """
    rows = []
    for name in packages:
        try:
            rows.append((name, version(name)))
        except PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["package", "version"])


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str
        64 hex digits.
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest_entries(raw_dir: Path = config.RAW_DIR) -> dict[str, str]:
    """Parse ``MANIFEST.sha256`` (``sha256sum`` format).

    Parameters
    ----------
    raw_dir : pathlib.Path, default :data:`analysis.config.RAW_DIR`

    Returns
    -------
    dict
        ``{file name: hex digest}``.

    Raises
    ------
    FileNotFoundError
        If the manifest is missing.
    ValueError
        If a line is not ``<sha256>  <file>``.
    """
    path = Path(raw_dir) / "MANIFEST.sha256"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing")
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise ValueError(f"{path.name} line {n}: not '<sha256>  <file>'")
        out[name.strip()] = digest
    return out


def manifest_table(raw_dir: Path = config.RAW_DIR) -> pd.DataFrame:
    """The manifest, with a check of each file against its recorded digest.

    Parameters
    ----------
    raw_dir : pathlib.Path, default :data:`analysis.config.RAW_DIR`

    Returns
    -------
    pandas.DataFrame
        Columns ``file``, ``sha256 (prefix)``, ``check`` (``ok`` or
        ``MISMATCH``), sorted by file.
    """
    rows = []
    for name, digest in sorted(manifest_entries(raw_dir).items()):
        path = Path(raw_dir) / name
        ok = path.exists() and sha256_file(path) == digest
        rows.append((name, digest[:16] + "…", "ok" if ok else "MISMATCH"))
    return pd.DataFrame(rows, columns=["file", "sha256 (prefix)", "check"])


def verify_manifest(raw_dir: Path = config.RAW_DIR) -> list[str]:
    """The problems of a raw folder against its manifest.

    Parameters
    ----------
    raw_dir : pathlib.Path, default :data:`analysis.config.RAW_DIR`

    Returns
    -------
    list of str
        One line per missing, changed or unlisted file; empty when all is well.
    """
    raw_dir = Path(raw_dir)
    entries = manifest_entries(raw_dir)
    problems = []
    for name, digest in sorted(entries.items()):
        path = raw_dir / name
        if not path.exists():
            problems.append(f"{name}: listed in the manifest but missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: content changed (raw data is immutable)")
    for path in sorted(raw_dir.glob("*.txt")):
        if path.name not in entries:
            problems.append(f"{path.name}: not in MANIFEST.sha256 (use `python -m analysis add`)")
    return problems
