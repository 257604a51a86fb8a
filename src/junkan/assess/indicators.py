"""The seven indicators of the scorecard, each computed from a case's deals and sourced financial figures.

Every indicator returns an :class:`Indicator`: its ``value``, a sub-score between 0 (healthy) and 1 (alarming)
from its :class:`~junkan.assess.thresholds.Band`, the ``evidence`` behind it (deal ids with amounts and source
URLs, financial figures with period, source URL, confidence and estimate flag, user overrides, entity fates) and a
``reason`` in words. An indicator without evidence is **missing**: ``value`` and ``score`` are ``None`` and it is
left out of the axis means (it lowers the case's coverage, never its score).

Conventions
-----------
* Money is in US dollars: deal amounts on the scorecard's basis (``committed`` by default) via
  :func:`junkan.flows.graph.flow_graph`; money figures converted at the rate of their period's end.
* A financial figure is chosen as in :func:`junkan.flows.provenance.latest_financial`: annual periods preferred;
  the first period ending on or after the case's last deal (the fiscal year that contains it), else the latest.
  ``overrides`` (``{(entity, metric): value}``, money in US dollars) replace the figure wherever it is read.
* Deal totals (often multi-year commitments) are set against annual figures: a rough guide, stated as such.

Indicators
----------
round-trip axis
    ``round_trip_share``: the vendor's own money coming back (earmarked view of :mod:`junkan.flows.provenance`:
    leg-linked payments return in full, the rest is traced proportionally) as a share of what the vendor receives
    *in the case* (its receipts from the case's deals). The customers' other money still dilutes it, through the
    proportional tracing (each party's outside inflow: end-customer revenue, else revenue less its operating
    receipts in the case); the vendor's own unrelated revenue does not, since the question is what the case is, not
    how large it is beside the vendor's business. The vendor-wide shares (returned / its case receipts plus its
    outside inflow, and returned / its revenue) are kept as components. ``genuine_demand`` (the Orts test): the
    smallest of the vendor's end-customer revenue / revenue, active users / paying users, and the utilisation of the
    vendor's capacity or of the market's (figures of dataset entities that take part in no deal), and the active
    users per paying user of the vendor's customers (their users are the end demand for what the vendor sells them).
    ``accounting_red_flags``: for the vendor and its customers, revenue found fictitious / revenue of the same
    period, cash conversion (operating cash flow / net income), DSRI (DSO growth between two consecutive annual
    periods) and the Beneish M-score where the statements allow; the sub-score is the worst component's.
strain axis
    ``vendor_funding``: vendor financing committed in the case (for a dataset case, the vendor's reported
    ``customer_financing_committed`` when on file, since portfolio totals and named lines overlap) / its operating
    cash flow, else / its revenue. ``customer_ability``: for each customer, commitments (the ``commitments`` figure,
    else its committed operating deals in the whole ledger) / revenue and runway (cash / burn); and the share of
    the financing that went to customers recorded as failed (entity ``fate``); the worst component counts.
    ``credit_losses``: the vendor's bad-debt reserve / customer financing drawn, same period. ``end_demand``: the
    smallest share of a customer's revenue from outside the network (end-customer revenue / revenue, else revenue
    less its operating receipts in the ledger on the drawn basis, and 1 - its top customer's share when it sells to
    the network).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from junkan.assess.forensic import Statement, beneish_mscore, cash_conversion, days_sales_outstanding
from junkan.assess.thresholds import Band, Thresholds
from junkan.errors import JunkanInputError
from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.exposure import FINANCING_KINDS
from junkan.flows.graph import Flow, FlowGraph
from junkan.flows.provenance import latest_financial, trace_in_graph
from junkan.ledger.model import Ledger
from junkan.ledger.schema import metric_unit
from junkan.periods import is_annual

ROUND_TRIP_INDICATORS = ("round_trip_share", "genuine_demand", "accounting_red_flags")
STRAIN_INDICATORS = ("vendor_funding", "customer_ability", "credit_losses", "end_demand")
INDICATORS = ROUND_TRIP_INDICATORS + STRAIN_INDICATORS

#: An entity ``fate`` matching this is a failure (the party could not pay its debts).
FAILED_FATE = re.compile(r"bankrupt|insolv|liquidat|chapter 11|creditor protection|default", re.IGNORECASE)


def failed_by(ledger: Ledger, entity: str) -> str | None:
    """How ``entity`` is known to have failed in ``ledger``, or ``None``.

    A dated ``bankruptcy`` event counts (an as-of ledger holds only the events to its date). The undated ``fate``
    text counts only in a ledger as recorded: a ledger as known on a date (:meth:`Ledger.as_of`) cannot know
    whether an undated fate had happened by then, so known-at scoring uses dated events alone.
    """
    ent = ledger.entities.get(entity)
    if ent is None:
        return None
    for ev in ent.events:
        if ev.kind == "bankruptcy":
            return f"bankruptcy {ev.date.isoformat()}" + (f": {ev.note}" if ev.note else "")
    if getattr(ledger, "as_of_date", None) is None and FAILED_FATE.search(ent.fate or ""):
        return ent.fate
    return None


# ---------------------------------------------------------------------------------------------------- evidence
@dataclass(frozen=True)
class Figure:
    """One financial figure as the scorecard read it (``value`` in US dollars for money metrics)."""

    entity: str
    metric: str
    period: str
    value: float
    source_url: str | None
    confidence: str | None
    estimate: bool
    override: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready evidence record."""
        return {
            "type": "override" if self.override else "financial",
            "entity": self.entity,
            "metric": self.metric,
            "period": self.period,
            "value": self.value,
            "source_url": self.source_url,
            "confidence": self.confidence,
            "estimate": self.estimate,
        }


