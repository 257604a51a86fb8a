"""DebtRank: distress propagation through balance sheets, the original and the differential (linear) version.

Conventions (they change the numbers)
-------------------------------------
* Orientation: ``liabilities[i, j]`` is what node ``i`` owes node ``j``, i.e. ``j``'s exposure to ``i`` (an asset of
  ``j``). Distress flows from debtor ``i`` to creditor ``j``.
* Impact matrix: ``W[i, j] = liabilities[i, j] / equity[j]``, the fraction of creditor ``j``'s equity that is lost if
  debtor ``i`` loses all of its equity. This is the transpose of the "interbank leverage matrix"
  ``Lambda_ji = A_ji / E_j`` of Bardoscia et al. (2015) (``A_ji`` = ``j``'s exposure to ``i``). The original DebtRank
  caps it at one, ``min(1, W)`` (Battiston et al. 2012: a node cannot lose more than its equity from one debtor).
* Distress ``h_i`` is the fraction of node ``i``'s initial equity that is lost, in ``[0, 1]``; ``h_i = 1`` is default.
  The shock is the initial distress ``h(1)`` (for a fall ``x`` in external assets ``a``:
  ``h_i(1) = min(1, x a_i / E_i)``).
* Equity must be positive (a node with no equity has already defaulted: give it distress 1 instead).
* Batching: a leading scenario axis. ``shock`` may be ``(n,)`` or ``(B, n)``; ``equity`` ``(n,)`` or ``(B, n)``;
  ``liabilities`` ``(n, n)`` or ``(B, n, n)``.

Dynamics
--------
Original (Battiston et al. 2012): nodes are Undistressed, Distressed or Inactive. Initially the shocked nodes are
Distressed. Each round every node gains ``sum_{i Distressed} min(1, W[i, j]) h_i`` (capped at 1); then Distressed
nodes become Inactive and nodes with ``h > 0`` that were Undistressed become Distressed. A node propagates its
distress once, so the process ends after at most ``n + 1`` rounds; the result is exact. Because a node passes on
only the distress it has when it first becomes Distressed, the original is *not* monotone in the shock: a node hit
by a negligible initial shock spends its one turn passing on almost nothing (tests/stress/test_debtrank.py has a
counterexample). The differential version below is monotone.

Differential (Bardoscia, Battiston, Caccioli & Caldarelli 2015): ``h(0) = 0``, ``h(1)`` = shock and
``h_j(t+1) = min(1, h_j(t) + sum_i W[i, j] (h_i(t) - h_i(t-1)))``: every increment of distress is passed on, so
losses on cycles are not under-counted. The iteration runs batched (in an Array-API namespace ``xp``) until the
increments vanish; it is then finished exactly: with ``S`` the saturated nodes (``h = 1``), the others solve
``h_U = h_U(1) + W[U, U]^T h_U + W[S, U]^T 1`` (the increments telescope), adding to ``S`` any node whose solution
exceeds one.

Outputs: ``debtrank`` is ``R = sum_j v_j h_j(T) - sum_j v_j h_j(1)`` (Battiston et al. 2012, the distress caused
beyond the initial shock, weighted by relative economic value ``v``; by default ``v`` = share of total equity), and
``relative_equity_loss`` is ``H(T) = sum_j E_j h_j(T) / sum_j E_j`` (Bardoscia et al. 2015).

References
----------
Battiston, S., Puliga, M., Kaushik, R., Tasca, P. and Caldarelli, G. (2012). DebtRank: too central to fail?
Financial networks, the FED and systemic risk. Scientific Reports 2, 541.
Bardoscia, M., Battiston, S., Caccioli, F. and Caldarelli, G. (2015). DebtRank: a microscopic foundation for shock
propagation. PLoS ONE 10(6), e0130406 (correction e0134888).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import scipy.linalg

from junkan.errors import JunkanInputError
from junkan.stress._backend import resolve_namespace, to_device, to_numpy
from junkan.stress._validate import as_matrix, as_vector, batch_size

__all__ = ["DebtRankResult", "debtrank", "differential_debtrank", "impact_matrix"]


@dataclass(frozen=True, eq=False)
class DebtRankResult:
    """Final distress of every node, per scenario.

    Arrays are ``(n,)`` for one scenario or ``(B, n)`` / ``(B,)`` for ``B`` scenarios.

    Attributes
    ----------
    model
        ``"battiston2012"`` or ``"differential"``.
    distress
        Final ``h_j(T)``: the fraction of each node's initial equity lost, in ``[0, 1]``.
    initial_distress
        The shock ``h(1)``.
    debtrank
        ``sum_j v_j (h_j(T) - h_j(1))``: distress beyond the shock, weighted by ``weights``.
    relative_equity_loss
        ``sum_j E_j h_j(T) / sum_j E_j``, shock included.
    equity_loss
        ``E_j h_j(T)``, in the units of ``equity``.
    defaulted
        ``h_j(T) == 1``.
    rounds
        Propagation rounds (per scenario for the original algorithm; the batch-wide count for the differential one).
    exact
        Whether the result is exact (always for the original; for the differential one, whether the final linear
        step certified it).
    weights
        The relative economic values ``v`` used in ``debtrank``.
    """

    model: str
    distress: np.ndarray
    initial_distress: np.ndarray
    debtrank: np.ndarray | float
    relative_equity_loss: np.ndarray | float
    equity_loss: np.ndarray
    defaulted: np.ndarray
    rounds: np.ndarray | int
    exact: np.ndarray | bool
    weights: np.ndarray

    def summary(self) -> dict[str, Any]:
        """Model, scenario count, and the mean DebtRank, relative equity loss and defaults over scenarios."""
        return {
            "model": self.model,
            "orientation": "liabilities[i, j] = what i owes j; W[i, j] = liabilities[i, j] / equity[j]",
            "scenarios": int(np.atleast_2d(self.distress).shape[0]),
            "mean_debtrank": float(np.mean(self.debtrank)),
            "mean_relative_equity_loss": float(np.mean(self.relative_equity_loss)),
            "mean_defaults": float(np.mean(np.atleast_2d(self.defaulted).sum(axis=-1))),
            "all_exact": bool(np.all(self.exact)),
        }

    def to_frame(self) -> Any:
        """One row per (scenario, node): initial and final distress, equity loss, default (a pandas DataFrame)."""
        import pandas as pd

        h = np.atleast_2d(self.distress)
        b, n = h.shape
        return pd.DataFrame(
            {
                "scenario": np.repeat(np.arange(b), n),
                "node": np.tile(np.arange(n), b),
                "initial_distress": np.atleast_2d(self.initial_distress).reshape(-1),
                "distress": h.reshape(-1),
                "equity_loss": np.atleast_2d(self.equity_loss).reshape(-1),
                "defaulted": np.atleast_2d(self.defaulted).reshape(-1),
            }
        )


def impact_matrix(liabilities: Any, equity: Any, *, cap: bool = True) -> np.ndarray:
    """DebtRank impact matrix ``W[i, j] = liabilities[i, j] / equity[j]`` (capped at 1 when ``cap``).

    ``liabilities[i, j]`` is what ``i`` owes ``j``; ``W[i, j]`` is the fraction of creditor ``j``'s equity lost when
    debtor ``i`` is fully distressed (Battiston et al. 2012, Sci. Rep. 2:541, with ``min(1, .)``; uncapped it is the
    transposed interbank leverage matrix of Bardoscia et al. 2015, PLoS ONE 10(6):e0130406).

    Parameters
    ----------
    liabilities
        ``(n, n)`` or ``(B, n, n)``, non-negative, zero diagonal.
    equity
        ``(n,)`` or ``(B, n)``, positive.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` or ``(B, n, n)``.
    """
    lmat, eq, _, _ = _inputs(liabilities, equity, None)
    return _impact(lmat, eq, cap)


def debtrank(
    liabilities: Any,
    equity: Any,
    shock: Any,
    *,
    weights: Any = None,
) -> DebtRankResult:
    """Original DebtRank (Battiston et al. 2012, Sci. Rep. 2:541), exact, batched over shocks.

    ``liabilities[i, j]`` is what ``i`` owes ``j``; impact ``W[i, j] = min(1, liabilities[i, j] / equity[j])``. Each
    distressed node passes its distress on once (Undistressed -> Distressed -> Inactive).

    Parameters
    ----------
    liabilities
        ``(n, n)`` or ``(B, n, n)``, non-negative, zero diagonal.
    equity
        ``(n,)`` or ``(B, n)``, positive: initial equity (Tier 1 capital in the paper).
    shock
        ``(n,)`` or ``(B, n)`` in ``[0, 1]``: initial distress ``h(1)``; nodes with ``h > 0`` start Distressed.
    weights
        ``(n,)`` or ``(B, n)`` relative economic values ``v`` (normalised to sum to one); default: equity shares.

    Returns
    -------
    DebtRankResult
    """
    lmat, eq, h1, batched = _inputs(liabilities, equity, shock)
    b = h1.shape[0]
    w = _impact(lmat, eq, cap=True)
    h = h1.copy()
    state = np.where(h > 0, 1, 0)  # 0 undistressed, 1 distressed, 2 inactive
    rounds = np.ones(b, dtype=int)
    while np.any(state == 1):
        active = np.where(state == 1, h, 0.0)
        inc = active @ w if w.ndim == 2 else np.einsum("bi,bij->bj", active, w)
        running = np.any(state == 1, axis=1)
        rounds += running
        h = np.minimum(1.0, h + inc)
        state = np.where(state == 1, 2, np.where((state == 0) & (h > 0), 1, state))
    return _result("battiston2012", h, h1, eq, weights, rounds, np.ones(b, dtype=bool), batched)


def differential_debtrank(
    liabilities: Any,
    equity: Any,
    shock: Any,
    *,
    weights: Any = None,
    xp: str | ModuleType | None = None,
    tol: float = 1e-13,
    max_iter: int = 10_000,
) -> DebtRankResult:
    """Differential (linear) DebtRank of Bardoscia et al. (2015, PLoS ONE 10(6):e0130406), exact, batched.

    ``liabilities[i, j]`` is what ``i`` owes ``j``; ``W[i, j] = liabilities[i, j] / equity[j]`` (not capped);
    ``h_j(t+1) = min(1, h_j(t) + sum_i W[i, j] (h_i(t) - h_i(t-1)))`` with ``h(0) = 0``, ``h(1)`` = shock, iterated
    until the increments vanish and finished with an exact linear solve for the unsaturated nodes.

    Parameters
    ----------
    liabilities, equity, shock, weights
        As in :func:`debtrank`.
    xp
        Array namespace for the batched iteration (``None``/"numpy", "cupy", "torch" or a module).
    tol
        The iteration stops when no increment exceeds ``tol`` (then the exact step finishes).
    max_iter
        Most iterations.

    Returns
    -------
    DebtRankResult
        ``exact`` is ``False`` for a scenario whose final linear step could not be certified (the iterated value is
        then returned).
    """
    lmat, eq, h1, batched = _inputs(liabilities, equity, shock)
    b, n = h1.shape
    w = _impact(lmat, eq, cap=False)
    ns = resolve_namespace(xp)
    w_d = to_device(ns, w)
    h_prev = to_device(ns, np.zeros((b, n)))
    h = to_device(ns, h1)
    one = to_device(ns, np.ones((b, n)))
    rounds = 1
    for _ in range(max_iter):
        delta = h - h_prev
        if w.ndim == 2:
            inc = ns.matmul(delta, w_d)
        else:
            inc = ns.squeeze(ns.matmul(ns.expand_dims(delta, axis=1), w_d), axis=1)
        new = ns.minimum(one, h + inc)
        step = float(ns.max(new - h))
        h_prev, h = h, new
        rounds += 1
        if step <= tol:
            break
    h_it = np.array(to_numpy(h), dtype=float, copy=True)
    exact = np.zeros(b, dtype=bool)
    final = h_it.copy()
    for k in range(b):
        wk = w if w.ndim == 2 else w[k]
        sol = _finish_differential(wk, h1[k], h_it[k])
        if sol is not None:
            final[k], exact[k] = sol, True
    return _result("differential", final, h1, eq, weights, np.full(b, rounds), exact, batched)


def _finish_differential(w: np.ndarray, h1: np.ndarray, h_it: np.ndarray) -> np.ndarray | None:
    """Exact limit given the saturated set; ``None`` if it cannot be certified against the iterate."""
    sat = h_it >= 1.0
    n = h1.size
    for _ in range(n + 1):
        unsat = np.flatnonzero(~sat)
        h = np.ones(n)
        if unsat.size:
            s_idx = np.flatnonzero(sat)
            rhs = h1[unsat] + w[np.ix_(s_idx, unsat)].sum(axis=0)
            mat = np.eye(unsat.size) - w[np.ix_(unsat, unsat)].T
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
                    x = scipy.linalg.solve(mat, rhs, check_finite=False)
            except (np.linalg.LinAlgError, ValueError):
                return None
            if not np.all(np.isfinite(x)):
                return None
            over = x >= 1.0
            if np.any(over):
                sat[unsat[over]] = True
                continue
            h[unsat] = x
        # the dynamics only increase h, so the limit cannot lie below the iterate
        if np.all(h >= h_it - 1e-9):
            return h
        return None
    return None


def _inputs(liabilities: Any, equity: Any, shock: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    lmat = as_matrix(liabilities, "liabilities", zero_diagonal=True)
    n = lmat.shape[-1]
    eq = as_vector(equity, "equity", n)
    if np.any(eq <= 0):
        raise JunkanInputError.single(
            "must be positive (a node with no equity has defaulted: give it distress 1 in the shock)", field="equity"
        )
    if shock is None:
        return lmat, eq, np.zeros((1, n)), False
    h1 = as_vector(shock, "shock", n)
    if np.any(h1 > 1):
        raise JunkanInputError.single("initial distress must lie in [0, 1]", field="shock")
    nb = batch_size(liabilities=(lmat, 2), equity=(eq, 1), shock=(h1, 1))
    return lmat, eq, np.broadcast_to(h1, (nb or 1, n)).astype(float, copy=True), nb is not None


def _impact(lmat: np.ndarray, eq: np.ndarray, cap: bool) -> np.ndarray:
    w = lmat / eq[..., None, :]
    return np.minimum(w, 1.0) if cap else w


def _result(
    model: str,
    h: np.ndarray,
    h1: np.ndarray,
    eq: np.ndarray,
    weights: Any,
    rounds: np.ndarray,
    exact: np.ndarray,
    batched: bool,
) -> DebtRankResult:
    b, n = h.shape
    eq_b = np.broadcast_to(eq, (b, n))
    if weights is None:
        v = eq_b / eq_b.sum(axis=1, keepdims=True)
    else:
        v_raw = as_vector(weights, "weights", n)
        tot = v_raw.sum(axis=-1, keepdims=True)
        if np.any(tot <= 0):
            raise JunkanInputError.single("must have a positive sum", field="weights")
        v = np.broadcast_to(v_raw / tot, (b, n))
    h = np.clip(h, 0.0, 1.0)
    dr = np.sum(v * (h - h1), axis=1)
    rel = np.sum(eq_b * h, axis=1) / eq_b.sum(axis=1)
    loss = eq_b * h
    if batched:
        return DebtRankResult(model, h, h1, dr, rel, loss, h >= 1.0, rounds, exact, np.array(v))
    return DebtRankResult(
        model,
        h[0],
        h1[0],
        float(dr[0]),
        float(rel[0]),
        loss[0],
        h[0] >= 1.0,
        int(rounds[0]),
        bool(exact[0]),
        np.array(v[0]),
    )
