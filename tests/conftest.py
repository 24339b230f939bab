"""Shared fixtures: the real corpus, loaded once."""

from __future__ import annotations

import pytest

from analysis import config
from analysis.corpus import load_article, raw_paths


@pytest.fixture(scope="session")
def raw_files():
    return raw_paths(config.RAW_DIR)


@pytest.fixture(scope="session")
def docs(raw_files):
    return {p.stem[:3]: load_article(p) for p in raw_files}
