"""The ``pages`` stage: one bilingual page per article in ``book/articles``, their index, and the web font.

Unlike the other stages, its output is part of the book's sources, not the
catalogue: :func:`pages` returns the files (``{path under book/: text or
bytes}``) and :func:`write_pages` writes the ones that changed (so Sphinx
rebuilds only those) and removes the pages of articles that are gone.

Besides the pages, it writes the subset web font (:mod:`analysis.report.fonts`)
to ``book/_static/fonts/``.  An article without an English translation, and
a translation that is out of date, do not fail the run: the pages say so, and
the stage prints one ``warning:`` line to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import _io, config, lexicon
from analysis.corpus.documents import iter_documents
from analysis.extract.ids import split_claim_id
from analysis.report import fonts
from analysis.report.pages import article_page, article_sentences, index_page, is_translated, with_english
from analysis.report.translations import article_titles, credit_line, sentence_translations
from analysis.stage_api import Context

__all__ = ["ARTICLES", "pages", "pages_summary", "translation_warning", "write_pages"]

#: The folder of the article pages, under the book's sources.
ARTICLES = "articles"


def translation_warning(english: pd.DataFrame) -> str | None:
    """One line about the sentences whose English is missing or out of date, or ``None``.

    Parameters
    ----------
    english : pandas.DataFrame
        :func:`analysis.report.translations.sentence_translations` output.

    Returns
    -------
    str or None
        ``"warning: pages: ..."`` naming the untranslated articles and counting
        the stale and missing sentences.
    """
    parts = []
    by_article = english.groupby("article_id", sort=True)["status"]
    untranslated = sorted(a for a, st in by_article if (st == "missing").all())
    if untranslated:
        s = "" if len(untranslated) == 1 else "s"
        parts.append(f"no English translation for {len(untranslated)} article{s} ({', '.join(untranslated)}): "
                     "shown in Chinese only")
    stale = english.loc[english["status"] == "stale", "claim_id"].tolist()
    if stale:
        shown = ", ".join(stale[:5]) + (", ..." if len(stale) > 5 else "")
        parts.append(f"{len(stale)} sentence translation(s) out of date ({shown})")
    partial = english[(english["status"] == "missing") & ~english["article_id"].isin(untranslated)]
    if len(partial):
        parts.append(f"{len(partial)} sentence(s) of translated articles without English")
    if not parts:
        return None
    return "warning: pages: " + "; ".join(parts) + " (see data/lexicon/translations/README.md)"


def site_characters(docs: list, book_dir: Path) -> set[str]:
    """The characters that the site can show: articles, lexicons, the book's sources, the rendering code."""
    chars = fonts.text_characters(t for d in docs for t in (d.raw_text, d.text))
    chars |= lexicon.characters()
    # the book's own sources, but not its generated pages (a previous run's) nor its static files
    sources = sorted(p for p in book_dir.iterdir() if p.name not in (ARTICLES, "_static")) if book_dir.is_dir() else []
    chars |= fonts.source_characters([*sources, Path(__file__).parent, config.EXTERNAL_DIR])
    return chars


def pages(inputs: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Render every article page, the index, and the web font.

    Parameters
    ----------
    inputs : mapping
        ``claims``: the sentences, each checked against its raw span.
    ctx : analysis.stage_api.Context
        The processed and raw folders to read the documents from, and the
        book's sources (read for the web font's characters).

    Returns
    -------
    dict
        ``article_pages``: ``{path relative to the book's sources: Markdown text or font bytes}``.

    Raises
    ------
    ValueError
        When the claims disagree with the articles.
    """
    claims = inputs["claims"]
    english = sentence_translations(claims)
    by_claim = dict(zip(english["claim_id"], zip(english["en"], english["status"], strict=True), strict=True))
    texts: dict[str, str | bytes] = {}
    entries = []
    docs = list(iter_documents(processed_dir=ctx.processed_dir, raw_dir=ctx.raw_dir))
    titles = article_titles(d.article_id for d in docs)
    notes = lexicon.articles()
    for doc in docs:
        sents = article_sentences(doc, claims)
        prefix = f"{doc.article_id}:"
        own = {split_claim_id(c)[1]: v for c, v in by_claim.items() if c.startswith(prefix)}
        sents = with_english(sents, own)
        title_en = titles.get(doc.article_id, "") if is_translated(sents) else ""
        texts[f"{ARTICLES}/{doc.article_id}.md"] = article_page(doc, sents, title_en=title_en,
                                                                 credit=credit_line(doc.article_id),
                                                                 notes=notes.get(doc.article_id, {}))
        entries.append((doc, sents, title_en, notes.get(doc.article_id, {})))
    if not entries:
        raise ValueError("no prepared articles")
    unknown = sorted(set(claims["article_id"]) - {e[0].article_id for e in entries})
    if unknown:
        raise ValueError(f"claims.csv has sentences of unknown article(s) {', '.join(unknown)}: rerun the pipeline")
    texts[f"{ARTICLES}/index.md"] = index_page(entries)
    texts[fonts.FONT_FILE] = fonts.subset_font(site_characters(docs, Path(ctx.book_dir)))
    warning = translation_warning(english)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    return {"article_pages": texts, "_n_articles": len(entries),
            "_n_sentences": sum(len(e[1]) for e in entries),
            "_n_translated": int((english["status"] == "current").sum()),
            "_font_kb": len(texts[fonts.FONT_FILE]) / 1024}


def pages_summary(out: Mapping[str, Any]) -> str:
    """One line: pages, sentence anchors, translated sentences and the font's size.

    Parameters
    ----------
    out : mapping
        The output of :func:`pages`.

    Returns
    -------
    str
        ``"pages: N article pages, M sentence anchors (K with current English), web font F KB"``.
    """
    return (f"pages: {out['_n_articles']} article pages, {out['_n_sentences']:,} sentence anchors "
            f"({out['_n_translated']:,} with current English), web font {out['_font_kb']:.0f} KB")


def write_pages(texts: Mapping[str, str | bytes], book_dir: Path) -> list[Path]:
    """Write the files that changed under ``book_dir``, the pages all or none, and drop stale pages.

    Parameters
    ----------
    texts : mapping of str to str or bytes
        ``{path relative to book_dir: content}``, the ``article_pages`` output
        of :func:`pages`: Markdown text for the pages, bytes for the font.
    book_dir : pathlib.Path
        The book's sources.

    Returns
    -------
    list of pathlib.Path
        Every file, written or already up to date.
    """
    book_dir = Path(book_dir)
    items = [(book_dir / name, content) for name, content in sorted(texts.items())]
    changed_text = [(p, t) for p, t in items if isinstance(t, str)
                    and (not p.exists() or p.read_text(encoding="utf-8") != t)]
    _io.write_all_or_nothing(changed_text)
    for p, data in items:
        if isinstance(data, bytes) and (not p.exists() or p.read_bytes() != data):
            _io.atomic_write_bytes(p, data, mode=0o644)  # a web asset: readable by the server
    out_dir = book_dir / ARTICLES
    keep = {(book_dir / name).resolve() for name in texts}
    for stale in sorted(out_dir.glob("*.md")):
        if stale.resolve() not in keep:
            stale.unlink()
    return [p for p, _ in items]
