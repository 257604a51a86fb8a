"""Intervals for what is undisclosed: seeded, batched draws of every uncertain deal amount.

What is drawn
-------------
Each deal's figure on the graph's basis is multiplied by ``draw / headline``, where ``draw`` comes from the deal's
own statement of uncertainty (:class:`junkan.ledger.schema.Amount`). Knowing only bounds, the distribution of
maximum entropy is the uniform one on them; knowing bounds and a mean, it is the truncated exponential
``p(x) ~ exp(lambda x)`` on them with that mean (Jaynes 1957, "Information theory and statistical mechanics",
Phys. Rev. 106:620; the maximum-entropy reading used to reconstruct undisclosed exposures in financial networks:
Squartini, Caldarelli, Cimini, Gabrielli & Garlaschelli 2018, "Reconstruction methods for networks: the case of
economic and financial systems", Phys. Rep. 757:1). So:

* ``low`` and ``high`` with a ``value`` inside: maximum entropy with mean ``value`` on ``[low, high]``;
* ``low`` and ``high`` only (undisclosed within a range), or ``up_to`` ("up to $100B", a ceiling, not a mean):
  uniform on ``[low or 0, high]``;
* only ``low`` ("more than"): uniform on ``[low, 2 low]``;
* ``estimate`` (a figure junkan's authors derived) with a point value and no range: the default band
  ``[0.5 value, 1.5 value]`` (:data:`ESTIMATE_BAND`), uniform (its mean is the estimate);
* a disclosed point figure: fixed.

The point figures elsewhere take an ``up_to`` amount at its ceiling, the draws anywhere below it, so a point figure
can lie above its interval where ceilings dominate. Every lower bound is at least 1% of the upper one, so no edge
vanishes in a draw. The ``drawn`` basis is left as reported (what moved is a disclosed figure).

The reconstruction: draws that honour the known margins
-------------------------------------------------------
A deal's range is not all that is known: the dataset's financials state totals that a set of deals must (or cannot)
add up to. Each such **margin** names the deals it covers and an interval ``[L, H]`` for their sum (on the graph's
basis, US dollars). The covered deals with a fixed figure contribute ``F``; the covered uncertain deals must then sum
to the **residual** ``[L - F, H - F]``. After the independent maximum-entropy draws above, every draw whose covered
uncertain deals sum to ``s`` outside the residual is moved to the nearest end ``t`` by iterative proportional fitting
with bounds: the covered draws are scaled by a common factor, those that leave their own range are clipped to it and
the remainder is spread over the others, until the sum is ``t`` (each deal stays inside its range). Margins are
imposed in turn, sweep after sweep, until every one holds (RAS / iterative proportional fitting: Bacharach 1965,
"Estimating nonnegative matrices from marginal data", Int. Econ. Rev. 6(3):294; as used to reconstruct undisclosed
interbank exposures from known totals: Upper & Worms 2004, Eur. Econ. Rev. 48(4):827; the maximum-entropy reading:
Squartini et al. 2018, above). Draws inside the residual are left as they are, so where a margin does not bind the
draws are the unconstrained ones; deals covered by no margin keep their draws exactly (same seed, same numbers). This
is a projection of the independent draws onto the margins, not a posterior sampler: the Gibbs sampler of Gandy &
Veraart (2017, "A Bayesian methodology for systemic risk assessment in financial networks", Management Science
63(12):4428) would draw from the conditional law itself; it is not done here.

The margins (:func:`reconstruction_margins`; each records its source URL and whether the figure is an estimate):

* ``revenue``: a vendor's aggregated receipts (deals tagged ``aggregated`` with a schedule period, see
  :mod:`junkan.flows.graph`) add up to its reported ``revenue`` for that period (the figure whose ``period_end`` is
  the period's end, within 3 days, annual for a period over 200 days): equality within
  :data:`REVENUE_TOLERANCE`. It covers the aggregates before the double-count rule nets them; the netting of the
  named purchases they contain is applied to every draw afterwards (:func:`net_draws`), so the vendor's receipts in
  the period stay at its revenue in every draw.
* ``backlog_share``: a customer's share ``p`` of a vendor's backlog (``backlog_share`` with a counterparty, e.g.
  Morgan Stanley's estimate that OpenAI holds ~40% of CoreWeave's): the customer's contracts with the vendor (revenue
  kinds, announced on or before the share's date) add up to ``p x backlog`` (the vendor's latest ``backlog`` on or
  before that date, at most 120 days earlier), within :data:`SHARE_TOLERANCE` (estimates) or
  :data:`REPORTED_SHARE_TOLERANCE` (reported figures).
* ``backlog`` (remaining performance obligations, revenue backlog) and ``purchase_obligations``: upper bounds. The
  vendor's contracts (revenue kinds) announced in the :data:`BOUND_WINDOW_DAYS` days up to the backlog's date cannot
  add up to more than the backlog; a buyer's purchase commitments announced in that window cannot exceed its
  disclosed purchase obligations. This assumes such recent contracts are still wholly outstanding at the date (AI
  compute contracts deliver over years); older contracts, partly performed, are left out. The ledger holds only some
  of each vendor's customers, so only the upper bound is used.

Not used: customer-concentration notes on revenue (``customer_revenue_share``, ``top_customer_share``) share one
period's *revenue*, while the deals are multi-year contract totals; and NVIDIA's largest customers are unnamed
("Customer A"), with no deal to constrain.

**Infeasible margins are reported, not ignored.** When the residual does not meet the range of the covered deals'
sum (``[sum of lows, sum of highs]``), the margin's ``status`` is ``infeasible`` and the draws are set to the nearest
feasible sum (every covered deal at the bound nearest the margin); a margin that covers only fixed figures is
``consistent`` or ``inconsistent``; otherwise ``binding`` (the residual cuts the range) or ``slack``; after the
draws, a margin that overlapping margins kept from holding in some draw after 50 sweeps is ``unresolved``. Each
:class:`Margin` lists its deals, fixed part, residual, range and status, and with draws ``draws_adjusted``, the
number of draws it moved (``margins`` in the JSON of ``trace``, ``circularity`` and ``cycles`` with
``--uncertainty``). ``margins=False`` switches the reconstruction off.

Batched own-money shares
------------------------
For all parties at once, per draw: with ``Q = W / T`` (rows pay, pools ``T = max(R, O)``) and
``N = (I - (1 - 1e-12) Q)^-1`` (the tiny leak keeps ``N`` finite when money circulates with no outlet), a dollar
entering ``k`` first reaches ``V`` with probability ``N[k, V] / N[V, V]``; so the money ``V`` sends that comes back
is ``G_V = T_V (1 - 1 / N[V, V])`` and the unfunded part of its receipts is
``(sum_k U_k N[k, V] - U_V N[V, V]) / N[V, V] + G_V U_V / T_V`` (:mod:`junkan.flows.provenance`). One batched
inverse per draw (``numpy.linalg.inv``) serves every party; the tests check it against the exact sparse solve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from junkan.errors import JunkanInputError
from junkan.flows.graph import AGGREGATED_TAG, CONTAINED_KINDS, Flow, FlowGraph
from junkan.periods import is_annual
from junkan.random import make_rng

if TYPE_CHECKING:
    from junkan.ledger.model import Ledger
    from junkan.ledger.schema import Financial

#: Relative band put around an ``estimate`` that states no range of its own.
ESTIMATE_BAND = 0.5
#: Relative tolerance of a ``revenue`` margin (junkan's choice: the aggregates are rounded to $1M-$10M).
REVENUE_TOLERANCE = 0.005
#: Relative tolerance of a ``backlog_share`` margin whose share is an estimate (junkan's choice: sell-side shares are
#: quoted as "about 40%", "~2/3").
SHARE_TOLERANCE = 0.10
#: Relative tolerance of a reported (not estimated) ``backlog_share`` (rounding of a stated percentage).
REPORTED_SHARE_TOLERANCE = 0.02
#: Contracts announced within this many days up to a backlog or purchase-obligation date are bounded by it.
BOUND_WINDOW_DAYS = 365
_FLOOR = 0.01
_LEAK = 1e-12


# ---------------------------------------------------------------------------------------------------- draws
def _maxent_lambda(lo: float, hi: float, mean: float) -> float:
    """The rate of the truncated exponential on ``[lo, hi]`` with the given mean (0: uniform), by bisection."""
    width = hi - lo
    m = (mean - lo) / width  # target mean on [0, 1]
    if abs(m - 0.5) < 1e-9:
        return 0.0
    m = min(max(m, 1e-6), 1 - 1e-6)

    def mean_of(lam: float) -> float:
        if abs(lam) < 1e-8:
            return 0.5
        with np.errstate(over="ignore"):
            return float(1.0 / (-np.expm1(-lam)) - 1.0 / lam)

    a, b = -1e4, 1e4
    for _ in range(200):
        c = 0.5 * (a + b)
        if mean_of(c) < m:
            a = c
        else:
            b = c
    return 0.5 * (a + b) / width


def _sample(rng: np.random.Generator, n: int, lo: float, hi: float, lam: float) -> np.ndarray:
    u = rng.random(n)
    if lam == 0.0:
        return lo + (hi - lo) * u
    z = lam * (hi - lo)
    # inverse CDF of p(x) ~ exp(lam x) on [lo, hi], written to stay finite for large |z|
    if z > 0:
        return hi + np.log(u + (1 - u) * np.exp(-z)) / lam
    return lo + np.log1p(u * np.expm1(z)) / lam


@dataclass(frozen=True)
class AmountLaw:
    """How one deal's amount is drawn: bounds, maximum-entropy rate and the rule used (``fixed`` for none)."""

    deal_id: str
    rule: str
    low: float
    high: float
    rate: float
    headline: float


