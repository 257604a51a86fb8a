"""Benchmark: a Sobol analysis of 15 inputs, local vs Spark local[2] (issue 11 targets: N = 256 Saltelli samples of
500 runs each under 10 minutes on 2 cores; Spark local[2] within 1.5x of that).

Usage::

    OMP_NUM_THREADS=1 python benchmarks/sensitivity_bench.py [--samples 256] [--runs 500] [--engines local,spark]

The 15 inputs are the first 15 candidates of :func:`junkan.stress.sensitivity.candidate_inputs` on ``ai-compute``
(file order, each over its sourced range from ``ai-compute.sensitivity.yaml``; which 15 does not change the cost,
every evaluation is one ``runs``-run simulation; ``--workers`` local processes, default the CPUs), no Morris
screening. ``N (k + 2)`` = 17 N evaluations. Prints, per engine, wall time, the driver's CPU time
(``time.process_time``; on Spark the work is in the Python workers, not counted there), seconds per evaluation,
and the wall time extrapolated to the issue's size (``--target-samples``, linear in evaluations: the evaluations are
independent and equal in cost), and checks that both engines give the same indices. The Spark time includes
starting the session (JVM and Python workers). On a shared container the load average is printed first: wall times
under load are inflated by waiting for a core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import junkan
from junkan.stress.ecosystem import build_model, load_assumptions
from junkan.stress.ecosystem.montecarlo import quarter_label, resolve_as_of
from junkan.stress.sensitivity import candidate_inputs, default_ranges, default_workers, sensitivity


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--runs", type=int, default=500)
    ap.add_argument("--target-samples", type=int, default=256)
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--workers", type=int, default=default_workers(), help="local processes (default: the CPUs)")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    ledger = junkan.load("ai-compute")
    a = load_assumptions("ai-compute")
    led, when = resolve_as_of(ledger, None)
    model = build_model(led, a, quarter_label(when))
    keys = [c.key for c in candidate_inputs(model, a, ranges=default_ranges(a), ledger=led)[0][:15]]
    evals = args.samples * (len(keys) + 2)
    target = args.target_samples * (len(keys) + 2)
    print(f"load={os.getloadavg()} cpus={os.cpu_count()} inputs={len(keys)} samples={args.samples} runs={args.runs}")
    print(f"evaluations={evals} (target {target} = N {args.target_samples} x 17)")
    results = {}
    for engine in args.engines.split(","):
        t0, c0 = time.perf_counter(), time.process_time()
        res = sensitivity(
            ledger, samples=args.samples, runs=args.runs, seed=42, inputs=keys, engine=engine,
            master=args.master if engine == "spark" else None, focal="nvidia", workers=args.workers,
        )  # fmt: skip
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        results[engine] = res
        per = wall / evals
        print(
            f"{engine:6s} wall={wall:8.1f}s cpu(driver)={cpu:8.1f}s per_eval={per:6.3f}s "
            f"extrapolated to {target} evaluations: {per * target / 60:6.1f} min"
        )
    if len(results) == 2:
        loc, spk = results.values()
        same = all(
            x["first_order"] == y["first_order"] and x["total_order"] == y["total_order"]
            for x, y in zip(loc.sensitivity, spk.sensitivity, strict=True)
        )
        print(f"identical indices local vs spark: {same}")


if __name__ == "__main__":
    main()
