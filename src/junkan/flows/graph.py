"""The money-flow network of a ledger: one flow per deal, aggregated into a party-to-party graph.

Conventions (they change numbers, so they are part of the API)
---------------------------------------------------------------
* **Orientation.** An edge ``payer -> payee`` carries what the payer sends: cash for a purchase, cash for an equity
  investment or a loan, compute for cloud credits, shares for a warrant grant (value moves issuer -> customer), the
  promise of a backstop or guarantee. Directions follow :data:`junkan.ledger.schema.DEAL_KINDS`.
* **Basis.** Each deal contributes one amount, chosen by ``basis``: ``committed`` (what the payer is bound to,
  :attr:`Amount.committed_value`, the default), ``drawn`` (what has moved, :attr:`Amount.drawn_value`, 0 when not
  stated) or ``headline`` (:attr:`Amount.headline`). Amounts are converted to US dollars with
  :meth:`Ledger.to_usd` at the rate for the deal's year.
* **Natures.** ``natures`` selects which flow natures (cash, in_kind, equity, credit, contingent) enter the graph.
  The default is all five: on the committed basis a purchase commitment or a backstop *is* what the payer is bound
  to, and dropping contingent flows would drop most of the AI purchase commitments. Pass a subset to keep them
  apart (e.g. ``natures=("cash", "equity", "credit", "in_kind")``); use ``basis="drawn"`` to see only what moved.
* **Time.** ``as_of`` keeps deals announced on or before that date, ``since`` those announced on or after it.
  With ``as_of`` the graph is that of ``ledger.as_of(as_of)`` (statuses, amounts and parties as known then).
  A flow is dated by its deal's announcement date. Ended deals (cancelled, lapsed, superseded) are left out unless
  ``include_cancelled``.
* **Zero amounts.** A flow whose amount is 0 on the chosen basis is kept in :attr:`FlowGraph.flows` (so tables show
  it) but carries no money, so it adds no edge to the party graph.
* **Aggregates and the named purchases they contain** (``net_aggregates=True``, the default). A deal tagged
  ``aggregated`` (:data:`AGGREGATED_TAG`) is not one arrangement but a vendor's receipts from a group of customers over
  a reporting period, its ``schedule`` ``start``-``end`` (NVIDIA's large cloud providers and other customers per fiscal
  year, which together add up to NVIDIA's reported revenue). Named purchases from the same vendor (``oracle ->
  nvidia``) are part of those receipts, so counting both counts them twice. The rule, for each vendor ``V`` and each
  period ``T`` of its aggregated flows: the named money ``N_T`` is the sum over ``V``'s other incoming flows of a
  revenue kind (:data:`CONTAINED_KINDS`; not ended) of the part of each that falls in ``T``: a flow with a schedule
  ``start``-``end`` is spread evenly over it (days inside ``T`` / days of the schedule); one with only a ``start``, or
  none, is received at its start (else its announcement date). The period's aggregates ``A_1..A_m`` (sum ``S_T``)
  are reduced in proportion to their size, floored at zero: ``A_i' = A_i x max(0, 1 - N_T / S_T)`` (the data do not
  say which group a named buyer belongs to, so no aggregate is singled out). So the vendor's receipts in ``T`` are
  ``S_T`` (its reported revenue) and not ``S_T + N_T``; named money beyond ``S_T`` is kept in the named flows and
  reported (:attr:`Containment.excess`). Named purchases received after the last aggregated period (e.g. a contract
  whose deliveries start next year) are not in any reported revenue yet and stay whole. Each basis is netted with its
  own figures. The netting is recorded in :attr:`FlowGraph.containment`; ``net_aggregates=False`` keeps the recorded
  figures. The periods of one vendor's aggregates are assumed not to overlap (true of the bundled data).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np

from junkan.errors import JunkanInputError
from junkan.ledger.schema import DealKind, FlowNature, Status

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from scipy import sparse

    from junkan.ledger.model import Ledger

Basis = Literal["committed", "drawn", "headline"]
BASES: tuple[str, ...] = ("committed", "drawn", "headline")
ALL_NATURES: tuple[FlowNature, ...] = tuple(FlowNature)
DEFAULT_NATURES: tuple[FlowNature, ...] = ALL_NATURES
#: The tag of a deal that aggregates a vendor's receipts from a group of customers over its ``schedule`` period.
AGGREGATED_TAG = "aggregated"
#: Deal kinds whose money is the payee's revenue: the named purchases an aggregate of receipts contains (the same
#: kinds as the operating kinds of :mod:`junkan.flows.cycles`; a test keeps them equal).
CONTAINED_KINDS: frozenset[DealKind] = frozenset(
    {
        DealKind.hardware_purchase,
        DealKind.purchase_commitment,
        DealKind.licence_purchase,
        DealKind.lease,
        DealKind.service_fee,
        DealKind.revenue_share,
        DealKind.capacity_swap,
    }
)


@dataclass(frozen=True, slots=True)
class Flow:
    """One deal seen as money (or value) moving ``payer -> payee``; all amounts in US dollars.

    ``amount`` is the figure on the graph's basis; ``headline``, ``committed`` and ``drawn`` are all three bases.
    """

    deal_id: str
    payer: str
    payee: str
    kind: DealKind
    nature: FlowNature
    date: date
    amount: float
    headline: float
    committed: float
    drawn: float
    status: Status
    legs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Containment:
    """How one aggregated flow was netted of the named purchases it contains (module docstring, the rule).

    ``gross`` is its recorded amount and ``contained`` what was taken off, both on the graph's basis; ``share`` its
    part of its period's aggregates (``A_i / S_T``); ``named`` each named flow's deal id with the fraction of its
    amount that falls in the period; ``named_total`` the period's named money ``N_T``; ``excess``
    ``max(0, N_T - S_T)``, named money beyond the period's aggregates (the same on every aggregate of the period).
    """

    deal_id: str
    payee: str
    start: date
    end: date
    gross: float
    contained: float
    share: float
    named: tuple[tuple[str, float], ...]
    named_total: float
    excess: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "deal_id": self.deal_id,
            "payee": self.payee,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "gross": self.gross,
            "contained": self.contained,
            "share": self.share,
            "named": [{"deal_id": d, "fraction": x} for d, x in self.named],
            "named_total": self.named_total,
            "excess": self.excess,
        }


@dataclass(frozen=True)
class FlowGraph:
    """The money-flow network of a ledger under one set of choices (see the module docstring).

    Attributes
    ----------
    flows
        One :class:`Flow` per selected deal, sorted by date then deal id.
    parties
        Every party that appears in a flow with a positive amount, sorted by id.
    as_of, since, basis, natures, include_cancelled
        The inputs that built the graph, recorded for every result derived from it.
    names
        Display name of each party id.
    containment
        The netting of each aggregated flow (module docstring); empty with ``net_aggregates=False``.
    """

    flows: tuple[Flow, ...]
    parties: tuple[str, ...]
    basis: str
    natures: tuple[FlowNature, ...]
    as_of: date | None = None
    since: date | None = None
    include_cancelled: bool = False
    names: dict[str, str] | None = None
    containment: tuple[Containment, ...] = ()
    net_aggregates: bool = True

    # ------------------------------------------------------------------ views
    @property
    def money_flows(self) -> tuple[Flow, ...]:
        """The flows with a positive amount (the ones that become edges)."""
        return tuple(f for f in self.flows if f.amount > 0)

    @property
    def last_date(self) -> date | None:
        """The date of the latest flow with money (None for an empty graph)."""
        return max((f.date for f in self.money_flows), default=None)

    @property
    def index(self) -> dict[str, int]:
        """Position of each party in :attr:`parties` (the row/column of :meth:`matrix`)."""
        return {p: i for i, p in enumerate(self.parties)}

    def edges(self) -> dict[tuple[str, str], list[Flow]]:
        """Flows with a positive amount grouped by ``(payer, payee)``, each list in date order."""
        out: dict[tuple[str, str], list[Flow]] = {}
        for f in self.money_flows:
            out.setdefault((f.payer, f.payee), []).append(f)
        return out

    def edge_amounts(self) -> dict[tuple[str, str], float]:
        """Aggregated amount sent ``payer -> payee`` (sum over the deals on the edge)."""
        return {k: float(sum(f.amount for f in v)) for k, v in self.edges().items()}

    def matrix(self) -> sparse.csr_matrix:
        """The ``n x n`` weight matrix ``W`` with ``W[i, j]`` = money party ``i`` sends party ``j`` (rows pay)."""
        from scipy import sparse

        idx = self.index
        n = len(self.parties)
        amounts = self.edge_amounts()
        rows = [idx[a] for a, _ in amounts]
        cols = [idx[b] for _, b in amounts]
        return sparse.csr_matrix((list(amounts.values()), (rows, cols)), shape=(n, n), dtype=float)

    def out_strength(self) -> dict[str, float]:
        """Total amount each party sends."""
        w = self.matrix()
        s = np.asarray(w.sum(axis=1)).ravel()
        return {p: float(s[i]) for i, p in enumerate(self.parties)}

    def in_strength(self) -> dict[str, float]:
        """Total amount each party receives from the network."""
        w = self.matrix()
        s = np.asarray(w.sum(axis=0)).ravel()
        return {p: float(s[i]) for i, p in enumerate(self.parties)}

    def to_networkx(self, *, multi: bool = False) -> nx.DiGraph | nx.MultiDiGraph:
        """A networkx graph: ``DiGraph`` with aggregated ``amount`` and ``deals`` per edge, or one edge per deal."""
        import networkx as nx

        if multi:
            mg = nx.MultiDiGraph()
            mg.add_nodes_from(self.parties)
            for f in self.money_flows:
                mg.add_edge(
                    f.payer,
                    f.payee,
                    key=f.deal_id,
                    amount=f.amount,
                    kind=f.kind.value,
                    nature=f.nature.value,
                    date=f.date,
                )
            return mg
        g = nx.DiGraph()
        g.add_nodes_from(self.parties)
        for (a, b), fl in self.edges().items():
            g.add_edge(a, b, amount=float(sum(f.amount for f in fl)), deals=[f.deal_id for f in fl])
        return g

    def name(self, party: str) -> str:
        """Display name of a party (its id if unknown)."""
        return (self.names or {}).get(party, party)

    # ------------------------------------------------------------------ results protocol
    def inputs(self) -> dict[str, object]:
        """The choices that built this graph (recorded in every result)."""
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "since": self.since.isoformat() if self.since else None,
            "basis": self.basis,
            "natures": [n.value for n in self.natures],
            "include_cancelled": self.include_cancelled,
            "net_aggregates": self.net_aggregates,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per flow (deal): payer, payee, kind, nature, date, amount on the basis and all three bases."""
        import pandas as pd

        cols = [
            "deal_id",
            "date",
            "payer",
            "payee",
            "kind",
            "nature",
            "amount",
            "headline",
            "committed",
            "drawn",
            "status",
        ]
        rows = [
            {
                "deal_id": f.deal_id,
                "date": f.date,
                "payer": f.payer,
                "payee": f.payee,
                "kind": f.kind.value,
                "nature": f.nature.value,
                "amount": f.amount,
                "headline": f.headline,
                "committed": f.committed,
                "drawn": f.drawn,
                "status": f.status.value,
            }
            for f in self.flows
        ]
        return pd.DataFrame(rows, columns=cols)

    def summary(self) -> dict[str, object]:
        """Counts and volumes, overall and by nature."""
        by_nature: dict[str, float] = {n.value: 0.0 for n in self.natures}
        for f in self.money_flows:
            by_nature[f.nature.value] = by_nature.get(f.nature.value, 0.0) + f.amount
        return {
            **self.inputs(),
            "flows": len(self.flows),
            "flows_with_money": len(self.money_flows),
            "parties": len(self.parties),
            "edges": len(self.edges()),
            "volume": float(sum(f.amount for f in self.money_flows)),
            "volume_by_nature": by_nature,
        }


