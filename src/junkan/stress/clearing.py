"""Clearing payment vectors: Eisenberg-Noe (2001) and Rogers-Veraart (2013), exact and batched over scenarios.

Conventions (they change the numbers, so every public function repeats them)
----------------------------------------------------------------------------
* Orientation: ``liabilities[i, j]`` is what node ``i`` owes node ``j`` (nominal, in one currency unit; the unit
  is whatever the inputs use, and every output is in that unit). Node ``i``'s interbank obligation is the row sum
  ``pbar_i = sum_j liabilities[i, j]``; the relative liabilities matrix is ``Pi[i, j] = liabilities[i, j] / pbar_i``.
  The diagonal must be zero.
* External assets ``e_i >= 0`` are what node ``i`` holds outside the network (after any shock); external liabilities
  ``l_i >= 0`` are what it owes outside (deposits, bonds). Total obligations are ``pbar_i + l_i``.
* Seniority of external liabilities: ``"pro_rata"`` (default, as in Eisenberg & Noe 2001 with the outside world as
  one more creditor, and in the R package systemicrisk): a defaulting node pays every creditor the same fraction;
  ``"senior"`` (as in NEVA): external creditors are paid first and interbank creditors share what is left.
* Default: a node is in default when its assets ``e_i + sum_j Pi[j, i] p_j`` fall short of its total obligations
  (strictly; a relative slack of ``1e-12`` absorbs rounding so that a node that exactly meets its obligations is
  solvent). A defaulting node pays out everything it can realise: in Eisenberg-Noe its assets, in Rogers-Veraart
  ``alpha * e_i + beta * (interbank payments received)``; the rest is the *default cost*. Solvent nodes pay in full.
  Limited liability: payments are never negative and never exceed what is owed.
* Batching: a leading scenario axis. ``external_assets`` and ``external_liabilities`` may be ``(n,)`` or ``(B, n)``,
  ``liabilities`` may be ``(n, n)`` (shared by all scenarios) or ``(B, n, n)``. Outputs are ``(B, n)`` when any input
  is batched, ``(n,)`` otherwise.

Method
------
The clearing map ``Phi`` is monotone, so Picard iteration from ``p = pbar`` gives a decreasing sequence of upper
bounds of the *greatest* clearing vector ``p*`` (Eisenberg & Noe 2001, Thm 2; Rogers & Veraart 2013, Thm 3.7). Picard
runs batched over scenarios (one dense matrix product per iteration, in any Array-API namespace ``xp``). It is
finished, per scenario, by the exact fictitious-default step (Eisenberg & Noe 2001, Sec. 3; the Greatest Clearing
Vector Algorithm of Rogers & Veraart 2013, Sec. 3.4): freeze the set of defaulters read off the current upper bound,
solve the linear system ``p_D = a_D + g_D * (Pi^T p)_D`` with solvent nodes paying ``pbar``, and repeat until the set of
defaulters is stable. Each step keeps an upper bound and only adds defaulters, so it ends after at most ``n`` solves
with ``p*`` itself, exact up to the rounding of a linear solve (1e-12 relative, not an iteration tolerance).

Speed (shared sparse networks on the NumPy backend): Picard runs as one compiled fused sweep per iteration (sparse
product, clearing map, convergence and default counts in one pass over node-major ``(n, B)`` payments, tiled over
scenarios; bit for bit the SciPy products). With several scenarios the sweeps go on until each scenario *settles*
at ``p*`` to rounding (a sweep that moves nothing, or a move of at most ``1e-14`` of the largest obligation at a
measured contraction rate <= 0.9, which bounds the error by ``9e-14`` of it); a settled scenario needs no linear
solve. The others (and single-scenario calls) take the exact step above, where frozen systems with more than 200
partial payers are solved by GMRES warm-started at the Picard bound and accepted only at a float64 residual of
``1e-13`` relative (a sparse LU of these systems fills in on random networks); smaller ones by sparse LU.

Small networks (``n <= 200``, at least two scenarios left after Picard: the ecosystem model's networks, and any
dense input below the sparse threshold) take the exact step for all scenarios at once: each round freezes every
scenario's defaulters and solves all the frozen systems in one compiled call (one LU with partial pivoting per
scenario on its partial payers, no Python per scenario); the certificate and the update of the bound are the same
as one scenario at a time, row by row, so the answers agree to the rounding of a linear solve. Scenarios whose
frozen system is singular or whose certificate fails go on one at a time, as above.
``benchmarks/clearing_bench.py`` measures it all.

With senior external liabilities larger than what a defaulter can realise, a fourth regime appears (the node pays
nothing interbank); the frozen step is then certified (its regimes must reproduce themselves) and, if a step fails
the certificate, Picard runs further before trying again. ``result.exact`` says, per scenario, that the certificate
held.

References
----------
Eisenberg, L. and Noe, T. H. (2001). Systemic risk in financial systems. Management Science 47(2), 236-249.
Rogers, L. C. G. and Veraart, L. A. M. (2013). Failure and rescue in an interbank network. Management Science 59(4),
882-898 (Definition 3.6 of the clearing vector with default costs alpha, beta; Greatest Clearing Vector Algorithm).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import numba
import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.linalg

from junkan.errors import JunkanInputError
from junkan.stress._backend import resolve_namespace, to_device, to_numpy
from junkan.stress._validate import as_matrix, as_vector, batch_size, check_fraction

__all__ = ["ClearingResult", "Seniority", "eisenberg_noe", "rogers_veraart"]

Seniority = Literal["pro_rata", "senior"]

_RTOL_DEFAULT = 1e-12  # relative slack in "assets < obligations", absorbs rounding only
_LU_CACHE_SIZE = 256
_SPARSE_MIN_N = 200  # dense shared networks at least this big and sparse enough get sparse products and solves
_SPARSE_MAX_DENSITY = 0.05
_STABLE_STOP = 8  # Picard stops once the set of defaulters has not changed for this many iterations
_FUSED_MIN_WORK = 2_000  # sparse Picard runs the compiled fused kernel when B * (nnz + n) is at least this
_SETTLE_MAX = 60  # most extra batched sweeps spent settling scenarios at p* before the per-scenario exact step
_KRYLOV_MIN = 200  # frozen sparse systems with more partial payers than this are solved by GMRES, not by LU
_KRYLOV_RTOL = 1e-14  # relative residual GMRES must reach (then checked again in float64)
_BATCH_EXACT_MAX_N = 200  # networks up to this size take the exact step for all scenarios at once


@dataclass(frozen=True, eq=False)
class ClearingResult:
    """The greatest clearing vector of a payment network and the balance sheets it implies.

    Orientation: ``liabilities[i, j]`` is what ``i`` owes ``j``. Arrays are ``(n,)`` for one scenario or ``(B, n)``
    for ``B`` scenarios (leading axis). Money is conserved per node:
    ``external_assets + received = payments + external_payments + equity + default_costs``.

    Attributes
    ----------
    model
        ``"eisenberg_noe"`` or ``"rogers_veraart"``.
    payments
        Interbank payments ``p_i`` (the greatest clearing vector), ``0 <= p <= obligations``.
    external_payments
        What each node pays its external creditors.
    obligations
        Interbank obligations ``pbar_i`` (row sums of ``liabilities``).
    external_obligations
        External liabilities ``l_i``.
    received
        Interbank payments received, ``sum_j Pi[j, i] p_j``.
    defaulted
        ``True`` where a node cannot meet its total obligations.
    equity
        Net worth left to shareholders after clearing: assets minus total obligations for solvent nodes, 0 for
        defaulters (limited liability).
    default_costs
        Value destroyed by default (Rogers-Veraart): ``(1 - alpha) e_i + (1 - beta) received_i`` for defaulters,
        0 otherwise (always 0 for Eisenberg-Noe).
    losses
        Creditors' shortfall on node ``i``'s debts: total obligations minus total paid (interbank plus external).
    iterations
        Picard iterations run for each scenario (an ``int`` when unbatched).
    solves
        Linear solves of the exact fictitious-default step for each scenario.
    exact
        ``True`` where the result is certified as the greatest clearing vector: by the exact step, or by batched
        Picard settling at it to rounding (then ``solves`` is 0).
    seniority, alpha, beta
        The conventions used.
    """

    model: str
    payments: np.ndarray
    external_payments: np.ndarray
    obligations: np.ndarray
    external_obligations: np.ndarray
    received: np.ndarray
    defaulted: np.ndarray
    equity: np.ndarray
    default_costs: np.ndarray
    losses: np.ndarray
    iterations: np.ndarray | int
    solves: np.ndarray | int
    exact: np.ndarray | bool
    seniority: str
    alpha: float
    beta: float

    @property
    def n_defaults(self) -> np.ndarray | int:
        """Number of defaulting nodes (per scenario when batched)."""
        count = self.defaulted.sum(axis=-1)
        return int(count) if np.ndim(count) == 0 else count

    @property
    def total_losses(self) -> np.ndarray | float:
        """Creditors' total shortfall (per scenario when batched)."""
        total = self.losses.sum(axis=-1)
        return float(total) if np.ndim(total) == 0 else total

    def summary(self) -> dict[str, Any]:
        """A small dict: model, conventions, scenario count, mean defaults and losses, whether all were exact."""
        defaults = np.atleast_1d(self.defaulted.sum(axis=-1))
        losses = np.atleast_1d(self.losses.sum(axis=-1))
        return {
            "model": self.model,
            "orientation": "liabilities[i, j] = what i owes j",
            "seniority": self.seniority,
            "alpha": self.alpha,
            "beta": self.beta,
            "scenarios": int(defaults.size),
            "nodes": int(self.payments.shape[-1]),
            "mean_defaults": float(defaults.mean()),
            "mean_total_losses": float(losses.mean()),
            "all_exact": bool(np.all(self.exact)),
        }

    def to_frame(self) -> Any:
        """One row per (scenario, node) with payments, defaults, equity and losses (a pandas DataFrame)."""
        import pandas as pd

        pay = np.atleast_2d(self.payments)
        b, n = pay.shape
        cols = {
            "scenario": np.repeat(np.arange(b), n),
            "node": np.tile(np.arange(n), b),
        }
        for name in (
            "payments",
            "external_payments",
            "received",
            "defaulted",
            "equity",
            "default_costs",
            "losses",
        ):
            cols[name] = np.atleast_2d(getattr(self, name)).reshape(-1)
        return pd.DataFrame(cols)


