"""The stage runner: the pipeline as a list of pure stages, and one loop that runs them.

A stage is a pure function ``run(inputs, ctx) -> {name: frame}``: it receives
the catalogue artefacts it declares (as DataFrames; ``None`` for an optional
input that does not exist yet) and returns the artefacts it produces.  It
opens no file of ``data/processed``.  This module does all of that I/O:

1. take the pipeline lock and open a transaction (:func:`analysis.catalog.lock`,
   :func:`analysis.catalog.transaction`), so that a run killed at any point
   leaves ``data/processed`` complete, old or new;
2. for each stage, in data-flow order: load its inputs, run it (the
   per-document stages map over the articles in parallel through
   :mod:`analysis.parallel`), check its outputs against the catalogue and save
   them all or none (:func:`analysis.catalog.save_all`);
3. swap the staging folder in.

The CLI (:mod:`analysis.cli`) generates one sub-command per entry of
:data:`STAGES`.  The layout follows kedro's node/catalogue split, without
kedro.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import catalog, config
from analysis.adoption import stage as adoption_stage
from analysis.checks import stage as checks_stage
from analysis.compare import stage as compare_stage
from analysis.corpus import stage as corpus_stage
from analysis.extract import stage as extract_stage
from analysis.parallel import check_parallel_args
from analysis.report import stage as report_stage
from analysis.stage_api import Context, StageResult
from analysis.themes import stage as themes_stage

__all__ = ["Stage", "STAGES", "ORDER", "Context", "StageResult", "run", "stage"]


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline.

    Attributes
    ----------
    name : str
        The sub-command (``python -m analysis NAME``).
    help : str
        One line for ``--help``.
    run : callable
        ``run(inputs, ctx) -> {artefact name: value}``; pure.
    inputs : tuple of str
        Required catalogue inputs.
    optional : tuple of str
        Inputs passed as ``None`` when not yet written.
    summary : callable
        ``summary(outputs) -> str``, the one-line report.
    writes_book : bool
        Whether the stage writes into the book's sources (the article pages)
        rather than the catalogue.
    """

    name: str
    help: str
    run: Callable[[Mapping[str, Any], Context], Mapping[str, Any]]
    summary: Callable[[Mapping[str, Any]], str]
    inputs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    writes_book: bool = False
    outputs: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in self.inputs + self.optional + self.outputs:
            catalog.artefact(name)  # every name is declared


STAGES: tuple[Stage, ...] = (
    Stage("prepare", "clean the raw articles into one record each, and the corpus table",
          corpus_stage.prepare, corpus_stage.prepare_summary, outputs=("documents", "corpus")),
    Stage("numbers", "extract every figure the articles quote",
          extract_stage.numbers, extract_stage.numbers_summary, inputs=("corpus",), outputs=("numbers",)),
    Stage("claims", "split the sentences and type the claims",
          extract_stage.claims, extract_stage.claims_summary, inputs=("corpus",), outputs=("claims",)),
    Stage("themes", "strategy themes, topic model, stability and stance",
          themes_stage.themes, themes_stage.themes_summary, inputs=("claims",),
          outputs=("themes", "theme_stability", "topic_codebook", "strategy_stance")),
    Stage("conflicts", "figures that the articles disagree on",
          checks_stage.conflicts, checks_stage.conflicts_summary, inputs=("numbers", "claims"),
          optional=("corpus",), outputs=("fact_conflicts",)),
    Stage("evaluate", "score the automatic coders against the hand-made labels",
          checks_stage.evaluate, checks_stage.evaluate_summary, inputs=("claims",), optional=("numbers",),
          outputs=("evaluation",)),
    Stage("adopt", "adoption models, forecast and scenarios",
          adoption_stage.adopt, adoption_stage.adopt_summary, optional=("numbers", "claims", "corpus"),
          outputs=("wechat_forecast", "wechat_fit", "push_grid", "cascade_comparison", "scenarios",
                   "sensitivity")),
    Stage("compare", "product, timeline, strategy and author comparison tables",
          compare_stage.compare, compare_stage.compare_summary, inputs=("corpus", "claims"),
          optional=("numbers", "strategy_stance", "scenarios"),
          outputs=("features", "feature_cells", "timeline", "strategy_comparison", "authors")),
    Stage("pages", "write the article pages of the book (book/articles)",
          report_stage.pages, report_stage.pages_summary, inputs=("claims",), writes_book=True),
)

