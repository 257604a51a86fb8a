"""Clearing benchmark: batched vs one-scenario-at-a-time exact clearing vs NEVA, against the memory-bandwidth bound.

Usage::

    .venv/bin/python benchmarks/clearing_bench.py [--quick | --small] [--neva PATH] [--cap SECONDS] [--max-gb GB]

What it does, in one run on one machine:

1. Measures the memory bandwidth with STREAM-like kernels (NumPy copy and add on 256 MiB arrays, and a two-thread
   compiled triad; best of 5 each) and keeps the highest figure, so the bound below is the most demanding one.
2. For each network size ``n`` and scenario count ``B`` of the grid builds a directed random network with ~10 creditors
   per node (Erdos-Renyi edges, log-normal loan sizes, sigma = 1), external assets of 50% of interbank obligations
   (plus 1% of the mean) and external liabilities of 30% (pro rata with interbank debt), and ``B`` shocks cutting each
   node's external assets by an independent uniform fraction in [0, 60%]. It then times

   * junkan batched: one ``eisenberg_noe(L, E)`` call on all ``B`` scenarios (batched Picard + exact finish), and its
     Picard phase alone;
   * junkan batched, dense input (``n <= 200``): the same call with ``L`` as a dense NumPy array (switched to the
     compiled sparse Picard sweep, as a ``scipy.sparse`` input is), and with ``L`` repeated as a ``(B, n, n)`` stack
     of per-scenario matrices, the form the ecosystem model uses: that one takes the generic Picard loop and then
     the batched exact fictitious-default step for every scenario (all frozen systems in one compiled call), which
     is what ``--small`` (n in {30, 50}, B in {100, 256}) is about;
   * junkan one-by-one: ``eisenberg_noe(L, E[k])`` scenario by scenario (until ``--cap`` seconds, then extrapolated);
   * NEVA one-by-one (github.com/marcobardoscia/neva, a local copy given by ``--neva`` or ``$JUNKAN_NEVA``; never
     vendored): its Eisenberg-Noe valuation with ``tol = 1e-12`` and ``maxiter = 100000`` instead of its loose defaults
     (1e-3, 100), scenario by scenario until ``--cap`` seconds, then extrapolated.

   and checks that every answer agrees with the batched one (max absolute difference of the payment vectors).
3. The bound for the batched Picard phase: per iteration the sparse product must read the matrix once and the payments
   and external assets and write the new payments once, ``12 nnz + 3 n B * 8`` bytes (float64 values, int32 indices);
   bound = iterations * bytes / bandwidth; the ratio printed is measured time / bound.

Networks whose batched arrays would exceed ``--max-gb`` (about 20 arrays of ``B x n`` float64 are alive at the peak of
one call) are skipped and said so. Timings are wall-clock, best of ``--repeat`` for the batched call.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numba
import numpy as np
import scipy.sparse

from junkan.stress import clearing, eisenberg_noe, rogers_veraart

FULL_N = (30, 300, 3000, 10000)
FULL_B = (1, 100, 10000)
QUICK_N = (30, 300)
QUICK_B = (1, 100)
SMALL_N = (30, 50)
SMALL_B = (100, 256)
DENSE_MAX_N = 200  # networks up to this size are also timed with a dense liabilities matrix
STACKED_MAX_FLOATS = 50_000_000  # ... and as a (B, n, n) stack of per-scenario matrices when that is at most 400 MB
PEAK_ARRAYS = 20  # (B, n) float64 arrays alive at the peak of one batched call (inputs, Picard buffers, outputs)


# ---------------------------------------------------------------------------------------------------------------
# memory bandwidth


@numba.njit(parallel=True, cache=True)
def _triad(a: np.ndarray, b: np.ndarray, c: np.ndarray, s: float) -> None:  # pragma: no cover
    for i in numba.prange(a.size):
        a[i] = b[i] + s * c[i]


def measure_bandwidth(mib: int = 256, repeat: int = 5) -> dict[str, float]:
    """STREAM-like bandwidth in bytes/s: NumPy copy (16 B/elem), NumPy add (24 B/elem), compiled triad (24 B/elem).

    Also ``first_touch``: filling freshly allocated memory once (page faults included), which is what every new
    ``(B, n)`` array of a call pays; it is reported, not used for the bound.
    """
    n = mib * 2**20 // 8
    a, b, c = np.ones(n), np.full(n, 2.0), np.empty(n)
    _triad(c, a, b, 3.0)
    kernels = {
        "numpy_copy": (lambda: np.copyto(c, a), 16 * n),
        "numpy_add": (lambda: np.add(a, b, out=c), 24 * n),
        f"triad_{numba.get_num_threads()}threads": (lambda: _triad(c, a, b, 3.0), 24 * n),
    }
    out = {}
    t0 = time.perf_counter()
    fresh = np.empty(n)
    fresh.fill(1.0)  # first touch: the kernel maps every page
    out["first_touch"] = 8 * n / (time.perf_counter() - t0)
    del fresh
    for name, (fn, nbytes) in kernels.items():
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        out[name] = nbytes / best
    return out


# ---------------------------------------------------------------------------------------------------------------
# networks


@dataclass
class Case:
    liabilities: scipy.sparse.csr_array
    external_assets: np.ndarray  # (B, n), shocked
    external_liabilities: np.ndarray  # (n,)


def make_case(n: int, b: int, seed: int, degree: float = 10.0) -> Case:
    """Directed random network, ~``degree`` creditors per node, log-normal loans; ``b`` external-asset shocks."""
    rng = np.random.default_rng(seed)
    m = round(degree * n) if n > degree + 1 else n * (n - 1)
    if n <= degree + 1:
        i, j = np.nonzero(~np.eye(n, dtype=bool))
    else:
        i, j = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = i != j
        i, j = i[keep], j[keep]
    lmat = scipy.sparse.csr_array((rng.lognormal(0.0, 1.0, i.size), (i, j)), shape=(n, n))
    lmat.sum_duplicates()
    pbar = np.asarray(lmat.sum(axis=1)).ravel()
    e0 = 0.5 * pbar + 0.01 * pbar.mean()
    shocks = e0[None, :] * (1.0 - 0.6 * rng.random((b, n)))
    return Case(lmat, shocks, 0.3 * pbar)


# ---------------------------------------------------------------------------------------------------------------
# NEVA (optional, from a local copy)


def load_neva(path: str | None) -> tuple[ModuleType | None, str]:
    """Import NEVA from ``path`` (the repository folder holding ``neva/``); returns (module or None, why not)."""
    if not path:
        return None, "no NEVA copy given (--neva PATH or $JUNKAN_NEVA)"
    root = Path(path).expanduser()
    if not (root / "neva" / "__init__.py").is_file():
        return None, f"{root} has no neva/__init__.py"
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("neva"), ""
    except Exception as exc:  # report any import failure and skip the column
        return None, f"import failed: {exc}"


def neva_clear(
    neva: ModuleType, case: Case, k: int, model: str = "eisenberg_noe", alpha: float = 1.0, beta: float = 1.0
) -> tuple[np.ndarray, float, int]:
    """Clear scenario ``k`` with NEVA's valuation; returns (payments, seconds in NEVA's fixed point, iterations).

    NEVA works in equities: ``E_i = A_i^e - L_i^e + sum_j A_ij V_j(E_j) - L_i^ib`` with
    ``V_j = 1`` if ``E_j > 0`` else ``max((E_j + L_j) / L_j, 0)`` (Eisenberg-Noe) or
    ``(alpha - beta) A_j^e / L_j + beta max((E_j + L_j) / L_j, 0)`` (Rogers-Veraart), ``L_j`` = total liabilities;
    the payment of ``j`` is ``L_j^ib V_j(E_j)``: pro rata with external creditors.
    """
    from neva import ibeval

    lmat = case.liabilities
    n = lmat.shape[0]
    e = case.external_assets[k]
    lext = case.external_liabilities
    ibl = np.asarray(lmat.sum(axis=1)).ravel()
    banks = [
        neva.Bank(extasset=float(e[i]), extliab=float(lext[i]), ibliabtot=float(ibl[i]), name=str(i)) for i in range(n)
    ]
    lt = scipy.sparse.csr_array(lmat.T)  # row i: what i lent, to whom
    for i in range(n):
        lo, hi = lt.indptr[i], lt.indptr[i + 1]
        pairs = zip(lt.indices[lo:hi], lt.data[lo:hi], strict=True)
        banks[i].set_ibasset([(banks[int(j)], float(v)) for j, v in pairs])
    for i, bnk in enumerate(banks):
        liab = float(ibl[i] + lext[i])
        if model == "eisenberg_noe":
            bnk.ibeval = lambda eq, liab=liab: ibeval.eisenberg_noe(eq, liab) if liab > 0 else 1.0
        else:
            bnk.ibeval = lambda eq, liab=liab, ea=float(e[i]): (
                ibeval.rogers_veraart(eq, ea, liab, alpha, beta) if liab > 0 else 1.0
            )
    bsys = neva.BankingSystem(banks, tol=1e-12, maxiter=100000, save_history=True)
    t0 = time.perf_counter()
    bsys.fixedpoint_equity()
    secs = time.perf_counter() - t0
    pay = np.array([ibl[i] * bnk.ibeval(bnk.equity) for i, bnk in enumerate(banks)])
    return pay, secs, len(bsys.history) - 1


# ---------------------------------------------------------------------------------------------------------------
# one cell of the grid


def run_cell(n: int, b: int, args: argparse.Namespace, bandwidth: float, neva: ModuleType | None) -> dict[str, Any]:
    case = make_case(n, b, args.seed + n)
    lmat, e, lext = case.liabilities, case.external_assets, case.external_liabilities
    row: dict[str, Any] = {"n": n, "B": b, "nnz": int(lmat.nnz)}
    # batched, whole call
    best = float("inf")
    res = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = eisenberg_noe(lmat, e, external_liabilities=lext)
        best = min(best, time.perf_counter() - t0)
        if best > 10:
            break
    assert res is not None
    row["batched_s"] = best
    row["exact"] = bool(np.all(res.exact))
    if n <= DENSE_MAX_N:
        dense = lmat.toarray()
        dbest = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            dres = eisenberg_noe(dense, e, external_liabilities=lext)
            dbest = min(dbest, time.perf_counter() - t0)
        row["dense_s"] = dbest
        row["dense_solves"] = int(np.max(dres.solves))
        row["dense_diff"] = float(np.max(np.abs(dres.payments - res.payments)))
        row["exact"] = row["exact"] and bool(np.all(dres.exact))
        if b > 1 and b * n * n <= STACKED_MAX_FLOATS:
            stacked = np.broadcast_to(dense, (b, n, n)).copy()
            sbest = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                sres = eisenberg_noe(stacked, e, external_liabilities=lext)
                sbest = min(sbest, time.perf_counter() - t0)
            row["stacked_s"] = sbest
            row["stacked_solves"] = int(np.sum(sres.solves))
            row["dense_diff"] = max(row["dense_diff"], float(np.max(np.abs(sres.payments - res.payments))))
            row["exact"] = row["exact"] and bool(np.all(sres.exact))
    row["defaults"] = float(np.mean(res.n_defaults))
    # batched, Picard phase alone (what the bandwidth bound is about)
    prob, _ = clearing._prepare(lmat, e, lext, "pro_rata", 1.0, 1.0)
    pbest = float("inf")
    its = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        _, its, _ = clearing._picard(prob, np, 1e-10, 1000, settle=b > 1)
        pbest = min(pbest, time.perf_counter() - t0)
        if pbest > 10:
            break
    row["picard_s"] = pbest
    row["iterations"] = its
    bytes_per_it = 12 * lmat.nnz + 3 * n * b * 8
    row["bound_s"] = its * bytes_per_it / bandwidth
    row["picard_vs_bound"] = pbest / row["bound_s"]
    row["batched_vs_bound"] = best / row["bound_s"]
    # residual of the clearing equation, for the record
    pi = scipy.sparse.diags_array(1.0 / np.maximum(np.asarray(lmat.sum(axis=1)).ravel(), 1e-300)) @ lmat
    received = np.asarray((pi.T @ res.payments.T).T)
    row["residual"] = float(np.max(np.abs(res.received - received)))
    # one by one, exact
    t0 = time.perf_counter()
    done = 0
    diff = 0.0
    while done < b and time.perf_counter() - t0 < args.cap:
        one = eisenberg_noe(lmat, e[done], external_liabilities=lext)
        diff = max(diff, float(np.max(np.abs(one.payments - res.payments[done]))))
        done += 1
    per = (time.perf_counter() - t0) / done
    row.update(one_done=done, one_per_s=per, one_total_s=per * b, one_diff=diff)
    row["one_vs_batched"] = per * b / best
    # NEVA one by one
    if neva is not None:
        t0 = time.perf_counter()
        done = 0
        ndiff = 0.0
        nsecs = 0.0
        nits = 0
        while done < b and time.perf_counter() - t0 < args.cap:
            pay, secs, it = neva_clear(neva, case, done)
            nsecs += secs
            nits = max(nits, it)
            ndiff = max(ndiff, float(np.max(np.abs(pay - res.payments[done]))))
            done += 1
            if secs > args.cap:
                break
        row.update(neva_done=done, neva_per_s=nsecs / done, neva_total_s=nsecs / done * b, neva_diff=ndiff)
        row["neva_iterations"] = nits
        row["neva_vs_batched"] = nsecs / done * b / best
        if "dense_s" in row:
            row["neva_vs_dense"] = nsecs / done * b / row["dense_s"]
        if "stacked_s" in row:
            row["neva_vs_stacked"] = nsecs / done * b / row["stacked_s"]
    return row


def fmt_s(x: float) -> str:
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.2f} ms"
    return f"{x * 1e6:.0f} us"


def table(rows: list[dict[str, Any]], with_neva: bool) -> str:
    head = [
        "n",
        "B",
        "nnz",
        "defaults/scen",
        "batched (total)",
        "Picard (its)",
        "bound",
        "Picard/bound",
        "batched/bound",
        "one-by-one (done)",
        "one/batched",
        "batched, dense input",
        "batched, (B, n, n) input (solves)",
    ]
    if with_neva:
        head += ["NEVA (done, its)", "NEVA/batched", "NEVA/dense", "NEVA/(B, n, n)", "NEVA max diff"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['n']} | {r['B']} | {r['skipped']} |" + " |" * (len(head) - 3))
            continue
        est = "~" if r["one_done"] < r["B"] else ""
        cells = [
            str(r["n"]),
            str(r["B"]),
            str(r["nnz"]),
            f"{r['defaults']:.1f}",
            fmt_s(r["batched_s"]),
            f"{fmt_s(r['picard_s'])} ({r['iterations']})",
            fmt_s(r["bound_s"]),
            f"{r['picard_vs_bound']:.1f}",
            f"{r['batched_vs_bound']:.1f}",
            f"{est}{fmt_s(r['one_total_s'])} ({r['one_done']})",
            f"{est}{r['one_vs_batched']:.1f}",
            fmt_s(r["dense_s"]) if "dense_s" in r else "-",
            f"{fmt_s(r['stacked_s'])} ({r['stacked_solves']})" if "stacked_s" in r else "-",
        ]
        if with_neva:
            nest = "~" if r["neva_done"] < r["B"] else ""
            cells += [
                f"{nest}{fmt_s(r['neva_total_s'])} ({r['neva_done']}, {r['neva_iterations']})",
                f"{nest}{r['neva_vs_batched']:.0f}",
                f"{nest}{r['neva_vs_dense']:.0f}" if "neva_vs_dense" in r else "-",
                f"{nest}{r['neva_vs_stacked']:.0f}" if "neva_vs_stacked" in r else "-",
                f"{r['neva_diff']:.1e}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rv_agreement(neva: ModuleType, seed: int) -> str:
    """Rogers-Veraart (alpha = 0.5, beta = 0.7) on the n = 300 network: NEVA vs junkan, max |diff| over 5 scenarios."""
    case = make_case(300, 5, seed + 300)
    res = rogers_veraart(case.liabilities, case.external_assets, alpha=0.5, beta=0.7,
                         external_liabilities=case.external_liabilities)  # fmt: skip
    diff = 0.0
    its = 0
    for k in range(5):
        pay, _, it = neva_clear(neva, case, k, "rogers_veraart", 0.5, 0.7)
        diff = max(diff, float(np.max(np.abs(pay - res.payments[k]))))
        its = max(its, it)
    return (
        f"Rogers-Veraart alpha=0.5 beta=0.7, n=300, 5 scenarios: NEVA vs junkan max |payment diff| = {diff:.1e} "
        f"(NEVA iterations <= {its}; mean defaults {np.mean(res.n_defaults):.1f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small grid: n in {30, 300}, B in {1, 100}")
    ap.add_argument("--small", action="store_true", help="small networks: n in {30, 50}, B in {100, 256}")
    ap.add_argument("--neva", default=os.environ.get("JUNKAN_NEVA"), help="path of a local NEVA checkout")
    ap.add_argument("--cap", type=float, default=20.0, help="seconds per cell for each one-by-one column")
    ap.add_argument("--max-gb", type=float, default=8.0, help="skip cells whose batched arrays exceed this")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, nargs="*", help="override the network sizes")
    ap.add_argument("--B", type=int, nargs="*", help="override the scenario counts")
    args = ap.parse_args()
    sizes = args.n or (SMALL_N if args.small else QUICK_N if args.quick else FULL_N)
    counts = args.B or (SMALL_B if args.small else QUICK_B if args.quick else FULL_B)
    neva, why = load_neva(args.neva)
    print(f"# machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, numba threads "
          f"{numba.get_num_threads()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    bw = measure_bandwidth()
    bandwidth = max(v for k, v in bw.items() if k != "first_touch")
    figures = ", ".join(f"{k} {v / 1e9:.1f} GB/s" for k, v in bw.items())
    print(f"# bandwidth: {figures} -> {bandwidth / 1e9:.1f} GB/s")
    print(f"# one-by-one cap {args.cap:.0f} s per cell (then extrapolated, marked ~); max {args.max_gb} GB per cell")
    print("# NEVA: " + ("tol 1e-12, maxiter 100000" if neva is not None else f"column skipped: {why}"))
    # compile and warm up outside the timings
    warm = make_case(300, 64, 0)
    eisenberg_noe(warm.liabilities, warm.external_assets, external_liabilities=warm.external_liabilities)
    warm = make_case(30, 64, 0)
    eisenberg_noe(warm.liabilities.toarray(), warm.external_assets, external_liabilities=warm.external_liabilities)
    rows = []
    for n in sizes:
        for b in counts:
            need = PEAK_ARRAYS * n * b * 8 / 1e9
            if need > args.max_gb:
                rows.append({"n": n, "B": b, "skipped": f"skipped: ~{need:.0f} GB > {args.max_gb:g} GB"})
                print(f"n={n} B={b}: skipped (~{need:.0f} GB of arrays > --max-gb {args.max_gb:g})", flush=True)
                continue
            row = run_cell(n, b, args, bandwidth, neva)
            rows.append(row)
            print(
                f"n={n} B={b}: batched {fmt_s(row['batched_s'])}, Picard {fmt_s(row['picard_s'])} "
                f"({row['iterations']} its) = {row['picard_vs_bound']:.1f}x bound; one-by-one "
                f"{fmt_s(row['one_total_s'])} ({row['one_done']} done, max diff {row['one_diff']:.1e})"
                + (
                    f"; NEVA {fmt_s(row['neva_total_s'])} ({row['neva_done']} done, max diff {row['neva_diff']:.1e})"
                    if neva is not None
                    else ""
                )
                + (
                    f"; dense input {fmt_s(row['dense_s'])}"
                    + (f", (B, n, n) input {fmt_s(row['stacked_s'])}" if "stacked_s" in row else "")
                    + f" (max diff {row['dense_diff']:.1e})"
                    if "dense_s" in row
                    else ""
                )
                + f"; exact {row['exact']}, residual {row['residual']:.1e}",
                flush=True,
            )
    print()
    print(table(rows, neva is not None))
    if neva is not None:
        print()
        print(rv_agreement(neva, args.seed))


if __name__ == "__main__":
    main()
