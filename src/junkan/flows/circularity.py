"""How circular is the whole web? The Circular Directional Flow Decomposition and its circularity index.

Method
------
Homs-Dones, MacKay, Sansom & Zhou (2025), "Circular Directional Flow Decomposition of Networks", arXiv 2506.12546.
The aggregated flow graph ``W`` (edge ``payer -> payee`` carrying the money on the graph's basis, US dollars) is split
edge by edge into ``W = C + D`` with ``0 <= C <= W``:

* the **circular part** ``C`` is divergence-free: every party sends on exactly what it receives in it
  (``sum_j C[j, i] = sum_k C[i, k]``), so it is a superposition of cycles;
* the **directional part** ``D = W - C`` is acyclic and carries every party's net position
  (``out_i - in_i`` is the same in ``D`` as in ``W``).

The **circularity index** is ``sum C / sum W`` (JSON key ``index``), between 0 (no money goes round) and 1 (the web
is cycles only); ``1 - index`` is its directionality. The decomposition is not unique; two benchmark solutions:

``max`` (default): maximum circularity
    The largest circulation within the edge capacities, ``max sum C`` subject to ``B C = 0`` and ``0 <= C <= W``
    (``B`` the node-edge incidence matrix): a maximum-weight circulation, equivalently the minimum-cost flow that
    carries the net positions (the paper's "minimal nett flow"). Only edges inside a strongly connected component can
    carry circulation, so the linear programme is set up on those edges alone (weights scaled to at most 1) and solved
    with HiGHS (Huangfu & Hall 2018, Math. Prog. Comp. 10:119; ``scipy.optimize.linprog(method="highs")``).
``bff``: Balanced Flow Forwarding
    The paper's unique, locally computable solution, in its global form: while the residual network has a strongly
    connected component with an edge, in each such component take the random walk ``P[i, j] = W[i, j] / out_i``
    (out-flow within the component), its stationary distribution ``pi`` (``pi P = pi``; a sparse linear solve), and
    the circulation ``c[i, j] = pi_i P[i, j]`` (balanced because ``pi`` is stationary); scale it by the largest factor
    that keeps it within the residual capacities (``min W[i, j] / c[i, j]``, which empties at least one edge), add it
    to ``C`` and subtract it from the residual. Every dollar of circulation is forwarded in proportion to the
    network's own out-flows, so BFF spreads circular flow over every feasible cycle instead of favouring long ones;
    its index is never above the maximum one.

Self-loops (a party paying itself) are circular by definition. The circular flow **through a party** is what it
receives (= sends) in ``C``; its share is that over its total throughput ``max(in, out)``.

Over time (``by="year"`` or ``"quarter"``) the index is recomputed on the cumulative web at each period end
(``flow_graph(as_of=period end)``; the last period ends at the latest deal, or at ``as_of``), so a reader sees
whether the web is getting more circular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from junkan.errors import JunkanInputError
from junkan.flows.graph import FlowGraph, flow_graph
from junkan.ledger.schema import FlowNature

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

    from junkan.ledger.model import Ledger

METHODS = ("max", "bff")
PERIODS = ("year", "quarter")
_TOL = 1e-9


# ---------------------------------------------------------------------------------------------------- solvers
def _strong_inside(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Mask of the edges whose two ends lie in the same strongly connected component."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    if src.size == 0:
        return np.zeros(0, dtype=bool)
    g = sparse.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    _, labels = connected_components(g, directed=True, connection="strong")
    return np.asarray(labels[src] == labels[dst])


def _clean(c: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Clip a computed circulation into ``[0, w]`` and snap rounding noise to 0 or to the capacity."""
    scale = float(w.max()) if w.size else 1.0
    c = np.clip(c, 0.0, w)
    c[c < _TOL * scale] = 0.0
    near = (w - c) < _TOL * scale
    c[near] = w[near]
    return c