#: Stage names in data-flow order.
ORDER: tuple[str, ...] = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    """Return the stage called ``name``.

    Raises
    ------
    KeyError
        If there is no such stage.
    """
    for s in STAGES:
        if s.name == name:
            return s
    raise KeyError(f"no stage {name!r}; the stages are: {', '.join(ORDER)}")


def _run_one(st: Stage, ctx: Context) -> StageResult:
    inputs: dict[str, Any] = {n: catalog.load(n, ctx.processed_dir) for n in st.inputs}
    inputs |= {n: catalog.load_optional(n, ctx.processed_dir) for n in st.optional}
    outputs = dict(st.run(inputs, ctx))
    unknown = sorted(k for k in set(outputs) - set(st.outputs) if not k.startswith("_") and not (st.writes_book and k == "article_pages"))
    if unknown:
        raise ValueError(f"stage {st.name} returned undeclared outputs: {', '.join(unknown)}")
    written: list[Path] = []
    if st.outputs:
        written = catalog.save_all({n: outputs[n] for n in st.outputs}, ctx.processed_dir)
    if st.writes_book:
        written += report_stage.write_pages(outputs["article_pages"], ctx.book_dir)
    return StageResult(st.name, tuple(written), st.summary(outputs))


def run(
    names: Sequence[str] | None = None,
    *,
    root: Path | None = None,
    raw_dir: Path | None = None,
    book_dir: Path | None = None,
    n_jobs: int = 1,
    backend: str = "loky",
    scheduler: str | None = None,
    skip_bad: bool = False,
    progress: Callable[[str], Callable[[Iterable[Any]], Iterable[Any]]] | None = None,
    warn: Callable[[Exception], None] | None = None,
    echo: Callable[[str], None] | None = None,
    lock_timeout: float | None = None,
) -> list[StageResult]:
    """Run stages in data-flow order, atomically, under the pipeline lock.

    Parameters
    ----------
    names : sequence of str, optional
        The stages to run (default: all of :data:`ORDER`); they run in data-flow
        order whatever the order given.
    root : pathlib.Path, optional
        The processed folder (default :data:`analysis.config.PROCESSED_DIR`).
    raw_dir : pathlib.Path, optional
        The raw articles (default :data:`analysis.config.RAW_DIR`).
    book_dir : pathlib.Path, optional
        The book sources, for the article pages (default :data:`analysis.config.BOOK_DIR`).
    n_jobs, backend, scheduler
        Parallel map of the per-document stages (see :mod:`analysis.parallel`);
        the outputs are byte-identical whatever they are.
    skip_bad : bool
        Skip bad raw files with a warning instead of failing.
    progress : callable, optional
        ``progress(stage_name)`` returns a wrapper for the iterable of
        per-document results (for example a ``tqdm`` factory).
    warn : callable, optional
        Receives each skipped bad file's error.
    echo : callable, optional
        Receives each stage's one-line summary as soon as it is done.
    lock_timeout : float, optional
        Seconds to wait for another run's lock (default: wait).

    Returns
    -------
    list of StageResult

    Raises
    ------
    analysis.catalog.MissingArtefact
        If a stage's input has not been produced (naming the stage to run).
    analysis.catalog.LockTimeout
        If another run holds the lock beyond ``lock_timeout``.
    """
    check_parallel_args(n_jobs, backend, scheduler)
    wanted = list(ORDER) if names is None else list(names)
    for n in wanted:
        stage(n)
    selected = [s for s in STAGES if s.name in wanted]
    root = Path(root or config.PROCESSED_DIR)
    results: list[StageResult] = []
    with catalog.lock(root, timeout=lock_timeout), catalog.transaction(root) as staging:
        for st in selected:
            ctx = Context(
                processed_dir=staging,
                raw_dir=Path(raw_dir or config.RAW_DIR),
                book_dir=Path(book_dir or config.BOOK_DIR),
                n_jobs=n_jobs, backend=backend, scheduler=scheduler, skip_bad=skip_bad,
                progress=progress(st.name) if progress else None, warn=warn,
            )
            res = _run_one(st, ctx)
            final = tuple(root / p.relative_to(staging) if p.is_relative_to(staging) else p for p in res.outputs)
            res = StageResult(res.name, final, res.summary)
            results.append(res)
            if echo is not None:
                echo(res.summary)
    return results
