"""The fast paths of the clearing core (compiled fused Picard sweep, scenarios settled by batched Picard, GMRES for
large frozen systems) give the same greatest clearing vector as the reference paths (SciPy products, sparse LU)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse

from junkan.stress import clearing, eisenberg_noe, rogers_veraart


def _network(n: int, b: int, seed: int) -> tuple[scipy.sparse.csr_array, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    m = 8 * n
    i, j = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = i != j
    lmat = scipy.sparse.csr_array((rng.random(keep.sum()), (i[keep], j[keep])), shape=(n, n))
    pbar = np.asarray(lmat.sum(axis=1)).ravel()
    e = (0.25 * pbar + 0.01) * (1.0 - 0.6 * rng.random((b, n)))
    return lmat, e, 0.1 * pbar


@pytest.mark.parametrize(
    ("alpha", "beta", "seniority", "batched_lext"),
    [
        (1.0, 1.0, "pro_rata", False),
        (0.5, 0.8, "pro_rata", True),
        (1.0, 1.0, "senior", False),
        (0.7, 0.9, "senior", True),
    ],
)
@pytest.mark.parametrize("settle_max", [0, 60])
def test_fast_paths_equal_reference_paths(
    monkeypatch: pytest.MonkeyPatch,
    alpha: float,
    beta: float,
    seniority: clearing.Seniority,
    batched_lext: bool,
    settle_max: int,
) -> None:
    lmat, e, lext = _network(300, 9, seed=11)
    if batched_lext:
        lext = lext[None, :] * np.linspace(0.5, 1.5, e.shape[0])[:, None]

    def clear() -> clearing.ClearingResult:
        return rogers_veraart(lmat, e, alpha=alpha, beta=beta, external_liabilities=lext, seniority=seniority)

    monkeypatch.setattr(clearing, "_FUSED_MIN_WORK", 10**18)
    monkeypatch.setattr(clearing, "_KRYLOV_MIN", 10**9)
    reference = clear()
    monkeypatch.setattr(clearing, "_FUSED_MIN_WORK", 0)
    monkeypatch.setattr(clearing, "_KRYLOV_MIN", 10)
    monkeypatch.setattr(clearing, "_SETTLE_MAX", settle_max)
    fast = clear()
    assert np.min(reference.n_defaults) > 10  # the frozen systems are big enough to take the GMRES path
    assert np.all(fast.exact) and np.all(reference.exact)
    np.testing.assert_allclose(fast.payments, reference.payments, rtol=0, atol=1e-11)
    assert np.array_equal(fast.defaulted, reference.defaulted)
    if settle_max == 0:  # no scenario settles: every one takes the GMRES exact step, after the same Picard
        assert np.array_equal(fast.iterations, reference.iterations)
        assert np.sum(fast.solves) > 0
    else:  # where batched Picard reached p* to rounding there is no linear solve (slow ones still get the exact step)
        assert np.any(fast.solves == 0)
        assert np.all(fast.solves <= reference.solves)


def test_fused_picard_matches_generic_bit_for_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    lmat, e, lext = _network(250, 7, seed=3)
    prob, _ = clearing._prepare(lmat, e, lext, "pro_rata", 0.9, 0.6)
    monkeypatch.setattr(clearing, "_FUSED_MIN_WORK", 10**18)
    generic, its_generic, _ = clearing._picard(prob, np, 1e-10, 1000)
    pbar_before = prob.pbar.copy()
    fused, its_fused, _ = clearing._picard_fused(prob, 1e-10, 1000)
    assert its_fused == its_generic > 1
    assert np.array_equal(fused, generic)
    assert np.array_equal(prob.pbar, pbar_before)  # the iterate never aliases the problem's arrays


def test_one_scenario_takes_the_same_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    lmat, e, _ = _network(300, 2, seed=5)
    monkeypatch.setattr(clearing, "_FUSED_MIN_WORK", 0)
    monkeypatch.setattr(clearing, "_KRYLOV_MIN", 10)
    batch = eisenberg_noe(lmat, e)
    for k in range(2):
        one = eisenberg_noe(lmat, e[k])
        np.testing.assert_allclose(one.payments, batch.payments[k], rtol=0, atol=1e-11)
