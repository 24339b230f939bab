r"""Article pages: one bilingual MyST page per article, with an anchor on every sentence.

The ``pages`` stage writes ``book/articles/<article_id>.md`` for every
prepared article and ``book/articles/index.md``, the landing page of the
articles in the book's "The evidence" part.  A page holds

* the English title as its heading (the Chinese title stays in the metadata),
  who translated and reviewed the English, and the article's metadata
  (titles, author, source, URL, date, script);
* the body, paragraph by paragraph and sentence by sentence: each Chinese
  sentence ``n`` (numbered as in ``claims.csv``) is a
  ``<span class="sent zh-quote claim-<type>" lang="zh">`` whose ``id`` is
  :func:`analysis.extract.ids.sentence_anchor` ``(article_id, n)``, so that
  the chapters can link to the exact passage with
  :func:`analysis.extract.ids.source_href`, and beside it (beneath it on a
  narrow screen) its English, ``<span class="en">``, marked "(translation out
  of date)" when the sentence changed since it was translated
  (:mod:`analysis.report.translations`);
* an article without a translation says so at the top and shows its
  sentences in Chinese only;
* for a Traditional article, a folded second copy of the body with the exact
  raw Traditional sentences (``raw_text[start:end]``, without ids);
* the cleaning report.

Article text is untrusted input, and so, as a matter of principle, is the
hand-made English.  Everything taken from an article or a translation is
HTML-escaped and emitted inside raw HTML blocks that contain no blank line,
so that it can neither inject markup nor be read as MyST: a CommonMark HTML
block runs up to the first blank line, and nothing inside it is parsed as
Markdown.  The only such text outside HTML blocks is the page heading, which
is Markdown-escaped (:func:`analysis.report.escape.heading_text`).

Output is deterministic: the same inputs give byte-identical pages, unchanged
pages are not rewritten (so incremental ``jb build`` stays incremental), and
pages of articles that are no longer in the corpus are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from analysis import lexicon
from analysis.corpus.ingest import REPORT_KEYS, Document
from analysis.extract.ids import claim_id, sentence_anchor
from analysis.report.escape import en_span, esc, heading_text, link, md_escape, safe_url
from analysis.report.tables import html_table

__all__ = ["CLAIM_TYPES", "REPORT_LABELS", "UNTRANSLATED_NOTE", "article_sentences", "render_body",
           "article_page", "index_page"]

#: Claim types that get their own CSS class; anything else renders as ``other``.
CLAIM_TYPES = ("recommendation", "prediction", "causal", "fact", "other")

#: Columns of ``claims.csv`` this module relies on (the claims contract).
REQUIRED_COLUMNS = ("claim_id", "article_id", "sentence", "start", "end", "type")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: What the page of an article without a translation says.
UNTRANSLATED_NOTE = "No English translation yet: the sentences are shown in Chinese only."

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


def with_english(sents: list[dict], english: Mapping[int, tuple[str, str]]) -> list[dict]:
    """Attach its English and the translation's status to each sentence.

    Parameters
    ----------
    sents : list of dict
        As returned by :func:`article_sentences`.
    english : mapping of int to (str, str)
        ``{sentence number: (english, status)}``, status as in
        :data:`analysis.report.translations.STATUSES`; a sentence not in it is ``missing``.

    Returns
    -------
    list of dict
        New dicts with ``en`` and ``status``.
    """
    return [{**s, "en": english.get(s["n"], ("", "missing"))[0], "status": english.get(s["n"], ("", "missing"))[1]}
            for s in sents]


def is_translated(sents: list[dict]) -> bool:
    """Whether any sentence has an English translation (current or stale)."""
    return any(s.get("status") in ("current", "stale") for s in sents)


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def _sentence_span(article_id: str, s: dict, *, bilingual: bool) -> str:
    anchor = esc(sentence_anchor(article_id, s["n"]))
    cid = esc(claim_id(article_id, s["n"]))
    lang = ' lang="zh"' if bilingual else ""
    quote = " zh-quote" if bilingual else ""
    return (
        f'<span class="sent{quote} claim-{s["type"]}" id="{anchor}"{lang} title="{cid} · {s["type"]}">'
        f'<a class="sid" href="#{anchor}" aria-label="link to sentence {s["n"]}">{s["n"]}</a>'
        f"{esc(s['text'])}</span>"
    )


def render_body(article_id: str, sents: list[dict], *, raw: bool = False, bilingual: bool = False) -> list[str]:
    """Render sentences as HTML, one line per paragraph.

    Parameters
    ----------
    article_id : str
    sents : list of dict
        As returned by :func:`article_sentences` (with :func:`with_english`
        for a bilingual body).
    raw : bool, default False
        Render the exact raw quotes, without ids (the second, Traditional
        copy); otherwise the display text with one anchor per sentence.
    bilingual : bool, default False
        One ``<div class="pair">`` per sentence, the Chinese (``lang="zh"``,
        class ``zh-quote``) followed by its English (``<span class="en">``),
        in one ``<div class="para">`` per paragraph; otherwise ``<p>``
        paragraphs of Chinese sentences.

    Returns
    -------
    list of str
        HTML lines, none of them blank.
    """
    lines: list[str] = []
    paras: dict[int, list[str]] = {}
    for s in sents:
        if raw:
            piece = f'<span class="sent-raw">{esc(s["raw"])}</span>'
        elif bilingual:
            piece = (f'<div class="pair">{_sentence_span(article_id, s, bilingual=True)}'
                     f'{en_span(s.get("en", ""), s.get("status", "missing"))}</div>')
        else:
            piece = _sentence_span(article_id, s, bilingual=False)
        paras.setdefault(s["para"], []).append(piece)
    for k in sorted(paras):
        if bilingual and not raw:
            lines.append('<div class="para">' + "".join(paras[k]) + "</div>")
        else:
            lines.append("<p>" + "".join(paras[k]) + "</p>")
    return lines


def _maybe_zh(value: object) -> str:
    """Escaped text, in a ``<span lang="zh">`` when it holds a Chinese character."""
    text = esc(value)
    return f'<span lang="zh">{text}</span>' if _CJK.search(text) else text


def _date_rows(dates: Mapping[str, Mapping[str, object]]) -> list[tuple[str, str]]:
    """``(label, HTML)`` rows of the article's date model (``articles.yaml``): date, qualifier, place, evidence."""
    rows = []
    for kind in lexicon.ARTICLE_DATE_KINDS:
        d = dates.get(kind)
        if not d:
            continue
        when = " ".join(str(x) for x in (d.get("qualifier"), d.get("date") or "unknown") if x)
        where = f", {_maybe_zh(d['where'])}" if d.get("where") else ""
        why = f' <span class="date-evidence">({esc(d["evidence"])})</span>' if d.get("evidence") else ""
        rows.append((kind, f"{esc(when)}{where}{why}"))
    return rows


