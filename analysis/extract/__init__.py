"""Extraction: the figures and the claims of each clean article.

The modules, in dependency order: :mod:`~analysis.extract.amounts` (the value
of one amount) and :mod:`~analysis.extract.figures` (every figure of an
article), :mod:`~analysis.extract.scoring` (figures against the gold set);
:mod:`~analysis.extract.dates`, :mod:`~analysis.extract.spans`,
:mod:`~analysis.extract.sentences`, :mod:`~analysis.extract.evidence` and
:mod:`~analysis.extract.cues` (a sentence's cues), :mod:`~analysis.extract.rules`
(the coding manual's decision order over an article),
:mod:`~analysis.extract.classifier` (the cross-fitted claim-type coder),
:mod:`~analysis.extract.tagging` (entities and themes) and
:mod:`~analysis.extract.claims` (the claims table);
:mod:`~analysis.extract.ids` names the sentences.  :mod:`~analysis.extract.stage`
holds the ``numbers`` and ``claims`` stages.
"""