class Facts:
    """Financial figures of one ledger for one case, with user overrides (see the module docstring)."""

    def __init__(self, ledger: Ledger, ref: date | None, overrides: Mapping[tuple[str, str], float] | None = None):
        self.ledger = ledger
        self.ref = ref
        self.overrides = dict(overrides or {})

    def _figure(self, entity: str, metric: str, period: str, value: float) -> Figure:
        rec = self.ledger.financial(entity, metric, period)
        return Figure(
            entity=entity,
            metric=metric,
            period=period,
            value=value,
            source_url=rec.sources[0].url if rec else None,
            confidence=rec.confidence.value if rec else None,
            estimate=rec.estimate if rec else False,
        )

    def get(self, entity: str, metric: str) -> Figure | None:
        """The figure of ``metric`` for ``entity`` (override first, else the period rule of the module docstring)."""
        if (entity, metric) in self.overrides:
            return Figure(entity, metric, "override", self.overrides[(entity, metric)], None, None, False, True)
        got = latest_financial(self.ledger, entity, metric, None, self.ref)
        return None if got is None else self._figure(entity, metric, got[1], got[0])

    def at(self, entity: str, metric: str, period: str) -> Figure | None:
        """The figure for exactly ``period`` (an override of the metric counts for every period)."""
        if (entity, metric) in self.overrides:
            return Figure(entity, metric, "override", self.overrides[(entity, metric)], None, None, False, True)
        rec = self.ledger.financial(entity, metric, period)
        if rec is None:
            return None
        value = rec.value
        if metric_unit(metric) == "money":
            value = self.ledger.to_usd(rec.value, rec.currency, rec.period_end)
        return self._figure(entity, metric, period, value)

    def periods(self, entity: str, metric: str) -> list[tuple[date, str]]:
        """``(period_end, period)`` of every figure on file for ``entity`` and ``metric``, oldest first."""
        return sorted(
            {(f.period_end, f.period) for f in self.ledger.financials if f.entity == entity and f.metric == metric}
        )


@dataclass(frozen=True)
class Indicator:
    """One indicator of one case: value, sub-score (0 healthy - 1 alarming), band, evidence and reason."""

    name: str
    axis: str
    value: float | None
    unit: str
    score: float | None
    band: dict[str, float] | None
    reason: str
    evidence: tuple[dict[str, object], ...] = ()
    components: tuple[dict[str, object], ...] = ()

    @property
    def missing(self) -> bool:
        """True when there is no evidence to score."""
        return self.score is None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "name": self.name,
            "axis": self.axis,
            "value": self.value,
            "unit": self.unit,
            "score": self.score,
            "missing": self.missing,
            "band": self.band,
            "reason": self.reason,
            "components": list(self.components),
            "evidence": list(self.evidence),
        }