def _meta_rows(doc: Document, n_sentences: int, title_en: str, english: str,
               dates: Mapping[str, Mapping[str, object]] | None = None) -> list[tuple[str, str]]:
    """``(label, trusted HTML)`` rows of the metadata table: every article value escaped."""
    url = doc.meta.get("url")
    href = safe_url(url)
    if href:
        url_html = link(href, href, css_class="reference external", rel="nofollow noopener noreferrer")
    else:
        url_html = esc(url) if url else "unknown"
    title = doc.meta.get("title")
    return [
        ("title (English)", esc(title_en) if title_en else "no English title yet"),
        ("title (Chinese)", f'<span lang="zh">{esc(title)}</span>' if title else "untitled"),
        ("author", _maybe_zh(doc.meta.get("author")) if doc.meta.get("author") else "unknown"),
        ("date in the file", esc(doc.meta.get("date")) or "undated"),
        *_date_rows(dates or {}),
        ("source", _maybe_zh(doc.meta.get("source")) if doc.meta.get("source") else "unknown"),
        ("URL", url_html),
    ]


def _file_rows(doc: Document, n_sentences: int, english: str) -> list[tuple[str, str]]:
    """``(label, trusted HTML)`` rows about the file: id, script, size, hash, translation coverage."""
    return [
        ("article id", f"<code>{esc(doc.article_id)}</code>"),
        ("script", esc(doc.meta.get("script"))),
        ("size", f"{len(doc.raw_text):,} raw characters, {len(doc.text):,} clean characters, "
                 f"{n_sentences:,} sentences"),
        ("English translation", esc(english) or "none yet"),
        ("SHA-256", f"<code>{esc(doc.sha256)}</code>"),
    ]