def amount_law(deal_id: str, amount: object) -> AmountLaw:
    """The law of one :class:`~junkan.ledger.schema.Amount` (module docstring)."""
    a = amount
    value = getattr(a, "value", None)
    low = getattr(a, "low", None)
    high = getattr(a, "high", None)
    head = float(a.headline)  # type: ignore[attr-defined]
    if getattr(a, "up_to", False) and high is not None:
        lo, hi, rule, mean = (low or 0.0), high, "up_to", None
    elif low is not None and high is not None:
        lo, hi = low, high
        rule, mean = ("range_value", value) if value is not None else ("range", None)
    elif low is not None:
        lo, hi, rule, mean = low, 2 * low, "at_least", None
    elif high is not None and value is None:
        lo, hi, rule, mean = 0.0, high, "up_to", None
    elif getattr(a, "estimate", False) and value is not None:
        lo, hi, rule, mean = (1 - ESTIMATE_BAND) * value, (1 + ESTIMATE_BAND) * value, "estimate", None
    else:
        return AmountLaw(deal_id, "fixed", head, head, 0.0, head)
    lo = max(float(lo), _FLOOR * float(hi))
    hi = float(hi)
    if hi <= lo:
        return AmountLaw(deal_id, "fixed", head, head, 0.0, head)
    lam = _maxent_lambda(lo, hi, float(mean)) if mean is not None and lo < mean < hi else 0.0
    return AmountLaw(deal_id, rule, lo, hi, lam, head)


