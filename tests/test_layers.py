"""The package's architecture, checked from its source: layers, no import cycle, one place that renders.

Every module of ``analysis/`` (recursively) is parsed with :mod:`ast`; every
``import`` and ``from ... import`` anywhere in it (module level, inside a
function or a class) is resolved to the module it loads, relative imports
included.  Each module belongs to a layer, in data-flow order:

====  =====================================================================
0     ``config``, ``_io``, ``lexicon``, ``catalog``, ``parallel``,
      ``segment``, ``stage_api`` (the foundations)
1     ``corpus``
2     ``extract``
3     ``themes``
4     ``checks``
5     ``adoption``
6     ``compare``
7     ``report``
8     ``stages`` (the runner)
9     ``cli``, ``__main__`` and the package's ``__init__``
====  =====================================================================

and may import only from its own layer or an earlier one.  The import graph
has no cycle, within a layer too; every import of another ``analysis`` module
is at module level (no lazy import hiding a cycle or a layer breach); and only
``analysis/report/`` holds HTML escaping or markup.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

PACKAGE = "analysis"
PKG_DIR = Path(__file__).resolve().parents[1] / PACKAGE

#: First component under ``analysis`` -> layer.
LAYERS: dict[str, int] = {
    **dict.fromkeys(["config", "_io", "lexicon", "catalog", "parallel", "segment", "tokenizer", "stage_api", "cache"], 0),
    "corpus": 1,
    "extract": 2,
    "themes": 3,
    "checks": 4,
    "adoption": 5,
    "compare": 6,
    "report": 7,
    "stages": 8,
    **dict.fromkeys(["cli", "__main__", "__init__"], 9),
}

#: Text that marks HTML rendering; allowed only under analysis/report/.
HTML_MARKERS = ("html.escape", "_repr_html_", "<table", "saxutils.escape", "markupsafe")
HTML_MODULES = ("html", "markupsafe", "xml.sax.saxutils")


@dataclass(frozen=True)
class Import:
    """One import statement, resolved."""

    source: str  # importing module, e.g. "analysis.corpus.stage"
    target: str  # imported module, e.g. "analysis.corpus.ingest"
    line: int
    top_level: bool  # at module level (not inside a def, a lambda or a class)

    def where(self) -> str:
        return f"{module_file(self.source).relative_to(PKG_DIR.parent)}:{self.line}"


def module_name(path: Path) -> str:
    """``analysis/corpus/ingest.py`` -> ``analysis.corpus.ingest``; a package's ``__init__`` -> the package."""
    parts = list(path.relative_to(PKG_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found = {module_name(p): p for p in sorted(PKG_DIR.rglob("*.py")) if "__pycache__" not in p.parts}
    assert len(found) > 20, f"only {len(found)} modules found under {PKG_DIR}"
    return found


def module_file(name: str) -> Path:
    return modules()[name]


def is_package(name: str) -> bool:
    return module_file(name).name == "__init__.py"


def layer_key(name: str) -> str:
    """The component of ``analysis.X...`` that decides the layer (``__init__`` for the package itself)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer(name: str) -> int | None:
    return LAYERS.get(layer_key(name))


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module named by a ``from X import ...`` (relative levels resolved)."""
    if node.level == 0:
        return node.module or ""
    package = module if is_package(module) else module.rpartition(".")[0]
    base = package.split(".")
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _deepest_module(dotted: str) -> str | None:
    """The longest prefix of ``dotted`` that is a module of the package (``None`` outside it)."""
    parts = dotted.split(".")
    while parts:
        name = ".".join(parts)
        if name in modules():
            return name
        parts.pop()
    return None


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of the package that an import statement loads."""
    out = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                out.append(_deepest_module(alias.name))
        return [t for t in out if t]
    base = _resolve(module, node)
    if base != PACKAGE and not base.startswith(PACKAGE + "."):
        return []
    for alias in node.names:
        # ``from analysis.corpus import stage`` loads the submodule; ``import Document`` the package
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in modules() else _deepest_module(base))
    return [t for t in out if t]


def _walk(node: ast.AST, top_level: bool):
    """Yield ``(import node, top_level)`` for every import under ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, top_level
        nested = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef)
        yield from _walk(child, top_level and not nested)


@cache
def imports() -> tuple[Import, ...]:
    """Every import of a package module by a package module, resolved."""
    found = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        # ast.walk sees every node; _walk additionally knows whether it is at module level
        n_walk = sum(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(tree))
        seen = list(_walk(tree, True))
        assert len(seen) == n_walk, path
        for node, top in seen:
            for target in dict.fromkeys(_targets(name, node)):
                if target != name:
                    found.append(Import(name, target, node.lineno, top))
    return tuple(found)


# ---------------------------------------------------------------------------
# the checker checks itself on known answers
# ---------------------------------------------------------------------------
def test_resolution_known_answers():
    assert module_name(PKG_DIR / "__init__.py") == "analysis"
    assert layer("analysis") == 9 and layer("analysis.__main__") == 9 and layer("analysis.cli") == 9
    assert layer("analysis.catalog") == 0 and layer("analysis.stages") == 8
    corpus_pkg = next(m for m in modules() if m == "analysis.corpus")
    src = "analysis.corpus.stage" if "analysis.corpus.stage" in modules() else corpus_pkg
    rel = ast.parse("from . import x").body[0]
    assert _resolve(src, rel) == "analysis.corpus"
    assert _resolve(corpus_pkg, rel) == "analysis.corpus"
    up = ast.parse("from ..catalog import load").body[0]
    assert _resolve(src, up) == "analysis.catalog"
    node = ast.parse("from analysis import catalog, config").body[0]
    assert _targets(src, node) == ["analysis.catalog", "analysis.config"]
    node = ast.parse("import analysis.catalog as c, numpy").body[0]
    assert _targets(src, node) == ["analysis.catalog"]
    node = ast.parse("from analysis.corpus import NotAModule").body[0]
    assert _targets(src, node) == ["analysis.corpus"]
    code = "import os\ndef f():\n    from analysis import catalog\nclass C:\n    import analysis.config\n"
    assert [top for _, top in _walk(ast.parse(code), True)] == [True, False, False]


# ---------------------------------------------------------------------------
# the rules
# ---------------------------------------------------------------------------
def test_every_module_has_a_layer():
    unknown = sorted(m for m in modules() if layer(m) is None)
    assert not unknown, f"modules with no layer (add them to LAYERS in {Path(__file__).name}): {unknown}"


def test_imports_go_to_the_same_or_an_earlier_layer():
    bad = [
        f"{imp.where()}: {imp.source} (layer {layer(imp.source)}) imports {imp.target} (layer {layer(imp.target)})"
        for imp in imports()
        if layer(imp.source) is not None and layer(imp.target) is not None and layer(imp.target) > layer(imp.source)
    ]
    assert not bad, "imports against the data flow:\n" + "\n".join(bad)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The non-trivial strongly connected components of a directed graph (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in edges.get(v, ()):
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(out)


def test_cycle_finder_known_answers():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"a"}}) == [["a"]]