def max_circulation(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The maximum circulation within capacities ``w`` on edges ``src -> dst`` (module docstring, ``max``).

    Parameters
    ----------
    n
        Number of nodes (indices ``0 .. n - 1``).
    src, dst, w
        Edge tails, heads and capacities (non-negative).

    Returns
    -------
    numpy.ndarray
        The circular flow on every edge (same order), a vertex solution of the linear programme.
    """
    from scipy import sparse
    from scipy.optimize import linprog

    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    c = np.zeros(w.size)
    loops = src == dst
    c[loops] = w[loops]
    ok = (~loops) & (w > 0)
    inside = np.zeros(w.size, dtype=bool)
    inside[ok] = _strong_inside(n, src[ok], dst[ok])
    idx = np.flatnonzero(inside)
    if idx.size == 0:
        return c
    s, d, cap = src[idx], dst[idx], w[idx]
    nodes, inv = np.unique(np.r_[s, d], return_inverse=True)
    m = idx.size
    si, di = inv[:m], inv[m:]
    scale = float(cap.max())
    inc = sparse.csc_matrix(
        (np.r_[np.ones(m), -np.ones(m)], (np.r_[si, di], np.r_[np.arange(m), np.arange(m)])), shape=(nodes.size, m)
    )
    res = linprog(
        -np.ones(m),
        A_eq=inc,
        b_eq=np.zeros(nodes.size),
        bounds=np.c_[np.zeros(m), cap / scale],
        method="highs",
    )
    if res.status != 0 or res.x is None:  # pragma: no cover - a bounded feasible LP (0 is feasible) always solves
        raise RuntimeError(f"maximum circulation: HiGHS did not solve the linear programme ({res.message})")
    c[idx] = _clean(np.asarray(res.x) * scale, cap)
    return c


def _stationary(p: sparse.csr_matrix) -> np.ndarray:
    """Stationary distribution of an irreducible row-stochastic matrix: ``pi P = pi``, ``sum pi = 1``."""
    from scipy import sparse
    from scipy.sparse.linalg import spsolve

    k = p.shape[0]
    if k == 1:
        return np.ones(1)
    a = (p.T - sparse.identity(k, format="csr")).tolil()
    a[k - 1, :] = np.ones(k)
    b = np.zeros(k)
    b[k - 1] = 1.0
    pi = np.atleast_1d(spsolve(a.tocsc(), b))
    pi = np.clip(pi, 0.0, None)
    return np.asarray(pi / pi.sum())


def bff_circulation(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The Balanced Flow Forwarding circulation within capacities ``w`` (module docstring, ``bff``).

    Same parameters and return value as :func:`max_circulation`.
    """
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    w = np.asarray(w, dtype=float)
    c = np.zeros(w.size)
    loops = src == dst
    c[loops] = w[loops]
    resid = np.where(loops, 0.0, w)
    scale = float(w.max()) if w.size else 1.0
    for _ in range(2 * w.size + 1):  # every round empties at least one edge
        live = resid > _TOL * scale
        resid[~live] = 0.0
        idx = np.flatnonzero(live)
        if idx.size == 0:
            break
        g = sparse.csr_matrix((np.ones(idx.size), (src[idx], dst[idx])), shape=(n, n))
        _, labels = connected_components(g, directed=True, connection="strong")
        inside = idx[labels[src[idx]] == labels[dst[idx]]]
        if inside.size == 0:
            break
        for comp in np.unique(labels[src[inside]]):
            e = inside[labels[src[inside]] == comp]
            nodes, inv = np.unique(np.r_[src[e], dst[e]], return_inverse=True)
            k, m = nodes.size, e.size
            si, di = inv[:m], inv[m:]
            out = np.bincount(si, weights=resid[e], minlength=k)
            pvals = resid[e] / out[si]
            p = sparse.csr_matrix((pvals, (si, di)), shape=(k, k))
            pi = _stationary(p)
            circ = pi[si] * pvals
            factor = float(np.min(resid[e] / circ))
            add = np.minimum(factor * circ, resid[e])
            c[e] += add
            resid[e] -= add
            # the edge(s) that set the factor are empty now (exactly, not up to rounding)
            resid[e[np.isclose(resid[e], 0.0, atol=_TOL * scale)]] = 0.0
    else:  # pragma: no cover - guarded by the edge count
        raise RuntimeError("balanced flow forwarding did not finish")
    return _clean(c, w)


def decompose(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, method: str = "max") -> np.ndarray:
    """The circular part of the edges ``src -> dst`` with amounts ``w`` by ``method`` (``max`` or ``bff``)."""
    _check_method(method)
    return (max_circulation if method == "max" else bff_circulation)(n, src, dst, w)


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise JunkanInputError.single(
            f"unknown circularity method {method!r}; choose one of {', '.join(METHODS)}", field="method"
        )
    return method


# ---------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class EdgeCircularity:
    """One aggregated edge ``payer -> payee``: its amount, circular and directional (acyclic) parts."""

    payer: str
    payee: str
    amount: float
    circular: float

    @property
    def acyclic(self) -> float:
        """The directional part, ``amount - circular``."""
        return self.amount - self.circular

    @property
    def circular_share(self) -> float | None:
        """``circular / amount`` (None for a zero edge)."""
        return self.circular / self.amount if self.amount > 0 else None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "payer": self.payer,
            "payee": self.payee,
            "amount": self.amount,
            "circular": self.circular,
            "acyclic": self.acyclic,
            "circular_share": self.circular_share,
        }


