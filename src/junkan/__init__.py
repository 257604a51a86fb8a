"""junkan (循環, "circulation"): follow money around the loop.

``junkan.load(name_or_path)`` returns a :class:`~junkan.ledger.Ledger` from a bundled dataset name
(``"ai-compute"``, ``"lucent-2000"``, ...), a directory of YAML files or a CSV file. The ledger is data only; each
analysis is a function of a ledger in its package, re-exported here under a short name:

=====================  ==============================================  ==========================================
``junkan.``            is                                              returns
=====================  ==============================================  ==========================================
``flow_graph``         :func:`junkan.flows.flow_graph`                 the money-flow network
``cycles``             :func:`junkan.flows.find_cycles`                cycles of the network, optional null model
``trace``              :func:`junkan.flows.own_money_share`            one party's origins and own-money share
``provenance``         :func:`junkan.flows.provenance`                 every party's own-money share
``exposure``           :func:`junkan.flows.exposure`                   vendor financing, concentration, commitments
``circularity``        :func:`junkan.flows.circularity`                the web's circularity index (CDFD)
``scorecard``          :func:`junkan.assess.scorecard`                 circular trading vs market creation
``run_stress``         :func:`junkan.stress.run_stress`                the ecosystem Monte Carlo stress test
=====================  ==============================================  ==========================================

The names are the functions themselves (same signature and documentation), imported on first use so that
``import junkan`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from junkan.assess import scorecard
    from junkan.flows import circularity, exposure, flow_graph, provenance
    from junkan.flows import find_cycles as cycles
    from junkan.flows import own_money_share as trace
    from junkan.ledger.model import Ledger
    from junkan.stress import run_stress

#: short name -> (module, function) of each analysis re-exported from ``junkan``
_ANALYSES: dict[str, tuple[str, str]] = {
    "flow_graph": ("junkan.flows.graph", "flow_graph"),
    "cycles": ("junkan.flows.cycles", "find_cycles"),
    "trace": ("junkan.flows.provenance", "own_money_share"),
    "provenance": ("junkan.flows.provenance", "provenance"),
    "exposure": ("junkan.flows.exposure", "exposure"),
    "circularity": ("junkan.flows.circularity", "circularity"),
    "scorecard": ("junkan.assess.scorecard", "scorecard"),
    "run_stress": ("junkan.stress.ecosystem.montecarlo", "run_stress"),
}


def load(name_or_path: str | Path) -> Ledger:
    """Load a dataset by bundled name or path (see :func:`junkan.ledger.load.load`)."""
    from junkan.ledger.load import load as _load

    return _load(name_or_path)


def __getattr__(name: str) -> Any:
    """Import an analysis function on first use (PEP 562), so that ``import junkan`` loads no analysis."""
    try:
        module, attr = _ANALYSES[name]
    except KeyError:
        raise AttributeError(f"module 'junkan' has no attribute {name!r}") from None
    fn = getattr(import_module(module), attr)
    globals()[name] = fn
    return fn


def __dir__() -> list[str]:
    return sorted([*globals(), *_ANALYSES])


__all__ = [
    "__version__",
    "circularity",
    "cycles",
    "exposure",
    "flow_graph",
    "load",
    "provenance",
    "run_stress",
    "scorecard",
    "trace",
]
