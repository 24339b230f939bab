"""Cleaning steps, checked on the real articles; raw-file checks and the boilerplate lexicon on small files."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata

import opencc
import pytest

from analysis import catalog, config, lexicon, stages
from analysis.corpus.document import CorpusError, Document, decode_offsets, encode_offsets
from analysis.corpus.ingest import (
    PINYIN_GLOSS,
    boilerplate_patterns,
    detect_script,
    load_article,
    load_corpus,
)
from analysis.corpus.manifest import verify_manifest
from analysis.corpus.raw import REPLACEMENT_CHAR, decode_raw


def test_raw_data_matches_manifest():
    assert verify_manifest(config.RAW_DIR) == []


def test_five_articles(raw_files):
    assert len(raw_files) == 5


@pytest.mark.parametrize("key,phrase", [
    ("000", "最近的微信朋友圈已经被厂内人士刷爆"),
    ("000", "阿里和腾讯这一局"),
    ("001", "面对用户量已经突破4亿的微信"),
    ("001", "阿里巴巴财大气粗"),
])
def test_duplicated_body_kept_once(docs, key, phrase):
    raw = docs[key].raw_text
    assert raw.count(phrase) == 2  # the raw file really has it twice
    assert docs[key].text.count(phrase) == 1


def test_run_on_block_headings_recovered(docs):
    # "移动产品居然不在移动端推？" exists only inside the run-on block of 000
    d = docs["000"]
    assert d.raw_text.count("移动产品居然不在移动端推") == 1
    assert "移动产品居然不在移动端推?" in d.text.split("\n\n")


def test_front_matter_metadata(docs):
    d = docs["000"]
    assert d.meta["author"] == "yangduan"
    assert d.meta["date"] == "2013-10-22"
    assert d.meta["url"].startswith("https://www.huxiu.com/")
    assert "layout:" not in d.text


def test_traditional_article_converted(docs):
    d = docs["002"]
    assert d.meta["script"] == "Traditional"
    assert detect_script(d.text) == "Simplified"
    assert "來往" in d.raw_text and "來往" not in d.text and "来往" in d.text


def test_pinyin_glosses_stripped(docs):
    d = docs["002"]
    assert len(PINYIN_GLOSS.findall(d.raw_text)) > 20
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", d.text)
    assert "园区的1号楼" in d.text


@pytest.mark.parametrize("key,gone", [
    ("003", "转载请注明"),
    ("003", "ICP"),
    ("003", "暂无评论"),
    ("003", "浏览"),
    ("004", "援引自互联网"),
    ("004", "作者:贾伟勃"),
    ("001", "订阅请搜索公共微信号"),
])
def test_boilerplate_removed(docs, key, gone):
    assert gone in docs[key].raw_text
    assert gone not in docs[key].text


def test_boilerplate_metadata_harvested(docs):
    assert docs["004"].meta["author"] == "贾伟勃"
    assert docs["003"].meta["source"] == "网创网"
    assert docs["002"].meta["author"] == "Alex Hsu"


def test_nfkc_applied(docs):
    # 000 uses full-width punctuation; NFKC folds it
    assert "，" in docs["000"].raw_text
    assert "，" not in docs["000"].text


def test_every_clean_char_maps_back(docs):
    t2s = opencc.OpenCC("t2s")
    for d in docs.values():
        assert len(d.offsets) == len(d.text)
        for a, b in d.paragraphs():  # cleaning never reorders text inside a paragraph
            assert d.offsets[a:b] == sorted(d.offsets[a:b])
        for i, ch in enumerate(d.text):
            if ch == "\n":
                continue
            raw = d.raw_text[d.offsets[i]]
            # the clean character is the raw one after NFKC and t2s
            assert ch == raw or ch in t2s.convert(unicodedata.normalize("NFKC", raw)), (d.article_id, i)


def test_raw_span_quotes_exactly(docs):
    d = docs["002"]
    i = d.text.index("马云")
    a, b = d.raw_span(i, i + 2)
    assert d.raw_text[a:b] == "馬云"
    with pytest.raises(ValueError):
        d.raw_span(5, 5)


def test_offset_run_length_roundtrip(docs):
    for d in docs.values():
        assert decode_offsets(encode_offsets(d.offsets)) == d.offsets


def test_record_roundtrip(docs):
    d = docs["003"]
    back = Document.from_record(d.to_record(), d.raw_text)
    assert back.text == d.text and back.offsets == d.offsets and back.meta == d.meta


def test_cleaning_report_counts(docs):
    assert docs["000"].report["duplicates"] > 1000
    assert docs["002"].report["pinyin"] > 100
    assert docs["003"].report["boilerplate"] > 0
    assert docs["000"].report["front_matter"] > 0
    assert docs["002"].report["t2s_changed"] > 100


# -- lossy decodes: U+FFFD replacement characters ----------------------------------
ARTICLE = "---\ntitle: 测试\n---\n" + "来往是阿里巴巴的移动社交产品。微信已经有4亿用户。\n" * 40


def _with_replacements(n: int) -> str:
    """The test article with ``n`` of its Han characters replaced by U+FFFD."""
    chars = list(ARTICLE)
    han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for i in han[5 : 5 + n]:
        chars[i] = REPLACEMENT_CHAR
    return "".join(chars)


def test_real_articles_hold_no_replacement_character(raw_files):
    for path in raw_files:
        assert REPLACEMENT_CHAR not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize(("n", "ok"), [(0, True), (2, True), (3, False), (40, False)])
def test_replacement_characters_over_the_limit_are_rejected(tmp_path, n, ok):
    # 40 lines of 27 characters plus the front matter: 0.1% is about one character, so the floor of 2 rules
    text = _with_replacements(n)
    assert text.count(REPLACEMENT_CHAR) == n and max(2, 0.001 * len(text)) < 3
    path = tmp_path / "lossy.txt"
    path.write_text(text, encoding="utf-8")
    if ok:
        assert decode_raw(path, path.read_bytes()) == text
        assert load_article(path).article_id == "lossy"
        return
    with pytest.raises(CorpusError, match=rf"^lossy\.txt: {n} U\+FFFD replacement characters \(an earlier lossy decode\?\)"):
        load_article(path)


def test_replacement_limit_scales_with_length(tmp_path):
    long = ARTICLE + "来往是阿里巴巴的移动社交产品。\n" * 400  # over 7000 characters: up to 7 are tolerated
    n_chars = len(long)
    assert 7 <= 0.001 * n_chars < 8
    path = tmp_path / "long.txt"
    path.write_text(long.replace("阿", REPLACEMENT_CHAR, 7), encoding="utf-8")
    assert load_article(path).text
    path.write_text(long.replace("阿", REPLACEMENT_CHAR, 8), encoding="utf-8")
    with pytest.raises(CorpusError, match="8 U\\+FFFD"):
        load_article(path)


def test_load_corpus_skips_a_lossy_file(tmp_path):
    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad.write_text(_with_replacements(5), encoding="utf-8")
    warned: list[Exception] = []
    docs, errors = load_corpus([good, bad], skip_bad=True, warn=warned.append)
    assert [d.article_id for d in docs] == ["a"]
    assert warned == errors and "b.txt: 5 U+FFFD" in str(errors[0])


def _files(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def lossy_raw(tmp_path):
    """A copy of the raw corpus plus one article with 5 replacement characters."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(config.RAW_DIR.glob("*.txt")):
        shutil.copy(p, raw / p.name)
    (raw / "005_lossy.txt").write_text(_with_replacements(5), encoding="utf-8")
    return raw


