"""Intervals for what is undisclosed: the amount laws, the batched solve against the exact one, hand intervals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from _helpers import SRC, deal, fin, ledger
from junkan.flows import circularity, find_cycles, flow_graph, own_money_share, provenance
from junkan.flows.provenance import outside_inflows
from junkan.flows.uncertainty import (
    _sample,
    amount_law,
    deal_draws,
    impose_sum,
    reconstruction_margins,
    share_draws,
    shares_batched,
)
from junkan.ledger import Amount, Deal


def ranged(did, payer, payee, low=None, high=None, value=None, when="2025-01-01", kind="equity_investment", **kw):
    """A deal whose amount is a range (``value`` optional)."""
    return Deal(
        id=did,
        date=dt.date.fromisoformat(when),
        kind=kind,
        payer=payer,
        payee=payee,
        amount=Amount(value=value, low=low, high=high, **kw),
        status="signed",
        confidence="medium",
        sources=SRC,
    )


def test_amount_laws():
    assert amount_law("a", Amount(value=10)).rule == "fixed"
    r = amount_law("a", Amount(low=50, high=150))
    assert (r.rule, r.low, r.high, r.rate) == ("range", 50, 150, 0.0)
    u = amount_law("a", Amount(value=100, high=100, up_to=True))
    assert (u.rule, u.low, u.high, u.rate) == ("up_to", 1.0, 100, 0.0)  # lower bound floored at 1% of the ceiling
    assert (amount_law("a", Amount(low=10)).rule, amount_law("a", Amount(low=10)).high) == ("at_least", 20)
    e = amount_law("a", Amount(value=8, estimate=True))
    assert (e.rule, e.low, e.high) == ("estimate", 4, 12)
    # a value inside a range: the maximum-entropy law with that mean (truncated exponential)
    m = amount_law("a", Amount(value=80, low=50, high=150))
    assert m.rule == "range_value" and m.rate < 0
    x = _sample(np.random.default_rng(0), 200_000, m.low, m.high, m.rate)
    assert x.min() >= 50 and x.max() <= 150
    assert x.mean() == pytest.approx(80, rel=2e-3)
    y = _sample(np.random.default_rng(0), 200_000, 50, 150, amount_law("a", Amount(value=130, low=50, high=150)).rate)
    assert y.mean() == pytest.approx(130, rel=2e-3)


def two_paths():
    return ledger(
        deal("va", "v", "a", 100, "2025-01-01", "equity_investment"),
        deal("av", "a", "v", 30, "2025-01-15", "hardware_purchase"),
        deal("ab", "a", "b", 60, "2025-02-01", "service_fee"),
        deal("ba", "b", "a", 20, "2024-12-01", "service_fee"),
        deal("bv", "b", "v", 40, "2025-03-01", "loan"),
    )


def test_batched_solve_equals_the_exact_trace():
    led = two_paths()
    g = flow_graph(led)
    out = outside_inflows(led, g, policy="none", external={"a": 20})
    keys = sorted(g.edge_amounts())
    src = np.array([g.index[a] for a, _ in keys])
    dst = np.array([g.index[b] for _, b in keys])
    w = np.array([[g.edge_amounts()[k] for k in keys]] * 3)
    rec, ret, unf = shares_batched(g.parties, src, dst, w, np.array([out[p] for p in g.parties]))
    exact = {r.entity: r for r in provenance(led, outside="none", external={"a": 20}).rows}
    for p, r in exact.items():
        j = g.index[p]
        assert rec[:, j] == pytest.approx([r.network_receipts] * 3)
        assert ret[:, j] == pytest.approx([r.returned] * 3, rel=1e-9)
        assert unf[:, j] == pytest.approx([r.unfunded] * 3, rel=1e-9, abs=1e-9)
    assert exact["v"].returned == pytest.approx(245 / 6)  # the hand value of test_provenance
    # a disclosed ledger has no uncertain amount: every draw is the point figure
    sd = share_draws(led, g, out, n=5, seed=1)
    assert sd.rules == {}
    assert sd.own_money_share[:, g.index["v"]] == pytest.approx([7 / 9] * 5)


def test_own_money_interval_of_a_range_investment():
    # V invests between 50 and 150 (undisclosed within the range: uniform); C buys 150 from V; nothing else.
    # Whatever x V invests comes back whole and the rest of C's 150 is unfunded: own-money share 1 in every draw,
    # of receipts x / 150 uniform on [1/3, 1]: p5 = 1/3 + 0.05 * 2/3, p95 = 1/3 + 0.95 * 2/3
    led = ledger(ranged("inv", "v", "c", low=50, high=150), deal("buy", "c", "v", 150, "2025-02-01"))
    r = own_money_share(led, "v", outside="none", uncertainty=4000, seed=3)
    assert r.intervals is not None
    assert r.intervals["own_money_share_interval"] == [pytest.approx(1.0), pytest.approx(1.0)]
    lo, hi = r.intervals["own_money_share_of_receipts_interval"]
    assert lo == pytest.approx(1 / 3 + 0.05 * 2 / 3, abs=0.01)
    assert hi == pytest.approx(1 / 3 + 0.95 * 2 / 3, abs=0.01)
    assert r.summary()["own_money_share_interval"] == r.intervals["own_money_share_interval"]
    assert r.inputs["uncertainty"] == 4000 and r.inputs["seed"] == 3
    again = own_money_share(led, "v", outside="none", uncertainty=4000, seed=3)
    assert again.intervals == r.intervals
    # the same interval in the time-respecting view (the investment comes first; V needs money of its own when it
    # invests, else its payment is unfunded in that view), and for every party
    t = own_money_share(led, "v", outside="none", external={"v": 1000}, uncertainty=500, seed=3, respect_time=True)
    assert t.intervals["own_money_share_of_receipts_interval"][0] == pytest.approx(0.3667, abs=0.03)
    assert t.intervals["own_money_share_of_receipts_interval"][1] == pytest.approx(0.9667, abs=0.03)
    allp = provenance(led, outside="none", uncertainty=500, seed=3)
    assert "own_money_share_p95" in allp.to_frame().columns
    assert allp.summary()["seed"] == 3


def test_index_and_bottleneck_intervals():
    # the 3-cycle with a tail (index 0.6 at c -> a = 4) with c -> a anywhere in [2, 6]: index 3x / (16 + x),
    # increasing in x: p5 at x = 2.2 (0.3626), p95 at x = 5.8 (0.7982); the cycle's bottleneck is x itself
    led = ledger(
        deal("ab", "a", "b", 6, "2024-02-01"),
        deal("bc", "b", "c", 6, "2024-05-01"),
        ranged("ca", "c", "a", low=2, high=6, when="2025-03-01"),
        deal("ta", "t", "a", 2, "2025-08-01"),
        deal("cs", "c", "s", 2, "2025-09-01"),
    )
    r = circularity(led, uncertainty=300, seed=5)
    lo, hi = r.index_interval
    assert lo == pytest.approx(6.6 / 18.2, abs=0.03)
    assert hi == pytest.approx(17.4 / 21.8, abs=0.03)
    assert r.to_dict()["index_interval"] == [lo, hi]
    assert r.summary()["seed"] == 5
    c = find_cycles(led, uncertainty=2000, seed=5)
    (iv,) = c.bottleneck_intervals
    assert iv[0] == pytest.approx(2.2, abs=0.05) and iv[1] == pytest.approx(5.8, abs=0.05)
    assert c.to_dict()["cycles"][0]["bottleneck_interval"] == list(iv)
    assert c.summary()["cycle_volume_interval"] == list(iv)


# ---------------------------------------------------------------------------------------------------- margins
def scheduled(did, payer, payee, low, high, start="2025-01-01", end="2025-12-31", tags=("aggregated",), **kw):
    """A ranged deal with a schedule period (an aggregate of the payee's receipts unless ``tags`` says otherwise)."""
    from junkan.ledger import Schedule

    return Deal(
        id=did,
        date=dt.date.fromisoformat(end),
        kind="hardware_purchase",
        payer=payer,
        payee=payee,
        amount=Amount(low=low, high=high, **kw),
        schedule=Schedule(start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)),
        status="signed",
        confidence="medium",
        sources=SRC,
        tags=list(tags),
    )


