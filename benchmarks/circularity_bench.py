"""Benchmark: the circularity index on random networks against a general LP solver, and the uncertainty draws.

Run::

    .venv/bin/python benchmarks/circularity_bench.py [--nodes 10000] [--edges 100000] [--lp-limit 120] [--draws 1000]
        [--no-draws]

Networks: ``edges`` directed edges between uniformly random distinct endpoints (duplicates merged), log-normal
amounts (sigma 1.5), seed 1. Rows:

* ``junkan max``: :func:`junkan.flows.circularity.max_circulation` (a minimum-cost circulation, unit cost -1 per
  edge, per strongly connected component, by OR-tools' ``SimpleMinCostFlow`` on capacities scaled to 2**60);
* ``general LP``: the same decomposition posed as the paper's minimum-cost directional flow (``min sum D`` subject to
  ``B D = B W``, ``0 <= D <= W``) and handed as it is to ``scipy.optimize.linprog(method="highs")``, with a time
  limit; both must give the same index (the relative difference is printed);
* ``LP on SCC edges``: the maximum circulation as a linear programme on the edges inside strongly connected
  components, weights scaled to <= 1, HiGHS via scipy (junkan's method before the min-cost flow);
* ``junkan bff``: :func:`junkan.flows.circularity.bff_circulation` on 200 x 2,000 and 1,000 x 10,000 networks;
* ``uncertainty`` (skipped with ``--no-draws``): :func:`junkan.flows.uncertainty.share_draws`, ``--draws`` draws of
  the own-money shares of every party of the bundled ``ai-compute`` network (batched), and the circularity index
  over 100 draws.
Best of ``--repeat`` runs (default 2) after one warm-up of the small case; the load average is printed before and
after.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np


def random_network(n: int, m: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = rng.integers(0, n, m)
    dst = rng.integers(0, n, m)
    keep = src != dst
    key = np.unique(src[keep] * n + dst[keep])
    return key // n, key % n, rng.lognormal(0.0, 1.5, key.size)


def general_lp(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray, limit: float) -> tuple[float | None, str]:
    from scipy import sparse
    from scipy.optimize import linprog

    m = w.size
    inc = sparse.csc_matrix((np.r_[np.ones(m), -np.ones(m)], (np.r_[src, dst], np.r_[np.arange(m), np.arange(m)])))
    net = np.asarray(inc @ w).ravel()
    res = linprog(
        np.ones(m), A_eq=inc, b_eq=net, bounds=np.c_[np.zeros(m), w], method="highs", options={"time_limit": limit}
    )
    if res.status != 0:
        return None, str(res.message)
    return float(1.0 - res.fun / w.sum()), "optimal"


def scc_lp(n: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> float:
    from scipy import sparse
    from scipy.optimize import linprog
    from scipy.sparse.csgraph import connected_components

    g = sparse.csr_matrix((np.ones(src.size), (src, dst)), shape=(n, n))
    _, labels = connected_components(g, directed=True, connection="strong")
    idx = np.flatnonzero(labels[src] == labels[dst])
    nodes, inv = np.unique(np.r_[src[idx], dst[idx]], return_inverse=True)
    m = idx.size
    rows = np.r_[inv[:m], inv[m:]]
    inc = sparse.csc_matrix((np.r_[np.ones(m), -np.ones(m)], (rows, np.r_[np.arange(m), np.arange(m)])))
    cap = w[idx] / w[idx].max()
    res = linprog(-np.ones(m), A_eq=inc, b_eq=np.zeros(nodes.size), bounds=np.c_[np.zeros(m), cap], method="highs")
    return float(-res.fun * w[idx].max() / w.sum())


def best(fn, repeat: int) -> tuple[float, object]:
    out = None
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--edges", type=int, default=100_000)
    ap.add_argument("--lp-limit", type=float, default=120.0)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-draws", action="store_true", help="skip the uncertainty part")
    args = ap.parse_args()

    from junkan.flows.circularity import bff_circulation, max_circulation

    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    small = random_network(1000, 10_000)
    max_circulation(1000, *small)  # warm-up
    print("| network | method | wall time | ratio to junkan | index |")
    print("| --- | --- | --- | --- | --- |")
    for n, m in ((1000, 10_000), (args.nodes, args.edges)):
        src, dst, w = random_network(n, m)
        label = f"{n:,} parties, {w.size:,} edges"
        t, c = best(lambda: max_circulation(n, src, dst, w), args.repeat)  # noqa: B023
        ours = float(np.sum(c)) / w.sum()
        print(f"| {label} | junkan max (min-cost circulation, OR-tools) | {t:.2f} s | 1 | {ours:.12f} |")
        t0 = time.perf_counter()
        ix, status = general_lp(n, src, dst, w, args.lp_limit)
        t1 = time.perf_counter() - t0
        shown = f"{ix:.12f} (rel. diff {abs(ix - ours) / ours:.1e})" if ix is not None else f"not solved ({status})"
        print(f"| {label} | general LP (directional form, linprog highs) | {t1:.2f} s | {t1 / t:.1f} | {shown} |")
        t0 = time.perf_counter()
        ix2 = scc_lp(n, src, dst, w)
        t2 = time.perf_counter() - t0
        print(
            f"| {label} | LP on SCC edges (linprog highs) | {t2:.2f} s | {t2 / t:.1f} | "
            f"{ix2:.12f} (rel. diff {abs(ix2 - ours) / ours:.1e}) |"
        )

    for n, m in ((200, 2000), (1000, 10_000)):
        src, dst, w = random_network(n, m)
        t, c = best(lambda: bff_circulation(n, src, dst, w), 1)  # noqa: B023
        mx = float(np.sum(max_circulation(n, src, dst, w))) / w.sum()
        ix = float(np.sum(c)) / w.sum()
        print(f"| {n:,} parties, {w.size:,} edges | junkan bff | {t:.2f} s | | {ix:.6f} (max {mx:.6f}) |")
    print(f"load average after the index part: {os.getloadavg()[0]:.1f}")
    if args.no_draws:
        return

    import junkan
    from junkan.flows import flow_graph
    from junkan.flows.circularity import circularity
    from junkan.flows.provenance import outside_inflows
    from junkan.flows.uncertainty import share_draws

    led = junkan.load("ai-compute")
    g = flow_graph(led)
    out = outside_inflows(led, g)
    share_draws(led, g, out, n=10, seed=1)  # warm-up
    t, sd = best(lambda: share_draws(led, g, out, n=args.draws, seed=1), args.repeat)
    print(
        f"\nai-compute ({len(g.parties)} parties, {len(g.edges())} edges): {args.draws} draws of every party's "
        f"own-money shares in {t:.2f} s ({len(sd.rules)} uncertain deals)"  # type: ignore[attr-defined]
    )
    t, r = best(lambda: circularity(led, uncertainty=100, seed=1), 1)
    print(f"ai-compute circularity index with 100 draws: {t:.2f} s (index {r.index:.4f}, interval {r.index_interval})")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
