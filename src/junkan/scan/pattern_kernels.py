"""Compiled (numba) scatter-gather, gather-scatter, fan-out and fan-in: one sweep per (account, currency) key.

The definitions are in :mod:`junkan.scan.patterns`; :mod:`junkan.scan.pattern_reference` is the literal version the
tests hold these kernels to (exactly the same hits). Every key is independent, so the keys run in parallel
(``prange``) in two passes: the first counts each key's hits, rows and accounts, the second writes them at offsets
given by prefix sums, re-running only the keys that had hits. The output does not depend on thread scheduling.

Layout: :class:`~junkan.scan.flowgraph.FlowGraph` (CSR per key, sorted by time then row). Early stops that do not
change any result: a gather-scatter walk stops as soon as the money still to be paid out within the window cannot
bring the balance down to the tolerance (the bound uses per-key running totals with a safety margin).
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import njit, prange

from junkan.scan.flowgraph import FlowGraph
from junkan.scan.hits import PatternHit
from junkan.scan.params import BASELINE_MIN_PAYMENTS, ScanParams

SG, GS, FAN_OUT, FAN_IN = 0, 1, 2, 3
_NAMES = {SG: "scatter-gather", GS: "gather-scatter", FAN_OUT: "fan-out", FAN_IN: "fan-in"}


@njit(cache=True)
def _n_unique_sorted(x: np.ndarray, n: int) -> int:
    if n == 0:
        return 0
    u = 1
    for i in range(1, n):
        if x[i] != x[i - 1]:
            u += 1
    return u


@njit(cache=True)
def _turnover(ev_t: np.ndarray, ev_amt: np.ndarray, lo: int, hi: int, t_from: int, t_to: int) -> float:
    a = lo + np.searchsorted(ev_t[lo:hi], t_from, side="left")
    total = 0.0
    for p in range(a, hi):
        if ev_t[p] > t_to:
            break
        total += ev_amt[p]
    return total


@njit(cache=True)
def _sum_sorted_rows(rows: np.ndarray, n: int, amount_of_row: np.ndarray, pos: np.ndarray) -> float:
    """Sum ``amount_of_row[pos[i]]`` over unique ``rows[:n]`` (sorted ascending, pos aligned with rows)."""
    total = 0.0
    for i in range(n):
        if i == 0 or rows[i] != rows[i - 1]:
            total += amount_of_row[pos[i]]
    return total


@njit(cache=True)
def _rows_of_legs(
    leg: np.ndarray,
    sel: np.ndarray,
    ns: int,
    row_of: np.ndarray,
    amount_of_row: np.ndarray,
    rows: np.ndarray,
    pos: np.ndarray,
) -> tuple[float, int]:
    """Total and count of the unique rows ``row_of[leg[sel[:ns]]]``; leaves them sorted in ``rows[:ns]``.

    ``pos[:ns]`` receives the payment positions aligned with the sorted rows (scratch, as ``rows``).
    """
    for i in range(ns):
        rows[i] = row_of[leg[sel[i]]]
    srt = np.argsort(rows[:ns])
    for i in range(ns):
        pos[i] = leg[sel[srt[i]]]
        rows[i] = row_of[pos[i]]
    return _sum_sorted_rows(rows, ns, amount_of_row, pos), _n_unique_sorted(rows, ns)


@njit(cache=True)
def _put_unique_sorted(x: np.ndarray, n: int, out: np.ndarray, w: int) -> int:
    """Write the distinct values of sorted ``x[:n]`` to ``out`` from position ``w`` on; return the next free one."""
    for i in range(n):
        if i == 0 or x[i] != x[i - 1]:
            out[w] = x[i]
            w += 1
    return w


@njit(cache=True)
def _sort_spread(who: np.ndarray, amt: np.ndarray, n: int, k: int) -> int:
    """Sort ``who[:n]`` in place; return the number of distinct counterparties, or 0 if the money is not spread.

    Spread: per-counterparty totals ``x`` (added in time order) have ``(sum x)^2 >= (k - 1) * sum x^2``, i.e. the
    effective number of counterparties ``1 / HHI`` is at least ``k - 1``. Totals are taken in ascending account order.
    """
    order = np.argsort(who[:n], kind="mergesort")
    tot = 0.0
    tot2 = 0.0
    u = 0
    x = 0.0
    for i in range(n):
        if i > 0 and who[order[i]] != who[order[i - 1]]:
            tot += x
            tot2 += x * x
            x = 0.0
        if i == 0 or who[order[i]] != who[order[i - 1]]:
            u += 1
        x += amt[order[i]]
    tot += x
    tot2 += x * x
    srt = who[order]
    who[:n] = srt
    if n == 0 or tot * tot < (k - 1) * tot2:
        return 0
    return u


@njit(cache=True)
def _sg_key(
    o: int,
    g: Any,
    ev: Any,
    window: int,
    k: int,
    tol: float,
    share: float,
    write: bool,
    hit0: int,
    row0: int,
    acc0: int,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
) -> tuple[int, int, int]:
    (out_ptr, out_t, out_amt, out_row, out_dkey, out_dst, acct_of_key) = g
    lo = out_ptr[o]
    hi = out_ptr[o + 1]
    if hi - lo < k:
        return 0, 0, 0
    npaths = 0
    for e1 in range(lo, hi):
        m = out_dkey[e1]
        t1 = out_t[e1]
        mlo = out_ptr[m]
        mhi = out_ptr[m + 1]
        j = mlo + np.searchsorted(out_t[mlo:mhi], t1, side="right")
        while j < mhi and out_t[j] <= t1 + window:
            if tol < 0.0 or abs(out_amt[j] - out_amt[e1]) <= tol * out_amt[e1]:
                npaths += 1
            j += 1
    if npaths < k:
        return 0, 0, 0
    pb = np.empty(npaths, dtype=np.int64)
    pe1 = np.empty(npaths, dtype=np.int64)
    pe2 = np.empty(npaths, dtype=np.int64)
    q = 0
    for e1 in range(lo, hi):
        m = out_dkey[e1]
        t1 = out_t[e1]
        mlo = out_ptr[m]
        mhi = out_ptr[m + 1]
        j = mlo + np.searchsorted(out_t[mlo:mhi], t1, side="right")
        while j < mhi and out_t[j] <= t1 + window:
            if tol < 0.0 or abs(out_amt[j] - out_amt[e1]) <= tol * out_amt[e1]:
                pb[q] = out_dkey[j]
                pe1[q] = e1
                pe2[q] = j
                q += 1
            j += 1
    order = np.argsort(pb, kind="mergesort")  # by payee b; within b, as generated: by t1 (then row, t2, row)
    o_acct = acct_of_key[o]
    n_hits = 0
    n_rows = 0
    n_acc = 0
    used = np.zeros(npaths, dtype=np.bool_)
    sel = np.empty(npaths, dtype=np.int64)
    tmp = np.empty(npaths, dtype=np.int64)
    tmp2 = np.empty(npaths, dtype=np.int64)
    posr = np.empty(npaths, dtype=np.int64)
    gs = 0
    while gs < npaths:
        b = pb[order[gs]]
        ge = gs
        while ge < npaths and pb[order[ge]] == b:
            ge += 1
        g_n = ge - gs
        if g_n >= k:
            for i in range(g_n):
                tmp[i] = out_dst[pe1[order[gs + i]]]
            tmp[:g_n].sort()
            if _n_unique_sorted(tmp, g_n) >= k:
                a = gs
                while a < ge:
                    if used[order[a]]:
                        a += 1
                        continue
                    t0 = out_t[pe1[order[a]]]
                    ns = 0
                    for jj in range(a, ge):
                        p = order[jj]
                        if out_t[pe1[p]] > t0 + window:
                            break
                        if not used[p] and out_t[pe2[p]] <= t0 + window:
                            sel[ns] = p
                            ns += 1
                    for i in range(ns):
                        tmp[i] = out_dst[pe1[sel[i]]]
                    tmp[:ns].sort()
                    n_mid = _n_unique_sorted(tmp, ns)
                    ok = n_mid >= k
                    out_sum = 0.0
                    in_sum = 0.0
                    n_out = 0
                    n_in = 0
                    if ok:
                        out_sum, n_out = _rows_of_legs(pe1, sel, ns, out_row, out_amt, tmp2, posr)
                        in_sum, n_in = _rows_of_legs(pe2, sel, ns, out_row, out_amt, tmp2, posr)
                        if tol >= 0.0 and abs(in_sum - out_sum) > tol * out_sum:
                            ok = False
                    if ok and share > 0.0:  # origin and payee together: little else around the pattern
                        ev_ptr, ev_t, ev_amt = ev[0], ev[1], ev[2]
                        t_first = out_t[pe1[sel[0]]]
                        t_last = out_t[pe2[sel[0]]]
                        for i in range(ns):
                            t_first = min(t_first, out_t[pe1[sel[i]]])
                            t_last = max(t_last, out_t[pe2[sel[i]]])
                        lo_t = t_first - window
                        hi_t = t_last + window
                        turn_o = _turnover(ev_t, ev_amt, ev_ptr[o], ev_ptr[o + 1], lo_t, hi_t)
                        if b != o:
                            turn_o += _turnover(ev_t, ev_amt, ev_ptr[b], ev_ptr[b + 1], lo_t, hi_t)
                        ok = out_sum + in_sum >= share * turn_o
                    if ok:
                        for i in range(ns):
                            used[sel[i]] = True
                        nr = n_out + n_in
                        na = 1 + n_mid + (0 if b == o else 1)
                        if write:
                            h = hit0 + n_hits
                            hit_nrows[h] = nr
                            hit_nacc[h] = na
                            hit_share[h] = in_sum / out_sum
                            w = row0 + n_rows
                            for i in range(ns):  # unique scatter rows, then unique gather rows
                                tmp2[i] = out_row[pe1[sel[i]]]
                            tmp2[:ns].sort()
                            w = _put_unique_sorted(tmp2, ns, out_rows, w)
                            for i in range(ns):
                                tmp2[i] = out_row[pe2[sel[i]]]
                            tmp2[:ns].sort()
                            w = _put_unique_sorted(tmp2, ns, out_rows, w)
                            w = acc0 + n_acc
                            out_acc[w] = o_acct
                            w += 1
                            w = _put_unique_sorted(tmp, ns, out_acc, w)
                            if b != o:
                                out_acc[w] = acct_of_key[b]
                        n_hits += 1
                        n_rows += nr
                        n_acc += na
                    else:
                        for jj in range(a, ge):
                            p = order[jj]
                            if out_t[pe1[p]] != t0:
                                break
                            used[p] = True
                    a += 1
        gs = ge
    return n_hits, n_rows, n_acc


@njit(cache=True)
def _large_for_account(
    ev_amt: np.ndarray, ev_in_part: np.ndarray, lo: int, hi: int, buf: np.ndarray, threshold: float
) -> bool:
    """Baseline test of :func:`junkan.scan.pattern_reference.large_for_account`: ``ev_in_part[p - lo]`` marks the
    pattern's positions among the key's ``lo:hi``; the rest are the account's other payments (sorted into ``buf``)."""
    n_oth = 0
    m = 0
    for p in range(lo, hi):
        if ev_in_part[p - lo]:
            m += 1
        else:
            buf[n_oth] = ev_amt[p]
            n_oth += 1
    if n_oth < BASELINE_MIN_PAYMENTS:
        return True
    srt = np.sort(buf[:n_oth])
    u2 = 0
    for p in range(lo, hi):
        if ev_in_part[p - lo]:
            a = ev_amt[p]
            below = np.searchsorted(srt, a, side="left")
            upto = np.searchsorted(srt, a, side="right")
            u2 += 2 * below + (upto - below)
    return float(u2) >= 2.0 * threshold * float(m) * float(n_oth)


