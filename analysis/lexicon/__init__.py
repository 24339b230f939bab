"""The hand-made data of ``data/lexicon``: one cached, validated loader per file.

Every file under ``data/lexicon`` is read here and nowhere else.  A loader
parses its file, checks its shape and returns plain Python data (tuples and
dicts); the modules that use a lexicon turn it into their own structures.  A
bad file raises :class:`LexiconError`, which names the file and the line:

* YAML that does not parse: the line and column the parser stopped at;
* a YAML entry of the wrong shape: the line where that entry starts;
* a malformed line of a line-based file (``userdict.txt``, ``boilerplate.txt``...).

Loaders are cached; :func:`clear_cache` empties every cache (tests that
write a lexicon call it).  A loader called without a path reads the constant
of :mod:`analysis.config` that names its file at call time, so pointing
``analysis.config`` at a copy of the lexicon (and clearing the cache) makes
every loader read the copy.

The loaders live in one module per group of files:

=================  ===================================================================
``_read``          :class:`LexiconError`, the YAML/line/CSV readers, the cache
``codebook``       ``strategies.yaml``, ``stance.yaml``, ``labels/{coder_a,coder_b,reference}/``
``text``           ``boilerplate.txt``, ``cues.yaml``, ``entities.yaml``, ``labels/claims_gold.csv``
``figures``        ``numbers.yaml``, ``labels/numbers_gold.csv``
``tables``         ``features.yaml``, ``events.yaml``, ``outcomes.yaml``, ``quantities.yaml``
``book``           ``glossary.yaml``, ``articles.yaml``, ``errata.yaml``, ``translations/``
``segmenter``      ``stopwords.txt``, ``protected_words.txt``, ``userdict.txt``
=================  ===================================================================
"""

from __future__ import annotations

from analysis.lexicon._read import LexiconError, clear_cache, line_of, read_lines, read_yaml
from analysis.lexicon.book import (
    ARTICLE_DATE_KINDS,
    DATE_QUALIFIERS,
    ISO_DATE,
    articles,
    characters,
    errata,
    glossary,
    sentence_sha,
    translation_files,
    translations,
)
from analysis.lexicon.codebook import (
    CELL_STANCES,
    CLAIM_TYPES,
    CODERS,
    SENTENCE_STANCES,
    STANCE_FILE,
    STRATEGIES_FILE,
    coding,
    stance,
    strategies,
)
from analysis.lexicon.figures import NUMBERS_GOLD_COLUMNS, number_units, numbers, numbers_gold
from analysis.lexicon.segmenter import USERDICT_CATEGORIES, UserWord, protected_words, stopwords, userdict
from analysis.lexicon.tables import QUANTITY_RELATIONS, events, features, outcomes, quantities
from analysis.lexicon.text import (
    CLAIMS_GOLD_COLUMNS,
    ENTITY_KINDS,
    GOLD_SPLITS,
    boilerplate,
    claims_gold,
    cues,
    entities,
)

__all__ = [
    # reading and the cache
    "LexiconError",
    "read_yaml",
    "read_lines",
    "line_of",
    "clear_cache",
    # the codebook
    "STRATEGIES_FILE",
    "STANCE_FILE",
    "CLAIM_TYPES",
    "SENTENCE_STANCES",
    "CELL_STANCES",
    "CODERS",
    "strategies",
    "stance",
    "coding",
    # the sentences
    "GOLD_SPLITS",
    "ENTITY_KINDS",
    "CLAIMS_GOLD_COLUMNS",
    "boilerplate",
    "cues",
    "entities",
    "claims_gold",
    # the figures
    "NUMBERS_GOLD_COLUMNS",
    "numbers",
    "number_units",
    "numbers_gold",
    # the comparison tables and checks
    "QUANTITY_RELATIONS",
    "features",
    "events",
    "outcomes",
    "quantities",
    # the book
    "ARTICLE_DATE_KINDS",
    "DATE_QUALIFIERS",
    "ISO_DATE",
    "glossary",
    "articles",
    "errata",
    "sentence_sha",
    "translation_files",
    "translations",
    "characters",
    # the segmenter
    "USERDICT_CATEGORIES",
    "UserWord",
    "stopwords",
    "protected_words",
    "userdict",
]
