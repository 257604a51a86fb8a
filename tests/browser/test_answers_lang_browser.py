"""The answers, the Japanese report and the dashboard's watch list and as-of control in a real browser (Playwright
driving Debian's Chromium).

Report: the answers section opens the page with its three answers and links that land on their evidence; the
Japanese report has every section title from the catalogue (none left in English) and draws CJK glyphs, not boxes
(each character is drawn on a canvas in the page's own font: two different characters give two different images
only when a font has their glyphs; a missing glyph is the same empty box for both). A screenshot of each page is
kept beside the test's temporary files. Dashboard: the watch tab shows its table, and moving the as-of date back
changes the numbers and the watch list's date. Skipped, with the reason printed, only when Chromium or Playwright is
missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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

import junkan  # noqa: E402
from junkan.report import build_report  # noqa: E402
from junkan.report.i18n import get_lang  # noqa: E402

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.csv"

# draws each character of ``text`` on a canvas in ``font`` and returns one fingerprint of the pixels per character
GLYPHS = """([text, font]) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d');
    return [...text].map(ch => {
        g.clearRect(0, 0, 64, 64); g.font = font; g.fillStyle = '#000'; g.textBaseline = 'top'; g.fillText(ch, 4, 4);
        const d = g.getImageData(0, 0, 64, 64).data; let h = 0, ink = 0;
        for (let i = 3; i < d.length; i += 4) { h = (h * 31 + d[i]) >>> 0; ink += d[i] > 0 ? 1 : 0; }
        return h + ':' + ink;
    });
}"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A user's own dataset (tests/data/mini.csv) in English and in Japanese."""
    led = junkan.load(MINI)
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for lang in ("en", "ja"):
        paths[lang] = build_report(led, seed=7, scenario=None, lang=lang).write(out / f"report-{lang}.html")
    return paths


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def go(path: Path) -> Any:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(path.resolve().as_uri())
        sync_api.expect(pg.locator("section#answers")).to_be_visible(timeout=TIMEOUT_MS)
        return pg

    yield go
    context.close()


def test_answers_section_with_its_three_answers_and_links(open_page: Any, reports: dict[str, Path]) -> None:
    pg = open_page(reports["en"])
    sec = pg.locator("section#answers")
    # right after the header, before the headline
    order = pg.evaluate("() => [...document.querySelectorAll('main > section')].map(s => s.id)")
    assert order[:2] == ["answers", "headline"]
    answers = sec.locator("div.answer")
    sync_api.expect(answers).to_have_count(3, timeout=TIMEOUT_MS)
    questions = [h.strip() for h in answers.locator("h3").all_inner_texts()]
    assert questions == ["How circular is it?", "Circular trading or market creation?", "What if it runs in reverse?"]
    for i in range(2):
        text = answers.nth(i).locator("p").inner_text()
        assert any(ch.isdigit() for ch in text), text  # built from the numbers
    # the user's dataset has no stress model (the report is built without one): the answer says so
    sync_api.expect(answers.nth(2)).to_contain_text("The stress model is not run", timeout=TIMEOUT_MS)
    hrefs = sec.locator("a.evidence").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs[:3] == ["#own-money", "#circularity", "#scorecard"]  # the first answer links its evidence twice
    for h in hrefs:
        assert pg.locator(h).count() == 1, h  # every link lands on a section of the page
    sec.locator("a.evidence").first.click()
    pg.wait_for_function("() => location.hash === '#own-money'", timeout=TIMEOUT_MS)
    sync_api.expect(pg.locator("section#own-money")).to_be_in_viewport(timeout=TIMEOUT_MS)
    sync_api.expect(sec.locator("p.caveats")).to_contain_text("seed 7", timeout=TIMEOUT_MS)
    pg.screenshot(path=str(reports["en"].with_suffix(".png")))


def test_japanese_report_is_translated_and_draws_cjk(open_page: Any, reports: dict[str, Path]) -> None:
    en = open_page(reports["en"])
    titles_en = [t.strip() for t in en.locator("main > section > h2").all_inner_texts()]
    pg = open_page(reports["ja"])
    assert pg.evaluate("() => document.documentElement.lang") == "ja"
    titles_ja = [t.strip() for t in pg.locator("main > section > h2").all_inner_texts()]
    ja = get_lang("ja")
    assert len(titles_ja) == len(titles_en) >= 6
    for e, j in zip(titles_en, titles_ja, strict=True):
        assert j == ja.gettext(e), f"section title {e!r} is shown as {j!r}"
        assert j != e, f"untranslated section title {e!r}"
    questions = [h.strip() for h in pg.locator("section#answers div.answer h3").all_inner_texts()]
    assert questions == ["どれほど循環しているのか？", "循環取引か、市場創造か？", "逆回転したらどうなるか？"]
    # the page's font draws CJK glyphs: distinct characters give distinct, inked images (a missing glyph is a box)
    font = pg.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK JP" in font
    prints = pg.evaluate(GLYPHS, ["循環取引市場創造", f"32px {font}"])
    assert len(set(prints)) == len(prints), f"CJK characters render alike (missing glyphs?): {prints}"
    # and the heading is as wide as its characters (tofu boxes and glyphs differ in the ink they leave)
    ink = [int(p.split(":")[1]) for p in prints]
    assert min(ink) > 20
    pg.locator("section#answers").screenshot(path=str(reports["ja"].with_name("answers-ja.png")))
    pg.screenshot(path=str(reports["ja"].with_suffix(".png")))


