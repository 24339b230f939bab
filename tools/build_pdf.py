"""Build the PDF edition of the book from the built HTML site (``make pdf``).

Every page of ``_toc.yml``, in reading order, is printed to PDF by the
system's headless Chromium (through Playwright, from ``file://``: no server
and no network), with the site's print stylesheet (``book/_static/print.css``)
and every ``<details>`` opened.  The pages are merged with pypdf behind a
title page and a table of contents (rendered by :mod:`analysis.report.pdf`
and printed the same way), running heads and page numbers are laid over every
page, each chapter gets a bookmark (under its part), and links between the
book's pages become links inside the PDF.  The result is written atomically,
then copied into the site (``pdf/laiwang-book.pdf``) so that the landing page
can link it.

Usage::

    python tools/build_pdf.py [--html _build/html] [--out _build/pdf/laiwang-book.pdf] [--no-copy]

Chromium needs a CJK font: ``FONTCONFIG_FILE`` (the Makefile exports
``.cache/fonts.conf``, which adds the pip package's Noto Sans SC).
"""

from __future__ import annotations

import argparse
import fnmatch
import html
import io
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from analysis import config
from analysis._io import atomic_write_bytes
from analysis.report import cite
from analysis.report import pdf as pdf_pages

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEFAULT_HTML = config.PROJ_ROOT / "_build" / "html"
DEFAULT_OUT = config.PROJ_ROOT / "_build" / "pdf" / cite.PDF_NAME
#: The margins of every printed site page (the running heads sit in the top and bottom ones).
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}

#: The theme's own print-only list of the page's sections: the PDF has its table of contents and bookmarks.
PDF_ONLY_CSS = "@media print { #jb-print-toc { display: none !important; } }"

#: Run in each page before it is printed: open every <details> (print.js's function when the
#: site has it), load lazy images, and wait for the images, the web fonts and MathJax.
PREPARE_JS = """async () => {
  if (window.laiwangPrintExpand) { window.laiwangPrintExpand(); }
  else { document.querySelectorAll('details:not([open])').forEach(d => d.setAttribute('open', '')); }
  document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = 'eager'; });
  await Promise.all(Array.from(document.images).filter(i => !i.complete)
    .map(i => new Promise(r => { i.onload = i.onerror = r; })));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  return true;
}"""


class PdfBuildError(RuntimeError):
    """Why the PDF could not be built (a missing site, page, browser or package)."""


@dataclass(frozen=True)
class TocPage:
    """One page of the book, in reading order.

    Parameters
    ----------
    path : str
        Relative to the site (``book/adoption.html``).
    part : str
        The caption of its part (``""``: none).
    level : int
        0 for the root and the chapters, 1 for a section under a chapter.
    """

    path: str
    part: str
    level: int


def toc_pages(site: Path, toc: Path = config.PROJ_ROOT / "_toc.yml") -> list[TocPage]:
    """Every page of the table of contents, in reading order, with its part.

    Parameters
    ----------
    site : pathlib.Path
        The built HTML site (globs of the toc are matched against its pages).
    toc : pathlib.Path, optional
        ``_toc.yml``.

    Returns
    -------
    list of TocPage

    Raises
    ------
    PdfBuildError
        When a page of the toc is not in the site.
    """
    data = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    built = sorted(str(p.relative_to(site).with_suffix("")) for p in site.rglob("*.html"))
    out: list[TocPage] = []
    parts = data.get("parts") or [{"caption": "", "chapters": data.get("chapters", [])}]
    first_part = str(parts[0].get("caption", "")) if parts else ""
    out.append(TocPage(f"{data['root']}.html", first_part, 0))

    def walk(entries: list[dict] | None, part: str, level: int) -> None:
        for entry in entries or []:
            if "file" in entry:
                out.append(TocPage(f"{entry['file']}.html", part, level))
            if "glob" in entry:
                out.extend(TocPage(f"{f}.html", part, level) for f in built if fnmatch.fnmatch(f, entry["glob"]))
            walk(entry.get("sections"), part, level + 1)

    for part in parts:
        walk(part.get("chapters"), str(part.get("caption", "")), 0)
    missing = [p.path for p in out if not (site / p.path).is_file()]
    if missing:
        raise PdfBuildError(f"{site}: pages of {toc.name} missing from the build: {missing} (run `make book`)")
    return out


