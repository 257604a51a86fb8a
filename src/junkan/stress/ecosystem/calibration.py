"""Calibration to market: the model's 5-year PD beside the PD implied by traded credit spreads, and the parameter
that closes the gap.

For every modelled party with a ``cds_spread_5y`` (preferred) or ``bond_spread`` in the ledger's financials, the
latest quote known at the run's as-of date gives the market-implied (risk-neutral) 5-year PD under a constant
hazard rate (the "credit triangle", Hull, *Options, Futures and Other Derivatives*, ch. "Credit risk"):
``lambda = s / (1 - R)``, ``PD_Q(5y) = 1 - exp(-5 s / (1 - R))``, recovery ``R = 0.4``.

A spread prices risk-neutral default risk: it holds a default-risk premium (and for a new-issue bond spread over
Treasuries, a liquidity premium too). The model simulates real-world (physical) defaults, so the target is
``PD_P = 1 - exp(-5 lambda / k)`` with ``k`` the ratio of risk-neutral to real-world default intensity for the
party's rating (:data:`Q_TO_P`; Hull, Predescu & White 2005, "Bond prices, default probabilities and risk
premiums", Journal of Credit Risk 1(2), 53-60: the ratio falls from well above 5 for investment grade to below 2
for single-B; Berndt, Douglas, Duffie, Ferguson & Schranz 2008, "Measuring default risk premia from default swap
rates and EDFs", find risk-neutral intensities roughly twice the physical ones on average, varying over time).

The model's PD is ``p_default_or_restructuring`` over the first 20 quarters (a CDS credit event includes
bankruptcy, failure to pay and, for many contracts, restructuring; Moody's counts distressed exchanges as
defaults). Parties whose spread is a control (investment-grade new-issue bond spreads over Treasuries) are reported
but not calibrated. For a calibrated party the multiplier ``kappa`` of its ``funding_success`` (the odds that a
funding attempt succeeds) is solved by bisection so that the model PD meets the physical target, every evaluation
with the same seed (common random numbers, so the PD is a step function of ``kappa`` that bisection can search),
via ``overrides={"set": {"funding_success.PARTY": kappa * base}}``. If even ``kappa = 0`` (no new money) or
``kappa = 1 / base`` (every attempt succeeds) cannot reach the target, the party's funding room
(``funding_access``, ``kappa`` from 0 to 4) is tried the same way (:data:`CANDIDATES`); if neither reaches it, the
row says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from junkan.random import SeedLike, normalize_seed
from junkan.stress.ecosystem.assumptions import Assumptions, load_assumptions
from junkan.stress.ecosystem.montecarlo import resolve_as_of, run_stress
from junkan.stress.ecosystem.scenarios import Scenario

__all__ = [
    "CANDIDATES",
    "Q_TO_P",
    "RECOVERY",
    "calibrate",
    "calibration_rows",
    "implied_pd",
    "market_quote",
    "physical_pd",
    "q_to_p",
]

#: Recovery rate for spread-implied PDs (the ISDA standard for senior unsecured CDS).
RECOVERY = 0.4

#: Ratio of risk-neutral to real-world default intensity by rating letter: approximate readings of Hull, Predescu &
#: White (2005) (average 7-year default intensities from bond prices against Moody's historical default rates),
#: rounded; estimates, vary them.
Q_TO_P = {"Aaa": 16.0, "Aa": 11.0, "A": 8.0, "Baa": 5.0, "Ba": 2.0, "B": 1.4, "Caa": 1.3}
_SP = {"AAA": "Aaa", "AA": "Aa", "A": "A", "BBB": "Baa", "BB": "Ba", "B": "B", "CCC": "Caa"}


def implied_pd(spread: float, years: float = 5.0, recovery: float = RECOVERY) -> float:
    """Risk-neutral PD over ``years`` from a spread (fraction, ``0.0128`` = 128bp): ``1 - exp(-years s / (1 - R))``."""
    return 1.0 - math.exp(-years * spread / (1.0 - recovery))


def q_to_p(rating: str) -> float:
    """:data:`Q_TO_P` for a Moody's (``Baa2``) or S&P (``BBB-``) rating."""
    r = rating.strip()
    for key in sorted(Q_TO_P, key=len, reverse=True):
        if r.startswith(key) and (len(r) == len(key) or r[len(key)].isdigit()):
            return Q_TO_P[key]
    base = r.rstrip("+-")
    if base in _SP:
        return Q_TO_P[_SP[base]]
    raise ValueError(f"unknown rating {rating!r}")


def physical_pd(spread: float, ratio: float, years: float = 5.0, recovery: float = RECOVERY) -> float:
    """Real-world PD over ``years``: the spread's hazard ``s / (1 - R)`` divided by ``ratio``."""
    return 1.0 - math.exp(-years * spread / (1.0 - recovery) / ratio)


def market_quote(ledger: Any, party: str) -> tuple[str, float, dt.date, str] | None:
    """The latest ``cds_spread_5y`` of ``party`` in the ledger, else its latest ``bond_spread``:
    ``(metric, spread, date, source URL)``, or ``None``."""
    for metric in ("cds_spread_5y", "bond_spread"):
        f = ledger.financial(party, metric)
        if f is not None:
            return metric, float(f.value), f.period_end, f.sources[0].url
    return None


