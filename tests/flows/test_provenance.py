"""Proportional tracing and own-money share: the issue's worked example and hand-computed cases (exact values)."""

from __future__ import annotations

import pytest

from _helpers import deal, fin, ledger
from junkan.errors import JunkanInputError
from junkan.flows import own_money_share, provenance


def worked_example(legs: bool = False):
    """V invests 100 in C; C also receives 100 from outside investors; C buys 150 from V."""
    return ledger(
        deal("inv", "v", "c", 100, "2025-01-01", "equity_investment", legs=["buy"] if legs else None),
        deal("buy", "c", "v", 150, "2025-02-01", "hardware_purchase"),
    )


def test_worked_example_from_the_issue():
    r = own_money_share(worked_example(), "v", external={"c": 100})
    # C spends 150 of its 200, half of it V's money: 75 returns to V, 50% of V's 150 of receipts
    assert r.network_receipts == pytest.approx(150)
    assert r.returned == pytest.approx(75)
    assert r.own_money_share == pytest.approx(0.5)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("v", "returned"): pytest.approx(75), ("c", "outside"): pytest.approx(75)}
    assert r.by_payer == (("c", 150.0),)
    assert [(p.path, p.amount) for p in r.paths] == [(("v", "c"), pytest.approx(75))]
    assert r.other_paths == pytest.approx(0, abs=1e-9)
    # no legs: the earmarked view equals the proportional one
    assert r.earmarked.earmarked == 0
    assert r.earmarked.own_money_share == pytest.approx(0.5)


def test_worked_example_without_outside_money_counts_own_funds():
    # C receives 100 and pays 150: 50 of its own funds; all of V's 100 comes back: 100/150
    r = own_money_share(worked_example(), "v", outside="none")
    assert r.returned == pytest.approx(100)
    assert r.own_money_share == pytest.approx(2 / 3)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("v", "returned"): pytest.approx(100), ("c", "own_funds"): pytest.approx(50)}


def test_earmarked_view_follows_legs():
    # the investment pays for the purchase: min(100, 150) = 100 returns earmarked; the other 50 of the purchase is
    # C's outside money (C keeps 50 of outside money): earmarked own-money share 100/150
    r = own_money_share(worked_example(legs=True), "v", external={"c": 100})
    assert r.own_money_share == pytest.approx(0.5)  # the proportional view does not change
    assert r.earmarked.earmarked == pytest.approx(100)
    assert r.earmarked.returned == pytest.approx(100)
    assert r.earmarked.own_money_share == pytest.approx(2 / 3)
    assert r.earmarked.pairs == (("inv", "buy", pytest.approx(100)),)


def two_paths_with_inner_loop():
    """V -> A 100; A -> V 30; A -> B 60; B -> A 20 (a loop inside the cycle); B -> V 40; 20 of outside money at A."""
    return ledger(
        deal("va", "v", "a", 100, "2025-01-01", "equity_investment"),
        deal("av", "a", "v", 30, "2025-01-15", "hardware_purchase"),
        deal("ab", "a", "b", 60, "2025-02-01", "service_fee"),
        deal("ba", "b", "a", 20, "2024-12-01", "service_fee"),
        deal("bv", "b", "v", 40, "2025-03-01", "loan"),
    )


def test_several_paths_and_a_cycle_inside_a_cycle():
    # pools: T_A = 100 + 20 + 20 = 140, T_B = 60.  h_A = 3/14 + 3/7 h_B, h_B = 2/3 + 1/3 h_A
    # => h_A = 7/12, h_B = 31/36; returned = 100 * 7/12 = 175/3; V's receipts 70 => share 5/6
    r = own_money_share(two_paths_with_inner_loop(), "v", outside="none", external={"a": 20})
    assert r.network_receipts == pytest.approx(70)
    assert r.returned == pytest.approx(175 / 3)
    assert r.own_money_share == pytest.approx(5 / 6)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("v", "returned"): pytest.approx(175 / 3), ("a", "outside"): pytest.approx(35 / 3)}
    assert sum(origins.values()) == pytest.approx(r.network_receipts)
    # simple cycles: V->A->B->V carries 100 * 3/7 * 2/3 = 200/7, V->A->V 100 * 30/140 = 150/7;
    # walks round the inner A<->B loop (factor 1/7 each time) carry the rest: 175/3 - 50 = 25/3
    assert [(p.path, p.amount) for p in r.paths] == [
        (("v", "a", "b"), pytest.approx(200 / 7)),
        (("v", "a"), pytest.approx(150 / 7)),
    ]
    assert r.other_paths == pytest.approx(25 / 3)
    # with paths of at most 2 parties only the direct loop is listed; the rest moves to other_paths
    r2 = own_money_share(two_paths_with_inner_loop(), "v", outside="none", external={"a": 20}, max_len=2)
    assert [p.path for p in r2.paths] == [("v", "a")]
    assert r2.other_paths == pytest.approx(175 / 3 - 150 / 7)


