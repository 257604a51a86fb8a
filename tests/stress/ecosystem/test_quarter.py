"""Hand-computed quarters: pay, shortfall, GPU fire sale with linear impact, default and Rogers-Veraart recovery
(cancellation switched off), then the same quarter with cancellation, and a capacity backstop over two quarters.

Set-up (tests/stress/ecosystem/helpers.py ``two_party``): A owes B 100 this quarter. A has cash 20, end revenue
40/4 = 10, costs 0.5 * 10 = 5, no funding, GPUs worth 40 that wear by 1/(4*25) = 1% this quarter -> 39.6 units at
index 1. B has fixed costs 40/4 = 10 and nothing else. Recovery alpha = 0.5, beta = 0.8, pro rata.

By hand:
* A is short 5 + 100 - (20 + 10) = 75; it sells min(75 / 1, 39.6) = 39.6 index-units. Linear impact
  (impact 1, depth 396): the index falls by the factor 1 - 39.6 / 396 = 0.9, so proceeds are 39.6 * 0.9 = 35.64 and
  the fire-sale loss is 39.6 * 0.1 = 3.96.
* A's outside assets 20 + 10 + 35.64 = 65.64 < 105 owed: A defaults. Rogers-Veraart: A realises 0.5 * 65.64 = 32.82
  and pays creditors pro rata, B's share being 100 / 105: p = 32.82 * 100 / 105 = 31.257142857142856.
* B receives 31.2571..., owes 10 outside: solvent with cash 21.257142857142856; its clearing loss is 100 - p.

These tests switch the ``cancel`` channel off (``_run`` does, unless told otherwise): the deal is a compute
purchase commitment, which A would otherwise scale down before defaulting (``test_cancellation_before_default``).
"""

from __future__ import annotations

import numpy as np
import pytest

from junkan.ledger.model import Ledger
from junkan.random import make_rng
from junkan.stress.ecosystem.assumptions import Assumptions
from junkan.stress.ecosystem.model import build_model, fire_sale, scenario_paths, simulate
from junkan.stress.ecosystem.scenarios import Scenario

from .helpers import assumptions_dict, deal, make_assumptions, party, two_party  # noqa: F401  (fixture)

P = 32.82 * 100 / 105


def _with_cash(a: Assumptions, name: str, value: float) -> Assumptions:
    """``a`` with party ``name``'s starting cash set to ``value``."""
    p = a.parties[name]
    cash = p.cash.model_copy(update={"value": value})
    return a.model_copy(update={"parties": {**a.parties, name: p.model_copy(update={"cash": cash})}})


def _run(ledger, a, **channels):
    m = build_model(ledger, a)
    paths = scenario_paths(m, Scenario(name="none"))
    return simulate(m, paths, 3, make_rng(0)[1], {"cancel": False} | channels)


def test_hand_computed_quarter(two_party):  # noqa: F811
    ledger, a = two_party
    out = _run(ledger, a)
    assert out.default_quarter.tolist() == [[0, -1]] * 3
    np.testing.assert_allclose(out.cash[:, 1], 21.257142857142856, rtol=1e-12)
    np.testing.assert_allclose(out.cash[:, 0], 0.0)
    np.testing.assert_allclose(out.losses["clearing"][:, 1], 100 - P, rtol=1e-12)
    np.testing.assert_allclose(out.losses["firesale"][:, 0], 3.96, rtol=1e-12)
    np.testing.assert_allclose(out.gpu_sold[:, 0], 35.64, rtol=1e-12)
    np.testing.assert_allclose(out.revenue[:, 1], P, rtol=1e-12)
    np.testing.assert_allclose(out.revenue[:, 0], 10.0, rtol=1e-12)
    np.testing.assert_allclose(out.gpu_index[:, 0], 1.0)
    np.testing.assert_allclose(out.reference_revenue, [10.0, 100.0])


def test_clearing_off_pays_creditors_in_full(two_party):  # noqa: F811
    ledger, a = two_party
    out = _run(ledger, a, clearing=False)
    assert out.default_quarter[0].tolist() == [0, -1]
    np.testing.assert_allclose(out.cash[:, 1], 90.0)  # 100 received - 10 costs
    np.testing.assert_allclose(out.losses["clearing"], 0.0)


def test_firesale_off_sells_at_the_index(two_party):  # noqa: F811
    ledger, a = two_party
    out = _run(ledger, a, firesale=False)
    np.testing.assert_allclose(out.gpu_sold[:, 0], 39.6, rtol=1e-12)
    np.testing.assert_allclose(out.losses["firesale"], 0.0)
    # A realises 0.5 * (30 + 39.6) = 34.8, B gets 100/105 of it
    np.testing.assert_allclose(out.cash[:, 1], 34.8 * 100 / 105 - 10, rtol=1e-12)


