"""Two clean runs of the whole pipeline give byte-identical files, in data/processed and book/articles."""

from __future__ import annotations

import pytest
from helpers import run_cli, snapshot

from analysis import catalog, config
from analysis.cli import ORDER


def _clean_run(tmp_path, name: str, *extra: str, **env: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    out, book = tmp_path / name / "processed", tmp_path / name / "book"
    proc = run_cli("all", "--raw", str(config.RAW_DIR), "--out", str(out), "--book", str(book), *extra, **env)
    assert proc.returncode == 0, proc.stderr
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == list(ORDER)
    return snapshot(out), snapshot(book)


@pytest.mark.slow
def test_two_clean_runs_byte_identical(tmp_path):
    # the first without the per-document cache, the second filling a cache of its own: both really cold
    first = _clean_run(tmp_path, "a", "--no-cache")
    second = _clean_run(tmp_path, "b", ANALYSIS_CACHE_DIR=str(tmp_path / "cache-b"))
    assert first[0] == second[0]
    assert first[1] == second[1]
    # every artefact of the catalogue is there, and nothing else
    declared = {a.relpath for a in catalog.ARTEFACTS.values() if a.kind == "csv"}
    records = {f"{catalog.artefact('documents').relpath}/{p.stem}.json" for p in config.RAW_DIR.glob("*.txt")}
    assert set(first[0]) == declared | records
    pages = {name.removeprefix("articles/") for name in first[1] if name.startswith("articles/")}
    assert pages == {"index.md"} | {f"{p.stem}.md" for p in config.RAW_DIR.glob("*.txt")}


@pytest.mark.slow
def test_same_bytes_whatever_hash_seed_and_workers(tmp_path):
    serial = _clean_run(tmp_path, "serial", "--no-cache", PYTHONHASHSEED="0")
    parallel = _clean_run(tmp_path, "parallel", "--jobs", "2", PYTHONHASHSEED="4242",
                          ANALYSIS_CACHE_DIR=str(tmp_path / "cache-parallel"))
    assert serial == parallel
