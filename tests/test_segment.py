"""Segmentation: domain terms whole, quiet, deterministic, sklearn-compatible."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from analysis import lexicon
from analysis.lexicon import LexiconError
from analysis.segment import content_tokens, get_tokenizer, passthrough, stopwords, tokenize
from analysis.tokenizer import ChineseTokenizer

DOMAIN = ["来往", "微信", "钉钉", "易信", "旺信", "旺旺", "陌陌", "米聊", "支付宝", "公众账号", "朋友圈",
          "熟人社交", "扩展人脉"]


@pytest.mark.parametrize("term", DOMAIN)
def test_domain_terms_whole_in_context(term):
    assert term in tokenize(f"我觉得{term}的问题在于定位")


def test_domain_terms_whole_in_corpus(docs):
    tokens = set()
    for d in docs.values():
        tokens.update(tokenize(d.text))
    for term in ["来往", "微信", "钉钉", "易信", "旺信", "陌陌", "支付宝", "朋友圈", "熟人社交"]:
        assert term in tokens


def test_tokens_concatenate_back():
    text = "阿里巴巴必须加快脚步, 微信已挟持的海量用户"
    assert "".join(tokenize(text)) == text.replace(" ", "")


def test_cue_words_protected():
    stop = stopwords()
    for cue in ["应该", "必须", "建议", "因为", "将", "由于", "之所以", "不妨"]:
        assert cue not in stop
    assert "的" in stop


def test_content_tokens_drop_stopwords_and_punct():
    toks = content_tokens("我们的来往应该推广,因为100个用户。")
    assert "的" not in toks and "," not in toks and "100" not in toks
    assert {"来往", "应该", "因为"} <= set(toks)


def test_deterministic():
    text = "来往诞生第三日的救危手术单:阿里巴巴大方出手"
    assert tokenize(text) == tokenize(text)


def test_quiet_in_fresh_process(tmp_path):
    code = "from analysis.segment import tokenize; print(tokenize('来往和微信'))"
    env = {"ANALYSIS_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stderr == ""
    assert "来往" in out.stdout
    assert (tmp_path / "jieba.cache").exists()


def test_transformer_in_tfidf_pipeline():
    docs = ["来往应该做熟人社交", "微信的朋友圈很强", "钉钉转向企业协同"]
    pipe = Pipeline([("seg", ChineseTokenizer()), ("tfidf", TfidfVectorizer(analyzer=passthrough))])
    X = pipe.fit_transform(docs)
    names = list(pipe.named_steps["tfidf"].get_feature_names_out())
    assert X.shape == (3, len(names))
    assert "熟人社交" in names and "朋友圈" in names
    # same features as the tokenizer= route
    vec = TfidfVectorizer(tokenizer=content_tokens, token_pattern=None, lowercase=False)
    vec.fit(docs)
    assert sorted(vec.get_feature_names_out()) == sorted(names)


def test_transformer_pickles_and_validates():
    tok = ChineseTokenizer(min_length=2).fit(["来往"])
    back = pickle.loads(pickle.dumps(tok))
    assert back.transform(["来往和微信"]) == [["来往", "微信"]]
    with pytest.raises(ValueError):
        ChineseTokenizer(min_length=0).fit(["x"])
    with pytest.raises(ValueError):
        tok.transform([3])


def test_word_lists_come_from_the_lexicon():
    assert {"应该", "必须", "因为"} <= lexicon.protected_words()
    assert not (lexicon.protected_words() & stopwords())
    assert lexicon.stopwords() - lexicon.protected_words() <= stopwords()
    entries = lexicon.userdict()
    assert lexicon.UserWord("来往", 20000, "nz", "product") in entries
    assert not any(e.word.startswith(("#", "[")) for e in entries)  # comments and headers are not words
    assert {e.category for e in entries} == set(lexicon.USERDICT_CATEGORIES)


def test_user_dictionary_entries_reach_the_tokenizer(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("# a comment\n\n[product]\n来往钉钉 50000 nz\n", encoding="utf-8")
    assert lexicon.userdict(path) == (("来往钉钉", 50000, "nz", "product"),)
    tok = get_tokenizer(path)
    assert "来往钉钉" in tok.lcut("他说来往钉钉不行")
    assert tok.user_word_tag_tab["来往钉钉"] == "nz"


@pytest.mark.parametrize(("loader", "text", "line"), [
    (lexicon.userdict, "# products\n[product]\n来往 20000 nz\n微信 lots nz\n", 4),
    (lexicon.userdict, "[product]\n来往 20000 NZ\n", 2),
    (lexicon.userdict, "[company]\n阿里 巴巴 20000 nz\n", 2),
    (lexicon.userdict, "# no header yet\n来往 20000 nz\n", 2),
    (lexicon.userdict, "[product]\n来往 20000 nz\n[brand]\n微信 20000 nz\n", 3),
    (lexicon.userdict, "[product]\n来往 20000 nz\n\n[concept]\n来往 100 n\n", 5),
    (lexicon.stopwords, "# one word a line\n一个\n这个 那个\n", 3),
    (lexicon.protected_words, "应该\n\n必须 要\n", 3),
])
def test_malformed_word_list_line_names_the_file_and_line(tmp_path, loader, text, line):
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        loader(path)
    assert (err.value.path, err.value.line) == (path, line)
    assert str(err.value).startswith(f"{path}:{line}: ")