def calibrate(
    ledger: Any,
    scenario: str | Path | Scenario = "baseline",
    *,
    runs: int = 2000,
    seed: SeedLike = None,
    assumptions: str | Path | Assumptions | None = None,
    as_of: dt.date | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    iterations: int = 10,
    solve: bool = True,
) -> list[dict[str, Any]]:
    """The calibration table: one row per modelled party with a traded spread in the ledger.

    Parameters
    ----------
    ledger, scenario, runs, seed, assumptions, as_of, overrides
        As for :func:`~junkan.stress.ecosystem.run_stress` (the seed is normalised once and reused, so every
        evaluation sees the same draws).
    iterations
        Bisection steps for ``kappa`` (the interval halves each time).
    solve
        ``False``: report the gap only.

    Returns
    -------
    list of dict
        ``party, model_pd, market_pd, spread_bp, source, date, metric, recovery, rating, q_to_p, target_pd, gap``
        (``model_pd - target_pd``), ``calibrated`` (``{"parameter", "base", "kappa", "value", "model_pd"}`` or
        ``None``) and ``reason``.
    """
    s = normalize_seed(seed)
    a = assumptions if isinstance(assumptions, Assumptions) else load_assumptions(assumptions or ledger.name)
    known, _ = resolve_as_of(ledger, as_of)
    base_over = dict(overrides or {})
    base_set = dict(base_over.get("set", {}))

    def pd5(settings: Mapping[str, float]) -> dict[str, float]:
        res = run_stress(
            known, scenario, runs=runs, seed=s, assumptions=a, overrides={**base_over, "set": dict(settings)}
        )
        q = min(20, res.quarters)
        assert res.events is not None
        p = res.events.p_default_or_restructuring(q)
        return {name: float(v) for name, v in zip(res.parties, p, strict=True)}

    base = pd5(base_set)
    rows = calibration_rows(known, a, base)
    for row in rows:
        if solve and not row["reason"]:
            row.update(_solve(row["party"], a, base_set, row["target_pd"], base[row["party"]], pd5, iterations))
    return rows


def calibration_rows(ledger: Any, assumptions: Assumptions, model_pd: Mapping[str, float]) -> list[dict[str, Any]]:
    """The calibration table without solving: the model's 5-year PD (``model_pd``: party -> P(default or
    restructuring) over 20 quarters, e.g. from ``StressResult.events``) beside the market's, for every modelled
    party with a spread in ``ledger`` (as known at the run's as-of date). ``reason`` is empty for a row that
    :func:`calibrate` solves, else why not (a control, or no rating)."""
    rows = []
    for party in assumptions.parties:
        quote = market_quote(ledger, party)
        if quote is None or party not in model_pd:
            continue
        metric, spread, when, url = quote
        rating = assumptions.ratings[party].rating if party in assumptions.ratings else None
        ratio = q_to_p(rating) if rating is not None else None
        market = implied_pd(spread)
        target = physical_pd(spread, ratio) if ratio is not None else None
        pd_model = float(model_pd[party])
        row: dict[str, Any] = {
            "party": party,
            "model_pd": pd_model,
            "market_pd": market,
            "spread_bp": round(spread * 1e4, 2),
            "source": url,
            "date": when.isoformat(),
            "metric": metric,
            "recovery": RECOVERY,
            "rating": rating,
            "q_to_p": ratio,
            "target_pd": target,
            "gap": pd_model - target if target is not None else pd_model - market,
            "calibrated": None,
            "reason": "",
        }
        if metric != "cds_spread_5y":
            row["reason"] = (
                "control: a new-issue bond spread over Treasuries (liquidity and risk premia, not a default swap)"
            )
        elif target is None:
            row["reason"] = "no rating in the assumptions: no risk-neutral to physical ratio; the gap is to market_pd"
        rows.append(row)
    return rows


#: Parameters tried in order to close a gap: the party's funding odds (``kappa`` from 0, no new money, to
#: ``1 / base``, every attempt succeeds), then its funding room (``funding_access``, ``kappa`` from 0 to 4).
CANDIDATES = (("funding_success", 1.0), ("funding_access", 4.0))


def _solve(
    party: str,
    a: Assumptions,
    base_set: dict[str, float],
    target: float,
    base_pd: float,
    pd5: Any,
    iterations: int,
) -> dict[str, Any]:
    """Bisection on ``kappa``, the multiplier of the first parameter of :data:`CANDIDATES` whose range brackets the
    target (the PD falls as ``kappa`` rises); ``reason`` says why not when none does."""
    tried = []
    for name, top in CANDIDATES:
        key = f"{name}.{party}"
        f = getattr(a.parties[party], name)
        base = float(f.value * f.scale) if f is not None and f.value is not None else 0.0
        if base <= 0:
            tried.append(f"{name} is 0")
            continue
        hi = top / base if name == "funding_success" else top  # kappa bounds
        cap = 1.0 if name == "funding_success" else math.inf

        def at(kappa: float, key: str = key, base: float = base, cap: float = cap) -> float:
            return float(pd5({**base_set, key: min(cap, kappa * base)})[party])

        p_lo, p_hi = at(0.0), at(hi)
        if not p_hi <= target <= p_lo:
            tried.append(f"{name} x 0..{hi:.3g} gives PD {p_lo:.4f}..{p_hi:.4f}")
            continue
        # keep the bracket [lo, hi] with PD(lo) > target >= PD(hi); report hi, the smallest change found that
        # meets the target
        lo, k, p = 0.0, hi, p_hi
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            p_mid = at(mid)
            if p_mid > target:
                lo = mid
            else:
                hi, k, p = mid, mid, p_mid
        return {
            "calibrated": {"parameter": key, "base": base, "kappa": k, "value": min(cap, k * base), "model_pd": p},
            "reason": "bisection on common random numbers"
            + (f" ({'; '.join(tried)}: not attainable)" if tried else ""),
        }
    return {
        "reason": "not attainable with funding odds or room alone: "
        + "; ".join(tried)
        + "; the gap is a risk premium beyond the rating's ratio or a mechanism the model lacks"
    }