@dataclass(frozen=True)
class Margin:
    """One known total the covered deals' draws must honour (module docstring, "The reconstruction").

    ``value`` is the margin's own figure (revenue, share x backlog, backlog, purchase obligations; US dollars) and
    ``low``/``high`` the interval the covered deals must sum to; ``fixed`` the covered fixed figures;
    ``range_low``/``range_high`` the sum of the covered uncertain deals' bounds; ``status`` one of ``binding``,
    ``slack``, ``consistent``, ``inconsistent``, ``infeasible``; ``draws_adjusted`` the draws it moved (``None``
    without draws).
    """

    id: str
    kind: str
    entity: str
    counterparty: str | None
    period: str
    period_end: date
    value: float
    low: float
    high: float
    tolerance: float
    deals: tuple[str, ...]
    uncertain: tuple[str, ...]
    fixed: float
    range_low: float
    range_high: float
    status: str
    source: str | None
    estimate: bool
    note: str
    draws_adjusted: int | None = None

    @property
    def residual(self) -> tuple[float, float]:
        """The interval the covered uncertain deals must sum to: ``[low - fixed, high - fixed]``."""
        return self.low - self.fixed, self.high - self.fixed

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        lo, hi = self.residual
        return {
            "id": self.id,
            "kind": self.kind,
            "entity": self.entity,
            "counterparty": self.counterparty,
            "period": self.period,
            "period_end": self.period_end.isoformat(),
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "tolerance": self.tolerance,
            "deals": list(self.deals),
            "uncertain": list(self.uncertain),
            "fixed": self.fixed,
            "residual": [lo, hi],
            "range": [self.range_low, self.range_high],
            "status": self.status,
            "draws_adjusted": self.draws_adjusted,
            "source": self.source,
            "estimate": self.estimate,
            "note": self.note,
        }