def test_no_import_cycle():
    edges: dict[str, set[str]] = {m: set() for m in modules()}
    for imp in imports():
        edges[imp.source].add(imp.target)
    cycles = _cycles(edges)
    lines = []
    for comp in cycles:
        members = set(comp)
        lines.append(" <-> ".join(comp))
        lines += [f"    {i.where()}: {i.source} -> {i.target}" for i in imports()
                  if i.source in members and i.target in members]
    assert not cycles, "import cycles:\n" + "\n".join(lines)


def test_no_lazy_import_of_the_package():
    lazy = [f"{imp.where()}: {imp.source} imports {imp.target} inside a function or class"
            for imp in imports() if not imp.top_level]
    assert not lazy, "move these imports to the top of the module:\n" + "\n".join(lazy)


def _html_uses(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    hits = [f"{path.relative_to(PKG_DIR.parent)}:{text.count(chr(10), 0, text.index(m)) + 1}: {m}"
            for m in HTML_MARKERS if m in text]
    for node in ast.walk(ast.parse(text)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for n in names:
            if n in HTML_MODULES or n.startswith("markupsafe"):
                hits.append(f"{path.relative_to(PKG_DIR.parent)}:{node.lineno}: import {n}")
    return hits


def test_html_only_in_report():
    report = PKG_DIR / "report"
    bad = [hit for name, path in modules().items() if not path.is_relative_to(report) for hit in _html_uses(path)]
    assert not bad, "HTML escaping or markup outside analysis/report/:\n" + "\n".join(bad)
    assert any(_html_uses(p) for p in report.rglob("*.py")), "analysis/report/ should hold the HTML rendering"


@pytest.mark.parametrize("marker", ["import html", "from html import escape", "x._repr_html_()", "'<table>'"])
def test_html_detector_known_answers(tmp_path, marker, monkeypatch):
    monkeypatch.setattr(f"{__name__}.PKG_DIR", tmp_path)
    f = tmp_path / "mod.py"
    f.write_text(f"{marker}\n", encoding="utf-8")
    assert _html_uses(f)
    f.write_text("import htmlmin\nprint('a table')\n", encoding="utf-8")
    assert not _html_uses(f)
