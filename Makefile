# Laiwang vs WeChat -- the book, built from code.
# `make help` lists the targets.  Everything runs inside .venv, which `make venv`
# creates from requirements.lock (every package pinned, with hashes; `make lock`
# regenerates it from requirements.txt).

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
UV_VERSION := 0.13.8
DATA_STAMP := data/processed/.stamp
LOCK_FLAGS := --generate-hashes --python-version 3.11 --custom-compile-command "make lock" --quiet

# Deterministic, quiet, self-contained runs (the kernels inherit these).
export PYTHONHASHSEED  := 0
export MPLCONFIGDIR    := $(CURDIR)/$(CACHE)/matplotlib
export FONTCONFIG_FILE := $(CURDIR)/$(CACHE)/fonts.conf
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export JUPYTER_PLATFORM_DIRS := 1

PKG_SOURCES := $(shell find analysis -name '*.py' 2>/dev/null) $(shell find data/lexicon -type f 2>/dev/null)
NOTEBOOKS   := $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -path '*/_build/*' 2>/dev/null)

.PHONY: help venv lock data book book-strict test lint unit nbval browser screenshots bench clean clean-all pages notebooks evaluate pdf lab

## help: list the targets
help:
	@echo "Targets:"
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /' -e 's/: /\t/' | expand -t 18

## venv: create .venv from requirements.lock (hash-checked), then the package itself
venv: $(STAMP)
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The CJK font for Chromium, and matplotlib's font cache built now, not inside a notebook.
$(CACHE)/fonts.conf: $(STAMP) tools/write_fonts_conf.py
	$(PY) tools/write_fonts_conf.py $@
	$(PY) -c "import matplotlib.pyplot"

## lock: regenerate requirements.lock (and requirements-bench.lock, requirements-lab.lock) from requirements*.txt, with hashes
lock:
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile requirements.txt requirements-bench.txt $(LOCK_FLAGS) -o requirements-bench.lock
	$(BIN)/uv pip compile requirements.txt requirements-lab.txt $(LOCK_FLAGS) -o requirements-lab.lock
	@echo "requirements.lock: $$(grep -c '^[A-Za-z0-9]' requirements.lock) packages"

## data: run the whole pipeline (data/raw -> data/processed/NN_stage/, article pages); skipped when up to date
data: $(DATA_STAMP)
$(DATA_STAMP): $(STAMP) $(CACHE)/fonts.conf $(PKG_SOURCES) $(wildcard data/raw/*) $(wildcard data/external/*)
	$(PY) -m analysis all --jobs $(JOBS)
	touch $@

# When the package, the lexicons or the processed data change, every chapter must be
# re-executed and re-read: jupyter-cache keys only on a notebook's code cells (so drop
# the cache), and Sphinx re-reads only the sources that changed (so build with --all,
# until a build has succeeded against this state; _build/.book-stamp records it).
_build/.pkg-stamp: $(PKG_SOURCES) $(DATA_STAMP)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

## book: set up, run the pipeline and build the HTML site in _build/html (every chapter up to date with the data)
book: data _build/.pkg-stamp
	@if [ _build/.pkg-stamp -nt _build/.book-stamp ]; then all=--all; \
	  echo "book: the data or the package changed since the last build, so every page is re-read"; fi; \
	echo "$(BIN)/jb build . -n --keep-going $$all"; \
	$(BIN)/jb build . -n --keep-going $$all
	touch -r _build/.pkg-stamp _build/.book-stamp
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
	$(PY) -m analysis evaluate
	@$(PY) -c "from analysis import catalog; print(catalog.load('evaluation').to_string(index=False))"

## notebooks: re-execute every notebook in place (after changing the analysis)
notebooks: data
	for nb in $(NOTEBOOKS); do (cd $$(dirname $$nb) && $(CURDIR)/$(BIN)/jupyter execute --inplace $$(basename $$nb)); done
	$(PY) tools/strip_notebook_timing.py $(NOTEBOOKS)
	rm -rf _build/.jupyter_cache

## test: every check -- lint, unit tests, nbval, a strict book build and the browser checks
test: lint unit nbval book-strict browser

CHROMIUM  := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian's Chromium (Playwright cannot download its own browser here).
$(CHROMIUM):
	$(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# poppler-utils: pdffonts, pdftotext and pdfinfo check the PDF edition (tests/browser/test_pdf.py).
$(PDFTOTEXT):
	$(SUDO) apt-get install -y poppler-utils || { $(SUDO) apt-get update && $(SUDO) apt-get install -y poppler-utils; }

## pdf: the whole book as one PDF, printed by headless Chromium (_build/pdf/laiwang-book.pdf, also in the site)
pdf: $(STAMP) $(CHROMIUM) $(CACHE)/fonts.conf
	test -f _build/html/index.html || $(MAKE) book
	$(PY) tools/build_pdf.py --quiet

## browser: check the built site in headless Chromium (links, search, no network, no XSS) and the PDF edition
browser: $(STAMP) $(CHROMIUM) $(PDFTOTEXT) pdf
	test -f _build/html/index.html || $(MAKE) book
	REQUIRE_BROWSER=1 BOOK_HTML=$(CURDIR)/_build/html $(BIN)/pytest tests/browser -m browser -q --durations=10

## screenshots: PNGs of the index, a chapter and an article page in _build/screenshots/
screenshots: $(STAMP) $(CHROMIUM)
	test -f _build/html/index.html || $(MAKE) book
	REQUIRE_BROWSER=1 BOOK_HTML=$(CURDIR)/_build/html $(BIN)/pytest tests/browser -m browser -q -k test_screenshots
	@ls _build/screenshots/*.png

## lab: JupyterLab on book/ with the project's kernel (installs the optional requirements-lab.lock first)
lab: $(STAMP) $(CACHE)/fonts.conf
	$(PY) -m pip install --quiet --require-hashes -r requirements-lab.lock
	@# the notebooks name the kernel "python3": it must start this venv's python, not another one
	$(PY) -c "import sys; \
	  from jupyter_client.manager import KernelManager; \
	  argv = KernelManager(kernel_name='python3').format_kernel_cmd(); \
	  ok = argv[0] == sys.executable; print('kernel python3 runs', argv[0]); sys.exit(0 if ok else 'kernel python3 does not run ' + sys.executable)"
	cd book && PATH=$(CURDIR)/$(BIN):$$PATH $(CURDIR)/$(BIN)/jupyter lab $(if $(SUDO),,--allow-root) $(LAB_ARGS)

## pages: the site for GitHub Pages (make book, plus .nojekyll so _static/ is served)
pages: book pdf
	touch _build/html/.nojekyll

## bench: run every benchmark (about 15 min on 2 cores); tables in benchmarks/results/, shown in the book
bench: data
	$(PY) -m pip install --quiet --require-hashes -r requirements-bench.lock
	$(PY) benchmarks/run_all.py

## clean: remove the build and the generated data (data/processed, a killed run's leftovers, book/articles)
clean:
	rm -rf _build data/processed data/.processed.staging-* data/.processed.old book/articles $(CACHE)/jieba.cache

## clean-all: also remove the virtual environment and caches
clean-all: clean
	rm -rf $(VENV) $(CACHE)