@njit(cache=True)
def _gs_key(
    h: int,
    g: Any,
    window: int,
    k: int,
    tol: float,
    share: float,
    materiality: float,
    baseline: float,
    write: bool,
    hit0: int,
    row0: int,
    acc0: int,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
) -> tuple[int, int, int]:
    (ev_ptr, ev_t, ev_amt, ev_row, ev_in, ev_other, ev_cum_out, acct_of_key) = g
    lo = ev_ptr[h]
    hi = ev_ptr[h + 1]
    n_in = 0
    for p in range(lo, hi):
        if ev_in[p]:
            n_in += 1
    if n_in < k or (hi - lo) - n_in < k:
        return 0, 0, 0
    snd = np.empty(hi - lo, dtype=np.int64)
    rcv = np.empty(hi - lo, dtype=np.int64)
    sam = np.empty(hi - lo)
    ram = np.empty(hi - lo)
    in_part = np.zeros(hi - lo, dtype=np.bool_)
    buf = np.empty(hi - lo)
    n_hits = 0
    n_rows = 0
    n_acc = 0
    i = lo
    while i < hi:
        if not ev_in[i]:
            i += 1
            continue
        s = ev_t[i]
        floor = materiality * ev_amt[i]  # smaller payments are immaterial to this walk
        last = lo + np.searchsorted(ev_t[lo:hi], s + window, side="right") - 1  # last position inside the window
        bal = 0.0
        peak = 0.0
        absum = 0.0
        end = -1
        for j in range(i, last + 1):
            a = ev_amt[j]
            if a < floor:
                continue
            absum += a
            if ev_in[j]:
                bal += a
                if bal > peak:
                    peak = bal
                # the balance can only come down by what is still paid out in the window (see run_pattern); the
                # margin covers rounding in the running totals
                rest = ev_cum_out[last] - ev_cum_out[j]
                if tol <= 1.0 and bal - tol * peak > rest + 1e-6 * (absum + ev_cum_out[last]) + 1e-6:
                    break
            else:
                bal -= a
                if bal <= tol * peak:
                    end = j
                    break
        if end < 0:
            i += 1
            continue
        gathered = 0.0
        scattered = 0.0
        ns = 0
        nr = 0
        for p in range(i, end + 1):
            if ev_amt[p] < floor:
                continue
            if ev_in[p]:
                gathered += ev_amt[p]
                snd[ns] = ev_other[p]
                sam[ns] = ev_amt[p]
                ns += 1
            else:
                scattered += ev_amt[p]
                rcv[nr] = ev_other[p]
                ram[nr] = ev_amt[p]
                nr += 1
        ok = abs(scattered - gathered) <= tol * gathered and peak >= (1.0 - tol) * gathered
        n_snd = 0
        n_rcv = 0
        if ok:
            n_snd = _sort_spread(snd, sam, ns, k)
            n_rcv = _sort_spread(rcv, ram, nr, k)
            ok = n_snd >= k and n_rcv >= k
        if ok:  # senders and receivers disjoint (merge of two sorted lists)
            x = 0
            y = 0
            while x < ns and y < nr:
                if snd[x] == rcv[y]:
                    ok = False
                    break
                if snd[x] < rcv[y]:
                    x += 1
                else:
                    y += 1
        if ok and share > 0.0:
            ok = gathered + scattered >= share * _turnover(ev_t, ev_amt, lo, hi, s - window, ev_t[end] + window)
        if ok and baseline > 0.0:
            for p in range(i, end + 1):
                in_part[p - lo] = ev_amt[p] >= floor
            ok = _large_for_account(ev_amt, in_part, lo, hi, buf, baseline)
            for p in range(i, end + 1):
                in_part[p - lo] = False
        if ok:
            nrow = ns + nr
            na = 1 + n_snd + n_rcv
            if write:
                hh = hit0 + n_hits
                hit_nrows[hh] = nrow
                hit_nacc[hh] = na
                hit_share[hh] = scattered / gathered
                x = row0 + n_rows
                for p in range(i, end + 1):
                    if ev_amt[p] >= floor:
                        out_rows[x] = ev_row[p]
                        x += 1
                w = acc0 + n_acc
                out_acc[w] = acct_of_key[h]
                w += 1
                w = _put_unique_sorted(snd, ns, out_acc, w)
                _put_unique_sorted(rcv, nr, out_acc, w)
            n_hits += 1
            n_rows += nrow
            n_acc += na
            i = end + 1
        else:
            i += 1
    return n_hits, n_rows, n_acc


