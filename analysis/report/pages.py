r"""Article pages: one MyST page per article, with an anchor on every sentence.

The ``pages`` stage writes ``book/articles/<article_id>.md`` for every
prepared article and ``book/articles/index.md``, the landing page of the
book's "Articles" part.  A page holds

* the article's metadata (title, author, source, URL, date, script) and its
  cleaning report;
* the body, paragraph by paragraph, where sentence ``n`` (numbered as in
  ``claims.csv``) is a ``<span class="sent claim-<type>">`` whose ``id`` is
  :func:`analysis.extract.ids.sentence_anchor` ``(article_id, n)``, so that the
  chapters can link to the exact passage with :func:`analysis.extract.ids.source_href`;
* for a Traditional article, a folded second copy of the body with the exact
  raw Traditional sentences (``raw_text[start:end]``, without ids).

Article text is untrusted input.  Everything taken from an article (body,
title, author, URL...) is HTML-escaped and emitted inside raw HTML blocks that
contain no blank line, so that it can neither inject markup nor be read as
MyST: a CommonMark HTML block runs up to the first blank line, and nothing
inside it is parsed as Markdown.  The only article text outside HTML blocks is
the page heading, which is Markdown-escaped (:func:`analysis.report.escape.heading_text`).

Output is deterministic: the same inputs give byte-identical pages, unchanged
pages are not rewritten (so incremental ``jb build`` stays incremental), and
pages of articles that are no longer in the corpus are removed.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.corpus.ingest import REPORT_KEYS, Document
from analysis.extract.ids import claim_id, sentence_anchor
from analysis.report.escape import esc, heading_text, link, md_escape, safe_url
from analysis.report.tables import html_table

__all__ = ["CLAIM_TYPES", "REPORT_LABELS", "article_sentences", "render_body", "article_page", "index_page"]

#: Claim types that get their own CSS class; anything else renders as ``other``.
CLAIM_TYPES = ("recommendation", "prediction", "causal", "fact", "other")

#: Columns of ``claims.csv`` this module relies on (the claims contract).
REQUIRED_COLUMNS = ("claim_id", "article_id", "sentence", "start", "end", "type")

#: Human-readable labels of the cleaning report keys.
REPORT_LABELS = {
    "front_matter": "front matter removed",
    "boilerplate": "boilerplate removed",
    "duplicates": "duplicated text removed",
    "pinyin": "pinyin glosses removed",
    "nfkc": "removed by NFKC normalisation",
    "t2s": "removed by Traditional→Simplified conversion",
    "nfkc_changed": "changed by NFKC normalisation",
    "t2s_changed": "changed by Traditional→Simplified conversion",
}


def _css_type(value: object) -> str:
    return value if isinstance(value, str) and value in CLAIM_TYPES else "other"


def article_sentences(doc: Document, claims: pd.DataFrame) -> list[dict]:
    """Check and order one article's claim rows against its document.

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document
    claims : pandas.DataFrame
        The ``claims`` artefact (at least :data:`REQUIRED_COLUMNS`).

    Returns
    -------
    list of dict
        One dict per sentence, in order, with ``n``, ``type``, ``raw`` (the
        exact raw quote), ``text`` (clean Simplified text when the claims
        have it, else the raw quote) and ``para`` (paragraph index).

    Raises
    ------
    ValueError
        If a column is missing, the article has no sentence, a claim id is
        malformed or foreign, a quote is not its raw span, or the sentence
        numbers have gaps.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in claims.columns]
    if missing:
        raise ValueError(f"claims.csv: missing column(s) {', '.join(missing)}")
    rows = claims[claims["article_id"] == doc.article_id]
    if rows.empty:
        raise ValueError(f"claims.csv has no sentences for article {doc.article_id}: rerun the claims stage")
    sents = []
    for row in rows.itertuples(index=False):
        rid = row.claim_id
        try:
            n = int(rid.rpartition(":")[2])
        except ValueError:
            raise ValueError(f"claims.csv: bad claim id {rid!r}") from None
        if rid != claim_id(doc.article_id, n):
            raise ValueError(f"claims.csv: claim id {rid!r} does not belong to article {doc.article_id}")
        start, end = int(row.start), int(row.end)
        if doc.raw_text[start:end] != row.sentence:
            raise ValueError(
                f"claims.csv: sentence {rid} is not raw_text[{start}:{end}] of {doc.article_id}.txt "
                "(stale claims.csv? rerun `python -m analysis all`)"
            )
        clean = getattr(row, "sentence_clean", "") or row.sentence
        cstart = getattr(row, "clean_start", "")
        sents.append({"n": n, "type": _css_type(row.type), "raw": row.sentence, "text": clean,
                      "start": start, "clean_start": int(cstart) if str(cstart).isdigit() else None})
    sents.sort(key=lambda s: s["n"])
    if [s["n"] for s in sents] != list(range(len(sents))):
        raise ValueError(f"claims.csv: sentence numbers of {doc.article_id} are not 0..{len(sents) - 1}")
    _assign_paragraphs(doc, sents)
    return sents


