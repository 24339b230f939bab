"""Cleaning steps, checked on the real articles."""

from __future__ import annotations

import re

import pytest

from analysis import config
from analysis.corpus.ingest import PINYIN_GLOSS, Document, decode_offsets, detect_script, encode_offsets
from analysis.corpus.manifest import verify_manifest


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
    import unicodedata

    import opencc

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
