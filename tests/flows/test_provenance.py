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


def test_worked_example_without_outside_money_is_unfunded_not_own_funds():
    # C receives 100 and pays 150: 50 is unfunded (no money backs it). All of V's 100 comes back: returned 100 of
    # V's 150 of receipts, of which 100 are funded: own-money share 1.0, 2/3 of all receipts.
    # (The phantom-funds definition counted the 50 as C's "own funds" and reported 2/3 as the own-money share.)
    r = own_money_share(worked_example(), "v", outside="none")
    assert r.returned == pytest.approx(100)
    assert r.unfunded == pytest.approx(50)
    assert r.funded_receipts == pytest.approx(100)
    assert r.own_money_share == pytest.approx(1.0)
    assert r.own_money_share_of_receipts == pytest.approx(2 / 3)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("v", "returned"): pytest.approx(100), ("c", "unfunded"): pytest.approx(50)}


def test_the_issue_example_over_commitment_is_unfunded():
    # V invests 100 in C; C commits 300 to buy from V; nothing else: returned 100, unfunded 200,
    # own_money_share 1.0, own_money_share_of_receipts 1/3
    led = ledger(
        deal("inv", "v", "c", 100, "2025-01-01", "equity_investment"),
        deal("buy", "c", "v", 300, "2025-02-01", "purchase_commitment"),
    )
    r = own_money_share(led, "v", outside="none")
    assert r.network_receipts == pytest.approx(300)
    assert r.returned == pytest.approx(100)
    assert r.unfunded == pytest.approx(200)
    assert r.own_money_share == pytest.approx(1.0)
    assert r.own_money_share_of_receipts == pytest.approx(1 / 3)
    assert r.earmarked.own_money_share == pytest.approx(1.0)
    s = r.summary()
    assert s["own_money_share"] == pytest.approx(1.0)
    assert s["own_money_share_of_receipts"] == pytest.approx(1 / 3)
    assert s["returned"] == pytest.approx(100)
    assert s["unfunded"] == pytest.approx(200)
    assert s["view"].startswith("static")
    # the earmarked view: legs tie the investment to the purchase; 100 earmarked, C's other 200 unfunded
    led2 = ledger(
        deal("inv", "v", "c", 100, "2025-01-01", "equity_investment", legs=["buy"]),
        deal("buy", "c", "v", 300, "2025-02-01", "purchase_commitment"),
    )
    e = own_money_share(led2, "v", outside="none").earmarked
    assert (e.earmarked, e.returned, e.unfunded) == (pytest.approx(100), pytest.approx(100), pytest.approx(200))
    assert e.own_money_share == pytest.approx(1.0)
    assert e.own_money_share_of_receipts == pytest.approx(1 / 3)