def test_enough_cash_means_no_default(two_party):  # noqa: F811
    ledger, a = two_party
    rich = _with_cash(a, "a", 200.0)
    out = _run(ledger, rich)
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.cash[:, 0], 200 + 10 - 5 - 100)
    np.testing.assert_allclose(out.cash[:, 1], 90.0)
    np.testing.assert_allclose(out.gpu_sold, 0.0)


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_recovery_alpha_moves_the_payment(two_party, alpha):  # noqa: F811
    ledger, a = two_party
    a2 = a.model_copy(update={"recovery": a.recovery.model_copy(update={"alpha": alpha})})
    out = _run(ledger, a2)
    paid = alpha * 65.64 * 100 / 105
    np.testing.assert_allclose(out.losses["clearing"][:, 1], 100 - paid, rtol=1e-12, atol=1e-12)
    assert out.default_quarter[0, 1] == (0 if paid < 10 else -1)


def test_cancellation_before_default(two_party):  # noqa: F811
    """With cancellation on, A scales its compute contract down instead of defaulting.

    A is short 75 after raising nothing and drawing nothing (no capex to defer). Its cancellable payments due this
    quarter are the 100 it owes B, so it cuts the contract by 75 / 100 = 75% from this quarter's delivery on: it pays
    25, keeping 20 + 10 - 5 - 25 = 0 cash and selling no GPUs. B receives 25, pays 10 of costs: cash 15; its
    cancellation loss is 75. Nobody defaults, and the deal's remaining scale is 0.25.
    """
    ledger, a = two_party
    out = _run(ledger, a, cancel=True)
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.cash[:, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(out.cash[:, 1], 15.0, rtol=1e-12)
    np.testing.assert_allclose(out.losses["cancel"][:, 1], 75.0, rtol=1e-12)
    np.testing.assert_allclose(out.gpu_sold, 0.0)
    np.testing.assert_allclose(out.revenue[:, 1], 25.0, rtol=1e-12)
    np.testing.assert_allclose(out.contract_scale, 0.25, rtol=1e-12)


def test_backstop_pays_for_cancelled_capacity():
    """A owes vendor V 100 in each of two quarters; G backstops V's unsold capacity up to 50.

    Quarter 1: A (cash 20, nothing else) is short 80 of the 100, cuts the contract by 80% and pays 20; V loses 80.
    Quarter 2: A owes 100 * 0.2 = 20 with no cash left, cuts the rest (100%) and pays 0; V loses 100 (the 80 cut
    before and the 20 cut now). The backstop pays V's quarter-1 loss a quarter late, capped: min(50, 80) = 50.
    So V receives 20 + 50 = 70, G pays 50 (cash 100 -> 50), V's cancellation losses are 80 + 100 = 180, and
    nobody defaults.
    """
    ledger = Ledger.build(
        [
            deal("a-v", "a", "v", [("2026-02-15", 100.0), ("2026-05-15", 100.0)]),
            deal("g-v", "g", "v", [("2026-02-15", 50.0)], kind="capacity_backstop"),
        ],
        create_missing_entities=True,
    )
    a = make_assumptions(assumptions_dict({"a": party(cash=20.0), "v": party(), "g": party(cash=100.0)}, quarters=2))
    m = build_model(ledger, a)
    assert m.backstop_ids == ("g-v",)
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    assert (out.default_quarter == -1).all()
    g, v = m.index("g"), m.index("v")
    np.testing.assert_allclose(out.backstop_paid[:, g], 50.0, rtol=1e-12)
    np.testing.assert_allclose(out.revenue[:, v], 70.0, rtol=1e-12)
    np.testing.assert_allclose(out.cash[:, g], 50.0, rtol=1e-12)
    np.testing.assert_allclose(out.losses["cancel"][:, v], 180.0, rtol=1e-12)
    off = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1], {"backstop": False})
    np.testing.assert_allclose(off.revenue[:, v], 20.0, rtol=1e-12)
    np.testing.assert_allclose(off.backstop_paid, 0.0)


def test_fire_sale_raises_the_need_at_the_clearing_price(two_party):  # noqa: F811
    """A has 76.19 of cash instead of 20, so it is short 5 + 100 - (76.19 + 10) = 18.81 and sells GPUs.

    Each seller sells what raises its need at the price its own sales clear at (Cifuentes, Ferrucci & Shin 2005):
    with ``k = impact / depth = 1/396`` the factor ``f`` solves ``f = 1 - k * 18.81 / f``, i.e.
    ``f**2 - f + 0.0475 = 0``, whose larger root is f = 0.95 (0.95**2 - 0.95 + 0.0475 = 0). A sells
    18.81 / 0.95 = 19.8 index-units (of 39.6), 1 - 19.8/396 = 0.95 checks, and gets 19.8 * 0.95 = 18.81: exactly
    its need, so it pays B in full and ends with 0 cash. The fire-sale loss is 19.8 * 0.05 = 0.99.
    (Before pass 3 it sold 18.81 units at the pre-sale price, got 18.81 * (1 - 18.81/396) = 17.92 and defaulted.)
    """
    ledger, a = two_party
    richer = _with_cash(a, "a", 76.19)
    out = _run(ledger, richer)
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.gpu_sold[:, 0], 18.81, rtol=1e-12)
    np.testing.assert_allclose(out.losses["firesale"][:, 0], 0.99, rtol=1e-9)
    np.testing.assert_allclose(out.cash[:, 0], 0.0, atol=1e-9)
    np.testing.assert_allclose(out.cash[:, 1], 90.0, rtol=1e-12)


