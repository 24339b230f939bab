"""Laiwang vs WeChat: what a small corpus of Chinese articles says, checked against the numbers.

The package is a pipeline of stages in data-flow order (:data:`STAGES`):
the raw articles become clean documents, then figures and claims, then
themes and stances, cross-source checks, adoption models and comparison
tables, and finally the book's article pages.  :func:`run` runs them, and
:func:`load` reads any artefact they wrote.

This module re-exports a small, flat API; the implementation lives in the
subpackages, one per stage.  Importing it is cheap: each name is imported
from its subpackage on first use (so ``analysis.run`` loads the stages,
pandas, scipy and scikit-learn then), and nothing loads jieba's dictionary
(the segmenter initialises it on first use) nor matplotlib.

=================================  ==========================================================
the pipeline                       :data:`STAGES`, :func:`run`, :func:`load`, :func:`save_all`
the corpus                         :class:`Document`, :func:`load_article`, :func:`iter_documents`
segmentation                       :func:`tokenize`
extraction                         :func:`extract_numbers`, :func:`claims_frame`
themes and stances                 :class:`ThemeModel`, :func:`strategy_stance`
checks                             :func:`find_conflicts`, :func:`kappa`
adoption                           :func:`fit_bass`, :class:`BassFit`, :func:`market_prior`
display                            :func:`html_table`
errors                             :class:`LexiconError`, :class:`CorpusError`,
                                   :class:`MissingArtefact`, :class:`SchemaError`
=================================  ==========================================================
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and IDEs; at run time the names load on first use (below)
    from analysis.adoption import BassFit, fit_bass
    from analysis.adoption.prior import market_prior
    from analysis.catalog import MissingArtefact, SchemaError, load, save_all
    from analysis.checks.agreement import kappa
    from analysis.checks.conflicts import find_conflicts
    from analysis.corpus import CorpusError, Document, iter_documents, load_article
    from analysis.extract.claims import claims_frame
    from analysis.extract.figures import extract_numbers
    from analysis.lexicon import LexiconError
    from analysis.report.tables import html_table
    from analysis.segment import tokenize
    from analysis.stages import STAGES, run
    from analysis.themes.model import ThemeModel
    from analysis.themes.stance import strategy_stance

#: Where each exported name is imported from, on first use (PEP 562): ``import analysis`` alone, or a
#: worker process unpickling one stage function, then loads only what it needs.
_EXPORTS: dict[str, str] = {
    "BassFit": "analysis.adoption", "fit_bass": "analysis.adoption", "market_prior": "analysis.adoption.prior",
    "MissingArtefact": "analysis.catalog", "SchemaError": "analysis.catalog", "load": "analysis.catalog",
    "save_all": "analysis.catalog", "kappa": "analysis.checks.agreement",
    "find_conflicts": "analysis.checks.conflicts", "CorpusError": "analysis.corpus", "Document": "analysis.corpus",
    "iter_documents": "analysis.corpus", "load_article": "analysis.corpus",
    "claims_frame": "analysis.extract.claims", "extract_numbers": "analysis.extract.figures",
    "LexiconError": "analysis.lexicon", "html_table": "analysis.report.tables", "tokenize": "analysis.segment",
    "STAGES": "analysis.stages", "run": "analysis.stages", "ThemeModel": "analysis.themes.model",
    "strategy_stance": "analysis.themes.stance",
}


def __getattr__(name: str) -> Any:
    """Import an exported name on first use (module ``__getattr__``, PEP 562)."""
    home = _EXPORTS.get(name)
    if home is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    # the pipeline
    "STAGES",
    "run",
    "load",
    "save_all",
    # the corpus
    "Document",
    "load_article",
    "iter_documents",
    # segmentation and extraction
    "tokenize",
    "extract_numbers",
    "claims_frame",
    # themes and stances
    "ThemeModel",
    "strategy_stance",
    # checks
    "find_conflicts",
    "kappa",
    # adoption
    "fit_bass",
    "BassFit",
    "market_prior",
    # display
    "html_table",
    # errors
    "LexiconError",
    "CorpusError",
    "MissingArtefact",
    "SchemaError",
]
