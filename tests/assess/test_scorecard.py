"""The circular-trading scorecard: every indicator on a hand-made ledger (hand-calculated), missing evidence,
arrangements, overrides and thresholds that move a case, and the historical datasets in their regions."""

from __future__ import annotations

import json

import pytest

from _helpers import deal, fin
from junkan.assess import (
    CANNOT_PAY,
    INSUFFICIENT,
    MARKET,
    ROUND_TRIP,
    Band,
    Thresholds,
    arrangements,
    scorecard,
)
from junkan.errors import JunkanInputError
from junkan.ledger import Deal, Entity, Financial, Ledger

PAIR = [
    deal("v-c-equity", "v", "c", 100, kind="equity_investment", legs=["c-v-buy"]),
    deal("c-v-buy", "c", "v", 150, kind="purchase_commitment", legs=["v-c-equity"]),
]
FINANCIALS = [
    # vendor v
    fin("v", "revenue", 300),
    fin("v", "revenue", 250, "FY2024", "2024-12-31"),
    fin("v", "receivables", 72),
    fin("v", "receivables", 50, "FY2024", "2024-12-31"),
    fin("v", "operating_cash_flow", 200),
    fin("v", "net_income", 250),
    fin("v", "overstated_revenue", 30),
    fin("v", "users", 400),
    fin("v", "paying_users", 1000),
    fin("v", "bad_debt_reserve", 10),
    fin("v", "customer_financing_drawn", 80),
    # customer c
    fin("c", "revenue", 100),
    fin("c", "end_customer_revenue", 40),
    fin("c", "cash", 60),
    fin("c", "free_cash_flow", -40),
    # the market: an entity in no deal
    fin("mkt", "utilisation", 0.3),
]


def hand_ledger(financials: list[Financial] | None = None, deals: list[Deal] | None = None) -> Ledger:
    ents = [Entity(id=x, name=x.upper()) for x in ("v", "c", "mkt")]
    return Ledger.build(
        deals if deals is not None else PAIR,
        ents,
        FINANCIALS if financials is None else financials,
        create_missing_entities=True,
    )


def the_case(sc, case_id: str = "memory"):
    return sc.case(case_id)


