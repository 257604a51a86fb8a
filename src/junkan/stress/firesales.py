"""Fire sales with price impact: constrained holders sell, prices fall, constraints bind again.

Two tools:

* :func:`fire_sale`: the market-clearing fixed point of Cifuentes, Ferrucci & Shin (2005). Holders ``i`` own units
  ``holdings[i, k]`` of illiquid assets ``k``, cash ``cash[i]`` and debt ``debt[i]``. At prices ``p`` the value of
  their assets is ``X_i = sum_k p_k holdings[i, k]``, their equity ``E_i = X_i + cash_i - debt_i``. A holder whose
  constraint is violated sells the dollar amount ``x_i(p)`` that restores it, pro rata across its assets (units
  ``holdings[i] * x_i / X_i``); an insolvent holder (``E_i <= 0``) liquidates everything. All sales clear at the
  same prices, ``p_k = impact_k(S_k)`` with ``S_k`` the total units of ``k`` sold. Constraints (``limit`` is the
  bound):

  - ``"leverage"``: assets / equity ``(X + cash) / E <= limit`` (``limit > 1``), proceeds repay debt
    (leverage targeting as in Greenwood, Landier & Thesmar 2015): ``x = X + cash - limit * E``.
  - ``"ltv"``: loan-to-value ``debt / X <= limit`` (``0 < limit < 1``), proceeds repay debt (margin-loan style):
    ``x = (debt - limit * X) / (1 - limit)``.
  - ``"capital_ratio"``: ``E / X >= limit`` with cash risk-free and proceeds kept as cash (the risk-weighted capital
    ratio of Cifuentes, Ferrucci & Shin 2005): ``x = X - E / limit``.

  Price impact: ``"linear"``, ``p_k = p0_k * max(0, 1 - S_k / depth_k)`` (``depth_k``: units that would drive the
  price to zero), or ``"exponential"``, ``p_k = p0_k * exp(-alpha_k * S_k)`` (CFS 2005, eq. 9). ``p0`` is the price
  before the fire sale (after any exogenous shock). Sales fall as prices rise, so the map ``p -> impact(S(p))`` is
  monotone: iterating it from ``p0`` gives the *greatest* (best-case) equilibrium, as in CFS 2005 (Sec. 3). The
  iteration is finished by Newton's method on the fixed-point equation with the sellers' regimes frozen, and the
  regimes are checked, so the result is exact to rounding (``result.exact``).

* :func:`glt_vulnerability`: the closed-form first-round measures of Greenwood, Landier & Thesmar (2015): aggregate
  vulnerability, systemicness of each bank and indirect vulnerability, under leverage targeting and linear price
  impact.

Units: holdings are in units of each asset, prices in currency per unit, cash, debt and sales in currency.
Batching: a leading scenario axis on ``prices`` (``(B, K)``), ``cash``/``debt`` (``(B, m)``) and ``holdings``
(``(B, m, K)``). This module runs in NumPy only (the fixed point is over ``K`` prices, small next to the networks
in :mod:`junkan.stress.clearing`).

References
----------
Cifuentes, R., Ferrucci, G. and Shin, H. S. (2005). Liquidity risk and contagion. Journal of the European Economic
Association 3(2-3), 556-566.
Greenwood, R., Landier, A. and Thesmar, D. (2015). Vulnerable banks. Journal of Financial Economics 115(3), 471-485.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from junkan.errors import JunkanInputError
from junkan.stress._validate import as_vector, batch_size

__all__ = ["Constraint", "FireSaleResult", "GLTResult", "Impact", "fire_sale", "glt_vulnerability"]

Constraint = Literal["leverage", "ltv", "capital_ratio"]
Impact = Literal["linear", "exponential"]


@dataclass(frozen=True, eq=False)
class FireSaleResult:
    """Greatest fire-sale equilibrium, per scenario.

    Shapes: ``(K,)`` / ``(m,)`` / ``(m, K)`` for one scenario, with a leading ``B`` when batched.

    Attributes
    ----------
    prices
        Equilibrium prices.
    initial_prices
        ``p0``, the prices before the fire sale.
    units_sold
        Units of each asset sold by each holder.
    sales
        Dollar proceeds of each holder's sales at the equilibrium prices.
    equity
        Each holder's equity at equilibrium prices (sales at those prices leave it unchanged).
    insolvent
        ``equity <= 0``: the holder liquidated everything.
    constrained
        Holders that sold (their constraint bound).
    iterations
        Fixed-point iterations (batch-wide) before the Newton step.
    exact
        Whether the Newton step certified the equilibrium (per scenario).
    constraint, limit, impact
        The conventions used.
    """

    prices: np.ndarray
    initial_prices: np.ndarray
    units_sold: np.ndarray
    sales: np.ndarray
    equity: np.ndarray
    insolvent: np.ndarray
    constrained: np.ndarray
    iterations: int
    exact: np.ndarray | bool
    constraint: str
    limit: float
    impact: str

    @property
    def price_change(self) -> np.ndarray:
        """Relative price change ``p / p0 - 1`` (zero where ``p0 = 0``)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.initial_prices > 0, self.prices / self.initial_prices - 1.0, 0.0)

    def summary(self) -> dict[str, Any]:
        """Scenario count, mean price change, mean number of sellers and insolvencies."""
        return {
            "model": "cifuentes_ferrucci_shin_2005",
            "constraint": self.constraint,
            "limit": self.limit,
            "impact": self.impact,
            "scenarios": int(np.atleast_2d(self.prices).shape[0]),
            "mean_price_change": float(np.mean(self.price_change)),
            "mean_sellers": float(np.mean(np.atleast_2d(self.constrained).sum(axis=-1))),
            "mean_insolvent": float(np.mean(np.atleast_2d(self.insolvent).sum(axis=-1))),
            "all_exact": bool(np.all(self.exact)),
        }


