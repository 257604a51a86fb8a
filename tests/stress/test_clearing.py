"""Eisenberg-Noe and Rogers-Veraart clearing: worked examples (exact to 1e-9) and properties.

Orientation everywhere: ``L[i, j]`` is what ``i`` owes ``j``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from junkan.errors import JunkanInputError
from junkan.stress import eisenberg_noe, rogers_veraart

# FinNetValu.jl, test/models/test_rogers.jl (Rogers-Veraart with alpha = beta = 1, i.e. Eisenberg-Noe).
FNV_L = np.array([[0.0, 0.1, 0.7], [2.0, 0.0, 10.5], [0.0, 8.4, 0.0]])

# Our own three-node network A, B, C: A owes B 10; B owes A 5 and C 5; C owes A 2. External assets e = [2, 0.5, 10].
ABC_L = np.array([[0.0, 10.0, 0.0], [5.0, 0.0, 5.0], [2.0, 0.0, 0.0]])
ABC_E = np.array([2.0, 0.5, 10.0])


def test_finnetvalu_example_one() -> None:
    """e = [1, 1, 1]: pbar = [0.8, 12.5, 8.4].

    With everyone paying in full, node 1 has 1 + 0.1 + 8.4 = 9.5 < 12.5, so it defaults and pays 9.5; node 0 then
    receives 0.16 * 9.5 = 1.52 (+1 >= 0.8) and node 2 receives 0.7 + 0.84 * 9.5 = 8.68 (+1 >= 8.4): both solvent.
    """
    for res in (eisenberg_noe(FNV_L, [1.0, 1.0, 1.0]), rogers_veraart(FNV_L, [1.0, 1.0, 1.0], alpha=1, beta=1)):
        np.testing.assert_allclose(res.payments, [0.8, 9.5, 8.4], rtol=0, atol=1e-9)
        assert res.defaulted.tolist() == [False, True, False]
        assert res.exact
        np.testing.assert_allclose(res.losses, [0.0, 3.0, 0.0], atol=1e-9)
        np.testing.assert_allclose(res.equity, [1.72, 0.0, 1.28], atol=1e-9)


def test_finnetvalu_example_two() -> None:
    """e = [0, 0, 0.1]: node 1 defaults (8.5 < 12.5), which pulls node 2 down (0.1 + 0.7 + 0.84 * 8.5 = 7.94 < 8.4).

    With D = {1, 2}: p1 = 0.125 * 0.8 + p2 and p2 = 0.1 + 0.875 * 0.8 + 0.84 * p1, so 0.16 p1 = 0.9, p1 = 5.625 and
    p2 = 0.8 + 0.84 * 5.625 = 5.525. Node 0 receives 0.16 * 5.625 = 0.9 >= 0.8 and stays solvent.
    """
    for res in (eisenberg_noe(FNV_L, [0.0, 0.0, 0.1]), rogers_veraart(FNV_L, [0.0, 0.0, 0.1], alpha=1, beta=1)):
        np.testing.assert_allclose(res.payments, [0.8, 5.625, 5.525], rtol=0, atol=1e-9)
        assert res.defaulted.tolist() == [False, True, True]
        assert res.exact


def test_eisenberg_noe_hand_example_two_rounds() -> None:
    """A, B, C with e = [2, 0.5, 10], no external liabilities; pbar = [10, 10, 2].

    Round 1 (all pay in full): A has 2 + 5 + 2 = 9 < 10, defaults; B has 0.5 + 10 >= 10; C is solvent.
    Round 2 (D = {A}): p_A = 2 + 0.5 * 10 + 2 = 9, so B has 0.5 + 9 = 9.5 < 10 and defaults too.
    Round 3 (D = {A, B}): p_A = 4 + 0.5 p_B, p_B = 0.5 + p_A, so p_A = 8.5, p_B = 9; C has 10 + 4.5 >= 2.
    Equity of C = 10 + 4.5 - 2 = 12.5; creditors of A lose 1.5, of B lose 1.
    """
    res = eisenberg_noe(ABC_L, ABC_E)
    np.testing.assert_allclose(res.payments, [8.5, 9.0, 2.0], rtol=0, atol=1e-9)
    assert res.defaulted.tolist() == [True, True, False]
    np.testing.assert_allclose(res.equity, [0.0, 0.0, 12.5], atol=1e-9)
    np.testing.assert_allclose(res.losses, [1.5, 1.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(res.default_costs, 0.0, atol=1e-12)
    # exact from the start of the fictitious default algorithm too (no Picard at all)
    np.testing.assert_allclose(eisenberg_noe(ABC_L, ABC_E, max_iter=0).payments, [8.5, 9.0, 2.0], atol=1e-12)


def test_eisenberg_noe_external_liabilities_pro_rata() -> None:
    """As above, plus B owes 2 outside, pro rata: B's total obligations 12, interbank share 5/6.

    D = {A, B}: p_A = 4 + 0.5 p_B, p_B = (5/6)(0.5 + p_A), so (7/12) p_A = 4 + 5/24, p_A = 101/14, p_B = 45/7.
    B pays outside (1/6)(0.5 + 101/14) = 9/7. C's equity = 10 + 0.5 * 45/7 - 2 = 157/14.
    """
    res = eisenberg_noe(ABC_L, ABC_E, external_liabilities=[0.0, 2.0, 0.0])
    np.testing.assert_allclose(res.payments, [101 / 14, 45 / 7, 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.external_payments, [0.0, 9 / 7, 0.0], atol=1e-9)
    np.testing.assert_allclose(res.equity, [0.0, 0.0, 157 / 14], atol=1e-9)


def test_eisenberg_noe_external_liabilities_senior() -> None:
    """B owes 2 outside, senior: a defaulting B pays 2 outside first, p_B = 0.5 + p_A - 2.

    p_A = 4 + 0.5 (p_A - 1.5), so p_A = 6.5, p_B = 5; C's equity = 10 + 2.5 - 2 = 10.5.
    """
    res = eisenberg_noe(ABC_L, ABC_E, external_liabilities=[0.0, 2.0, 0.0], seniority="senior")
    np.testing.assert_allclose(res.payments, [6.5, 5.0, 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.external_payments, [0.0, 2.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(res.equity, [0.0, 0.0, 10.5], atol=1e-9)
    assert res.exact


def test_senior_external_debt_can_wipe_out_interbank_payments() -> None:
    """B owes 12 outside, senior: B's assets 0.5 + p_A < 12 all go outside, p_B = 0; then p_A = 2 + 0 + 2 = 4."""
    res = eisenberg_noe(ABC_L, ABC_E, external_liabilities=[0.0, 12.0, 0.0], seniority="senior")
    np.testing.assert_allclose(res.payments, [4.0, 0.0, 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.external_payments, [0.0, 4.5, 0.0], atol=1e-9)
    np.testing.assert_allclose(res.equity, [0.0, 0.0, 8.0], atol=1e-9)
    assert res.exact


def test_rogers_veraart_hand_example_differs_from_eisenberg_noe() -> None:
    """alpha = beta = 1/2 on the A, B, C network (EN gives [8.5, 9, 2]).

    Round 1: A defaults (9 < 10). D = {A}: p_A = 0.5 * 2 + 0.5 (5 + 2) = 4.5, so B has 0.5 + 4.5 = 5 < 10: defaults.
    D = {A, B}: p_A = 1 + 0.5 (0.5 p_B + 2) = 2 + 0.25 p_B and p_B = 0.25 + 0.5 p_A, so 0.875 p_A = 2.0625:
    p_A = 33/14, p_B = 10/7. C stays solvent (10 + 5/7 >= 2), equity 61/7.
    Default costs: A realises half of its assets 33/7, losing 33/14; B half of 20/7, losing 10/7.
    """
    res = rogers_veraart(ABC_L, ABC_E, alpha=0.5, beta=0.5)
    np.testing.assert_allclose(res.payments, [33 / 14, 10 / 7, 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.default_costs, [33 / 14, 10 / 7, 0.0], atol=1e-9)
    np.testing.assert_allclose(res.equity, [0.0, 0.0, 61 / 7], atol=1e-9)
    assert res.exact
    en = eisenberg_noe(ABC_L, ABC_E)
    assert np.all(res.payments <= en.payments) and not np.allclose(res.payments, en.payments)


def test_rogers_veraart_zero_recovery_is_a_threshold_cascade() -> None:
    """alpha = beta = 0: defaulters pay nothing. Node 0 owes node 1 one unit, node 1 owes node 2 one unit.

    Node 0 owes node 1 one unit and has nothing: it defaults and pays 0; node 1 (owes 2 one unit, e = 0.5) then
    has 0.5 < 1, defaults and pays 0; node 2 receives nothing.
    """
    lmat = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    res = rogers_veraart(lmat, [0.0, 0.5, 0.0], alpha=0.0, beta=0.0)
    np.testing.assert_allclose(res.payments, [0.0, 0.0, 0.0], atol=1e-12)
    assert res.defaulted.tolist() == [True, True, False]
    np.testing.assert_allclose(res.default_costs, [0.0, 0.5, 0.0], atol=1e-12)


def test_batched_liabilities_and_shapes() -> None:
    lb = np.stack([FNV_L, ABC_L])
    eb = np.stack([[1.0, 1.0, 1.0], ABC_E])
    res = eisenberg_noe(lb, eb)
    assert res.payments.shape == (2, 3)
    np.testing.assert_allclose(res.payments, [[0.8, 9.5, 8.4], [8.5, 9.0, 2.0]], atol=1e-9)
    assert res.exact.tolist() == [True, True]
    assert res.summary()["scenarios"] == 2
    frame = res.to_frame()
    assert len(frame) == 6 and set(frame.columns) >= {"scenario", "node", "payments", "defaulted"}


def test_array_api_backend_gives_the_same_answer() -> None:
    xp = pytest.importorskip("array_api_strict")
    eb = np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.1]])
    res = eisenberg_noe(FNV_L, eb, xp=xp)
    np.testing.assert_allclose(res.payments, [[0.8, 9.5, 8.4], [0.8, 5.625, 5.525]], atol=1e-9)
    resb = rogers_veraart(np.stack([FNV_L, FNV_L]), eb, alpha=0.3, beta=0.9, xp="array_api_strict")
    ref = rogers_veraart(np.stack([FNV_L, FNV_L]), eb, alpha=0.3, beta=0.9)
    np.testing.assert_allclose(resb.payments, ref.payments, atol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"liabilities": [[0, -1], [0, 0]], "external_assets": [1, 1]}, "liabilities"),
        ({"liabilities": [[1, 1], [0, 0]], "external_assets": [1, 1]}, "liabilities"),
        ({"liabilities": [[0, 1], [0, 0]], "external_assets": [1, np.nan]}, "external_assets"),
        ({"liabilities": [[0, 1], [0, 0]], "external_assets": [1, 1, 1]}, "external_assets"),
        ({"liabilities": np.zeros((3, 2, 2)), "external_assets": np.ones((2, 2))}, "scenarios"),
        ({"liabilities": [[0, 1], [0, 0]], "external_assets": [1, 1], "seniority": "junior"}, "seniority"),
    ],
)
def test_bad_input_is_named(kwargs: dict, field: str) -> None:
    with pytest.raises(JunkanInputError) as info:
        eisenberg_noe(**kwargs)
    assert info.value.problems[0].field == field