def test_outside_money_at_the_customer_funds_part_of_the_over_commitment():
    # as the issue example, with 50 of outside money at C: T_C = 300, h_C = 1; receipts of V: 100 returned,
    # 50 outside, 150 unfunded; own-money share 100/150, of receipts 1/3
    led = ledger(
        deal("inv", "v", "c", 100, "2025-01-01", "equity_investment"),
        deal("buy", "c", "v", 300, "2025-02-01", "purchase_commitment"),
    )
    r = own_money_share(led, "v", outside="none", external={"c": 50})
    assert r.returned == pytest.approx(100)
    assert r.unfunded == pytest.approx(150)
    assert r.own_money_share == pytest.approx(2 / 3)
    assert r.own_money_share_of_receipts == pytest.approx(1 / 3)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {
        ("v", "returned"): pytest.approx(100),
        ("c", "outside"): pytest.approx(50),
        ("c", "unfunded"): pytest.approx(150),
    }


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
    # => h_A = 7/12, h_B = 31/36; V sends 100, of which 100 * 7/12 = 175/3 comes back. V receives only 70 and pays
    # 100: its payments are funded 70/100, so returned = 0.7 * 175/3 = 245/6 and V's own unfunded promise coming
    # back is 0.3 * 175/3 = 35/2. Receipts 70 = 245/6 + 35/2 + 35/3 (outside at A).
    # own-money share = (245/6) / (70 - 35/2) = 7/9; of receipts (245/6) / 70 = 7/12
    # (the phantom-funds definition counted all 175/3 as V's money: 5/6)
    r = own_money_share(two_paths_with_inner_loop(), "v", outside="none", external={"a": 20})
    assert r.network_receipts == pytest.approx(70)
    assert r.returned == pytest.approx(245 / 6)
    assert r.unfunded == pytest.approx(35 / 2)
    assert r.own_money_share == pytest.approx(7 / 9)
    assert r.own_money_share_of_receipts == pytest.approx(7 / 12)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {
        ("v", "returned"): pytest.approx(245 / 6),
        ("v", "unfunded"): pytest.approx(35 / 2),
        ("a", "outside"): pytest.approx(35 / 3),
    }
    assert sum(origins.values()) == pytest.approx(r.network_receipts)
    # simple cycles (times V's funded share 0.7): V->A->B->V carries 0.7 * 100 * 3/7 * 2/3 = 20,
    # V->A->V 0.7 * 100 * 30/140 = 15; walks round the inner A<->B loop carry the rest: 245/6 - 35 = 35/6
    assert [(p.path, p.amount) for p in r.paths] == [
        (("v", "a", "b"), pytest.approx(20)),
        (("v", "a"), pytest.approx(15)),
    ]
    assert r.other_paths == pytest.approx(35 / 6)
    # with paths of at most 2 parties only the direct loop is listed; the rest moves to other_paths
    r2 = own_money_share(two_paths_with_inner_loop(), "v", outside="none", external={"a": 20}, max_len=2)
    assert [p.path for p in r2.paths] == [("v", "a")]
    assert r2.other_paths == pytest.approx(245 / 6 - 15)


def test_trace_of_an_intermediate_party():
    # target B absorbs; its ancestors are A and V.  T_A = 100 + 20 + 20 (outside) = 140; V receives 70 and pays 100,
    # so 30 unfunded and T_V = 100.  h_A = 60/140 + 30/140 h_V, h_V = h_A  =>  h_A = h_V = 6/11.
    # B's own money returns along B->A (20) and B->V (40): 60 * 6/11 = 360/11 of its 60 of receipts; V's unfunded
    # 30 reaches B in the share 6/11: 180/11. Own-money share (360/11) / (60 - 180/11) = 3/4, of receipts 6/11.
    r = own_money_share(two_paths_with_inner_loop(), "b", outside="none", external={"a": 20})
    assert r.network_receipts == pytest.approx(60)
    assert r.returned == pytest.approx(360 / 11)
    assert r.unfunded == pytest.approx(180 / 11)
    assert r.own_money_share == pytest.approx(3 / 4)
    assert r.own_money_share_of_receipts == pytest.approx(6 / 11)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {
        ("b", "returned"): pytest.approx(360 / 11),
        ("v", "unfunded"): pytest.approx(180 / 11),
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
    # B keeps half of what it receives: 50 of V's 100 comes back, and that is all V receives. V pays 100 with only
    # 50 that can reach it: half of its payment is unfunded, so 25 returned and 25 of V's own unfunded promise
    # (the phantom-funds definition counted all 50 as returned)
    led = ledger(deal("x", "v", "a", 100), deal("y", "a", "b", 100), deal("z", "b", "v", 50))
    r = own_money_share(led, "v", outside="none")
    assert r.returned == pytest.approx(25)
    assert r.unfunded == pytest.approx(25)
    assert r.own_money_share == pytest.approx(1.0)
    assert r.own_money_share_of_receipts == pytest.approx(0.5)


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
    assert by["v"].own_money_share == pytest.approx(7 / 9)
    assert by["b"].own_money_share == pytest.approx(3 / 4)
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


# ---------------------------------------------------------------------------------------------------- time
def test_respect_time_money_cannot_return_before_it_left():
    # C buys 150 from V on 1 Jan with its 100 of outside money; V invests 100 in C only on 1 Mar. The static view
    # traces 75 back to V (50%); respecting dates nothing returns: C's 1 Jan payment is 100 outside + 50 unfunded
    led = ledger(
        deal("buy", "c", "v", 150, "2025-01-01", "hardware_purchase"),
        deal("inv", "v", "c", 100, "2025-03-01", "equity_investment"),
    )
    static = own_money_share(led, "v", outside="none", external={"c": 100, "v": 1000})
    assert static.own_money_share == pytest.approx(0.5)
    assert static.summary()["view"].startswith("static (dates ignored; the default)")
    r = own_money_share(led, "v", outside="none", external={"c": 100, "v": 1000}, respect_time=True)
    assert r.summary()["respect_time"] is True
    assert r.view.startswith("time-respecting")
    assert r.returned == 0
    assert r.unfunded == pytest.approx(50)
    assert r.own_money_share == pytest.approx(0.0)
    assert r.own_money_share_of_receipts == pytest.approx(0.0)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("c", "outside"): pytest.approx(100), ("c", "unfunded"): pytest.approx(50)}


