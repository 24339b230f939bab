"""The data catalogue: every artefact the pipeline writes, declared once.

Each :class:`Artefact` has a name, a path under ``data/processed/`` (in a
folder per stage, numbered in data-flow order), the stage that produces it
and its columns with their dtypes.  Nothing else in the package knows where a
processed file lives: stages receive and return named frames, and
:mod:`analysis.stages` loads and saves them through :func:`load` and
:func:`save_all`.  This is the kedro catalogue idea (``conf/base/catalog.yml``)
in a few lines of Python.

One policy for every boundary:

* a missing input raises :class:`MissingArtefact`, naming the stage to run;
* a file whose columns or dtypes do not match its declaration raises
  :class:`SchemaError`, naming the file and the column;
* :func:`save_all` checks every frame first, then writes all files of the
  call or none of them (:func:`analysis._io.write_all_or_nothing`);
* :func:`transaction` makes a whole run atomic: the stages write into a
  staging copy of ``data/processed``, which replaces it in one rename at the
  end, so a run killed at any point leaves the old complete state or the new
  one, never a mix; and :func:`lock` makes a second concurrent run wait.

Loaded frames follow one dtype convention: ``str`` columns hold ``""`` for an
empty cell (never NaN), ``int`` columns are ``int64``, ``float`` columns are
``float64`` (NaN for an empty cell) and ``bool`` columns are ``bool``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import _io, config

__all__ = [
    "Artefact",
    "ARTEFACTS",
    "MissingArtefact",
    "SchemaError",
    "LockTimeout",
    "artefact",
    "path",
    "exists",
    "load",
    "load_optional",
    "save_all",
    "check_frame",
    "lock",
    "transaction",
    "recover",
]

DTYPES = ("str", "int", "float", "bool")


class MissingArtefact(FileNotFoundError):
    """An input artefact has not been produced yet.

    Parameters
    ----------
    message : str
        The missing file and the command that produces it.
    """


class SchemaError(ValueError):
    """A processed file does not match its declared columns or dtypes.

    Parameters
    ----------
    message : str
        The file, the column and what was expected and found there.
    """


class LockTimeout(RuntimeError):
    """Another pipeline run holds the lock on ``data/processed``."""


@dataclass(frozen=True)
class Artefact:
    """One output of the pipeline.

    Attributes
    ----------
    name : str
        The catalogue name (``"claims"``), used by stages and notebooks.
    relpath : str
        Its path under ``data/processed`` (``"02_extract/claims.csv"``).
    stage : str
        The stage that writes it (the ``python -m analysis`` sub-command).
    columns : tuple of (str, str)
        ``(column, dtype)`` in file order, dtype one of ``str``, ``int``,
        ``float``, ``bool``.  For ``kind="records"``, empty.
    kind : {"csv", "records"}
        A CSV table, or a folder of one JSON record per article.
    extra_columns : bool
        Whether further columns may follow the declared ones (the feature
        matrix has one column per feature of the lexicon).
    description : str
        One line for the reader.
    """

    name: str
    relpath: str
    stage: str
    columns: tuple[tuple[str, str], ...] = ()
    kind: str = "csv"
    extra_columns: bool = False
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        """The declared column names, in order."""
        return [c for c, _ in self.columns]


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """Parse ``"a:str b:int"`` into ``(("a", "str"), ("b", "int"))``."""
    out = []
    for item in spec.split():
        name, _, dtype = item.partition(":")
        if dtype not in DTYPES:
            raise ValueError(f"catalogue: column {name!r} has unknown dtype {dtype!r}")
        out.append((name, dtype))
    return tuple(out)


_DECLARED = [
    # 01 corpus -------------------------------------------------------------
    Artefact("documents", "01_corpus/articles", "prepare", kind="records",
             description="one clean record per article (text, raw offsets, metadata), JSON"),
    Artefact("corpus", "01_corpus/corpus.csv", "prepare", _cols(
        "article_id:str title:str author:str source:str url:str date:str script:str n_chars_raw:int "
        "n_chars_clean:int removed_front_matter:int removed_boilerplate:int removed_duplicates:int "
        "removed_pinyin:int removed_nfkc:int removed_t2s:int nfkc_changed:int t2s_changed:int"),
        description="one row per article: metadata, sizes and the cleaning report"),
    # 02 extract ------------------------------------------------------------
    Artefact("numbers", "02_extract/numbers.csv", "numbers", _cols(
        "article_id:str quote:str start:int end:int value:float unit:str subject:str hedge:str"),
        description="every figure the articles quote, normalised, with its raw span"),
    Artefact("claims", "02_extract/claims.csv", "claims", _cols(
        "claim_id:str article_id:str sentence:str start:int end:int type:str themes:str entities:str "
        "sentence_clean:str clean_start:int clean_end:int heading:bool polarity:str cues:str criticism:str"),
        description="every sentence, typed, with its strategies, entities and raw span"),
    # 03 themes -------------------------------------------------------------
    Artefact("themes", "03_themes/themes.csv", "themes", _cols("topic:int rank:int term:str weight:float"),
             description="the heaviest terms of each topic of the NMF topic model"),
    Artefact("theme_stability", "03_themes/theme_stability.csv", "themes", _cols(
        "kind:str run:int seed:int topic:int matched_topic:int cosine:float"),
        description="matched cosine of each topic in perturbed refits"),
    Artefact("topic_codebook", "03_themes/topic_codebook.csv", "themes", _cols(
        "topic:int top_terms:str strategy:str n_sentences:int cosine:float best_for_topic:bool "
        "best_for_strategy:bool"),
        description="cosine between topics and the codebook's strategies"),
    Artefact("strategy_stance", "03_themes/strategy_stance.csv", "themes", _cols(
        "strategy:str article_id:str stance:str n_supports:int n_criticises:int n_reports:int evidence:str "
        "reference_stance:str checked:bool"),
        description="each article's stance on each strategy (cross-fitted coder), its evidence sentences and "
                    "the reference cell"),
    Artefact("sentence_stance", "03_themes/sentence_stance.csv", "themes", _cols(
        "claim_id:str article_id:str strategy_id:str stance:str speaker:str carried:bool p_topic:float "
        "evidence:str fold:str"),
        description="the strategies each sentence addresses, with the author's stance (cross-fitted coder)"),
    # 04 checks -------------------------------------------------------------
    Artefact("fact_conflicts", "04_checks/fact_conflicts.csv", "conflicts", _cols(
        "quantity:str subject:str unit:str article_a:str claim_a:str quote_a:str value_a:float hedge_a:str "
        "unit_a:str date_a:str source_a:str article_b:str claim_b:str quote_b:str value_b:float hedge_b:str "
        "unit_b:str date_b:str source_b:str agree:bool ratio:float n_articles:int like_for_like:bool note:str"),
        description="pairs of figures for the same quantity, and whether they agree"),
    Artefact("evaluation", "04_checks/evaluation.csv", "evaluate", _cols(
        "task:str method:str split:str metric:str label:str value:float n:int"),
        description="the automatic coders scored leave-one-article-out against the reference coding"),
    Artefact("term_check", "04_checks/term_check.csv", "evaluate", _cols(
        "category:str term:str occurrences:int whole:int share:float split_as:str"),
        description="user-dictionary terms in the corpus's sentences: the occurrences segmented as one token"),
    Artefact("coder_agreement", "04_checks/coder_agreement.csv", "evaluate", _cols(
        "scope:str field:str n:int observed:float kappa:float kappa_lo:float kappa_hi:float"),
        description="Cohen's kappa of the two independent codings, before adjudication, pooled and per article"),
    Artefact("stance_evaluation", "04_checks/stance_evaluation.csv", "themes", _cols(
        "field:str article_id:str metric:str value:float n:int"),
        description="the stance coder scored leave-one-article-out against the reference coding"),
    # 05 adoption -----------------------------------------------------------
    Artefact("wechat_forecast", "05_adoption/wechat_forecast.csv", "adopt", _cols(
        "quarter:str p05:float p50:float p95:float"),
        description="WeChat MAU forecast from data up to 2014Q2 (millions)"),
    Artefact("wechat_fit", "05_adoption/wechat_fit.csv", "adopt", _cols(
        "parameter:str estimate:float lo:float hi:float"),
        description="Bass parameters of WeChat's curve with 90% intervals"),
    Artefact("wechat_forecast_uninformed", "05_adoption/wechat_forecast_uninformed.csv", "adopt", _cols(
        "quarter:str p05:float p50:float p95:float"),
        description="the same forecast from the MAU series alone, without the market prior"),
    Artefact("wechat_fit_uninformed", "05_adoption/wechat_fit_uninformed.csv", "adopt", _cols(
        "parameter:str estimate:float lo:float hi:float"),
        description="Bass parameters of the uninformed fit"),
    Artefact("market_prior", "05_adoption/market_prior.csv", "adopt", _cols("quantity:str value:float source:str"),
             description="the prior on WeChat's market potential m, from what was published by July 2014"),
    Artefact("forecast_sensitivity", "05_adoption/forecast_sensitivity.csv", "adopt", _cols(
        "centre:float width:float prior_median:float prior_log_sd:float m:float quarter:str p05:float p50:float "
        "p95:float"),
        description="the 2018Q4 forecast under other centres and widths of the prior"),
    Artefact("push_grid", "05_adoption/push_grid.csv", "adopt", _cols(
        "size:float timing:float duration:float share0:float share:float long_run:float outcome:str"),
        description="two-platform competition outcome over push size and timing"),
    Artefact("cascade_comparison", "05_adoption/cascade_comparison.csv", "adopt", _cols(
        "graph:str seeding:str seed_share:float n_seeds:int final_share:float retained_share:float rounds:int"),
        description="threshold cascades: scattered versus clustered seeding"),
    Artefact("scenarios", "05_adoption/scenarios.csv", "adopt", _cols(
        "strategy_id:str strategy_name:str model:str parameters:str param_sources:str outcome:str "
        "outcome_value:float long_run_share:float verdict:str evidence_claims:str"),
        description="one model run per strategy, with its parameters and their sources"),
    Artefact("push_explorer", "05_adoption/push_explorer.csv", "adopt", _cols(
        "beta:float size:float timing:float share:float long_run:float outcome:str"),
        description="the push explorable's grid: competition outcome over push size, timing and network effect"),
    Artefact("seeding_explorer", "05_adoption/seeding_explorer.csv", "adopt", _cols(
        "budget:float style:float theta:float n_seeds:int n_clustered:int retained_share:float final_share:float"),
        description="the seeding explorable's grid: recruits retained over seed budget, seeding style and threshold"),
    Artefact("sensitivity", "05_adoption/sensitivity.csv", "adopt", _cols(
        "strategy_id:str parameter:str level:str value:float outcome:str outcome_value:float same_outcome:bool"),
        description="each assumed parameter at each end of its range"),
    # 06 compare ------------------------------------------------------------
    Artefact("features", "06_compare/features.csv", "compare", _cols(
        "product_id:str product:str product_zh:str n_sources:int"), extra_columns=True,
        description="product × feature matrix (one further column per feature)"),
    Artefact("feature_cells", "06_compare/feature_cells.csv", "compare", _cols(
        "product_id:str feature_id:str status:str value:str claim_id:str article_id:str cue:str clause:str"),
        description="the source sentence of every filled cell of the feature matrix"),
    Artefact("timeline", "06_compare/timeline.csv", "compare", _cols(
        "date:str precision:str qualifier:str relative:bool year_basis:str date_text:str event_id:str event:str "
        "kind:str product_id:str article_id:str claim_id:str sentence:str external_date:str "
        "external_source:str external_agrees:str erratum:str"),
        description="dated events, with the date as written, its source and any erratum applied"),
    Artefact("strategy_comparison", "06_compare/strategy_comparison.csv", "compare", _cols(
        "strategy_id:str strategy:str supports:str criticises:str reports:str n_supports:int n_criticises:int "
        "n_reports:int evidence_claims:str models:str model_outcome:str model_verdict:str actual_outcome:str "
        "outcome_sources:str"),
        description="per strategy: the articles' stances, the model verdict and what happened"),
    Artefact("authors", "06_compare/authors.csv", "compare", _cols(
        "article_id:str title:str author:str date:str reference_year:int date_basis:str n_claims:int "
        "n_recommendation:int n_prediction:int n_causal:int n_fact:int n_other:int n_supports:int "
        "n_criticises:int n_reports:int share_criticising:float overall_stance:str top_themes:str"),
        description="per article: date, claim types and stance balance"),
]

#: Every artefact, by name, in data-flow order.
ARTEFACTS: dict[str, Artefact] = {a.name: a for a in _DECLARED}


def artefact(name: str) -> Artefact:
    """Return the declaration of ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not in the catalogue (the message lists the names).
    """
    try:
        return ARTEFACTS[name]
    except KeyError:
        raise KeyError(f"{name!r} is not in the catalogue; known: {', '.join(ARTEFACTS)}") from None


def path(name: str, root: Path | None = None) -> Path:
    """The file (or folder, for records) of artefact ``name``.

    Parameters
    ----------
    name : str
        Catalogue name.
    root : pathlib.Path, optional
        The processed folder (default :data:`analysis.config.PROCESSED_DIR`).

    Returns
    -------
    pathlib.Path
    """
    return Path(root or config.PROCESSED_DIR) / artefact(name).relpath


def exists(name: str, root: Path | None = None) -> bool:
    """Whether artefact ``name`` has been written under ``root``."""
    return path(name, root).exists()


def _missing(name: str, root: Path | None) -> MissingArtefact:
    art = artefact(name)
    return MissingArtefact(
        f"{path(name, root)} is missing: run `python -m analysis {art.stage}` (or `make data`) first"
    )


_TRUE = {"True": True, "true": True, "1": True, "False": False, "false": False, "0": False}


def _convert(series: pd.Series, dtype: str, where: str) -> pd.Series:
    """Convert a column read as text to its declared dtype, or raise SchemaError."""
    if dtype == "str":
        return series.fillna("").astype(str)
    if dtype == "bool":
        bad = ~series.isin(list(_TRUE))
        if bad.any():
            raise SchemaError(f"{where}: expected True/False, found {series[bad].iloc[0]!r} "
                              f"(row {int(np.flatnonzero(bad)[0]) + 2} of the file)")
        return series.map(_TRUE).astype(bool)
    num = pd.to_numeric(series.replace("", np.nan), errors="coerce")
    bad = num.isna() & series.ne("") & series.notna()
    if bad.any():
        raise SchemaError(f"{where}: expected {dtype}, found {series[bad].iloc[0]!r} "
                          f"(row {int(np.flatnonzero(bad)[0]) + 2} of the file)")
    if dtype == "float":
        return num.astype("float64")
    if num.isna().any():
        raise SchemaError(f"{where}: expected int, found an empty cell "
                          f"(row {int(np.flatnonzero(num.isna())[0]) + 2} of the file)")
    if not np.all(np.mod(num.to_numpy(), 1) == 0):
        raise SchemaError(f"{where}: expected int, found a fraction")
    return num.astype("int64")


def _check_columns(art: Artefact, columns: list[str], where: Path) -> None:
    declared = art.column_names
    got = list(columns)
    for i, col in enumerate(declared):
        if col not in got:
            instead = got[i] if i < len(got) and got[i] not in declared else None
            found = f", found {instead!r} in its place" if instead is not None else ""
            raise SchemaError(f"{where}: column {col!r} is missing{found} "
                              f"(declared for {art.name!r} in analysis/catalog.py)")
        if i < len(got) and got[i] != col:
            raise SchemaError(f"{where}: column {i + 1} is {got[i]!r}, expected {col!r}")
    if not art.extra_columns and len(got) > len(declared):
        raise SchemaError(f"{where}: unexpected column {got[len(declared)]!r}")


def load(name: str, root: Path | None = None) -> pd.DataFrame:
    """Read a CSV artefact, check it against its declaration and type its columns.

    Parameters
    ----------
    name : str
        Catalogue name, e.g. ``"claims"``.
    root : pathlib.Path, optional
        The processed folder (default :data:`analysis.config.PROCESSED_DIR`).

    Returns
    -------
    pandas.DataFrame
        With the declared dtypes (see the module docstring).

    Raises
    ------
    MissingArtefact
        If the file has not been written; the message names the stage to run.
    SchemaError
        If a declared column is missing or renamed, or a value does not parse
        as its dtype; the message names the file and the column.
    """
    art = artefact(name)
    if art.kind != "csv":
        raise ValueError(f"{name!r} is a folder of records: read it with analysis.corpus.iter_documents")
    file = path(name, root)
    if not file.exists():
        raise _missing(name, root)
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise SchemaError(f"{file}: the file is empty (expected the columns {', '.join(art.column_names)}); "
                          f"rerun `python -m analysis {art.stage}`") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise SchemaError(f"{file}: not a readable CSV ({str(err).strip()}); "
                          f"rerun `python -m analysis {art.stage}`") from None
    _check_columns(art, list(raw.columns), file)
    dtypes = dict(art.columns)
    out = {}
    for col in raw.columns:
        out[col] = _convert(raw[col], dtypes.get(col, "str"), f"{file}: column {col!r}")
    return pd.DataFrame(out, columns=list(raw.columns), index=raw.index)


def load_optional(name: str, root: Path | None = None) -> pd.DataFrame | None:
    """Like :func:`load`, but ``None`` when the file has not been written yet."""
    return load(name, root) if exists(name, root) else None


def check_frame(name: str, df: pd.DataFrame) -> None:
    """Check that a frame about to be saved matches its declaration.

    Raises
    ------
    SchemaError
        Naming the artefact and the column.
    """
    art = artefact(name)
    _check_columns(art, [str(c) for c in df.columns], Path(art.relpath))


def save_all(frames: Mapping[str, object], root: Path | None = None) -> list[Path]:
    """Write several artefacts at once: all of them, or none.

    Parameters
    ----------
    frames : mapping
        ``{name: DataFrame}`` for CSV artefacts, and ``{name: {article_id:
        json_text}}`` for a records folder (whose other files are removed).
    root : pathlib.Path, optional
        The processed folder.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    SchemaError
        Before anything is written, if a frame does not match its declaration.
    """
    outputs: list[tuple[Path, str]] = []
    stale: list[Path] = []
    for name, value in frames.items():
        art = artefact(name)
        target = path(name, root)
        if art.kind == "records":
            records = dict(value)  # type: ignore[arg-type]
            outputs += [(target / f"{key}.json", text) for key, text in sorted(records.items())]
            if target.is_dir():
                stale += [p for p in target.glob("*.json") if p.stem not in records]
        else:
            df = value
            if not isinstance(df, pd.DataFrame):
                raise TypeError(f"{name}: expected a DataFrame, got {type(df).__name__}")
            check_frame(name, df)
            outputs.append((target, _io.frame_to_csv_text(df)))
    written = _io.write_all_or_nothing(outputs)
    for p in stale:
        p.unlink()
    return written


# ---------------------------------------------------------------------------
# a whole run: lock and transaction
# ---------------------------------------------------------------------------
def _sibling(root: Path, tag: str) -> Path:
    return root.parent / f".{root.name}.{tag}"


@contextlib.contextmanager
def lock(
    root: Path | None = None,
    *,
    timeout: float | None = None,
    poll: float = 0.2,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the pipeline lock of ``root`` (a file beside it) for a whole run.

    A second run waits for the first; with ``timeout`` it gives up with
    :class:`LockTimeout` instead.  The lock is an ``flock``, released by the
    kernel if the process dies.

    Parameters
    ----------
    root : pathlib.Path, optional
        The processed folder.
    timeout : float, optional
        Seconds to wait; ``None`` waits for ever, ``0`` fails at once.
    poll : float
        Seconds between attempts while waiting.
    on_wait : callable, optional
        Called once, with a one-line message naming the lock file, if the
        lock is busy and this run is going to wait for it.

    Raises
    ------
    LockTimeout
        If the lock is still busy after ``timeout`` seconds; the message
        names the lock file.
    """
    root = Path(root or config.PROCESSED_DIR)
    root.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(root, "lock")
    fh = open(lock_path, "a+")  # noqa: SIM115 -- held for the whole block
    try:
        start = time.monotonic()
        waited = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if timeout is not None and time.monotonic() - start >= timeout:
                    raise LockTimeout(
                        f"another pipeline run is writing {root} (lock {lock_path}); "
                        "wait for it to finish, or run again later"
                    ) from None
                if on_wait is not None and not waited:
                    on_wait(f"waiting for another pipeline run to finish writing {root} (lock {lock_path})")
                waited = True
                time.sleep(poll)
        yield
    finally:
        fh.close()


