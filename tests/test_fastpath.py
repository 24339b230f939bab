"""The optional rjieba fast path: identical to jieba on the corpus, and it honours the user dictionary."""

from __future__ import annotations

import sys

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


@needs_rjieba
@pytest.mark.parametrize("hmm", [True, False], ids=["hmm_on", "hmm_off"])
def test_identical_to_jieba_on_corpus(corpus_texts, hmm):
    assert len(corpus_texts) == 5
    for text in corpus_texts:
        for para in text.split("\n\n"):
            assert segment.lcut(para, hmm=hmm, backend="rjieba") == segment.lcut(para, hmm=hmm, backend="jieba")
        assert segment.lcut(text, hmm=hmm, backend="rjieba") == segment.lcut(text, hmm=hmm, backend="jieba")


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
    monkeypatch.delenv(segment.SEGMENTER_ENV)
    assert segment.segmenter_name() == "jieba"


def test_bad_backend_names(monkeypatch):
    with pytest.raises(ValueError, match=r"backend must be one of \('jieba', 'rjieba'\), got 'pkuseg'"):
        segment.tokenize("来往", backend="pkuseg")
    monkeypatch.setenv(segment.SEGMENTER_ENV, "jieba-rs")
    with pytest.raises(ValueError, match=r"\$ANALYSIS_SEGMENTER must be one of"):
        segment.tokenize("来往")


def test_missing_rjieba_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "rjieba", None)
    segment.get_fast_tokenizer.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"pip install \.\[fast\]"):
            segment.tokenize("来往", backend="rjieba")
    finally:
        segment.get_fast_tokenizer.cache_clear()