def _assign_paragraphs(doc: Document, sents: list[dict]) -> None:
    """Set ``para`` on each sentence: its clean paragraph, or a raw-line-break heuristic."""
    if all(s["clean_start"] is not None for s in sents):
        bounds = [a for a, _ in doc.paragraphs()]
        k = 0
        for s in sents:
            while k + 1 < len(bounds) and s["clean_start"] >= bounds[k + 1]:
                k += 1
            s["para"] = k
        return
    # Minimal contract only: a new paragraph where the raw text between two
    # consecutive sentences contains a line break.
    k, prev_end = 0, None
    for s in sents:
        if prev_end is not None and "\n" in doc.raw_text[min(prev_end, s["start"]) : s["start"]]:
            k += 1
        s["para"] = k
        prev_end = s["start"] + len(s["raw"])


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def render_body(article_id: str, sents: list[dict], *, raw: bool = False) -> list[str]:
    """Render sentences as HTML paragraphs, one line per paragraph.

    Parameters
    ----------
    article_id : str
    sents : list of dict
        As returned by :func:`article_sentences`.
    raw : bool, default False
        Render the exact raw quotes, without ids (the second, Traditional
        copy); otherwise the display text with one anchor per sentence.

    Returns
    -------
    list of str
        HTML lines, none of them blank.
    """
    lines: list[str] = []
    paras: dict[int, list[str]] = {}
    for s in sents:
        if raw:
            span = f'<span class="sent-raw">{esc(s["raw"])}</span>'
        else:
            anchor = esc(sentence_anchor(article_id, s["n"]))
            cid = esc(claim_id(article_id, s["n"]))
            span = (
                f'<span class="sent claim-{s["type"]}" id="{anchor}" title="{cid} · {s["type"]}">'
                f'<a class="sid" href="#{anchor}" aria-label="link to sentence {s["n"]}">{s["n"]}</a>'
                f"{esc(s['text'])}</span>"
            )
        paras.setdefault(s["para"], []).append(span)
    for k in sorted(paras):
        lines.append("<p>" + "".join(paras[k]) + "</p>")
    return lines


def _meta_rows(doc: Document, n_sentences: int) -> list[tuple[str, str]]:
    """``(label, trusted HTML)`` rows of the metadata table: every article value escaped."""
    url = doc.meta.get("url")
    href = safe_url(url)
    if href:
        url_html = link(href, href, css_class="reference external", rel="nofollow noopener noreferrer")
    else:
        url_html = esc(url) if url else "unknown"
    title = doc.meta.get("title")
    return [
        ("article id", f"<code>{esc(doc.article_id)}</code>"),
        ("title", f'<span lang="zh">{esc(title)}</span>' if title else "untitled"),
        ("author", esc(doc.meta.get("author")) or "unknown"),
        ("source", esc(doc.meta.get("source")) or "unknown"),
        ("URL", url_html),
        ("date", esc(doc.meta.get("date")) or "undated"),
        ("script", esc(doc.meta.get("script"))),
        ("size", f"{len(doc.raw_text):,} raw characters, {len(doc.text):,} clean characters, "
                 f"{n_sentences:,} sentences"),
        ("SHA-256", f"<code>{esc(doc.sha256)}</code>"),
    ]


