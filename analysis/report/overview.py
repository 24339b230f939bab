"""Descriptive views of the prepared corpus, for the "The corpus" chapter.

Pure functions over the prepared records: the corpus table, top terms per
article (TF-IDF over :func:`analysis.segment.content_tokens`), the glossary
lookup and the article-length figure.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import config
from analysis.corpus.documents import iter_documents
from analysis.corpus.ingest import Document
from analysis.extract.ids import article_page
from analysis.report.tables import HTMLTable, html_table
from analysis.segment import content_tokens

__all__ = [
    "load_corpus_table",
    "load_documents",
    "article_notes",
    "articles_table",
    "glossary",
    "gloss",
    "pinyin",
    "top_terms",
    "plot_lengths",
]


def load_corpus_table(processed_dir: Path | None = None) -> pd.DataFrame:
    """Read ``corpus.csv`` written by ``prepare`` (one row per article)."""
    path = Path(processed_dir or config.PROCESSED_DIR) / "corpus.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python -m analysis prepare` first")
    return pd.read_csv(path, dtype={"date": "string"}, keep_default_na=False)


@lru_cache(maxsize=1)
def article_notes() -> dict[str, dict[str, str]]:
    """English title glosses and provenance notes (``data/lexicon/articles.yaml``)."""
    path = config.LEXICON_DIR / "articles.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in (data.get("articles") or {}).items()}


def articles_table(corpus: pd.DataFrame) -> HTMLTable:
    """The reader-facing table of articles: id (linked to its page), titles, author, date, size.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus table (:func:`load_corpus_table`).
    """
    notes = article_notes()
    df = pd.DataFrame({
        "article": corpus["article_id"].str[:3],
        "href": [article_page(a) for a in corpus["article_id"]],
        "title (Chinese)": corpus["title"],
        "title (English gloss)": [notes.get(a, {}).get("title_en", "") for a in corpus["article_id"]],
        "author": corpus["author"],
        "source": corpus["source"].where(corpus["source"] != "", corpus["url"].str.extract(r"//([^/]+)")[0]),
        "date": [d or notes.get(a, {}).get("date_note", "unknown") for a, d in zip(corpus["article_id"], corpus["date"], strict=True)],
        "script": corpus["script"],
        "clean chars": corpus["n_chars_clean"],
    })
    return html_table(df, links={"article": "href"}, zh=["title (Chinese)", "author", "source"])


def load_documents(processed_dir: Path | None = None) -> list[Document]:
    """All prepared documents, sorted by article id."""
    return list(iter_documents(processed_dir=processed_dir))


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """The term -> English gloss mapping from ``data/lexicon/glossary.yaml``."""
    data = yaml.safe_load((config.LEXICON_DIR / "glossary.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in (data.get("terms") or {}).items()}


def gloss(term: str) -> str:
    """English gloss of a term, or ``""`` when the glossary lacks it."""
    return glossary().get(term, "")


def pinyin(term: str) -> str:
    """Tone-marked pinyin of a Chinese term (computed with pypinyin)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(term, style=Style.TONE))


def _terms(text: str) -> list[str]:
    # words of two or more characters: single characters are mostly segmentation debris
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


def plot_lengths(table: pd.DataFrame, ax=None):
    """Bar chart of raw vs clean length per article, with Chinese axis labels.

    Parameters
    ----------
    table : pandas.DataFrame
        The corpus table (:func:`load_corpus_table`).
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
