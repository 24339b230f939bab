"""The flat public API of ``analysis``: what it exports, that importing it stays cheap, and its docstrings.

Every name of ``analysis.__all__`` must carry a numpydoc docstring:

* a function documents every parameter of its signature in ``Parameters``,
  each with a description, and has a ``Returns`` (or ``Yields``) section
  whose entries are described;
* a class documents every parameter of its constructor in ``Parameters`` or
  ``Attributes``, each with a description (an exception that keeps the
  constructor of :class:`Exception` documents its message).

The sections are parsed here (numpydoc's own parser is not a dependency):
a section is a title line underlined with dashes, and an entry is a line at
the section's indentation, ``name : type`` or ``name1, name2 : type``,
followed by its indented description.
"""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import pytest

import analysis

SECTION = re.compile(r"^([A-Z]\w*(?: \w+)*)\n-{3,}[ \t]*$", re.M)

#: What the package exports, by where it lives (a change here is a change of the public API).
EXPECTED = {
    "STAGES": "analysis.stages",
    "run": "analysis.stages",
    "load": "analysis.catalog",
    "save_all": "analysis.catalog",
    "Document": "analysis.corpus.document",
    "load_article": "analysis.corpus.ingest",
    "iter_documents": "analysis.corpus.documents",
    "tokenize": "analysis.segment",
    "extract_numbers": "analysis.extract.figures",
    "claims_frame": "analysis.extract.claims",
    "ThemeModel": "analysis.themes.model",
    "strategy_stance": "analysis.themes.stance",
    "find_conflicts": "analysis.checks.conflicts",
    "kappa": "analysis.checks.agreement",
    "fit_bass": "analysis.adoption._bass",
    "BassFit": "analysis.adoption._bass",
    "market_prior": "analysis.adoption.prior",
    "html_table": "analysis.report.tables",
    "LexiconError": "analysis.lexicon._read",
    "CorpusError": "analysis.corpus.document",
    "MissingArtefact": "analysis.catalog",
    "SchemaError": "analysis.catalog",
}


def sections(doc: str | None) -> dict[str, str]:
    """The numpydoc sections of a docstring: ``{title: body}`` (the summary is not a section)."""
    text = inspect.cleandoc(doc or "")
    found = list(SECTION.finditer(text))
    return {m.group(1): text[m.end(): found[i + 1].start() if i + 1 < len(found) else len(text)]
            for i, m in enumerate(found)}


def entries(body: str) -> dict[str, str]:
    """The entries of a Parameters-like section: ``{name: description}`` (names of one line share it)."""
    out: dict[str, str] = {}
    names: list[str] = []
    for line in body.strip("\n").splitlines():
        if line.strip() and not line[0].isspace():
            head = line.split(" : ")[0]
            names = [n.strip().lstrip("*") for n in head.split(",") if n.strip()]
            for n in names:
                out[n] = ""
        elif line.strip():
            for n in names:
                out[n] = (out[n] + " " + line.strip()).strip()
    return out


def problems(obj: object) -> list[str]:
    """What the numpydoc docstring of a public function or class lacks (empty when complete)."""
    sec = sections(obj.__doc__)
    if not (obj.__doc__ or "").strip():
        return ["no docstring"]
    out = []
    if inspect.isclass(obj):
        if not inspect.isfunction(obj.__init__):  # the constructor of a built-in base (an exception's)
            wanted = []
            if issubclass(obj, BaseException) and not entries(sec.get("Parameters", "")):
                out.append("an exception class should document its message under Parameters")
        else:
            wanted = [p for p in inspect.signature(obj).parameters]
        documented = {**entries(sec.get("Attributes", "")), **entries(sec.get("Parameters", ""))}
        if not ({"Parameters", "Attributes"} & set(sec)):
            out.append("no Parameters or Attributes section")
    else:
        wanted = list(inspect.signature(obj).parameters)
        documented = entries(sec.get("Parameters", ""))
        if wanted and "Parameters" not in sec:
            out.append("no Parameters section")
        returns = sec.get("Returns", sec.get("Yields"))
        if returns is None:
            out.append("no Returns (or Yields) section")
        elif not entries(returns):
            out.append("an empty Returns section")
        elif not all(entries(returns).values()):
            out.append(f"Returns entries without a description: {[k for k, v in entries(returns).items() if not v]}")
    out += [f"parameter {p!r} is not documented" for p in wanted if p not in documented]
    out += [f"parameter {p!r} has no description" for p in wanted if p in documented and not documented[p]]
    return out


# ---------------------------------------------------------------------------
# the checker on known answers
# ---------------------------------------------------------------------------
def _good(a: int, *, b: str = "") -> int:
    """Summary.

    Parameters
    ----------
    a : int
        The first.
    b : str, optional
        The second.

    Returns
    -------
    int
        Something.
    """
    return a


def _bad(a: int, b: str = "") -> int:
    """Summary.

    Parameters
    ----------
    a : int

    Returns
    -------
    int
    """
    return a


class _Err(ValueError):
    """A bare exception."""


def test_checker_known_answers():
    assert problems(_good) == []
    assert problems(_bad) == ["Returns entries without a description: ['int']",
                              "parameter 'b' is not documented", "parameter 'a' has no description"]
    assert problems(_Err) == ["an exception class should document its message under Parameters",
                              "no Parameters or Attributes section"]
    assert entries("a, b : float\n    Shared.\nc\n    Untyped.\n") == {"a": "Shared.", "b": "Shared.", "c": "Untyped."}
    assert list(sections(_good.__doc__)) == ["Parameters", "Returns"]


# ---------------------------------------------------------------------------
# the API
# ---------------------------------------------------------------------------
def test_all_is_the_expected_flat_api():
    assert sorted(analysis.__all__) == sorted(EXPECTED)
    assert len(set(analysis.__all__)) == len(analysis.__all__)
    for name, module in EXPECTED.items():
        obj = getattr(analysis, name)
        assert getattr(obj, "__module__", module) == module or name == "STAGES", (name, obj.__module__)
    assert analysis.STAGES is sys.modules["analysis.stages"].STAGES


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "STAGES"))
def test_public_docstring_is_complete(name):
    assert problems(getattr(analysis, name)) == []


def test_import_is_cheap():
    """Importing the package loads neither jieba's dictionary nor matplotlib, and reads no lexicon file."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "import analysis, jieba\n"
        "from analysis import config\n"
        "assert not jieba.dt.initialized\n"
        "assert 'matplotlib' not in sys.modules\n"
        "lex = str(config.LEXICON_DIR)\n"
        "bad = [p for p in opened if p.startswith(lex) or p.endswith(('dict.txt', '.cache'))]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
