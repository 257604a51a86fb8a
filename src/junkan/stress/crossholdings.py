"""Equity cross-holdings with discontinuous failure costs: Elliott, Golub & Jackson (2014).

Model and conventions
---------------------
* ``cross[i, j]`` is the *fraction of organisation j's equity held by organisation i* (``C_ij`` in the paper); the
  diagonal is zero and every column sum is below one: ``hat_C[j, j] = 1 - sum_i cross[i, j] > 0`` is the share held
  by outside investors.
* ``direct_assets[i]`` is the value of the primitive assets ``i`` holds directly, ``(D p)_i`` in the paper (holdings
  ``D`` times asset prices ``p``; a shock lowers it). Units are the caller's currency.
* Book values solve ``V = D p + C V - b``, market (outside) values are ``v = hat_C V``, so
  ``v = A (D p - b(v))`` with the dependency matrix ``A = hat_C (I - C)^{-1}`` (EGJ 2014, eqs. 1-3; ``A`` is
  column-stochastic: without failures the outside values add up to the primitive assets).
* Failure: organisation ``i`` fails when ``v_i < thresholds[i]`` (``underline{v}_i``) and then loses
  ``failure_costs[i]`` (``beta_i``): ``b_i(v) = beta_i * 1{v_i < underline{v}_i}``.
* The *best-case* (greatest) equilibrium is computed by the paper's algorithm (EGJ 2014, Sec. II.C): start with no
  failures, compute values, add every organisation below its threshold, recompute, until no new failure. Failures
  only accumulate, so it ends in at most ``n + 1`` rounds, and each round is an exact linear solve.
* Batching: a leading scenario axis on ``direct_assets``, ``thresholds``, ``failure_costs`` (``(B, n)``) and
  ``cross`` (``(B, n, n)``).

Reference
---------
Elliott, M., Golub, B. and Jackson, M. O. (2014). Financial networks and contagion. American Economic Review 104(10),
3115-3153.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError
from junkan.stress._validate import as_matrix, as_vector, batch_size

__all__ = ["CrossHoldingsResult", "cross_holdings", "dependency_matrix"]


@dataclass(frozen=True, eq=False)
class CrossHoldingsResult:
    """Best-case equilibrium of the Elliott-Golub-Jackson model, per scenario.

    Arrays are ``(n,)`` for one scenario or ``(B, n)`` for ``B``.

    Attributes
    ----------
    values
        Market values ``v`` (what outside investors' stakes are worth) at the equilibrium.
    book_values
        Book values ``V = (I - C)^{-1} (D p - b)``.
    values_without_failures
        ``A D p``: the values had no failure cost been incurred.
    failed
        ``v_i < thresholds_i``.
    costs
        Failure costs incurred, ``beta_i`` for each failed organisation.
    rounds
        Rounds of the failure cascade (the first round computes values with no failure).
    """

    values: np.ndarray
    book_values: np.ndarray
    values_without_failures: np.ndarray
    failed: np.ndarray
    costs: np.ndarray
    rounds: np.ndarray | int

    @property
    def value_lost(self) -> np.ndarray | float:
        """Total market value destroyed by failures (per scenario when batched)."""
        lost = (self.values_without_failures - self.values).sum(axis=-1)
        return float(lost) if np.ndim(lost) == 0 else lost

    def summary(self) -> dict[str, Any]:
        """Scenario count, mean failures and mean value lost."""
        failed = np.atleast_2d(self.failed)
        return {
            "model": "elliott_golub_jackson_2014",
            "orientation": "cross[i, j] = fraction of j held by i",
            "scenarios": int(failed.shape[0]),
            "mean_failures": float(failed.sum(axis=1).mean()),
            "mean_value_lost": float(np.mean(self.value_lost)),
        }


def dependency_matrix(cross: Any) -> np.ndarray:
    """EGJ dependency matrix ``A = hat_C (I - C)^{-1}``, ``cross[i, j]`` = fraction of ``j`` held by ``i``.

    ``A[i, j]`` is the share of organisation ``j``'s primitive assets that ends up in ``i``'s market value
    (Elliott, Golub & Jackson 2014, AER 104(10), eq. 3). Shape ``(n, n)`` or ``(B, n, n)``.
    """
    cmat = _check_cross(cross)
    return _dependency(cmat)


def cross_holdings(
    cross: Any,
    direct_assets: Any,
    *,
    thresholds: Any,
    failure_costs: Any,
) -> CrossHoldingsResult:
    """Best-case equilibrium values and failures with cross-holdings (Elliott, Golub & Jackson 2014, AER).

    Solves ``v = A (D p - b(v))`` with ``A = hat_C (I - C)^{-1}``, ``b_i = failure_costs_i * 1{v_i < thresholds_i}``,
    starting from no failures and adding failures round by round (the greatest equilibrium). ``cross[i, j]`` is the
    fraction of ``j``'s equity held by ``i``.

    Parameters
    ----------
    cross
        ``(n, n)`` or ``(B, n, n)``, non-negative, zero diagonal, column sums below one.
    direct_assets
        ``(n,)`` or ``(B, n)``: value of directly held primitive assets ``D p`` (after the shock).
    thresholds
        ``(n,)`` or ``(B, n)``: failure threshold on market value, ``underline{v}``.
    failure_costs
        ``(n,)`` or ``(B, n)``, non-negative: value lost by an organisation when it fails, ``beta``.

    Returns
    -------
    CrossHoldingsResult
    """
    cmat = _check_cross(cross)
    n = cmat.shape[-1]
    q = as_vector(direct_assets, "direct_assets", n, nonnegative=False)
    thr = as_vector(thresholds, "thresholds", n, nonnegative=False)
    beta = as_vector(failure_costs, "failure_costs", n)
    nb = batch_size(cross=(cmat, 2), direct_assets=(q, 1), thresholds=(thr, 1), failure_costs=(beta, 1))
    b = nb or 1
    q_b = np.broadcast_to(q, (b, n))
    thr_b = np.broadcast_to(thr, (b, n))
    beta_b = np.broadcast_to(beta, (b, n))
    amat = _dependency(cmat)

    def values(x: np.ndarray) -> np.ndarray:
        return x @ amat.T if amat.ndim == 2 else np.einsum("bij,bj->bi", amat, x)

    base = values(q_b)
    failed = np.zeros((b, n), dtype=bool)
    rounds = np.ones(b, dtype=int)
    v = base
    for _ in range(n + 1):
        new = failed | (v < thr_b)
        changed = np.any(new != failed, axis=1)
        if not changed.any():
            break
        rounds += changed
        failed = new
        v = values(q_b - beta_b * failed)
    costs = beta_b * failed
    if cmat.ndim == 2:
        book = np.linalg.solve(np.eye(n) - cmat, (q_b - costs).T).T
    else:
        book = np.linalg.solve(np.eye(n)[None] - cmat, (q_b - costs)[..., None])[..., 0]
    if nb is None:
        return CrossHoldingsResult(v[0], book[0], base[0], failed[0], costs[0], int(rounds[0]))
    return CrossHoldingsResult(v, book, base, failed, np.array(costs), rounds)


def _check_cross(cross: Any) -> np.ndarray:
    cmat = as_matrix(cross, "cross", zero_diagonal=True)
    colsum = cmat.sum(axis=-2)
    if np.any(colsum >= 1):
        raise JunkanInputError.single(
            "every column sum must be below 1 (outside investors must hold part of each organisation)", field="cross"
        )
    return cmat


def _dependency(cmat: np.ndarray) -> np.ndarray:
    n = cmat.shape[-1]
    outside = 1.0 - cmat.sum(axis=-2)  # hat_C diagonal
    inv = np.linalg.inv(np.eye(n) - cmat)
    return outside[..., :, None] * inv