@dataclass(frozen=True, eq=False)
class GLTResult:
    """First-round fire-sale spillovers of Greenwood, Landier & Thesmar (2015), expressed as losses (positive).

    Attributes
    ----------
    aggregate_vulnerability
        ``AV``: share of the banking sector's total equity lost to the price impact of all banks' deleveraging.
    systemicness
        ``S_n``: the part of ``AV`` caused by bank ``n``'s own deleveraging (they add up to ``AV``).
    indirect_vulnerability
        ``IV_n``: bank ``n``'s loss from everyone's deleveraging, as a share of its own equity.
    direct_loss
        Bank ``n``'s loss from the shock itself, in currency.
    sales
        Dollar sales of each bank (``leverage * direct loss``, at target leverage).
    price_impact
        Return of each asset caused by the sales (negative for a fall).
    """

    aggregate_vulnerability: np.ndarray | float
    systemicness: np.ndarray
    indirect_vulnerability: np.ndarray
    direct_loss: np.ndarray
    sales: np.ndarray
    price_impact: np.ndarray


def fire_sale(
    holdings: Any,
    prices: Any,
    cash: Any,
    debt: Any,
    *,
    constraint: Constraint = "leverage",
    limit: float,
    impact: Impact = "linear",
    depth: Any = None,
    alpha: Any = None,
    tol: float = 1e-13,
    max_iter: int = 100_000,
) -> FireSaleResult:
    """Greatest fire-sale equilibrium with price impact (Cifuentes, Ferrucci & Shin 2005, JEEA 3(2-3)).

    Holders sell pro rata to restore a leverage, loan-to-value or capital-ratio ``limit`` at the clearing prices;
    prices fall with units sold, linearly (``p0 * (1 - S / depth)``) or exponentially (``p0 * exp(-alpha S)``).
    See the module docstring for the exact sale rules.

    Parameters
    ----------
    holdings
        ``(m, K)`` or ``(B, m, K)`` units held, non-negative.
    prices
        ``(K,)`` or ``(B, K)`` prices ``p0`` before the fire sale (after the shock), non-negative.
    cash, debt
        ``(m,)`` or ``(B, m)``, non-negative.
    constraint
        ``"leverage"`` (assets / equity <= limit), ``"ltv"`` (debt / asset value <= limit) or ``"capital_ratio"``
        (equity / asset value >= limit).
    limit
        The bound: ``> 1`` for leverage, in ``(0, 1)`` for ltv and capital_ratio.
    impact
        ``"linear"`` (needs ``depth``, units, ``(K,)`` or scalar) or ``"exponential"`` (needs ``alpha``, per unit).
    tol, max_iter
        The fixed-point iteration stops when no price moves by more than ``tol * max(p0)``; Newton then finishes.

    Returns
    -------
    FireSaleResult
    """
    h = np.asarray(holdings, dtype=float)
    if h.ndim not in (2, 3) or not np.all(np.isfinite(h)) or np.any(h < 0):
        raise JunkanInputError.single(
            "must be a finite non-negative array of shape (m, K) or (B, m, K)", field="holdings"
        )
    m, k = h.shape[-2:]
    p0 = as_vector(prices, "prices", k)
    c = as_vector(cash, "cash", m)
    d = as_vector(debt, "debt", m)
    nb = batch_size(holdings=(h, 2), prices=(p0, 1), cash=(c, 1), debt=(d, 1))
    b = nb or 1
    lim = float(limit)
    if constraint == "leverage":
        if not lim > 1:
            raise JunkanInputError.single(f"a leverage limit must exceed 1, got {lim}", field="limit")
    elif constraint in ("ltv", "capital_ratio"):
        if not 0 < lim < 1:
            raise JunkanInputError.single(f"must lie in (0, 1) for {constraint}, got {lim}", field="limit")
    else:
        raise JunkanInputError.single(
            f"must be 'leverage', 'ltv' or 'capital_ratio', got {constraint!r}", field="constraint"
        )
    if impact == "linear":
        if depth is None:
            raise JunkanInputError.single("linear impact needs depth (units that drive the price to 0)", field="depth")
        par = as_vector(depth, "depth", k, allow_scalar=True)
        if np.any(par <= 0):
            raise JunkanInputError.single("must be positive", field="depth")
    elif impact == "exponential":
        if alpha is None:
            raise JunkanInputError.single("exponential impact needs alpha (per unit sold)", field="alpha")
        par = as_vector(alpha, "alpha", k, allow_scalar=True)
    else:
        raise JunkanInputError.single(f"must be 'linear' or 'exponential', got {impact!r}", field="impact")
    if par.ndim != 1:
        raise JunkanInputError.single(
            "must have shape (K,) or be a scalar", field="depth" if impact == "linear" else "alpha"
        )

    h_b = np.broadcast_to(h, (b, m, k))
    p0_b = np.broadcast_to(p0, (b, k)).astype(float, copy=True)
    c_b = np.broadcast_to(c, (b, m))
    d_b = np.broadcast_to(d, (b, m))
    model = _Model(h_b, p0_b, c_b, d_b, constraint, lim, impact, par)

    p = p0_b.copy()
    scale = max(1.0, float(np.max(p0_b, initial=0.0)))
    its = 0
    for its in range(1, max_iter + 1):  # noqa: B007
        new = model.price(model.units(p))
        delta = float(np.max(np.abs(new - p), initial=0.0))
        p = new
        if delta <= tol * scale:
            break
    exact = np.zeros(b, dtype=bool)
    for s in range(b):
        refined = model.newton(s, p[s])
        if refined is not None:
            p[s], exact[s] = refined, True
    units = model.units_by_holder(p)
    x_val = np.einsum("bmk,bk->bm", h_b, p)
    equity = x_val + c_b - d_b
    sales = np.einsum("bmk,bk->bm", units, p)
    insolvent = equity <= 0
    constrained = units.sum(axis=-1) > 0

    def out(a: np.ndarray) -> np.ndarray:
        return a if nb is not None else a[0]

    return FireSaleResult(
        prices=out(p),
        initial_prices=out(p0_b),
        units_sold=out(units),
        sales=out(sales),
        equity=out(equity),
        insolvent=out(insolvent),
        constrained=out(constrained),
        iterations=its,
        exact=exact if nb is not None else bool(exact[0]),
        constraint=constraint,
        limit=lim,
        impact=impact,
    )


