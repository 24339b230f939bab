"""Project configuration: the one module that knows where every file lives.

Every path in the package, the CLI and the notebooks derives from
:data:`PROJ_ROOT`, following cookiecutter-data-science.  Where a *processed*
artefact lives is declared in :mod:`analysis.catalog` (relative to
:data:`PROCESSED_DIR`); everything else is here.

The data flow, folder by folder::

    data/raw        the articles, immutable
    data/lexicon    hand-made data: dictionaries, codebooks, labels, translations
    data/external   dated figures from outside the corpus, with sources
    data/processed  01_corpus -> 02_extract -> 03_themes -> 04_checks -> 05_adoption -> 06_compare
    book/articles   the generated article pages
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
LABELS_DIR: Path = LEXICON_DIR / "labels"
TRANSLATIONS_DIR: Path = LEXICON_DIR / "translations"
EXTERNAL_DIR: Path = DATA_DIR / "external"
BOOK_DIR: Path = PROJ_ROOT / "book"

#: Build-time caches (jieba's prefix-dict cache, matplotlib, fontconfig).
CACHE_DIR: Path = Path(os.environ.get("ANALYSIS_CACHE_DIR", PROJ_ROOT / ".cache"))

# -- data/lexicon, one constant per file (read only through analysis.lexicon) --
USER_DICT: Path = LEXICON_DIR / "userdict.txt"
STOPWORDS_FILE: Path = LEXICON_DIR / "stopwords.txt"
PROTECTED_FILE: Path = LEXICON_DIR / "protected_words.txt"
BOILERPLATE_FILE: Path = LEXICON_DIR / "boilerplate.txt"
ARTICLES_FILE: Path = LEXICON_DIR / "articles.yaml"
CUES_FILE: Path = LEXICON_DIR / "cues.yaml"
ENTITIES_FILE: Path = LEXICON_DIR / "entities.yaml"
STRATEGIES_FILE: Path = LEXICON_DIR / "strategies.yaml"
STANCE_FILE: Path = LEXICON_DIR / "stance.yaml"
GLOSSES_FILE: Path = LEXICON_DIR / "glosses.yaml"
GLOSSARY_FILE: Path = LEXICON_DIR / "glossary.yaml"
NUMBERS_FILE: Path = LEXICON_DIR / "numbers.yaml"
QUANTITIES_FILE: Path = LEXICON_DIR / "quantities.yaml"
FEATURES_FILE: Path = LEXICON_DIR / "features.yaml"
EVENTS_FILE: Path = LEXICON_DIR / "events.yaml"
OUTCOMES_FILE: Path = LEXICON_DIR / "outcomes.yaml"
ERRATA_FILE: Path = LEXICON_DIR / "errata.yaml"
CLAIMS_GOLD_FILE: Path = LABELS_DIR / "claims_gold.csv"
NUMBERS_GOLD_FILE: Path = LABELS_DIR / "numbers_gold.csv"

# -- data/external --
EXTERNAL_METRICS_FILE: Path = EXTERNAL_DIR / "external_metrics.csv"
WECHAT_MAU_FILE: Path = EXTERNAL_DIR / "wechat_mau_2013_2014.csv"
MARKET_CONTEXT_FILE: Path = EXTERNAL_DIR / "market_context_2014.csv"

#: Raw files larger than this are rejected as "not an article".
MAX_ARTICLE_BYTES: int = 5 * 1024 * 1024

#: Master seed for everything random in the pipeline.
SEED: int = 20131023