def metadata_table(doc: Document, n_sentences: int) -> str:
    """The article's metadata as a key-value table (class ``article-meta``).

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document
    n_sentences : int
        Its number of sentences.

    Returns
    -------
    str
        HTML, one row per line.
    """
    rows = pd.DataFrame(_meta_rows(doc, n_sentences), columns=["field", "value"])
    return html_table(rows, markup=["value"], sortable=False, css_class="article-meta", header=False,
                      row_headers=True).markup


def cleaning_table(doc: Document) -> str:
    """The article's cleaning report: characters removed or changed per step (class ``article-cleaning``).

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document

    Returns
    -------
    str
        HTML, one row per line.
    """
    rows = pd.DataFrame({"step": [REPORT_LABELS.get(k, k) for k in REPORT_KEYS],
                         "characters": [f"{int(doc.report.get(k, 0)):,}" for k in REPORT_KEYS]})
    return html_table(rows, sortable=False, css_class="article-cleaning").markup


def _title(doc: Document) -> str:
    if doc.meta.get("title"):
        return str(doc.meta["title"])
    return f"untitled ({doc.meta['source']})" if doc.meta.get("source") else "untitled"


def article_page(doc: Document, sents: list[dict]) -> str:
    """Render one article page as MyST Markdown.

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document
    sents : list of dict
        The article's checked sentences (see :func:`article_sentences`).

    Returns
    -------
    str
    """
    counts = pd.Series([s["type"] for s in sents]).value_counts()
    out = [
        f"# {heading_text(doc.article_id[:3])} · {heading_text(_title(doc))}",
        "",
        "This page is generated by `python -m analysis pages` from the raw file "
        f"data/raw/{md_escape(doc.article_id)}.txt. Every sentence has an anchor that the chapters link to; "
        "the small grey number before a sentence is its number in `claims.csv`.",
        "",
        "## Metadata",
        "",
        metadata_table(doc, len(sents)),
        "",
        "### Cleaning report",
        "",
        cleaning_table(doc),
        "",
        "## Text",
        "",
        '<div class="article-text claim-legend"><p>Sentence types: '
        + ", ".join(f'<span class="sent claim-{t}">{t}</span> ({int(counts.get(t, 0))})' for t in CLAIM_TYPES)
        + ".</p></div>",
        "",
    ]
    out.append('<div class="article-text" lang="zh">')
    out += render_body(doc.article_id, sents)
    out.append("</div>")
    out.append("")
    if doc.meta.get("script") == "Traditional":
        out += [
            "The text above is the clean Simplified version. The original is Traditional; here are its exact "
            "raw sentences, as quoted in `claims.csv`:",
            "",
            '<details class="article-raw"><summary>Original Traditional text</summary>',
            '<div class="article-text article-text-raw" lang="zh-Hant">',
            *render_body(doc.article_id, sents, raw=True),
            "</div>",
            "</details>",
            "",
        ]
    return "\n".join(out)


def index_table(entries: Iterable[tuple[Document, int]]) -> str:
    """The table of articles on the index page (class ``article-index``), each id linking to its page.

    Parameters
    ----------
    entries : iterable of (Document, int)
        Each article and its number of sentences, in id order.

    Returns
    -------
    str
        HTML, one row per line.
    """
    rows = pd.DataFrame(
        [{"article": link(f"{doc.article_id}.html", doc.article_id, code=True, css_class="reference internal"),
          "title": _title(doc), "author": doc.meta.get("author") or "unknown",
          "date": doc.meta.get("date") or "undated", "script": doc.meta.get("script"), "sentences": f"{n:,}"}
         for doc, n in entries],
        columns=["article", "title", "author", "date", "script", "sentences"])
    return html_table(rows, markup=["article"], zh=["title"], css_class="article-index").markup


def index_page(entries: Iterable[tuple[Document, int]]) -> str:
    """Render ``book/articles/index.md``, the landing page of the Articles part.

    Parameters
    ----------
    entries : iterable of (Document, int)
        Each article and its number of sentences, in id order.

    Returns
    -------
    str
    """
    entries = list(entries)
    return "\n".join([
        "# Articles",
        "",
        f"The corpus has {len(entries)} articles. Each has its own page with its metadata, its cleaning report "
        "and its full text, in which every sentence carries the anchor that the chapters cite.",
        "",
        index_table(entries),
        "",
        "To add an article of your own, see {doc}`../appendix/add-article`.",
        "",
    ])
