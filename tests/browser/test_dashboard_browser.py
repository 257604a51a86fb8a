"""The dashboard in a real browser: Playwright driving Debian's Chromium against ``junkan serve``.

Checks that every tab renders its tables and figures (plotly traces drawn, not only the page loaded), that changing a
filter and a stress-test knob changes the figures, and that a bad CSV upload shows each problem. Skipped, with the
reason printed, only when Chromium or Playwright is missing (``apt-get install chromium``; ``pip install playwright``;
never ``playwright install``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TIMEOUT_MS  # the suite's one timeout (tests/browser/conftest.py)
from junkan.app.launch import find_chromium, serve_dashboard

pytestmark = pytest.mark.browser

if find_chromium() is None:
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytest.importorskip("streamlit", reason="streamlit is not installed (pip install 'junkan[app]')")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``junkan serve`` on a free port (its own process group, ended at the end of the module)."""
    with serve_dashboard() as served:
        yield served.url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(server)
    sync_api.expect(pg.get_by_role("heading", name="junkan: follow the money around the loop")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    wait_idle(pg)
    yield pg
    context.close()


def wait_idle(page: Any) -> None:
    """Wait until the script has finished its run: Streamlit's running indicator is gone, metrics are drawn and no
    element is stale (left over from the previous run: ``data-stale="true"``)."""
    page.wait_for_function(
        '() => !document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]\')'
        " && document.querySelectorAll('[data-testid=\"stMetric\"]').length > 0"
        ' && !document.querySelector(\'[data-testid="stElementContainer"][data-stale="true"]\')',
        timeout=TIMEOUT_MS,
    )


def metric(page: Any, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return str(box.first.get_by_test_id("stMetricValue").inner_text()).strip()


def open_tab(page: Any, name: str) -> Any:
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel").filter(visible=True).first
    sync_api.expect(panel).to_be_visible(timeout=TIMEOUT_MS)
    return panel


# the traces of the chart of a panel whose title contains ``title`` (the first chart for null), as JSON, or null
CHART_JSON = """(root, title) => {
    const plots = [...root.querySelectorAll('.js-plotly-plot')];
    const named = p => ((p.layout || {}).title || {}).text?.includes(title);
    const el = title === null ? plots[0] : plots.find(named);
    if (!el) return null;
    return JSON.stringify((el.data || []).map(t => ({name: t.name, x: t.x, y: t.y})));
}"""


def chart_data(panel: Any, title: str | None = None) -> list[dict[str, Any]]:
    """The traces plotly drew in the chart of ``panel`` whose title contains ``title`` (default: the first chart);
    waits until the chart is drawn."""
    plot = panel.locator(".js-plotly-plot").first
    sync_api.expect(plot).to_be_visible(timeout=TIMEOUT_MS)
    plot.locator("g.trace, g.scatterlayer .trace, g.barlayer .trace").first.wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    data = panel.evaluate(CHART_JSON, title)
    assert data is not None, f"no chart titled {title!r}"
    return list(json.loads(data))


def changed_chart(panel: Any, before: list[dict[str, Any]], title: str | None = None) -> list[dict[str, Any]]:
    """Wait until a chart of ``panel`` draws traces that differ from ``before`` (a rerun may still be drawing), and
    return them. (``before`` goes to the page as JavaScript values and both sides are compared as the page's JSON.)"""
    root = panel.element_handle(timeout=TIMEOUT_MS)
    panel.page.wait_for_function(
        f"([root, title, before]) => {{ const now = ({CHART_JSON})(root, title);"
        " return now !== null && now !== JSON.stringify(before); }",
        arg=[root, title, before],
        timeout=TIMEOUT_MS,
    )
    return chart_data(panel, title)


def test_every_section_renders_with_its_figures(page: Any) -> None:
    assert metric(page, "Deals").isdigit() and int(metric(page, "Deals")) > 50
    assert metric(page, "Network volume (committed, USD)").startswith("$")
    panel = open_tab(page, "Deals")
    sync_api.expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
    panel = open_tab(page, "Network")
    sync_api.expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
    assert len(chart_data(panel, "The network map")) > 5  # edge groups, arrows, nodes
    assert chart_data(panel, "Money flows")
    assert int(metric(page, "Time-respecting cycles")) > 0
    panel = open_tab(page, "Parties")
    sync_api.expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
    assert metric(page, "Own-money share").endswith("%")
    assert chart_data(panel, "receipts come from")
    panel = open_tab(page, "Exposure")
    sync_api.expect(panel.get_by_test_id("stDataFrame")).to_have_count(4, timeout=TIMEOUT_MS)
    assert chart_data(panel, "Exposure")
    assert chart_data(panel, "Own-money share")
    panel = open_tab(page, "Scorecard")
    traces = chart_data(panel)
    assert len(traces) >= 2 and sum(len(t["x"] or []) for t in traces) > 10  # many cases placed
    panel = open_tab(page, "Stress test")
    traces = chart_data(panel, "Cumulative default probability")
    assert traces and all(len(t["x"]) == 20 for t in traces)  # one point per quarter of the horizon
    for title in ("Default probability within the horizon", "domino chains", "Mean loss per run by contagion channel"):
        assert chart_data(panel, title), title
    assert metric(page, "Probability of any default").endswith("%")


def test_network_tab_shows_the_circularity_panel_and_its_trend(page: Any) -> None:
    import junkan
    from junkan.flows import circularity
    from junkan.random import DEFAULT_SEED
    from junkan.report.build import DEFAULT_UNCERTAINTY_DRAWS

    panel = open_tab(page, "Network")
    sync_api.expect(panel.get_by_role("heading", name="How circular is the whole web?")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    led = junkan.load("ai-compute")
    circ = circularity(led, by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=DEFAULT_SEED)
    assert metric(page, "Circularity index") == f"{circ.index:.1%}"
    lo, hi = circ.index_interval
    assert metric(page, "90% interval of the index") == f"{lo:.1%}–{hi:.1%}"
    # the caption says why the index can lie outside its interval (ai-compute's does: the "up to" ceilings)
    sync_api.expect(panel.get_by_text("so the index can fall outside it")).to_be_visible(timeout=TIMEOUT_MS)
    traces = chart_data(panel, "The circularity index over time")
    (line,) = traces
    assert line["x"] == [p.period for p in circ.by_period]
    assert line["y"] == pytest.approx([p.index for p in circ.by_period])
    # the band of today's interval is drawn, and the panel's table is there
    band = panel.locator(".js-plotly-plot").filter(has_text="today's index: 90% interval")
    sync_api.expect(band.locator(".shapelayer path").first).to_be_attached(timeout=TIMEOUT_MS)
    sync_api.expect(panel.get_by_test_id("stDataFrame").nth(1)).to_be_visible(timeout=TIMEOUT_MS)


def test_filter_changes_the_numbers_and_figures(page: Any) -> None:
    deals_before = metric(page, "Deals")
    panel = open_tab(page, "Scorecard")
    page.get_by_text("Score the historical reference cases beside it").click()
    wait_idle(page)
    before = chart_data(panel)
    slider = page.get_by_test_id("stSidebar").get_by_role("slider").first  # minimum confidence
    slider.focus()
    for _ in range(3):  # any -> low -> medium -> high
        slider.press("ArrowRight")
    page.wait_for_function("() => document.body.innerText.includes('confidence ≥ high')", timeout=TIMEOUT_MS)
    wait_idle(page)
    assert int(metric(page, "Deals")) < int(deals_before)
    assert changed_chart(panel, before) != before


def test_stress_knob_changes_the_figures(page: Any) -> None:
    panel = open_tab(page, "Stress test")
    before = chart_data(panel, "Cumulative default probability")
    gpu_before = metric(page, "GPU price index at horizon (median)")
    slider = panel.get_by_role("slider", name="GPU price fall (%)")
    slider.focus()
    for _ in range(12):  # 5% steps: a 60% fall
        slider.press("ArrowRight")
    page.wait_for_function("() => document.body.innerText.includes('GPU prices -60% from 2026Q1')", timeout=TIMEOUT_MS)
    wait_idle(page)
    assert float(metric(page, "GPU price index at horizon (median)")) < float(gpu_before)
    assert changed_chart(panel, before, "Cumulative default probability") != before


def test_clicking_a_party_row_picks_that_party(page: Any) -> None:
    import junkan
    from junkan.flows import own_money_share, party_scores

    led = junkan.load("ai-compute")
    order = list(party_scores(led).to_frame()["party"])
    second = led.entities[order[1]]
    expected = own_money_share(led, second.id).own_money_share
    panel = open_tab(page, "Parties")
    table = panel.get_by_test_id("stDataFrame").first
    sync_api.expect(table).to_be_visible(timeout=TIMEOUT_MS)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None
    party = panel.get_by_role("combobox", name="Party")
    sync_api.expect(party).to_have_value(f"{led.entities[order[0]].name} ({order[0]})", timeout=TIMEOUT_MS)
    # the grid draws on a canvas: a header row, then rows of the same height; the row-selection column is on the left
    row_height = 35
    page.mouse.click(box["x"] + 15, box["y"] + row_height * 2.5)  # the second party of the table
    sync_api.expect(party).to_have_value(f"{second.name} ({second.id})", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "name => document.body.innerText.includes(name + ': where its receipts come from')",
        arg=second.name,
        timeout=TIMEOUT_MS,
    )
    wait_idle(page)
    assert expected is not None
    assert metric(page, "Own-money share") == f"{expected:.1%}"


def test_bad_csv_upload_shows_each_problem(page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad deals.csv"
    bad.write_text(
        "id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n"
        "a,2024-02-30,loan,A,B,1B,USD,signed,high,https://example.com/a\n"
        "b,2024-03-01,gift,A,B,1B,USD,signed,high,https://example.com/b\n"
    )
    page.get_by_test_id("stSidebar").get_by_text("Upload CSV").click()
    sync_api.expect(page.get_by_text("never stored", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("input[type=file]").set_input_files(str(bad))
    errors = page.get_by_test_id("stAlertContentError")
    sync_api.expect(errors.first).to_contain_text(
        "bad deals.csv was not loaded: 2 problems in the file.", timeout=TIMEOUT_MS
    )
    sync_api.expect(errors).to_have_count(3, timeout=TIMEOUT_MS)
    sync_api.expect(errors.nth(1)).to_contain_text("bad deals.csv, row 2, field 'date'", timeout=TIMEOUT_MS)
    sync_api.expect(errors.nth(2)).to_contain_text("bad deals.csv, row 3, field 'kind'", timeout=TIMEOUT_MS)
    assert page.get_by_test_id("stMetric").count() == 0
