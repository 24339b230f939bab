"""The landing page's citation (analysis.report.cite): the BibTeX entry, its version note, the PDF link."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from analysis import config
from analysis.report import cite

META = {"title": "Laiwang vs WeChat: a {test} analysis", "author": "The Laiwang book team"}
VERSION = cite.Version("abc1234", "2026-11-20", False, "2026-11-26")


def _fields(entry: str) -> dict[str, str]:
    return {k: " ".join(v.split()) for k, v in re.findall(r"^\s+(\w+)\s+= \{\{(.*?)\}\},?$", entry, re.M | re.S)}


def test_bibtex_entry_has_the_fields_and_no_invented_url():
    entry = cite.bibtex(META, VERSION)
    assert entry.startswith("@misc{laiwang-wechat-book-2026,\n") and entry.endswith("\n}")
    fields = _fields(entry)
    assert fields == {
        "title": "Laiwang vs WeChat: a test analysis",  # braces removed: they would unbalance the entry
        "author": "The Laiwang book team",
        "year": "2026",
        "howpublished": "Jupyter Book (HTML and PDF), built from code",
        "note": "Version abc1234 of 2026-11-20, built 2026-11-26",
    }
    assert all(len(line) <= cite.WIDTH for line in entry.splitlines())
    assert entry.count("{") == entry.count("}")


def test_version_note_says_dirty_or_outside_git():
    assert "(with uncommitted changes)" in cite.Version("abc1234", "2026-11-20", True, "2026-11-26").note()
    outside = cite.Version("", "", False, "2026-11-26")
    assert outside.note() == "Built 2026-11-26 from sources outside git" and outside.year == "2026"


def test_version_outside_a_checkout(tmp_path):
    ver = cite.version(tmp_path, today=dt.date(2030, 1, 2))
    assert ver == cite.Version("", "", False, "2030-01-02")


@pytest.mark.skipif(shutil.which("git") is None or not (config.PROJ_ROOT / ".git").exists(), reason="no git checkout")
def test_version_of_this_checkout_is_computed():
    head = subprocess.run(["git", "-C", str(config.PROJ_ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ver = cite.version()
    assert ver.commit == head and re.fullmatch(r"\d{4}-\d\d-\d\d", ver.commit_date)


def test_metadata_comes_from_the_config(tmp_path):
    assert cite.book_metadata()["author"]
    bad = tmp_path / "_config.yml"
    bad.write_text("title: A book\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no author"):
        cite.book_metadata(bad)


def test_cite_block_is_a_fenced_bibtex_block():
    text = cite.cite_block(META, VERSION).text
    assert text.startswith("```bibtex\n@misc{") and text.endswith("\n```")


def test_pdf_link_is_relative_and_escaped():
    html = cite.pdf_link(1).text
    assert 'href="../pdf/laiwang-book.pdf"' in html
    assert 'href="../../pdf/laiwang-book.pdf"' in cite.pdf_link(2).text


def test_sphinx_extension_refreshes_the_entry_and_rereads_the_page():
    from types import SimpleNamespace

    from docutils import nodes
    from docutils.utils import new_document

    from analysis.report import cite_sphinx

    doc = new_document("intro")
    stale = "@misc{laiwang-wechat-book-2020,\n  note = {{Version 0000000 of 2020-01-01, built 2020-01-01}}\n}"
    doc += nodes.literal_block(stale, stale)
    doc += nodes.literal_block("print('other')", "print('other')")
    app = SimpleNamespace(env=SimpleNamespace(docname=cite_sphinx.CITE_PAGE, found_docs={cite_sphinx.CITE_PAGE}))
    cite_sphinx._fresh_entry(app, doc)
    blocks = [n.astext() for n in doc.findall(nodes.literal_block)]
    assert blocks == [cite.bibtex(), "print('other')"]
    assert cite_sphinx._always_outdated(app, app.env, set(), set(), set()) == [cite_sphinx.CITE_PAGE]
    doc += nodes.literal_block(stale, stale)  # two entries: the page changed, fail loudly
    with pytest.raises(RuntimeError, match="expected one BibTeX entry"):
        cite_sphinx._fresh_entry(app, doc)
