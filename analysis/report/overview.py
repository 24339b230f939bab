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
from analysis.report.display import HTMLTable
from analysis.report.glossary import gloss, pinyin
from analysis.report.tables import html_table
from analysis.segment import content_tokens

__all__ = [
    "load_documents",
    "articles_table",
    "cleaning_table",
    "top_terms",
    "top_terms_table",
    "plot_lengths",
]


def articles_table(corpus: pd.DataFrame) -> HTMLTable:
    """The reader-facing table of articles: id (linked to its page), titles, author, date, size.

    English title glosses and date notes come from :func:`analysis.lexicon.articles`.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact.

    Returns
    -------
    HTMLTable
    """
    notes = lexicon.articles()
    df = pd.DataFrame({
        "article": corpus["article_id"].str[:3],
        "href": [article_page(a) for a in corpus["article_id"]],
        "title (Chinese)": corpus["title"],
        "title (English gloss)": [notes.get(a, {}).get("title_en", "") for a in corpus["article_id"]],
        "author": corpus["author"],
        "source": corpus["source"].where(corpus["source"] != "", corpus["url"].str.extract(r"//([^/]+)")[0]),
        "date": [d or notes.get(a, {}).get("date_note", "unknown")
                 for a, d in zip(corpus["article_id"], corpus["date"], strict=True)],
        "script": corpus["script"],
        "clean chars": corpus["n_chars_clean"],
    })
    return html_table(df, links={"article": "href"}, zh=["title (Chinese)", "author", "source"])


#: The cleaning report's columns of the ``corpus`` artefact, with their table headers.
CLEANING_COLUMNS = {
    "removed_front_matter": "front matter removed",
    "removed_boilerplate": "boilerplate removed",
    "removed_duplicates": "duplicates removed",
    "removed_pinyin": "pinyin removed",
    "removed_nfkc": "removed by NFKC",
    "removed_t2s": "removed by T→S",
    "nfkc_changed": "changed by NFKC",
    "t2s_changed": "changed by T→S",
}


def cleaning_table(corpus: pd.DataFrame) -> HTMLTable:
    """The cleaning report: characters removed or changed by each step, per article.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The ``corpus`` artefact.

    Returns
    -------
    HTMLTable
    """
    cols = [c for c in CLEANING_COLUMNS if c in corpus.columns]
    return html_table(corpus[["article_id", *cols]], labels={"article_id": "article", **CLEANING_COLUMNS})


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
    """Top terms per article as a table (:func:`top_terms` output).

    Parameters
    ----------
    terms : pandas.DataFrame
        ``article_id, rank, term, pinyin, gloss, tfidf``.

    Returns
    -------
    HTMLTable
    """
    return html_table(terms, zh=["term"], labels={"article_id": "article", "tfidf": "TF-IDF"})


def plot_lengths(table: pd.DataFrame, ax: Any = None) -> Any:
    """Bar chart of raw vs clean length per article, with Chinese axis labels.

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

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.2))
    long = table.melt(
        id_vars="article_id", value_vars=["n_chars_raw", "n_chars_clean"], var_name="version", value_name="chars"
    )
    long["version"] = long["version"].map({"n_chars_raw": "原文 raw", "n_chars_clean": "清洗后 clean"})
    long["article"] = long["article_id"].str[:3]
    import seaborn as sns

    sns.barplot(data=long, x="article", y="chars", hue="version", ax=ax)
    ax.set_xlabel("文章 article")
    ax.set_ylabel("字符数 characters")
    ax.set_title("文章长度 Article length, before and after cleaning")
    ax.legend(title=None)
    return ax