def metadata_table(doc: Document, n_sentences: int, title_en: str = "", english: str = "", *,
                   file: bool = False, dates: Mapping[str, Mapping[str, object]] | None = None) -> str:
    """The article's metadata as a key-value table (class ``article-meta``).

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document
    n_sentences : int
        Its number of sentences.
    title_en : str, optional
        The English title.
    english : str, optional
        How much of it has an English translation ("every sentence", "none yet"...).
    file : bool, default False
        The rows about the file (id, script, size, translation, hash) instead
        of the article's (titles, author, dates, source, URL).
    dates : mapping, optional
        The article's date model, ``{"written"|"published"|"reposted": {"date", "qualifier", "where",
        "evidence"}}`` (:func:`analysis.lexicon.articles`), shown below the file's own date.

    Returns
    -------
    str
        HTML, one row per line.
    """
    rows = _file_rows(doc, n_sentences, english) if file else _meta_rows(doc, n_sentences, title_en, english, dates)
    return html_table(pd.DataFrame(rows, columns=["field", "value"]), markup=["value"], sortable=False,
                      css_class="article-meta", header=False, row_headers=True).markup


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


def _translation_block(sents: list[dict], credit: str) -> str:
    """The line under the heading: the credit, or the note that there is no translation (HTML)."""
    if not is_translated(sents):
        return f'<p class="translation-note">{esc(UNTRANSLATED_NOTE)}</p>'
    stale = sum(s["status"] == "stale" for s in sents)
    missing = sum(s["status"] == "missing" for s in sents)
    extra = []
    if stale:
        extra.append(f"{stale:,} sentence{'s' if stale > 1 else ''} changed since {'they were' if stale > 1 else 'it was'} "
                     "translated: the English is marked “translation out of date”.")
    if missing:
        extra.append(f"{missing:,} sentence{'s have' if missing > 1 else ' has'} no English yet.")
    line = " ".join([esc(credit), *(esc(e) for e in extra)])
    return f'<p class="translation-credit">{line}</p>'


def article_page(doc: Document, sents: list[dict], *, title_en: str = "", credit: str = "",
                 notes: Mapping[str, object] | None = None) -> str:
    """Render one article page as MyST Markdown.

    Parameters
    ----------
    doc : analysis.corpus.ingest.Document
    sents : list of dict
        The article's checked sentences (see :func:`article_sentences`),
        with their English (:func:`with_english`); without ``status`` keys the
        article counts as untranslated.
    title_en : str, optional
        The English title: the page's heading (and so its title in the
        sidebar); the Chinese title is the heading when there is none.
    credit : str, optional
        Who translated and reviewed the English.
    notes : mapping, optional
        The article's notes in ``articles.yaml`` (:func:`analysis.lexicon.articles`): its English
        ``summary`` opens the page, its ``dates`` join the metadata.

    Returns
    -------
    str
    """
    counts = pd.Series([s["type"] for s in sents]).value_counts()
    translated = is_translated(sents)
    heading = title_en.strip() if title_en and title_en.strip() else _title(doc)
    explain = ("Each Chinese sentence is shown beside its English translation. " if translated
               else "")
    notes = notes or {}
    summary = str(notes.get("summary") or "").strip()
    out = [
        f"# {heading_text(doc.article_id[:3])} · {heading_text(heading)}",
        "",
        *([f'<p class="article-summary">{esc(summary)}</p>', ""] if summary else []),
        _translation_block(sents, credit),
        "",
        f"This page is generated by `python -m analysis pages` from the raw file "
        f"data/raw/{md_escape(doc.article_id)}.txt. {explain}Every sentence has an anchor that the chapters "
        "link to; the small grey number before a sentence is its number in `claims.csv`.",
        "",
        metadata_table(doc, len(sents), title_en, dates=notes.get("dates") or {}),
        "",
        "## Text",
        "",
        '<div class="article-text claim-legend"><p>Sentence types (underlined in the Chinese): '
        + ", ".join(f'<span class="sent claim-{t}">{t}</span> ({int(counts.get(t, 0))})' for t in CLAIM_TYPES)
        + ".</p></div>",
        "",
    ]
    if translated:
        out.append('<div class="article-text bilingual">')
        out += render_body(doc.article_id, sents, bilingual=True)
    else:
        out.append('<div class="article-text" lang="zh">')
        out += render_body(doc.article_id, sents)
    out.append("</div>")
    out.append("")
    if doc.meta.get("script") == "Traditional":
        out += [
            "The Chinese text above is the clean Simplified version. The original is Traditional; here are its "
            "exact raw sentences, as quoted in `claims.csv`:",
            "",
            '<details class="article-raw"><summary>Original Traditional text</summary>',
            '<div class="article-text article-text-raw" lang="zh-Hant">',
            *render_body(doc.article_id, sents, raw=True),
            "</div>",
            "</details>",
            "",
        ]
    out += [
        "## The file",
        "",
        metadata_table(doc, len(sents), english=_translation_state(sents), file=True),
        "",
        "Characters removed or changed by each cleaning step, between the raw file and the clean text:",
        "",
        cleaning_table(doc),
        "",
    ]
    return "\n".join(out)


