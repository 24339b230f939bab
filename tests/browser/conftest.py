"""Fixtures for the browser checks: the built site, a local HTTP server and headless Chromium.

The site is ``$BOOK_HTML`` when set (``make browser`` points it at the strict
build in ``_build/html``), otherwise the book is built into a temporary
folder.  It is served over HTTP on 127.0.0.1 at a random free port (the
search page needs HTTP, not ``file://``) and opened with Playwright driving the
system Chromium (``/usr/bin/chromium``; ``playwright install`` cannot
download here).

A second browser, :func:`bare_browser`, sees no CJK font at all (its
fontconfig lists only matplotlib's DejaVu fonts), so that the tests can show
that the book's own web font draws every Chinese character.

Without Chromium or Playwright the browser tests are skipped with a reason,
unless ``REQUIRE_BROWSER=1`` (set by ``make browser``), where that is a failure.
"""

from __future__ import annotations

import fnmatch
import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from analysis import config

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", config.PROJ_ROOT / "_build" / "screenshots"))
LOCAL_HOSTS = {"127.0.0.1"}

#: Known errors of third-party code, tolerated one by one (anything else fails).
#: sphinx-thebe 0.3.1 under jupyter-book 1.0.4 emits its inline config script
#: (``const THEBE_JS_URL = ...``) twice on every page; the second copy throws,
#: harmlessly, since the first one defined the constants.
KNOWN_PAGE_ERRORS = ("Identifier 'THEBE_JS_URL' has already been declared",)


def _toc(toc: Path) -> dict:
    return yaml.safe_load(toc.read_text(encoding="utf-8"))