def parse_natures(natures: Iterable[FlowNature | str] | str | None) -> tuple[FlowNature, ...]:
    """Read a nature selection: ``None`` (the default, all natures), names, or one comma-separated string.

    ``"all"`` means every nature. Unknown names raise :class:`JunkanInputError` listing the valid ones.
    """
    if natures is None:
        return DEFAULT_NATURES
    items: list[str] = []
    if isinstance(natures, str):
        items = [x.strip() for x in natures.split(",") if x.strip()]
    else:
        for n in natures:
            items.extend(x.strip() for x in str(n.value if isinstance(n, FlowNature) else n).split(",") if x.strip())
    if not items or items == ["all"]:
        return ALL_NATURES
    out: list[FlowNature] = []
    for it in items:
        try:
            nat = FlowNature(it)
        except ValueError:
            valid = ", ".join(n.value for n in FlowNature)
            raise JunkanInputError.single(
                f"unknown flow nature {it!r}; choose from {valid} or 'all'", field="nature"
            ) from None
        if nat not in out:
            out.append(nat)
    return tuple(n for n in ALL_NATURES if n in out)


def check_basis(basis: str) -> str:
    """Validate a money basis (``committed``, ``drawn`` or ``headline``)."""
    if basis not in BASES:
        raise JunkanInputError.single(f"unknown basis {basis!r}; choose one of {', '.join(BASES)}", field="basis")
    return basis