def test_respect_time_balances_carry_their_origin_between_dates():
    # V has 1000 outside; A has 100 outside.
    # 2024-12-01 A -> V 40 (A's outside money): V gets 40 outside; A keeps 60 outside
    # 2025-01-01 V -> A 100: A holds 60 outside + 100 of V's money
    # 2025-02-01 A -> B 50 from a pool of 160: 31.25 of V's money, 18.75 outside; A keeps the rest
    # 2025-03-01 B -> V 50: 31.25 returned, 18.75 outside.  V's receipts 90: 31.25 returned, 58.75 outside.
    # The static view: T_A = 200, h_A = (40 + 50)/200 = 0.45, returned 45.
    led = ledger(
        deal("av", "a", "v", 40, "2024-12-01", "hardware_purchase"),
        deal("va", "v", "a", 100, "2025-01-01", "equity_investment"),
        deal("ab", "a", "b", 50, "2025-02-01", "service_fee"),
        deal("bv", "b", "v", 50, "2025-03-01", "hardware_purchase"),
    )
    ext = {"v": 1000, "a": 100}
    assert own_money_share(led, "v", outside="none", external=ext).returned == pytest.approx(45)
    r = own_money_share(led, "v", outside="none", external=ext, respect_time=True)
    assert r.returned == pytest.approx(31.25)
    assert r.unfunded == pytest.approx(0, abs=1e-9)
    assert r.own_money_share == pytest.approx(31.25 / 90)
    origins = {(o.origin, o.channel): o.amount for o in r.by_origin}
    assert origins == {("v", "returned"): pytest.approx(31.25), ("a", "outside"): pytest.approx(58.75)}
    assert r.paths == ()
    assert r.other_paths == pytest.approx(31.25)


def test_respect_time_on_one_date_equals_the_static_view():
    # every deal on the same date: the time-respecting replay is one simultaneous day, i.e. the static solve
    led = ledger(
        deal("va", "v", "a", 100, "2025-01-01", "equity_investment"),
        deal("av", "a", "v", 30, "2025-01-01", "hardware_purchase"),
        deal("ab", "a", "b", 60, "2025-01-01", "service_fee"),
        deal("ba", "b", "a", 20, "2025-01-01", "service_fee"),
        deal("bv", "b", "v", 40, "2025-01-01", "loan"),
    )
    for target in ("v", "a", "b"):
        s = own_money_share(led, target, outside="none", external={"a": 20})
        t = own_money_share(led, target, outside="none", external={"a": 20}, respect_time=True)
        assert t.returned == pytest.approx(s.returned)
        assert t.unfunded == pytest.approx(s.unfunded)
        assert {(o.origin, o.channel): pytest.approx(o.amount) for o in t.by_origin} == {
            (o.origin, o.channel): o.amount for o in s.by_origin
        }
    assert own_money_share(led, "v", outside="none", external={"a": 20}, respect_time=True).own_money_share == (
        pytest.approx(7 / 9)
    )


