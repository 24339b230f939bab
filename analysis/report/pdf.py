"""The PDF edition's own pages: the title page, the table of contents and the running heads.

``tools/build_pdf.py`` prints every page of the built site with headless
Chromium and merges them; the pages that are not in the site are rendered
here, as standalone HTML documents (escaped like every other page) that the
same browser prints:

* :func:`title_page_html`: title, author, version;
* :func:`contents_html`: every chapter with the PDF page it starts on, under its part;
* :func:`running_heads_html`: one A4 page per PDF page, blank but for the chapter title at the
  top and the page number at the bottom; it is laid over the printed pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.report.escape import esc

__all__ = ["ContentsEntry", "title_page_html", "contents_html", "running_heads_html"]

#: The fonts of the generated pages: the site's text font, then the CJK font that fontconfig provides.
FONT_STACK = ('-apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans SC", "Noto Sans CJK SC", '
              "sans-serif")


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the table of contents.

    Parameters
    ----------
    part : str
        The caption of the part it belongs to (``""``: none).
    title : str
        The page's title (``5. Could Laiwang have won?``).
    page : int
        The PDF page it starts on (1-based).
    level : int, default 0
        0 for a chapter, 1 for a section under it.
    """

    part: str
    title: str
    page: int
    level: int = 0


def _document(body: str, css: str, title: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{css}</style></head>\n<body>{body}</body></html>\n")


_PAGE_CSS = f"""
@page {{ size: A4; margin: 0; }}
html, body {{ margin: 0; padding: 0; font-family: {FONT_STACK}; color: #222; }}
"""


def title_page_html(title: str, author: str, note: str, subtitle: str = "") -> str:
    """The title page (one A4 page).

    Parameters
    ----------
    title : str
        The book's title.
    author : str
        Its author(s).
    note : str
        The version line (:meth:`analysis.report.cite.Version.note`).
    subtitle : str, optional
        A line under the title.

    Returns
    -------
    str
        A complete HTML document.
    """
    main, _, rest = title.partition(":")
    sub = f'<p class="sub">{esc(rest.strip())}</p>' if rest.strip() else ""
    extra = f'<p class="lede">{esc(subtitle)}</p>' if subtitle else ""
    body = (f'<div class="title-page"><h1>{esc(main.strip())}</h1>{sub}{extra}'
            f'<p class="author">{esc(author)}</p>'
            f'<p class="note">PDF edition. {esc(note)}.</p></div>')
    css = _PAGE_CSS + """
.title-page { box-sizing: border-box; height: 296mm; padding: 70mm 25mm 25mm; position: relative; }
h1 { font-size: 34pt; margin: 0 0 6mm; line-height: 1.15; }
.sub { font-size: 18pt; margin: 0 0 14mm; color: #444; }
.lede { font-size: 12pt; line-height: 1.5; max-width: 140mm; }
.author { font-size: 14pt; margin-top: 30mm; }
.note { position: absolute; bottom: 25mm; left: 25mm; right: 25mm; font-size: 9pt; color: #666; }
"""
    return _document(body, css, title)


def contents_html(entries: Sequence[ContentsEntry], heading: str = "Contents") -> str:
    """The table of contents: parts, chapters (and their sections) with their page numbers.

    Parameters
    ----------
    entries : sequence of ContentsEntry
        In reading order.
    heading : str, default "Contents"
        The page's heading.

    Returns
    -------
    str
        A complete HTML document (as many A4 pages as it needs).
    """
    rows: list[str] = []
    part = None
    for entry in entries:
        if entry.part != part:
            part = entry.part
            if part:
                rows.append(f'<li class="part">{esc(part)}</li>')
        rows.append(f'<li class="entry level-{int(entry.level)}"><span class="t">{esc(entry.title)}</span>'
                    f'<span class="dots"></span><span class="n">{int(entry.page)}</span></li>')
    body = f'<div class="contents"><h1>{esc(heading)}</h1><ol>{"".join(rows)}</ol></div>'
    css = _PAGE_CSS + """
.contents { padding: 25mm 25mm 20mm; }
h1 { font-size: 22pt; margin: 0 0 10mm; }
ol { list-style: none; margin: 0; padding: 0; font-size: 11pt; }
li { break-inside: avoid; }
.part { font-weight: 700; font-size: 12pt; margin: 7mm 0 2mm; break-after: avoid; }
.entry { display: flex; align-items: baseline; gap: 2mm; margin: 1.4mm 0; }
.entry.level-1 { padding-left: 8mm; font-size: 10pt; color: #333; }
.entry .t { flex: 0 1 auto; }
.entry .dots { flex: 1 1 auto; border-bottom: 0.6pt dotted #999; min-width: 8mm; }
.entry .n { flex: 0 0 auto; font-variant-numeric: tabular-nums; }
@page { margin: 0 0 12mm; }
"""
    return _document(body, css, heading)


def running_heads_html(heads: Sequence[tuple[str, int | None]], book_title: str) -> str:
    """One transparent A4 page per PDF page: the chapter title at the top, the page number at the bottom.

    Parameters
    ----------
    heads : sequence of (str, int or None)
        For each PDF page, its chapter title (``""``: none) and its number (``None``: none shown).
    book_title : str
        Shown at the top left of every page that has a chapter title.

    Returns
    -------
    str
        A complete HTML document of ``len(heads)`` pages.
    """
    pages = []
    for title, number in heads:
        head = (f'<div class="head"><span class="book">{esc(book_title)}</span>'
                f'<span class="chapter">{esc(title)}</span></div>') if title else ""
        foot = f'<div class="foot">{int(number)}</div>' if number is not None else ""
        pages.append(f'<div class="page">{head}{foot}</div>')
    css = _PAGE_CSS + """
html, body { background: transparent; }
.page { position: relative; height: 297mm; width: 210mm; overflow: hidden; break-after: page; }
.page:last-child { break-after: auto; }
.head { position: absolute; top: 7mm; left: 14mm; right: 14mm; display: flex; justify-content: space-between;
        gap: 8mm; font-size: 7.5pt; color: #777; border-bottom: 0.4pt solid #ccc; padding-bottom: 1mm; }
.head .book { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 45%; }
.head .chapter { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; text-align: right; }
.foot { position: absolute; bottom: 8mm; left: 0; right: 0; text-align: center; font-size: 8.5pt; color: #555; }
"""
    return _document("".join(pages), css, book_title)
