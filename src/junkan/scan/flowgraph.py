"""The layout the scatter-gather, gather-scatter and fan kernels run on: payments as CSR arrays per (account, currency).

Amounts in different currencies are never added up or compared, so every account is split into one *key* per
currency it uses (with a single currency, key = account). Two CSR layouts, both sorted by ``(key, time, row)``:

- ``out_*``: each key's payments made (for scatter-gather: the origin's payments, then each intermediary's);
- ``ev_*``: each key's payments made *and* received, merged in time order (for gather-scatter's balance walk, the
  fans, and every key's turnover around a pattern).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from junkan.scan.graph import eligible_mask
from junkan.scan.params import ScanParams
from junkan.scan.reader import TxnLedger


@dataclass(frozen=True)
class FlowGraph:
    """Eligible payments laid out per key. All arrays are int64 / float64 / bool numpy arrays.

    Attributes
    ----------
    acct_of_key
        Account code of each key.
    out_ptr, out_t, out_amt, out_row, out_dkey, out_dst
        Payments made, by key: ``out_ptr[k]:out_ptr[k+1]`` are key ``k``'s, sorted by time then row; payee key and
        payee account per payment.
    ev_ptr, ev_t, ev_amt, ev_row, ev_in, ev_other
        Payments made and received, by key, sorted by time then row; ``ev_in`` is true for money received,
        ``ev_other`` is the counterparty account.
    ev_cum_out
        Per key, the running total of the amounts paid out: ``ev_cum_out[p]`` = paid out at the key's positions up to
        and including ``p`` (used only to stop a search early, never for a decision's value).
    """

    acct_of_key: np.ndarray
    out_ptr: np.ndarray
    out_t: np.ndarray
    out_amt: np.ndarray
    out_row: np.ndarray
    out_dkey: np.ndarray
    out_dst: np.ndarray
    ev_ptr: np.ndarray
    ev_t: np.ndarray
    ev_amt: np.ndarray
    ev_row: np.ndarray
    ev_in: np.ndarray
    ev_other: np.ndarray
    ev_cum_out: np.ndarray

    @property
    def n_keys(self) -> int:
        """Number of (account, currency) keys."""
        return len(self.acct_of_key)


@njit(cache=True)
def _segment_cumsum(x: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for k in range(len(ptr) - 1):
        acc = 0.0
        for p in range(ptr[k], ptr[k + 1]):
            acc += x[p]
            out[p] = acc
    return out


def _ptr(keys_sorted: np.ndarray, n_keys: int) -> np.ndarray:
    ptr = np.zeros(n_keys + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys_sorted, minlength=n_keys), out=ptr[1:])
    return ptr


def build_flow_graph(
    ledger: TxnLedger, params: ScanParams, rows: np.ndarray | None = None, *, events: bool = True
) -> FlowGraph:
    """Lay out the eligible payments (of ``rows`` only, when given) for the pattern kernels.

    Parameters
    ----------
    ledger
        The transactions.
    params
        Settings (``min_amount`` filters payments; self-payments are always left out).
    rows
        Optional subset of ledger rows (the Spark engine's candidates); the eligible ones among them are used.
    events
        Build the merged ``ev_*`` layout too (gather-scatter and fans need it, scatter-gather does not).
    """
    keep = eligible_mask(ledger, params)
    if rows is not None:
        sub = np.zeros(len(ledger), dtype=bool)
        sub[np.asarray(rows, dtype=np.int64)] = True
        keep &= sub
    r = np.flatnonzero(keep).astype(np.int64)
    src = ledger.src[r].astype(np.int64)
    dst = ledger.dst[r].astype(np.int64)
    cur = ledger.currency[r].astype(np.int64)
    t = ledger.t[r].astype(np.int64)
    amt = ledger.amount[r].astype(np.float64)
    n_cur = int(cur.max()) + 1 if len(cur) else 1
    if n_cur == 1:
        n_keys = int(ledger.n_accounts)
        acct_of_key = np.arange(n_keys, dtype=np.int64)
        ksrc, kdst = src, dst
    else:
        codes, inv = np.unique(np.concatenate([src * n_cur + cur, dst * n_cur + cur]), return_inverse=True)
        acct_of_key = (codes // n_cur).astype(np.int64)
        n_keys = len(codes)
        ksrc, kdst = inv[: len(r)].astype(np.int64), inv[len(r) :].astype(np.int64)
    order = np.lexsort((r, t, ksrc))
    out_ptr = _ptr(ksrc[order], n_keys)
    if events:
        ek = np.concatenate([ksrc, kdst])
        et = np.concatenate([t, t])
        er = np.concatenate([r, r])
        eo = np.lexsort((er, et, ek))
        ev_in = np.concatenate([np.zeros(len(r), dtype=bool), np.ones(len(r), dtype=bool)])[eo]
        ev_amt = np.concatenate([amt, amt])[eo]
        ev_ptr = _ptr(ek[eo], n_keys)
        ev_other = np.concatenate([dst, src])[eo]
        ev_t, ev_row = et[eo], er[eo]
        ev_cum_out = _segment_cumsum(np.where(ev_in, 0.0, ev_amt), ev_ptr)
    else:
        ev_ptr = np.zeros(n_keys + 1, dtype=np.int64)
        ev_t = ev_row = ev_other = np.zeros(0, dtype=np.int64)
        ev_amt = np.zeros(0)
        ev_in = np.zeros(0, dtype=bool)
        ev_cum_out = np.zeros(0)
    return FlowGraph(
        acct_of_key=acct_of_key,
        out_ptr=out_ptr,
        out_t=t[order],
        out_amt=amt[order],
        out_row=r[order],
        out_dkey=kdst[order],
        out_dst=dst[order],
        ev_ptr=ev_ptr,
        ev_t=ev_t,
        ev_amt=ev_amt,
        ev_row=ev_row,
        ev_in=ev_in,
        ev_other=ev_other,
        ev_cum_out=ev_cum_out,
    )
