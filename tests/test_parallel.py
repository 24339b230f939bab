"""The parallel map: same outputs whatever n_jobs and backend, clear errors on bad arguments."""

from __future__ import annotations

import operator
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import run_stages, snapshot

from analysis import catalog, config
from analysis.corpus import CorpusError, article_ids, iter_documents, map_articles
from analysis.extract.figures import extract_numbers, numbers_table
from analysis.parallel import map_documents

GOOD = "---\ntitle: 测试\nname: tester\n---\n来往是阿里巴巴的移动社交产品。微信已经有4亿用户。\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """A fresh result cache per test, so that every backend really computes (see tests/test_cache.py)."""
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path_factory.mktemp("cache"))


def prepare(raw: Path, out: Path, **kwargs) -> None:
    """The ``prepare`` stage alone, into the processed folder ``out``."""
    run_stages(["prepare"], out, raw=raw, **kwargs)


@pytest.fixture(scope="module")
def serial_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "processed"
    prepare(config.RAW_DIR, out, n_jobs=1)
    return out


def test_map_documents_keeps_input_order():
    items = list(range(-40, 40))
    expected = [abs(x) for x in items]
    assert map_documents(abs, items) == expected
    assert map_documents(abs, items, n_jobs=2) == expected
    assert map_documents(abs, items, n_jobs=2, backend="threading") == expected
    assert map_documents(abs, []) == []


def test_map_documents_progress_sees_every_result():
    seen = []

    def progress(it):
        for x in it:
            seen.append(x)
            yield x

    assert map_documents(operator.neg, [1, 2, 3], n_jobs=2, progress=progress) == [-1, -2, -3]
    assert seen == [-1, -2, -3]


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, True, "2", None])
def test_bad_n_jobs(n_jobs):
    with pytest.raises(ValueError, match="n_jobs must be a positive integer or -1"):
        map_documents(abs, [1, 2], n_jobs=n_jobs)


@pytest.mark.parametrize("backend", ["mpi", "multiprocessing", "", None])
def test_bad_backend(backend):
    with pytest.raises(ValueError, match="backend must be one of"):
        map_documents(abs, [1, 2], backend=backend)


def test_scheduler_needs_dask_backend():
    with pytest.raises(ValueError, match="needs backend='dask'"):
        map_documents(abs, [1], scheduler="tcp://127.0.0.1:8786")


def test_prepare_rejects_bad_parallel_args_before_writing(tmp_path):
    with pytest.raises(ValueError, match="n_jobs"):
        prepare(config.RAW_DIR, tmp_path / "out", n_jobs=0)
    with pytest.raises(ValueError, match="backend"):
        prepare(config.RAW_DIR, tmp_path / "out", backend="spark")
    assert list(tmp_path.iterdir()) == []  # not even the lock file


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ImportError, match=r"pip install \.\[dask\]"):
        map_documents(abs, [1, 2], n_jobs=2, backend="dask")


def test_prepare_loky_byte_identical(serial_out, tmp_path):
    prepare(config.RAW_DIR, tmp_path / "out", n_jobs=2, backend="loky")
    assert snapshot(tmp_path / "out") == snapshot(serial_out)
    assert len(snapshot(serial_out)) == 6  # five records and the corpus table


def test_prepare_threading_byte_identical(serial_out, tmp_path):
    prepare(config.RAW_DIR, tmp_path / "out", n_jobs=2, backend="threading")
    assert snapshot(tmp_path / "out") == snapshot(serial_out)


def test_prepare_dask_local_cluster_byte_identical(serial_out, tmp_path):
    pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (pip install .[dask])")
    prepare(config.RAW_DIR, tmp_path / "out", n_jobs=2, backend="dask")
    assert snapshot(tmp_path / "out") == snapshot(serial_out)


@pytest.fixture()
def messy_raw(tmp_path) -> Path:
    """The real articles plus a bad file, a duplicate and a good new one, interleaved by name."""
    raw = tmp_path / "raw"
    raw.mkdir()
    paths = sorted(config.RAW_DIR.glob("*.txt"))
    for p in paths:
        shutil.copy(p, raw / p.name)
    (raw / "001a_empty.txt").write_bytes(b"")
    shutil.copy(paths[0], raw / "002a_copy.txt")
    (raw / "003a_new.txt").write_text(GOOD, encoding="utf-8")
    (raw / "003b_gbk.txt").write_bytes("来往是阿里巴巴的产品。".encode("gbk"))
    return raw


def test_errors_in_file_order_whatever_n_jobs(messy_raw, tmp_path):
    runs = {}
    for n_jobs in (1, 2):
        warned: list[CorpusError] = []
        out = tmp_path / f"out{n_jobs}"
        prepare(messy_raw, out, skip_bad=True, warn=warned.append, n_jobs=n_jobs)
        runs[n_jobs] = ([str(e) for e in warned], snapshot(out))
    assert runs[1] == runs[2]
    messages = runs[1][0]
    assert [m.split(":")[0] for m in messages] == ["001a_empty.txt", "002a_copy.txt", "003b_gbk.txt"]
    assert "duplicate article: same content as 000_" in messages[1]
    for n_jobs in (1, 2):
        with pytest.raises(CorpusError, match=r"^001a_empty\.txt: file is empty"):
            prepare(messy_raw, tmp_path / "strict", n_jobs=n_jobs)


def test_numbers_over_map_articles_equal_serial(serial_out):
    ids = article_ids(serial_out)
    assert len(ids) == 5
    serial = numbers_table(iter_documents(processed_dir=serial_out))
    assert len(serial) > 0
    frames = map_articles(extract_numbers, processed_dir=serial_out, n_jobs=2)
    assert len(frames) == len(ids)
    parallel = pd.concat([f for f in frames if len(f)], ignore_index=True)
    parallel["value"] = parallel["value"].astype(object)
    parallel = parallel.sort_values(["article_id", "start", "end"], ignore_index=True)[serial.columns]
    pd.testing.assert_frame_equal(parallel, serial)
    # numbers_table itself accepts the documents that the workers loaded
    docs = map_articles(_identity, processed_dir=serial_out, n_jobs=2)
    pd.testing.assert_frame_equal(numbers_table(docs), serial)


def _identity(doc):
    return doc


def test_article_ids_needs_prepare(tmp_path):
    with pytest.raises(catalog.MissingArtefact, match="run `python -m analysis prepare` first"):
        article_ids(tmp_path)


@pytest.mark.parametrize("stage", ["numbers", "claims"])
def test_stage_identical_whatever_n_jobs(serial_out, tmp_path, stage):
    outs = {}
    for n_jobs in (1, 2):
        out = tmp_path / f"jobs{n_jobs}" / "processed"
        shutil.copytree(serial_out, out)
        (result,) = run_stages([stage], out, n_jobs=n_jobs, backend="loky")
        assert result.outputs == (catalog.path(stage, out),)
        outs[n_jobs] = catalog.path(stage, out).read_bytes()
    assert outs[1] == outs[2]
    assert len(outs[1].splitlines()) > 5


def test_chunked_pool_keeps_order_and_reuses_its_workers():
    from analysis.parallel import _local_executor

    items = list(range(-300, 300))
    assert map_documents(abs, items, n_jobs=2) == [abs(x) for x in items]
    pool = _local_executor(2)
    workers = set(pool._processes)
    first = set(map_documents(_pid, list(range(40)), n_jobs=2))
    second = set(map_documents(_pid, list(range(40)), n_jobs=2))
    assert _local_executor(2) is pool  # one pool for every stage of a run
    assert first | second <= workers  # the same worker processes, started once
    assert set(pool._processes) == workers
    assert os.getpid() not in first  # and not this process: 40 items are more than SMALL_MAP


def _pid(_: object) -> int:
    return os.getpid()


def _doubled(rows: list[int]) -> list[int]:
    return [2 * r for r in rows]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_map_batches_packs_groups_and_caches_each(tmp_path, n_jobs):
    from analysis.cache import DocumentCache
    from analysis.parallel import map_batches

    groups = [[1, 2, 3], [], [4], list(range(10, 22)), [5, 6]]
    expected = [_doubled(g) for g in groups]
    assert map_batches(_doubled, groups, batch=4, n_jobs=n_jobs) == expected
    store = DocumentCache(tmp_path / "c")
    keys = [store.key("v", str(i)) for i in range(len(groups))]
    assert map_batches(_doubled, groups, batch=4, n_jobs=n_jobs, cache=store, keys=keys) == expected
    assert store.keys() == sorted(keys)
    # the cached values are read back, not recomputed
    assert map_batches(operator.neg, groups, batch=4, cache=store, keys=keys) == expected
    with pytest.raises(ValueError, match="batch"):
        map_batches(_doubled, groups, batch=0)
    with pytest.raises(ValueError, match="cache keys"):
        map_batches(_doubled, groups, batch=4, cache=store, keys=keys[:2])