def test_provenance_respects_time_for_every_party():
    led = ledger(
        deal("buy", "c", "v", 150, "2025-01-01", "hardware_purchase"),
        deal("inv", "v", "c", 100, "2025-03-01", "equity_investment"),
    )
    allp = provenance(led, outside="none", external={"c": 100, "v": 1000}, respect_time=True)
    by = {r.entity: r for r in allp.rows}
    assert by["v"].returned == 0
    # C's money does come back: on 1 Jan C pays V 100 of its own money (and 50 unfunded); V then holds 1000 outside
    # + 150, and its 100 to C on 1 Mar carries C's money in the share 100/1150
    assert by["c"].returned == pytest.approx(100 * 100 / 1150)
    assert allp.summary()["view"].startswith("time-respecting")
    assert "unfunded" in allp.to_frame().columns


def test_lenders_and_investors_bring_outside_money_not_unfunded_promises():
    # L (a lender) lends C 100 with nothing in the network reaching it; V invests 50 in C; C buys 150 from V.
    # Under the financials policy a lender's payments beyond its receipts are outside money: C's pool is 150,
    # a third of it V's: returned 50, outside 100 (at L), nothing unfunded: 1/3 by both measures.
    # Under "none" L's loan is unfunded: returned 50 of 50 funded receipts (1.0), 1/3 of all receipts.
    from junkan.ledger import Entity

    led = ledger(
        deal("loan", "l", "c", 100, "2025-01-01", "loan"),
        deal("inv", "v", "c", 50, "2025-01-01", "equity_investment"),
        deal("buy", "c", "v", 150, "2025-02-01"),
        entities=[Entity(id="l", name="L", kind="lender")],
    )
    r = own_money_share(led, "v")
    assert r.returned == pytest.approx(50)
    assert r.unfunded == 0
    assert {(o.origin, o.channel): o.amount for o in r.by_origin} == {
        ("v", "returned"): pytest.approx(50),
        ("l", "outside"): pytest.approx(100),
    }
    assert r.own_money_share == pytest.approx(1 / 3)
    n = own_money_share(led, "v", outside="none")
    assert (n.unfunded, n.own_money_share, n.own_money_share_of_receipts) == (
        pytest.approx(100),
        pytest.approx(1.0),
        pytest.approx(1 / 3),
    )


def test_returned_money_by_the_payer_that_carried_it_back():
    # two paths: of V's 245/6 returned, A's direct payment carries 15 (0.7 x 100 x 30/140) plus the inner-loop
    # walks that end on A -> V, B's carries the rest; both add up to the returned money.
    # x_A = 70 + (20/60) x_B, x_B = (60/140) x_A  =>  x_A = 70 / (1 - 1/7) = 245/3, x_B = 35;
    # via A: x_A x 30/140 = 17.5, via B: x_B x 40/60 = 70/3; total 245/6
    r = own_money_share(two_paths_with_inner_loop(), "v", outside="none", external={"a": 20})
    via = dict(r.returned_by_payer)
    assert via == {"a": pytest.approx(17.5), "b": pytest.approx(70 / 3)}
    assert sum(via.values()) == pytest.approx(r.returned)
    rows = {row["payer"]: row["returned"] for row in r.to_dict()["by_payer"]}
    assert rows == {"a": pytest.approx(17.5), "b": pytest.approx(70 / 3)}


