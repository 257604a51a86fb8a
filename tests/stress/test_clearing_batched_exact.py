"""The batched exact step of the clearing core (small networks, all scenarios' frozen systems solved at once) gives
the same greatest clearing vector as the one-scenario-at-a-time step, to 1e-9."""

from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from junkan.stress import clearing, rogers_veraart


def _dense_network(n: int, b: int, seed: int, density: float = 0.3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lmat = np.where(rng.random((n, n)) < density, rng.lognormal(0.0, 1.0, (n, n)), 0.0)
    np.fill_diagonal(lmat, 0.0)
    pbar = lmat.sum(axis=1)
    e = (0.5 * pbar + 0.01) * (1.0 - 0.7 * rng.random((b, n)))
    return lmat, e, 0.3 * pbar


def _one_by_one(lmat: np.ndarray, e: np.ndarray, **kw: object) -> list[clearing.ClearingResult]:
    """Each scenario alone (a single-scenario call always takes the one-scenario exact step)."""
    out = []
    for k in range(e.shape[0]):
        lk = lmat[k] if lmat.ndim == 3 else lmat
        lx = kw.get("external_liabilities")
        kwk = {**kw, "external_liabilities": lx[k] if isinstance(lx, np.ndarray) and lx.ndim == 2 else lx}
        out.append(rogers_veraart(lk, e[k], **kwk))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    ("alpha", "beta", "seniority"),
    [
        (1.0, 1.0, "pro_rata"),
        (0.6, 0.8, "pro_rata"),
        (1.0, 1.0, "senior"),
        (0.9, 0.95, "senior"),
        (0.3, 0.3, "pro_rata"),
    ],
)
@pytest.mark.parametrize(("n", "shared"), [(30, True), (50, True), (29, False)])
def test_batched_exact_step_equals_one_by_one(
    monkeypatch: pytest.MonkeyPatch, alpha: float, beta: float, seniority: str, n: int, shared: bool
) -> None:
    b = 40
    lmat, e, lext = _dense_network(n, b, seed=n + int(10 * alpha + beta))
    if not shared:  # one network per scenario, as the ecosystem model clears them
        scale = 1.0 + 0.5 * np.random.default_rng(1).random((b, 1, 1))
        lmat = lmat[None] * scale
        lext = lext[None] * scale[:, :, 0]
    kw = {"alpha": alpha, "beta": beta, "external_liabilities": lext, "seniority": seniority}
    calls: list[int] = []
    real = clearing._exact_batched

    def spy(prob, ks, *args):  # type: ignore[no-untyped-def]
        calls.append(ks.size)
        return real(prob, ks, *args)

    monkeypatch.setattr(clearing, "_exact_batched", spy)
    monkeypatch.setattr(clearing, "_SETTLE_MAX", 0)  # no scenario settles in Picard: all take the exact step
    batch = rogers_veraart(lmat, e, **kw)  # type: ignore[arg-type]
    assert calls == [b]  # every scenario went through the batched step
    assert np.all(batch.exact)
    assert np.mean(batch.n_defaults) > 3  # the shocks bite: the frozen systems are not trivial
    assert np.sum(batch.solves) >= b // 2  # most scenarios solved a frozen system
    for k, one in enumerate(_one_by_one(lmat, e, **kw)):
        assert one.exact
        np.testing.assert_allclose(batch.payments[k], one.payments, rtol=0, atol=1e-9)
        assert np.array_equal(batch.defaulted[k], one.defaulted)
        np.testing.assert_allclose(batch.equity[k], one.equity, rtol=0, atol=1e-9)


def test_batched_step_and_per_scenario_step_agree_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same batch, the batched step switched off (every scenario through the one-scenario step) and on."""
    lmat, e, lext = _dense_network(40, 64, seed=3)
    monkeypatch.setattr(clearing, "_SETTLE_MAX", 0)
    monkeypatch.setattr(clearing, "_BATCH_EXACT_MAX_N", 0)
    reference = rogers_veraart(lmat, e, alpha=0.7, beta=0.9, external_liabilities=lext)
    monkeypatch.setattr(clearing, "_BATCH_EXACT_MAX_N", 200)
    batched = rogers_veraart(lmat, e, alpha=0.7, beta=0.9, external_liabilities=lext)
    np.testing.assert_allclose(batched.payments, reference.payments, rtol=0, atol=1e-9)
    assert np.array_equal(batched.defaulted, reference.defaulted)
    assert np.array_equal(batched.solves, reference.solves)
    assert np.array_equal(batched.iterations, reference.iterations)


def test_stuck_scenarios_finish_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scenarios whose frozen system fails in the batched step (as a singular one does) are finished by further
    Picard iterations and the one-scenario step, from the bound reached, with the same answer."""
    lmat, e, lext = _dense_network(20, 12, seed=8)
    lmat = np.stack([lmat] * 12)  # one network per scenario: generic Picard, nothing settles
    real = clearing._frozen_solve

    def failing(pi, src, part, g, rhs, x, ok):  # type: ignore[no-untyped-def]
        real(pi, src, part, g, rhs, x, ok)
        ok[::2] = False  # every other scenario "singular"

    monkeypatch.setattr(clearing, "_frozen_solve", failing)
    batch = rogers_veraart(lmat, e, alpha=0.8, beta=0.9, external_liabilities=lext)
    monkeypatch.setattr(clearing, "_frozen_solve", real)
    assert np.all(batch.exact)
    assert np.all(batch.iterations[::2] > batch.iterations[1::2])  # the stuck ones ran further Picard sweeps
    for k, one in enumerate(_one_by_one(lmat, e, alpha=0.8, beta=0.9, external_liabilities=lext)):
        np.testing.assert_allclose(batch.payments[k], one.payments, rtol=0, atol=1e-9)
        assert np.array_equal(batch.defaulted[k], one.defaulted)


