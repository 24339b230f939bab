"""The glossary page: every Chinese term of the book with its pinyin and English."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import yaml

from analysis import config
from analysis.report.overview import glossary as _glossary
from analysis.report.overview import pinyin

__all__ = ["glossary_table"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def _read_yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def glossary_table(glossary: dict[str, str] | None = None, entities: Sequence[dict[str, Any]] | None = None,
                   strategies: Sequence[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The book's glossary: Chinese terms with computed pinyin and English.

    Terms come from ``glossary.yaml``, the CJK aliases of ``entities.yaml``
    and the CJK seed terms of the strategy codebook.

    Returns
    -------
    pandas.DataFrame
        ``term, pinyin, english, kind, strategies``, sorted by pinyin then
        term.  ``english`` is the glossary gloss, else the entity's name, else
        ``""``; ``strategies`` names the strategies seeded by the term.
    """
    if glossary is None:
        glossary = _glossary()
    if entities is None:
        entities = _read_yaml(config.LEXICON_DIR / "entities.yaml").get("entities") or []
    if strategies is None:
        strategies = _read_yaml(config.LEXICON_DIR / "strategies.yaml").get("strategies") or []
    terms: dict[str, dict[str, Any]] = {}

    def add(term: str) -> dict[str, Any]:
        return terms.setdefault(term, {"term": term, "english": "", "kind": "term", "strategies": set()})

    for t, g in glossary.items():
        add(str(t))["english"] = str(g)
    for e in entities:
        for alias in e.get("aliases") or []:
            if _CJK.search(str(alias)):
                rec = add(str(alias))
                rec["kind"] = str(e.get("kind", "entity"))
                rec["english"] = rec["english"] or str(e.get("name", ""))
    for s in strategies:
        for seed in s.get("seeds") or []:
            if _CJK.search(str(seed)):
                add(str(seed).strip("“”\"'"))["strategies"].add(str(s["name"]))
    rows = [{**r, "pinyin": pinyin(r["term"]), "strategies": "; ".join(sorted(r["strategies"]))}
            for r in terms.values()]
    df = pd.DataFrame(rows, columns=["term", "pinyin", "english", "kind", "strategies"])
    return df.sort_values(["pinyin", "term"]).reset_index(drop=True)