def _axis(name: str) -> str:
    return "round_trip" if name in ROUND_TRIP_INDICATORS else "strain"


def missing(name: str, unit: str, reason: str, evidence: Sequence[dict[str, object]] = ()) -> Indicator:
    """An indicator without evidence."""
    return Indicator(name, _axis(name), None, unit, None, None, reason, tuple(evidence))


def _deal_ev(f: Flow, ledger: Ledger) -> dict[str, object]:
    d = ledger.deal(f.deal_id)
    return {
        "type": "deal",
        "id": f.deal_id,
        "payer": f.payer,
        "payee": f.payee,
        "kind": f.kind.value,
        "amount": f.amount,
        "status": f.status.value,
        "confidence": d.confidence.value,
        "source_url": d.sources[0].url,
    }


def _fmt(x: float) -> str:
    a = abs(x)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if a >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ---------------------------------------------------------------------------------------------------- context
@dataclass
class CaseContext:
    """Everything an indicator needs about one case."""

    ledger: Ledger
    facts: Facts
    graph: FlowGraph  # the case's flows only
    full_graph: FlowGraph  # every flow of the ledger on the same basis
    vendor: str | None
    customers: tuple[str, ...]
    thresholds: Thresholds
    level: str
    context_entities: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------------------------------------------- round trip
def outside_inflow(ctx: CaseContext, party: str) -> tuple[float, list[Figure]]:
    """A party's inflow from outside the case: end-customer revenue, else revenue less its operating receipts in
    the case (floored at 0), else 0."""
    ecr = ctx.facts.get(party, "end_customer_revenue")
    if ecr is not None:
        return max(0.0, ecr.value), [ecr]
    rev = ctx.facts.get(party, "revenue")
    if rev is None:
        return 0.0, []
    op_in = sum(f.amount for f in ctx.graph.money_flows if f.payee == party and f.kind in OPERATING_KINDS)
    return max(0.0, rev.value - op_in), [rev]


def round_trip_share(ctx: CaseContext) -> Indicator:
    """The vendor's own money coming back / what the vendor receives in the case (see the module docstring).

    The vendor-wide shares (against all its receipts including its outside inflow, and against its revenue) are
    kept as components: they say how large the loop is beside the vendor's whole business, not what the
    arrangement is.
    """
    name, unit = "round_trip_share", "share"
    v = ctx.vendor
    if v is None or v not in ctx.graph.index:
        return missing(name, unit, "no money moves in this case on the chosen basis")
    outside: dict[str, float] = {}
    figures: list[Figure] = []
    for p in ctx.graph.parties:
        outside[p], figs = outside_inflow(ctx, p)
        if p == v:
            figures.extend(figs)
    tr = trace_in_graph(ctx.graph, v, outside=outside)
    receipts = tr.network_receipts
    if receipts <= 0:
        return missing(name, unit, f"no money reaches {v} in this case: nothing can come back")
    returned = tr.earmarked.returned
    value = min(1.0, returned / receipts)
    total = receipts + tr.outside_inflow
    vendor_wide = min(1.0, returned / total)
    rev = ctx.facts.get(v, "revenue")
    of_revenue = returned / rev.value if rev is not None and rev.value > 0 else None
    band = ctx.thresholds.round_trip_share
    ev: list[dict[str, object]] = [_deal_ev(f, ctx.ledger) for f in ctx.graph.money_flows if v in (f.payer, f.payee)]
    if rev is not None and all(g.metric != "revenue" for g in figures):
        figures.append(rev)
    ev += [g.to_dict() for g in figures]
    if figures:
        wide = (
            f"vendor-wide {_pct(vendor_wide)} of the {_fmt(total)} it receives with {_fmt(tr.outside_inflow)} "
            "from outside"
        )
        if of_revenue is not None and rev is not None:
            wide += f", {_pct(of_revenue)} of its revenue ({rev.period})"
    else:
        wide = f"no revenue figure for {v}, so no vendor-wide share"
    reason = (
        f"{_fmt(returned)} of the {_fmt(receipts)} {v} receives in this case is its own money coming back "
        f"({_fmt(tr.earmarked.earmarked)} through linked legs): {_pct(value)}; {wide}"
    )
    comps: tuple[dict[str, object], ...] = (
        {"name": "returned_earmarked", "value": returned},
        {"name": "returned_proportional", "value": tr.returned},
        {"name": "earmarked_legs", "value": tr.earmarked.earmarked},
        {"name": "network_receipts", "value": receipts},
        {"name": "outside_inflow", "value": tr.outside_inflow},
        {"name": "vendor_wide_share", "value": vendor_wide if figures else None},
        {"name": "share_of_revenue", "value": of_revenue},
    )
    return Indicator(name, "round_trip", value, unit, band.score(value), band.to_dict(), reason, tuple(ev), comps)


