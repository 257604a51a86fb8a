"""Elliott, Golub & Jackson (2014) cross-holdings with failure costs, on hand-computed examples.

``cross[i, j]`` is the fraction of organisation ``j`` held by ``i``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from junkan.errors import JunkanInputError
from junkan.stress import cross_holdings, dependency_matrix

C2 = np.array([[0.0, 0.5], [0.5, 0.0]])


def test_two_node_cascade_by_hand() -> None:
    """Each holds half of the other: hat_C = diag(0.5, 0.5), (I - C)^-1 = [[4/3, 2/3], [2/3, 4/3]], A = [[2/3, 1/3],
    [1/3, 2/3]].

    Direct assets D p = [0.4, 1], thresholds [0.7, 0.75], failure costs 0.3 each.
    Round 1: v = A [0.4, 1] = [0.6, 0.8]: organisation 0 fails (0.6 < 0.7).
    Round 2: v = A [0.1, 1] = [0.4, 0.7]: organisation 1 fails (0.7 < 0.75).
    Round 3: v = A [0.1, 0.7] = [0.3, 0.5]; no new failure. Book values (I - C)^-1 [0.1, 0.7] = [0.6, 1.0].
    """
    np.testing.assert_allclose(dependency_matrix(C2), [[2 / 3, 1 / 3], [1 / 3, 2 / 3]], atol=1e-15)
    res = cross_holdings(C2, [0.4, 1.0], thresholds=[0.7, 0.75], failure_costs=[0.3, 0.3])
    np.testing.assert_allclose(res.values, [0.3, 0.5], atol=1e-12)
    np.testing.assert_allclose(res.book_values, [0.6, 1.0], atol=1e-12)
    np.testing.assert_allclose(res.values_without_failures, [0.6, 0.8], atol=1e-12)
    assert res.failed.tolist() == [True, True]
    assert res.rounds == 3
    assert res.value_lost == pytest.approx(0.6, abs=1e-12)


def test_three_node_orientation() -> None:
    """Organisation 0 holds 40% of organisation 1; nothing else. A = [[1, 0.4, 0], [0, 0.6, 0], [0, 0, 1]].

    D p = [1, 2, 3] gives v = [1.8, 1.2, 3]. When 1's direct assets fall to 1, v_0 = 1 + 0.4 = 1.4 < 1.5, so 0 fails
    and loses 0.5: v_0 = 0.9, while 1 and 2 are untouched by 0's failure (nobody holds 0).
    """
    cross = np.zeros((3, 3))
    cross[0, 1] = 0.4
    np.testing.assert_allclose(dependency_matrix(cross), [[1, 0.4, 0], [0, 0.6, 0], [0, 0, 1]], atol=1e-15)
    res = cross_holdings(cross, [[1, 2, 3], [1, 1, 3]], thresholds=[1.5, 0, 0], failure_costs=[0.5, 0, 0])
    np.testing.assert_allclose(res.values, [[1.8, 1.2, 3.0], [0.9, 0.6, 3.0]], atol=1e-12)
    assert res.failed.tolist() == [[False, False, False], [True, False, False]]
    assert res.rounds.tolist() == [1, 2]


def test_bad_cross_holdings() -> None:
    with pytest.raises(JunkanInputError, match="column sum"):
        cross_holdings([[0, 0.6], [1.0, 0]], [1, 1], thresholds=[0, 0], failure_costs=[0, 0])


@settings(max_examples=40, deadline=None)
@given(
    raw=hnp.arrays(float, (4, 4), elements=st.floats(0, 1)),
    q=hnp.arrays(float, (4,), elements=st.floats(0, 10)),
    cut=st.floats(0, 1),
)
def test_crossholding_properties(raw: np.ndarray, q: np.ndarray, cut: float) -> None:
    cross = raw.copy()
    np.fill_diagonal(cross, 0.0)
    cross = cross / (cross.sum(axis=0, keepdims=True) + 1.0)  # column sums below 1
    amat = dependency_matrix(cross)
    np.testing.assert_allclose(amat.sum(axis=0), 1.0, atol=1e-9)  # value is conserved without failures
    thr = 0.8 * (amat @ q)
    res = cross_holdings(cross, q, thresholds=thr, failure_costs=np.full(4, 1.0))
    harsh = cross_holdings(cross, q * (1 - cut), thresholds=thr, failure_costs=np.full(4, 1.0))
    assert np.all(harsh.failed >= res.failed)  # a bigger shock never saves anyone
    assert np.all(harsh.values <= res.values + 1e-9)
    # the equilibrium reproduces itself
    np.testing.assert_allclose(res.values, amat @ (q - 1.0 * (res.values < thr)), atol=1e-9)