# ---------------------------------------------------------------------------------------------------- indicators
def test_every_indicator_on_the_hand_ledger():
    sc = scorecard(hand_ledger(), levels=("dataset",))
    c = the_case(sc)
    assert c.vendor == "v" and c.customers == ("c",)
    ind = {i.name: i for i in c.indicators}
    # round trip: 100 earmarked (legs) of 150 network receipts + outside 300 - 150 = 150 -> 100 / 300
    rts = ind["round_trip_share"]
    assert rts.value == pytest.approx(1 / 3, abs=1e-12)
    assert rts.score == pytest.approx((1 / 3 - 0.25) / 0.5, abs=1e-12)
    assert {e["id"] for e in rts.evidence if e["type"] == "deal"} == {"v-c-equity", "c-v-buy"}
    # genuine demand: min(users / paying users = 0.4, market utilisation 0.3) = 0.3 on the band 0.6 -> 0.2
    gd = ind["genuine_demand"]
    assert gd.value == pytest.approx(0.3)
    assert gd.score == pytest.approx(0.75)
    assert {c_["name"] for c_ in gd.components} == {"active_users_per_paying_user", "utilisation"}
    # red flags: overstated 30/300 = 0.1 -> 0.25; cash conversion 200/250 = 0.8 -> 0.4;
    # DSRI (72/300)/(50/250) = 1.2 -> (1.2 - 1.031)/(1.465 - 1.031); worst = 0.4
    rf = ind["accounting_red_flags"]
    comps = {c_["name"]: c_ for c_ in rf.components}
    assert comps["overstated_revenue_share"]["value"] == pytest.approx(0.1)
    assert comps["overstated_revenue_share"]["score"] == pytest.approx(0.25)
    assert comps["cash_conversion"]["value"] == pytest.approx(0.8)
    assert comps["cash_conversion"]["score"] == pytest.approx(0.4)
    assert comps["dsri"]["value"] == pytest.approx(1.2)
    assert comps["dsri"]["score"] == pytest.approx((1.2 - 1.031) / (1.465 - 1.031))
    assert rf.score == pytest.approx(0.4)
    # vendor funding: 100 / OCF 200 = 0.5 on 0.25 -> 1.0
    vf = ind["vendor_funding"]
    assert vf.value == pytest.approx(0.5)
    assert vf.score == pytest.approx(1 / 3)
    # customer ability: commitments 150 / revenue 100 = 1.5 y -> 0.25; runway 60 / 40 = 1.5 y -> 0.75; worst 0.75
    ca = ind["customer_ability"]
    comps = {c_["name"]: c_ for c_ in ca.components}
    assert comps["commitment_years"]["value"] == pytest.approx(1.5)
    assert comps["commitment_years"]["score"] == pytest.approx(0.25)
    assert comps["runway_years"]["value"] == pytest.approx(1.5)
    assert ca.score == pytest.approx(0.75)
    # credit losses: 10 / 80 = 0.125 -> 0.5
    assert ind["credit_losses"].value == pytest.approx(0.125)
    assert ind["credit_losses"].score == pytest.approx(0.5)
    # end demand: 40 / 100 = 0.4 -> 0.5
    assert ind["end_demand"].value == pytest.approx(0.4)
    assert ind["end_demand"].score == pytest.approx(0.5)
    # position: R = mean(1/6, 0.75, 0.4), F = mean(1/3, 0.75, 0.5, 0.5)
    assert c.round_trip == pytest.approx((1 / 6 + 0.75 + 0.4) / 3)
    assert c.strain == pytest.approx((1 / 3 + 0.75 + 0.5 + 0.5) / 4)
    assert c.coverage == 1.0
    assert c.region == CANNOT_PAY
    assert "customer ability (0.75)" in c.reasons[0] and "credit losses (0.50)" in c.reasons[0]


def test_band_directions_and_clipping():
    up, down = Band(0.25, 0.75), Band(0.6, 0.2)
    assert [up.score(x) for x in (0.0, 0.25, 0.5, 0.75, 2.0)] == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert [down.score(x) for x in (1.0, 0.6, 0.4, 0.2, 0.0)] == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.0])
    with pytest.raises(JunkanInputError):
        Band(0.5, 0.5)


def test_missing_evidence_is_missing_not_good_or_bad():
    sc = scorecard(hand_ledger(financials=[]), levels=("dataset",))
    c = the_case(sc)
    ind = {i.name: i for i in c.indicators}
    # no revenue anywhere: everything the vendor receives is from the case, 100 of 150 is its own money
    assert ind["round_trip_share"].value == pytest.approx(2 / 3)
    assert "upper bound" in ind["round_trip_share"].reason
    for name in ("genuine_demand", "accounting_red_flags", "vendor_funding", "customer_ability", "credit_losses"):
        assert ind[name].missing and ind[name].value is None and ind[name].score is None, name
    assert ind["end_demand"].missing
    assert c.coverage == pytest.approx(1 / 7)
    # the round-trip axis rests on the one indicator with evidence; the strain axis has none
    assert c.round_trip == pytest.approx((2 / 3 - 0.25) / 0.5)
    assert c.strain is None
    # money comes back, but nothing shows that the demand is not real: no region, too little evidence
    assert c.region == INSUFFICIENT


