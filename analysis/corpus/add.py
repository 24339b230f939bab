"""Register a new article in the raw corpus: ``python -m analysis add PATH``.

``data/raw`` is immutable except through this command.  :func:`add_article`

1. validates the file exactly as ``prepare`` will (UTF-8, size, front matter,
   boilerplate, Chinese body: :func:`analysis.corpus.load_article`) and
   checks that it duplicates no article already in the raw folder (same
   bytes or same clean text: :func:`analysis.corpus.load_corpus`);
2. copies it, byte for byte, to ``NNN_<sha16>.txt``, where ``NNN`` is the
   next free three-digit number and ``sha16`` the first 16 hex digits of
   the SHA-256 of its bytes (or to the name given with ``--name``);
3. adds its digest to ``MANIFEST.sha256`` (``sha256sum`` format, sorted by
   file name) and a provenance row to ``README.md``.

The three files change together or not at all: everything is staged in
temporary files first and renamed into place at the end, and on a failure
the previous manifest and README are restored.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from analysis import config
from analysis.corpus.document import CorpusError, Document
from analysis.corpus.ingest import load_article, load_corpus
from analysis.corpus.raw import raw_paths

__all__ = ["LICENCE_NOTE", "next_name", "provenance_row", "add_article"]

#: Licence note of an article added by a user (nobody has checked it yet).
LICENCE_NOTE = "unknown — check before publishing"

#: A raw file name: a number that orders the corpus, then a slug.
NAME_RE = re.compile(r"^(\d{3,})_[A-Za-z0-9][A-Za-z0-9_-]*\.txt$")

README_HEADER = (
    "# Raw articles (immutable)\n\n"
    "To add an article use `python -m analysis add PATH`, which updates this table and the manifest.\n\n"
    "| file | source site | URL | author | date | language / script | licence note |\n"
    "|---|---|---|---|---|---|---|\n"
)


def next_name(raw_dir: Path, data: bytes) -> str:
    """Return the default file name for new raw bytes: ``NNN_<sha16>.txt``.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw folder; ``NNN`` is one more than the highest number in it.
    data : bytes
        The article's bytes.

    Returns
    -------
    str
    """
    numbers = [int(m.group(1)) for p in Path(raw_dir).glob("*.txt") if (m := NAME_RE.match(p.name))]
    n = max(numbers, default=-1) + 1
    return f"{n:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def _cell(value: object, default: str) -> str:
    text = re.sub(r"\s+", " ", str(value)).strip() if value not in (None, "") else ""
    return (text or default).replace("|", "\\|")


def provenance_row(name: str, doc: Document) -> str:
    """The ``README.md`` table row of a new raw file.

    The source site is the URL's host (without ``www.``), or the ``source``
    harvested from the text when there is no URL.

    Parameters
    ----------
    name : str
        The file name in ``data/raw``.
    doc : analysis.corpus.document.Document
        The article, as loaded.

    Returns
    -------
    str
        One line of the provenance table (no line break).
    """
    url = doc.meta.get("url")
    host = ""
    if isinstance(url, str) and url.strip():
        try:
            host = (urlsplit(url.strip()).hostname or "").removeprefix("www.")
        except ValueError:
            host = ""
    site = host or doc.meta.get("source") or "unknown"
    script = doc.meta.get("script") or "unknown"
    cells = [
        name,
        _cell(site, "unknown"),
        _cell(url, "unknown"),
        _cell(doc.meta.get("author"), "unknown"),
        _cell(doc.meta.get("date"), "undated"),
        f"Chinese, {script}",
        LICENCE_NOTE,
    ]
    return "| " + " | ".join(cells) + " |"


def _manifest_text(raw_dir: Path, name: str, digest: str) -> str:
    path = raw_dir / "MANIFEST.sha256"
    entries: dict[str, str] = {}
    if path.exists():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            dig, _, fname = line.partition("  ")
            if len(dig) != 64 or not fname.strip():
                raise CorpusError(path, f"line {n} is not '<sha256>  <file>': fix the manifest first")
            entries[fname.strip()] = dig
    if name in entries:
        raise CorpusError(path, f"{name} is already listed in the manifest")
    entries[name] = digest
    return "".join(f"{entries[k]}  {k}\n" for k in sorted(entries))


def _readme_text(raw_dir: Path, row: str) -> str:
    path = raw_dir / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else README_HEADER
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("| file |")), None)
    if header is None:
        raise CorpusError(path, "has no provenance table (a line starting with '| file |')")
    end = header + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    # keep the table sorted by file name: insert before the first row that sorts after ours
    key = row.split("|")[1].strip()
    pos = next((i for i in range(header + 2, end) if lines[i].split("|")[1].strip() > key), end)
    lines.insert(pos, row)
    return "\n".join(lines) + "\n"


def _commit(files: list[tuple[Path, bytes]]) -> None:
    """Write several files so that all change or none does (best effort on rename failure)."""
    staged: list[tuple[str, Path]] = []
    backups: dict[Path, bytes | None] = {}
    try:
        for path, data in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            staged.append((tmp, path))
        for tmp, path in staged:
            backups[path] = path.read_bytes() if path.exists() else None
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for path, old in backups.items():
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        raise


def add_article(path: Path, raw_dir: Path = config.RAW_DIR, *, name: str | None = None) -> str:
    """Validate an article and register it in the raw corpus.

    Parameters
    ----------
    path : pathlib.Path
        The new article: UTF-8 text with optional YAML front matter
        (``title``, ``name`` = author, ``url``, ``time``).
    raw_dir : pathlib.Path, default ``data/raw``
        The raw corpus folder (with ``MANIFEST.sha256`` and ``README.md``).
    name : str, optional
        File name in ``raw_dir``; must look like ``NNN_slug.txt`` so that it
        sorts with the corpus and the book's table of contents finds its
        page.  Default: :func:`next_name`.

    Returns
    -------
    str
        The new article id (the file name without ``.txt``).

    Raises
    ------
    CorpusError
        Naming the file and the problem: unreadable or invalid article,
        duplicate of an existing article, bad or taken name.  Nothing in
        ``raw_dir`` changes.
    """
    path, raw_dir = Path(path), Path(raw_dir)
    if not raw_dir.is_dir():
        raise CorpusError(raw_dir, "raw directory does not exist")
    doc = load_article(path)  # encoding, size, front matter, boilerplate, Chinese
    data = path.read_bytes()
    in_place = path.resolve().parent == raw_dir.resolve()
    existing = [p for p in raw_paths(raw_dir) if not (in_place and p.resolve() == path.resolve())]
    load_corpus([*existing, path])  # duplicates, by bytes and by clean text (raises naming `path`)
    if name is None:
        name = path.name if in_place and NAME_RE.match(path.name) else next_name(raw_dir, data)
    elif not NAME_RE.match(name):
        raise CorpusError(path, f"--name {name!r} must look like NNN_slug.txt (digits, '_', then letters, "
                                "digits, '_' or '-')")
    target = raw_dir / name
    if target.exists() and not (in_place and target.resolve() == path.resolve()):
        raise CorpusError(path, f"{name} already exists in {raw_dir}")
    doc.article_id = target.stem
    manifest = _manifest_text(raw_dir, name, doc.sha256)
    readme = _readme_text(raw_dir, provenance_row(name, doc))
    files = [(raw_dir / "MANIFEST.sha256", manifest.encode()), (raw_dir / "README.md", readme.encode())]
    if target.resolve() != path.resolve():
        files.insert(0, (target, data))
    _commit(files)
    if in_place and target.resolve() != path.resolve():
        path.unlink()  # registered under its canonical name
    return target.stem