@dataclass(frozen=True)
class DealDraws:
    """The draws of every money flow: ``factors[d, j]`` multiplies flow ``j``'s amount in draw ``d``.

    ``deal_ids`` names the columns (:attr:`FlowGraph.money_flows` in order), ``rules`` each uncertain deal's rule,
    ``margins`` the margins imposed (empty with ``margins=False``); ``gross`` the drawn amounts (US dollars) of every
    flow with money before the double-count rule (aggregates gross), columns named by ``gross_ids``: the numbers the
    margins constrain.
    """

    factors: np.ndarray
    deal_ids: list[str]
    seed: int
    rules: dict[str, str]
    margins: tuple[Margin, ...] = ()
    gross: np.ndarray | None = None
    gross_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Space:
    """The amounts the reconstruction works on: every flow with money before netting (gross aggregates)."""

    flows: tuple[Flow, ...]
    base: np.ndarray  # amount per flow (aggregates: gross, before the double-count rule)
    lo: np.ndarray  # bounds per flow on the same scale (fixed flows: lo = hi = base)
    hi: np.ndarray
    laws: tuple[AmountLaw | None, ...]
    pos: dict[str, int]


def _space(ledger: Ledger, graph: FlowGraph) -> _Space:
    gross = {c.deal_id: c.gross for c in graph.containment}
    deals = {d.id: d for d in ledger.deals}
    flows = tuple(f for f in graph.flows if gross.get(f.deal_id, f.amount) > 0)
    base = np.array([gross.get(f.deal_id, f.amount) for f in flows], dtype=float)
    lo = base.copy()
    hi = base.copy()
    laws: list[AmountLaw | None] = []
    for j, f in enumerate(flows):
        d = deals.get(f.deal_id)
        law = amount_law(f.deal_id, d.amount) if d is not None else None
        if law is None or law.rule == "fixed" or law.headline <= 0:
            laws.append(None)
            continue
        laws.append(law)
        lo[j] = base[j] * law.low / law.headline
        hi[j] = base[j] * law.high / law.headline
    return _Space(flows, base, lo, hi, tuple(laws), {f.deal_id: j for j, f in enumerate(flows)})


def _source(rec: Financial) -> str | None:
    return str(rec.sources[0].url) if rec.sources else None


def _margin(
    space: _Space,
    *,
    id: str,
    kind: str,
    entity: str,
    counterparty: str | None,
    rec: Financial,
    value: float,
    low: float,
    high: float,
    tolerance: float,
    covered: Sequence[str],
    estimate: bool,
    note: str,
) -> Margin:
    cols = [space.pos[d] for d in covered]
    unc = [j for j in cols if space.laws[j] is not None]
    fixed = float(sum(space.base[j] for j in cols if space.laws[j] is None))
    r_lo = float(space.lo[unc].sum()) if unc else 0.0
    r_hi = float(space.hi[unc].sum()) if unc else 0.0
    res_lo, res_hi = low - fixed, high - fixed
    eps = 1e-9 * max(abs(high), 1.0)
    if not unc:
        status = "consistent" if res_lo - eps <= 0.0 <= res_hi + eps else "inconsistent"
    elif res_hi < r_lo - eps or res_lo > r_hi + eps:
        status = "infeasible"
    elif res_lo <= r_lo + eps and res_hi >= r_hi - eps:
        status = "slack"
    else:
        status = "binding"
    return Margin(
        id=id,
        kind=kind,
        entity=entity,
        counterparty=counterparty,
        period=rec.period,
        period_end=rec.period_end,
        value=value,
        low=low,
        high=high,
        tolerance=tolerance,
        deals=tuple(space.flows[j].deal_id for j in cols),
        uncertain=tuple(space.flows[j].deal_id for j in unc),
        fixed=fixed,
        range_low=r_lo,
        range_high=r_hi,
        status=status,
        source=_source(rec),
        estimate=bool(rec.estimate),
        note=note,
    )