def revenue_ledger(revenue=100.0, uncovered=True):
    """V's 2025 receipts: two aggregates, A in [40, 80] and B in [20, 60], and V's reported 2025 revenue."""
    deals = [scheduled("a", "grp-a", "v", 40, 80), scheduled("b", "grp-b", "v", 20, 60)]
    if uncovered:
        deals.append(ranged("inv", "v", "c", low=50, high=150))  # covered by no margin
    return ledger(*deals, financials=[fin("v", "revenue", revenue, "FY2025", "2025-12-31")])


def test_impose_sum_hand_cases():
    # scaled by a common factor: 50 + 30 = 80 -> 100 is x 1.25
    x = np.array([[50.0, 30.0]])
    assert impose_sum(x, np.array([0, 1]), np.array([40.0, 20.0]), np.array([80.0, 60.0]), 100, 100) == 1
    assert x.tolist() == [[62.5, 37.5]]
    # clipped and redistributed: 70 + 30 -> 150 is x 1.5 = 105 + 45; A clips at 75, B takes the other 75
    x = np.array([[70.0, 30.0]])
    impose_sum(x, np.array([0, 1]), np.array([40.0, 20.0]), np.array([75.0, 80.0]), 150, 150)
    assert x.tolist() == [[75.0, 75.0]]
    # inside the interval: untouched; infeasible (200 > 80 + 60): every deal at its upper bound
    x = np.array([[50.0, 30.0], [70.0, 30.0]])
    assert impose_sum(x, np.array([0, 1]), np.array([40.0, 20.0]), np.array([80.0, 60.0]), 90, 110) == 1
    assert x.tolist() == [[62.5 * 0.9, 37.5 * 0.9], [70.0, 30.0]]
    impose_sum(x, np.array([0, 1]), np.array([40.0, 20.0]), np.array([80.0, 60.0]), 200, 200)
    assert x.tolist() == [[80.0, 60.0], [80.0, 60.0]]


