"""Add an article, then `make book`: every chapter, not just the new page, follows the data.

Sphinx does not re-read a notebook whose source is unchanged, so a plain
incremental ``jb build`` after ``python -m analysis add`` used to publish the
new article page beside chapters that still described five articles.  The
Makefile now rebuilds every page (``--all``) when the data or the package
changed since the last successful build.

The test works in a copy of the project (the files git sees, tracked or new,
and the venv through a symlink).  ``make -o .venv/.installed`` keeps make from
reinstalling into the shared venv, and ``PYTHONPATH`` makes the pipeline and
the notebook kernels import the copy's package.

The stance matrix of the "argue" chapter is a PNG, so the test checks the
``strategy_stance`` artefact that it is drawn from, and that the chapter's
figures were drawn again (their content-hashed image files changed).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import catalog, config

NEW = (
    "---\ntitle: 来往的第二春\nname: 测试作者\nurl: https://www.example.com/news/42\ntime: 2014-03-01 09:00\n---\n"
    "来往在二零一四年推出了新版本，阿里巴巴希望它能追上微信。\n\n"
    "作者认为，来往应该专注于熟人社交，而不是强推员工拉好友。微信已经有六亿用户。\n\n"
    "阿里巴巴必须给来往更多时间，否则它会失败，因为微信的关系链太强。\n"
)

pytestmark = pytest.mark.slow


def _project_files() -> list[str]:
    """The files git sees in the working tree: tracked, or new and not ignored."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=config.PROJ_ROOT, capture_output=True, check=True).stdout
    return sorted({f for f in out.decode().split("\0") if f and (config.PROJ_ROOT / f).is_file()})


def _copy_project(dest: Path) -> Path:
    for rel in _project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(config.PROJ_ROOT / rel, target)
    (dest / ".venv").symlink_to(config.PROJ_ROOT / ".venv", target_is_directory=True)
    return dest


def _env(copy: Path) -> dict[str, str]:
    # no MPLBACKEND: the notebook kernels must keep their inline backend, or the figures vanish
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_", "MPLBACKEND"))}
    return {**env, "PYTHONPATH": str(copy), "PYTHONHASHSEED": "0", "ANALYSIS_CACHE_DIR": str(copy / ".cache")}


def _make(copy: Path, *targets: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(["make", "-o", ".venv/.installed", *targets], cwd=copy, env=_env(copy),
                          capture_output=True, text=True, timeout=1500, check=False)
    assert proc.returncode == 0, f"make {' '.join(targets)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _articles_in_corpus_chapter(html: str) -> list[str]:
    """Article ids linked from the rows of the corpus chapter's table of articles."""
    return sorted(set(re.findall(r'<td[^>]*>\s*<a [^>]*href="articles/(\d{3}_[0-9a-z_-]+)\.html', html)))


def _images(html: str) -> set[str]:
    return set(re.findall(r'<img [^>]*src="([^"]+\.png)"', html))


def test_add_then_make_book_updates_every_chapter(tmp_path):
    copy = _copy_project(tmp_path / "proj")
    html = copy / "_build" / "html" / "book"
    processed = copy / "data" / "processed"

    _make(copy, "book")
    before_corpus = (html / "corpus.html").read_text(encoding="utf-8")
    before_argue = (html / "argue.html").read_text(encoding="utf-8")
    assert len(_articles_in_corpus_chapter(before_corpus)) == 5, "the corpus table's rows were not found"

    article = tmp_path / "new.txt"
    article.write_text(NEW, encoding="utf-8")
    added = subprocess.run([sys.executable, "-m", "analysis", "add", str(article)], cwd=copy, env=_env(copy),
                           capture_output=True, text=True, timeout=120, check=False)
    assert added.returncode == 0, added.stderr
    aid = f"005_{hashlib.sha256(article.read_bytes()).hexdigest()[:16]}"

    build = _make(copy, "book")
    assert "every page is re-read" in build.stdout and "jb build . -n --keep-going --all" in build.stdout

    # the new page, and the corpus chapter's table with six articles
    assert (html / "articles" / f"{aid}.html").exists()
    corpus_html = (html / "corpus.html").read_text(encoding="utf-8")
    listed = _articles_in_corpus_chapter(corpus_html)
    assert len(listed) == 6 and aid in listed, listed

    # the claims explorer holds the new article's claims, linked to their sentences
    claims = catalog.load("claims", processed)
    mine = claims[claims["article_id"] == aid]
    assert len(mine) >= 3
    explorer = (html / "evidence" / "claims.html").read_text(encoding="utf-8")
    for n in range(len(mine)):
        assert f"{aid}.html#s-{aid}-{n}" in explorer, f"claim {aid}:{n} is not in the claims explorer"
    # the argue chapter's stance table has a column for it, machine-coded and marked as not checked
    argue_html = (html / "argue.html").read_text(encoding="utf-8")
    assert "machine-coded, not checked" in argue_html

    # the stance matrix (a PNG) is drawn from strategy_stance, which has a column for the new article,
    # and the chapter's figures were drawn again
    stance = catalog.load("strategy_stance", processed)
    assert aid in set(stance["article_id"])
    assert set(pd.unique(stance["article_id"])) == set(catalog.load("corpus", processed)["article_id"])
    assert _images(argue_html) and _images(argue_html) != _images(before_argue)

    # a build with nothing changed reuses everything
    again = _make(copy, "book")
    assert "every page is re-read" not in again.stdout and "--all" not in again.stdout
