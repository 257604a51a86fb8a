"""Benchmark: 10,000 runs of the AI ecosystem stress model over 20 quarters (target: under 10 s on 2 cores).

Usage::

    OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 python benchmarks/stress_montecarlo.py [--runs 10000] [--scenario NAME]

Prints the wall time of ``run_stress`` (model build, scenario compilation, simulation, clearing) for each scenario,
best of ``--repeat`` runs after one warm-up, and the process's CPU time of that run (``time.process_time``, all
threads: on a container shared with other jobs the wall time is inflated by waiting, the CPU time is not).
"""

from __future__ import annotations

import argparse
import os
import time

import junkan
from junkan.stress.ecosystem import run_stress


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenario", action="append", default=None)
    args = ap.parse_args()
    scenarios = args.scenario or ["baseline", "ai-winter"]
    ledger = junkan.load("ai-compute")
    run_stress(ledger, "baseline", runs=100, seed=0)  # warm-up (imports, caches)
    print(f"cpus={os.cpu_count()} threads={os.environ.get('OMP_NUM_THREADS', 'unset')} runs={args.runs}")
    for sc in scenarios:
        best = cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            res = run_stress(ledger, sc, runs=args.runs, seed=42)
            best = min(best, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        s = res.summary()
        print(
            f"{sc:24s} {best:6.2f} s wall {cpu:6.2f} s cpu  horizon={s['horizon']} "
            f"quarters={res.quarters} parties={len(res.parties)} "
            f"any_default={s['any_default_probability']:.3f}"
        )


if __name__ == "__main__":
    main()
