"""Two clean runs of the whole pipeline give byte-identical files in data/processed."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.cli import ORDER, main


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_clean_runs_byte_identical(tmp_path, capsys):
    stages = [s for s in ORDER if s != "pages"]  # pages writes into book/, checked in test_pages
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        for stage in stages:
            assert main([stage, "--raw", str(config.RAW_DIR), "--out", str(out)]) == 0, stage
        runs.append(snapshot(out))
    capsys.readouterr()
    assert runs[0] == runs[1]
    expected = {"corpus.csv", "numbers.csv", "claims.csv", "strategy_stance.csv", "fact_conflicts.csv",
                "evaluation.csv", "wechat_forecast.csv", "scenarios.csv", "timeline.csv", "features.csv"}
    assert expected <= set(runs[0])
