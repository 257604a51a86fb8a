"""Per-party loop, cycle and hub scores.

Other deal trackers (aidealnetwork.com, an SSRN working paper of January 2026) rank firms by "Loop", "Cycle" and
"Hub" scores; their exact formulas were not found in public material, so these are **junkan's own definitions**,
chosen to be simple, bounded and reproducible. ``volume_i = s_in(i) + s_out(i)`` is everything party ``i`` receives
from and pays to the network (on the graph's basis).

* ``loop_score``: the share of ``i``'s volume that is reciprocated inside 2-party loops,
  ``2 * sum_j min(w_ij, w_ji) / volume_i``: the node-level weighted reciprocity of Squartini, Picciolo, Ruzzenenti &
  Garlaschelli 2013 ("Reciprocity of weighted networks", Sci. Rep. 3:2729), with reciprocated strength
  ``s_i<-> = sum_j min(w_ij, w_ji)`` counted on both the in and the out side. In [0, 1].
* ``cycle_score``: the share of ``i``'s volume on its edges that lie on a cycle of 3 to ``max_len`` parties through
  ``i`` (an edge into or out of ``i`` that is a step of such a cycle). In [0, 1].
* ``hub_score``: ``volume_i / max_j volume_j`` (1 for the biggest party). ``pagerank`` is the weighted PageRank
  (Brin & Page 1998, damping 0.85, ``networkx.pagerank`` with edge amounts as weights), for those who want a
  centrality that counts who pays whom.
* ``loops``, ``cycles``: number of 2-party loops and of 3..``max_len``-party cycles through ``i``;
  ``cycle_volume``: the sum of the bottlenecks of all cycles (2..``max_len``) through ``i``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from junkan.flows.cycles import CycleResult, cycles_in_graph
from junkan.flows.graph import FlowGraph, flow_graph
from junkan.ledger.schema import FlowNature

if TYPE_CHECKING:
    import pandas as pd

    from junkan.ledger.model import Ledger


@dataclass(frozen=True)
class PartyScore:
    """Scores of one party (see the module docstring)."""

    party: str
    volume: float
    received: float
    paid: float
    loop_score: float
    cycle_score: float
    hub_score: float
    pagerank: float
    loops: int
    cycles: int
    cycle_volume: float


@dataclass(frozen=True)
class PartyScores:
    """Scores of every party of a flow graph, largest volume first."""

    rows: tuple[PartyScore, ...]
    inputs: dict[str, object]

    def to_frame(self) -> pd.DataFrame:
        """One row per party."""
        import pandas as pd

        cols = list(PartyScore.__dataclass_fields__)
        return pd.DataFrame([{c: getattr(r, c) for c in cols} for r in self.rows], columns=cols)

    def summary(self) -> dict[str, object]:
        """Inputs and the top party by each score."""

        def top(attr: str) -> str | None:
            rows = [r for r in self.rows if getattr(r, attr) > 0]
            return max(rows, key=lambda r: (getattr(r, attr), r.party)).party if rows else None

        return {
            **self.inputs,
            "parties": len(self.rows),
            "top_loop": top("loop_score"),
            "top_cycle": top("cycle_score"),
            "top_hub": top("hub_score"),
        }


def scores_in_graph(graph: FlowGraph, cycles: CycleResult) -> PartyScores:
    """Compute the scores of every party from a flow graph and its cycles (same ``max_len``)."""
    import networkx as nx

    w = graph.edge_amounts()
    s_in = graph.in_strength()
    s_out = graph.out_strength()
    g = nx.DiGraph()
    g.add_nodes_from(graph.parties)
    for (a, b), x in w.items():
        g.add_edge(a, b, weight=x)
    pr = nx.pagerank(g, alpha=0.85, weight="weight") if graph.parties else {}
    on_cycle: dict[str, set[tuple[str, str]]] = {p: set() for p in graph.parties}
    n_loops = dict.fromkeys(graph.parties, 0)
    n_cycles = dict.fromkeys(graph.parties, 0)
    cvol = dict.fromkeys(graph.parties, 0.0)
    for c in cycles.cycles:
        k = c.length
        for i, p in enumerate(c.parties):
            cvol[p] += c.bottleneck
            if k == 2:
                n_loops[p] += 1
                continue
            n_cycles[p] += 1
            on_cycle[p].add((c.parties[i - 1], p))
            on_cycle[p].add((p, c.parties[(i + 1) % k]))
    vol = {p: s_in[p] + s_out[p] for p in graph.parties}
    vmax = max(vol.values(), default=0.0)
    rows = []
    for p in graph.parties:
        v = vol[p]
        recip = sum(min(x, w.get((b, a), 0.0)) for (a, b), x in w.items() if a == p)
        rows.append(
            PartyScore(
                party=p,
                volume=v,
                received=s_in[p],
                paid=s_out[p],
                loop_score=2 * recip / v if v > 0 else 0.0,
                cycle_score=sum(w[e] for e in on_cycle[p]) / v if v > 0 else 0.0,
                hub_score=v / vmax if vmax > 0 else 0.0,
                pagerank=float(pr.get(p, 0.0)),
                loops=n_loops[p],
                cycles=n_cycles[p],
                cycle_volume=cvol[p],
            )
        )
    rows.sort(key=lambda r: (-r.volume, r.party))
    return PartyScores(rows=tuple(rows), inputs=cycles.inputs())


def party_scores(
    ledger: Ledger,
    *,
    as_of: date | None = None,
    since: date | None = None,
    basis: str = "committed",
    natures: Sequence[FlowNature | str] | str | None = None,
    include_cancelled: bool = False,
    max_len: int = 5,
) -> PartyScores:
    """Loop, cycle and hub scores of every party of ``ledger``'s flow graph (options as in :func:`flow_graph`)."""
    graph = flow_graph(
        ledger, as_of=as_of, since=since, basis=basis, natures=natures, include_cancelled=include_cancelled
    )
    return scores_in_graph(graph, cycles_in_graph(graph, max_len=max_len))