def test_singular_frozen_system_is_reported_not_solved() -> None:
    """The compiled solver flags an exactly singular frozen system (ok False) and solves the regular one."""
    n = 3
    pi = np.zeros((1, n, n))
    pi[0, 0, 1] = pi[0, 1, 0] = 1.0  # nodes 0 and 1 owe each other everything: I - Pi_DD^T is singular at g = 1
    pi[0, 2, 0] = 1.0
    part = np.array([[True, True, False], [True, False, True]])
    g = np.ones((2, n))
    rhs = np.array([[1.0, 2.0, 0.0], [1.0, 0.0, 3.0]])
    x = np.zeros((2, n))
    ok = np.zeros(2, dtype=bool)
    clearing._frozen_solve(pi, np.zeros(2, dtype=np.int64), part, g, rhs, x, ok)
    assert ok.tolist() == [False, True]
    # row 1: D = {0, 2}: x0 - Pi[2, 0] x2 = 1, x2 - Pi[0, 2] x0 = 3 -> x2 = 3, x0 = 1 + 3 = 4
    np.testing.assert_allclose(x[1], [4.0, 0.0, 3.0], rtol=0, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 6),
)
def test_compiled_frozen_solve_matches_lapack(n: int, seed: int, m: int) -> None:
    rng = np.random.default_rng(seed)
    lmat = np.where(rng.random((m, n, n)) < 0.5, rng.random((m, n, n)), 0.0)
    for k in range(m):
        np.fill_diagonal(lmat[k], 0.0)
    pbar = lmat.sum(axis=2)
    pi = np.divide(lmat, pbar[:, :, None], out=np.zeros_like(lmat), where=pbar[:, :, None] > 0)
    part = rng.random((m, n)) < 0.7
    g = 0.9 * rng.random((m, n))
    rhs = rng.random((m, n))
    x = np.zeros((m, n))
    ok = np.zeros(m, dtype=bool)
    clearing._frozen_solve(pi, np.arange(m, dtype=np.int64), part, g, rhs, x, ok)
    assert ok.all()  # g < 1: strictly diagonally dominant by columns, never singular
    for k in range(m):
        idx = np.flatnonzero(part[k])
        mat = np.eye(idx.size) - g[k, idx][:, None] * pi[k][np.ix_(idx, idx)].T
        ref = scipy.linalg.solve(mat, rhs[k, idx]) if idx.size else np.zeros(0)
        np.testing.assert_allclose(x[k, idx], ref, rtol=0, atol=1e-12)


@st.composite
def small_batches(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 8))
    vals = draw(hnp.arrays(float, (n, n), elements=st.floats(0, 10, allow_subnormal=False)))
    mask = draw(hnp.arrays(bool, (n, n)))
    lmat = np.where(mask, vals, 0.0)
    np.fill_diagonal(lmat, 0.0)
    e = draw(hnp.arrays(float, (5, n), elements=st.floats(0, 10, allow_subnormal=False)))
    lext = draw(hnp.arrays(float, (n,), elements=st.floats(0, 10, allow_subnormal=False)))
    return lmat, e, lext


@settings(max_examples=60, deadline=None)
@given(
    net=small_batches(),
    alpha=st.sampled_from([0.0, 0.5, 1.0]),
    beta=st.sampled_from([0.0, 0.7, 1.0]),
    senior=st.booleans(),
)
def test_batched_equals_one_by_one_on_random_small_networks(
    net: tuple, alpha: float, beta: float, senior: bool
) -> None:
    lmat, e, lext = net
    seniority = "senior" if senior else "pro_rata"
    kw = {"alpha": alpha, "beta": beta, "external_liabilities": lext, "seniority": seniority}
    batch = rogers_veraart(lmat, e, **kw)  # type: ignore[arg-type]
    scale = 1.0 + lmat.sum() + e.sum() + lext.sum()
    assert np.all(batch.exact)
    for k, one in enumerate(_one_by_one(lmat, e, **kw)):
        np.testing.assert_allclose(batch.payments[k], one.payments, rtol=0, atol=1e-9 * scale)
        assert batch.defaulted[k].tolist() == one.defaulted.tolist()
