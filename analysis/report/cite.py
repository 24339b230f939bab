"""The landing page's "Cite this book" entry (BibTeX) and its link to the PDF edition.

The title and the authors come from ``_config.yml``; the version (the git
commit the book was built from, its date, and the build date) is computed when
the page is executed, never typed.  There is no public URL for the book, so the
entry has none: ``howpublished`` says what it is, and ``note`` which version.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import config
from analysis.report.display import Markdown
from analysis.report.escape import esc

__all__ = ["PDF_NAME", "PDF_SITE_PATH", "Version", "book_metadata", "version", "bibtex", "cite_block", "pdf_link"]

#: The PDF edition's file name (``make pdf`` writes ``_build/pdf/`` and copies it into the site).
PDF_NAME = "laiwang-book.pdf"
#: Where the PDF sits in the built site, relative to its root.
PDF_SITE_PATH = f"pdf/{PDF_NAME}"
#: The BibTeX entry's longest line (the code block does not scroll sideways).
WIDTH = 78


@dataclass(frozen=True)
class Version:
    """Which state of the sources a build comes from.

    Parameters
    ----------
    commit : str
        The short hash of ``HEAD`` (``""`` outside a git checkout).
    commit_date : str
        Its committer date, ``YYYY-MM-DD`` (``""`` when unknown).
    dirty : bool
        Whether tracked files differ from the commit.
    built : str
        The build date (UTC), ``YYYY-MM-DD``.
    """

    commit: str
    commit_date: str
    dirty: bool
    built: str

    @property
    def year(self) -> str:
        """The year to cite: the commit's, else the build's."""
        return (self.commit_date or self.built)[:4]

    def note(self) -> str:
        """One line: ``Version 43965ec of 2026-11-26 (with uncommitted changes), built 2026-11-26``."""
        if not self.commit:
            return f"Built {self.built} from sources outside git"
        dirty = " (with uncommitted changes)" if self.dirty else ""
        return f"Version {self.commit} of {self.commit_date}{dirty}, built {self.built}"


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def version(root: Path = config.PROJ_ROOT, today: dt.date | None = None) -> Version:
    """The git version of the sources in ``root`` and today's date.

    Parameters
    ----------
    root : pathlib.Path, optional
        The checkout (default: the project).
    today : datetime.date, optional
        The build date (default: today, UTC).

    Returns
    -------
    Version
        With an empty commit when ``root`` is not a git checkout or git is missing.
    """
    built = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    commit = _git(root, "rev-parse", "--short", "HEAD")
    if not commit:
        return Version("", "", False, built)
    date = _git(root, "log", "-1", "--format=%cs", "HEAD")
    dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
    return Version(commit, date, dirty, built)


def book_metadata(config_file: Path = config.PROJ_ROOT / "_config.yml") -> dict[str, str]:
    """The book's title and author, from the Jupyter Book configuration.

    Parameters
    ----------
    config_file : pathlib.Path, optional
        ``_config.yml``.

    Returns
    -------
    dict
        ``{"title": ..., "author": ...}``.

    Raises
    ------
    ValueError
        When either is missing.
    """
    data = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    out = {key: str(data.get(key) or "").strip() for key in ("title", "author")}
    missing = [k for k, v in out.items() if not v]
    if missing:
        raise ValueError(f"{config_file}: no {' or '.join(missing)} to cite")
    return out


def _bib_value(text: str) -> str:
    """A BibTeX field value in double braces (kept verbatim: no case change, no name parsing)."""
    clean = re.sub(r"[{}\\]", "", text)  # unbalanced braces or a backslash would break the entry
    return "{{" + " ".join(clean.split()) + "}}"


def bibtex(meta: dict[str, str] | None = None, ver: Version | None = None) -> str:
    """The BibTeX entry of the book (a ``@misc``).

    Parameters
    ----------
    meta : dict, optional
        :func:`book_metadata` output.
    ver : Version, optional
        :func:`version` output.

    Returns
    -------
    str
        The entry, one field a line.
    """
    meta = book_metadata() if meta is None else meta
    ver = version() if ver is None else ver
    fields = {
        "title": meta["title"],
        "author": meta["author"],
        "year": ver.year,
        "howpublished": "Jupyter Book (HTML and PDF), built from code",
        "note": ver.note(),
    }
    body = ",\n".join(textwrap.fill(f"  {name:<12} = {_bib_value(value)}", width=WIDTH - 1, subsequent_indent=" " * 18,
                                     break_long_words=False, break_on_hyphens=False)
                       for name, value in fields.items())
    return f"@misc{{laiwang-wechat-book-{ver.year},\n{body}\n}}"


def cite_block(meta: dict[str, str] | None = None, ver: Version | None = None) -> Markdown:
    """The entry as a fenced ``bibtex`` code block (the site adds a copy button to it).

    Parameters
    ----------
    meta : dict, optional
        :func:`book_metadata` output.
    ver : Version, optional
        :func:`version` output.

    Returns
    -------
    Markdown
    """
    entry = bibtex(meta, ver)
    longest = max((len(m) for m in re.findall(r"`+", entry)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markdown(f"{fence}bibtex\n{entry}\n{fence}")


def pdf_link(page_depth: int = 1) -> Markdown:
    """The landing page's link to the PDF edition, relative (it works from ``file://`` and on a server).

    Parameters
    ----------
    page_depth : int, default 1
        How many folders below the site root the linking page sits (``book/intro.html``: 1).

    Returns
    -------
    Markdown
        One paragraph of inline HTML (a MyST link to a file that does not exist yet, at build
        time, would be a warning).
    """
    href = "../" * page_depth + PDF_SITE_PATH
    return Markdown(f'<p class="pdf-edition"><a class="reference external" href="{esc(href)}">'
                    f"Download the whole book as one PDF</a> ({esc(PDF_NAME)}).</p>")