def test_prepare_skips_a_lossy_article_with_a_warning(tmp_path, lossy_raw):
    warnings: list[Exception] = []
    out = tmp_path / "processed"
    (res,) = stages.run(["prepare"], root=out, raw_dir=lossy_raw, book_dir=tmp_path / "book", skip_bad=True,
                        warn=warnings.append)
    assert len(warnings) == 1
    assert isinstance(warnings[0], CorpusError)
    assert str(warnings[0]) == "005_lossy.txt: 5 U+FFFD replacement characters (an earlier lossy decode?)"
    assert res.summary.endswith("5 articles, 15,759 clean chars, 1 skipped")
    records = sorted(p.stem for p in catalog.path("documents", out).glob("*.json"))
    assert records == sorted(p.stem for p in config.RAW_DIR.glob("*.txt"))


def test_prepare_fails_on_a_lossy_article_and_changes_nothing(tmp_path, lossy_raw):
    out = tmp_path / "processed"
    lossy = lossy_raw / "005_lossy.txt"
    lossy.rename(tmp_path / "held_back.txt")
    stages.run(["prepare"], root=out, raw_dir=lossy_raw, book_dir=tmp_path / "book")
    (tmp_path / "held_back.txt").rename(lossy)
    before, project_before = _files(out), _files(config.PROCESSED_DIR)
    with pytest.raises(CorpusError, match="005_lossy.txt: 5 U\\+FFFD replacement characters"):
        stages.run(["prepare"], root=out, raw_dir=lossy_raw, book_dir=tmp_path / "book")
    assert _files(out) == before
    assert _files(config.PROCESSED_DIR) == project_before


# -- the boilerplate lexicon ----------------------------------------------------------
def test_boilerplate_patterns_compile_in_file_order():
    pats = boilerplate_patterns()
    assert [p.pattern for p in pats] == list(lexicon.boilerplate())
    assert any(p.search("转载请注明: 网创网") for p in pats)


def test_bad_boilerplate_pattern_names_its_line(tmp_path):
    bad = tmp_path / "boilerplate.txt"
    bad.write_text("# comment\n\n^转载请注明\n版权(所有\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"boilerplate\.txt:4: not a valid regular expression") as err:
        lexicon.boilerplate(bad)
    assert err.value.line == 4 and err.value.path == bad