def page_title(path: Path, book_title: str) -> str:
    """A built page's title, without the book's title (``5. Could Laiwang have won?``).

    Parameters
    ----------
    path : pathlib.Path
        The HTML file.
    book_title : str
        Removed from the end of ``<title>``.

    Returns
    -------
    str
    """
    text = path.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"<title>(.*?)</title>", text, re.S)
    title = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else path.stem
    suffix = f" \u2014 {book_title}"
    return title[: -len(suffix)].strip() if title.endswith(suffix) else title


def _atomic_write(data: bytes, out: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    atomic_write_bytes(out, data, mode=0o666 & ~umask)  # mkstemp makes it private; the site serves it


class _Printer:
    """One headless Chromium that prints site pages and generated HTML to PDF bytes."""

    def __init__(self, browser: object) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 1400})  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        self.errors: list[str] = []
        self.page.on("requestfailed", lambda r: self.errors.append(f"{r.url} ({r.failure})"))

    def site_page(self, path: Path) -> bytes:
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.page.add_style_tag(content=PDF_ONLY_CSS)
        self.page.evaluate(PREPARE_JS)
        return self.page.pdf(format="A4", print_background=True, margin=MARGINS, outline=False, tagged=False)

    def document(self, markup: str) -> bytes:
        self.page.set_content(markup, wait_until="load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                             margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})


def _reader(data: bytes):  # noqa: ANN202 -- pypdf.PdfReader, imported lazily
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def _link_internal(writer: object, starts: dict[Path, int], site: Path) -> tuple[int, int]:
    """Turn the links to the book's own pages into GoTo links; drop other ``file://`` links.

    Returns (internal links made, file links dropped).
    """
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject

    made = dropped = 0
    for page in writer.pages:  # type: ignore[attr-defined]
        annots = page.get("/Annots")
        if not annots:
            continue
        keep = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if annot.get("/Subtype") != "/Link" or uri is None or not str(uri).startswith("file:"):
                keep.append(ref)
                continue
            target = Path(unquote(urlsplit(str(uri)).path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            index = starts.get(target)
            if index is None:  # a download, an image, or a page outside the toc: no file:// link in a PDF
                dropped += 1
                continue
            dest = ArrayObject([writer.pages[index].indirect_reference, NameObject("/Fit")])  # type: ignore[attr-defined]
            annot[NameObject("/A")] = DictionaryObject({NameObject("/S"): NameObject("/GoTo"),
                                                        NameObject("/D"): dest})
            annot.pop("/Dest", NullObject())
            keep.append(ref)
            made += 1
        page[NameObject("/Annots")] = keep
    return made, dropped


def build_pdf(site: Path = DEFAULT_HTML, out: Path = DEFAULT_OUT, *, copy_to: Path | None = None,
              toc: Path = config.PROJ_ROOT / "_toc.yml", verbose: bool = True) -> dict[str, object]:
    """Print every page of the built book and merge them into one PDF.

    Parameters
    ----------
    site : pathlib.Path, optional
        The built HTML site (``_build/html``).
    out : pathlib.Path, optional
        The PDF to write (atomically).
    copy_to : pathlib.Path, optional
        Also copy it there (atomically): ``<site>/pdf/laiwang-book.pdf`` for the landing page's link.
    toc : pathlib.Path, optional
        ``_toc.yml``.
    verbose : bool, default True
        Print one line per page.

    Returns
    -------
    dict
        ``pages`` (PDF pages), ``chapters`` (site pages printed), ``bytes``, ``seconds``,
        ``internal_links`` and ``out``.

    Raises
    ------
    PdfBuildError
        When the site, a page of the toc, Chromium, Playwright or pypdf is missing, or a page
        fails to load a resource.
    """
    start = time.perf_counter()
    site = site.resolve()
    if not (site / "index.html").is_file():
        raise PdfBuildError(f"{site} has no index.html: build the book first (make book)")
    if not CHROMIUM.exists():
        raise PdfBuildError(f"{CHROMIUM} is missing: install it (apt-get install -y chromium, or make pdf)")
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfWriter
    except ImportError as exc:
        raise PdfBuildError(f"{exc.name} is not installed: run `make venv` (it is in requirements.lock)") from exc

    meta = cite.book_metadata()
    book_title = meta["title"]
    entries = toc_pages(site, toc)
    titles = [page_title(site / e.path, book_title) for e in entries]
    env = dict(os.environ)
    fonts_conf = config.CACHE_DIR / "fonts.conf"
    if "FONTCONFIG_FILE" not in env and fonts_conf.exists():
        env["FONTCONFIG_FILE"] = str(fonts_conf)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
        try:
            printer = _Printer(browser)
            chapters = []
            for entry, title in zip(entries, titles, strict=True):
                data = printer.site_page(site / entry.path)
                chapters.append(_reader(data))
                if verbose:
                    print(f"  {entry.path}: {len(chapters[-1].pages)} pages ({title})", flush=True)
            if printer.errors:
                raise PdfBuildError(f"resources failed to load while printing: {printer.errors[:10]}")
            title_page = _reader(printer.document(pdf_pages.title_page_html(
                book_title, meta["author"], cite.version().note())))

            # the contents' page numbers depend on its own length: print it until that is stable
            n_contents = 1
            for _ in range(4):
                first = 1 + len(title_page.pages) + n_contents
                starts, page_no = [], first
                for chapter in chapters:
                    starts.append(page_no)
                    page_no += len(chapter.pages)
                lines = [pdf_pages.ContentsEntry(e.part, t, s, e.level)
                         for e, t, s in zip(entries, titles, starts, strict=True)]
                contents = _reader(printer.document(pdf_pages.contents_html(lines)))
                if len(contents.pages) == n_contents:
                    break
                n_contents = len(contents.pages)
            else:
                raise PdfBuildError("the table of contents does not settle on a page count")

            heads: list[tuple[str, int | None]] = [("", None)] * len(title_page.pages)
            heads += [("Contents", first - len(contents.pages) + i) for i in range(len(contents.pages))]
            for title, s, chapter in zip(titles, starts, chapters, strict=True):
                heads += [(title, s + i) for i in range(len(chapter.pages))]
            overlay = _reader(printer.document(pdf_pages.running_heads_html(heads, book_title)))
        finally:
            browser.close()

    writer = PdfWriter()
    for reader in (title_page, contents, *chapters):
        writer.append(reader, import_outline=False)
    if len(overlay.pages) != len(writer.pages):
        raise PdfBuildError(f"running heads: {len(overlay.pages)} pages for {len(writer.pages)} pages")
    for page, head in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(head, over=True)
        page.compress_content_streams()  # the merge leaves the page's content uncompressed

    # bookmarks: Contents, then each part with its chapters (sections under their chapter)
    writer.add_outline_item(title="Contents", page_number=len(title_page.pages))
    part_items: dict[str, object] = {}
    last_chapter = None
    for entry, title, s in zip(entries, titles, starts, strict=True):
        parent = None
        if entry.part:
            if entry.part not in part_items:
                part_items[entry.part] = writer.add_outline_item(title=entry.part, page_number=s - 1, bold=True)
            parent = part_items[entry.part]
        if entry.level > 0 and last_chapter is not None:
            parent = last_chapter
        item = writer.add_outline_item(title=title, page_number=s - 1, parent=parent)
        if entry.level == 0:
            last_chapter = item
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": book_title, "/Author": meta["author"], "/Creator": "tools/build_pdf.py",
                         "/Subject": cite.version().note()})
    made, _dropped = _link_internal(writer, {(site / e.path).resolve(): s - 1
                                             for e, s in zip(entries, starts, strict=True)}, site)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)

    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    _atomic_write(data, out)
    if copy_to is not None:
        _atomic_write(data, copy_to)
    return {"out": str(out), "pages": len(writer.pages), "chapters": len(chapters), "bytes": len(data),
            "internal_links": made, "seconds": round(time.perf_counter() - start, 1)}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the PDF, print a summary; exit 1 with one clear line on failure.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=DEFAULT_HTML, help="the built site (default: _build/html)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the PDF (default: _build/pdf/{cite.PDF_NAME})")
    parser.add_argument("--no-copy", action="store_true", help=f"do not copy it into the site as {cite.PDF_SITE_PATH}")
    parser.add_argument("--quiet", action="store_true", help="no line per page")
    args = parser.parse_args(argv)
    copy_to = None if args.no_copy else args.html / cite.PDF_SITE_PATH
    try:
        info = build_pdf(args.html, args.out, copy_to=copy_to, verbose=not args.quiet)
    except PdfBuildError as exc:
        print(f"build_pdf: {exc}", file=sys.stderr)
        return 1
    print(f"{info['out']}: {info['pages']} pages from {info['chapters']} site pages, "
          f"{int(info['bytes']) / 1e6:.1f} MB, {info['internal_links']} internal links, {info['seconds']} s"
          + (f"; copied to {copy_to}" if copy_to else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
