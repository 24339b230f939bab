"""Extraction: the figures and the claims of each clean article.

The modules, in dependency order: :mod:`~analysis.extract.amounts` (the value
of one amount) and :mod:`~analysis.extract.figures` (every figure of an
article), :mod:`~analysis.extract.scoring` (figures against the gold set);
:mod:`~analysis.extract.dates`, :mod:`~analysis.extract.spans`,
:mod:`~analysis.extract.sentences`, :mod:`~analysis.extract.evidence` and
:mod:`~analysis.extract.cues` (a sentence's type), :mod:`~analysis.extract.tagging`
(its entities and themes), :mod:`~analysis.extract.claims` (the claims table)
and :mod:`~analysis.extract.classifier` (a learned alternative to the rules);
:mod:`~analysis.extract.ids` names the sentences.  :mod:`~analysis.extract.stage`
holds the ``numbers`` and ``claims`` stages.
"""
