"""Exposure: vendor financing against the vendor's cash flow, customer concentration, commitments against revenue.

Definitions (US dollars; flows from :func:`junkan.flows.graph.flow_graph`)
------------------------------------------------------------------------
* A **customer** of ``V`` is a party that pays ``V`` in an operating deal (hardware purchase, purchase commitment,
  lease, service fee, revenue share, capacity swap), or an entity of kind ``customers`` (a vendor's customers in
  aggregate, as in Lucent's financed CLECs).
* **Vendor financing** is what ``V`` gives its customers through financing deals: equity investments, warrant
  grants, joint-venture capital, cloud credits, loans, credit facilities, GPU-backed debt, loan guarantees and
  capacity backstops. The analysts' measure (e.g. Lucent's FY2000 $6.7B committed / $1.3B drawn customer financing
  plus $1.4B guarantees, 10-K and WSJ) is set against the vendor's ``revenue`` and ``operating_cash_flow`` from the
  ledger's financials (annual period on or before ``as_of``, else the one that contains the network's last deal; see
  :func:`junkan.flows.provenance.latest_financial`). ``financing`` is on the graph's basis; ``committed``
  and ``drawn`` are both always shown.
* **Customer concentration** of ``V``: its operating receipts by customer, the top customer's and top two's share,
  and the Herfindahl-Hirschman index ``HHI = sum_c share_c^2`` (U.S. DoJ/FTC Merger Guidelines 2023 use the same
  index on market shares); ``reported_top_customer_share`` repeats the ledger's ``top_customer_share`` figure.
* **Commitments** of a customer: its outgoing operating deals (what it has promised to buy), against its revenue
  and operating cash flow. ``coverage_years = commitments / revenue`` is how many years of the latest revenue figure
  the commitments amount to (it reads the figure as annual); ``ocf_coverage_years`` the same against operating cash
  flow (None when that is not positive).

Every ratio whose denominator is missing or not positive is ``None``: never a division by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.graph import Flow, FlowGraph, flow_graph
from junkan.flows.provenance import latest_financial
from junkan.ledger.schema import DealKind, EntityKind, FlowNature

if TYPE_CHECKING:
    import pandas as pd

    from junkan.ledger.model import Ledger

FINANCING_KINDS = frozenset(
    {
        DealKind.equity_investment,
        DealKind.warrant_grant,
        DealKind.joint_venture,
        DealKind.cloud_credits,
        DealKind.loan,
        DealKind.credit_facility,
        DealKind.gpu_backed_debt,
        DealKind.loan_guarantee,
        DealKind.capacity_backstop,
    }
)


def _ratio(num: float, den: float | None) -> float | None:
    return num / den if den is not None and den > 0 else None


@dataclass(frozen=True)
class VendorFinancing:
    """One vendor's financing of its customers (see the module docstring)."""

    vendor: str
    financing: float
    committed: float
    drawn: float
    customers_financed: int
    all_financing: float
    revenue: float | None
    revenue_period: str | None
    operating_cash_flow: float | None
    financing_to_revenue: float | None
    financing_to_ocf: float | None
    drawn_share: float | None
    deals: tuple[str, ...]


@dataclass(frozen=True)
class Concentration:
    """One vendor's operating receipts by customer."""

    vendor: str
    receipts: float
    customers: int
    top_customer: str
    top_share: float
    top2_share: float
    hhi: float
    reported_top_customer_share: float | None


@dataclass(frozen=True)
class Commitments:
    """One customer's purchase commitments against its revenue and cash flow."""

    customer: str
    commitments: float
    committed: float
    drawn: float
    sellers: int
    revenue: float | None
    revenue_period: str | None
    operating_cash_flow: float | None
    coverage_years: float | None
    ocf_coverage_years: float | None
    drawn_share: float | None


