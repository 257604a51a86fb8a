"""The report's circularity section and own-money intervals against the API, and the Japanese stress section.

The bundled ai-compute report is built once in English and once in Japanese (40 stress runs, seed 11, the default
200 uncertainty draws); every figure the circularity section and the own-money table show is compared, as the
formatted text, with the same figure from :func:`junkan.flows.circularity` and :func:`junkan.flows.provenance` run
with the report's seed and draw count.
"""

from __future__ import annotations

import functools
import html as htmllib
import json
import re

import pytest

import junkan
from junkan.flows import circularity, provenance
from junkan.report import build_report
from junkan.report.build import CIRCULARITY_TOP, DEFAULT_UNCERTAINTY_DRAWS
from junkan.report.figures import money
from junkan.report.i18n import get_lang

RUNS = 40
SEED = 11
#: ASCII words a Japanese table header, figure title or sentence may keep: acronyms, method and paper names, units.
ALLOWED_WORDS = frozenset(
    {"GPU", "GPUs", "PD", "ID", "Sobol", "Saltelli", "Morris", "Homs", "Dones", "MacKay", "Sansom", "and", "Zhou"}
    | {"arXiv", "junkan", "stress", "sensitivity", "calibration", "docs", "stress-model", "md", "Sensitivity"}
    | {"focal", "code", "strong", "span", "data", "any_default_probability", "USD", "exp"}
)


@pytest.fixture(scope="module")
def ledger():
    return junkan.load("ai-compute")


@pytest.fixture(scope="module")
def reports(ledger):
    return {lang: build_report(ledger, seed=SEED, runs=RUNS, lang=lang) for lang in ("en", "ja")}


@pytest.fixture(scope="module")
def api(ledger):
    return (
        circularity(ledger, by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=SEED),
        provenance(ledger, uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=SEED),
    )


def section(page: str, sid: str) -> str:
    start = page.index(f'<section id="{sid}">')
    return page[start : page.index("</section>", start)]


def text(fragment: str) -> str:
    """The visible text of an HTML fragment (scripts dropped, tags removed, whitespace collapsed)."""
    fragment = re.sub(r"<script.*?</script>", " ", fragment, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def cells(table: str) -> list[list[str]]:
    """The text of every data row's cells of one ``<table>`` (header rows left out)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S)] for r in rows if "<td" in r]


def table(page: str, tid: str) -> str:
    start = page.index(f'<table id="{tid}">')
    return page[start : page.index("</table>", start)]


def plot_args(page: str, div: str) -> tuple[list[dict], dict]:
    """The data and layout a figure's ``Plotly.newPlot`` call draws."""
    m = re.search(rf'Plotly\.newPlot\(\s*"{div}",\s*', page)
    assert m is not None, div
    dec = json.JSONDecoder()
    data, end = dec.raw_decode(page, m.end())
    layout, _ = dec.raw_decode(page, page.index("{", end))
    return data, layout


def pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.1%}"


def test_circularity_cards_equal_the_api(reports, api):
    circ, _ = api
    sec = section(reports["en"].html, "circularity")
    card = {k: text(v) for k, v in re.findall(r'data-circularity="(\w+)">(.*?)</div>', sec, flags=re.S)}
    lo, hi = circ.index_interval
    assert card == {
        "index": pct(circ.index),
        "interval": f"{pct(lo)}–{pct(hi)}",
        "circular_flow": money(circ.circular_flow),
        "total_flow": money(circ.total_flow),
    }
    assert f"90% interval over {DEFAULT_UNCERTAINTY_DRAWS} draws of the uncertain amounts (seed {SEED})" in text(sec)
    s = circ.summary()
    assert f"{s['circular_edges']} of {s['edges']} edges carry circular flow" in text(sec)
    # the answers quote the same index and interval
    ans = reports["en"].answers
    assert ans is not None
    assert (ans.circularity_index, ans.circularity_interval) == (circ.index, circ.index_interval)
    quoted = f"The circularity index is {pct(circ.index)} (90% interval {pct(lo)}–{pct(hi)})"
    assert quoted in ans.answer("circular").text
    assert reports["en"].headline["circularity"] == {
        "index": circ.index,
        "index_interval": [lo, hi],
        "uncertainty": DEFAULT_UNCERTAINTY_DRAWS,
    }


def test_circularity_trend_and_parties_equal_the_api(reports, api):
    circ, _ = api
    page = reports["en"].html
    assert cells(table(page, "circularity-trend-table")) == [
        [p.period, pct(p.index), money(p.circular_flow), money(p.total_flow), str(p.edges)] for p in circ.by_period
    ]
    assert [p.period for p in circ.by_period] == [str(y) for y in range(2019, 2027)]  # one row per year, 2019-2026
    top = [p for p in circ.parties if p.circular > 0][:CIRCULARITY_TOP]
    assert len(top) == CIRCULARITY_TOP
    assert cells(table(page, "circularity-table")) == [
        [p.name, money(p.circular), pct(p.circular_share), money(p.received), money(p.paid)] for p in top
    ]
    # the trend figure carries the index at each year end and today's interval as a band
    data, layout = plot_args(page, "fig-circularity-trend")
    (line,) = data
    assert line["x"] == [p.period for p in circ.by_period]
    assert line["y"] == [p.index for p in circ.by_period]
    (band,) = layout["shapes"]
    assert (band["y0"], band["y1"]) == circ.index_interval