def _translation_state(sents: list[dict]) -> str:
    if not is_translated(sents):
        return "none yet"
    stale = sum(s["status"] == "stale" for s in sents)
    missing = sum(s["status"] == "missing" for s in sents)
    parts = [f"{stale:,} out of date" if stale else "", f"{missing:,} missing" if missing else ""]
    parts = [p for p in parts if p]
    return "every sentence" if not parts else "partial: " + ", ".join(parts)


def _written(doc: Document, notes: Mapping[str, object]) -> str:
    """When the article was written (its date model), else the date in its file."""
    written = (notes.get("dates") or {}).get("written") or {}  # type: ignore[union-attr]
    if written.get("date"):
        return " ".join(str(x) for x in (written.get("qualifier"), written["date"]) if x)
    return str(doc.meta.get("date") or "undated")


def index_table(entries: Iterable[tuple[Document, list[dict], str, Mapping[str, object]]]) -> str:
    """The table of articles on the index page (class ``article-index``), each linking to its page.

    Parameters
    ----------
    entries : iterable of (Document, list of dict, str, mapping)
        Each article, its sentences (with their English), its English title
        and its notes (:func:`analysis.lexicon.articles`), in id order.

    Returns
    -------
    str
        HTML, one row per line.
    """
    rows = pd.DataFrame(
        [{"article": link(f"{doc.article_id}.html", f"{doc.article_id[:3]} · {title_en or '(no English title yet)'}",
                          css_class="reference internal", title=doc.article_id),
          "Chinese title": _title(doc), "author": doc.meta.get("author") or "unknown",
          "written": _written(doc, notes), "sentences": len(sents), "English": _translation_state(sents)}
         for doc, sents, title_en, notes in entries],
        columns=["article", "Chinese title", "author", "written", "sentences", "English"])
    return html_table(rows, markup=["article"], zh=["Chinese title", "author"], css_class="article-index",
                      widths={"article": "medium"}).markup


def index_page(entries: Iterable[tuple[Document, list[dict], str, Mapping[str, object]]]) -> str:
    """Render ``book/articles/index.md``, the landing page of the articles.

    Parameters
    ----------
    entries : iterable of (Document, list of dict, str, mapping)
        Each article, its sentences (with their English), its English title
        and its notes, in id order.

    Returns
    -------
    str
    """
    entries = list(entries)
    return "\n".join([
        "# The articles",
        "",
        f"The corpus has {len(entries)} Chinese articles. Each has its own page with its metadata and its full "
        "text, every Chinese sentence beside its English translation, and every sentence carrying the anchor "
        "that the chapters cite. The {doc}`claims explorer <../evidence/claims>` lists all the sentences in "
        "one filterable table, and {doc}`the figures page <../evidence/figures>` every figure they quote.",
        "",
        index_table(entries),
        "",
        "To add an article of your own, see {doc}`../appendix/add-article`.",
        "",
    ])
