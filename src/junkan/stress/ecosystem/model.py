"""The AI ecosystem stress model: parties' cash, debt, GPUs and commitments, quarter by quarter, batched over runs.

:func:`build_model` turns a ledger and an assumptions file into arrays (:class:`EcosystemModel`); :func:`simulate`
runs ``R`` Monte Carlo runs at once (state arrays of shape ``(R, N)`` for ``N`` parties, a loop over quarters).

One quarter, for every run (the order is the model; docs/stress-model.md has it with the equations)
------------------------------------------------------------------------------------------------------
1. Prices and sentiment. GPU price / rental index ``P = M * shock`` where the market part ``M`` follows a
   log-normal random walk (annual drift drawn per run, annual volatility) and carries the price impact of past sales.
   Funding sentiment ``S = S_exo * (1 - sensitivity * share of initial valuation that has defaulted)``. The shared
   funding regime (a Markov chain open / tight / closed, one per run; a scenario can hold it) sets each party's
   access ``1 - funding_sensitivity * (1 - access[state])``, which multiplies its funding odds and refinancing.
2. What is due. End-customer revenue ``E``; scheduled deal payments between parties (the interparty liabilities
   ``L[i, j]`` = what ``i`` owes ``j`` this quarter) and with outsiders; capex, planned growth times the ratio of
   end demand to its central path (the ``capex_suppliers`` share is owed
   to modelled suppliers, in ``L``); cash costs ``cost_ratio * revenue + fixed``; interest; maturing principal not
   refinanced (refinancing share ``refinance * S * access``, nil under a funding freeze; principal follows the
   maturity ladder of the ledger's debt deals, the rest amortises over ``maturity_years``, see :mod:`.obligations`);
   lease payments (commencing over the delivery ramp); the excess of GPU-backed debt over ``ltv_max`` times the
   fleet's value (the loan-to-value covenant; the fleet wears to its residual value over its useful life).
3. If short (obligations above cash plus receipts due): raise new money (a funding round succeeds with probability
   ``funding_success * S``, for at most ``funding_access`` times the valuation over four quarters; the valuation
   is a multiple of total revenue, end demand plus contracted receipts, times scenario resets and ``S``), draw
   credit lines, defer capex (up to ``capex_flex``), cancel undelivered compute (a distressed restructuring: the
   customer still owes ``take_or_pay`` of each cancelled payment, :mod:`.events`); a party made short by others'
   cuts gets what is left of its round, lines and deferrable capex; then sell GPUs. Sales move the price linearly
   (Cifuentes, Ferrucci & Shin 2005): selling ``u`` index-units lowers the index by the factor
   ``1 - impact * u / market_depth``; each seller sells what raises its need at that post-impact price
   (:func:`fire_sale` solves the fixed point), or its whole fleet when that is not enough.
4. Clearing. Whoever is still short defaults; interparty payments clear with Rogers & Veraart (2013) recovery (a
   defaulter realises ``alpha`` of its outside assets and ``beta`` of its receipts), solved exactly for all runs with
   a shortfall in one batched call. A party made short only by its debtors' shortfall covers it from its undrawn
   lines and the rest of its round when they suffice, and the quarter is cleared again. Solvent parties keep
   ``assets - obligations`` as cash.
5. After a default: the defaulter's remaining commitments are cancelled (its vendors lose that backlog), stakes in
   it are written to zero, the GPUs pledged to its GPU-backed debt are seized and sold (moving the index next
   quarter); the rest of its fleet keeps running under a successor.

Channels (each can be switched off to attribute losses): ``clearing`` (creditors of a defaulter share its losses;
off: they are paid in full), ``backlog`` (a default cancels the remaining deals; off: an outside successor honours
them), ``equity`` (stakes marked to the investee's valuation and written off at default, feeding the holder's
valuation; off: held at cost), ``firesale`` (price impact of GPU sales and seized collateral; off: none),
``sentiment`` (defaults lower funding sentiment; off: sentiment is exogenous only).

References
----------
Rogers, L. C. G. and Veraart, L. A. M. (2013). Failure and rescue in an interbank network. Management Science 59(4).
Cifuentes, R., Ferrucci, G. and Shin, H. S. (2005). Liquidity risk and contagion. JEEA 3(2-3), 556-566.
Eisenberg, L. and Noe, T. H. (2001). Systemic risk in financial systems. Management Science 47(2), 236-249.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from junkan.errors import JunkanInputError
from junkan.ledger.schema import DealKind, Status, restate
from junkan.stress.ecosystem.assumptions import (
    REGIMES,
    Assumptions,
    Figure,
    PartyAssumptions,
    check_against_ledger,
)
from junkan.stress.ecosystem.obligations import debt_after, maturity_ladder, rental_trend
from junkan.stress.ecosystem.scenarios import CHANNELS, Scenario, quarter_index
from junkan.stress.ecosystem.schedule import quarter_of, quarter_start, schedule_amounts, shift_start

__all__ = [
    "CASH_KINDS",
    "COMPUTE_KINDS",
    "CREDIT_KINDS",
    "EQUITY_KINDS",
    "RNG_BLOCK",
    "STATUSES",
    "Draws",
    "EcosystemModel",
    "Paths",
    "RawOutcome",
    "build_model",
    "clear_quarter",
    "commitment_expiry",
    "credit_availability",
    "draw_inputs",
    "draw_lines",
    "fire_sale",
    "line_room",
    "scenario_paths",
    "simulate",
]

#: Deal kinds whose schedule is a cash payment payer -> payee (an interparty liability when both are modelled).
CASH_KINDS = frozenset(
    {
        DealKind.purchase_commitment,
        DealKind.hardware_purchase,
        DealKind.lease,
        DealKind.service_fee,
        DealKind.revenue_share,
        DealKind.capacity_swap,
    }
)
#: Cash payments that also buy the payer a stake in the payee.
EQUITY_KINDS = frozenset({DealKind.equity_investment, DealKind.joint_venture})
#: Compute bought as it is delivered: paid on the delivery ramp, and its undelivered part can be cancelled.
COMPUTE_KINDS = frozenset({DealKind.purchase_commitment, DealKind.hardware_purchase})
#: Credit from payer (lender) to payee (borrower): the undrawn part is a line the borrower can draw when short.
CREDIT_KINDS = frozenset({DealKind.loan, DealKind.credit_facility, DealKind.gpu_backed_debt})
#: Statuses in a fixed order (index into realisation arrays).
STATUSES = tuple(Status)


@dataclass(frozen=True, eq=False)
class EcosystemModel:
    """A ledger and its assumptions as arrays. Parties along axis ``N`` in ``parties`` order; money in US dollars;
    flows per quarter unless the name says annual. See :class:`~.assumptions.PartyAssumptions` for each field."""

    parties: tuple[str, ...]
    start: str
    quarters: int
    cash: np.ndarray
    revenue_annual: np.ndarray
    growth_mean: np.ndarray
    growth_sd: np.ndarray
    cost_ratio: np.ndarray
    fixed_costs_annual: np.ndarray
    capex_annual: np.ndarray
    capex_growth: np.ndarray
    capex_flex: np.ndarray
    suppliers: np.ndarray  # (N, N): share of i's capex owed to j
    gpu_share: np.ndarray
    fleet: np.ndarray
    debt: np.ndarray
    rate: np.ndarray
    maturity_years: np.ndarray
    refinance: np.ndarray
    gpu_debt: np.ndarray
    ltv_max: np.ndarray
    new_debt_gpu_share: np.ndarray
    facilities: np.ndarray
    valuation: np.ndarray
    funding_access: np.ndarray
    funding_success: np.ndarray
    funding_debt_share: np.ndarray
    contract_capex: np.ndarray
    contract_cost_ratio: np.ndarray
    rental_exposure: np.ndarray
    contract_price_exposure: np.ndarray
    # deals (D of them)
    deal_ids: tuple[str, ...]
    deal_status: np.ndarray  # (D,) index into STATUSES
    deal_group: np.ndarray  # (D,) legs of one arrangement share a group (and a realisation draw)
    deal_payer: np.ndarray  # (D,) party index or -1 (outside)
    deal_payee: np.ndarray
    deal_equity: np.ndarray  # (D,) bool: payment buys a stake
    deal_amounts: np.ndarray  # (D, Q) cash due per quarter
    deal_cancellable: np.ndarray  # (D,) bool: compute bought as delivered (its undelivered part can be cancelled)
    deal_build: np.ndarray  # (D, Q) capex the payee spends per quarter per dollar of contract_capex (build-ahead)
    credit_ids: tuple[str, ...]
    credit_status: np.ndarray  # (C,)
    credit_group: np.ndarray
    credit_borrower: np.ndarray  # (C,) party index
    credit_undrawn: np.ndarray  # (C,)
    credit_end: np.ndarray  # (C,) first quarter a line can no longer be drawn (a revolving facility's end date)
    stakes: np.ndarray  # (N, N) cost of stakes held at the start: stakes[h, k] = h's stake in k
    backstop_ids: tuple[str, ...]
    backstop_status: np.ndarray  # (B,)
    backstop_group: np.ndarray
    backstop_guarantor: np.ndarray  # (B,) party index (pays)
    backstop_beneficiary: np.ndarray  # (B,) party index (is paid for capacity its customers stop taking)
    backstop_cap: np.ndarray  # (B,) most the guarantor pays over the horizon
    # market and contagion parameters
    drift_mean: float
    drift_sd: float
    volatility: float
    impact: float
    market_depth: float
    depreciation_years: float
    alpha: float
    beta: float
    sentiment_sensitivity: float
    demand_correlation: float
    funding_buffer_quarters: float
    realisation: np.ndarray  # (len(STATUSES), 2) low, high
    # obligations, funding regime and cancellation terms (issue 11; see obligations.py and the docs)
    ladder: np.ndarray  # (Q, N) principal of recorded debt due per quarter (maturity ladder)
    ladder_covered: np.ndarray  # (N,) recorded debt with a maturity (not amortised over maturity_years)
    funding_sensitivity: np.ndarray  # (N,) exposure to the shared funding regime
    regime_transition: np.ndarray  # (3, 3) quarterly transition probabilities open/tight/closed
    regime_access: np.ndarray  # (3,) funding odds and refinancing multiplier of a fully exposed party
    regime_initial: int  # state at the start (index into REGIMES)
    deal_take_or_pay: np.ndarray  # (D,) share of a cancelled payment still owed (termination damages)
    residual_value: float  # share of a GPU's value left at the end of its useful life
    lease_annual: np.ndarray  # (N,) lease payments at full commencement (a fixed cost that survives cancellations)
    lease_ramp_quarters: float  # leases commence as capacity is delivered: payments ramp to full over this
    # revolvers and commercial-paper programmes (issue 11; assumptions `liquidity`), L of them
    line_party: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (L,) party index
    line_amount: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (L,) undrawn capacity at the start
    line_market: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # (L,) needs an open market (CP)
    line_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (L,) first quarter unavailable
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of modelled parties."""
        return len(self.parties)

    def index(self, party: str) -> int:
        """Position of ``party``; a clear error if it is not modelled."""
        try:
            return self.parties.index(party)
        except ValueError:
            raise JunkanInputError.single(
                f"unknown party {party!r}; modelled parties are {', '.join(self.parties)}", field="party"
            ) from None


