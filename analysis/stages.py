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
   :mod:`analysis.parallel`, reusing the per-document results cached by
   :mod:`analysis.cache` for unchanged articles), check its outputs against the catalogue and save
   them all or none (:func:`analysis.catalog.save_all`);
3. swap the staging folder in, then write the book's article pages (the
   ``pages`` stage), still under the lock: a failed run changes neither
   ``data/processed`` nor ``book/articles``.

The CLI (:mod:`analysis.cli`) generates one sub-command per entry of
:data:`STAGES`.  The layout follows kedro's node/catalogue split, without
kedro.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import cache as doc_cache
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

__all__ = ["Stage", "STAGES", "ORDER", "Context", "StageResult", "run", "stage", "check_inputs"]


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
    outputs : tuple of str
        The catalogue artefacts it writes.
    lexicons : tuple of str
        The lexicon files its per-document work reads, as names of
        :mod:`analysis.config` constants (resolved at run time); part of the
        cache key of every per-document result it computes (:mod:`analysis.cache`).
        The stages after ``prepare`` also depend on ``prepare``'s, through the records.
    """

    name: str
    help: str
    run: Callable[[Mapping[str, Any], Context], Mapping[str, Any]]
    summary: Callable[[Mapping[str, Any]], str]
    inputs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    writes_book: bool = False
    outputs: tuple[str, ...] = field(default=())
    lexicons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in self.inputs + self.optional + self.outputs:
            catalog.artefact(name)  # every name is declared
        for name in self.lexicons:
            if not isinstance(getattr(config, name, None), Path):
                raise ValueError(f"stage {self.name}: {name!r} is not a file constant of analysis.config")

    def lexicon_files(self) -> tuple[Path, ...]:
        """The lexicon files of :attr:`lexicons`, resolved now (tests may point them elsewhere)."""
        return tuple(Path(getattr(config, name)) for name in self.lexicons)


STAGES: tuple[Stage, ...] = (
    Stage("prepare", "clean the raw articles into one record each, and the corpus table",
          corpus_stage.prepare, corpus_stage.prepare_summary, outputs=("documents", "corpus"),
          lexicons=("BOILERPLATE_FILE",)),
    Stage("numbers", "extract every figure the articles quote",
          extract_stage.numbers, extract_stage.numbers_summary, inputs=("corpus",), outputs=("numbers",),
          lexicons=("NUMBERS_FILE",)),
    Stage("claims", "split the sentences and type the claims",
          extract_stage.claims, extract_stage.claims_summary, inputs=("corpus",), outputs=("claims",),
          lexicons=("CUES_FILE", "ENTITIES_FILE", "NUMBERS_FILE", "STRATEGIES_FILE", "USER_DICT")),
    Stage("themes", "strategy themes, topic model, stability and stance",
          themes_stage.themes, themes_stage.themes_summary, inputs=("claims",),
          outputs=("themes", "theme_stability", "topic_codebook", "strategy_stance", "sentence_stance",
                   "stance_evaluation"),
          lexicons=("USER_DICT", "STOPWORDS_FILE", "PROTECTED_FILE")),
    Stage("conflicts", "figures that the articles disagree on",
          checks_stage.conflicts, checks_stage.conflicts_summary, inputs=("numbers", "claims"),
          optional=("corpus",), outputs=("fact_conflicts",)),
    Stage("evaluate", "score the automatic coders against the reference coding, and the coders' agreement",
          checks_stage.evaluate, checks_stage.evaluate_summary, inputs=("claims",), optional=("numbers", "corpus"),
          outputs=("evaluation", "coder_agreement", "term_check")),
    Stage("adopt", "adoption models, forecast and scenarios",
          adoption_stage.adopt, adoption_stage.adopt_summary, optional=("numbers", "claims", "corpus"),
          outputs=("wechat_forecast", "wechat_fit", "wechat_forecast_uninformed", "wechat_fit_uninformed",
                   "market_prior", "forecast_sensitivity", "push_grid", "push_explorer", "seeding_explorer",
                   "cascade_comparison", "scenarios", "sensitivity")),
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


def _producers(name: str, root: Path, before: Sequence[Stage]) -> list[str]:
    """The stages to run, in data-flow order, so that artefact ``name`` exists under ``root``.

    Empty if it exists or one of the stages ``before`` (about to run) writes it.
    """
    if catalog.exists(name, root) or any(name in s.outputs for s in before):
        return []
    producer = stage(catalog.artefact(name).stage)
    needed = {producer.name}
    for dep in producer.inputs:
        needed.update(_producers(dep, root, before))
    return [n for n in ORDER if n in needed]


def check_inputs(selected: Sequence[Stage], root: Path, shown: Path | None = None) -> None:
    """Fail before anything runs if a selected stage's input is neither written nor about to be.

    ``shown`` is the folder named in the message (default ``root``): the
    runner checks its staging copy but names ``data/processed``.

    Raises
    ------
    analysis.catalog.MissingArtefact
        Naming the missing file and every stage to run first, in order.
    """
    for i, st in enumerate(selected):
        for name in st.inputs:
            todo = _producers(name, root, selected[:i])
            if todo:
                steps = ", then ".join(f"`python -m analysis {n}`" for n in todo)
                raise catalog.MissingArtefact(
                    f"{catalog.path(name, shown or root)} is missing (stage {st.name} needs {name!r}): "
                    f"run {steps} first, or `python -m analysis all` (`make data`)"
                )


def _run_one(st: Stage, ctx: Context) -> tuple[StageResult, Mapping[str, str] | None]:
    """Run one stage against ``ctx.processed_dir``; save its catalogue outputs.

    Returns the result and, for a stage that writes the book, the pages to
    write once the run's transaction has been committed.
    """
    inputs: dict[str, Any] = {n: catalog.load(n, ctx.processed_dir) for n in st.inputs}
    inputs |= {n: catalog.load_optional(n, ctx.processed_dir) for n in st.optional}
    outputs = dict(st.run(inputs, ctx))
    private = {k for k in outputs if k.startswith("_")} | ({"article_pages"} if st.writes_book else set())
    unknown = sorted(set(outputs) - set(st.outputs) - private)
    if unknown:
        raise ValueError(f"stage {st.name} returned undeclared outputs: {', '.join(unknown)}")
    missing = sorted(set(st.outputs) - set(outputs))
    if missing:
        raise ValueError(f"stage {st.name} did not return its declared outputs: {', '.join(missing)}")
    written: list[Path] = []
    if st.outputs:
        written = catalog.save_all({n: outputs[n] for n in st.outputs}, ctx.processed_dir)
    pages = outputs["article_pages"] if st.writes_book else None
    return StageResult(st.name, tuple(written), st.summary(outputs)), pages


@contextlib.contextmanager
def _named_as(staging: Path, root: Path) -> Iterator[None]:
    """Name ``root``, not the run's staging copy, in the catalogue's error messages."""
    try:
        yield
    except (catalog.SchemaError, catalog.MissingArtefact) as err:
        message = str(err).replace(str(staging), str(root))
        if message == str(err):
            raise
        raise type(err)(message) from err


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
    on_wait: Callable[[str], None] | None = None,
    cache: bool | doc_cache.DocumentCache = True,
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
    on_wait : callable, optional
        Receives one line if the run has to wait for another run's lock.
    cache : bool or analysis.cache.DocumentCache, default True
        The per-document result cache: ``True`` for the one in
        ``config.CACHE_DIR``, ``False`` for none (``--no-cache``), or a given
        one.  The outputs are byte-identical either way.

    Returns
    -------
    list of StageResult
        One per stage run, in the order they ran: its name, the files it wrote, its summary.

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
    book_dir = Path(book_dir or config.BOOK_DIR)
    store = cache if isinstance(cache, doc_cache.DocumentCache) else doc_cache.DocumentCache(enabled=bool(cache))
    upstream = stage("prepare").lexicon_files()  # the records every later stage reads
    results: list[StageResult] = []
    book: list[tuple[StageResult, Mapping[str, str]]] = []
    with catalog.lock(root, timeout=lock_timeout, on_wait=on_wait):
        with catalog.transaction(root) as staging, _named_as(staging, root):
            check_inputs(selected, staging, shown=root)
            for st in selected:
                lexicons = st.lexicon_files() + (upstream if st.name != "prepare" else ())
                scoped = store.scoped(lexicons) if store.enabled else None
                ctx = Context(
                    processed_dir=staging,
                    raw_dir=Path(raw_dir or config.RAW_DIR),
                    book_dir=book_dir,
                    n_jobs=n_jobs, backend=backend, scheduler=scheduler, skip_bad=skip_bad,
                    progress=progress(st.name) if progress else None, warn=warn, cache=scoped,
                )
                with doc_cache.activate(scoped):
                    res, pages = _run_one(st, ctx)
                res = StageResult(res.name, tuple(root / p.relative_to(staging) for p in res.outputs), res.summary)
                if pages is not None:
                    book.append((res, pages))
                    continue
                results.append(res)
                if echo is not None:
                    echo(res.summary)
        # the data are committed; the book's pages follow, still under the lock
        for res, pages in book:
            res = StageResult(res.name, tuple(report_stage.write_pages(pages, book_dir)), res.summary)
            results.append(res)
            if echo is not None:
                echo(res.summary)
    return results