@dataclass(frozen=True)
class PartyCircularity:
    """Circular flow through one party (what it receives, = sends, in the circular part) against its throughput."""

    party: str
    name: str
    received: float
    paid: float
    circular: float

    @property
    def throughput(self) -> float:
        """``max(received, paid)``: everything that passes through the party."""
        return max(self.received, self.paid)

    @property
    def circular_share(self) -> float | None:
        """``circular / throughput`` (None for a party with no flow)."""
        return self.circular / self.throughput if self.throughput > 0 else None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "party": self.party,
            "name": self.name,
            "received": self.received,
            "paid": self.paid,
            "throughput": self.throughput,
            "circular": self.circular,
            "circular_share": self.circular_share,
        }


@dataclass(frozen=True)
class PeriodIndex:
    """The index of the cumulative web at one period end."""

    period: str
    as_of: date
    index: float | None
    circular_flow: float
    total_flow: float
    edges: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready record."""
        return {
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "index": self.index,
            "circular_flow": self.circular_flow,
            "total_flow": self.total_flow,
            "edges": self.edges,
        }


@dataclass(frozen=True)
class CircularityResult:
    """The circular directional flow decomposition of a flow graph (see the module docstring).

    ``index`` is ``circular_flow / total_flow`` (None for an empty network). ``index_interval`` is the 90% interval
    ``[p5, p95]`` over uncertainty draws when they were asked for (``inputs["uncertainty"]`` draws, ``seed``).
    """

    method: str
    index: float | None
    circular_flow: float
    total_flow: float
    edges: tuple[EdgeCircularity, ...]
    parties: tuple[PartyCircularity, ...]
    by_period: tuple[PeriodIndex, ...]
    inputs: dict[str, object]
    index_interval: tuple[float, float] | None = None
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, object]:
        """Inputs, the index (and its interval), volumes and counts."""
        return {
            **self.inputs,
            "method": self.method,
            "index": self.index,
            "index_interval": list(self.index_interval) if self.index_interval else None,
            "directionality": None if self.index is None else 1.0 - self.index,
            "circular_flow": self.circular_flow,
            "acyclic_flow": self.total_flow - self.circular_flow,
            "total_flow": self.total_flow,
            "edges": len(self.edges),
            "circular_edges": sum(1 for e in self.edges if e.circular > 0),
            "parties": len(self.parties),
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per edge: payer, payee, amount, circular, acyclic, circular share (largest circular first)."""
        import pandas as pd

        cols = ["payer", "payee", "amount", "circular", "acyclic", "circular_share"]
        return pd.DataFrame([e.to_dict() for e in self.edges], columns=cols)

    def parties_frame(self) -> pd.DataFrame:
        """One row per party: received, paid, throughput, circular flow through it and its share."""
        import pandas as pd

        cols = ["party", "name", "received", "paid", "throughput", "circular", "circular_share"]
        return pd.DataFrame([p.to_dict() for p in self.parties], columns=cols)

    def periods_frame(self) -> pd.DataFrame:
        """One row per period end (empty without ``by``)."""
        import pandas as pd

        cols = ["period", "as_of", "index", "circular_flow", "total_flow", "edges"]
        return pd.DataFrame([p.to_dict() for p in self.by_period], columns=cols)

    def to_dict(self) -> dict[str, object]:
        """The stable JSON document of ``junkan circularity --format json``."""
        return {
            "index": self.index,
            "index_interval": list(self.index_interval) if self.index_interval else None,
            "summary": self.summary(),
            "edges": [e.to_dict() for e in self.edges],
            "parties": [p.to_dict() for p in self.parties],
            "by_period": [p.to_dict() for p in self.by_period],
        }