# ---------------------------------------------------------------------------------------------------- double count
def _agg(did, payer, payee, amount, start, end, kind="hardware_purchase", tags=("aggregated",), when=None):
    """A deal with a schedule period (tagged ``aggregated`` unless ``tags`` says otherwise)."""
    import datetime as dt

    from _helpers import SRC
    from junkan.ledger import Amount, Deal, Schedule

    return Deal(
        id=did,
        date=dt.date.fromisoformat(when or end),
        kind=kind,
        payer=payer,
        payee=payee,
        amount=Amount(value=amount),
        schedule=Schedule(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end) if end else None),
        status="signed",
        confidence="high",
        sources=SRC,
        tags=list(tags),
    )


def double_count_ledger():
    """V's 2025 receipts: two aggregates (60 + 40 = 100) and named purchases, some inside 2025."""
    return ledger(
        _agg("agg-a", "grp-a", "v", 60, "2025-01-01", "2025-12-31"),
        _agg("agg-b", "grp-b", "v", 40, "2025-01-01", "2025-12-31"),
        deal("n1", "c", "v", 20, "2025-06-01", "hardware_purchase"),  # no schedule: received at its date, in 2025
        # 40 spread evenly over 2025-12-02..2026-01-30 (60 days), 30 of them (Dec 2-31) in 2025: 20 inside
        _agg("n2", "c", "v", 40, "2025-12-02", "2026-01-30", "purchase_commitment", tags=(), when="2025-11-01"),
        deal("n3", "c", "v", 50, "2026-03-01", "hardware_purchase"),  # after the period: in no reported revenue
        deal("eq", "c", "v", 10, "2025-06-01", "equity_investment"),  # not revenue: never netted
    )


def test_double_count_rule_hand_case():
    from junkan.flows import flow_graph

    led = double_count_ledger()
    g = flow_graph(led)
    amounts = {f.deal_id: f.amount for f in g.flows}
    # N = 20 (n1) + 40 x 30/60 (n2) = 40 of S = 100: every aggregate x (1 - 40/100) = 0.6
    assert amounts["agg-a"] == pytest.approx(36.0)
    assert amounts["agg-b"] == pytest.approx(24.0)
    assert (amounts["n1"], amounts["n2"], amounts["n3"], amounts["eq"]) == (20.0, 40.0, 50.0, 10.0)
    # all three bases are netted alike (signed deals: committed = headline, drawn 0)
    fa = next(f for f in g.flows if f.deal_id == "agg-a")
    assert (fa.headline, fa.committed, fa.drawn) == (pytest.approx(36.0), pytest.approx(36.0), 0.0)
    rec = {c.deal_id: c for c in g.containment}
    assert set(rec) == {"agg-a", "agg-b"}
    a = rec["agg-a"]
    assert (a.gross, a.contained, a.share, a.named_total, a.excess) == (
        60.0,
        pytest.approx(24.0),
        pytest.approx(0.6),
        pytest.approx(40.0),
        0.0,
    )
    assert dict(a.named) == {"n1": 1.0, "n2": pytest.approx(0.5)}
    # V's receipts: 60 in 2025 (aggregates) = 100 reported, plus n2's 20 in 2026, n3's 50 and the equity 10
    assert g.in_strength()["v"] == pytest.approx(36 + 24 + 20 + 40 + 50 + 10)
    inside = amounts["agg-a"] + amounts["agg-b"] + amounts["n1"] + 0.5 * amounts["n2"]
    assert inside == pytest.approx(100.0)  # the period's receipts are the aggregates' total, not 140
    # the recorded figures without the rule: the 40 counted twice
    g0 = flow_graph(led, net_aggregates=False)
    assert g0.containment == ()
    assert g0.in_strength()["v"] == pytest.approx(60 + 40 + 20 + 40 + 50 + 10)
    assert g.inputs()["net_aggregates"] is True and g0.inputs()["net_aggregates"] is False


