"""Reliability of a pipeline run: kills, concurrent runs, bad files at the boundary, a broken lexicon.

Every test works on copies under ``tmp_path`` and runs ``python -m analysis``
as a user would, in a subprocess; none touches the project's
``data/processed`` or ``book/``.

* Crash safety: a run SIGKILLed at any point leaves ``--out`` holding the old
  complete state or the new complete state, byte for byte, never a mix; the
  next run completes it.
* Concurrency: a second run on the same ``--out`` waits for the lock, or with
  ``--wait 0`` fails with one ``error:`` line naming the lock.
* Schema at the boundary: a tampered processed CSV fails with the file and the
  column named, and changes nothing.
* Missing input: a stage run on an empty ``--out`` names the stages to run.
* Broken lexicon: a broken file of ``data/lexicon`` fails with the file and
  the line named.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import PROJ_ROOT, cli_args, cli_env, run_cli, run_stages, snapshot

from analysis import catalog, config, lexicon
from analysis.stages import ORDER, STAGES


def _leftovers(out: Path) -> list[str]:
    """Staging or old copies left beside ``out`` (the lock file is meant to stay)."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if not p.name.endswith(".lock"))


def _all(out: Path, book: Path, raw: Path = config.RAW_DIR, *extra: str) -> list[str]:
    return ["all", "--raw", str(raw), "--out", str(out), "--book", str(book), *extra]


# ---------------------------------------------------------------------------
# shared states: the reference (a clean run on the five articles) and an older state (six articles)
# ---------------------------------------------------------------------------
EXTRA_ARTICLE = (
    "---\ntitle: 来往的第二春\nname: 测试作者\nurl: https://www.example.com/news/42\ntime: 2014-03-01 09:00\n---\n"
    "来往在二零一四年推出了新版本，阿里巴巴希望它能追上微信。\n\n"
    "作者认为，来往应该专注于熟人社交，而不是强推员工拉好友。微信已经有六亿用户。\n"
)


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("states")
    ref = base / "ref" / "processed"
    proc = run_cli(*_all(ref, base / "ref" / "book"))
    assert proc.returncode == 0, proc.stderr
    old_raw = base / "old_raw"  # the five articles and a sixth: a complete state that differs everywhere
    shutil.copytree(config.RAW_DIR, old_raw)
    (old_raw / "005_extra.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    old = base / "old" / "processed"
    proc = run_cli(*_all(old, base / "old" / "book", old_raw))
    assert proc.returncode == 0, proc.stderr
    new_state, old_state = snapshot(ref), snapshot(old)
    assert new_state != old_state and set(new_state) > {"01_corpus/corpus.csv", "06_compare/authors.csv"}
    return {"ref": ref, "new": new_state, "old_dir": old, "old": old_state}


@pytest.fixture()
def work(tmp_path, states) -> tuple[Path, Path]:
    """A processed folder holding the old complete state, and a book folder."""
    out = tmp_path / "data" / "processed"
    shutil.copytree(states["old_dir"], out)
    return out, tmp_path / "book"


def _assert_old_or_new(out: Path, states, when: str) -> str:
    now = snapshot(out)
    if now == states["old"]:
        return "old"
    if now == states["new"]:
        return "new"
    changed = sorted(k for k in set(now) | set(states["new"]) if now.get(k) != states["new"].get(k))
    stale = sorted(k for k in set(now) | set(states["old"]) if now.get(k) != states["old"].get(k))
    pytest.fail(f"{when}: {out} is a mix of states: differs from the new state in {changed[:8]} "
                f"and from the old one in {stale[:8]}")


def _finish_and_compare(out: Path, book: Path, states) -> None:
    proc = run_cli(*_all(out, book), "--wait", "0")
    assert proc.returncode == 0, proc.stderr  # the kill released the lock
    assert snapshot(out) == states["new"]
    assert _leftovers(out) == []


# ---------------------------------------------------------------------------
# a. crash safety
# ---------------------------------------------------------------------------
def _kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the run and any worker it started (its own session)
    proc.wait(timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("after_line, jobs", [(1, 1), (3, 1), (6, 1), (1, 2)])
def test_kill_after_a_stage_line(work, states, after_line, jobs):
    out, book = work
    proc = subprocess.Popen(cli_args(*_all(out, book), "--jobs", str(jobs)), cwd=PROJ_ROOT, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if len(lines) == after_line:
                break
    finally:
        _kill_group(proc)
    assert len(lines) == after_line, f"the run ended after {len(lines)} stage lines"
    assert lines[-1].startswith(ORDER[after_line - 1] + ":")
    assert _assert_old_or_new(out, states, f"killed after stage line {after_line}") == "old"
    _finish_and_compare(out, book, states)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1])
def test_kill_at_an_early_time(work, states, seed):
    delay = random.Random(seed).uniform(0.5, 4.0)  # random-ish, but the same on every run
    out, book = work
    proc = subprocess.Popen(cli_args(*_all(out, book)), cwd=PROJ_ROOT, env=cli_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    _kill_group(proc)
    _assert_old_or_new(out, states, f"killed {delay:.2f} s after the start")
    _finish_and_compare(out, book, states)


DRIVER = '''
import os, signal, sys
from analysis import _io, cli

point = sys.argv[1]
real_exchange = _io.exchange_dirs

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def exchange(new, current, old):
    if point == "before-swap":
        die()
    if point == "between-renames":  # the fallback of a system without renameat2
        os.replace(current, old)
        die()
    real_exchange(new, current, old)
    if point == "after-swap":
        die()

_io.exchange_dirs = exchange
sys.exit(cli.main(sys.argv[2:]))
'''


def _run_driver(tmp_path: Path, point: str, args: list[str]) -> int:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(driver), point, *args], cwd=PROJ_ROOT, env=cli_env(),
                          capture_output=True, text=True, timeout=600, check=False)
    return proc.returncode