# ---------------------------------------------------------------------------------------------------- API
def _arrays(graph: FlowGraph) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
    amounts = graph.edge_amounts()
    keys = sorted(amounts)
    idx = graph.index
    src = np.array([idx[a] for a, _ in keys], dtype=np.int64)
    dst = np.array([idx[b] for _, b in keys], dtype=np.int64)
    w = np.array([amounts[k] for k in keys], dtype=float)
    return keys, src, dst, w


def index_of_graph(graph: FlowGraph, method: str = "max") -> tuple[float | None, float, float]:
    """``(index, circular flow, total flow)`` of a flow graph (index None when it carries no money)."""
    _, src, dst, w = _arrays(graph)
    total = float(w.sum())
    if total <= 0:
        return None, 0.0, 0.0
    circ = float(decompose(len(graph.parties), src, dst, w, method).sum())
    return circ / total, circ, total


def circularity_in_graph(
    graph: FlowGraph,
    *,
    method: str = "max",
    by_period: Sequence[PeriodIndex] = (),
    extra_inputs: dict[str, object] | None = None,
) -> CircularityResult:
    """Decompose a :class:`FlowGraph` (module docstring); ``by_period`` is attached as it is."""
    _check_method(method)
    keys, src, dst, w = _arrays(graph)
    c = decompose(len(graph.parties), src, dst, w, method) if w.size else np.zeros(0)
    total = float(w.sum())
    circ = float(c.sum())
    edges = sorted(
        (EdgeCircularity(a, b, float(x), float(y)) for (a, b), x, y in zip(keys, w, c, strict=True)),
        key=lambda e: (-e.circular, -e.amount, e.payer, e.payee),
    )
    n = len(graph.parties)
    rec = np.bincount(dst, weights=w, minlength=n) if w.size else np.zeros(n)
    paid = np.bincount(src, weights=w, minlength=n) if w.size else np.zeros(n)
    through = np.bincount(dst, weights=c, minlength=n) if w.size else np.zeros(n)
    parties = sorted(
        (
            PartyCircularity(p, graph.name(p), float(rec[i]), float(paid[i]), float(through[i]))
            for i, p in enumerate(graph.parties)
        ),
        key=lambda r: (-r.circular, -r.throughput, r.party),
    )
    notes: list[str] = []
    if total <= 0:
        notes.append("the network is empty: no deal with a positive amount passes the filters")
    elif circ == 0:
        notes.append("no money can go round: the network has no cycle")
    return CircularityResult(
        method=method,
        index=circ / total if total > 0 else None,
        circular_flow=circ,
        total_flow=total,
        edges=tuple(edges),
        parties=tuple(parties),
        by_period=tuple(by_period),
        inputs={**graph.inputs(), "method": method, **(extra_inputs or {})},
        notes=tuple(notes),
    )