@dataclass(frozen=True)
class ExposureResult:
    """Vendor financing, customer concentration and customer commitments, with the inputs that produced them."""

    vendors: tuple[VendorFinancing, ...]
    concentration: tuple[Concentration, ...]
    commitments: tuple[Commitments, ...]
    inputs: dict[str, object]
    notes: tuple[str, ...] = field(default=())

    def frames(self) -> dict[str, pd.DataFrame]:
        """The three tables as data frames: ``vendors``, ``concentration``, ``commitments``."""
        import pandas as pd

        def frame(rows: Sequence[object], cls: Any) -> pd.DataFrame:
            cols = [f.name for f in fields(cls)]
            return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in rows], columns=cols)

        return {
            "vendors": frame(self.vendors, VendorFinancing),
            "concentration": frame(self.concentration, Concentration),
            "commitments": frame(self.commitments, Commitments),
        }

    def to_frame(self) -> pd.DataFrame:
        """The vendor-financing table (see :meth:`frames` for all three)."""
        return self.frames()["vendors"]

    def summary(self) -> dict[str, object]:
        """Inputs and the headline of each table."""
        top_v = max(self.vendors, key=lambda r: r.financing, default=None)
        top_c = max(
            (c for c in self.commitments if c.coverage_years is not None),
            key=lambda r: r.coverage_years or 0.0,
            default=None,
        )
        return {
            **self.inputs,
            "vendors_financing_customers": len(self.vendors),
            "vendor_financing_total": float(sum(v.financing for v in self.vendors)),
            "largest_vendor_financer": top_v.vendor if top_v else None,
            "longest_commitment_coverage": (
                {"customer": top_c.customer, "coverage_years": top_c.coverage_years} if top_c else None
            ),
            "notes": list(self.notes),
        }

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan exposure --format json``."""
        return {
            "summary": self.summary(),
            **{k: df.to_dict(orient="records") for k, df in self.frames().items()},
        }


def exposure_in_graph(ledger: Ledger, graph: FlowGraph) -> ExposureResult:
    """Compute the three exposure tables of a flow graph, with financials from ``ledger``."""
    flows = [f for f in graph.flows if f.amount > 0 or f.committed > 0]
    customers: dict[str, set[str]] = {}
    for f in flows:
        if f.kind in OPERATING_KINDS and f.amount > 0:
            customers.setdefault(f.payee, set()).add(f.payer)
    # an entity of kind "customers" stands for a vendor's customers in aggregate (e.g. Lucent's financed CLECs)
    aggregate = {e.id for e in ledger.entities.values() if e.kind == EntityKind.customers}
    as_of = graph.as_of

    def fin(p: str, metric: str) -> tuple[float, str] | None:
        return latest_financial(ledger, p, metric, as_of, graph.last_date)

    # vendor financing
    fin_by_vendor: dict[str, list[Flow]] = {}
    for f in flows:
        if f.kind in FINANCING_KINDS:
            fin_by_vendor.setdefault(f.payer, []).append(f)
    vendors: list[VendorFinancing] = []
    for v, fl in fin_by_vendor.items():
        to_cust = [f for f in fl if f.payee in customers.get(v, set()) or f.payee in aggregate]
        if not to_cust:
            continue
        amount = float(sum(f.amount for f in to_cust))
        committed = float(sum(f.committed for f in to_cust))
        drawn = float(sum(f.drawn for f in to_cust))
        rev = fin(v, "revenue")
        ocf = fin(v, "operating_cash_flow")
        vendors.append(
            VendorFinancing(
                vendor=v,
                financing=amount,
                committed=committed,
                drawn=drawn,
                customers_financed=len({f.payee for f in to_cust}),
                all_financing=float(sum(f.amount for f in fl)),
                revenue=rev[0] if rev else None,
                revenue_period=rev[1] if rev else None,
                operating_cash_flow=ocf[0] if ocf else None,
                financing_to_revenue=_ratio(amount, rev[0] if rev else None),
                financing_to_ocf=_ratio(amount, ocf[0] if ocf else None),
                drawn_share=_ratio(drawn, committed),
                deals=tuple(f.deal_id for f in to_cust),
            )
        )
    vendors.sort(key=lambda r: (-r.financing, r.vendor))
    # concentration
    receipts: dict[str, dict[str, float]] = {}
    for f in flows:
        if f.kind in OPERATING_KINDS and f.amount > 0:
            receipts.setdefault(f.payee, {}).setdefault(f.payer, 0.0)
            receipts[f.payee][f.payer] += f.amount
    conc: list[Concentration] = []
    for v, by_c in receipts.items():
        total = float(sum(by_c.values()))
        ranked = sorted(by_c.items(), key=lambda t: (-t[1], t[0]))
        shares = [x / total for _, x in ranked]
        rep = fin(v, "top_customer_share")
        conc.append(
            Concentration(
                vendor=v,
                receipts=total,
                customers=len(ranked),
                top_customer=ranked[0][0],
                top_share=shares[0],
                top2_share=float(sum(shares[:2])),
                hhi=float(sum(s * s for s in shares)),
                reported_top_customer_share=rep[0] if rep else None,
            )
        )
    conc.sort(key=lambda r: (-r.receipts, r.vendor))
    # commitments
    by_customer: dict[str, list[Flow]] = {}
    for f in flows:
        if f.kind in OPERATING_KINDS:
            by_customer.setdefault(f.payer, []).append(f)
    comm: list[Commitments] = []
    for c, fl in by_customer.items():
        amount = float(sum(f.amount for f in fl))
        if amount <= 0:
            continue
        committed = float(sum(f.committed for f in fl))
        drawn = float(sum(f.drawn for f in fl))
        rev = fin(c, "revenue")
        ocf = fin(c, "operating_cash_flow")
        comm.append(
            Commitments(
                customer=c,
                commitments=amount,
                committed=committed,
                drawn=drawn,
                sellers=len({f.payee for f in fl}),
                revenue=rev[0] if rev else None,
                revenue_period=rev[1] if rev else None,
                operating_cash_flow=ocf[0] if ocf else None,
                coverage_years=_ratio(amount, rev[0] if rev else None),
                ocf_coverage_years=_ratio(amount, ocf[0] if ocf else None),
                drawn_share=_ratio(drawn, committed),
            )
        )
    comm.sort(key=lambda r: (-r.commitments, r.customer))
    notes: list[str] = []
    if not graph.parties:
        notes.append("the network is empty: no deal with a positive amount passes the filters")
    elif not vendors:
        notes.append("no party finances a customer of its own in this network")
    return ExposureResult(
        vendors=tuple(vendors),
        concentration=tuple(conc),
        commitments=tuple(comm),
        inputs=graph.inputs(),
        notes=tuple(notes),
    )


def exposure(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
) -> ExposureResult:
    """Vendor financing, customer concentration and commitments of ``ledger`` (options as in :func:`flow_graph`)."""
    graph = flow_graph(
        ledger, as_of=as_of, since=since, basis=basis, natures=natures, include_cancelled=include_cancelled
    )
    return exposure_in_graph(ledger, graph)
