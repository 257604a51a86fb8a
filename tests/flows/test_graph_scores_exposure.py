"""The flow graph (orientation, basis, currency), party scores and exposure, with hand-computed values."""

from __future__ import annotations

import pytest

from _helpers import SRC, deal, fin, ledger
from junkan.flows import exposure, flow_graph, party_scores
from junkan.ledger import Entity, FxRate


def test_orientation_basis_and_currency():
    led = ledger(
        deal("inv", "nv", "oa", 100, kind="equity_investment", committed=80, drawn=20),
        deal("eu", "oa", "nv", 50, currency="EUR", when="2025-03-01"),
        deal("wr", "amd", "oa", 0, kind="warrant_grant"),
        fx=[FxRate(currency="EUR", year=2025, usd_per_unit=1.1, confidence="high", sources=SRC)],
    )
    g = flow_graph(led)
    assert g.edge_amounts() == {("nv", "oa"): 80.0, ("oa", "nv"): pytest.approx(55.0)}
    assert g.parties == ("nv", "oa")  # the zero-value warrant carries no money
    assert len(g.flows) == 3
    w = g.matrix().toarray()
    i = g.index
    assert w[i["nv"], i["oa"]] == 80  # rows pay
    assert g.in_strength()["oa"] == 80
    assert flow_graph(led, basis="headline").edge_amounts()[("nv", "oa")] == 100
    assert flow_graph(led, basis="drawn").edge_amounts() == {("nv", "oa"): 20.0}
    assert g.summary()["volume_by_nature"] == {
        "cash": pytest.approx(55.0),
        "in_kind": 0.0,
        "equity": 80.0,
        "credit": 0.0,
        "contingent": 0.0,
    }
    assert g.to_frame().shape == (3, 11)
    assert g.to_networkx(multi=True).number_of_edges() == 2


def test_party_scores_by_hand():
    led = ledger(
        deal("va", "v", "a", 100),
        deal("av", "a", "v", 30),
        deal("ab", "a", "b", 60),
        deal("ba", "b", "a", 20),
        deal("bv", "b", "v", 40),
    )
    sc = {r.party: r for r in party_scores(led).rows}
    # V: volume 70 + 100 = 170; reciprocated min(100, 30) = 30 -> loop 60/170; cycle edges V->A, B->V: 140/170
    assert sc["v"].volume == 170
    assert sc["v"].loop_score == pytest.approx(60 / 170)
    assert sc["v"].cycle_score == pytest.approx(140 / 170)
    # A: volume 120 + 90 = 210; reciprocated 30 + 20 -> 100/210; on the 3-cycle: V->A, A->B -> 160/210
    assert sc["a"].loop_score == pytest.approx(100 / 210)
    assert sc["a"].cycle_score == pytest.approx(160 / 210)
    assert sc["a"].hub_score == 1.0
    assert sc["b"].hub_score == pytest.approx(120 / 210)
    assert (sc["a"].loops, sc["a"].cycles, sc["a"].cycle_volume) == (2, 1, 90.0)
    assert (sc["v"].loops, sc["v"].cycles, sc["v"].cycle_volume) == (1, 1, 70.0)
    assert sum(r.pagerank for r in sc.values()) == pytest.approx(1.0)
    assert party_scores(led).summary()["top_hub"] == "a"


def test_party_scores_of_an_empty_network():
    led = ledger(deal("x", "a", "b", 10, drawn=None))
    res = party_scores(led, basis="drawn")
    assert res.rows == ()
    assert res.summary()["top_hub"] is None


def vendor_case():
    return ledger(
        deal("inv", "nv", "oa", 100, kind="equity_investment"),
        deal("bs", "nv", "cw", 50, kind="capacity_backstop"),
        deal("ln", "nv", "x", 30, kind="loan"),  # X buys nothing from NV: not vendor financing
        deal("pc", "oa", "nv", 200, kind="purchase_commitment", drawn=20),
        deal("hw", "cw", "nv", 100, kind="hardware_purchase", drawn=100),
        financials=[
            fin("nv", "revenue", 1000),
            fin("nv", "operating_cash_flow", 500),
            fin("nv", "top_customer_share", 0.4),
            fin("oa", "revenue", 40),
            fin("oa", "operating_cash_flow", -10),
            fin("cw", "revenue", 0),
        ],
    )


def test_exposure_by_hand():
    res = exposure(vendor_case())
    (v,) = res.vendors
    assert (v.vendor, v.financing, v.all_financing, v.customers_financed) == ("nv", 150.0, 180.0, 2)
    assert v.financing_to_revenue == pytest.approx(0.15)
    assert v.financing_to_ocf == pytest.approx(0.3)
    assert v.drawn_share == 0
    assert v.deals == ("bs", "inv")  # same date: by deal id
    (c,) = res.concentration
    assert (c.vendor, c.receipts, c.customers, c.top_customer) == ("nv", 300.0, 2, "oa")
    assert c.top_share == pytest.approx(2 / 3)
    assert c.top2_share == pytest.approx(1.0)
    assert c.hhi == pytest.approx(5 / 9)
    assert c.reported_top_customer_share == 0.4
    comm = {r.customer: r for r in res.commitments}
    assert comm["oa"].coverage_years == pytest.approx(5.0)
    assert comm["oa"].ocf_coverage_years is None  # negative operating cash flow: no coverage, no division
    assert comm["oa"].drawn_share == pytest.approx(0.1)
    assert comm["cw"].coverage_years is None  # zero revenue: no division by zero
    assert comm["cw"].drawn_share == 1.0
    s = res.summary()
    assert s["largest_vendor_financer"] == "nv"
    assert s["longest_commitment_coverage"] == {"customer": "oa", "coverage_years": pytest.approx(5.0)}
    assert set(res.frames()) == {"vendors", "concentration", "commitments"}


def test_aggregate_customers_entity_counts_as_customer():
    led = ledger(
        deal("ln", "lu", "clecs", 70, kind="credit_facility", drawn=13),
        entities=[Entity(id="clecs", name="Financed CLECs", kind="customers")],
    )
    (v,) = exposure(led).vendors
    assert (v.financing, v.drawn) == (70.0, 13.0)
    assert v.financing_to_revenue is None


def test_exposure_of_an_empty_network():
    res = exposure(ledger(deal("x", "a", "b", 10)), basis="drawn")
    assert res.vendors == () and res.commitments == ()
    assert "empty" in res.notes[0]
