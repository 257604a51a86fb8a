"""Cycles in the money-flow network: every party cycle up to a length, which ones respect time, and their pattern.

Method
------
Cycles are the elementary circuits (Johnson 1975, "Finding all the elementary circuits of a directed graph",
SIAM J. Comput. 4(1)) of the aggregated party graph, enumerated with ``networkx.simple_cycles(G, length_bound=K)``.
A cycle of ``k`` parties has ``k`` edges; each edge may carry several deals.

* **Bottleneck**: the smallest aggregated edge amount along the cycle (on the graph's basis): the most money that
  can have gone all the way round. ``bottleneck_committed`` and ``bottleneck_drawn`` are the same minimum on the
  committed and drawn bases; ``drawn_share = bottleneck_drawn / bottleneck_committed``.
* **Time-respecting**: the money that goes out can have funded the money that comes back. A cycle is
  time-respecting if some rotation of it (it may start at any party) admits one deal per edge with dates
  non-decreasing along the cycle and, when ``window_days`` is given, last date minus first date at most
  ``window_days``. The search tries every rotation and every start deal and then takes, edge by edge, the earliest
  deal not before the previous one (which minimises the span for that start); the witness with the smallest span is
  reported (``time_path``). This is the temporal-cycle notion of Kumar & Calders (2SCENT, PVLDB 11(11), 2018) on
  announcement dates.
* **Pattern labels** come from the deal kinds along the cycle. Every rule that matches is listed in ``labels``; the
  first in this order is the ``pattern``:

  1. ``round_trip_swap``: a ``capacity_swap`` deal is on the cycle;
  2. ``capacity_backstop``: a ``capacity_backstop`` deal is on the cycle;
  3. ``spv_lease``: a ``lease`` deal is on the cycle, or one of its parties is an SPV (entity kind ``spv``);
  4. ``in_kind_credits``: a ``cloud_credits`` deal is on the cycle;
  5. ``vendor_financing``: a credit deal (loan, credit facility, GPU-backed debt) or a loan guarantee is on it;
  6. ``equity_for_purchase``: an equity deal (equity investment, warrant grant, joint venture) is on it;
  7. ``round_trip_swap``: every deal on the cycle is an operating payment (purchase, purchase commitment, lease,
     service fee, revenue share): money goes round as payments for goods and services alone;
  8. ``other``: none of the above.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from junkan.errors import JunkanInputError
from junkan.flows.graph import Flow, FlowGraph, flow_graph
from junkan.ledger.schema import DealKind, EntityKind, FlowNature

if TYPE_CHECKING:
    import pandas as pd

    from junkan.flows.nullmodel import NullModelResult
    from junkan.ledger.model import Ledger

CREDIT_KINDS = frozenset({DealKind.loan, DealKind.credit_facility, DealKind.gpu_backed_debt, DealKind.loan_guarantee})
EQUITY_KINDS = frozenset({DealKind.equity_investment, DealKind.warrant_grant, DealKind.joint_venture})
OPERATING_KINDS = frozenset(
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
PATTERNS = (
    "round_trip_swap",
    "capacity_backstop",
    "spv_lease",
    "in_kind_credits",
    "vendor_financing",
    "equity_for_purchase",
    "other",
)


@dataclass(frozen=True, slots=True)
class CycleEdge:
    """One step of a cycle: all selected deals ``payer -> payee``, aggregated (US dollars)."""

    payer: str
    payee: str
    deals: tuple[str, ...]
    kinds: tuple[str, ...]
    amount: float
    committed: float
    drawn: float
    first_date: date
    last_date: date


@dataclass(frozen=True)
class Cycle:
    """A party cycle ``parties[0] -> parties[1] -> ... -> parties[0]``, rotated to start at the smallest id."""

    parties: tuple[str, ...]
    edges: tuple[CycleEdge, ...]
    bottleneck: float
    bottleneck_committed: float
    bottleneck_drawn: float
    time_respecting: bool
    time_path: tuple[str, ...]
    time_span_days: int | None
    pattern: str
    labels: tuple[str, ...]

    @property
    def length(self) -> int:
        """Number of parties (= number of edges)."""
        return len(self.parties)

    @property
    def deals(self) -> tuple[str, ...]:
        """Every deal on the cycle's edges, edge by edge."""
        return tuple(d for e in self.edges for d in e.deals)

    @property
    def drawn_share(self) -> float | None:
        """``bottleneck_drawn / bottleneck_committed`` (None when nothing is committed)."""
        return self.bottleneck_drawn / self.bottleneck_committed if self.bottleneck_committed > 0 else None

    def to_dict(self) -> dict[str, object]:
        """The stable JSON record of a cycle (documented in docs/flows.md)."""
        return {
            "parties": list(self.parties),
            "length": self.length,
            "deals": list(self.deals),
            "edges": [
                {
                    "payer": e.payer,
                    "payee": e.payee,
                    "deals": list(e.deals),
                    "kinds": list(e.kinds),
                    "amount": e.amount,
                    "committed": e.committed,
                    "drawn": e.drawn,
                    "first_date": e.first_date.isoformat(),
                    "last_date": e.last_date.isoformat(),
                }
                for e in self.edges
            ],
            "bottleneck": self.bottleneck,
            "bottleneck_committed": self.bottleneck_committed,
            "bottleneck_drawn": self.bottleneck_drawn,
            "drawn_share": self.drawn_share,
            "time_respecting": self.time_respecting,
            "time_path": list(self.time_path),
            "time_span_days": self.time_span_days,
            "pattern": self.pattern,
            "labels": list(self.labels),
        }


