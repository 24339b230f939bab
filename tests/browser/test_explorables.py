"""The adoption chapter's explorables in a real browser: numbers, keyboard, offline, weight, screenshots.

* **Sliders.** Moving a slider of the push or seeding explorable to a grid position shows exactly that cell's
  precomputed outcome (the ``push_explorer`` / ``seeding_explorer`` artefacts, read as numbers from the
  readout); the forecast's readout and its JavaScript closed form agree with
  :func:`analysis.adoption.bass_cumulative` at the same ``p, q, m`` and times.
* **Keyboard.** Every slider has a label; focused, ArrowRight moves it one step and updates the readout,
  ArrowLeft brings the readout back.
* **Offline.** No request leaves 127.0.0.1, and from ``file://`` every request is a local file and the
  explorables work.  Without JavaScript, the readout shows the starting cell and a note says so.
* **Weight.** The adoption chapter's HTML plus every same-origin resource it loads: printed, under 3 MB.
* Screenshots of the three explorables at 1280 and 390 px wide (``$SCREENSHOT_DIR``).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest

from analysis import catalog
from analysis.adoption import bass_cumulative

pytestmark = pytest.mark.browser

PAGE = "book/adoption.html"
KINDS = ("push", "seeding", "forecast")


def _number(text: str) -> float:
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    assert m, f"no number in {text!r}"
    return float(m.group(0).replace(",", ""))


def _set(page, kind: str, name: str, value) -> None:
    page.eval_on_selector(f"#explore-{kind} input[data-param='{name}']",
                          "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }",
                          value)


def _out(page, kind: str, name: str) -> str:
    return page.inner_text(f"#explore-{kind} [data-out='{name}']")


def _readout(page, kind: str) -> str:
    return page.inner_text(f"#explore-{kind}-readout")


@pytest.fixture()
def adoption(open_page, base_url):
    visit = open_page(base_url + PAGE)
    visit.assert_clean()
    for kind in KINDS:
        assert visit.page.get_attribute(f"#explore-{kind}", "data-ready") == "true", f"{kind} did not start"
    return visit


def test_push_slider_positions_show_the_precomputed_outcome(adoption):
    page = adoption.page
    grid = catalog.load("push_explorer")
    betas, sizes, timings = (sorted(grid[c].unique()) for c in ("beta", "size", "timing"))
    words = {"win": "tips", "niche": "niche", "fade": "fades"}
    rng = np.random.default_rng(7)
    picks = [(betas.index(6.0), sizes.index(10.0), 10)] + [tuple(int(rng.integers(len(a))) for a in
                                                            (betas, sizes, timings)) for _ in range(6)]
    picks += [(0, len(sizes) - 1, 0), (len(betas) - 1, 0, len(timings) - 1)]
    seen = set()
    for b, s, t in picks:
        _set(page, "push", "beta", b)
        _set(page, "push", "size", s)
        _set(page, "push", "timing", t)
        row = grid[(grid["beta"] == betas[b]) & (grid["size"] == sizes[s]) & (grid["timing"] == timings[t])].iloc[0]
        assert _number(_out(page, "push", "share")) == round(100 * row["share"], 2), (b, s, t)
        assert _number(_out(page, "push", "long_run")) == round(100 * row["long_run"], 2), (b, s, t)
        assert words[row["outcome"]] in _out(page, "push", "outcome")
        seen.add(row["outcome"])
    assert len(seen) >= 2  # the picks reach more than one verdict


def test_seeding_slider_positions_show_the_precomputed_outcome(adoption):
    page = adoption.page
    grid = catalog.load("seeding_explorer")
    budgets, styles, thetas = (sorted(grid[c].unique()) for c in ("budget", "style", "theta"))
    rng = np.random.default_rng(8)
    picks = [tuple(int(rng.integers(len(a))) for a in (budgets, styles, thetas)) for _ in range(8)]
    picks += [(0, 0, 0), (len(budgets) - 1, len(styles) - 1, len(thetas) - 1)]
    for b, s, t in picks:
        _set(page, "seeding", "budget", b)
        _set(page, "seeding", "style", s)
        _set(page, "seeding", "theta", t)
        row = grid[(grid["budget"] == budgets[b]) & (grid["style"] == styles[s]) & (grid["theta"] == thetas[t])]
        row = row.iloc[0]
        assert _number(_out(page, "seeding", "retained")) == round(100 * row["retained_share"], 2), (b, s, t)
        assert _number(_out(page, "seeding", "final")) == round(100 * row["final_share"], 2), (b, s, t)
        assert _number(_out(page, "seeding", "n_seeds")) == row["n_seeds"]
        assert _number(_out(page, "seeding", "n_clustered")) == row["n_clustered"]


def test_forecast_is_the_python_closed_form(adoption):
    page = adoption.page
    fit = catalog.load("wechat_fit").set_index("parameter")["estimate"]
    target_t = float(page.evaluate("JSON.parse(document.getElementById('explore-forecast-data').textContent)"
                                   ".target.t"))
    values = {n: float(page.input_value(f"#explore-forecast input[data-param='{n}']")) for n in "pqm"}
    assert values == pytest.approx({n: float(fit[n]) for n in "pqm"}, abs=1e-12)  # starts at the fit
    for p, q, m in ((fit["p"], fit["q"], fit["m"]), (0.01, 0.5, 1200.0), (0.08, 1.8, 400.0)):
        # the slider snaps to its steps: read back what it holds
        for name, v in zip("pqm", (p, q, m), strict=True):
            _set(page, "forecast", name, v)
        p, q, m = (float(page.input_value(f"#explore-forecast input[data-param='{n}']")) for n in "pqm")
        expected = float(bass_cumulative([target_t], p, q, m)[0])
        assert _number(_out(page, "forecast", "target")) == pytest.approx(round(expected, 1), abs=0.051)
        ts = [0.0, 0.5, 2.19, 3.4387, target_t, 12.0]
        js = page.evaluate("([ts, p, q, m]) => ts.map(t => window.Explorables.bassCumulative(t, p, q, m))",
                           [ts, p, q, m])
        np.testing.assert_allclose(js, bass_cumulative(ts, p, q, m), rtol=1e-12, atol=1e-9)


def test_keyboard_moves_every_slider_and_every_slider_has_a_label(adoption):
    page = adoption.page
    ids = page.eval_on_selector_all("figure.explorable input[type='range']", "els => els.map(e => e.id)")
    assert len(ids) == 9
    for sid in ids:
        label = page.evaluate("id => { const l = document.getElementById(id).labels; "
                              "return l && l.length ? l[0].textContent.trim() : ''; }", sid)
        assert label, f"slider {sid} has no label"
        kind = sid.split("-")[1]
        before_value = page.input_value(f"#{sid}")
        before = _readout(page, kind), page.inner_text(f"#{sid}-value")
        page.focus(f"#{sid}")
        key = "ArrowRight" if page.evaluate("id => { const e = document.getElementById(id); "
                                            "return Number(e.value) + Number(e.step) <= Number(e.max); }", sid) \
            else "ArrowLeft"
        page.keyboard.press(key)
        assert page.input_value(f"#{sid}") != before_value, f"{key} did not move {sid}"
        assert page.inner_text(f"#{sid}-value") != before[1], f"{sid}: the shown value did not change"
        assert page.get_attribute(f"#{sid}", "aria-valuetext") == page.inner_text(f"#{sid}-value")
        page.keyboard.press("ArrowLeft" if key == "ArrowRight" else "ArrowRight")
        assert (_readout(page, kind), page.inner_text(f"#{sid}-value")) == before
    # the readouts follow the keyboard (the size of a push, the seeding style, the market potential)
    for sid, kind in (("explore-push-size", "push"), ("explore-seeding-style", "seeding"),
                      ("explore-forecast-m", "forecast")):
        before = _readout(page, kind)
        page.focus(f"#{sid}")
        page.keyboard.press("ArrowRight")
        assert _readout(page, kind) != before, f"{sid}: ArrowRight did not change the readout"


def test_offline_over_http(adoption):
    assert adoption.non_local() == []
    assert any(urlsplit(u).path.endswith("/explorables.js") for u in adoption.requests)


def test_works_from_file_url(browser, site):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1600})
    try:
        page = ctx.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / PAGE).resolve().as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        foreign = [u for u in requests if urlsplit(u).scheme not in ("file", "data", "blob", "about")]
        assert not foreign, foreign
        for kind in KINDS:
            assert page.get_attribute(f"#explore-{kind}", "data-ready") == "true", f"{kind} did not start"
        before = _readout(page, "push")
        _set(page, "push", "size", 30)
        assert _readout(page, "push") != before
    finally:
        ctx.close()


def test_without_javascript_the_readout_shows_the_default_cell(browser, base_url):
    grid = catalog.load("push_explorer")
    row = grid[(grid["beta"] == 6.0) & (grid["size"] == 10.0) & (grid["timing"] == 2.75)].iloc[0]
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(base_url + PAGE, wait_until="load")
        assert _number(_out(page, "push", "share")) == round(100 * row["share"], 2)
        assert page.get_attribute("#explore-push", "data-ready") is None
        for kind in KINDS:
            assert "Without JavaScript" in page.inner_text(f"#explore-{kind} .explorable-noscript")
    finally:
        ctx.close()


def test_page_weight(adoption, site, base_url):
    """The adoption chapter with every same-origin resource it loads (HTML, CSS, JS, fonts, images).

    Two numbers are printed: the bytes on disk, and the bytes a static host sends with gzip (each file
    compressed at level 6), which is what a reader downloads and what the 3 MB budget is checked on.  Most of
    either is the theme's (Font Awesome's script, MathJax); the explorables' own share (their inline data, the
    script and the style) is checked separately.
    """
    local = {unquote(urlsplit(u).path) for u in adoption.requests if u.startswith(base_url)}
    files = {path: site / path.lstrip("/") for path in local}
    files = {path: f for path, f in files.items() if f.is_file()}
    assert "/" + PAGE in files
    raw = {path: f.stat().st_size for path, f in files.items()}
    sent = {path: len(gzip.compress(f.read_bytes(), 6)) for path, f in files.items()}
    html = files["/" + PAGE].read_text(encoding="utf-8")
    data = sum(len(m.encode("utf-8")) for m in re.findall(
        r'<script type="application/json" id="explore-[a-z]+-data">(.*?)</script>', html, re.S))
    own = data + sum(s for p, s in raw.items() if Path(p).name.startswith("explorables."))
    heaviest = ", ".join(f"{Path(p).name} {s:,}" for p, s in sorted(raw.items(), key=lambda kv: -kv[1])[:3])
    print(f"\nadoption chapter page weight: {sum(raw.values()):,} bytes on disk, {sum(sent.values()):,} bytes "
          f"gzipped, in {len(files)} same-origin files (HTML {raw['/' + PAGE]:,}; the explorables' data, script "
          f"and style {own:,}; heaviest: {heaviest})")
    assert sum(sent.values()) < 3_000_000
    assert own < 150_000


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, base_url, screenshot_dir, width):
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    try:
        page = ctx.new_page()
        page.goto(base_url + PAGE, wait_until="load")
        page.wait_for_timeout(300)
        for kind in KINDS:
            fig = page.locator(f"#explore-{kind}")
            fig.scroll_into_view_if_needed()
            box = fig.bounding_box()
            assert box and box["width"] <= width, f"{kind} is wider than the window"
            out = screenshot_dir / f"explorable-{kind}-{width}.png"
            fig.screenshot(path=str(out))
            assert out.stat().st_size > 5_000
    finally:
        ctx.close()
