r"""The book's web font: Noto Sans SC subset to the characters that the site shows.

A reader's machine may have no Chinese font at all, and the full Noto Sans SC
(``pylopdf_fonts_zh_cn``, OFL) is 8 MB.  So the ``pages`` stage subsets it with
fontTools to the characters of the book's sources, read before the build:

* the articles, raw and clean (:func:`analysis.corpus.documents.iter_documents`);
* every lexicon file, the English translations included (:func:`analysis.lexicon.characters`);
* the book's own sources under ``book/``: every string of every notebook
  (cells and stored outputs) and every Markdown page;
* the rendering code (``analysis/report/*.py``) and ``data/external``, whose
  labels can reach a page;

plus printable ASCII and the common punctuation blocks (:data:`ALWAYS`), and
writes it as WOFF2 (Brotli) to ``book/_static/fonts/`` (:data:`FONT_FILE`),
where ``book/_static/book.css`` declares it with ``@font-face``.

The output is deterministic: the same characters give the same bytes (sorted
code points, no timestamp), so an unchanged font is not rewritten.  The file
is generated like the article pages, and like them it is git-ignored.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from analysis.report.style import cjk_font_path

__all__ = ["FONT_FILE", "FAMILY", "ALWAYS", "text_characters", "source_characters", "subset_font",
           "font_characters"]

#: Where the font goes, relative to the book's sources (``book/``); book.css refers to it.
FONT_FILE = "_static/fonts/noto-sans-sc-subset.woff2"

#: The CSS family name that book.css gives the subset.
FAMILY = "Noto Sans SC"

#: Code points always kept: printable ASCII, Latin-1 punctuation and letters, general punctuation,
#: CJK symbols and punctuation, and the full-width forms.
ALWAYS: frozenset[int] = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2060), *range(0x3000, 0x3040),
     *range(0xFF01, 0xFF66)]
)


def text_characters(texts: Iterable[str]) -> set[str]:
    """The distinct characters of some texts.

    Parameters
    ----------
    texts : iterable of str

    Returns
    -------
    set of str
    """
    out: set[str] = set()
    for text in texts:
        out.update(text)
    return out


def _strings(value: object) -> Iterable[str]:
    """Every string inside a JSON value (keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def source_characters(paths: Iterable[Path]) -> set[str]:
    """The characters of some source files: every string of a notebook, the whole text of any other file.

    Parameters
    ----------
    paths : iterable of pathlib.Path
        Files and folders (read recursively, skipping hidden folders,
        ``_build`` and ``.ipynb_checkpoints``); missing paths are skipped.

    Returns
    -------
    set of str
        Notebooks are parsed as JSON, so ``\\uXXXX`` escapes count as the
        characters they stand for.  Files that are not UTF-8 are skipped.
    """
    out: set[str] = set()
    for path in paths:
        path = Path(path)
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for f in files:
            rel = f.relative_to(path) if path.is_dir() else Path(f.name)
            if any(part.startswith(".") or part in ("_build", "__pycache__") for part in rel.parts[:-1]):
                continue
            if f.suffix in (".woff2", ".png", ".jpg", ".pyc", ".otf", ".ttf", ".pdf"):
                continue
            try:
                text = f.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if f.suffix == ".ipynb":
                try:
                    out |= text_characters(_strings(json.loads(text)))
                except json.JSONDecodeError:
                    out.update(text)
            else:
                out.update(text)
    return out


def _code_points(chars: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted(ALWAYS | {ord(c) for c in chars if ord(c) >= 0x20}))


def subset_font(chars: Iterable[str], font_path: Path | None = None) -> bytes:
    """Noto Sans SC reduced to some characters, as WOFF2.

    Parameters
    ----------
    chars : iterable of str
        The characters to keep (plus :data:`ALWAYS`); characters the font
        lacks are ignored.
    font_path : pathlib.Path, optional
        The full font (default :func:`analysis.report.style.cjk_font_path`).

    Returns
    -------
    bytes
        The WOFF2 file, identical for identical inputs.

    Raises
    ------
    ImportError
        When ``brotli`` (needed for WOFF2) is not installed.
    """
    return _subset(_code_points(chars), str(font_path or cjk_font_path()))


@functools.lru_cache(maxsize=4)
def _subset(code_points: tuple[int, ...], font_path: str) -> bytes:
    try:
        import brotli  # noqa: F401 -- fontTools needs it to write WOFF2
    except ImportError as err:
        raise ImportError("the web font needs the package brotli (pip install brotli; see requirements.txt)") from err
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the OFL licence
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    font = TTFont(font_path, recalcTimestamp=False, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points)
    subsetter.subset(font)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def font_characters(data: bytes) -> frozenset[str]:
    """The characters that a font file (any flavour) maps to a glyph.

    Parameters
    ----------
    data : bytes
        The font file's bytes.

    Returns
    -------
    frozenset of str
    """
    font = TTFont(io.BytesIO(data))
    return frozenset(chr(cp) for cp in font.getBestCmap())