def period_ends(first: date, last: date, by: str) -> list[tuple[str, date]]:
    """Labels and end dates of the years (``2025``) or quarters (``2025Q1``) from ``first`` to ``last``."""
    if by not in PERIODS:
        raise JunkanInputError.single(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}", field="by")
    out: list[tuple[str, date]] = []
    if by == "year":
        for y in range(first.year, last.year + 1):
            out.append((str(y), date(y, 12, 31)))
        return out
    q_ends = ((3, 31), (6, 30), (9, 30), (12, 31))
    y, q = first.year, (first.month - 1) // 3
    while (y, q) <= (last.year, (last.month - 1) // 3):
        m, d = q_ends[q]
        out.append((f"{y}Q{q + 1}", date(y, m, d)))
        q += 1
        if q == 4:
            y, q = y + 1, 0
    return out


def circularity(
    ledger: Ledger,
    *,
    method: str = "max",
    by: str | None = None,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    uncertainty: int = 0,
    seed: int | None = None,
) -> CircularityResult:
    """The circularity index of a ledger's money-flow network (Homs-Dones et al. 2025; module docstring).

    Parameters
    ----------
    ledger
        The deals.
    method
        ``max`` (maximum circularity, the default) or ``bff`` (Balanced Flow Forwarding).
    by
        ``None``, ``year`` or ``quarter``: also compute the index of the cumulative web at each period end (periods
        from the first deal to the latest one, or to ``as_of``).
    as_of, since, basis, natures, include_cancelled
        Flow-graph options (:func:`junkan.flows.graph.flow_graph`).
    uncertainty, seed
        Number of draws of the ranged, estimated and undisclosed amounts (:mod:`junkan.flows.uncertainty`) and
        their seed (recorded); 0 (default) for none. With draws the result carries ``index_interval`` = [p5, p95].

    Returns
    -------
    CircularityResult
        The index, the circular flow per edge and per party, the index over time, the inputs.
    """
    _check_method(method)
    kw = {"since": since, "basis": basis, "natures": natures, "include_cancelled": include_cancelled}
    graph = flow_graph(ledger, as_of=as_of, **kw)  # type: ignore[arg-type]
    periods: list[PeriodIndex] = []
    if by is not None:
        dated = [f.date for f in graph.money_flows]
        if dated:
            last = as_of or max(dated)
            for label, end in period_ends(min(dated), last, by):
                end = min(end, last)  # the last, unfinished period ends at the latest deal (or as_of)
                g = flow_graph(ledger, as_of=end, **kw)  # type: ignore[arg-type]
                ix, circ, tot = index_of_graph(g, method)
                periods.append(PeriodIndex(label, end, ix, circ, tot, len(g.edges())))
        else:
            period_ends(date.today(), date.today(), by)  # validates ``by``
    extra: dict[str, object] = {"by": by}
    res = circularity_in_graph(graph, method=method, by_period=periods, extra_inputs=extra)
    if uncertainty:
        from junkan.flows.uncertainty import interval

        draws, used = circularity_draws(ledger, graph, method=method, n=uncertainty, seed=seed)
        res = replace(
            res, index_interval=interval(draws), inputs={**res.inputs, "uncertainty": uncertainty, "seed": used}
        )
    return res


def circularity_draws(
    ledger: Ledger, graph: FlowGraph, *, method: str, n: int, seed: int | None
) -> tuple[np.ndarray, int]:
    """The index in each of ``n`` draws of the uncertain amounts (:mod:`junkan.flows.uncertainty`), and the seed."""
    from junkan.flows.uncertainty import deal_factors, edge_draws

    factors, _, s, _ = deal_factors(ledger, graph, n, seed)
    keys, w = edge_draws(graph, factors)
    idx = graph.index
    src = np.array([idx[a] for a, _ in keys], dtype=np.int64)
    dst = np.array([idx[b] for _, b in keys], dtype=np.int64)
    out = np.full(n, np.nan)
    for d in range(n):
        tot = float(w[d].sum())
        if tot > 0:
            out[d] = float(decompose(len(graph.parties), src, dst, w[d], method).sum()) / tot
    return out, s
