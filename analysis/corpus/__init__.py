"""The corpus: raw article files in, clean traceable documents out.

The modules, in data-flow order: :mod:`~analysis.corpus.raw` (which files are
articles, and whether their bytes are readable text), :mod:`~analysis.corpus.ingest`
(the cleaning steps, with :mod:`~analysis.corpus.duplicates`), producing a
:class:`~analysis.corpus.document.Document`; :mod:`~analysis.corpus.stage` (the
``prepare`` stage) saves one record per article, and
:mod:`~analysis.corpus.documents` reads them back.  :mod:`~analysis.corpus.add`
registers a new raw file and :mod:`~analysis.corpus.manifest` checks them.
"""

from analysis.corpus.document import CorpusError, Document
from analysis.corpus.documents import article_ids, iter_documents, map_articles, read_document
from analysis.corpus.ingest import load_article, load_corpus
from analysis.corpus.raw import raw_paths

__all__ = [
    "CorpusError",
    "Document",
    "raw_paths",
    "load_article",
    "load_corpus",
    "read_document",
    "iter_documents",
    "article_ids",
    "map_articles",
]