def _margins(ledger: Ledger, graph: FlowGraph, space: _Space) -> tuple[Margin, ...]:
    if graph.basis == "drawn":
        return ()
    deals = {d.id: d for d in ledger.deals}
    fin = [r for r in ledger.financials if graph.as_of is None or r.period_end <= graph.as_of]
    usd = {id(r): ledger.to_usd(r.value, r.currency, r.period_end) for r in fin}
    out: list[Margin] = []
    # revenue: a vendor's aggregated receipts of a period add up to its revenue for the period
    periods: dict[tuple[str, date, date], list[str]] = {}
    for f in space.flows:
        d = deals.get(f.deal_id)
        if d is None or AGGREGATED_TAG not in d.tags or d.schedule is None:
            continue
        if d.schedule.start is None or d.schedule.end is None:
            continue
        periods.setdefault((f.payee, d.schedule.start, d.schedule.end), []).append(f.deal_id)
    for (v, start, end), ids in sorted(periods.items()):
        annual = (end - start).days > 200
        recs = [
            r
            for r in fin
            if r.entity == v
            and r.metric == "revenue"
            and abs((r.period_end - end).days) <= 3
            and is_annual(r.period) == annual
        ]
        if not recs:
            continue
        rec = recs[0]
        x = usd[id(rec)]
        out.append(
            _margin(
                space,
                id=f"revenue:{v}:{rec.period}",
                kind="revenue",
                entity=v,
                counterparty=None,
                rec=rec,
                value=x,
                low=x * (1 - REVENUE_TOLERANCE),
                high=x * (1 + REVENUE_TOLERANCE),
                tolerance=REVENUE_TOLERANCE,
                covered=ids,
                estimate=bool(rec.estimate),
                note=f"{v}'s aggregated receipts {start}..{end} add up to its reported revenue ({rec.period})",
            )
        )
    # backlog_share: a customer's contracts with a vendor are its share of the vendor's backlog
    for rec in fin:
        if rec.metric != "backlog_share" or rec.counterparty is None:
            continue
        v, k = rec.entity, rec.counterparty
        backlogs = [
            r
            for r in fin
            if r.entity == v
            and r.metric == "backlog"
            and rec.period_end - timedelta(days=120) <= r.period_end <= rec.period_end
        ]
        if not backlogs:
            continue
        bl = max(backlogs, key=lambda r: r.period_end)
        covered = [
            f.deal_id
            for f in space.flows
            if f.payer == k and f.payee == v and f.kind in CONTAINED_KINDS and f.date <= rec.period_end
        ]
        if not covered:
            continue
        tol = SHARE_TOLERANCE if rec.estimate else REPORTED_SHARE_TOLERANCE
        x = rec.value * usd[id(bl)]
        out.append(
            _margin(
                space,
                id=f"backlog_share:{v}:{k}:{rec.period}",
                kind="backlog_share",
                entity=v,
                counterparty=k,
                rec=rec,
                value=x,
                low=x * (1 - tol),
                high=x * (1 + tol),
                tolerance=tol,
                covered=covered,
                estimate=bool(rec.estimate),
                note=f"{k}'s contracts with {v} announced by {rec.period_end} are {rec.value:.1%} of {v}'s backlog "
                f"({bl.period}, {usd[id(bl)] / 1e9:.1f}B)",
            )
        )
    # upper bounds: backlog (vendor side) and purchase obligations (buyer side)
    for rec in fin:
        if rec.metric not in ("backlog", "purchase_obligations"):
            continue
        side = "payee" if rec.metric == "backlog" else "payer"
        since = rec.period_end - timedelta(days=BOUND_WINDOW_DAYS)
        covered = [
            f.deal_id
            for f in space.flows
            if getattr(f, side) == rec.entity
            and f.kind in CONTAINED_KINDS
            and since < f.date <= rec.period_end
            and AGGREGATED_TAG not in deals[f.deal_id].tags
        ]
        if not covered:
            continue
        x = usd[id(rec)]
        what = "contracts with" if side == "payee" else "purchase commitments of"
        out.append(
            _margin(
                space,
                id=f"{rec.metric}:{rec.entity}:{rec.period}",
                kind=rec.metric,
                entity=rec.entity,
                counterparty=None,
                rec=rec,
                value=x,
                low=0.0,
                high=x,
                tolerance=0.0,
                covered=covered,
                estimate=bool(rec.estimate),
                note=f"{what} {rec.entity} announced {since + timedelta(days=1)}..{rec.period_end} are at most its "
                f"{rec.metric} ({rec.period}); assumes they are still wholly outstanding then",
            )
        )
    return tuple(out)


