"""The dashboard's circularity panel (network tab) and its stress tab in Japanese (Streamlit's AppTest, no browser).

Circularity of ``data/loop.csv`` by hand (amounts exact, committed = headline): edges Vendor -> Cloud 100B, Cloud ->
Vendor 150B, Lender -> Cloud 100B, Lab -> Lender 10B, 360B in all. The only cycle is Vendor -> Cloud -> Vendor; the
largest circulation within the amounts sends min(100, 150) = 100B round it, so 200B of the 360B is circular: index
5/9 = 55.6%, and with no ranged or estimated amount every draw gives the same index (interval 55.6%-55.6%). Through
Cloud 100B of its throughput max(200, 150) = 200B (50.0%), through Vendor 100B of max(150, 100) = 150B (66.7%). At the
end of 2023 only the 10B fee exists: index 0. As of 2024-02-01 the hardware purchase is not yet known: no cycle.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from app_helpers import LOOP_CSV, metrics
from app_helpers import start as start_app
from streamlit.testing.v1 import AppTest

import junkan
from junkan.flows import circularity, provenance
from junkan.random import DEFAULT_SEED
from junkan.report.build import DEFAULT_UNCERTAINTY_DRAWS
from junkan.report.i18n import get_lang

TIMEOUT = 120
#: ASCII words a Japanese label may keep (acronyms); party names are data and are not labels.
ALLOWED = frozenset({"GPU", "GPUs", "ID", "NVIDIA"})


def start(monkeypatch: pytest.MonkeyPatch, data: str | None, lang: str | None = None) -> AppTest:
    return start_app(monkeypatch, data, lang, timeout=TIMEOUT)


def column_labels(df: Any) -> dict[str, str]:
    """The label of each shown column of a Streamlit dataframe element (the hidden index left out)."""
    config = json.loads(df.proto.columns)
    assert config.pop("_index", {"hidden": True}) == {"hidden": True}
    return {k: v["label"] for k, v in config.items()}


def english_words(s: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_-]{2,}", s) if w not in ALLOWED]


def test_circularity_panel_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV))
    m = metrics(at)
    assert m["Circularity index"] == "55.6%"
    assert m["90% interval of the index"] == "55.6%–55.6%"
    assert (m["Can go round (circular flow)"], m["In the web (total flow)"]) == ("$200.0B", "$360.0B")
    assert any(
        f"90% interval over {DEFAULT_UNCERTAINTY_DRAWS} draws of the uncertain amounts, seed {DEFAULT_SEED}" in c.value
        for c in at.caption
    )
    assert any("so the index can fall outside it" in c.value for c in at.caption)
    (table,) = [d for d in at.dataframe if "circular_share" in d.value.columns]
    assert list(table.value["entity"]) == ["cloud", "vendor"]
    assert list(table.value["circular"]) == [100e9, 100e9]
    assert list(table.value["circular_share"]) == pytest.approx([0.5, 2 / 3])
    assert len(at.get("plotly_chart")) >= 3  # the map, the Sankey and the circularity trend
    # equal to the API on the same ledger and options
    api = circularity(
        junkan.load(LOOP_CSV), basis="committed", by="year", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=DEFAULT_SEED
    )
    assert api.index == pytest.approx(5 / 9) and [p.index for p in api.by_period] == [0.0, pytest.approx(5 / 9)]
    # the as-of control replays it: before the hardware purchase there is no cycle
    at.sidebar.date_input(key=f"as_of|data:{LOOP_CSV}").set_value(dt.date(2024, 2, 1)).run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert (m["Circularity index"], m["In the web (total flow)"]) == ("0.0%", "$110.0B")
    (table,) = [d for d in at.dataframe if "circular_share" in d.value.columns]
    assert table.value.empty


def test_circularity_panel_in_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, str(LOOP_CSV), lang="ja")
    m = metrics(at)
    assert m["循環度指数"] == "55.6%"
    assert m["指数の90%区間"] == "55.6%–55.6%"
    assert (m["循環しうる額（循環フロー）"], m["取引網全体（総フロー）"]) == ("2,000億ドル", "3,600億ドル")
    assert "取引網全体はどれほど循環しているのか" in [s.value for s in at.subheader]
    (table,) = [d for d in at.dataframe if "circular_share" in d.value.columns]
    labels = column_labels(table)
    assert labels["circular"] == "通過する循環フロー" and labels["circular_share"] == "通過額に占める割合"


def test_exposure_tab_shows_the_own_money_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every amount of loop.csv is disclosed, so every draw gives the recorded figures: each interval is its point.
    By hand (tests/app/test_dashboard.py): Cloud spends 150B of its 200B pool with Vendor, so 75B of Vendor's 100B
    comes back among its 150B of receipts; the other 75B trace to Lender's loan, which only Lab's 10B fee can fund,
    and are unfunded: own-money share 75/75 = 100%, of all receipts 75/150 = 50%."""
    at = start(monkeypatch, str(LOOP_CSV))
    (df,) = [d.value for d in at.dataframe if "own_money_share_p5" in d.value.columns]
    vendor = df.set_index("entity").loc["vendor"]
    assert (vendor["returned"], vendor["network_receipts"]) == pytest.approx((75e9, 150e9))
    assert (vendor["own_money_share"], vendor["own_money_share_of_receipts"]) == pytest.approx((1.0, 0.5))
    assert (vendor["own_money_share_p5"], vendor["own_money_share_p95"]) == pytest.approx((1.0, 1.0))
    assert (vendor["own_money_share_of_receipts_p5"], vendor["own_money_share_of_receipts_p95"]) == pytest.approx(
        (0.5, 0.5)
    )
    for col in ("own_money_share", "own_money_share_of_receipts"):
        shown = df.dropna(subset=[col])
        assert list(shown[f"{col}_p5"]) == pytest.approx(list(shown[col]))
        assert list(shown[f"{col}_p95"]) == pytest.approx(list(shown[col]))
    api = provenance(junkan.load(LOOP_CSV), basis="committed", uncertainty=DEFAULT_UNCERTAINTY_DRAWS, seed=DEFAULT_SEED)
    assert list(df["entity"]) == [r.entity for r in api.rows]
    assert any(
        f"90% interval over {DEFAULT_UNCERTAINTY_DRAWS} draws of the uncertain amounts, seed {DEFAULT_SEED}" in c.value
        and "a share can fall outside its interval" in c.value
        for c in at.caption
    )