def test_trace_of_an_intermediate_party():
    # target B absorbs; its ancestors are A and V.  T_A = 100 + 20 + 20 (outside) = 140; V receives 70 and pays 100,
    # so 30 of its own funds and T_V = 100.  h_A = 60/140 + 30/140 h_V, h_V = h_A  =>  h_A = h_V = 6/11.
    # B's own money returns along B->A (20) and B->V (40): 60 * 6/11 = 360/11 of its 60 of receipts.
    r = own_money_share(two_paths_with_inner_loop(), "b", outside="none", external={"a": 20})
    assert r.network_receipts == pytest.approx(60)
    assert r.returned == pytest.approx(360 / 11)
    assert r.own_money_share == pytest.approx(6 / 11)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {
        ("b", "returned"): pytest.approx(360 / 11),
        ("v", "own_funds"): pytest.approx(180 / 11),
        ("a", "outside"): pytest.approx(120 / 11),
    }
    assert sum(origins.values()) == pytest.approx(60)


def test_pure_circulation_returns_everything():
    # V -> A -> B -> V, 100 each, no other money: all of it is V's own money coming back
    led = ledger(deal("x", "v", "a", 100), deal("y", "a", "b", 100), deal("z", "b", "v", 100))
    r = own_money_share(led, "v", outside="none")
    assert r.own_money_share == pytest.approx(1.0)
    assert [(p.path, p.amount) for p in r.paths] == [(("v", "a", "b"), pytest.approx(100))]


def test_leak_along_a_three_party_cycle():
    # B keeps half of what it receives: 50 of V's 100 comes back, and that is all V receives
    led = ledger(deal("x", "v", "a", 100), deal("y", "a", "b", 100), deal("z", "b", "v", 50))
    r = own_money_share(led, "v", outside="none")
    assert r.returned == pytest.approx(50)
    assert r.own_money_share == pytest.approx(1.0)


def test_share_against_revenue_and_outside_from_financials():
    led = ledger(
        deal("inv", "v", "c", 100, kind="equity_investment"),
        deal("buy", "c", "v", 150, "2025-02-01"),
        financials=[fin("v", "revenue", 300), fin("c", "end_customer_revenue", 100)],
    )
    # C's outside inflow from its end-customer revenue (100): the worked example again
    r = own_money_share(led, "v")
    assert r.own_money_share == pytest.approx(0.5)
    assert r.revenue == pytest.approx(300)
    assert r.revenue_period == "FY2025"
    assert r.share_of_revenue == pytest.approx(75 / 300)


def test_outside_from_revenue_minus_operating_receipts():
    # no end-customer figure: C's outside inflow = revenue 130 - operating receipts 30 = 100
    led = ledger(
        deal("inv", "v", "c", 100, kind="equity_investment"),
        deal("buy", "c", "v", 150, "2025-02-01"),
        deal("sale", "v", "c", 30, "2025-03-01", "service_fee"),
        financials=[fin("c", "revenue", 130)],
    )
    r = own_money_share(led, "v")
    # C's pool: 130 from V + 100 outside = 230; 150/230 of V's 130 returns
    assert r.returned == pytest.approx(130 * 150 / 230)


def test_party_with_no_receipts_gets_a_message_not_an_error():
    led = ledger(deal("a", "v", "c", 100))
    r = own_money_share(led, "v")
    assert r.own_money_share is None
    assert r.returned == 0
    assert any("receives nothing" in n for n in r.notes)


def test_party_outside_the_filtered_network():
    led = ledger(deal("a", "v", "c", 100, "2025-06-01"), deal("b", "c", "v", 50, "2025-07-01"))
    import datetime as dt

    r = own_money_share(led, "v", as_of=dt.date(2025, 1, 1))
    assert r.own_money_share is None
    assert r.notes and "no flow" in r.notes[0]


def test_unknown_party_suggests_close_names():
    led = ledger(deal("a", "nvidia", "openai", 100))
    with pytest.raises(JunkanInputError, match="did you mean 'nvidia'"):
        own_money_share(led, "nvdia")


def test_negative_external_is_rejected():
    with pytest.raises(JunkanInputError, match="non-negative"):
        own_money_share(worked_example(), "v", external={"c": -1})


def test_provenance_of_every_party_agrees_with_single_traces():
    led = two_paths_with_inner_loop()
    allp = provenance(led, outside="none", external={"a": 20})
    by = {r.entity: r for r in allp.rows}
    assert set(by) == {"v", "a", "b"}
    assert by["v"].own_money_share == pytest.approx(5 / 6)
    df = allp.to_frame()
    assert list(df["entity"]) == ["a", "b", "v"]
    assert allp.summary()["top_own_money_share"]["entity"] in by


def test_result_records_inputs_and_frames():
    r = own_money_share(worked_example(), "v", external={"c": 100}, basis="headline", natures="cash,equity")
    s = r.summary()
    assert s["basis"] == "headline"
    assert s["natures"] == ["cash", "equity"]
    assert s["outside_policy"] == "financials"
    df = r.to_frame()
    assert list(df.columns) == ["origin", "channel", "amount", "share"]
    assert df["share"].sum() == pytest.approx(1.0)