def test_fire_sale_solver_by_hand():
    """Two sellers and a bystander, ``k = 0.01``, index 1.

    Seller 0 needs 5 but holds 4 units: at any factor <= 1 it sells all 4. Seller 1 needs 5.4 and holds 50. With
    seller 0's 4 units fixed, ``f = 1 - 0.01 * (4 + 5.4 / f)``, i.e. ``f**2 - 0.96 f + 0.054 = 0``: larger root
    f = 0.9 (0.81 - 0.864 + 0.054 = 0). Seller 1 sells 5.4 / 0.9 = 6 units (4 + 6 = 10 units, 1 - 0.1 = 0.9
    checks) and gets exactly 5.4; seller 0 gets 3.6 of its 5. Without impact (k = 0) they sell min(need, units).
    """
    need = np.array([[5.0, 5.4, 0.0]])
    units = np.array([[4.0, 50.0, 7.0]])
    sell, f = fire_sale(need, units, np.array([1.0]), 0.01)
    np.testing.assert_allclose(f, [0.9], rtol=1e-12)
    np.testing.assert_allclose(sell, [[4.0, 6.0, 0.0]], rtol=1e-12)
    sell0, f0 = fire_sale(need, units, np.array([1.0]), 0.0)
    np.testing.assert_allclose(f0, [1.0])
    np.testing.assert_allclose(sell0, [[4.0, 5.4, 0.0]], rtol=1e-12)
    # sales that cannot raise the need at any price: everyone short sells the whole fleet (here the index hits 0)
    sell2, f2 = fire_sale(np.array([[500.0, 0.0]]), np.array([[150.0, 3.0]]), np.array([1.0]), 0.01)
    np.testing.assert_allclose(f2, [0.0])
    np.testing.assert_allclose(sell2, [[150.0, 0.0]])


def test_vendor_short_after_a_cancellation_defers_capex():
    """A owes vendor V 100 this quarter but has only 20: it cuts the contract by 80% and pays 20 (V loses 80).

    V planned capex of 160 a year (40 this quarter, paid outside, half deferrable) against the 100 it expected, so
    it was not short before the cut and deferred nothing. After the cut it is short 40 - 20 = 20: it has no round
    and no lines, so it defers 20 of its 0.5 * 40 = 20 deferrable capex and ends with 0 cash, selling none of its
    GPUs and not defaulting. (Before pass 3 a party made short by others' cuts could only sell GPUs.)
    """
    ledger = Ledger.build([deal("a-v", "a", "v", [("2026-02-15", 100.0)])], create_missing_entities=True)
    a = make_assumptions(
        assumptions_dict({"a": party(cash=20.0), "v": party(capex=160.0, capex_flex=0.5, gpu_fleet=40.0)}, quarters=1)
    )
    m = build_model(ledger, a)
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    v = m.index("v")
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.capex_deferred[:, v], 20.0, rtol=1e-12)
    np.testing.assert_allclose(out.gpu_sold, 0.0)
    np.testing.assert_allclose(out.cash[:, v], 0.0, atol=1e-9)
    np.testing.assert_allclose(out.losses["cancel"][:, v], 80.0, rtol=1e-12)


def test_valuation_follows_contract_revenue():
    """V's funding capacity follows its total revenue, contracted receipts included.

    V: valuation 100, end revenue 40 a year (10 a quarter), fixed costs 250 a quarter, cash 300, funding access 0.5
    of its valuation (success 1, no buffer). A pays V 30 in 2026Q1 and 90 in 2026Q2. The valuation's base is the
    central first quarter's total revenue, 10 + 30 = 40.
    Q1: 300 + 10 + 30 - 250 = 90 left, no raise. Q2: 90 + 10 + 90 - 250 = -60 short; total revenue 10 + 90 = 100,
    so the valuation is 100 * 100 / 40 = 250 and the room 0.5 * 250 = 125: V raises 60 and survives with 0 cash.
    (Before pass 3 the valuation moved with end revenue only, 100 * 10 / 10 = 100, room 50: V defaulted.)
    """
    ledger = Ledger.build(
        [deal("a-v", "a", "v", [("2026-02-15", 30.0), ("2026-05-15", 90.0)])], create_missing_entities=True
    )
    a = make_assumptions(
        assumptions_dict(
            {
                "a": party(cash=200.0),
                "v": party(cash=300.0, revenue=40.0, fixed_costs=1000.0, funding_access=0.5, funding_success=1.0),
            },
            quarters=2,
        )
    )
    m = build_model(ledger, a)
    out = simulate(m, scenario_paths(m, Scenario(name="none")), 2, make_rng(0)[1])
    v = m.index("v")
    assert (out.default_quarter == -1).all()
    np.testing.assert_allclose(out.raised[:, v], 60.0, rtol=1e-12)
    np.testing.assert_allclose(out.cash[:, v], 0.0, atol=1e-9)
