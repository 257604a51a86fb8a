"""The money-flow network of a ledger: graph, cycles and their significance, provenance, exposure, party scores.

Every analysis is a function of a :class:`~junkan.ledger.Ledger` returning a frozen result with ``.to_frame()``
and ``.summary()`` that records its inputs (``as_of``, ``since``, ``basis``, ``natures``, seed). Edges are oriented
``payer -> payee`` and carry what the payer sends (see :mod:`junkan.flows.graph`). Documentation: docs/flows.md.
"""

from junkan.flows.circularity import CircularityResult, circularity, circularity_in_graph
from junkan.flows.cycles import Cycle, CycleEdge, CycleResult, cycles_in_graph, find_cycles
from junkan.flows.exposure import ExposureResult, exposure, exposure_in_graph
from junkan.flows.graph import Flow, FlowGraph, flow_graph
from junkan.flows.nullmodel import NullModelResult, circularity_null
from junkan.flows.provenance import (
    ProvenanceResult,
    TraceResult,
    outside_inflows,
    own_money_share,
    provenance,
    trace_in_graph,
)
from junkan.flows.scores import PartyScores, party_scores, scores_in_graph

__all__ = [
    "CircularityResult",
    "Cycle",
    "CycleEdge",
    "CycleResult",
    "ExposureResult",
    "Flow",
    "FlowGraph",
    "NullModelResult",
    "PartyScores",
    "ProvenanceResult",
    "TraceResult",
    "circularity",
    "circularity_in_graph",
    "circularity_null",
    "cycles_in_graph",
    "exposure",
    "exposure_in_graph",
    "find_cycles",
    "flow_graph",
    "outside_inflows",
    "own_money_share",
    "party_scores",
    "provenance",
    "scores_in_graph",
    "trace_in_graph",
]