def genuine_demand(ctx: CaseContext) -> Indicator:
    """The Orts test: the smallest available measure of genuine use of the vendor's product or capacity."""
    name, unit = "genuine_demand", "share"
    v = ctx.vendor
    if v is None:
        return missing(name, unit, "no vendor in this case")
    f = ctx.facts
    comps: list[dict[str, object]] = []
    ev: list[dict[str, object]] = []
    ecr, rev = f.get(v, "end_customer_revenue"), f.get(v, "revenue")
    if ecr is not None and rev is not None and rev.value > 0:
        same = f.at(v, "revenue", ecr.period) if not ecr.override else None
        rev = same or rev
        comps.append({"name": "end_customer_revenue_share", "entity": v, "value": min(1.0, ecr.value / rev.value)})
        ev += [ecr.to_dict(), rev.to_dict()]
    users, paying = f.get(v, "users"), f.get(v, "paying_users")
    if users is not None and paying is not None and paying.value > 0:
        comps.append(
            {"name": "active_users_per_paying_user", "entity": v, "value": min(1.0, users.value / paying.value)}
        )
        ev += [users.to_dict(), paying.to_dict()]
    # a vendor of capacity (compute, fibre, licences) sells to customers whose own users are the end demand: their
    # active users per paying user is the Orts test one step down the chain (for the AI web: ChatGPT's weekly users
    # against its paying subscribers)
    for c in ctx.customers:
        cu, cp = f.get(c, "users"), f.get(c, "paying_users")
        if cu is not None and cp is not None and cp.value > 0:
            comps.append(
                {"name": "customer_active_users_per_paying_user", "entity": c, "value": min(1.0, cu.value / cp.value)}
            )
            ev += [cu.to_dict(), cp.to_dict()]
    for e in (v, *ctx.context_entities):
        u = f.get(e, "utilisation")
        if u is not None:
            comps.append({"name": "utilisation", "entity": e, "value": u.value})
            ev.append(u.to_dict())
    if not comps:
        return missing(
            name,
            unit,
            f"no end-customer revenue, users per paying user or utilisation on file for {v}, its customers or market",
        )
    worst = min(comps, key=lambda c: float(c["value"]))  # type: ignore[arg-type]
    value = float(worst["value"])  # type: ignore[arg-type]
    band = ctx.thresholds.genuine_demand
    reason = f"lowest measure of genuine use: {worst['name']} of {worst['entity']} = {_pct(value)}"
    return Indicator(
        name, "round_trip", value, unit, band.score(value), band.to_dict(), reason, tuple(ev), tuple(comps)
    )


def _annual_pairs(facts: Facts, entity: str, metrics: Sequence[str]) -> list[str]:
    """Annual periods (oldest first) for which every metric in ``metrics`` is on file for ``entity``."""
    sets = [{p for _, p in facts.periods(entity, m) if is_annual(p)} for m in metrics]
    common = set.intersection(*sets) if sets else set()
    ends = {p: e for e, p in facts.periods(entity, metrics[0])}
    return sorted(common, key=lambda p: ends[p])