@pytest.mark.slow
@pytest.mark.parametrize("point, expected", [("before-swap", "old"), ("after-swap", "new")])
def test_kill_during_the_commit(tmp_path, work, states, point, expected):
    out, book = work
    assert _run_driver(tmp_path, point, _all(out, book)) == -signal.SIGKILL
    assert _assert_old_or_new(out, states, f"killed {point}") == expected
    assert _leftovers(out)  # the staging copy or the old one, removed by the next run
    _finish_and_compare(out, book, states)


@pytest.mark.slow
def test_recover_after_a_kill_between_two_renames(tmp_path, work, states):
    """Without an atomic exchange, a kill between the renames is undone by the next run's recovery."""
    out, book = work
    assert _run_driver(tmp_path, "between-renames", _all(out, book)) == -signal.SIGKILL
    assert not out.exists() and (out.parent / f".{out.name}.old").is_dir()
    with catalog.lock(out, timeout=0):
        catalog.recover(out)
    assert snapshot(out) == states["old"]
    assert _leftovers(out) == []
    _finish_and_compare(out, book, states)


def test_exchange_dirs_swaps_atomically(tmp_path):
    from analysis import _io

    new, current, old = tmp_path / "new", tmp_path / "cur", tmp_path / "old"
    new.mkdir()
    (new / "f").write_text("new")
    assert _io.exchange_dirs(new, current, old) is False  # nothing to replace: a plain rename
    assert (current / "f").read_text() == "new" and not new.exists() and not old.exists()
    new.mkdir()
    (new / "f").write_text("newer")
    assert _io.exchange_dirs(new, current, old) is True
    assert (current / "f").read_text() == "newer" and (old / "f").read_text() == "new" and not new.exists()


