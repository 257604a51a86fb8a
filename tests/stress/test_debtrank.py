"""DebtRank (Battiston et al. 2012) and differential DebtRank (Bardoscia et al. 2015) on hand-computed examples.

Network (``L[i, j]`` = what ``i`` owes ``j``): A owes B 5, B owes C 4, C owes A 20; equity E = [10, 10, 8].
Impact ``W[i, j] = L[i, j] / E_j``: W[A, B] = 0.5, W[B, C] = 0.5, W[C, A] = 20 / 10 = 2 (capped at 1 in the original).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from junkan.errors import JunkanInputError
from junkan.stress import debtrank, differential_debtrank, impact_matrix

L = np.zeros((3, 3))
L[0, 1], L[1, 2], L[2, 0] = 5.0, 4.0, 20.0
E = np.array([10.0, 10.0, 8.0])


def test_impact_matrix_orientation() -> None:
    w = impact_matrix(L, E)
    assert w[0, 1] == 0.5 and w[1, 2] == 0.5 and w[2, 0] == 1.0
    assert impact_matrix(L, E, cap=False)[2, 0] == 2.0


def test_original_debtrank_hand_example() -> None:
    """Shock h(1) = [0.4, 0, 0], A Distressed.

    t=2: B gains 0.5 * 0.4 = 0.2 (A turns Inactive, B Distressed). t=3: C gains 0.5 * 0.2 = 0.1.
    t=4: A gains min(1, 2) * 0.1 = 0.1 -> 0.5, but A is Inactive and passes nothing on; C turns Inactive; stop.
    h = [0.5, 0.2, 0.1]; with equity-share weights R = (10 * 0.1 + 10 * 0.2 + 8 * 0.1) / 28 = 3.8 / 28.
    """
    res = debtrank(L, E, [0.4, 0.0, 0.0])
    np.testing.assert_allclose(res.distress, [0.5, 0.2, 0.1], atol=1e-12)
    assert res.debtrank == pytest.approx(3.8 / 28, abs=1e-12)
    assert res.relative_equity_loss == pytest.approx((5 + 2 + 0.8) / 28, abs=1e-12)
    assert res.rounds == 4 and res.exact


def test_original_debtrank_shock_06() -> None:
    """h(1) = [0.6, 0, 0]: B 0.3, C 0.15, A 0.6 + 0.15 = 0.75."""
    res = debtrank(L, E, [0.6, 0.0, 0.0])
    np.testing.assert_allclose(res.distress, [0.75, 0.3, 0.15], atol=1e-12)


def test_differential_debtrank_hand_example() -> None:
    """Every increment passes on, with the uncapped W[C, A] = 2.

    Limit: h_A = 0.4 + 2 h_C, h_B = 0.5 h_A, h_C = 0.5 h_B, so h_A = 0.4 + 0.5 h_A: h = [0.8, 0.4, 0.2].
    Relative equity loss (10 * 0.8 + 10 * 0.4 + 8 * 0.2) / 28 = 13.6 / 28. The original DebtRank stops at
    [0.5, 0.2, 0.1]: it under-counts the losses that go round the cycle.
    """
    res = differential_debtrank(L, E, [0.4, 0.0, 0.0])
    np.testing.assert_allclose(res.distress, [0.8, 0.4, 0.2], atol=1e-12)
    assert res.relative_equity_loss == pytest.approx(13.6 / 28, abs=1e-12)
    assert res.exact


def test_differential_debtrank_saturates() -> None:
    """h(1) = [0.6, 0, 0]: unsaturated, h_A = 0.6 + 0.5 h_A = 1.2 > 1, so A saturates at 1 (defaults).

    Then h_B = 0.5 * 1 = 0.5, h_C = 0.25, and A's own equation gives 0.6 + 2 * 0.25 = 1.1 >= 1: consistent.
    """
    res = differential_debtrank(L, E, [0.6, 0.0, 0.0])
    np.testing.assert_allclose(res.distress, [1.0, 0.5, 0.25], atol=1e-12)
    assert res.defaulted.tolist() == [True, False, False]
    assert res.exact


def test_batched_shocks_and_backend() -> None:
    shocks = np.array([[0.4, 0.0, 0.0], [0.6, 0.0, 0.0], [0.0, 0.0, 0.0]])
    res = differential_debtrank(L, E, shocks)
    np.testing.assert_allclose(res.distress, [[0.8, 0.4, 0.2], [1.0, 0.5, 0.25], [0, 0, 0]], atol=1e-12)
    orig = debtrank(L, E, shocks)
    np.testing.assert_allclose(orig.distress, [[0.5, 0.2, 0.1], [0.75, 0.3, 0.15], [0, 0, 0]], atol=1e-12)
    assert res.debtrank.shape == (3,)
    xp = pytest.importorskip("array_api_strict")
    np.testing.assert_allclose(differential_debtrank(L, E, shocks, xp=xp).distress, res.distress, atol=1e-12)
    assert len(res.to_frame()) == 9 and res.summary()["scenarios"] == 3


def test_bad_input() -> None:
    with pytest.raises(JunkanInputError, match="equity"):
        debtrank(L, [10.0, 0.0, 8.0], [0.1, 0, 0])
    with pytest.raises(JunkanInputError, match="shock"):
        differential_debtrank(L, E, [1.5, 0, 0])


@settings(max_examples=40, deadline=None)
@given(
    vals=hnp.arrays(float, (5, 5), elements=st.floats(0, 5)),
    eq=hnp.arrays(float, (5,), elements=st.floats(0.5, 10)),
    shock=hnp.arrays(float, (5,), elements=st.floats(0, 1)),
    scale=st.floats(0, 1),
)
def test_debtrank_properties(vals: np.ndarray, eq: np.ndarray, shock: np.ndarray, scale: float) -> None:
    lmat = vals.copy()
    np.fill_diagonal(lmat, 0.0)
    for fn in (debtrank, differential_debtrank):
        res = fn(lmat, eq, shock)
        assert np.all(res.distress >= shock - 1e-12) and np.all(res.distress <= 1.0)
    # a bigger shock never lowers distress in the differential version (the original is not monotone: see
    # test_original_debtrank_is_not_monotone)
    res = differential_debtrank(lmat, eq, shock)
    smaller = differential_debtrank(lmat, eq, shock * scale)
    assert np.all(smaller.distress <= res.distress + 1e-9)
    # the differential version passes on every increment, so it never under-counts the original
    assert np.all(differential_debtrank(lmat, eq, shock).distress >= debtrank(lmat, eq, shock).distress - 1e-9)


def test_original_debtrank_is_not_monotone() -> None:
    """The original DebtRank lets a node propagate only once, when it first becomes distressed (Battiston et al.
    2012). A node hit by a negligible initial shock therefore spends its one turn passing on almost nothing and cannot
    pass on the distress it receives later, so a *larger* shock can end in *less* distress. This is the flaw the
    differential DebtRank of Bardoscia et al. (2015) removes. Counterexample found by hypothesis: five banks, every
    bank exposed to every other (bank 0 not to bank 1), unit equity; the shock 0.5 on bank 2 plus the smallest
    positive double on banks 3 and 4 leaves bank 1 at 0.75, but halving it (the tiny shocks round to 0) gives 0.5.
    """
    lmat = np.ones((5, 5))
    lmat[0, 1] = 0.0
    np.fill_diagonal(lmat, 0.0)
    eq = np.ones(5)
    shock = np.array([0.0, 0.0, 0.5, 5e-324, 5e-324])
    big = debtrank(lmat, eq, shock)
    small = debtrank(lmat, eq, shock * 0.5)
    np.testing.assert_allclose(big.distress, [1.0, 0.5, 1.0, 1.0, 1.0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(small.distress, [1.0, 0.75, 1.0, 1.0, 1.0], rtol=0, atol=1e-12)
    assert (
        differential_debtrank(lmat, eq, shock).distress[1] >= differential_debtrank(lmat, eq, shock * 0.5).distress[1]
    )