@njit(cache=True)
def _fan_key(
    h: int,
    g: Any,
    window: int,
    k: int,
    tol: float,
    share: float,
    want_in: bool,
    write: bool,
    hit0: int,
    row0: int,
    acc0: int,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
) -> tuple[int, int, int]:
    (ev_ptr, ev_t, ev_amt, ev_row, ev_in, ev_other, _, acct_of_key) = g
    lo = ev_ptr[h]
    hi = ev_ptr[h + 1]
    n_dir = 0
    for p in range(lo, hi):
        if ev_in[p] == want_in:
            n_dir += 1
    if n_dir < k:
        return 0, 0, 0
    used = np.zeros(hi - lo, dtype=np.bool_)
    sel = np.empty(n_dir, dtype=np.int64)
    oth = np.empty(n_dir, dtype=np.int64)
    n_hits = 0
    n_rows = 0
    n_acc = 0
    for i in range(lo, hi):
        if ev_in[i] != want_in or used[i - lo]:
            continue
        t0 = ev_t[i]
        a0 = ev_amt[i]
        ns = 0
        for j in range(i, hi):
            if ev_t[j] > t0 + window:
                break
            if ev_in[j] != want_in or used[j - lo]:
                continue
            if tol >= 0.0 and abs(ev_amt[j] - a0) > tol * a0:
                continue
            sel[ns] = j
            oth[ns] = ev_other[j]
            ns += 1
        ok = ns >= k
        n_oth = 0
        if ok:
            oth[:ns].sort()
            n_oth = _n_unique_sorted(oth, ns)
            ok = n_oth >= k
        if ok and share > 0.0:
            fan_sum = 0.0
            for x in range(ns):
                fan_sum += ev_amt[sel[x]]
            ok = fan_sum >= share * _turnover(ev_t, ev_amt, lo, hi, t0 - window, ev_t[sel[ns - 1]] + window)
        if ok:
            for x in range(ns):
                used[sel[x] - lo] = True
            na = 1 + n_oth
            if write:
                hh = hit0 + n_hits
                hit_nrows[hh] = ns
                hit_nacc[hh] = na
                hit_share[hh] = np.nan
                for x in range(ns):
                    out_rows[row0 + n_rows + x] = ev_row[sel[x]]
                w = acc0 + n_acc
                out_acc[w] = acct_of_key[h]
                w += 1
                _put_unique_sorted(oth, ns, out_acc, w)
            n_hits += 1
            n_rows += ns
            n_acc += na
        else:
            used[i - lo] = True
    return n_hits, n_rows, n_acc


