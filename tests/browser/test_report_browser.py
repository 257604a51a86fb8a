"""The HTML report in a real browser: Playwright driving Debian's Chromium against the file on disk.

Checks that every section renders with its figures (plotly has drawn traces, not only that the page loaded), that
the Sankey diagram has its nodes, that the network map's slider moves the frame and changes the drawn edges, that
deal links in the cycles table land on the Sources anchors, and that the page asks for nothing outside ``file://``.
Skipped, with the reason printed, only when Chromium or Playwright is missing (``apt-get install chromium``;
``pip install playwright``; never ``playwright install``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TIMEOUT_MS  # the suite's one timeout (tests/browser/conftest.py)
from junkan.app.launch import find_chromium

pytestmark = pytest.mark.browser

if find_chromium() is None:
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

import junkan  # noqa: E402
from junkan.report import FIGURE_IDS, build_report  # noqa: E402
from junkan.report.build import FIGURE_SECTIONS, SECTION_IDS  # noqa: E402

# what every figure draws: scatter/bar traces, Sankey nodes, or annotation boxes
DRAWN = "g.trace, .sankey-node, g.annotation"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...]]:
    """The ai-compute report on disk and the sections it holds."""
    path = tmp_path_factory.mktemp("report") / "report.html"
    # a scenario in which parties default, so that every stress figure (domino chains included) has something to
    # draw; the no-default message of each figure is covered by tests/report/test_figures.py
    rep = build_report(junkan.load("ai-compute"), seed=2, runs=40, scenario="ai-winter")
    rep.write(path)
    return path, rep.sections


@pytest.fixture(scope="module")
def loaded(browser: Any, built: tuple[Path, tuple[str, ...]]) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The report opened once: the page, the requests made outside file:// (blocked) and the page errors."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file://", "data:", "blob:", "about:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    path, sections = built
    pg.goto(path.resolve().as_uri())
    for name, div in FIGURE_IDS.items():
        if FIGURE_SECTIONS[name] in sections:
            pg.locator(f"#{div} .main-svg").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    yield pg, outside, errors
    context.close()


def test_every_section_renders_with_its_figures(loaded: Any, built: tuple[Path, tuple[str, ...]]) -> None:
    pg, _, errors = loaded
    assert built[1] == SECTION_IDS  # the bundled data has every section (answers ... watch, sources)
    for sid in SECTION_IDS:
        sec = pg.locator(f"section#{sid}")
        sync_api.expect(sec).to_be_visible(timeout=TIMEOUT_MS)
        sync_api.expect(sec.locator("h2")).to_be_visible(timeout=TIMEOUT_MS)
    for name, div in FIGURE_IDS.items():
        fig = pg.locator(f"#{div}")
        assert fig.locator(".main-svg").count() >= 1, name
        assert fig.locator(DRAWN).count() > 0, f"{name} drew nothing"
        traces = fig.evaluate("el => (el._fullData || []).length")
        assert traces > 0, name
    assert errors == []


def test_circularity_section_draws_its_trend_and_is_linked(loaded: Any) -> None:
    from junkan.flows import circularity
    from junkan.report.build import CIRCULARITY_TOP, DEFAULT_UNCERTAINTY_DRAWS

    pg, _, _ = loaded
    circ = circularity(junkan.load("ai-compute"), by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=2)
    lo, hi = circ.index_interval
    sec = pg.locator("section#circularity")
    sync_api.expect(sec.locator('[data-circularity="index"]')).to_have_text(f"{circ.index:.1%}", timeout=TIMEOUT_MS)
    sync_api.expect(sec.locator('[data-circularity="interval"]')).to_have_text(f"{lo:.1%}–{hi:.1%}", timeout=TIMEOUT_MS)
    # the note says plainly that the point is on the recorded amounts and the interval over the draws
    note = sec.locator("#circularity-interval-note")
    sync_api.expect(note).to_be_visible(timeout=TIMEOUT_MS)
    sync_api.expect(note).to_contain_text("the point can fall outside its interval", timeout=TIMEOUT_MS)
    # on the bundled data the ceilings of the "up to" deals put the point above its interval, and the note says so
    side = "above" if circ.index > hi else "below" if circ.index < lo else None
    if side is None:
        sync_api.expect(note).not_to_contain_text("Here the point figure", timeout=TIMEOUT_MS)
    else:
        sync_api.expect(note).to_contain_text(
            f"Here the point figure, {circ.index:.1%}, lies {side} its interval", timeout=TIMEOUT_MS
        )
    fig = sec.locator("#fig-circularity-trend")
    rows = sec.locator("#circularity-trend-table tr[data-period]")
    sync_api.expect(rows).to_have_count(len(circ.by_period), timeout=TIMEOUT_MS)
    # one marker per year end on the line, and the band of today's interval behind it
    sync_api.expect(fig.locator(".scatterlayer .trace .points path")).to_have_count(
        len(circ.by_period), timeout=TIMEOUT_MS
    )
    sync_api.expect(fig.locator(".shapelayer path").first).to_be_attached(timeout=TIMEOUT_MS)
    sync_api.expect(sec.locator("#circularity-table tr[data-entity]")).to_have_count(
        CIRCULARITY_TOP, timeout=TIMEOUT_MS
    )
    # the first answer quotes the index and its interval, and links here
    answer = pg.locator('section#answers div.answer[data-answer="circular"]')
    sync_api.expect(answer).to_contain_text(
        f"The circularity index is {circ.index:.1%} (90% interval {lo:.1%}–{hi:.1%})", timeout=TIMEOUT_MS
    )
    answer.locator('a.evidence[href="#circularity"]').click(timeout=TIMEOUT_MS)
    pg.wait_for_function("() => location.hash === '#circularity'", timeout=TIMEOUT_MS)
    sync_api.expect(sec).to_be_in_viewport(timeout=TIMEOUT_MS)


def test_headline_numbers_show(loaded: Any) -> None:
    pg, _, _ = loaded
    summary = junkan.load("ai-compute").summary()  # the page shows the API's numbers (they change as data is added)
    assert pg.locator('[data-headline="deals"]').inner_text() == str(summary["deals"])
    assert pg.locator('[data-headline="parties"]').inner_text() == str(summary["parties"])
    assert pg.locator("#headline-cycles tr").count() == 4  # header + the three largest cycles


def test_sankey_has_its_nodes(loaded: Any) -> None:
    pg, _, _ = loaded
    fig = pg.locator("#fig-sankey")
    expected = fig.evaluate("el => el._fullData[0].node.label.length")
    assert expected > 10
    assert fig.locator(".sankey-node").count() == expected
    assert fig.locator(".sankey-link").count() > 20


EDGES = "#fig-network-map .scatterlayer .trace .points path"


def _drawn_edges(pg: Any) -> int:
    """Arrowheads drawn on the map (one per edge) plus its node markers."""
    return int(pg.locator(EDGES).count())


def _wait_drawn(pg: Any, test: str, n: int) -> None:
    """Wait until the map has redrawn: the count of drawn markers satisfies ``count <test> n`` (e.g. ``"<"``)."""
    pg.wait_for_function(f"n => document.querySelectorAll({EDGES!r}).length {test} n", arg=n, timeout=TIMEOUT_MS)


def test_map_slider_moves_the_frame_and_changes_the_edges(loaded: Any) -> None:
    pg, _, _ = loaded
    fig = pg.locator("#fig-network-map")
    fig.scroll_into_view_if_needed()
    steps = fig.evaluate("el => el.layout.sliders[0].steps.length")
    assert fig.evaluate("el => el.layout.sliders[0].active") == steps - 1
    nodes = int(fig.evaluate("el => el.data[el.data.length - 1].x.length"))
    full = _drawn_edges(pg) - nodes
    assert full > 30
    rail = fig.locator(".slider-rail-touch-rect").first
    box = rail.bounding_box()
    assert box is not None
    pg.mouse.click(box["x"] + 4, box["y"] + box["height"] / 2)  # the first step: the earliest year
    pg.wait_for_function(
        "() => document.getElementById('fig-network-map').layout.sliders[0].active === 0", timeout=TIMEOUT_MS
    )
    _wait_drawn(pg, "<", full + nodes)  # the earliest year's frame is drawn: fewer edges
    first = _drawn_edges(pg) - nodes
    assert 0 < first < full
    current = fig.evaluate("el => el.querySelector('.slider-group > .slider-label').textContent")
    assert current.endswith("2019")  # the slider's current-value label
    last = rail.bounding_box()
    assert last is not None
    pg.mouse.click(last["x"] + last["width"] - 4, last["y"] + last["height"] / 2)
    pg.wait_for_function(
        f"() => document.getElementById('fig-network-map').layout.sliders[0].active === {steps - 1}",
        timeout=TIMEOUT_MS,
    )
    _wait_drawn(pg, "===", full + nodes)  # the last frame is drawn again: every edge
    assert _drawn_edges(pg) - nodes == full


def test_cycle_links_land_on_the_sources(loaded: Any) -> None:
    pg, _, _ = loaded
    link = pg.locator("#cycles-table a").first
    target = str(link.get_attribute("href"))
    assert target.startswith("#deal-")
    link.click()
    pg.wait_for_function("target => location.hash === target", arg=target, timeout=TIMEOUT_MS)
    sync_api.expect(pg.locator(target)).to_be_in_viewport(timeout=TIMEOUT_MS)


def test_no_request_leaves_the_file(loaded: Any) -> None:
    _, outside, _ = loaded
    assert outside == []