def test_bad_recovery_rate() -> None:
    with pytest.raises(JunkanInputError, match="alpha"):
        rogers_veraart(FNV_L, [1, 1, 1], alpha=1.5, beta=1)


# ---------------------------------------------------------------------------------------------------------------
# properties


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 6))
    vals = draw(hnp.arrays(float, (n, n), elements=st.floats(0, 10, allow_subnormal=False)))
    mask = draw(hnp.arrays(bool, (n, n)))
    lmat = np.where(mask, vals, 0.0)
    np.fill_diagonal(lmat, 0.0)
    e = draw(hnp.arrays(float, (n,), elements=st.floats(0, 10, allow_subnormal=False)))
    lext = draw(hnp.arrays(float, (n,), elements=st.floats(0, 10, allow_subnormal=False)))
    return lmat, e, lext


def _clearing_map(res, lmat, e, lext, alpha, beta, senior):  # type: ignore[no-untyped-def]
    pbar = lmat.sum(1)
    ptot = pbar + lext
    pi = np.divide(lmat, pbar[:, None], out=np.zeros_like(lmat), where=pbar[:, None] > 0)
    inflow = res.payments @ pi
    default = e + inflow < ptot * (1 - 1e-12)
    avail = alpha * e + beta * inflow
    if senior:
        val = np.clip(avail - lext, 0, pbar)
    else:
        share = np.divide(pbar, ptot, out=np.ones_like(pbar), where=ptot > 0)
        val = np.minimum(share * avail, pbar)
    return np.where(default, val, pbar)