# ---------------------------------------------------------------------------
# b. concurrent runs
# ---------------------------------------------------------------------------
def _start(out: Path, book: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(cli_args(*_all(out, book), *extra), cwd=PROJ_ROOT, env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.mark.slow
def test_second_run_waits_for_the_lock(work, states):
    out, book = work
    first = _start(out, book)
    try:
        assert first.stdout.readline().startswith("prepare:")  # the first run holds the lock
        second = _start(out, book)
        out2, err2 = second.communicate(timeout=600)
        out1, err1 = first.communicate(timeout=600)
    finally:
        for p in (first,):
            if p.poll() is None:
                _kill_group(p)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "waiting for another pipeline run" in err2 and f".{out.name}.lock" in err2
    assert [line.split(":")[0] for line in out2.splitlines()] == list(ORDER)
    assert snapshot(out) == states["new"]
    assert _leftovers(out) == []


@pytest.mark.slow
def test_second_run_with_wait_0_fails_clearly(work, states):
    out, book = work
    first = _start(out, book)
    try:
        assert first.stdout.readline().startswith("prepare:")
        second = subprocess.run(cli_args(*_all(out, book), "--wait", "0"), cwd=PROJ_ROOT, env=cli_env(),
                                capture_output=True, text=True, timeout=120, check=False)
        assert _assert_old_or_new(out, states, "while the first run goes on") == "old"
        first.communicate(timeout=600)
    finally:
        if first.poll() is None:
            _kill_group(first)
    assert second.returncode == 1
    assert second.stdout == ""
    err = second.stderr.splitlines()
    assert len(err) == 1 and err[0].startswith("error: another pipeline run is writing"), second.stderr
    assert str(out.parent / f".{out.name}.lock") in err[0]
    assert first.returncode == 0
    assert snapshot(out) == states["new"]


def test_lock_timeout_in_process(tmp_path):
    out = tmp_path / "processed"
    waits = []
    with catalog.lock(out, timeout=0):
        with pytest.raises(catalog.LockTimeout, match=r"\.processed\.lock"):
            with catalog.lock(out, timeout=0.3, poll=0.05, on_wait=waits.append):
                pass
    assert len(waits) == 1 and ".processed.lock" in waits[0]
    with catalog.lock(out, timeout=0):  # released
        pass


# ---------------------------------------------------------------------------
# c. schema at the boundary
# ---------------------------------------------------------------------------
def _edit_rows(text: str, edit) -> str:
    """Apply ``edit(rows)`` to a CSV text (a list of lists, header first) and render it again."""
    rows = list(csv.reader(io.StringIO(text)))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _drop(rows, col):
    i = rows[0].index(col)
    for r in rows:
        del r[i]


def _rename(rows, col, new):
    rows[0][rows[0].index(col)] = new


def _set(rows, col, row, value):
    rows[row][rows[0].index(col)] = value


def _append(rows, col):
    for i, r in enumerate(rows):
        r.append(col if i == 0 else "x")


TAMPER = {
    # case: (edit of claims.csv's rows, the column the message names, words of the message)
    "missing_column": (lambda rows: _drop(rows, "type"), "type", "is missing"),
    "renamed_column": (lambda rows: _rename(rows, "themes", "topics"), "themes", "found 'topics' in its place"),
    "text_in_int_column": (lambda rows: _set(rows, "start", 3, "twelve"), "start", "expected int, found 'twelve'"),
    "fraction_in_int_column": (lambda rows: _set(rows, "end", 2, "7.5"), "end", "expected int"),
    "bad_bool": (lambda rows: _set(rows, "heading", 1, "maybe"), "heading", "expected True/False"),
    "extra_column": (lambda rows: _append(rows, "surprise"), "surprise", "unexpected column"),
}


@pytest.fixture(scope="module")
def processed_copy_src(states) -> Path:
    return states["ref"]


@pytest.mark.parametrize("case", sorted(TAMPER))
def test_tampered_csv_names_file_and_column(tmp_path, processed_copy_src, case):
    edit, column, words = TAMPER[case]
    out = tmp_path / "processed"
    shutil.copytree(processed_copy_src, out)
    claims = catalog.path("claims", out)
    claims.write_text(_edit_rows(claims.read_text(encoding="utf-8"), edit), encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(catalog.SchemaError) as err:
        catalog.load("claims", out)
    assert str(claims) in str(err.value) and repr(column) in str(err.value) and words in str(err.value)
    # through the CLI: the next stage fails before it writes anything
    proc = run_cli("themes", "--out", str(out), "--book", str(tmp_path / "book"))
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert str(claims) in lines[0] and repr(column) in lines[0]
    assert snapshot(out) == before and _leftovers(out) == []


@pytest.mark.parametrize("content, words", [(b"", "the file is empty"),
                                             (b'a,b\n"unclosed,1\n', "not a readable CSV"),
                                             ("列".encode("gbk") + b"\n", "not a readable CSV")])
def test_unreadable_csv_names_file(tmp_path, content, words):
    out = tmp_path / "processed"
    path = catalog.path("numbers", out)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(catalog.SchemaError, match=words) as err:
        catalog.load("numbers", out)
    assert str(path) in str(err.value) and "python -m analysis numbers" in str(err.value)


# ---------------------------------------------------------------------------
# d. missing input
# ---------------------------------------------------------------------------
NEEDS = {s.name: s.inputs for s in STAGES if s.inputs}


@pytest.mark.parametrize("stage", sorted(NEEDS))
def test_stage_on_empty_out_names_the_stages_to_run(tmp_path, stage):
    out = tmp_path / "processed"
    proc = run_cli(stage, "--out", str(out), "--book", str(tmp_path / "book"))
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    first_input = NEEDS[stage][0]
    assert str(catalog.path(first_input, out)) in lines[0]
    assert "run `python -m analysis prepare`" in lines[0]  # every chain starts there
    assert f"`python -m analysis {catalog.artefact(first_input).stage}`" in lines[0]
    assert not out.exists() and _leftovers(out) == []


def test_missing_input_names_the_whole_chain(tmp_path):
    out = tmp_path / "processed"
    run_stages(["prepare"], out)
    with pytest.raises(catalog.MissingArtefact) as err:
        run_stages(["compare"], out)
    msg = str(err.value)
    assert str(catalog.path("claims", out)) in msg and "prepare" not in msg.split("run ")[1].split(" first")[0]
    assert "run `python -m analysis claims` first" in msg
    # stages selected together supply each other's inputs
    assert [r.name for r in run_stages(["numbers", "claims"], out)] == ["numbers", "claims"]


# ---------------------------------------------------------------------------
# e. broken lexicon
# ---------------------------------------------------------------------------
LEXICON_FILES = sorted(
    str(p.relative_to(config.LEXICON_DIR))
    for pattern in ("*.yaml", "*.txt", "labels/*.csv")
    for p in config.LEXICON_DIR.glob(pattern)
)


def _config_paths() -> dict[str, Path]:
    """The constants of analysis.config that point into data/lexicon."""
    lex = config.LEXICON_DIR
    return {k: v for k, v in vars(config).items()
            if k.isupper() and isinstance(v, Path) and (v == lex or lex in v.parents)}


def _read_by_the_code(name: str) -> bool:
    """Whether a module of the package uses a config constant that names ``data/lexicon/NAME``."""
    constants = [k for k, v in _config_paths().items() if v == config.LEXICON_DIR / name]
    sources = [p.read_text(encoding="utf-8") for p in (config.PROJ_ROOT / "analysis").rglob("*.py")
               if p.name != "config.py"]
    return any(re.search(rf"\b{c}\b", src) for c in constants for src in sources)


def _break(path: Path) -> int:
    """Break ``path`` in a way its loader must reject; return the 1-based line of the damage."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    # the first line that holds data, after the header comments
    first = next(i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#"))
    if path.suffix == ".yaml":
        bad = "@broken: yaml\n"  # '@' cannot start a YAML token: the scanner stops on this line
        target = len(lines)
    elif path.suffix == ".csv":
        header = lines[first]
        bad = "only,three,fields\n" if header.count(",") != 2 else "only,two\n"
        target = first + 2
    elif path.name == "userdict.txt":
        bad = "词语 not-a-frequency nz\n"  # word, frequency, tag
        target = first + 1
    elif path.name == "boilerplate.txt":
        bad = "([unclosed regex\n"
        target = first + 1
    else:  # one word per line
        bad = "two words\n"
        target = first + 1
    lines.insert(target, bad)
    path.write_text("".join(lines), encoding="utf-8")
    return target + 1


@contextlib.contextmanager
def _lexicon_at(lex: Path) -> Iterator[None]:
    """Point every lexicon path of analysis.config at the copy ``lex``, with empty loader caches."""
    real = config.LEXICON_DIR
    with pytest.MonkeyPatch.context() as mp:
        for name, value in _config_paths().items():
            mp.setattr(config, name, lex / value.relative_to(real))
        lexicon.clear_cache()
        try:
            yield
        finally:
            lexicon.clear_cache()
    lexicon.clear_cache()


_OPENED: list[str] | None = None  # files opened while a recording is on (one audit hook per process)
_HOOKED = False


def _audit(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fsdecode(args[0]))


@pytest.fixture(scope="module")
def pipeline_reads(tmp_path_factory) -> dict[str, object]:
    """A clean in-process run on a copy of the lexicon: which lexicon files it opened, and its output."""
    global _OPENED, _HOOKED
    base = tmp_path_factory.mktemp("lexicon_clean")
    lex = base / "lexicon"
    shutil.copytree(config.LEXICON_DIR, lex)
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    _OPENED = []
    try:
        with _lexicon_at(lex):
            run_stages(None, base / "processed")
        opened = {str(Path(p).relative_to(lex)) for p in _OPENED if Path(p).is_relative_to(lex)}
    finally:
        _OPENED = None
    return {"files": opened, "processed": snapshot(base / "processed")}


def test_lexicon_copy_runs_clean(pipeline_reads, states):
    """The unbroken copy gives the reference output, and the pipeline reads it, not data/lexicon."""
    assert pipeline_reads["processed"] == states["new"]
    assert {"strategies.yaml", "cues.yaml", "userdict.txt", "labels/claims_gold.csv"} <= pipeline_reads["files"]


@pytest.mark.parametrize("name", [n for n in LEXICON_FILES if _read_by_the_code(n)])
def test_broken_lexicon_names_file_and_line(tmp_path, pipeline_reads, name):
    """A broken file read by the pipeline fails the pipeline; one read only by the book fails its loader."""
    lex = tmp_path / "lexicon"
    shutil.copytree(config.LEXICON_DIR, lex)
    broken = lex / name
    line = _break(broken)
    out = tmp_path / "processed"
    with _lexicon_at(lex), pytest.raises(Exception) as err:  # noqa: B017 -- checked below
        if name in pipeline_reads["files"]:
            run_stages(None, out)
        else:  # the book's chapters read it through its loader, named after the file
            loader = getattr(lexicon, Path(name).stem, None)
            assert callable(loader), f"{name} is not read by the pipeline, and analysis.lexicon has no loader for it"
            loader()
    message = str(err.value)
    assert isinstance(err.value, lexicon.LexiconError), f"{type(err.value).__name__}: {message}"
    assert f"{broken}:{line}:" in message, message
    assert not out.exists()