def flow_graph(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    net_aggregates: bool = True,
) -> FlowGraph:
    """Build the money-flow network of ``ledger`` (one flow per deal; see the module docstring for conventions).

    Parameters
    ----------
    ledger
        The deals.
    as_of, since
        Keep deals announced on or before ``as_of`` and on or after ``since`` (inclusive). With ``as_of`` the graph is
        built on ``ledger.as_of(as_of)``: each deal with its status and amounts as known on that date, and the
        parties of that date (an absorbed party's flows attributed to its successor; see :mod:`junkan.ledger.asof`).
    basis
        ``committed`` (default), ``drawn`` or ``headline``: which figure of each deal's :class:`Amount` is its flow.
    natures
        Flow natures to keep (default: all). Names or a comma-separated string; ``"all"`` for all.
    include_cancelled
        Keep cancelled deals (default: leave them out).
    net_aggregates
        Reduce each aggregated flow by the named purchases it contains (default; the module docstring states the
        rule); ``False`` keeps the recorded figures, which counts those purchases twice.

    Returns
    -------
    FlowGraph
        Flows in US dollars, oriented payer -> payee.
    """
    check_basis(basis)
    nats = parse_natures(natures)
    if as_of is not None and since is not None and since > as_of:
        raise JunkanInputError.single(f"--since ({since}) is after --as-of ({as_of})", field="since")
    if as_of is not None:
        ledger = ledger.as_of(as_of)  # statuses, amounts and parties as known then; later deals left out
    flows: list[Flow] = []
    for d in ledger.deals:
        if as_of is not None and d.date > as_of:
            continue
        if since is not None and d.date < since:
            continue
        if d.is_ended and not include_cancelled:
            continue
        if d.nature not in nats:
            continue
        a = d.amount
        head = ledger.to_usd(a.headline, a.currency, d.date)
        com = ledger.to_usd(a.committed_value, a.currency, d.date)
        drw = ledger.to_usd(a.drawn_value, a.currency, d.date)
        amount = {"committed": com, "drawn": drw, "headline": head}[basis]
        flows.append(
            Flow(
                deal_id=d.id,
                payer=d.payer,
                payee=d.payee,
                kind=d.kind,
                nature=d.nature,
                date=d.date,
                amount=float(amount),
                headline=float(head),
                committed=float(com),
                drawn=float(drw),
                status=d.status,
                legs=tuple(d.legs),
            )
        )
    containment: tuple[Containment, ...] = ()
    if net_aggregates:
        flows, containment = net_aggregated_flows(flows, ledger, basis)
    parties = tuple(sorted({p for f in flows if f.amount > 0 for p in (f.payer, f.payee)}))
    names = {p: ledger.entities[p].name for p in {x for f in flows for x in (f.payer, f.payee)} if p in ledger.entities}
    return FlowGraph(
        flows=tuple(flows),
        parties=parties,
        basis=basis,
        natures=nats,
        as_of=as_of,
        since=since,
        include_cancelled=include_cancelled,
        names=names,
        containment=containment,
        net_aggregates=net_aggregates,
    )


