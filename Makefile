# Laiwang vs WeChat -- the book, built from code.
# `make help` lists the targets.  Everything runs inside .venv, which `make venv`
# creates from the pinned requirements.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON_SYS ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
PY         := $(BIN)/python
STAMP      := $(VENV)/.installed
CACHE      := .cache
JOBS       ?= 1

# Deterministic, quiet, self-contained runs (the kernels inherit these).
export PYTHONHASHSEED  := 0
export MPLCONFIGDIR    := $(CURDIR)/$(CACHE)/matplotlib
export FONTCONFIG_FILE := $(CURDIR)/$(CACHE)/fonts.conf
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

PKG_SOURCES := $(shell find analysis -name '*.py' 2>/dev/null) $(wildcard data/lexicon/*) $(wildcard data/lexicon/labels/*)
NOTEBOOKS   := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' 2>/dev/null)

.PHONY: help venv data book book-strict test lint unit nbval browser screenshots bench clean clean-all pages notebooks evaluate

## help: list the targets
help:
	@echo "Targets:"
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /' -e 's/: /\t/' | expand -t 18

## venv: create .venv and install the pinned requirements and the package
venv: $(STAMP)
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) tools/write_fonts_conf.py $(CACHE)/fonts.conf
	$(PY) -c "import matplotlib.pyplot"  # build matplotlib's font cache now, not inside a notebook
	touch $@

## data: run the whole pipeline (data/raw -> data/processed, article pages); skipped when up to date
data: data/processed/.stamp
data/processed/.stamp: $(STAMP) $(PKG_SOURCES) $(wildcard data/raw/*.txt) $(wildcard data/external/*)
	$(PY) -m analysis all --jobs $(JOBS)
	touch $@

# Executed notebooks are cached by jupyter-cache, which keys only on code cells:
# when the package, the lexicons or the processed data change, drop the cache.
_build/.pkg-stamp: $(PKG_SOURCES) $(wildcard data/processed/*.csv)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

## book: set up, run the pipeline and build the HTML site in _build/html
book: data _build/.pkg-stamp
	$(BIN)/jb build . -n --keep-going
	@echo "Open _build/html/index.html"

## book-strict: a clean, warnings-as-errors build of every page (what CI runs)
book-strict: data
	rm -rf _build
	$(BIN)/jb build . --all -W -n --keep-going

## lint: ruff over the package, tests, benchmarks and notebooks
lint: $(STAMP)
	$(BIN)/ruff check analysis tests benchmarks tools book

## unit: the unit tests (pytest tests/, without the browser checks)
unit: data
	$(BIN)/pytest tests -q -m "not browser"

## nbval: check every notebook's stored outputs against a fresh run
nbval: data
	$(BIN)/pytest --nbval --nbval-current-env -q $(NOTEBOOKS)

## evaluate: precision/recall of the figures and accuracy of the claim types on the labelled samples
evaluate: data
	$(PY) -m analysis.evaluate

## notebooks: re-execute every notebook in place (after changing the analysis)
notebooks: data
	for nb in $(NOTEBOOKS); do (cd $$(dirname $$nb) && $(CURDIR)/$(BIN)/jupyter execute --inplace $$(basename $$nb)); done
	$(PY) tools/strip_notebook_timing.py $(NOTEBOOKS)
	rm -rf _build/.jupyter_cache

## test: every check -- lint, unit tests, nbval, a strict book build and the browser checks
test: lint unit nbval book-strict browser

CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian's Chromium (Playwright cannot download its own browser here).
$(CHROMIUM):
	$(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

## browser: check the built site in headless Chromium (links, search, no network, no XSS)
browser: $(STAMP) $(CHROMIUM)
	test -f _build/html/index.html || $(MAKE) book
	REQUIRE_BROWSER=1 BOOK_HTML=$(CURDIR)/_build/html $(BIN)/pytest tests/browser -m browser -q --durations=10

## screenshots: PNGs of the index, a chapter and an article page in _build/screenshots/
screenshots: $(STAMP) $(CHROMIUM)
	test -f _build/html/index.html || $(MAKE) book
	REQUIRE_BROWSER=1 BOOK_HTML=$(CURDIR)/_build/html $(BIN)/pytest tests/browser -m browser -q -k test_screenshots
	@ls _build/screenshots/*.png

## pages: the site for GitHub Pages (make book, plus .nojekyll so _static/ is served)
pages: book
	touch _build/html/.nojekyll

## bench: run every benchmark (about 15 min on 2 cores); tables in benchmarks/results/, shown in the book
bench: data
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) benchmarks/run_all.py

## clean: remove the build and the generated data
clean:
	rm -rf _build data/processed book/articles $(CACHE)/jieba.cache

## clean-all: also remove the virtual environment and caches
clean-all: clean
	rm -rf $(VENV) $(CACHE)
