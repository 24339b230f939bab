"""`python -m analysis add`: validation, naming, manifest and README, atomicity, end to end."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import snapshot

from analysis import catalog, config
from analysis.corpus import CorpusError
from analysis.corpus.add import LICENCE_NOTE, add_article, next_name
from analysis.corpus.manifest import manifest_entries, verify_manifest

NEW = (
    "---\ntitle: 来往的第二春\nname: 测试作者\nurl: https://www.example.com/news/42\ntime: 2014-03-01 09:00\n---\n"
    "来往在二零一四年推出了新版本，阿里巴巴希望它能追上微信。\n\n"
    "作者认为，来往应该专注于熟人社交，而不是强推员工拉好友。微信已经有六亿用户。\n"
)


@pytest.fixture()
def raw_copy(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    return raw


@pytest.fixture()
def new_article(tmp_path):
    path = tmp_path / "incoming" / "new.txt"
    path.parent.mkdir()
    path.write_text(NEW, encoding="utf-8")
    return path


def test_add_copies_and_registers(raw_copy, new_article):
    data = new_article.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    n_before = len(list(raw_copy.glob("*.txt")))
    article_id = add_article(new_article, raw_copy)
    assert article_id == f"{n_before:03d}_{digest[:16]}"
    target = raw_copy / f"{article_id}.txt"
    assert target.read_bytes() == data  # byte for byte
    entries = manifest_entries(raw_copy)
    assert entries[target.name] == digest
    lines = (raw_copy / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines, key=lambda s: s.split("  ")[1])
    assert verify_manifest(raw_copy) == []
    readme = (raw_copy / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {target.name} |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells == [target.name, "example.com", "https://www.example.com/news/42", "测试作者", "2014-03-01",
                     "Chinese, Simplified", LICENCE_NOTE]
    # the new row is the last of the (sorted) table, right after the previous last article
    table = [line for line in readme.splitlines() if line.startswith("| 0")]
    assert table[-1] == row and len(table) == n_before + 1


def test_add_with_name_and_in_place(raw_copy, new_article):
    assert add_article(new_article, raw_copy, name="007_my-article.txt") == "007_my-article"
    assert next_name(raw_copy, b"x").startswith("008_")
    # a file dropped into raw/ by hand is registered under the standard name
    dropped = raw_copy / "dropped.txt"
    dropped.write_text(NEW.replace("六亿", "七亿").replace("第二春", "第三春"), encoding="utf-8")
    aid = add_article(dropped, raw_copy)
    assert aid.startswith("008_") and not dropped.exists()
    assert verify_manifest(raw_copy) == []


GBK = "来往是阿里巴巴的移动社交产品。".encode("gbk")


@pytest.mark.parametrize(
    "case, content, message",
    [
        ("gbk", GBK, "not valid UTF-8"),
        ("english", b"An English text with no Chinese at all.\n", "no Chinese text"),
        ("duplicate", None, "duplicate article: same content as 000_894ec759923b97ab.txt"),
        ("bad_name", NEW.encode(), "must look like NNN_slug.txt"),
        ("taken_name", NEW.encode(), "already exists"),
    ],
)
def test_bad_input_changes_nothing(raw_copy, tmp_path, case, content, message):
    path = tmp_path / f"{case}.txt"
    path.write_bytes(content if content is not None else (config.RAW_DIR / "000_894ec759923b97ab.txt").read_bytes())
    name = {"bad_name": "../evil.txt", "taken_name": "001_c2455d1e5c66a38c.txt"}.get(case)
    before = snapshot(raw_copy)
    with pytest.raises(CorpusError) as err:
        add_article(path, raw_copy, name=name)
    assert path.name in str(err.value)
    assert message in str(err.value)
    assert snapshot(raw_copy) == before


def test_failed_commit_rolls_back(raw_copy, new_article, monkeypatch):
    """A failure while renaming into place restores the manifest and README."""
    before = snapshot(raw_copy)
    real_replace = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="disk full"):
        add_article(new_article, raw_copy)
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(raw_copy) == before


def test_cli_add_reports_errors(raw_copy, tmp_path, capsys):
    from analysis.cli import main

    path = tmp_path / "gbk.txt"
    path.write_bytes(GBK)
    assert main(["add", str(path), "--raw", str(raw_copy)]) == 1
    err = capsys.readouterr().err
    assert "error: gbk.txt: not valid UTF-8" in err and "iconv" in err


# ---------------------------------------------------------------------------
# end to end, in a copy of the project
# ---------------------------------------------------------------------------
IGNORE = shutil.ignore_patterns(".venv", "_build", ".cache", ".git", ".ruff_cache", "__pycache__", ".pytest_cache",
                                "*.egg-info", "node_modules", "results")


def _run(copy: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
           "ANALYSIS_CACHE_DIR": str(copy / ".cache"), "MPLCONFIGDIR": str(copy / ".cache" / "matplotlib")}
    proc = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"`python -m analysis {' '.join(args)}` failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.mark.slow
def test_add_then_pipeline_end_to_end(tmp_path):
    copy = tmp_path / "proj"
    shutil.copytree(config.PROJ_ROOT, copy, ignore=IGNORE)
    for generated in (copy / "data" / "processed", copy / "book" / "articles"):
        shutil.rmtree(generated, ignore_errors=True)
    # the copy, not the original, is imported
    where = _run(copy, "--help")
    assert "add" in where.stdout
    probe = subprocess.run([sys.executable, "-c", "import analysis.config as s; print(s.PROJ_ROOT)"], cwd=copy,
                           env={**os.environ, "PYTHONPATH": str(copy)}, capture_output=True, text=True, check=True)
    assert Path(probe.stdout.strip()) == copy

    article = tmp_path / "mine.txt"
    article.write_text(NEW, encoding="utf-8")
    out = _run(copy, "add", str(article))
    aid = f"005_{hashlib.sha256(article.read_bytes()).hexdigest()[:16]}"
    assert f"{aid}.txt" in out.stdout
    raw = copy / "data" / "raw"
    assert (raw / f"{aid}.txt").read_bytes() == article.read_bytes()
    assert verify_manifest(raw) == []

    # bad input through the CLI: a GBK file and a duplicate leave raw/ and the manifest alone
    before = snapshot(raw)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(GBK)
    dup = tmp_path / "dup.txt"
    dup.write_bytes(article.read_bytes())
    for bad, msg in ((gbk, "not valid UTF-8"), (dup, f"duplicate article: same content as {aid}.txt")):
        proc = _run(copy, "add", str(bad), check=False)
        assert proc.returncode == 1 and f"{bad.name}: {msg}" in proc.stderr
        assert snapshot(raw) == before

    _run(copy, "all")
    processed = copy / "data" / "processed"
    corpus = catalog.load("corpus", processed)
    assert aid in set(corpus["article_id"])
    assert corpus.set_index("article_id").loc[aid, "title"] == "来往的第二春"
    claims = catalog.load("claims", processed)
    mine = claims[claims["article_id"] == aid]
    assert len(mine) >= 3 and mine["claim_id"].iloc[0] == f"{aid}:0"
    page = copy / "book" / "articles" / f"{aid}.md"
    assert page.exists()
    text = page.read_text(encoding="utf-8")
    assert all(f'id="s-{aid}-{n}"' in text for n in range(len(mine)))
    assert f'href="{aid}.html"' in (copy / "book" / "articles" / "index.md").read_text(encoding="utf-8")
    stance = catalog.load("strategy_stance", processed)
    assert aid in set(stance["article_id"])
    authors = catalog.load("authors", processed)
    assert aid in set(authors["article_id"])