def _pick(periods: list[str], facts: Facts, entity: str, metric: str) -> str | None:
    """Of ``periods`` (oldest first), the first ending on or after the case's last deal, else the latest."""
    if not periods:
        return None
    ends = {p: e for e, p in facts.periods(entity, metric)}
    after = [p for p in periods if facts.ref is not None and ends[p] >= facts.ref]
    return after[0] if after else periods[-1]


def red_flag_components(ctx: CaseContext, party: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Accounting red flags of one party: components (with sub-scores) and evidence."""
    f, t = ctx.facts, ctx.thresholds
    comps: list[dict[str, object]] = []
    ev: list[dict[str, object]] = []
    # revenue found fictitious, against revenue of the same period
    over_periods = [p for _, p in f.periods(party, "overstated_revenue")]
    matched = [p for p in over_periods if f.at(party, "revenue", p) is not None]
    if (party, "overstated_revenue") in f.overrides and f.get(party, "revenue") is not None:
        o, r = f.get(party, "overstated_revenue"), f.get(party, "revenue")
        assert o is not None and r is not None
        pairs = [(o, r)]
    else:
        p = _pick(matched, f, party, "overstated_revenue")
        pairs = []
        if p is not None:
            o, r = f.at(party, "overstated_revenue", p), f.at(party, "revenue", p)
            assert o is not None and r is not None
            pairs = [(o, r)]
        elif over_periods:
            comps.append(
                {
                    "name": "overstated_revenue_share",
                    "entity": party,
                    "value": None,
                    "score": None,
                    "note": "revenue found fictitious is on file but no revenue figure for the same period",
                }
            )
            rec = f.at(party, "overstated_revenue", over_periods[-1])
            if rec is not None:
                ev.append(rec.to_dict())
    for o, r in pairs:
        if r.value > 0:
            share = min(1.0, o.value / r.value)
            comps.append(
                {
                    "name": "overstated_revenue_share",
                    "entity": party,
                    "period": o.period,
                    "value": share,
                    "score": t.overstated_revenue.score(share),
                }
            )
            ev += [o.to_dict(), r.to_dict()]
    # cash conversion
    periods = _annual_pairs(f, party, ("operating_cash_flow", "net_income"))
    p = _pick(periods, f, party, "operating_cash_flow")
    if p is not None:
        ocf, ni = f.at(party, "operating_cash_flow", p), f.at(party, "net_income", p)
        assert ocf is not None and ni is not None
        m = cash_conversion(Statement(entity=party, period=p, operating_cash_flow=ocf.value, net_income=ni.value))
        if m.defined and ni.value > 0:
            comps.append(
                {
                    "name": "cash_conversion",
                    "entity": party,
                    "period": p,
                    "value": m.value,
                    "score": t.cash_conversion.score(m.value),
                }
            )
            ev += [ocf.to_dict(), ni.to_dict()]
    # DSRI between two consecutive annual periods
    periods = _annual_pairs(f, party, ("receivables", "revenue"))
    if len(periods) >= 2:
        p1 = _pick(periods, f, party, "receivables")
        i = periods.index(p1) if p1 in periods else len(periods) - 1
        i = max(i, 1)
        p0, p1 = periods[i - 1], periods[i]
        s = []
        for p in (p0, p1):
            rec_, rev_ = f.at(party, "receivables", p), f.at(party, "revenue", p)
            assert rec_ is not None and rev_ is not None
            s.append(
                days_sales_outstanding(Statement(entity=party, period=p, receivables=rec_.value, revenue=rev_.value))
            )
            ev += [rec_.to_dict(), rev_.to_dict()]
        if s[0].defined and s[1].defined and s[0].value > 0:
            dsri = s[1].value / s[0].value
            comps.append(
                {
                    "name": "dsri",
                    "entity": party,
                    "period": p1,
                    "value": dsri,
                    "score": t.dsri.score(dsri),
                    "dso": [s[0].value, s[1].value],
                }
            )
    # Beneish M-score where two consecutive statements allow it
    annual = sorted({(e, p) for e, p in f.periods(party, "revenue") if is_annual(p)}, key=lambda x: x[0])
    if len(annual) >= 2:
        (_, p0), (_, p1) = annual[-2], annual[-1]
        try:
            res = beneish_mscore(
                Statement.from_ledger(ctx.ledger, party, p1),
                Statement.from_ledger(ctx.ledger, party, p0),
                threshold=t.beneish,
            )
        except JunkanInputError:
            res = None
        if res is not None and not math.isnan(res.m_score):
            comps.append(
                {
                    "name": "beneish_m_score",
                    "entity": party,
                    "period": p1,
                    "value": res.m_score,
                    "score": 1.0 if res.m_score > t.beneish else 0.0,
                }
            )
    return comps, ev


def _worst_component(comps: list[dict[str, object]]) -> tuple[dict[str, object], float] | None:
    """The highest-scored component (a tie goes to the later name) and its score; ``None`` if none is scored."""
    scored = [c for c in comps if c.get("score") is not None]
    if not scored:
        return None
    worst = max(scored, key=lambda c: (float(c["score"]), str(c["name"])))  # type: ignore[arg-type]
    return worst, float(worst["score"])  # type: ignore[arg-type]


def accounting_red_flags(ctx: CaseContext) -> Indicator:
    """The worst accounting red flag of the vendor and its customers (see the module docstring)."""
    name, unit = "accounting_red_flags", "score"
    if ctx.vendor is None:
        return missing(name, unit, "no vendor in this case")
    comps: list[dict[str, object]] = []
    ev: list[dict[str, object]] = []
    for party in (ctx.vendor, *ctx.customers):
        c, e = red_flag_components(ctx, party)
        comps += c
        ev += e
    picked = _worst_component(comps)
    if picked is None:
        notes = "; ".join(str(c["note"]) for c in comps if c.get("note"))
        return missing(
            name,
            unit,
            "no restatement, cash-conversion, DSO or M-score evidence for the vendor or its customers"
            + (f" ({notes})" if notes else ""),
            ev,
        )
    worst, score = picked
    reason = f"worst flag: {worst['name']} of {worst['entity']} = {float(worst['value']):.4g}"  # type: ignore[arg-type]
    return Indicator(name, "round_trip", score, unit, score, None, reason, tuple(ev), tuple(comps))


# ---------------------------------------------------------------------------------------------------- strain
def vendor_funding(ctx: CaseContext) -> Indicator:
    """Vendor financing committed / operating cash flow (else / revenue)."""
    name, unit = "vendor_funding", "ratio"
    v = ctx.vendor
    if v is None:
        return missing(name, unit, "no vendor in this case")
    flows = [f for f in ctx.graph.flows if f.payer == v and f.kind in FINANCING_KINDS]
    amount = float(sum(f.committed for f in flows))
    ev: list[dict[str, object]] = [_deal_ev(f, ctx.ledger) for f in flows]
    source = "deals"
    if ctx.level == "dataset":
        reported = ctx.facts.get(v, "customer_financing_committed")
        if reported is not None:
            amount, source = reported.value, "reported"
            ev = [reported.to_dict(), *ev]
    t = ctx.thresholds
    if amount <= 0:
        return Indicator(
            name,
            "strain",
            0.0,
            unit,
            0.0,
            t.vendor_funding_ocf.to_dict(),
            f"{v} finances no one in this case",
            tuple(ev),
        )
    ocf, rev = ctx.facts.get(v, "operating_cash_flow"), ctx.facts.get(v, "revenue")
    comps: list[dict[str, object]] = [{"name": "financing_committed", "value": amount, "source": source}]
    if rev is not None and rev.value > 0:
        comps.append({"name": "financing_to_revenue", "value": amount / rev.value})
        ev.append(rev.to_dict())
    if ocf is not None:
        ev.append(ocf.to_dict())
        if ocf.value <= 0:
            comps.append({"name": "financing_to_ocf", "value": None, "note": "operating cash flow is not positive"})
            reason = f"{v} commits {_fmt(amount)} of financing with a negative operating cash flow ({_fmt(ocf.value)})"
            return Indicator(
                name, "strain", None, unit, 1.0, t.vendor_funding_ocf.to_dict(), reason, tuple(ev), tuple(comps)
            )
        ratio = amount / ocf.value
        comps.append({"name": "financing_to_ocf", "value": ratio})
        reason = (
            f"{v} commits {_fmt(amount)} of financing = {ratio:.2f} years of its operating cash flow ({ocf.period})"
        )
        band = t.vendor_funding_ocf
    elif rev is not None and rev.value > 0:
        ratio = amount / rev.value
        reason = (
            f"{v} commits {_fmt(amount)} of financing = {_pct(ratio)} of its revenue ({rev.period}; "
            "no cash flow on file)"
        )
        band = t.vendor_funding_revenue
    else:
        return missing(
            name, unit, f"{v} commits {_fmt(amount)} of financing but has no cash flow or revenue on file", ev
        )
    return Indicator(name, "strain", ratio, unit, band.score(ratio), band.to_dict(), reason, tuple(ev), tuple(comps))


def customer_ability(ctx: CaseContext) -> Indicator:
    """Customers' commitments / revenue, runway and failures; the worst component counts."""
    name, unit = "customer_ability", "score"
    if not ctx.customers:
        return missing(name, unit, "the vendor has no customers in this case")
    f, t = ctx.facts, ctx.thresholds
    comps: list[dict[str, object]] = []
    ev: list[dict[str, object]] = []
    for c in ctx.customers:
        rev = f.get(c, "revenue")
        com = f.get(c, "commitments")
        if com is not None:
            commitments, com_src = com.value, "reported"
            ev.append(com.to_dict())
        else:
            own = [x for x in ctx.full_graph.flows if x.payer == c and x.kind in OPERATING_KINDS and x.committed > 0]
            commitments, com_src = float(sum(x.committed for x in own)), "deals"
        if rev is not None and rev.value > 0 and commitments > 0:
            years = commitments / rev.value
            comps.append(
                {
                    "name": "commitment_years",
                    "entity": c,
                    "value": years,
                    "score": t.commitment_years.score(years),
                    "commitments": commitments,
                    "source": com_src,
                }
            )
            ev.append(rev.to_dict())
        cash = f.get(c, "cash")
        fcf, ocf = f.get(c, "free_cash_flow"), f.get(c, "operating_cash_flow")
        burn_fig = next((x for x in (fcf, ocf) if x is not None and x.value < 0), None)
        if cash is not None and burn_fig is not None:
            runway = cash.value / -burn_fig.value
            comps.append({"name": "runway_years", "entity": c, "value": runway, "score": t.runway_years.score(runway)})
            ev += [cash.to_dict(), burn_fig.to_dict()]
        elif cash is not None and any(x is not None and x.value >= 0 for x in (fcf, ocf)):
            comps.append({"name": "runway_years", "entity": c, "value": None, "score": 0.0, "note": "not burning cash"})
            ev += [cash.to_dict()] + [x.to_dict() for x in (fcf, ocf) if x is not None]
    # failed customers, weighted by the financing they received in the case
    fin = [x for x in ctx.graph.flows if x.payer == ctx.vendor and x.kind in FINANCING_KINDS and x.committed > 0]
    total = float(sum(x.committed for x in fin))
    if total > 0:
        failed = [x for x in fin if failed_by(ctx.ledger, x.payee)]
        share = float(sum(x.committed for x in failed)) / total
        if failed:
            comps.append(
                {
                    "name": "failed_customers",
                    "entity": ",".join(sorted({x.payee for x in failed})),
                    "value": share,
                    "score": t.failed_customers.score(share),
                }
            )
            for x in failed:
                ev.append({"type": "fate", "entity": x.payee, "fate": failed_by(ctx.ledger, x.payee)})
                ev.append(_deal_ev(x, ctx.ledger))
    picked = _worst_component(comps)
    if picked is None:
        return missing(name, unit, "no revenue, commitments, cash or recorded fate for the customers", ev)
    worst, score = picked
    val = worst["value"]
    shown = f"{float(val):.3g}" if isinstance(val, int | float) else "n/a"
    reason = f"weakest customer measure: {worst['name']} of {worst['entity']} = {shown}"
    return Indicator(name, "strain", score, unit, score, None, reason, tuple(ev), tuple(comps))


def credit_losses(ctx: CaseContext) -> Indicator:
    """The vendor's bad-debt reserve / customer financing drawn (same period)."""
    name, unit = "credit_losses", "share"
    v = ctx.vendor
    if v is None:
        return missing(name, unit, "no vendor in this case")
    f = ctx.facts
    if (v, "bad_debt_reserve") in f.overrides or (v, "customer_financing_drawn") in f.overrides:
        res, drawn = f.get(v, "bad_debt_reserve"), f.get(v, "customer_financing_drawn")
    else:
        periods = [p for _, p in f.periods(v, "bad_debt_reserve") if f.at(v, "customer_financing_drawn", p) is not None]
        p = _pick(periods, f, v, "bad_debt_reserve")
        res = f.at(v, "bad_debt_reserve", p) if p else None
        drawn = f.at(v, "customer_financing_drawn", p) if p else None
    if res is None or drawn is None or drawn.value <= 0:
        return missing(name, unit, f"no bad-debt reserve and drawn customer financing of the same period for {v}")
    value = res.value / drawn.value
    band = ctx.thresholds.credit_losses
    reason = f"{v} reserves {_fmt(res.value)} against {_fmt(drawn.value)} of drawn customer financing ({res.period})"
    return Indicator(
        name, "strain", value, unit, band.score(value), band.to_dict(), reason, (res.to_dict(), drawn.to_dict())
    )


def end_demand(ctx: CaseContext) -> Indicator:
    """The smallest share of a customer's revenue that comes from outside the network."""
    name, unit = "end_demand", "share"
    if not ctx.customers:
        return missing(name, unit, "the vendor has no customers in this case")
    f = ctx.facts
    comps: list[dict[str, Any]] = []
    ev: list[dict[str, object]] = []
    for c in ctx.customers:
        rev = f.get(c, "revenue")
        if rev is None or rev.value <= 0:
            continue
        ecr = f.get(c, "end_customer_revenue")
        if ecr is not None:
            comps.append({"name": "end_customer_revenue_share", "entity": c, "value": min(1.0, ecr.value / rev.value)})
            ev += [ecr.to_dict(), rev.to_dict()]
            continue
        sales = [x for x in ctx.full_graph.flows if x.payee == c and x.kind in OPERATING_KINDS]
        drawn = float(sum(x.drawn for x in sales))
        comps.append(
            {"name": "outside_revenue_share", "entity": c, "value": max(0.0, 1.0 - drawn / rev.value), "drawn": drawn}
        )
        ev.append(rev.to_dict())
        top = f.get(c, "top_customer_share")
        if top is not None and any(x.committed > 0 for x in sales):
            comps.append({"name": "one_minus_top_customer_share", "entity": c, "value": 1.0 - top.value})
            ev.append(top.to_dict())
        users = f.get(c, "users")
        if users is not None:
            ev.append(users.to_dict())
    if not comps:
        return missing(name, unit, "no revenue on file for the customers")
    worst = min(comps, key=lambda x: float(x["value"]))
    value = float(worst["value"])
    band = ctx.thresholds.end_demand
    reason = f"lowest outside-revenue share among customers: {worst['name']} of {worst['entity']} = {_pct(value)}"
    return Indicator(name, "strain", value, unit, band.score(value), band.to_dict(), reason, tuple(ev), tuple(comps))


INDICATOR_FUNCTIONS = {
    "round_trip_share": round_trip_share,
    "genuine_demand": genuine_demand,
    "accounting_red_flags": accounting_red_flags,
    "vendor_funding": vendor_funding,
    "customer_ability": customer_ability,
    "credit_losses": credit_losses,
    "end_demand": end_demand,
}


def band_of(name: str, t: Thresholds) -> Band | None:
    """The band an indicator uses by default (None for the composite ones)."""
    return getattr(t, name, None) if isinstance(getattr(t, name, None), Band) else None