@settings(max_examples=60, deadline=None)
@given(
    net=networks(),
    alpha=st.sampled_from([0.0, 0.4, 1.0]),
    beta=st.sampled_from([0.0, 0.7, 1.0]),
    senior=st.booleans(),
)
def test_clearing_properties(net: tuple, alpha: float, beta: float, senior: bool) -> None:
    lmat, e, lext = net
    seniority = "senior" if senior else "pro_rata"
    res = rogers_veraart(lmat, e, alpha=alpha, beta=beta, external_liabilities=lext, seniority=seniority)
    scale = 1.0 + lmat.sum() + e.sum() + lext.sum()
    assert res.exact
    # limited liability: 0 <= p <= pbar
    assert np.all(res.payments >= -1e-12) and np.all(res.payments <= lmat.sum(1) + 1e-12)
    assert np.all(res.external_payments <= lext + 1e-12)
    # a fixed point of the clearing map
    np.testing.assert_allclose(res.payments, _clearing_map(res, lmat, e, lext, alpha, beta, senior), atol=1e-9 * scale)
    # money is conserved node by node and in total
    np.testing.assert_allclose(
        e + res.received,
        res.payments + res.external_payments + res.equity + res.default_costs,
        atol=1e-9 * scale,
    )
    np.testing.assert_allclose(
        e.sum(), (res.external_payments + res.equity + res.default_costs).sum(), atol=1e-9 * scale
    )
    # the greatest clearing vector lies below every Picard iterate from pbar (which bound it from above)
    p = lmat.sum(1).copy()
    for _ in range(200):
        res_p = type("R", (), {"payments": p})
        p = _clearing_map(res_p, lmat, e, lext, alpha, beta, senior)
    assert np.all(res.payments <= p + 1e-9 * scale)