def test_double_count_rule_floors_at_zero_and_reports_the_excess():
    from junkan.flows import flow_graph

    led = ledger(
        _agg("agg-a", "grp-a", "v", 60, "2025-01-01", "2025-12-31"),
        _agg("agg-b", "grp-b", "v", 40, "2025-01-01", "2025-12-31"),
        deal("n1", "c", "v", 150, "2025-06-01", "hardware_purchase"),
    )
    g = flow_graph(led)
    assert {f.deal_id: f.amount for f in g.flows} == {"agg-a": 0.0, "agg-b": 0.0, "n1": 150.0}
    assert {c.deal_id: c.excess for c in g.containment} == {"agg-a": 50.0, "agg-b": 50.0}
    assert "grp-a" not in g.parties  # a netted-out aggregate carries no money


def test_double_count_rule_keeps_the_contained_kinds_of_the_operating_kinds():
    from junkan.flows.cycles import OPERATING_KINDS
    from junkan.flows.graph import CONTAINED_KINDS

    assert CONTAINED_KINDS == OPERATING_KINDS


def test_double_count_rule_trace_hand_case():
    # V invests 30 in C, C buys 40 from V in 2025 (named), V's aggregate of 2025 is 100 (from outside customers X):
    # netted to 60, V's receipts are 100 (not 140). C has no outside money: all 40 of its purchase is V's 30 (funded)
    # and 10 unfunded. returned 30 of funded receipts 90 (100 - 10 unfunded): 1/3; of receipts 30/100.
    from junkan.ledger.schema import EntityKind

    led = ledger(
        _agg("agg", "x", "v", 100, "2025-01-01", "2025-12-31"),
        deal("inv", "v", "c", 30, "2025-02-01", "equity_investment"),
        deal("buy", "c", "v", 40, "2025-03-01", "hardware_purchase"),
    )
    led.entities["x"] = led.entities["x"].model_copy(update={"kind": EntityKind.customers})
    r = own_money_share(led, "v")
    assert r.network_receipts == pytest.approx(100.0)
    assert r.returned == pytest.approx(30.0)
    assert r.unfunded == pytest.approx(10.0)
    assert r.own_money_share == pytest.approx(30 / 90)
    assert r.own_money_share_of_receipts == pytest.approx(0.3)


def test_bundled_nvidia_receipts_equal_reported_revenue_not_more():
    import datetime as dt

    import junkan
    from junkan.flows import flow_graph

    led = junkan.load("ai-compute")
    g = flow_graph(led)
    flows = {f.deal_id: f for f in g.flows}
    periods: dict[tuple, list] = {}
    for c in g.containment:
        if c.payee == "nvidia":
            periods.setdefault((c.start, c.end), []).append(c)
    assert len(periods) == 4  # FY2024, FY2025, FY2026, Q1 FY2027
    for recs in periods.values():
        assert all(c.excess == 0 for c in recs)
        gross = sum(c.gross for c in recs)
        net = sum(flows[c.deal_id].amount for c in recs)
        named = sum(flows[d].amount * x for d, x in recs[0].named)
        # receipts inside the period (netted aggregates + the named purchases' parts in it) = the aggregates' total
        assert net + named == pytest.approx(gross, rel=1e-12)
    fy2026 = periods[(dt.date(2025, 1, 27), dt.date(2026, 1, 25))]
    assert {"oracle-nvda-40b-2025", "spv-nvda-gpus-2025"} <= {d for d, _ in fy2026[0].named}
    # and the aggregates' total of each fiscal year is NVIDIA's reported revenue
    fy = {c.end: sum(x.gross for x in periods[(c.start, c.end)]) for c in g.containment if c.payee == "nvidia"}
    for end, total in fy.items():
        rev = [f for f in led.financials if f.entity == "nvidia" and f.metric == "revenue" and f.period_end == end]
        assert any(total == pytest.approx(f.value, rel=1e-3) for f in rev)
    # so NVIDIA's receipts are the recorded ones less the named money counted twice
    g0 = flow_graph(led, net_aggregates=False)
    contained = sum(c.contained for c in g.containment if c.payee == "nvidia")
    assert contained > 0
    assert g.in_strength()["nvidia"] == pytest.approx(g0.in_strength()["nvidia"] - contained, rel=1e-12)