# for every drawn legend of the page: the figure's id, and the parts of the figure its box runs into (the title, the
# axis titles, the tick labels, the plot area) or "outside" when it pokes out of the figure
LEGEND_CLASHES = """() => {
    const box = e => e.getBoundingClientRect();
    const hit = (a, b) => !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
    return [...document.querySelectorAll('.js-plotly-plot')].filter(f => f.querySelector('.legend')).map(f => {
        const L = box(f.querySelector('.legend')), svg = box(f.querySelector('.main-svg'));
        const parts = [...f.querySelectorAll('.gtitle, .xtitle, .ytitle, .xtick text, .ytick text, .nsewdrag')];
        const clash = parts.filter(p => hit(L, box(p))).map(p => p.getAttribute('class') + ' ' + p.textContent);
        if (L.top < svg.top - 1 || L.bottom > svg.bottom + 1) clash.push('outside');
        return [f.id, clash];
    });
}"""


@pytest.mark.parametrize("width", [1400, 800, 500])
def test_japanese_legends_clear_the_titles_and_the_axes(browser: Any, reports: dict[str, Path], width: int) -> None:
    """Japanese legend entries are long: on a wide, a narrow and a phone-sized page every legend (below the plot,
    placed against the whole figure) must stay clear of its chart's title, axis titles, tick labels and plot area and
    inside the figure, wrapping onto as many rows as it needs."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(reports["ja"].resolve().as_uri())
        for fid in ("fig-scorecard", "fig-own-money", "fig-origins", "fig-network-map"):
            pg.locator(f"#{fid} .legend").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        # plotly draws a figure, then grows its margins for the legend rows (automargin) in a later frame: on a
        # loaded machine the first layout can still be on screen here. Wait for the laid-out state (no clash),
        # with the suite's timeout; a legend that really overlaps never gets there and is reported below.
        with contextlib.suppress(sync_api.TimeoutError):  # the assertion below names the clashes
            pg.wait_for_function(
                f"() => ({LEGEND_CLASHES})().every(([f, c]) => c.length === 0)", timeout=TIMEOUT_MS, polling=250
            )
        clashes = pg.evaluate(LEGEND_CLASHES)
        assert {f for f, _ in clashes} >= {"fig-scorecard", "fig-own-money", "fig-origins", "fig-network-map"}
        assert [(f, c) for f, c in clashes if c] == []
        fig = pg.locator("#fig-scorecard")
        assert "循環取引" in (fig.locator(".legend").first.text_content() or "")  # the legend is in Japanese
        legend, xtitle = (fig.locator(p).first.bounding_box() for p in (".legend", ".xtitle"))
        assert legend and xtitle and legend["y"] > xtitle["y"]  # below the plot
        fig.screenshot(path=str(reports["ja"].with_name(f"scorecard-ja-{width}.png")))
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------------- dashboard
@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serve_dashboard() as served:
        yield served.url


def wait_idle(page: Any) -> None:
    """The script has finished its run: no running indicator, metrics drawn, no stale element."""
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


def test_dashboard_watch_tab_and_as_of_control(browser: Any, server: str, tmp_path: Path) -> None:
    from junkan.assess.watch import watch

    led = junkan.load("ai-compute")
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        pg.goto(server)
        sync_api.expect(pg.get_by_role("heading", name="junkan: follow the money around the loop")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        wait_idle(pg)
        deals_now = int(metric(pg, "Deals"))
        pg.get_by_role("tab", name="Watch list", exact=True).click()
        panel = pg.get_by_role("tabpanel").filter(visible=True).first
        sync_api.expect(panel.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
        res = watch(led)
        assert metric(pg, "Alert") == str(res.counts()["alert"])
        sync_api.expect(panel).to_contain_text(f"As known on {res.as_of}", timeout=TIMEOUT_MS)
        # the as-of control (a date field of year, month and day spin buttons): two years back
        last = led.info.as_of
        assert isinstance(last, dt.date)
        when = last.replace(year=last.year - 2)
        year = pg.get_by_test_id("stSidebar").get_by_role("spinbutton", name="year, As of")
        year.focus()
        year.press("ArrowDown")
        year.press("ArrowDown")
        sync_api.expect(year).to_have_attribute("aria-valuenow", str(when.year), timeout=TIMEOUT_MS)
        pg.get_by_role("heading", name="junkan: follow the money around the loop").click()  # leaving the field sends it
        pg.wait_for_function(
            "d => document.body.innerText.includes('as of ' + d)", arg=when.isoformat(), timeout=TIMEOUT_MS
        )
        wait_idle(pg)
        then = led.as_of(when)
        assert int(metric(pg, "Deals")) == len(then) < deals_now
        past = watch(led, as_of=when)
        sync_api.expect(panel).to_contain_text(f"As known on {past.as_of}", timeout=TIMEOUT_MS)
        assert metric(pg, "Alert") == str(past.counts()["alert"])
        pg.screenshot(path=str(tmp_path / "dashboard-as-of.png"))
    finally:
        context.close()
