"""Compiled (numba) search for time-ordered cycles: a bounded depth-first search per start transaction.

For every transaction ``e1 = (u0 -> v, t1)`` of the :class:`~junkan.scan.graph.SearchGraph`, a depth-first search
walks payments in time order (each later than the one before, all by ``t1 + window``) with amounts within the
tolerance, never revisiting an account, and records a cycle whenever a payment returns to ``u0``. Out-payments of an
account are sorted by time, so the first candidate is found by binary search and the scan stops at the window's end;
an account's latest incoming payment bounds every path that must still return to it (2SCENT's closing-time idea,
Kumar & Calders, PVLDB 11(11), 2018). Start transactions are split into chunks run in parallel with ``prange``
(coarse-grained parallelism over start edges, Blanuša et al., ACM TOPC 2023). Two passes, count then fill, give
each start transaction its own slice of the output, so the result does not depend on thread scheduling.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import njit, prange

from junkan.scan.graph import SearchGraph
from junkan.scan.params import ScanParams


@njit(cache=True, nogil=True)
def _search_one(
    p: int,
    out_ptr: np.ndarray,
    dst: np.ndarray,
    src: np.ndarray,
    t: np.ndarray,
    amount: np.ndarray,
    currency: np.ndarray,
    last_in: np.ndarray,
    window: int,
    max_len: int,
    tol: float,
    path_e: np.ndarray,
    path_n: np.ndarray,
    pos: np.ndarray,
    out: np.ndarray,
    out_start: int,
    write: bool,
) -> int:
    u0 = src[p]
    t1 = t[p]
    t_close = last_in[u0]  # no path can return to u0 after its latest incoming payment
    t_end = t1 + window
    if t_close < t_end:
        t_end = t_close
    if t_end <= t1:
        return 0
    cur0 = currency[p]
    v = dst[p]
    path_e[0] = p
    path_n[0] = u0
    path_n[1] = v
    lo = out_ptr[v]
    hi = out_ptr[v + 1]
    pos[1] = lo + np.searchsorted(t[lo:hi], t1, side="right")
    depth = 1  # number of transactions on the path
    count = 0
    while depth >= 1:
        i = pos[depth]
        w = path_n[depth]
        if i >= out_ptr[w + 1] or t[i] > t_end:
            depth -= 1
            continue
        pos[depth] = i + 1
        prev = path_e[depth - 1]
        if currency[i] != cur0:
            continue
        if tol >= 0.0 and abs(amount[i] - amount[prev]) > tol * amount[prev]:
            continue
        x = dst[i]
        if x == u0:
            if write:
                k = out_start + count
                for j in range(depth):
                    out[k, j] = path_e[j]
                out[k, depth] = i
            count += 1
            continue
        if depth + 1 >= max_len:
            continue
        seen = False
        for j in range(depth + 1):
            if path_n[j] == x:
                seen = True
                break
        if seen:
            continue
        path_e[depth] = i
        depth += 1
        path_n[depth] = x
        lo = out_ptr[x]
        hi = out_ptr[x + 1]
        pos[depth] = lo + np.searchsorted(t[lo:hi], t[i], side="right")
    return count


@njit(cache=True, parallel=True)
def _run(
    out_ptr: np.ndarray,
    dst: np.ndarray,
    src: np.ndarray,
    t: np.ndarray,
    amount: np.ndarray,
    currency: np.ndarray,
    last_in: np.ndarray,
    window: int,
    max_len: int,
    tol: float,
    n_starts: int,
    n_chunks: int,
    offsets: np.ndarray,
    counts: np.ndarray,
    out: np.ndarray,
    write: bool,
) -> None:
    chunk = (n_starts + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        path_e = np.empty(max_len, dtype=np.int64)
        path_n = np.empty(max_len + 1, dtype=np.int64)
        pos = np.empty(max_len + 1, dtype=np.int64)
        lo = c * chunk
        hi = min(n_starts, lo + chunk)
        for p in range(lo, hi):
            if write and counts[p] == 0:
                continue  # nothing to write for this start
            n_found = _search_one(
                p,
                out_ptr,
                dst,
                src,
                t,
                amount,
                currency,
                last_in,
                window,
                max_len,
                tol,
                path_e,
                path_n,
                pos,
                out,
                offsets[p] if write else 0,
                write,
            )
            if not write:
                counts[p] = n_found


def find_cycles(graph: SearchGraph, params: ScanParams, *, n_threads: int | None = None) -> tuple[np.ndarray, bool]:
    """Run the compiled search.

    Parameters
    ----------
    graph
        The search graph (:func:`~junkan.scan.graph.build_search_graph`).
    params
        Scan settings.
    n_threads
        numba threads to use (default: all numba offers).

    Returns
    -------
    cycles, truncated
        Ledger rows of each cycle in path order, padded with -1, shape ``(n, max_len)``, sorted lexicographically;
        and whether ``params.max_cycles`` cut the list short (then the cycles of the earliest start transactions,
        in CSR order, are kept).
    """
    n = graph.n_edges
    max_len = params.max_len
    empty = np.full((0, max_len), -1, dtype=np.int64)
    if n == 0:
        return empty, False
    prev_threads = numba.get_num_threads()
    if n_threads is not None:
        numba.set_num_threads(max(1, min(n_threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1)))))
    try:
        n_chunks = int(min(n, max(1, numba.get_num_threads()) * 64))
        counts = np.zeros(n, dtype=np.int64)
        offsets = np.zeros(n, dtype=np.int64)
        args = (
            graph.out_ptr,
            graph.dst.astype(np.int64),
            graph.src.astype(np.int64),
            graph.t,
            graph.amount,
            graph.currency,
            graph.last_in,
            np.int64(params.window_ns),
            max_len,
            params.kernel_tolerance,
        )
        dummy = np.empty((0, max_len), dtype=np.int64)
        run: Any = _run
        run(*args, n, n_chunks, offsets, counts, dummy, False)
        total = int(counts.sum())
        truncated = total > params.max_cycles
        if truncated:  # keep whole start transactions until the cap is reached, then cut to the cap
            before = np.cumsum(counts) - counts
            counts = np.where(before < params.max_cycles, counts, 0)
            total = int(counts.sum())
        if total == 0:
            return empty, truncated
        offsets[1:] = np.cumsum(counts)[:-1]
        pos = np.full((total, max_len), -1, dtype=np.int64)
        run(*args, n, n_chunks, offsets, counts, pos, True)
    finally:
        numba.set_num_threads(prev_threads)
    if truncated:
        pos = pos[: params.max_cycles]
    rows = np.where(pos >= 0, graph.row[np.maximum(pos, 0)], -1)
    from junkan.scan.reference import sort_cycles

    return sort_cycles(rows), truncated
