"""Tests for the figures: normalisation, false friends, hedges, the real corpus, scoring, the number lexicons."""

from __future__ import annotations

import re

import numpy.testing as npt
import pandas as pd
import pytest
import yaml

from analysis import _io, catalog, config, lexicon
from analysis.corpus.document import Document
from analysis.corpus.documents import iter_documents
from analysis.extract import amounts, scoring
from analysis.extract import figures as N
from analysis.extract import stage as extract_stage
from analysis.stage_api import Context

ARTICLES = catalog.path("documents")
needs_corpus = pytest.mark.skipif(
    not ARTICLES.is_dir(), reason="run `python -m analysis prepare` first (data/processed/articles missing)"
)


def make_doc(text: str, article_id: str = "t") -> Document:
    """A document whose raw text is its clean text (identity offsets)."""
    return Document(article_id=article_id, raw_text=text, text=text, offsets=list(range(len(text))))


def figures(text: str) -> list[tuple[str, float, str, int]]:
    df = N.extract_numbers(make_doc(text))
    return [
        (q, float(v), u, int(h)) for q, v, u, h in zip(df.quote, df.value, df.unit, df.hedge, strict=True)
    ]


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return list(iter_documents())


@pytest.fixture(scope="module")
def table(docs) -> pd.DataFrame:
    return N.numbers_table(docs)


# ---------------------------------------------------------------------------
# normalisation: a table of known answers
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("4亿", 4e8, None),
        ("2.4亿", 2.4e8, None),
        ("1000万", 1e7, None),
        ("1千万", 1e7, None),
        ("3百万", 3e6, None),
        ("1万亿", 1e12, None),
        ("10个亿", 1e9, None),
        ("一千万", 1e7, None),
        ("两亿", 2e8, None),
        ("十万", 1e5, None),
        ("千万", 1e7, None),
        ("百万", 1e6, None),
        ("半", 0.5, None),
        ("半亿", 5e7, None),
        ("一亿半", 1.5e8, None),
        ("一半", 50, "percent"),
        ("几十万", 1e5, None),
        ("数亿", 1e8, None),
        ("21%", 21, "percent"),
        ("500%", 500, "percent"),
        ("2.5亿美金", 2.5e8, "USD"),
        ("2亿美元", 2e8, "USD"),
        ("上亿刀", 1e8, "USD"),
        ("近1000万元", 1e7, "CNY"),
        ("5万元", 5e4, "CNY"),
        ("30块", 30, "CNY"),
        ("2-10元", 2, "CNY"),
        ("30万家", 3e5, "firms"),
        ("100人", 100, "people"),
        ("5亿以上", 5e8, None),
    ],
)
def test_parse_amount_known_values(text, value, unit):
    got_value, got_unit = amounts.parse_amount(text)
    npt.assert_allclose(got_value, value, rtol=1e-12)
    assert got_unit == unit


@pytest.mark.parametrize("bad", [None, 12, 3.5, b"4\xe4\xba\xbf", ["4亿"]])
def test_parse_amount_rejects_non_strings(bad):
    with pytest.raises(ValueError, match="expects a str"):
        amounts.parse_amount(bad)


@pytest.mark.parametrize("bad", ["", "微信", "4亿斤"])
def test_parse_amount_rejects_non_amounts(bad):
    with pytest.raises(ValueError):
        amounts.parse_amount(bad)


def test_extract_rejects_non_documents():
    with pytest.raises(ValueError, match="Document"):
        N.extract_numbers("4亿用户")


# ---------------------------------------------------------------------------
# extraction rules on small texts
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "你千万不要下载。",  # adverb, not ten million
        "这是第一款产品,在第三屏展示。",  # ordinals
        "2013年9月23号到10月21日,2014年12月上线。",  # dates
        "来往4.0版本和钉钉1.0版本。",  # versions
        "一个人一起一对一地聊了一次。",  # small Chinese numerals are prose
        "iPhone 5S和4G网络,O2O与C2B。",  # numbers glued to Latin letters
        "双11大促,双十一也是。",  # Singles' Day
        "推出1个月后,4年前,千年人参。",  # durations
        "互联网360和QQ的3Q大战。",  # bare numbers with no unit
        "几个朋友和几款应用。",  # 几 with no multiplier is too vague
    ],
)
def test_false_friends_are_not_figures(text):
    assert figures(text) == []


