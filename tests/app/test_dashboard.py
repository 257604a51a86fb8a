"""Logic tests of the dashboard script with Streamlit's AppTest (no browser, no server).

The fixture ``data/loop.csv`` is small enough to check by hand (amounts in US dollars, committed = headline): Vendor
invests 100B in Cloud; Cloud buys 150B of hardware from Vendor; Lender lends Cloud 100B (low confidence); Lab pays
Lender a 10B fee (2023). Proportional tracing: Cloud receives 200B and spends 150B, all of it with Vendor, so a
dollar entering Cloud reaches Vendor with probability 150/200 = 0.75; Vendor's 100B comes back as 75B of its 150B of
receipts (50%). Lender lends 100B with only Lab's 10B that can reach it, and Lab has nothing: the 75B of Vendor's
receipts that trace to them are unfunded, so the own-money share (of funded receipts) is 75/75 = 100%. Without the
low-confidence loan Cloud receives 100B and spends 150B (50B of it unfunded), every dollar reaches Vendor: 100B
returns, all of Vendor's 100B of funded receipts (100/150 = 66.7% of all its receipts).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from app_helpers import LOOP_CSV, metrics, start

import junkan
from junkan.assess import REFERENCE, REGIONS, scorecard
from junkan.ledger.load import datasets_root
from junkan.random import DEFAULT_SEED


def test_default_dataset_renders_every_section(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    led = junkan.load("ai-compute")
    assert at.sidebar.selectbox(key="dataset").value == "ai-compute"
    tabs = ["Deals", "Network", "Parties", "Exposure", "Scorecard", "Stress test", "Watch list"]
    assert [t.label for t in at.tabs] == tabs
    from junkan.assess.watch import watch

    expected = watch(led)
    (wt,) = [df for df in at.dataframe if list(df.value.columns)[:3] == ["name", "subject", "value"]]
    assert list(wt.value["name"]) == [i.name for i in expected.indicators]
    assert list(wt.value["status"]) == [i.status for i in expected.indicators]
    m = metrics(at)
    assert m["Deals"] == str(len(led))
    cycles = junkan.flows.find_cycles(led)
    assert m["Cycles"] == str(len(cycles.cycles))
    tables = {df.value.shape for df in at.dataframe}
    assert (len(led), 20) in tables  # the deals table has every deal and DEAL_COLUMNS
    # deals, cycles, parties, origin, paths, flows, cycles of the party, party indicators, 4 exposure, scorecard,
    # stress parties and cascades
    assert len(at.dataframe) >= 15
    charts = at.get("plotly_chart")
    # network map, Sankey and circularity trend; the party's receipts by origin; exposure, own-money share and
    # origins of every party; the scorecard map; the stress test's default probabilities, their timing, quantile fans,
    # domino chains, loss distribution and channel losses
    assert len(charts) == 14
    titles = []
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["data"], "a figure without traces"
        titles.append(spec["layout"]["title"]["text"])
    assert any("Cumulative default probability" in t for t in titles)
    assert not at.error


def test_fixture_figures_and_party_view(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    m = metrics(at)
    assert m["Deals"] == "4"
    assert m["Parties"] == "4"
    assert m["Network volume (committed, USD)"] == "$360.0B"
    assert m["Cycles"] == "1"
    assert m["Money on cycles (sum of bottlenecks)"] == "$100.0B"
    at.selectbox(key="party").set_value("vendor").run()
    m = metrics(at)
    assert m["Own-money share"] == "100.0%"  # of funded receipts: the 75B traced to Lender and Lab is unfunded
    assert m["Returned money"] == "$75.0B"
    assert m["Receipts from the network"] == "$150.0B"
    origin = next(df.value for df in at.dataframe if list(df.value.columns) == ["origin", "channel", "amount", "share"])
    assert list(origin["origin"]) == ["vendor", "lender", "lab"]
    assert list(origin["amount"]) == pytest.approx([75e9, 67.5e9, 7.5e9])
    assert any("Cycles through Vendor** (1)" in md.value for md in at.markdown)
    # network scores by hand: loop = 2 * min(100, 150) / 250; hub = 250 / 350 (Cloud has the largest volume);
    # cycle score counts only cycles of 3 or more parties, and Vendor's only cycle has 2
    assert (m["Loop score"], m["Hub score"], m["Cycle score"]) == ("0.800", "0.714", "0.000")
    # its scorecard: the party in the vendor's seat, the same numbers as the API
    case = scorecard(junkan.load(LOOP_CSV), levels=("party",), parties=["vendor"]).cases[0]
    assert m["Region"] == case.region == "insufficient evidence"
    assert m["Evidence coverage"] == "14.3%"  # 1 indicator of 7 has evidence
    assert m["Round-trip intensity"] == f"{case.round_trip:.2f}"
    assert m["Financing strain"] == "n/a"


def test_confidence_filter_changes_the_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    at.selectbox(key="party").set_value("vendor").run()
    # 75B of Vendor's 150B comes back; the other 75B traces to Lender's loan, which nothing that reaches Lender (Lab's
    # 10B, itself unfunded) backs: own-money share 75/75 of funded receipts (50% of all receipts)
    assert metrics(at)["Own-money share"] == "100.0%"
    at.sidebar.select_slider[0].set_value("medium").run()
    m = metrics(at)
    assert m["Deals"] == "3"
    assert m["Network volume (committed, USD)"] == "$260.0B"
    assert at.selectbox(key="party").value == "vendor"
    assert m["Own-money share"] == "100.0%"  # 66.7% of all receipts: 50B of them are unfunded
    assert m["Returned money"] == "$100.0B"
    assert "confidence ≥ medium" in at.caption[0].value


def test_date_kind_and_status_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    at.sidebar.date_input[0].set_value((date(2024, 1, 1), date(2024, 6, 1))).run()
    assert metrics(at)["Deals"] == "3"
    at.sidebar.multiselect[0].set_value(["equity_investment", "hardware_purchase"]).run()
    assert metrics(at)["Network volume (committed, USD)"] == "$250.0B"
    at.sidebar.multiselect[1].set_value(["closed"]).run()
    m = metrics(at)
    assert m["Deals"] == "1"
    assert m["Cycles"] == "0"
    assert any("No cycle" in i.value for i in at.info)
    at.sidebar.multiselect[1].set_value(["rumoured"]).run()
    assert any("No deal passes the filters" in w.value for w in at.warning)


def test_basis_switch_to_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    at.sidebar.radio(key="basis").set_value("drawn").run()
    # no deal of the fixture states a drawn amount: nothing has moved
    assert metrics(at)["Network volume (drawn, USD)"] == "$0"
    assert metrics(at)["Cycles"] == "0"


def test_bad_upload_shows_each_problem_and_stores_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = start(monkeypatch)
    at.sidebar.radio(key="source").set_value("Upload CSV").run()
    assert any("never stored" in i.value for i in at.info)
    bad = (
        b"id,date,kind,payer,payee,amount,currency,status,confidence,source_url\n"
        b"a,2024-02-30,loan,A,B,1B,USD,signed,high,https://example.com/a\n"
        b"b,2024-03-01,loan,A,B,1B,USD,signed,sure,https://example.com/b\n"
    )
    at.sidebar.file_uploader[0].set_value(("bad deals.csv", bad, "text/csv")).run()
    errors = [e.value for e in at.error]
    assert errors[0] == "bad deals.csv was not loaded: 2 problems in the file."
    assert errors[1].startswith("bad deals.csv, row 2, field 'date': ")
    assert errors[2].startswith("bad deals.csv, row 3, field 'confidence': ")
    assert len(errors) == 3
    assert not at.metric  # nothing analysed
    assert list(tmp_path.iterdir()) == []


def test_good_upload_is_analysed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    at = start(monkeypatch)
    at.sidebar.radio(key="source").set_value("Upload CSV").run()
    at.sidebar.file_uploader[0].set_value(("loop.csv", LOOP_CSV.read_bytes(), "text/csv")).run()
    assert not at.error
    m = metrics(at)
    assert (m["Deals"], m["Parties"], m["Cycles"]) == ("4", "4", "1")
    assert "(loop.csv)" in at.caption[0].value
    assert list(tmp_path.iterdir()) == []


def test_switching_dataset_and_bundled_data_is_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(str(datasets_root()))

    def digest() -> str:
        h = hashlib.sha256()
        for p in sorted(root.rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
        return h.hexdigest()

    before = digest()
    at = start(monkeypatch)
    at.sidebar.selectbox(key="dataset").set_value("lucent-2000").run()
    assert not at.exception
    assert metrics(at)["Deals"] == str(len(junkan.load("lucent-2000")))
    assert digest() == before


def test_bad_data_path_shows_the_loader_problems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "broken.csv"
    bad.write_text("id,date\n")
    at = start(monkeypatch, str(bad))
    errors = [e.value for e in at.error]
    assert errors[0] == f"Cannot load dataset {str(bad)!r}:"
    assert any("missing column 'kind'" in e for e in errors[1:])
    assert not at.metric


def test_scorecard_tab_with_and_without_the_reference_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    loop = junkan.load(LOOP_CSV)
    both = scorecard([loop, *REFERENCE])
    m = metrics(at)
    held = {r: str(n) for r, n in both.summary()["regions"].items() if n}  # type: ignore[attr-defined]
    assert {r: m[r] for r in REGIONS if r in m} == held  # a metric for each region that holds a case
    table = next(df.value for df in at.dataframe if "region" in df.value.columns and "round_trip" in df.value.columns)
    assert list(table["case"]) == [c.id for c in both.cases]
    at.toggle(key="with_history").set_value(False).run()
    alone = scorecard(loop)
    m = metrics(at)
    held = {r: str(n) for r, n in alone.summary()["regions"].items() if n}  # type: ignore[attr-defined]
    assert {r: m[r] for r in REGIONS if r in m} == held
    assert m["insufficient evidence"] == "4"  # the dataset and its 3 arrangements: no financials on file


def test_stress_tab_runs_the_model_and_follows_the_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    from junkan.stress.ecosystem import run_stress

    at = start(monkeypatch)
    at.select_slider(key="runs").set_value(100).run()
    led = junkan.load("ai-compute")

    def expect(**overrides: object) -> dict[str, str]:
        s = run_stress(led, "baseline", runs=100, seed=DEFAULT_SEED, overrides=overrides).summary()
        return {
            "Probability of any default": f"{s['any_default_probability']:.1%}",
            "Defaults per run (mean)": f"{s['mean_defaults_per_run']:.2f}",
            "GPU price index at horizon (median)": f"{s['gpu_index_end_median']:.2f}",
        }

    def shown() -> dict[str, str]:
        m = metrics(at)
        return {k: m[k] for k in expect_keys}

    expect_keys = list(expect())
    assert shown() == expect()
    assert any("Scenario baseline with no knob moved." in c.value for c in at.caption)
    at.slider(key="gpu_fall").set_value(60).run()
    gpu = {"gpu_price_change": -0.6, "gpu_price_start": "2026Q1", "gpu_price_ramp": 4}
    assert shown() == expect(**gpu)
    # a 60% fall lowers the GPU index at the horizon
    assert float(shown()["GPU price index at horizon (median)"]) < float(
        expect()["GPU price index at horizon (median)"]
    )
    at.multiselect(key="freeze_parties").set_value(["openai"]).run()
    at.select_slider(key="freeze_start").set_value("2026Q3").run()
    at.slider(key="demand_growth").set_value(-20).run()
    at.slider(key="depreciation").set_value(3.0).run()
    full = {
        **gpu,
        "funding_freeze": ["openai"],
        "funding_freeze_start": "2026Q3",
        "demand_growth_delta": -0.2,
        "depreciation_years": 3.0,
    }
    assert shown() == expect(**full)
    knobs = (
        "GPU prices -60% from 2026Q1 over 4 quarters; funding frozen for openai from 2026Q3; "
        "end-demand growth -20 points a year; GPU life 3 years"
    )
    assert any(f"Scenario baseline with {knobs}." in c.value for c in at.caption)
    assert not at.exception
    at.selectbox(key="scenario").set_value("gpu-price-collapse").run()
    s = run_stress(led, "gpu-price-collapse", runs=100, seed=DEFAULT_SEED, overrides=full).summary()
    assert metrics(at)["Defaults per run (mean)"] == f"{s['mean_defaults_per_run']:.2f}"
    assert len(at.get("plotly_chart")) >= 2


def test_stress_tab_without_assumptions_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    assert any("needs an assumptions file for dataset 'loop'" in i.value for i in at.info)
