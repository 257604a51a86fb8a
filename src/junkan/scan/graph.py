"""The search graph: eligible transactions, restricted to strongly connected components, as a CSR by payer.

A transaction can lie on a cycle only if its payer and payee are in the same strongly connected component (SCC) of
the static graph of all eligible transactions; SCCs are computed once (Tarjan 1972, iterative, compiled with numba:
:func:`scc_labels`), not per start node as in networkx / igraph ``simple_cycles``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numba import njit

from junkan.scan.params import ScanParams
from junkan.scan.reader import TxnLedger


@dataclass(frozen=True)
class SearchGraph:
    """Transactions that can lie on a cycle, sorted by (payer, time, row), as CSR arrays.

    Attributes
    ----------
    out_ptr
        ``out_ptr[u]:out_ptr[u+1]`` are the positions of ``u``'s payments (int64, length ``n_accounts + 1``).
    src, dst
        Payer and payee per position (int32).
    t
        Timestamps per position (int64 ns), ascending within each payer.
    amount
        Amounts per position (float64).
    currency
        Currency code per position (int32).
    row
        Row of the ledger per position (int64).
    last_in
        Per account, the latest timestamp of a payment it receives in the graph (int64; minimum int64 if none).
    """

    out_ptr: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    t: np.ndarray
    amount: np.ndarray
    currency: np.ndarray
    row: np.ndarray
    last_in: np.ndarray

    @property
    def n_edges(self) -> int:
        """Number of transactions kept."""
        return len(self.t)


@njit(cache=True)
def scc_labels(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Strongly connected component of each of ``n`` nodes, for the edges ``src[i] -> dst[i]`` (Tarjan's algorithm
    with an explicit stack, so a long path cannot overflow the call stack). Labels are 0, 1, ... in the order the
    components complete; two nodes share a label exactly when each reaches the other."""
    ptr = np.zeros(n + 1, dtype=np.int64)
    for i in range(len(src)):
        ptr[src[i] + 1] += 1
    for v in range(n):
        ptr[v + 1] += ptr[v]
    fill = ptr[:-1].copy()
    adj = np.empty(len(src), dtype=np.int64)
    for i in range(len(src)):
        adj[fill[src[i]]] = dst[i]
        fill[src[i]] += 1
    index = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    on_stack = np.zeros(n, dtype=np.bool_)
    labels = np.full(n, -1, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)  # Tarjan's stack of visited nodes
    call = np.empty(n, dtype=np.int64)  # the depth-first path, and each node's next edge
    edge = np.empty(n, dtype=np.int64)
    sp = 0
    counter = 0
    n_comp = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack[sp] = root
        sp += 1
        on_stack[root] = True
        call[0], edge[0] = root, ptr[root]
        top = 1
        while top > 0:
            v = call[top - 1]
            if edge[top - 1] < ptr[v + 1]:
                w = adj[edge[top - 1]]
                edge[top - 1] += 1
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack[sp] = w
                    sp += 1
                    on_stack[w] = True
                    call[top], edge[top] = w, ptr[w]
                    top += 1
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                if low[v] == index[v]:
                    while True:
                        sp -= 1
                        w = stack[sp]
                        on_stack[w] = False
                        labels[w] = n_comp
                        if w == v:
                            break
                    n_comp += 1
                top -= 1
                if top > 0 and low[v] < low[call[top - 1]]:
                    low[call[top - 1]] = low[v]
    return labels


def eligible_mask(ledger: TxnLedger, params: ScanParams) -> np.ndarray:
    """Transactions the detectors consider: not self-payments, amount at least ``min_amount``."""
    keep = ledger.src != ledger.dst
    if params.min_amount > 0:
        keep &= ledger.amount >= params.min_amount
    return keep


def eligible_table(ledger: TxnLedger, params: ScanParams) -> pa.Table:
    """The ``tx(row, src, dst, t, amount, cur)`` table the pattern SQL runs on."""
    rows = np.flatnonzero(eligible_mask(ledger, params)).astype(np.int64)
    return pa.table(
        {
            "row": rows,
            "src": ledger.src[rows].astype(np.int64),
            "dst": ledger.dst[rows].astype(np.int64),
            "t": ledger.t[rows],
            "amount": ledger.amount[rows],
            "cur": ledger.currency[rows].astype(np.int64),
        }
    )


def build_search_graph(ledger: TxnLedger, params: ScanParams) -> SearchGraph:
    """Filter, restrict to SCCs and lay out the ledger for the cycle search."""
    n_acc = ledger.n_accounts
    rows = np.flatnonzero(eligible_mask(ledger, params))
    if len(rows):
        s, d = ledger.src[rows], ledger.dst[rows]
        label = scc_labels(n_acc, s, d)
        rows = rows[label[s] == label[d]]
    s = ledger.src[rows]
    t = ledger.t[rows]
    order = np.lexsort((rows, t, s))  # by payer, then time, then row
    rows = rows[order]
    src = ledger.src[rows]
    dst = ledger.dst[rows]
    tt = ledger.t[rows]
    counts = np.bincount(src, minlength=n_acc)
    out_ptr = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(counts, out=out_ptr[1:])
    last_in = np.full(n_acc, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_in, dst, tt)
    return SearchGraph(
        out_ptr=out_ptr,
        src=src.astype(np.int32, copy=False),
        dst=dst.astype(np.int32, copy=False),
        t=tt.astype(np.int64, copy=False),
        amount=ledger.amount[rows].astype(np.float64, copy=False),
        currency=ledger.currency[rows].astype(np.int32, copy=False),
        row=rows.astype(np.int64, copy=False),
        last_in=last_in,
    )
