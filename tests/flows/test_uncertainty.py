"""Intervals for what is undisclosed: the amount laws, the batched solve against the exact one, hand intervals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from _helpers import SRC, deal, ledger
from junkan.flows import circularity, find_cycles, flow_graph, own_money_share, provenance
from junkan.flows.provenance import outside_inflows
from junkan.flows.uncertainty import _sample, amount_law, share_draws, shares_batched
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
