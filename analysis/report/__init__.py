"""Everything the book shows: the only code that emits HTML, Markdown or figures.

The analysis stages return data; this subpackage turns catalogue frames into
what a page displays, and the chapters' notebooks call it (and
:mod:`analysis.catalog`) and nothing else.

==================  ===========================================================
``escape``          the one escaper: HTML text/attributes, Markdown, URLs, links
``tables``          the one table builder, :func:`~analysis.report.tables.html_table`
``display``         what a cell displays (HTML table, Markdown, PNG) with stable reprs
``facts``           every number that a chapter's prose glues, one function per chapter
``style``           the figures' theme and CJK font
``pages``           the article pages (MyST): each Chinese sentence, with its anchor, beside its English
``translations``    which English goes with which sentence, and whether it is current, stale or missing
``fonts``           the web font: Noto Sans SC subset to the site's characters (WOFF2)
``stage``           the ``pages`` pipeline stage (article pages, their index, the web font)
``evidence``        the evidence pages: the claims explorer and the figures table
``overview``        the corpus chapter: articles, cleaning, top terms, lengths
``argue``           the argue chapter: stance and codebook heatmaps, topic and check tables
``adoption``        the adoption chapter's tables
``adoption_plots``  the adoption chapter's figures
``explorables``     the adoption chapter's what-if sliders (static HTML, inline data, offline)
``compare``         the products, timeline and conclusions chapters
``glossary``        the glossary appendix
``provenance``      the reproducing appendix: package versions, raw-data manifest
``cite``            the landing page's "cite this book" entry (BibTeX) and the PDF link
``cite_sphinx``     the Sphinx hook that refreshes the cite entry's version on every build
``pdf``             the PDF edition's title, contents and running-head pages
==================  ===========================================================

Modules are imported one by one (``from analysis.report import facts``):
importing the package does not load matplotlib.
"""