def reconstruction_margins(ledger: Ledger, graph: FlowGraph) -> tuple[Margin, ...]:
    """The margins the draws honour for this graph (module docstring): deals covered, residual and status."""
    return _margins(ledger, graph, _space(ledger, graph))


def impose_sum(x: np.ndarray, cols: np.ndarray, lo: np.ndarray, hi: np.ndarray, t_lo: float, t_hi: float) -> int:
    """Move the draws whose ``x[:, cols]`` sum lies outside ``[t_lo, t_hi]`` to the nearest end (bounded IPF).

    ``lo``/``hi`` bound each column; where the interval misses ``[sum lo, sum hi]`` the nearest feasible sum is used.
    Changes ``x`` in place; returns the number of draws moved.
    """
    r_lo, r_hi = float(lo.sum()), float(hi.sum())
    a, b = max(t_lo, r_lo), min(t_hi, r_hi)
    if a > b:  # infeasible: the sum nearest the margin
        a = b = r_hi if t_lo > r_hi else r_lo
    sub = x[:, cols]
    s = sub.sum(axis=1)
    t = np.clip(s, a, b)
    rows = np.flatnonzero(np.abs(t - s) > 1e-12 * np.maximum(np.abs(t), 1.0))
    if rows.size == 0:
        return 0
    y = sub[rows]
    tt = t[rows]
    pinned = np.zeros(y.shape, dtype=bool)
    for _ in range(len(cols) + 1):
        free = np.where(pinned, 0.0, y)
        need = tt - np.where(pinned, y, 0.0).sum(axis=1)
        fs = free.sum(axis=1)
        scale = np.where(fs > 0, need / np.where(fs > 0, fs, 1.0), 1.0)
        y = np.where(pinned, y, y * scale[:, None])
        out_lo, out_hi = y < lo, y > hi
        if not (out_lo | out_hi).any():
            break
        y = np.clip(y, lo, hi)
        pinned |= out_lo | out_hi
    x[np.ix_(rows, cols)] = y
    return int(rows.size)


def net_draws(graph: FlowGraph, space_ids: Sequence[str], x: np.ndarray) -> np.ndarray:
    """The double-count rule of :mod:`junkan.flows.graph` applied to every draw of the gross amounts ``x``.

    ``x`` is ``draws x flows`` (columns named by ``space_ids``); each period's aggregates are multiplied by
    ``max(0, 1 - N_T / S_T)`` with ``N_T`` and ``S_T`` from the draw. Returns a new array.
    """
    out = x.copy()
    pos = {d: j for j, d in enumerate(space_ids)}
    groups: dict[tuple[str, date, date], list[int]] = {}
    named: dict[tuple[str, date, date], tuple[tuple[str, float], ...]] = {}
    for c in graph.containment:
        if c.deal_id in pos:
            key = (c.payee, c.start, c.end)
            groups.setdefault(key, []).append(pos[c.deal_id])
            named[key] = c.named
    for key, cols in groups.items():
        s_t = x[:, cols].sum(axis=1)
        n_t = np.zeros(x.shape[0])
        for d, frac in named[key]:
            if d in pos:
                n_t += frac * x[:, pos[d]]
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(s_t > 0, np.clip(1.0 - n_t / np.where(s_t > 0, s_t, 1.0), 0.0, None), 1.0)
        out[:, cols] = x[:, cols] * k[:, None]
    return out


