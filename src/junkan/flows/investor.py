"""Shares that answer an investor's question: how much of a vendor's revenue and backlog is its own money coming back.

Definitions (US dollars; flows from :func:`junkan.flows.graph.flow_graph`, tracing from :mod:`junkan.flows.provenance`)
----------------------------------------------------------------------------------------------------------------------
* **By fiscal year.** For each annual period of the vendor's ``revenue`` in the ledger's financials (``FY2026``,
  ``2025``, ...), the deals announced in that year (``since`` = the day after the previous year end, ``as_of`` = the
  period end) are traced: ``returned`` is the vendor's own money coming back in them, set against the year's
  ``revenue`` (``share_of_revenue``) and its ``segment_revenue`` (``share_of_segment``, e.g. NVIDIA Data Center;
  the segment is named in the figure's notes). Deal amounts are contract totals that can span several years while
  revenue is one year's recognised figure: the shares are a scale, and can exceed 1.
* **Warrant view.** A warrant (or other equity) a vendor grants a customer alongside the customer's purchase is
  *consideration payable to a customer* under ASC 606-10-32-25: it reduces the vendor's revenue from that customer
  rather than being a cost. For every warrant grant by the vendor, ``warrant_value`` (its headline fair value) is
  set against the purchases its ``legs`` link it to: ``warrant_share = warrant_value / linked purchases`` is the
  share of that revenue the vendor pays back, and ``net_revenue = linked purchases - warrant_value`` what remains
  under ASC 606. On the committed basis an unvested warrant carries 0 (what the vendor is bound to), so the
  headline is used here.
* **Backlog (RPO) concentration.** The vendor's latest ``backlog`` (remaining performance obligations) figure, each
  customer's share of it as reported (``backlog_share`` with a counterparty) and as implied by the ledger
  (the customer's operating commitments to the vendor in the graph / backlog).
* **Customers.** For each customer that pays the vendor in operating deals: the vendor's financing of it (equity,
  warrants, credits, loans, guarantees, backstops; :data:`junkan.flows.exposure.FINANCING_KINDS`), the customer's
  purchases from the vendor, and ``financing_per_purchase`` (the sell-side ratio, e.g. New Street's "~$10B of
  NVIDIA investment per ~$35B of GPUs").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.graph import flow_graph
from junkan.flows.provenance import graph_and_outside, latest_financial, trace_in_graph
from junkan.ledger.schema import DealKind, FlowNature
from junkan.periods import is_annual

if TYPE_CHECKING:
    from junkan.ledger.model import Ledger


def _ratio(a: float, b: float | None) -> float | None:
    return a / b if b else None


@dataclass(frozen=True)
class YearShare:
    """The vendor's own money coming back in one fiscal year's deals, against that year's revenue."""

    period: str
    start: date
    end: date
    receipts: float
    returned: float
    unfunded: float
    revenue: float | None
    segment_revenue: float | None

    @property
    def share_of_revenue(self) -> float | None:
        """``returned / revenue``."""
        return _ratio(self.returned, self.revenue)

    @property
    def share_of_segment(self) -> float | None:
        """``returned / segment_revenue``."""
        return _ratio(self.returned, self.segment_revenue)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "receipts": self.receipts,
            "returned": self.returned,
            "unfunded": self.unfunded,
            "revenue": self.revenue,
            "segment_revenue": self.segment_revenue,
            "share_of_revenue": self.share_of_revenue,
            "share_of_segment": self.share_of_segment,
        }


@dataclass(frozen=True)
class WarrantRow:
    """One warrant the vendor grants a customer, against the purchases it is linked to (ASC 606 view)."""

    deal_id: str
    customer: str
    warrant_value: float
    linked_purchases: float
    linked_deals: tuple[str, ...]

    @property
    def warrant_share(self) -> float | None:
        """``warrant_value / linked_purchases``."""
        return _ratio(self.warrant_value, self.linked_purchases)

    @property
    def net_revenue(self) -> float:
        """``linked_purchases - warrant_value``: revenue after the consideration payable to the customer."""
        return self.linked_purchases - self.warrant_value

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "deal_id": self.deal_id,
            "customer": self.customer,
            "warrant_value": self.warrant_value,
            "linked_purchases": self.linked_purchases,
            "linked_deals": list(self.linked_deals),
            "warrant_share": self.warrant_share,
            "net_revenue": self.net_revenue,
        }


@dataclass(frozen=True)
class CustomerRow:
    """One customer: the vendor's financing of it and its purchases from the vendor, with the backlog shares."""

    customer: str
    financing: float
    purchases: float
    backlog_share_reported: float | None
    backlog_share_implied: float | None

    @property
    def financing_per_purchase(self) -> float | None:
        """``financing / purchases``."""
        return _ratio(self.financing, self.purchases)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "customer": self.customer,
            "financing": self.financing,
            "purchases": self.purchases,
            "financing_per_purchase": self.financing_per_purchase,
            "backlog_share_reported": self.backlog_share_reported,
            "backlog_share_implied": self.backlog_share_implied,
        }