@njit(cache=True)
def _one_key(
    kind: int,
    key: int,
    sg: Any,
    ev: Any,
    window: int,
    k: int,
    tol: float,
    flow_tol: float,
    share: float,
    share_sg: float,
    materiality: float,
    baseline: float,
    write: bool,
    hit0: int,
    row0: int,
    acc0: int,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
) -> tuple[int, int, int]:
    if kind == 0:
        return _sg_key(key, sg, ev, window, k, tol, share_sg, write, hit0, row0, acc0, hit_nrows, hit_nacc, hit_share,
                       out_rows, out_acc)  # fmt: skip
    if kind == 1:
        return _gs_key(key, ev, window, k, flow_tol, share, materiality, baseline, write, hit0, row0, acc0, hit_nrows,
                       hit_nacc, hit_share, out_rows, out_acc)  # fmt: skip
    return _fan_key(key, ev, window, k, tol, share, kind == 3, write, hit0, row0, acc0, hit_nrows, hit_nacc,
                    hit_share, out_rows, out_acc)  # fmt: skip


@njit(cache=True, parallel=True)
def _run(
    kind: int,
    n_keys: int,
    sg: Any,
    ev: Any,
    window: int,
    k: int,
    tol: float,
    flow_tol: float,
    share: float,
    share_sg: float,
    materiality: float,
    baseline: float,
    counts: np.ndarray,
    offsets: np.ndarray,
    write: bool,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
) -> None:
    for key in prange(n_keys):
        if write:
            if counts[key, 0] > 0:
                o0, o1, o2 = offsets[key, 0], offsets[key, 1], offsets[key, 2]
                _one_key(kind, key, sg, ev, window, k, tol, flow_tol, share, share_sg, materiality, baseline, True, o0,
                         o1, o2, hit_nrows, hit_nacc, hit_share, out_rows, out_acc)  # fmt: skip
        else:
            c = _one_key(kind, key, sg, ev, window, k, tol, flow_tol, share, share_sg, materiality, baseline, False, 0,
                         0, 0, hit_nrows, hit_nacc, hit_share, out_rows, out_acc)  # fmt: skip
            counts[key, 0] = c[0]
            counts[key, 1] = c[1]
            counts[key, 2] = c[2]


