"""The dashboard's language switch and as-of control (Streamlit's AppTest, no browser).

The fixture ``data/loop.csv`` (see test_dashboard.py): Lab pays Lender a 10B fee (2023-11-15), Vendor invests 100B in
Cloud (2024-01-10), Cloud buys 150B of hardware from Vendor (2024-03-01), Lender lends Cloud 100B (2024-06-01). As
of 2024-02-01 only the fee and the investment are known: 2 deals, 110B, no cycle (the hardware purchase that closes
the loop comes later).
"""

from __future__ import annotations

import datetime as dt

import pytest
from app_helpers import LOOP_CSV, metrics
from app_helpers import start as start_app
from streamlit.testing.v1 import AppTest

import junkan
from junkan.assess import scorecard
from junkan.assess.watch import watch

AS_OF_KEY = f"as_of|data:{LOOP_CSV}"
TABS_EN = ["Deals", "Network", "Parties", "Exposure", "Scorecard", "Stress test", "Watch list"]
TABS_JA = ["取引", "ネットワーク", "当事者", "エクスポージャー", "スコアカード", "ストレステスト", "ウォッチリスト"]


def start(monkeypatch: pytest.MonkeyPatch, lang: str | None = None) -> AppTest:
    return start_app(monkeypatch, str(LOOP_CSV), lang)


def test_english_by_default_and_the_switch_to_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    assert at.sidebar.selectbox(key="lang").value == "en"
    assert [t.label for t in at.tabs] == TABS_EN
    assert at.title[0].value == "junkan: follow the money around the loop"
    at.sidebar.selectbox(key="lang").set_value("ja").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == TABS_JA
    assert at.title[0].value == "junkan：循環する資金の流れを追う"
    m = metrics(at)
    assert m["取引"] == "4"
    assert m["取引網の規模（約束額、米ドル）"] == "3,600億ドル"  # 100B + 150B + 100B + 10B
    assert m["循環上の資金（ボトルネックの合計）"] == "1,000億ドル"
    assert [h.value for h in at.sidebar.header] == ["データ", "絞り込み"]


def test_serve_lang_sets_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch, lang="ja")
    assert at.sidebar.selectbox(key="lang").value == "ja"
    assert [t.label for t in at.tabs] == TABS_JA
    at = start(monkeypatch, lang="klingon")  # an unknown default falls back to English
    assert at.sidebar.selectbox(key="lang").value == "en"


def test_as_of_replays_the_web_the_scorecard_and_the_watch_list(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start(monkeypatch)
    control = at.sidebar.date_input(key=AS_OF_KEY)
    assert control.value == dt.date(2024, 6, 1)  # the latest deal: the data as they are
    m = metrics(at)
    assert (m["Deals"], m["Cycles"], m["Network volume (committed, USD)"]) == ("4", "1", "$360.0B")
    when = dt.date(2024, 2, 1)
    control.set_value(when).run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert (m["Deals"], m["Cycles"], m["Network volume (committed, USD)"]) == ("2", "0", "$110.0B")
    assert any("as of 2024-02-01" in c.value for c in at.caption)
    led = junkan.load(LOOP_CSV)
    # the watch list as known on that date, equal to the API's
    expected = watch(led, as_of=when)
    (wt,) = [df for df in at.dataframe if list(df.value.columns)[:3] == ["name", "subject", "value"]]
    assert list(wt.value["name"]) == [i.name for i in expected.indicators]
    assert list(wt.value["value"]) == pytest.approx([i.value for i in expected.indicators])
    # the scorecard of the dataset's cases as known on that date
    card = scorecard(led, as_of=when)
    (st_table,) = [df for df in at.dataframe if "round_trip" in df.value.columns]
    ours = st_table.value[st_table.value["dataset"] == led.name]
    assert list(ours["case"]) == [c.id for c in card.cases]
    assert list(ours["region"]) == [c.region for c in card.cases]
    # back to the last date: everything as before
    at.sidebar.date_input(key=AS_OF_KEY).set_value(dt.date(2024, 6, 1)).run()
    assert metrics(at)["Deals"] == "4"
