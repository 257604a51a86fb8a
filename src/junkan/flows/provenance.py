"""Where a party's receipts come from, and how much of them is its own money coming back (proportional tracing).

Proportional tracing
--------------------
Every party spends the money it has in proportion to where that money came from: the proportional-sharing
principle of power-flow tracing (Bialek 1996, "Tracing the flow of electricity", IEE Proc. Gener. Transm. Distrib.
143(4):313; Kirschen, Allan & Strbac 1997, IEEE Trans. Power Syst. 12(1):52), which is also the supply-side
(Ghosh 1958) reading of an input-output table. With ``W[j, i]`` the money ``j`` sends ``i`` in the flow graph
(rows pay, US dollars, on the graph's basis):

* a party's **receipts** are ``R_i = sum_j W[j, i] + E_i``, where ``E_i`` is its **outside inflow** (money from
  outside the network: end-customer revenue, outside investors; see :func:`outside_inflows`);
* it pays out ``O_i = sum_k W[i, k]``; where it pays out more than it receives, the difference
  ``F_i = max(0, O_i - R_i)`` is its **own funds** (cash on hand, borrowing outside the network, or simply unfunded
  commitments);
* its pool is ``T_i = R_i + F_i = max(R_i, O_i)``; a fraction ``W[i, k] / T_i`` of every dollar in it goes to ``k``
  and ``1 - O_i / T_i`` stays with ``i``.

**Returned money.** Money that leaves ``V`` (all of ``V``'s payments count as ``V``'s money) and reaches ``V`` again
along any path is ``V``'s returned money; a dollar counts once, at its first return (``V`` absorbs it). Let ``A`` be
the parties other than ``V`` that have a path to ``V``. The share ``h_k`` of a dollar entering ``k`` that eventually
reaches ``V`` solves the sparse linear system

    ``(I - P_AA) h = p``,  ``P[j, k] = W[j, k] / T_j``,  ``p_j = W[j, V] / T_j``,

(``scipy.sparse.linalg.spsolve``; the system is non-singular because money leaks out of ``A`` into ``V``). Then

* returned money ``= sum_k W[V, k] h_k``;
* ``V``'s receipts from the network decompose exactly by **origin**: its own returned money, plus ``E_k h_k``
  (outside money that entered at ``k``) and ``F_k h_k`` (own funds of ``k``) for every ``k`` in ``A``;
* **own-money share** ``= returned money / V's receipts from the network``; it is also reported against ``V``'s
  revenue from the ledger's financials (the period chosen by :func:`latest_financial`).

Worked example (the tests check it): V invests 100 in C; C also gets 100 from outside investors; C buys 150 from V.
``T_C = 200``, ``h_C = 150/200``, returned ``= 100 x 0.75 = 75``: 50% of V's receipts of 150.

**Paths.** Returned money splits over walks ``V -> k1 -> ... -> km -> V``; a walk carries
``W[V, k1] x prod W[k_i, k_i+1] / T_k_i x W[km, V] / T_km``. The simple cycles through ``V`` up to ``max_len``
parties are listed one by one; walks that go round an inner loop (a cycle inside a cycle) or are longer make up
``other_paths``, so the rows always add up to the returned money.

**Earmarked view.** When a deal's ``legs`` tie ``V``'s payment to ``C`` (``V -> C``) to ``C``'s payment to ``V``
(``C -> V``), e.g. an investment that pays for a purchase, the earmarked part ``min`` of the two (allocated deal by
deal in date order) returns in full; the rest of both flows is traced proportionally. Earmarked returned money is
the earmarked part plus the proportional return on the residual network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np

from junkan.errors import JunkanInputError
from junkan.flows.cycles import OPERATING_KINDS
from junkan.flows.graph import FlowGraph, flow_graph
from junkan.ledger.schema import FlowNature, metric_unit
from junkan.periods import is_annual

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

    from junkan.ledger.model import Ledger

OutsidePolicy = Literal["financials", "none"]
OUTSIDE_POLICIES = ("financials", "none")


# ---------------------------------------------------------------------------------------------------- financials
def latest_financial(
    ledger: Ledger, entity: str, metric: str, as_of: date | None = None, ref: date | None = None
) -> tuple[float, str] | None:
    """The figure of ``metric`` for ``entity`` that describes the network's time, preferring annual periods.

    Annual periods (``FY2025``, ``CY2025``, ``2025``) are used when the ledger has any for this entity and metric.
    With ``as_of``: the latest period ending on or before it (no look-ahead). Without it but with ``ref`` (the date
    of the network's latest deal): the first period ending on or after ``ref`` (the fiscal year that contains it),
    else the latest. Without either: the latest period. Money metrics are converted to US dollars at the rate for the
    period's end; counts and ratios are returned as they are. Returns ``(value, period)`` or ``None``.
    """
    rows = [f for f in ledger.financials if f.entity == entity and f.metric == metric]
    annual = [f for f in rows if is_annual(f.period)]
    rows = annual or rows
    if as_of is not None:
        rows = [f for f in rows if f.period_end <= as_of]
    if not rows:
        return None
    after = [f for f in rows if ref is not None and as_of is None and f.period_end >= ref]
    f = min(after, key=lambda r: r.period_end) if after else max(rows, key=lambda r: r.period_end)
    if metric_unit(metric) != "money":
        return f.value, f.period
    return ledger.to_usd(f.value, f.currency, f.period_end), f.period


def outside_inflows(
    ledger: Ledger,
    graph: FlowGraph,
    *,
    policy: str = "financials",
    external: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Each party's inflow from outside the network (US dollars), used as a source in proportional tracing.

    Policies
    --------
    ``financials`` (default)
        ``end_customer_revenue`` from the ledger's financials if on file (latest period on or before the graph's
        ``as_of``); otherwise ``revenue`` minus the party's operating receipts in the graph (purchases, commitments,
        leases, fees, revenue shares paid to it), floored at 0; otherwise 0. These are annual figures set against
        deal totals: a rough guide, stated as such. The period is chosen by :func:`latest_financial`.
    ``none``
        No outside inflow: whatever a party pays beyond its network receipts is its own funds.

    ``external`` adds explicit amounts per party id (e.g. outside investors' money) on top of either policy.
    """
    if policy not in OUTSIDE_POLICIES:
        raise JunkanInputError.single(f"unknown outside-inflow policy {policy!r}; choose one of financials, none")
    out = {p: 0.0 for p in graph.parties}
    if policy == "financials":
        op_in: dict[str, float] = {}
        for f in graph.money_flows:
            if f.kind in OPERATING_KINDS:
                op_in[f.payee] = op_in.get(f.payee, 0.0) + f.amount
        for p in graph.parties:
            ecr = latest_financial(ledger, p, "end_customer_revenue", graph.as_of, graph.last_date)
            if ecr is not None:
                out[p] = max(0.0, ecr[0])
                continue
            rev = latest_financial(ledger, p, "revenue", graph.as_of, graph.last_date)
            if rev is not None:
                out[p] = max(0.0, rev[0] - op_in.get(p, 0.0))
    for p, v in (external or {}).items():
        if v < 0 or not np.isfinite(v):
            raise JunkanInputError.single(f"outside inflow for {p!r} must be a non-negative number, got {v!r}")
        if p not in out:
            continue  # a party outside the graph receives nothing from it; its outside money reaches no one here
        out[p] += float(v)
    return out


# ---------------------------------------------------------------------------------------------------- the algebra
@dataclass(frozen=True)
class Pools:
    """Receipts, payments, own funds and pools per party (arrays aligned with the graph's parties)."""

    network_in: np.ndarray
    outside: np.ndarray
    out: np.ndarray
    own_funds: np.ndarray
    pool: np.ndarray


def pools(w: sparse.csr_matrix, outside: np.ndarray) -> Pools:
    """Compute ``R``, ``O``, ``F = max(0, O - R)`` and ``T = R + F`` from ``W`` (rows pay) and outside inflows."""
    net_in = np.asarray(w.sum(axis=0)).ravel()
    out = np.asarray(w.sum(axis=1)).ravel()
    receipts = net_in + outside
    own = np.maximum(0.0, out - receipts)
    return Pools(network_in=net_in, outside=outside, out=out, own_funds=own, pool=receipts + own)


def ancestors(w: sparse.csr_matrix, v: int) -> np.ndarray:
    """Indices of the parties other than ``v`` with a path to ``v`` (sorted)."""
    from scipy.sparse.csgraph import breadth_first_order

    order = breadth_first_order(w.T.tocsr(), v, directed=True, return_predecessors=False)
    return np.sort(np.asarray([i for i in order if i != v], dtype=int))


def hitting_shares(w: sparse.csr_matrix, pool: np.ndarray, v: int) -> tuple[np.ndarray, np.ndarray]:
    """For every ancestor ``k`` of ``v``: the share of a dollar entering ``k`` that first reaches ``v``.

    Solves ``(I - P_AA) h = p`` with ``scipy.sparse.linalg.spsolve`` (see the module docstring).
    Returns ``(A, h)``: ancestor indices and their shares.
    """
    from scipy import sparse
    from scipy.sparse.linalg import spsolve

    a = ancestors(w, v)
    if a.size == 0:
        return a, np.zeros(0)
    inv = sparse.diags(1.0 / pool[a])
    p_aa = inv @ w[a][:, a]
    p_v = inv @ np.asarray(w[a][:, [v]].todense()).ravel()
    m = (sparse.identity(a.size, format="csc") - p_aa).tocsc()
    h = spsolve(m, p_v)
    h = np.atleast_1d(np.asarray(h, dtype=float))
    return a, np.clip(h, 0.0, 1.0)


# ---------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class OriginRow:
    """A part of the target's receipts by where the money entered the network."""

    origin: str
    channel: str  # "returned" (target's own money), "outside" or "own_funds"
    amount: float


@dataclass(frozen=True)
class PathRow:
    """Returned money carried along one simple cycle through the target."""

    path: tuple[str, ...]
    amount: float


@dataclass(frozen=True)
class EarmarkedView:
    """The own-money share when ``legs`` tie an outgoing payment to a payment back (see the module docstring)."""

    earmarked: float
    returned: float
    own_money_share: float | None
    pairs: tuple[tuple[str, str, float], ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "earmarked": self.earmarked,
            "returned": self.returned,
            "own_money_share": self.own_money_share,
            "pairs": [{"out_deal": a, "back_deal": b, "amount": x} for a, b, x in self.pairs],
        }


@dataclass(frozen=True)
class TraceResult:
    """Where one party's receipts come from and its own-money share (all amounts in US dollars).

    ``own_money_share`` is ``returned / network_receipts`` (None when the party receives nothing from the network);
    ``share_of_revenue`` is ``returned / revenue`` (None without a revenue figure).
    """

    entity: str
    name: str
    network_receipts: float
    outside_inflow: float
    payments: float
    returned: float
    own_money_share: float | None
    revenue: float | None
    revenue_period: str | None
    share_of_revenue: float | None
    by_payer: tuple[tuple[str, float], ...]
    by_origin: tuple[OriginRow, ...]
    paths: tuple[PathRow, ...]
    other_paths: float
    earmarked: EarmarkedView
    inputs: dict[str, object]
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, object]:
        """Headline figures and inputs."""
        return {
            "entity": self.entity,
            "name": self.name,
            **self.inputs,
            "network_receipts": self.network_receipts,
            "outside_inflow": self.outside_inflow,
            "payments": self.payments,
            "returned": self.returned,
            "own_money_share": self.own_money_share,
            "revenue": self.revenue,
            "revenue_period": self.revenue_period,
            "share_of_revenue": self.share_of_revenue,
            "earmarked_returned": self.earmarked.returned,
            "earmarked_own_money_share": self.earmarked.own_money_share,
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """The receipts by origin: one row per (origin, channel), largest first."""
        import pandas as pd

        rows = [{"origin": r.origin, "channel": r.channel, "amount": r.amount} for r in self.by_origin]
        df = pd.DataFrame(rows, columns=["origin", "channel", "amount"])
        total = self.network_receipts
        df["share"] = df["amount"] / total if total > 0 else np.nan
        return df

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan trace --format json``."""
        return {
            "summary": self.summary(),
            "by_payer": [{"payer": p, "amount": a} for p, a in self.by_payer],
            "by_origin": [{"origin": r.origin, "channel": r.channel, "amount": r.amount} for r in self.by_origin],
            "paths": [{"path": list(r.path), "amount": r.amount} for r in self.paths],
            "other_paths": self.other_paths,
            "earmarked": self.earmarked.to_dict(),
        }


@dataclass(frozen=True)
class ProvenanceResult:
    """Own-money share of every party that receives money from the network."""

    rows: tuple[TraceResult, ...]
    inputs: dict[str, object]

    def to_frame(self) -> pd.DataFrame:
        """One row per party: receipts, returned money, own-money share, revenue and earmarked share."""
        import pandas as pd

        cols = [
            "entity",
            "network_receipts",
            "returned",
            "own_money_share",
            "revenue",
            "share_of_revenue",
            "earmarked_own_money_share",
        ]
        return pd.DataFrame(
            [
                {
                    "entity": r.entity,
                    "network_receipts": r.network_receipts,
                    "returned": r.returned,
                    "own_money_share": r.own_money_share,
                    "revenue": r.revenue,
                    "share_of_revenue": r.share_of_revenue,
                    "earmarked_own_money_share": r.earmarked.own_money_share,
                }
                for r in self.rows
            ],
            columns=cols,
        )

    def summary(self) -> dict[str, object]:
        """Inputs and the party with the largest own-money share."""
        shares = [(r.own_money_share, r.entity) for r in self.rows if r.own_money_share is not None]
        top = max(shares) if shares else None
        return {
            **self.inputs,
            "parties": len(self.rows),
            "returned_total": float(sum(r.returned for r in self.rows)),
            "receipts_total": float(sum(r.network_receipts for r in self.rows)),
            "top_own_money_share": {"entity": top[1], "share": top[0]} if top else None,
        }


# ---------------------------------------------------------------------------------------------------- tracing
def _simple_paths(
    w: sparse.csr_matrix, pool: np.ndarray, v: int, allowed: set[int], max_len: int
) -> list[tuple[tuple[int, ...], float]]:
    """Simple cycles ``v -> ... -> v`` of at most ``max_len`` parties through ``allowed`` nodes, with their money."""
    out: list[tuple[tuple[int, ...], float]] = []
    indptr, indices, data = w.indptr, w.indices, w.data

    def walk(node: int, path: list[int], amount: float) -> None:
        for pos in range(indptr[node], indptr[node + 1]):
            nxt, wt = int(indices[pos]), float(data[pos])
            if wt <= 0:
                continue
            share = wt if node == v else amount * wt / pool[node]
            if nxt == v:
                if node != v:
                    out.append(((*path,), share))
                continue
            if nxt in allowed and nxt not in path and len(path) < max_len:
                path.append(nxt)
                walk(nxt, path, share)
                path.pop()

    walk(v, [v], 0.0)
    return out


def _trace_core(
    graph: FlowGraph, weights: Mapping[tuple[str, str], float], outside: Mapping[str, float], target: str
) -> tuple[sparse.csr_matrix, Pools, np.ndarray, np.ndarray, float]:
    from scipy import sparse

    idx = graph.index
    n = len(graph.parties)
    keys = [k for k, x in weights.items() if x > 0]
    w = sparse.csr_matrix(
        ([weights[k] for k in keys], ([idx[a] for a, _ in keys], [idx[b] for _, b in keys])), shape=(n, n)
    )
    ext = np.array([outside.get(p, 0.0) for p in graph.parties], dtype=float)
    pl = pools(w, ext)
    v = idx[target]
    a, h = hitting_shares(w, pl.pool, v)
    out_v = np.asarray(w[[v]][:, a].todense()).ravel() if a.size else np.zeros(0)
    returned = float(out_v @ h) if a.size else 0.0
    return w, pl, a, h, returned


def _earmark(graph: FlowGraph, target: str) -> tuple[dict[tuple[str, str], float], tuple[tuple[str, str, float], ...]]:
    """Residual edge amounts after taking out leg-linked round trips through ``target`` (and the pairs)."""
    flows = {f.deal_id: f for f in graph.money_flows}
    remaining = {k: f.amount for k, f in flows.items()}
    pairs: list[tuple[str, str, float]] = []
    outgoing = sorted((f for f in flows.values() if f.payer == target), key=lambda f: (f.date, f.deal_id))
    for d in outgoing:
        linked = {e for e in d.legs if e in flows} | {f.deal_id for f in flows.values() if d.deal_id in f.legs}
        backs = sorted(
            (flows[e] for e in linked if flows[e].payer == d.payee and flows[e].payee == target),
            key=lambda f: (f.date, f.deal_id),
        )
        for e in backs:
            x = min(remaining[d.deal_id], remaining[e.deal_id])
            if x <= 0:
                continue
            remaining[d.deal_id] -= x
            remaining[e.deal_id] -= x
            pairs.append((d.deal_id, e.deal_id, x))
    residual: dict[tuple[str, str], float] = {}
    for k, f in flows.items():
        residual[(f.payer, f.payee)] = residual.get((f.payer, f.payee), 0.0) + remaining[k]
    return residual, tuple(pairs)


def trace_in_graph(
    graph: FlowGraph,
    entity: str,
    *,
    outside: Mapping[str, float] | None = None,
    revenue: tuple[float, str] | None = None,
    max_len: int = 5,
    extra_inputs: Mapping[str, object] | None = None,
) -> TraceResult:
    """Trace one party's receipts in a flow graph (see the module docstring). ``entity`` is a party id."""
    outside = dict(outside or {})
    inputs = {**graph.inputs(), "max_len": max_len, **(extra_inputs or {})}
    notes: list[str] = []
    rev_value, rev_period = revenue if revenue is not None else (None, None)
    if entity not in graph.index:
        notes.append(f"{entity} takes part in no flow with a positive amount under these filters")
        empty = EarmarkedView(earmarked=0.0, returned=0.0, own_money_share=None, pairs=())
        return TraceResult(
            entity=entity,
            name=graph.name(entity),
            network_receipts=0.0,
            outside_inflow=outside.get(entity, 0.0),
            payments=0.0,
            returned=0.0,
            own_money_share=None,
            revenue=rev_value,
            revenue_period=rev_period,
            share_of_revenue=0.0 if rev_value else None,
            by_payer=(),
            by_origin=(),
            paths=(),
            other_paths=0.0,
            earmarked=empty,
            inputs=inputs,
            notes=tuple(notes),
        )
    weights = graph.edge_amounts()
    w, pl, a, h, returned = _trace_core(graph, weights, outside, entity)
    v = graph.index[entity]
    parties = graph.parties
    receipts = float(pl.network_in[v])
    by_payer = sorted(
        ((parties[j], float(w[j, v])) for j in range(len(parties)) if w[j, v] > 0), key=lambda t: (-t[1], t[0])
    )
    origin_rows: list[OriginRow] = []
    if returned > 0:
        origin_rows.append(OriginRow(entity, "returned", returned))
    for k, hk in zip(a, h, strict=True):
        for channel, arr in (("outside", pl.outside), ("own_funds", pl.own_funds)):
            amt = float(arr[k] * hk)
            if amt > 0:
                origin_rows.append(OriginRow(parties[k], channel, amt))
    origin_rows.sort(key=lambda r: (-r.amount, r.origin, r.channel))
    # paths
    simple = _simple_paths(w, pl.pool, v, {int(x) for x in a}, max_len)
    paths = sorted(
        (PathRow(tuple(parties[i] for i in p), float(amt)) for p, amt in simple), key=lambda r: (-r.amount, r.path)
    )
    other = max(0.0, returned - sum(p.amount for p in paths))
    # earmarked view
    residual, pairs = _earmark(graph, entity)
    earmarked = float(sum(x for _, _, x in pairs))
    _, _, _, _, ret_res = _trace_core(graph, residual, outside, entity)
    em_returned = earmarked + ret_res
    if receipts <= 0:
        notes.append(f"{entity} receives nothing from the network under these filters: no own-money share")
    elif returned == 0:
        notes.append(f"none of {entity}'s payments come back to it")
    ear = EarmarkedView(
        earmarked=earmarked,
        returned=em_returned,
        own_money_share=em_returned / receipts if receipts > 0 else None,
        pairs=pairs,
    )
    return TraceResult(
        entity=entity,
        name=graph.name(entity),
        network_receipts=receipts,
        outside_inflow=float(pl.outside[v]),
        payments=float(pl.out[v]),
        returned=returned,
        own_money_share=returned / receipts if receipts > 0 else None,
        revenue=rev_value,
        revenue_period=rev_period,
        share_of_revenue=returned / rev_value if rev_value else None,
        by_payer=tuple(by_payer),
        by_origin=tuple(origin_rows),
        paths=tuple(paths),
        other_paths=other,
        earmarked=ear,
        inputs=inputs,
        notes=tuple(notes),
    )


def _graph_and_outside(
    ledger: Ledger,
    as_of: date | None,
    since: date | None,
    basis: str,
    natures: Sequence[FlowNature | str] | str | None,
    include_cancelled: bool,
    outside: str,
    external: Mapping[str, float] | None,
) -> tuple[FlowGraph, dict[str, float]]:
    graph = flow_graph(
        ledger, as_of=as_of, since=since, basis=basis, natures=natures, include_cancelled=include_cancelled
    )
    ext = {ledger.resolve_entity(k).id: v for k, v in (external or {}).items()}
    return graph, outside_inflows(ledger, graph, policy=outside, external=ext)


def own_money_share(
    ledger: Ledger,
    entity: str,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    outside: str = "financials",
    external: Mapping[str, float] | None = None,
    max_len: int = 5,
) -> TraceResult:
    """Trace ``entity``'s receipts by proportional tracing and compute its own-money share (exact, sparse solve).

    Parameters
    ----------
    ledger
        The deals and financials.
    entity
        Party id, name or alias (an unknown name raises an error that suggests the closest ones).
    as_of, since, basis, natures, include_cancelled
        Flow-graph options (:func:`junkan.flows.graph.flow_graph`).
    outside, external
        Outside-inflow policy and explicit amounts (:func:`outside_inflows`).
    max_len
        Longest cycle listed in the path breakdown, in parties.
    """
    ent = ledger.resolve_entity(entity)
    graph, out = _graph_and_outside(ledger, as_of, since, basis, natures, include_cancelled, outside, external)
    revenue = latest_financial(ledger, ent.id, "revenue", as_of, graph.last_date)
    return trace_in_graph(
        graph, ent.id, outside=out, revenue=revenue, max_len=max_len, extra_inputs={"outside_policy": outside}
    )


def provenance(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    outside: str = "financials",
    external: Mapping[str, float] | None = None,
    max_len: int = 5,
) -> ProvenanceResult:
    """Trace every party that receives money from the network (one sparse solve each); see :func:`own_money_share`."""
    graph, out = _graph_and_outside(ledger, as_of, since, basis, natures, include_cancelled, outside, external)
    net_in = graph.in_strength()
    rows = tuple(
        trace_in_graph(
            graph,
            p,
            outside=out,
            revenue=latest_financial(ledger, p, "revenue", as_of, graph.last_date),
            max_len=max_len,
            extra_inputs={"outside_policy": outside},
        )
        for p in graph.parties
        if net_in[p] > 0
    )
    return ProvenanceResult(rows=rows, inputs={**graph.inputs(), "max_len": max_len, "outside_policy": outside})
