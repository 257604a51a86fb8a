"""Cycles: enumeration with a cycle inside a cycle, time-respecting rotations and windows, patterns, bottlenecks."""

from __future__ import annotations

import datetime as dt

import pytest

from _helpers import deal, ledger
from junkan.errors import JunkanInputError
from junkan.flows import find_cycles
from junkan.flows.cycles import pattern_labels, time_witness
from junkan.flows.graph import flow_graph
from junkan.ledger import Entity
from junkan.ledger.schema import DealKind


def nested():
    """V<->A (a loop), A<->B (a loop inside), V->A->B->V (the outer cycle)."""
    return ledger(
        deal("va", "v", "a", 100, "2025-01-01", "equity_investment", committed=100, drawn=25),
        deal("av", "a", "v", 30, "2024-06-01", "hardware_purchase", committed=30, drawn=30),
        deal("ab", "a", "b", 60, "2025-02-01", "service_fee"),
        deal("ba", "b", "a", 20, "2024-12-01", "service_fee"),
        deal("bv", "b", "v", 40, "2025-03-01", "loan", drawn=10),
    )


def test_all_cycles_with_bottlenecks_and_patterns():
    res = find_cycles(nested())
    got = [(c.parties, c.bottleneck, c.pattern) for c in res.cycles]
    assert got == [
        (("a", "b", "v"), 40.0, "vendor_financing"),  # min(60, 40, 100); loan + equity + fee
        (("a", "v"), 30.0, "equity_for_purchase"),  # min(30, 100)
        (("a", "b"), 20.0, "round_trip_swap"),  # service fees both ways
    ]
    outer = res.cycles[0]
    assert outer.labels == ("vendor_financing", "equity_for_purchase")
    assert outer.deals == ("ab", "bv", "va")
    # committed vs drawn at the bottleneck: committed min(60, 40, 100) = 40, drawn min(0, 10, 25) = 0
    assert outer.bottleneck_committed == 40
    assert outer.bottleneck_drawn == 0
    assert outer.drawn_share == 0
    loop = res.cycles[1]
    assert loop.bottleneck_drawn == 25  # min(30 drawn, 25 drawn)
    assert loop.drawn_share == pytest.approx(25 / 30)
    s = res.summary()
    assert s["cycles"] == 3
    assert s["cycle_volume"] == 90
    assert s["by_length"] == {"2": 2, "3": 1}


def test_time_respecting_and_window():
    res = find_cycles(nested())
    tr = {c.parties: (c.time_respecting, c.time_path, c.time_span_days) for c in res.cycles}
    # outer: va (Jan 1) -> ab (Feb 1) -> bv (Mar 1), 59 days
    assert tr[("a", "b", "v")] == (True, ("va", "ab", "bv"), 59)
    # loop V<->A: av (2024-06-01) then va (2025-01-01): 214 days
    assert tr[("a", "v")] == (True, ("av", "va"), 214)
    assert tr[("a", "b")] == (True, ("ba", "ab"), 62)
    windowed = find_cycles(nested(), window_days=100)
    assert [c.parties for c in windowed.time_respecting] == [("a", "b", "v"), ("a", "b")]
    assert windowed.summary()["time_respecting_volume"] == 60


def test_cycle_whose_dates_run_backwards_is_not_time_respecting():
    led = ledger(
        deal("x", "v", "a", 100, "2025-01-01"),
        deal("y", "a", "b", 100, "2025-03-01"),
        deal("z", "b", "v", 100, "2025-02-01"),
    )
    (c,) = find_cycles(led).cycles
    assert not c.time_respecting
    assert c.time_path == ()
    assert c.time_span_days is None


def test_time_witness_picks_deals_across_rotations_and_parallel_deals():
    led = ledger(
        deal("x1", "v", "a", 10, "2025-05-01"),
        deal("x2", "v", "a", 10, "2025-01-10"),
        deal("y", "a", "b", 10, "2025-02-01"),
        deal("z1", "b", "v", 10, "2025-01-01"),
        deal("z2", "b", "v", 10, "2025-06-01"),
    )
    g = flow_graph(led)
    e = g.edges()
    # starting at V: x2 (Jan 10) -> y (Feb 1) -> z2 (Jun 1): 142 days; starting at B: z1 (Jan 1) -> x2 -> y: 31 days
    w = time_witness([e[("v", "a")], e[("a", "b")], e[("b", "v")]])
    assert w is not None
    assert [f.deal_id for f in w[0]] == ["z1", "x2", "y"]
    assert w[1] == 31
    assert time_witness([e[("v", "a")], e[("a", "b")], e[("b", "v")]], window_days=30) is None
    (c,) = find_cycles(led).cycles
    assert c.edges[0].deals == ("y",)
    assert c.bottleneck == 10  # a->b carries 10; v->a and b->v carry 20 each


