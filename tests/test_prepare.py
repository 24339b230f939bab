"""`prepare` on good and bad input: clear errors, atomic output, determinism."""

from __future__ import annotations

import shutil

import pytest
from helpers import run_stages, snapshot

from analysis import catalog, config
from analysis.cli import main
from analysis.corpus import CorpusError

GOOD = "---\ntitle: 测试\nname: tester\ntime: 2014-01-02 10:00\n---\n来往是阿里巴巴的移动社交产品。微信已经有4亿用户。\n"


def prepare(raw, out, **kwargs):
    """The ``prepare`` stage alone, from ``raw`` into the processed folder ``out``."""
    return run_stages(["prepare"], out, raw=raw, **kwargs)


def record(out, article_id):
    return catalog.path("documents", out) / f"{article_id}.json"


@pytest.fixture()
def corpus_dir(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(config.RAW_DIR.glob("*.txt"))[:2]:
        shutil.copy(p, raw / p.name)
    out = tmp_path / "processed"
    prepare(raw, out)
    return raw, out


BAD_CASES = {
    "gbk": ("来往是阿里巴巴的产品。".encode("gbk"), "not valid UTF-8"),
    "empty": (b"", "file is empty"),
    "blank": (b"  \n\n ", "file is empty"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "front_matter_only": ("---\ntitle: 空\n---\n\n".encode(), "front matter but no body"),
    "broken_yaml": ("---\ntitle: [unclosed\nname: x\n---\n来往是产品。\n".encode(), "broken YAML front matter"),
    "unclosed_front_matter": ("---\ntitle: x\n来往是产品。\n".encode(), "never closed"),
    "all_boilerplate": ("转载请注明:网创网 www.example.cn/1.html\n发表评论\n暂无评论\n".encode(), "all boilerplate"),
    "no_chinese": (b"This article is entirely in English, with no Chinese at all.\n", "no Chinese"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_fails_clearly_and_atomically(corpus_dir, case):
    raw, out = corpus_dir
    before = snapshot(out)
    data, message = BAD_CASES[case]
    (raw / f"zz_{case}.txt").write_bytes(data)
    with pytest.raises(CorpusError) as err:
        prepare(raw, out)
    assert f"zz_{case}.txt" in str(err.value)
    assert message in str(err.value)
    assert snapshot(out) == before
    # nothing is left beside the processed folder but the lock file
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == [".processed.lock"]


def test_oversized_file(corpus_dir, monkeypatch):
    raw, out = corpus_dir
    before = snapshot(out)
    monkeypatch.setattr(config, "MAX_ARTICLE_BYTES", 13_000)
    (raw / "zz_big.txt").write_text("来往" * 4000, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"zz_big\.txt: file is .* over the"):
        prepare(raw, out)
    assert snapshot(out) == before


def test_exact_duplicate(corpus_dir):
    raw, out = corpus_dir
    before = snapshot(out)
    first = sorted(raw.glob("*.txt"))[0]
    shutil.copy(first, raw / "zz_copy.txt")
    with pytest.raises(CorpusError, match=rf"zz_copy\.txt: duplicate article: same content as {first.name}"):
        prepare(raw, out)
    assert snapshot(out) == before


def test_duplicate_with_other_front_matter(corpus_dir):
    raw, out = corpus_dir
    (raw / "a_new.txt").write_text(GOOD, encoding="utf-8")
    (raw / "b_new.txt").write_text(GOOD.replace("tester", "someone else"), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"b_new\.txt: duplicate article"):
        prepare(raw, out)


def test_skip_bad_warns_and_continues(corpus_dir, capsys):
    raw, out = corpus_dir
    (raw / "zz_empty.txt").write_bytes(b"")
    (raw / "zz_new.txt").write_text(GOOD, encoding="utf-8")
    assert main(["prepare", "--raw", str(raw), "--out", str(out), "--book", str(out.parent / "book"), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "zz_empty.txt: file is empty" in captured.err
    assert "1 skipped" in captured.out
    assert record(out, "zz_new").exists()
    assert not record(out, "zz_empty").exists()


def test_cli_reports_error_and_exit_code(corpus_dir, capsys):
    raw, out = corpus_dir
    (raw / "zz_gbk.txt").write_bytes("阿里".encode("gbk"))
    assert main(["prepare", "--raw", str(raw), "--out", str(out), "--book", str(out.parent / "book")]) == 1
    err = capsys.readouterr().err
    assert "zz_gbk.txt" in err and "GB18030" in err


def test_removed_article_record_is_dropped(corpus_dir):
    raw, out = corpus_dir
    victim = sorted(raw.glob("*.txt"))[0]
    victim.unlink()
    prepare(raw, out)
    assert not record(out, victim.stem).exists()
    assert victim.stem not in set(catalog.load("corpus", out)["article_id"])


def test_two_runs_byte_identical(tmp_path):
    a, b = tmp_path / "a" / "processed", tmp_path / "b" / "processed"
    prepare(config.RAW_DIR, a)
    prepare(config.RAW_DIR, b)
    assert snapshot(a) == snapshot(b)
    names = sorted(snapshot(a))
    assert names == ["01_corpus/articles/" + p.stem + ".json" for p in sorted(config.RAW_DIR.glob("*.txt"))] + [
        "01_corpus/corpus.csv"]


def test_corpus_table_matches_catalogue(corpus_dir):
    _, out = corpus_dir
    corpus = catalog.load("corpus", out)
    assert list(corpus.columns) == catalog.artefact("corpus").column_names
    assert corpus["n_chars_clean"].dtype == "int64"
    assert sorted(corpus["article_id"]) == sorted(p.stem for p in catalog.path("documents", out).glob("*.json"))