def _receipt_fraction(start: date, end: date, w0: date, w1: date) -> float:
    """The part of a flow received evenly over the days ``w0..w1`` (inclusive) that falls in ``start..end``."""
    lo, hi = max(start, w0), min(end, w1)
    if hi < lo:
        return 0.0
    return ((hi - lo).days + 1) / ((w1 - w0).days + 1)


def net_aggregated_flows(
    flows: Sequence[Flow], ledger: Ledger, basis: str
) -> tuple[list[Flow], tuple[Containment, ...]]:
    """Apply the double-count rule (module docstring) to ``flows``: every aggregated flow netted, on every basis.

    Returns the flows (same order) and one :class:`Containment` per aggregated flow with a schedule period.
    """
    from dataclasses import replace

    deals = {d.id: d for d in ledger.deals}
    periods: dict[tuple[str, date, date], list[int]] = {}
    for i, f in enumerate(flows):
        d = deals.get(f.deal_id)
        if d is None or AGGREGATED_TAG not in d.tags or d.schedule is None:
            continue
        if d.schedule.start is None or d.schedule.end is None:
            continue
        periods.setdefault((f.payee, d.schedule.start, d.schedule.end), []).append(i)
    if not periods:
        return list(flows), ()
    out = list(flows)
    records: list[Containment] = []
    for (payee, start, end), agg in sorted(periods.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        named: list[tuple[int, float]] = []
        for j, f in enumerate(flows):
            d = deals.get(f.deal_id)
            if f.payee != payee or d is None or AGGREGATED_TAG in d.tags or f.kind not in CONTAINED_KINDS:
                continue
            if d.is_ended or max(f.headline, f.committed, f.drawn) <= 0:
                continue
            sch = d.schedule
            w0 = sch.start if sch is not None and sch.start is not None else f.date
            w1 = sch.end if sch is not None and sch.start is not None and sch.end is not None else w0
            x = _receipt_fraction(start, end, w0, w1)
            if x > 0:
                named.append((j, x))
        factor: dict[str, float] = {}
        totals: dict[str, tuple[float, float]] = {}
        for b in BASES:
            s_t = sum(getattr(flows[i], b) for i in agg)  # the basis's own figure (``amount`` is one of them)
            n_t = sum(getattr(flows[j], b) * x for j, x in named)
            factor[b] = max(0.0, 1.0 - n_t / s_t) if s_t > 0 else 1.0
            totals[b] = (s_t, n_t)
        s_b, n_b = totals[basis]
        for i in agg:
            f = flows[i]
            out[i] = replace(
                f,
                amount=f.amount * factor[basis],
                headline=f.headline * factor["headline"],
                committed=f.committed * factor["committed"],
                drawn=f.drawn * factor["drawn"],
            )
            records.append(
                Containment(
                    deal_id=f.deal_id,
                    payee=payee,
                    start=start,
                    end=end,
                    gross=f.amount,
                    contained=f.amount - out[i].amount,
                    share=f.amount / s_b if s_b > 0 else 0.0,
                    named=tuple((flows[j].deal_id, x) for j, x in named),
                    named_total=n_b,
                    excess=max(0.0, n_b - s_b),
                )
            )
    return out, tuple(records)
