"""The corpus chapter's views: the articles table, the cleaning report, top terms per article and the length figure.

:func:`top_terms` is the one piece of analysis here (TF-IDF over
:func:`analysis.segment.content_tokens`, computed from the prepared documents
when the chapter runs); everything else renders the ``corpus`` artefact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import lexicon
from analysis.corpus.documents import iter_documents
from analysis.corpus.ingest import Document
from analysis.extract.ids import article_page
from analysis.report.display import HTMLTable, Markdown
from analysis.report.escape import esc, md_escape
from analysis.report.glossary import gloss, pinyin
from analysis.report.quotes import article_label, has_cjk, quote_html, short_id, source_link, term_html
from analysis.report.tables import html_table
from analysis.segment import content_tokens

__all__ = [
    "load_documents",
    "format_date",
    "date_words",
    "written_range",
    "articles_table",
    "dates_table",
    "summaries",
    "cleaning_table",
    "top_terms",
    "top_terms_table",
    "plot_lengths",
]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def format_date(date: str) -> str:
    """An ISO date of the lexicons in words: ``2013-10-22`` -> ``22 October 2013``, ``2013-10`` -> ``October 2013``.

    Parameters
    ----------
    date : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (``""``: unknown).

    Returns
    -------
    str
        ``"unknown"`` for an empty date.
    """
    parts = [int(p) for p in str(date).split("-") if p]
    if not parts:
        return "unknown"
    if len(parts) == 1:
        return str(parts[0])
    month = _MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


def date_words(entry: dict[str, Any] | None) -> str:
    """One date of the date model (:func:`analysis.lexicon.articles`) in words, with its qualifier.

    Parameters
    ----------
    entry : dict or None
        ``{"date", "qualifier", ...}``.

    Returns
    -------
    str
        ``"26 May 2015 or later"``, ``"about October 2013"``, ``"unknown"``; ``""`` when there is no entry.
    """
    if not entry:
        return ""
    text = format_date(entry.get("date", ""))
    qualifier = entry.get("qualifier", "") if entry.get("date") else ""
    return {"about": f"about {text}", "not before": f"{text} or later", "not after": f"by {text}"}.get(qualifier, text)


def written_range(notes: dict[str, dict[str, Any]] | None = None, article_ids: Any = None) -> tuple[str, str]:
    """The first and the last of the articles' ``written`` dates, in words.

    Parameters
    ----------
    notes : dict, optional
        :func:`analysis.lexicon.articles` output.
    article_ids : iterable of str, optional
        Only these articles (default: every article with a written date).

    Returns
    -------
    tuple of str
        ``(first, last)``, e.g. ``("September 2013", "July 2018 or later")``; ``("", "")`` when no
        article has a written date.
    """
    notes = lexicon.articles() if notes is None else notes
    ids = set(notes) if article_ids is None else {str(a) for a in article_ids}
    dated = sorted((n["dates"]["written"]["date"], aid) for aid, n in notes.items()
                   if aid in ids and n.get("dates", {}).get("written", {}).get("date"))
    if not dated:
        return "", ""
    return (date_words(notes[dated[0][1]]["dates"]["written"]),
            date_words(notes[dated[-1][1]]["dates"]["written"]))


def articles_table(corpus: pd.DataFrame) -> HTMLTable:
    """The reader-facing table of articles: number (linked to its page), titles, author, source and dates.

    English titles and the date model (written, first published, reposted) come from
    :func:`analysis.lexicon.articles`; the evidence of each date is in :func:`dates_table`.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact.

    Returns
    -------
    HTMLTable
    """
    notes = lexicon.articles()

    def dates(aid: str) -> str:
        model = notes.get(aid, {}).get("dates", {})
        lines = [f"{kind} {esc(date_words(model[kind]))}" for kind in lexicon.ARTICLE_DATE_KINDS if kind in model]
        return "<br>".join(lines) or "unknown"

    def title(aid: str, zh: str) -> str:
        en = notes.get(aid, {}).get("title_en", "")
        return quote_html(zh, en) if zh else f'<span class="en">{esc(en or "(untitled)")}</span>'

    ids = list(corpus["article_id"])
    sources = corpus["source"].where(corpus["source"] != "", corpus["url"].str.extract(r"//([^/]+)")[0])
    df = pd.DataFrame({
        "article": [short_id(a) for a in ids],
        "href": [article_page(a) for a in ids],
        "title": [title(a, t) for a, t in zip(ids, corpus["title"], strict=True)],
        "author": [term_html(a) if a else "unknown" for a in corpus["author"]],
        "source": [term_html(s) for s in sources.fillna("")],
        "dates": [dates(a) for a in ids],
        "script": corpus["script"],
        "chars": corpus["n_chars_clean"],
    })
    return html_table(df, links={"article": "href"}, markup=["title", "author", "source", "dates"],
                      widths={"title": "wide", "dates": "medium"},
                      labels={"article": "Article", "title": "Title (Chinese, then English)", "author": "Author",
                              "source": "Site", "dates": "Written, first published, reposted",
                              "script": "Script", "chars": "Characters (clean)"})


def summaries(corpus: pd.DataFrame) -> Markdown:
    """One bullet per article: its number and English title (linked to its page), when it was written, and
    its one-line summary (:func:`analysis.lexicon.articles`).

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact.

    Returns
    -------
    Markdown
    """
    notes = lexicon.articles()
    lines = []
    for aid in corpus["article_id"]:
        entry = notes.get(aid, {})
        written = date_words(entry.get("dates", {}).get("written")) or "date unknown"
        title = md_escape(entry.get("title_en") or "(no English title)")
        summary = md_escape(entry.get("summary", ""))
        lines.append(f"- [**{short_id(aid)}** · {title}]({article_page(aid)}) (written {md_escape(written)}). "
                     f"{summary}")
    return Markdown("\n".join(lines))


def dates_table(corpus: pd.DataFrame) -> HTMLTable:
    """How each article is dated: every date of the date model with where it appeared and its evidence.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact (the articles to show).

    Returns
    -------
    HTMLTable
        One row per article and kind of date; the evidence links to the sentences it cites.
    """
    notes = lexicon.articles()
    rows = []
    for aid in corpus["article_id"]:
        for kind in lexicon.ARTICLE_DATE_KINDS:
            entry = notes.get(aid, {}).get("dates", {}).get(kind)
            if not entry:
                continue
            links = " ".join(source_link(c) for c in entry["claims"])
            rows.append({"article": short_id(aid), "href": article_page(aid), "kind": kind,
                         "date": date_words(entry), "where": entry["where"],
                         "evidence": esc(entry["evidence"]) + (f" <small>[{links}]</small>" if links else "")})
    df = pd.DataFrame(rows, columns=["article", "href", "kind", "date", "where", "evidence"])
    return html_table(df, links={"article": "href"}, markup=["evidence"], widths={"evidence": "wide"},
                      labels={"article": "Article", "kind": "Date of", "date": "Date", "where": "Where",
                              "evidence": "Evidence"})


#: The cleaning report's columns of the ``corpus`` artefact, with their table headers.
CLEANING_COLUMNS = {
    "removed_front_matter": "front matter",
    "removed_boilerplate": "boilerplate",
    "removed_duplicates": "duplicates",
    "removed_pinyin": "pinyin",
    "removed_nfkc": "NFKC (removed)",
    "removed_t2s": "T→S (removed)",
    "nfkc_changed": "NFKC (changed)",
    "t2s_changed": "T→S (changed)",
}


def cleaning_table(corpus: pd.DataFrame) -> HTMLTable:
    """The cleaning report: characters removed or changed by each step, per article.

    Steps that changed nothing in any article are left out.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact.

    Returns
    -------
    HTMLTable
    """
    cols = [c for c in CLEANING_COLUMNS if c in corpus.columns and (corpus[c] != 0).any()]
    shown = corpus[cols].assign(article=[article_label(a) for a in corpus["article_id"]])[["article", *cols]]
    return html_table(shown, labels={"article": "Article", **{c: CLEANING_COLUMNS[c] for c in cols}},
                      widths={"article": "medium"})


def load_documents(processed_dir: Path | None = None) -> list[Document]:
    """All prepared documents, sorted by article id.

    Parameters
    ----------
    processed_dir : pathlib.Path, optional
        Default :data:`analysis.config.PROCESSED_DIR`.

    Returns
    -------
    list of analysis.corpus.ingest.Document
    """
    return list(iter_documents(processed_dir=processed_dir))


def _terms(text: str) -> list[str]:
    """Content words of two or more characters (single characters are mostly segmentation debris)."""
    return [w for w in content_tokens(text) if len(w) >= 2]


def top_terms(docs: list[Document], n: int = 8) -> pd.DataFrame:
    """The ``n`` highest TF-IDF terms of each article.

    Parameters
    ----------
    docs : list of Document
        At least one document.
    n : int, default 8
        Terms per article.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, rank, term, pinyin, gloss, tfidf``; ties are
        broken by the term so the order is deterministic.
    """
    if not docs:
        raise ValueError("top_terms needs at least one document")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    vec = TfidfVectorizer(tokenizer=_terms, token_pattern=None, lowercase=False, min_df=1, sublinear_tf=True)
    X = vec.fit_transform([d.text for d in docs])
    terms = vec.get_feature_names_out()
    rows = []
    for i, d in enumerate(docs):
        row = X.getrow(i).tocoo()
        ranked = sorted(zip(row.data, terms[row.col], strict=True), key=lambda t: (-round(t[0], 9), t[1]))
        for rank, (w, term) in enumerate(ranked[:n], start=1):
            rows.append((d.article_id, rank, term, pinyin(term), gloss(term), round(float(w), 3)))
    return pd.DataFrame(rows, columns=["article_id", "rank", "term", "pinyin", "gloss", "tfidf"])


def top_terms_table(terms: pd.DataFrame) -> HTMLTable:
    """Top terms per article (:func:`top_terms` output): one row per article, each term with its English.

    Parameters
    ----------
    terms : pandas.DataFrame
        ``article_id, rank, term, pinyin, gloss, tfidf``.

    Returns
    -------
    HTMLTable
        Columns *Article* and *Distinctive terms*: each term in Chinese, followed by its glossary
        gloss and its pinyin.
    """
    def one(r: Any) -> str:
        if not has_cjk(r.term):
            return f'{esc(r.term)} <span class="gloss">{esc(r.gloss)}</span>' if r.gloss else esc(r.term)
        return f"{term_html(r.term, r.gloss or '')} <i>{esc(r.pinyin)}</i>" if r.gloss else term_html(r.term)

    ranked = terms.sort_values(["article_id", "rank"], kind="stable")
    rows = [{"article": article_label(aid), "terms": "<br>".join(one(r) for r in g.itertuples())}
            for aid, g in ranked.groupby("article_id", sort=True)]
    return html_table(pd.DataFrame(rows, columns=["article", "terms"]), markup=["terms"],
                      widths={"article": "medium", "terms": "wide"},
                      labels={"article": "Article", "terms": "Distinctive terms (Chinese, English, pinyin)"})


def plot_lengths(table: pd.DataFrame, ax: Any = None) -> Any:
    """Bar chart of raw vs clean length per article, labelled in English.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``corpus`` artefact.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.8))
    long = table.melt(
        id_vars="article_id", value_vars=["n_chars_raw", "n_chars_clean"], var_name="version", value_name="chars"
    )
    long["version"] = long["version"].map({"n_chars_raw": "raw file", "n_chars_clean": "clean text"})
    long["article"] = [article_label(a) for a in long["article_id"]]
    sns.barplot(data=long, y="article", x="chars", hue="version", ax=ax, orient="h")
    ax.tick_params(labelsize=11)
    ax.set_ylabel("")
    ax.set_xlabel("characters")
    ax.set_title("Article length, before and after cleaning", loc="left")
    ax.legend(title=None, loc="lower right", bbox_to_anchor=(1, 1), ncol=2, frameon=False)
    return ax