def deal_draws(ledger: Ledger, graph: FlowGraph, n: int, seed: int | None, *, margins: bool = True) -> DealDraws:
    """Draw every uncertain deal amount ``n`` times (module docstring), honouring the known margins by default.

    Order: independent maximum-entropy draws of each deal (seeded; the same numbers with or without margins), the
    margins imposed on the gross amounts, then the double-count rule netting the aggregates in each draw.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise JunkanInputError.single(
            f"--uncertainty must be a positive number of draws, got {n!r}", field="uncertainty"
        )
    s, rng = make_rng(seed)
    flows = graph.money_flows
    ids = [f.deal_id for f in flows]
    fac = np.ones((n, len(flows)))
    rules: dict[str, str] = {}
    if graph.basis == "drawn":
        return DealDraws(fac, ids, s, rules)
    space = _space(ledger, graph)
    x = np.tile(space.base, (n, 1))
    money = {f.deal_id for f in flows}
    for f in flows:  # money-flow order, as before the margins: a deal no margin covers keeps its numbers
        j = space.pos[f.deal_id]
        law = space.laws[j]
        if law is not None:
            rules[f.deal_id] = law.rule
            x[:, j] = space.base[j] * _sample(rng, n, law.low, law.high, law.rate) / law.headline
    for j, f in enumerate(space.flows):  # aggregates netted to zero at the point figures: drawn after the rest
        law = space.laws[j]
        if law is not None and f.deal_id not in money:
            x[:, j] = space.base[j] * _sample(rng, n, law.low, law.high, law.rate) / law.headline
    used: list[Margin] = []
    if margins:
        found = _margins(ledger, graph, space)
        cols = [np.array([space.pos[d] for d in m.uncertain], dtype=np.int64) for m in found]
        moved = [0] * len(found)
        for _ in range(50):
            changed = 0
            for i, m in enumerate(found):
                if cols[i].size == 0:
                    continue
                r_lo, r_hi = m.residual
                c = impose_sum(x, cols[i], space.lo[cols[i]], space.hi[cols[i]], r_lo, r_hi)
                changed += c
                moved[i] = max(moved[i], c)
            if changed == 0:
                break
        used = []
        for i, m in enumerate(found):
            status = m.status
            if cols[i].size and status in ("binding", "slack"):
                r_lo, r_hi = m.residual
                tot = x[:, cols[i]].sum(axis=1)
                tol = 1e-9 * max(abs(r_hi), 1.0)
                if np.any(tot < r_lo - tol) or np.any(tot > r_hi + tol):
                    status = "unresolved"  # overlapping margins that the sweeps could not all satisfy
            used.append(replace(m, draws_adjusted=moved[i], status=status))
    space_ids = tuple(f.deal_id for f in space.flows)
    net = net_draws(graph, space_ids, x)
    amt = np.array([f.amount for f in flows])
    cols_m = np.array([space.pos[f.deal_id] for f in flows], dtype=np.int64)
    fac = net[:, cols_m] / amt[None, :]
    return DealDraws(fac, ids, s, rules, tuple(used), x, space_ids)


def deal_factors(
    ledger: Ledger, graph: FlowGraph, n: int, seed: int | None, *, margins: bool = True
) -> tuple[np.ndarray, list[str], int, dict[str, str]]:
    """``(factors, deal ids, seed, rules)``: ``factors[d, j]`` multiplies money flow ``j``'s amount in draw ``d``.

    Flows are :attr:`FlowGraph.money_flows` in order; ``rules`` names each uncertain deal's rule. The draws honour
    the known margins unless ``margins=False`` (:func:`deal_draws`, which also returns the margins).
    """
    dd = deal_draws(ledger, graph, n, seed, margins=margins)
    return dd.factors, dd.deal_ids, dd.seed, dd.rules


def edge_draws(graph: FlowGraph, factors: np.ndarray) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Aggregated edge amounts per draw: ``(edge keys, array draws x edges)``."""
    flows = graph.money_flows
    keys = sorted({(f.payer, f.payee) for f in flows})
    pos = {k: i for i, k in enumerate(keys)}
    col = np.array([pos[(f.payer, f.payee)] for f in flows], dtype=np.int64)
    amt = np.array([f.amount for f in flows])
    out = np.zeros((factors.shape[0], len(keys)))
    np.add.at(out.T, col, (factors * amt).T)
    return keys, out


def interval(x: np.ndarray) -> tuple[float, float] | None:
    """The 90% interval ``[p5, p95]`` of the finite values (None when there are none)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    return float(np.percentile(x, 5)), float(np.percentile(x, 95))


# ---------------------------------------------------------------------------------------------------- analyses
@dataclass(frozen=True)
class ShareDraws:
    """Per party (columns, in ``parties`` order) and draw (rows): receipts, returned, unfunded and both shares."""

    parties: tuple[str, ...]
    receipts: np.ndarray
    returned: np.ndarray
    unfunded: np.ndarray
    seed: int
    n: int
    rules: dict[str, str]
    margins: tuple[Margin, ...] = ()

    @property
    def own_money_share(self) -> np.ndarray:
        """``returned / (receipts - unfunded)`` (NaN where nothing is funded)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            den = self.receipts - self.unfunded
            return np.where(den > 1e-12 * np.maximum(self.receipts, 1.0), self.returned / den, np.nan)

    @property
    def own_money_share_of_receipts(self) -> np.ndarray:
        """``returned / receipts`` (NaN without receipts)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.receipts > 0, self.returned / self.receipts, np.nan)

    def intervals(self, party: str) -> dict[str, list[float] | None]:
        """The 90% intervals of one party's headline figures (JSON-ready)."""
        j = self.parties.index(party)

        def iv(a: np.ndarray) -> list[float] | None:
            r = interval(a[:, j])
            return list(r) if r else None

        return {
            "own_money_share_interval": iv(self.own_money_share),
            "own_money_share_of_receipts_interval": iv(self.own_money_share_of_receipts),
            "returned_interval": iv(self.returned),
            "unfunded_interval": iv(self.unfunded),
        }


