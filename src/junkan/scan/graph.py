"""The search graph: eligible transactions, restricted to strongly connected components, as a CSR by payer.

A transaction can lie on a cycle only if its payer and payee are in the same strongly connected component (SCC) of
the static graph of all eligible transactions; SCCs are computed once (Tarjan's algorithm via
``scipy.sparse.csgraph.connected_components``), not per start node as in networkx / igraph ``simple_cycles``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

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
        adj = coo_matrix((np.ones(len(rows), dtype=np.int8), (s, d)), shape=(n_acc, n_acc)).tocsr()
        _, label = connected_components(adj, directed=True, connection="strong")
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