def test_two_uncertain_deals_covered_by_one_margin_sum_to_it():
    led = revenue_ledger()
    g = flow_graph(led)
    (m,) = reconstruction_margins(led, g)
    assert (m.id, m.kind, m.entity, m.status) == ("revenue:v:FY2025", "revenue", "v", "binding")
    assert (m.low, m.high) == (pytest.approx(99.5), pytest.approx(100.5))  # revenue +-0.5%
    assert (m.fixed, m.range_low, m.range_high) == (0.0, 60.0, 140.0)
    assert m.deals == ("a", "b") and m.uncertain == ("a", "b") and m.source == "https://example.org/test"
    dd = deal_draws(led, g, 2000, 7)
    ia, ib, iv = (dd.deal_ids.index(k) for k in ("a", "b", "inv"))
    amt = {f.deal_id: f.amount for f in g.money_flows}
    a, b = dd.factors[:, ia] * amt["a"], dd.factors[:, ib] * amt["b"]
    assert np.all(a + b >= 99.5 - 1e-9) and np.all(a + b <= 100.5 + 1e-9)
    assert a.min() >= 40 - 1e-9 and a.max() <= 80 + 1e-9 and b.min() >= 20 - 1e-9 and b.max() <= 60 + 1e-9
    # independent uniform draws fall in the band [99.5, 100.5] with probability about 1/40 (A + B is triangular on
    # [60, 140] with density 1/40 at 100, the band is 1 wide): nearly all are moved
    assert dd.margins[0].draws_adjusted is not None and dd.margins[0].draws_adjusted > 1900
    # the uncovered deal keeps exactly the draws it has without the margins (same seed)
    free = deal_draws(led, g, 2000, 7, margins=False)
    assert free.margins == ()
    assert np.array_equal(dd.factors[:, iv], free.factors[:, iv])
    assert not np.array_equal(dd.factors[:, ia], free.factors[:, ia])
    # a draw already inside the margin is left as it is
    raw = free.factors[:, ia] * amt["a"] + free.factors[:, ib] * amt["b"]
    inside = (raw >= 99.5) & (raw <= 100.5)
    assert 0 < inside.sum() == 2000 - dd.margins[0].draws_adjusted
    assert np.array_equal(dd.factors[inside][:, ia], free.factors[inside][:, ia])
    # share_draws records the margins it honoured
    sd = share_draws(led, g, outside_inflows(led, g, policy="none"), n=50, seed=7)
    assert [x.id for x in sd.margins] == ["revenue:v:FY2025"]