class _Model:
    """Sale rules and price impact, vectorised over scenarios."""

    def __init__(
        self,
        h: np.ndarray,
        p0: np.ndarray,
        cash: np.ndarray,
        debt: np.ndarray,
        constraint: str,
        limit: float,
        impact: str,
        par: np.ndarray,
    ) -> None:
        self.h, self.p0, self.cash, self.debt = h, p0, cash, debt
        self.constraint, self.limit, self.impact, self.par = constraint, limit, impact, par
        # dollar sales in the partial regime are affine in X: x = c0 + c1 * X
        lam = limit
        if constraint == "leverage":
            self.c0 = (1 - lam) * cash + lam * debt
            self.c1 = 1 - lam
        elif constraint == "ltv":
            self.c0 = debt / (1 - lam)
            self.c1 = -lam / (1 - lam)
        else:  # capital_ratio
            self.c0 = (debt - cash) / lam
            self.c1 = 1 - 1 / lam

    def fractions(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fraction of each holder's portfolio sold, its value ``X`` and the regime (0 none, 1 partial, 2 all)."""
        x_val = np.einsum("...mk,...k->...m", self.h, p)
        equity = x_val + self.cash - self.debt
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(x_val > 0, (self.c0 + self.c1 * x_val) / x_val, 0.0)
        regime = np.where(frac <= 0, 0, np.where(frac >= 1, 2, 1))
        regime = np.where((equity <= 0) & (x_val > 0), 2, regime)
        regime = np.where(x_val > 0, regime, 0)
        frac = np.where(regime == 2, 1.0, np.where(regime == 0, 0.0, frac))
        return frac, x_val, regime

    def units_by_holder(self, p: np.ndarray) -> np.ndarray:
        frac, _, _ = self.fractions(p)
        return frac[..., None] * self.h

    def units(self, p: np.ndarray) -> np.ndarray:
        return self.units_by_holder(p).sum(axis=-2)

    def price(self, s: np.ndarray) -> np.ndarray:
        if self.impact == "linear":
            return self.p0 * np.maximum(0.0, 1.0 - s / self.par)
        return self.p0 * np.exp(-self.par * s)

    def newton(self, k: int, p: np.ndarray) -> np.ndarray | None:
        """Newton's method on ``p = impact(S(p))`` for scenario ``k`` with regimes frozen; ``None`` if uncertified."""
        h, p0 = self.h[k], self.p0[k]
        cash, debt = self.cash[k], self.debt[k]
        sub = _Model(h, p0, cash, debt, self.constraint, self.limit, self.impact, self.par)
        _, _, regime0 = sub.fractions(p)
        s0 = sub.units(p)
        floor0 = (self.impact == "linear") & (s0 >= self.par)
        scale = max(1.0, float(np.max(p0, initial=0.0)))
        q = p.copy()
        for _ in range(60):
            frac, x_val, _ = sub.fractions(q)
            s = (frac[:, None] * h).sum(axis=0)
            resid = q - sub.price(s)
            linear = self.impact == "linear"
            dprice = np.where(floor0, 0.0, -p0 / self.par) if linear else -self.par * sub.price(s)
            # d frac_i / d p_l = -c0_i / X_i^2 * h_il in the partial regime; written with g = h / X (bounded by
            # 1 / p) so tiny holdings cannot underflow X^2 to zero and turn the Jacobian into inf * 0 = nan
            part = (regime0 == 1) & (x_val > 0)
            safe_x = np.where(part, x_val, 1.0)
            g = np.where(part[:, None], h / safe_x[:, None], 0.0)
            ds_dp = (g * np.where(part, -sub.c0, 0.0)[:, None]).T @ g  # (K, K): dS_k / dp_l
            jac = np.eye(p.size) - dprice[:, None] * ds_dp
            try:
                step = np.linalg.solve(jac, resid)
            except np.linalg.LinAlgError:
                return None
            q = q - step
            if np.max(np.abs(step), initial=0.0) <= 1e-15 * scale:
                break
        frac, _, regime = sub.fractions(q)
        s = (frac[:, None] * h).sum(axis=0)
        floor = (self.impact == "linear") & (s >= self.par)
        ok = (
            np.all(np.isfinite(q))
            and np.array_equal(regime, regime0)
            and np.array_equal(floor, floor0)
            and np.max(np.abs(q - sub.price(s)), initial=0.0) <= 1e-12 * scale
            and np.all(q <= p + 1e-9 * scale)  # the greatest equilibrium lies below every iterate from p0
        )
        return q if ok else None


def glt_vulnerability(
    assets: Any,
    equity: Any,
    weights: Any,
    returns: Any,
    price_impact: Any,
) -> GLTResult:
    """Aggregate vulnerability, systemicness and indirect vulnerability (Greenwood, Landier & Thesmar 2015, JFE).

    Banks ``n`` with total assets ``a_n``, equity ``e_n`` and leverage ``b_n = (a_n - e_n) / e_n`` hold portfolio
    weights ``M[n, k]``. A shock of asset returns ``F`` (GLT's sign: negative for a fall) costs bank ``n`` the amount
    ``a_n M_n F``; to return to target leverage it sells ``b_n`` times that loss, pro rata across its portfolio; net
    sales of asset ``k`` move its return by ``L_k`` per unit of currency sold (linear impact). With ``A = diag(a)``,
    ``B = diag(b)`` and ``E = sum_n e_n``, GLT's first-round measures are (written here as losses, i.e. minus their
    expressions):

    * ``AV = -1' A M L M' B A M F / E``;
    * ``S_n = -1' A M L M' b_n a_n M_n' (M_n F) / E`` (the sum over ``n`` is ``AV``);
    * ``IV_n = -(A M L M' B A M F)_n / e_n``.

    Parameters
    ----------
    assets, equity
        ``(N,)`` total assets and equity (currency), ``0 < equity <= assets``.
    weights
        ``(N, K)`` portfolio weights ``M`` (shares of total assets; rows sum to at most one).
    returns
        ``(K,)`` or ``(B, K)`` shock returns ``F``.
    price_impact
        ``(K,)`` or scalar: ``L_k``, return per unit of currency of net sales (positive).

    Returns
    -------
    GLTResult
    """
    a = np.asarray(assets, dtype=float)
    e = np.asarray(equity, dtype=float)
    mw = np.asarray(weights, dtype=float)
    if a.ndim != 1 or e.shape != a.shape:
        raise JunkanInputError.single("assets and equity must be vectors of the same length", field="equity")
    if mw.ndim != 2 or mw.shape[0] != a.size:
        raise JunkanInputError.single(f"must have shape ({a.size}, K), got {mw.shape}", field="weights")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(e)) and np.all(np.isfinite(mw))):
        raise JunkanInputError.single("assets, equity and weights must be finite", field="weights")
    if np.any(e <= 0) or np.any(e > a):
        raise JunkanInputError.single("must be positive and at most total assets", field="equity")
    if np.any(mw < 0) or np.any(mw.sum(axis=1) > 1 + 1e-12):
        raise JunkanInputError.single("must be non-negative with rows summing to at most 1", field="weights")
    k = mw.shape[1]
    f = as_vector(returns, "returns", k, nonnegative=False)
    ell = as_vector(price_impact, "price_impact", k, allow_scalar=True)
    lev = (a - e) / e
    direct = (mw @ f.T).T * a  # (.., N): a_n M_n F (negative = loss)
    sales = lev * direct  # B A M F (negative = net sales)
    impact_k = ell * (sales @ mw)  # L M' B A M F: asset returns caused by the sales
    bank_dollar = a * (impact_k @ mw.T)  # A M L M' B A M F
    total_e = e.sum()
    av = -bank_dollar.sum(axis=-1) / total_e
    # systemicness: bank n's own sales M_n' b_n a_n (M_n F), passed through A M L
    per_bank_sales = sales[..., :, None] * mw  # (.., N, K): asset sales caused by bank n
    spill = (per_bank_sales * ell) @ mw.T  # (.., N, N'): return of bank n' caused by bank n
    systemic = -(spill * a).sum(axis=-1) / total_e
    indirect = -bank_dollar / e
    return GLTResult(
        aggregate_vulnerability=av if np.ndim(av) else float(av),
        systemicness=systemic,
        indirect_vulnerability=indirect,
        direct_loss=-direct,
        sales=-sales,
        price_impact=impact_k,
    )