@settings(max_examples=40, deadline=None)
@given(net=networks(), cut=st.floats(0, 1), senior=st.booleans(), beta=st.sampled_from([0.5, 1.0]))
def test_bigger_shock_never_lowers_losses(net: tuple, cut: float, senior: bool, beta: float) -> None:
    lmat, e, lext = net
    seniority = "senior" if senior else "pro_rata"
    mild = rogers_veraart(lmat, e, alpha=beta, beta=beta, external_liabilities=lext, seniority=seniority)
    harsh = rogers_veraart(lmat, e * (1 - cut), alpha=beta, beta=beta, external_liabilities=lext, seniority=seniority)
    scale = 1.0 + lmat.sum() + e.sum() + lext.sum()
    assert np.all(harsh.losses >= mild.losses - 1e-9 * scale)
    assert np.all(harsh.payments <= mild.payments + 1e-9 * scale)
    assert harsh.n_defaults >= mild.n_defaults


@settings(max_examples=25, deadline=None)
@given(
    net=networks(),
    shocks=hnp.arrays(float, (4,), elements=st.floats(0, 1)),
    senior=st.booleans(),
)
def test_batched_equals_one_by_one(net: tuple, shocks: np.ndarray, senior: bool) -> None:
    lmat, e, lext = net
    seniority = "senior" if senior else "pro_rata"
    eb = e[None, :] * (1 - shocks[:, None])
    batch = eisenberg_noe(lmat, eb, external_liabilities=lext, seniority=seniority)
    for k in range(len(shocks)):
        one = eisenberg_noe(lmat, eb[k], external_liabilities=lext, seniority=seniority)
        np.testing.assert_allclose(batch.payments[k], one.payments, atol=1e-10 * (1 + lmat.sum()))
        assert batch.defaulted[k].tolist() == one.defaulted.tolist()


@pytest.mark.parametrize(
    ("alpha", "beta", "seniority"), [(1.0, 1.0, "pro_rata"), (0.6, 0.8, "pro_rata"), (1.0, 1.0, "senior")]
)
def test_sparse_paths_agree_with_dense(alpha: float, beta: float, seniority: str) -> None:
    """n = 250 at 2% density: the sparse path (dense input switched over, or scipy.sparse input) equals the dense
    batched path, scenario by scenario."""
    scipy_sparse = pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(5)
    n, b = 250, 3
    lmat = np.where(rng.random((n, n)) < 0.02, rng.random((n, n)), 0.0)
    np.fill_diagonal(lmat, 0.0)
    e = (0.3 * lmat.sum(axis=1) + 0.01) * (1 - 0.7 * rng.random((b, n)))
    lext = 0.1 * lmat.sum(axis=1)
    kw = {"alpha": alpha, "beta": beta, "external_liabilities": lext, "seniority": seniority}
    dense_batched = rogers_veraart(np.stack([lmat] * b), e, **kw)
    switched = rogers_veraart(lmat, e, **kw)
    sparse_in = rogers_veraart(scipy_sparse.csr_array(lmat), e, **kw)
    assert dense_batched.n_defaults.min() > 0  # the shocks bite
    for res in (switched, sparse_in):
        assert np.all(res.exact)
        np.testing.assert_allclose(res.payments, dense_batched.payments, atol=1e-9)
        assert np.array_equal(res.defaulted, dense_batched.defaulted)
