"""The Makefile: every target documented in `make help`, and the recipes that follow the package's layout."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis import config

MAKEFILE = config.PROJ_ROOT / "Makefile"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _phony() -> list[str]:
    text = MAKEFILE.read_text(encoding="utf-8")
    return re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()


def _make(*args: str, keep_venv: bool = True) -> str:
    # -o: never rebuild the shared venv from a test, whatever the timestamps
    # --no-print-directory: under a parent make (CI runs `make test`) make[1] would announce its directory
    proc = subprocess.run(["make", "--no-print-directory", *(["-o", ".venv/.installed"] if keep_venv else []), *args],
                          cwd=config.PROJ_ROOT, capture_output=True, text=True, timeout=60, check=True)
    return proc.stdout


def test_every_target_is_documented():
    text = MAKEFILE.read_text(encoding="utf-8")
    documented = re.findall(r"^## ([\w-]+): ", text, re.M)
    assert sorted(documented) == sorted(_phony())
    for target in documented:  # the comment sits right above its rule
        assert re.search(rf"^## {re.escape(target)}: .*\n{re.escape(target)}:", text, re.M), target


def test_help_lists_every_target():
    listed = [line.split()[0] for line in _make("help").splitlines() if line.startswith("  ")]
    assert sorted(listed) == sorted(_phony())
    assert "lock" in listed


def test_recipes_follow_the_layout():
    data = _make("-n", "-W", "data/raw/README.md", "data")
    assert "-m analysis all" in data and "touch data/processed/.stamp" in data
    evaluate = _make("-n", "-W", "data/raw/README.md", "evaluate")
    assert "-m analysis evaluate" in evaluate
    book = _make("-n", "-W", "data/raw/README.md", "book")
    assert "--all" in book and "_build/.book-stamp" in book
    venv = _make("-n", "-W", "requirements.lock", "venv", keep_venv=False)  # -n: printed, not run
    assert "--require-hashes -r requirements.lock" in venv and "--no-deps" in venv
    lock = _make("-n", "lock")
    assert "--generate-hashes" in lock and "--python-version 3.11" in lock and "-o requirements.lock" in lock
    clean = _make("-n", "clean")
    assert "data/processed" in clean and "book/articles" in clean


def test_lock_pins_every_package_with_hashes():
    lock = (config.PROJ_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, re.M)
    assert len(pins) > 100
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
    direct = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (config.PROJ_ROOT / "requirements.txt").read_text(), re.M)
    locked = {name.lower().replace("_", "-"): version for name, version in pins}
    for name, version in direct:  # the lock honours every pin of requirements.txt
        assert locked.get(name.lower().replace("_", "-")) == version, name
