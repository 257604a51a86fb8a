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


#: One payment of a layout, side by side: the counting sort writes each payment once, with one cache miss instead
#: of one per array, and the fields are then copied out to the arrays the kernels read.
_OUT_RECORD = np.dtype([("t", np.int64), ("amt", np.float64), ("row", np.int64), ("dkey", np.int64), ("dst", np.int64)])
_EV_RECORD = np.dtype([("t", np.int64), ("amt", np.float64), ("row", np.int64), ("other", np.int64), ("inc", np.bool_)])


@njit(cache=True)
def _layout(
    ksrc: np.ndarray,
    kdst: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    t: np.ndarray,
    amt: np.ndarray,
    row: np.ndarray,
    base: np.ndarray,
    n_keys: int,
    out: np.ndarray,
    ev: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both CSR layouts: a stable counting sort by key of the payments taken in ``base`` order (time, then row),
    each written straight to its place in ``out`` (and, made and received, in ``ev`` unless it is empty): the same
    order as a lexsort by (key, time, row), in O(n). Returns ``out_ptr``, ``ev_ptr`` and ``ev_cum_out``."""
    n = len(base)
    out_ptr = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(n):
        out_ptr[ksrc[i] + 1] += 1
    for k in range(n_keys):
        out_ptr[k + 1] += out_ptr[k]
    fill = out_ptr[:-1].copy()
    for j in range(n):
        i = base[j]
        p = fill[ksrc[i]]
        fill[ksrc[i]] += 1
        r = out[p]
        r.t, r.amt, r.row, r.dkey, r.dst = t[i], amt[i], row[i], kdst[i], dst[i]
    ev_ptr = np.zeros(n_keys + 1, dtype=np.int64)
    ev_cum_out = np.empty(len(ev), dtype=np.float64)
    if len(ev) == 0:
        return out_ptr, ev_ptr, ev_cum_out
    for i in range(n):
        ev_ptr[ksrc[i] + 1] += 1
        ev_ptr[kdst[i] + 1] += 1
    for k in range(n_keys):
        ev_ptr[k + 1] += ev_ptr[k]
    fill = ev_ptr[:-1].copy()
    for j in range(n):  # a payment's two events belong to different keys: their relative order does not matter
        i = base[j]
        p = fill[ksrc[i]]
        fill[ksrc[i]] += 1
        r = ev[p]
        r.t, r.amt, r.row, r.other, r.inc = t[i], amt[i], row[i], dst[i], False
        q = fill[kdst[i]]
        fill[kdst[i]] += 1
        r = ev[q]
        r.t, r.amt, r.row, r.other, r.inc = t[i], amt[i], row[i], src[i], True
    for k in range(n_keys):
        acc = 0.0
        for p in range(ev_ptr[k], ev_ptr[k + 1]):
            if not ev[p].inc:
                acc += ev[p].amt
            ev_cum_out[p] = acc
    return out_ptr, ev_ptr, ev_cum_out


def _time_order(t: np.ndarray) -> np.ndarray:
    """Positions in time order, ties in position (row) order; a ledger already in time order needs no sort."""
    if len(t) < 2 or bool((t[1:] >= t[:-1]).all()):
        return np.arange(len(t), dtype=np.int64)
    return np.argsort(t, kind="stable").astype(np.int64)


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
    out = np.empty(len(r), dtype=_OUT_RECORD)
    ev = np.empty(2 * len(r) if events else 0, dtype=_EV_RECORD)
    out_ptr, ev_ptr, ev_cum = _layout(ksrc, kdst, src, dst, t, amt, r, _time_order(t), n_keys, out, ev)  # r ascending

    def field(rec: np.ndarray, name: str) -> np.ndarray:
        return np.ascontiguousarray(rec[name])

    return FlowGraph(
        acct_of_key=acct_of_key,
        out_ptr=out_ptr,
        out_t=field(out, "t"),
        out_amt=field(out, "amt"),
        out_row=field(out, "row"),
        out_dkey=field(out, "dkey"),
        out_dst=field(out, "dst"),
        ev_ptr=ev_ptr,
        ev_t=field(ev, "t"),
        ev_amt=field(ev, "amt"),
        ev_row=field(ev, "row"),
        ev_in=field(ev, "inc"),
        ev_other=field(ev, "other"),
        ev_cum_out=ev_cum,
    )