def test_counts_and_money_are_figures():
    got = figures("阿里2万员工,有30万家企业,一等奖1名,奖励10万元,每人100。")
    assert [(q, v, u) for q, v, u, _ in got] == [
        ("2万", 2e4, "employees"),
        ("30万家", 3e5, "firms"),
        ("1名", 1, "people"),
        ("10万元", 1e5, "CNY"),
        ("100", 100, "count"),
    ]


@pytest.mark.parametrize(
    ("text", "quote", "value", "unit", "hedge"),
    [
        ("各种奖品累积预算金额近1000万元。", "近1000万元", 1e7, "CNY", 1),
        ("用户已突破千万大关。", "突破千万", 1e7, "users", 1),
        ("上千万的推广费用。", "上千万", 1e7, "CNY", 1),
        ("装机量都过亿。", "过亿", 1e8, "installs", 1),
        ("来往的日活不足50万。", "不足50万", 5e5, "dau", 1),
        ("约200万用户。", "约200万", 2e6, "users", 1),
        ("拓展外部用户不到100人。", "不到100人", 100, "users", 1),
        ("5亿以上的安装量。", "5亿以上", 5e8, "installs", 1),
        ("几十万彩票。", "几十万", 1e5, "tickets", 1),
        ("淘宝的用户都是亿级。", "亿级", 1e8, "users", 1),
        ("据说有1000万用户。", "1000万", 1e7, "users", 1),
        ("月活跃用户2.4亿。", "2.4亿", 2.4e8, "mau", 0),
        ("注册用户量突破6亿。", "突破6亿", 6e8, "registrations", 1),
        ("阿里持股21%。", "21%", 21, "percent", 0),
        ("最近1000万用户。", "1000万", 1e7, "users", 0),  # 最近 is "recently", not 近
        ("通过100万用户。", "100万", 1e6, "users", 0),  # 通过 is "through", not 过
    ],
)
def test_hedges_and_units(text, quote, value, unit, hedge):
    assert figures(text) == [(quote, value, unit, hedge)]


def test_subject_comes_from_cues():
    df = N.extract_numbers(make_doc("在陌陌上市之后,阿里持股21%。阿里花了2.5亿美金投资了Tango。"))
    assert list(df.subject) == ["Momo stake", "Tango investment"]
    df = N.extract_numbers(make_doc("微信的注册用户量突破6亿。"))
    assert list(df.subject) == ["WeChat registered users"]


def test_raw_span_maps_back_through_cleaning():
    raw = "前言\n用户超過１０００萬，很好"
    clean = "用户超过1000万,很好"
    offsets = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    doc = Document(article_id="x", raw_text=raw, text=clean, offsets=offsets)
    df = N.extract_numbers(doc)
    assert list(df.quote) == ["超過１０００萬"]
    assert raw[df.start[0] : df.end[0]] == "超過１０００萬"
    assert float(df.value[0]) == 1e7 and df.hedge[0] == 1


# ---------------------------------------------------------------------------
# the real corpus
# ---------------------------------------------------------------------------
@needs_corpus
def test_columns_and_sorting(table):
    assert list(table.columns) == N.COLUMNS
    keys = list(zip(table.article_id, table.start, strict=True))
    assert keys == sorted(keys)
    assert table.hedge.isin([0, 1]).all()
    assert (table.value.astype(float) > 0).all()
    assert table.unit.str.fullmatch(r"[a-z]+|CNY|USD").all()


@needs_corpus
def test_every_quote_is_the_raw_slice(docs, table):
    raw = {d.article_id: d.raw_text for d in docs}
    assert len(table) > 0
    for row in table.itertuples():
        assert raw[row.article_id][row.start : row.end] == row.quote, row


