"""The rjieba fast path (the default when installed): identical to jieba on the corpus and on a synthetic corpus,
it honours the user dictionary, and ``auto`` falls back to jieba when rjieba is missing or fails its self-check."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest

from analysis import lexicon, segment
from analysis.checks.segmentation import CARRIERS
from analysis.corpus.documents import iter_documents

try:
    import rjieba  # noqa: F401

    HAVE_RJIEBA = True
except ImportError:
    HAVE_RJIEBA = False
needs_rjieba = pytest.mark.skipif(not HAVE_RJIEBA, reason="rjieba is not installed (pip install .[fast])")

#: Inputs where jieba-rs alone joins what jieba splits (HMM on), and controls that must stay whole.
TRICKY = [
    "1-2名",
    "第1-2名",
    "1.5-2.5亿",
    "Wi-Fi",
    "O2O-C2B",
    "e-mail",
    "x_y",
    "2.5.1版",
    "1-2-3",
    "12-3%",
    "C++程序",
    "Google+用户",
    "手机QQ",
    "微信5.0版",
    "50%-60%",
    "10%以上",
    "iPhone5S",
    "——来往",
]


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return [d.text for d in iter_documents()]


@pytest.fixture(scope="module")
def synthetic_paragraphs(corpus_texts) -> list[str]:
    """About 150,000 characters of seeded synthetic text: corpus fragments cut at random points and
    recombined with dictionary words, figures and tricky ASCII runs (new contexts for every boundary)."""
    rng = np.random.default_rng(20131)
    text = "".join(corpus_texts)
    words = [e.word for e in lexicon.userdict()]
    extras = TRICKY + ["3.55亿", "100个", "2013年", "5亿", "QQ", "iOS", "App", " ", "，", "。", "“", "”"]
    paras, size = [], 0
    while size < 150_000:
        parts = []
        for _ in range(int(rng.integers(4, 12))):
            a = int(rng.integers(0, len(text) - 40))
            parts.append(text[a : a + int(rng.integers(2, 40))].replace("\n", ""))
            pick = rng.random()
            if pick < 0.4:
                parts.append(words[int(rng.integers(0, len(words)))])
            elif pick < 0.6:
                parts.append(extras[int(rng.integers(0, len(extras)))])
        para = "".join(parts)
        paras.append(para)
        size += len(para)
    return paras


@needs_rjieba
@pytest.mark.parametrize("hmm", [True, False], ids=["hmm_on", "hmm_off"])
def test_identical_to_jieba_on_corpus(corpus_texts, hmm):
    assert len(corpus_texts) == 5
    for text in corpus_texts:
        for para in text.split("\n\n"):
            assert segment.lcut(para, hmm=hmm, backend="rjieba") == segment.lcut(para, hmm=hmm, backend="jieba")
        assert segment.lcut(text, hmm=hmm, backend="rjieba") == segment.lcut(text, hmm=hmm, backend="jieba")


@needs_rjieba
@pytest.mark.parametrize("hmm", [True, False], ids=["hmm_on", "hmm_off"])
def test_identical_to_jieba_on_synthetic_corpus(synthetic_paragraphs, hmm):
    assert sum(map(len, synthetic_paragraphs)) >= 150_000
    for para in synthetic_paragraphs:
        assert segment.lcut(para, hmm=hmm, backend="rjieba") == segment.lcut(para, hmm=hmm, backend="jieba"), para


@needs_rjieba
def test_tokenize_and_content_tokens_identical(corpus_texts):
    for text in corpus_texts:
        assert segment.tokenize(text, backend="rjieba") == segment.tokenize(text, backend="jieba")
        assert segment.content_tokens(text, backend="rjieba") == segment.content_tokens(text, backend="jieba")


@needs_rjieba
@pytest.mark.parametrize("text", TRICKY)
def test_tricky_ascii_runs_match_jieba(text):
    assert segment.lcut(text, backend="rjieba") == segment.lcut(text, backend="jieba")


@needs_rjieba
@pytest.mark.parametrize("word", ["钉钉", "阿里旺旺", "米聊", "一淘", "手机QQ", "新浪微博", "熟人社交",
                                  "商家圈", "余额宝", "移动QQ", "PC端", "3Q大战", "电商基因"])
def test_user_dictionary_is_honoured(word):
    import rjieba

    text = f"他说{word}不行"
    assert word in segment.tokenize(text, backend="rjieba")
    assert word in segment.tokenize(text, backend="jieba")
    # without the user dictionary, jieba-rs splits most of these: the load is what keeps them whole
    plain = rjieba.Jieba()
    if word != "熟人社交":
        assert word not in plain.cut(text)


@needs_rjieba
def test_identical_on_every_dictionary_term_in_carriers():
    """Every user-dictionary word, in every carrier sentence of the term check: the same tokens."""
    for entry in lexicon.userdict():
        for carrier in CARRIERS:
            text = carrier.format(entry.word)
            assert segment.lcut(text, backend="rjieba") == segment.lcut(text, backend="jieba"), text


@needs_rjieba
def test_environment_variable_selects_backend(monkeypatch, corpus_texts):
    monkeypatch.setenv(segment.SEGMENTER_ENV, "rjieba")
    assert segment.segmenter_name() == "rjieba"
    assert segment.tokenize(corpus_texts[0]) == segment.tokenize(corpus_texts[0], backend="jieba")
    monkeypatch.setenv(segment.SEGMENTER_ENV, "jieba")
    assert segment.segmenter_name() == "jieba"
    monkeypatch.setenv(segment.SEGMENTER_ENV, "auto")
    assert segment.segmenter_name() == "rjieba"
    monkeypatch.delenv(segment.SEGMENTER_ENV)
    assert segment.segmenter_name() == "rjieba"  # the default is auto
    assert segment.segmenter_name("jieba") == "jieba"  # the argument wins over the default


@needs_rjieba
def test_auto_uses_rjieba_when_the_self_check_passes(monkeypatch):
    monkeypatch.delenv(segment.SEGMENTER_ENV, raising=False)
    ok, reason = segment.fast_path_status()
    assert ok and "passed" in reason
    assert segment.DEFAULT_SEGMENTER == "auto"
    assert segment.segmenter_name() == "rjieba"
    assert segment.segmenter_name("auto") == "rjieba"


def test_probe_text_exercises_the_join_rule():
    """The self-check probe holds the ASCII runs where jieba-rs alone differs, and dictionary words."""
    assert segment._JOIN_RISK.search(segment.PROBE_TEXT)
    for text in TRICKY:
        assert text in segment.PROBE_TEXT, text
    assert sum(e.word in segment.PROBE_TEXT for e in lexicon.userdict()) >= 10


def test_bad_backend_names(monkeypatch):
    with pytest.raises(ValueError, match=r"backend must be one of \('auto', 'jieba', 'rjieba'\), got 'pkuseg'"):
        segment.tokenize("来往", backend="pkuseg")
    monkeypatch.setenv(segment.SEGMENTER_ENV, "jieba-rs")
    with pytest.raises(ValueError, match=r"\$ANALYSIS_SEGMENTER must be one of"):
        segment.tokenize("来往")


def test_auto_falls_back_to_jieba_without_rjieba(monkeypatch, caplog, corpus_texts):
    monkeypatch.delenv(segment.SEGMENTER_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "rjieba", None)
    segment.get_fast_tokenizer.cache_clear()
    segment.fast_path_status.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="analysis.segment"):
            assert segment.segmenter_name() == "jieba"
            assert segment.segmenter_name() == "jieba"
        assert segment.fast_path_status() == (False, caplog.records[0].getMessage())
        assert len([r for r in caplog.records if "not installed" in r.getMessage()]) == 1  # logged once
        text = corpus_texts[1]
        assert segment.lcut(text) == segment.get_tokenizer().lcut(text, HMM=True)
        assert segment.tokenize(text) == [w for w in segment.get_tokenizer().lcut(text) if not w.isspace()]
    finally:
        segment.get_fast_tokenizer.cache_clear()
        segment.fast_path_status.cache_clear()


@needs_rjieba
def test_auto_falls_back_to_jieba_when_the_self_check_fails(monkeypatch, caplog):
    """A fast path that differs from jieba on the probe is not used, and the reason is logged once."""
    monkeypatch.delenv(segment.SEGMENTER_ENV, raising=False)
    real = segment._fast_lcut

    def broken(text, hmm, tok=None):
        words = real(text, hmm, tok)
        return [w.replace("钉钉", "钉 钉") for w in words]

    monkeypatch.setattr(segment, "_fast_lcut", broken)
    segment.fast_path_status.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="analysis.segment"):
            assert segment.segmenter_name() == "jieba"
            segment.segmenter_name()
        ok, reason = segment.fast_path_status()
        assert not ok and "identity self-check" in reason and "钉 钉" in reason
        assert [r.levelno for r in caplog.records] == [logging.WARNING]
        assert segment.tokenize("陈航做了钉钉") == ["陈航", "做", "了", "钉钉"]
        assert segment.segmenter_name("rjieba") == "rjieba"  # forcing it still works
    finally:
        segment.fast_path_status.cache_clear()


def test_missing_rjieba_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "rjieba", None)
    segment.get_fast_tokenizer.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"pip install \.\[fast\]"):
            segment.tokenize("来往", backend="rjieba")
    finally:
        segment.get_fast_tokenizer.cache_clear()