def test_own_money_table_shows_the_intervals_of_the_api(reports, api):
    _, prov = api
    page = reports["en"].html
    rows = {r.entity: r for r in prov.rows}
    shown = re.findall(r'<tr data-entity="([^"]+)">(.*?)</tr>', table(page, "own-money-table"), flags=re.S)
    expected = sorted((r for r in prov.rows if r.returned > 0), key=lambda r: (-(r.own_money_share or 0.0), r.entity))
    assert [e for e, _ in shown] == [r.entity for r in expected]
    for entity, row in shown:
        r = rows[entity]
        a = r.intervals["own_money_share_interval"]
        b = r.intervals["own_money_share_of_receipts_interval"]
        assert [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)] == [
            r.name,
            pct(r.own_money_share),
            f"{pct(a[0])}–{pct(a[1])}",
            pct(r.own_money_share_of_receipts),
            f"{pct(b[0])}–{pct(b[1])}",
            money(r.returned),
            money(r.unfunded),
            money(r.network_receipts),
        ]


def test_the_same_numbers_in_japanese(reports):
    en, ja = (section(reports[k].html, "circularity") for k in ("en", "ja"))
    pick = re.compile(r'data-circularity="(index|interval)">(.*?)</div>', re.S)
    assert pick.findall(en) == pick.findall(ja)
    assert "<h2>取引網全体はどれほど循環しているのか</h2>" in ja
    assert "循環度指数" in ja and "How circular is the whole web?" not in ja


#: An assumptions hash (16 hex digits): data, not text.
HASH = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{16}(?![0-9A-Za-z])")


def english_words(s: str, allowed: frozenset[str]) -> list[str]:
    """ASCII words of three letters or more in ``s`` that are not in ``allowed``."""
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_-]{2,}", s) if w not in allowed]


def test_japanese_stress_section_is_translated(ledger, reports):
    page = reports["ja"].html
    sec = section(page, "stress")
    names = {w for e in ledger.entities.values() for w in re.findall(r"[A-Za-z][A-Za-z_-]+", f"{e.name} {e.id}")}
    allowed = ALLOWED_WORDS | names
    lede = re.search(r'<p class="lede">(.*?)</p>', sec, re.S)[1]
    # the scenario's own name, description and the assumptions' hash are data, as recorded
    m = re.search(r"<strong>(.*?)</strong>シナリオ（(.*?)）で", lede, re.S)
    assert m is not None, text(lede)
    scenario, description = m[1], m[2]
    h = re.search(r"前提条件は([0-9a-f]+)です", lede)
    assert h is not None and len(h[1]) == 16, text(lede)
    data_text = (text(description), scenario, h[1])
    words = english_words(functools.reduce(lambda s, d: s.replace(d, ""), data_text, text(lede)), allowed)
    assert words == [], f"untranslated words in the stress lede: {words}"
    assert "これらは明示した前提の下でのモデルの結果であり、予測ではありません。" in lede
    assert "波及経路：清算：オン、" in lede and "sentiment" not in lede
    for para in re.findall(r"<p(?: id=\"stress-sensitivity\")?>(.*?)</p>", sec, re.S):  # calibration, sensitivity
        body = re.sub(r"<code>.*?</code>", "", para, flags=re.S)
        words = english_words(HASH.sub("", text(body)), allowed | {"baseline"})
        assert words == [], f"untranslated words: {words} in {text(para)[:80]!r}"
    # every table header of the Japanese page
    markup = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", markup, re.S)
    assert len(headers) > 50
    for th in headers:
        assert english_words(text(th), allowed) == [], th


def figure_texts(page: str, div: str) -> list[str]:
    """The title, axis titles and legend entries of one figure of a page."""
    data, layout = plot_args(page, div)
    out = [layout.get("title", {}).get("text", "")]
    for k, v in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict):
            out.append(v.get("title", {}).get("text", ""))
    out += [t["name"] for t in data if t.get("name") and t.get("showlegend", True)]
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    return [t for t in out if t]


def test_japanese_figures_have_no_english_titles(ledger, reports):
    page = reports["ja"].html
    names = {w for e in ledger.entities.values() for w in re.findall(r"[A-Za-z][A-Za-z_-]+", f"{e.name} {e.id}")}
    for div in ("fig-sensitivity-tornado", "fig-circularity-trend", "fig-default-probability", "fig-loss-channels"):
        texts = figure_texts(page, div)
        assert texts, div
        for t in texts:
            assert english_words(re.sub(r"<[^>]+>", "", t), ALLOWED_WORDS | names) == [], (div, t)
    tornado = figure_texts(page, "fig-sensitivity-tornado")
    lang = get_lang("ja")
    assert tornado[0] == lang.gettext("What drives P(any default): Sobol indices")
    assert {lang.gettext("total order"), lang.gettext("first order")} <= set(tornado)
    assert lang.gettext("share of output variance") in tornado


def test_sentences_are_joined_by_the_language_rule(reports):
    """English sentences from separate catalogue messages are joined by a space, Japanese ones by nothing: no
    "forecasts.These" in English, no "。 " in Japanese (the stress lede, the sensitivity paragraph, the circularity
    note and the headline's significance sentence are each built from several messages)."""
    en = text(reports["en"].html)
    assert re.findall(r"[a-z0-9)%]\.[A-Z][a-z]", en) == []
    assert "(docs/flows.md). Here the point figure" in en
    assert ". Channels: " in text(section(reports["en"].html, "stress"))
    ja = text(reports["ja"].html)
    for sid in ("stress", "circularity", "headline"):
        for para in re.findall(r"<p[^>]*>(.*?)</p>", section(reports["ja"].html, sid), re.S):
            assert re.search(r"。\s+[^\s<]", para) is None, (sid, para[:80])
    assert reports["ja"].html.startswith("<!DOCTYPE html>") and reports["en"].html.startswith("<!DOCTYPE html>")
    assert "（docs/flows.md）。ここでは点推定値" in ja