def toc_pages(site: Path, toc: Path = config.PROJ_ROOT / "_toc.yml") -> list[str]:
    """Every page of the toc, as paths relative to the site (``book/intro.html``), in toc order."""
    data = _toc(toc)
    out = [data["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                out.append(entry["file"])
            if "glob" in entry:
                found = sorted(str(p.relative_to(site).with_suffix("")) for p in site.rglob("*.html"))
                out.extend(f for f in found if fnmatch.fnmatch(f, entry["glob"]))
            walk(entry.get("sections"))

    for part in data.get("parts", []):
        walk(part.get("chapters"))
    walk(data.get("chapters"))
    return [f"{f}.html" for f in out]


def toc_parts(toc: Path = config.PROJ_ROOT / "_toc.yml") -> dict[str, list[str]]:
    """``{part caption: [its top-level chapter pages]}``; the root page is the first of the first part."""
    data = _toc(toc)
    parts = {p.get("caption", ""): [f"{c['file']}.html" for c in p.get("chapters", []) if "file" in c]
             for p in data.get("parts", [])}
    first = next(iter(parts), "")
    parts[first] = [f"{data['root']}.html", *parts.get(first, [])]
    return parts


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    """The toc's pages, each checked to exist in the build."""
    found = toc_pages(site)
    missing = [f for f in found if not (site / f).exists()]
    assert not missing, f"toc pages missing from the build: {missing}"
    return found


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def jb_build(source: Path, out: Path, *, strict: bool = False) -> Path:
    """Build a Jupyter Book and return its ``_build/html`` folder.

    Parameters
    ----------
    source : pathlib.Path
        The book (holds ``_config.yml`` and ``_toc.yml``).
    out : pathlib.Path
        ``--path-output``; never the project's own ``_build``.
    strict : bool
        Add ``-W`` (warnings are errors).
    """
    jb = Path(sys.executable).with_name("jb")
    cmd = [str(jb), "build", str(source), "--path-output", str(out), "-n", "--keep-going"] + (["-W"] if strict else [])
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1200)
    if proc.returncode != 0:
        raise AssertionError(f"jb build {source} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where the screenshots go: ``$SCREENSHOT_DIR``, default ``_build/screenshots``."""
    return SCREENSHOT_DIR


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built HTML site: ``$BOOK_HTML``, or a fresh build in a temporary folder."""
    given = os.environ.get("BOOK_HTML")
    if not given and not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing, so the browser checks (and the book build they need) are skipped")
    if given:
        path = Path(given).resolve()
        if not (path / "index.html").exists():
            pytest.fail(f"BOOK_HTML={given} has no index.html: build the book first (make book)", pytrace=False)
        return path
    return jb_build(config.PROJ_ROOT, tmp_path_factory.mktemp("book"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 -- the base class's signature
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on 127.0.0.1 at a free port, in a daemon thread.  Returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def base_url(site) -> Iterator[str]:
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


def _fonts_conf(tmp: Path) -> Path:
    conf = config.CACHE_DIR / "fonts.conf"
    if conf.exists():
        return conf
    conf = tmp / "fonts.conf"
    subprocess.run([sys.executable, str(config.PROJ_ROOT / "tools" / "write_fonts_conf.py"), str(conf)],
                   check=True, capture_output=True, cwd=config.PROJ_ROOT,
                   env={**os.environ, "PYTHONPATH": str(config.PROJ_ROOT)})
    return conf


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright driver for the whole session (the sync API cannot run two at once)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (install it with `apt-get install -y chromium`, or run `make browser`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed in this environment")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session, tmp_path_factory):
    """Headless system Chromium through Playwright, with the pip CJK font through fontconfig."""
    env = {**os.environ, "FONTCONFIG_FILE": str(_fonts_conf(tmp_path_factory.mktemp("fonts")))}
    b = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
    yield b
    b.close()


#: A fontconfig file that knows no font but matplotlib's DejaVu family: no CJK font at all.
NO_CJK_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{font_dir}</dir>
  <cachedir>{cache_dir}</cachedir>
  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>
  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
"""


def no_cjk_fonts_conf(tmp: Path) -> tuple[Path, Path]:
    """Write a fonts.conf without any CJK font (neither the system's nor the pip package's).

    Returns the file and the one font folder it lists: links to matplotlib's bundled DejaVu fonts (not
    its LastResort font, whose boxes cover every code point).
    """
    import matplotlib

    font_dir = tmp / "dejavu"
    font_dir.mkdir(exist_ok=True)
    for f in sorted((Path(matplotlib.get_data_path()) / "fonts" / "ttf").glob("DejaVu*.ttf")):
        if not (font_dir / f.name).exists():
            (font_dir / f.name).symlink_to(f)
    conf = tmp / "fonts-no-cjk.conf"
    conf.write_text(NO_CJK_FONTS_CONF.format(font_dir=font_dir, cache_dir=tmp / "fontconfig-no-cjk"),
                    encoding="utf-8")
    return conf, font_dir


@pytest.fixture(scope="session")
def bare_fonts(tmp_path_factory) -> tuple[Path, Path]:
    """The fonts.conf without CJK fonts, and its one font folder."""
    return no_cjk_fonts_conf(tmp_path_factory.mktemp("bare-fonts"))


@pytest.fixture(scope="session")
def bare_browser(playwright_session, bare_fonts):
    """Headless Chromium that has no CJK font of its own: Chinese renders only through the book's web font."""
    env = {**os.environ, "FONTCONFIG_FILE": str(bare_fonts[0])}
    b = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env)
    yield b
    b.close()


@dataclass
class Visit:
    """What happened while a page loaded."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def non_local(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def assert_clean(self) -> None:
        """No console or page error, no failed or non-local request, no HTTP error, no dialog."""
        problems = {
            # Chromium asks for /favicon.ico by itself; the book does not link it
            "console errors": [e for e in self.console_errors if not e.endswith("/favicon.ico]")],
            "page errors": [e for e in self.page_errors if e not in KNOWN_PAGE_ERRORS],
            "failed requests": self.failed,
            "HTTP errors": self.bad_status,
            "requests to non-local hosts": self.non_local(),
            "dialogs": self.dialogs,
        }
        problems = {k: v for k, v in problems.items() if v}
        assert not problems, f"{self.page.url}: {problems}"


def _visitor(browser, contexts: list):
    """``visit(url)``: open a URL in a fresh context of ``browser``, recording everything that happens."""
    from playwright.sync_api import Error as PlaywrightError

    def visit(url: str, *, wait: int = 300) -> Visit:
        ctx = browser.new_context(viewport={"width": 1280, "height": 1600}, device_scale_factor=1)
        contexts.append(ctx)
        page = ctx.new_page()
        rec = Visit(page)
        page.on("request", lambda r: rec.requests.append(r.url))
        page.on("requestfailed", lambda r: rec.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: rec.bad_status.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("console", lambda m: rec.console_errors.append(f"{m.text} [{m.location.get('url', '')}]")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: rec.page_errors.append(str(e)))

        def on_dialog(d):
            rec.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", on_dialog)
        page.set_default_timeout(60_000)
        page.goto(url, wait_until="load")
        try:  # web fonts and the CJK fallback settled
            page.evaluate("document.fonts.ready.then(() => true)")
        except PlaywrightError:  # a redirect (index.html) replaced the page meanwhile
            page.wait_for_load_state("load")
        page.wait_for_timeout(wait)
        return rec

    return visit


@pytest.fixture()
def open_page(browser):
    """Return ``visit(url)``: open a URL in a fresh context, recording everything that happens."""
    contexts: list = []
    yield _visitor(browser, contexts)
    for ctx in contexts:
        ctx.close()


@pytest.fixture()
def open_bare_page(bare_browser):
    """Like :func:`open_page`, in the browser without any CJK font (:func:`bare_browser`)."""
    contexts: list = []
    yield _visitor(bare_browser, contexts)
    for ctx in contexts:
        ctx.close()
