"""The figure functions: pure tables in, plotly figures out, with exact structure on small inputs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from report_helpers import small_ledger

from junkan.flows import flow_graph
from junkan.report import data as rdata
from junkan.report import figures as rfig


@pytest.fixture(scope="module")
def tables():
    led = small_ledger()
    g = flow_graph(led)
    return rdata.flows_table(led, g), rdata.parties_table(led, g)


def test_flows_table_groups_kinds(tables):
    flows, parties = tables
    assert list(flows["deal_id"]) == ["inv", "buy", "loan"]  # the cancelled deal carries no money
    assert list(flows["group"]) == ["investment", "purchase", "credit"]
    assert set(parties["party"]) == {"c", "l", "v"}
    assert parties["size_value"].isna().all()  # no revenue on file


def test_every_deal_kind_has_a_group():
    from junkan.ledger.schema import DealKind

    assert set(rdata.KIND_GROUPS) == {k.value for k in DealKind}
    assert set(rdata.KIND_GROUPS.values()) == set(rdata.GROUP_ORDER)


def test_periods_by_year_and_quarter():
    assert rfig._periods(date(2019, 8, 1), date(2021, 1, 1), "year") == [
        ("2019", date(2019, 12, 31)),
        ("2020", date(2020, 12, 31)),
        ("2021", date(2021, 12, 31)),
    ]
    assert rfig._periods(date(2019, 8, 1), date(2020, 2, 1), "quarter") == [
        ("2019Q3", date(2019, 9, 30)),
        ("2019Q4", date(2019, 12, 31)),
        ("2020Q1", date(2020, 3, 31)),
    ]
    with pytest.raises(ValueError, match="period"):
        rfig._periods(date(2019, 1, 1), date(2019, 1, 1), "month")


def _edge_points(frame_data) -> int:
    """Edges drawn in a frame: each edge is 3 points (start, end, gap) in the line traces."""
    return sum(len(t.x) for t in frame_data if t.mode == "lines") // 3


def test_network_map_frames_grow_with_time(tables):
    flows, parties = tables
    fig = rfig.network_map(flows, parties, period="year")
    assert [f.name for f in fig.frames] == ["2024", "2025"]
    assert _edge_points(fig.frames[0].data) == 1  # only the 2024 investment
    assert _edge_points(fig.frames[1].data) == 3
    assert _edge_points(fig.data) == 3  # the figure opens on the last frame
    assert fig.layout.sliders[0].active == 1
    nodes = fig.frames[0].data[-1]
    assert list(nodes.marker.opacity) == [0.95, 0.12, 0.95]  # c, l, v: l has no deal yet in 2024
    q = rfig.network_map(flows, parties, period="quarter")
    assert [f.name for f in q.frames][:2] == ["2024Q1", "2024Q2"] and q.frames[-1].name == "2025Q2"


def test_network_map_groups_small_edges_and_parties(tables):
    flows, parties = tables
    # 30 of 280 is 10.7% of the volume: under a 20% threshold the loan goes to the small-deals layer
    fig = rfig.network_map(flows, parties, min_share=0.2)
    small = [t for t in fig.data if t.mode == "lines" and t.line.dash == "dot"]
    assert len(small) == 1 and len(small[0].x) == 3
    assert "small deals" in fig.data[-2].name and len(fig.data[-2].x) == 1
    merged = rfig.network_map(flows, parties, max_parties=2)
    assert rfig.OTHER_PARTIES in merged.data[-1].hovertext[0] or any(
        rfig.OTHER_PARTIES in str(t) for t in merged.data[-1].text
    )


def test_network_map_hover_names_deal_status_and_source(tables):
    flows, parties = tables
    fig = rfig.network_map(flows, parties)
    texts = [h for t in fig.data if t.mode == "markers" and t.hovertext for h in t.hovertext]
    loan = next(h for h in texts if "deal loan" in h)
    assert "signed" in loan and "low confidence" in loan and "news.example.com" in loan


def test_layout_is_deterministic():
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")]
    nodes = ["a", "b", "c", "d", "e"]
    assert rfig.map_layout(pairs, nodes) == rfig.map_layout(list(reversed(pairs)), list(reversed(nodes)))


def test_sankey_conserves_money(tables):
    flows, _ = tables
    fig = rfig.money_sankey(flows)
    sk = fig.data[0]
    assert sum(sk.link.value) == pytest.approx(280.0)
    assert list(sk.node.label) == ["c", "v", "l", "v", "c"]  # payers by amount, then payees by amount


def test_empty_inputs_give_a_message_not_a_blank_figure():
    empty = pd.DataFrame(columns=list(rdata.FLOW_COLUMNS))
    fig = rfig.network_map(empty, pd.DataFrame(columns=list(rdata.PARTY_COLUMNS)))
    assert "No deals" in fig.layout.annotations[0].text
    assert "No defaults" in rfig.domino_chains([]).layout.annotations[0].text


def test_domino_chains_draw_boxes_and_arrows():
    fig = rfig.domino_chains([([["A"], ["B", "C"]], 0.5), ([["D"]], 0.25)])
    texts = [a.text for a in fig.layout.annotations]
    assert "B + C" in texts and "A" in texts and "D" in texts
    assert "<b>50%</b> of runs" in texts
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 1


def test_quantile_fans_use_the_quantiles():
    a = np.arange(100, dtype=float).reshape(100, 1) * np.ones((1, 3))
    fig = rfig.quantile_fans(["q1", "q2", "q3"], {"x": a})
    median = next(t for t in fig.data if t.name == "median")
    assert list(median.y) == pytest.approx([49.5, 49.5, 49.5])


def test_money_format():
    assert rfig.money(1.2e11) == "$120.0B"
    assert rfig.money(-2.5e6) == "-$2.5M"
    assert rfig.money(280.0) == "$280"
    assert rfig.money(None) == "n/a"


def test_stress_tables_match_the_result():
    """The shared stress tables (report and dashboard) restate the result's numbers exactly."""
    import numpy as np

    import junkan
    from junkan.report.data import stress_tables
    from junkan.stress import run_stress

    res = run_stress(junkan.load("ai-compute"), "baseline", runs=30, seed=3)
    t = stress_tables(res, {"nvidia": "NVIDIA"})
    assert list(t.frame["party"]) == list(res.parties)
    assert t.frame.set_index("party").loc["nvidia", "name"] == "NVIDIA"
    assert t.quarter_labels == list(res.quarter_labels)
    assert t.series["parties in default"].shape == (30, res.quarters)
    dq = np.asarray(res.raw.default_quarter)
    assert t.series["parties in default"][:, -1].tolist() == (dq >= 0).sum(axis=1).tolist()
    total = sum(np.asarray(v) for v in res.raw.losses.values())
    np.testing.assert_allclose(t.losses["mean"], total.mean(axis=0), rtol=0, atol=0)
    expected = sum(v for by in res.channel_losses().values() for v in by.values())
    assert t.channels["loss"].sum() == pytest.approx(expected, rel=1e-12, abs=1e-6)
    assert [share for _, share in t.chains] == [k / 30 for _, k in res.cascades[:8]]


def test_report_figures_use_plotly_template_whatever_the_default(monkeypatch):
    # importing streamlit makes "streamlit" the process's default template; the report must not inherit it
    import plotly.graph_objects as go
    import plotly.io as pio

    from junkan.report.build import figure_html

    monkeypatch.setattr(pio.templates, "default", "ggplot2")
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    assert fig.layout.template == pio.templates["ggplot2"]
    html = figure_html(fig, "fig-x")
    assert fig.layout.template == pio.templates["plotly"]
    assert 'id="fig-x"' in html