def run_pattern(kind: str, graph: FlowGraph, params: ScanParams) -> list[PatternHit]:
    """Hits of one pattern (``"scatter-gather"``, ``"gather-scatter"``, ``"fan-out"`` or ``"fan-in"``), by key order.

    Rows of each hit are in time order (then row order); accounts as in :class:`~junkan.scan.hits.PatternHit`.

    Early stop of the gather-scatter walk: with balance ``B`` and peak ``P`` after payment ``j``, later payments in
    ``I_f`` and out ``O_f`` give ``B' = B + I_f - O_f`` and ``P' <= P + I_f``; the walk ends only if
    ``B' <= tol * P'``, which needs ``O_f >= B - tol * P + (1 - tol) * I_f >= B - tol * P`` (for ``tol <= 1``).
    So when everything still paid out in the window is less than ``B - tol * P``, no end can come: the walk stops.
    """
    code = {v: c for c, v in _NAMES.items()}[kind]
    n_keys = graph.n_keys
    sg = (graph.out_ptr, graph.out_t, graph.out_amt, graph.out_row, graph.out_dkey, graph.out_dst, graph.acct_of_key)
    ev = (graph.ev_ptr, graph.ev_t, graph.ev_amt, graph.ev_row, graph.ev_in, graph.ev_other, graph.ev_cum_out,
          graph.acct_of_key)  # fmt: skip
    if len(graph.ev_t) == 0 and len(graph.out_t) > 0 and (code != SG or params.min_share_sg > 0):
        raise ValueError("this pattern needs the flow graph built with events=True")
    counts = np.zeros((n_keys, 3), dtype=np.int64)
    e_i = np.zeros(0, dtype=np.int64)
    e_f = np.zeros(0)
    args = (int(params.window_ns), int(params.min_fan), params.kernel_tolerance, params.flow_tolerance,
            float(params.min_share), float(params.min_share_sg), float(params.materiality),
            float(params.min_baseline))  # fmt: skip
    run: Any = _run
    run(code, n_keys, sg, ev, *args, counts, counts, False, e_i, e_i, e_f, e_i, e_i)
    totals = counts.sum(axis=0)
    if totals[0] == 0:
        return []
    offsets = np.zeros_like(counts)
    offsets[1:] = np.cumsum(counts, axis=0)[:-1]
    hit_nrows = np.zeros(totals[0], dtype=np.int64)
    hit_nacc = np.zeros(totals[0], dtype=np.int64)
    hit_share = np.zeros(totals[0])
    out_rows = np.zeros(totals[1], dtype=np.int64)
    out_acc = np.zeros(totals[2], dtype=np.int64)
    run(code, n_keys, sg, ev, *args, counts, offsets, True, hit_nrows, hit_nacc, hit_share, out_rows, out_acc)
    return _to_hits(kind, hit_nrows, hit_nacc, hit_share, out_rows, out_acc, graph)