def recover(root: Path | None = None) -> None:
    """Finish or undo a run that was killed during :func:`transaction`.

    Call it while holding :func:`lock`.  If the new state was already in
    place, the old copy is removed; if the kill came between the two renames
    of the non-atomic fallback (see :func:`analysis._io.exchange_dirs`), the
    old complete state is put back.  Staging folders are removed.
    """
    root = Path(root or config.PROCESSED_DIR)
    old = _sibling(root, "old")
    if old.exists():
        if root.exists():
            shutil.rmtree(old)
        else:
            os.replace(old, root)
    for staging in root.parent.glob(f".{root.name}.staging-*"):
        shutil.rmtree(staging, ignore_errors=True)


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` with hard links (the files are replaced, never edited, in place)."""

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link)


@contextlib.contextmanager
def transaction(root: Path | None = None) -> Iterator[Path]:
    """Run stages against a staging copy of ``root`` and swap it in at the end.

    Yields the staging folder.  On success the staging folder and ``root``
    swap places in one atomic step (:func:`analysis._io.exchange_dirs`), and
    the old copy is removed; where the system cannot swap atomically, two
    renames are used and :func:`recover` completes or undoes a swap that a
    kill interrupted.  On an exception nothing under ``root`` changes.  Hold
    :func:`lock` around it.
    """
    root = Path(root or config.PROCESSED_DIR)
    recover(root)
    staging = _sibling(root, f"staging-{os.getpid()}")
    if root.exists():
        _copy_tree(root, staging)
    else:
        staging.mkdir(parents=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = _sibling(root, "old")
    _io.exchange_dirs(staging, root, old)
    shutil.rmtree(old, ignore_errors=True)