@needs_corpus
def test_traditional_article_is_quoted_in_traditional(docs, table):
    (doc,) = [d for d in docs if d.article_id.startswith("002")]
    assert doc.meta["script"] == "Traditional"
    quotes = list(table[table.article_id == doc.article_id].quote)
    assert quotes, "no figures found in 002"
    joined = "".join(quotes)
    assert "億" in joined and "亿" not in joined
    assert "過億" in quotes


@needs_corpus
def test_no_figure_inside_dates_or_versions(table):
    for q in table.quote:
        assert not re.search(r"\d\s*(年|月|日|号|版)$", q), q


@needs_corpus
def test_numbers_stage_is_deterministic(table):
    ctx = Context(processed_dir=config.PROCESSED_DIR, raw_dir=config.RAW_DIR, book_dir=config.BOOK_DIR)
    first, second = extract_stage.numbers({}, ctx), extract_stage.numbers({}, ctx)
    text = _io.frame_to_csv_text(first["numbers"])
    assert text == _io.frame_to_csv_text(second["numbers"])
    assert text == _io.frame_to_csv_text(table)
    summary = extract_stage.numbers_summary(first)
    assert summary == extract_stage.numbers_summary(second)
    assert re.fullmatch(r"numbers: \d+ figures in 5 articles", summary)
    assert list(first["numbers"].columns) == N.COLUMNS


@needs_corpus
def test_gold_set_scores(docs, table):
    gold = scoring.load_numbers_gold()
    assert set(gold.split) == {"tune", "heldout"}
    gold = scoring.locate_quotes(gold, docs)
    for split, floor in (("tune", 0.9), ("heldout", 0.85)):
        g = gold[gold.split == split].reset_index(drop=True)
        p = table[table.article_id.isin(set(g.article_id))].reset_index(drop=True)
        score = scoring.score_numbers(p, g)
        assert score["recall"] >= floor, (split, score)
        assert score["precision"] >= floor, (split, score)


# ---------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------
def _frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "quote", "start", "end", "value", "unit", "hedge"])


def test_score_counts_value_and_unit_errors():
    gold = _frame(
        [
            ("a", "4亿", 0, 2, 4e8, "users", 0),
            ("a", "21%", 10, 13, 21, "percent", 0),
            ("a", "8家", 20, 22, 8, "firms", 0),
        ]
    )
    pred = _frame(
        [
            ("a", "4亿", 0, 2, 4e8, "users", 0),
            ("a", "21%", 10, 13, 21, "count", 0),
            ("a", "360", 30, 33, 360, "count", 0),
        ]
    )
    s = scoring.score_numbers(pred, gold)
    npt.assert_allclose([s["precision"], s["recall"]], [1 / 3, 1 / 3])
    npt.assert_allclose([s["span_precision"], s["span_recall"]], [2 / 3, 2 / 3])
    kinds = sorted(k for k, _, _ in s["errors"])
    assert kinds == ["missed", "spurious", "wrong"]


def test_score_perfect_and_overlap_only():
    gold = _frame([("a", "近1000万元", 5, 12, 1e7, "CNY", 1)])
    pred = _frame([("a", "1000万元", 6, 12, 1e7, "CNY", 1)])
    s = scoring.score_numbers(pred, gold)
    assert s["precision"] == s["recall"] == s["f1"] == 1.0
    other = _frame([("b", "1000万元", 6, 12, 1e7, "CNY", 1)])
    assert scoring.score_numbers(other, gold)["recall"] == 0.0


def test_score_rejects_bad_input():
    with pytest.raises(ValueError, match="DataFrame"):
        scoring.score_numbers([], _frame([]))
    with pytest.raises(ValueError, match="lacks columns"):
        scoring.score_numbers(pd.DataFrame({"x": [1]}), _frame([]))