# ---------------------------------------------------------------------------------------------------- overrides
def test_an_override_moves_the_case_across_the_strain_cut():
    lg = hand_ledger()
    assert the_case(scorecard(lg, levels=("dataset",))).region == CANNOT_PAY
    moved = the_case(scorecard(lg, levels=("dataset",), overrides={"C.free_cash_flow": 40}))
    # c no longer burns cash: runway scores 0, customer ability = commitments 0.25; F = (1/3 + .25 + .5 + .5) / 4
    assert moved.indicator("customer_ability").score == pytest.approx(0.25)
    assert moved.strain == pytest.approx((1 / 3 + 0.25 + 0.5 + 0.5) / 4)
    assert moved.region == MARKET
    over = [e for e in moved.indicator("customer_ability").evidence if e["type"] == "override"]
    assert over and over[0]["entity"] == "c" and over[0]["value"] == 40


def test_a_threshold_moves_the_case():
    lg = hand_ledger()
    moved = the_case(scorecard(lg, levels=("dataset",), thresholds={"strain_cut": 0.55}))
    assert moved.region == MARKET
    t = Thresholds.from_mapping({"genuine_demand.bad": 0.1, "weights.end_demand": 2})
    assert t.genuine_demand == Band(0.6, 0.1) and t.weights.end_demand == 2
    c = the_case(scorecard(lg, levels=("dataset",), thresholds=t))
    assert c.indicator("genuine_demand").score == pytest.approx(0.6)
    assert c.strain == pytest.approx((1 / 3 + 0.75 + 0.5 + 2 * 0.5) / 5)


def test_bad_overrides_and_thresholds_are_clear_errors():
    lg = hand_ledger()
    with pytest.raises(JunkanInputError, match="unknown metric 'revenu'"):
        scorecard(lg, overrides={"v.revenu": 1})
    with pytest.raises(JunkanInputError, match="no dataset has a party 'nobody'"):
        scorecard(lg, overrides={"nobody.revenue": 1})
    with pytest.raises(JunkanInputError, match="not a valid ratio"):
        scorecard(lg, overrides={"v.utilisation": 2})
    with pytest.raises(JunkanInputError, match="unknown threshold 'strain'"):
        scorecard(lg, thresholds={"strain": 0.4})
    with pytest.raises(JunkanInputError, match="unknown level"):
        scorecard(lg, levels=("deal",))


# ---------------------------------------------------------------------------------------------------- arrangements
def test_arrangements_follow_legs_and_loops():
    deals = [
        *PAIR,
        deal("x-y", "x", "y", 5, kind="hardware_purchase"),
        deal("y-x", "y", "x", 7, kind="equity_investment"),
        deal("solo", "v", "y", 1, kind="loan"),
    ]
    arr = arrangements(hand_ledger(deals=deals))
    got = {a.id: (a.deals, a.linked) for a in arr}
    assert got == {
        "memory/c-v-buy": (("c-v-buy", "v-c-equity"), True),
        "memory/solo": (("solo",), False),
        "memory/x-y": (("x-y", "y-x"), True),
    }


def test_party_level_puts_the_party_in_the_vendor_seat():
    sc = scorecard(hand_ledger(), levels=("party",), parties=["c", "V"])
    got = {c.id: (c.vendor, c.customers) for c in sc.cases}
    # c buys from v and finances no one: it has no customers of its own
    assert got == {"memory/party:c": ("c", ()), "memory/party:v": ("v", ("c",))}
    assert sc.case("memory/party:c").indicator("customer_ability").missing


# ---------------------------------------------------------------------------------------------------- history
@pytest.fixture(scope="module")
def history():
    return scorecard(["lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024"], levels=("dataset",))


def test_historical_cases_land_where_the_record_puts_them(history):
    regions = {c.id: c.region for c in history.cases}
    assert regions == {
        "lucent-2000": CANNOT_PAY,
        "nortel-2001": CANNOT_PAY,
        "global-crossing-qwest-2001": ROUND_TRIP,
        "orts-2024": ROUND_TRIP,
    }