def test_pattern_rules():
    assert pattern_labels({DealKind.capacity_swap, DealKind.equity_investment}) == (
        "round_trip_swap",
        "equity_for_purchase",
    )
    assert pattern_labels({DealKind.capacity_backstop, DealKind.hardware_purchase})[0] == "capacity_backstop"
    # a lease-back: the lease rule comes first; every deal is an operating payment, so round_trip_swap also applies
    assert pattern_labels({DealKind.lease, DealKind.hardware_purchase}) == ("spv_lease", "round_trip_swap")
    assert pattern_labels({DealKind.hardware_purchase}, has_spv=True) == ("spv_lease", "round_trip_swap")
    assert pattern_labels({DealKind.cloud_credits, DealKind.purchase_commitment}) == ("in_kind_credits",)
    assert pattern_labels({DealKind.gpu_backed_debt, DealKind.lease})[0] == "spv_lease"
    assert pattern_labels({DealKind.hardware_purchase, DealKind.service_fee}) == ("round_trip_swap",)


def test_spv_entity_kind_gives_spv_lease():
    led = ledger(
        deal("x", "nv", "spv", 10, kind="equity_investment"),
        deal("y", "spv", "nv", 10, kind="hardware_purchase"),
        entities=[Entity(id="spv", name="GPU SPV", kind="spv")],
    )
    (c,) = find_cycles(led).cycles
    assert c.pattern == "spv_lease"
    assert c.labels == ("spv_lease", "equity_for_purchase")


def test_max_len_and_natures_and_basis():
    led = nested()
    assert [c.length for c in find_cycles(led, max_len=2).cycles] == [2, 2]
    # without credit flows the outer cycle (it needs the loan B->V) disappears
    assert [c.parties for c in find_cycles(led, natures="cash,equity").cycles] == [("a", "v"), ("a", "b")]
    # drawn basis: only drawn money forms edges: va 25, av 30, bv 10 -> only V<->A remains, bottleneck 25
    drawn = find_cycles(led, basis="drawn")
    assert [(c.parties, c.bottleneck) for c in drawn.cycles] == [(("a", "v"), 25.0)]
    assert drawn.summary()["basis"] == "drawn"


def test_as_of_and_since_filter_by_date():
    led = nested()
    assert [c.parties for c in find_cycles(led, as_of=dt.date(2025, 1, 31)).cycles] == [("a", "v")]
    assert [c.parties for c in find_cycles(led, since=dt.date(2025, 1, 1)).cycles] == [("a", "b", "v")]
    assert find_cycles(led, since=dt.date(2025, 1, 2)).cycles == ()


def test_empty_and_acyclic_networks_get_notes():
    led = ledger(deal("x", "a", "b", 10), deal("y", "b", "c", 5))
    res = find_cycles(led)
    assert res.cycles == ()
    assert "no cycle" in res.notes[0]
    empty = find_cycles(led, basis="drawn")
    assert empty.parties == 0
    assert "empty" in empty.notes[0]
    assert empty.to_frame().empty


def test_bad_options():
    led = nested()
    with pytest.raises(JunkanInputError, match="max-len"):
        find_cycles(led, max_len=1)
    with pytest.raises(JunkanInputError, match="unknown flow nature"):
        find_cycles(led, natures="cash,bogus")
    with pytest.raises(JunkanInputError, match="unknown basis"):
        find_cycles(led, basis="paid")
    with pytest.raises(JunkanInputError, match="after"):
        find_cycles(led, as_of=dt.date(2024, 1, 1), since=dt.date(2025, 1, 1))


def test_cancelled_deals_are_left_out_unless_asked():
    led = ledger(deal("x", "a", "b", 10), deal("y", "b", "a", 5, status="cancelled"))
    assert find_cycles(led).cycles == ()
    assert len(find_cycles(led, include_cancelled=True).cycles) == 1


def test_to_dict_is_json_ready():
    import json

    doc = find_cycles(nested()).to_dict()
    json.dumps(doc)
    assert doc["cycles"][0]["edges"][0] == {
        "payer": "a",
        "payee": "b",
        "deals": ["ab"],
        "kinds": ["service_fee"],
        "amount": 60.0,
        "committed": 60.0,
        "drawn": 0.0,
        "first_date": "2025-02-01",
        "last_date": "2025-02-01",
    }