# ---------------------------------------------------------------------------
# the number lexicon and the gold set, as files
# ---------------------------------------------------------------------------
def test_gold_set_is_read_typed():
    gold = scoring.load_numbers_gold()
    assert list(gold.columns) == list(lexicon.NUMBERS_GOLD_COLUMNS)
    assert gold["value"].dtype == float and set(gold["hedge"]) <= {0, 1}
    assert set(gold["unit"]) <= lexicon.number_units()


def _numbers_file(tmp_path, edit):
    data = yaml.safe_load(config.NUMBERS_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "numbers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line(path, err):
    return path.read_text(encoding="utf-8").splitlines()[err.value.line - 1]


def test_bad_false_friend_names_its_line(tmp_path):
    bad = _numbers_file(tmp_path, lambda d: d["false_friends"].insert(3, "百(度"))
    with pytest.raises(lexicon.LexiconError, match="false_friends: not a valid regular expression") as err:
        lexicon.numbers(bad)
    assert _line(bad, err).strip() == "- 百(度"


def test_bad_multiplier_names_its_line(tmp_path):
    bad = _numbers_file(tmp_path, lambda d: d["multipliers"].update({"亿": "a lot"}))
    with pytest.raises(lexicon.LexiconError, match="multipliers.亿 should be a positive number") as err:
        lexicon.numbers(bad)
    assert _line(bad, err).strip().startswith("亿:")


def test_bad_measure_names_its_line(tmp_path):
    bad = _numbers_file(tmp_path, lambda d: d["measures"].update({"用户": {"unit": "users", "mesure": "users"}}))
    with pytest.raises(lexicon.LexiconError, match="measures.用户: unknown key 'mesure'") as err:
        lexicon.numbers(bad)
    assert _line(bad, err).strip().startswith("mesure:")


def test_missing_section_is_named(tmp_path):
    bad = _numbers_file(tmp_path, lambda d: d.pop("hedges"))
    with pytest.raises(lexicon.LexiconError, match=r"missing sections \['hedges'\]"):
        lexicon.numbers(bad)


@pytest.mark.parametrize(("row", "problem"), [
    ("000_x,4亿,400000000,people,0,tune", None),
    ("000_x,4亿,四亿,users,0,tune", "value '四亿' is not a number"),
    ("000_x,4亿,400000000,humans,0,tune", "unknown unit 'humans'"),
    ("000_x,4亿,400000000,users,2,tune", "unknown hedge '2'"),
    ("000_x,4亿,400000000,users,0,dev", "unknown split 'dev'"),
    ("000_x,,400000000,users,0,tune", "missing field 'quote'"),
    ("000_x,4亿,400000000,users,0", "missing field 'split'"),
    ("000_x,4亿,400000000,users,0,tune,extra", "7 fields, the header has 6"),
])
def test_gold_rows_are_checked_with_their_line(tmp_path, row, problem):
    path = tmp_path / "numbers_gold.csv"
    path.write_text("article_id,quote,value,unit,hedge,split\n000_x,5亿,500000000,users,1,tune\n" + row + "\n",
                    encoding="utf-8")
    if problem is None:
        assert lexicon.numbers_gold(path)[1]["value"] == 4e8
        return
    with pytest.raises(lexicon.LexiconError, match=re.escape(problem)) as err:
        lexicon.numbers_gold(path)
    assert err.value.line == 3 and err.value.path == path


def test_bad_measure_role_names_its_line(tmp_path):
    bad = _numbers_file(tmp_path, lambda d: d["measures"].update({"奖金": {"unit": "CNY", "role": "sponsor"}}))
    with pytest.raises(lexicon.LexiconError, match=r"measures.奖金.role should be one of \['promoted', 'none'\]") as err:
        lexicon.numbers(bad)
    assert _line(bad, err).strip().startswith("role:")


# ---------------------------------------------------------------------------
# subjects: the canonical entity a figure measures (coding manual, section D)
# ---------------------------------------------------------------------------
def titled_doc(text: str, title: str = "") -> Document:
    doc = make_doc(text)
    doc.meta["title"] = title
    return doc


def subjects(text: str, title: str = "") -> dict[str, str]:
    df = N.extract_numbers(titled_doc(text, title))
    return dict(zip(df.quote, df.subject, strict=True))


@pytest.mark.parametrize(
    ("text", "title", "quote", "subject"),
    [
        # money spent to promote a product measures that product
        ("阿里此轮提供1000万的奖品推广来往。", "", "1000万", "Laiwang prize budget"),
        ("淘宝天猫支付宝首页全天候焦点图伺候,上千万的推广费用。", "阿里强推来往", "上千万", "Laiwang promotion spend"),
        # coordinated entities are measured together
        ("淘宝和支付宝的用户都是亿级。", "", "亿级", "Taobao/Alipay users"),
        ("手机QQ和微信每天对LBS调用次数达7亿次。", "", "7亿次", "QQ/WeChat LBS calls per day"),
        # the possessor of the measure noun
        ("阿里系的用户超过6个亿。", "", "超过6个亿", "Alibaba users"),
        # 之一: the entity is a member of the set counted
        ("阿里巴巴已经成为8家可能获批移动转售业务的公司之一。", "", "8家", "firms"),
        # a share of people that no entity owns
        ("社会调查发现,100%的人选择卸载支付宝。", "", "100%", "share of people"),
        # a company's measure: companies before products
        ("腾讯今天一半的市值就是由今日的微信创造的。", "", "一半", "Tencent market value share"),
        # an app's users with no product in the sentence: the article's topic product
        ("直接引进5亿社交用户,满足阿里系发展要求。", "如何让旺信干掉微信", "5亿", "Wangxin users"),
        # a demonstrative product: the topic product
        ("直接将旺信的聊天功能并入了淘宝、天猫,但这款聊天软件也就1千万的装机量。", "旺信之我见", "1千万",
         "Wangxin installs"),
        # 前两个 'the first two' of the list named before it
        ("阿里系有淘宝、天猫、支付宝钱包三个高频应用,其中前两个装机量都过亿。", "", "过亿", "Taobao/Tmall installs"),
        # an investment measures the company invested in, not the actor
        ("阿里花了2.5亿美金投资了美国的社交软件Tango。", "", "2.5亿美金", "Tango investment"),
    ],
)
def test_subject_known_answers(text, title, quote, subject):
    assert subjects(text, title)[quote] == subject


def test_people_belong_to_the_organisation_named_before():
    text = "阿里巴巴集团员工邀请亲朋好友下载注册来往。一等奖1名,奖励10万元;二等奖3名;三等奖10名,每人奖励1万元;"
    got = N.extract_numbers(titled_doc(text))
    assert set(got.loc[got["unit"] == "people", "subject"]) == {"Alibaba prize winners"}
    assert set(got.loc[got["unit"] == "CNY", "subject"]) == {"Laiwang prize money"}


def test_topic_product_title_first_then_most_named():
    assert N.topic_product(titled_doc("微信微信微信。", "旺信如何干掉微信")) == "Wangxin"
    assert N.topic_product(titled_doc("来往和微信。来往。")) == "Laiwang"
    assert N.topic_product(titled_doc("微信和来往。")) == "WeChat"  # a tie goes to the first named
    assert N.topic_product(titled_doc("阿里巴巴。")) is None


def test_subject_names_are_canonical_entities():
    canonical = {e["name"] for e in lexicon.entities()}
    ents = lexicon.numbers()["entities"]
    assert set(ents["products"].values()) | set(ents["companies"].values()) <= canonical


@needs_corpus
def test_corpus_subjects_that_were_wrong(table):
    """The subjects the reference coding found wrong (000, 002, 004) now name the right entity."""
    def subject(article: str, quote: str) -> list[str]:
        rows = table[table["article_id"].str.startswith(article) & (table["quote"] == quote)]
        return rows["subject"].tolist()

    assert subject("000", "几十万") == ["Laiwang lottery-ticket prizes"]
    assert subject("000", "上千万") == ["Laiwang promotion spend"]
    assert subject("002", "過億") == ["Taobao/Tmall installs"]
    assert subject("004", "1千万") == ["Wangxin installs"]
