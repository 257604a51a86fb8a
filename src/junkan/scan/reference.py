"""Pure-Python reference search for time-ordered cycles: slow, short, obviously correct.

It implements the definition in :mod:`junkan.scan.params` literally (a depth-first search from every transaction,
with no strongly-connected-component restriction and no pruning beyond the definition) and is the oracle the
compiled engine (:mod:`junkan.scan.kernel`) and the Spark engine are tested against.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from junkan.scan.params import ScanParams
from junkan.scan.reader import TxnLedger


def reference_cycles(ledger: TxnLedger, params: ScanParams) -> np.ndarray:
    """All time-ordered cycles, as ledger rows in path order, padded with -1 (shape ``(n, max_len)``, sorted).

    Parameters
    ----------
    ledger
        The transactions.
    params
        Window, length bound, tolerance and minimum amount (see :class:`~junkan.scan.params.ScanParams`).
    """
    tol = params.tolerance
    eligible = [
        r for r in range(len(ledger)) if ledger.src[r] != ledger.dst[r] and ledger.amount[r] >= params.min_amount
    ]
    out_edges: dict[int, list[int]] = defaultdict(list)
    for r in eligible:
        out_edges[int(ledger.src[r])].append(r)
    t = [int(x) for x in ledger.t]
    amt = [float(x) for x in ledger.amount]
    cur = [int(x) for x in ledger.currency]
    found: list[tuple[int, ...]] = []

    def extend(path: list[int], nodes: list[int], t_end: int) -> None:
        last = path[-1]
        here = int(ledger.dst[last])
        for r in out_edges.get(here, []):
            if not t[last] < t[r] <= t_end:
                continue
            if cur[r] != cur[path[0]]:
                continue
            if tol is not None and abs(amt[r] - amt[last]) > tol * amt[last]:
                continue
            nxt = int(ledger.dst[r])
            if nxt == nodes[0]:
                found.append((*path, r))
            elif nxt not in nodes and len(path) + 1 < params.max_len:
                extend([*path, r], [*nodes, nxt], t_end)

    for r in eligible:
        extend([r], [int(ledger.src[r]), int(ledger.dst[r])], t[r] + params.window_ns)

    return cycles_to_matrix(found, params.max_len)


def cycles_to_matrix(cycles: list[tuple[int, ...]], max_len: int) -> np.ndarray:
    """Pack cycles (tuples of rows) into a sorted ``(n, max_len)`` int64 matrix padded with -1."""
    m = np.full((len(cycles), max_len), -1, dtype=np.int64)
    for i, c in enumerate(cycles):
        m[i, : len(c)] = c
    return sort_cycles(m)


def sort_cycles(m: np.ndarray) -> np.ndarray:
    """Sort cycle rows lexicographically (first column first), the canonical order of all engines."""
    if len(m) == 0:
        return m
    order = np.lexsort(m.T[::-1])
    return m[order]