def _to_hits(
    kind: str,
    hit_nrows: np.ndarray,
    hit_nacc: np.ndarray,
    hit_share: np.ndarray,
    out_rows: np.ndarray,
    out_acc: np.ndarray,
    graph: FlowGraph,
) -> list[PatternHit]:
    hit_of_row = np.repeat(np.arange(len(hit_nrows)), hit_nrows)
    if kind == "scatter-gather":  # rows in time order, then row order (the kernel writes them by row)
        t_of_row = np.zeros(int(max(out_rows.max(), graph.out_row.max())) + 1, dtype=np.int64)
        t_of_row[graph.out_row] = graph.out_t
        out_rows = out_rows[np.lexsort((out_rows, t_of_row[out_rows], hit_of_row))]
    r_ptr = np.concatenate([[0], np.cumsum(hit_nrows)])
    a_ptr = np.concatenate([[0], np.cumsum(hit_nacc)])
    rows_l = out_rows.tolist()
    acc_l = out_acc.tolist()
    share_l = hit_share.tolist()
    hits = []
    for i in range(len(hit_nrows)):
        share = share_l[i]
        hits.append(
            PatternHit(
                kind,
                tuple(rows_l[r_ptr[i] : r_ptr[i + 1]]),
                tuple(acc_l[a_ptr[i] : a_ptr[i + 1]]),
                None if share != share else share,
            )
        )
    return hits


def set_threads(n_threads: int | None) -> int:
    """Set numba's thread count (capped at what numba offers) and return the previous one."""
    prev = numba.get_num_threads()
    if n_threads is not None:
        numba.set_num_threads(max(1, min(n_threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1)))))
    return int(prev)