def eisenberg_noe(
    liabilities: Any,
    external_assets: Any,
    *,
    external_liabilities: Any = None,
    seniority: Seniority = "pro_rata",
    xp: str | ModuleType | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> ClearingResult:
    """Greatest Eisenberg-Noe clearing vector, exact, batched over scenarios.

    ``p_i = min(pbar_i, max(0, e_i + sum_j Pi[j, i] p_j))`` with ``liabilities[i, j]`` = what ``i`` owes ``j``
    (Eisenberg & Noe 2001, Management Science 47(2), Definition 1 and the fictitious default algorithm). No default
    costs: a defaulter pays out all its assets.

    Parameters
    ----------
    liabilities
        ``(n, n)`` or ``(B, n, n)``, non-negative, zero diagonal: ``liabilities[i, j]`` is what ``i`` owes ``j``.
        A ``scipy.sparse`` matrix (shared by all scenarios) is accepted and never densified on the NumPy backend;
        a dense shared matrix with ``n >= 200`` and at most 5% non-zeros is switched to sparse products and a
        sparse LU as well.
    external_assets
        ``(n,)`` or ``(B, n)``, non-negative: assets held outside the network (after the shock).
    external_liabilities
        ``(n,)`` or ``(B, n)``, non-negative, or ``None`` for none.
    seniority
        ``"pro_rata"`` (external creditors rank equally with interbank ones) or ``"senior"`` (paid first).
    xp
        Array namespace for the batched Picard phase (``None``/"numpy", "cupy", "torch" or a module); the exact
        phase always runs in NumPy.
    tol
        Picard stops when no payment moves by more than ``tol`` times the largest obligation (the exact step then
        finishes; ``tol`` does not limit the accuracy of the result).
    max_iter
        Most Picard iterations before the exact step takes over.

    Returns
    -------
    ClearingResult
        ``payments`` is the greatest clearing vector; see :class:`ClearingResult`.
    """
    return _clear(
        "eisenberg_noe",
        liabilities,
        external_assets,
        external_liabilities,
        seniority,
        1.0,
        1.0,
        xp,
        tol,
        max_iter,
    )


def rogers_veraart(
    liabilities: Any,
    external_assets: Any,
    *,
    alpha: float,
    beta: float,
    external_liabilities: Any = None,
    seniority: Seniority = "pro_rata",
    xp: str | ModuleType | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> ClearingResult:
    """Greatest Rogers-Veraart clearing vector with default costs, exact, batched over scenarios.

    ``liabilities[i, j]`` is what ``i`` owes ``j``. A solvent node (``e_i + sum_j Pi[j, i] p_j >= pbar_i + l_i``) pays
    in full; a defaulting node realises ``alpha * e_i + beta * sum_j Pi[j, i] p_j`` and pays that out (Rogers &
    Veraart 2013, Management Science 59(4), Definition 3.6; Greatest Clearing Vector Algorithm, Sec. 3.4). With
    ``alpha = beta = 1`` it is Eisenberg-Noe; ``alpha = beta = 0`` is zero recovery (Gai & Kapadia 2010).

    Parameters
    ----------
    liabilities
        ``(n, n)`` or ``(B, n, n)``, non-negative, zero diagonal: ``liabilities[i, j]`` is what ``i`` owes ``j``;
        or a shared ``scipy.sparse`` matrix (see :func:`eisenberg_noe`).
    external_assets
        ``(n,)`` or ``(B, n)``, non-negative.
    alpha
        Fraction of external assets a defaulter realises, in ``[0, 1]``.
    beta
        Fraction of interbank receipts a defaulter realises, in ``[0, 1]``.
    external_liabilities
        ``(n,)`` or ``(B, n)``, non-negative, or ``None``.
    seniority
        ``"pro_rata"`` or ``"senior"`` (external creditors first).
    xp, tol, max_iter
        As in :func:`eisenberg_noe`.

    Returns
    -------
    ClearingResult
    """
    a = check_fraction(alpha, "alpha")
    b = check_fraction(beta, "beta")
    return _clear(
        "rogers_veraart",
        liabilities,
        external_assets,
        external_liabilities,
        seniority,
        a,
        b,
        xp,
        tol,
        max_iter,
    )


# --------------------------------------------------------------------------------------------------------------
# implementation


@dataclass
class _Problem:
    """Validated inputs, broadcast to a scenario axis, and the derived per-node coefficients."""

    pi: np.ndarray | None  # (n, n) shared or (B, n, n); None while only the sparse form exists
    shared: bool
    e: np.ndarray  # (B, n)
    pbar: np.ndarray  # (B, n) interbank obligations
    ptot: np.ndarray  # (B, n) total obligations
    lext: np.ndarray  # (B, n)
    a: np.ndarray  # (B, n) constant of a defaulter's interbank payment
    g: np.ndarray  # (B, n) slope of a defaulter's interbank payment in its receipts
    alpha: float
    beta: float
    senior: bool
    pi_sp: Any = None  # scipy.sparse CSR form of a shared Pi, when sparse products pay
    node_only: bool = False  # pbar, ptot and g are the same in every scenario (rows of the (B, n) arrays repeat)
    a_lin: tuple[np.ndarray, np.ndarray] | None = None  # (c1, c0) with a == c1 * e + c0 bit for bit, if node_only
    _pit: Any = None  # CSR of Pi^T (rows = receivers), built on first use

    def pi_t(self) -> Any:
        """CSR form of ``Pi^T`` (row ``i`` lists what ``i`` receives from each debtor), built once."""
        if self._pit is None:
            pit = scipy.sparse.csr_array(self.pi_sp.T)
            pit.sort_indices()
            self._pit = pit
        return self._pit

    def dense_pi(self) -> np.ndarray:
        if self.pi is None:
            self.pi = np.asarray(self.pi_sp.toarray())
        return self.pi

    def inflow(self, p: np.ndarray, k: int | None = None) -> np.ndarray:
        """Interbank receipts ``sum_j Pi[j, i] p_j``: ``p`` is ``(B, n)`` (``k`` None) or scenario ``k``'s ``(n,)``."""
        if self.pi_sp is not None:
            return np.asarray(self.pi_sp.T @ p) if p.ndim == 1 else np.asarray((self.pi_sp.T @ p.T).T)
        pi = self.dense_pi()
        if self.shared:
            return np.asarray(p @ pi)
        if k is None:
            return np.einsum("bj,bji->bi", p, pi)
        return np.asarray(p @ pi[k])


def _sparse_liabilities(liabilities: Any) -> Any:
    lsp = scipy.sparse.csr_array(liabilities, dtype=float)
    if lsp.ndim != 2 or lsp.shape[0] != lsp.shape[1]:
        raise JunkanInputError.single(f"must have shape (n, n), got {lsp.shape}", field="liabilities")
    if not np.all(np.isfinite(lsp.data)):
        raise JunkanInputError.single("has a non-finite entry (nan or inf)", field="liabilities")
    if np.any(lsp.data < 0):
        raise JunkanInputError.single("has a negative entry", field="liabilities")
    if np.any(lsp.diagonal() != 0):
        raise JunkanInputError.single("must have a zero diagonal (a node cannot owe itself)", field="liabilities")
    return lsp


def _rows(x: np.ndarray, b: int, n: int) -> np.ndarray:
    """A fresh C-ordered float ``(b, n)`` array holding ``x`` (``(n,)`` repeated, or ``(b, n)`` copied)."""
    out = np.empty((b, n))
    out[...] = x
    return out


def _prepare(
    liabilities: Any, external_assets: Any, external_liabilities: Any, seniority: str, alpha: float, beta: float
) -> tuple[_Problem, bool]:
    if seniority not in ("pro_rata", "senior"):
        raise JunkanInputError.single(f"must be 'pro_rata' or 'senior', got {seniority!r}", field="seniority")
    pi: np.ndarray | None
    pi_sp: Any = None
    if scipy.sparse.issparse(liabilities):
        lsp = _sparse_liabilities(liabilities)
        n = lsp.shape[0]
        shape_probe = np.empty((1, 1))
        pbar_raw = np.asarray(lsp.sum(axis=1)).ravel()
        inv = np.divide(1.0, pbar_raw, out=np.zeros(n), where=pbar_raw > 0)
        pi_sp = scipy.sparse.csr_array(scipy.sparse.diags_array(inv) @ lsp)
        pi = None
    else:
        lmat = as_matrix(liabilities, "liabilities", zero_diagonal=True)
        n = lmat.shape[-1]
        shape_probe = lmat
        pbar_raw = lmat.sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            pi = np.where(pbar_raw[..., None] > 0, lmat / pbar_raw[..., None], 0.0)
        if lmat.ndim == 2 and n >= _SPARSE_MIN_N and np.count_nonzero(lmat) <= _SPARSE_MAX_DENSITY * n * n:
            pi_sp = scipy.sparse.csr_array(pi)
    e = as_vector(external_assets, "external_assets", n)
    lext = np.zeros(n) if external_liabilities is None else as_vector(external_liabilities, "external_liabilities", n)
    nb = batch_size(liabilities=(shape_probe, 2), external_assets=(e, 1), external_liabilities=(lext, 1))
    batched = nb is not None
    b = nb or 1
    shared = shape_probe.ndim == 2
    if pi_sp is None and pi is not None and shared and b > 1 and n <= _BATCH_EXACT_MAX_N:
        # a small shared dense network with several scenarios: the compiled fused Picard sweep (single-threaded at
        # this size, settles scenarios) instead of a BLAS product per iteration, whose threads stall under load
        pi_sp = scipy.sparse.csr_array(pi)
    pbar = _rows(pbar_raw, b, n)
    e_b = _rows(e, b, n)
    l_b = _rows(lext, b, n)
    ptot = pbar + l_b
    senior = seniority == "senior"
    if senior:
        a = alpha * e_b - l_b
        g = np.full((b, n), beta)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(ptot > 0, pbar / ptot, 1.0)
        a = share * alpha * e_b
        g = share * beta
    node_only = shared and np.ndim(lext) == 1
    a_lin = None
    if node_only:  # a == c1 * e + c0 with the same rounding as above (left to right: (share * alpha) * e)
        a_lin = (np.full(n, alpha), -l_b[0].copy()) if senior else (share[0] * alpha, np.zeros(n))
    prob = _Problem(pi, shared, e_b, pbar, ptot, l_b, a, g, alpha, beta, senior, pi_sp, node_only, a_lin)
    return prob, batched


_TILE = 16  # scenarios per tile (a compile-time constant: the product over a tile unrolls into vector FMAs)
_PARALLEL_MIN_WORK = 20_000_000  # threads only pay when one sweep is this many multiply-adds (waking them costs)


@numba.njit(parallel=True, cache=True)
def _picard_sweep(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    pt: np.ndarray,
    outt: np.ndarray,
    e: np.ndarray,
    a: np.ndarray,
    c1: np.ndarray,
    c0: np.ndarray,
    a_from_e: bool,
    g: np.ndarray,
    pbar: np.ndarray,
    thresh: np.ndarray,
    nb: int,
    delta: np.ndarray,
    ndef: np.ndarray,
) -> None:  # pragma: no cover (compiled; tested against the SciPy path)
    """One fused Picard step for all scenarios: ``out = Phi(p)``, with per-scenario max change and default count.

    ``indptr, indices, data`` are the CSR arrays of ``Pi^T`` (row ``i``: what ``i`` receives per unit paid by each
    debtor). ``pt`` and ``outt`` hold the payments of the ``nb`` scenarios tile-major, ``(ntile, n, width)``:
    scenario ``b`` of node ``i`` is ``pt[b // width, i, b % width]``, so a tile is one contiguous block that stays in
    L2 and the scenarios of one debtor are contiguous (the product vectorises over them). ``e`` is tile-major like
    ``pt``; ``g``, ``pbar``, ``thresh`` and ``a`` have 1 or ``B`` rows; with ``a_from_e`` a defaulter's constant is
    ``c1 * e + c0`` (per-node ``c1, c0``). Tiles run in parallel.
    """
    ntile, n, width = pt.shape
    per_scenario = g.shape[0] > 1
    per_scenario_a = a.shape[0] > 1
    fast = a_from_e and not per_scenario
    for t in numba.prange(ntile):
        b0 = t * width
        m = min(width, nb - b0)
        acc = np.empty(_TILE)
        d = np.zeros(_TILE)  # padded scenarios of the last tile are computed and never read
        nd = np.zeros(_TILE, dtype=np.int64)
        for i in range(n):
            for q in range(_TILE):
                acc[q] = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                v = data[k]
                for q in range(_TILE):
                    acc[q] += v * pt[t, j, q]
            if fast:  # per-node coefficients, a = c1 * e + c0: the tile's update vectorises
                c1i = c1[i]
                c0i = c0[i]
                gi = g[0, i]
                capi = pbar[0, i]
                thi = thresh[0, i]
                for q in range(_TILE):
                    ei = e[t, i, q]
                    x = acc[q]
                    v = (c1i * ei + c0i) + gi * x
                    v = v if v > 0.0 else 0.0
                    v = v if v < capi else capi
                    dflt = ei + x < thi
                    v = v if dflt else capi
                    nd[q] += dflt
                    dd = abs(v - pt[t, i, q])
                    d[q] = dd if dd > d[q] else d[q]
                    outt[t, i, q] = v
                continue
            for q in range(m):
                # branch-free (selects): whether a node defaults is data-dependent and mispredicts
                b = b0 + q
                r = b if per_scenario else 0
                ei = e[t, i, q]
                cap = pbar[r, i]
                x = acc[q]
                ai = c1[i] * ei + c0[i] if a_from_e else a[b if per_scenario_a else 0, i]
                v = ai + g[r, i] * x
                v = v if v > 0.0 else 0.0
                v = v if v < cap else cap
                dflt = ei + x < thresh[r, i]
                v = v if dflt else cap
                nd[q] += dflt
                dd = abs(v - pt[t, i, q])
                d[q] = dd if dd > d[q] else d[q]
                outt[t, i, q] = v
        for q in range(m):
            delta[b0 + q] = d[q]
            ndef[b0 + q] = nd[q]


def _tile_major(x: np.ndarray, width: int) -> np.ndarray:
    """``(B, n)`` to ``(ceil(B / width), n, width)``: scenario ``b`` of node ``i`` at ``[b // width, i, b % width]``."""
    b, n = x.shape
    ntile = (b + width - 1) // width
    out = np.zeros((ntile, n, width))
    for t in range(ntile):
        block = x[t * width : (t + 1) * width]
        out[t, :, : block.shape[0]] = block.T
    return out


def _picard_fused(
    prob: _Problem, tol: float, max_iter: int, settle: bool = False
) -> tuple[np.ndarray, int, np.ndarray]:
    """Batched Picard on the host for a shared sparse ``Pi``: the compiled fused sweep, two buffers, no temporaries.

    Same iteration, stopping rules and result as the generic loop in :func:`_picard` (the set of defaulters only
    grows along the decreasing Picard sequence, so "the set did not change" is "the count did not change").

    With ``settle`` the sweeps go on (at most ``_SETTLE_MAX`` more, within ``max_iter``) until each scenario has
    *settled*: Picard has reached the greatest clearing vector to rounding, so that scenario needs no linear solve.
    A scenario settles when a sweep moves nothing (a floating-point fixed point of the clearing map, reached from
    above), or when the last move is at most ``1e-14`` of the largest obligation while the measured contraction
    rate (ratio of successive moves above ``1e-13``) is at most 0.9, which bounds the remaining error by
    ``9e-14`` of the largest obligation. The third value is that per-scenario mask.
    """
    pit = prob.pi_t()
    indptr = pit.indptr.astype(np.int64, copy=False)
    indices = pit.indices.astype(np.int64, copy=False)
    data = np.ascontiguousarray(pit.data, dtype=float)
    b, n = prob.pbar.shape
    rows = slice(0, 1) if prob.node_only else slice(None)
    g = np.ascontiguousarray(prob.g[rows])
    pbar = np.ascontiguousarray(prob.pbar[rows])
    thresh = prob.ptot[rows] * (1.0 - _RTOL_DEFAULT)
    if prob.a_lin is not None:
        c1, c0 = prob.a_lin
        a = np.zeros((1, n))
    else:
        c1 = c0 = np.zeros(n)
        a = np.ascontiguousarray(prob.a)
    width = _TILE
    ntile = (b + width - 1) // width
    pt = _tile_major(prob.pbar, width)  # a copy: prob.pbar must stay untouched
    e = _tile_major(prob.e, width)
    outt = np.zeros_like(pt)
    delta = np.zeros(b)
    ndef = np.zeros(b, dtype=np.int64)
    previous = None
    scale = max(1.0, float(np.max(prob.ptot, initial=0.0)))
    its = 0
    stable = 0
    threads = numba.get_num_threads()
    if b <= width or b * (data.size + n) < _PARALLEL_MIN_WORK:
        numba.set_num_threads(1)  # one tile, or too little work: a parallel launch would cost more than it saves
    a_from_e = prob.a_lin is not None
    rate = np.ones(b)  # measured contraction rate per scenario (1 = not measured yet)
    settled = np.zeros(b, dtype=bool)
    last = np.full(b, np.inf)
    try:
        for its in range(1, max_iter + 1):  # noqa: B007 (its is reported)
            _picard_sweep(indptr, indices, data, pt, outt, e, a, c1, c0, a_from_e, g, pbar, thresh, b, delta, ndef)
            pt, outt = outt, pt
            if settle:
                last = _settle_update(delta, last, rate, settled, scale)
            if float(np.max(delta, initial=0.0)) <= tol * scale:
                break
            stable = stable + 1 if previous is not None and np.array_equal(ndef, previous) else 0
            if stable >= _STABLE_STOP:
                break
            previous = ndef.copy()
        extra = 0
        while settle and its < max_iter and extra < _SETTLE_MAX and not settled.all():
            _picard_sweep(indptr, indices, data, pt, outt, e, a, c1, c0, a_from_e, g, pbar, thresh, b, delta, ndef)
            pt, outt = outt, pt
            its += 1
            extra += 1
            last = _settle_update(delta, last, rate, settled, scale)
    finally:
        numba.set_num_threads(threads)
    if max_iter <= 0:
        its = 0
        settled[:] = False
    return np.ascontiguousarray(pt.transpose(0, 2, 1).reshape(ntile * width, n)[:b]), its, settled


def _settle_update(
    delta: np.ndarray, last: np.ndarray, rate: np.ndarray, settled: np.ndarray, scale: float
) -> np.ndarray:
    """Update the contraction rates and the settled mask after a sweep that moved each scenario by ``delta``."""
    measurable = (delta > 1e-13 * scale) & np.isfinite(last) & (last > 0)
    rate[measurable] = delta[measurable] / last[measurable]
    settled |= (delta == 0) | ((delta <= 1e-14 * scale) & (rate <= 0.9))
    return delta.copy()


def _picard(
    prob: _Problem, xp: ModuleType, tol: float, max_iter: int, settle: bool = False
) -> tuple[np.ndarray, Any, np.ndarray]:
    """Batched Picard iteration from ``pbar`` in namespace ``xp``: an upper bound of ``p*``, the count, and which
    scenarios settled at ``p*`` (only the fused path settles scenarios, see :func:`_picard_fused`)."""
    host_sparse = xp is np and prob.pi_sp is not None
    if host_sparse and prob.pbar.shape[0] * (prob.pi_sp.nnz + prob.pbar.shape[1]) >= _FUSED_MIN_WORK:
        return _picard_fused(prob, tol, max_iter, settle)
    pi = None if host_sparse else to_device(xp, prob.dense_pi())
    e = to_device(xp, prob.e)
    pbar = to_device(xp, prob.pbar)
    thresh = to_device(xp, prob.ptot * (1.0 - _RTOL_DEFAULT))
    a = to_device(xp, prob.a)
    g = to_device(xp, prob.g)
    zero = to_device(xp, np.zeros_like(prob.pbar))
    scale = max(1.0, float(np.max(prob.ptot, initial=0.0)))
    p = pbar
    its = 0
    previous = None
    stable = 0
    if not prob.shared:
        return _picard_rows(prob, xp, tol, max_iter, pi, e, pbar, thresh, a, g, zero)
    for its in range(1, max_iter + 1):  # noqa: B007 (its is reported)
        inflow = prob.inflow(p) if host_sparse else xp.matmul(p, pi)
        default = (e + inflow) < thresh
        value = xp.minimum(xp.maximum(a + g * inflow, zero), pbar)
        new = xp.where(default, value, pbar)
        delta = float(xp.max(xp.abs(new - p)))
        p = new
        if delta <= tol * scale:
            break
        # Once the defaulters stop changing the exact step needs one solve: stop paying for slow convergence.
        stable = stable + 1 if previous is not None and bool(xp.all(default == previous)) else 0
        if stable >= _STABLE_STOP:
            break
        previous = default
    if max_iter <= 0:
        its = 0
    return np.array(to_numpy(p), dtype=float, copy=True), its, np.zeros(prob.pbar.shape[0], dtype=bool)


def _picard_rows(
    prob: _Problem,
    xp: ModuleType,
    tol: float,
    max_iter: int,
    pi: Any,
    e: Any,
    pbar: Any,
    thresh: Any,
    a: Any,
    g: Any,
    zero: Any,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Picard for per-scenario networks ``(B, n, n)``: each scenario stops on its own.

    The stopping rules of :func:`_picard` (no payment moves by more than ``tol`` times the scenario's largest
    obligation, or its defaulters unchanged for ``_STABLE_STOP`` iterations) are applied scenario by scenario, and a
    stopped scenario is frozen. A scenario's bound, and so its result, is then the same bit for bit whichever other
    scenarios share the call (the ecosystem model relies on it: a Monte Carlo run gives the same outcome whatever
    chunk of runs it is simulated in). Returns the bounds, the iterations of each scenario and no settled ones.
    """
    b = prob.pbar.shape[0]
    limit = to_device(xp, tol * np.maximum(1.0, np.max(prob.ptot, axis=1, initial=0.0)))
    active = to_device(xp, np.ones(b, dtype=bool))
    stable = to_device(xp, np.zeros(b, dtype=np.int64))
    its = to_device(xp, np.zeros(b, dtype=np.int64))
    one = to_device(xp, np.ones(b, dtype=np.int64))
    nothing = to_device(xp, np.zeros(b, dtype=np.int64))
    p = pbar
    previous = None
    for it in range(1, max_iter + 1):
        inflow = xp.squeeze(xp.matmul(xp.expand_dims(p, axis=1), pi), axis=1)
        default = (e + inflow) < thresh
        value = xp.minimum(xp.maximum(a + g * inflow, zero), pbar)
        new = xp.where(xp.expand_dims(active, axis=1), xp.where(default, value, pbar), p)
        delta = xp.max(xp.abs(new - p), axis=1)
        its = xp.where(active, it * one, its)
        same = xp.all(default == previous, axis=1) if previous is not None else xp.zeros_like(active)
        stable = xp.where(active & same, stable + one, xp.where(active, nothing, stable))
        p = new
        previous = default
        active = active & ~(delta <= limit) & ~(stable >= _STABLE_STOP)
        if not bool(xp.any(active)):
            break
    return (
        np.array(to_numpy(p), dtype=float, copy=True),
        np.array(to_numpy(its), dtype=int, copy=True),
        np.zeros(b, dtype=bool),
    )


class _Solver:
    """Solves the frozen linear systems, caching LU factors when the matrix is shared by scenarios."""

    def __init__(self, prob: _Problem) -> None:
        self.prob = prob
        self.cache: dict[bytes, Any] = {}

    def solve(
        self, k: int, part: np.ndarray, solvent: np.ndarray, start: np.ndarray | None = None
    ) -> np.ndarray | None:
        """Payments of the partial payers ``part`` of scenario ``k`` when ``solvent`` nodes pay in full.

        ``start`` (the current upper bound, ``(n,)``) warm-starts the iterative solver used for large sparse systems.
        """
        prob = self.prob
        idx = np.flatnonzero(part)
        sol = np.flatnonzero(solvent)
        g = prob.g[k, idx]
        if prob.pi_sp is not None:
            if idx.size > _KRYLOV_MIN:
                return self._solve_krylov(k, idx, solvent, g, start)
            return self._solve_sparse(k, part, idx, sol, g)
        pi = prob.dense_pi() if prob.shared else prob.dense_pi()[k]
        rhs = prob.a[k, idx] + g * (prob.pbar[k, sol] @ pi[np.ix_(sol, idx)])
        key = None
        if prob.shared:
            key = part.tobytes() + g.tobytes()
            lu = self.cache.get(key)
        else:
            lu = None
        if lu is None:
            mat = np.eye(idx.size) - g[:, None] * pi[np.ix_(idx, idx)].T
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    # a singular frozen system is detected below and handled (Picard continues)
                    warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
                    lu = scipy.linalg.lu_factor(mat, check_finite=False)
            except (np.linalg.LinAlgError, ValueError):
                return None
            if not np.all(np.isfinite(lu[0])) or np.any(np.diag(lu[0]) == 0):
                return None
            if key is not None:
                if len(self.cache) >= _LU_CACHE_SIZE:
                    self.cache.pop(next(iter(self.cache)))
                self.cache[key] = lu
        x = scipy.linalg.lu_solve(lu, rhs, check_finite=False)
        return x if np.all(np.isfinite(x)) else None

    def _solve_krylov(
        self, k: int, idx: np.ndarray, solvent: np.ndarray, g: np.ndarray, start: np.ndarray | None
    ) -> np.ndarray | None:
        """GMRES on ``(I - diag(g) Pi_DD^T) x = a_D + g (Pi^T q)_D`` for a large set ``D`` of partial payers.

        A sparse LU of this system fills in badly on random networks (0.3 s at |D| = 1700, hours for thousands of
        scenarios at |D| = 5000); GMRES warm-started at the Picard upper bound converges in a few dozen products.
        The answer is accepted only when its float64 residual is at the rounding level,
        ``|r|_inf <= 1e-13 * max(1, |rhs|_inf, |x|_inf)``, re-checked outside GMRES; otherwise ``None`` (the caller
        iterates further, as for a singular system).
        """
        prob = self.prob
        pit = prob.pi_t()
        q = np.where(solvent, prob.pbar[k], 0.0)
        rhs = prob.a[k, idx] + g * np.asarray(pit @ q)[idx]
        amat = scipy.sparse.identity(idx.size, format="csr") - scipy.sparse.diags_array(g) @ pit[idx][:, idx]
        amat = scipy.sparse.csr_array(amat)
        x = np.array(start[idx], dtype=float) if start is not None else np.array(rhs)
        for _ in range(4):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x, _info = scipy.sparse.linalg.gmres(
                    amat, rhs, x0=x, rtol=_KRYLOV_RTOL, atol=0.0, restart=min(idx.size, 60), maxiter=20
                )
            if not np.all(np.isfinite(x)):
                return None
            resid = float(np.max(np.abs(rhs - amat @ x)))
            if resid <= 1e-13 * max(1.0, float(np.max(np.abs(rhs))), float(np.max(np.abs(x)))):
                return np.asarray(x, dtype=float)
        return None

    def _solve_sparse(
        self, k: int, part: np.ndarray, idx: np.ndarray, sol: np.ndarray, g: np.ndarray
    ) -> np.ndarray | None:
        prob = self.prob
        pi_sp = prob.pi_sp
        rhs = prob.a[k, idx] + g * np.asarray(pi_sp[sol][:, idx].T @ prob.pbar[k, sol])
        key = part.tobytes() + g.tobytes()
        lu = self.cache.get(key)
        if lu is None:
            sub = pi_sp[idx][:, idx]
            mat = scipy.sparse.identity(idx.size, format="csc") - scipy.sparse.diags_array(g) @ sub.T
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    lu = scipy.sparse.linalg.splu(scipy.sparse.csc_matrix(mat))
            except RuntimeError:  # exactly singular
                return None
            if len(self.cache) >= _LU_CACHE_SIZE:
                self.cache.pop(next(iter(self.cache)))
            self.cache[key] = lu
        x = lu.solve(rhs)
        return x if np.all(np.isfinite(x)) else None


def _regimes(prob: _Problem, k: int, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    inflow = prob.inflow(p, k)
    default = (prob.e[k] + inflow) < prob.ptot[k] * (1.0 - _RTOL_DEFAULT)
    value = prob.a[k] + prob.g[k] * inflow
    zero = default & (value <= 0)
    return default, zero, value


def _picard_one(prob: _Problem, k: int, p: np.ndarray, iters: int) -> tuple[np.ndarray, int]:
    """Further Picard iterations for one scenario (NumPy), from an upper bound ``p``."""
    scale = max(1.0, float(np.max(prob.ptot[k], initial=0.0)))
    done = 0
    for done in range(1, iters + 1):  # noqa: B007
        inflow = prob.inflow(p, k)
        default = (prob.e[k] + inflow) < prob.ptot[k] * (1.0 - _RTOL_DEFAULT)
        value = np.clip(prob.a[k] + prob.g[k] * inflow, 0.0, prob.pbar[k])
        new = np.where(default, value, prob.pbar[k])
        delta = float(np.max(np.abs(new - p), initial=0.0))
        p = new
        if delta <= 1e-15 * scale:
            break
    return p, done


def _exact_one(
    prob: _Problem,
    solver: _Solver,
    k: int,
    upper: np.ndarray,
    max_iter: int,
    solves: int = 0,
    stuck: bool = False,
) -> tuple[np.ndarray, int, int, bool]:
    """Fictitious-default step for scenario ``k`` from the upper bound ``upper``.

    ``solves`` counts solves already spent on this scenario (by :func:`_exact_batched`), and ``stuck`` says that the
    frozen step failed at ``upper`` already, so Picard runs further first. Returns the payments, the linear solves,
    the extra Picard iterations and whether the result is certified.
    """
    n = upper.size
    p = upper.copy()
    extra = 0
    fallbacks = 0
    slack = 1e-12 * max(1.0, float(np.max(prob.ptot[k], initial=0.0)))
    if stuck:
        fallbacks = 1
        p, extra = _picard_one(prob, k, p, max(max_iter, 10 * n) * 10)
    while True:
        default, zero, _ = _regimes(prob, k, p)
        part = default & ~zero
        solvent = ~default
        q = np.where(solvent, prob.pbar[k], 0.0)
        ok = True
        if part.any():
            x = solver.solve(k, part, solvent, p)
            solves += 1
            if x is None:
                ok = False
            else:
                q[part] = x
        if ok:
            default_q, _, value_q = _regimes(prob, k, q)
            consistent = bool(np.array_equal(default_q, default) and np.all(value_q[part] >= -slack))
            if consistent:
                return np.clip(q, 0.0, prob.pbar[k]), solves, extra, True
            if np.all(prob.a[k, part] >= 0):
                # q is again an upper bound of p* (the frozen map dominates the clearing map at p*) and below p,
                # and its defaulters strictly include the current ones: at most n such steps.
                p = np.minimum(np.clip(q, 0.0, prob.pbar[k]), p)
                if solves > n + 1:
                    ok = False
                else:
                    continue
        # The certificate failed where senior external debt can push a defaulter to zero: iterate further.
        fallbacks += 1
        if fallbacks > 3:
            return p, solves, extra, False
        p, done = _picard_one(prob, k, p, max(max_iter, 10 * n) * 10**fallbacks)
        extra += done


def _inflow_rows(prob: _Problem, ks: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Receipts of scenarios ``ks`` (``(m,)`` indices) at payments ``p`` (``(m, n)``)."""
    if prob.shared:
        return prob.inflow(p)
    return np.einsum("bj,bji->bi", p, prob.dense_pi()[ks])


def _regimes_rows(prob: _Problem, ks: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_regimes` for the scenarios ``ks`` at once (``p`` is ``(m, n)``)."""
    inflow = _inflow_rows(prob, ks, p)
    default = (prob.e[ks] + inflow) < prob.ptot[ks] * (1.0 - _RTOL_DEFAULT)
    value = prob.a[ks] + prob.g[ks] * inflow
    zero = default & (value <= 0)
    return default, zero, value


@numba.njit(cache=True)
def _frozen_solve(
    pi: np.ndarray, src: np.ndarray, part: np.ndarray, g: np.ndarray, rhs: np.ndarray, x: np.ndarray, ok: np.ndarray
) -> None:  # pragma: no cover (compiled; tested against the one-scenario LU path)
    """Solve the frozen systems of ``m`` scenarios: ``(I - diag(g_D) Pi_DD^T) x_D = rhs_D`` on each row's ``D``.

    ``pi`` is ``(S, n, n)`` (``S = 1`` for a shared network), ``src[b]`` the slice of ``pi`` of row ``b``; ``part``
    ``(m, n)`` marks the partial payers ``D`` of each row. ``x[b, D]`` receives the solution, ``ok[b]`` whether the
    LU factorisation (partial pivoting, as LAPACK ``getrf``) met no zero pivot and the solution is finite. One
    ``n x n`` workspace serves all rows.
    """
    m, n = part.shape
    mat = np.empty((n, n))
    idx = np.empty(n, dtype=np.int64)
    y = np.empty(n)
    for b in range(m):
        d = 0
        for i in range(n):
            if part[b, i]:
                idx[d] = i
                d += 1
        s = src[b]
        for r in range(d):
            gi = g[b, idx[r]]
            for c in range(d):
                mat[r, c] = -gi * pi[s, idx[c], idx[r]]
            mat[r, r] += 1.0
            y[r] = rhs[b, idx[r]]
        good = True
        for col in range(d):
            piv = col
            big = abs(mat[col, col])
            for r in range(col + 1, d):
                v = abs(mat[r, col])
                if v > big:
                    big = v
                    piv = r
            if not big > 0.0:  # zero (or nan) pivot: singular
                good = False
                break
            if piv != col:
                for c in range(d):
                    t = mat[col, c]
                    mat[col, c] = mat[piv, c]
                    mat[piv, c] = t
                t = y[col]
                y[col] = y[piv]
                y[piv] = t
            inv = 1.0 / mat[col, col]
            for r in range(col + 1, d):
                f = mat[r, col] * inv
                if f != 0.0:
                    for c in range(col + 1, d):
                        mat[r, c] -= f * mat[col, c]
                    y[r] -= f * y[col]
        if good:
            for r in range(d - 1, -1, -1):
                acc = y[r]
                for c in range(r + 1, d):
                    acc -= mat[r, c] * y[c]
                y[r] = acc / mat[r, r]
                if not np.isfinite(y[r]):
                    good = False
            for r in range(d):
                x[b, idx[r]] = y[r]
        ok[b] = good


def _exact_batched(
    prob: _Problem,
    ks: np.ndarray,
    upper: np.ndarray,
    payments: np.ndarray,
    solves: np.ndarray,
    exact: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The fictitious-default step of :func:`_exact_one` for the scenarios ``ks`` together (small networks).

    Each round freezes, in every scenario still running, the defaulters read off its upper bound, and solves all the
    frozen systems at once as one ``(m, n, n)`` stack of dense LAPACK solves, masked to the same size: the rows of
    the partial payers ``D`` hold ``x_i - g_i sum_{j in D} Pi[j, i] x_j = a_i + g_i sum_{j solvent} Pi[j, i] pbar_j``
    and every other row is ``x_i = q_i`` (``pbar_i`` for a solvent node, 0 for one that pays nothing). That system
    is block triangular with the one-scenario system of :func:`_exact_one` as its only non-trivial block, so it has
    the same solution (to the rounding of a linear solve). The certificate and the update of the upper bound are
    those of :func:`_exact_one`, row by row; a scenario is finished when its certificate holds.

    Certified scenarios are written into ``payments`` (with their ``solves`` and ``exact``). Returns the upper
    bounds reached (``(m, n)``) and the mask of scenarios *stuck*: a singular or non-finite frozen system, a failed
    certificate with a negative constant (senior external debt), or more than ``n + 1`` solves; the caller finishes
    those one by one with further Picard iterations, as :func:`_exact_one` does.
    """
    m, n = upper.shape
    p = upper.copy()
    stuck = np.zeros(m, dtype=bool)
    slack = 1e-12 * np.maximum(1.0, np.max(prob.ptot[ks], axis=1, initial=0.0))
    pi = np.ascontiguousarray(prob.dense_pi())
    if prob.shared:
        pi = pi[None]
    live = np.arange(m)
    while live.size:
        kl = ks[live]
        pl = p[live]
        default, zero, _ = _regimes_rows(prob, kl, pl)
        part = default & ~zero
        q = np.where(default, 0.0, prob.pbar[kl])
        ok = np.ones(live.size, dtype=bool)
        need = np.flatnonzero(part.any(axis=1))
        if need.size:
            kr = kl[need]
            gr = np.ascontiguousarray(prob.g[kr])
            rhs = prob.a[kr] + gr * _inflow_rows(prob, kr, q[need])
            x = q[need]
            good = np.zeros(need.size, dtype=bool)
            src = np.zeros(need.size, dtype=np.int64) if prob.shared else kr.astype(np.int64)
            _frozen_solve(pi, src, np.ascontiguousarray(part[need]), gr, rhs, x, good)
            q[need] = x
            ok[need] = good
            solves[kr] += 1
        q = np.where(ok[:, None], q, 0.0)  # failed rows are stuck whatever q says
        qc = np.clip(q, 0.0, prob.pbar[kl])
        default_q, _, value_q = _regimes_rows(prob, kl, q)
        consistent = (
            ok & np.all(default_q == default, axis=1) & np.all(~part | (value_q >= -slack[live][:, None]), axis=1)
        )
        done = live[consistent]
        payments[ks[done]] = qc[consistent]
        exact[ks[done]] = True
        onward = ok & ~consistent & np.all(~part | (prob.a[kl] >= 0), axis=1)
        p[live[onward]] = np.minimum(qc[onward], pl[onward])
        onward &= solves[kl] <= n + 1
        stuck[live[~consistent & ~onward]] = True
        live = live[onward]
    return p, stuck


def _clear(
    model: str,
    liabilities: Any,
    external_assets: Any,
    external_liabilities: Any,
    seniority: str,
    alpha: float,
    beta: float,
    xp: str | ModuleType | None,
    tol: float,
    max_iter: int,
) -> ClearingResult:
    prob, batched = _prepare(liabilities, external_assets, external_liabilities, seniority, alpha, beta)
    if tol <= 0 or not np.isfinite(tol):
        raise JunkanInputError.single(f"must be a positive number, got {tol!r}", field="tol")
    if max_iter < 0:
        raise JunkanInputError.single(f"must be non-negative, got {max_iter!r}", field="max_iter")
    ns = resolve_namespace(xp)
    # one scenario: the per-scenario exact step (GMRES) is cheaper than sweeping on to rounding
    upper, its, settled = _picard(prob, ns, tol, max_iter, settle=prob.pbar.shape[0] > 1)
    b, n = prob.pbar.shape
    solver = _Solver(prob)
    payments = np.empty((b, n))
    solves = np.zeros(b, dtype=int)
    iterations = np.array(np.broadcast_to(its, (b,)), dtype=int)  # per scenario for per-scenario networks
    exact = np.zeros(b, dtype=bool)
    payments[settled] = upper[settled]  # batched Picard reached p* to rounding: nothing to solve
    exact[settled] = True
    todo = np.flatnonzero(~settled)
    if todo.size >= 2 and n <= _BATCH_EXACT_MAX_N:
        # small networks: the exact step for all scenarios at once (stacked LAPACK solves), see _exact_batched
        done, stuck = _exact_batched(prob, todo, upper[todo], payments, solves, exact)
        upper[todo] = done  # the scenarios left over restart from their (lower) upper bound
        todo = todo[stuck]
        stuck_flag = True
    else:
        stuck_flag = False
    for k in todo.tolist():
        payments[k], solves[k], extra, exact[k] = _exact_one(
            prob, solver, k, upper[k], max_iter, int(solves[k]), stuck_flag
        )
        iterations[k] += extra
    received = prob.inflow(payments)
    assets = prob.e + received
    defaulted = assets < prob.ptot * (1.0 - _RTOL_DEFAULT)
    available = np.where(defaulted, alpha * prob.e + beta * received, prob.ptot)
    if prob.senior:
        ext_paid = np.minimum(prob.lext, available)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ext_share = np.where(prob.ptot > 0, prob.lext / prob.ptot, 0.0)
        ext_paid = available * ext_share
    ext_paid = np.where(defaulted, ext_paid, prob.lext)
    paid = payments + ext_paid
    equity = np.where(defaulted, 0.0, assets - prob.ptot)
    costs = np.where(defaulted, assets - paid, 0.0)
    losses = prob.ptot - paid

    def out(x: np.ndarray) -> np.ndarray:
        return x if batched else x[0]

    return ClearingResult(
        model=model,
        payments=out(payments),
        external_payments=out(ext_paid),
        obligations=out(prob.pbar),
        external_obligations=out(prob.lext),
        received=out(received),
        defaulted=out(defaulted),
        equity=out(equity),
        default_costs=out(costs),
        losses=out(losses),
        iterations=iterations if batched else int(iterations[0]),
        solves=solves if batched else int(solves[0]),
        exact=exact if batched else bool(exact[0]),
        seniority=seniority,
        alpha=alpha,
        beta=beta,
    )
