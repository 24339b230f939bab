"""The per-document result cache: incremental rebuilds give the bytes of a cold run.

Every pipeline run here writes into temporary folders and a temporary cache
(``config.CACHE_DIR`` is pointed at ``tmp_path``), never into the project's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from helpers import run_stages, snapshot

from analysis import cache as doc_cache
from analysis import config, lexicon
from analysis.cache import DocumentCache, code_version, module_closure
from analysis.corpus.stage import _Prepared

#: The stages whose work is per document, and the corpus-level ones that reuse it.
STAGES = ["prepare", "numbers", "claims", "themes", "conflicts"]
NEW_ARTICLE = (
    "---\ntitle: 新文章\nname: tester\ntime: 2014-05-01 09:00\n---\n"
    "来往是阿里巴巴在2013年推出的移动社交产品。马云要求员工每人拉100个外部好友。\n\n"
    "微信当时已经有3亿用户，来往的日活跃用户不到100万。阿里应该专注于企业通讯。\n"
)


class RecordingCache(DocumentCache):
    """A cache that remembers what it stored in this process (use with ``n_jobs=1``)."""

    stored: list[tuple[str, object]] = []

    def store(self, key: str, value: object) -> None:
        RecordingCache.stored.append((key, value))
        super().store(key, value)


def _kind(value: object) -> str:
    """Which per-document function produced a cached value."""
    if isinstance(value, _Prepared):
        return "prepare"
    if isinstance(value, pd.DataFrame):
        return "claims" if "sentence_clean" in value.columns else "numbers"
    if isinstance(value, list):
        # the stance tagger's coded pairs of an article outside the reference (one frame), the claim coder's
        # types (a str per sentence) or the topic model's tokens (a list per sentence)
        if value and all(isinstance(v, pd.DataFrame) for v in value):
            return "coded"
        return "types" if value and all(isinstance(v, str) for v in value) else "tokens"
    if isinstance(value, dict) and "speaker" in value:
        return "stance"  # the stance coder's per-article preparation
    return type(value).__name__


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setattr(config, "CACHE_DIR", d)
    RecordingCache.stored = []
    return d


@pytest.fixture()
def raw4(tmp_path) -> Path:
    """The real articles but the last one."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in sorted(config.RAW_DIR.glob("*.txt"))[:-1]:
        shutil.copy(p, raw / p.name)
    return raw


def test_store_load_roundtrip_and_same_bytes(tmp_path):
    store = DocumentCache(tmp_path)
    value = pd.DataFrame({"a": [1, 2], "b": ["来往", "微信"]})
    key = store.key("v1", "0" * 64, "x")
    assert store.load(key) == (False, None)
    store.store(key, value)
    first = store.path(key).read_bytes()
    found, back = store.load(key)
    assert found
    pd.testing.assert_frame_equal(back, value)
    store.store(key, value.copy())
    assert store.path(key).read_bytes() == first  # deterministic serialisation
    assert not list(store.path(key).parent.glob("*.tmp"))  # no temporary file left behind
    assert DocumentCache(tmp_path, enabled=False).load(key) == (False, None)


def test_key_covers_version_content_and_name():
    keys = {DocumentCache.key(v, c, n) for v in ("v1", "v2") for c in ("a", "b") for n in ("x", "y")}
    assert len(keys) == 8


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_corrupt_entry_is_detected_and_dropped(tmp_path, capsys, damage):
    store = DocumentCache(tmp_path)
    key = store.key("v", "c")
    store.store(key, {"figures": [1, 2, 3]})
    data = bytearray(store.path(key).read_bytes())
    if damage == "flip":
        data[-3] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data = bytearray(b"not a cache entry")
    store.path(key).write_bytes(bytes(data))
    assert store.load(key) == (False, None)
    assert "corrupt cache entry" in capsys.readouterr().err
    assert not store.path(key).exists()


def test_code_version_follows_imports_only():
    figures = module_closure("analysis.extract.figures")
    assert "analysis.extract.figures" in figures
    assert not any(m.startswith(("analysis.themes", "analysis.report", "analysis.adoption")) for m in figures)
    assert "analysis.segment" in module_closure("analysis.themes.model")
    assert code_version(["analysis.extract.figures"]) != code_version(["analysis.themes.model"])
    with pytest.raises(ValueError, match="not a module of the analysis package"):
        module_closure("json")


def test_version_changes_with_a_lexicon_file(tmp_path):
    from analysis.extract.figures import extract_numbers

    lex = tmp_path / "numbers.yaml"
    shutil.copy(config.NUMBERS_FILE, lex)
    store = DocumentCache(tmp_path / "c")
    before = store.version(extract_numbers, lexicons=[lex])
    assert store.version(extract_numbers, lexicons=[lex]) == before
    lex.write_text(lex.read_text(encoding="utf-8") + "# one more comment\n", encoding="utf-8")
    assert store.version(extract_numbers, lexicons=[lex]) != before
    with pytest.raises(ValueError, match="not a module-level function of the analysis package"):
        store.version(len)