STRESS_WIDGETS = {
    "scenario": "Scenario",
    "runs": "Monte Carlo runs",
    "seed": "Seed",
    "gpu_fall": "GPU price fall (%)",
    "gpu_start": "GPU price fall starts",
    "demand_growth": "End-demand growth change (percentage points a year)",
    "freeze_parties": "Funding freeze: parties",
    "freeze_start": "Funding freeze from",
    "depreciation": "GPU depreciation life (years)",
}


def test_stress_tab_in_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, None, lang="ja")  # ai-compute: the bundled stress model
    at.select_slider(key="runs").set_value(100).run()
    assert not at.exception, [e.value for e in at.exception]
    ja = get_lang("ja")
    widgets = {
        w.key: w.label for w in [*at.select_slider, *at.slider, *at.selectbox, *at.multiselect, *at.number_input]
    }
    for key, english in STRESS_WIDGETS.items():
        assert widgets[key] == ja.gettext(english) != english, key
        assert english_words(widgets[key]) == [], widgets[key]
    m = metrics(at)
    for english in ("Probability of any default", "Defaults per run (mean)", "GPU price index at horizon (median)"):
        assert ja.gettext(english) in m, english
    assert "NVIDIAのリスク売上高（平均）" in m  # the dataset's focal vendor
    captions = [c.value for c in at.caption]
    assert any(c.startswith("シナリオbaseline、調整：調整なし。期間2026年第4四半期–") for c in captions), captions
    # the per-party and cascade tables: every column label in Japanese (the data keep their field names)
    for key in ("stress_table", "cascades_table"):
        column = "default_probability" if key == "stress_table" else "chain"
        (df,) = [d for d in at.dataframe if column in d.value.columns]
        shown = column_labels(df)
        assert set(df.value.columns) <= set(shown), (key, set(df.value.columns) - set(shown))  # every column labelled
        for label in shown.values():
            assert english_words(label) == [], (key, label)
    assert [t for t in at.markdown if t.value.startswith("**当事者別**")]
    # moving a knob describes it in Japanese
    at.slider(key="gpu_fall").set_value(60).run()
    knob = re.compile(r"調整：GPU価格が\d{4}年第[1-4]四半期から4四半期かけて-60%。")
    assert any(knob.search(c.value) for c in at.caption), [c.value for c in at.caption]