_DEFAULTS: dict[str, float] = {
    "fixed_costs": 0.0,
    "lease_payments": 0.0,
    "funding_sensitivity": 1.0,
    "capex": 0.0,
    "capex_growth": 0.0,
    "capex_flex": 0.0,
    "gpu_share": 0.0,
    "gpu_fleet": 0.0,
    "debt": 0.0,
    "rate": 0.0,
    "maturity_years": 5.0,
    "refinance": 0.0,
    "gpu_debt": 0.0,
    "ltv_max": 1.0,
    "new_debt_gpu_share": 0.0,
    "facilities": 0.0,
    "funding_access": 0.0,
    "funding_success": 0.0,
    "funding_debt_share": 0.0,
    "contract_capex": 0.0,
    "contract_cost_ratio": -1.0,  # -1: use cost_ratio
    "rental_exposure": 0.0,
    "contract_price_exposure": 0.0,
}


def _groups(ids: list[str], legs: dict[str, list[str]]) -> dict[str, int]:
    """Union-find over legs: deals of one arrangement share a group number."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d, ls in legs.items():
        for o in ls:
            if o in parent:
                parent[find(d)] = find(o)
    roots: dict[str, int] = {}
    return {i: roots.setdefault(find(i), len(roots)) for i in ids}


def build_model(ledger: Any, assumptions: Assumptions, start: str | None = None) -> EcosystemModel:
    """Build the model arrays from a :class:`~junkan.ledger.Ledger` and validated :class:`Assumptions`.

    Deals with at least one modelled party enter: :data:`CASH_KINDS` and :data:`EQUITY_KINDS` as scheduled payments
    (see :mod:`.schedule`), :data:`CREDIT_KINDS` as undrawn lines of the borrower. In-kind (cloud credits), warrant
    and contingent deals (backstops, guarantees) move no scheduled cash and are left out. Stakes at the start are the
    drawn part of equity deals between modelled parties, else what their schedule had due before the start for
    closed or drawn deals. Credit deals that are drawn or closed are taken as funded (part of the party's ``debt``);
    only signed, announced, rumoured or on-hold ones add a line to draw, in the quarters before its availability ends
    (:func:`credit_availability`: an expired delayed-draw commitment, a revolver's end date).

    ``start`` (``YYYYQn``) is the first model quarter; default: the assumptions' ``start``. :func:`~.run_stress`
    passes the quarter of the ledger's as-of date. Debt recorded after a party's balance sheet is added to its debt
    and the maturity ladder of its recorded debt is built (:mod:`.obligations`); the GPU index drift is fitted to
    the ledger's rental series when the assumptions name one.

    Raises
    ------
    JunkanInputError
        A party missing from the ledger or a ``ledger:`` figure it cannot resolve (file and key named).
    """
    check_against_ledger(assumptions, ledger)
    a = assumptions
    start = start if start is not None else a.start
    parties = tuple(a.parties)
    pos = {p: i for i, p in enumerate(parties)}
    n, nq = len(parties), a.quarters
    provenance: dict[str, str] = {}

    def val(pid: str, p: PartyAssumptions, name: str) -> float:
        f = getattr(p, name)
        if f is None:
            return _DEFAULTS[name]
        v, where = f.resolve(ledger, pid)
        provenance[f"{pid}.{name}"] = where
        return v

    cols: dict[str, np.ndarray] = {}
    names = [k for k, t in PartyAssumptions.model_fields.items() if k not in ("growth", "capex_suppliers", "liquidity")]
    for name in names:
        cols[name] = np.array([val(pid, a.parties[pid], name) for pid in parties], dtype=float)
    suppliers = np.zeros((n, n))
    for pid, p in a.parties.items():
        for sup, f in p.capex_suppliers.items():
            v, where = f.resolve(ledger, pid)
            suppliers[pos[pid], pos[sup]] = v
            provenance[f"{pid}.capex_suppliers.{sup}"] = where
    bad = cols["gpu_debt"] > cols["debt"] * (1 + 1e-12)
    if bad.any():
        pid = parties[int(np.flatnonzero(bad)[0])]
        raise JunkanInputError.single(
            "gpu_debt is part of debt and cannot exceed it", file=a.file, field=f"parties.{pid}.gpu_debt"
        )

    # obligations: debt recorded after each balance sheet, maturity ladders (obligations.py)
    ladder = np.zeros((nq, n))
    covered = np.zeros(n)
    for k, pid in enumerate(parties):
        p = a.parties[pid]
        for name, kind in (("debt", "debt"), ("gpu_debt", "gpu")):
            when = _balance_date(ledger, pid, getattr(p, name))
            if when is None:
                continue
            add_debt, add_gpu, ids = debt_after(ledger, pid, when)
            extra = add_debt if kind == "debt" else add_gpu
            if extra > 0:
                cols[name][k] += extra
                provenance[f"{pid}.{name}"] += f"; plus debt deals after {when}: {', '.join(ids)}"
        ladder[:, k], covered[k] = maturity_ladder(ledger, pid, start, nq, float(cols["debt"][k]))
    cols["gpu_debt"] = np.minimum(cols["gpu_debt"], cols["debt"])
    # revolvers and CP programmes: a revolver can be drawn in quarters that start before its maturity
    line_spec: list[tuple[int, float, bool, int]] = []
    for k, pid in enumerate(parties):
        for j, ln in enumerate(a.parties[pid].liquidity):
            v, where = ln.amount.resolve(ledger, pid)
            provenance[f"{pid}.liquidity.{j}.{ln.kind}"] = where
            end = nq if ln.maturity is None else quarter_of(ln.maturity - dt.timedelta(days=1), start) + 1
            line_spec.append((k, v, ln.kind == "commercial_paper", int(min(max(end, 0), nq))))
    drift_mean, drift_sd = a.gpu.drift.mean, a.gpu.drift.sd
    if a.gpu.rental_series is not None:
        rs = a.gpu.rental_series
        until = quarter_start(start, 1)
        try:
            drift_mean, drift_sd, n_obs = rental_trend(ledger, rs.entity, rs.metric, rs.product, rs.exclude, until)
        except ValueError as exc:
            raise JunkanInputError.single(str(exc), file=a.file, field="gpu.rental_series") from None
        provenance["gpu.drift"] = (
            f"OLS trend of ln {rs.entity}.{rs.metric} ({rs.product}, {n_obs} observations to {until}): "
            f"{drift_mean:.4f} +- {drift_sd:.4f} a year"
        )
    reg = a.funding_regime
    if reg is not None:
        reg_t = np.array([[reg.transition[x][y] for y in REGIMES] for x in REGIMES])
        reg_a = np.array([reg.access[x] for x in REGIMES])
        reg_0 = REGIMES.index(reg.initial)
    else:
        reg_t, reg_a, reg_0 = np.eye(3), np.ones(3), 0
    top = a.cancellation.take_or_pay if a.cancellation is not None else 0.0
    terms = {k: v.take_or_pay for k, v in a.cancellation.deals.items()} if a.cancellation is not None else {}

    tenor = _figure(a.default_tenor_years)
    equity_tenor = _figure(a.equity_tenor_years)
    ramp = _figure(a.delivery_ramp_years) if a.delivery_ramp_years is not None else 0.0
    lead = round(_figure(a.build_lead_quarters)) if a.build_lead_quarters is not None else 0
    legs = {d.id: list(d.legs) for d in ledger.deals}
    cash_deals, credit_deals, backstops = [], [], []
    stakes = np.zeros((n, n))
    past = 80
    early = shift_start(start, -past)
    for d in ledger.deals:
        i, j = pos.get(d.payer, -1), pos.get(d.payee, -1)
        if i < 0 and j < 0:
            continue
        usd = ledger.fx_rate(d.amount.currency, d.date.year)
        if d.kind in CASH_KINDS or d.kind in EQUITY_KINDS:
            per_unit = d.schedule is not None and d.schedule.unit_amount is not None and d.schedule.units is not None
            # per-unit steps follow deployment (like the payments they go with), not the equity tenor
            ten = equity_tenor if d.kind in EQUITY_KINDS and not per_unit else tenor
            win = a.deal_schedules.get(d.id)
            window = (win.start, win.end) if win is not None else (None, None)
            r = ramp if d.kind in COMPUTE_KINDS else 0.0
            full = schedule_amounts(d, usd, early, past + nq + lead + 1, ten, r, window)
            amounts = full[past : past + nq]
            build = np.zeros(nq)
            if d.kind in COMPUTE_KINDS:
                # capacity is built when the delivery rate steps up, `lead` quarters ahead of delivery
                step = np.maximum(np.diff(full, prepend=0.0), 0.0)
                if step.sum() > 0:
                    share = step / step.sum() * full.sum()  # contract value, spread over its build-out
                    build = share[past + lead : past + lead + nq]
            if d.kind in EQUITY_KINDS and i >= 0 and j >= 0 and not d.is_ended:
                if d.amount.drawn is not None:
                    stakes[i, j] += d.amount.drawn * usd
                elif d.status in (Status.closed, Status.drawn):
                    stakes[i, j] += float(full[:past].sum())
            if amounts.any() or build.any():
                cash_deals.append((d, i, j, amounts, build))
        elif d.kind in CREDIT_KINDS and j >= 0 and d.status not in (Status.drawn, Status.closed) and not d.is_ended:
            undrawn_native, c_end = credit_availability(d, start, nq)
            undrawn = undrawn_native * usd
            if undrawn > 0:
                credit_deals.append((d, j, undrawn, c_end))
        elif d.kind == DealKind.capacity_backstop and i >= 0 and j >= 0 and not d.is_ended:
            cap = max(0.0, d.amount.committed_value - d.amount.drawn_value) * usd
            if cap > 0:
                backstops.append((d, i, j, cap))
    unknown = set(a.deal_schedules) - {d.id for d in ledger.deals}
    if unknown and getattr(ledger, "as_of_date", None) is None:  # an as-of ledger lacks later deals
        raise JunkanInputError.single(
            f"no deal {sorted(unknown)[0]!r} in the ledger", file=a.file, field=f"deal_schedules.{sorted(unknown)[0]}"
        )
    groups = _groups([d.id for d in ledger.deals], legs)
    sidx = {s: k for k, s in enumerate(STATUSES)}
    realisation = np.array([[a.realisation[s].low, a.realisation[s].high] for s in STATUSES])

    return EcosystemModel(
        parties=parties,
        start=start,
        quarters=nq,
        cash=cols["cash"],
        revenue_annual=cols["revenue"],
        growth_mean=np.array([a.parties[p].growth.mean for p in parties]),
        growth_sd=np.array([a.parties[p].growth.sd for p in parties]),
        cost_ratio=cols["cost_ratio"],
        fixed_costs_annual=cols["fixed_costs"],
        capex_annual=cols["capex"],
        capex_growth=cols["capex_growth"],
        capex_flex=cols["capex_flex"],
        suppliers=suppliers,
        gpu_share=cols["gpu_share"],
        fleet=cols["gpu_fleet"],
        debt=cols["debt"],
        rate=cols["rate"],
        maturity_years=cols["maturity_years"],
        refinance=cols["refinance"],
        gpu_debt=cols["gpu_debt"],
        ltv_max=cols["ltv_max"],
        new_debt_gpu_share=cols["new_debt_gpu_share"],
        facilities=cols["facilities"],
        valuation=cols["valuation"],
        funding_access=cols["funding_access"],
        funding_success=cols["funding_success"],
        funding_debt_share=cols["funding_debt_share"],
        contract_capex=cols["contract_capex"],
        contract_cost_ratio=np.where(cols["contract_cost_ratio"] < 0, cols["cost_ratio"], cols["contract_cost_ratio"]),
        rental_exposure=cols["rental_exposure"],
        contract_price_exposure=cols["contract_price_exposure"],
        deal_ids=tuple(d.id for d, *_ in cash_deals),
        deal_status=np.array([sidx[d.status] for d, *_ in cash_deals], dtype=np.int64),
        deal_group=np.array([groups[d.id] for d, *_ in cash_deals], dtype=np.int64),
        deal_payer=np.array([i for _, i, _, _, _ in cash_deals], dtype=np.int64),
        deal_payee=np.array([j for _, _, j, _, _ in cash_deals], dtype=np.int64),
        deal_equity=np.array([d.kind in EQUITY_KINDS for d, *_ in cash_deals], dtype=bool),
        deal_amounts=np.array([am for *_, am, _ in cash_deals]).reshape(len(cash_deals), nq),
        deal_cancellable=np.array([d.kind in COMPUTE_KINDS for d, *_ in cash_deals], dtype=bool),
        deal_build=np.array([b for *_, b in cash_deals]).reshape(len(cash_deals), nq),
        credit_ids=tuple(d.id for d, *_ in credit_deals),
        credit_status=np.array([sidx[d.status] for d, *_ in credit_deals], dtype=np.int64),
        credit_group=np.array([groups[d.id] for d, *_ in credit_deals], dtype=np.int64),
        credit_borrower=np.array([j for _, j, _, _ in credit_deals], dtype=np.int64),
        credit_undrawn=np.array([u for _, _, u, _ in credit_deals], dtype=float),
        credit_end=np.array([e for *_, e in credit_deals], dtype=np.int64),
        stakes=stakes,
        backstop_ids=tuple(d.id for d, *_ in backstops),
        backstop_status=np.array([sidx[d.status] for d, *_ in backstops], dtype=np.int64),
        backstop_group=np.array([groups[d.id] for d, *_ in backstops], dtype=np.int64),
        backstop_guarantor=np.array([i for _, i, _, _ in backstops], dtype=np.int64),
        backstop_beneficiary=np.array([j for _, _, j, _ in backstops], dtype=np.int64),
        backstop_cap=np.array([c for *_, c in backstops], dtype=float),
        drift_mean=drift_mean,
        drift_sd=drift_sd,
        volatility=_figure(a.gpu.volatility),
        impact=_figure(a.gpu.impact),
        market_depth=_figure(a.gpu.market_depth),
        depreciation_years=_figure(a.gpu.depreciation_years),
        alpha=a.recovery.alpha,
        beta=a.recovery.beta,
        sentiment_sensitivity=a.sentiment.sensitivity,
        demand_correlation=_figure(a.demand_correlation),
        funding_buffer_quarters=_figure(a.funding_buffer_quarters) if a.funding_buffer_quarters is not None else 0.0,
        realisation=realisation,
        ladder=ladder,
        ladder_covered=covered,
        funding_sensitivity=cols["funding_sensitivity"],
        regime_transition=reg_t,
        regime_access=reg_a,
        regime_initial=reg_0,
        deal_take_or_pay=np.array([terms.get(d.id, top) for d, *_ in cash_deals], dtype=float),
        residual_value=_figure(a.gpu.residual_value) if a.gpu.residual_value is not None else 0.0,
        lease_annual=cols["lease_payments"],
        lease_ramp_quarters=4.0 * ramp,
        line_party=np.array([x[0] for x in line_spec], dtype=np.int64),
        line_amount=np.array([x[1] for x in line_spec], dtype=float),
        line_market=np.array([x[2] for x in line_spec], dtype=bool),
        line_end=np.array([x[3] for x in line_spec], dtype=np.int64),
        provenance=provenance,
    )


def commitment_expiry(deal: Any) -> dt.date | None:
    """The date a credit deal's undrawn commitment ended, from its status history (``None``: it has not).

    The ledger records the end of a delayed-draw availability period (or any expiry of unused commitments) as a
    dated status event that restates ``committed`` to no more than what is ``drawn`` (docs/stress-model.md,
    "Committed liquidity"; e.g. ``amzn-term-loan-2026``: commitments expired on 30 Sep 2026, its 8-K). The first
    such event after which nothing is left undrawn, while something was undrawn before it, is the expiry.

    Parameters
    ----------
    deal : Deal
        A ledger deal (any kind; only its ``status_history`` and amounts are read).

    Returns
    -------
    datetime.date or None
        The expiry event's date.
    """
    amount = deal.base_amount
    for ev in deal.status_history:
        before = amount.committed_value - amount.drawn_value
        amount = restate(amount, ev)
        if ev.committed is not None and before > 0 and amount.committed_value - amount.drawn_value <= 0:
            return ev.date
    return None


def credit_availability(deal: Any, start: str, quarters: int) -> tuple[float, int]:
    """What a borrower can draw on an undrawn credit deal, and until when.

    Rules (docs/stress-model.md, "Committed liquidity"): an undrawn commitment can be drawn in every model quarter
    that starts before its availability ends, and in none after. The availability ends

    * on the date of the status event that ended the unused commitment (:func:`commitment_expiry`: the end of a
      delayed-draw period, recorded as ``committed`` restated to what was drawn); until then the undrawn amount is
      the one known just before that event;
    * for a revolving ``credit_facility``, at its end date (``end_date``, else ``schedule.end``); a term loan's or
      GPU-backed loan's end is its repayment date and does not limit the draw.

    Parameters
    ----------
    deal : Deal
        A ledger credit deal (loan, credit facility, GPU-backed debt), as known at the model's start.
    start : str
        The first model quarter, ``YYYYQn``.
    quarters : int
        The number of model quarters.

    Returns
    -------
    tuple of (float, int)
        The undrawn amount in the deal's currency (0 or more) and the first model quarter in which it can no longer
        be drawn (0: never drawable, ``quarters``: drawable throughout).
    """

    def first_gone(day: dt.date) -> int:
        # available in the quarters that start before ``day``
        return int(min(max(quarter_of(day - dt.timedelta(days=1), start) + 1, 0), quarters))

    amount = deal.amount
    end = quarters
    expiry = commitment_expiry(deal)
    if expiry is not None:
        end = first_gone(expiry)
        amount = deal.amount_on(expiry - dt.timedelta(days=1))
    last = deal.end_date or (deal.schedule.end if deal.schedule is not None else None)
    if deal.kind == DealKind.credit_facility and last is not None:
        end = min(end, first_gone(last))
    return max(0.0, amount.committed_value - amount.drawn_value), end


def _balance_date(ledger: Any, party: str, f: Figure | None) -> dt.date | None:
    """The balance-sheet date of a debt figure: a ledger figure's period end, else its ``as_of`` (None: unknown)."""
    if f is None:
        return None
    if f.ledger is not None:
        fin = ledger.financial(party, f.ledger, f.period)
        return fin.period_end if fin is not None else None
    return f.as_of


def _figure(f: Figure) -> float:
    if f.value is None:
        raise JunkanInputError.single("this figure must be a number, not a ledger metric", field=str(f.ledger))
    return f.value * f.scale


# --------------------------------------------------------------------------------------------------------------
# scenario -> exogenous paths


@dataclass(frozen=True)
class Paths:
    """Exogenous paths of a scenario over the horizon: ``(Q,)`` or ``(Q, N)`` arrays."""

    gpu: np.ndarray  # (Q,) multiplier of the GPU index
    growth_delta: np.ndarray  # (Q, N) added to annual growth
    demand_level: np.ndarray  # (Q, N) multiplier of end-customer revenue
    valuation: np.ndarray  # (Q, N) multiplier of valuations
    sentiment: np.ndarray  # (Q,) exogenous sentiment
    freeze: np.ndarray  # (Q, N) True = no new money
    rate_delta: np.ndarray  # (Q,)
    capex: np.ndarray  # (Q, N) multiplier of planned capex
    regime: np.ndarray  # (Q,) forced funding-regime state (index into REGIMES), -1 = the Markov chain's
    realisation: dict[int, float]  # status index -> fixed probability
    deals: dict[str, float]  # deal id -> fixed probability


def scenario_paths(model: EcosystemModel, scenario: Scenario) -> Paths:
    """Compile a scenario's shocks into paths over the model's quarters (shocks compose multiplicatively/additively).

    Raises
    ------
    JunkanInputError
        A shock naming a party that is not modelled, or a deal override naming no deal.
    """
    scenario.check(
        list(model.parties),
        set(model.deal_ids) | set(model.credit_ids) | set(model.backstop_ids) | set(scenario.deals),
    )
    nq, n = model.quarters, model.n
    q = np.arange(nq)
    gpu = np.ones(nq)
    growth = np.zeros((nq, n))
    level = np.ones((nq, n))
    valuation = np.ones((nq, n))
    sentiment = np.ones(nq)
    freeze = np.zeros((nq, n), dtype=bool)
    rate = np.zeros(nq)
    capex = np.ones((nq, n))
    regime = np.full(nq, -1, dtype=np.int64)
    for s in scenario.shocks:
        t0 = max(quarter_index(s.start, model.start), 0)  # a shock dated before the start begins at the start
        t1 = quarter_index(s.end, model.start) if s.end is not None else nq - 1
        on = (q >= t0) & (q <= t1)
        cols = np.array([model.parties.index(p) for p in s.parties]) if s.parties else np.arange(n)
        mask = np.zeros((nq, n), dtype=bool)
        mask[np.ix_(on, cols)] = True
        if s.type == "gpu_price":
            ramp = np.clip((q - t0 + 1) / s.ramp_quarters, 0.0, 1.0)
            gpu *= np.where(on, 1.0 + s.change * ramp, 1.0)
        elif s.type == "demand":
            growth += np.where(mask, s.growth_delta, 0.0)
            level *= np.where(mask, s.level, 1.0)
        elif s.type == "valuation":
            valuation *= np.where(mask, 1.0 + s.change, 1.0)
        elif s.type == "sentiment":
            sentiment = np.where(on, np.minimum(sentiment, s.level), sentiment)
        elif s.type == "funding_freeze":
            freeze |= mask
        elif s.type == "rate":
            rate += np.where(on, s.delta, 0.0)
        elif s.type == "capex":
            capex *= np.where(mask, 1.0 + s.change, 1.0)
        elif s.type == "funding_regime":
            regime = np.where(on, REGIMES.index(s.state), regime)
    sidx = {st: k for k, st in enumerate(STATUSES)}
    return Paths(
        gpu=gpu,
        growth_delta=growth,
        demand_level=level,
        valuation=valuation,
        sentiment=sentiment,
        freeze=freeze,
        rate_delta=rate,
        capex=capex,
        regime=regime,
        realisation={sidx[st]: p for st, p in scenario.realisation.items()},
        deals=dict(scenario.deals),
    )


# --------------------------------------------------------------------------------------------------------------
# clearing: the one place the colleague's Rogers-Veraart core is called


def clear_quarter(
    liabilities: np.ndarray, assets: np.ndarray, external: np.ndarray, alpha: float, beta: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clear one quarter's interparty obligations for a batch of runs (Rogers & Veraart 2013).

    Parameters
    ----------
    liabilities
        ``(B, N, N)``: ``liabilities[b, i, j]`` is what ``i`` owes ``j`` this quarter in run ``b``.
    assets
        ``(B, N)`` outside assets (cash, end-customer revenue, money raised, GPU sale proceeds).
    external
        ``(B, N)`` outside obligations (costs, debt service, capex paid outside), ranking pro rata.
    alpha, beta
        Recovery rates on outside assets and on receipts of a defaulter.

    Returns
    -------
    (defaulted, received, equity)
        ``(B, N)`` each: default flags, interparty payments received, and what is left (0 for defaulters).
    """
    from junkan.stress.clearing import rogers_veraart

    res = rogers_veraart(liabilities, assets, alpha=alpha, beta=beta, external_liabilities=external)
    return res.defaulted, res.received, res.equity


# --------------------------------------------------------------------------------------------------------------
# fire sales


def fire_sale(need: np.ndarray, units: np.ndarray, price: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """GPU units each seller sells to raise ``need`` at the price the sales themselves clear at, and that factor.

    Linear inverse demand (Cifuentes, Ferrucci & Shin 2005): selling ``S`` index-units in total moves the index from
    ``p`` to ``p * f`` with ``f = max(0, 1 - k * S)`` (``k = impact / market_depth``), and every seller gets the
    post-impact price. Seller ``i`` sells ``u_i = min(need_i / (p f), units_i)``: just enough to raise its need at
    the clearing price, or its whole fleet when that is not enough. The factor solves the fixed point
    ``f = 1 - k * sum_i u_i(f)``; with the set ``C`` of sellers that sell their whole fleet fixed, it is the larger
    root of ``f**2 - (1 - k * U_C) f + k * need_rest / p = 0`` (``U_C`` their units, ``need_rest`` the others' need).
    Candidate sets are tried from the highest factor down (sellers sorted by the factor ``need_i / (p units_i)``
    below which they run out of units); the first root inside its interval is the equilibrium with the highest price
    (the one a market reaches from the pre-sale price). Where no root exists (the sales cannot raise the need at
    any price), everyone short sells their whole fleet.

    Parameters
    ----------
    need
        ``(R, N)`` cash each party must raise (0 = not selling).
    units
        ``(R, N)`` GPU index-units each party holds.
    price
        ``(R,)`` index before the sales (> 0).
    k
        ``impact / market_depth`` (0 = no price impact).

    Returns
    -------
    (sell_units, factor)
        ``(R, N)`` units sold and ``(R,)`` the factor ``f`` (the index after the sales is ``price * f``).
    """
    p = np.maximum(price, 1e-12)[:, None]
    want = need > 0
    if k <= 0:
        return np.where(want, np.minimum(need / p, units), 0.0), np.ones(len(price))
    rows = np.flatnonzero(want.any(axis=1))
    if rows.size < len(price):  # solve only the runs with a seller
        sell_out, f_out = np.zeros_like(need, dtype=float), np.ones(len(price))
        if rows.size:
            sell_out[rows], f_out[rows] = fire_sale(need[rows], units[rows], price[rows], k)
        return sell_out, f_out
    # seller i runs out of units when the factor falls below bp_i; non-sellers never sell (bp = -inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        bp = np.where(want, np.where(units > 0, need / (p * units), np.inf), -np.inf)
    order = np.argsort(-bp, axis=1)
    bps = np.take_along_axis(bp, order, axis=1)
    u_sorted = np.take_along_axis(np.where(want, units, 0.0), order, axis=1)
    n_sorted = np.take_along_axis(np.where(want, need, 0.0), order, axis=1)
    r, n = need.shape
    cap_units = np.concatenate([np.zeros((r, 1)), np.cumsum(u_sorted, axis=1)], axis=1)  # j capped: first j
    rest_need = n_sorted.sum(axis=1, keepdims=True) - np.concatenate(
        [np.zeros((r, 1)), np.cumsum(n_sorted, axis=1)], axis=1
    )
    hi = np.concatenate([np.full((r, 1), np.inf), bps], axis=1)  # interval j: [lo_j, hi_j)
    lo = np.concatenate([bps, np.full((r, 1), -np.inf)], axis=1)
    a = 1.0 - k * cap_units
    b = k * np.maximum(rest_need, 0.0) / p
    disc = a * a - 4.0 * b
    sq = np.sqrt(np.maximum(disc, 0.0))
    # candidates from the highest factor down: interval 0 (larger root, smaller root), interval 1, ...
    roots = np.stack([(a + sq) / 2.0, (a - sq) / 2.0], axis=2).reshape(r, 2 * (n + 1))
    lo2, hi2, d2 = (np.repeat(x, 2, axis=1) for x in (lo, hi, disc))
    ok = (d2 >= 0) & (roots > 0) & (roots <= 1.0) & (roots >= lo2) & (roots < hi2)
    none: np.ndarray = np.asarray(~ok.any(axis=1))
    f = np.take_along_axis(roots, np.argmax(ok, axis=1)[:, None], axis=1)[:, 0]
    all_units = np.where(want, units, 0.0)
    f = np.where(none, np.maximum(0.0, 1.0 - k * all_units.sum(axis=1)), f)
    fc = np.maximum(f, 1e-300)[:, None]
    with np.errstate(over="ignore", divide="ignore"):
        sell = np.where(want, np.minimum(need / (p * fc), units), 0.0)
    sell = np.where(none[:, None], all_units, sell)
    return sell, f


# --------------------------------------------------------------------------------------------------------------
# simulation

LOSS_CHANNELS = ("clearing", "backlog", "cancel", "equity", "firesale")


@dataclass(frozen=True, eq=False)
class RawOutcome:
    """Per-run outputs of :func:`simulate` (``R`` runs, ``N`` parties, ``Q`` quarters; US dollars)."""

    default_quarter: np.ndarray  # (R, N) int, -1 = no default
    revenue: np.ndarray  # (R, N) end-customer revenue + receipts actually received, over the horizon
    reference_revenue: np.ndarray  # (N,) central path, deals at expected realisation, nobody defaults
    cash: np.ndarray  # (R, N) at the end
    raised: np.ndarray  # (R, N) new money raised
    capex_deferred: np.ndarray  # (R, N)
    gpu_sold: np.ndarray  # (R, N) sale proceeds
    losses: dict[str, np.ndarray]  # channel -> (R, N) loss borne by each party
    gpu_index: np.ndarray  # (R, Q)
    sentiment: np.ndarray  # (R, Q)
    realised: np.ndarray  # (R, D) bool
    backstop_paid: np.ndarray | None = None  # (R, N) paid by each guarantor under capacity backstops
    contract_scale: np.ndarray | None = None  # (R, D) share of each deal still contracted at the end
    restructure_quarter: np.ndarray | None = None  # (R, N) int, first distressed cancellation, -1 = none
    regime_closed: np.ndarray | None = None  # (R,) quarters the funding market spent closed


def _quarterly_growth(g: np.ndarray) -> np.ndarray:
    return np.power(np.maximum(1.0 + g, 0.01), 0.25)


#: Runs per random stream: run ``r`` draws its inputs from the stream of block ``r // RNG_BLOCK`` (see
#: :func:`draw_inputs`), so a run's draws do not depend on how many runs are simulated at once.
RNG_BLOCK = 1024


@dataclass(frozen=True, eq=False)
class Draws:
    """The random inputs of ``R`` runs (standard normals ``z_*``, uniforms ``u_*`` on [0, 1))."""

    z_common: np.ndarray  # (R,) common demand factor
    z_own: np.ndarray  # (R, N) own demand factor of each party
    z_drift: np.ndarray  # (R,) GPU index drift
    z_price: np.ndarray  # (R, Q) GPU index quarterly shocks
    u_status: np.ndarray  # (R, S) realisation rate of each deal status (scaled into its range)
    u_group: np.ndarray  # (R, G) one per arrangement (legs of a deal share it)
    u_fund: np.ndarray  # (R, Q, N) funding round success
    u_regime: np.ndarray  # (R, Q) funding-regime transitions

    @property
    def runs(self) -> int:
        return int(self.z_common.shape[0])

    def rows(self, lo: int, hi: int) -> Draws:
        """Runs ``lo:hi`` of these draws."""
        return Draws(*(getattr(self, f.name)[lo:hi] for f in dataclasses.fields(self)))


def _n_groups(m: EcosystemModel) -> int:
    return 1 + int(max(m.deal_group.max(initial=-1), m.credit_group.max(initial=-1), m.backstop_group.max(initial=-1)))


def _draw(rng: np.random.Generator, runs: int, m: EcosystemModel) -> Draws:
    """Draw the inputs of ``runs`` runs from ``rng`` in the fixed order of the fields of :class:`Draws`."""
    R, N, Q = runs, m.n, m.quarters
    return Draws(
        z_common=rng.standard_normal(R),
        z_own=rng.standard_normal((R, N)),
        z_drift=rng.standard_normal(R),
        z_price=rng.standard_normal((R, Q)),
        u_status=rng.random((R, len(STATUSES))),
        u_group=rng.random((R, _n_groups(m))),
        u_fund=rng.random((R, Q, N)),
        u_regime=rng.random((R, Q)),
    )


def draw_inputs(model: EcosystemModel, seed: int, start: int, stop: int) -> Draws:
    """The random inputs of runs ``start:stop`` of a simulation with ``seed``, whatever the chunking.

    Runs are grouped in blocks of :data:`RNG_BLOCK`; block ``k`` has its own generator,
    ``PCG64(SeedSequence(seed, spawn_key=(k,)))`` (the ``k``-th child of ``SeedSequence(seed).spawn``), which draws
    the whole block in the order of :func:`_draw`. Simulating runs ``0:R`` at once or in any chunks therefore gives
    every run the same draws (NumPy's recommended way of independent parallel streams, O'Neill 2014 / NumPy
    ``SeedSequence`` documentation).
    """
    parts = []
    for k in range(start // RNG_BLOCK, (stop - 1) // RNG_BLOCK + 1):
        gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(k,))))
        block = _draw(gen, RNG_BLOCK, model)
        lo = max(start - k * RNG_BLOCK, 0)
        hi = min(stop - k * RNG_BLOCK, RNG_BLOCK)
        parts.append(block.rows(lo, hi))
    if len(parts) == 1:
        return parts[0]
    return Draws(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in dataclasses.fields(Draws)))


def simulate(
    model: EcosystemModel,
    paths: Paths,
    runs: int,
    rng: np.random.Generator | Draws,
    channels: dict[str, bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RawOutcome:
    """Run ``runs`` Monte Carlo runs of the model under ``paths``, vectorised across runs.

    Random inputs are drawn up front, in a fixed order, so that the same generator state gives the same result and
    runs with a channel switched off reuse the same draws (common random numbers): growth of end-customer revenue
    per run and party (``N(mean, sd)``, correlated through a common factor with weight ``demand_correlation``),
    the GPU index's annual drift (``N(mean, sd)`` per run) and quarterly shocks, a realisation rate per deal status
    per run (``U(low, high)``) and one uniform per arrangement (legs share it), and one uniform per run, quarter and
    party for funding rounds. Runs do not interact: each run's outcome depends only on its own draws.

    Parameters
    ----------
    model, paths
        From :func:`build_model` and :func:`scenario_paths`.
    runs
        Number of runs ``R`` (>= 1).
    rng
        The generator (see :func:`junkan.random.make_rng`), or the runs' :class:`Draws` (from :func:`draw_inputs`;
        what :func:`~junkan.stress.ecosystem.run_stress` passes, chunk by chunk).
    channels
        Channel -> on/off (missing = on); see the module docstring.
    progress
        Called as ``progress(done, total)`` after each quarter.
    """
    if runs < 1:
        raise JunkanInputError.single(f"runs must be at least 1, got {runs}", field="runs")
    ch = {c: True for c in CHANNELS} | dict(channels or {})
    m = model
    R, N, Q = runs, m.n, m.quarters
    D = len(m.deal_ids)
    # ---- random inputs, fixed order
    dr = rng if isinstance(rng, Draws) else _draw(rng, R, m)
    if dr.runs != R:
        raise ValueError(f"draws for {dr.runs} runs given for {R} runs")
    z_common, z_own = dr.z_common, dr.z_own
    rho = m.demand_correlation
    g = m.growth_mean + m.growth_sd * (np.sqrt(rho) * z_common[:, None] + np.sqrt(1.0 - rho) * z_own)
    drift = m.drift_mean + m.drift_sd * dr.z_drift
    z_price = dr.z_price
    lo, hi = m.realisation[:, 0], m.realisation[:, 1]
    p_status = lo + (hi - lo) * dr.u_status
    u_group = dr.u_group
    u_fund = dr.u_fund
    u_regime = dr.u_regime
    regime_cum = np.cumsum(m.regime_transition, axis=1)  # (3, 3) row-wise cumulative transition probabilities
    for s, p in paths.realisation.items():
        p_status[:, s] = p

    def realise(ids: tuple[str, ...], status: np.ndarray, group: np.ndarray) -> np.ndarray:
        prob = p_status[:, status] if len(ids) else np.zeros((R, 0))
        for k, did in enumerate(ids):
            if did in paths.deals:
                prob[:, k] = paths.deals[did]
        return u_group[:, group] < prob

    realised = realise(m.deal_ids, m.deal_status, m.deal_group)
    credit_ok = realise(m.credit_ids, m.credit_status, m.credit_group)
    backstop_ok = realise(m.backstop_ids, m.backstop_status, m.backstop_group)

    # ---- incidence of deals
    payer_in = m.deal_payer >= 0
    payee_in = m.deal_payee >= 0
    network = payer_in & payee_in
    pair = np.zeros((D, N * N))
    pair[np.flatnonzero(network), (m.deal_payer * N + m.deal_payee)[network]] = 1.0
    to_payee = np.zeros((D, N))
    to_payee[np.flatnonzero(payee_in), m.deal_payee[payee_in]] = 1.0
    from_payer = np.zeros((D, N))
    from_payer[np.flatnonzero(payer_in), m.deal_payer[payer_in]] = 1.0
    eq_pair = pair * m.deal_equity[:, None]
    payer_c = np.where(payer_in, m.deal_payer, 0)
    payee_c = np.where(payee_in, m.deal_payee, 0)
    cancellable = m.deal_cancellable & payer_in
    B = len(m.backstop_ids)
    deal_price_exposure = np.where(m.deal_cancellable & payee_in, m.contract_price_exposure[payee_c], 0.0)  # (D,)
    reprice_on = bool(deal_price_exposure.any())
    reprice: np.ndarray | float = 1.0

    # ---- state
    cash = np.broadcast_to(m.cash, (R, N)).copy()
    debt = np.broadcast_to(m.debt, (R, N)).copy()
    gdebt = np.broadcast_to(m.gpu_debt, (R, N)).copy()
    units = np.broadcast_to(m.fleet, (R, N)).copy()  # fleet in index units (value at index 1)
    lines = m.facilities + np.zeros((R, N))  # the assumptions' extra committed lines (no maturity)
    # drawable lines, one by one: the ledger's undrawn credit deals (if realised; a revolver until its end date),
    # then the assumptions' revolvers and CP programmes (sourced facts, not realised per run)
    line_party = np.concatenate([m.credit_borrower, m.line_party]).astype(np.int64)
    line_market = np.concatenate([np.zeros(len(m.credit_ids), dtype=bool), m.line_market])
    line_end = np.concatenate([m.credit_end, m.line_end]).astype(np.int64)
    line_left = np.concatenate(
        [credit_ok * m.credit_undrawn, np.broadcast_to(m.line_amount, (R, len(m.line_party)))], axis=1
    )
    n_lines = len(line_party)
    stake_cost = np.broadcast_to(m.stakes, (R, N, N)).copy()
    alive = np.ones((R, N), dtype=bool)
    default_q = np.full((R, N), -1, dtype=np.int64)
    restr_q = np.full((R, N), -1, dtype=np.int64)
    state = np.full(R, m.regime_initial, dtype=np.int64)
    closed_q = np.zeros(R, dtype=np.int64)
    top = m.deal_take_or_pay  # (D,) share of a cancelled payment still owed
    rec_left = np.broadcast_to(m.ladder_covered, (R, N)).copy()  # recorded debt with a maturity, not yet repaid
    market = np.ones(R)
    level = np.broadcast_to(m.revenue_annual / 4.0, (R, N)).copy()
    seized = np.zeros(R)
    val0 = np.where(m.valuation > 0, m.valuation, 1.0)
    val_share = m.valuation / max(m.valuation.sum(), 1e-300)
    wear = (1.0 - m.residual_value) / (4.0 * m.depreciation_years)
    sig = m.volatility
    scale = np.ones((R, D))  # share of each deal still contracted (a cancellation scales the undelivered part down)
    raised_hist = np.zeros((R, 4, N))  # new money raised in each of the last four quarters (rolling funding window)
    backstop_left = m.backstop_cap * backstop_ok  # (R, B)
    claim = np.zeros((R, N))  # contracted receipts each party lost last quarter (backstop claims, paid a quarter late)
    central_rev = _central_revenue(m)[0]  # (N,) the valuations' base: total revenue in the first central quarter
    has_base = central_rev > 0
    base_rev = np.where(has_base, central_rev, 1.0)
    val_ratio = np.ones((R, N))

    out_rev = np.zeros((R, N))
    out_raised = np.zeros((R, N))
    out_deferred = np.zeros((R, N))
    out_sold = np.zeros((R, N))
    out_backstop = np.zeros((R, N))
    losses = {c: np.zeros((R, N)) for c in LOSS_CHANNELS}
    gpu_index = np.zeros((R, Q))
    sent_path = np.zeros((R, Q))

    for t in range(Q):
        af = alive.astype(float)
        # 1. prices and sentiment
        market *= np.exp((drift - 0.5 * sig**2) / 4.0 + 0.5 * sig * z_price[:, t])
        if ch["firesale"] and m.impact > 0:
            market *= np.maximum(0.0, 1.0 - m.impact * seized / m.market_depth)
        seized = np.zeros(R)
        price = market * paths.gpu[t]
        dead_share = (~alive * val_share).sum(axis=1)
        senti = np.full(R, paths.sentiment[t])
        if ch["sentiment"]:
            senti = senti * np.clip(1.0 - m.sentiment_sensitivity * dead_share, 0.0, 1.0)
        gpu_index[:, t] = price
        sent_path[:, t] = senti
        # the shared funding regime (Markov chain open/tight/closed; a scenario can hold it in a state)
        if t > 0:
            state = (u_regime[:, t, None] >= regime_cum[state][:, :2]).sum(axis=1)
        if paths.regime[t] >= 0:
            state = np.full(R, paths.regime[t], dtype=np.int64)
        closed_q += state == 2
        # a revolver is committed until its maturity; CP can be issued only while the funding market is not closed
        line_on = (t < line_end)[None, :] & ~(line_market[None, :] & (state == 2)[:, None])  # (R, L)
        access = 1.0 - m.funding_sensitivity[None, :] * (1.0 - m.regime_access[state][:, None])  # (R, N)

        # 2. what is due
        if t > 0:
            level = level * _quarterly_growth(g + paths.growth_delta[t])
        end_rev = level * paths.demand_level[t] * np.power(np.maximum(price, 1e-12)[:, None], m.rental_exposure) * af
        a_payer = np.where(payer_in, alive[:, payer_c], True)
        a_payee = np.where(payee_in, alive[:, payee_c], True)
        live = a_payer & a_payee
        # the guarantor of a capacity backstop pays for what its beneficiary lost last quarter, up to what is left
        bs_liab = np.zeros((R, N, N))
        if B and ch["backstop"]:
            for b in range(B):
                gi, ki = m.backstop_guarantor[b], m.backstop_beneficiary[b]
                pay = np.minimum(backstop_left[:, b], claim[:, ki]) * (alive[:, gi] & alive[:, ki])
                backstop_left[:, b] -= pay
                bs_liab[:, gi, ki] += pay
                out_backstop[:, gi] += pay

        inc = _Incidence(pair, eq_pair, to_payee, from_payer, payer_in, payee_in, m.deal_equity, R, N)
        # contracted compute receipts of a GPU cloud are repriced when the index falls below the path the contracts
        # priced in (customers renegotiate or fail to renew in a glut; contract_price_exposure, pass 4)
        if reprice_on:
            gap = np.maximum(0.0, 1.0 - price / np.exp(m.drift_mean * t / 4.0))  # (R,)
            reprice = 1.0 - gap[:, None] * deal_price_exposure[None, :]  # (R, D)
        pay = scale + top * (1.0 - scale)  # a cancelled payment still owes its take-or-pay share
        amt = realised * pay * m.deal_amounts[:, t] * reprice
        lost_backlog, ext_rev, ext_eq, ext_out, liab, eq_liab = _flows(
            amt, a_payer, a_payee, inc, ch["backlog"], bs_liab
        )
        # planned capex follows end demand relative to the central path (a party builds for the demand it sees);
        # a vendor also builds ahead for the contracts it sold (contract_capex), as far as they are still contracted
        central = m.revenue_annual / 4.0 * np.power(np.maximum(1.0 + m.growth_mean, 0.01), t / 4.0)
        demand = level * paths.demand_level[t]  # end demand in volume: GPU rental prices do not move capex plans
        demand_ratio = np.where(central > 0, demand / np.where(central > 0, central, 1.0), 1.0)
        capex = m.capex_annual / 4.0 * (1.0 + m.capex_growth) ** (t / 4.0) * demand_ratio
        if m.contract_capex.any():
            capex = capex + m.contract_capex * _dot(realised * scale * m.deal_build[:, t] * live, to_payee)
        capex = capex * paths.capex[t] * af
        sup_live = m.suppliers[None, :, :] * af[:, None, :]
        units *= 1.0 - wear
        fleet_value = units * price[:, None]
        rate = m.rate + paths.rate_delta[t]
        interest = debt * rate / 4.0
        # the maturity ladder of recorded debt, and the rest (and all new debt) evenly over maturity_years
        laddered = np.minimum(m.ladder[t] * af, rec_left)
        rec_left -= laddered
        due_principal = laddered + np.maximum(debt - rec_left - laddered, 0.0) / (4.0 * m.maturity_years)
        due_principal = np.minimum(due_principal, debt)
        refi = due_principal * m.refinance * senti[:, None] * access * ~paths.freeze[t]
        cure = np.maximum(0.0, gdebt - m.ltv_max * fleet_value) * af
        # leases commence as the leased capacity is delivered: quarter t pays min(1, (t + 1/2) / ramp) of the rate
        commenced = min(1.0, (t + 0.5) / m.lease_ramp_quarters) if m.lease_ramp_quarters > 0 else 1.0
        lease_now = m.lease_annual / 4.0 * commenced
        base_out = (m.fixed_costs_annual / 4.0 + lease_now) * af + interest + (due_principal - refi) + cure

        # 3. liquidity: raise, draw lines, defer capex, cancel undelivered compute, sell GPUs
        liab_c, receipts, owed, outside, short = _position(
            liab, eq_liab, capex, sup_live, m, end_rev + ext_rev, cash + end_rev + ext_rev + ext_eq, base_out + ext_out
        )
        need = np.maximum(short, 0.0) * af
        # a valuation is a multiple of total revenue: end demand (in volume) plus contracted receipts from deals
        # and other parties' capex (equity received is not revenue), relative to the central path's first quarter
        val = m.valuation * paths.valuation[t] * senti[:, None]
        # a GPU landlord's end revenue is valued at the rental price it earns (pass 4: its value falls with its
        # rental income); receipts are already repriced contracts
        rental = np.power(np.maximum(price, 1e-12)[:, None], m.rental_exposure)
        total_rev = level * paths.demand_level[t] * rental + receipts - eq_liab.sum(axis=1) + ext_rev
        val_ratio = np.where(has_base, total_rev / base_rev, 1.0)
        val = val * val_ratio
        if ch["equity"]:
            mark = val / val0 * af  # (R, N) investee's value relative to the start
            stake_value = stake_cost * mark[:, None, :]
            val = val + (stake_value - stake_cost).sum(axis=2)
        val = np.maximum(val, 0.0)
        # funding: sentiment enters through the valuation (the size) and the odds, once each. A party manages its
        # runway: whenever its cash would not cover this quarter's burn plus funding_buffer_quarters more, it tries
        # to raise up to that cover, within the rolling four-quarter access (a failed try is retried next quarter)
        raised_hist[:, t % 4, :] = 0.0
        room = np.maximum(m.funding_access * val - raised_hist.sum(axis=1), 0.0) * ~paths.freeze[t]
        success = u_fund[:, t, :] < m.funding_success * senti[:, None] * access
        burn = np.maximum(short + cash, 0.0)  # obligations not covered by this quarter's inflows
        want = np.maximum(short + m.funding_buffer_quarters * burn, 0.0) * af
        raised = np.where(success & (want > 0), np.minimum(want, room), 0.0)
        need = np.maximum(need - raised, 0.0)
        drawn = np.minimum(need, lines)
        lines -= drawn
        need -= drawn
        if n_lines:  # then the revolvers and CP programmes
            from_cl = draw_lines(need, line_left, line_on, line_party)
            drawn += from_cl
            need -= from_cl
        defer = np.minimum(need, m.capex_flex * capex)
        capex_now = capex - defer
        out_deferred += defer
        if defer.any():  # suppliers lose these orders: their positions change too
            liab_c, receipts, owed, outside, short = _position(
                liab,
                eq_liab,
                capex_now,
                sup_live,
                m,
                end_rev + ext_rev,
                cash + end_rev + ext_rev + ext_eq,
                base_out + ext_out,
            )
            need = np.maximum(short - raised - drawn, 0.0) * af
        if ch["cancel"] and D and (need > 0).any():
            # a customer that still cannot pay scales its compute contracts down, from this quarter's deliveries on
            # (the vendor withholds capacity that is not paid for and loses that backlog)
            # cutting a share c of a deal's remaining deliveries saves only (1 - take_or_pay) of its payment
            relief = realised * scale * m.deal_amounts[:, t] * reprice * (1.0 - top)
            due = _dot(relief * live * cancellable, from_payer)
            frac = np.where(due > 0, np.minimum(1.0, need / np.where(due > 0, due, 1.0)), 0.0)
            cut = frac[:, payer_c] * cancellable
            if cut.any():
                cutter = _dot((cut > 0).astype(float), from_payer) > 0  # (R, N): a distressed cancellation
                restr_q[cutter & alive & (restr_q < 0)] = t
                scale *= 1.0 - cut
                pay = scale + top * (1.0 - scale)
                amt = realised * pay * m.deal_amounts[:, t] * reprice
                lost_backlog, ext_rev, ext_eq, ext_out, liab, eq_liab = _flows(
                    amt, a_payer, a_payee, inc, ch["backlog"], bs_liab
                )
                liab_c, receipts, owed, outside, short = _position(
                    liab,
                    eq_liab,
                    capex_now,
                    sup_live,
                    m,
                    end_rev + ext_rev,
                    cash + end_rev + ext_rev + ext_eq,
                    base_out + ext_out,
                )
                need = np.maximum(short - raised - drawn, 0.0) * af
        if (need > 0).any():  # whoever became short through others' cuts: what is left of the round and the lines
            more = np.where(success & (need > 0), np.minimum(need, np.maximum(room - raised, 0.0)), 0.0)
            raised += more
            need -= more
            more_drawn = np.minimum(need, lines)
            lines -= more_drawn
            if n_lines:
                more_drawn = more_drawn + draw_lines(need - more_drawn, line_left, line_on, line_party)
            drawn += more_drawn
            need -= more_drawn
            # and the capex it has not deferred yet (before, a party made short by its customers' cuts could only
            # sell GPUs, though most of its capex plan was still deferrable)
            more_defer = np.minimum(need, np.maximum(m.capex_flex * capex - defer, 0.0))
            if more_defer.any():
                defer = defer + more_defer
                capex_now = capex - defer
                out_deferred += more_defer
                liab_c, receipts, owed, outside, short = _position(
                    liab,
                    eq_liab,
                    capex_now,
                    sup_live,
                    m,
                    end_rev + ext_rev,
                    cash + end_rev + ext_rev + ext_eq,
                    base_out + ext_out,
                )
                need = np.maximum(short - raised - drawn, 0.0) * af
        raised_hist[:, t % 4, :] = raised
        lost_cancel = _dot(realised * (1.0 - pay) * m.deal_amounts[:, t] * reprice * live, to_payee)
        losses["cancel"] += lost_cancel
        if ch["backlog"]:
            losses["backlog"] += lost_backlog
        claim = (lost_cancel + (lost_backlog if ch["backlog"] else 0.0)) * af
        pdiv = np.maximum(price, 1e-6)[:, None]  # guards a price driven to zero by sales
        # sellers sell what raises their need at the price their own sales clear at (not at the pre-sale price,
        # which left every seller short by need * (1 - factor) and so turned any GPU sale into a default)
        k_impact = m.impact / m.market_depth if ch["firesale"] and m.impact > 0 else 0.0
        need = np.where(need > 1e-12 * (outside + owed + 1.0), need, 0.0)  # rounding residue is not a need
        sell_units, factor = fire_sale(need * af, units * af, pdiv[:, 0], k_impact)
        proceeds = sell_units * (price * factor)[:, None]
        losses["firesale"] += sell_units * (price * (1.0 - factor))[:, None]
        units -= sell_units
        market *= factor
        out_raised += raised
        out_sold += proceeds
        new_debt = drawn + raised * m.funding_debt_share
        repaid = due_principal - refi
        # GPU-backed loans amortise with the rest of the debt (DDTLs are repaid from their contracts' cash flows)
        gdebt -= np.where(debt > 0, gdebt / np.where(debt > 0, debt, 1.0), 0.0) * repaid
        debt += new_debt - repaid - cure
        # a GPU cloud borrows against its GPUs: that share of new debt is GPU-backed and counts in the LTV test
        gdebt += m.new_debt_gpu_share * new_debt - cure
        debt = np.maximum(debt, 0.0)
        gdebt = np.minimum(np.maximum(gdebt, 0.0), debt)
        units += capex_now * m.gpu_share / pdiv * af

        # 4. clearing
        ext_in = ext_rev + ext_eq
        assets = cash + end_rev + ext_in + raised + drawn + proceeds
        residual = outside + owed - (assets + receipts)
        scl = np.maximum(1.0, np.abs(assets) + receipts + outside + owed)
        short_now = (residual > 1e-9 * scl) & alive
        new_cash = assets + receipts - owed - outside
        received = receipts.copy()
        defaulted = np.zeros((R, N), dtype=bool)
        rows = np.flatnonzero(short_now.any(axis=1))
        if rows.size:
            if ch["clearing"]:
                d_b, rec_b, eq_b = clear_quarter(liab_c[rows], assets[rows], outside[rows], m.alpha, m.beta)
                # a party made short only by its debtors' shortfall in clearing (its liquidity waterfall ran on the
                # receipts due) covers the gap from its undrawn lines, its revolvers and CP, the rest of this
                # quarter's round and the capex it has not deferred yet, when they suffice, and the quarter is
                # cleared again (issue 11: before, a one-quarter shortfall of receipts from a defaulting customer
                # defaulted a hyperscaler holding unused credit lines, and then one with still-deferrable capex:
                # Amazon in agi-disappointment defaulted for $0.8B of Anthropic's unpaid receipts with $17B of its
                # quarter's capex still deferrable)
                gap = np.maximum(outside[rows] + owed[rows] - assets[rows] - rec_b, 0.0)
                room_left = np.where(success[rows], np.maximum(room[rows] - raised[rows], 0.0), 0.0)
                cl_left = line_left[rows]
                cl_room = line_room(cl_left, line_on[rows], line_party, N) if n_lines else 0.0
                defer_left = np.maximum(m.capex_flex * capex[rows] - defer[rows], 0.0)
                rescue = d_b & ~short_now[rows] & alive[rows] & (gap <= lines[rows] + cl_room + room_left + defer_left)
                if rescue.any():
                    from_lines = np.where(rescue, np.minimum(gap, lines[rows]), 0.0)
                    from_cl = np.zeros_like(gap)
                    if n_lines:
                        want_cl = np.where(rescue, gap - from_lines, 0.0)
                        from_cl = draw_lines(want_cl, cl_left, line_on[rows], line_party)
                        line_left[rows] = cl_left
                    from_round = np.where(rescue, np.minimum(gap - from_lines - from_cl, room_left), 0.0)
                    from_defer = np.where(rescue, np.maximum(gap - from_lines - from_cl - from_round, 0.0), 0.0)
                    new_money = from_lines + from_cl + from_round * m.funding_debt_share
                    lines[rows] -= from_lines
                    debt[rows] += new_money
                    gdebt[rows] = np.minimum(gdebt[rows] + m.new_debt_gpu_share * new_money, debt[rows])
                    raised_hist[rows, t % 4, :] += from_round
                    out_raised[rows] += from_round
                    assets[rows] += from_lines + from_cl + from_round
                    if from_defer.any():  # deferred capex: suppliers' orders and outside capex fall, fewer GPUs
                        to_sup = from_defer[:, :, None] * sup_live[rows]  # (B, N, N)
                        sup_part = to_sup.sum(axis=2)
                        liab_c[rows] = liab_c[rows] - to_sup
                        outside[rows] -= from_defer - sup_part
                        owed[rows] -= sup_part
                        receipts[rows] -= to_sup.sum(axis=1)
                        units[rows] -= from_defer * m.gpu_share / pdiv[rows]
                        out_deferred[rows] += from_defer
                    d_b, rec_b, eq_b = clear_quarter(liab_c[rows], assets[rows], outside[rows], m.alpha, m.beta)
                defaulted[rows] = d_b & alive[rows]
                received[rows] = rec_b
                new_cash[rows] = np.where(d_b, 0.0, eq_b)
                losses["clearing"][rows] += np.maximum(receipts[rows] - rec_b, 0.0)
            else:
                defaulted[rows] = short_now[rows]
                new_cash[rows] = np.where(short_now[rows], 0.0, new_cash[rows])
        # stakes bought this quarter (a defaulter's purchases are not completed)
        stake_cost += eq_liab * ~defaulted[:, :, None]
        cash = np.where(alive, np.maximum(new_cash, 0.0), 0.0)
        out_rev += (end_rev + received + ext_in) * af

        # 5. defaults: cancel, write down, seize collateral
        new = defaulted & alive
        if new.any():
            default_q[new] = t
            alive &= ~new
            # lenders of GPU-backed debt seize and sell their collateral; the rest of the fleet keeps running under
            # a successor (a Chapter 11 estate or a buyer) and is not dumped on the market
            collateral = np.minimum(units, gdebt / np.maximum(price, 1e-6)[:, None])
            seized += (collateral * new).sum(axis=1)
            units[new] = 0.0
            cash[new] = 0.0
            debt[new] = 0.0
            gdebt[new] = 0.0
            lines[new] = 0.0
            if n_lines:
                line_left[new[:, line_party]] = 0.0
        if progress is not None:
            progress(t + 1, Q)

    # equity losses at the end: cost minus marked value (written off if the investee defaulted)
    if ch["equity"]:
        val_end = m.valuation * paths.valuation[Q - 1] * sent_path[:, Q - 1][:, None]
        mark = val_end * val_ratio / val0 * alive
        losses["equity"] = (stake_cost * (1.0 - mark[:, None, :])).sum(axis=2)
    reference = _reference_revenue(m)
    return RawOutcome(
        default_quarter=default_q,
        revenue=out_rev,
        reference_revenue=reference,
        cash=cash,
        raised=out_raised,
        capex_deferred=out_deferred,
        gpu_sold=out_sold,
        losses=losses,
        gpu_index=gpu_index,
        sentiment=sent_path,
        realised=realised,
        backstop_paid=out_backstop,
        contract_scale=scale,
        restructure_quarter=restr_q,
        regime_closed=closed_q,
    )


@dataclass(frozen=True, eq=False)
class _Incidence:
    """Deal incidence matrices of one simulation (``D`` deals, ``N`` parties, ``R`` runs)."""

    pair: np.ndarray  # (D, N*N) deal -> (payer, payee) cell, both modelled
    eq_pair: np.ndarray  # the same for equity deals
    to_payee: np.ndarray  # (D, N)
    from_payer: np.ndarray  # (D, N)
    payer_in: np.ndarray  # (D,) bool
    payee_in: np.ndarray
    equity: np.ndarray  # (D,) bool
    runs: int
    n: int


def _flows(
    amt: np.ndarray, a_payer: np.ndarray, a_payee: np.ndarray, inc: _Incidence, backlog: bool, extra: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """This quarter's deal flows from the amounts due ``amt`` (R, D) given who is alive.

    Returns the backlog lost by live payees of dead payers (R, N), outside revenue and outside equity received,
    payments to outsiders, the interparty liabilities (R, N, N, plus ``extra``) and their equity part. With
    ``backlog`` off an outside successor honours a dead party's deals (flows with the outside world instead).
    """
    r, n = inc.runs, inc.n
    live = a_payer & a_payee
    backlog_in = amt * (~a_payer & a_payee)  # due to a live payee from a dead payer
    net_amt = amt * live
    ext = net_amt * ~inc.payer_in
    out = net_amt * ~inc.payee_in
    if not backlog:
        ext = ext + backlog_in
        out = out + amt * (a_payer & ~a_payee)
    liab = _dot(net_amt, inc.pair).reshape(r, n, n) + extra
    eq_liab = _dot(net_amt, inc.eq_pair).reshape(r, n, n)
    ext_rev = _dot(ext * ~inc.equity, inc.to_payee)
    ext_eq = _dot(ext * inc.equity, inc.to_payee)
    return _dot(backlog_in, inc.to_payee), ext_rev, ext_eq, _dot(out, inc.from_payer), liab, eq_liab


def draw_lines(need: np.ndarray, left: np.ndarray, on: np.ndarray, party: np.ndarray) -> np.ndarray:
    """Draw ``need`` ``(R, N)`` from the revolvers and CP programmes, line by line in the assumptions' order.

    ``left`` ``(R, L)`` is what is undrawn of each line (reduced in place), ``on`` ``(R, L)`` whether the line can
    be drawn this quarter (a revolver before its maturity; a CP programme while the funding market is not closed:
    Kacperczyk & Schnabl 2010), ``party`` ``(L,)`` each line's party. Returns what each party drew ``(R, N)``."""
    drawn = np.zeros_like(need)
    for ln, k in enumerate(party.tolist()):
        take = np.minimum(np.maximum(need[:, k] - drawn[:, k], 0.0), left[:, ln] * on[:, ln])
        left[:, ln] -= take
        drawn[:, k] += take
    return drawn


def line_room(left: np.ndarray, on: np.ndarray, party: np.ndarray, n: int) -> np.ndarray:
    """What each party could draw from its revolvers and CP programmes this quarter ``(R, N)`` (see
    :func:`draw_lines`)."""
    room = np.zeros((left.shape[0], n))
    for ln, k in enumerate(party.tolist()):
        room[:, k] += left[:, ln] * on[:, ln]
    return room


def _dot(x: np.ndarray, mat: np.ndarray) -> np.ndarray:
    """``x @ mat`` for a sparse (incidence) ``mat``: each non-zero ``mat[d, c]`` adds ``x[:, d] * mat[d, c]`` to
    column ``c``, in order of ``d``. Unlike a BLAS product, whose rounding can depend on where a row sits in ``x``
    (its kernels treat edge rows differently), a run's result then never depends on the other runs in ``x``: a
    run gives the same outcome whatever chunk of runs it is simulated in."""
    out = np.zeros((x.shape[0], mat.shape[1]))
    rows, cols = np.nonzero(mat)
    for d, c in zip(rows.tolist(), cols.tolist(), strict=True):
        v = mat[d, c]
        out[:, c] += x[:, d] if v == 1.0 else x[:, d] * v
    return out


def _position(
    liab: np.ndarray,
    eq_liab: np.ndarray,
    capex: np.ndarray,
    sup_live: np.ndarray,
    m: EcosystemModel,
    other_revenue: np.ndarray,
    inflow: np.ndarray,
    fixed_out: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Interparty liabilities with capex orders, receipts due, amounts owed, outside obligations and shortfall.

    Cash costs: ``cost_ratio`` of end-customer and outside revenue, ``contract_cost_ratio`` of receipts from modelled
    parties other than equity investments (money invested is not revenue and carries no operating cost)."""
    liab_c = liab + capex[:, :, None] * sup_live
    receipts = liab_c.sum(axis=1)
    owed = liab_c.sum(axis=2)
    revenue_receipts = receipts - eq_liab.sum(axis=1)
    outside = (
        m.cost_ratio * other_revenue
        + m.contract_cost_ratio * revenue_receipts
        + fixed_out
        + capex * (1.0 - sup_live.sum(axis=2))
    )
    short = outside + owed - (inflow + receipts)
    return liab_c, receipts, owed, outside, short


def _central_revenue(m: EcosystemModel, equity: bool = False) -> np.ndarray:
    """``(Q, N)`` revenue per quarter on the central path: end-customer revenue at mean growth, receipts from other
    parties' planned and contract capex (``capex_suppliers``) and scheduled deal receipts, each deal weighted by its
    status's expected realisation probability (the midpoint of its range), nobody defaulting or cancelling. Equity
    received counts only with ``equity=True``."""
    q = np.arange(m.quarters)
    growth = np.power(np.maximum(1.0 + m.growth_mean, 0.01), 0.25)
    end = (m.revenue_annual / 4.0)[None, :] * growth[None, :] ** q[:, None]
    capex = (m.capex_annual / 4.0)[None, :] * (1.0 + m.capex_growth)[None, :] ** (q[:, None] / 4.0)
    weight = m.realisation[m.deal_status].mean(axis=1) if len(m.deal_ids) else np.zeros(0)
    inside = m.deal_payee >= 0
    deals = np.zeros((m.quarters, m.n))
    if len(m.deal_ids):
        build = np.zeros((m.quarters, m.n))
        np.add.at(build.T, m.deal_payee[inside], m.deal_build[inside] * weight[inside, None])
        capex = capex + build * m.contract_capex[None, :]
        paid = inside if equity else inside & ~m.deal_equity
        np.add.at(deals.T, m.deal_payee[paid], m.deal_amounts[paid] * weight[paid, None])
    return np.asarray(end + capex @ m.suppliers + deals)


def _reference_revenue(m: EcosystemModel) -> np.ndarray:
    """Revenue over the horizon on the central path (:func:`_central_revenue`, equity received included): mean
    growth, GPU index 1, planned and contract capex, nobody defaults or cancels, every deal weighted by the expected
    realisation probability of its status."""
    return np.asarray(_central_revenue(m, equity=True).sum(axis=0))
