"""Project settings: the one module that knows where everything lives.

Every path in the package, the CLI and the notebooks derives from
:data:`PROJ_ROOT`, following cookiecutter-data-science.  A notebook never
hard-codes a relative path; it imports from here.

The data flow is::

    data/raw  --prepare-->  data/processed/articles/*.json
              --extract-->  data/processed/{numbers,claims}.csv
              --themes--->  data/processed/{themes,strategy_stance,fact_conflicts}.csv
              --adopt---->  data/processed/{wechat_forecast,scenarios}.csv
              --compare-->  data/processed/{features,timeline,...}.csv
              --pages---->  book/articles/*.md
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository (the folder holding ``_config.yml``).
PROJ_ROOT: Path = Path(__file__).resolve().parents[1]

DATA_DIR: Path = PROJ_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
LEXICON_DIR: Path = DATA_DIR / "lexicon"
EXTERNAL_DIR: Path = DATA_DIR / "external"
BOOK_DIR: Path = PROJ_ROOT / "book"

#: Build-time caches (jieba's prefix-dict cache, matplotlib, fontconfig).
CACHE_DIR: Path = Path(os.environ.get("ANALYSIS_CACHE_DIR", PROJ_ROOT / ".cache"))

#: Per-article clean records written by ``prepare``.
ARTICLES_DIR: Path = PROCESSED_DIR / "articles"

USER_DICT: Path = LEXICON_DIR / "userdict.txt"
STOPWORDS_FILE: Path = LEXICON_DIR / "stopwords.txt"
BOILERPLATE_FILE: Path = LEXICON_DIR / "boilerplate.txt"

#: Raw files larger than this are rejected as "not an article".
MAX_ARTICLE_BYTES: int = 5 * 1024 * 1024

#: Master seed for everything random in the pipeline.
SEED: int = 20131023


def processed(name: str, root: Path | None = None) -> Path:
    """Return the path of a processed artefact.

    Parameters
    ----------
    name : str
        File name inside ``data/processed`` (for example ``"claims.csv"``).
    root : pathlib.Path, optional
        Alternative processed directory (used by tests and by ``--out``).

    Returns
    -------
    pathlib.Path
    """
    return (root or PROCESSED_DIR) / name
