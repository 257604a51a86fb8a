"""Fire sales (Cifuentes, Ferrucci & Shin 2005) and GLT (2015) vulnerability: closed forms and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import brentq

from junkan.errors import JunkanInputError
from junkan.stress import fire_sale, glt_vulnerability


def test_one_holder_leverage_linear_closed_form() -> None:
    """One holder: 100 units at p0 = 1, no cash, debt 90.1, leverage limit 10, depth 1000 units.

    At p = 1 leverage is 100 / 9.9 > 10. To restore it at price p it sells x = X - 10 E = 100p - 10(100p - 90.1)
    = 901 - 900p in currency, i.e. s = 901/p - 900 units, and p = 1 - s / 1000 = 1.9 - 0.901/p. So
    p^2 - 1.9 p + 0.901 = 0 and the greatest root is p = (1.9 + sqrt(3.61 - 3.604)) / 2.
    """
    p_star = (1.9 + math.sqrt(3.61 - 3.604)) / 2
    res = fire_sale([[100.0]], [1.0], [0.0], [90.1], constraint="leverage", limit=10, impact="linear", depth=1000)
    assert res.prices[0] == pytest.approx(p_star, abs=1e-12)
    assert res.units_sold[0, 0] == pytest.approx(901 / p_star - 900, abs=1e-9)
    assert res.exact
    # the constraint binds exactly after the sale
    left = 100 - res.units_sold[0, 0]
    equity = 100 * p_star - 90.1
    assert left * p_star / equity == pytest.approx(10.0, abs=1e-9)


def test_one_holder_no_interior_equilibrium_liquidates() -> None:
    """Debt 91: p^2 - 1.9 p + 0.91 has no real root, so prices spiral until the holder sells everything.

    Selling all 100 units gives p = 1 - 100/1000 = 0.9; at 0.9 the required sale 910/0.9 - 900 = 111 units exceeds
    the 100 held, so full liquidation is consistent; equity 90 - 91 = -1 < 0.
    """
    res = fire_sale([[100.0]], [1.0], [0.0], [91.0], constraint="leverage", limit=10, impact="linear", depth=1000)
    assert res.prices[0] == pytest.approx(0.9, abs=1e-12)
    assert res.units_sold[0, 0] == pytest.approx(100.0, abs=1e-12)
    assert res.insolvent.tolist() == [True]
    assert res.equity[0] == pytest.approx(-1.0, abs=1e-12)


def test_one_holder_ltv_closed_form() -> None:
    """Margin loan: 100 units at p0 = 1, debt 85, LTV limit 0.8, depth 1000.

    To restore debt <= 0.8 * collateral with proceeds repaying debt: 85 - x = 0.8 (100p - x), x = 425 - 400p,
    s = 425/p - 400 units; p = 1 - s/1000 gives p^2 - 1.4 p + 0.425 = 0, p = (1.4 + sqrt(0.26)) / 2.
    """
    p_star = (1.4 + math.sqrt(0.26)) / 2
    res = fire_sale([[100.0]], [1.0], [0.0], [85.0], constraint="ltv", limit=0.8, impact="linear", depth=1000)
    assert res.prices[0] == pytest.approx(p_star, abs=1e-12)
    sold = res.units_sold[0, 0]
    assert sold == pytest.approx(425 / p_star - 400, abs=1e-9)
    assert (85 - sold * p_star) / ((100 - sold) * p_star) == pytest.approx(0.8, abs=1e-12)


def test_one_holder_capital_ratio_with_cash() -> None:
    """CFS capital ratio E / X >= 0.1 with cash 5 (risk-free, kept), debt 95: x = X - E / 0.1 = 950 - 900p - 50.

    Units s = 900/p - 900, p = 1 - s/1000 gives p^2 - 1.9 p + 0.9 = 0: p = (1.9 + sqrt(0.01)) / 2 = 1.0, so the
    greatest equilibrium is p = 1 with no sale at all (the ratio (100 + 5 - 95) / 100 = 0.1 binds exactly).
    With debt 95.05: p^2 - 1.9 p + 0.9005 = 0, p = (1.9 + sqrt(0.008)) / 2.
    """
    res = fire_sale([[100.0]], [1.0], [5.0], [95.0], constraint="capital_ratio", limit=0.1, depth=1000)
    assert res.prices[0] == pytest.approx(1.0, abs=1e-12) and res.units_sold[0, 0] == pytest.approx(0.0, abs=1e-9)
    res = fire_sale([[100.0]], [1.0], [5.0], [95.05], constraint="capital_ratio", limit=0.1, depth=1000)
    assert res.prices[0] == pytest.approx((1.9 + math.sqrt(0.008)) / 2, abs=1e-12)


def test_one_holder_exponential_matches_scalar_root() -> None:
    """Exponential impact p = exp(-0.001 s) with s = 901/p - 900: a transcendental equation, solved by brentq."""
    ref = brentq(lambda p: p - math.exp(-1e-3 * (901 / p - 900)), 0.95, 1.0, xtol=1e-15)
    res = fire_sale([[100.0]], [1.0], [0.0], [90.1], limit=10, impact="exponential", alpha=1e-3)
    assert res.prices[0] == pytest.approx(ref, abs=1e-12)
    assert res.exact


def test_glt_hand_example() -> None:
    """Two banks, two assets. a = [100, 50], e = [10, 10] so leverage b = [9, 4]; M = [[.5, .5], [1, 0]];
    F = [-0.1, 0]; L = [0.001, 0.002] per unit of currency sold.

    Direct losses A M F = [-5, -5]; sales B A M F = [-45, -20]; by asset M'(.) = [-42.5, -22.5]; price impact
    [-0.0425, -0.045]; bank returns M(.) = [-0.04375, -0.0425]; dollars [-4.375, -2.125], total -6.5 over E = 20:
    AV = 0.325. Bank 0's sales alone: [-22.5, -22.5] -> impact [-0.0225, -0.045] -> returns [-0.03375, -0.0225] ->
    dollars [-3.375, -1.125]: S_0 = 4.5 / 20 = 0.225; bank 1: [-20, 0] -> [-0.02, 0] -> [-0.01, -0.02] -> [-1, -1]:
    S_1 = 0.1. IV = [4.375 / 10, 2.125 / 10].
    """
    res = glt_vulnerability([100, 50], [10, 10], [[0.5, 0.5], [1.0, 0.0]], [-0.1, 0.0], [1e-3, 2e-3])
    assert res.aggregate_vulnerability == pytest.approx(0.325, abs=1e-12)
    np.testing.assert_allclose(res.systemicness, [0.225, 0.1], atol=1e-12)
    np.testing.assert_allclose(res.indirect_vulnerability, [0.4375, 0.2125], atol=1e-12)
    np.testing.assert_allclose(res.direct_loss, [5.0, 5.0], atol=1e-12)
    np.testing.assert_allclose(res.sales, [45.0, 20.0], atol=1e-12)
    batched = glt_vulnerability([100, 50], [10, 10], [[0.5, 0.5], [1.0, 0.0]], [[-0.1, 0.0], [-0.2, 0.0]], 1e-3)
    assert batched.systemicness.shape == (2, 2)
    # linear in the shock: doubling it doubles AV
    assert batched.aggregate_vulnerability[1] == pytest.approx(2 * batched.aggregate_vulnerability[0], rel=1e-12)


def test_bad_input() -> None:
    with pytest.raises(JunkanInputError, match="limit"):
        fire_sale([[1.0]], [1.0], [0.0], [0.5], limit=0.5, depth=10)
    with pytest.raises(JunkanInputError, match="depth"):
        fire_sale([[1.0]], [1.0], [0.0], [0.5], limit=5)
    with pytest.raises(JunkanInputError, match="equity"):
        glt_vulnerability([10], [20], [[1.0]], [-0.1], 1e-3)


@settings(max_examples=40, deadline=None)
@given(
    h=hnp.arrays(float, (3, 2), elements=st.floats(0, 100)),
    lev=hnp.arrays(float, (3,), elements=st.floats(0.5, 0.99)),
    cut=st.floats(0, 0.3),
    impact=st.sampled_from(["linear", "exponential"]),
)
def test_fire_sale_properties(h: np.ndarray, lev: np.ndarray, cut: float, impact: str) -> None:
    p0 = np.array([1.0, 2.0])
    debt = lev * (h @ p0)  # debt as a share of asset value
    kwargs = {"depth": [400.0, 300.0]} if impact == "linear" else {"alpha": [2e-3, 3e-3]}
    res = fire_sale(h, p0, np.zeros(3), debt, limit=8.0, impact=impact, **kwargs)
    assert res.exact
    assert np.all(res.prices <= p0 + 1e-12) and np.all(res.prices >= 0)
    # a fixed point of the price-impact map
    sold = res.units_sold.sum(axis=0)
    target = p0 * (
        np.maximum(0, 1 - sold / np.array(kwargs["depth"]))
        if impact == "linear"
        else np.exp(-np.array(kwargs.get("alpha", [0, 0])) * sold)
    )
    np.testing.assert_allclose(res.prices, target, atol=1e-9)
    # sellers that stopped short of liquidation sit exactly at the leverage limit; the others respect it
    left_value = (h - res.units_sold) @ res.prices
    partial = res.constrained & ~res.insolvent & (res.units_sold.sum(axis=1) < h.sum(axis=1) - 1e-9)
    assert np.all(np.abs(left_value[partial] - 8.0 * res.equity[partial]) <= 1e-7 * (1 + left_value[partial]))
    solvent_idle = ~res.constrained & (res.equity > 0)
    assert np.all(left_value[solvent_idle] <= 8.0 * res.equity[solvent_idle] * (1 + 1e-9))
    # a bigger shock (lower starting prices) never gives higher equilibrium prices; batched == one by one
    p_low = p0 * (1 - cut)
    batch = fire_sale(h, np.stack([p0, p_low]), np.zeros(3), debt, limit=8.0, impact=impact, **kwargs)
    np.testing.assert_allclose(batch.prices[0], res.prices, atol=1e-10)
    assert np.all(batch.prices[1] <= batch.prices[0] + 1e-10)


def test_fire_sale_tiny_holdings_stay_exact() -> None:
    """Regression (found by hypothesis): a subnormal holding underflowed X**2 to 0 and made the Newton Jacobian NaN."""
    h = np.array([[1.32735311e-262, 0.0], [0.0, 0.0], [0.0, 0.0]])
    p0 = np.array([1.0, 2.0])
    debt = 0.9375 * (h @ p0)
    res = fire_sale(h, p0, np.zeros(3), debt, limit=8.0, impact="linear", depth=[400.0, 300.0])
    assert res.exact
    np.testing.assert_allclose(res.prices, p0, rtol=0, atol=1e-12)
