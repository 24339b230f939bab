"""The claims shortcuts (partial POS tagging, figure prefilter, memoised cue hits, alias prefilters, the
coder's features computed per document) give exactly the claims of the exhaustive reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import lexicon
from analysis.corpus.document import Document
from analysis.extract import claims, classifier, cues, evidence, tagging
from analysis.extract.exhaustive import active, exhaustive
from analysis.extract.sentences import document_sentences


def _posseg_whole(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in evidence._pos_tokenizer().lcut(sentence))


@pytest.fixture(scope="module")
def articles(docs) -> list[Document]:
    return sorted(docs.values(), key=lambda d: d.article_id)


@pytest.fixture(scope="module")
def sentences(articles) -> list[str]:
    return [s.clean for d in articles for s in document_sentences(d)]


@pytest.fixture(scope="module")
def fragments(sentences) -> list[str]:
    """Seeded random cuts of the corpus text: blocks that start and end anywhere, across sentences."""
    rng = np.random.default_rng(7)
    text = "".join(sentences)
    out = []
    for _ in range(1500):
        a = int(rng.integers(0, len(text) - 90))
        out.append(text[a : a + int(rng.integers(2, 90))])
    return out


@pytest.fixture(scope="module")
def synthetic_docs(sentences) -> list[Document]:
    """Three synthetic articles: resampled sentences, random cuts, headings, lists, the author's name."""
    rng = np.random.default_rng(11)
    text = "".join(sentences)
    out = []
    for k in range(3):
        paras = []
        for _ in range(25):
            parts = [sentences[int(i)] for i in rng.integers(0, len(sentences), size=int(rng.integers(1, 5)))]
            a = int(rng.integers(0, len(text) - 60))
            parts.insert(int(rng.integers(0, len(parts) + 1)), text[a : a + int(rng.integers(5, 60))] + "。")
            pick = rng.random()
            if pick < 0.15:
                parts.insert(0, f"{int(rng.integers(1, 9))}、")
            elif pick < 0.25:
                parts = ["张三认为：", *parts]
            elif pick < 0.35:
                paras.append("小标题" + sentences[int(rng.integers(0, len(sentences)))][:8])
            paras.append("".join(parts))
        body = "\n\n".join(paras)
        out.append(Document(article_id=f"syn{k:03d}", raw_text=body, text=body, offsets=list(range(len(body))),
                            meta={"title": "合成", "author": "张三" if k else ""}))
    return out


def test_pos_block_is_jiebas():
    import jieba.posseg

    assert evidence.POS_BLOCK.pattern == jieba.posseg.re_han_internal.pattern


def test_block_tags_equal_whole_sentence_tags(sentences, fragments):
    for s in sentences + fragments + ["", "  ", "Wi-Fi用户1-2亿。", "“好。”他说"]:
        whole = _posseg_whole(s)
        assert evidence.pos_tags(s) == whole, s
        assert tuple(evidence.iter_pos_tags(s)) == whole, s


def test_tagged_words_is_the_token_intersection(sentences, fragments):
    disc = lexicon.cues()["discourse"]
    words = {*disc["first_person"], *disc["second_person"], *classifier.FEATURE_WORDS, "阿里", "用户"}
    for s in sentences + fragments:
        assert evidence.tagged_words(s, words) == {w for w, _ in _posseg_whole(s)} & words, s


def test_past_events_and_figures_equal_the_reference(sentences, fragments):
    for s in sentences + fragments:
        fast = (evidence.past_events(s), evidence.sentence_figures(s))
        with exhaustive():
            assert active()
            assert (evidence.past_events(s), evidence.sentence_figures(s)) == fast, s
    assert not active()


def test_cue_hits_memo_returns_fresh_equal_lists(sentences):
    s = sentences[3]
    a = cues.cue_hits(s)
    a["recommendation"].append("mutated")
    b = cues.cue_hits(s)
    assert "mutated" not in b["recommendation"]
    with exhaustive():
        assert cues.cue_hits(s) == b


def test_alias_prefilter_is_exact(sentences, fragments):
    ents, strats = tagging.load_entities(), tagging.load_strategies()
    assert all("_lits" in e for e in ents) and all("_lits" in s for s in strats)
    assert any(e["_latin"] is not None for e in ents)
    for s in sentences + fragments + ["wechat和WECHAT", "我用QQ", "qqq", "Laiwang来往"]:
        fast = (tagging.find_entities(s, ents), tagging.find_themes(s, strats))
        with exhaustive():
            assert (tagging.find_entities(s, ents), tagging.find_themes(s, strats)) == fast, s


@pytest.mark.parametrize("which", ["corpus", "synthetic"])
def test_document_claims_equal_the_exhaustive_reference(which, articles, synthetic_docs):
    """The stage's per-document rows and features == claims_frame + type_features, tagging everything."""
    articles = articles if which == "corpus" else synthetic_docs
    fast = pd.concat([claims.document_claims(d) for d in articles], ignore_index=True)
    authors = {d.article_id: str(d.meta.get("author") or "") for d in articles}
    table, feats = claims.split_features(fast, authors)
    assert feats is not None
    with exhaustive():
        ref = claims.claims_frame(articles)
        ref_feats = classifier.type_features(ref, authors)
    pd.testing.assert_frame_equal(table, ref)
    assert all(isinstance(f, str) for f in feats["features"])  # kept as JSON text, parsed where a model reads it
    feats = feats.assign(features=classifier.feature_dicts(feats["features"]))
    pd.testing.assert_frame_equal(feats, ref_feats)
    assert (feats["rule_reason"] == "anecdote").any() or which == "corpus"


def test_split_features_recomputes_when_the_author_differs(articles):
    doc = articles[0]
    frame = claims.document_claims(doc)
    _, feats = claims.split_features(frame, {doc.article_id: "someone else"})
    assert feats is None
    table, feats = claims.split_features(frame, {doc.article_id: str(doc.meta.get("author") or "")})
    assert list(table.columns) == claims.CLAIM_COLUMNS and feats is not None and len(feats) == len(table)
