"""The English translations: every sentence has one, none is out of date, and a changed sentence is caught.

The first tests read the real data (``data/lexicon/translations`` against the
``claims`` artefact, when the pipeline has run): they fail when the sentence
splitter or the cleaning changes a sentence, until its translation is
reviewed and its key updated.  The others build small cases in a temporary
folder, so that the staleness rule itself is tested whatever the data.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import catalog, config, lexicon
from analysis.report.translations import (
    STATUS_COLUMNS,
    article_titles,
    credit_line,
    sentence_translations,
    translation_status,
)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    if not catalog.exists("claims"):
        pytest.skip("the claims artefact is not built yet (run `python -m analysis all`)")
    return catalog.load("claims")


def test_every_sentence_has_a_current_translation(claims):
    status = translation_status(claims)
    assert list(status.columns) == list(STATUS_COLUMNS)
    assert (status["n_sentences"] == status["n_translated"] + status["n_stale"] + status["n_missing"]).all()
    english = sentence_translations(claims)
    missing = english.loc[english["status"] == "missing", "claim_id"].tolist()
    stale = english.loc[english["status"] == "stale", "claim_id"].tolist()
    assert not missing, f"{len(missing)} sentence(s) without an English translation: {missing[:10]}"
    assert not stale, (f"{len(stale)} translation(s) out of date (the sentence changed since it was "
                       f"translated; review the English and update its sha): {stale[:10]}")
    assert status["n_orphaned"].sum() == 0, status[status["n_orphaned"] > 0].to_string()


def test_translation_files_belong_to_the_corpus(claims):
    files = lexicon.translation_files()
    assert set(files) == set(claims["article_id"]), "a translation file without its article, or the reverse"
    for aid in files:
        tr = lexicon.translations(aid)
        assert tr["title_en"].strip(), f"{aid}: no English title"
        assert credit_line(aid).startswith("Translated for this book by "), aid
        assert tr["reviewed_by"].strip(), f"{aid}: the translation has no reviewer"


def test_each_entry_keys_its_own_chinese():
    """Within a file, ``sha`` is the key of the entry's own ``zh``: the file is consistent with itself."""
    for aid in lexicon.translation_files():
        for cid, entry in lexicon.translations(aid)["sentences"].items():
            assert lexicon.sentence_sha(entry["zh"]) == entry["sha"], f"{aid}: {cid} has a sha of another text"


# ---------------------------------------------------------------------------
# the rule, on made-up data
# ---------------------------------------------------------------------------
SENTENCES = ["来往是阿里巴巴的产品。", "微信有四亿用户。", "来往会失败吗？"]


def _write(directory, article_id, entries, **extra):
    data = {"article_id": article_id, "title_en": "A test", "translated_by": "T", "reviewed_by": "R", **extra,
            "sentences": entries}
    (directory / f"{article_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _claims(article_id, sentences):
    return pd.DataFrame({"claim_id": [f"{article_id}:{n}" for n in range(len(sentences))],
                         "article_id": article_id, "sentence": sentences, "sentence_clean": sentences})


@pytest.fixture()
def tr_dir(tmp_path):
    lexicon.clear_cache()
    yield tmp_path
    lexicon.clear_cache()


def test_a_changed_sentence_is_reported_stale(tr_dir):
    aid = "000_test"
    _write(tr_dir, aid, [{"id": f"{aid}:{n}", "sha": lexicon.sentence_sha(s), "zh": s, "en": f"English {n}"}
                         for n, s in enumerate(SENTENCES)])
    claims = _claims(aid, SENTENCES)
    assert set(sentence_translations(claims, tr_dir)["status"]) == {"current"}
    # the splitter or the cleaning changes sentence 1: its translation is now stale, and still shown
    changed = _claims(aid, [SENTENCES[0], "微信有四亿多用户。", SENTENCES[2]])
    english = sentence_translations(changed, tr_dir)
    assert english["status"].tolist() == ["current", "stale", "current"]
    assert english["en"].tolist() == ["English 0", "English 1", "English 2"]
    row = translation_status(changed, tr_dir).iloc[0].to_dict()
    assert row == {"article_id": aid, "n_sentences": 3, "n_translated": 2, "n_stale": 1, "n_missing": 0,
                   "n_orphaned": 0}


def test_missing_and_orphaned_entries(tr_dir):
    aid = "001_test"
    _write(tr_dir, aid, [{"id": f"{aid}:0", "sha": lexicon.sentence_sha(SENTENCES[0]), "zh": SENTENCES[0],
                          "en": "Laiwang is an Alibaba product."},
                         {"id": f"{aid}:7", "sha": "0" * 12, "zh": "旧句子。", "en": "An old sentence."}])
    claims = pd.concat([_claims(aid, SENTENCES), _claims("002_untranslated", SENTENCES[:2])], ignore_index=True)
    english = sentence_translations(claims, tr_dir)
    assert english["status"].tolist() == ["current", "missing", "missing", "missing", "missing"]
    assert english.loc[english["status"] == "missing", "en"].eq("").all()
    status = translation_status(claims, tr_dir).set_index("article_id")
    assert status.loc[aid, ["n_sentences", "n_translated", "n_missing", "n_orphaned"]].tolist() == [3, 1, 2, 1]
    assert status.loc["002_untranslated", ["n_translated", "n_missing"]].tolist() == [0, 2]
    assert article_titles(["002_untranslated", aid], tr_dir) == {aid: "A test"}
    assert credit_line("002_untranslated", tr_dir) == ""
    assert credit_line(aid, tr_dir) == "Translated for this book by T; reviewed by R."


def test_a_malformed_file_names_itself(tr_dir):
    aid = "003_test"
    _write(tr_dir, aid, [{"id": f"{aid}:0", "sha": "x", "zh": "来往。", "en": "  "}])
    with pytest.raises(lexicon.LexiconError, match=r"003_test\.yaml.*empty"):
        lexicon.translations(aid, tr_dir)


def test_the_default_folder_is_the_lexicon():
    assert config.TRANSLATIONS_DIR == config.LEXICON_DIR / "translations"