def test_historical_exact_values_and_ordering(history):
    orts, gcq = history.case("orts-2024"), history.case("global-crossing-qwest-2001")
    lucent, nortel = history.case("lucent-2000"), history.case("nortel-2001")
    # Orts: genuine FY2024 sales ¥1.09B of ¥6,057.28M; ¥4.9B of FY2024 revenue overstated
    assert orts.vendor == "orts"
    assert orts.indicator("genuine_demand").value == pytest.approx(1.09e9 / 6.05728e9)
    comps = {c["name"]: c for c in orts.indicator("accounting_red_flags").components}
    assert comps["overstated_revenue_share"]["value"] == pytest.approx(4.9e9 / 6.05728e9)
    assert orts.round_trip == pytest.approx(1.0)
    # Global Crossing / Qwest: Qwest's three swap pairs return in full; lit fibre 2.7% (2002)
    assert gcq.vendor == "qwest"
    assert gcq.indicator("round_trip_share").value == pytest.approx(1.0)
    assert gcq.indicator("genuine_demand").value == pytest.approx(0.027)
    assert gcq.round_trip == pytest.approx(2 / 3)
    # Lucent: $501M reserve on $2.0B drawn (FY2000); $8.1B financing with negative operating cash flow;
    # only $2B of $21.294B receipts is its own money coming back (WinStar)
    assert lucent.indicator("credit_losses").value == pytest.approx(0.2505)
    assert lucent.indicator("vendor_funding").score == 1.0
    assert lucent.indicator("round_trip_share").value == pytest.approx(2e9 / 21.294e9)
    assert lucent.indicator("customer_ability").score == 1.0  # WinStar's bankruptcy, 2B of 13.1B financing
    assert lucent.strain == pytest.approx(1.0) and lucent.round_trip == pytest.approx(0.0)
    # Nortel: $824M of provisions on $1,120M drawn (2002); $3.1B of financing = 11.07% of FY2000 revenue
    assert nortel.indicator("credit_losses").value == pytest.approx(824 / 1120)
    assert nortel.indicator("vendor_funding").value == pytest.approx(3.1 / 28)
    assert nortel.strain == pytest.approx(((3.1 / 28 - 0.05) / 0.15 + 1.0) / 2)
    assert nortel.round_trip is None
    # ordering on each axis
    rt = sorted(history.cases, key=lambda c: -(c.round_trip or 0.0))
    assert [c.id for c in rt][:2] == ["orts-2024", "global-crossing-qwest-2001"]
    st = sorted(history.cases, key=lambda c: -(c.strain or 0.0))
    assert [c.id for c in st][:2] == ["lucent-2000", "nortel-2001"]


def test_ai_arrangement_moves_with_an_override():
    base = scorecard("ai-compute", levels=("arrangement",))
    c = base.case("ai-compute/nvda-openai-loi-2025")
    assert c.vendor == "nvidia" and c.customers == ("openai",)
    assert c.region == MARKET
    # $30B committed against FY2025 operating cash flow of $64.089B
    assert c.indicator("vendor_funding").value == pytest.approx(30e9 / 64.089e9)
    moved = scorecard("ai-compute", levels=("arrangement",), overrides={"nvidia.operating_cash_flow": 20e9})
    m = moved.case("ai-compute/nvda-openai-loi-2025")
    assert m.indicator("vendor_funding").score == 1.0
    assert m.region == CANNOT_PAY


def test_result_protocol(history):
    df = history.to_frame()
    assert list(df["case"]) == ["lucent-2000", "nortel-2001", "global-crossing-qwest-2001", "orts-2024"]
    assert {"round_trip", "strain", "coverage", "region", "genuine_demand_score"} <= set(df.columns)
    s = history.summary()
    assert s["regions"][ROUND_TRIP] == 2 and s["regions"][CANNOT_PAY] == 2
    doc = history.to_dict()
    json.dumps(doc)  # JSON-ready (NaN-free)
    assert doc["cases"][0]["indicators"][0]["name"] == "round_trip_share"
    long = history.indicators_frame()
    assert len(long) == 4 * 7
    fig = history.plot()
    assert {t.name for t in fig.data} == {ROUND_TRIP, CANNOT_PAY}