@dataclass(frozen=True)
class CycleResult:
    """All cycles of a flow graph up to ``max_len`` parties, with the inputs that produced them.

    ``cycles`` are sorted by bottleneck (largest first), then by parties. ``significance`` holds the null-model
    comparison when one was asked for (``degree_strength`` when all were), ``nulls`` every null that was run, side by
    side.
    """

    cycles: tuple[Cycle, ...]
    max_len: int
    window_days: int | None
    graph_inputs: dict[str, object]
    parties: int
    edges: int
    significance: NullModelResult | None = None
    notes: tuple[str, ...] = field(default=())
    nulls: tuple[NullModelResult, ...] = field(default=())
    volume_interval: tuple[float, float] | None = None
    bottleneck_intervals: tuple[tuple[float, float] | None, ...] = field(default=())

    @property
    def time_respecting(self) -> tuple[Cycle, ...]:
        """The cycles that respect time."""
        return tuple(c for c in self.cycles if c.time_respecting)

    def inputs(self) -> dict[str, object]:
        """Every input that shaped the result."""
        return {**self.graph_inputs, "max_len": self.max_len, "window_days": self.window_days}

    def summary(self) -> dict[str, object]:
        """Counts and volumes of all and of time-respecting cycles, by length and pattern, and the null model."""
        tr = self.time_respecting
        by_pattern: dict[str, int] = {}
        by_len: dict[int, int] = {}
        for c in self.cycles:
            by_pattern[c.pattern] = by_pattern.get(c.pattern, 0) + 1
            by_len[c.length] = by_len.get(c.length, 0) + 1
        return {
            **self.inputs(),
            "parties": self.parties,
            "edges": self.edges,
            "cycles": len(self.cycles),
            "cycle_volume": float(sum(c.bottleneck for c in self.cycles)),
            "time_respecting_cycles": len(tr),
            "time_respecting_volume": float(sum(c.bottleneck for c in tr)),
            "by_length": {str(k): v for k, v in sorted(by_len.items())},
            "by_pattern": dict(sorted(by_pattern.items())),
            "significance": self.significance.to_dict() if self.significance else None,
            "nulls": [r.to_dict() for r in self.nulls],
            "cycle_volume_interval": list(self.volume_interval) if self.volume_interval else None,
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per cycle: parties, length, deals, bottleneck amounts, drawn share, time, pattern."""
        import pandas as pd

        cols = [
            "cycle",
            "length",
            "bottleneck",
            "bottleneck_committed",
            "bottleneck_drawn",
            "drawn_share",
            "time_respecting",
            "time_span_days",
            "pattern",
            "labels",
            "deals",
        ]
        rows = [
            {
                "cycle": " -> ".join([*c.parties, c.parties[0]]),
                "length": c.length,
                "bottleneck": c.bottleneck,
                "bottleneck_committed": c.bottleneck_committed,
                "bottleneck_drawn": c.bottleneck_drawn,
                "drawn_share": c.drawn_share,
                "time_respecting": c.time_respecting,
                "time_span_days": c.time_span_days,
                "pattern": c.pattern,
                "labels": list(c.labels),
                "deals": list(c.deals),
            }
            for c in self.cycles
        ]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan cycles --format json``."""
        cycles = [c.to_dict() for c in self.cycles]
        for c, iv in zip(cycles, self.bottleneck_intervals, strict=False):
            c["bottleneck_interval"] = list(iv) if iv else None
        return {"summary": self.summary(), "cycles": cycles}


# ---------------------------------------------------------------------------------------------------- helpers
def _check_len(max_len: int) -> int:
    if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 2:
        raise JunkanInputError.single(f"--max-len must be an integer of at least 2, got {max_len!r}", field="max_len")
    return max_len


def _check_window(window_days: int | None) -> int | None:
    if window_days is not None and (isinstance(window_days, bool) or window_days < 0):
        raise JunkanInputError.single(f"--window must be a non-negative number of days, got {window_days!r}")
    return window_days


def canonical_rotation(parties: Sequence[str]) -> tuple[str, ...]:
    """Rotate a cycle so it starts at its smallest party id (direction kept)."""
    i = min(range(len(parties)), key=lambda k: parties[k])
    return tuple(parties[i:]) + tuple(parties[:i])


def time_witness(
    edge_flows: Sequence[Sequence[Flow]], window_days: int | None = None
) -> tuple[tuple[Flow, ...], int] | None:
    """Find deals, one per edge of a cycle, whose dates never decrease along some rotation of it.

    Parameters
    ----------
    edge_flows
        For each edge of the cycle, in cycle order, its deals (any order).
    window_days
        Largest allowed span (last date minus first date) in days; ``None`` for no limit.

    Returns
    -------
    tuple or None
        The witness deals in time order (starting at the rotation that works) and their span in days; the
        witness with the smallest span, ties broken by the earliest rotation; ``None`` if no rotation works.
    """
    k = len(edge_flows)
    sorted_edges = [sorted(fl, key=lambda f: (f.date, f.deal_id)) for fl in edge_flows]
    dates = [[f.date for f in fl] for fl in sorted_edges]
    best: tuple[tuple[Flow, ...], int] | None = None
    for r in range(k):
        order = [(r + i) % k for i in range(k)]
        for start in sorted_edges[order[0]]:
            path = [start]
            cur = start.date
            ok = True
            for e in order[1:]:
                j = bisect.bisect_left(dates[e], cur)
                if j == len(dates[e]):
                    ok = False
                    break
                path.append(sorted_edges[e][j])
                cur = dates[e][j]
            if not ok:
                break  # later starts on this edge are no earlier, so they fail too
            span = (cur - start.date).days
            if window_days is not None and span > window_days:
                continue
            if best is None or span < best[1]:
                best = (tuple(path), span)
    return best


def pattern_labels(kinds: set[DealKind], has_spv: bool = False) -> tuple[str, ...]:
    """All pattern labels that apply to a cycle with these deal kinds (rules in the module docstring, in order)."""
    labels: list[str] = []
    if DealKind.capacity_swap in kinds:
        labels.append("round_trip_swap")
    if DealKind.capacity_backstop in kinds:
        labels.append("capacity_backstop")
    if DealKind.lease in kinds or has_spv:
        labels.append("spv_lease")
    if DealKind.cloud_credits in kinds:
        labels.append("in_kind_credits")
    if kinds & CREDIT_KINDS:
        labels.append("vendor_financing")
    if kinds & EQUITY_KINDS:
        labels.append("equity_for_purchase")
    if kinds and kinds <= OPERATING_KINDS and "round_trip_swap" not in labels:
        labels.append("round_trip_swap")
    return tuple(labels) or ("other",)


def _edge(payer: str, payee: str, flows: list[Flow]) -> CycleEdge:
    return CycleEdge(
        payer=payer,
        payee=payee,
        deals=tuple(f.deal_id for f in flows),
        kinds=tuple(sorted({f.kind.value for f in flows})),
        amount=float(sum(f.amount for f in flows)),
        committed=float(sum(f.committed for f in flows)),
        drawn=float(sum(f.drawn for f in flows)),
        first_date=min(f.date for f in flows),
        last_date=max(f.date for f in flows),
    )


# ---------------------------------------------------------------------------------------------------- API
def cycles_in_graph(
    graph: FlowGraph,
    *,
    max_len: int = 5,
    window_days: int | None = None,
    spv_parties: frozenset[str] = frozenset(),
    null: int = 0,
    seed: int | None = None,
    null_method: str = "all",
) -> CycleResult:
    """Enumerate the cycles of a :class:`FlowGraph` (see the module docstring for every rule).

    Parameters
    ----------
    graph
        The money-flow network.
    max_len
        Longest cycle, in parties (default 5; at least 2).
    window_days
        Largest span of a time-respecting cycle in days (default: no limit).
    spv_parties
        Party ids that are SPVs (for the ``spv_lease`` label).
    null
        Number of null-model samples (0: no significance test). See :mod:`junkan.flows.nullmodel`.
    seed
        Seed of the null model (recorded in the result).
    null_method
        ``all`` (default: ``degree_strength``, ``strength`` and ``degree`` side by side, ``significance`` being
        ``degree_strength``) or one of them; see :mod:`junkan.flows.nullmodel`.
    """
    import networkx as nx

    _check_len(max_len)
    _check_window(window_days)
    edges = graph.edges()
    g = nx.DiGraph()
    g.add_nodes_from(graph.parties)
    g.add_edges_from(edges)
    out: list[Cycle] = []
    for raw in nx.simple_cycles(g, length_bound=max_len):
        parties = canonical_rotation([str(p) for p in raw])
        steps = [(parties[i], parties[(i + 1) % len(parties)]) for i in range(len(parties))]
        cedges = tuple(_edge(a, b, edges[(a, b)]) for a, b in steps)
        witness = time_witness([edges[s] for s in steps], window_days)
        kinds = {f.kind for s in steps for f in edges[s]}
        labels = pattern_labels(kinds, has_spv=any(p in spv_parties for p in parties))
        out.append(
            Cycle(
                parties=parties,
                edges=cedges,
                bottleneck=min(e.amount for e in cedges),
                bottleneck_committed=min(e.committed for e in cedges),
                bottleneck_drawn=min(e.drawn for e in cedges),
                time_respecting=witness is not None,
                time_path=tuple(f.deal_id for f in witness[0]) if witness else (),
                time_span_days=witness[1] if witness else None,
                pattern=labels[0],
                labels=labels,
            )
        )
    out.sort(key=lambda c: (-c.bottleneck, c.length, c.parties))
    notes: list[str] = []
    if not graph.parties:
        notes.append("the network is empty: no deal with a positive amount passes the filters")
    elif not out:
        notes.append(f"no cycle of up to {max_len} parties: the network has no circular flow")
    significance = None
    nulls: tuple[NullModelResult, ...] = ()
    if null:
        from junkan.flows.nullmodel import ALL_NULLS, circularity_nulls

        methods = ALL_NULLS if null_method == "all" else (null_method,)
        nulls = circularity_nulls(graph.edge_amounts(), methods=methods, n_samples=null, seed=seed, max_len=max_len)
        significance = nulls[0]
    return CycleResult(
        cycles=tuple(out),
        max_len=max_len,
        window_days=window_days,
        graph_inputs=graph.inputs(),
        parties=len(graph.parties),
        edges=len(edges),
        significance=significance,
        notes=tuple(notes),
        nulls=nulls,
    )


def find_cycles(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    max_len: int = 5,
    window_days: int | None = None,
    null: int = 0,
    seed: int | None = None,
    null_method: str = "all",
    uncertainty: int = 0,
) -> CycleResult:
    """Cycles of a ledger's money-flow network: :func:`flow_graph` then :func:`cycles_in_graph`.

    Graph options (``as_of``, ``since``, ``basis``, ``natures``, ``include_cancelled``) are those of
    :func:`junkan.flows.graph.flow_graph`; cycle options those of :func:`cycles_in_graph`. Parties whose entity kind
    is ``spv`` count as SPVs for the ``spv_lease`` label. ``uncertainty`` draws (seeded by ``seed``) add 90%
    intervals to every bottleneck and to the cycle volume (:func:`with_uncertainty`).
    """
    graph = flow_graph(
        ledger, as_of=as_of, since=since, basis=basis, natures=natures, include_cancelled=include_cancelled
    )
    spv = frozenset(e.id for e in ledger.entities.values() if e.kind == EntityKind.spv)
    res = cycles_in_graph(
        graph, max_len=max_len, window_days=window_days, spv_parties=spv, null=null, seed=seed, null_method=null_method
    )
    return with_uncertainty(res, ledger, graph, uncertainty, seed) if uncertainty else res


def with_uncertainty(res: CycleResult, ledger: Ledger, graph: FlowGraph, n: int, seed: int | None) -> CycleResult:
    """``res`` with the 90% interval ``[p5, p95]`` of each bottleneck and of the cycle volume over ``n`` draws of the
    ranged, estimated and undisclosed amounts (:mod:`junkan.flows.uncertainty`); the seed is recorded in the inputs
    as ``uncertainty_seed``."""
    from dataclasses import replace

    from junkan.flows.uncertainty import cycle_draws, interval

    draws, used = cycle_draws(ledger, graph, [c.parties for c in res.cycles], n=n, seed=seed)
    per = tuple(interval(draws[:, i]) for i in range(draws.shape[1]))
    vol = interval(draws.sum(axis=1)) if res.cycles else None
    inputs = {**res.graph_inputs, "uncertainty": n, "uncertainty_seed": used}
    return replace(res, graph_inputs=inputs, volume_interval=vol, bottleneck_intervals=per)