def test_an_infeasible_margin_is_reported_and_the_nearest_sum_used():
    led = revenue_ledger(revenue=200.0, uncovered=False)  # A + B is at most 140
    g = flow_graph(led)
    (m,) = reconstruction_margins(led, g)
    assert m.status == "infeasible"
    assert m.to_dict()["residual"] == [pytest.approx(199.0), pytest.approx(201.0)]
    assert m.to_dict()["range"] == [60.0, 140.0]
    dd = deal_draws(led, g, 100, 1)
    amt = {f.deal_id: f.amount for f in g.money_flows}
    assert dd.factors[:, dd.deal_ids.index("a")] * amt["a"] == pytest.approx([80.0] * 100)
    assert dd.factors[:, dd.deal_ids.index("b")] * amt["b"] == pytest.approx([60.0] * 100)
    assert dd.margins[0].draws_adjusted == 100


def test_backlog_share_margin_and_fixed_only_margins():
    from junkan.ledger import Financial

    share = Financial(
        entity="w",
        period="2025-09",
        period_end=dt.date(2025, 9, 30),
        metric="backlog_share",
        value=0.4,
        counterparty="k",
        estimate=True,
        confidence="medium",
        sources=SRC,
    )
    led = ledger(
        deal("k1", "k", "w", 10, "2025-03-01", "purchase_commitment"),
        ranged("k2", "k", "w", high=40, up_to=True, when="2025-06-01", kind="purchase_commitment"),
        deal("k3", "k", "w", 99, "2025-12-01", "purchase_commitment"),  # after the share's date: not covered
        financials=[fin("w", "backlog", 100, "Q3FY2025", "2025-09-30"), share],
    )
    g = flow_graph(led)
    ms = {m.id: m for m in reconstruction_margins(led, g)}
    bs = ms["backlog_share:w:k:2025-09"]
    # 40% of the backlog of 100, within +-10% (an estimate): [36, 44]; k1's 10 is fixed: k2 must be in [26, 34]
    assert (bs.low, bs.high, bs.fixed, bs.residual) == (pytest.approx(36), pytest.approx(44), 10.0, (26.0, 34.0))
    assert bs.deals == ("k1", "k2") and bs.status == "binding"
    bl = ms["backlog:w:Q3FY2025"]  # contracts of the year to the backlog's date are at most the backlog
    assert (bl.low, bl.high, bl.deals, bl.status) == (0.0, 100.0, ("k1", "k2"), "slack")
    dd = deal_draws(led, g, 500, 2)
    k2 = dd.factors[:, dd.deal_ids.index("k2")] * 40
    assert k2.min() >= 26 - 1e-9 and k2.max() <= 34 + 1e-9
    # a margin with only fixed figures is checked, not imposed
    fixed = ledger(
        deal("k1", "k", "w", 10, "2025-03-01", "purchase_commitment"),
        financials=[fin("w", "backlog", 100, "Q3FY2025", "2025-09-30"), share],
    )
    fm = {m.id: m.status for m in reconstruction_margins(fixed, flow_graph(fixed))}
    assert fm == {"backlog_share:w:k:2025-09": "inconsistent", "backlog:w:Q3FY2025": "consistent"}