def shares_batched(
    parties: tuple[str, ...],
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    outside: np.ndarray,
    chunk: int = 250,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receipts, returned and unfunded money of every party in every draw (static view; module docstring).

    ``w`` is ``draws x edges`` (edges ``src -> dst``), ``outside`` the outside inflow per party. Draws are processed
    ``chunk`` at a time (one batched inverse each).
    """
    n = len(parties)
    d_all = w.shape[0]
    receipts = np.empty((d_all, n))
    returned = np.empty((d_all, n))
    unfunded = np.empty((d_all, n))
    eye = np.eye(n)
    for start in range(0, d_all, chunk):
        wd = w[start : start + chunk]
        b = wd.shape[0]
        mat = np.zeros((b, n, n))
        mat[:, src, dst] = wd  # edges are aggregated: each (src, dst) pair once
        net_in = mat.sum(axis=1)
        out = mat.sum(axis=2)
        rec = net_in + outside[None, :]
        diff = out - rec
        unf = np.where(diff > 1e-12 * np.maximum(out, rec), diff, 0.0)
        pool = rec + unf
        safe = np.where(pool > 0, pool, 1.0)
        q = mat / safe[:, :, None] * (1.0 - _LEAK)
        nmat = np.linalg.inv(eye[None, :, :] - q)
        diag = np.einsum("bii->bi", nmat)
        gross = pool * (1.0 - 1.0 / diag)
        fv = np.where(pool > 0, np.minimum(1.0, rec / safe), 1.0)
        un = np.einsum("bk,bkv->bv", unf, nmat)
        unf_recv = (un - unf * diag) / diag + gross * (1.0 - fv)
        receipts[start : start + b] = net_in
        returned[start : start + b] = gross * fv
        unfunded[start : start + b] = np.clip(unf_recv, 0.0, None)
    return receipts, np.clip(returned, 0.0, None), unfunded


def share_draws(
    ledger: Ledger,
    graph: FlowGraph,
    outside: Mapping[str, float],
    *,
    n: int,
    seed: int | None,
    margins: bool = True,
) -> ShareDraws:
    """Own-money shares of every party of ``graph`` under ``n`` draws of the uncertain amounts (static view).

    The draws honour the known margins unless ``margins=False``; :attr:`ShareDraws.margins` lists them.
    """
    dd = deal_draws(ledger, graph, n, seed, margins=margins)
    keys, w = edge_draws(graph, dd.factors)
    idx = graph.index
    src = np.array([idx[a] for a, _ in keys], dtype=np.int64)
    dst = np.array([idx[b] for _, b in keys], dtype=np.int64)
    ext = np.array([outside.get(p, 0.0) for p in graph.parties])
    rec, ret, unf = shares_batched(graph.parties, src, dst, w, ext)
    return ShareDraws(graph.parties, rec, ret, unf, dd.seed, n, dd.rules, dd.margins)


def cycle_draws(
    ledger: Ledger,
    graph: FlowGraph,
    cycles: list[tuple[str, ...]],
    *,
    n: int,
    seed: int | None,
    margins: bool = True,
) -> tuple[np.ndarray, int]:
    """Each cycle's bottleneck (smallest edge amount) in each of ``n`` draws: ``draws x cycles``, and the seed."""
    factors, _, s, _ = deal_factors(ledger, graph, n, seed, margins=margins)
    keys, w = edge_draws(graph, factors)
    pos = {k: i for i, k in enumerate(keys)}
    out = np.zeros((n, len(cycles)))
    for c, parties in enumerate(cycles):
        cols = [pos[(parties[i], parties[(i + 1) % len(parties)])] for i in range(len(parties))]
        out[:, c] = w[:, cols].min(axis=1)
    return out, s
