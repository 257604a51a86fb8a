"""The report of the bundled ai-compute dataset with few stress runs: every section, numbers equal to the API's."""

from __future__ import annotations

import re

import pytest

import junkan
from junkan.flows import find_cycles, flow_graph, provenance
from junkan.report import FIGURE_IDS, SECTION_IDS, build_report

RUNS = 40
SEED = 11


@pytest.fixture(scope="module")
def ledger():
    return junkan.load("ai-compute")


@pytest.fixture(scope="module")
def report(ledger):
    return build_report(ledger, seed=SEED, runs=RUNS)


def test_every_section_and_figure(report):
    assert report.sections == SECTION_IDS
    assert report.omitted == {}
    for sid in SECTION_IDS:
        assert f'<section id="{sid}">' in report.html
    for div in FIGURE_IDS.values():
        assert f'<div id="{div}"' in report.html, div
    assert not re.search(r"<script[^>]+src=", report.html)


def test_headline_equals_the_api(ledger, report):
    h = report.headline
    s = ledger.summary()
    parties = {p for d in ledger.deals for p in (d.payer, d.payee)}  # counted here, independently of summary()
    assert (h["deals"], h["parties"]) == (s["deals"], s["parties"]) == (len(ledger.deals), len(parties))
    g = flow_graph(ledger)
    assert h["committed_usd"] == pytest.approx(sum(f.committed for f in g.flows))
    assert h["drawn_usd"] == pytest.approx(sum(f.drawn for f in g.flows))
    cyc = find_cycles(ledger)
    assert h["cycles"] == len(cyc.cycles)
    assert h["time_respecting_cycles"] == len(cyc.time_respecting)
    assert [c["bottleneck_usd"] for c in h["largest_cycles"]] == [c.bottleneck for c in cyc.cycles[:3]]
    prov = {r.entity: r.own_money_share for r in provenance(ledger).rows}
    top = max((v, k) for k, v in prov.items() if v is not None)
    assert h["top_own_money"][0]["entity"] == top[1]
    assert h["top_own_money"][0]["own_money_share"] == pytest.approx(top[0])


def test_scorecard_has_the_historical_cases(report):
    html = report.html[report.html.index('<section id="scorecard">') : report.html.index('<section id="stress">')]
    for case in ("lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024", "ai-compute"):
        assert f"<td>{case}</td>" in html
    assert "<td>round trip share</td>" in html and "<td>customer ability</td>" in html  # indicators, with reasons


def test_stress_numbers_equal_the_api(ledger, report):
    from junkan.stress.ecosystem import run_stress

    res = run_stress(ledger, "baseline", runs=RUNS, seed=SEED)
    s = res.summary()
    assert report.headline["stress"]["any_default_probability"] == s["any_default_probability"]
    html = report.html
    shown = re.search(r'data-stress="any_default_probability">([0-9]+)%<', html)
    assert shown and int(shown.group(1)) == round(100 * s["any_default_probability"])
    assert f"{RUNS} times" in html and f"seed {SEED}" in html


def test_every_deal_has_an_anchor_and_its_sources(ledger, report):
    for d in ledger.deals:
        assert f'id="deal-{d.id}"' in report.html
        assert f'href="{d.sources[0].url}"' in report.html.replace("&amp;", "&")