def test_bundled_draws_respect_every_margin():
    import junkan

    led = junkan.load("ai-compute")
    g = flow_graph(led)
    dd = deal_draws(led, g, 300, 42)
    kinds = {m.kind for m in dd.margins}
    assert {"revenue", "backlog_share", "backlog", "purchase_obligations"} <= kinds
    assert dd.gross is not None
    pos = {d: j for j, d in enumerate(dd.gross_ids)}
    for m in dd.margins:
        total = dd.gross[:, [pos[d] for d in m.deals]].sum(axis=1)
        if m.status == "infeasible":
            continue
        tol = 1e-9 * max(m.high, 1.0)
        assert np.all(total >= m.low - tol) and np.all(total <= m.high + tol), m.id
    # NVIDIA's fiscal 2025 receipts are its reported revenue in every draw (the two aggregates are ranges)
    m25 = next(m for m in dd.margins if m.id == "revenue:nvidia:FY2025")
    assert m25.status == "binding" and m25.value == pytest.approx(130.497e9)
    # OpenAI's CoreWeave contracts: Morgan Stanley's ~40% of the $55.6B backlog, so the two "up to" contracts
    # (11.9B and 6.5B) are near their ceilings in every draw
    crwv = next(m for m in dd.margins if m.id == "backlog_share:coreweave:openai:2025-09")
    ups = dd.gross[:, [pos[d] for d in crwv.uncertain]].sum(axis=1)
    assert ups.min() >= crwv.residual[0] - 1e-6


def test_cli_json_lists_the_margins(capsys):
    import json

    from _helpers import run_cli

    code, out, _ = run_cli(capsys, "trace", "nvidia", "--uncertainty", "20", "--seed", "1", "-f", "json")
    assert code == 0
    doc = json.loads(out)
    ids = {m["id"] for m in doc["margins"]}
    assert "revenue:nvidia:FY2026" in ids
    assert all({"status", "deals", "residual", "source"} <= set(m) for m in doc["margins"])
    code, out, _ = run_cli(capsys, "cycles", "--uncertainty", "5", "--null", "0", "-f", "json")
    assert code == 0
    assert "backlog_share:coreweave:openai:2025-09" in {m["id"] for m in json.loads(out)["margins"]}
    code, out, _ = run_cli(capsys, "cycles", "--null", "0", "-f", "json")
    assert code == 0 and "margins" not in json.loads(out)  # no draws, no margins


def test_conflicting_margins_are_reported_unresolved():
    # A in [1, 10] and B in [1, 10] add up to V's revenue of 15 (+-0.5%); a reported 2% share says A is 20% of V's
    # backlog of 10, about 2: then B would need about 13 > 10. Each margin is feasible alone, not both together.
    from junkan.ledger import Financial

    share = Financial(
        entity="v",
        period="2025-12",
        period_end=dt.date(2025, 12, 31),
        metric="backlog_share",
        value=0.2,
        counterparty="grp-a",
        confidence="high",
        sources=SRC,
    )
    led = ledger(
        scheduled("a", "grp-a", "v", 1, 10),
        scheduled("b", "grp-b", "v", 1, 10),
        financials=[
            fin("v", "revenue", 15, "FY2025", "2025-12-31"),
            fin("v", "backlog", 10, "Q4", "2025-12-31"),
            share,
        ],
    )
    g = flow_graph(led)
    static = {m.id: m.status for m in reconstruction_margins(led, g)}
    assert static == {"revenue:v:FY2025": "binding", "backlog_share:v:grp-a:2025-12": "binding"}
    after = {m.id: m.status for m in deal_draws(led, g, 50, 3).margins}
    # the share is imposed last and holds; the revenue margin cannot hold with it
    assert after == {"revenue:v:FY2025": "unresolved", "backlog_share:v:grp-a:2025-12": "binding"}