@dataclass(frozen=True)
class InvestorView:
    """Revenue, segment, warrant and backlog shares of one vendor (module docstring)."""

    vendor: str
    name: str
    years: tuple[YearShare, ...]
    warrants: tuple[WarrantRow, ...]
    backlog: float | None
    backlog_period: str | None
    customers: tuple[CustomerRow, ...]
    inputs: dict[str, object]

    def to_dict(self) -> dict[str, object]:
        """The JSON document of ``junkan shares VENDOR --format json``."""
        return {
            "vendor": self.vendor,
            "name": self.name,
            "inputs": self.inputs,
            "years": [y.to_dict() for y in self.years],
            "warrants": [w.to_dict() for w in self.warrants],
            "backlog": self.backlog,
            "backlog_period": self.backlog_period,
            "customers": [c.to_dict() for c in self.customers],
        }


def investor_view(
    ledger: Ledger,
    vendor: str,
    *,
    as_of: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    outside: str = "financials",
) -> InvestorView:
    """Revenue, segment, warrant and backlog shares of ``vendor`` (party id, name or alias; module docstring).

    Parameters
    ----------
    ledger
        The deals and financials.
    vendor
        The vendor.
    as_of, basis, natures, include_cancelled, outside
        As in :func:`junkan.flows.provenance.own_money_share`.
    """
    from junkan.flows.exposure import FINANCING_KINDS

    v = ledger.resolve_entity(vendor).id
    # by fiscal year
    years: list[YearShare] = []
    annual = sorted({(f.period_end, f.period) for f in ledger.financials if f.entity == v and f.metric == "revenue"})
    annual = [(end, p) for end, p in annual if is_annual(p) and (as_of is None or end <= as_of)]
    prev: date | None = None
    for end, period in annual:
        end = min(end, date.today())
        if prev is not None and 300 <= (end - prev).days <= 400:
            start = prev + timedelta(days=1)  # the day after the previous fiscal year end
        else:
            try:
                start = end.replace(year=end.year - 1) + timedelta(days=1)
            except ValueError:  # 29 February
                start = end.replace(year=end.year - 1, day=28) + timedelta(days=1)
        prev = end
        graph, out = graph_and_outside(ledger, end, start, basis, natures, include_cancelled, outside, None)
        tr = trace_in_graph(graph, v, outside=out)
        rev = [f for f in ledger.financials if f.entity == v and f.period == period and f.metric == "revenue"]
        seg = [f for f in ledger.financials if f.entity == v and f.period == period and f.metric == "segment_revenue"]
        years.append(
            YearShare(
                period=period,
                start=start,
                end=end,
                receipts=tr.network_receipts,
                returned=tr.returned,
                unfunded=tr.unfunded,
                revenue=ledger.to_usd(rev[0].value, rev[0].currency, rev[0].period_end) if rev else None,
                segment_revenue=ledger.to_usd(seg[0].value, seg[0].currency, seg[0].period_end) if seg else None,
            )
        )
    # warrants (headline values) against their linked purchases
    graph = flow_graph(ledger, as_of=as_of, basis=basis, natures=natures, include_cancelled=include_cancelled)
    head = flow_graph(ledger, as_of=as_of, basis="headline", natures=natures, include_cancelled=include_cancelled)
    by_id = {f.deal_id: f for f in head.flows}
    warrants: list[WarrantRow] = []
    for f in head.flows:
        if f.payer != v or f.kind != DealKind.warrant_grant:
            continue
        linked = {d for d in f.legs if d in by_id} | {g.deal_id for g in head.flows if f.deal_id in g.legs}
        buys = [by_id[d] for d in sorted(linked) if by_id[d].payee == v and by_id[d].kind in OPERATING_KINDS]
        warrants.append(
            WarrantRow(f.deal_id, f.payee, f.amount, float(sum(b.amount for b in buys)), tuple(b.deal_id for b in buys))
        )
    # backlog and customers
    bl = latest_financial(ledger, v, "backlog", as_of, graph.last_date)
    backlog, backlog_period = (bl[0], bl[1]) if bl else (None, None)
    reported: dict[str, float] = {}
    for rec in sorted(ledger.financials, key=lambda r: r.period_end):
        if rec.entity != v or rec.metric != "backlog_share" or not rec.counterparty:
            continue
        if as_of is None or rec.period_end <= as_of:
            reported[rec.counterparty] = rec.value
    fin: dict[str, float] = {}
    buy: dict[str, float] = {}
    for fl in graph.money_flows:
        if fl.payer == v and fl.kind in FINANCING_KINDS:
            fin[fl.payee] = fin.get(fl.payee, 0.0) + fl.amount
        if fl.payee == v and fl.kind in OPERATING_KINDS:
            buy[fl.payer] = buy.get(fl.payer, 0.0) + fl.amount
    customers = sorted(
        (
            CustomerRow(
                c,
                fin.get(c, 0.0),
                buy.get(c, 0.0),
                reported.get(c),
                _ratio(buy.get(c, 0.0), backlog) if backlog else None,
            )
            for c in set(buy) | set(reported)
        ),
        key=lambda r: (-r.purchases, r.customer),
    )
    inputs = {**graph.inputs(), "outside_policy": outside}
    return InvestorView(
        vendor=v,
        name=graph.name(v),
        years=tuple(years),
        warrants=tuple(warrants),
        backlog=backlog,
        backlog_period=backlog_period,
        customers=tuple(customers),
        inputs=inputs,
    )