@pytest.mark.slow
def test_incremental_rebuild_is_byte_identical_to_cold(tmp_path, cache_dir, raw4):
    # warm the cache on four articles, then add the fifth: only its entries are new
    run_stages(STAGES, tmp_path / "before", raw=raw4, cache=RecordingCache())
    assert {_kind(v) for _, v in RecordingCache.stored} == {"prepare", "numbers", "claims", "types", "tokens",
                                                            "stance"}
    RecordingCache.stored = []
    last = sorted(config.RAW_DIR.glob("*.txt"))[-1]
    shutil.copy(last, raw4 / last.name)
    run_stages(STAGES, tmp_path / "incremental", raw=raw4, cache=RecordingCache())
    recomputed = sorted(_kind(v) for _, v in RecordingCache.stored)
    # the new article's results, the types of every article whose fold's training data changed (the type
    # classifier is cross-fitted on the reference articles, and the new one is one of them), and the stance
    # preparation of every article whose claim types changed
    assert [k for k in recomputed if k not in ("stance", "types")] == ["claims", "numbers", "prepare", "tokens"]
    assert 1 <= recomputed.count("types") <= 5, recomputed
    assert 1 <= recomputed.count("stance") <= 5, recomputed
    # a cold run without any cache, and a warm no-op run, give the same bytes
    run_stages(STAGES, tmp_path / "cold", raw=raw4, cache=False)
    RecordingCache.stored = []
    run_stages(STAGES, tmp_path / "noop", raw=raw4, cache=RecordingCache())
    assert RecordingCache.stored == []
    cold = snapshot(tmp_path / "cold")
    assert snapshot(tmp_path / "incremental") == cold
    assert snapshot(tmp_path / "noop") == cold
    assert snapshot(tmp_path / "before") != cold


@pytest.mark.slow
def test_changed_lexicon_recomputes_exactly_its_dependants(tmp_path, cache_dir, monkeypatch):
    names = ["prepare", "numbers", "claims", "themes"]
    run_stages(names, tmp_path / "a", cache=RecordingCache())
    n_articles = len(list(config.RAW_DIR.glob("*.txt")))
    first = sorted(_kind(v) for _, v in RecordingCache.stored)
    assert first == sorted(["prepare", "numbers", "claims", "types", "tokens", "stance"] * n_articles)

    def rerun_with_changed(const: str, out: str) -> list[str]:
        copy = tmp_path / "lexicon" / Path(getattr(config, const)).name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(getattr(config, const), copy)
        with copy.open("a", encoding="utf-8") as fh:  # a comment: a new version, the same meaning
            fh.write("\n# changed for test_cache\n")
        monkeypatch.setattr(config, const, copy)
        lexicon.clear_cache()
        RecordingCache.stored = []
        run_stages(names, tmp_path / out, cache=RecordingCache())
        monkeypatch.undo()
        monkeypatch.setattr(config, "CACHE_DIR", cache_dir)
        lexicon.clear_cache()
        return sorted(set(_kind(v) for _, v in RecordingCache.stored))

    # numbers.yaml shapes the figures and the claims' evidence, not the records or the tokens
    assert rerun_with_changed("NUMBERS_FILE", "b") == ["claims", "numbers"]
    # the stopwords shape only the topic-model tokens
    assert rerun_with_changed("STOPWORDS_FILE", "c") == ["tokens"]
    # the boilerplate patterns shape the records, so everything read from them (the stance coder's
    # preparation is keyed by the sentences themselves, which a comment does not change)
    assert rerun_with_changed("BOILERPLATE_FILE", "d") == ["claims", "numbers", "prepare", "tokens"]
    # the stance lexicon shapes only the stance coder's preparation
    assert rerun_with_changed("STANCE_FILE", "e") == ["stance"]
    assert snapshot(tmp_path / "b") == snapshot(tmp_path / "a")


@pytest.mark.slow
def test_corrupt_entry_recomputed_in_a_run(tmp_path, cache_dir, capsys):
    run_stages(["prepare", "numbers"], tmp_path / "a")
    store = DocumentCache()
    keys = store.keys()
    assert keys
    victim = store.path(keys[0])
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    run_stages(["prepare", "numbers"], tmp_path / "b")
    assert "corrupt cache entry" in capsys.readouterr().err
    assert store.load(keys[0])[0]  # rewritten, and valid
    assert snapshot(tmp_path / "b") == snapshot(tmp_path / "a")


@pytest.mark.slow
def test_cache_through_dask_local_cluster(tmp_path, cache_dir):
    pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (pip install .[dask])")
    run_stages(["prepare", "numbers"], tmp_path / "serial", cache=False)
    shared = DocumentCache(tmp_path / "shared")
    run_stages(["prepare", "numbers"], tmp_path / "dask", n_jobs=2, backend="dask", cache=shared)
    written = shared.keys()
    n_articles = len(list(config.RAW_DIR.glob("*.txt")))
    assert len(written) == 2 * n_articles  # the workers stored their results in the shared folder
    # a second cluster finds them all: nothing is recomputed, and the bytes are the same
    for key in written:
        shared.path(key).touch()
    mtimes = {k: shared.path(k).stat().st_mtime_ns for k in written}
    run_stages(["prepare", "numbers"], tmp_path / "dask2", n_jobs=2, backend="dask", cache=shared)
    assert {k: shared.path(k).stat().st_mtime_ns for k in shared.keys()} == mtimes
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "serial")
    assert snapshot(tmp_path / "dask2") == snapshot(tmp_path / "serial")


def test_no_cache_flag_in_cli():
    from analysis.cli import build_parser

    assert build_parser().parse_args(["all", "--no-cache"]).no_cache is True
    assert build_parser().parse_args(["numbers"]).no_cache is False


def test_runner_activates_a_cache_only_inside_a_run():
    assert doc_cache.current() is None


def test_content_key_tells_apart_what_a_joined_text_would_not():
    # two sentences, or one sentence holding a line break: the same text once joined, not the same content
    assert DocumentCache.content_key("v", ["a", "b"], "x") != DocumentCache.content_key("v", ["a\nb"], "x")
    assert DocumentCache.content_key("v", ["a", "b"], "x") == DocumentCache.content_key("v", ["a", "b"], "x")
    assert DocumentCache.content_key("v", ["a"], "x") != DocumentCache.content_key("w", ["a"], "x")
